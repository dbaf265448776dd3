//! `lifeline-bench incidents`: how fast `incidents extract` drafts a 1,000-word report,
//! and its precision and recall per field on the labelled set.
//!
//! The 1,000-word report is the labelled reports' text, repeated in order until it has
//! 1,000 words (places, dates and counts as real reports give them). The median of
//! `--runs` extractions is reported; the gazetteer is loaded once before timing, as in a
//! long-running process (its first load is timed apart).

use crate::cli::IncidentsArgs;
use crate::output::{human, print_json};
use anyhow::{Context, Result, bail};
use lifeline_incidents::evaluate::{Evaluation, evaluate};
use lifeline_incidents::extract::{extract, sentences};
use lifeline_incidents::gazetteer::Gazetteer;
use serde::Serialize;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

#[derive(Serialize)]
struct IncidentsBench {
    machine: serde_json::Value,
    words: usize,
    drafts: usize,
    runs: usize,
    /// Median extraction of the 1,000-word report, ms.
    extract_ms: f64,
    /// Loading the gazetteer the first time, ms.
    gazetteer_ms: f64,
    /// Per set (dev, test).
    evaluation: Vec<Evaluation>,
}

fn eval_dir(args: &IncidentsArgs) -> PathBuf {
    args.eval
        .clone()
        .unwrap_or_else(|| PathBuf::from("crates/incidents/eval"))
}

pub fn run(args: &IncidentsArgs) -> Result<ExitCode> {
    if args.runs == 0 {
        bail!("--runs must be at least 1");
    }
    let dir = eval_dir(args);
    let mut bodies = Vec::new();
    // The reports of the folder, or of its dev/ and test/ sets.
    let mut folders: Vec<PathBuf> = ["dev", "test"]
        .iter()
        .map(|s| dir.join(s))
        .filter(|d| d.is_dir())
        .collect();
    if folders.is_empty() {
        folders.push(dir.clone());
    }
    let mut names: Vec<PathBuf> = Vec::new();
    for folder in &folders {
        names.extend(
            std::fs::read_dir(folder)
                .with_context(|| {
                    format!(
                        "{}: cannot read the evaluation set (give --eval DIR)",
                        folder.display()
                    )
                })?
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "txt")),
        );
    }
    names.sort();
    for path in &names {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        bodies.push(sentences(&text).join(" "));
    }
    if bodies.is_empty() {
        bail!(
            "{}: no reports (NAME.txt) in the evaluation set",
            dir.display()
        );
    }
    let mut report = String::from("date: 2024-03-22\n\n");
    let mut words = 0;
    'fill: loop {
        for body in &bodies {
            report.push_str(body);
            report.push_str("\n\n");
            words += body.split_whitespace().count();
            if words >= 1000 {
                break 'fill;
            }
        }
    }
    let started = Instant::now();
    let _ = Gazetteer::get();
    let gazetteer_ms = started.elapsed().as_secs_f64() * 1e3;
    let mut times = Vec::with_capacity(args.runs);
    let mut drafts = 0;
    for _ in 0..args.runs {
        let started = Instant::now();
        drafts = extract(&report, None, None).len();
        times.push(started.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(f64::total_cmp);
    let evaluation = evaluate(&dir)?;
    let bench = IncidentsBench {
        machine: crate::output::machine(),
        words,
        drafts,
        runs: args.runs,
        extract_ms: times[times.len() / 2],
        gazetteer_ms,
        evaluation,
    };
    if args.json {
        print_json(&bench)?;
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "extract: a {}-word report in {} (median of {}), {} drafts; gazetteer loaded once in {}",
        bench.words,
        human(Duration::from_secs_f64(bench.extract_ms / 1e3)),
        bench.runs,
        bench.drafts,
        human(Duration::from_secs_f64(bench.gazetteer_ms / 1e3)),
    );
    for e in &bench.evaluation {
        println!();
        println!(
            "{}: {} reports, {} labelled incidents, {} drafts",
            e.set, e.reports, e.labels, e.drafts
        );
        println!("  {:<12} {:>10} {:>8}", "field", "precision", "recall");
        for (field, s) in e.rows() {
            println!(
                "  {:<12} {:>9.0}% {:>7.0}%",
                field,
                100.0 * s.precision(),
                100.0 * s.recall()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
