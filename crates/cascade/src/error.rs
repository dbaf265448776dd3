//! The error type of the cascade crate.

use crate::source::Problem;

/// Why a city or scenario could not be loaded or simulated.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CascadeError {
    /// The input files have problems; every one found is listed.
    #[error("{}", list(.0))]
    Invalid(Vec<Problem>),
    /// The grid could not be solved.
    #[error("power: {0}")]
    Power(#[from] lifeline_power::PowerError),
    /// The water network could not be simulated.
    #[error("water: {0}")]
    Water(#[from] lifeline_water::WaterError),
    /// The run was cancelled by its caller.
    #[error("cancelled at {at_s} s of simulated time")]
    Cancelled {
        /// How far the run had got, s.
        at_s: i64,
    },
}

fn list(problems: &[Problem]) -> String {
    let mut text = String::new();
    for (i, problem) in problems.iter().enumerate() {
        if i > 0 {
            text.push('\n');
        }
        text.push_str(&problem.to_string());
    }
    text
}

impl CascadeError {
    /// The problems, if this error is about the input files.
    pub fn problems(&self) -> &[Problem] {
        match self {
            CascadeError::Invalid(problems) => problems,
            _ => &[],
        }
    }
}
