//! `lifeline simulate` and `lifeline demo`: a damage scenario on a city, end to end.

use crate::cli::{DemoArgs, SimulateArgs};
use crate::output::{human, print_json, write_file, write_json_file};
use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use lifeline_cascade::result::DistrictResult;
use lifeline_cascade::{CascadeError, CascadeResult, City, Scenario, report, simulate};
use lifeline_core::number::{self, thousands};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// Runs the seed scenario on the demo city, after writing the city into `--out`.
pub fn demo(args: &DemoArgs) -> Result<ExitCode> {
    let city_dir = args.out.join("city");
    lifeline_demo_city::write_files(&city_dir)?;
    let run = Run {
        city: city_dir.join(lifeline_demo_city::CITY),
        scenario: city_dir.join(lifeline_demo_city::SCENARIO),
        out: Some(args.out.clone()),
        json: args.json,
        engine: lifeline_water::Engine::default(),
    };
    run.execute(true)
}

/// Runs a scenario on a city.
pub fn run(args: &SimulateArgs) -> Result<ExitCode> {
    Run {
        city: args.city.clone(),
        scenario: args.scenario.clone(),
        out: args.out.clone(),
        json: args.json,
        engine: args.engine.into(),
    }
    .execute(false)
}

struct Run {
    city: PathBuf,
    scenario: PathBuf,
    out: Option<PathBuf>,
    json: bool,
    engine: lifeline_water::Engine,
}

/// Output files of a run.
#[derive(Debug, Serialize)]
struct Written {
    result: PathBuf,
    districts: PathBuf,
    assets: PathBuf,
    tanks: PathBuf,
    geojson: Option<PathBuf>,
    assets_geojson: Option<PathBuf>,
}

/// The `--json` document: the result, with where it came from and went.
#[derive(Serialize)]
struct Document<'a> {
    city_file: String,
    scenario_file: String,
    elapsed_ms: f64,
    written: Option<&'a Written>,
    /// `lifeline demo` only: the repair plan with the city's crews.
    #[serde(skip_serializing_if = "Option::is_none")]
    restoration: Option<&'a crate::restore::Headline>,
    #[serde(flatten)]
    result: &'a CascadeResult,
}

impl Run {
    fn execute(&self, demo: bool) -> Result<ExitCode> {
        let started = Instant::now();
        let loaded = crate::city_check::load_with_scenario(&self.city, &self.scenario);
        let (mut city, scenario) = match loaded {
            Ok(loaded) => loaded,
            Err(error) => return Ok(report_invalid(&error)),
        };
        city.water_engine = self.engine;
        let bar = Progress::new(self.json, scenario.horizon_s as u64);
        let result = simulate(&city, &scenario, &mut |t, _| bar.set(t as u64));
        bar.finish();
        let result = match result {
            Ok(result) => result,
            Err(error) => return Ok(report_invalid(&error)),
        };
        let elapsed = started.elapsed();
        let written = match &self.out {
            Some(dir) => Some(write_outputs(dir, &city, &result)?),
            None => None,
        };
        if !self.json {
            print_report(&city, &scenario, &result, elapsed);
            if let Some(written) = &written {
                print_written(written, demo, self.out.as_deref());
            }
        }
        // The demo also plans the repairs with the city's crews.
        let restoration = match (&self.out, demo) {
            (Some(dir), true) => {
                if !self.json {
                    eprintln!(
                        "Planning the repairs with the city's crews: every planner, each plan through the cascade (about ten seconds)…"
                    );
                }
                match crate::restore::headline(&city, &scenario, &dir.join("restore"), self.json)? {
                    Ok(headline) => Some(headline),
                    Err(error) => {
                        eprintln!(
                            "error: cannot plan the repairs: {}",
                            crate::restore::message(&error)
                        );
                        return Ok(ExitCode::from(1));
                    }
                }
            }
            _ => None,
        };
        if self.json {
            print_json(&Document {
                city_file: self.city.display().to_string(),
                scenario_file: self.scenario.display().to_string(),
                elapsed_ms: elapsed.as_secs_f64() * 1e3,
                written: written.as_ref(),
                restoration: restoration.as_ref(),
                result: &result,
            })?;
        } else if let Some(headline) = &restoration {
            crate::restore::print_headline(headline, &self.city, &self.scenario);
            print_next_steps(&self.city, &self.scenario);
        }
        Ok(ExitCode::SUCCESS)
    }
}

/// The demo's last words: where to go from here, with commands that run as printed.
fn print_next_steps(city: &Path, scenario: &Path) {
    let (city, scenario) = (city.display(), scenario.display());
    println!();
    println!("Next:");
    println!(
        "  the dashboard at http://127.0.0.1:8080 (the map over time, crews, outage schedule, incidents):"
    );
    println!("    lifeline serve");
    println!("  the rolling outage schedule while generation is short:");
    println!("    lifeline schedule {city} --from-scenario {scenario}");
    println!("  which assets matter most, one strike at a time:");
    println!("    lifeline sweep {city} --scenarios n-1 --out n1.parquet");
}

/// Prints every problem of an invalid city or scenario; exit code 1.
pub fn report_invalid(error: &CascadeError) -> ExitCode {
    match error {
        CascadeError::Invalid(problems) => {
            for problem in problems {
                eprintln!("error: {problem}");
            }
            let count = problems.len();
            eprintln!(
                "{count} problem{} found; nothing was simulated",
                if count == 1 { "" } else { "s" }
            );
        }
        other => eprintln!("error: {other}"),
    }
    ExitCode::from(1)
}

fn write_outputs(dir: &Path, city: &City, result: &CascadeResult) -> Result<Written> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    Ok(Written {
        result: write_json_file(&dir.join("result.json"), result)?,
        districts: write_file(&dir.join("districts.csv"), |out| {
            report::write_districts(out, result)
        })?,
        assets: write_file(&dir.join("assets.csv"), |out| {
            report::write_assets(out, result)
        })?,
        tanks: write_file(&dir.join("tanks.csv"), |out| {
            report::write_tanks(out, result)
        })?,
        geojson: match report::districts_geojson(city, result) {
            Some(geojson) => Some(write_json_file(&dir.join("districts.geojson"), &geojson)?),
            None => None,
        },
        assets_geojson: match report::assets_geojson(city, result) {
            Some(geojson) => Some(write_json_file(&dir.join("assets.geojson"), &geojson)?),
            None => None,
        },
    })
}

/// A progress bar that appears only once the run has taken a second.
struct Progress {
    bar: ProgressBar,
    started: Instant,
    quiet: bool,
}

impl Progress {
    fn new(quiet: bool, total: u64) -> Self {
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {msg} simulated, ETA {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        Self {
            bar,
            started: Instant::now(),
            quiet,
        }
    }

    fn set(&self, time_s: u64) {
        if !self.quiet && self.bar.is_hidden() && self.started.elapsed() > Duration::from_secs(1) {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
        self.bar.set_position(time_s);
        self.bar.set_message(number::clock(time_s as i64));
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// `12,345 (27%)`, or `0`.
fn with_share(value: u64, of: u64) -> String {
    if value == 0 {
        "0".into()
    } else {
        format!(
            "{} ({:.0}%)",
            thousands(value),
            100.0 * value as f64 / of as f64
        )
    }
}

/// A restoration time: `HH:MM`, `—` if never cut (0), `not by HH:MM` if still cut.
fn back_at(restored_h: Option<f64>, horizon_h: f64) -> String {
    match restored_h {
        Some(0.0) => "—".into(),
        Some(t) => number::clock((t * 3600.0).round() as i64),
        None => format!(
            "not by {}",
            number::clock((horizon_h * 3600.0).round() as i64)
        ),
    }
}

fn print_report(city: &City, scenario: &Scenario, result: &CascadeResult, elapsed: Duration) {
    print_heading(city, scenario, result, elapsed);
    println!();
    print_district_table(result);
    println!();
    print_losses(result);
    println!();
    let power: Vec<f64> = result
        .customers_without_power()
        .iter()
        .map(|&v| v as f64)
        .collect();
    let water: Vec<f64> = result
        .people_without_water()
        .iter()
        .map(|&v| v as f64)
        .collect();
    let summary = &result.summary;
    print_chart("Customers without power", &power, summary.customers as f64);
    print_chart("People without water", &water, summary.population as f64);
    print_axis(&result.times_h);
    print_notes(result);
}

/// What ran on what: the city, the strikes, the time it took.
fn print_heading(city: &City, scenario: &Scenario, result: &CascadeResult, elapsed: Duration) {
    let summary = &result.summary;
    println!(
        "{} on {}: {} people, {} electricity customers in {} districts",
        scenario.name,
        city.name,
        thousands(summary.population),
        thousands(summary.customers),
        city.districts.len()
    );
    let first = scenario.strikes.first().map_or(0, |s| s.at_s);
    let last = scenario.strikes.last().map_or(0, |s| s.at_s);
    println!(
        "{} strikes from {} to {}; {} h simulated in {} ({} grid solves, {} hydraulic solves)",
        scenario.strikes.len(),
        number::clock(first),
        number::clock(last),
        result.horizon_h,
        human(elapsed),
        result.stats.grid_solves,
        result.stats.water_solves
    );
    if let Some(start) = &scenario.start {
        println!("Times are hours:minutes from {start}.");
    }
}

/// One line per district and the city's line under a rule, columns aligned.
fn print_district_table(result: &CascadeResult) {
    let summary = &result.summary;
    let header = [
        "District",
        "People",
        "Customers",
        "Most without power",
        "Power back",
        "Most without water",
        "Water back",
    ];
    let mut rows: Vec<[String; 7]> = result
        .districts
        .iter()
        .map(|d| district_row(result, d))
        .collect();
    rows.push([
        "City".into(),
        thousands(summary.population),
        thousands(summary.customers),
        with_share(summary.peak_customers_without_power, summary.customers),
        back_at(summary.power_restored_h, result.horizon_h),
        with_share(summary.peak_people_without_water, summary.population),
        back_at(summary.water_restored_h, result.horizon_h),
    ]);
    let mut widths = header.map(str::len);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &[String]| {
        let mut text = String::new();
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
            let pad = w - cell.chars().count();
            if i == 0 {
                text.push_str(&format!("{cell}{}", " ".repeat(pad)));
            } else {
                text.push_str(&format!("  {}{cell}", " ".repeat(pad)));
            }
        }
        println!("{}", text.trim_end());
    };
    line(&header.map(String::from));
    for (i, row) in rows.iter().enumerate() {
        if i + 1 == rows.len() {
            println!(
                "{}",
                "─".repeat(widths.iter().sum::<usize>() + 2 * (widths.len() - 1))
            );
        }
        line(row);
    }
}

/// What was lost over the horizon, and when everything was back.
fn print_losses(result: &CascadeResult) {
    let summary = &result.summary;
    println!(
        "Lost: {} customer-hours of power ({} MWh), {} person-hours of water ({} m³)",
        thousands(summary.customer_hours_without_power.round() as u64),
        thousands(summary.unserved_mwh.round() as u64),
        thousands(summary.person_hours_without_water.round() as u64),
        thousands(summary.unserved_m3.round() as u64)
    );
    match summary.full_restoration_h {
        Some(t) => println!(
            "Everything restored at {}",
            number::clock((t * 3600.0).round() as i64)
        ),
        None => println!(
            "Not everything is restored by {}",
            number::clock((result.horizon_h * 3600.0).round() as i64)
        ),
    }
}

/// Grid solves that did not converge and hydraulic solves that did not balance, if any.
fn print_notes(result: &CascadeResult) {
    let normal = &result.summary.baseline;
    if result.stats.grid_non_convergence.is_empty()
        && result.stats.water_warnings.is_empty()
        && normal.is_zero()
    {
        return;
    }
    println!();
    if normal.peak_people_without_water > 0 || normal.peak_customers_without_power > 0 {
        println!(
            "warning: on a normal day (no strikes) this city already leaves up to {} people \
             without water and {} customers without power ({} person-hours, {} customer-hours \
             over the horizon); the figures above are the strikes' losses beyond that \
             (summary.baseline in --json)",
            thousands(normal.peak_people_without_water),
            thousands(normal.peak_customers_without_power),
            thousands(normal.person_hours_without_water.round() as u64),
            thousands(normal.customer_hours_without_power.round() as u64),
        );
    } else if !normal.is_zero() {
        let mut short = Vec::new();
        if normal.unserved_mwh >= 0.05 {
            short.push(format!("{:.1} MWh", normal.unserved_mwh));
        }
        if normal.unserved_m3 >= 0.5 {
            short.push(format!(
                "{} m³ of water",
                thousands(normal.unserved_m3.round() as u64)
            ));
        }
        if !short.is_empty() {
            println!(
                "note: on a normal day the networks already fall short by {} (nobody below \
                 the service thresholds); not counted above (summary.baseline in --json)",
                short.join(" and ")
            );
        }
    }
    for note in &result.stats.grid_non_convergence {
        println!("note: grid at {note}");
    }
    let unbalanced = result
        .stats
        .water_warnings
        .iter()
        .filter(|w| w.code == 1)
        .count();
    if unbalanced > 0 {
        println!(
            "note: {unbalanced} hydraulic {} not balance (EPANET warning 1); see result.json",
            if unbalanced == 1 {
                "solve did"
            } else {
                "solves did"
            }
        );
    }
}

fn district_row(result: &CascadeResult, d: &DistrictResult) -> [String; 7] {
    [
        d.name.clone(),
        thousands(d.population),
        thousands(d.customers),
        with_share(d.peak_customers_without_power, d.customers),
        back_at(d.power_restored_h, result.horizon_h),
        with_share(d.peak_people_without_water, d.population),
        back_at(d.water_restored_h, result.horizon_h),
    ]
}

/// Rows of the chart per series.
const CHART_ROWS: usize = 4;
/// Label column width.
const LABEL_WIDTH: usize = 24;

/// A bar chart of `values` (one column per reported time), `CHART_ROWS` high, scaled to
/// the largest value, with the peak and its share of `total` on the right.
fn print_chart(label: &str, values: &[f64], total: f64) {
    const EIGHTHS: [char; 9] = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let peak = values.iter().copied().fold(0.0, f64::max);
    for row in (0..CHART_ROWS).rev() {
        let mut text = String::new();
        for &v in values {
            let filled = if peak > 0.0 {
                v / peak * CHART_ROWS as f64
            } else {
                0.0
            };
            let eighths = ((filled - row as f64) * 8.0).round().clamp(0.0, 8.0) as usize;
            text.push(if v > 0.0 && row == 0 && eighths == 0 {
                '▁'
            } else {
                EIGHTHS[eighths]
            });
        }
        let left = if row == CHART_ROWS - 1 { label } else { "" };
        let right = if row == CHART_ROWS - 1 {
            format!(" peak {}", with_share(peak as u64, total as u64))
        } else {
            String::new()
        };
        println!("{left:<LABEL_WIDTH$}│{text}│{right}");
    }
}

fn print_axis(times_h: &[f64]) {
    let mut marks = vec![' '; times_h.len()];
    let mut labels = String::new();
    let mut next_free = 0;
    for (k, t) in times_h.iter().enumerate() {
        if (t % 12.0).abs() < 1e-9 {
            marks[k] = '┴';
            let text = format!("{t:.0}h");
            if k >= next_free {
                labels.push_str(&" ".repeat(k - labels.chars().count().min(k)));
                labels.push_str(&text);
                next_free = k + text.len() + 1;
            }
        }
    }
    let marks: String = marks.into_iter().collect();
    println!("{:<LABEL_WIDTH$}└{marks}┘", "");
    println!("{:<LABEL_WIDTH$} {labels}", "");
}

fn print_written(written: &Written, demo: bool, out: Option<&Path>) {
    println!();
    println!("Written:");
    for path in [
        &written.result,
        &written.districts,
        &written.assets,
        &written.tanks,
    ] {
        println!("  {}", path.display());
    }
    for path in [&written.geojson, &written.assets_geojson]
        .into_iter()
        .flatten()
    {
        println!("  {}", path.display());
    }
    if demo && let Some(out) = out {
        let city = out.join("city");
        println!();
        println!(
            "The demo city is in {}: edit it, or copy it as the template of your own, and run\n  lifeline simulate {} {} --out DIR",
            city.display(),
            city.join("city.toml").display(),
            city.join("scenarios/2024-03-22.toml").display()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1_399_000), "1,399,000");
    }

    #[test]
    fn restoration_times_read_as_clock_times() {
        assert_eq!(back_at(Some(26.5), 48.0), "26:30");
        assert_eq!(back_at(Some(0.0), 48.0), "—");
        assert_eq!(back_at(None, 48.0), "not by 48:00");
    }
}
