//! A forecast split in shards for a cluster: shard I of N runs its share of the samples
//! (each sample depends only on the seed and its index) and keeps their outcomes in a
//! part; the parts of one forecast, merged, give the forecast one process would have
//! made, quantile for quantile.

use crate::ForecastError;
use crate::dispatch::Dispatch;
use crate::run::{
    Forecast, ForecastHeader, ForecastRequest, MAX_HORIZON_H, MAX_SAMPLES, SampleOutcome, check,
    run_samples, summarise,
};
use lifeline_cascade::{City, Scenario};
pub use lifeline_core::shard::Shard;
use serde::{Deserialize, Serialize};
use std::sync::atomic::AtomicBool;
use std::time::Instant;

/// One shard's samples of a forecast (`lifeline forecast --shard I/N --part FILE`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Part {
    /// What the whole forecast is of.
    pub header: ForecastHeader,
    /// Which shard.
    pub shard: Shard,
    /// Its samples' outcomes, by index.
    pub outcomes: Vec<SampleOutcome>,
    /// Distinct water runs it made.
    pub water_runs_made: usize,
    /// Its wall time, s.
    pub seconds: f64,
}

impl Part {
    /// What a part read from a file must hold before it is merged: a sample count and a
    /// shard within bounds, and every outcome one of the shard's samples with a value per
    /// district and per reported time, its times finite and within the longest horizon.
    pub fn check(&self) -> Result<(), String> {
        let samples = self.header.samples;
        if !(1..=MAX_SAMPLES).contains(&samples) {
            return Err(format!(
                "samples must be from 1 to {MAX_SAMPLES}, got {samples}"
            ));
        }
        if !self.shard.is_valid() || self.shard.count > samples as u64 {
            return Err(format!(
                "shard {}/{} is not one of at most {samples} shards",
                self.shard.index, self.shard.count
            ));
        }
        let districts = self.header.districts.len();
        // A sample runs over the scenario's horizon or the forecast's longest.
        let longest_h = MAX_HORIZON_H.max(lifeline_cascade::scenario::MAX_HOURS);
        let time = |t: f64| t.is_finite() && (0.0..=longest_h).contains(&t);
        let range = self.shard.range(samples as u64);
        for o in &self.outcomes {
            let at = |why: &str| format!("sample {}: {why}", o.index);
            if !range.contains(&o.index) {
                return Err(at(&format!(
                    "not one of shard {}/{}'s samples",
                    self.shard.index, self.shard.count
                )));
            }
            let per_district = [
                o.power_back_h.len(),
                o.water_back_h.len(),
                o.customers_without_power.len(),
                o.people_without_water.len(),
            ];
            if per_district.iter().any(|&n| n != districts) {
                return Err(at(&format!(
                    "not a value for each of the {districts} districts"
                )));
            }
            let times = o.times_h.len();
            if o.customers_without_power
                .iter()
                .chain(&o.people_without_water)
                .any(|d| d.len() != times)
            {
                return Err(at(&format!(
                    "not a value for each of the {times} reported times"
                )));
            }
            let back = o.power_back_h.iter().chain(&o.water_back_h).flatten();
            if !o.times_h.iter().chain(back).all(|&t| time(t))
                || !(0..=(longest_h * 3600.0) as i64).contains(&o.horizon_s)
            {
                return Err(at(
                    "a time that is not a number of hours within the forecast's horizon",
                ));
            }
        }
        Ok(())
    }
}

/// Runs shard `shard` of `request` (on the current rayon pool).
pub fn run_part(
    city: &City,
    scenario: &Scenario,
    request: &ForecastRequest,
    dispatch: &Dispatch<'_, '_>,
    shard: Shard,
    done: &(dyn Fn() + Sync),
    cancel: &AtomicBool,
) -> Result<Part, ForecastError> {
    check(request, scenario)?;
    let started = Instant::now();
    let indexes = shard.range(request.samples as u64);
    let (outcomes, made) = run_samples(city, scenario, request, dispatch, indexes, done, cancel)?;
    Ok(Part {
        header: ForecastHeader::new(city, scenario, request, dispatch),
        shard,
        outcomes,
        water_runs_made: made,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// Why parts cannot be merged.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MergeError {
    /// No parts given.
    #[error("no parts to merge")]
    Empty,
    /// Two parts of different forecasts.
    #[error("{first} and {other} are not parts of the same forecast: `{field}` differs")]
    Different {
        /// The first part's name.
        first: String,
        /// The other's.
        other: String,
        /// The first setting that differs.
        field: &'static str,
    },
    /// A sample in two parts.
    #[error("sample {index} is in both {first} and {other}")]
    Twice {
        /// The sample.
        index: u64,
        /// One part.
        first: String,
        /// The other.
        other: String,
    },
    /// A part that no `lifeline forecast --shard` could have written (edited or damaged).
    #[error("{part}: not a forecast part: {why}")]
    Invalid {
        /// The part's name.
        part: String,
        /// What is wrong.
        why: String,
    },
    /// Shards with no part.
    #[error("{} of {count} shards have no part ({}): run them, e.g. with --shard {}/{count}", missing.len(), list(missing), missing[0])]
    Missing {
        /// The shards missing.
        missing: Vec<u64>,
        /// The shard count.
        count: u64,
    },
}

fn list(shards: &[u64]) -> String {
    shards
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// The forecast of `parts` (each named for errors), checked to be every shard of one
/// forecast once; the same as one process's forecast but for `seconds` (the parts' sum)
/// and the water runs made (each part's own).
pub fn merge(parts: &[(String, Part)]) -> Result<Forecast, MergeError> {
    let Some((first_name, first)) = parts.first() else {
        return Err(MergeError::Empty);
    };
    for (name, part) in parts {
        part.check().map_err(|why| MergeError::Invalid {
            part: name.clone(),
            why,
        })?;
    }
    let count = first.shard.count;
    let mut seen: Vec<Option<&str>> = vec![None; first.header.samples];
    let mut shards = vec![false; count as usize];
    for (name, part) in parts {
        let h = (&part.header, &first.header);
        let differs = [
            ("city", h.0.city != h.1.city),
            ("scenario", h.0.scenario != h.1.scenario),
            ("districts", h.0.districts != h.1.districts),
            ("samples", h.0.samples != h.1.samples),
            ("seed", h.0.seed != h.1.seed),
            ("at", h.0.at_s != h.1.at_s),
            ("plan", h.0.plan != h.1.plan || h.0.plan_by != h.1.plan_by),
            ("shard count", part.shard.count != count),
        ]
        .into_iter()
        .find(|(_, differs)| *differs);
        if let Some((field, _)) = differs {
            return Err(MergeError::Different {
                first: first_name.clone(),
                other: name.clone(),
                field,
            });
        }
        shards[part.shard.index as usize] = true;
        for outcome in &part.outcomes {
            let slot = seen
                .get_mut(outcome.index as usize)
                .ok_or(MergeError::Different {
                    first: first_name.clone(),
                    other: name.clone(),
                    field: "samples",
                })?;
            if let Some(earlier) = slot {
                return Err(MergeError::Twice {
                    index: outcome.index,
                    first: (*earlier).to_string(),
                    other: name.clone(),
                });
            }
            *slot = Some(name);
        }
    }
    let missing: Vec<u64> = (0..count).filter(|&s| !shards[s as usize]).collect();
    if !missing.is_empty() {
        return Err(MergeError::Missing { missing, count });
    }
    let mut outcomes: Vec<SampleOutcome> = parts
        .iter()
        .flat_map(|(_, p)| p.outcomes.iter().cloned())
        .collect();
    outcomes.sort_by_key(|o| o.index);
    Ok(summarise(
        &first.header,
        &outcomes,
        parts.iter().map(|(_, p)| p.water_runs_made).sum(),
        parts.iter().map(|(_, p)| p.seconds).sum(),
    ))
}
