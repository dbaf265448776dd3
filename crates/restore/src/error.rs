//! The error type of restoration planning.
//!
//! Errors about the request carry the request field they are about (`field`, snake_case
//! as in the JSON documents and the scenario file: `crews`, `planner`, `time_limit_s`,
//! `precedence`, `strike`, `travel_h`, `duration_h`), so a caller can point at it in its
//! own terms (a command-line flag, a JSON field). Messages name no command-line flag.

use crate::instance::Skill;
use lifeline_cascade::CascadeError;
use lifeline_power::PowerError;
use serde::Serialize;

/// Why a restoration problem cannot be planned, or a plan not evaluated.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RestoreError {
    /// A job's repair time is negative or not a number.
    #[error(
        "invalid restoration problem: {asset}: repair duration must be 0 h or more, got {duration_h}"
    )]
    NegativeDuration {
        /// `duration_h`.
        field: &'static str,
        /// The job's asset.
        asset: String,
        /// The repair time given, h.
        duration_h: f64,
    },
    /// A crew can do none of the jobs.
    #[error(
        "invalid restoration problem: crew '{crew}' has no skill matching any job ({})",
        skills_text(.skills)
    )]
    IdleCrew {
        /// `crews`.
        field: &'static str,
        /// The crew's id.
        crew: String,
        /// Its skills.
        skills: Vec<Skill>,
    },
    /// Travel times are not one row per crew and one column per job.
    #[error(
        "invalid restoration problem: travel times must have one row per crew and one column per job ({crews} crews, {jobs} jobs)"
    )]
    TravelShape {
        /// `travel_h`.
        field: &'static str,
        /// Crews.
        crews: usize,
        /// Jobs.
        jobs: usize,
    },
    /// A travel time is negative or not a number.
    #[error(
        "invalid restoration problem: travel times must be finite and 0 h or more, got {travel_h} from crew {crew} to job {job}"
    )]
    NegativeTravel {
        /// `travel_h`.
        field: &'static str,
        /// Crew index.
        crew: usize,
        /// Job index.
        job: usize,
        /// The time given, h.
        travel_h: f64,
    },
    /// A precedence pair names a job that does not exist, or the same job twice.
    #[error(
        "invalid restoration problem: precedence ({before}, {after}) names no pair of distinct jobs"
    )]
    UnknownPrecedence {
        /// `precedence`.
        field: &'static str,
        /// The job that goes first, index.
        before: usize,
        /// The job that waits, index.
        after: usize,
    },
    /// The precedence pairs go round in a circle.
    #[error(
        "invalid restoration problem: precedence has a cycle: {} → {}",
        .assets.join(" → "),
        .assets.first().map_or("", String::as_str)
    )]
    PrecedenceCycle {
        /// `precedence`.
        field: &'static str,
        /// The assets on the cycle, in order.
        assets: Vec<String>,
    },
    /// A scenario strikes one asset twice.
    #[error(
        "invalid restoration problem: {asset} is struck twice (lines {first_line} and {second_line}): restoration plans one repair per asset"
    )]
    StruckTwice {
        /// `strike`.
        field: &'static str,
        /// The asset.
        asset: String,
        /// Line of the first strike in the scenario file.
        first_line: usize,
        /// Line of the second.
        second_line: usize,
    },
    /// There is no crew to plan for.
    #[error("infeasible: {reason}")]
    NoCrews {
        /// `crews`.
        field: &'static str,
        /// Why (none given, 0 asked for, none in the city).
        reason: &'static str,
    },
    /// Jobs no crew has the skill for.
    #[error("infeasible: no crew has the skill to repair {}", needs_text(.needs))]
    Unrepairable {
        /// `crews`.
        field: &'static str,
        /// Each such job's asset and the skill it needs.
        needs: Vec<(String, Skill)>,
    },
    /// The exact model was asked for more jobs than it takes.
    #[error(
        "the exact model takes at most {max_jobs} damaged assets, this problem has {jobs}: the best planner takes any number"
    )]
    TooLargeForExact {
        /// `planner`.
        field: &'static str,
        /// Damaged assets of the problem.
        jobs: usize,
        /// The most the exact model takes.
        max_jobs: usize,
    },
    /// The search time limit is not a positive number of seconds.
    #[error("the search time limit must be a finite number of seconds above 0, got {time_limit_s}")]
    TimeLimit {
        /// `time_limit_s`.
        field: &'static str,
        /// The limit given, s.
        time_limit_s: f64,
    },
    /// The city or scenario could not be loaded or simulated.
    #[error("{0}")]
    Cascade(#[from] CascadeError),
    /// A grid solve of the surrogate or of the assets' cost rates failed: the plan (or
    /// the problem) has no cost.
    #[error("{}grid solve with {} out failed: {error}", at_text(*.at_h), assets_text(.assets_out))]
    GridSolve {
        /// When in the plan, h (none for the assets' cost rates).
        at_h: Option<f64>,
        /// The assets out.
        assets_out: Vec<String>,
        /// Why.
        error: PowerError,
    },
    /// The exact model could not be solved.
    #[error("exact model: {0}")]
    Solver(String),
    /// No plan could be handed out: the planners asked for (or every dispatch rule, the
    /// baseline of every comparison) failed their evaluation.
    #[error("no plan to hand out: {}", failures_text(.failures))]
    NotEvaluated {
        /// Every plan that failed, and why.
        failures: Vec<PlanFailure>,
    },
}

/// A plan that could not be evaluated: it is reported, never ranked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanFailure {
    /// The planner's name (`priority`, `best`, `exact`, ...).
    pub planner: String,
    /// Why its plan has no cost.
    pub error: String,
}

impl std::fmt::Display for PlanFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.planner, self.error)
    }
}

impl RestoreError {
    /// The request field the error is about (snake_case, as in the JSON documents and
    /// the scenario file), if it is about one.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            RestoreError::NegativeDuration { field, .. }
            | RestoreError::IdleCrew { field, .. }
            | RestoreError::TravelShape { field, .. }
            | RestoreError::NegativeTravel { field, .. }
            | RestoreError::UnknownPrecedence { field, .. }
            | RestoreError::PrecedenceCycle { field, .. }
            | RestoreError::StruckTwice { field, .. }
            | RestoreError::NoCrews { field, .. }
            | RestoreError::Unrepairable { field, .. }
            | RestoreError::TooLargeForExact { field, .. }
            | RestoreError::TimeLimit { field, .. } => Some(field),
            RestoreError::Cascade(_)
            | RestoreError::GridSolve { .. }
            | RestoreError::Solver(_)
            | RestoreError::NotEvaluated { .. } => None,
        }
    }

    /// Whether the error is the caller's cancellation rather than a problem of a plan.
    pub fn is_cancelled(&self) -> bool {
        matches!(self, RestoreError::Cascade(CascadeError::Cancelled { .. }))
    }
}

fn skills_text(skills: &[Skill]) -> String {
    if skills.is_empty() {
        return "it has no skills".to_string();
    }
    let names: Vec<String> = skills.iter().map(ToString::to_string).collect();
    format!("it repairs {}", names.join(" and "))
}

fn needs_text(needs: &[(String, Skill)]) -> String {
    let items: Vec<String> = needs
        .iter()
        .map(|(asset, skill)| format!("{asset} (needs {skill})"))
        .collect();
    items.join(", ")
}

fn at_text(at_h: Option<f64>) -> String {
    at_h.map(|h| format!("at {h} h: ")).unwrap_or_default()
}

fn assets_text(assets: &[String]) -> String {
    if assets.is_empty() {
        "nothing".to_string()
    } else {
        assets.join(", ")
    }
}

fn failures_text(failures: &[PlanFailure]) -> String {
    let items: Vec<String> = failures.iter().map(ToString::to_string).collect();
    items.join("; ")
}
