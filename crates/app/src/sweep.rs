//! Vulnerability sweeps: a request (the scenario family, target classes, timing, shard
//! and what-ifs as the user writes them) → a prepared sweep → its rows on the caller's
//! rayon pool, the same scenarios again without the what-ifs when there are any, and the
//! report: the loss, and the loss the what-ifs avoided.

use crate::error::AppError;
use lifeline_cascade::City;
use lifeline_sweep::spec::{Family, Shard, Sweep, Target, Timing, WhatIf};
use lifeline_sweep::table::Meta;
use lifeline_sweep::{Outcome, Prepared, Row};
use serde::Serialize;
use std::path::PathBuf;
use std::time::Instant;

/// A sweep request, each field as written (`n-1`, `substations,lines`, `0/4`,
/// `harden=bus:5`). Errors name these fields.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepRequest {
    /// The scenario family: `n-1`, `n-2` or `random`.
    pub scenarios: String,
    /// Target classes, comma-separated: `substations`, `lines`, `plants`,
    /// `pump-stations`.
    pub targets: String,
    /// Assets per random scenario.
    pub strikes: usize,
    /// Random scenarios to draw.
    pub samples: u64,
    /// Seed of the random scenarios.
    pub seed: u64,
    /// Horizon of each cascade, h.
    pub hours: f64,
    /// When every strike lands, h from the start.
    pub at_h: f64,
    /// Every repair takes this long, h; `None`: the city's repair time for the kind.
    pub repair_h: Option<f64>,
    /// Only shard `I/N` (0 ≤ I < N) of the scenarios; `None`: all of them.
    pub shard: Option<String>,
    /// Changes to try: `backup-generator=PUMP_STATION_ID:KW:HOURS`, `harden=ASSET_ID`.
    pub what_if: Vec<String>,
}

/// Checks `request` against `city` and counts its scenarios.
pub fn prepare(city: &City, request: &SweepRequest) -> Result<Prepared, AppError> {
    let family = Family::parse(&request.scenarios)?;
    let targets = Target::parse_list(&request.targets)?;
    let shard = request
        .shard
        .as_deref()
        .map(Shard::parse)
        .transpose()
        .map_err(lifeline_sweep::SweepError::from)?;
    let what_if = request
        .what_if
        .iter()
        .map(|w| WhatIf::parse(w, city))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(lifeline_sweep::prepare(
        city,
        family,
        targets,
        request.strikes,
        request.samples,
        request.seed,
        Timing {
            hours: request.hours,
            at_h: request.at_h,
            repair_h: request.repair_h,
        },
        what_if,
        shard,
    )?)
}

/// Cascade runs a sweep makes: its shard's scenarios, twice when it has what-ifs (with
/// and without them).
pub fn scenario_runs(prepared: &Prepared) -> u64 {
    let range = prepared.range();
    let runs = if prepared.sweep.what_if.is_empty() {
        1
    } else {
        2
    };
    (range.end - range.start) * runs
}

/// Loss totals of a set of rows.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Totals {
    /// Customer-hours without power.
    pub customer_hours: f64,
    /// Person-hours without water.
    pub person_hours: f64,
}

impl Totals {
    /// The sums over `rows`.
    pub fn of(rows: &[Row]) -> Self {
        Self {
            customer_hours: rows.iter().map(|r| r.customer_hours).sum(),
            person_hours: rows.iter().map(|r| r.person_hours).sum(),
        }
    }

    /// The loss: customer-hours + person-hours.
    pub fn loss(&self) -> f64 {
        self.customer_hours + self.person_hours
    }
}

/// What the what-ifs saved on the same scenarios.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Avoided {
    /// The loss without the changes.
    pub without_changes: Totals,
    /// The loss with them.
    pub with_changes: Totals,
    /// Customer-hours without power avoided (negative: added).
    pub avoided_customer_hours: f64,
    /// Person-hours without water avoided (negative: added).
    pub avoided_person_hours: f64,
    /// Share of the loss avoided, % (0 when there was no loss to avoid).
    pub avoided_percent: f64,
}

impl Avoided {
    /// The loss avoided going from `without` to `with` the changes.
    pub fn between(without: Totals, with: Totals) -> Self {
        let (before, after) = (without.loss(), with.loss());
        Self {
            avoided_customer_hours: without.customer_hours - with.customer_hours,
            avoided_person_hours: without.person_hours - with.person_hours,
            avoided_percent: if before > 0.0 {
                100.0 * (before - after) / before
            } else {
                0.0
            },
            without_changes: without,
            with_changes: with,
        }
    }
}

/// A sweep's run: its rows (with the what-ifs, if any) and what they avoided.
#[derive(Debug, Clone)]
pub struct Swept {
    /// The rows and the water runs shared.
    pub outcome: Outcome,
    /// Time of the run of the rows, s (the run without the what-ifs is not counted).
    pub seconds: f64,
    /// With what-ifs: the loss they avoided against the same scenarios without them.
    pub avoided: Option<Avoided>,
}

/// Runs `prepared` on `city` on the current rayon pool (the caller installs its own);
/// `done` is called after each of the [`scenario_runs`].
pub fn run(city: &City, prepared: &Prepared, done: &(dyn Fn() + Sync)) -> Result<Swept, AppError> {
    let started = Instant::now();
    let outcome = prepared.run(city, true, done)?;
    let seconds = started.elapsed().as_secs_f64();
    let avoided = if prepared.sweep.what_if.is_empty() {
        None
    } else {
        let baseline = prepared.run(city, false, done)?;
        Some(Avoided::between(
            Totals::of(&baseline.rows),
            Totals::of(&outcome.rows),
        ))
    };
    Ok(Swept {
        outcome,
        seconds,
        avoided,
    })
}

/// What a results file says of itself: the sweep, the city's districts and the names of
/// the assets struck.
pub fn meta(city: &City, prepared: &Prepared) -> Result<Meta, AppError> {
    Ok(Meta {
        sweep: serde_json::to_value(&prepared.sweep)
            .map_err(|e| AppError::Document(format!("the sweep's description: {e}")))?,
        districts: city.districts.iter().map(|d| d.name.clone()).collect(),
        asset_names: prepared
            .scenarios
            .assets
            .iter()
            .map(|asset| (asset.to_string(), city.asset_name(asset)))
            .collect(),
    })
}

/// The report of a sweep (the CLI's `--json` document).
#[derive(Debug, Clone, Serialize)]
pub struct SweepReport {
    /// What was run.
    pub sweep: Sweep,
    /// Scenarios run (rows).
    pub scenarios: usize,
    /// Time of the run, s.
    pub seconds: f64,
    /// Threads of the pool it ran on.
    pub threads: usize,
    /// Scenarios per minute.
    pub scenarios_per_minute: f64,
    /// Scenarios per minute and thread.
    pub scenarios_per_minute_per_thread: f64,
    /// Water network runs made.
    pub water_runs_made: usize,
    /// Scenarios that took their water run from another's.
    pub water_runs_shared: usize,
    /// The loss over the rows.
    pub loss: Totals,
    /// With what-ifs: the loss they avoided.
    pub what_if: Option<Avoided>,
    /// The results file, when the rows were written to one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub out: Option<PathBuf>,
}

impl SweepReport {
    /// The report of `swept`, a run of `prepared` on `threads` threads, its rows written
    /// to `out` if they were.
    pub fn new(prepared: &Prepared, swept: &Swept, threads: usize, out: Option<PathBuf>) -> Self {
        let rows = &swept.outcome.rows;
        let per_minute = rows.len() as f64 / swept.seconds * 60.0;
        Self {
            sweep: prepared.sweep.clone(),
            scenarios: rows.len(),
            seconds: swept.seconds,
            threads,
            scenarios_per_minute: per_minute,
            scenarios_per_minute_per_thread: per_minute / threads as f64,
            water_runs_made: swept.outcome.water_runs_made,
            water_runs_shared: swept.outcome.water_runs_shared,
            loss: Totals::of(rows),
            what_if: swept.avoided,
            out,
        }
    }
}
