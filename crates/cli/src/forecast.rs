//! `lifeline forecast`: when power and water are back per district, with the spread the
//! uncertain repairs give.

use crate::cli::{ForecastArgs, ForecastMergeArgs, ForecastPlanArg};
use crate::output::{fail, print_json, write_file, write_json_file};
use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use lifeline_cascade::scenario::parse_clock;
use lifeline_core::number::{self, thousands};
use lifeline_forecast::part::{Part, Shard, run_part};
use lifeline_forecast::run::{DistrictForecast, Quantiles};
use lifeline_forecast::{Dispatch, Forecast, ForecastError, ForecastRequest, forecast, report};
use lifeline_restore::city::{CityOptions, CityProblem};
use lifeline_restore::{RestoreError, Rule, SearchOptions};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Files written with `--out`.
#[derive(Debug, Serialize)]
struct Written {
    json: PathBuf,
    districts: PathBuf,
    by_hour: PathBuf,
    fan: PathBuf,
    chart: PathBuf,
}

/// The `--json` document.
#[derive(Serialize)]
struct Document<'a> {
    #[serde(flatten)]
    forecast: &'a Forecast,
    written: Option<&'a Written>,
}

pub fn run(args: &ForecastArgs) -> Result<ExitCode> {
    let (Some(city_file), Some(scenario_file)) = (&args.city, &args.scenario) else {
        return Ok(fail("give the city and the scenario"));
    };
    let shard = match args
        .shard
        .as_deref()
        .map(Shard::parse)
        .transpose()
        .map_err(ForecastError::from)
    {
        Ok(shard) => shard,
        Err(error) => return Ok(fail(message(&error))),
    };
    let loaded = crate::city_check::load_with_scenario(city_file, scenario_file);
    let (city, scenario) = match loaded {
        Ok(loaded) => loaded,
        Err(error) => return Ok(crate::simulate::report_invalid(&error)),
    };
    let at_s = match &args.at {
        None => None,
        Some(text) => match parse_clock(text) {
            Some(at_s) => Some(at_s),
            None => {
                return Ok(fail(format!(
                    "--at: '{text}' is not HH:MM (hours from the scenario's start, e.g. 09:30 or 30:15)"
                )));
            }
        },
    };
    if args.threads == Some(0) {
        return Ok(fail("--threads must be at least 1"));
    }
    let request = ForecastRequest {
        samples: args.samples,
        seed: args.seed,
        at_s,
    };
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(threads) = args.threads {
        builder = builder.num_threads(threads);
    }
    let pool = builder.build().context("cannot start the worker threads")?;
    let problem = match args.plan {
        ForecastPlanArg::None if args.crews.is_some() => {
            return Ok(fail(
                "--crews: crews come in with --plan chosen or --plan rule",
            ));
        }
        ForecastPlanArg::None => None,
        _ => match CityProblem::new(&city, &scenario, CityOptions { crews: args.crews }) {
            Ok(problem) => Some(problem),
            Err(error) => return Ok(restore_failed(&error)),
        },
    };
    let dispatch = match dispatch(args, problem.as_ref(), &pool) {
        Ok(dispatch) => dispatch,
        Err(code) => return Ok(code),
    };
    if let Err(error) = lifeline_forecast::run::check(&request, &scenario) {
        return Ok(fail(message(&error)));
    }
    let samples = shard.map_or(args.samples as u64, |s| {
        let range = s.range(args.samples as u64);
        range.end - range.start
    });
    let bar = if args.json {
        ProgressBar::hidden()
    } else {
        eprintln!(
            "Forecasting {} on {}: {samples} samples of the repairs through the cascade on {} threads…",
            scenario.name,
            city.name,
            pool.current_num_threads()
        );
        let bar = ProgressBar::new(samples);
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} samples ({elapsed}, ETA {eta})")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    };
    if let (Some(shard), Some(file)) = (shard, &args.part) {
        let never = std::sync::atomic::AtomicBool::new(false);
        let part = pool.install(|| {
            run_part(
                &city,
                &scenario,
                &request,
                &dispatch,
                shard,
                &|| bar.inc(1),
                &never,
            )
        });
        bar.finish_and_clear();
        return match part {
            Ok(part) => write_part(file, &part, args.json),
            Err(error) => Ok(forecast_failed(error)),
        };
    }
    let result = pool.install(|| forecast(&city, &scenario, &request, &dispatch, &|| bar.inc(1)));
    bar.finish_and_clear();
    match result {
        Ok(result) => show(&result, args.out.as_deref(), args.json),
        Err(error) => Ok(forecast_failed(error)),
    }
}

/// A forecast's failure, reported: the city's or scenario's problems, the plan's, or the
/// request's field.
fn forecast_failed(error: ForecastError) -> ExitCode {
    match error {
        ForecastError::Cascade(error) => crate::simulate::report_invalid(&error),
        ForecastError::Restore(error) => restore_failed(&error),
        error => fail(message(&error)),
    }
}

/// Writes a shard's part and says so.
fn write_part(file: &Path, part: &Part, json: bool) -> Result<ExitCode> {
    let written = write_json_file(file, part)?;
    let range = part.shard.range(part.header.samples as u64);
    if json {
        print_json(&serde_json::json!({
            "shard": part.shard,
            "samples": range.end - range.start,
            "first_sample": range.start,
            "seconds": part.seconds,
            "written": written,
        }))?;
    } else {
        println!(
            "Shard {}/{}: samples {}–{} of {} in {:.1} s; written {} (join the parts with `lifeline forecast merge`)",
            part.shard.index,
            part.shard.count,
            range.start,
            range.end.saturating_sub(1),
            part.header.samples,
            part.seconds,
            written.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `lifeline forecast merge`: the parts of a forecast made in shards, joined.
pub fn merge(args: &ForecastMergeArgs) -> Result<ExitCode> {
    let mut parts = Vec::with_capacity(args.parts.len());
    for path in &args.parts {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(error) => return Ok(fail(format!("{}: cannot read: {error}", path.display()))),
        };
        match serde_json::from_str::<Part>(&text) {
            Ok(part) => parts.push((path.display().to_string(), part)),
            Err(error) => {
                return Ok(fail(format!(
                    "{}:{}:{}: not a forecast part ({error}); parts come from `lifeline forecast --shard I/N --part FILE`",
                    path.display(),
                    error.line(),
                    error.column()
                )));
            }
        }
    }
    match lifeline_forecast::part::merge(&parts) {
        Ok(forecast) => show(&forecast, args.out.as_deref(), args.json),
        Err(error) => Ok(fail(error)),
    }
}

/// Prints `result` (the table, or the `--json` document) and writes its files to `out`.
fn show(result: &Forecast, out: Option<&Path>, json: bool) -> Result<ExitCode> {
    let written = match out {
        Some(dir) => Some(write_outputs(dir, result)?),
        None => None,
    };
    if json {
        print_json(&Document {
            forecast: result,
            written: written.as_ref(),
        })?;
    } else {
        print_forecast(result);
        if let Some(written) = &written {
            println!();
            println!("Written:");
            for path in [
                &written.json,
                &written.districts,
                &written.by_hour,
                &written.fan,
                &written.chart,
            ] {
                println!("  {}", path.display());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Who repairs what in the samples: the plan `lifeline restore` hands out (planned here,
/// with a progress bar), the priority rule, or every repair at once; the exit code of a
/// failure, reported.
fn dispatch<'p, 'a>(
    args: &ForecastArgs,
    problem: Option<&'p CityProblem<'a>>,
    pool: &rayon::ThreadPool,
) -> std::result::Result<Dispatch<'p, 'a>, ExitCode> {
    Ok(match (problem, args.plan) {
        (Some(problem), ForecastPlanArg::Chosen) => {
            if !args.json {
                eprintln!("Planning the repairs as `lifeline restore` does…");
            }
            let bar = if args.json {
                ProgressBar::hidden()
            } else {
                let bar = ProgressBar::new(1);
                bar.set_style(
                    ProgressStyle::with_template("{bar:40} {pos}/{len}: planning ({elapsed})")
                        .unwrap_or_else(|_| ProgressStyle::default_bar()),
                );
                bar
            };
            let chosen = pool.install(|| {
                Dispatch::chosen(problem, SearchOptions::default(), &|done, total| {
                    bar.set_length(total as u64);
                    bar.set_position(done as u64);
                })
            });
            bar.finish_and_clear();
            match chosen {
                Ok(dispatch) => dispatch,
                Err(ForecastError::Restore(error)) => return Err(restore_failed(&error)),
                Err(error) => return Err(fail(message(&error))),
            }
        }
        (Some(problem), _) => Dispatch::Rule {
            problem,
            rule: Rule::Priority,
        },
        (None, _) => Dispatch::Unlimited,
    })
}

/// The restoration problem or its study failed.
fn restore_failed(error: &RestoreError) -> ExitCode {
    match error {
        RestoreError::Cascade(error) => crate::simulate::report_invalid(error),
        other => fail(format!("--plan: {}", crate::restore::message(other))),
    }
}

/// A request error led by its flag.
fn message(error: &ForecastError) -> String {
    match error {
        ForecastError::Request(field) => {
            format!("{}: {}", crate::flags::flag(field.field), field.message)
        }
        other => other.to_string(),
    }
}

fn write_outputs(dir: &std::path::Path, forecast: &Forecast) -> Result<Written> {
    Ok(Written {
        json: write_json_file(&dir.join("forecast.json"), forecast)?,
        districts: write_file(&dir.join("districts.csv"), |out| {
            report::write_districts(out, forecast)
        })?,
        by_hour: write_file(&dir.join("by-hour.csv"), |out| {
            report::write_by_hour(out, forecast)
        })?,
        fan: write_file(&dir.join("fan.csv"), |out| report::write_fan(out, forecast))?,
        chart: write_file(&dir.join("fan.svg"), |out| {
            let title = format!("{}: forecast on {}", forecast.scenario, forecast.city);
            std::io::Write::write_all(out, report::fan_svg(&title, forecast).as_bytes())
        })?,
    })
}

/// `HH:MM`, `—` for 0 (never cut), `after HH:MM` beyond the horizon.
fn at(value: Option<f64>, horizon_h: f64) -> String {
    match value {
        Some(0.0) => "—".into(),
        Some(h) => number::clock((h * 3600.0).round() as i64),
        None => format!(
            "after {}",
            number::clock((horizon_h * 3600.0).round() as i64)
        ),
    }
}

/// `14:00–22:00, median 17:00` (`00:00` for samples never cut), or one time when the
/// three agree.
fn span(q: &Quantiles, horizon_h: f64) -> String {
    if q.p10 == q.p90 {
        return at(q.p50, horizon_h);
    }
    let clock = |value: Option<f64>| match value {
        Some(0.0) => "00:00".to_string(),
        other => at(other, horizon_h),
    };
    format!("{}–{}, median {}", clock(q.p10), clock(q.p90), clock(q.p50))
}

fn print_forecast(f: &Forecast) {
    println!(
        "Forecast: {} on {}, {} samples (seed {}){}; horizon {} h; {:.1} s ({:.1} samples/s, {} of {} water runs shared)",
        f.scenario,
        f.city,
        f.samples,
        f.seed,
        f.at_h
            .map(|h| format!(" from {}", number::clock((h * 3600.0).round() as i64)))
            .unwrap_or_default(),
        f.horizon_h,
        f.seconds,
        f.samples_per_second,
        f.water_runs_shared,
        f.samples
    );
    match (f.plan.as_str(), &f.plan_by) {
        ("chosen", Some(by)) => println!(
            "Repairs by the city's crews in the order of {by} (as `lifeline restore` hands it out), their times drawn in every sample."
        ),
        (_, Some(by)) => println!(
            "Repairs by the city's crews, sent by {by} afresh in every sample as crews come free."
        ),
        _ => println!(
            "Each repair starts when its asset is hit (as many crews as needed; --plan chosen or rule for the city's crews)."
        ),
    }
    if f.certain {
        println!(
            "Every repair time is certain: all samples are the same (give distributions in [restoration], docs/forecast.md)."
        );
    }
    if f.unbalanced_solves > 0 {
        println!(
            "Note: {} hydraulic solves in {} of {} samples did not balance (EPANET warning 1): their water figures are the solver's last trial.",
            thousands(f.unbalanced_solves as u64),
            f.samples_with_unbalanced_solves,
            f.samples
        );
    }
    if f.samples_with_destroyed > 0 {
        println!(
            "In {} of {} samples an asset reported damaged proved destroyed.",
            f.samples_with_destroyed, f.samples
        );
    }
    println!();
    println!(
        "When is it back for good? 80 % of samples between the two times (hours:minutes from the start; — never cut):"
    );
    let width = f
        .districts
        .iter()
        .map(|d| d.name.chars().count())
        .max()
        .unwrap_or(8)
        .max(8);
    println!("  {:<width$}  {:<34}  water", "district", "power");
    for d in &f.districts {
        print_district(d, width, f.horizon_h);
    }
    print_fan(f);
}

fn print_district(d: &DistrictForecast, width: usize, horizon_h: f64) {
    println!(
        "  {:<width$}  {:<34}  {}",
        d.name,
        span(&d.power_back_h, horizon_h),
        span(&d.water_back_h, horizon_h)
    );
}

/// The city's fan as rows of the median and the 80 % band every 6 hours.
fn print_fan(f: &Forecast) {
    println!();
    println!("Customers without power and people without water (median, 10th–90th percentile):");
    for p in f.fan.iter().filter(|p| (p.t_h % 6.0).abs() < 1e-9) {
        let (c, w) = (&p.customers_without_power, &p.people_without_water);
        println!(
            "  {:>6}  power {:>9} ({}–{})   water {:>9} ({}–{})",
            number::clock((p.t_h * 3600.0).round() as i64),
            thousands(c.p50),
            thousands(c.p10),
            thousands(c.p90),
            thousands(w.p50),
            thousands(w.p10),
            thousands(w.p90)
        );
    }
}
