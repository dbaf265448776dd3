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
//!    generator smaller than the station runs as many pumps as it can carry;
//! 4. pumps that do not run, struck pipes and the links of struck tanks are held closed,
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

use crate::city::{City, PumpStation};
use crate::error::CascadeError;
use crate::result::{
    AssetTimeline, CascadeResult, DistrictResult, DistrictSample, RunStats, StateChange, Summary,
    TankTimeline,
};
use crate::scenario::{Asset, Damage, HOUR_S, Scenario, format_clock};
use crate::water_run::{WaterCache, WaterKey, WaterTrace, run_water};
use lifeline_power::{Grid, GridOptions, GridState, Outages};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// A pump station counts as powered when at most this share of its bus's load is shed.
const POWERED_SHARE: f64 = 0.5;

/// How a pump station is running.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StationMode {
    Grid,
    WaitingForBackup,
    Backup,
    NoPower,
    Hit(Damage),
}

impl StationMode {
    fn label(self) -> String {
        match self {
            StationMode::Grid => "grid".into(),
            StationMode::WaitingForBackup => "waiting_for_backup".into(),
            StationMode::Backup => "backup".into(),
            StationMode::NoPower => "no_power".into(),
            StationMode::Hit(damage) => damage.to_string(),
        }
    }
}

/// A pump station's backup generator as the run goes.
#[derive(Debug, Clone, Copy, Default)]
struct BackupState {
    /// Fuel left, s of running.
    fuel_s: i64,
    /// When the generator will be (or was) running, while the grid is lost.
    running_from_s: Option<i64>,
}

/// Per-asset state timelines, recorded as changes.
struct Timelines {
    entries: Vec<AssetTimeline>,
    index: HashMap<String, usize>,
}

impl Timelines {
    fn new() -> Self {
        Self {
            entries: Vec::new(),
            index: HashMap::new(),
        }
    }

    fn track(&mut self, asset: String, name: String, state: String) {
        if !self.index.contains_key(&asset) {
            self.index.insert(asset.clone(), self.entries.len());
            self.entries.push(AssetTimeline {
                asset,
                name,
                changes: vec![StateChange { t_h: 0.0, state }],
            });
        }
    }

    fn set(&mut self, asset: &str, time_s: i64, state: String) {
        if let Some(&i) = self.index.get(asset) {
            let changes = &mut self.entries[i].changes;
            let t_h = hours(time_s);
            match changes.last_mut() {
                Some(last) if last.state == state => {}
                Some(last) if last.t_h == t_h => last.state = state,
                _ => changes.push(StateChange { t_h, state }),
            }
        }
    }
}

/// Seconds as hours.
pub(crate) fn hours(time_s: i64) -> f64 {
    time_s as f64 / HOUR_S as f64
}

/// Running sums for one district.
#[derive(Debug, Clone, Default)]
struct DistrictTotals {
    customer_s: f64,
    person_s: f64,
    unserved_mwh: f64,
    unserved_m3: f64,
}

/// The state of one district at one evaluation.
#[derive(Debug, Clone, Copy, Default)]
struct DistrictNow {
    customers_without_power: u64,
    people_without_water: u64,
    load_mw: f64,
    served_mw: f64,
    water_required_lps: f64,
    water_delivered_lps: f64,
}

/// What the grid side decided at one stop: the grid's state, the pump stations' modes
/// and the water links held closed from then until the next stop.
struct Stop {
    time_s: i64,
    /// Index into [`PowerPlan::grid_states`].
    grid: usize,
    /// Links held closed, sorted.
    closed: Vec<usize>,
}

/// The grid side of a run: everything that does not depend on the water network.
struct PowerPlan {
    stops: Vec<Stop>,
    grid_states: Vec<GridState>,
    timelines: Timelines,
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
    if cancel.load(Ordering::Relaxed) {
        return Err(CascadeError::Cancelled { at_s: 0 });
    }
    let grid = city_grid(city)?;
    let plan = plan_power(city, &grid, scenario)?;
    let key = water_key(&plan);
    let trace = run_water(city, scenario, &key, progress, cancel)?;
    Ok(combine(city, scenario, plan, &trace))
}

/// The city's grid, ready to solve.
fn city_grid(city: &City) -> Result<Grid, CascadeError> {
    Ok(Grid::new(city.case.clone())?.with_priorities(city.bus_priorities()))
}

/// Runs many scenarios of `city` on the current rayon pool, each as [`simulate`] would,
/// sharing the grid's set-up and the water runs of `cache`: first the grid side of every
/// scenario, then each distinct water run once (in parallel, none waiting on another),
/// then every result. `done` is called after each result. Results come in the scenarios'
/// order (the outer error is the grid's set-up); scenarios with the same horizon and
/// links closed share their water run.
pub fn simulate_batch(
    city: &City,
    scenarios: &[Scenario],
    cache: &WaterCache,
    done: &(dyn Fn() + Sync),
) -> Result<Vec<Result<CascadeResult, CascadeError>>, CascadeError> {
    let never = AtomicBool::new(false);
    let grid = city_grid(city)?;
    let plans: Vec<Result<(PowerPlan, WaterKey), CascadeError>> = scenarios
        .par_iter()
        .map(|scenario| {
            let plan = plan_power(city, &grid, scenario)?;
            let key = water_key(&plan);
            Ok((plan, key))
        })
        .collect();
    // Each distinct water run not yet in the cache, once, in parallel.
    let mut wanted: HashMap<&WaterKey, usize> = HashMap::new();
    for (i, plan) in plans.iter().enumerate() {
        if let Ok((_, key)) = plan
            && cache.get(key).is_none()
        {
            wanted.entry(key).or_insert(i);
        }
    }
    let wanted: Vec<(&WaterKey, usize)> = wanted.into_iter().collect();
    let made: Vec<(WaterKey, Option<WaterTrace>)> = wanted
        .par_iter()
        .map(|&(key, i)| {
            let trace = run_water(city, &scenarios[i], key, &mut |_, _| {}, &never).ok();
            (key.clone(), trace)
        })
        .collect();
    for (key, trace) in made {
        // A run that failed is not kept: each scenario that needs it meets the error below.
        if let Some(trace) = trace {
            cache.insert(key, trace);
        }
    }
    let results = plans
        .into_par_iter()
        .zip(scenarios.par_iter())
        .map(|(plan, scenario)| {
            let (plan, key) = plan?;
            let trace = match cache.get(&key) {
                Some(trace) => trace,
                None => Arc::new(run_water(city, scenario, &key, &mut |_, _| {}, &never)?),
            };
            let result = combine(city, scenario, plan, &trace);
            done();
            Ok(result)
        })
        .collect();
    Ok(results)
}

/// Steps 1–3 and the links of step 4 at every stop, without the water network: strikes
/// and repairs, the grid, the pump stations and their generators.
#[allow(clippy::too_many_lines)]
fn plan_power(city: &City, grid: &Grid, scenario: &Scenario) -> Result<PowerPlan, CascadeError> {
    let horizon_s = scenario.horizon_s;
    let mut solver = grid.solver();
    let network = &city.network;
    let bus_positions = city.case.bus_positions();

    // Static events: (time, strike index, true = hit / false = repaired).
    let mut events: Vec<(i64, usize, bool)> = Vec::new();
    for (i, strike) in scenario.strikes.iter().enumerate() {
        events.push((strike.at_s, i, true));
        if let Some(repaired) = strike.repaired_at_s().filter(|&t| t <= horizon_s) {
            events.push((repaired, i, false));
        }
    }
    // Repairs before hits at the same time, so a repaired asset can be struck again.
    events.sort_by_key(|&(t, i, hit)| (t, hit, i));
    let mut stops: BTreeSet<i64> = events.iter().map(|e| e.0).collect();
    let mut sample = 0;
    while sample <= horizon_s {
        stops.insert(sample);
        sample += scenario.step_s;
    }
    stops.insert(horizon_s);
    // Generation limits change at their window's edges.
    for limit in &scenario.capacity {
        stops.extend(
            [limit.from_s, limit.to_s]
                .into_iter()
                .filter(|&t| t <= horizon_s),
        );
    }

    // Asset timelines: every struck asset, every pump station, every facility.
    let mut timelines = Timelines::new();
    for strike in &scenario.strikes {
        timelines.track(
            strike.asset.to_string(),
            city.asset_name(&strike.asset),
            "in_service".into(),
        );
    }
    for station in &city.pump_stations {
        timelines.track(
            format!("pump_station:{}", station.id),
            station.name.clone(),
            "grid".into(),
        );
    }
    for facility in &city.facilities {
        timelines.track(
            format!("facility:{}", facility.id),
            facility.name.clone(),
            "ok".into(),
        );
    }

    // What is out now: asset → damage.
    let mut out: BTreeMap<String, (Asset, Damage)> = BTreeMap::new();
    let mut grid_dirty = true;
    let mut available_mw = scenario.available_mw(0);
    let mut grid_states: Vec<GridState> = Vec::new();
    let mut grid_non_convergence = Vec::new();
    let mut backups: Vec<BackupState> = city
        .pump_stations
        .iter()
        .map(|s| BackupState {
            fuel_s: s
                .backup
                .map_or(0, |b| (b.fuel_hours * HOUR_S as f64).round() as i64),
            running_from_s: None,
        })
        .collect();
    let pump_links: Vec<Vec<usize>> = city
        .pump_stations
        .iter()
        .map(|s| {
            s.pumps
                .iter()
                .filter_map(|p| network.link(p).ok())
                .collect()
        })
        .collect();
    let mut planned: Vec<Stop> = Vec::new();
    let mut next_event = 0;
    let mut time_s = 0;

    loop {
        // 1. Strikes and repairs due.
        while next_event < events.len() && events[next_event].0 <= time_s {
            let (_, i, hit) = events[next_event];
            let strike = &scenario.strikes[i];
            let key = strike.asset.to_string();
            if hit {
                out.insert(key.clone(), (strike.asset.clone(), strike.damage));
                timelines.set(&key, time_s, strike.damage.to_string());
            } else {
                out.remove(&key);
                timelines.set(&key, time_s, "in_service".into());
            }
            grid_dirty |= strike.asset.is_power();
            next_event += 1;
        }
        let limit = scenario.available_mw(time_s);
        if limit != available_mw {
            available_mw = limit;
            grid_dirty = true;
        }

        // 2. The grid.
        if grid_dirty {
            let mut outages = Outages::none();
            for (asset, _) in out.values() {
                match asset {
                    Asset::Bus(id) => outages.buses.push(*id),
                    Asset::Branch(b) => outages.branches.push(*b),
                    Asset::Generator(g) => outages.generators.push(*g),
                    _ => {}
                }
            }
            let options = GridOptions {
                available_generation_mw: available_mw,
                ..GridOptions::default()
            };
            let start = grid_states.last().map(|s| s.voltage.as_slice());
            let solved = grid.solve(&outages, &options, &mut solver, start)?;
            if !solved.converged() {
                grid_non_convergence.push(format!(
                    "{}: an island did not converge and was taken down",
                    format_clock(time_s)
                ));
            }
            grid_states.push(solved);
            grid_dirty = false;
        }
        let Some(grid_now) = grid_states.last() else {
            unreachable!("the grid is solved at the first stop")
        };
        let served = |position: usize| served_share(grid_now, position);

        // 3. Pump stations.
        let mut modes = Vec::with_capacity(city.pump_stations.len());
        for (s, station) in city.pump_stations.iter().enumerate() {
            let hit = out
                .get(&format!("pump_station:{}", station.id))
                .map(|(_, damage)| *damage);
            let powered = served(bus_positions[&station.bus]) >= POWERED_SHARE;
            let backup = &mut backups[s];
            let mode = if let Some(damage) = hit {
                backup.running_from_s = None;
                StationMode::Hit(damage)
            } else if powered {
                backup.running_from_s = None;
                StationMode::Grid
            } else if station.backup.is_some() && backup.fuel_s > 0 {
                let delay = station
                    .backup
                    .map_or(0, |b| (b.start_delay_h * HOUR_S as f64).round() as i64);
                let from = *backup.running_from_s.get_or_insert(time_s + delay);
                if time_s >= from {
                    stops.insert(time_s + backup.fuel_s);
                    StationMode::Backup
                } else {
                    stops.insert(from);
                    StationMode::WaitingForBackup
                }
            } else {
                StationMode::NoPower
            };
            modes.push(mode);
            timelines.set(
                &format!("pump_station:{}", station.id),
                time_s,
                mode.label(),
            );
        }

        // 4. Links held closed: pumps that do not run, struck pipes, struck tanks' links.
        let mut closed: BTreeSet<usize> = BTreeSet::new();
        for (s, station) in city.pump_stations.iter().enumerate() {
            let running = running_pumps(station, modes[s], pump_links[s].len());
            closed.extend(pump_links[s].iter().skip(running));
        }
        for (asset, _) in out.values() {
            match asset {
                Asset::Pipe(id) => closed.extend(network.link(id).ok()),
                Asset::Tank(id) => {
                    if let Ok(node) = network.node(id) {
                        closed.extend((0..network.link_count()).filter(|&l| {
                            network.link_ends[l].0 == node || network.link_ends[l].1 == node
                        }));
                    }
                }
                _ => {}
            }
        }
        let next_stop = stops.range(time_s + 1..).next().copied();
        // Generators burn fuel while they run, until the next stop.
        if let Some(next) = next_stop {
            for (s, mode) in modes.iter().enumerate() {
                if *mode == StationMode::Backup {
                    backups[s].fuel_s = (backups[s].fuel_s - (next - time_s)).max(0);
                }
            }
        }
        planned.push(Stop {
            time_s,
            grid: grid_states.len() - 1,
            closed: closed.into_iter().collect(),
        });
        match next_stop {
            Some(next) if time_s < horizon_s => time_s = next,
            _ => break,
        }
    }
    Ok(PowerPlan {
        stops: planned,
        grid_states,
        timelines,
        grid_non_convergence,
    })
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

/// Step 5: service per district at every evaluation, integrated until the next; the
/// result.
#[allow(clippy::too_many_lines)]
fn combine(city: &City, scenario: &Scenario, plan: PowerPlan, trace: &WaterTrace) -> CascadeResult {
    let horizon_s = scenario.horizon_s;
    let bus_positions = city.case.bus_positions();
    let mut totals = vec![DistrictTotals::default(); city.districts.len()];
    let mut timelines_by_district: Vec<Vec<DistrictSample>> =
        vec![Vec::new(); city.districts.len()];
    let mut tank_timelines: Vec<TankTimeline> = trace
        .tank_ids
        .iter()
        .map(|id| TankTimeline {
            id: id.clone(),
            level_m: Vec::new(),
            volume_m3: Vec::new(),
        })
        .collect();
    let mut times_h = Vec::new();
    let mut power_restored: Option<i64> = Some(0);
    let mut water_restored: Option<i64> = Some(0);
    let mut district_power_restored: Vec<Option<i64>> = vec![Some(0); city.districts.len()];
    let mut district_water_restored: Vec<Option<i64>> = vec![Some(0); city.districts.len()];
    let PowerPlan {
        stops,
        grid_states,
        mut timelines,
        grid_non_convergence,
    } = plan;

    for (k, step) in trace.steps.iter().enumerate() {
        let time_s = step.time_s;
        let grid_now = &grid_states[stop_at(&stops, time_s).grid];
        let served = |position: usize| served_share(grid_now, position);
        let now: Vec<DistrictNow> = city
            .districts
            .iter()
            .zip(&step.districts)
            .map(|(district, &(people, required, delivered))| {
                let (mut load, mut served_mw, mut weight, mut energised_weight) =
                    (0.0, 0.0, 0.0, 0.0);
                for share in &district.buses {
                    let bus_load = grid_now.bus_load_mw[share.position].max(0.0);
                    let bus_served = bus_load * served(share.position);
                    load += share.share * bus_load;
                    served_mw += share.share * bus_served;
                    weight += share.share;
                    energised_weight += share.share * served(share.position);
                }
                let served_fraction = if load > 0.0 {
                    served_mw / load
                } else if weight > 0.0 {
                    energised_weight / weight
                } else {
                    1.0
                };
                let customers_without_power = ((district.customers as f64)
                    * (1.0 - served_fraction).clamp(0.0, 1.0))
                .round() as u64;
                DistrictNow {
                    customers_without_power: customers_without_power.min(district.customers),
                    people_without_water: people,
                    load_mw: load,
                    served_mw,
                    water_required_lps: required,
                    water_delivered_lps: delivered,
                }
            })
            .collect();
        for (d, n) in now.iter().enumerate() {
            track_restoration(
                &mut district_power_restored[d],
                n.customers_without_power > 0,
                time_s,
            );
            track_restoration(
                &mut district_water_restored[d],
                n.people_without_water > 0,
                time_s,
            );
        }
        track_restoration(
            &mut power_restored,
            now.iter().any(|d| d.customers_without_power > 0),
            time_s,
        );
        track_restoration(
            &mut water_restored,
            now.iter().any(|d| d.people_without_water > 0),
            time_s,
        );

        // Facilities.
        for (f, facility) in city.facilities.iter().enumerate() {
            let powered = served(bus_positions[&facility.bus]) >= POWERED_SHARE;
            let watered = step.facilities_watered[f];
            let label = match (powered, watered) {
                (true, true) => "ok",
                (false, true) => "no_power",
                (true, false) => "no_water",
                (false, false) => "no_power_no_water",
            };
            timelines.set(&format!("facility:{}", facility.id), time_s, label.into());
        }

        if time_s % scenario.step_s == 0 || time_s == horizon_s {
            times_h.push(hours(time_s));
            for (d, n) in now.iter().enumerate() {
                timelines_by_district[d].push(DistrictSample {
                    t_h: hours(time_s),
                    customers_without_power: n.customers_without_power,
                    people_without_water: n.people_without_water,
                    load_mw: n.load_mw,
                    served_mw: n.served_mw,
                    water_required_lps: n.water_required_lps,
                    water_delivered_lps: n.water_delivered_lps,
                });
            }
            for (t, &(level, volume)) in step.tanks.iter().enumerate() {
                tank_timelines[t].level_m.push(level);
                tank_timelines[t].volume_m3.push(volume);
            }
        }
        // Integrate until the next evaluation.
        if let Some(next) = trace.steps.get(k + 1) {
            let dt = (next.time_s - time_s) as f64;
            for (d, n) in now.iter().enumerate() {
                let t = &mut totals[d];
                t.customer_s += n.customers_without_power as f64 * dt;
                t.person_s += n.people_without_water as f64 * dt;
                t.unserved_mwh += (n.load_mw - n.served_mw).max(0.0) * dt / HOUR_S as f64;
                t.unserved_m3 +=
                    (n.water_required_lps - n.water_delivered_lps).max(0.0) * dt / 1000.0;
            }
        }
    }

    let districts: Vec<DistrictResult> = city
        .districts
        .iter()
        .zip(totals)
        .zip(timelines_by_district)
        .enumerate()
        .map(|(d, ((district, total), timeline))| DistrictResult {
            name: district.name.clone(),
            population: district.population,
            customers: district.customers,
            customer_hours_without_power: total.customer_s / HOUR_S as f64,
            person_hours_without_water: total.person_s / HOUR_S as f64,
            unserved_mwh: total.unserved_mwh,
            unserved_m3: total.unserved_m3,
            peak_customers_without_power: timeline
                .iter()
                .map(|s| s.customers_without_power)
                .max()
                .unwrap_or(0),
            peak_people_without_water: timeline
                .iter()
                .map(|s| s.people_without_water)
                .max()
                .unwrap_or(0),
            power_restored_h: district_power_restored[d].map(hours),
            water_restored_h: district_water_restored[d].map(hours),
            timeline,
        })
        .collect();
    let summary = summarise(city, &districts, &times_h, power_restored, water_restored);
    CascadeResult {
        city: city.name.clone(),
        scenario: scenario.name.clone(),
        start: scenario.start.clone(),
        horizon_h: scenario.horizon_h(),
        times_h,
        summary,
        districts,
        assets: timelines.entries,
        tanks: tank_timelines,
        stats: RunStats {
            grid_solves: grid_states.len(),
            water_solves: trace.solves,
            grid_non_convergence,
            water_warnings: trace.warnings.clone(),
        },
    }
}

/// Keeps `restored` as the time from which nothing has been cut: cleared while `cut`,
/// set at the first time after that is not.
fn track_restoration(restored: &mut Option<i64>, cut: bool, time_s: i64) {
    if cut {
        *restored = None;
    } else if restored.is_none() {
        *restored = Some(time_s);
    }
}

/// How many of a station's pumps run in `mode`.
fn running_pumps(station: &PumpStation, mode: StationMode, pumps: usize) -> usize {
    match mode {
        StationMode::Grid => pumps,
        StationMode::Backup => {
            let kw = station.backup.map_or(0.0, |b| b.kw);
            let carried = (pumps as f64 * kw / station.power_kw).floor() as usize;
            carried.min(pumps)
        }
        StationMode::WaitingForBackup | StationMode::NoPower | StationMode::Hit(_) => 0,
    }
}

fn summarise(
    city: &City,
    districts: &[DistrictResult],
    times_h: &[f64],
    power_restored: Option<i64>,
    water_restored: Option<i64>,
) -> Summary {
    let at = |k: usize, value: &dyn Fn(&DistrictSample) -> u64| -> u64 {
        districts.iter().map(|d| value(&d.timeline[k])).sum()
    };
    let peak = |value: &dyn Fn(&DistrictSample) -> u64| -> (u64, f64) {
        let mut best = (0, 0.0);
        for (k, &t) in times_h.iter().enumerate() {
            let v = at(k, value);
            if v > best.0 {
                best = (v, t);
            }
        }
        best
    };
    let (peak_customers, peak_customers_at) = peak(&|s| s.customers_without_power);
    let (peak_people, peak_people_at) = peak(&|s| s.people_without_water);
    let power_restored_h = power_restored.map(hours);
    let water_restored_h = water_restored.map(hours);
    Summary {
        population: city.population(),
        customers: city.districts.iter().map(|d| d.customers).sum(),
        customer_hours_without_power: districts
            .iter()
            .map(|d| d.customer_hours_without_power)
            .sum(),
        person_hours_without_water: districts.iter().map(|d| d.person_hours_without_water).sum(),
        unserved_mwh: districts.iter().map(|d| d.unserved_mwh).sum(),
        unserved_m3: districts.iter().map(|d| d.unserved_m3).sum(),
        peak_customers_without_power: peak_customers,
        peak_customers_at_h: peak_customers_at,
        peak_people_without_water: peak_people,
        peak_people_at_h: peak_people_at,
        districts_without_power: districts
            .iter()
            .filter(|d| d.peak_customers_without_power > 0)
            .map(|d| d.name.clone())
            .collect(),
        districts_without_water: districts
            .iter()
            .filter(|d| d.peak_people_without_water > 0)
            .map(|d| d.name.clone())
            .collect(),
        power_restored_h,
        water_restored_h,
        full_restoration_h: power_restored_h
            .zip(water_restored_h)
            .map(|(p, w)| p.max(w)),
    }
}
