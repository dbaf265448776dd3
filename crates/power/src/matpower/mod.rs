//! Reader for MATPOWER case files (format version 2).
//!
//! Follows MATPOWER's `loadcase` for the data it reads: `baseMVA`, `bus`, `gen`, `branch`,
//! optional `gencost` and `bus_name`; other fields (`gentype`, `genfuel`, `areas`, ...) are
//! skipped with a warning. The file is parsed, not executed: statements other than plain
//! assignments are refused, because MATPOWER files that compute (unit conversions after
//! the data) would otherwise be read wrong without a word.
//!
//! Every error names the file, the line and column, and the field (`mpc.bus row 3, VM`).

mod columns;
mod convert;
mod lexer;
mod parse;

use crate::case::Case;
use lifeline_core::TextPosition;
use std::fmt;
use std::path::Path;

/// Why a case file could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReadErrorKind {
    /// The file could not be opened or read.
    #[error("cannot read the file: {0}")]
    Io(String),
    /// The text does not follow the MATLAB syntax MATPOWER cases use.
    #[error("expected {expected}, found {found}")]
    Syntax {
        /// What would have been valid here.
        expected: String,
        /// What the file has.
        found: String,
    },
    /// A statement that is not a plain assignment.
    #[error(
        "unsupported statement: expected an assignment 'mpc.FIELD = value;', found {found} (lifeline reads case data, it does not run MATLAB code)"
    )]
    UnsupportedStatement {
        /// What follows the name.
        found: String,
    },
    /// A case format other than version 2.
    #[error("unsupported MATPOWER case format version {version}: expected version 2")]
    UnsupportedVersion {
        /// The version found.
        version: String,
    },
    /// The file ends before a matrix or cell array is closed.
    #[error("the file ends inside {what}: expected {expected}")]
    Truncated {
        /// The open construct.
        what: String,
        /// The missing closing symbol.
        expected: String,
    },
    /// A matrix entry that is not a number.
    #[error("expected a number, found {found}")]
    NotANumber {
        /// The text found.
        found: String,
    },
    /// A row with too few columns, or a different count from the rows above.
    #[error("row has {found} columns, expected {expected}")]
    ColumnCount {
        /// How many columns the row has.
        found: usize,
        /// How many it should have.
        expected: String,
    },
    /// A number outside what the field allows.
    #[error("{0}")]
    InvalidValue(String),
    /// A required field is absent.
    #[error("missing {field}: expected an assignment '{field} = ...'")]
    MissingField {
        /// The field, e.g. `mpc.branch`.
        field: String,
    },
    /// The case is structurally invalid (duplicate or unknown bus, no slack bus, ...).
    #[error("{0}")]
    InvalidCase(String),
}

/// A case-file error with its location: file, line, column, field.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct ReadError {
    /// The file (or label) the text came from.
    pub file: String,
    /// Where in the file, if the error has a place.
    pub position: Option<TextPosition>,
    /// The field at fault: `mpc.bus row 3, VM`.
    pub field: Option<String>,
    /// What went wrong.
    pub kind: ReadErrorKind,
}

impl ReadError {
    pub(crate) fn at(position: TextPosition, field: Option<String>, kind: ReadErrorKind) -> Self {
        Self {
            file: String::new(),
            position: Some(position),
            field,
            kind,
        }
    }

    fn in_file(mut self, file: &str) -> Self {
        self.file = file.to_string();
        self
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(position) = self.position {
            write!(f, ":{}:{}", position.line, position.column)?;
        }
        if let Some(field) = &self.field {
            write!(f, ": {field}")?;
        }
        write!(f, ": {}", self.kind)
    }
}

/// Something the reader skipped or assumed; the case is still usable.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ReadWarning {
    /// Where, if the warning has a place.
    pub position: Option<TextPosition>,
    /// What was skipped or assumed.
    pub message: String,
}

impl fmt::Display for ReadWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Some(position) => write!(f, "line {}: {}", position.line, self.message),
            None => write!(f, "{}", self.message),
        }
    }
}

/// A case read from a file, with the warnings met on the way.
#[derive(Debug, Clone)]
pub struct ReadCase {
    /// The case.
    pub case: Case,
    /// What was skipped or assumed.
    pub warnings: Vec<ReadWarning>,
}

/// Reads and checks a MATPOWER case file.
pub fn read_case(path: &Path) -> Result<ReadCase, ReadError> {
    let label = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|error| ReadError {
        file: label.clone(),
        position: None,
        field: None,
        kind: ReadErrorKind::Io(error.to_string()),
    })?;
    // Case files are ASCII in practice; tolerate Latin-1 comments by lossy decoding.
    let text = String::from_utf8_lossy(&bytes);
    let text = lifeline_core::text::without_bom(&text);
    let default_name = path
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_else(|| "case".into());
    parse_case(text, &label, &default_name)
}

/// Parses and checks MATPOWER case text. `file` labels error messages; `default_name` is
/// the case name if the text has no `function mpc = NAME` line.
pub fn parse_case(text: &str, file: &str, default_name: &str) -> Result<ReadCase, ReadError> {
    let statements = parse::statements(text).map_err(|error| error.in_file(file))?;
    convert::case_from_statements(&statements, default_name).map_err(|error| error.in_file(file))
}

/// `mpc.bus row 3, VM` for matrix `mpc.bus`, 1-based row, 0-based column.
pub(crate) fn field_label(target: &str, row: usize, column: usize) -> String {
    let matrix = target.strip_prefix("mpc.").unwrap_or(target);
    format!("{target} row {row}, {}", columns::name(matrix, column))
}
