//! The error type of the water engine.

use crate::epanet::EpanetError;
use std::fmt;

/// An EPANET error located in its input file where EPANET names the offending line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputProblem {
    /// 1-based line in the input file, when the echoed line was found there.
    pub line: Option<u32>,
    /// EPANET's message for this line ("Error 203: undefined node 99 in [PIPES] section:").
    pub message: String,
    /// The line as EPANET echoed it.
    pub text: String,
}

/// Why a water computation could not be carried out. EPANET's warnings (codes 1–6) are
/// not errors: they are recorded in the simulation's warnings.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WaterError {
    /// EPANET refused the call.
    #[error("{}", describe_epanet(file, *code, message, problems))]
    Epanet {
        /// The input file.
        file: String,
        /// EPANET's error code.
        code: i32,
        /// EPANET's message for the code.
        message: String,
        /// The input lines EPANET complained about, with their line numbers.
        problems: Vec<InputProblem>,
    },
    /// Numbers of the input file that are not finite or beyond
    /// [`MAX_MAGNITUDE`](crate::inp_numbers::MAX_MAGNITUDE), which EPANET would take.
    #[error("{}", problems.iter().map(|(line, message)| format!("{file}:{line}: {message}")).collect::<Vec<_>>().join("\n"))]
    BadNumbers {
        /// The input file.
        file: String,
        /// Each problem's 1-based line and message.
        problems: Vec<(u32, String)>,
    },
    /// A link ID the network does not have.
    #[error("{file}: unknown link '{id}'{suggestion}")]
    UnknownLink {
        /// The input file.
        file: String,
        /// The unknown ID.
        id: String,
        /// ", did you mean ..." or empty.
        suggestion: String,
    },
    /// A node ID the network does not have.
    #[error("{file}: unknown node '{id}'{suggestion}")]
    UnknownNode {
        /// The input file.
        file: String,
        /// The unknown ID.
        id: String,
        /// ", did you mean ..." or empty.
        suggestion: String,
    },
    /// EPANET ended the run early: its hydraulics did not balance and the input file
    /// says `UNBALANCED STOP`.
    #[error(
        "{file}: the hydraulics did not balance at {time_s} s and the file's [OPTIONS] say UNBALANCED STOP, so EPANET ended the run; use UNBALANCED CONTINUE 10 to go on"
    )]
    Unbalanced {
        /// The input file.
        file: String,
        /// Simulation time of the unbalanced solve, s.
        time_s: i64,
    },
    /// The native hydraulic solver refused the network or could not solve it.
    #[error(transparent)]
    Native(#[from] lifeline_hydraulics::HydraulicsError),
    /// The input file could not be read.
    #[error("{file}: cannot read the file: {reason}")]
    Unreadable {
        /// The input file.
        file: String,
        /// What the operating system said.
        reason: String,
    },
    /// A request that does not fit the element (a speed for a pipe, ...).
    #[error("{file}: {message}")]
    InvalidRequest {
        /// The input file.
        file: String,
        /// What is wrong and what was expected.
        message: String,
    },
}

fn describe_epanet(file: &str, code: i32, message: &str, problems: &[InputProblem]) -> String {
    let mut lines: Vec<String> = problems
        .iter()
        .map(|problem| {
            let place = match problem.line {
                Some(line) => format!("{file}:{line}"),
                None => file.to_string(),
            };
            let echoed = problem
                .text
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            if echoed.is_empty() {
                format!("{place}: {}", problem.message)
            } else {
                format!("{place}: {}: `{echoed}`", problem.message)
            }
        })
        .collect();
    if message.starts_with("Error") {
        lines.push(format!("{file}: {message}"));
    } else {
        lines.push(format!("{file}: EPANET error {code}: {message}"));
    }
    lines.join("\n")
}

impl WaterError {
    /// Locates an EPANET error in `file`: each "Error NNN: ... in [SECTION] section:" report
    /// line followed by the echoed input line is matched to its line number in the file.
    pub(crate) fn from_epanet(file: &str, error: EpanetError) -> Self {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        let summary = format!("Error {}:", error.code);
        let mut problems = Vec::new();
        let mut lines = error.report.iter().peekable();
        while let Some(line) = lines.next() {
            let trimmed = line.trim();
            if !trimmed.starts_with("Error ") || trimmed.starts_with(&summary) {
                continue;
            }
            let section = trimmed
                .split('[')
                .nth(1)
                .and_then(|rest| rest.split(']').next())
                .map(str::to_ascii_uppercase);
            let echoed = match lines.peek() {
                Some(next) if !next.trim().starts_with("Error ") && !next.trim().is_empty() => {
                    lines.next().cloned().unwrap_or_default()
                }
                _ => String::new(),
            };
            let line = if echoed.is_empty() {
                // "network has an unconnected node with ID: 99": the node's own line.
                trimmed
                    .rsplit_once("ID:")
                    .and_then(|(_, id)| find_definition(&text, id.trim()))
            } else {
                let taken: Vec<u32> = problems
                    .iter()
                    .filter_map(|p: &InputProblem| p.line)
                    .collect();
                find_line(&text, section.as_deref(), &echoed, &taken)
            };
            problems.push(InputProblem {
                line,
                message: trimmed.trim_end_matches([':', '.']).to_string(),
                text: echoed,
            });
        }
        WaterError::Epanet {
            file: file.to_string(),
            code: error.code,
            message: error.message,
            problems,
        }
    }
}

/// The 1-based line where node or link `id` is defined (first token of a data line in a
/// node or link section).
fn find_definition(file_text: &str, id: &str) -> Option<u32> {
    const SECTIONS: &[&str] = &[
        "JUNCTIONS",
        "RESERVOIRS",
        "TANKS",
        "PIPES",
        "PUMPS",
        "VALVES",
    ];
    let mut in_section = false;
    for (number, line) in file_text.lines().enumerate() {
        let trimmed = line.trim();
        if let Some(name) = trimmed.strip_prefix('[') {
            let name = name.split(']').next().unwrap_or("").to_ascii_uppercase();
            in_section = SECTIONS.contains(&name.as_str());
            continue;
        }
        if in_section && trimmed.split_whitespace().next() == Some(id) {
            return Some(number as u32 + 1);
        }
    }
    None
}

/// The 1-based line of `file_text` that reads `echoed` (ignoring surrounding blanks),
/// preferring one inside `[section]`, and not one of `taken` (EPANET reports its errors
/// in file order, so a repeated row's second error is at the second such line).
fn find_line(file_text: &str, section: Option<&str>, echoed: &str, taken: &[u32]) -> Option<u32> {
    let wanted = echoed.trim();
    if wanted.is_empty() {
        return None;
    }
    let normalise = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let wanted = normalise(wanted);
    let mut current: Option<String> = None;
    let mut anywhere = None;
    for (number, line) in file_text.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            if normalise(trimmed) == wanted {
                return Some(number as u32 + 1);
            }
            current = trimmed
                .trim_start_matches('[')
                .split(']')
                .next()
                .map(str::to_ascii_uppercase);
            continue;
        }
        let content = normalise(trimmed.split(';').next().unwrap_or(""));
        if (content == wanted || normalise(trimmed) == wanted)
            && !taken.contains(&(number as u32 + 1))
        {
            let here = Some(number as u32 + 1);
            if section.is_none() || current.as_deref() == section {
                return here;
            }
            anywhere = anywhere.or(here);
        }
    }
    anywhere
}

impl fmt::Display for InputProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: {}", self.message),
            None => write!(f, "{}", self.message),
        }
    }
}
