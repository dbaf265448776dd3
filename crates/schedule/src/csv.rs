//! A small reader of comma-separated files that keeps every field's line and column, so
//! errors can point at them. No quoting: the files here hold ids and numbers.

use crate::error::ScheduleError;

/// A field of a CSV file.
#[derive(Debug, Clone, PartialEq)]
pub struct Field<'a> {
    /// Its text, trimmed.
    pub text: &'a str,
    /// Line, 1-based.
    pub line: usize,
    /// Column of its first character, 1-based.
    pub column: usize,
}

/// A parsed file: the header's column names and the data rows.
#[derive(Debug, Clone)]
pub struct Table<'a> {
    /// The file's name, for errors.
    pub path: String,
    /// Column names of the header.
    pub header: Vec<Field<'a>>,
    /// Rows (blank lines and lines starting with `#` skipped).
    pub rows: Vec<Vec<Field<'a>>>,
}

fn fields(text: &str, line: usize) -> Vec<Field<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    for piece in text.split(',') {
        let lead = piece.len() - piece.trim_start().len();
        out.push(Field {
            text: piece.trim(),
            line,
            column: text[..start].chars().count() + lead + 1,
        });
        start += piece.len() + 1;
    }
    out
}

impl<'a> Table<'a> {
    /// Parses `text`; the first non-blank, non-comment line is the header.
    pub fn parse(path: &str, text: &'a str) -> Result<Self, ScheduleError> {
        let mut lines = text
            .lines()
            .enumerate()
            .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
            .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
        let Some((header_line, header_text)) = lines.next() else {
            return Err(ScheduleError::Malformed {
                path: path.into(),
                line: 1,
                column: 1,
                message: "the file is empty: expected a header line".into(),
            });
        };
        let header = fields(header_text, header_line);
        let mut rows = Vec::new();
        for (line, text) in lines {
            let row = fields(text, line);
            if row.len() != header.len() {
                return Err(ScheduleError::Malformed {
                    path: path.into(),
                    line,
                    column: 1,
                    message: format!(
                        "row has {} fields, expected {} ({})",
                        row.len(),
                        header.len(),
                        header.iter().map(|f| f.text).collect::<Vec<_>>().join(",")
                    ),
                });
            }
            rows.push(row);
        }
        Ok(Self {
            path: path.into(),
            header,
            rows,
        })
    }

    /// Index of column `name`, or an error naming the header's line.
    pub fn column(&self, name: &str) -> Result<usize, ScheduleError> {
        self.header
            .iter()
            .position(|f| f.text == name)
            .ok_or_else(|| ScheduleError::Malformed {
                path: self.path.clone(),
                line: self.header.first().map_or(1, |f| f.line),
                column: 1,
                message: format!(
                    "no column '{name}' in the header (found {})",
                    self.header
                        .iter()
                        .map(|f| f.text)
                        .collect::<Vec<_>>()
                        .join(",")
                ),
            })
    }

    /// An error at `field`.
    pub fn error(&self, field: &Field<'_>, message: String) -> ScheduleError {
        ScheduleError::Malformed {
            path: self.path.clone(),
            line: field.line,
            column: field.column,
            message,
        }
    }

    /// `field` as a finite number, or an error naming the column.
    pub fn number(&self, field: &Field<'_>, column: &str) -> Result<f64, ScheduleError> {
        match field.text.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(v),
            _ => Err(self.error(
                field,
                format!("{column}: expected a number, got '{}'", field.text),
            )),
        }
    }
}
