//! `lifeline power contingency`: N-1 analysis with a progress bar, a summary of the worst
//! cases, and CSV or JSON output.

use crate::cli::ContingencyArgs;
use crate::output::{human, print_json, write_file, write_json_file};
use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressStyle};
use lifeline_power::contingency::{Contingency, ContingencyResult, contingencies};
use lifeline_power::matpower::read_case;
use lifeline_power::{ContingencyOptions, ContingencyReport, Grid, Init, report, run_n1};
use serde::Serialize;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// The JSON document of `power contingency --json` (schema: docs/json.md).
#[derive(Debug, Serialize)]
struct ContingencyDocument<'a> {
    case: &'a str,
    file: String,
    threads: usize,
    contingencies: usize,
    converged: usize,
    failed: usize,
    splitting: usize,
    shedding: usize,
    darkening: usize,
    overloaded: usize,
    with_voltage_violations: usize,
    elapsed_ms: f64,
    written: Option<PathBuf>,
    #[serde(flatten)]
    report: &'a ContingencyReport,
}

/// Runs `power contingency`.
pub fn run(args: &ContingencyArgs) -> Result<ExitCode> {
    if args.no_branches && args.no_generators {
        bail!("--no-branches and --no-generators together leave nothing to analyse");
    }
    let ac = args.newton.ac_options(Init::Flat)?;
    if let Some(threads) = args.threads {
        if threads == 0 {
            bail!("--threads must be at least 1");
        }
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build_global()
            .context("cannot start the worker threads")?;
    }
    let read = read_case(&args.case)?;
    let case_name = read.case.name.clone();
    let grid = Grid::new(read.case)?;
    let mut options = ContingencyOptions {
        branches: !args.no_branches,
        generators: !args.no_generators,
        ..ContingencyOptions::default()
    };
    options.grid.ac = ac;
    let total = contingencies(&grid, &options).len();
    let threads = rayon::current_num_threads();
    let bar = if args.json {
        ProgressBar::hidden()
    } else {
        ProgressBar::new(total as u64)
    };
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} contingencies, {per_sec}, ETA {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let started = Instant::now();
    let report = run_n1(&grid, &options, &|done| bar.set_position(done as u64))?;
    let elapsed = started.elapsed();
    bar.finish_and_clear();

    let results = &report.results;
    let count =
        |keep: &dyn Fn(&ContingencyResult) -> bool| results.iter().filter(|r| keep(r)).count();
    let written = match &args.out {
        Some(path) if path.extension().is_some_and(|e| e == "json") => {
            Some(write_json_file(path, &report)?)
        }
        Some(path) => Some(write_file(path, |out| {
            report::write_contingencies(out, results)
        })?),
        None => None,
    };
    let document = ContingencyDocument {
        case: &case_name,
        file: args.case.display().to_string(),
        threads,
        contingencies: results.len(),
        converged: count(&|r| r.converged),
        failed: count(&|r| !r.converged),
        splitting: count(&|r| r.islands > 1),
        shedding: count(&|r| r.shed_mw > 0.0),
        darkening: count(&|r| r.dark_load_mw > 0.0),
        overloaded: count(&|r| r.max_loading_percent.is_some_and(|l| l > 100.0)),
        with_voltage_violations: count(&|r| r.voltage_violations > 0),
        elapsed_ms: elapsed.as_secs_f64() * 1e3,
        written,
        report: &report,
    };
    if args.json {
        print_json(&document)?;
    } else {
        print_summary(&document, args.worst, elapsed);
    }
    let base = &report.base;
    if base.is_sound() {
        return Ok(ExitCode::SUCCESS);
    }
    if !base.status.converged() {
        eprintln!(
            "error: {}: the intact grid did not converge ({} iterations), so the contingencies compare with no base case",
            args.case.display(),
            base.iterations
        );
    }
    for buses in &base.dark_islands {
        let buses: Vec<String> = buses.iter().map(ToString::to_string).collect();
        eprintln!(
            "error: {}: the intact grid already has an island without generation (buses {}): every contingency's dark load includes it",
            args.case.display(),
            buses.join(", ")
        );
    }
    Ok(ExitCode::from(crate::power_flow::NOT_CONVERGED))
}

fn label(contingency: Contingency) -> String {
    match contingency {
        Contingency::Branch(i) => format!("branch {i}"),
        Contingency::Generator(i) => format!("generator {i}"),
    }
}

fn print_summary(document: &ContingencyDocument<'_>, worst: usize, elapsed: std::time::Duration) {
    let report = document.report;
    let results = &report.results;
    let branches = results
        .iter()
        .filter(|r| matches!(r.contingency, Contingency::Branch(_)))
        .count();
    println!(
        "{}: N-1 over {} branches and {} generators ({} contingencies) on {} threads",
        document.case,
        branches,
        results.len() - branches,
        results.len(),
        document.threads
    );
    println!(
        "base case: {} in {} iterations; highest loading {}",
        if report.base.status.converged() {
            "converged"
        } else {
            "NOT converged"
        },
        report.base.iterations,
        report
            .base
            .max_loading_percent
            .map_or("n/a (no ratings)".into(), |l| format!("{l:.1} % of RATE_A"))
    );
    let shed: f64 = results.iter().map(|r| r.shed_mw).sum();
    let dark: f64 = results.iter().map(|r| r.dark_load_mw).sum();
    println!(
        "  converged {}, failed {}; {} split the grid; {} shed load ({shed:.1} MW in all); {} leave load dark ({dark:.1} MW in all)",
        document.converged,
        document.failed,
        document.splitting,
        document.shedding,
        document.darkening
    );
    println!(
        "  {} overload a branch (> 100 % of RATE_A); {} put buses outside 0.9–1.1 p.u.",
        document.overloaded, document.with_voltage_violations
    );
    let mut ranked: Vec<&ContingencyResult> = results.iter().collect();
    ranked.sort_by(|a, b| {
        let severity = |r: &ContingencyResult| {
            (
                !r.converged,
                r.shed_mw + r.dark_load_mw,
                r.max_loading_percent.unwrap_or(0.0),
            )
        };
        let (fa, ua, la) = severity(a);
        let (fb, ub, lb) = severity(b);
        fb.cmp(&fa).then(ub.total_cmp(&ua)).then(lb.total_cmp(&la))
    });
    if worst > 0 && !ranked.is_empty() {
        println!(
            "worst {} (failed first, then unserved load, then loading):",
            worst.min(ranked.len())
        );
        println!(
            "  {:<16} {:>9} {:>7} {:>10} {:>10} {:>12} {:>8}",
            "outage", "converged", "islands", "shed MW", "dark MW", "max load %", "min |V|"
        );
        for r in ranked.iter().take(worst) {
            println!(
                "  {:<16} {:>9} {:>7} {:>10.1} {:>10.1} {:>12} {:>8}",
                label(r.contingency),
                if r.converged { "yes" } else { "NO" },
                r.islands,
                r.shed_mw,
                r.dark_load_mw,
                r.max_loading_percent
                    .map_or("-".into(), |l| format!("{l:.1}")),
                r.min_vm_pu.map_or("-".into(), |v| format!("{v:.3}")),
            );
            if let Some(error) = &r.error {
                println!("      {error}");
            }
        }
    }
    println!(
        "time: {} ({} per contingency)",
        human(elapsed),
        human(elapsed / results.len().max(1) as u32)
    );
    if let Some(path) = &document.written {
        println!("wrote {}", path.display());
    }
}
