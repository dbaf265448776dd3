//! Step 5: service per district at every evaluation of the water run, integrated until
//! the next, and the result.

use super::{POWERED_SHARE, PowerPlan, hours, served_share, stop_at};
use crate::city::{City, District};
use crate::result::{
    CascadeResult, DistrictResult, DistrictSample, RunStats, Summary, TankTimeline,
};
use crate::scenario::{HOUR_S, Scenario};
use crate::water_run::{WaterStep, WaterTrace};
use lifeline_power::GridState;

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

/// Since when nothing has been cut, city-wide and per district, for power and water.
struct Restored {
    power: Option<i64>,
    water: Option<i64>,
    district_power: Vec<Option<i64>>,
    district_water: Vec<Option<i64>>,
}

impl Restored {
    fn new(districts: usize) -> Self {
        Self {
            power: Some(0),
            water: Some(0),
            district_power: vec![Some(0); districts],
            district_water: vec![Some(0); districts],
        }
    }

    fn observe(&mut self, now: &[DistrictNow], time_s: i64) {
        for (d, n) in now.iter().enumerate() {
            track_restoration(
                &mut self.district_power[d],
                n.customers_without_power > 0,
                time_s,
            );
            track_restoration(
                &mut self.district_water[d],
                n.people_without_water > 0,
                time_s,
            );
        }
        track_restoration(
            &mut self.power,
            now.iter().any(|d| d.customers_without_power > 0),
            time_s,
        );
        track_restoration(
            &mut self.water,
            now.iter().any(|d| d.people_without_water > 0),
            time_s,
        );
    }
}

/// What the run records at reported times and sums between evaluations.
struct Record {
    totals: Vec<DistrictTotals>,
    samples: Vec<Vec<DistrictSample>>,
    tanks: Vec<TankTimeline>,
    times_h: Vec<f64>,
}

impl Record {
    fn new(districts: usize, tank_ids: &[String]) -> Self {
        Self {
            totals: vec![DistrictTotals::default(); districts],
            samples: vec![Vec::new(); districts],
            tanks: tank_ids
                .iter()
                .map(|id| TankTimeline {
                    id: id.clone(),
                    level_m: Vec::new(),
                    volume_m3: Vec::new(),
                })
                .collect(),
            times_h: Vec::new(),
        }
    }

    /// A reported time: every district's state and every tank's level.
    fn sample(&mut self, time_s: i64, now: &[DistrictNow], step: &WaterStep) {
        self.times_h.push(hours(time_s));
        for (d, n) in now.iter().enumerate() {
            self.samples[d].push(DistrictSample {
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
            self.tanks[t].level_m.push(level);
            self.tanks[t].volume_m3.push(volume);
        }
    }

    /// The state `now` held for `dt_s`, added to the sums.
    fn integrate(&mut self, now: &[DistrictNow], dt_s: f64) {
        for (d, n) in now.iter().enumerate() {
            let t = &mut self.totals[d];
            t.customer_s += n.customers_without_power as f64 * dt_s;
            t.person_s += n.people_without_water as f64 * dt_s;
            t.unserved_mwh += (n.load_mw - n.served_mw).max(0.0) * dt_s / HOUR_S as f64;
            t.unserved_m3 +=
                (n.water_required_lps - n.water_delivered_lps).max(0.0) * dt_s / 1000.0;
        }
    }
}

/// The result of a run from its grid side and its water run.
pub(crate) fn combine(
    city: &City,
    scenario: &Scenario,
    plan: PowerPlan,
    trace: &WaterTrace,
) -> CascadeResult {
    let PowerPlan {
        stops,
        grid_states,
        mut timelines,
        facility_timelines,
        grid_non_convergence,
    } = plan;
    let mut record = Record::new(city.districts.len(), &trace.tank_ids);
    let mut restored = Restored::new(city.districts.len());
    for (k, step) in trace.steps.iter().enumerate() {
        let time_s = step.time_s;
        let grid_now = &grid_states[stop_at(&stops, time_s).grid];
        let now: Vec<DistrictNow> = city
            .districts
            .iter()
            .zip(&step.districts)
            .map(|(district, &water)| district_now(district, grid_now, water))
            .collect();
        restored.observe(&now, time_s);
        for (f, facility) in city.facilities.iter().enumerate() {
            let powered = served_share(grid_now, facility.bus_position) >= POWERED_SHARE;
            let label = facility_label(powered, step.facilities_watered[f]);
            timelines.set(facility_timelines[f], time_s, label);
        }
        if time_s % scenario.step_s == 0 || time_s == scenario.horizon_s {
            record.sample(time_s, &now, step);
        }
        if let Some(next) = trace.steps.get(k + 1) {
            record.integrate(&now, (next.time_s - time_s) as f64);
        }
    }
    let districts = district_results(city, record.totals, record.samples, &restored);
    let summary = summarise(city, &districts, &record.times_h, &restored);
    CascadeResult {
        city: city.name.clone(),
        scenario: scenario.name.clone(),
        start: scenario.start.clone(),
        horizon_h: scenario.horizon_h(),
        times_h: record.times_h,
        summary,
        districts,
        assets: timelines.into_entries(),
        tanks: record.tanks,
        stats: RunStats {
            grid_solves: grid_states.len(),
            water_solves: trace.solves,
            grid_non_convergence,
            water_warnings: trace.warnings.clone(),
        },
    }
}

/// A district's state with the grid in `grid_now` and the water run's
/// `(people without water, required L/s, delivered L/s)`.
fn district_now(
    district: &District,
    grid_now: &GridState,
    (people, required, delivered): (u64, f64, f64),
) -> DistrictNow {
    let served = |position: usize| served_share(grid_now, position);
    let (mut load, mut served_mw, mut weight, mut energised_weight) = (0.0, 0.0, 0.0, 0.0);
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
    let customers_without_power =
        ((district.customers as f64) * (1.0 - served_fraction).clamp(0.0, 1.0)).round() as u64;
    DistrictNow {
        customers_without_power: customers_without_power.min(district.customers),
        people_without_water: people,
        load_mw: load,
        served_mw,
        water_required_lps: required,
        water_delivered_lps: delivered,
    }
}

fn facility_label(powered: bool, watered: bool) -> &'static str {
    match (powered, watered) {
        (true, true) => "ok",
        (false, true) => "no_power",
        (true, false) => "no_water",
        (false, false) => "no_power_no_water",
    }
}

fn district_results(
    city: &City,
    totals: Vec<DistrictTotals>,
    samples: Vec<Vec<DistrictSample>>,
    restored: &Restored,
) -> Vec<DistrictResult> {
    city.districts
        .iter()
        .zip(totals)
        .zip(samples)
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
            power_restored_h: restored.district_power[d].map(hours),
            water_restored_h: restored.district_water[d].map(hours),
            timeline,
        })
        .collect()
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

fn summarise(
    city: &City,
    districts: &[DistrictResult],
    times_h: &[f64],
    restored: &Restored,
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
    let power_restored_h = restored.power.map(hours);
    let water_restored_h = restored.water.map(hours);
    let names = |cut: &dyn Fn(&DistrictResult) -> bool| -> Vec<String> {
        districts
            .iter()
            .filter(|d| cut(d))
            .map(|d| d.name.clone())
            .collect()
    };
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
        districts_without_power: names(&|d| d.peak_customers_without_power > 0),
        districts_without_water: names(&|d| d.peak_people_without_water > 0),
        power_restored_h,
        water_restored_h,
        full_restoration_h: power_restored_h
            .zip(water_restored_h)
            .map(|(p, w)| p.max(w)),
    }
}
