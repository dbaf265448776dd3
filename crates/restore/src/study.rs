//! A restoration study of a city: every planner on the same problem, each plan run
//! through the cascade, side by side.

use crate::city::{CascadeCost, CityProblem, Surrogate, weighted_cost};
use crate::error::RestoreError;
use crate::exact;
use crate::instance::Skill;
use crate::objective::{Additive, Objective};
use crate::plan::Plan;
use crate::planners::{self, BASELINES, Planned, SearchOptions};
use lifeline_cascade::result::CascadeResult;
use rayon::prelude::*;
use serde::Serialize;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Which plan a study hands out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    /// The strong planner's plan (or a rule's, if the full evaluation ranks it better).
    Best,
    /// The best of the dispatch rules.
    Greedy,
    /// The exact model's plan (at most [`exact::MAX_JOBS`] damaged assets).
    Exact,
}

/// One planner's line in the comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlannerRow {
    /// Planner name: `priority`, `largest_load`, `shortest_repair`, `best`, `exact`.
    pub name: String,
    /// Weighted cost of its plan in the full cascade.
    pub objective: f64,
    /// Its cost in the model the planner searched with (the surrogate; the additive
    /// model for `exact`).
    pub planning_objective: f64,
    /// Planning time, ms (evaluation not included).
    pub runtime_ms: f64,
    /// When everything is repaired, h.
    pub makespan_h: f64,
    /// For `exact`: the proven optimum of the additive model.
    pub lower_bound: Option<f64>,
    /// Plans the planner evaluated with its model.
    pub evaluations: usize,
}

/// The outcome of a study.
#[derive(Debug, Clone)]
pub struct Study {
    /// Every planner, in the order run.
    pub planners: Vec<PlannerRow>,
    /// Each planner's plan, in the same order.
    pub plans: Vec<Plan>,
    /// Each plan's cascade run, in the same order.
    pub results: Vec<CascadeResult>,
    /// Index of the plan handed out.
    pub chosen: usize,
    /// Index of the best dispatch rule.
    pub best_rule: usize,
    /// The evaluation horizon, s (covers every plan and 12 h of refilling).
    pub horizon_s: i64,
    /// Weighted cost if every repair started when its asset was hit (unlimited crews, no
    /// travel): no plan can do better.
    pub unlimited_crews: f64,
    /// Time spent calibrating the surrogate and evaluating plans, ms.
    pub evaluation_ms: f64,
}

/// Runs every planner on `problem` and evaluates their plans.
pub fn run(
    problem: &CityProblem<'_>,
    choice: Choice,
    search: SearchOptions,
) -> Result<Study, RestoreError> {
    run_with_progress(problem, choice, search, &|_, _| {})
}

/// [`run`], calling `progress(done, total)` as its steps end: the surrogate's calibration,
/// the search, and each cascade run.
///
/// Every plan's cost is a cascade run over one horizon that covers every plan, so the
/// runs wait for the last plan (the strong planner's); they then run side by side.
pub fn run_with_progress(
    problem: &CityProblem<'_>,
    choice: Choice,
    search: SearchOptions,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Study, RestoreError> {
    let instance = &problem.instance;
    if choice == Choice::Exact && instance.jobs.len() > exact::MAX_JOBS {
        return Err(RestoreError::Invalid(format!(
            "the exact model takes at most {} damaged assets, this scenario has {}: use --planner best",
            exact::MAX_JOBS,
            instance.jobs.len()
        )));
    }
    let with_exact = instance.jobs.len() <= exact::MAX_JOBS;
    // Calibration, search, then a cascade run for unlimited crews and for each plan.
    let total = 2 + 1 + BASELINES.len() + 1 + usize::from(with_exact);
    let done = AtomicUsize::new(0);
    let step = || progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
    let started = Instant::now();
    let surrogate = Surrogate::new(problem)?;
    step();
    let mut planned: Vec<Planned> = BASELINES
        .iter()
        .map(|&rule| planners::by_rule(instance, &surrogate, rule))
        .collect();
    planned.push(planners::strong(instance, &surrogate, search));
    if with_exact {
        let mut solved = exact::solve(instance, Duration::from_secs(30))?;
        solved.objective = Additive.cost(instance, &solved.plan);
        planned.push(solved);
    }
    step();
    let plans: Vec<&Plan> = planned.iter().map(|p| &p.plan).collect();
    let horizon_s = problem.horizon_for(&plans);
    let mut runs = evaluate(problem, horizon_s, &plans, &step)?;
    // `runs`: the unlimited crews' run, then the plans' in order.
    let unlimited_crews = weighted_cost(problem.city, &runs.remove(0));
    let rows: Vec<PlannerRow> = planned
        .iter()
        .zip(&runs)
        .map(|(p, result)| PlannerRow {
            name: p.name.clone(),
            objective: weighted_cost(problem.city, result),
            planning_objective: p.objective,
            runtime_ms: p.runtime_ms,
            makespan_h: p.plan.makespan_h(),
            lower_bound: p.lower_bound,
            evaluations: p.evaluations,
        })
        .collect();
    let best_of = |names: &[&str]| -> usize {
        (0..rows.len())
            .filter(|&i| names.contains(&rows[i].name.as_str()))
            .min_by(|&a, &b| rows[a].objective.total_cmp(&rows[b].objective))
            .unwrap_or(0)
    };
    let rules: Vec<&str> = BASELINES.iter().map(|r| r.name()).collect();
    let best_rule = best_of(&rules);
    let chosen = match choice {
        Choice::Greedy => best_rule,
        Choice::Exact => best_of(&["exact"]),
        // The strong plan, unless a rule's is strictly better in the cascade.
        Choice::Best => {
            let best = best_of(&["best"]);
            if rows[best_rule].objective < rows[best].objective * (1.0 - 1e-12) {
                best_rule
            } else {
                best
            }
        }
    };
    Ok(Study {
        evaluation_ms: started.elapsed().as_secs_f64() * 1e3
            - rows.iter().map(|r| r.runtime_ms).sum::<f64>(),
        planners: rows,
        plans: planned.into_iter().map(|p| p.plan).collect(),
        results: runs,
        chosen,
        best_rule,
        horizon_s,
        unlimited_crews,
    })
}

/// The cascade runs over `horizon_s` of unlimited crews (every repair starting when its
/// asset is hit) and of each of `plans`, in parallel, in that order; `step` after each.
fn evaluate(
    problem: &CityProblem<'_>,
    horizon_s: i64,
    plans: &[&Plan],
    step: &(dyn Fn() + Sync),
) -> Result<Vec<CascadeResult>, RestoreError> {
    let truth = CascadeCost::new(problem, horizon_s);
    let mut unlimited = problem.scenario.clone();
    unlimited.horizon_s = horizon_s;
    let jobs: Vec<Option<&Plan>> = std::iter::once(None)
        .chain(plans.iter().map(|p| Some(*p)))
        .collect();
    jobs.par_iter()
        .map(|plan| {
            let run = match plan {
                Some(plan) => truth.run(plan),
                None => Ok(lifeline_cascade::simulate_cancellable(
                    problem.city,
                    &unlimited,
                    &mut |_, _| {},
                    problem.cancel,
                )?),
            };
            step();
            run
        })
        .collect()
}

/// A job of the plan handed out, by crew and asset id.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JobRow {
    /// The crew's id.
    pub crew: String,
    /// The repaired asset's id.
    pub asset: String,
    /// Its human name (`substation 12 (Centre)`).
    pub name: String,
    /// The skill the repair needs (`power` or `water`).
    pub skill: Skill,
    /// When the crew sets off, h.
    pub depart_h: f64,
    /// Time on the road, h; the crew then waits until `start_h` (for a repair the job
    /// depends on) when that is later.
    pub travel_h: f64,
    /// When the repair starts, h.
    pub start_h: f64,
    /// When the asset is back, h.
    pub end_h: f64,
}

/// A point of the restoration curve of the plan handed out.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CurvePoint {
    /// Time, h.
    pub t_h: f64,
    /// Customers with power.
    pub customers_with_power: u64,
    /// People with water.
    pub people_with_water: u64,
}

/// A study as `lifeline restore --json` and the HTTP API give it.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    /// The city's name.
    pub city: String,
    /// The scenario's name.
    pub scenario: String,
    /// The crews' ids.
    pub crews: Vec<String>,
    /// Assets to repair.
    pub damaged_assets: usize,
    /// The evaluation horizon, h.
    pub horizon_h: f64,
    /// The planner whose plan is handed out.
    pub chosen: String,
    /// The best dispatch rule.
    pub best_rule: String,
    /// Weighted cost with unlimited crews (every repair starting at its strike).
    pub unlimited_crews: f64,
    /// Every planner side by side.
    pub planners: Vec<PlannerRow>,
    /// The chosen plan's jobs, by crew and start.
    pub jobs: Vec<JobRow>,
    /// The chosen plan's restoration curve.
    pub curve: Vec<CurvePoint>,
    /// Time spent evaluating plans, ms.
    pub evaluation_ms: f64,
}

impl Study {
    /// The chosen plan's jobs, by crew and start.
    pub fn jobs(&self, problem: &CityProblem<'_>) -> Vec<JobRow> {
        let instance = &problem.instance;
        let mut jobs: Vec<JobRow> = self.plans[self.chosen]
            .assignments
            .iter()
            .map(|a| JobRow {
                crew: instance.crews[a.crew].id.clone(),
                asset: instance.jobs[a.job].asset.clone(),
                name: problem.job_name(a.job),
                skill: instance.jobs[a.job].skill,
                depart_h: a.depart_h,
                travel_h: instance.travel_h[a.crew][a.job],
                start_h: a.start_h,
                end_h: a.end_h,
            })
            .collect();
        jobs.sort_by(|a, b| a.crew.cmp(&b.crew).then(a.start_h.total_cmp(&b.start_h)));
        jobs
    }

    /// The chosen plan's restoration curve.
    pub fn curve(&self) -> Vec<CurvePoint> {
        let result = &self.results[self.chosen];
        let power = result.customers_without_power();
        let water = result.people_without_water();
        result
            .times_h
            .iter()
            .enumerate()
            .map(|(k, &t_h)| CurvePoint {
                t_h,
                customers_with_power: result.summary.customers.saturating_sub(power[k]),
                people_with_water: result.summary.population.saturating_sub(water[k]),
            })
            .collect()
    }

    /// The study as one document.
    pub fn document(&self, problem: &CityProblem<'_>) -> Document {
        let instance = &problem.instance;
        Document {
            city: problem.city.name.clone(),
            scenario: problem.scenario.name.clone(),
            crews: instance.crews.iter().map(|c| c.id.clone()).collect(),
            damaged_assets: instance.jobs.len(),
            horizon_h: self.horizon_s as f64 / 3600.0,
            chosen: self.planners[self.chosen].name.clone(),
            best_rule: self.planners[self.best_rule].name.clone(),
            unlimited_crews: self.unlimited_crews,
            planners: self.planners.clone(),
            jobs: self.jobs(problem),
            curve: self.curve(),
            evaluation_ms: self.evaluation_ms,
        }
    }
}
