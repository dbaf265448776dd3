//! The forecast: every sample's repairs through the cascade (shared grid set-up, each
//! distinct water run once, on the caller's rayon pool), then per district the spread of
//! when power and water are back, and the city's fan of people without service.

use crate::ForecastError;
use crate::dispatch::Dispatch;
use crate::draw::{RepairModel, SampledRepairs, apply, sample};
use lifeline_cascade::scenario::HOUR_S;
use lifeline_cascade::{CascadeResult, City, Scenario, WaterCache, simulate_batch_cancellable};
use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

/// Most samples a forecast may draw.
pub const MAX_SAMPLES: usize = 100_000;
/// Longest forecast horizon, h (two weeks): repairs drawn later are "not within it".
pub const MAX_HORIZON_H: f64 = 336.0;
/// Hours simulated after a sample's latest repair, for tanks to refill.
pub const SETTLE_H: f64 = 12.0;
/// Sample horizons are whole multiples of this, h: few distinct horizons, so few normal
/// days to simulate.
pub const HORIZON_GRAIN_H: f64 = 24.0;

/// What to forecast.
#[derive(Debug, Clone, PartialEq)]
pub struct ForecastRequest {
    /// Monte Carlo samples (1 to [`MAX_SAMPLES`]).
    pub samples: usize,
    /// Seed of the draws: the same seed gives the same forecast.
    pub seed: u64,
    /// Forecast from this moment, s from the scenario's start: repairs the scenario has
    /// done by then keep their times; `None`: from the start.
    pub at_s: Option<i64>,
}

/// Three quantiles of a time, h from the scenario's start (`None`: not within the
/// forecast's horizon).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Quantiles {
    /// 10th percentile.
    pub p10: Option<f64>,
    /// Median.
    pub p50: Option<f64>,
    /// 90th percentile.
    pub p90: Option<f64>,
}

/// Three quantiles of a count.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CountQuantiles {
    /// 10th percentile.
    pub p10: u64,
    /// Median.
    pub p50: u64,
    /// 90th percentile.
    pub p90: u64,
}

/// The chance that a district has power (water) back by an hour.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BackBy {
    /// Time, h from the scenario's start.
    pub t_h: f64,
    /// Share of samples with every customer's power back for good by then (0–1).
    pub power: f64,
    /// Share of samples with everyone's water back for good by then (0–1).
    pub water: f64,
}

/// A district's forecast.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DistrictForecast {
    /// The district.
    pub name: String,
    /// When every customer has power back for good, h (0: never cut).
    pub power_back_h: Quantiles,
    /// When everyone has water back for good, h (0: never without).
    pub water_back_h: Quantiles,
    /// The chance of being back by each whole hour of the horizon.
    pub by_hour: Vec<BackBy>,
    /// The district's fan: customers without power and people without water at each
    /// reported time (the city's [`FanPoint`]s, for this district).
    pub fan: Vec<FanPoint>,
}

/// The city's fan at one reported time.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FanPoint {
    /// Time, h.
    pub t_h: f64,
    /// Customers without power (beyond the normal day).
    pub customers_without_power: CountQuantiles,
    /// People without water (beyond the normal day).
    pub people_without_water: CountQuantiles,
}

/// A forecast (`lifeline forecast --json`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Forecast {
    /// The city's name.
    pub city: String,
    /// The scenario's name.
    pub scenario: String,
    /// Samples drawn.
    pub samples: usize,
    /// Their seed.
    pub seed: u64,
    /// The moment forecast from, h (`None`: the start).
    pub at_h: Option<f64>,
    /// The longest horizon a sample ran over, h (each ran until 12 h after its latest
    /// repair, in whole days, at least the scenario's).
    pub horizon_h: f64,
    /// How repairs were dispatched: `none` (each when its asset is hit, as the
    /// scenario says), `chosen` (a restoration plan's order kept) or `rule` (crews sent
    /// by a rule in every sample).
    pub plan: String,
    /// The plan or rule, for `chosen` and `rule` (`the best plan`, `the priority rule`).
    pub plan_by: Option<String>,
    /// Whether nothing was uncertain (every sample the same).
    pub certain: bool,
    /// Samples in which some asset reported damaged proved destroyed.
    pub samples_with_destroyed: usize,
    /// Samples in which some repair ran past the horizon.
    pub samples_beyond_horizon: usize,
    /// Hydraulic solves that did not balance (EPANET's warning 1), in all samples: their
    /// water figures are the solver's last trial, not a balanced network.
    pub unbalanced_solves: usize,
    /// Samples with at least one such solve.
    pub samples_with_unbalanced_solves: usize,
    /// Per district, in the city's order.
    pub districts: Vec<DistrictForecast>,
    /// The city's fan of people without service.
    pub fan: Vec<FanPoint>,
    /// Distinct water network runs made, and samples that reused one.
    pub water_runs_made: usize,
    /// Samples that took their water run from another's.
    pub water_runs_shared: usize,
    /// Wall time, s.
    pub seconds: f64,
    /// Samples per second.
    pub samples_per_second: f64,
}

/// Checks a request's numbers; errors name the field.
pub fn check(request: &ForecastRequest, scenario: &Scenario) -> Result<(), ForecastError> {
    if request.samples == 0 || request.samples > MAX_SAMPLES {
        return Err(ForecastError::field(
            "samples",
            format!("must be from 1 to {MAX_SAMPLES}, got {}", request.samples),
        ));
    }
    if let Some(at_s) = request.at_s
        && !(0..scenario.horizon_s).contains(&at_s)
    {
        return Err(ForecastError::field(
            "at",
            format!(
                "must be within the scenario's horizon (00:00 to {}), got {}",
                lifeline_core::number::clock(scenario.horizon_s),
                lifeline_core::number::clock(at_s)
            ),
        ));
    }
    Ok(())
}

/// Forecasts `scenario` on `city`: `request.samples` draws of its repairs, each through
/// the cascade on the current rayon pool, its repairs dispatched by `dispatch`; `done`
/// after each sample's run.
pub fn forecast(
    city: &City,
    scenario: &Scenario,
    request: &ForecastRequest,
    dispatch: &Dispatch<'_, '_>,
    done: &(dyn Fn() + Sync),
) -> Result<Forecast, ForecastError> {
    forecast_cancellable(
        city,
        scenario,
        request,
        dispatch,
        done,
        &AtomicBool::new(false),
    )
}

/// [`forecast`], ending with `CascadeError::Cancelled` once `cancel` is set.
pub fn forecast_cancellable(
    city: &City,
    scenario: &Scenario,
    request: &ForecastRequest,
    dispatch: &Dispatch<'_, '_>,
    done: &(dyn Fn() + Sync),
    cancel: &AtomicBool,
) -> Result<Forecast, ForecastError> {
    check(request, scenario)?;
    let started = Instant::now();
    let all = 0..request.samples as u64;
    let (outcomes, made) = run_samples(city, scenario, request, dispatch, all, done, cancel)?;
    let header = ForecastHeader::new(city, scenario, request, dispatch);
    Ok(summarise(
        &header,
        &outcomes,
        made,
        started.elapsed().as_secs_f64(),
    ))
}

/// What a forecast is of: the same for every part of a forecast split in shards.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForecastHeader {
    /// The city's name.
    pub city: String,
    /// The scenario's name.
    pub scenario: String,
    /// The districts, in the city's order.
    pub districts: Vec<String>,
    /// Samples of the whole forecast.
    pub samples: usize,
    /// Their seed.
    pub seed: u64,
    /// The moment forecast from, s (`None`: the start).
    pub at_s: Option<i64>,
    /// How repairs are dispatched ([`Dispatch::name`]).
    pub plan: String,
    /// The plan or rule ([`Dispatch::describe`]).
    pub plan_by: Option<String>,
    /// Whether nothing is uncertain.
    pub certain: bool,
}

impl ForecastHeader {
    /// The header of `request` on `scenario` and `city`, dispatched by `dispatch`.
    pub fn new(
        city: &City,
        scenario: &Scenario,
        request: &ForecastRequest,
        dispatch: &Dispatch<'_, '_>,
    ) -> Self {
        let nominal = dispatch.nominal(scenario);
        let certain = nominal
            .strikes
            .iter()
            .filter_map(|s| RepairModel::of(city, s))
            .all(|m| m.is_certain());
        Self {
            city: city.name.clone(),
            scenario: scenario.name.clone(),
            districts: city.districts.iter().map(|d| d.name.clone()).collect(),
            samples: request.samples,
            seed: request.seed,
            at_s: request.at_s,
            plan: dispatch.name().to_string(),
            plan_by: dispatch.describe(),
            certain,
        }
    }
}

/// What a forecast keeps of one sample's cascade.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SampleOutcome {
    /// The sample's index (its draws depend on it and the seed only).
    pub index: u64,
    /// Its horizon, s.
    pub horizon_s: i64,
    /// Whether an asset reported damaged proved destroyed.
    pub destroyed: bool,
    /// Whether a repair was drawn beyond the horizon.
    pub beyond_horizon: bool,
    /// Hydraulic solves that did not balance.
    pub unbalanced_solves: usize,
    /// Reported times, h.
    pub times_h: Vec<f64>,
    /// Per district: when power is back for good, h (`None`: not within the horizon).
    pub power_back_h: Vec<Option<f64>>,
    /// Per district: when water is back for good, h.
    pub water_back_h: Vec<Option<f64>>,
    /// Per district, at each reported time: customers without power.
    pub customers_without_power: Vec<Vec<u64>>,
    /// Per district, at each reported time: people without water.
    pub people_without_water: Vec<Vec<u64>>,
}

/// Runs the samples `indexes` of `request` through the cascade on the current rayon
/// pool: their outcomes in index order, and the distinct water runs made.
pub fn run_samples(
    city: &City,
    scenario: &Scenario,
    request: &ForecastRequest,
    dispatch: &Dispatch<'_, '_>,
    indexes: Range<u64>,
    done: &(dyn Fn() + Sync),
    cancel: &AtomicBool,
) -> Result<(Vec<SampleOutcome>, usize), ForecastError> {
    let (draws, scenarios, _) = samples_in(city, scenario, request, dispatch, indexes.clone());
    let cache = WaterCache::new();
    let results = simulate_batch_cancellable(city, &scenarios, &cache, done, cancel)?
        .into_iter()
        .collect::<Result<Vec<CascadeResult>, _>>()?;
    // Less the normal days, one per distinct horizon.
    let mut horizons: Vec<i64> = scenarios.iter().map(|s| s.horizon_s).collect();
    horizons.sort_unstable();
    horizons.dedup();
    let made = cache.len().saturating_sub(horizons.len());
    let outcomes = indexes
        .zip(&draws)
        .zip(scenarios.iter().zip(&results))
        .map(|((index, draw), (run, result))| SampleOutcome {
            index,
            horizon_s: run.horizon_s,
            destroyed: draw
                .destroyed
                .iter()
                .zip(&scenario.strikes)
                .any(|(&proved, s)| {
                    proved && s.damage != lifeline_cascade::scenario::Damage::Destroyed
                }),
            beyond_horizon: run
                .strikes
                .iter()
                .zip(&draw.repair_s)
                .any(|(strike, drawn)| drawn.is_some() && strike.repair_s.is_none()),
            unbalanced_solves: unbalanced(result),
            times_h: result.times_h.clone(),
            power_back_h: result
                .districts
                .iter()
                .map(|d| d.power_restored_h)
                .collect(),
            water_back_h: result
                .districts
                .iter()
                .map(|d| d.water_restored_h)
                .collect(),
            customers_without_power: result
                .districts
                .iter()
                .map(|d| {
                    d.timeline
                        .iter()
                        .map(|s| s.customers_without_power)
                        .collect()
                })
                .collect(),
            people_without_water: result
                .districts
                .iter()
                .map(|d| d.timeline.iter().map(|s| s.people_without_water).collect())
                .collect(),
        })
        .collect();
    Ok((outcomes, made))
}

/// The forecast of `header` from its samples' `outcomes` (every sample once, in any
/// order), `made` distinct water runs and `seconds` of wall time.
pub fn summarise(
    header: &ForecastHeader,
    outcomes: &[SampleOutcome],
    made: usize,
    seconds: f64,
) -> Forecast {
    let horizon_s = outcomes.iter().map(|o| o.horizon_s).max().unwrap_or(0);
    let samples = outcomes.len();
    Forecast {
        city: header.city.clone(),
        scenario: header.scenario.clone(),
        samples,
        seed: header.seed,
        at_h: header.at_s.map(|s| s as f64 / HOUR_S as f64),
        horizon_h: horizon_s as f64 / HOUR_S as f64,
        plan: header.plan.clone(),
        plan_by: header.plan_by.clone(),
        certain: header.certain,
        samples_with_destroyed: outcomes.iter().filter(|o| o.destroyed).count(),
        samples_beyond_horizon: outcomes.iter().filter(|o| o.beyond_horizon).count(),
        unbalanced_solves: outcomes.iter().map(|o| o.unbalanced_solves).sum(),
        samples_with_unbalanced_solves: outcomes.iter().filter(|o| o.unbalanced_solves > 0).count(),
        districts: districts(&header.districts, outcomes, horizon_s),
        fan: fan(outcomes),
        water_runs_made: made,
        water_runs_shared: samples.saturating_sub(made),
        seconds,
        samples_per_second: samples as f64 / seconds.max(1e-9),
    }
}

/// EPANET's "System hydraulically unbalanced" warnings of a run.
fn unbalanced(result: &CascadeResult) -> usize {
    result
        .stats
        .water_warnings
        .iter()
        .filter(|w| w.code == 1)
        .count()
}

/// The forecast's samples of `scenario`: each one's drawn repairs and the scenario it
/// runs (its repair times, over its own horizon), and whether nothing was uncertain. A
/// sample is the same whatever else is drawn (see [`sample`]).
pub fn samples(
    city: &City,
    scenario: &Scenario,
    request: &ForecastRequest,
    dispatch: &Dispatch<'_, '_>,
) -> (Vec<SampledRepairs>, Vec<Scenario>, bool) {
    samples_in(city, scenario, request, dispatch, 0..request.samples as u64)
}

/// [`samples`] of the indexes `indexes` only.
pub fn samples_in(
    city: &City,
    scenario: &Scenario,
    request: &ForecastRequest,
    dispatch: &Dispatch<'_, '_>,
    indexes: Range<u64>,
) -> (Vec<SampledRepairs>, Vec<Scenario>, bool) {
    let nominal = dispatch.nominal(scenario);
    let models: Vec<Option<RepairModel>> = nominal
        .strikes
        .iter()
        .map(|s| RepairModel::of(city, s))
        .collect();
    let certain = models.iter().flatten().all(RepairModel::is_certain);
    let draws: Vec<SampledRepairs> = indexes
        .map(|i| {
            let drawn = sample(&nominal, &models, request.seed, i, request.at_s);
            dispatch.repairs(scenario, drawn)
        })
        .collect();
    let scenarios = draws
        .iter()
        .map(|d| apply(scenario, d, horizon_s(scenario, d)))
        .collect();
    (draws, scenarios, certain)
}

/// A sample's horizon: the scenario's, or until its latest repair plus [`SETTLE_H`],
/// rounded up to [`HORIZON_GRAIN_H`] (samples share a normal day per horizon), at most
/// [`MAX_HORIZON_H`].
fn horizon_s(scenario: &Scenario, draw: &SampledRepairs) -> i64 {
    let latest = scenario
        .strikes
        .iter()
        .zip(&draw.repair_s)
        .filter_map(|(s, r)| r.map(|r| s.at_s + r))
        .max()
        .unwrap_or(0);
    let settle = (SETTLE_H * HOUR_S as f64) as i64;
    let grain = (HORIZON_GRAIN_H * HOUR_S as f64) as i64;
    let wanted = (latest + settle + grain - 1) / grain * grain;
    let longest = (MAX_HORIZON_H * HOUR_S as f64) as i64;
    scenario.horizon_s.max(wanted.min(longest))
}

/// The `q` quantile of `values` by nearest rank (a value some sample had); `None` values
/// (not within the horizon) rank above every time.
fn quantile(sorted: &[Option<f64>], q: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn sorted_times(mut times: Vec<Option<f64>>) -> Vec<Option<f64>> {
    times.sort_by(|a, b| match (a, b) {
        (Some(a), Some(b)) => a.total_cmp(b),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    times
}

fn quantiles(sorted: &[Option<f64>]) -> Quantiles {
    Quantiles {
        p10: quantile(sorted, 0.1),
        p50: quantile(sorted, 0.5),
        p90: quantile(sorted, 0.9),
    }
}

/// The share of `sorted` at or before `t_h`.
fn share_by(sorted: &[Option<f64>], t_h: f64) -> f64 {
    let back = sorted
        .iter()
        .take_while(|t| t.is_some_and(|t| t <= t_h))
        .count();
    back as f64 / sorted.len().max(1) as f64
}

fn districts(
    names: &[String],
    outcomes: &[SampleOutcome],
    horizon_s: i64,
) -> Vec<DistrictForecast> {
    let Some(longest) = outcomes.iter().max_by_key(|o| o.times_h.len()) else {
        return Vec::new();
    };
    let hours = horizon_s / HOUR_S;
    names
        .iter()
        .enumerate()
        .map(|(d, name)| {
            let power = sorted_times(outcomes.iter().map(|o| o.power_back_h[d]).collect());
            let water = sorted_times(outcomes.iter().map(|o| o.water_back_h[d]).collect());
            DistrictForecast {
                name: name.clone(),
                power_back_h: quantiles(&power),
                water_back_h: quantiles(&water),
                by_hour: (0..=hours)
                    .map(|h| {
                        let t_h = h as f64;
                        BackBy {
                            t_h,
                            power: share_by(&power, t_h),
                            water: share_by(&water, t_h),
                        }
                    })
                    .collect(),
                fan: fan_of(
                    &longest.times_h,
                    outcomes
                        .iter()
                        .map(|o| o.customers_without_power[d].clone())
                        .collect(),
                    outcomes
                        .iter()
                        .map(|o| o.people_without_water[d].clone())
                        .collect(),
                ),
            }
        })
        .collect()
}

fn at_or_last(values: &[u64], k: usize) -> u64 {
    values.get(k).or(values.last()).copied().unwrap_or(0)
}

fn count_quantiles(mut values: Vec<u64>) -> CountQuantiles {
    values.sort_unstable();
    let at = |q: f64| {
        let rank = ((q * values.len() as f64).ceil() as usize).clamp(1, values.len().max(1));
        values.get(rank - 1).copied().unwrap_or(0)
    };
    CountQuantiles {
        p10: at(0.1),
        p50: at(0.5),
        p90: at(0.9),
    }
}

/// The fan over the longest sample's reported times; a sample that ended earlier keeps
/// its last value (it ran until 12 h after its last repair).
fn fan(outcomes: &[SampleOutcome]) -> Vec<FanPoint> {
    let Some(longest) = outcomes.iter().max_by_key(|o| o.times_h.len()) else {
        return Vec::new();
    };
    let total = |per_district: &Vec<Vec<u64>>, times: usize| -> Vec<u64> {
        (0..times)
            .map(|k| per_district.iter().map(|d| d[k]).sum())
            .collect()
    };
    fan_of(
        &longest.times_h,
        outcomes
            .iter()
            .map(|o| total(&o.customers_without_power, o.times_h.len()))
            .collect(),
        outcomes
            .iter()
            .map(|o| total(&o.people_without_water, o.times_h.len()))
            .collect(),
    )
}

/// The fan at `times_h` of each sample's `power` and `water` counts (a sample shorter
/// than the times keeps its last value).
fn fan_of(times_h: &[f64], power: Vec<Vec<u64>>, water: Vec<Vec<u64>>) -> Vec<FanPoint> {
    times_h
        .iter()
        .enumerate()
        .map(|(k, &t_h)| FanPoint {
            t_h,
            customers_without_power: count_quantiles(
                power.iter().map(|p| at_or_last(p, k)).collect(),
            ),
            people_without_water: count_quantiles(water.iter().map(|w| at_or_last(w, k)).collect()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_are_values_some_sample_had() {
        let sorted = sorted_times(vec![Some(3.0), None, Some(1.0), Some(2.0)]);
        assert_eq!(quantile(&sorted, 0.1), Some(1.0));
        assert_eq!(quantile(&sorted, 0.5), Some(2.0));
        assert_eq!(quantile(&sorted, 0.9), None);
        assert_eq!(share_by(&sorted, 2.0), 0.5);
        let ten: Vec<Option<f64>> = (1..=10).map(|h| Some(f64::from(h))).collect();
        assert_eq!(quantiles(&ten).p10, Some(1.0));
        assert_eq!(quantiles(&ten).p90, Some(9.0));
    }
}
