//! Restoration problems from a city and a scenario, and what a plan costs there.
//!
//! Every struck asset is a job: its skill follows its kind (grid assets need power
//! crews, water assets water crews), its repair time is the strike's `repair_h` (work on
//! site) or the city's default for the kind, its release is the time it was hit. Crews
//! are the city's, or `crews` generic crews with both skills spread over the city's
//! depots. Travel is the distance between the depot's and the asset's district centres
//! (from the map) at the city's `travel_kmh`.
//!
//! Cost of a plan ([`CascadeCost`]): the cascade run with each asset repaired when the
//! plan says, weighted: `homes` per customer-hour without power and per person-hour
//! without water, each facility kind per hour without power, `pump_station` per hour a
//! station is stopped. It takes a full hydraulic simulation (about a second on the demo
//! city), so planners search with [`Surrogate`]: the same power side exactly (one grid
//! solve per distinct set of assets out, remembered), pump stations with their diesel
//! rule, and water from one calibration run of the cascade with nothing repaired: a
//! district loses water when the stations that served it in that run have been stopped
//! longer than it took there, and then as many people as there. The calibration runs as
//! long as the slowest dispatch rule's plan, so backup fuel runs out in it as it would in
//! the plans. The surrogate knows no refill time after a station restarts and nothing of
//! a district that loses water with only some of its stations down, so it undercounts
//! water when crews are few; studies therefore rank the final plans by the cascade.

use crate::error::RestoreError;
use crate::instance::{Crew, Instance, Job, Skill};
use crate::objective::Objective;
use crate::plan::Plan;
use crate::planners::Rule;
use lifeline_cascade::city::{City, District, FacilityKind};
use lifeline_cascade::result::CascadeResult;
use lifeline_cascade::scenario::{Asset, HOUR_S, Scenario, Strike};
use lifeline_cascade::simulate_cancellable;
use lifeline_power::{Grid, GridOptions, GridState, Outages};
use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::AtomicBool;

/// The flag of a problem nobody cancels.
static NEVER: AtomicBool = AtomicBool::new(false);

/// Options of a city restoration problem.
#[derive(Debug, Clone, Copy, Default)]
pub struct CityOptions {
    /// Use this many generic crews (both skills) instead of the city's.
    pub crews: Option<usize>,
}

/// A city restoration problem: the instance and what it was made from.
pub struct CityProblem<'a> {
    /// The city.
    pub city: &'a City,
    /// The scenario.
    pub scenario: &'a Scenario,
    /// Jobs, crews, travel, precedence.
    pub instance: Instance,
    /// Index of the strike behind each job.
    pub strike_of_job: Vec<usize>,
    /// Set by the caller to stop the cascade runs of a study early (they end with
    /// `CascadeError::Cancelled`).
    pub cancel: &'a AtomicBool,
}

/// Great-circle distance, km.
fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lon1, lat1) = (a.0.to_radians(), a.1.to_radians());
    let (lon2, lat2) = (b.0.to_radians(), b.1.to_radians());
    let h = ((lat2 - lat1) / 2.0).sin().powi(2)
        + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
}

impl<'a> CityProblem<'a> {
    /// The human name of job `job`'s asset ([`City::asset_name`]).
    pub fn job_name(&self, job: usize) -> String {
        self.city
            .asset_name(&self.scenario.strikes[self.strike_of_job[job]].asset)
    }

    /// Builds the restoration problem of `scenario` on `city`.
    pub fn new(
        city: &'a City,
        scenario: &'a Scenario,
        options: CityOptions,
    ) -> Result<Self, RestoreError> {
        let settings = &city.restoration;
        let district_of_bus = |bus: u32| city.district_of_bus(bus);
        let district_of_node = |node: usize| {
            city.districts
                .iter()
                .position(|d| d.junctions.contains(&node))
        };
        let mut seen = HashMap::new();
        let mut jobs = Vec::new();
        let mut strike_of_job = Vec::new();
        let surrogate_rates = StandaloneRates::new(city, scenario)?;
        for (i, strike) in scenario.strikes.iter().enumerate() {
            let name = strike.asset.to_string();
            if let Some(first) = seen.insert(name.clone(), i) {
                return Err(RestoreError::Invalid(format!(
                    "{name} is struck twice (lines {} and {}): restoration plans one repair per asset",
                    scenario.strikes[first].line, strike.line
                )));
            }
            let skill = if strike.asset.is_power() {
                Skill::Power
            } else {
                Skill::Water
            };
            let duration_h = match strike.repair_s {
                Some(s) => s as f64 / HOUR_S as f64,
                None => settings.repair_h_of(&strike.asset).unwrap_or(12.0),
            };
            let (district, priority) = match &strike.asset {
                Asset::Bus(bus) => (district_of_bus(*bus), bus_priority(city, *bus)),
                Asset::Branch(b) => {
                    let branch = &city.case.branches[*b];
                    (district_of_bus(branch.from), 0)
                }
                Asset::Generator(g) => (district_of_bus(city.case.generators[*g].bus), 1),
                Asset::PumpStation(id) => {
                    let station = city.pump_stations.iter().find(|s| &s.id == id);
                    (station.and_then(|s| district_of_bus(s.bus)), 2)
                }
                Asset::Pipe(id) => (
                    city.network
                        .link(id)
                        .ok()
                        .and_then(|l| district_of_node(city.network.link_ends[l].0)),
                    2,
                ),
                Asset::Tank(id) => (
                    city.network.node(id).ok().and_then(|n| {
                        (0..city.network.link_count())
                            .filter(|&l| {
                                city.network.link_ends[l].0 == n || city.network.link_ends[l].1 == n
                            })
                            .find_map(|l| {
                                let (a, b) = city.network.link_ends[l];
                                district_of_node(if a == n { b } else { a })
                            })
                    }),
                    2,
                ),
            };
            let (weight, load) = surrogate_rates.rate(&strike.asset);
            jobs.push(Job {
                asset: name,
                skill,
                duration_h,
                release_h: strike.at_s as f64 / HOUR_S as f64,
                weight,
                priority,
                load,
                district,
            });
            strike_of_job.push(i);
        }

        // Crews and their depots.
        let depots: Vec<usize> = city.crews.iter().map(|c| c.depot).collect();
        let crews: Vec<(Crew, Option<usize>)> = match options.crews {
            Some(0) => {
                return Err(RestoreError::Infeasible(
                    "--crews must be at least 1".into(),
                ));
            }
            Some(count) => (0..count)
                .map(|k| {
                    let depot = if depots.is_empty() {
                        None
                    } else {
                        Some(depots[k % depots.len()])
                    };
                    (
                        Crew {
                            id: format!("crew-{}", k + 1),
                            skills: vec![Skill::Power, Skill::Water],
                        },
                        depot,
                    )
                })
                .collect(),
            None => city
                .crews
                .iter()
                .map(|c| {
                    let skills = c
                        .skills
                        .iter()
                        .map(|s| match s {
                            lifeline_cascade::city::Skill::Power => Skill::Power,
                            lifeline_cascade::city::Skill::Water => Skill::Water,
                        })
                        .collect();
                    (
                        Crew {
                            id: c.id.clone(),
                            skills,
                        },
                        Some(c.depot),
                    )
                })
                .collect(),
        };
        if crews.is_empty() {
            return Err(RestoreError::Infeasible(
                "the city has no [[crew]]: add crews to city.toml or give a number of crews".into(),
            ));
        }
        let centres: Vec<Option<(f64, f64)>> =
            city.districts.iter().map(District::centre).collect();
        let travel_h: Vec<Vec<f64>> = crews
            .iter()
            .map(|(_, depot)| {
                jobs.iter()
                    .map(|job| match (depot, job.district) {
                        (Some(a), Some(b)) if settings.travel_kmh > 0.0 => {
                            match (centres[*a], centres[b]) {
                                (Some(p), Some(q)) => distance_km(p, q) / settings.travel_kmh,
                                _ => 0.0,
                            }
                        }
                        _ => 0.0,
                    })
                    .collect()
            })
            .collect();
        let index: HashMap<String, usize> = jobs
            .iter()
            .enumerate()
            .map(|(i, j)| (j.asset.clone(), i))
            .collect();
        let mut precedence = Vec::new();
        for (first, then) in &scenario.precedence {
            if let (Some(&a), Some(&b)) =
                (index.get(&first.to_string()), index.get(&then.to_string()))
            {
                precedence.push((a, b));
            }
        }
        // A struck line waits for a struck substation at either end.
        for (j, strike) in scenario.strikes.iter().enumerate() {
            if let Asset::Branch(b) = strike.asset {
                let branch = &city.case.branches[b];
                for end in [branch.from, branch.to] {
                    if let Some(&a) = index.get(&format!("bus:{end}"))
                        && !precedence.contains(&(a, j))
                    {
                        precedence.push((a, j));
                    }
                }
            }
        }
        let instance = Instance::new(
            jobs,
            crews.into_iter().map(|(c, _)| c).collect(),
            travel_h,
            precedence,
        )?;
        Ok(Self {
            city,
            scenario,
            instance,
            strike_of_job,
            cancel: &NEVER,
        })
    }

    /// The same problem, its cascade runs stopped once `cancel` is set.
    pub fn cancel_with(mut self, cancel: &'a AtomicBool) -> Self {
        self.cancel = cancel;
        self
    }

    /// The scenario with each asset repaired when `plan` says, over `horizon_s`.
    pub fn scenario_for(&self, plan: &Plan, horizon_s: i64) -> Scenario {
        let done = plan.completion_h(self.instance.jobs.len());
        let mut scenario = self.scenario.clone();
        scenario.horizon_s = horizon_s;
        scenario.capacity.retain(|c| c.from_s < horizon_s);
        for c in &mut scenario.capacity {
            c.to_s = c.to_s.min(horizon_s);
        }
        for (job, &i) in self.strike_of_job.iter().enumerate() {
            let strike: &mut Strike = &mut scenario.strikes[i];
            let end_s = (done[job] * HOUR_S as f64).round() as i64;
            strike.repair_s = Some((end_s - strike.at_s).max(1));
        }
        scenario
    }

    /// A horizon that covers `plans`: the scenario's, or the last repair plus 12 h for the
    /// tanks to refill, in whole hours.
    pub fn horizon_for(&self, plans: &[&Plan]) -> i64 {
        let last = plans.iter().map(|p| p.makespan_h()).fold(0.0, f64::max);
        let needed = ((last + 12.0).ceil() as i64) * HOUR_S;
        needed.max(self.scenario.horizon_s)
    }
}

/// A bus's priority class: 3 if it feeds a hospital or water treatment, 2 a pump station,
/// 1 a heat plant or other facility, else 0.
fn bus_priority(city: &City, bus: u32) -> u8 {
    let mut p = 0;
    for f in city.facilities.iter().filter(|f| f.bus == bus) {
        p = p.max(match f.kind {
            FacilityKind::Hospital | FacilityKind::WaterTreatment => 3,
            FacilityKind::HeatPlant | FacilityKind::Other => 1,
        });
    }
    if city.pump_stations.iter().any(|s| s.bus == bus) {
        p = p.max(2);
    }
    p
}

/// The weighted cost of a cascade result (see the module docs).
pub fn weighted_cost(city: &City, result: &CascadeResult) -> f64 {
    let w = &city.restoration;
    let homes = w.weight("homes");
    let mut cost = homes
        * (result.summary.customer_hours_without_power + result.summary.person_hours_without_water);
    let horizon = result.horizon_h;
    let hours_in = |asset: &str, bad: &dyn Fn(&str) -> bool| -> f64 {
        result.asset(asset).map_or(0.0, |timeline| {
            let mut total = 0.0;
            for (i, change) in timeline.changes.iter().enumerate() {
                let until = timeline.changes.get(i + 1).map_or(horizon, |c| c.t_h);
                if bad(&change.state) {
                    total += until - change.t_h;
                }
            }
            total
        })
    };
    for f in &city.facilities {
        let kind = match f.kind {
            FacilityKind::Hospital => "hospital",
            FacilityKind::WaterTreatment => "water_treatment",
            FacilityKind::HeatPlant => "heat_plant",
            FacilityKind::Other => "other",
        };
        cost += w.weight(kind)
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
    /// Evaluates plans of `problem` over `horizon_s` (see [`CityProblem::horizon_for`]).
    pub fn new(problem: &'p CityProblem<'a>, horizon_s: i64) -> Self {
        Self { problem, horizon_s }
    }

    /// The cascade result of `plan`.
    pub fn run(&self, plan: &Plan) -> Result<CascadeResult, RestoreError> {
        let scenario = self.problem.scenario_for(plan, self.horizon_s);
        Ok(simulate_cancellable(
            self.problem.city,
            &scenario,
            &mut |_, _| {},
            self.problem.cancel,
        )?)
    }
}

impl Objective for CascadeCost<'_, '_> {
    fn cost(&self, _instance: &Instance, plan: &Plan) -> f64 {
        match self.run(plan) {
            Ok(result) => weighted_cost(self.problem.city, &result),
            Err(_) => f64::INFINITY,
        }
    }
}

/// The power side of the city for one set of assets out.
#[derive(Debug, Clone)]
struct PowerSnapshot {
    /// Customers without power per district.
    customers_out: Vec<f64>,
    /// Per facility: powered.
    facility_powered: Vec<bool>,
    /// Per pump station: its bus powered.
    station_powered: Vec<bool>,
}

/// The grid side shared by the surrogate and the standalone rates: solves remembered per
/// set of grid assets out.
struct PowerModel<'a> {
    city: &'a City,
    grid: Grid,
    cache: Mutex<HashMap<Vec<String>, PowerSnapshot>>,
}

impl<'a> PowerModel<'a> {
    fn new(city: &'a City) -> Result<Self, RestoreError> {
        let grid = Grid::new(city.case.clone())
            .map_err(|e| RestoreError::Cascade(e.into()))?
            .with_priorities(city.bus_priorities());
        Ok(Self {
            city,
            grid,
            cache: Mutex::new(HashMap::new()),
        })
    }

    fn snapshot(&self, out: &[&Asset], available_mw: Option<f64>) -> PowerSnapshot {
        let mut key: Vec<String> = out
            .iter()
            .filter(|a| a.is_power())
            .map(|a| a.to_string())
            .collect();
        key.sort();
        if let Some(mw) = available_mw {
            key.push(format!("cap:{mw}"));
        }
        if let Some(hit) = self.cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
            return hit;
        }
        let mut outages = Outages::none();
        for asset in out {
            match asset {
                Asset::Bus(b) => outages.buses.push(*b),
                Asset::Branch(b) => outages.branches.push(*b),
                Asset::Generator(g) => outages.generators.push(*g),
                _ => {}
            }
        }
        let options = GridOptions {
            available_generation_mw: available_mw,
            ..GridOptions::default()
        };
        let state = self
            .grid
            .solve(&outages, &options, &mut self.grid.solver(), None)
            .ok();
        let snapshot = self.describe(state.as_ref());
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(key, snapshot.clone());
        }
        snapshot
    }

    fn describe(&self, state: Option<&GridState>) -> PowerSnapshot {
        let city = self.city;
        let positions = city.case.bus_positions();
        let served = |p: usize| -> f64 {
            match state {
                None => 0.0,
                Some(s) if !s.bus_energised[p] => 0.0,
                Some(s) if s.bus_load_mw[p] > 0.0 => 1.0 - s.bus_shed_mw[p] / s.bus_load_mw[p],
                Some(_) => 1.0,
            }
        };
        let customers_out = city
            .districts
            .iter()
            .map(|d| {
                let (mut load, mut cut) = (0.0, 0.0);
                for share in &d.buses {
                    let bus_load = state.map_or(0.0, |s| s.bus_load_mw[share.position].max(0.0));
                    load += share.share * bus_load;
                    cut += share.share * bus_load * (1.0 - served(share.position));
                }
                if load > 0.0 {
                    d.customers as f64 * cut / load
                } else {
                    0.0
                }
            })
            .collect();
        PowerSnapshot {
            customers_out,
            facility_powered: city
                .facilities
                .iter()
                .map(|f| served(positions[&f.bus]) >= 0.5)
                .collect(),
            station_powered: city
                .pump_stations
                .iter()
                .map(|s| served(positions[&s.bus]) >= 0.5)
                .collect(),
        }
    }
}

/// Each asset's own cost rate (everything else in service), for the rules and the
/// additive model: (weight per hour, load).
struct StandaloneRates<'a> {
    model: PowerModel<'a>,
}

impl<'a> StandaloneRates<'a> {
    fn new(city: &'a City, _scenario: &Scenario) -> Result<Self, RestoreError> {
        Ok(Self {
            model: PowerModel::new(city)?,
        })
    }

    fn rate(&self, asset: &Asset) -> (f64, f64) {
        let city = self.model.city;
        let w = &city.restoration;
        let snapshot = self.model.snapshot(&[asset], None);
        let customers: f64 = snapshot.customers_out.iter().sum();
        let mut weight = w.weight("homes") * customers;
        for (f, powered) in city.facilities.iter().zip(&snapshot.facility_powered) {
            if !powered {
                weight += w.weight(facility_kind(f.kind));
            }
        }
        let mut people = 0.0;
        for (s, station) in city.pump_stations.iter().enumerate() {
            let hit = matches!(asset, Asset::PumpStation(id) if *id == station.id);
            if hit || (!snapshot.station_powered[s] && station.backup.is_none()) {
                weight += w.weight("pump_station");
                people += station
                    .serves
                    .iter()
                    .map(|&d| city.districts[d].population as f64)
                    .sum::<f64>()
                    / 10.0;
            }
        }
        // People at risk of losing water count a tenth: they lose it only after the tanks.
        weight += w.weight("homes") * people;
        (weight, customers + people)
    }
}

fn facility_kind(kind: FacilityKind) -> &'static str {
    match kind {
        FacilityKind::Hospital => "hospital",
        FacilityKind::WaterTreatment => "water_treatment",
        FacilityKind::HeatPlant => "heat_plant",
        FacilityKind::Other => "other",
    }
}

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

/// The fast cost for search (see the module docs).
pub struct Surrogate<'p, 'a> {
    problem: &'p CityProblem<'a>,
    power: PowerModel<'a>,
    water: Vec<Option<WaterResponse>>,
}

impl<'p, 'a> Surrogate<'p, 'a> {
    /// Calibrates the water side with one cascade run in which nothing is repaired.
    pub fn new(problem: &'p CityProblem<'a>) -> Result<Self, RestoreError> {
        let city = problem.city;
        // Over as long as plans may run: backup fuel that outlasts the scenario's own
        // horizon runs out in the calibration too.
        let longest_h = [
            Rule::Priority,
            Rule::LargestLoad,
            Rule::ShortestRepair,
            Rule::Ratio,
        ]
        .iter()
        .map(|rule| {
            crate::plan::decode(&problem.instance, &rule.order(&problem.instance)).makespan_h()
        })
        .fold(0.0, f64::max);
        let mut nothing = problem.scenario.clone();
        nothing.horizon_s = nothing
            .horizon_s
            .max(((1.5 * longest_h + 12.0).ceil() as i64) * HOUR_S);
        for strike in &mut nothing.strikes {
            strike.repair_s = None;
        }
        let result = simulate_cancellable(city, &nothing, &mut |_, _| {}, problem.cancel)?;
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
        let water = result
            .districts
            .iter()
            .enumerate()
            .map(|(d, district)| {
                let first = district
                    .timeline
                    .iter()
                    .find(|s| s.people_without_water > 0)?;
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
                let dry: Vec<f64> = district
                    .timeline
                    .iter()
                    .filter(|s| s.people_without_water > 0)
                    .map(|s| s.people_without_water as f64)
                    .collect();
                (!stations.is_empty()).then(|| WaterResponse {
                    stations,
                    delay_h: (first.t_h - since).max(0.0),
                    people: dry.iter().sum::<f64>() / dry.len() as f64,
                })
            })
            .collect();
        Ok(Self {
            problem,
            power: PowerModel::new(city)?,
            water,
        })
    }
}

impl Objective for Surrogate<'_, '_> {
    fn cost(&self, instance: &Instance, plan: &Plan) -> f64 {
        let city = self.problem.city;
        let scenario = self.problem.scenario;
        let w = &city.restoration;
        let done = plan.completion_h(instance.jobs.len());
        // Times at which the set of assets out changes.
        let mut times: Vec<f64> = vec![0.0];
        for (j, job) in instance.jobs.iter().enumerate() {
            times.push(job.release_h);
            times.push(done[j]);
        }
        for c in &scenario.capacity {
            times.push(c.from_s as f64 / HOUR_S as f64);
            times.push(c.to_s as f64 / HOUR_S as f64);
        }
        times.sort_by(f64::total_cmp);
        times.dedup();
        let stations = city.pump_stations.len();
        let mut fuel_h: Vec<f64> = city
            .pump_stations
            .iter()
            .map(|s| s.backup.map_or(0.0, |b| b.fuel_hours))
            .collect();
        let mut lost_since: Vec<Option<f64>> = vec![None; stations];
        let mut down_since: Vec<Option<f64>> = vec![None; stations];
        let mut cost = 0.0;
        let homes = w.weight("homes");
        for pair in times.windows(2) {
            let (t, next) = (pair[0], pair[1]);
            let dt = next - t;
            if dt <= 0.0 {
                continue;
            }
            let out: Vec<&Asset> = instance
                .jobs
                .iter()
                .enumerate()
                .filter(|(j, job)| job.release_h <= t && t < done[*j])
                .map(|(j, _)| &scenario.strikes[self.problem.strike_of_job[j]].asset)
                .collect();
            let snapshot = self
                .power
                .snapshot(&out, scenario.available_mw((t * HOUR_S as f64) as i64));
            cost += homes * snapshot.customers_out.iter().sum::<f64>() * dt;
            for (f, powered) in city.facilities.iter().zip(&snapshot.facility_powered) {
                if !powered {
                    cost += w.weight(facility_kind(f.kind)) * dt;
                }
            }
            // Pump stations: grid, else diesel after its delay while fuel lasts.
            let mut running = vec![true; stations];
            for (s, station) in city.pump_stations.iter().enumerate() {
                let hit = out
                    .iter()
                    .any(|a| matches!(a, Asset::PumpStation(id) if *id == station.id));
                if hit {
                    running[s] = false;
                    lost_since[s] = None;
                } else if snapshot.station_powered[s] {
                    lost_since[s] = None;
                } else {
                    let since = *lost_since[s].get_or_insert(t);
                    let delay = station.backup.map_or(f64::INFINITY, |b| b.start_delay_h);
                    let on_diesel = t >= since + delay && fuel_h[s] > 0.0;
                    if on_diesel {
                        fuel_h[s] = (fuel_h[s] - dt).max(0.0);
                    }
                    running[s] = on_diesel;
                }
                if running[s] {
                    down_since[s] = None;
                } else {
                    down_since[s].get_or_insert(t);
                    cost += w.weight("pump_station") * dt;
                }
            }
            // Water: a district runs dry once its stations have all been down its delay.
            for response in self.water.iter().flatten() {
                let down: Vec<f64> = response
                    .stations
                    .iter()
                    .filter_map(|&s| down_since[s])
                    .collect();
                let Some(since) = down.iter().copied().reduce(f64::min) else {
                    continue;
                };
                if t + dt > since + response.delay_h {
                    let share = down.len() as f64 / response.stations.len() as f64;
                    let from = t.max(since + response.delay_h);
                    cost += homes * response.people * share * (t + dt - from);
                }
            }
        }
        cost
    }
}
