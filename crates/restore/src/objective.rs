//! What a plan costs.

use crate::error::RestoreError;
use crate::instance::Instance;
use crate::plan::Plan;

/// The cost of a plan (lower is better): weighted hours without service.
///
/// An evaluation that fails (a cascade run or grid solve that fails) is an error, never
/// a cost: planners stop and report it rather than rank the plan.
pub trait Objective: Sync {
    /// The cost of `plan` for `instance`.
    fn cost(&self, instance: &Instance, plan: &Plan) -> Result<f64, RestoreError>;
}

/// Each job costs its weight for every hour from its release until it is repaired:
/// Σ w·(C − r). Exact when assets act independently (the generated instances, and the
/// exact model); for a city the weights are each asset's own cost rate.
#[derive(Debug, Clone, Copy, Default)]
pub struct Additive;

impl Additive {
    /// The additive cost of `plan`, weight × h; it cannot fail.
    pub fn total(&self, instance: &Instance, plan: &Plan) -> f64 {
        plan.assignments
            .iter()
            .map(|a| {
                let job = &instance.jobs[a.job];
                job.weight * (a.end_h - job.release_h)
            })
            .sum()
    }
}

impl Objective for Additive {
    fn cost(&self, instance: &Instance, plan: &Plan) -> Result<f64, RestoreError> {
        Ok(self.total(instance, plan))
    }
}
