//! The true cost of a plan: the cascade run with each asset repaired when the plan says,
//! weighted (see the module docs of [`crate::city`]).

use super::power::facility_kind;
use super::problem::CityProblem;
use crate::error::RestoreError;
use crate::instance::Instance;
use crate::objective::Objective;
use crate::plan::Plan;
use lifeline_cascade::city::City;
use lifeline_cascade::result::CascadeResult;
use lifeline_cascade::simulate_shared;

/// The weighted cost of a cascade result: `homes` per customer-hour without power and
/// per person-hour without water, each facility kind per hour without power,
/// `pump_station` per hour a station is stopped.
pub fn weighted_cost(city: &City, result: &CascadeResult) -> f64 {
    let w = &city.restoration;
    let homes = w.weight("homes");
    let mut cost = homes
        * (result.summary.customer_hours_without_power + result.summary.person_hours_without_water);
    let horizon = result.horizon_h;
    let hours_in = |asset: &str, bad: &dyn Fn(&str) -> bool| -> f64 {
        result
            .asset(asset)
            .map_or(0.0, |timeline| timeline.hours_where(horizon, bad))
    };
    for f in &city.facilities {
        cost += w.weight(facility_kind(f.kind))
            * hours_in(&format!("facility:{}", f.id), &|s| {
                s.starts_with("no_power")
            });
    }
    let station = w.weight("pump_station");
    for s in &city.pump_stations {
        cost += station
            * hours_in(&format!("pump_station:{}", s.id), &|s| {
                !matches!(s, "grid" | "backup")
            });
    }
    cost
}

/// The true cost: the cascade run with the plan's repair times, over a fixed horizon.
pub struct CascadeCost<'p, 'a> {
    problem: &'p CityProblem<'a>,
    horizon_s: i64,
}

impl<'p, 'a> CascadeCost<'p, 'a> {
    /// Evaluates plans of `problem` over `horizon_s`, s (see
    /// [`CityProblem::horizon_s`]).
    pub fn new(problem: &'p CityProblem<'a>, horizon_s: i64) -> Self {
        Self { problem, horizon_s }
    }

    /// The problem plans are run for.
    pub fn problem(&self) -> &'p CityProblem<'a> {
        self.problem
    }

    /// The horizon every plan is run over, s.
    pub fn horizon_s(&self) -> i64 {
        self.horizon_s
    }

    /// The city plans are run on.
    pub fn city(&self) -> &'a lifeline_cascade::city::City {
        self.problem.city
    }

    /// The cascade result of `plan`.
    pub fn run(&self, plan: &Plan) -> Result<CascadeResult, RestoreError> {
        let scenario = self.problem.scenario_for(plan, self.horizon_s);
        Ok(simulate_shared(
            self.problem.city,
            &scenario,
            &mut |_, _| {},
            self.problem.cancel,
            &self.problem.water,
        )?)
    }
}

impl CascadeCost<'_, '_> {
    /// The cascade results of `plans`, in their order, as one batch: side by side on
    /// the current pool, their water runs sharing what comes before their first
    /// different repair; `done` after each.
    pub fn run_all(
        &self,
        plans: &[&Plan],
        done: &(dyn Fn() + Sync),
    ) -> Vec<Result<CascadeResult, RestoreError>> {
        let scenarios: Vec<_> = plans
            .iter()
            .map(|plan| self.problem.scenario_for(plan, self.horizon_s))
            .collect();
        run_batch(self.problem, &scenarios, done)
    }
}

/// `scenarios` through the cascade as one batch (see [`lifeline_cascade::simulate_batch`]),
/// with the problem's water runs and cancel flag: one result per scenario, a failure of
/// what they all need given to each.
pub(crate) fn run_batch(
    problem: &CityProblem<'_>,
    scenarios: &[lifeline_cascade::Scenario],
    done: &(dyn Fn() + Sync),
) -> Vec<Result<CascadeResult, RestoreError>> {
    match lifeline_cascade::simulate_batch_cancellable(
        problem.city,
        scenarios,
        &problem.water,
        done,
        problem.cancel,
    ) {
        Ok(runs) => runs
            .into_iter()
            .map(|run| run.map_err(RestoreError::from))
            .collect(),
        // What every run needs failed (the grid, a normal day, or the caller cancelled).
        Err(error) => {
            let error = RestoreError::from(error);
            scenarios.iter().map(|_| Err(error.clone())).collect()
        }
    }
}

impl Objective for CascadeCost<'_, '_> {
    /// The weighted cost of the plan's cascade run; the run's error when it fails.
    fn cost(&self, _instance: &Instance, plan: &Plan) -> Result<f64, RestoreError> {
        Ok(weighted_cost(self.problem.city, &self.run(plan)?))
    }
}
