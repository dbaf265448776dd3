//! `lifeline water run` and `lifeline water outage`.

use crate::cli::{FormatArg, WaterModelArgs, WaterOutageArgs, WaterRunArgs};
use crate::output::{human, print_json, print_written, write_json_file};
use anyhow::{Context, Result, bail};
use lifeline_core::number::clock;
use lifeline_water::metrics::{ServicePoint, ServiceTracker, service_point};
use lifeline_water::{
    DemandModel, GroupService, HydraulicState, LinkChangeOptions, LinkChangeResult, LinkChanges,
    LinkKind, NetworkInfo, Simulation, SimulationOptions, Warning, report,
    run_link_changes_parallel,
};
use serde::Serialize;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// Parses `--pda MIN,REQ[,EXP]`.
fn demand_model(text: &str) -> Result<DemandModel> {
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    if !(2..=3).contains(&parts.len()) {
        bail!("--pda {text}: expected MIN,REQ or MIN,REQ,EXP (pressures in m), e.g. --pda 0,20");
    }
    let number = |name: &str, value: &str| -> Result<f64> {
        value
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .with_context(|| format!("--pda {text}: {name} must be a number, found '{value}'"))
    };
    Ok(DemandModel::PressureDriven {
        min_pressure_m: number("the minimum pressure", parts[0])?,
        required_pressure_m: number("the required pressure", parts[1])?,
        exponent: match parts.get(2) {
            Some(value) => number("the exponent", value)?,
            None => 0.5,
        },
    })
}

impl WaterModelArgs {
    /// The simulation options and the service threshold, checked.
    fn options(&self) -> Result<(SimulationOptions, f64)> {
        if !self.threshold.is_finite() {
            bail!("--threshold must be a number of m, got {}", self.threshold);
        }
        let demand_model = self.pda.as_deref().map(demand_model).transpose()?;
        Ok((
            SimulationOptions {
                engine: self.engine.into(),
                demand_model,
                ..Default::default()
            },
            self.threshold,
        ))
    }
}

/// Parses `HH:MM` or `HH:MM:SS` (hours may pass 24) into seconds.
pub(crate) fn parse_clock(text: &str) -> Result<i64> {
    let parts: Vec<&str> = text.split(':').collect();
    let parsed: Option<Vec<i64>> = parts.iter().map(|p| p.trim().parse::<i64>().ok()).collect();
    match parsed.as_deref() {
        Some([h, m]) if *h >= 0 && (0..60).contains(m) => Ok(h * 3600 + m * 60),
        Some([h, m, s]) if *h >= 0 && (0..60).contains(m) && (0..60).contains(s) => {
            Ok(h * 3600 + m * 60 + s)
        }
        _ => bail!(
            "--at {text}: expected a time as HH:MM from the start of the simulation, e.g. 04:00"
        ),
    }
}

/// The JSON document of `water run --json` (schema: docs/json.md).
#[derive(Debug, Serialize)]
struct RunReport<'a> {
    network: String,
    junctions: usize,
    tanks: usize,
    reservoirs: usize,
    pipes: usize,
    pumps: usize,
    valves: usize,
    flow_units: lifeline_water::units::FlowUnit,
    duration_s: i64,
    engine: lifeline_water::Engine,
    demand_model: Option<DemandModel>,
    threshold_m: f64,
    hydraulic_steps: usize,
    report_times: usize,
    warnings: &'a [Warning],
    service: GroupService,
    timeline: &'a [ServicePoint],
    written: Vec<PathBuf>,
    elapsed_ms: f64,
}

/// Rows written while the simulation runs.
enum Output {
    None,
    Csv {
        heads: BufWriter<File>,
        flows: BufWriter<File>,
    },
    Json {
        heads: Vec<HydraulicState>,
    },
}

impl Output {
    fn open(dir: Option<&Path>, format: FormatArg) -> Result<Self> {
        let Some(dir) = dir else {
            return Ok(Output::None);
        };
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create directory {}", dir.display()))?;
        Ok(match format {
            FormatArg::Csv => {
                let create = |name: &str| -> Result<BufWriter<File>> {
                    let path = dir.join(name);
                    Ok(BufWriter::new(File::create(&path).with_context(|| {
                        format!("cannot create {}", path.display())
                    })?))
                };
                let mut heads = create("heads.csv")?;
                let mut flows = create("flows.csv")?;
                report::write_heads_header(&mut heads)?;
                report::write_flows_header(&mut flows)?;
                Output::Csv { heads, flows }
            }
            FormatArg::Json => Output::Json { heads: Vec::new() },
        })
    }

    fn write(&mut self, network: &NetworkInfo, state: &HydraulicState) -> Result<()> {
        match self {
            Output::None => {}
            Output::Csv { heads, flows } => {
                report::write_heads(heads, network, state).context("cannot write heads.csv")?;
                report::write_flows(flows, network, state).context("cannot write flows.csv")?;
            }
            Output::Json { heads } => heads.push(state.clone()),
        }
        Ok(())
    }

    fn finish(self, dir: Option<&Path>, network: &NetworkInfo) -> Result<Vec<PathBuf>> {
        let Some(dir) = dir else {
            return Ok(Vec::new());
        };
        match self {
            Output::None => Ok(Vec::new()),
            Output::Csv {
                mut heads,
                mut flows,
            } => {
                heads.flush().context("cannot write heads.csv")?;
                flows.flush().context("cannot write flows.csv")?;
                Ok(vec![dir.join("heads.csv"), dir.join("flows.csv")])
            }
            Output::Json { heads: states } => {
                #[derive(Serialize)]
                struct NodeRow<'a> {
                    time_s: i64,
                    node: &'a str,
                    head_m: f64,
                    pressure_m: f64,
                    demand_lps: f64,
                }
                #[derive(Serialize)]
                struct LinkRow<'a> {
                    time_s: i64,
                    link: &'a str,
                    flow_lps: f64,
                    status: u8,
                }
                let nodes: Vec<NodeRow<'_>> = states
                    .iter()
                    .flat_map(|s| {
                        network
                            .node_ids
                            .iter()
                            .enumerate()
                            .map(move |(i, id)| NodeRow {
                                time_s: s.time_s,
                                node: id,
                                head_m: s.head_m[i],
                                pressure_m: s.pressure_m[i],
                                demand_lps: s.demand_lps[i],
                            })
                    })
                    .collect();
                let links: Vec<LinkRow<'_>> = states
                    .iter()
                    .flat_map(|s| {
                        network
                            .link_ids
                            .iter()
                            .enumerate()
                            .map(move |(i, id)| LinkRow {
                                time_s: s.time_s,
                                link: id,
                                flow_lps: s.flow_lps[i],
                                status: u8::from(s.link_open[i]),
                            })
                    })
                    .collect();
                Ok(vec![
                    write_json_file(&dir.join("heads.json"), &nodes)?,
                    write_json_file(&dir.join("flows.json"), &links)?,
                ])
            }
        }
    }
}

/// Runs `water run`.
pub fn run(args: &WaterRunArgs) -> Result<ExitCode> {
    let (options, threshold_m) = args.model.options()?;
    let started = Instant::now();
    let mut simulation = Simulation::open(&args.network, options)?;
    let network = simulation.network().clone();
    let mut output = Output::open(args.out.as_deref(), args.format)?;
    let mut tracker = ServiceTracker::new(&network, threshold_m);
    let mut timeline = Vec::new();
    let mut state = HydraulicState::default();
    let mut steps = 0;
    loop {
        simulation.solve()?;
        steps += 1;
        simulation.read_state(&mut state)?;
        if network.is_report_time(state.time_s) {
            output.write(&network, &state)?;
            timeline.push(service_point(&network, &state, threshold_m));
        }
        if !simulation.advance()? {
            break;
        }
        tracker.record(&state, simulation.time_s() - state.time_s);
    }
    let written = output.finish(args.out.as_deref(), &network)?;
    let (junctions, tanks, reservoirs, pipes, pumps, valves) = network.census();
    let report = RunReport {
        network: args.network.display().to_string(),
        junctions,
        tanks,
        reservoirs,
        pipes,
        pumps,
        valves,
        flow_units: network.units.flow_unit,
        duration_s: network.duration_s,
        engine: simulation.engine(),
        demand_model: options.demand_model,
        threshold_m,
        hydraulic_steps: steps,
        report_times: timeline.len(),
        warnings: simulation.warnings(),
        service: tracker.total(),
        timeline: &timeline,
        written,
        elapsed_ms: started.elapsed().as_secs_f64() * 1e3,
    };
    if args.json {
        print_json(&report)?;
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{}: {junctions} junctions, {tanks} tanks, {reservoirs} reservoirs, {pipes} pipes, {pumps} pumps, {valves} valves (flows in {})",
        report.network,
        report.flow_units.name()
    );
    let model = match options.demand_model {
        Some(DemandModel::PressureDriven {
            min_pressure_m,
            required_pressure_m,
            exponent,
        }) => format!(
            "pressure-driven ({min_pressure_m}–{required_pressure_m} m, exponent {exponent})"
        ),
        Some(DemandModel::DemandDriven) | None => "the file's demand model".into(),
    };
    println!(
        "{} of hydraulics, {model}: {steps} hydraulic steps, {} reporting times",
        clock(network.duration_s),
        timeline.len()
    );
    let service = &report.service;
    let lowest = timeline
        .iter()
        .map(|p| p.min_pressure_m)
        .fold(f64::INFINITY, f64::min);
    println!(
        "  water delivered {:.1} % of the {:.0} m³ required ({:.1} m³ short)",
        100.0 * service.availability,
        service.required_m3,
        service.unserved_m3
    );
    println!(
        "  lowest junction pressure {lowest:.2} m; {:.0} junction-hours below {threshold_m} m (worst junction {:.1} h)",
        service.junction_hours_below_threshold, service.worst_hours_below_threshold
    );
    if report.warnings.is_empty() {
        println!("  no EPANET warnings");
    }
    for warning in report.warnings {
        println!(
            "  warning at {}: {} (code {})",
            clock(warning.time_s),
            warning.message,
            warning.code
        );
    }
    println!("  time: {}", human(started.elapsed()));
    print_written(&report.written);
    Ok(ExitCode::SUCCESS)
}

/// The JSON document of `water outage --json` (schema: docs/json.md).
#[derive(Debug, Serialize)]
struct OutageReport<'a> {
    network: String,
    link: &'a str,
    at_s: i64,
    duration_s: Option<i64>,
    threshold_m: f64,
    engine: lifeline_water::Engine,
    demand_model: Option<DemandModel>,
    baseline: &'a LinkChangeResult,
    outage: &'a LinkChangeResult,
}

/// Runs `water outage`.
/// The link `--pump` or `--link` names, checked against the network (a pump when
/// `--pump`; `--at` within the simulation), and the network's description.
fn checked_link(
    args: &WaterOutageArgs,
    options: SimulationOptions,
    at_s: i64,
) -> Result<(&str, NetworkInfo, lifeline_water::Engine)> {
    let link = args
        .pump
        .as_deref()
        .or(args.link.as_deref())
        .context("give --pump ID or --link ID")?;
    let probe = Simulation::open(&args.network, options)?;
    let index = probe.network().link(link)?;
    if args.pump.is_some() && probe.network().link_kinds[index] != LinkKind::Pump {
        bail!(
            "{}: link '{link}' is a {:?}, not a pump; use --link to close it",
            args.network.display(),
            probe.network().link_kinds[index]
        );
    }
    let duration = probe.network().duration_s;
    if at_s > duration {
        bail!(
            "--at {}: after the end of the simulation ({})",
            args.at,
            clock(duration)
        );
    }
    Ok((link, probe.network().clone(), probe.engine()))
}

pub fn outage(args: &WaterOutageArgs) -> Result<ExitCode> {
    let (options, threshold_m) = args.model.options()?;
    let at_s = parse_clock(&args.at)?;
    let duration_s = match args.hours {
        Some(hours) if hours > 0.0 && hours.is_finite() => Some((hours * 3600.0).round() as i64),
        Some(hours) => bail!("--hours must be a positive number of hours, got {hours}"),
        None => None,
    };
    let (link, network, engine) = checked_link(args, options, at_s)?;

    let scenarios = [
        LinkChanges::baseline(),
        LinkChanges::outage(link, at_s, duration_s),
    ];
    let scenario_options = LinkChangeOptions {
        threshold_m,
        horizon_s: None,
    };
    let started = Instant::now();
    let mut results =
        run_link_changes_parallel(&args.network, options, &scenarios, &scenario_options)
            .into_iter();
    let (Some(baseline), Some(outage)) = (results.next(), results.next()) else {
        bail!("the scenarios did not run");
    };
    let (baseline, outage) = (baseline?, outage?);
    if args.json {
        print_json(&OutageReport {
            network: args.network.display().to_string(),
            link,
            at_s,
            duration_s,
            threshold_m,
            engine,
            demand_model: options.demand_model,
            baseline: &baseline,
            outage: &outage,
        })?;
        return Ok(ExitCode::SUCCESS);
    }
    let pda = matches!(
        options.demand_model,
        Some(DemandModel::PressureDriven { .. })
    );
    println!("{}: {}", args.network.display(), outage.name);
    println!(
        "junctions without service = pressure below {threshold_m} m{}",
        if pda {
            "; served = delivered / required demand"
        } else {
            " (demand-driven: EPANET delivers every demand, watch the pressures; use --pda for delivered water)"
        }
    );
    println!(
        "  {:>6} {:>9} {:>14} {:>14} {:>12} {:>11}",
        "time", "served %", "junctions out", "(normally)", "min p, m", "short L/s"
    );
    let hourly = network.report_step_s <= 0 || network.report_step_s < 3600;
    for (point, normal) in outage.timeline.iter().zip(&baseline.timeline) {
        if hourly && point.time_s % 3600 != 0 {
            continue;
        }
        let marker = if point.time_s >= at_s && duration_s.is_none_or(|d| point.time_s < at_s + d) {
            "*"
        } else {
            " "
        };
        println!(
            "{marker} {:>6} {:>9.1} {:>14} {:>14} {:>12.2} {:>11.2}",
            clock(point.time_s),
            100.0 * point.availability,
            point.junctions_below_threshold,
            normal.junctions_below_threshold,
            point.min_pressure_m,
            point.unserved_lps
        );
    }
    let extra_hours = outage.service.junction_hours_below_threshold
        - baseline.service.junction_hours_below_threshold;
    println!(
        "over the run: {:.0} junction-hours below {threshold_m} m ({:+.0} against normal operation); {:.1} m³ of water not delivered ({:+.1})",
        outage.service.junction_hours_below_threshold,
        extra_hours,
        outage.service.unserved_m3,
        outage.service.unserved_m3 - baseline.service.unserved_m3
    );
    for warning in &outage.warnings {
        println!(
            "  warning at {}: {} (code {})",
            clock(warning.time_s),
            warning.message,
            warning.code
        );
    }
    println!(
        "(* = during the outage)  time: {}",
        human(started.elapsed())
    );
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clocks() {
        assert_eq!(parse_clock("04:00").unwrap(), 14_400);
        assert_eq!(parse_clock("27:30").unwrap(), 99_000);
        assert_eq!(parse_clock("0:00:30").unwrap(), 30);
        assert!(
            parse_clock("4h").is_err()
                && parse_clock("04:75").is_err()
                && parse_clock("-1:00").is_err()
        );
    }

    #[test]
    fn pda_arguments() {
        assert_eq!(
            demand_model("0,20").unwrap(),
            DemandModel::PressureDriven {
                min_pressure_m: 0.0,
                required_pressure_m: 20.0,
                exponent: 0.5
            }
        );
        assert_eq!(
            demand_model("20").unwrap_err().to_string(),
            "--pda 20: expected MIN,REQ or MIN,REQ,EXP (pressures in m), e.g. --pda 0,20"
        );
        assert_eq!(
            demand_model("0,x").unwrap_err().to_string(),
            "--pda 0,x: the required pressure must be a number, found 'x'"
        );
    }
}
