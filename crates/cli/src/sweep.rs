//! `lifeline sweep`: strike scenarios through the cascade on every core, to Parquet;
//! `sweep merge` joins a sweep's shards; `sweep rank` ranks its assets.

use crate::cli::{SweepArgs, SweepMergeArgs, SweepRankArgs};
use crate::output::{fail, print_json, write_file};
use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use lifeline_app::sweep::{self, SweepReport, SweepRequest};
use lifeline_cascade::City;
use lifeline_core::number::thousands;
use lifeline_sweep::rank::{Ranked, loss, rank as rank_rows};
use lifeline_sweep::spec::WhatIf;
use lifeline_sweep::table;
use lifeline_sweep::{Prepared, Row};
use serde::Serialize;
use std::process::ExitCode;

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

/// The request of `args` as the flags give it.
fn request(args: &SweepArgs) -> SweepRequest {
    SweepRequest {
        scenarios: args.scenarios.clone(),
        targets: args.targets.clone(),
        strikes: args.strikes,
        samples: args.samples,
        seed: args.seed,
        hours: args.hours,
        at_h: args.at,
        repair_h: args.repair_h,
        shard: args.shard.clone(),
        what_if: args.what_if.clone(),
    }
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
    let mut city = match crate::city_check::load(city_file) {
        Ok(city) => city,
        Err(error) => return Ok(crate::simulate::report_invalid(&error)),
    };
    city.water_engine = args.engine.into();
    let prepared = match sweep::prepare(&city, &request(args)) {
        Ok(prepared) => prepared,
        Err(error) => return Ok(fail(crate::flags::app_message(&error))),
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
    if !args.json {
        eprintln!("{}", intro(&city, args, &prepared, threads));
    }
    let progress = bar(sweep::scenario_runs(&prepared), args.json);
    let swept = pool.install(|| sweep::run(&city, &prepared, &|| progress.inc(1)));
    progress.finish_and_clear();
    let swept = match swept {
        Ok(swept) => swept,
        Err(error) => return Ok(fail(crate::flags::app_message(&error))),
    };
    let meta = match sweep::meta(&city, &prepared) {
        Ok(meta) => meta,
        Err(error) => return Ok(fail(error)),
    };
    if let Err(error) = table::write(out, &meta, &swept.outcome.rows) {
        return Ok(fail(error));
    }
    let report = SweepReport::new(&prepared, &swept, threads, Some(out.clone()));
    if args.json {
        print_json(&report)?;
    } else {
        print_report(&report, &swept.outcome.rows);
    }
    Ok(ExitCode::SUCCESS)
}

/// What is about to run, in a line: the city, the scenarios, the shard, the threads.
fn intro(city: &City, args: &SweepArgs, prepared: &Prepared, threads: usize) -> String {
    let range = prepared.range();
    let count = range.end - range.start;
    let sweep = &prepared.sweep;
    format!(
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
    )
}

fn print_report(report: &SweepReport, rows: &[Row]) {
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
    if let Some(out) = &report.out {
        println!("Written: {}", out.display());
    }
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
