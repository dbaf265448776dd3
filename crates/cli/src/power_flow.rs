//! `lifeline power flow`: one AC or DC power flow, summarised, written, or as JSON.

use crate::cli::{FlowArgs, FormatArg, InitArg};
use crate::output::{human, ms, print_json, write_file, write_json_file};
use anyhow::{Result, bail};
use lifeline_power::flow::{BranchDcFlow, BranchFlow, BusAngle, BusFlow};
use lifeline_power::matpower::{ReadWarning, read_case};
use lifeline_power::{AcOptions, Case, Init, SolveStatus, report, run_ac, run_dc};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// Exit code when the AC power flow does not converge.
pub const NOT_CONVERGED: u8 = 3;

/// The JSON document of `power flow --json` (schema: docs/json.md).
#[derive(Debug, Serialize)]
struct FlowReport<'a> {
    case: &'a str,
    file: String,
    buses: usize,
    branches: usize,
    generators: usize,
    mode: &'static str,
    init: Option<Init>,
    status: SolveStatus,
    iterations: usize,
    max_mismatch_pu: f64,
    generation_mw: f64,
    load_mw: f64,
    losses_mw: f64,
    q_limited_buses: Vec<u32>,
    warnings: Vec<String>,
    written: Vec<PathBuf>,
    timing_ms: Timing,
    bus: Rows<'a, BusFlow, BusAngle>,
    branch: Rows<'a, BranchFlow, BranchDcFlow>,
}

#[derive(Debug, Serialize)]
#[serde(untagged)]
enum Rows<'a, A: Serialize, D: Serialize> {
    Ac(&'a [A]),
    Dc(&'a [D]),
}

#[derive(Debug, Serialize)]
struct Timing {
    read: f64,
    solve: f64,
    total: f64,
}

fn validate(args: &FlowArgs) -> Result<AcOptions> {
    if !(args.tolerance > 0.0 && args.tolerance.is_finite()) {
        bail!(
            "--tolerance must be a positive number of p.u., got {}",
            args.tolerance
        );
    }
    if args.max_iterations == 0 {
        bail!("--max-iterations must be at least 1");
    }
    Ok(AcOptions {
        tolerance_pu: args.tolerance,
        max_iterations: args.max_iterations,
        init: match args.init {
            InitArg::Flat => Init::Flat,
            InitArg::Case => Init::Case,
        },
        enforce_q_limits: args.enforce_q_limits,
    })
}

fn warnings_text(warnings: &[ReadWarning]) -> Vec<String> {
    warnings.iter().map(ToString::to_string).collect()
}

/// Runs `power flow`.
pub fn run(args: &FlowArgs) -> Result<ExitCode> {
    let options = validate(args)?;
    let started = Instant::now();
    let read = read_case(&args.case)?;
    let read_time = started.elapsed();
    let case = &read.case;
    let generation_scheduled: f64 = case
        .generators
        .iter()
        .filter(|g| g.in_service)
        .map(|g| g.p_mw)
        .sum();
    let load_mw = case.total_load_mw();

    let solve_started = Instant::now();
    if args.dc {
        let flow = run_dc(case)?;
        let solve_time = solve_started.elapsed();
        let written = match &args.out {
            Some(dir) => write_dc(dir, args.format, &flow.buses, &flow.branches)?,
            None => Vec::new(),
        };
        let report = FlowReport {
            case: &case.name,
            file: args.case.display().to_string(),
            buses: case.buses.len(),
            branches: case.branches.len(),
            generators: case.generators.len(),
            mode: "dc",
            init: None,
            status: SolveStatus::Converged,
            iterations: 1,
            max_mismatch_pu: 0.0,
            generation_mw: load_mw + case.buses.iter().map(|b| b.g_shunt_mw).sum::<f64>(),
            load_mw,
            losses_mw: 0.0,
            q_limited_buses: Vec::new(),
            warnings: warnings_text(&read.warnings),
            written,
            timing_ms: Timing {
                read: ms(read_time),
                solve: ms(solve_time),
                total: ms(started.elapsed()),
            },
            bus: Rows::Dc(&flow.buses),
            branch: Rows::Dc(&flow.branches),
        };
        if args.json {
            print_json(&report)?;
        } else {
            print_summary(case, &report, None);
        }
        return Ok(ExitCode::SUCCESS);
    }

    let flow = run_ac(case, &options)?;
    let solve_time = solve_started.elapsed();
    let converged = flow.status.converged();
    let written = match (&args.out, converged) {
        (Some(dir), true) => write_ac(dir, args.format, &flow.buses, &flow.branches)?,
        _ => Vec::new(),
    };
    let losses_mw = flow.losses_mw();
    let report = FlowReport {
        case: &case.name,
        file: args.case.display().to_string(),
        buses: case.buses.len(),
        branches: case.branches.len(),
        generators: case.generators.len(),
        mode: "ac",
        init: Some(options.init),
        status: flow.status,
        iterations: flow.iterations,
        max_mismatch_pu: flow.max_mismatch_pu,
        generation_mw: if converged {
            load_mw + flow.buses.iter().map(|b| b.p_mw).sum::<f64>()
        } else {
            generation_scheduled
        },
        load_mw,
        losses_mw,
        q_limited_buses: flow.q_limited_buses.clone(),
        warnings: warnings_text(&read.warnings),
        written,
        timing_ms: Timing {
            read: ms(read_time),
            solve: ms(solve_time),
            total: ms(started.elapsed()),
        },
        bus: Rows::Ac(&flow.buses),
        branch: Rows::Ac(&flow.branches),
    };
    if args.json {
        print_json(&report)?;
    } else {
        print_summary(case, &report, Some(&flow.buses));
        if !converged {
            eprintln!(
                "error: the AC power flow did not converge ({} after {} iterations, largest mismatch {:.3e} p.u.); nothing written. Try --init case or more --max-iterations.",
                match flow.status {
                    SolveStatus::Diverged => "diverged",
                    _ => "iteration limit reached",
                },
                flow.iterations,
                flow.max_mismatch_pu
            );
        }
    }
    Ok(if converged {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(NOT_CONVERGED)
    })
}

fn write_ac(
    dir: &Path,
    format: FormatArg,
    buses: &[BusFlow],
    branches: &[BranchFlow],
) -> Result<Vec<PathBuf>> {
    Ok(match format {
        FormatArg::Csv => vec![
            write_file(&dir.join("bus.csv"), |out| {
                report::write_ac_buses(out, buses)
            })?,
            write_file(&dir.join("branch.csv"), |out| {
                report::write_ac_branches(out, branches)
            })?,
        ],
        FormatArg::Json => vec![
            write_json_file(&dir.join("bus.json"), &buses)?,
            write_json_file(&dir.join("branch.json"), &branches)?,
        ],
    })
}

fn write_dc(
    dir: &Path,
    format: FormatArg,
    buses: &[BusAngle],
    branches: &[BranchDcFlow],
) -> Result<Vec<PathBuf>> {
    Ok(match format {
        FormatArg::Csv => vec![
            write_file(&dir.join("bus.csv"), |out| {
                report::write_dc_buses(out, buses)
            })?,
            write_file(&dir.join("branch.csv"), |out| {
                report::write_dc_branches(out, branches)
            })?,
        ],
        FormatArg::Json => vec![
            write_json_file(&dir.join("bus.json"), &buses)?,
            write_json_file(&dir.join("branch.json"), &branches)?,
        ],
    })
}

fn print_summary(case: &Case, report: &FlowReport<'_>, buses: Option<&[BusFlow]>) {
    let in_service = case.generators.iter().filter(|g| g.in_service).count();
    println!(
        "{}: {} buses, {} branches, {} generators ({} in service)",
        case.name, report.buses, report.branches, report.generators, in_service
    );
    for warning in &report.warnings {
        println!("  note: {warning}");
    }
    match report.mode {
        "dc" => println!("DC power flow: solved (lossless; generation = load + shunt conductance)"),
        _ => {
            let start = match report.init {
                Some(Init::Case) => "case start",
                _ => "flat start",
            };
            match report.status {
                SolveStatus::Converged => println!(
                    "AC power flow, {start}: converged in {} iterations, largest mismatch {:.1e} p.u.",
                    report.iterations, report.max_mismatch_pu
                ),
                status => println!(
                    "AC power flow, {start}: NOT converged ({}) after {} iterations, largest mismatch {:.3e} p.u.",
                    match status {
                        SolveStatus::Diverged => "diverged",
                        _ => "iteration limit reached",
                    },
                    report.iterations,
                    report.max_mismatch_pu
                ),
            }
            if !report.q_limited_buses.is_empty() {
                println!(
                    "  {} PV buses held at reactive limits",
                    report.q_limited_buses.len()
                );
            }
        }
    }
    if report.status.converged() {
        println!(
            "  generation {:.1} MW, load {:.1} MW, losses {:.1} MW",
            report.generation_mw, report.load_mw, report.losses_mw
        );
        if let Some(buses) = buses {
            let energised = buses.iter().filter(|b| b.kind != 4);
            let (low, high) = energised
                .clone()
                .fold((f64::INFINITY, 0.0f64), |(lo, hi), b| {
                    (lo.min(b.vm_pu), hi.max(b.vm_pu))
                });
            let outside = energised.filter(|b| b.vm_pu < 0.9 || b.vm_pu > 1.1).count();
            println!("  voltages {low:.3}–{high:.3} p.u.; {outside} buses outside 0.9–1.1 p.u.");
        }
    }
    let t = &report.timing_ms;
    println!(
        "  time: read {}, solve {}, total {}",
        human(std::time::Duration::from_secs_f64(t.read / 1e3)),
        human(std::time::Duration::from_secs_f64(t.solve / 1e3)),
        human(std::time::Duration::from_secs_f64(t.total / 1e3)),
    );
    if !report.written.is_empty() {
        let names: Vec<String> = report
            .written
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        println!("wrote {}", names.join(", "));
    }
}
