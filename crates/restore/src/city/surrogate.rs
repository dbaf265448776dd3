//! The fast cost for search (see the module docs of [`crate::city`]): the power side
//! exactly (beyond the normal day's), pump stations with their diesel rule, water from
//! one calibration run scaled to the cascade's cost of the rules' plans.

use super::power::{PowerModel, PowerSnapshot, facility_kind};
use super::problem::CityProblem;
use crate::error::RestoreError;
use crate::instance::Instance;
use crate::objective::Objective;
use crate::plan::Plan;
use lifeline_cascade::City;
use lifeline_cascade::result::CascadeResult;
use lifeline_cascade::scenario::{AssetId, HOUR_S, Scenario};
use lifeline_cascade::simulate_shared;
use serde::Serialize;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A district's water as the calibration run saw it.
#[derive(Debug, Clone)]
struct WaterResponse {
    /// Stations that were stopped when the district lost water.
    stations: Vec<usize>,
    /// Hours from the first of them stopping until people lost water.
    delay_h: f64,
    /// People without water, averaged over the hours it lasted.
    people: f64,
}

/// What the surrogate did in a study: its part of the study's document.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct SurrogateReport {
    /// Plans it costed.
    pub evaluations: usize,
    /// Distinct grid solves that failed; each failed the evaluation that asked for it.
    pub failed_solves: usize,
    /// Distinct grid solves in which an island did not converge; the island is taken
    /// down, as the cascade does, and the plan costed so.
    pub not_converged_solves: usize,
    /// The factor on its water side fitted to the cascade's cost of the rules' plans on
    /// this city (1 when they lose no water in its model).
    pub water_scale: f64,
    /// Its largest error on the plans run through the cascade,
    /// `|surrogate − cascade| / cascade`, %.
    pub error_pct: f64,
}

/// The fast cost for search (see the module docs).
pub struct Surrogate<'p, 'a> {
    problem: &'p CityProblem<'a>,
    power: PowerModel<'a>,
    /// Customers without power per district on the normal day (nothing out).
    normal_customers_out: Vec<f64>,
    water: Vec<Option<WaterResponse>>,
    /// The factor on the water side (see [`Surrogate::calibrated`]).
    water_scale: f64,
    evaluations: AtomicUsize,
}

impl<'p, 'a> Surrogate<'p, 'a> {
    /// Calibrates the water side with one cascade run in which nothing is repaired, over
    /// the problem's horizon.
    pub fn new(problem: &'p CityProblem<'a>) -> Result<Self, RestoreError> {
        let result = calibration_run(problem, problem.horizon_s())?;
        Self::from_run(problem, &result)
    }

    /// The surrogate with its water side read from `nothing_repaired`: the cascade run
    /// of the scenario with no repair (see [`calibration_scenario`]).
    pub fn from_run(
        problem: &'p CityProblem<'a>,
        nothing_repaired: &CascadeResult,
    ) -> Result<Self, RestoreError> {
        let city = problem.city;
        let result = nothing_repaired;
        let stopped_at: Vec<Option<f64>> = city
            .pump_stations
            .iter()
            .map(|s| {
                result
                    .asset(&format!("pump_station:{}", s.id))
                    .and_then(|t| {
                        t.changes
                            .iter()
                            .find(|c| !matches!(c.state.as_str(), "grid" | "backup"))
                            .map(|c| c.t_h)
                    })
            })
            .collect();
        let water = (0..result.districts.len())
            .map(|d| water_response(city, result, &stopped_at, d))
            .collect();
        let power = PowerModel::new(city)?;
        let normal_customers_out = power
            .snapshot(&[], None)
            .map_err(|error| RestoreError::GridSolve {
                at_h: None,
                assets_out: Vec::new(),
                error,
            })?
            .customers_out;
        Ok(Self {
            problem,
            power,
            normal_customers_out,
            water,
            water_scale: 1.0,
            evaluations: AtomicUsize::new(0),
        })
    }

    /// The surrogate with its water side scaled so that it best matches (least squares)
    /// the cascade's cost of `samples` (plans and their cascade cost): the calibration
    /// run knows when districts go dry, not how a restart refills them. The factor is
    /// kept within [0.25, 4]; without water in the model it stays 1.
    pub fn calibrated(mut self, samples: &[(&Plan, f64)]) -> Result<Self, RestoreError> {
        let instance = &self.problem.instance;
        let (mut num, mut den) = (0.0, 0.0);
        for &(plan, cascade) in samples {
            let (other, water) = self.parts(instance, plan)?;
            num += water * (cascade - other);
            den += water * water;
        }
        if den > 0.0 && num.is_finite() {
            self.water_scale = (num / den).clamp(0.25, 4.0);
        }
        Ok(self)
    }

    /// Plans costed and grid solves that failed or did not converge, so far; the error
    /// is left to the study, which has the cascade's costs.
    pub fn report(&self) -> SurrogateReport {
        SurrogateReport {
            evaluations: self.evaluations.load(Ordering::Relaxed),
            failed_solves: self.power.failed_solves(),
            not_converged_solves: self.power.not_converged_solves(),
            water_scale: self.water_scale,
            error_pct: 0.0,
        }
    }

    /// The power side at `t_h` with `out` out; a failed solve fails the evaluation.
    fn snapshot(&self, out: &[&AssetId], t_h: f64) -> Result<PowerSnapshot, RestoreError> {
        let available_mw = self
            .problem
            .scenario
            .available_mw((t_h * HOUR_S as f64) as i64);
        self.power
            .snapshot(out, available_mw)
            .map_err(|error| RestoreError::GridSolve {
                at_h: Some(t_h),
                assets_out: out.iter().map(ToString::to_string).collect(),
                error,
            })
    }
}

/// The scenario with nothing repaired over `horizon_s`: the surrogate's calibration run.
pub fn calibration_scenario(problem: &CityProblem<'_>, horizon_s: i64) -> Scenario {
    let mut nothing = problem.scenario.clone();
    nothing.horizon_s = horizon_s;
    for strike in &mut nothing.strikes {
        strike.repair_s = None;
    }
    nothing
}

/// The cascade with nothing repaired over `horizon_s`, the horizon of every plan: backup
/// fuel that outlasts the scenario's own horizon runs out in the calibration too.
fn calibration_run(
    problem: &CityProblem<'_>,
    horizon_s: i64,
) -> Result<CascadeResult, RestoreError> {
    Ok(simulate_shared(
        problem.city,
        &calibration_scenario(problem, horizon_s),
        &mut |_, _| {},
        problem.cancel,
        &problem.water,
    )?)
}

/// District `d`'s water in the calibration run, if it lost water after stations that
/// serve it stopped (`stopped_at`: when each station first stopped, h).
fn water_response(
    city: &City,
    result: &CascadeResult,
    stopped_at: &[Option<f64>],
    d: usize,
) -> Option<WaterResponse> {
    let timeline = &result.districts[d].timeline;
    let first = timeline.iter().find(|s| s.people_without_water > 0)?;
    let stations: Vec<usize> = (0..city.pump_stations.len())
        .filter(|&s| {
            stopped_at[s].is_some_and(|t| t <= first.t_h)
                && city.pump_stations[s].serves.contains(&d)
        })
        .collect();
    let since = stations
        .iter()
        .filter_map(|&s| stopped_at[s])
        .fold(f64::INFINITY, f64::min);
    let dry: Vec<f64> = timeline
        .iter()
        .filter(|s| s.people_without_water > 0)
        .map(|s| s.people_without_water as f64)
        .collect();
    (!stations.is_empty()).then(|| WaterResponse {
        stations,
        delay_h: (first.t_h - since).max(0.0),
        people: dry.iter().sum::<f64>() / dry.len() as f64,
    })
}

/// The pump stations' state while a plan is walked through: diesel left and since when
/// each has lost grid power or been down.
struct Stations {
    fuel_h: Vec<f64>,
    lost_since: Vec<Option<f64>>,
    down_since: Vec<Option<f64>>,
}

impl Stations {
    fn new(city: &City) -> Self {
        let count = city.pump_stations.len();
        Self {
            fuel_h: city
                .pump_stations
                .iter()
                .map(|s| s.backup.map_or(0.0, |b| b.fuel_hours))
                .collect(),
            lost_since: vec![None; count],
            down_since: vec![None; count],
        }
    }

    /// Steps the stations over `[t, t + dt)`: on the grid, else on diesel after its delay
    /// while fuel lasts; adds the cost of each stopped one to `cost`.
    fn step(
        &mut self,
        city: &City,
        out: &[&AssetId],
        snapshot: &PowerSnapshot,
        (t, dt): (f64, f64),
        cost: &mut f64,
    ) {
        let weight = city.restoration.weight("pump_station");
        for (s, station) in city.pump_stations.iter().enumerate() {
            let hit = out
                .iter()
                .any(|a| matches!(a, AssetId::PumpStation(id) if *id == station.id));
            let running = if hit {
                self.lost_since[s] = None;
                false
            } else if snapshot.station_powered[s] {
                self.lost_since[s] = None;
                true
            } else {
                let since = *self.lost_since[s].get_or_insert(t);
                let delay = station.backup.map_or(f64::INFINITY, |b| b.start_delay_h);
                let on_diesel = t >= since + delay && self.fuel_h[s] > 0.0;
                if on_diesel {
                    self.fuel_h[s] = (self.fuel_h[s] - dt).max(0.0);
                }
                on_diesel
            };
            if running {
                self.down_since[s] = None;
            } else {
                self.down_since[s].get_or_insert(t);
                *cost += weight * dt;
            }
        }
    }
}

impl Surrogate<'_, '_> {
    /// Times at which the set of assets out (or the generation limit) changes, h.
    fn change_times(&self, instance: &Instance, done: &[f64]) -> Vec<f64> {
        let mut times: Vec<f64> = vec![0.0];
        for (j, job) in instance.jobs.iter().enumerate() {
            times.push(job.release_h);
            times.push(done[j]);
        }
        for c in &self.problem.scenario.capacity {
            times.push(c.from_s as f64 / HOUR_S as f64);
            times.push(c.to_s as f64 / HOUR_S as f64);
        }
        times.sort_by(f64::total_cmp);
        times.dedup();
        times
    }

    /// Adds the water cost over `[t, t + dt)` to `cost`: a district runs dry once its
    /// stations have all been down its delay.
    fn water_cost(&self, stations: &Stations, (t, dt): (f64, f64), cost: &mut f64) {
        let homes = self.problem.city.restoration.weight("homes");
        for response in self.water.iter().flatten() {
            let down: Vec<f64> = response
                .stations
                .iter()
                .filter_map(|&s| stations.down_since[s])
                .collect();
            let Some(since) = down.iter().copied().reduce(f64::min) else {
                continue;
            };
            if t + dt > since + response.delay_h {
                let share = down.len() as f64 / response.stations.len() as f64;
                let from = t.max(since + response.delay_h);
                *cost += homes * response.people * share * (t + dt - from);
            }
        }
    }
}

impl Surrogate<'_, '_> {
    /// The plan walked through from one change to the next: (everything but water,
    /// water before scaling); fails when a grid solve fails (never counted as nobody
    /// out).
    fn parts(&self, instance: &Instance, plan: &Plan) -> Result<(f64, f64), RestoreError> {
        let city = self.problem.city;
        let strikes = &self.problem.scenario.strikes;
        let w = &city.restoration;
        let homes = w.weight("homes");
        let done = plan.completion_h(instance.jobs.len());
        let mut stations = Stations::new(city);
        let (mut other, mut water) = (0.0, 0.0);
        for pair in self.change_times(instance, &done).windows(2) {
            let (t, next) = (pair[0], pair[1]);
            let dt = next - t;
            if dt <= 0.0 {
                continue;
            }
            let out: Vec<&AssetId> = instance
                .jobs
                .iter()
                .enumerate()
                .filter(|(j, job)| job.release_h <= t && t < done[*j])
                .map(|(j, _)| &strikes[self.problem.strike_of_job[j]].asset)
                .collect();
            let snapshot = self.snapshot(&out, t)?;
            // Customers beyond the normal day's, as the cascade counts them.
            let customers: f64 = snapshot
                .customers_out
                .iter()
                .zip(&self.normal_customers_out)
                .map(|(now, normal)| (now - normal).max(0.0))
                .sum();
            other += homes * customers * dt;
            for (f, powered) in city.facilities.iter().zip(&snapshot.facility_powered) {
                if !powered {
                    other += w.weight(facility_kind(f.kind)) * dt;
                }
            }
            stations.step(city, &out, &snapshot, (t, dt), &mut other);
            self.water_cost(&stations, (t, dt), &mut water);
        }
        Ok((other, water))
    }
}

impl Objective for Surrogate<'_, '_> {
    /// Everything but water, plus water times the fitted factor; fails when a grid
    /// solve fails.
    fn cost(&self, instance: &Instance, plan: &Plan) -> Result<f64, RestoreError> {
        self.evaluations.fetch_add(1, Ordering::Relaxed);
        let (other, water) = self.parts(instance, plan)?;
        Ok(other + self.water_scale * water)
    }
}
