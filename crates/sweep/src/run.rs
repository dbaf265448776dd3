//! Running a shard of a sweep on every core of rayon's pool.

use crate::error::SweepError;
use crate::generate::Scenarios;
use crate::row::Row;
use crate::spec::{Shard, Sweep, Timing, WhatIf};
use lifeline_cascade::scenario::AssetId;
use lifeline_cascade::{CascadeResult, City, Scenario, WaterCache, simulate_batch};

/// Scenarios whose grid side is held in memory at once.
const BATCH: usize = 4096;

/// A sweep ready to run: its description and its scenarios.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// What is run (written into the results).
    pub sweep: Sweep,
    /// The scenarios.
    pub scenarios: Scenarios,
}

impl Prepared {
    /// The scenario indices of this sweep's shard.
    pub fn range(&self) -> std::ops::Range<u64> {
        self.sweep
            .shard
            .unwrap_or(Shard::ALL)
            .range(self.sweep.scenarios_total)
    }

    /// Runs the shard's scenarios on `city` (with the what-ifs when `what_if`), in
    /// parallel on the current rayon pool; `done` is called after each scenario. Rows come
    /// in scenario order.
    pub fn run(
        &self,
        city: &City,
        what_if: bool,
        done: &(dyn Fn() + Sync),
    ) -> Result<Outcome, SweepError> {
        let mut changed;
        let (city, hardened): (&City, Vec<AssetId>) = if what_if && !self.sweep.what_if.is_empty() {
            changed = city.clone();
            for w in &self.sweep.what_if {
                w.apply(&mut changed);
            }
            let hardened = self
                .sweep
                .what_if
                .iter()
                .filter_map(WhatIf::hardened)
                .cloned()
                .collect();
            (&changed, hardened)
        } else {
            (city, Vec::new())
        };
        let cache = WaterCache::new();
        let indices: Vec<u64> = self.range().collect();
        let mut rows = Vec::with_capacity(indices.len());
        // In batches, so a shard of millions holds only a batch's grid states at once.
        for batch in indices.chunks(BATCH) {
            let scenarios: Vec<Scenario> = batch
                .iter()
                .map(|&k| {
                    self.scenarios
                        .scenario(city, k, &self.sweep.timing, &hardened)
                })
                .collect();
            let results = simulate_batch(city, &scenarios, &cache, done).map_err(|source| {
                SweepError::Cascade {
                    scenario: batch[0],
                    assets: "the city's grid".into(),
                    source,
                }
            })?;
            for (&k, result) in batch.iter().zip(results) {
                let assets: Vec<String> = self
                    .scenarios
                    .of(k)
                    .into_iter()
                    .map(|a| self.scenarios.assets[a].to_string())
                    .collect();
                match result {
                    Ok(result) => rows.push(row(k, assets, &result)),
                    Err(source) => {
                        return Err(SweepError::Cascade {
                            scenario: k,
                            assets: assets.join(" "),
                            source,
                        });
                    }
                }
            }
        }
        let made = cache.len();
        Ok(Outcome {
            water_runs_shared: rows.len().saturating_sub(made),
            water_runs_made: made,
            rows,
        })
    }
}

/// A shard's rows and how much water work was shared.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// One row per scenario, in scenario order.
    pub rows: Vec<Row>,
    /// Water network runs made.
    pub water_runs_made: usize,
    /// Scenarios that took their water run from another's.
    pub water_runs_shared: usize,
}

/// The row of scenario `k`.
fn row(k: u64, assets: Vec<String>, result: &CascadeResult) -> Row {
    let s = &result.summary;
    Row {
        scenario: k,
        assets,
        customer_hours: s.customer_hours_without_power,
        person_hours: s.person_hours_without_water,
        unserved_mwh: s.unserved_mwh,
        peak_customers: s.peak_customers_without_power,
        peak_people: s.peak_people_without_water,
        restored_h: s.full_restoration_h,
        district_customer_hours: result
            .districts
            .iter()
            .map(|d| d.customer_hours_without_power)
            .collect(),
        district_person_hours: result
            .districts
            .iter()
            .map(|d| d.person_hours_without_water)
            .collect(),
    }
}

/// Prepares a sweep of `city`: checks the request and counts its scenarios.
#[allow(clippy::too_many_arguments)]
pub fn prepare(
    city: &City,
    family: crate::spec::Family,
    targets: Vec<crate::spec::Target>,
    strikes: usize,
    samples: u64,
    seed: u64,
    timing: Timing,
    what_if: Vec<WhatIf>,
    shard: Option<Shard>,
) -> Result<Prepared, SweepError> {
    timing.check()?;
    let scenarios = Scenarios::new(city, family, &targets, strikes, samples, seed)?;
    let random = family == crate::spec::Family::Random;
    let sweep = Sweep {
        city: city.name.clone(),
        scenarios: family,
        targets,
        strikes: if random { strikes } else { 0 },
        samples: if random { samples } else { 0 },
        seed: if random { seed } else { 0 },
        timing,
        what_if,
        scenarios_total: scenarios.total(),
        shard,
    };
    Ok(Prepared { sweep, scenarios })
}
