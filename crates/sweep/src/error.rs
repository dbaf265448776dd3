//! What can go wrong in a sweep.

use thiserror::Error;

/// A sweep error.
#[derive(Debug, Error)]
pub enum SweepError {
    /// A request that cannot be run: a shard spec, a target class, a what-if, a count.
    #[error("{0}")]
    Invalid(String),
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
