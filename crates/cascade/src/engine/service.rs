//! Step 5: service per district at every evaluation of the water run (or of the normal
//! day's), measured against the city's normal day and integrated until the next, and the
//! result.

use super::power_side::SupplyMode;
use super::{PowerPlan, Stop, hours, served_share, stop_at};
use crate::city::{City, District};
use crate::result::{
    CascadeResult, DistrictResult, DistrictSample, NormalDay, RunStats, Summary, TankTimeline,
};
use crate::scenario::{HOUR_S, Scenario};
use crate::water_run::{DistrictWater, JunctionShort, WaterStep, WaterTrace};
use lifeline_power::GridState;
use std::sync::Arc;

/// The city's normal day over a scenario's horizon: what every loss is measured
/// against, and its own figures.
pub(crate) struct Baseline {
    stops: Vec<Stop>,
    grid_states: Vec<GridState>,
    trace: Arc<WaterTrace>,
    districts: Vec<NormalDay>,
    summary: NormalDay,
}

impl Baseline {
    /// The normal day from its grid side and water run.
    pub(crate) fn new(
        city: &City,
        normal_day: &Scenario,
        mut plan: PowerPlan,
        trace: Arc<WaterTrace>,
    ) -> Self {
        let own = combine(city, normal_day, &mut plan, &trace, None);
        let figures = |d: &DistrictResult| NormalDay {
            customer_hours_without_power: d.customer_hours_without_power,
            person_hours_without_water: d.person_hours_without_water,
            unserved_mwh: d.unserved_mwh,
            unserved_m3: d.unserved_m3,
            peak_customers_without_power: d.peak_customers_without_power,
            peak_people_without_water: d.peak_people_without_water,
        };
        let s = &own.summary;
        Self {
            stops: plan.stops,
            grid_states: plan.grid_states,
            trace,
            districts: own.districts.iter().map(figures).collect(),
            summary: NormalDay {
                customer_hours_without_power: s.customer_hours_without_power,
                person_hours_without_water: s.person_hours_without_water,
                unserved_mwh: s.unserved_mwh,
                unserved_m3: s.unserved_m3,
                peak_customers_without_power: s.peak_customers_without_power,
                peak_people_without_water: s.peak_people_without_water,
            },
        }
    }
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
    shed_mw: f64,
    water_required_lps: f64,
    water_delivered_lps: f64,
    /// Load served on the normal day but not now, MW.
    lost_mw: f64,
    /// Water delivered on the normal day but not now, L/s.
    lost_lps: f64,
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
                shed_mw: n.shed_mw,
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
            t.unserved_mwh += n.lost_mw * dt_s / HOUR_S as f64;
            t.unserved_m3 += n.lost_lps * dt_s / 1000.0;
        }
    }
}

/// The result of a run from its grid side and its water run, its losses measured
/// against `baseline` (against full service when `None`: the normal day's own figures).
///
/// The two runs stop at different times (strikes, hydraulic events): the service is
/// evaluated at every time of either, each run's state held from its last stop.
pub(crate) fn combine(
    city: &City,
    scenario: &Scenario,
    plan: &mut PowerPlan,
    trace: &WaterTrace,
    baseline: Option<&Baseline>,
) -> CascadeResult {
    // The plan's stops and grid states are only read (a baseline keeps them after);
    // its timelines and notes go into the result.
    let mut timelines = std::mem::take(&mut plan.timelines);
    let grid_non_convergence = std::mem::take(&mut plan.grid_non_convergence);
    let (stops, grid_states, facility_timelines) =
        (&plan.stops, &plan.grid_states, &plan.facility_timelines);
    let mut record = Record::new(city.districts.len(), &trace.tank_ids);
    let mut restored = Restored::new(city.districts.len());
    let times = evaluation_times(trace, baseline);
    let (mut k, mut k_normal) = (0, 0);
    for (i, &time_s) in times.iter().enumerate() {
        while k + 1 < trace.steps.len() && trace.steps[k + 1].time_s <= time_s {
            k += 1;
        }
        let step = &trace.steps[k];
        let grid_now = &grid_states[stop_at(stops, time_s).grid];
        let normal = baseline.map(|b| {
            let steps = &b.trace.steps;
            while k_normal + 1 < steps.len() && steps[k_normal + 1].time_s <= time_s {
                k_normal += 1;
            }
            (
                &b.grid_states[stop_at(&b.stops, time_s).grid],
                &steps[k_normal],
            )
        });
        let now: Vec<DistrictNow> = city
            .districts
            .iter()
            .enumerate()
            .map(|(d, district)| {
                let normal = normal.map(|(grid, step)| (grid, &step.districts[d]));
                district_now(district, (grid_now, &step.districts[d]), normal)
            })
            .collect();
        restored.observe(&now, time_s);
        if step.time_s == time_s {
            let modes = &stop_at(stops, time_s).facility_modes;
            for (f, mode) in modes.iter().enumerate() {
                let label = facility_label(*mode, step.facilities_watered[f]);
                timelines.set(facility_timelines[f], time_s, label);
            }
            if time_s % scenario.step_s == 0 || time_s == scenario.horizon_s {
                record.sample(time_s, &now, step);
            }
        }
        if let Some(next) = times.get(i + 1) {
            record.integrate(&now, (next - time_s) as f64);
        }
    }
    let mut districts = district_results(city, record.totals, record.samples, &restored);
    let mut summary = summarise(city, &districts, &record.times_h, &restored);
    if let Some(baseline) = baseline {
        for (district, normal) in districts.iter_mut().zip(&baseline.districts) {
            district.baseline = *normal;
        }
        summary.baseline = baseline.summary;
    }
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

/// Every time either run was evaluated, in order, once each.
fn evaluation_times(trace: &WaterTrace, baseline: Option<&Baseline>) -> Vec<i64> {
    let mut times: Vec<i64> = trace.steps.iter().map(|s| s.time_s).collect();
    if let Some(baseline) = baseline {
        let last = times.last().copied().unwrap_or(0);
        times.extend(
            baseline
                .trace
                .steps
                .iter()
                .map(|s| s.time_s)
                .filter(|&t| t <= last),
        );
        times.sort_unstable();
        times.dedup();
    }
    times
}

/// A district's state with the grid and water of the run `now`, and what it loses
/// against `normal` (the normal day's at the same time; full service when `None`).
fn district_now(
    district: &District,
    (grid_now, water): (&GridState, &DistrictWater),
    normal: Option<(&GridState, &DistrictWater)>,
) -> DistrictNow {
    let (mut load, mut served_mw, mut shed_mw, mut lost_mw) = (0.0, 0.0, 0.0, 0.0);
    let (mut weight, mut lost_weight) = (0.0, 0.0);
    for share in &district.buses {
        let bus_load = grid_now.bus_load_mw[share.position].max(0.0);
        let served = served_share(grid_now, share.position);
        let normally = normal.map_or(1.0, |(grid, _)| served_share(grid, share.position));
        let lost = (normally - served).max(0.0);
        load += share.share * bus_load;
        served_mw += share.share * bus_load * served;
        if grid_now.bus_energised[share.position] {
            shed_mw += share.share * grid_now.bus_shed_mw[share.position].clamp(0.0, bus_load);
        }
        lost_mw += share.share * bus_load * lost;
        weight += share.share;
        lost_weight += share.share * lost;
    }
    let lost_fraction = if load > 0.0 {
        lost_mw / load
    } else if weight > 0.0 {
        lost_weight / weight
    } else {
        0.0
    };
    let customers_without_power =
        ((district.customers as f64) * lost_fraction.clamp(0.0, 1.0)).round() as u64;
    let (people, lost_lps) = water_lost(district, &water.short, normal.map(|(_, w)| &w.short[..]));
    DistrictNow {
        customers_without_power: customers_without_power.min(district.customers),
        people_without_water: (people.round() as u64).min(district.population),
        load_mw: load,
        served_mw,
        shed_mw,
        water_required_lps: water.required_lps,
        water_delivered_lps: water.delivered_lps,
        lost_mw,
        lost_lps,
    }
}

/// People without water who have it on the normal day, and water delivered on the normal
/// day but not now (L/s), junction by junction: `short` and `normal` are sorted by
/// junction; `None` is full service.
fn water_lost(
    district: &District,
    short: &[JunctionShort],
    normal: Option<&[JunctionShort]>,
) -> (f64, f64) {
    let normal = normal.unwrap_or(&[]);
    let (mut people, mut lost_lps, mut n) = (0.0, 0.0, 0);
    for junction in short {
        while n < normal.len() && normal[n].k < junction.k {
            n += 1;
        }
        let usual = normal.get(n).filter(|u| u.k == junction.k);
        if junction.dry && !usual.is_some_and(|u| u.dry) {
            people += district.junction_people[junction.k];
        }
        lost_lps += (junction.shortfall_lps - usual.map_or(0.0, |u| u.shortfall_lps)).max(0.0);
    }
    (people, lost_lps)
}

/// A facility's state: powered (by the grid, or its generator: `backup`) and watered.
fn facility_label(mode: SupplyMode, watered: bool) -> &'static str {
    match (mode.powered(), watered) {
        (true, true) if mode == SupplyMode::Backup => "backup",
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
            baseline: NormalDay::default(),
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
        baseline: NormalDay::default(),
    }
}
