//! The grid side of a run as a small state machine: apply the strikes and repairs due,
//! solve the grid when it changed, step the pump stations (grid, backup generator, or
//! stopped), and say which water links are held closed until the next stop. Every asset
//! is addressed by position; nothing in the loop builds or looks up text.

use super::timelines::Timelines;
use super::{POWERED_SHARE, PowerPlan, Stop, served_share};
use crate::city::{BackupGenerator, City, PumpStation};
use crate::error::CascadeError;
use crate::scenario::{AssetId, Damage, HOUR_S, Scenario};
use lifeline_core::number;
use lifeline_power::ac::NewtonSolver;
use lifeline_power::{Grid, GridOptions, GridState, Outages};
use std::collections::{BTreeSet, HashMap};

/// How a pump station or a facility is powered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SupplyMode {
    Grid,
    WaitingForBackup,
    Backup,
    NoPower,
    Hit(Damage),
}

impl SupplyMode {
    /// Powered: by the grid or its own generator.
    pub(crate) fn powered(self) -> bool {
        matches!(self, SupplyMode::Grid | SupplyMode::Backup)
    }

    fn label(self) -> &'static str {
        match self {
            SupplyMode::Grid => "grid",
            SupplyMode::WaitingForBackup => "waiting_for_backup",
            SupplyMode::Backup => "backup",
            SupplyMode::NoPower => "no_power",
            SupplyMode::Hit(damage) => damage.as_str(),
        }
    }
}

/// A pump station's or facility's backup generator as the run goes.
#[derive(Debug, Clone, Copy, Default)]
struct BackupState {
    /// Fuel left, s of running.
    fuel_s: i64,
    /// When the generator will be (or was) running, while the grid is lost.
    running_from_s: Option<i64>,
}

/// A strike or a repair at a time.
#[derive(Debug, Clone, Copy)]
struct Event {
    time_s: i64,
    /// The struck asset's position in [`PowerSide::struck`].
    asset: usize,
    /// The strike's damage; `None` for its repair.
    hit: Option<Damage>,
}

/// A distinct asset struck in the scenario.
struct Struck {
    asset: AssetId,
    /// Its timeline.
    timeline: usize,
    /// Water links it holds closed while out (a pipe, or every link of a tank).
    links: Vec<usize>,
    /// Damage while out.
    out: Option<Damage>,
}

/// The grid side's state between stops.
pub(crate) struct PowerSide<'a> {
    city: &'a City,
    grid: &'a Grid,
    solver: NewtonSolver,
    events: Vec<Event>,
    next_event: usize,
    stops: BTreeSet<i64>,
    horizon_s: i64,
    struck: Vec<Struck>,
    /// Per pump station: its position in `struck`, if struck.
    station_struck: Vec<Option<usize>>,
    station_timeline: Vec<usize>,
    backups: Vec<BackupState>,
    /// Per facility: its position in `struck`, if struck.
    facility_struck: Vec<Option<usize>>,
    facility_backups: Vec<BackupState>,
    grid_dirty: bool,
    available_mw: Option<f64>,
    grid_states: Vec<GridState>,
    grid_non_convergence: Vec<String>,
    timelines: Timelines,
}

impl<'a> PowerSide<'a> {
    /// The state at 0 h: nothing out, every station on the grid.
    pub(crate) fn new(city: &'a City, grid: &'a Grid, scenario: &Scenario) -> Self {
        let mut timelines = Timelines::new();
        let (struck, events) = struck_assets(city, scenario, &mut timelines);
        let station_struck: Vec<Option<usize>> = city
            .pump_stations
            .iter()
            .map(|station| {
                struck
                    .iter()
                    .position(|s| matches!(&s.asset, AssetId::PumpStation(id) if *id == station.id))
            })
            .collect();
        let station_timeline = city
            .pump_stations
            .iter()
            .zip(&station_struck)
            .map(|(station, hit)| match hit {
                Some(k) => struck[*k].timeline,
                None => timelines.track(
                    format!("pump_station:{}", station.id),
                    station.name.clone(),
                    "grid",
                ),
            })
            .collect();
        let facility_struck = city
            .facilities
            .iter()
            .map(|facility| {
                struck
                    .iter()
                    .position(|s| matches!(&s.asset, AssetId::Facility(id) if *id == facility.id))
            })
            .collect();
        Self {
            city,
            grid,
            solver: grid.solver(),
            stops: initial_stops(scenario, &events),
            events,
            next_event: 0,
            horizon_s: scenario.horizon_s,
            struck,
            station_struck,
            station_timeline,
            backups: city
                .pump_stations
                .iter()
                .map(|s| initial_backup(s.backup))
                .collect(),
            facility_struck,
            facility_backups: city
                .facilities
                .iter()
                .map(|f| initial_backup(f.backup))
                .collect(),
            grid_dirty: true,
            available_mw: scenario.available_mw(0),
            grid_states: Vec::new(),
            grid_non_convergence: Vec::new(),
            timelines,
        }
    }

    /// Runs every stop to the horizon: the stops, grid states and timelines.
    pub(crate) fn run(mut self, scenario: &Scenario) -> Result<PowerPlan, CascadeError> {
        let facility_timelines = self
            .city
            .facilities
            .iter()
            .map(|facility| {
                self.timelines.track(
                    format!("facility:{}", facility.id),
                    facility.name.clone(),
                    "ok",
                )
            })
            .collect();
        let mut planned = Vec::new();
        let mut time_s = 0;
        loop {
            self.apply_events(time_s, scenario);
            self.solve_grid(time_s)?;
            let modes = self.step_stations(time_s);
            let facility_modes = self.step_facilities(time_s);
            let closed = self.closed_links(&modes, &facility_modes);
            let next_stop = self.stops.range(time_s + 1..).next().copied();
            if let Some(next) = next_stop {
                burn_fuel(&mut self.backups, &modes, next - time_s);
                burn_fuel(&mut self.facility_backups, &facility_modes, next - time_s);
            }
            planned.push(Stop {
                time_s,
                grid: self.grid_states.len() - 1,
                closed,
                facility_modes,
            });
            match next_stop {
                Some(next) if time_s < self.horizon_s => time_s = next,
                _ => break,
            }
        }
        Ok(PowerPlan {
            stops: planned,
            grid_states: self.grid_states,
            timelines: self.timelines,
            facility_timelines,
            grid_non_convergence: self.grid_non_convergence,
        })
    }

    /// Step 1: the strikes and repairs due by `time_s`, and the generation limit.
    fn apply_events(&mut self, time_s: i64, scenario: &Scenario) {
        while let Some(event) = self.events.get(self.next_event).copied() {
            if event.time_s > time_s {
                break;
            }
            let struck = &mut self.struck[event.asset];
            struck.out = event.hit;
            let state = event.hit.map_or("in_service", Damage::as_str);
            self.timelines.set(struck.timeline, time_s, state);
            self.grid_dirty |= struck.asset.is_power();
            self.next_event += 1;
        }
        let limit = scenario.available_mw(time_s);
        if limit != self.available_mw {
            self.available_mw = limit;
            self.grid_dirty = true;
        }
    }

    /// Step 2: the grid, solved again if anything on it changed (warm-started).
    fn solve_grid(&mut self, time_s: i64) -> Result<(), CascadeError> {
        if !self.grid_dirty {
            return Ok(());
        }
        let mut outages = Outages::none();
        for struck in self.struck.iter().filter(|s| s.out.is_some()) {
            match struck.asset {
                AssetId::Bus(id) => outages.buses.push(id),
                AssetId::Branch(b) => outages.branches.push(b),
                AssetId::Generator(g) => outages.generators.push(g),
                _ => {}
            }
        }
        let options = GridOptions {
            available_generation_mw: self.available_mw,
            ..GridOptions::default()
        };
        let start = self.grid_states.last().map(|s| s.voltage.as_slice());
        let solved = self
            .grid
            .solve(&outages, &options, &mut self.solver, start)?;
        if !solved.converged() {
            self.grid_non_convergence.push(format!(
                "{}: an island did not converge and was taken down",
                number::clock(time_s)
            ));
        }
        self.grid_states.push(solved);
        self.grid_dirty = false;
        Ok(())
    }

    /// Step 3: how each pump station runs at `time_s`; the times its backup generator
    /// starts or runs dry become stops.
    fn step_stations(&mut self, time_s: i64) -> Vec<SupplyMode> {
        let Some(grid_now) = self.grid_states.last() else {
            unreachable!("the grid is solved at the first stop")
        };
        let mut modes = Vec::with_capacity(self.city.pump_stations.len());
        for (s, station) in self.city.pump_stations.iter().enumerate() {
            let hit = self.station_struck[s].and_then(|k| self.struck[k].out);
            let powered = served_share(grid_now, station.bus_position) >= POWERED_SHARE;
            let mode = supply_mode(
                hit,
                powered,
                station.backup,
                &mut self.backups[s],
                time_s,
                &mut self.stops,
            );
            modes.push(mode);
            self.timelines
                .set(self.station_timeline[s], time_s, mode.label());
        }
        modes
    }

    /// Step 3 for facilities: the grid, their own generator after its delay while fuel
    /// lasts, or dark; the times a generator starts or runs dry become stops.
    fn step_facilities(&mut self, time_s: i64) -> Vec<SupplyMode> {
        let Some(grid_now) = self.grid_states.last() else {
            unreachable!("the grid is solved at the first stop")
        };
        let mut modes = Vec::with_capacity(self.city.facilities.len());
        for (f, facility) in self.city.facilities.iter().enumerate() {
            let hit = self.facility_struck[f].and_then(|k| self.struck[k].out);
            let powered = served_share(grid_now, facility.bus_position) >= POWERED_SHARE;
            modes.push(supply_mode(
                hit,
                powered,
                facility.backup,
                &mut self.facility_backups[f],
                time_s,
                &mut self.stops,
            ));
        }
        modes
    }

    /// Step 4's links held closed: pumps that do not run, the sources of facilities
    /// without power, struck pipes, struck tanks' links; sorted.
    fn closed_links(&self, modes: &[SupplyMode], facility_modes: &[SupplyMode]) -> Vec<usize> {
        let mut closed: BTreeSet<usize> = BTreeSet::new();
        for (s, station) in self.city.pump_stations.iter().enumerate() {
            let running = running_pumps(station, modes[s], station.pump_links.len());
            closed.extend(station.pump_links.iter().skip(running));
        }
        for (facility, mode) in self.city.facilities.iter().zip(facility_modes) {
            if !mode.powered() {
                closed.extend(&facility.powers);
            }
        }
        for struck in self.struck.iter().filter(|s| s.out.is_some()) {
            closed.extend(&struck.links);
        }
        closed.into_iter().collect()
    }
}

/// Generators burn fuel while they run, for `dt_s` until the next stop.
fn burn_fuel(backups: &mut [BackupState], modes: &[SupplyMode], dt_s: i64) {
    for (backup, mode) in backups.iter_mut().zip(modes) {
        if *mode == SupplyMode::Backup {
            backup.fuel_s = (backup.fuel_s - dt_s).max(0);
        }
    }
}

/// How a pump station or facility is powered at `time_s`: struck; on the grid; else on
/// its generator once its start delay has passed, while fuel lasts; else dark. The times
/// its generator starts or runs dry go into `stops`.
fn supply_mode(
    hit: Option<Damage>,
    powered: bool,
    generator: Option<BackupGenerator>,
    backup: &mut BackupState,
    time_s: i64,
    stops: &mut BTreeSet<i64>,
) -> SupplyMode {
    if let Some(damage) = hit {
        backup.running_from_s = None;
        return SupplyMode::Hit(damage);
    }
    if powered {
        backup.running_from_s = None;
        return SupplyMode::Grid;
    }
    match generator {
        Some(generator) if backup.fuel_s > 0 => {
            let delay = (generator.start_delay_h * HOUR_S as f64).round() as i64;
            let from = *backup.running_from_s.get_or_insert(time_s + delay);
            if time_s >= from {
                stops.insert(time_s + backup.fuel_s);
                SupplyMode::Backup
            } else {
                stops.insert(from);
                SupplyMode::WaitingForBackup
            }
        }
        _ => SupplyMode::NoPower,
    }
}

/// The distinct struck assets (each with its timeline, in the order first struck) and
/// the strikes and repairs within the horizon, repairs first at the same time so a
/// repaired asset can be struck again.
fn struck_assets(
    city: &City,
    scenario: &Scenario,
    timelines: &mut Timelines,
) -> (Vec<Struck>, Vec<Event>) {
    let mut struck: Vec<Struck> = Vec::new();
    let mut position: HashMap<&AssetId, usize> = HashMap::new();
    let mut events = Vec::new();
    for strike in &scenario.strikes {
        let k = *position.entry(&strike.asset).or_insert_with(|| {
            struck.push(Struck {
                asset: strike.asset.clone(),
                timeline: timelines.track(
                    strike.asset.to_string(),
                    city.asset_name(&strike.asset),
                    "in_service",
                ),
                links: water_links(city, &strike.asset),
                out: None,
            });
            struck.len() - 1
        });
        events.push(Event {
            time_s: strike.at_s,
            asset: k,
            hit: Some(strike.damage),
        });
        if let Some(repaired) = strike.repaired_at_s().filter(|&t| t <= scenario.horizon_s) {
            events.push(Event {
                time_s: repaired,
                asset: k,
                hit: None,
            });
        }
    }
    // A stable sort: strikes keep their order at the same time.
    events.sort_by_key(|e| (e.time_s, e.hit.is_some()));
    (struck, events)
}

/// The water links a struck asset holds closed: a pipe, or every link of a tank.
fn water_links(city: &City, asset: &AssetId) -> Vec<usize> {
    let network = &city.network;
    match asset {
        AssetId::Pipe(id) => network.link(id).ok().into_iter().collect(),
        AssetId::Tank(id) => match network.node(id) {
            Ok(node) => (0..network.link_count())
                .filter(|&l| network.link_ends[l].0 == node || network.link_ends[l].1 == node)
                .collect(),
            Err(_) => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// Every stop known before the run: strikes and repairs, reported times, the horizon,
/// and the edges of generation limits.
fn initial_stops(scenario: &Scenario, events: &[Event]) -> BTreeSet<i64> {
    let horizon_s = scenario.horizon_s;
    let mut stops: BTreeSet<i64> = events.iter().map(|e| e.time_s).collect();
    let mut sample = 0;
    while sample <= horizon_s {
        stops.insert(sample);
        sample += scenario.step_s;
    }
    stops.insert(horizon_s);
    for limit in &scenario.capacity {
        stops.extend(
            [limit.from_s, limit.to_s]
                .into_iter()
                .filter(|&t| t <= horizon_s),
        );
    }
    stops
}

fn initial_backup(generator: Option<BackupGenerator>) -> BackupState {
    BackupState {
        fuel_s: generator.map_or(0, |b| (b.fuel_hours * HOUR_S as f64).round() as i64),
        running_from_s: None,
    }
}

/// How many of a station's pumps run in `mode`.
fn running_pumps(station: &PumpStation, mode: SupplyMode, pumps: usize) -> usize {
    match mode {
        SupplyMode::Grid => pumps,
        SupplyMode::Backup => {
            let kw = station.backup.map_or(0.0, |b| b.kw);
            let carried = (pumps as f64 * kw / station.power_kw).floor() as usize;
            carried.min(pumps)
        }
        SupplyMode::WaitingForBackup | SupplyMode::NoPower | SupplyMode::Hit(_) => 0,
    }
}
