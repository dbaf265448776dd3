//! The error type of the power engine (reading errors live in [`crate::matpower`]).

use crate::bus::BusId;
use crate::case::CaseProblem;

/// Why a power computation could not be carried out. Non-convergence is *not* an error:
/// it is a [`crate::SolveStatus`] in the result.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PowerError {
    /// The case breaks an invariant of [`crate::Case`].
    #[error("invalid case: {0}")]
    InvalidCase(#[from] CaseProblem),
    /// No bus can act as slack: no slack bus with a generator in service and no PV bus.
    #[error(
        "no slack bus: expected a bus of type 3 with a generator in service, or a type-2 bus to take its place"
    )]
    NoSlack,
    /// An outage names a bus the case does not have.
    #[error("outage names bus {bus}, which is not in the case{suggestion}")]
    UnknownBus {
        /// The unknown bus number.
        bus: BusId,
        /// ", did you mean ..." or empty.
        suggestion: String,
    },
    /// An outage names a branch or generator position outside the case.
    #[error("outage names {element} {number}, but the case has {count} (numbered from 1)")]
    UnknownElement {
        /// `branch` or `generator`.
        element: &'static str,
        /// 1-based number given.
        number: usize,
        /// How many the case has.
        count: usize,
    },
    /// The Jacobian or the DC susceptance matrix could not be factored.
    #[error("singular matrix in {stage}: {detail}")]
    Singular {
        /// Where: `DC power flow`, `Newton iteration 3`, ...
        stage: String,
        /// The solver's explanation.
        detail: String,
    },
}
