//! Power flows and the N-1 analysis of MATPOWER cases.

use crate::columns::{column, float_column, int_column};
use crate::error::{plain_error, read_error};
use lifeline_core::AssetId;
use lifeline_power::contingency::{Contingency, ContingencyOptions, run_n1};
use lifeline_power::flow::{BranchDcFlow, BranchFlow, BusAngle, BusFlow};
use lifeline_power::matpower::{ReadCase, parse_case, read_case};
use lifeline_power::{AcOptions, Grid, GridOptions, Init, Outages, run_ac, run_dc};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::path::Path;

/// A case from a path, or from MATPOWER text when `is_text`, read without the GIL.
fn load_case(py: Python<'_>, case: &str, is_text: bool) -> PyResult<ReadCase> {
    py.detach(|| {
        if is_text {
            parse_case(case, "<text>", "case")
        } else {
            read_case(Path::new(case))
        }
    })
    .map_err(|e| read_error(py, &e))
}

fn ac_bus_columns<'py>(py: Python<'py>, buses: &[BusFlow]) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    int_column(&d, "bus_id", buses, |b| i64::from(b.bus_id))?;
    int_column(&d, "type", buses, |b| i64::from(b.kind))?;
    float_column(&d, "vm_pu", buses, |b| b.vm_pu)?;
    float_column(&d, "va_deg", buses, |b| b.va_deg)?;
    float_column(&d, "p_mw", buses, |b| b.p_mw)?;
    float_column(&d, "q_mvar", buses, |b| b.q_mvar)?;
    Ok(d)
}

fn ac_branch_columns<'py>(
    py: Python<'py>,
    branches: &[BranchFlow],
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    int_column(&d, "index", branches, |b| b.index as i64)?;
    int_column(&d, "from_bus", branches, |b| i64::from(b.from_bus))?;
    int_column(&d, "to_bus", branches, |b| i64::from(b.to_bus))?;
    int_column(&d, "status", branches, |b| i64::from(b.status))?;
    float_column(&d, "p_from_mw", branches, |b| b.p_from_mw)?;
    float_column(&d, "q_from_mvar", branches, |b| b.q_from_mvar)?;
    float_column(&d, "p_to_mw", branches, |b| b.p_to_mw)?;
    float_column(&d, "q_to_mvar", branches, |b| b.q_to_mvar)?;
    Ok(d)
}

fn dc_bus_columns<'py>(py: Python<'py>, buses: &[BusAngle]) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    int_column(&d, "bus_id", buses, |b| i64::from(b.bus_id))?;
    float_column(&d, "va_deg", buses, |b| b.va_deg)?;
    Ok(d)
}

fn dc_branch_columns<'py>(
    py: Python<'py>,
    branches: &[BranchDcFlow],
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    int_column(&d, "index", branches, |b| b.index as i64)?;
    int_column(&d, "from_bus", branches, |b| i64::from(b.from_bus))?;
    int_column(&d, "to_bus", branches, |b| i64::from(b.to_bus))?;
    int_column(&d, "status", branches, |b| i64::from(b.status))?;
    float_column(&d, "p_mw", branches, |b| b.p_mw)?;
    Ok(d)
}

/// Outages from asset names (`bus:12`, `branch:7`, `gen:3`, 1-based rows).
fn parse_outages(py: Python<'_>, specs: &[String]) -> PyResult<Outages> {
    let mut assets = Vec::with_capacity(specs.len());
    for spec in specs {
        let asset: AssetId = spec
            .parse()
            .map_err(|e| plain_error(py, format!("outage '{spec}': {e}")))?;
        Outages::from_assets([&asset])
            .map_err(|e| plain_error(py, format!("outage '{spec}': {e}")))?;
        assets.push(asset);
    }
    Outages::from_assets(&assets).map_err(|e| plain_error(py, e))
}

/// The AC power flow of `case` with `outages` taken out: each island solved on its own
/// with its own slack, load shed where generation falls short, dark islands reported.
fn flow_under_outages<'py>(
    py: Python<'py>,
    out: Bound<'py, PyDict>,
    case: lifeline_power::Case,
    outages: &Outages,
    ac: AcOptions,
    read_ms: f64,
) -> PyResult<Bound<'py, PyDict>> {
    let solving = std::time::Instant::now();
    let options = GridOptions {
        ac,
        ..GridOptions::default()
    };
    let state = py
        .detach(|| {
            let grid = Grid::new(case)?;
            let mut solver = grid.solver();
            grid.solve(outages, &options, &mut solver, None)
        })
        .map_err(|e| plain_error(py, e))?;
    out.set_item(
        "timing_ms",
        (read_ms, solving.elapsed().as_secs_f64() * 1e3),
    )?;
    out.set_item("mode", "ac")?;
    let status = if state.converged() {
        "converged"
    } else {
        match state
            .islands
            .iter()
            .filter_map(|island| island.status)
            .find(|status| !status.converged())
        {
            Some(lifeline_power::SolveStatus::Diverged) => "diverged",
            _ => "iteration_limit",
        }
    };
    out.set_item("status", status)?;
    out.set_item("iterations", state.iterations)?;
    out.set_item("max_mismatch_pu", state.max_mismatch_pu())?;
    out.set_item("shed_mw", state.shed_mw())?;
    out.set_item("dark_load_mw", state.dark_load_mw())?;
    out.set_item("islands", state.islands.len())?;
    out.set_item("bus", ac_bus_columns(py, &state.buses)?)?;
    out.set_item("branch", ac_branch_columns(py, &state.branches)?)?;
    let loads = state.loads();
    let d = PyDict::new(py);
    column(&d, "bus_id", &loads, |l| l.bus_id)?;
    column(&d, "load_mw", &loads, |l| l.load_mw)?;
    column(&d, "shed_mw", &loads, |l| l.shed_mw)?;
    column(&d, "served_mw", &loads, |l| l.served_mw)?;
    column(&d, "energised", &loads, |l| l.energised)?;
    out.set_item("load", d)?;
    Ok(out)
}

/// Newton–Raphson options, checked.
fn ac_options(
    py: Python<'_>,
    init: &str,
    max_iterations: usize,
    tolerance_pu: f64,
    enforce_q_limits: bool,
) -> PyResult<AcOptions> {
    let init = match init {
        "flat" => Init::Flat,
        "case" => Init::Case,
        other => {
            return Err(plain_error(
                py,
                format!("init must be 'flat' or 'case', got '{other}'"),
            ));
        }
    };
    if !(tolerance_pu.is_finite() && tolerance_pu > 0.0 && tolerance_pu < 1.0) {
        return Err(plain_error(
            py,
            format!("tolerance_pu must be above 0 and below 1 p.u., got {tolerance_pu}"),
        ));
    }
    if !(1..=1000).contains(&max_iterations) {
        return Err(plain_error(
            py,
            format!("max_iterations must be from 1 to 1000, got {max_iterations}"),
        ));
    }
    Ok(AcOptions {
        tolerance_pu,
        max_iterations,
        init,
        enforce_q_limits,
    })
}

/// One power flow of a MATPOWER case (a path, or the case's text when `is_text`): AC
/// (Newton–Raphson from `init`, "flat" or "case") or DC. Returns `{mode, status,
/// iterations, max_mismatch_pu, warnings, timing_ms: (read, solve), transformer: [bool
/// per branch], bus: {column: [...]}, branch: {...}}` with the CLI's CSV columns (p.u., degrees, MW, MVAr;
/// injections positive).
#[pyfunction]
#[pyo3(signature = (case, is_text = false, dc = false, init = "flat", max_iterations = 10, tolerance_pu = 1e-8, enforce_q_limits = false, outages = None))]
#[allow(clippy::too_many_arguments, clippy::fn_params_excessive_bools)]
pub(crate) fn power_flow<'py>(
    py: Python<'py>,
    case: &str,
    is_text: bool,
    dc: bool,
    init: &str,
    max_iterations: usize,
    tolerance_pu: f64,
    enforce_q_limits: bool,
    outages: Option<Vec<String>>,
) -> PyResult<Bound<'py, PyDict>> {
    let options = ac_options(py, init, max_iterations, tolerance_pu, enforce_q_limits)?;
    let outages = match outages {
        Some(specs) if !specs.is_empty() => {
            if dc {
                return Err(plain_error(
                    py,
                    "outages need the AC power flow: islands are balanced with losses and voltages",
                ));
            }
            Some(parse_outages(py, &specs)?)
        }
        _ => None,
    };
    let started = std::time::Instant::now();
    let read = load_case(py, case, is_text)?;
    let read_ms = started.elapsed().as_secs_f64() * 1e3;
    let out = PyDict::new(py);
    let warnings: Vec<String> = read.warnings.iter().map(ToString::to_string).collect();
    out.set_item("warnings", warnings)?;
    out.set_item("case", read.case.name.clone())?;
    let transformer: Vec<bool> = read
        .case
        .branches
        .iter()
        .map(lifeline_power::Branch::is_transformer)
        .collect();
    out.set_item("transformer", transformer)?;
    if let Some(outages) = outages {
        return flow_under_outages(py, out, read.case, &outages, options, read_ms);
    }
    if dc {
        let solving = std::time::Instant::now();
        let flow = py
            .detach(|| run_dc(&read.case))
            .map_err(|e| plain_error(py, e))?;
        out.set_item(
            "timing_ms",
            (read_ms, solving.elapsed().as_secs_f64() * 1e3),
        )?;
        out.set_item("mode", "dc")?;
        out.set_item("status", "converged")?;
        out.set_item("iterations", 1)?;
        out.set_item("max_mismatch_pu", 0.0)?;
        out.set_item("bus", dc_bus_columns(py, &flow.buses)?)?;
        out.set_item("branch", dc_branch_columns(py, &flow.branches)?)?;
        return Ok(out);
    }
    let solving = std::time::Instant::now();
    let flow = py
        .detach(|| run_ac(&read.case, &options))
        .map_err(|e| plain_error(py, e))?;
    out.set_item(
        "timing_ms",
        (read_ms, solving.elapsed().as_secs_f64() * 1e3),
    )?;
    out.set_item("mode", "ac")?;
    out.set_item(
        "status",
        match flow.status {
            lifeline_power::SolveStatus::Converged => "converged",
            lifeline_power::SolveStatus::Diverged => "diverged",
            lifeline_power::SolveStatus::MaxIterations => "iteration_limit",
        },
    )?;
    out.set_item("iterations", flow.iterations)?;
    out.set_item("max_mismatch_pu", flow.max_mismatch_pu)?;
    out.set_item("q_limited_buses", flow.q_limited_buses.clone())?;
    out.set_item("bus", ac_bus_columns(py, &flow.buses)?)?;
    out.set_item("branch", ac_branch_columns(py, &flow.branches)?)?;
    Ok(out)
}

/// The N-1 analysis of a MATPOWER case (a path, or its text when `is_text`) on every
/// core: each in-service branch (`branches`) and generator (`generators`) taken out in
/// turn, islands balanced, load shed where generation falls short. Returns `{base:
/// {status, iterations, max_loading_percent, dark_islands}, results: {column: [...]}}`
/// with the CLI's CSV columns (None where a value does not exist).
#[pyfunction]
#[pyo3(signature = (case, is_text = false, branches = true, generators = true, voltage_band_pu = (0.9, 1.1), max_iterations = 10, tolerance_pu = 1e-8))]
#[allow(clippy::too_many_arguments, clippy::fn_params_excessive_bools)]
pub(crate) fn n1<'py>(
    py: Python<'py>,
    case: &str,
    is_text: bool,
    branches: bool,
    generators: bool,
    voltage_band_pu: (f64, f64),
    max_iterations: usize,
    tolerance_pu: f64,
) -> PyResult<Bound<'py, PyDict>> {
    if !branches && !generators {
        return Err(plain_error(
            py,
            "branches=False and generators=False together leave nothing to analyse",
        ));
    }
    let (low, high) = voltage_band_pu;
    if !(low.is_finite() && high.is_finite() && 0.0 < low && low < high && high < 2.0) {
        return Err(plain_error(
            py,
            format!(
                "voltage_band_pu must be (low, high) with 0 < low < high < 2 p.u., got ({low}, {high})"
            ),
        ));
    }
    let ac = ac_options(py, "flat", max_iterations, tolerance_pu, false)?;
    let read = load_case(py, case, is_text)?;
    let name = read.case.name.clone();
    let mut options = ContingencyOptions {
        branches,
        generators,
        voltage_band_pu,
        ..ContingencyOptions::default()
    };
    options.grid.ac = ac;
    let report = py
        .detach(|| {
            let grid = Grid::new(read.case)?;
            run_n1(&grid, &options, &|_| {})
        })
        .map_err(|e| plain_error(py, e))?;
    let rows = &report.results;
    let d = PyDict::new(py);
    column(&d, "element", rows, |r| match r.contingency {
        Contingency::Branch(_) => "branch",
        Contingency::Generator(_) => "generator",
    })?;
    column(&d, "index", rows, |r| match r.contingency {
        Contingency::Branch(i) | Contingency::Generator(i) => i,
    })?;
    column(&d, "converged", rows, |r| r.converged)?;
    column(&d, "error", rows, |r| r.error.clone())?;
    column(&d, "iterations", rows, |r| r.iterations)?;
    column(&d, "islands", rows, |r| r.islands)?;
    column(&d, "shed_mw", rows, |r| r.shed_mw)?;
    column(&d, "dark_load_mw", rows, |r| r.dark_load_mw)?;
    column(&d, "max_loading_percent", rows, |r| r.max_loading_percent)?;
    column(&d, "max_loading_branch", rows, |r| r.max_loading_branch)?;
    column(&d, "voltage_violations", rows, |r| r.voltage_violations)?;
    column(&d, "min_vm_pu", rows, |r| r.min_vm_pu)?;
    column(&d, "max_vm_pu", rows, |r| r.max_vm_pu)?;
    let base = PyDict::new(py);
    base.set_item("converged", report.base.status.converged())?;
    base.set_item("iterations", report.base.iterations)?;
    base.set_item("max_loading_percent", report.base.max_loading_percent)?;
    base.set_item("dark_islands", report.base.dark_islands.clone())?;
    let out = PyDict::new(py);
    out.set_item("case", name)?;
    out.set_item("base", base)?;
    out.set_item("results", d)?;
    Ok(out)
}
