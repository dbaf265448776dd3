//! What can go wrong in a sweep.

use thiserror::Error;

/// `message` about the request's `field`.
pub(crate) fn invalid(field: &'static str, message: impl Into<String>) -> SweepError {
    SweepError::Request(lifeline_core::FieldError::new(field, message))
}

/// A sweep error.
#[derive(Debug, Error)]
pub enum SweepError {
    /// A request that cannot be run: a shard spec, a target class, a what-if, a count;
    /// the error names the request's field.
    #[error(transparent)]
    Request(#[from] lifeline_core::FieldError),
    /// A scenario's cascade run failed.
    #[error("scenario {scenario} ({assets}): {source}")]
    Cascade {
        /// The scenario's index.
        scenario: u64,
        /// Its assets.
        assets: String,
        /// Why.
        source: lifeline_cascade::CascadeError,
    },
    /// The results file.
    #[error(transparent)]
    Table(#[from] crate::table::TableError),
}
