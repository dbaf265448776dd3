//! Errors about one field of a request, named as the request names it (`targets`,
//! `hours`, `what_if`), never as a command line or a form spells it: the CLI maps the
//! field to its `--flag`, the HTTP API answers `422 {error, field}`.

use std::fmt;

/// What is wrong with one field of a request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct FieldError {
    /// The request's field, snake_case (`targets`, `repair_h`, `what_if`).
    pub field: &'static str,
    /// What is wrong and what was expected, without the field's name.
    pub message: String,
}

impl FieldError {
    /// `message` about `field`.
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            field,
            message: message.into(),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}
