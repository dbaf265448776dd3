//! Errors of outage scheduling.

use thiserror::Error;

/// `message` about the request's `field`.
pub(crate) fn invalid(field: &'static str, message: impl Into<String>) -> ScheduleError {
    ScheduleError::Request(lifeline_core::FieldError::new(field, message))
}

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
    /// A request field that cannot be used (a rule, the start, the time zone, a group to
    /// exempt, the groups of a city that has none); the error names the field.
    #[error(transparent)]
    Request(#[from] lifeline_core::FieldError),
    /// A file that is read but holds nothing to schedule.
    #[error("{path}: {message}")]
    Empty {
        /// The file.
        path: String,
        /// What it lacks.
        message: String,
    },
}
