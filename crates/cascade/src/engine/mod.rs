//! The cascade engine: strikes → grid → pump stations → water → service, event by event.
//!
//! The clock stops at every strike and repair, every reported time, every time a backup
//! generator starts or runs dry, and at every hydraulic event of the water network (tank
//! full or empty, controls). At each stop:
//!
//! 1. strikes and repairs due are applied;
//! 2. if the grid changed, it is solved again ([`Grid::solve`]: islands, re-dispatch,
//!    load shed by priority, facilities and pump stations last), warm-started from the last
//!    state;
//! 3. a pump station runs if it is not damaged and its bus is energised with at most half
//!    of its load shed; else its backup generator, if it has fuel, starts after its delay
//!    and runs until power returns or the fuel is gone (fuel burns only while it runs). A
//!    generator smaller than the station runs as many pumps as it can carry. Facilities
//!    are powered the same way, by the grid or their own generator;
//! 4. pumps that do not run, the water sources (pumps, valves, reservoirs) of facilities
//!    without power, struck pipes and the links of struck tanks are held closed,
//!    the rest given back to the network's own controls; the water network is solved with
//!    pressure-driven demand;
//! 5. service is measured per district and integrated until the next stop.
//!
//! The run is made in three passes: the grid side at every stop (steps 1–3 and the links
//! step 4 holds closed), the water network with those links (the slow part, which depends
//! on nothing else, so [`simulate_batch`] shares it between scenarios that close the same
//! links at the same stops), then the service of step 5 from both.
//!
//! InfraRisk (pandapower + WNTR) couples the two networks the same way but on a fixed
//! time step and re-runs WNTR from the start for each step; here the EPANET solver runs
//! once through the horizon and only the grid is re-solved, and only when it changes.

mod power_side;
mod service;
mod timelines;

use crate::city::City;
use crate::error::CascadeError;
use crate::result::CascadeResult;
use crate::scenario::{HOUR_S, Scenario};
use crate::water_run::{WaterCache, WaterKey, WaterTrace, run_water};
use crate::water_share;
use lifeline_power::{Grid, GridState};
use power_side::PowerSide;
use rayon::prelude::*;
use service::{Baseline, combine};
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use timelines::Timelines;

/// A pump station (or facility) counts as powered when at most this share of its bus's
/// load is shed.
const POWERED_SHARE: f64 = 0.5;

/// Seconds as hours.
pub(crate) fn hours(time_s: i64) -> f64 {
    time_s as f64 / HOUR_S as f64
}

/// What the grid side decided at one stop: the grid's state, the pump stations' modes
/// and the water links held closed from then until the next stop.
#[derive(Clone)]
struct Stop {
    time_s: i64,
    /// Index into [`PowerPlan::grid_states`].
    grid: usize,
    /// Links held closed, sorted.
    closed: Vec<usize>,
    /// How each facility is powered.
    facility_modes: Vec<power_side::SupplyMode>,
}

/// The grid side of a run: everything that does not depend on the water network.
struct PowerPlan {
    stops: Vec<Stop>,
    grid_states: Vec<GridState>,
    timelines: Timelines,
    /// Per facility: its timeline.
    facility_timelines: Vec<usize>,
    grid_non_convergence: Vec<String>,
}

/// Runs `scenario` on `city`. `progress` is called after each stop with the time reached
/// and the horizon, s.
pub fn simulate(
    city: &City,
    scenario: &Scenario,
    progress: &mut dyn FnMut(i64, i64),
) -> Result<CascadeResult, CascadeError> {
    simulate_cancellable(city, scenario, progress, &AtomicBool::new(false))
}

/// [`simulate`], ending early with [`CascadeError::Cancelled`] once `cancel` is set
/// (looked at before the grid pass and at every stop of the water run).
pub fn simulate_cancellable(
    city: &City,
    scenario: &Scenario,
    progress: &mut dyn FnMut(i64, i64),
    cancel: &AtomicBool,
) -> Result<CascadeResult, CascadeError> {
    simulate_shared(city, scenario, progress, cancel, &WaterCache::new())
}

/// [`simulate_cancellable`] with its water runs (the scenario's and the normal day's)
/// taken from `cache` when there, and kept there: a restoration study's many runs of one
/// horizon make the normal day once, and plans that close the same links at the same
/// times share their run.
pub fn simulate_shared(
    city: &City,
    scenario: &Scenario,
    progress: &mut dyn FnMut(i64, i64),
    cancel: &AtomicBool,
    cache: &WaterCache,
) -> Result<CascadeResult, CascadeError> {
    if cancel.load(Ordering::Relaxed) {
        return Err(CascadeError::Cancelled { at_s: 0 });
    }
    let grid = city_grid(city)?;
    let mut plan = PowerSide::new(city, &grid, scenario).run(scenario)?;
    let key = water_key(&plan);
    let normal_day = scenario.normal_day();
    let normal_plan = PowerSide::new(city, &grid, &normal_day).run(&normal_day)?;
    let normal_key = water_key(&normal_plan);
    // The normal day's water runs beside the scenario's on the caller's pool (the same
    // run when the scenario closes nothing).
    let mut normal_trace = None;
    let trace = rayon::in_place_scope(|scope| {
        if normal_key != key {
            scope.spawn(|_| {
                normal_trace = Some(cache.get_or_run(&normal_key, || {
                    run_water(city, &normal_day, &normal_key, &mut |_, _| {}, cancel)
                }));
            });
        }
        cache.get_or_run(&key, || run_water(city, scenario, &key, progress, cancel))
    })?;
    let normal_trace = match normal_trace {
        Some(run) => run?,
        None => Arc::clone(&trace),
    };
    let baseline = Baseline::new(city, &normal_day, normal_plan, normal_trace);
    Ok(combine(city, scenario, &mut plan, &trace, Some(&baseline)))
}

/// The city's grid, ready to solve.
fn city_grid(city: &City) -> Result<Grid, CascadeError> {
    Ok(Grid::new(city.case.clone())?.with_priorities(city.bus_priorities()))
}

/// Runs many scenarios of `city` on the current rayon pool, each as [`simulate`] would,
/// sharing the grid's set-up and the water runs of `cache`: first the grid side of every
/// scenario, then each distinct water run once (in parallel, none waiting on another),
/// then every result. `done` is called after each result. Results come in the scenarios'
/// order (the outer error is the grid's set-up or the normal day's run); scenarios with
/// the same horizon and links closed share their water run, and scenarios with the same
/// horizon and step their normal day.
pub fn simulate_batch(
    city: &City,
    scenarios: &[Scenario],
    cache: &WaterCache,
    done: &(dyn Fn() + Sync),
) -> Result<Vec<Result<CascadeResult, CascadeError>>, CascadeError> {
    simulate_batch_cancellable(city, scenarios, cache, done, &AtomicBool::new(false))
}

/// [`simulate_batch`], ending with [`CascadeError::Cancelled`] once `cancel` is set
/// (looked at by every water run at every stop, and between the passes).
pub fn simulate_batch_cancellable(
    city: &City,
    scenarios: &[Scenario],
    cache: &WaterCache,
    done: &(dyn Fn() + Sync),
    cancel: &AtomicBool,
) -> Result<Vec<Result<CascadeResult, CascadeError>>, CascadeError> {
    let cancelled = || {
        if cancel.load(Ordering::Relaxed) {
            Err(CascadeError::Cancelled { at_s: 0 })
        } else {
            Ok(())
        }
    };
    cancelled()?;
    let grid = city_grid(city)?;
    let plans: Vec<Result<(PowerPlan, WaterKey), CascadeError>> = scenarios
        .par_iter()
        .map(|scenario| {
            let plan = PowerSide::new(city, &grid, scenario).run(scenario)?;
            let key = water_key(&plan);
            Ok((plan, key))
        })
        .collect();
    // The normal day of each horizon and reporting step in the batch.
    let mut normal_days: Vec<Scenario> = Vec::new();
    for scenario in scenarios {
        if !normal_days
            .iter()
            .any(|n| (n.horizon_s, n.step_s) == (scenario.horizon_s, scenario.step_s))
        {
            normal_days.push(scenario.normal_day());
        }
    }
    let normal_plans: Vec<(PowerPlan, WaterKey)> = normal_days
        .par_iter()
        .map(|normal_day| {
            let plan = PowerSide::new(city, &grid, normal_day).run(normal_day)?;
            let key = water_key(&plan);
            Ok((plan, key))
        })
        .collect::<Result<_, CascadeError>>()?;
    // Each distinct water run not yet in the cache, once, in parallel.
    let mut wanted: HashMap<&WaterKey, &Scenario> = HashMap::new();
    let runs = plans
        .iter()
        .zip(scenarios)
        .filter_map(|(plan, scenario)| plan.as_ref().ok().map(|(_, key)| (key, scenario)))
        .chain(normal_plans.iter().map(|(_, key)| key).zip(&normal_days));
    for (key, scenario) in runs {
        if cache.get(key).is_none() {
            wanted.entry(key).or_insert(scenario);
        }
    }
    // Every run in one tree, sharing what they have in common (see `water_share`): the
    // simulation goes to the longest horizon and each run ends at its last stop.
    let mut keys: Vec<&WaterKey> = wanted.keys().copied().collect();
    keys.sort();
    let horizon_s = wanted.values().map(|s| s.horizon_s).max().unwrap_or(0);
    let made = water_share::run_all(city, horizon_s, &keys, cancel);
    cancelled()?;
    for (key, trace) in keys.into_iter().zip(made.traces) {
        // A run that failed is not kept: each scenario that needs it meets the error below.
        if let Some(trace) = trace {
            cache.insert(key.clone(), trace);
        }
    }
    let trace_of = |scenario: &Scenario, key: &WaterKey| -> Result<Arc<WaterTrace>, CascadeError> {
        match cache.get(key) {
            Some(trace) => Ok(trace),
            None => Ok(Arc::new(run_water(
                city,
                scenario,
                key,
                &mut |_, _| {},
                cancel,
            )?)),
        }
    };
    let baselines: Vec<Baseline> = normal_plans
        .into_iter()
        .zip(&normal_days)
        .map(|((plan, key), normal_day)| {
            let trace = trace_of(normal_day, &key)?;
            Ok(Baseline::new(city, normal_day, plan, trace))
        })
        .collect::<Result<_, CascadeError>>()?;
    let baseline_of = |scenario: &Scenario| {
        normal_days
            .iter()
            .position(|n| (n.horizon_s, n.step_s) == (scenario.horizon_s, scenario.step_s))
            .map(|k| &baselines[k])
    };
    let results = plans
        .into_par_iter()
        .zip(scenarios.par_iter())
        .map(|(plan, scenario)| {
            let (mut plan, key) = plan?;
            let trace = trace_of(scenario, &key)?;
            let result = combine(city, scenario, &mut plan, &trace, baseline_of(scenario));
            done();
            Ok(result)
        })
        .collect();
    Ok(results)
}

/// The stop in force at `time_s`: the last one at or before it.
fn stop_at(stops: &[Stop], time_s: i64) -> &Stop {
    let k = stops.partition_point(|s| s.time_s <= time_s);
    &stops[k.saturating_sub(1)]
}

/// Share of a bus's load served, 0–1 (0 when the bus is dark).
fn served_share(grid: &GridState, position: usize) -> f64 {
    let load = grid.bus_load_mw[position];
    if !grid.bus_energised[position] {
        0.0
    } else if load > 0.0 {
        1.0 - grid.bus_shed_mw[position] / load
    } else {
        1.0
    }
}

fn water_key(plan: &PowerPlan) -> WaterKey {
    plan.stops
        .iter()
        .map(|s| (s.time_s, s.closed.clone()))
        .collect()
}
