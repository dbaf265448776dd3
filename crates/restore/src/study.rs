//! A restoration study of a city: every planner on the same problem, each plan run
//! through the cascade, side by side.
//!
//! A plan whose evaluation fails (its planner's model, or its cascade run) is reported
//! with the planner's name and the error, and never ranked; the study fails only when
//! the caller cancels it, when the run with unlimited crews fails, or when nothing is
//! left to hand out.

use crate::city::{CascadeCost, CityProblem, Surrogate, SurrogateReport, weighted_cost};
use crate::error::{PlanFailure, RestoreError};
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
    /// The strong planner's plan (or a rule's, if the full evaluation ranks it better,
    /// or if the strong plan could not be evaluated).
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
    /// Every planner whose plan was evaluated, in the order run: the ranked ones.
    pub planners: Vec<PlannerRow>,
    /// Each ranked planner's plan, in the same order.
    pub plans: Vec<Plan>,
    /// Each ranked plan's cascade run, in the same order.
    pub results: Vec<CascadeResult>,
    /// Planners whose plan could not be evaluated (in the order run), and why: not
    /// ranked, not in `planners`.
    pub failed: Vec<PlanFailure>,
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
    /// What the surrogate did (zeros when the planners searched with another model).
    pub surrogate: SurrogateReport,
}

/// A planner's outcome before the cascade: its plan, or why it has none.
struct Attempt {
    name: String,
    outcome: Result<Planned, RestoreError>,
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
    check_choice(problem, choice)?;
    let with_exact = problem.instance.jobs.len() <= exact::MAX_JOBS;
    // Calibration, search, then a cascade run for unlimited crews and for each plan.
    let total = 2 + 1 + BASELINES.len() + 1 + usize::from(with_exact);
    let done = AtomicUsize::new(0);
    let step = || progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
    let started = Instant::now();
    let surrogate = Surrogate::new(problem)?;
    step();
    let mut study = compare(problem, choice, search, &surrogate, &step, started)?;
    study.surrogate = surrogate.report();
    Ok(study)
}

/// [`run`] with the planners searching with `planning` instead of the surrogate (the
/// exact model keeps the additive objective); plans are still judged by the cascade.
pub fn run_with_objective(
    problem: &CityProblem<'_>,
    choice: Choice,
    search: SearchOptions,
    planning: &dyn Objective,
) -> Result<Study, RestoreError> {
    check_choice(problem, choice)?;
    compare(problem, choice, search, planning, &|| {}, Instant::now())
}

/// The exact model takes at most [`exact::MAX_JOBS`] jobs.
fn check_choice(problem: &CityProblem<'_>, choice: Choice) -> Result<(), RestoreError> {
    let jobs = problem.instance.jobs.len();
    if choice == Choice::Exact && jobs > exact::MAX_JOBS {
        return Err(RestoreError::TooLargeForExact {
            field: "planner",
            jobs,
            max_jobs: exact::MAX_JOBS,
        });
    }
    Ok(())
}

/// Every planner with `planning`, each plan through the cascade, side by side.
fn compare(
    problem: &CityProblem<'_>,
    choice: Choice,
    search: SearchOptions,
    planning: &dyn Objective,
    step: &(dyn Fn() + Sync),
    started: Instant,
) -> Result<Study, RestoreError> {
    let attempts = plan_all(problem, planning, search);
    step();
    let plans: Vec<&Plan> = attempts
        .iter()
        .filter_map(|a| a.outcome.as_ref().ok().map(|p| &p.plan))
        .collect();
    let horizon_s = problem.horizon_for(&plans);
    let (unlimited, evaluated) = evaluate(problem, horizon_s, attempts, step)?;
    let mut study = rank(problem, evaluated);
    let (chosen, best_rule) = choose(choice, &study.planners, &study.failed)?;
    study.chosen = chosen;
    study.best_rule = best_rule;
    study.horizon_s = horizon_s;
    study.unlimited_crews = weighted_cost(problem.city, &unlimited);
    study.evaluation_ms = started.elapsed().as_secs_f64() * 1e3
        - study.planners.iter().map(|r| r.runtime_ms).sum::<f64>();
    Ok(study)
}

/// The dispatch rules and the strong planner with `planning`, and the exact model on
/// small problems: each planner's plan or its error.
fn plan_all(
    problem: &CityProblem<'_>,
    planning: &dyn Objective,
    search: SearchOptions,
) -> Vec<Attempt> {
    let instance = &problem.instance;
    let mut attempts: Vec<Attempt> = BASELINES
        .iter()
        .map(|&rule| Attempt {
            name: rule.name().to_string(),
            outcome: planners::by_rule(instance, planning, rule),
        })
        .collect();
    attempts.push(Attempt {
        name: "best".to_string(),
        outcome: planners::strong(instance, planning, search),
    });
    if instance.jobs.len() <= exact::MAX_JOBS {
        let outcome = exact::solve(instance, Duration::from_secs(30)).map(|mut solved| {
            solved.objective = Additive.total(instance, &solved.plan);
            solved
        });
        attempts.push(Attempt {
            name: "exact".to_string(),
            outcome,
        });
    }
    attempts
}

/// A planner's outcome after the cascade: its plan and run, or why it has none.
struct Evaluated {
    name: String,
    outcome: Result<(Planned, CascadeResult), RestoreError>,
}

/// The cascade runs over `horizon_s` of unlimited crews (every repair starting when its
/// asset is hit) and of each attempt's plan, in parallel; `step` after each (and once for
/// each attempt without a plan). Fails when the unlimited crews' run fails or any run is
/// cancelled; a plan's own failure is its attempt's.
fn evaluate(
    problem: &CityProblem<'_>,
    horizon_s: i64,
    attempts: Vec<Attempt>,
    step: &(dyn Fn() + Sync),
) -> Result<(CascadeResult, Vec<Evaluated>), RestoreError> {
    let truth = CascadeCost::new(problem, horizon_s);
    let mut unlimited = problem.scenario.clone();
    unlimited.horizon_s = horizon_s;
    let (unlimited, evaluated) = rayon::join(
        || {
            let run = lifeline_cascade::simulate_cancellable(
                problem.city,
                &unlimited,
                &mut |_, _| {},
                problem.cancel,
            );
            step();
            run
        },
        || {
            attempts
                .into_par_iter()
                .map(|Attempt { name, outcome }| {
                    let outcome = outcome.and_then(|planned| {
                        let result = truth.run(&planned.plan)?;
                        Ok((planned, result))
                    });
                    step();
                    Evaluated { name, outcome }
                })
                .collect::<Vec<Evaluated>>()
        },
    );
    let cancelled = evaluated
        .iter()
        .find_map(|e| e.outcome.as_ref().err().filter(|e| e.is_cancelled()));
    if let Some(cancelled) = cancelled {
        return Err(cancelled.clone());
    }
    Ok((unlimited?, evaluated))
}

/// The ranked planners (plan and cascade run both there) and the failed ones, in the
/// order run; the choice is left to [`choose`].
fn rank(problem: &CityProblem<'_>, evaluated: Vec<Evaluated>) -> Study {
    let mut study = Study {
        planners: Vec::new(),
        plans: Vec::new(),
        results: Vec::new(),
        failed: Vec::new(),
        chosen: 0,
        best_rule: 0,
        horizon_s: 0,
        unlimited_crews: 0.0,
        evaluation_ms: 0.0,
        surrogate: SurrogateReport::default(),
    };
    for Evaluated { name, outcome } in evaluated {
        match outcome {
            Ok((planned, result)) => {
                study.planners.push(PlannerRow {
                    name,
                    objective: weighted_cost(problem.city, &result),
                    planning_objective: planned.objective,
                    runtime_ms: planned.runtime_ms,
                    makespan_h: planned.plan.makespan_h(),
                    lower_bound: planned.lower_bound,
                    evaluations: planned.evaluations,
                });
                study.plans.push(planned.plan);
                study.results.push(result);
            }
            Err(error) => study.failed.push(PlanFailure {
                planner: name,
                error: error.to_string(),
            }),
        }
    }
    study
}

/// The plan handed out and the best dispatch rule (indices into `rows`): fails when no
/// dispatch rule, or none of the planners `choice` asks for, was ranked.
fn choose(
    choice: Choice,
    rows: &[PlannerRow],
    failed: &[PlanFailure],
) -> Result<(usize, usize), RestoreError> {
    let best_of = |names: &[&str]| -> Option<usize> {
        (0..rows.len())
            .filter(|&i| names.contains(&rows[i].name.as_str()))
            .min_by(|&a, &b| rows[a].objective.total_cmp(&rows[b].objective))
    };
    let nothing = || RestoreError::NotEvaluated {
        failures: failed.to_vec(),
    };
    let rules: Vec<&str> = BASELINES.iter().map(|r| r.name()).collect();
    let best_rule = best_of(&rules).ok_or_else(nothing)?;
    let chosen = match choice {
        Choice::Greedy => best_rule,
        Choice::Exact => best_of(&["exact"]).ok_or_else(nothing)?,
        // The strong plan, unless a rule's is strictly better in the cascade.
        Choice::Best => {
            let best = best_of(&["best"]).unwrap_or(best_rule);
            if rows[best_rule].objective < rows[best].objective * (1.0 - 1e-12) {
                best_rule
            } else {
                best
            }
        }
    };
    Ok((chosen, best_rule))
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
    /// Planners whose plan could not be evaluated, and why (not in `planners`).
    pub failed: Vec<PlanFailure>,
    /// What the surrogate did: plans costed, grid solves failed or not converged.
    pub surrogate: SurrogateReport,
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
            failed: self.failed.clone(),
            surrogate: self.surrogate,
        }
    }
}
