//! Positions in the city's and scenario's files, for problems that name file, line and
//! column.

use lifeline_core::TextPosition;
use std::fmt;
use std::ops::Range;

/// A text file's content with the start of each line, to turn byte offsets into
/// positions.
#[derive(Debug, Clone)]
pub struct Source {
    /// The file as named to the user.
    pub file: String,
    /// Its content.
    pub text: String,
    line_starts: Vec<usize>,
}

impl Source {
    /// Wraps `text` read from `file`.
    pub fn new(file: impl Into<String>, text: String) -> Self {
        let text = lifeline_core::text::into_without_bom(text);
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self {
            file: file.into(),
            text,
            line_starts,
        }
    }

    /// The 1-based line and column of byte `offset` (columns count characters).
    pub fn position(&self, offset: usize) -> TextPosition {
        let offset = offset.min(self.text.len());
        let line = self
            .line_starts
            .partition_point(|&start| start <= offset)
            .max(1);
        let start = self.line_starts[line - 1];
        let column = self.text[start..offset].chars().count() + 1;
        TextPosition::new(line as u32, column as u32)
    }

    /// A problem at the start of `span`.
    pub fn problem(&self, span: Range<usize>, message: impl Into<String>) -> Problem {
        Problem {
            file: self.file.clone(),
            position: Some(self.position(span.start)),
            message: message.into(),
        }
    }
}

/// One thing wrong in an input file, with where it is.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    /// The file.
    pub file: String,
    /// Line and column, when the problem has a place.
    pub position: Option<TextPosition>,
    /// What is wrong and what was expected.
    pub message: String,
}

impl Problem {
    /// A problem about a whole file.
    pub fn in_file(file: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            file: file.into(),
            position: None,
            message: message.into(),
        }
    }

    /// A problem at a line (column 1).
    pub fn at_line(file: impl Into<String>, line: usize, message: impl Into<String>) -> Self {
        Self {
            file: file.into(),
            position: Some(TextPosition::new(line as u32, 1)),
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Some(p) => write!(f, "{}:{}:{}: {}", self.file, p.line, p.column, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// The most unknown fields reported for one file before giving up.
const MAX_UNKNOWN_FIELDS: usize = 100;

/// Reads `source` as TOML into `T`, reporting every unknown field at once (each at its
/// key), then the first other problem (a missing field, a value of the wrong type).
///
/// `toml` stops at the first unknown field; here each one found is taken out of the
/// parsed document and the document read again, so a file with three misspelt keys gets
/// three problems in one go.
pub fn parse_toml<T: serde::de::DeserializeOwned>(source: &Source) -> Result<T, Vec<Problem>> {
    let problem = |e: &toml::de::Error| match e.span() {
        Some(span) => source.problem(span, e.message().trim().to_string()),
        None => Problem::in_file(&source.file, e.message().trim().to_string()),
    };
    let mut document = toml::de::DeTable::parse(&source.text).map_err(|e| vec![problem(&e)])?;
    let mut problems: Vec<Problem> = Vec::new();
    for _ in 0..MAX_UNKNOWN_FIELDS {
        match T::deserialize(toml::de::Deserializer::from(document.clone())) {
            Ok(value) if problems.is_empty() => return Ok(value),
            Ok(_) => return Err(problems),
            Err(e) => {
                problems.push(problem(&e));
                let unknown = e.message().starts_with("unknown field");
                let taken_out = unknown
                    && e.span()
                        .is_some_and(|span| take_out_key(document.get_mut(), &span));
                if !taken_out {
                    return Err(problems);
                }
            }
        }
    }
    Err(problems)
}

/// Removes the key at `span` from `table` or any table within it; whether it was found.
fn take_out_key(table: &mut toml::de::DeTable<'_>, span: &Range<usize>) -> bool {
    let found = table.keys().find(|key| key.span() == *span).cloned();
    if let Some(key) = found {
        table.remove(&key);
        return true;
    }
    table
        .iter_mut()
        .any(|(_, value)| take_out_in_value(value.get_mut(), span))
}

/// [`take_out_key`] within a value (tables, and tables in arrays).
fn take_out_in_value(value: &mut toml::de::DeValue<'_>, span: &Range<usize>) -> bool {
    match value {
        toml::de::DeValue::Table(table) => take_out_key(table, span),
        toml::de::DeValue::Array(items) => items
            .iter_mut()
            .any(|item| take_out_in_value(item.get_mut(), span)),
        _ => false,
    }
}

/// "; did you mean A, B?" for the names nearest `unknown`, or empty.
pub fn suggestion<'a>(unknown: &str, names: impl IntoIterator<Item = &'a str>) -> String {
    let near = lifeline_core::suggest::nearest(unknown, names, 3);
    if near.is_empty() {
        String::new()
    } else {
        format!("; did you mean {}?", near.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_lines_and_columns() {
        let source = Source::new("x.toml", "a = 1\nbé = 2\n".into());
        assert_eq!(source.position(0), TextPosition::new(1, 1));
        assert_eq!(source.position(6), TextPosition::new(2, 1));
        assert_eq!(source.position(10), TextPosition::new(2, 4));
        assert_eq!(source.problem(6..7, "bad").to_string(), "x.toml:2:1: bad");
    }
}
