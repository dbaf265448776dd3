//! A restoration study of a city: every planner on the same problem, each plan run
//! through the cascade, side by side.
//!
//! The steps: the dispatch rules' plans, the run with unlimited crews and the
//! surrogate's calibration run go through the cascade side by side, as one batch whose
//! water runs share what comes before their first different repair; the surrogate's
//! water side is fitted to the rules' cascade costs; the strong planner searches with it
//! (and the exact model plans, when asked for); the searches' plans go through the
//! cascade, and the strong planner keeps the cheapest there of its own plans and the
//! rules'. Every plan is costed over the same horizon ([`CityProblem::horizon_s`]).
//!
//! A plan whose evaluation fails (its planner's model, or its cascade run) is reported
//! with the planner's name and the error, and never ranked; the study fails only when
//! the caller cancels it, when the run with unlimited crews or the calibration fails, or
//! when no dispatch rule is left to compare with. The exact model's failure (time limit,
//! model too large) is a note, and the strong planner's plan is handed out instead.

use crate::city::cascade_cost::run_batch;
use crate::city::surrogate::calibration_scenario;
use crate::city::{CascadeCost, CityProblem, Surrogate, SurrogateReport, weighted_cost};
use crate::error::{PlanFailure, RestoreError};
use crate::exact;
use crate::instance::Skill;
use crate::objective::{Additive, Objective};
use crate::plan::{Plan, decode};
use crate::planners::{self, BASELINES, Planned, SearchOptions};
use lifeline_cascade::result::CascadeResult;
use serde::Serialize;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// A surrogate error above this share gets a note, %.
const NOTED_SURROGATE_ERROR_PCT: f64 = 10.0;

/// Which plan a study hands out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    /// The strong planner's plan: the cheapest in the cascade of its searches' plans and
    /// the rules'.
    Best,
    /// The best of the dispatch rules (the strong planner is not run).
    Greedy,
    /// The exact model's plan (at most [`exact::MAX_JOBS`] damaged assets); the strong
    /// planner's, with a note, when the model gives none.
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
    /// For `best`: the rule whose plan it kept because none of its searches' plans
    /// cost less in the cascade; `None` when the plan is its search's own.
    pub kept_rule: Option<String>,
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
    /// The evaluation horizon of every plan, s ([`CityProblem::horizon_s`]).
    pub horizon_s: i64,
    /// Weighted cost if every repair started when its asset was hit (unlimited crews, no
    /// travel): no plan can do better.
    pub unlimited_crews: f64,
    /// Time spent calibrating the surrogate and evaluating plans, ms.
    pub evaluation_ms: f64,
    /// What the surrogate did (zeros when the planners searched with another model).
    pub surrogate: SurrogateReport,
    /// What the user should know about how the plan was found: a search cut short by
    /// its time limit, a rule's plan kept, the exact model's failure, a large surrogate
    /// error.
    pub notes: Vec<String>,
}

/// A planner's outcome after the cascade: its plan and run, or why it has none.
struct Evaluated {
    name: String,
    outcome: Result<(Planned, CascadeResult), RestoreError>,
    /// For `best`: the rule whose plan it kept.
    kept_rule: Option<String>,
}

impl Evaluated {
    fn new(name: &str, outcome: Result<(Planned, CascadeResult), RestoreError>) -> Self {
        Self {
            name: name.to_string(),
            outcome,
            kept_rule: None,
        }
    }
}

/// Runs every planner on `problem` and evaluates their plans.
pub fn run(
    problem: &CityProblem<'_>,
    choice: Choice,
    search: SearchOptions,
) -> Result<Study, RestoreError> {
    run_with_progress(problem, choice, search, &|_, _| {})
}

/// [`run`], calling `progress(done, total)` as its steps end: each cascade run, the
/// surrogate's fit, the search.
pub fn run_with_progress(
    problem: &CityProblem<'_>,
    choice: Choice,
    search: SearchOptions,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Study, RestoreError> {
    check_choice(problem, choice)?;
    let searching = choice != Choice::Greedy;
    // Unlimited crews, calibration, the rules' runs, the fit; the search and its plans'
    // runs; the exact plan's run.
    let total = 2
        + BASELINES.len()
        + 1
        + if searching {
            1 + search.searches.max(1)
        } else {
            0
        }
        + usize::from(choice == Choice::Exact);
    let done = AtomicUsize::new(0);
    let step = || progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
    compare(problem, choice, search, None, &step)
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
    compare(problem, choice, search, Some(planning), &|| {})
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

/// Milliseconds since `started`.
fn ms_since(started: Instant) -> f64 {
    started.elapsed().as_secs_f64() * 1e3
}

/// The study (see the module docs), planning with `given` or, without it, the surrogate.
fn compare(
    problem: &CityProblem<'_>,
    choice: Choice,
    search: SearchOptions,
    given: Option<&dyn Objective>,
    step: &(dyn Fn() + Sync),
) -> Result<Study, RestoreError> {
    let started = Instant::now();
    let instance = &problem.instance;
    let horizon_s = problem.horizon_s();
    let truth = CascadeCost::new(problem, horizon_s);
    let rules: Vec<(&str, Plan, f64)> = BASELINES
        .iter()
        .map(|rule| {
            let planning = Instant::now();
            let plan = decode(instance, &rule.order(instance));
            (rule.name(), plan, ms_since(planning))
        })
        .collect();

    // The rules' plans, unlimited crews and the calibration through the cascade.
    let FirstRuns {
        unlimited,
        calibration,
        rule_runs,
    } = first_runs(&truth, &rules, given.is_none(), step);
    if let Some(cancelled) = [&unlimited]
        .into_iter()
        .chain(&rule_runs)
        .find_map(|r| r.as_ref().err().filter(|e| e.is_cancelled()))
    {
        return Err(cancelled.clone());
    }
    let unlimited = unlimited?;

    // The surrogate, fitted to the rules' cascade costs.
    let samples: Vec<(&Plan, f64)> = rules
        .iter()
        .zip(&rule_runs)
        .filter_map(|((_, plan, _), run)| {
            run.as_ref()
                .ok()
                .map(|r| (plan, weighted_cost(problem.city, r)))
        })
        .collect();
    let surrogate = match calibration? {
        Some(run) => Some(Surrogate::from_run(problem, &run)?.calibrated(&samples)?),
        None => None,
    };
    step();
    // Without a surrogate the caller gave the objective.
    let objective: &dyn Objective = match (&surrogate, given) {
        (Some(surrogate), _) => surrogate,
        (None, Some(given)) => given,
        (None, None) => &Additive,
    };

    let mut evaluated: Vec<Evaluated> = rules
        .iter()
        .zip(rule_runs)
        .map(|((name, plan, runtime_ms), run)| {
            let outcome = run.and_then(|result| {
                let planned = Planned {
                    name: name.to_string(),
                    objective: objective.cost(instance, plan)?,
                    plan: plan.clone(),
                    runtime_ms: *runtime_ms,
                    lower_bound: None,
                    evaluations: 1,
                    time_limited: false,
                };
                Ok((planned, result))
            });
            Evaluated::new(name, outcome)
        })
        .collect();

    // The search (and the exact model), then their plans through the cascade.
    let mut notes = search_and_exact(&truth, objective, choice, search, &mut evaluated, step);
    if let Some(cancelled) = evaluated
        .iter()
        .find_map(|e| e.outcome.as_ref().err().filter(|e| e.is_cancelled()))
    {
        return Err(cancelled.clone());
    }

    let mut study = rank(problem, evaluated);
    let (chosen, best_rule) = choose(choice, &study.planners, &study.failed)?;
    study.chosen = chosen;
    study.best_rule = best_rule;
    study.horizon_s = horizon_s;
    study.unlimited_crews = weighted_cost(problem.city, &unlimited);
    study.evaluation_ms =
        ms_since(started) - study.planners.iter().map(|r| r.runtime_ms).sum::<f64>();
    if let Some(surrogate) = &surrogate {
        study.surrogate = surrogate.report();
        study.surrogate.error_pct = surrogate_error_pct(&study.planners);
        if study.surrogate.error_pct > NOTED_SURROGATE_ERROR_PCT {
            notes.push(format!(
                "the surrogate the search uses was off by up to {:.0} % against the cascade on this city; the plans are ranked by the cascade",
                study.surrogate.error_pct
            ));
        }
    }
    study.notes = notes;
    Ok(study)
}

/// The strong planner (unless `choice` is greedy) and the exact model (when asked for),
/// their plans through the cascade, added to `evaluated` (the rules'); the notes they
/// leave.
fn search_and_exact(
    truth: &CascadeCost<'_, '_>,
    objective: &dyn Objective,
    choice: Choice,
    search: SearchOptions,
    evaluated: &mut Vec<Evaluated>,
    step: &(dyn Fn() + Sync),
) -> Vec<String> {
    let instance = &truth.problem().instance;
    let (searched, exact) = rayon::join(
        || {
            (choice != Choice::Greedy).then(|| {
                let searching = Instant::now();
                let searches = planners::strong_searches(instance, objective, search);
                step();
                (searches, ms_since(searching))
            })
        },
        || (choice == Choice::Exact).then(|| exact::solve(instance, search.exact_time_limit)),
    );
    let rules: &[Evaluated] = evaluated;
    let (best, exact) = rayon::join(
        || {
            searched.map(|(searches, runtime_ms)| {
                best_of_searches(truth, searches, runtime_ms, rules, step)
            })
        },
        || {
            exact.map(|solved| {
                let outcome = solved.and_then(|mut planned| {
                    planned.objective = Additive.total(instance, &planned.plan);
                    let result = truth.run(&planned.plan)?;
                    Ok((planned, result))
                });
                step();
                Evaluated::new("exact", outcome)
            })
        },
    );
    let mut notes = Vec::new();
    if let Some((best, best_notes)) = best {
        notes.extend(best_notes);
        evaluated.push(best);
    }
    if let Some(exact) = exact {
        if let Err(error) = &exact.outcome
            && !error.is_cancelled()
        {
            notes.push(format!(
                "the exact model gave no plan ({error}); the strong planner's plan is handed out instead"
            ));
        }
        evaluated.push(exact);
    }
    notes
}

/// The cascade runs before the search: unlimited crews, the surrogate's calibration (when
/// `calibrate`), each rule's plan.
struct FirstRuns {
    unlimited: Result<CascadeResult, RestoreError>,
    calibration: Result<Option<CascadeResult>, RestoreError>,
    rule_runs: Vec<Result<CascadeResult, RestoreError>>,
}

/// Runs [`FirstRuns`] as one batch of cascades (side by side, their water runs sharing
/// what comes before their first different repair); `step` after each (and once for
/// the calibration when there is none).
fn first_runs(
    truth: &CascadeCost<'_, '_>,
    rules: &[(&str, Plan, f64)],
    calibrate: bool,
    step: &(dyn Fn() + Sync),
) -> FirstRuns {
    let problem = truth.problem();
    let horizon_s = truth.horizon_s();
    let mut unlimited = problem.scenario.clone();
    unlimited.horizon_s = horizon_s;
    let mut scenarios = vec![unlimited];
    if calibrate {
        scenarios.push(calibration_scenario(problem, horizon_s));
    } else {
        step();
    }
    scenarios.extend(
        rules
            .iter()
            .map(|(_, plan, _)| problem.scenario_for(plan, horizon_s)),
    );
    let mut runs = run_batch(problem, &scenarios, step);
    // One run per scenario, in their order: unlimited crews, the calibration, the rules.
    let unlimited = runs.remove(0);
    let calibration = if calibrate {
        runs.remove(0).map(Some)
    } else {
        Ok(None)
    };
    FirstRuns {
        unlimited,
        calibration,
        rule_runs: runs,
    }
}

/// The strong planner's row: the cheapest in the cascade of its searches' plans
/// (`searches`, found in `runtime_ms`) and the rules' (`rules`, evaluated); with the
/// notes it leaves (a search cut by its time limit, a rule's plan kept).
fn best_of_searches(
    truth: &CascadeCost<'_, '_>,
    searches: Result<Vec<Planned>, RestoreError>,
    runtime_ms: f64,
    rules: &[Evaluated],
    step: &(dyn Fn() + Sync),
) -> (Evaluated, Vec<String>) {
    let searches = match searches {
        Ok(searches) => searches,
        Err(error) => return (Evaluated::new("best", Err(error)), Vec::new()),
    };
    let mut notes = Vec::new();
    let evaluations: usize = searches.iter().map(|s| s.evaluations).sum();
    if let Some(cut) = searches.iter().find(|s| s.time_limited) {
        notes.push(format!(
            "the search stopped at its time limit after {} plans, before its budget: the plan may differ on another machine",
            cut.evaluations
        ));
    }
    // Distinct plans only; a step for each search all the same.
    let mut distinct: Vec<Planned> = Vec::new();
    for planned in searches {
        if distinct.iter().all(|d| d.plan != planned.plan) {
            distinct.push(planned);
        } else {
            step();
        }
    }
    let plans: Vec<&Plan> = distinct.iter().map(|planned| &planned.plan).collect();
    let runs = truth.run_all(&plans, step);
    let city = truth.city();
    let mut first_error = None;
    let mut best: Option<(f64, Planned, CascadeResult, Option<String>)> = None;
    for (planned, run) in distinct.into_iter().zip(runs) {
        match run {
            Ok(result) => {
                let cost = weighted_cost(city, &result);
                if best.as_ref().is_none_or(|(c, ..)| cost < *c) {
                    best = Some((cost, planned, result, None));
                }
            }
            Err(error) => {
                first_error.get_or_insert(error);
            }
        }
    }
    let Some((search_cost, mut planned, mut result, mut kept_rule)) = best else {
        let error = first_error.unwrap_or(RestoreError::NotEvaluated {
            failures: Vec::new(),
        });
        return (Evaluated::new("best", Err(error)), notes);
    };
    // A rule's plan strictly cheaper in the cascade is kept.
    let mut cost = search_cost;
    for rule in rules {
        if let Ok((rule_plan, rule_result)) = &rule.outcome {
            let rule_cost = weighted_cost(city, rule_result);
            if rule_cost < cost * (1.0 - 1e-12) {
                cost = rule_cost;
                planned = rule_plan.clone();
                result = rule_result.clone();
                kept_rule = Some(rule.name.clone());
            }
        }
    }
    if let Some(rule) = &kept_rule {
        notes.push(format!(
            "none of the search's plans cost less in the cascade than the {rule} rule's ({:.1} % more), so the best planner keeps that plan",
            (search_cost / cost - 1.0) * 100.0
        ));
    }
    planned.name = "best".to_string();
    planned.runtime_ms = runtime_ms;
    planned.evaluations = evaluations;
    (
        Evaluated {
            name: "best".to_string(),
            outcome: Ok((planned, result)),
            kept_rule,
        },
        notes,
    )
}

/// The surrogate's largest error on the ranked plans it costed (all but `exact`), %.
fn surrogate_error_pct(rows: &[PlannerRow]) -> f64 {
    rows.iter()
        .filter(|r| r.name != "exact")
        .map(|r| {
            if r.objective > 0.0 {
                (r.planning_objective - r.objective).abs() / r.objective * 100.0
            } else if r.planning_objective > 0.0 {
                100.0
            } else {
                0.0
            }
        })
        .fold(0.0, f64::max)
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
        notes: Vec::new(),
    };
    for Evaluated {
        name,
        outcome,
        kept_rule,
    } in evaluated
    {
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
                    kept_rule,
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
/// dispatch rule was ranked. `Exact` without an exact plan hands out the strong
/// planner's (then the best rule's).
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
    let rules: Vec<&str> = BASELINES.iter().map(|r| r.name()).collect();
    let best_rule = best_of(&rules).ok_or_else(|| RestoreError::NotEvaluated {
        failures: failed.to_vec(),
    })?;
    let chosen = match choice {
        Choice::Greedy => best_rule,
        Choice::Exact => best_of(&["exact"])
            .or_else(|| best_of(&["best"]))
            .unwrap_or(best_rule),
        // The strong plan; a rule's only when the strong planner failed.
        Choice::Best => best_of(&["best"]).unwrap_or(best_rule),
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
    /// What the surrogate did: plans costed, grid solves failed or not converged, its
    /// water factor and error against the cascade.
    pub surrogate: SurrogateReport,
    /// How the plan was found, where the user should know: a search cut by its time
    /// limit, a rule's plan kept, the exact model's failure, a large surrogate error.
    pub notes: Vec<String>,
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
            notes: problem
                .crews_without_work
                .iter()
                .map(|crew| {
                    format!(
                        "crew {crew} can repair none of the damaged assets and stays at its depot"
                    )
                })
                .chain(self.notes.iter().cloned())
                .collect(),
        }
    }
}
