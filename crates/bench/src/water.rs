//! `lifeline-bench water`: the water engine against EPANET's own toolkit and WNTR, on the
//! same networks, in the same run.
//!
//! * Single runs (median of `--repeat`): lifeline's `Simulation::open` (parse, open and
//!   initialise the hydraulics) and its `solve`/`advance` loop to the end, against
//!   `peer_bench.py`'s rows for EPANET 2.3 (owa-epanet: `open`, then `openH`…`closeH`),
//!   EPANET 2.2 (as shipped with WNTR) and WNTR's EpanetSimulator. The same engine runs on
//!   both sides, so the ratio measures lifeline's overhead.
//! * Scenarios: `--scenarios` pump outages (each pump in turn, starting on successive
//!   hours, six hours long) on the largest network, all cores, against the same scenarios
//!   through WNTR's EpanetSimulator and WNTRSimulator one by one
//!   (`bench/peers/water_scenarios.py`), extrapolated from what fits in `--peer-budget`.

use crate::cli::WaterArgs;
use crate::output::{ms, print_json};
use crate::peer::{find_script, median, run_python, shared_dir};
use anyhow::{Context, Result, bail};
use lifeline_water::Engine;
use lifeline_water::{
    LinkChangeOptions, LinkChanges, LinkKind, Simulation, SimulationOptions,
    run_link_changes_parallel,
};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// EPANET's own toolkit on lifeline's side too, so that the single runs measure lifeline's
/// overhead over the same engine (`lifeline-bench hydraulics` times the native one).
const EPANET: SimulationOptions = SimulationOptions {
    engine: Engine::Epanet,
    demand_model: None,
    duration_s: None,
    continue_unbalanced: false,
};

/// What the water peers need.
const WATER_PEERS: &str = "pip install wntr owa-epanet";

/// One network's single-run figures.
#[derive(Debug, Serialize)]
struct NetworkBench {
    network: String,
    nodes: usize,
    links: usize,
    duration_h: f64,
    hydraulic_steps: usize,
    /// lifeline, ms: open (parse + hydraulics opened) and run (solve/advance to the end).
    open_ms: f64,
    run_ms: f64,
    /// Peer row → median seconds, as `peer_bench.py` printed them.
    peers: BTreeMap<String, f64>,
    peer_skipped: Option<String>,
    /// lifeline's open + run over EPANET 2.3's parse + hyd-solve.
    ratio_to_epanet: Option<f64>,
}

/// The scenario comparison.
#[derive(Debug, Serialize)]
struct ScenarioBench {
    network: String,
    scenarios: usize,
    threads: usize,
    lifeline_s: f64,
    lifeline_per_scenario_ms: f64,
    /// Simulator → {done, failed, seconds, per_scenario_s}.
    peers: serde_json::Value,
    peer_skipped: Option<String>,
    /// lifeline's total over each peer's (extrapolated) total for the same scenarios.
    ratios: BTreeMap<String, f64>,
}

/// Every network in `../shared/reference/water/networks`, sorted, or `fallback` when
/// there are none.
pub(crate) fn shared_networks(fallback: &[&str]) -> Vec<PathBuf> {
    let dir = shared_dir().join("reference/water/networks");
    let mut networks: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "inp"))
                .collect()
        })
        .unwrap_or_default();
    networks.sort();
    if networks.is_empty() {
        networks = fallback.iter().map(PathBuf::from).collect();
    }
    networks
}

/// `peer_bench.py`'s table: row name → median seconds.
fn parse_peer_table(text: &str) -> BTreeMap<String, f64> {
    let mut rows = BTreeMap::new();
    for line in text.lines() {
        let tokens: Vec<&str> = line.split_whitespace().collect();
        if tokens.len() < 3 || line.starts_with("network:") || line.starts_with("solver") {
            continue;
        }
        let (name, rest) = tokens.split_at(tokens.len() - 2);
        if let Ok(seconds) = rest[0].parse::<f64>() {
            rows.insert(name.join(" "), seconds);
        }
    }
    rows
}

fn bench_network(
    args: &WaterArgs,
    path: &Path,
    script: Option<&Path>,
    reason: &str,
) -> Result<NetworkBench> {
    let (mut opens, mut runs) = (Vec::new(), Vec::new());
    let mut steps = 0;
    let mut shape = (0, 0, 0.0);
    for _ in 0..args.repeat.max(1) {
        let started = Instant::now();
        let mut simulation = Simulation::open(path, EPANET)?;
        let opened = Instant::now();
        steps = 0;
        loop {
            simulation.solve()?;
            steps += 1;
            if !simulation.advance()? {
                break;
            }
        }
        opens.push(ms(opened - started));
        runs.push(ms(opened.elapsed()));
        let network = simulation.network();
        shape = (
            network.node_count(),
            network.link_count(),
            network.duration_s as f64 / 3600.0,
        );
    }
    let (peers, peer_skipped) = match script {
        None => (BTreeMap::new(), Some(reason.to_string())),
        Some(script) => {
            let peer_args = vec![
                path.display().to_string(),
                "--repeat".into(),
                args.repeat.to_string(),
                "--no-wntr".into(),
            ];
            match run_python(&args.peers.python, script, &peer_args, WATER_PEERS) {
                Ok(text) => (parse_peer_table(&text), None),
                Err(reason) => (BTreeMap::new(), Some(reason)),
            }
        }
    };
    let (open_ms, run_ms) = (median(opens), median(runs));
    let epanet = peers
        .get("owa-epanet2.3 parse")
        .zip(peers.get("owa-epanet2.3 hyd-solve"))
        .map(|(p, s)| (p + s) * 1e3);
    Ok(NetworkBench {
        network: path.display().to_string(),
        nodes: shape.0,
        links: shape.1,
        duration_h: shape.2,
        hydraulic_steps: steps,
        open_ms,
        run_ms,
        ratio_to_epanet: epanet.filter(|e| *e > 0.0).map(|e| (open_ms + run_ms) / e),
        peers,
        peer_skipped,
    })
}

/// `count` pump outages: each pump in turn, starting on successive hours, 6 h long.
fn pump_outages(path: &Path, count: usize) -> Result<Vec<(String, i64, i64)>> {
    let simulation = Simulation::open(path, EPANET)?;
    let network = simulation.network();
    let pumps: Vec<&String> = network
        .link_ids
        .iter()
        .zip(&network.link_kinds)
        .filter(|(_, kind)| **kind == LinkKind::Pump)
        .map(|(id, _)| id)
        .collect();
    if pumps.is_empty() {
        bail!("{}: no pumps to take out", path.display());
    }
    let hours = (network.duration_s / 3600).max(1);
    Ok((0..count)
        .map(|i| {
            let pump = pumps[i % pumps.len()].clone();
            let start = ((i / pumps.len()) as i64 % hours) * 3600;
            (pump, start, 6 * 3600)
        })
        .collect())
}

fn bench_scenarios(
    args: &WaterArgs,
    path: &Path,
    script: Option<&Path>,
    reason: &str,
) -> Result<ScenarioBench> {
    let outages = pump_outages(path, args.scenarios)?;
    let scenarios: Vec<LinkChanges> = outages
        .iter()
        .map(|(pump, start, duration)| LinkChanges::outage(pump, *start, Some(*duration)))
        .collect();
    let started = Instant::now();
    let results =
        run_link_changes_parallel(path, EPANET, &scenarios, &LinkChangeOptions::default());
    let elapsed = started.elapsed().as_secs_f64();
    for result in results {
        result?;
    }
    let (peers, peer_skipped) = match script {
        None => (serde_json::Value::Null, Some(reason.to_string())),
        Some(script) => {
            let list: Vec<serde_json::Value> = outages
                .iter()
                .map(|(pump, start, duration)| serde_json::json!({"pump": pump, "start_s": start, "duration_s": duration}))
                .collect();
            let folder = lifeline_demo_city::private_folder("lifeline-bench-water-")?;
            let file = folder.path().join("scenarios.json");
            std::fs::write(&file, serde_json::to_string(&list)?)
                .context("cannot write the scenario list")?;
            let peer_args = vec![
                path.display().to_string(),
                file.display().to_string(),
                "--budget".into(),
                args.peer_budget.to_string(),
            ];
            let outcome = run_python(&args.peers.python, script, &peer_args, WATER_PEERS);
            match outcome.and_then(|text| {
                serde_json::from_str(text.trim())
                    .map_err(|e| format!("unreadable peer output: {e}"))
            }) {
                Ok(value) => (value, None),
                Err(reason) => (serde_json::Value::Null, Some(reason)),
            }
        }
    };
    let mut ratios = BTreeMap::new();
    for simulator in ["EpanetSimulator", "WNTRSimulator"] {
        if let Some(per) = peers[simulator]["per_scenario_s"]
            .as_f64()
            .filter(|p| *p > 0.0)
        {
            ratios.insert(
                simulator.to_string(),
                elapsed / (per * scenarios.len() as f64),
            );
        }
    }
    Ok(ScenarioBench {
        network: path.display().to_string(),
        scenarios: scenarios.len(),
        threads: rayon::current_num_threads(),
        lifeline_s: elapsed,
        lifeline_per_scenario_ms: elapsed * 1e3 / scenarios.len().max(1) as f64,
        peers,
        peer_skipped,
        ratios,
    })
}

/// The peers' scripts: `peer_bench.py` for single runs, `water_scenarios.py` for the
/// scenarios, and why a missing one was not run.
struct PeerScripts {
    single: Option<PathBuf>,
    scenarios: Option<PathBuf>,
    reason: String,
}

impl PeerScripts {
    fn find(args: &WaterArgs) -> Self {
        if args.peers.no_peer {
            return Self {
                single: None,
                scenarios: None,
                reason: "--no-peer given".to_string(),
            };
        }
        Self {
            single: find_script(
                args.peers.peer_script.as_deref(),
                &[shared_dir().join("reference/water/peer_bench.py")],
            ),
            scenarios: find_script(None, &[PathBuf::from("bench/peers/water_scenarios.py")]),
            reason: "peer script not found (looked for ../shared/reference/water/peer_bench.py and bench/peers/water_scenarios.py from the repository root)".to_string(),
        }
    }
}

/// Runs `lifeline-bench water`.
pub fn run(args: &WaterArgs) -> Result<ExitCode> {
    if args.repeat == 0 {
        bail!("--repeat must be at least 1");
    }
    let networks = if args.networks.is_empty() {
        shared_networks(&["data/epanet/Net3.inp"])
    } else {
        args.networks.clone()
    };
    let scripts = PeerScripts::find(args);
    let mut benches = Vec::new();
    for network in &networks {
        if !args.json {
            eprintln!("measuring {} ...", network.display());
        }
        benches.push(bench_network(
            args,
            network,
            scripts.single.as_deref(),
            &scripts.reason,
        )?);
    }
    let largest = benches
        .iter()
        .max_by_key(|b| b.nodes)
        .map(|b| PathBuf::from(&b.network))
        .context("no network to measure")?;
    let scenarios = if args.scenarios > 0 {
        if !args.json {
            eprintln!(
                "running {} pump outages on {} ...",
                args.scenarios,
                largest.display()
            );
        }
        Some(bench_scenarios(
            args,
            &largest,
            scripts.scenarios.as_deref(),
            &scripts.reason,
        )?)
    } else {
        None
    };
    if args.json {
        print_json(&serde_json::json!({"networks": benches, "scenarios": scenarios}))?;
        return Ok(ExitCode::SUCCESS);
    }
    print_networks(args.repeat, &benches);
    if let Some(s) = &scenarios {
        print_scenarios(s);
    }
    Ok(ExitCode::SUCCESS)
}

/// The single runs' table: lifeline's open and run against each peer's.
fn print_networks(repeat: usize, benches: &[NetworkBench]) {
    println!("single runs, median of {repeat} (ms); ratio = lifeline / EPANET 2.3 toolkit");
    println!(
        "  {:<22} {:>7} {:>6} {:>10} {:>10} {:>12} {:>12} {:>7} {:>12} {:>12}",
        "network",
        "nodes",
        "steps",
        "open",
        "run",
        "EPANET2.3",
        "EPANET2.2",
        "ratio",
        "WNTR EpSim",
        "ratio"
    );
    for b in benches {
        let peer = |parse: &str, solve: &str| {
            b.peers
                .get(parse)
                .zip(b.peers.get(solve))
                .map(|(p, s)| (p + s) * 1e3)
        };
        let cell = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v:.1}"));
        let epsim = b
            .peers
            .get("wntr EpanetSimulator (incl. file I/O)")
            .map(|s| s * 1e3);
        let name = Path::new(&b.network)
            .file_name()
            .map_or(b.network.clone(), |n| n.to_string_lossy().into_owned());
        println!(
            "  {:<22} {:>7} {:>6} {:>10.1} {:>10.1} {:>12} {:>12} {:>7} {:>12} {:>12}",
            name,
            b.nodes,
            b.hydraulic_steps,
            b.open_ms,
            b.run_ms,
            cell(peer("owa-epanet2.3 parse", "owa-epanet2.3 hyd-solve")),
            cell(peer(
                "epanet2.2 parse (ENopen)",
                "epanet2.2 hyd-solve (openH..closeH)"
            )),
            b.ratio_to_epanet.map_or("-".into(), |r| format!("{r:.2}")),
            cell(epsim),
            epsim.map_or("-".into(), |e| format!("{:.2}", (b.open_ms + b.run_ms) / e)),
        );
        if let Some(reason) = &b.peer_skipped {
            println!("    peers not measured: {reason}");
        }
    }
}

/// The scenario comparison: lifeline on every core against WNTR's simulators one by one.
fn print_scenarios(s: &ScenarioBench) {
    println!(
        "{} pump outages on {}: lifeline {:.2} s on {} threads ({:.1} ms per scenario)",
        s.scenarios, s.network, s.lifeline_s, s.threads, s.lifeline_per_scenario_ms
    );
    for simulator in ["EpanetSimulator", "WNTRSimulator"] {
        let peer = &s.peers[simulator];
        if let (Some(done), Some(per)) = (peer["done"].as_u64(), peer["per_scenario_s"].as_f64()) {
            println!(
                "  WNTR {simulator}, one by one: {per:.2} s per scenario ({done} run, {} failed) → {:.0} s for all {}; ratio {:.4}",
                peer["failed"].as_u64().unwrap_or(0),
                per * s.scenarios as f64,
                s.scenarios,
                s.ratios.get(simulator).copied().unwrap_or(f64::NAN)
            );
        }
    }
    if let Some(reason) = &s.peer_skipped {
        println!("  peers not measured: {reason}");
    }
}
