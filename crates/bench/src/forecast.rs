//! `lifeline-bench forecast`: a restoration forecast of the demo's seed scenario (or a
//! city's own) timed, and the same samples' cascades run by the pandapower + WNTR study
//! (`bench/peers/cascade_study.py`), the way a user of those tools would make a Monte
//! Carlo forecast: one study per sample. The peer runs a few samples (each takes
//! minutes); its time for the whole forecast is their mean times the sample count.

use crate::cli::ForecastArgs;
use crate::output::print_json;
use crate::peer::{cascade_study, city_and_scenario};
use anyhow::{Result, bail};
use lifeline_cascade::City;
use lifeline_cascade::scenario::{Damage, HOUR_S, Scenario};
use lifeline_forecast::run::samples_in;
use lifeline_forecast::{Dispatch, ForecastRequest, forecast};
use serde::Serialize;
use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

#[derive(Serialize)]
struct ForecastBench {
    machine: serde_json::Value,
    city: String,
    scenario: String,
    samples: usize,
    threads: usize,
    /// lifeline's forecast, s.
    lifeline_s: f64,
    samples_per_second: f64,
    /// The longest sample's horizon, h.
    horizon_h: f64,
    water_runs_made: usize,
    water_runs_shared: usize,
    /// The peer's samples: seconds each.
    peer_sample_seconds: Vec<f64>,
    /// The peer's time for the whole forecast: the mean of its samples times `samples`.
    peer_estimate_s: Option<f64>,
    peer_skipped: Option<String>,
    /// lifeline over the peer; below 1 means lifeline is faster.
    ratio: Option<f64>,
}

pub fn run(args: &ForecastArgs) -> Result<ExitCode> {
    if args.samples == 0 {
        bail!("--samples must be at least 1");
    }
    // The demo city is kept until the end: the peer reads the files too.
    let (_demo, city_file, scenario_file) =
        city_and_scenario(args.city.as_deref(), args.scenario.as_deref())?;
    let city = City::load(&city_file).map_err(|e| anyhow::anyhow!("{e}"))?;
    let scenario = Scenario::load(&scenario_file, &city).map_err(|e| anyhow::anyhow!("{e}"))?;
    let request = ForecastRequest {
        samples: args.samples,
        seed: args.seed,
        at_s: None,
    };
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(threads) = args.threads {
        builder = builder.num_threads(threads);
    }
    let pool = builder.build()?;
    if !args.json {
        eprintln!(
            "lifeline: {} samples on {} threads…",
            args.samples,
            pool.current_num_threads()
        );
    }
    let started = Instant::now();
    let result = pool
        .install(|| forecast(&city, &scenario, &request, &Dispatch::Unlimited, &|| {}))
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let lifeline_s = started.elapsed().as_secs_f64();

    let (peer_sample_seconds, peer_skipped) = if args.peers.no_peer {
        (Vec::new(), Some("--no-peer given".to_string()))
    } else if args.peer_samples == 0 {
        (Vec::new(), Some("--peer-samples 0".to_string()))
    } else {
        peer_samples(args, &city, &scenario, &request, &city_file)
    };
    let peer_estimate_s = (!peer_sample_seconds.is_empty()).then(|| {
        peer_sample_seconds.iter().sum::<f64>() / peer_sample_seconds.len() as f64
            * args.samples as f64
    });
    let bench = ForecastBench {
        machine: crate::output::machine(),
        city: city_file.display().to_string(),
        scenario: scenario_file.display().to_string(),
        samples: args.samples,
        threads: pool.current_num_threads(),
        lifeline_s,
        samples_per_second: args.samples as f64 / lifeline_s.max(1e-9),
        horizon_h: result.horizon_h,
        water_runs_made: result.water_runs_made,
        water_runs_shared: result.water_runs_shared,
        peer_sample_seconds,
        peer_estimate_s,
        peer_skipped,
        ratio: peer_estimate_s.map(|p| lifeline_s / p),
    };
    if args.json {
        print_json(&bench)?;
    } else {
        print_bench(&bench);
    }
    Ok(ExitCode::SUCCESS)
}

/// The first `--peer-samples` samples through the peer, each from its own scenario file:
/// seconds each, or why the peer could not run.
fn peer_samples(
    args: &ForecastArgs,
    city: &City,
    scenario: &Scenario,
    request: &ForecastRequest,
    city_file: &Path,
) -> (Vec<f64>, Option<String>) {
    let first = 0..args.peer_samples.min(request.samples) as u64;
    let (_, scenarios, _) = samples_in(city, scenario, request, &Dispatch::Unlimited, first);
    let dir = match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(e) => return (Vec::new(), Some(format!("no scratch folder: {e}"))),
    };
    let mut seconds = Vec::new();
    for (k, sample) in scenarios.iter().enumerate() {
        let file = dir.path().join(format!("sample-{k}.toml"));
        if let Err(e) = std::fs::write(&file, scenario_toml(sample)) {
            return (seconds, Some(format!("{}: {e}", file.display())));
        }
        if !args.json {
            eprintln!(
                "peer: sample {} of {} ({} h)…",
                k + 1,
                scenarios.len(),
                sample.horizon_s / HOUR_S
            );
        }
        match cascade_study(&args.peers, city_file, &file) {
            Ok(value) => match value["seconds"].as_f64() {
                Some(s) => seconds.push(s),
                None => return (seconds, Some("the peer printed no seconds".into())),
            },
            Err(reason) => return (seconds, Some(reason)),
        }
    }
    (seconds, None)
}

/// A sample's scenario as the scenario.toml the peer reads: name, start, horizon, step
/// and each strike with its time, asset, damage and repair time.
fn scenario_toml(scenario: &Scenario) -> String {
    let mut text = String::new();
    let quoted = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
    let _ = writeln!(text, "name = {}", quoted(&scenario.name));
    if let Some(start) = &scenario.start {
        let _ = writeln!(text, "start = {}", quoted(start));
    }
    let _ = writeln!(text, "horizon_h = {}", scenario.horizon_s / HOUR_S);
    let _ = writeln!(text, "step_h = {}", scenario.step_s as f64 / HOUR_S as f64);
    for strike in &scenario.strikes {
        let _ = writeln!(text, "\n[[strike]]");
        let _ = writeln!(
            text,
            "at = {}",
            quoted(&lifeline_core::number::clock(strike.at_s))
        );
        let _ = writeln!(text, "asset = {}", quoted(&strike.asset.to_string()));
        let damage = match strike.damage {
            Damage::Damaged => "damaged",
            Damage::Destroyed => "destroyed",
        };
        let _ = writeln!(text, "damage = \"{damage}\"");
        if let Some(repair_s) = strike.repair_s {
            let _ = writeln!(text, "repair_h = {}", repair_s as f64 / HOUR_S as f64);
        }
    }
    text
}

fn print_bench(bench: &ForecastBench) {
    println!("forecast: {} on {}", bench.scenario, bench.city);
    println!(
        "lifeline  {:>9.1} s  {} samples on {} threads: {:.3} samples/s; longest horizon {} h; {} water runs made, {} samples shared one",
        bench.lifeline_s,
        bench.samples,
        bench.threads,
        bench.samples_per_second,
        bench.horizon_h,
        bench.water_runs_made,
        bench.water_runs_shared
    );
    match (&bench.peer_estimate_s, &bench.peer_skipped) {
        (Some(estimate), None) => {
            println!(
                "peer      {:>9.1} s  pandapower + WNTR, one study per sample on one core: {} samples run ({} s each), times {}",
                estimate,
                bench.peer_sample_seconds.len(),
                bench
                    .peer_sample_seconds
                    .iter()
                    .map(|s| format!("{s:.1}"))
                    .collect::<Vec<_>>()
                    .join(", "),
                bench.samples
            );
            if let Some(ratio) = bench.ratio {
                println!("ratio     {ratio:>9.4}× (lifeline / peer)");
            }
        }
        (_, Some(reason)) => println!("peer skipped: {reason}"),
        (None, None) => {}
    }
    let target = 500.0 / 60.0;
    if bench.samples_per_second >= target {
        println!("target: 500 samples in 60 s on 2 cores (8.3 samples/s): met");
    } else {
        println!(
            "target: 500 samples in 60 s on 2 cores (8.3 samples/s): {:.0}× short",
            target / bench.samples_per_second.max(1e-9)
        );
    }
}
