//! What a plan costs.

use crate::instance::Instance;
use crate::plan::Plan;

/// The cost of a plan (lower is better): weighted hours without service.
pub trait Objective: Sync {
    /// The cost of `plan` for `instance`.
    fn cost(&self, instance: &Instance, plan: &Plan) -> f64;
}

/// Each job costs its weight for every hour from its release until it is repaired:
/// Σ w·(C − r). Exact when assets act independently (the generated instances, and the
/// exact model); for a city the weights are each asset's own cost rate.
#[derive(Debug, Clone, Copy, Default)]
pub struct Additive;

impl Objective for Additive {
    fn cost(&self, instance: &Instance, plan: &Plan) -> f64 {
        plan.assignments
            .iter()
            .map(|a| {
                let job = &instance.jobs[a.job];
                job.weight * (a.end_h - job.release_h)
            })
            .sum()
    }
}
