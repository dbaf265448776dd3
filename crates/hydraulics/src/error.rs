//! The error type of the native hydraulic solver.

/// One problem of an input file, at its line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputProblem {
    /// 1-based line.
    pub line: u32,
    /// The section (`JUNCTIONS`, `OPTIONS`, ...), or empty before the first section.
    pub section: String,
    /// What is wrong and what was expected, naming the field ("pipe P7: diameter
    /// 'abc' is not a number").
    pub message: String,
}

/// Why a network could not be read or solved.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum HydraulicsError {
    /// The input file has problems; every one is listed with its line.
    #[error("{}", problems.iter().map(|p| format!("{file}:{}: [{}] {}", p.line, p.section, p.message)).collect::<Vec<_>>().join("\n"))]
    Input {
        /// The input file's name as the caller gave it.
        file: String,
        /// Each problem.
        problems: Vec<InputProblem>,
    },
    /// The file is sound but asks for what only EPANET does (its pipe leakage model, a
    /// hydraulics file); every such line is listed.
    #[error("{}", problems.iter().map(|p| format!("{file}:{}: [{}] {}", p.line, p.section, p.message)).collect::<Vec<_>>().join("\n"))]
    Unsupported {
        /// The input file's name as the caller gave it.
        file: String,
        /// Each line asking for it.
        problems: Vec<InputProblem>,
    },
    /// The network cannot be solved as built (a node with no link, a junction with no
    /// path to a fixed head).
    #[error("{file}: {message}")]
    Network {
        /// The input file.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// The linear system is singular: EPANET's error 110 (ill-conditioned equations),
    /// at the node whose row failed.
    #[error(
        "{file}: the hydraulic equations could not be solved at time {time_s} s: node {node} has no path to a fixed head or the system is ill-conditioned"
    )]
    IllConditioned {
        /// The input file.
        file: String,
        /// Simulation time, s.
        time_s: i64,
        /// The node's ID.
        node: String,
    },
    /// The network did not balance and the file says `UNBALANCED STOP`.
    #[error(
        "{file}: the hydraulics did not converge at time {time_s} s after {iterations} trials (relative flow change {relative_error:e}); the file sets UNBALANCED STOP"
    )]
    Unbalanced {
        /// The input file.
        file: String,
        /// Simulation time, s.
        time_s: i64,
        /// Trials made.
        iterations: u32,
        /// Relative flow change at the last trial.
        relative_error: f64,
    },
}
