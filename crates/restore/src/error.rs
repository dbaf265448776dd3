//! The error type of restoration planning.

/// Why a restoration problem cannot be planned.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RestoreError {
    /// The problem is malformed (unknown ids, a precedence cycle, bad numbers).
    #[error("invalid restoration problem: {0}")]
    Invalid(String),
    /// The problem is well formed but has no plan (a job no crew can do).
    #[error("infeasible: {0}")]
    Infeasible(String),
    /// The city or scenario could not be loaded or simulated.
    #[error("{0}")]
    Cascade(#[from] lifeline_cascade::CascadeError),
    /// The exact model could not be solved.
    #[error("exact model: {0}")]
    Solver(String),
}
