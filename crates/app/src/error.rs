//! What can go wrong in a request, by the field it is about where there is one.

use lifeline_core::FieldError;
use thiserror::Error;

/// A request that could not be served.
#[derive(Debug, Error)]
pub enum AppError {
    /// A field of the request is wrong.
    #[error(transparent)]
    Request(#[from] FieldError),
    /// The city or the scenario has problems (each with file, line and column).
    #[error(transparent)]
    Cascade(#[from] lifeline_cascade::CascadeError),
    /// The schedule could not be built.
    #[error(transparent)]
    Schedule(#[from] lifeline_schedule::ScheduleError),
    /// The restoration study could not be made.
    #[error(transparent)]
    Restore(#[from] lifeline_restore::RestoreError),
    /// The sweep could not be run (a request field, a scenario's cascade run).
    #[error(transparent)]
    Sweep(#[from] lifeline_sweep::SweepError),
    /// A document could not be written out (what, then why).
    #[error("cannot write {0}")]
    Document(String),
}

impl AppError {
    /// `message` about the request's `field`.
    pub fn field(field: &'static str, message: impl Into<String>) -> Self {
        AppError::Request(FieldError::new(field, message))
    }

    /// The request field the error is about, if it is about one.
    pub fn field_name(&self) -> Option<&'static str> {
        self.field_error().map(|e| e.field).or(match self {
            AppError::Restore(error) => error.field(),
            _ => None,
        })
    }

    /// The field error inside, if the error is one.
    pub fn field_error(&self) -> Option<&FieldError> {
        match self {
            AppError::Request(error)
            | AppError::Schedule(lifeline_schedule::ScheduleError::Request(error))
            | AppError::Sweep(lifeline_sweep::SweepError::Request(error)) => Some(error),
            _ => None,
        }
    }

    /// The message without the field's name (the caller names the field its own way).
    pub fn message(&self) -> String {
        match self.field_error() {
            Some(error) => error.message.clone(),
            None => self.to_string(),
        }
    }
}
