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
    /// The in-service branches of the case as written leave buses cut off from the slack
    /// bus: a power flow of the whole case has no solution there.
    #[error(
        "the grid is split: {} cut off from the slack bus by out-of-service branches, so the case as written has no power flow; give the cut-off buses type 4 (isolated), or solve the case under outages, which solves each island on its own and leaves one without generation dark",
        describe_islands(islands)
    )]
    Islanded {
        /// Bus ids of each island without the slack bus.
        islands: Vec<Vec<BusId>>,
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

/// `bus 14 is` / `buses 12, 13 and 14 are` / `2 islands (buses …; bus …) are`.
fn describe_islands(islands: &[Vec<BusId>]) -> String {
    let list = |buses: &[BusId]| {
        let shown: Vec<String> = buses.iter().take(20).map(ToString::to_string).collect();
        let more = buses.len().saturating_sub(20);
        let tail = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        match buses.len() {
            1 => format!("bus {}", shown[0]),
            _ => format!("buses {}{tail}", shown.join(", ")),
        }
    };
    match islands {
        [one] if one.len() == 1 => format!("{} is", list(one)),
        [one] => format!("{} are", list(one)),
        many => format!(
            "{} islands ({}) are",
            many.len(),
            many.iter().map(|i| list(i)).collect::<Vec<_>>().join("; ")
        ),
    }
}
