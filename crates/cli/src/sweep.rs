//! `lifeline sweep`: strike scenarios through the cascade on every core, to Parquet;
//! `sweep merge` joins a sweep's shards; `sweep rank` ranks its assets.

use crate::cli::{SweepArgs, SweepMergeArgs, SweepRankArgs};
use crate::output::{fail, print_json, write_file};
use crate::simulate::thousands;
use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use lifeline_cascade::City;
use lifeline_sweep::rank::{Ranked, loss, rank as rank_rows};
use lifeline_sweep::spec::{Family, Shard, Target, Timing, WhatIf};
use lifeline_sweep::table::{self, Meta};
use lifeline_sweep::{Outcome, Prepared, Row, prepare};
use serde::Serialize;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// Loss totals of a set of rows.
#[derive(Debug, Serialize)]
struct Totals {
    customer_hours: f64,
    person_hours: f64,
}

fn totals(rows: &[Row]) -> Totals {
    Totals {
        customer_hours: rows.iter().map(|r| r.customer_hours).sum(),
        person_hours: rows.iter().map(|r| r.person_hours).sum(),
    }
}

/// What the what-ifs saved on the same scenarios.
#[derive(Debug, Serialize)]
struct Avoided {
    without_changes: Totals,
    with_changes: Totals,
    avoided_customer_hours: f64,
    avoided_person_hours: f64,
    /// Share of the loss avoided, %.
    avoided_percent: f64,
}

/// The `--json` document of a sweep.
#[derive(Debug, Serialize)]
struct SweepReport<'a> {
    sweep: &'a lifeline_sweep::spec::Sweep,
    scenarios: usize,
    seconds: f64,
    threads: usize,
    scenarios_per_minute: f64,
    scenarios_per_minute_per_thread: f64,
    water_runs_made: usize,
    water_runs_shared: usize,
    loss: Totals,
    what_if: Option<Avoided>,
    out: PathBuf,
}

fn bar(total: u64, hidden: bool) -> ProgressBar {
    let bar = if hidden {
        ProgressBar::hidden()
    } else {
        ProgressBar::new(total)
    };
    bar.set_style(
        ProgressStyle::with_template(
            "{bar:40} {pos}/{len} scenarios, {per_sec}, ETA {eta} ({elapsed} so far)",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

fn run_on_pool(
    pool: &rayon::ThreadPool,
    prepared: &Prepared,
    city: &City,
    what_if: bool,
    bar: &ProgressBar,
) -> Result<Outcome, lifeline_sweep::SweepError> {
    pool.install(|| prepared.run(city, what_if, &|| bar.inc(1)))
}

pub fn run(args: &SweepArgs) -> Result<ExitCode> {
    let (Some(city_file), Some(out)) = (&args.city, &args.out) else {
        return Ok(fail(
            "give the city and the results file: lifeline sweep CITY.toml --out FILE.parquet",
        ));
    };
    // The folder must exist before hours of work, not after.
    let folder = out.parent().filter(|p| !p.as_os_str().is_empty());
    if let Some(folder) = folder
        && !folder.is_dir()
    {
        return Ok(fail(format!(
            "{}: the folder of --out does not exist",
            folder.display()
        )));
    }
    let city = match City::load(city_file) {
        Ok(city) => city,
        Err(error) => return Ok(crate::simulate::report_invalid(&error)),
    };
    let request = (|| {
        let family = Family::parse(&args.scenarios)?;
        let targets = Target::parse_list(&args.targets)?;
        let shard = args.shard.as_deref().map(Shard::parse).transpose()?;
        let what_if = args
            .what_if
            .iter()
            .map(|w| WhatIf::parse(w, &city))
            .collect::<Result<Vec<_>, _>>()?;
        prepare(
            &city,
            family,
            targets,
            args.strikes,
            args.samples,
            args.seed,
            Timing {
                hours: args.hours,
                at_h: args.at,
                repair_h: args.repair_h,
            },
            what_if,
            shard,
        )
    })();
    let prepared = match request {
        Ok(prepared) => prepared,
        Err(error) => return Ok(fail(crate::flags::sweep_message(&error))),
    };
    if args.threads == Some(0) {
        return Ok(fail("--threads must be at least 1"));
    }
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(threads) = args.threads {
        builder = builder.num_threads(threads);
    }
    let pool = builder.build().context("cannot start the worker threads")?;
    let threads = pool.current_num_threads();
    let range = prepared.range();
    let count = range.end - range.start;
    let sweep = &prepared.sweep;
    if !args.json {
        eprintln!(
            "Sweep of {}: {} over {}: {} scenarios of {} h ({}{}), on {}",
            city.name,
            args.scenarios,
            sweep
                .targets
                .iter()
                .map(|t| t.name())
                .collect::<Vec<_>>()
                .join(", "),
            thousands(count),
            sweep.timing.hours,
            timing_words(sweep),
            match sweep.shard {
                Some(shard) if count == 0 => format!(
                    "; shard {}/{}: none of the {} scenarios",
                    shard.index,
                    shard.count,
                    thousands(sweep.scenarios_total)
                ),
                Some(shard) => format!(
                    "; shard {}/{}: scenarios {}–{} of {}",
                    shard.index,
                    shard.count,
                    range.start,
                    range.end - 1,
                    thousands(sweep.scenarios_total)
                ),
                None => String::new(),
            },
            plural(threads as u64, "thread")
        );
    }
    let runs = if sweep.what_if.is_empty() { 1 } else { 2 };
    let progress = bar(count * runs, args.json);
    let started = Instant::now();
    let outcome = match run_on_pool(&pool, &prepared, &city, true, &progress) {
        Ok(outcome) => outcome,
        Err(error) => {
            progress.finish_and_clear();
            return Ok(fail(error));
        }
    };
    let seconds = started.elapsed().as_secs_f64();
    let avoided = if sweep.what_if.is_empty() {
        None
    } else {
        let baseline = match run_on_pool(&pool, &prepared, &city, false, &progress) {
            Ok(outcome) => outcome,
            Err(error) => {
                progress.finish_and_clear();
                return Ok(fail(error));
            }
        };
        let without = totals(&baseline.rows);
        let with = totals(&outcome.rows);
        let before = without.customer_hours + without.person_hours;
        let after = with.customer_hours + with.person_hours;
        Some(Avoided {
            avoided_customer_hours: without.customer_hours - with.customer_hours,
            avoided_person_hours: without.person_hours - with.person_hours,
            avoided_percent: if before > 0.0 {
                100.0 * (before - after) / before
            } else {
                0.0
            },
            without_changes: without,
            with_changes: with,
        })
    };
    progress.finish_and_clear();
    let meta = Meta {
        sweep: serde_json::to_value(sweep).context("cannot describe the sweep")?,
        districts: city.districts.iter().map(|d| d.name.clone()).collect(),
        asset_names: prepared
            .scenarios
            .assets
            .iter()
            .map(|asset| (asset.to_string(), city.asset_name(asset)))
            .collect(),
    };
    if let Err(error) = table::write(out, &meta, &outcome.rows) {
        return Ok(fail(error));
    }
    let report = SweepReport {
        sweep,
        scenarios: outcome.rows.len(),
        seconds,
        threads,
        scenarios_per_minute: outcome.rows.len() as f64 / seconds * 60.0,
        scenarios_per_minute_per_thread: outcome.rows.len() as f64 / seconds * 60.0
            / threads as f64,
        water_runs_made: outcome.water_runs_made,
        water_runs_shared: outcome.water_runs_shared,
        loss: totals(&outcome.rows),
        what_if: avoided,
        out: out.clone(),
    };
    if args.json {
        print_json(&report)?;
    } else {
        print_report(&report, &outcome.rows);
    }
    Ok(ExitCode::SUCCESS)
}

fn print_report(report: &SweepReport<'_>, rows: &[Row]) {
    println!(
        "{} scenarios in {:.1} s on {}: {} scenarios/min ({} per thread); water runs: {} made, {} shared",
        thousands(report.scenarios as u64),
        report.seconds,
        plural(report.threads as u64, "thread"),
        thousands(report.scenarios_per_minute.round() as u64),
        thousands(report.scenarios_per_minute_per_thread.round() as u64),
        thousands(report.water_runs_made as u64),
        thousands(report.water_runs_shared as u64),
    );
    if !rows.is_empty() {
        let n = rows.len() as f64;
        println!(
            "Mean loss per scenario: {} customer-hours without power, {} person-hours without water",
            thousands((report.loss.customer_hours / n).round() as u64),
            thousands((report.loss.person_hours / n).round() as u64),
        );
        match rows.iter().max_by(|a, b| loss(a).total_cmp(&loss(b))) {
            Some(worst) if loss(worst) > 0.0 => println!(
                "Worst: scenario {} ({}): {} customer-hours, {} person-hours",
                worst.scenario,
                worst.assets.join(" + "),
                thousands(worst.customer_hours.round() as u64),
                thousands(worst.person_hours.round() as u64),
            ),
            _ => println!("No scenario left anyone without power or water over the horizon."),
        }
    }
    if let Some(a) = &report.what_if {
        println!(
            "With the changes ({}): {} customer-hours and {} person-hours avoided over these scenarios, {:.1} % of the loss",
            report
                .sweep
                .what_if
                .iter()
                .map(describe)
                .collect::<Vec<_>>()
                .join("; "),
            thousands(a.avoided_customer_hours.max(0.0).round() as u64),
            thousands(a.avoided_person_hours.max(0.0).round() as u64),
            a.avoided_percent
        );
    }
    println!("Written: {}", report.out.display());
}

/// `1 thread`, `2 threads`.
fn plural(count: u64, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{} {noun}s", thousands(count))
    }
}

fn describe(what_if: &WhatIf) -> String {
    match what_if {
        WhatIf::BackupGenerator { station, kw, hours } => {
            format!("a {kw} kW generator with {hours} h of fuel at {station}")
        }
        WhatIf::Harden { asset } => format!("{asset} hardened"),
    }
}

pub fn merge(args: &SweepMergeArgs) -> Result<ExitCode> {
    let meta = match table::merge(&args.parts, &args.out) {
        Ok(meta) => meta,
        Err(error) => return Ok(fail(error)),
    };
    if args.json {
        print_json(&meta)?;
    } else {
        println!(
            "Merged {} files into {}{}",
            args.parts.len(),
            args.out.display(),
            match meta
                .sweep
                .get("missing")
                .and_then(serde_json::Value::as_u64)
            {
                Some(missing) if missing > 0 => {
                    format!(
                        " — {missing} scenarios of the sweep are in none of them (a shard missing?)"
                    )
                }
                _ => String::new(),
            }
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The `--json` document of `sweep rank`.
#[derive(Debug, Serialize)]
struct RankReport {
    scenarios: usize,
    assets: Vec<Ranked>,
}

pub fn rank(args: &SweepRankArgs) -> Result<ExitCode> {
    let (meta, rows) = match table::read(&args.file) {
        Ok(read) => read,
        Err(error) => return Ok(fail(error)),
    };
    let ranked = rank_rows(&rows, &meta.asset_names);
    if let Some(path) = &args.csv {
        write_file(path, |out| {
            use std::io::Write;
            writeln!(
                out,
                "asset,name,scenarios,expected_loss,mean_loss,marginal_loss,mean_customer_hours,mean_person_hours"
            )?;
            for r in &ranked {
                writeln!(
                    out,
                    "{},{},{},{:.3},{:.3},{:.3},{:.3},{:.3}",
                    r.asset,
                    lifeline_core::csv::field(&r.name),
                    r.scenarios,
                    r.expected_loss,
                    r.mean_loss,
                    r.marginal_loss,
                    r.mean_customer_hours,
                    r.mean_person_hours
                )?;
            }
            Ok(())
        })?;
    }
    if args.json {
        print_json(&RankReport {
            scenarios: rows.len(),
            assets: ranked,
        })?;
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{} assets over {} scenarios, by expected loss (customer-hours + person-hours per scenario)",
        ranked.len(),
        thousands(rows.len() as u64)
    );
    println!(
        "{:>4}  {:<22} {:>9} {:>14} {:>14} {:>14} {:>14} {:>14}  name",
        "#",
        "asset",
        "scenarios",
        "expected loss",
        "mean loss",
        "marginal",
        "cust-hours",
        "person-hours"
    );
    for (i, r) in ranked.iter().take(args.top).enumerate() {
        println!(
            "{:>4}  {:<22} {:>9} {:>14} {:>14} {:>14} {:>14} {:>14}  {}",
            i + 1,
            r.asset,
            r.scenarios,
            thousands(r.expected_loss.round() as u64),
            thousands(r.mean_loss.round() as u64),
            signed(r.marginal_loss),
            thousands(r.mean_customer_hours.round() as u64),
            thousands(r.mean_person_hours.round() as u64),
            r.name,
        );
    }
    if let Some(path) = &args.csv {
        println!("Every asset: {}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}

fn signed(value: f64) -> String {
    let magnitude = thousands(value.abs().round() as u64);
    if value < -0.5 {
        format!("−{magnitude}")
    } else {
        magnitude
    }
}

/// When a sweep's strikes land and how long repairs take, in words.
fn timing_words(sweep: &lifeline_sweep::spec::Sweep) -> String {
    let timing = &sweep.timing;
    let at = if timing.at_h == 0.0 {
        "struck at once".to_string()
    } else {
        format!("struck at {} h", timing.at_h)
    };
    match timing.repair_h {
        Some(repair_h) => format!("{at}, repaired after {repair_h} h"),
        None => format!("{at}, the city's repair times"),
    }
}
