//! The restoration problem of a scenario on a city: one job per struck asset, the city's
//! crews (or generic ones) with travel from their depots, precedence.

use super::power::StandaloneRates;
use crate::error::RestoreError;
use crate::instance::{Crew, Instance, Job, Skill};
use crate::plan::Plan;
use lifeline_cascade::WaterCache;
use lifeline_cascade::city::{City, District, FacilityKind};
use lifeline_cascade::scenario::{AssetId, HOUR_S, Scenario, Strike};
use lifeline_geo::distance_km;
use std::collections::HashMap;
use std::sync::atomic::AtomicBool;

/// The flag of a problem nobody cancels.
static NEVER: AtomicBool = AtomicBool::new(false);

/// Repair time of an asset the scenario and the city give none for, h.
const DEFAULT_REPAIR_H: f64 = 12.0;

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
    /// The water runs of this problem's cascade runs, shared: the normal day is made
    /// once for every plan, and plans that close the same links share their run.
    pub water: WaterCache,
    /// The city's crews left out because they can repair none of the damaged assets (a
    /// water crew when only the grid is hit), by id.
    pub crews_without_work: Vec<String>,
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
        let (jobs, strike_of_job) = jobs(city, scenario)?;
        let mut crews = crews(city, options)?;
        // Crews with nothing they can repair stay at their depot; when no crew can repair
        // anything the instance's check says which assets nobody can repair.
        let (able, without_work): (Vec<_>, Vec<_>) = crews
            .iter()
            .cloned()
            .partition(|(crew, _)| jobs.iter().any(|job| crew.can_do(job)));
        let crews_without_work = if able.is_empty() || jobs.is_empty() {
            Vec::new()
        } else {
            crews = able;
            without_work.into_iter().map(|(crew, _)| crew.id).collect()
        };
        let travel_h = travel_times(city, &crews, &jobs);
        let precedence = precedence(city, scenario, &jobs);
        let instance = Instance::new(
            jobs,
            crews.into_iter().map(|(crew, _)| crew).collect(),
            travel_h,
            precedence,
        )?;
        Ok(Self {
            city,
            scenario,
            instance,
            strike_of_job,
            cancel: &NEVER,
            water: WaterCache::new(),
            crews_without_work,
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

    /// The evaluation horizon of every plan, s: the scenario's, or long enough for any
    /// plan that never leaves a crew idle to finish plus 12 h for the tanks to refill,
    /// in whole hours. It depends on the scenario and the repair and travel times only,
    /// never on a plan, so a plan costs the same in every study of the problem.
    pub fn horizon_s(&self) -> i64 {
        let needed = ((self.instance.latest_makespan_h() + 12.0).ceil() as i64) * HOUR_S;
        needed.max(self.scenario.horizon_s)
    }
}

/// One job per strike (an asset struck twice is refused), with the strike behind each.
fn jobs(city: &City, scenario: &Scenario) -> Result<(Vec<Job>, Vec<usize>), RestoreError> {
    let rates = StandaloneRates::new(city)?;
    let mut seen = HashMap::new();
    let mut jobs = Vec::new();
    let mut strike_of_job = Vec::new();
    for (i, strike) in scenario.strikes.iter().enumerate() {
        let name = strike.asset.to_string();
        if let Some(first) = seen.insert(name.clone(), i) {
            return Err(RestoreError::StruckTwice {
                field: "strike",
                asset: name,
                first_line: scenario.strikes[first].line,
                second_line: strike.line,
            });
        }
        jobs.push(job(city, strike, &rates)?);
        strike_of_job.push(i);
    }
    Ok((jobs, strike_of_job))
}

/// The job of repairing what `strike` hit: its skill follows the asset's kind, its repair
/// time is the strike's or the city's default, its weight the asset's own cost rate.
fn job(city: &City, strike: &Strike, rates: &StandaloneRates<'_>) -> Result<Job, RestoreError> {
    let skill = if strike.asset.is_power() {
        Skill::Power
    } else {
        Skill::Water
    };
    let duration_h = match strike.repair_s {
        Some(s) => s as f64 / HOUR_S as f64,
        None => city
            .restoration
            .repair_h_of(&strike.asset)
            .unwrap_or(DEFAULT_REPAIR_H),
    };
    let (district, priority) = district_and_priority(city, &strike.asset);
    let (weight, load) = rates.rate(&strike.asset)?;
    Ok(Job {
        asset: strike.asset.to_string(),
        skill,
        duration_h,
        release_h: strike.at_s as f64 / HOUR_S as f64,
        weight,
        priority,
        load,
        district,
    })
}

/// The district an asset stands in (for travel) and its priority class (see
/// [`Job::priority`]).
fn district_and_priority(city: &City, asset: &AssetId) -> (Option<usize>, u8) {
    let district_of_node = |node: usize| {
        city.districts
            .iter()
            .position(|d| d.junctions.contains(&node))
    };
    let network = &city.network;
    match asset {
        AssetId::Bus(bus) => (city.district_of_bus(*bus), bus_priority(city, *bus)),
        AssetId::Branch(b) => (city.district_of_bus(city.case.branches[*b].from), 0),
        AssetId::Generator(g) => (city.district_of_bus(city.case.generators[*g].bus), 1),
        AssetId::PumpStation(id) => {
            let station = city.pump_stations.iter().find(|s| &s.id == id);
            (station.and_then(|s| city.district_of_bus(s.bus)), 2)
        }
        AssetId::Pipe(id) => (
            network
                .link(id)
                .ok()
                .and_then(|l| district_of_node(network.link_ends[l].0)),
            2,
        ),
        // A tank stands where the first link into it comes from.
        AssetId::Tank(id) => (
            network.node(id).ok().and_then(|n| {
                (0..network.link_count())
                    .filter(|&l| network.link_ends[l].0 == n || network.link_ends[l].1 == n)
                    .find_map(|l| {
                        let (a, b) = network.link_ends[l];
                        district_of_node(if a == n { b } else { a })
                    })
            }),
            2,
        ),
        AssetId::Facility(id) => {
            let facility = city.facilities.iter().find(|f| &f.id == id);
            (
                facility.and_then(|f| f.district),
                facility.map_or(0, |f| f.priority),
            )
        }
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

/// The crews with their depots (district index): the city's, or `options.crews` generic
/// crews with both skills spread over the city's depots.
fn crews(city: &City, options: CityOptions) -> Result<Vec<(Crew, Option<usize>)>, RestoreError> {
    let depots: Vec<usize> = city.crews.iter().map(|c| c.depot).collect();
    let crews: Vec<(Crew, Option<usize>)> = match options.crews {
        Some(0) => {
            return Err(RestoreError::NoCrews {
                field: "crews",
                reason: "at least 1 crew is needed, 0 were asked for",
            });
        }
        Some(count) => (0..count)
            .map(|k| {
                let crew = Crew {
                    id: format!("crew-{}", k + 1),
                    skills: vec![Skill::Power, Skill::Water],
                };
                (crew, (!depots.is_empty()).then(|| depots[k % depots.len()]))
            })
            .collect(),
        None => city
            .crews
            .iter()
            .map(|c| (Crew::from(c), Some(c.depot)))
            .collect(),
    };
    if crews.is_empty() {
        return Err(RestoreError::NoCrews {
            field: "crews",
            reason: "the city has no [[crew]]: add crews to city.toml or give a number of crews",
        });
    }
    Ok(crews)
}

/// Travel from each crew's depot to each job's district centre at the city's
/// `travel_kmh`, h (0 where either is unknown).
fn travel_times(city: &City, crews: &[(Crew, Option<usize>)], jobs: &[Job]) -> Vec<Vec<f64>> {
    let speed_kmh = city.restoration.travel_kmh;
    let centres: Vec<Option<(f64, f64)>> = city.districts.iter().map(District::centre).collect();
    crews
        .iter()
        .map(|(_, depot)| {
            jobs.iter()
                .map(|job| match (depot, job.district) {
                    (Some(a), Some(b)) if speed_kmh > 0.0 => match (centres[*a], centres[b]) {
                        (Some(p), Some(q)) => distance_km(p, q) / speed_kmh,
                        _ => 0.0,
                    },
                    _ => 0.0,
                })
                .collect()
        })
        .collect()
}

/// The scenario's precedence between struck assets, and a struck line waiting for a
/// struck substation at either end.
fn precedence(city: &City, scenario: &Scenario, jobs: &[Job]) -> Vec<(usize, usize)> {
    let index: HashMap<&str, usize> = jobs
        .iter()
        .enumerate()
        .map(|(i, j)| (j.asset.as_str(), i))
        .collect();
    let mut precedence = Vec::new();
    for (first, then) in &scenario.precedence {
        if let (Some(&a), Some(&b)) = (
            index.get(first.to_string().as_str()),
            index.get(then.to_string().as_str()),
        ) {
            precedence.push((a, b));
        }
    }
    for (j, strike) in scenario.strikes.iter().enumerate() {
        if let AssetId::Branch(b) = strike.asset {
            let branch = &city.case.branches[b];
            for end in [branch.from, branch.to] {
                if let Some(&a) = index.get(format!("bus:{end}").as_str())
                    && !precedence.contains(&(a, j))
                {
                    precedence.push((a, j));
                }
            }
        }
    }
    precedence
}
