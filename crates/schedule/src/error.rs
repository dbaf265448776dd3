//! Errors of outage scheduling.

use thiserror::Error;

/// What can go wrong building a schedule.
#[derive(Debug, Error)]
pub enum ScheduleError {
    /// A file could not be read.
    #[error("{path}: cannot read the file: {message}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        message: String,
    },
    /// A malformed input file: where and what.
    #[error("{path}:{line}:{column}: {message}")]
    Malformed {
        /// The file.
        path: String,
        /// Line, 1-based.
        line: usize,
        /// Column, 1-based.
        column: usize,
        /// What is wrong and what was expected.
        message: String,
    },
    /// Inputs that are each fine but do not fit together (rules, horizon, groups).
    #[error("{0}")]
    Invalid(String),
}
