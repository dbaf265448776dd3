//! `lifeline-bench hydraulics`: the native hydraulic solver against EPANET 2.3 itself
//! (the toolkit `lifeline-water` drives), on the same networks in the same run: the
//! median time of each (read the file, run to the end), their ratio, and how far the
//! native answers are from EPANET's at every report time (full precision, not the
//! reference files' seven digits).

use crate::cli::HydraulicsArgs;
use crate::output::{ms, print_json};
use crate::peer::median;
use anyhow::{Context, Result};
use lifeline_hydraulics::inp::read_network;
use lifeline_hydraulics::results::{RunResults, run_to_end};
use lifeline_water::{Engine, HydraulicState, Simulation, SimulationOptions};
use serde::Serialize;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

/// One network's figures.
#[derive(Debug, Serialize)]
struct NetworkBench {
    network: String,
    nodes: usize,
    links: usize,
    report_times: usize,
    /// EPANET 2.3 through `lifeline-water`: open (parse) + run to the end, ms (median).
    epanet_ms: f64,
    /// Native: read + run to the end, ms (median).
    native_ms: f64,
    /// native / EPANET.
    ratio: f64,
    /// Trials of all hydraulic solutions, native.
    native_trials: u32,
    /// Largest |Δhead| at any node and report time, m.
    max_head_diff_m: f64,
    /// Largest |Δflow| at any link and report time, L/s.
    max_flow_diff_lps: f64,
    /// Largest |Δdemand| at any node and report time, L/s.
    max_demand_diff_lps: f64,
    /// Link-times whose open/closed status differs.
    status_mismatches: usize,
    /// Report times one side has and the other has not.
    time_mismatches: usize,
    /// Why the native run failed, if it did.
    native_error: Option<String>,
}

/// EPANET's states at every report time, and the time to get them.
fn run_epanet(path: &Path) -> Result<(Vec<HydraulicState>, f64)> {
    let started = Instant::now();
    let options = SimulationOptions {
        engine: Engine::Epanet,
        ..SimulationOptions::default()
    };
    let mut simulation = Simulation::open(path, options)?;
    let mut states = Vec::new();
    loop {
        let time = simulation.solve()?;
        if simulation.network().is_report_time(time) {
            let mut state = HydraulicState::default();
            simulation.read_state(&mut state)?;
            states.push(state);
        }
        if !simulation.advance()? {
            break;
        }
    }
    Ok((states, ms(started.elapsed())))
}

fn run_native(path: &Path, text: &str) -> Result<(RunResults, usize, usize, f64)> {
    let started = Instant::now();
    let network = read_network(text, &path.display().to_string())?;
    let network = std::sync::Arc::new(network);
    let results = run_to_end(network.clone(), &path.display().to_string())?;
    Ok((
        results,
        network.nodes.len(),
        network.links.len(),
        ms(started.elapsed()),
    ))
}

fn bench_network(path: &Path, repeat: usize) -> Result<NetworkBench> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut epanet_times = Vec::new();
    let mut epanet_states = Vec::new();
    for _ in 0..repeat.max(1) {
        let (states, elapsed) = run_epanet(path)?;
        epanet_states = states;
        epanet_times.push(elapsed);
    }
    let mut bench = NetworkBench {
        network: path.display().to_string(),
        nodes: 0,
        links: 0,
        report_times: epanet_states.len(),
        epanet_ms: median(epanet_times),
        native_ms: f64::NAN,
        ratio: f64::NAN,
        native_trials: 0,
        max_head_diff_m: f64::NAN,
        max_flow_diff_lps: f64::NAN,
        max_demand_diff_lps: f64::NAN,
        status_mismatches: 0,
        time_mismatches: 0,
        native_error: None,
    };
    let mut native_times = Vec::new();
    let mut native = None;
    for _ in 0..repeat.max(1) {
        match run_native(path, &text) {
            Ok((results, nodes, links, elapsed)) => {
                bench.nodes = nodes;
                bench.links = links;
                native_times.push(elapsed);
                native = Some(results);
            }
            Err(error) => {
                bench.native_error = Some(format!("{error:#}"));
                return Ok(bench);
            }
        }
    }
    bench.native_ms = median(native_times);
    bench.ratio = bench.native_ms / bench.epanet_ms;
    if let Some(results) = native {
        compare(&mut bench, &results, &epanet_states);
    }
    Ok(bench)
}

/// Fills the accuracy figures: native against EPANET at every report time both have.
fn compare(bench: &mut NetworkBench, results: &RunResults, epanet: &[HydraulicState]) {
    bench.native_trials = results.trials.iter().sum();
    let (mut head, mut flow, mut demand) = (0.0f64, 0.0f64, 0.0f64);
    let mut matched = 0;
    for point in &results.points {
        let Some(reference) = epanet.iter().find(|s| s.time_s == point.time_s) else {
            continue;
        };
        matched += 1;
        for i in 0..point.head_m.len().min(reference.head_m.len()) {
            head = head.max((point.head_m[i] - reference.head_m[i]).abs());
            demand = demand.max((point.demand_lps[i] - reference.demand_lps[i]).abs());
        }
        for k in 0..point.flow_lps.len().min(reference.flow_lps.len()) {
            flow = flow.max((point.flow_lps[k] - reference.flow_lps[k]).abs());
            if point.open[k] != reference.link_open[k] {
                bench.status_mismatches += 1;
            }
        }
    }
    bench.time_mismatches = results.points.len() + epanet.len() - 2 * matched;
    bench.max_head_diff_m = head;
    bench.max_flow_diff_lps = flow;
    bench.max_demand_diff_lps = demand;
}

/// Runs the benchmark.
pub fn run(args: &HydraulicsArgs) -> Result<ExitCode> {
    let networks = if args.networks.is_empty() {
        crate::water::shared_networks(&["data/epanet/Net1.inp", "data/epanet/Net3.inp"])
    } else {
        args.networks.clone()
    };
    let mut benches = Vec::new();
    for path in &networks {
        let bench = bench_network(path, args.repeat)?;
        if !args.json {
            print_line(&bench);
        }
        benches.push(bench);
    }
    if args.json {
        print_json(&benches)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn print_line(b: &NetworkBench) {
    let name = Path::new(&b.network)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    match &b.native_error {
        Some(error) => println!(
            "{name:<16} EPANET {:>9.1} ms   native failed: {error}",
            b.epanet_ms
        ),
        None => println!(
            "{name:<16} EPANET {:>9.1} ms   native {:>9.1} ms   ratio {:>5.2}   max |dH| {:.1e} m   max |dQ| {:.1e} L/s   status diffs {}   times {}",
            b.epanet_ms,
            b.native_ms,
            b.ratio,
            b.max_head_diff_m,
            b.max_flow_diff_lps,
            b.status_mismatches,
            b.time_mismatches
        ),
    }
}
