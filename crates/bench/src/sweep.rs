//! `lifeline-bench sweep`: scenarios per minute per core on the demo city for 24 h
//! cascades, on one core and on every core, and the same scenarios through the pandapower
//! + WNTR study (`bench/peers/cascade_study.py`) one by one.
//!
//! Workloads: N-1 over every target class (165 scenarios), and random pairs over every
//! class (`--samples`, seed 1). Each runs from a fresh water cache, once on one thread and
//! once on `--threads` (default: every core). The peer runs three of the N-1 scenarios (a
//! substation, a line, a pump station) as scenario files.

use crate::cli::SweepArgs;
use crate::output::{human, print_json};
use crate::peer::{CITY_PEERS, find_script, run_python};
use anyhow::{Context, Result, anyhow};
use lifeline_cascade::City;
use lifeline_cascade::scenario::parse_asset;
use lifeline_sweep::spec::{Family, Target};
use lifeline_sweep::{Prepared, prepare};
use serde::Serialize;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

#[derive(Debug, Serialize)]
struct Timing {
    threads: usize,
    seconds: f64,
    scenarios_per_minute: f64,
    scenarios_per_minute_per_core: f64,
    water_runs_made: usize,
}

#[derive(Debug, Serialize)]
struct Workload {
    name: String,
    scenarios: usize,
    timings: Vec<Timing>,
    /// Time on one thread over time on the most threads.
    speed_up: f64,
}

#[derive(Debug, Serialize)]
struct PeerRun {
    asset: String,
    seconds: f64,
}

#[derive(Debug, Serialize)]
struct SweepBench {
    machine: serde_json::Value,
    hours: f64,
    /// When every strike lands, h.
    at_h: f64,
    /// lifeline's hydraulic solver.
    engine: lifeline_water::Engine,
    workloads: Vec<Workload>,
    peer: Vec<PeerRun>,
    peer_scenarios_per_minute_per_core: Option<f64>,
    peer_skipped: Option<String>,
}

fn time_on(threads: usize, prepared: &Prepared, city: &City) -> Result<Timing> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("cannot start the worker threads")?;
    let started = Instant::now();
    let outcome = pool
        .install(|| prepared.run(city, false, &|| {}))
        .map_err(|e| anyhow!("{e}"))?;
    let seconds = started.elapsed().as_secs_f64();
    let per_minute = outcome.rows.len() as f64 / seconds * 60.0;
    Ok(Timing {
        threads,
        seconds,
        scenarios_per_minute: per_minute,
        scenarios_per_minute_per_core: per_minute / threads as f64,
        water_runs_made: outcome.water_runs_made,
    })
}

pub fn run(args: &SweepArgs) -> Result<ExitCode> {
    let demo_city = lifeline_demo_city::DemoCity::materialise()?;
    let city_file = demo_city.city().to_path_buf();
    let mut city = City::load(&city_file).map_err(|e| anyhow!("{e}"))?;
    city.water_engine = args.engine.into();
    let threads = args
        .threads
        .unwrap_or_else(rayon::current_num_threads)
        .max(1);
    let all =
        Target::parse_list("substations,lines,plants,pump-stations").map_err(|e| anyhow!("{e}"))?;
    let workloads = [
        ("N-1, every target class", Family::N1, 0, 0),
        (
            "random pairs, every target class",
            Family::Random,
            2,
            args.samples,
        ),
    ];
    let mut measured = Vec::new();
    for (name, family, strikes, samples) in workloads {
        let prepared = prepare(
            &city,
            family,
            all.clone(),
            strikes,
            samples,
            1,
            lifeline_sweep::spec::Timing {
                at_h: args.at,
                ..lifeline_sweep::spec::Timing::over(args.hours)
            },
            Vec::new(),
            None,
        )
        .map_err(|e| anyhow!("{e}"))?;
        if !args.json {
            eprintln!(
                "{name}: {} scenarios on 1 and {threads} threads …",
                prepared.sweep.scenarios_total
            );
        }
        let mut timings = vec![time_on(1, &prepared, &city)?];
        if threads > 1 {
            timings.push(time_on(threads, &prepared, &city)?);
        }
        let speed_up =
            timings[0].seconds / timings.last().map_or(timings[0].seconds, |t| t.seconds);
        measured.push(Workload {
            name: name.to_string(),
            scenarios: prepared.sweep.scenarios_total as usize,
            timings,
            speed_up,
        });
    }

    // The peer: three N-1 scenarios as files, one process each.
    let (peer, peer_skipped) = if args.peers.no_peer {
        (Vec::new(), Some("--no-peer given".to_string()))
    } else {
        match find_script(
            args.peers.peer_script.as_deref(),
            &[PathBuf::from("bench/peers/cascade_study.py")],
        ) {
            None => (
                Vec::new(),
                Some(
                    "peer script not found (bench/peers/cascade_study.py from the repository root)"
                        .into(),
                ),
            ),
            Some(script) => run_peer(args, &city, &city_file, &script),
        }
    };
    let peer_rate = (!peer.is_empty())
        .then(|| 60.0 * peer.len() as f64 / peer.iter().map(|p| p.seconds).sum::<f64>());
    let bench = SweepBench {
        machine: crate::output::machine(),
        hours: args.hours,
        at_h: args.at,
        engine: args.engine.into(),
        workloads: measured,
        peer,
        peer_scenarios_per_minute_per_core: peer_rate,
        peer_skipped,
    };
    if args.json {
        print_json(&bench)?;
    } else {
        print_bench(&bench);
    }
    Ok(ExitCode::SUCCESS)
}

fn run_peer(
    args: &SweepArgs,
    city: &City,
    city_file: &std::path::Path,
    script: &std::path::Path,
) -> (Vec<PeerRun>, Option<String>) {
    let folder = match lifeline_demo_city::private_folder("lifeline-bench-sweep-") {
        Ok(folder) => folder,
        Err(e) => return (Vec::new(), Some(e.to_string())),
    };
    let dir = folder.path();
    let station = city
        .pump_stations
        .first()
        .map(|s| format!("pump_station:{}", s.id));
    let mut runs = Vec::new();
    let mut skipped = None;
    for asset in ["bus:12".to_string(), "branch:41".to_string()]
        .into_iter()
        .chain(station)
    {
        // The scenario the sweep runs for this asset: hit at `--at`, the city's repair time.
        let repair = match parse_asset(&asset, city) {
            Ok(parsed) => city.restoration.repair_h_of(&parsed),
            Err(why) => {
                skipped = Some(why);
                break;
            }
        };
        let file = dir.join(format!("{}.toml", asset.replace(':', "-")));
        let text = format!(
            "name = \"sweep {asset}\"\nhorizon_h = {}\nstep_h = 1\n[[strike]]\nat = \"{}\"\nasset = \"{asset}\"\ndamage = \"damaged\"\n{}",
            args.hours,
            lifeline_core::number::clock((args.at * 3600.0).round() as i64),
            repair.map_or(String::new(), |h| format!("repair_h = {h}\n"))
        );
        if let Err(e) = std::fs::write(&file, text) {
            skipped = Some(format!("cannot write {}: {e}", file.display()));
            break;
        }
        if !args.json {
            eprintln!("the pandapower + WNTR study on {asset} …");
        }
        let arguments = [city_file.display().to_string(), file.display().to_string()];
        match run_python(&args.peers.python, script, &arguments, CITY_PEERS) {
            Ok(text) => match serde_json::from_str::<serde_json::Value>(text.trim())
                .ok()
                .and_then(|v| v["seconds"].as_f64())
            {
                Some(seconds) => runs.push(PeerRun { asset, seconds }),
                None => {
                    skipped = Some(format!("{} printed no seconds", script.display()));
                    break;
                }
            },
            Err(reason) => {
                skipped = Some(reason);
                break;
            }
        }
    }
    (runs, skipped)
}

fn print_bench(bench: &SweepBench) {
    println!(
        "Sweeps of the demo city, {} h cascades struck at {} h, {:?} hydraulics",
        bench.hours, bench.at_h, bench.engine
    );
    println!(
        "{:<36} {:>9} {:>8} {:>10} {:>12} {:>14} {:>11} {:>9}",
        "workload",
        "scenarios",
        "threads",
        "time",
        "per minute",
        "per min/core",
        "water runs",
        "speed-up"
    );
    for w in &bench.workloads {
        for (i, t) in w.timings.iter().enumerate() {
            println!(
                "{:<36} {:>9} {:>8} {:>10} {:>12.0} {:>14.0} {:>11} {:>9}",
                if i == 0 { w.name.as_str() } else { "" },
                if i == 0 {
                    w.scenarios.to_string()
                } else {
                    String::new()
                },
                t.threads,
                human(Duration::from_secs_f64(t.seconds)),
                t.scenarios_per_minute,
                t.scenarios_per_minute_per_core,
                t.water_runs_made,
                if i + 1 == w.timings.len() && i > 0 {
                    format!("{:.2}×", w.speed_up)
                } else {
                    String::new()
                }
            );
        }
    }
    match (
        &bench.peer_skipped,
        bench.peer_scenarios_per_minute_per_core,
    ) {
        (Some(reason), _) => println!("peer: skipped: {reason}"),
        (None, Some(rate)) => {
            let ours = bench
                .workloads
                .first()
                .and_then(|w| w.timings.first())
                .map_or(0.0, |t| t.scenarios_per_minute_per_core);
            println!(
                "pandapower + WNTR, one scenario per process ({}): {:.1} scenarios/min/core; lifeline's N-1 on one core: {:.0}× as many",
                bench
                    .peer
                    .iter()
                    .map(|p| format!("{} {:.1} s", p.asset, p.seconds))
                    .collect::<Vec<_>>()
                    .join(", "),
                rate,
                ours / rate
            );
        }
        (None, None) => {}
    }
    println!(
        "Targets: ≥ 1,000 scenarios/min/core (≥ 3,000 for the N-1 sweep with the native solver) and ≥ 1.8× on two cores."
    );
}
