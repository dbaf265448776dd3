//! `lifeline-bench cascade`: the whole cascade study (load the city and scenario, simulate
//! the horizon) against the same study written with pandapower and WNTR
//! (`bench/peers/cascade_study.py`), on the same files, in the same run.
//!
//! lifeline's time is the median of `--runs` runs of `City::load` + `Scenario::load` +
//! `simulate`; the peer runs once and times the same steps after its
//! imports.

use crate::cli::CascadeArgs;
use crate::output::{human, print_json};
use crate::peer::{cascade_study, city_and_scenario, median};
use anyhow::{Result, bail};
use lifeline_cascade::{City, Scenario, simulate};
use serde::Serialize;
use std::process::ExitCode;
use std::time::{Duration, Instant};

#[derive(Debug, Serialize)]
struct CascadeBench {
    machine: serde_json::Value,
    city: String,
    scenario: String,
    runs: usize,
    /// lifeline's hydraulic solver.
    engine: lifeline_water::Engine,
    /// lifeline, median seconds of load + simulate.
    lifeline_s: f64,
    grid_solves: usize,
    water_solves: usize,
    peak_customers_without_power: u64,
    peak_people_without_water: u64,
    /// The peer's JSON as printed (`seconds`, `grid_seconds`, `water_seconds`, ...).
    peer: Option<serde_json::Value>,
    peer_skipped: Option<String>,
    /// lifeline over the peer; below 1 means lifeline is faster.
    ratio: Option<f64>,
}

pub fn run(args: &CascadeArgs) -> Result<ExitCode> {
    if args.runs == 0 {
        bail!("--runs must be at least 1");
    }
    // The demo city is kept until the end: the peer reads the files too.
    let (_demo, city_file, scenario_file) =
        city_and_scenario(args.city.as_deref(), args.scenario.as_deref())?;
    let mut seconds = Vec::new();
    let mut last = None;
    for _ in 0..args.runs {
        let started = Instant::now();
        let mut city = City::load(&city_file).map_err(|e| anyhow::anyhow!("{e}"))?;
        city.water_engine = args.engine.into();
        let scenario = Scenario::load(&scenario_file, &city).map_err(|e| anyhow::anyhow!("{e}"))?;
        let result =
            simulate(&city, &scenario, &mut |_, _| {}).map_err(|e| anyhow::anyhow!("{e}"))?;
        seconds.push(started.elapsed().as_secs_f64());
        last = Some(result);
    }
    let Some(result) = last else {
        bail!("no run was made");
    };
    let lifeline_s = median(seconds);

    if !args.json && !args.peers.no_peer {
        eprintln!("running the pandapower + WNTR study ...");
    }
    let (peer, peer_skipped) = match cascade_study(&args.peers, &city_file, &scenario_file) {
        Ok(value) => (Some(value), None),
        Err(reason) => (None, Some(reason)),
    };
    let peer_seconds = peer.as_ref().and_then(|p| p["seconds"].as_f64());
    let bench = CascadeBench {
        machine: crate::output::machine(),
        city: city_file.display().to_string(),
        scenario: scenario_file.display().to_string(),
        runs: args.runs,
        engine: args.engine.into(),
        lifeline_s,
        grid_solves: result.stats.grid_solves,
        water_solves: result.stats.water_solves,
        peak_customers_without_power: result.summary.peak_customers_without_power,
        peak_people_without_water: result.summary.peak_people_without_water,
        ratio: peer_seconds.map(|p| lifeline_s / p),
        peer,
        peer_skipped,
    };
    if args.json {
        print_json(&bench)?;
    } else {
        print_bench(&bench);
    }
    Ok(ExitCode::SUCCESS)
}

fn print_bench(bench: &CascadeBench) {
    println!("cascade study: {} on {}", bench.scenario, bench.city);
    println!(
        "lifeline            {:>10}  (median of {}; {:?} hydraulics; {} grid solves, {} hydraulic solves)",
        human(Duration::from_secs_f64(bench.lifeline_s)),
        bench.runs,
        bench.engine,
        bench.grid_solves,
        bench.water_solves
    );
    match (&bench.peer, &bench.peer_skipped) {
        (Some(peer), _) => {
            let secs = |key: &str| {
                peer[key]
                    .as_f64()
                    .map_or("?".into(), |s| human(Duration::from_secs_f64(s)))
            };
            println!(
                "pandapower + WNTR   {:>10}  (grid {} in {} power flows, water {})",
                secs("seconds"),
                secs("grid_seconds"),
                peer["grid_solves"],
                secs("water_seconds")
            );
            if let Some(ratio) = bench.ratio {
                println!(
                    "ratio               {ratio:>10.4}× (lifeline / peer; targets ≤ 0.05× with the native solver, ≤ 0.01× in the end)"
                );
            }
            println!(
                "peaks: lifeline {} customers without power, {} people without water; peer {} and {}",
                bench.peak_customers_without_power,
                bench.peak_people_without_water,
                peer["peak_customers_without_power"],
                peer["peak_people_without_water"]
            );
        }
        (None, Some(reason)) => println!("peer skipped: {reason}"),
        (None, None) => {}
    }
}
