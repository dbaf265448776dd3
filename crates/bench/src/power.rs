//! `lifeline-bench power`: the power engine and its peers (pandapower, lightsim2grid,
//! timed by `peer_bench.py`) on the same cases, in the same run, with the ratios.
//!
//! Steps compared (median of `--runs` repetitions, milliseconds):
//! * `ac_cold`: a flat-start AC solve on a freshly compiled network, symbolic analysis
//!   included — against lightsim2grid's `ls_ac_cold` (first `ac_pf` on a fresh model).
//! * `ac_warm`: a repeated flat-start AC solve reusing the analysis — against `ls_ac`
//!   and pandapower's `pp_ac` (which re-analyses every time).
//! * `dc`: a repeated DC power flow on a compiled network (analysis reused, matrix built,
//!   factored, solved) — against `ls_dc` (repeated on a built model).
//! * `dc_from_case`: a DC power flow from the case (network compiled, matrix analysed and
//!   factored) — against `pp_dc` (which converts and analyses every time).
//! * `file_to_solution`: read + compile + cold AC solve — against `ls_build + ls_ac_cold`
//!   and `pp_convert + pp_ac` (pandapower's MATPOWER parsing is not timed by the script).
//! * `process`: wall time of a whole `lifeline power flow CASE --out DIR` process (the
//!   `lifeline` program beside this one, or `--lifeline`; `-` when it cannot run).
//! * `n1` (with `--n1`): N-1 over every branch on all cores, with islands re-balanced —
//!   against lightsim2grid's `ContingencyAnalysisCPP` (`n1_total`, one thread as the
//!   script runs it, islands reported as not converged).

use crate::cli::PowerArgs;
use crate::output::{ms, print_json};
use crate::peer::{find_script, median, run_python, shared_dir};
use anyhow::{Context, Result, bail};
use lifeline_power::ac::NewtonSolver;
use lifeline_power::dc::DcSolver;
use lifeline_power::matpower::read_case;
use lifeline_power::network::{Network, Selection};
use lifeline_power::{ContingencyOptions, Grid, Init, run_dc, run_n1};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

/// Our figures for one case, milliseconds.
#[derive(Debug, Default, Serialize)]
struct Ours {
    read: f64,
    compile: f64,
    ac_cold: f64,
    ac_warm: f64,
    ac_iterations: usize,
    dc: f64,
    dc_from_case: f64,
    file_to_solution: f64,
    process: Option<f64>,
    n1: Option<f64>,
    n1_contingencies: Option<usize>,
    n1_converged: Option<usize>,
}

/// One case's measurements.
#[derive(Debug, Serialize)]
struct CaseBench {
    case: String,
    file: String,
    buses: usize,
    branches: usize,
    runs: usize,
    threads: usize,
    ours: Ours,
    /// Peer metric → median ms, as `peer_bench.py` printed them.
    peers: BTreeMap<String, f64>,
    /// Notes the peer script printed next to its metrics.
    peer_notes: BTreeMap<String, String>,
    /// Why the peers were not measured, if they were not.
    peer_skipped: Option<String>,
    /// Ours divided by the peer's, per compared step.
    ratios: BTreeMap<String, f64>,
}

fn time_runs<T>(runs: usize, mut step: impl FnMut() -> Result<T>) -> Result<(f64, T)> {
    let mut samples = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        last = Some(step()?);
        samples.push(ms(started.elapsed()));
    }
    let last = last.context("no run")?;
    Ok((median(samples), last))
}

/// Where `peer_bench.py` is, if anywhere.
fn find_peer_script(args: &PowerArgs) -> Option<PathBuf> {
    let candidates = [
        shared_dir().join("reference/power/peer_bench.py"),
        PathBuf::from("shared/reference/power/peer_bench.py"),
    ];
    find_script(args.peers.peer_script.as_deref(), &candidates)
}

fn default_cases() -> Vec<PathBuf> {
    let cases = shared_dir().join("reference/power/cases");
    let large: Vec<PathBuf> = ["case9241pegase.m", "case_ACTIVSg2000.m"]
        .iter()
        .map(|name| cases.join(name))
        .filter(|path| path.exists())
        .collect();
    if large.is_empty() {
        vec![PathBuf::from("data/matpower/case30.m")]
    } else {
        large
    }
}

/// Runs the peer script; returns metric → (ms, notes), or why it could not.
fn run_peer(
    args: &PowerArgs,
    script: &Path,
    case: &Path,
) -> Result<BTreeMap<String, (f64, String)>, String> {
    let mut peer_args = vec![
        case.display().to_string(),
        "--runs".into(),
        args.runs.to_string(),
    ];
    if args.n1 {
        peer_args.push("--n1".into());
    }
    let stdout = run_python(
        &args.peers.python,
        script,
        &peer_args,
        "pip install pandapower lightsim2grid matpowercaseframes numba",
    )?;
    let mut metrics = BTreeMap::new();
    for line in stdout.lines() {
        let mut fields = line.split_whitespace();
        if let (Some(name), Some(value)) = (fields.next(), fields.next())
            && let Ok(value) = value.parse::<f64>()
        {
            metrics.insert(
                name.to_string(),
                (value, fields.collect::<Vec<_>>().join(" ")),
            );
        }
    }
    if metrics.is_empty() {
        return Err(format!("{} printed no metrics", script.display()));
    }
    Ok(metrics)
}

/// Wall time of a whole `lifeline power flow CASE --out DIR` process, ms (median), or
/// `None` when the program cannot be run or fails.
fn time_process(lifeline: &Path, case: &Path, runs: usize) -> Option<f64> {
    let folder = lifeline_demo_city::private_folder("lifeline-bench-power-").ok()?;
    let out = folder.path().join("out");
    let mut samples = Vec::new();
    for _ in 0..runs.clamp(1, 5) {
        let started = Instant::now();
        let status = Command::new(lifeline)
            .args(["power", "flow"])
            .arg(case)
            .arg("--out")
            .arg(&out)
            .stdout(std::process::Stdio::null())
            .status()
            .ok()?;
        samples.push(ms(started.elapsed()));
        if !status.success() {
            return None;
        }
    }
    Some(median(samples))
}

fn bench_case(
    args: &PowerArgs,
    path: &Path,
    peer_script: Option<&Path>,
    peer_reason: &str,
) -> Result<CaseBench> {
    let (read, case) = time_runs(args.runs, || Ok(read_case(path)?.case))?;
    let (compile, network) = time_runs(args.runs, || {
        let selection = Selection::whole(&case)?;
        Ok(Network::compile(&case, &selection))
    })?;
    let start = network.initial_voltage(Init::Flat);
    let (ac_cold, solution) = time_runs(args.runs, || {
        let mut solver = NewtonSolver::new(&network)?;
        Ok(solver.solve(&network, start.clone(), 1e-8, 20)?)
    })?;
    if !solution.status.converged() {
        bail!(
            "{}: the flat-start AC power flow does not converge; nothing to time",
            path.display()
        );
    }
    let mut solver = NewtonSolver::new(&network)?;
    let (ac_warm, _) = time_runs(args.runs, || {
        Ok(solver.solve(&network, start.clone(), 1e-8, 20)?)
    })?;
    let mut dc_solver = DcSolver::new(&network)?;
    let (dc, _) = time_runs(args.runs, || Ok(dc_solver.solve(&case, &network)?))?;
    let (dc_from_case, _) = time_runs(args.runs, || Ok(run_dc(&case)?))?;
    let mut ours = Ours {
        read,
        compile,
        ac_cold,
        ac_warm,
        ac_iterations: solution.iterations,
        dc,
        dc_from_case,
        file_to_solution: read + compile + ac_cold,
        process: time_process(&args.lifeline.program(), path, args.runs),
        ..Ours::default()
    };
    if args.n1 {
        let grid = Grid::new(case.clone())?;
        let options = ContingencyOptions {
            generators: false,
            ..ContingencyOptions::default()
        };
        let started = Instant::now();
        let report = run_n1(&grid, &options, &|_| {})?;
        ours.n1 = Some(ms(started.elapsed()));
        ours.n1_contingencies = Some(report.results.len());
        ours.n1_converged = Some(report.results.iter().filter(|r| r.converged).count());
    }

    let (peers, peer_notes, peer_skipped) = match peer_script {
        None => (
            BTreeMap::new(),
            BTreeMap::new(),
            Some(peer_reason.to_string()),
        ),
        Some(script) => match run_peer(args, script, path) {
            Ok(metrics) => {
                let notes = metrics
                    .iter()
                    .map(|(k, (_, n))| (k.clone(), n.clone()))
                    .collect();
                (
                    metrics.into_iter().map(|(k, (v, _))| (k, v)).collect(),
                    notes,
                    None,
                )
            }
            Err(reason) => (BTreeMap::new(), BTreeMap::new(), Some(reason)),
        },
    };
    let mut ratios = BTreeMap::new();
    let peer = |name: &str| peers.get(name).copied();
    let mut ratio = |name: &str, ours: f64, theirs: Option<f64>| {
        if let Some(theirs) = theirs.filter(|t| *t > 0.0) {
            ratios.insert(name.to_string(), ours / theirs);
        }
    };
    ratio("ac_cold/ls_ac_cold", ours.ac_cold, peer("ls_ac_cold"));
    ratio("ac_warm/ls_ac", ours.ac_warm, peer("ls_ac"));
    ratio("ac_warm/pp_ac", ours.ac_warm, peer("pp_ac"));
    ratio("dc/ls_dc", ours.dc, peer("ls_dc"));
    ratio("dc_from_case/pp_dc", ours.dc_from_case, peer("pp_dc"));
    let ls_file = peer("ls_build").zip(peer("ls_ac_cold")).map(|(a, b)| a + b);
    let pp_file = peer("pp_convert").zip(peer("pp_ac")).map(|(a, b)| a + b);
    ratio("file_to_solution/ls", ours.file_to_solution, ls_file);
    ratio("file_to_solution/pp", ours.file_to_solution, pp_file);
    if let Some(process) = ours.process {
        ratio("process/ls_file_to_solution", process, ls_file);
        ratio("process/pp_file_to_solution", process, pp_file);
    }
    if let Some(n1) = ours.n1 {
        ratio("n1/ls_n1_total", n1, peer("n1_total"));
    }
    Ok(CaseBench {
        case: case.name.clone(),
        file: path.display().to_string(),
        buses: case.buses.len(),
        branches: case.branches.len(),
        runs: args.runs,
        threads: rayon::current_num_threads(),
        ours,
        peers,
        peer_notes,
        peer_skipped,
        ratios,
    })
}

/// One line of the table: a step, our time, each peer's time and the key of each ratio
/// (empty: no ratio).
struct Line {
    step: &'static str,
    ours: Option<f64>,
    ls: Option<f64>,
    ls_ratio: &'static str,
    pp: Option<f64>,
    pp_ratio: &'static str,
}

impl Line {
    /// A step only lifeline times.
    fn ours_only(step: &'static str, ours: f64) -> Self {
        Self {
            step,
            ours: Some(ours),
            ls: None,
            ls_ratio: "",
            pp: None,
            pp_ratio: "",
        }
    }
}

/// A peer's median, ms.
fn peer(bench: &CaseBench, name: &str) -> Option<f64> {
    bench.peers.get(name).copied()
}

/// The sum of two peer steps, when both were measured.
fn peer_sum(bench: &CaseBench, a: &str, b: &str) -> Option<f64> {
    peer(bench, a).zip(peer(bench, b)).map(|(a, b)| a + b)
}

/// A time in the table, `-` when not measured.
fn cell(value: Option<f64>) -> String {
    value.map_or("-".to_string(), |v| format!("{v:.3}"))
}

/// A ratio in the table, `-` when there is none.
fn ratio_cell(bench: &CaseBench, key: &str) -> String {
    bench
        .ratios
        .get(key)
        .map_or("-".to_string(), |r| format!("{r:.2}"))
}

/// The table's lines, step by step, with the peer steps each is compared with.
fn step_lines(bench: &CaseBench) -> [Line; 8] {
    let ours = &bench.ours;
    let ls_file = peer_sum(bench, "ls_build", "ls_ac_cold");
    let pp_file = peer_sum(bench, "pp_convert", "pp_ac");
    [
        Line::ours_only("read case", ours.read),
        Line {
            ls: peer(bench, "ls_build"),
            pp: peer(bench, "pp_convert"),
            ..Line::ours_only("compile network", ours.compile)
        },
        Line {
            ls: peer(bench, "ls_ac_cold"),
            ls_ratio: "ac_cold/ls_ac_cold",
            ..Line::ours_only("AC cold (with analysis)", ours.ac_cold)
        },
        Line {
            ls: peer(bench, "ls_ac"),
            ls_ratio: "ac_warm/ls_ac",
            pp: peer(bench, "pp_ac"),
            pp_ratio: "ac_warm/pp_ac",
            ..Line::ours_only("AC warm (repeated)", ours.ac_warm)
        },
        Line {
            ls: peer(bench, "ls_dc"),
            ls_ratio: "dc/ls_dc",
            ..Line::ours_only("DC (repeated)", ours.dc)
        },
        Line {
            pp: peer(bench, "pp_dc"),
            pp_ratio: "dc_from_case/pp_dc",
            ..Line::ours_only("DC from the case", ours.dc_from_case)
        },
        Line {
            ls: ls_file,
            ls_ratio: "file_to_solution/ls",
            pp: pp_file,
            pp_ratio: "file_to_solution/pp",
            ..Line::ours_only("file to solution", ours.file_to_solution)
        },
        Line {
            step: "whole `power flow` process",
            ours: ours.process,
            ls: ls_file,
            ls_ratio: "process/ls_file_to_solution",
            pp: pp_file,
            pp_ratio: "process/pp_file_to_solution",
        },
    ]
}

fn print_case(bench: &CaseBench) {
    println!(
        "{} ({} buses, {} branches): median of {} runs, ms; ratio = lifeline / peer (below 1: lifeline faster)",
        bench.case, bench.buses, bench.branches, bench.runs
    );
    println!(
        "  {:<30} {:>11} {:>13} {:>7} {:>11} {:>7}",
        "step", "lifeline", "lightsim2grid", "ratio", "pandapower", "ratio"
    );
    for line in step_lines(bench) {
        println!(
            "  {:<30} {:>11} {:>13} {:>7} {:>11} {:>7}",
            line.step,
            cell(line.ours),
            cell(line.ls),
            ratio_cell(bench, line.ls_ratio),
            cell(line.pp),
            ratio_cell(bench, line.pp_ratio)
        );
    }
    if let Some(n1) = bench.ours.n1 {
        print_n1(bench, n1);
    }
    println!(
        "  AC iterations from flat start: {}",
        bench.ours.ac_iterations
    );
    if let Some(reason) = &bench.peer_skipped {
        println!("  peers not measured: {reason}");
    }
}

/// The N-1 line: our sweep on every core against lightsim2grid's, and what converged.
fn print_n1(bench: &CaseBench, n1: f64) {
    println!(
        "  {:<30} {:>11} {:>13} {:>7}",
        format!("N-1 branches ({} threads)", bench.threads),
        format!("{n1:.1}"),
        cell(peer(bench, "n1_total")),
        ratio_cell(bench, "n1/ls_n1_total")
    );
    println!(
        "    lifeline: {} of {} contingencies converged (islands re-balanced); lightsim2grid: {}",
        bench.ours.n1_converged.unwrap_or(0),
        bench.ours.n1_contingencies.unwrap_or(0),
        bench.peer_notes.get("n1_total").map_or("-", String::as_str)
    );
}

/// Runs `lifeline-bench power`.
pub fn run(args: &PowerArgs) -> Result<ExitCode> {
    if args.runs == 0 {
        bail!("--runs must be at least 1");
    }
    let cases = if args.cases.is_empty() {
        default_cases()
    } else {
        args.cases.clone()
    };
    let (script, reason) = if args.peers.no_peer {
        (None, "--no-peer given".to_string())
    } else {
        match find_peer_script(args) {
            Some(script) => (Some(script), String::new()),
            None => (
                None,
                "peer_bench.py not found (looked in $LIFELINE_SHARED/reference/power and ../shared/reference/power; pass --peer-script)".into(),
            ),
        }
    };
    let mut benches = Vec::new();
    for case in &cases {
        if !args.json {
            eprintln!("measuring {} ...", case.display());
        }
        let bench = bench_case(args, case, script.as_deref(), &reason)?;
        if !args.json {
            print_case(&bench);
        }
        benches.push(bench);
    }
    if args.json {
        print_json(&serde_json::json!({
            "machine": crate::output::machine(),
            "cases": benches,
        }))?;
    }
    Ok(ExitCode::SUCCESS)
}
