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

    /// Every problem of the error, each located: the input's problems, or the error
    /// itself as a problem of `file`.
    pub fn into_problems(self, file: &std::path::Path) -> Vec<Problem> {
        match self {
            CascadeError::Invalid(problems) => problems,
            other => vec![Problem::in_file(
                file.display().to_string(),
                other.to_string(),
            )],
        }
    }
}
