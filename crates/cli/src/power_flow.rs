//! `lifeline power flow`: one AC or DC power flow, summarised, written, or as JSON.

use crate::cli::{FlowArgs, FormatArg};
use crate::outage;
use crate::output::{human, ms, print_json, print_written, write_file, write_json_file};
use anyhow::{Result, bail};
use lifeline_power::flow::{BranchDcFlow, BranchFlow, BusAngle, BusFlow};
use lifeline_power::matpower::{ReadWarning, read_case};
use lifeline_power::{
    AcOptions, BusLoad, Case, Grid, GridOptions, Init, IslandState, Outages, PowerError,
    SolveStatus, report, run_ac, run_dc,
};
use serde::Serialize;
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// Exit code when the AC power flow does not converge.
pub const NOT_CONVERGED: u8 = 3;

/// The JSON document of `power flow --json` (schema: docs/json.md).
#[derive(Debug, Serialize)]
struct FlowReport<'a> {
    #[serde(flatten)]
    summary: CaseSummary<'a>,
    mode: &'static str,
    init: Option<Init>,
    status: SolveStatus,
    iterations: usize,
    max_mismatch_pu: f64,
    generation_mw: f64,
    load_mw: f64,
    losses_mw: f64,
    q_limited_buses: Vec<u32>,
    written: Vec<PathBuf>,
    timing_ms: Timing,
    /// Elements taken out (`--outage`), with the islands and loads that result.
    #[serde(skip_serializing_if = "Option::is_none")]
    outages: Option<OutageReport<'a>>,
    bus: Rows<'a, BusFlow, BusAngle>,
    branch: Rows<'a, BranchFlow, BranchDcFlow>,
}

/// What every `power flow` document starts with: the case that was read.
#[derive(Debug, Serialize)]
struct CaseSummary<'a> {
    case: &'a str,
    file: String,
    buses: usize,
    branches: usize,
    generators: usize,
    warnings: Vec<String>,
}

impl<'a> CaseSummary<'a> {
    fn new(case: &'a Case, file: &Path, warnings: &[ReadWarning]) -> Self {
        Self {
            case: &case.name,
            file: file.display().to_string(),
            buses: case.buses.len(),
            branches: case.branches.len(),
            generators: case.generators.len(),
            warnings: warnings.iter().map(ToString::to_string).collect(),
        }
    }
}

/// What `--outage` adds to the report.
#[derive(Debug, Serialize)]
struct OutageReport<'a> {
    taken_out: &'a Outages,
    shed_mw: f64,
    dark_load_mw: f64,
    islands: &'a [IslandState],
    load: Vec<BusLoad>,
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

impl Timing {
    /// Reading and solving times, and everything since `started`, in milliseconds.
    fn new(read: std::time::Duration, solve: std::time::Duration, started: Instant) -> Self {
        Self {
            read: ms(read),
            solve: ms(solve),
            total: ms(started.elapsed()),
        }
    }
}

/// Runs `power flow`.
/// A case split into islands cannot be solved whole: said with the islands' buses, exit 3
/// (no solution), as for a power flow that does not converge.
fn islanded(case: &std::path::Path, error: &PowerError) -> ExitCode {
    eprintln!("error: {}: {error}", case.display());
    ExitCode::from(NOT_CONVERGED)
}

pub fn run(args: &FlowArgs) -> Result<ExitCode> {
    let options = args.newton.ac_options(args.init.into())?;
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
    if !args.outages.is_empty() {
        if args.dc {
            bail!(
                "--outage needs the AC power flow: islands are balanced with losses and voltages"
            );
        }
        let outages = outage::parse(&args.outages)?;
        return run_with_outages(
            args,
            options,
            read.case,
            &read.warnings,
            &outages,
            started,
            read_time,
        );
    }
    if args.dc {
        let flow = match run_dc(case) {
            Err(error @ PowerError::Islanded { .. }) => return Ok(islanded(&args.case, &error)),
            other => other?,
        };
        let solve_time = solve_started.elapsed();
        let written = match &args.out {
            Some(dir) => write_dc(dir, args.format, &flow.buses, &flow.branches)?,
            None => Vec::new(),
        };
        let report = FlowReport {
            summary: CaseSummary::new(case, &args.case, &read.warnings),
            mode: "dc",
            init: None,
            status: SolveStatus::Converged,
            iterations: 1,
            max_mismatch_pu: 0.0,
            generation_mw: load_mw + case.buses.iter().map(|b| b.g_shunt_mw).sum::<f64>(),
            load_mw,
            losses_mw: 0.0,
            q_limited_buses: Vec::new(),
            written,
            timing_ms: Timing::new(read_time, solve_time, started),
            outages: None,
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

    let flow = match run_ac(case, &options) {
        Err(error @ PowerError::Islanded { .. }) => return Ok(islanded(&args.case, &error)),
        other => other?,
    };
    let solve_time = solve_started.elapsed();
    let converged = flow.status.converged();
    let written = match (&args.out, converged) {
        (Some(dir), true) => write_ac(dir, args.format, &flow.buses, &flow.branches)?,
        _ => Vec::new(),
    };
    let losses_mw = flow.losses_mw();
    let report = FlowReport {
        summary: CaseSummary::new(case, &args.case, &read.warnings),
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
        written,
        timing_ms: Timing::new(read_time, solve_time, started),
        outages: None,
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

/// Writes bus and branch rows into `dir`: `bus.csv`/`branch.csv` with `bus_csv` and
/// `branch_csv`, or `bus.json`/`branch.json`.
fn write_rows<B: Serialize, R: Serialize>(
    dir: &Path,
    format: FormatArg,
    buses: &[B],
    branches: &[R],
    bus_csv: fn(&mut BufWriter<File>, &[B]) -> std::io::Result<()>,
    branch_csv: fn(&mut BufWriter<File>, &[R]) -> std::io::Result<()>,
) -> Result<Vec<PathBuf>> {
    Ok(match format {
        FormatArg::Csv => vec![
            write_file(&dir.join("bus.csv"), |out| bus_csv(out, buses))?,
            write_file(&dir.join("branch.csv"), |out| branch_csv(out, branches))?,
        ],
        FormatArg::Json => vec![
            write_json_file(&dir.join("bus.json"), &buses)?,
            write_json_file(&dir.join("branch.json"), &branches)?,
        ],
    })
}

fn write_ac(
    dir: &Path,
    format: FormatArg,
    buses: &[BusFlow],
    branches: &[BranchFlow],
) -> Result<Vec<PathBuf>> {
    write_rows(
        dir,
        format,
        buses,
        branches,
        report::write_ac_buses,
        report::write_ac_branches,
    )
}

fn write_dc(
    dir: &Path,
    format: FormatArg,
    buses: &[BusAngle],
    branches: &[BranchDcFlow],
) -> Result<Vec<PathBuf>> {
    write_rows(
        dir,
        format,
        buses,
        branches,
        report::write_dc_buses,
        report::write_dc_branches,
    )
}

fn print_summary(case: &Case, report: &FlowReport<'_>, buses: Option<&[BusFlow]>) {
    let in_service = case.generators.iter().filter(|g| g.in_service).count();
    println!(
        "{}: {} buses, {} branches, {} generators ({} in service)",
        case.name,
        report.summary.buses,
        report.summary.branches,
        report.summary.generators,
        in_service
    );
    for warning in &report.summary.warnings {
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
    print_written(&report.written);
}

/// `power flow --outage ...`: the grid after outages, island by island.
fn run_with_outages(
    args: &FlowArgs,
    options: AcOptions,
    case: Case,
    warnings: &[ReadWarning],
    outages: &Outages,
    started: Instant,
    read_time: std::time::Duration,
) -> Result<ExitCode> {
    let solve_started = Instant::now();
    let grid = Grid::new(case)?;
    let mut solver = grid.solver();
    let grid_options = GridOptions {
        ac: options,
        ..GridOptions::default()
    };
    let state = grid.solve(outages, &grid_options, &mut solver, None)?;
    let solve_time = solve_started.elapsed();
    let case = grid.case();
    let converged = state.converged();
    let loads = state.loads();
    let mut written = Vec::new();
    if let (Some(dir), true) = (&args.out, converged) {
        written = write_ac(dir, args.format, &state.buses, &state.branches)?;
        match args.format {
            FormatArg::Csv => {
                written.push(write_file(&dir.join("load.csv"), |out| {
                    report::write_loads(out, &loads)
                })?);
                written.push(write_file(&dir.join("islands.csv"), |out| {
                    report::write_islands(out, &state.islands)
                })?);
            }
            FormatArg::Json => {
                written.push(write_json_file(&dir.join("load.json"), &loads)?);
                written.push(write_json_file(&dir.join("islands.json"), &state.islands)?);
            }
        }
    }
    let losses_mw: f64 = state.branches.iter().map(|b| b.p_from_mw + b.p_to_mw).sum();
    let generation_mw: f64 = state.generator_p_mw.iter().sum();
    let status = if converged {
        SolveStatus::Converged
    } else {
        state
            .islands
            .iter()
            .filter_map(|island| island.status)
            .find(|status| !status.converged())
            .unwrap_or(SolveStatus::MaxIterations)
    };
    let report = FlowReport {
        summary: CaseSummary::new(case, &args.case, warnings),
        mode: "ac",
        init: Some(options.init),
        status,
        iterations: state.iterations,
        max_mismatch_pu: state.max_mismatch_pu(),
        generation_mw,
        load_mw: case.total_load_mw(),
        losses_mw,
        q_limited_buses: Vec::new(),
        written,
        timing_ms: Timing::new(read_time, solve_time, started),
        outages: Some(OutageReport {
            taken_out: outages,
            shed_mw: state.shed_mw(),
            dark_load_mw: state.dark_load_mw(),
            islands: &state.islands,
            load: loads,
        }),
        bus: Rows::Ac(&state.buses),
        branch: Rows::Ac(&state.branches),
    };
    if args.json {
        print_json(&report)?;
        return Ok(if converged {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(NOT_CONVERGED)
        });
    }
    print_outage_report(&report, case, &state, outages, losses_mw);
    print_written(&report.written);
    if !converged {
        eprintln!(
            "error: an island's power flow did not converge; it is reported as collapsed and nothing was written"
        );
    }
    Ok(if converged {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(NOT_CONVERGED)
    })
}

/// The human report of a solve under outages: the case, what is out, each island.
fn print_outage_report(
    report: &FlowReport<'_>,
    case: &Case,
    state: &lifeline_power::GridState,
    outages: &Outages,
    losses_mw: f64,
) {
    let in_service = case.generators.iter().filter(|g| g.in_service).count();
    println!(
        "{}: {} buses, {} branches, {} generators ({} in service)",
        case.name,
        report.summary.buses,
        report.summary.branches,
        report.summary.generators,
        in_service
    );
    println!(
        "out: {} buses, {} branches, {} generators",
        outages.buses.len(),
        outages.branches.len(),
        outages.generators.len()
    );
    let energised = state.islands.iter().filter(|i| i.energised).count();
    println!(
        "{} islands, {energised} energised; AC power flow in {} iterations",
        state.islands.len(),
        state.iterations
    );
    for (number, island) in state.islands.iter().enumerate() {
        let what = match island.status {
            None => "dark: no generation".to_string(),
            Some(SolveStatus::Converged) => format!(
                "energised, slack at bus {}; load {:.1} MW, shed {:.1} MW, generation {:.1} of {:.1} MW",
                island
                    .slack_buses
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
                island.load_mw,
                island.shed_mw,
                island.generation_mw,
                island.capacity_mw
            ),
            Some(status) => format!("collapsed: the power flow did not converge ({status:?})"),
        };
        println!(
            "  island {}: {} buses, {what}",
            number + 1,
            island.buses.len()
        );
    }
    println!(
        "  load shed {:.1} MW, load dark {:.1} MW, losses {:.1} MW",
        state.shed_mw(),
        state.dark_load_mw(),
        losses_mw
    );
    println!(
        "  time: read {}, solve {}",
        human(std::time::Duration::from_secs_f64(
            report.timing_ms.read / 1e3
        )),
        human(std::time::Duration::from_secs_f64(
            report.timing_ms.solve / 1e3
        ))
    );
}
