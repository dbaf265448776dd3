//! EPANET network runs, alone or many outage scenarios in parallel.

use crate::columns::{column, float_matrix};
use crate::error::plain_error;
use lifeline_water::{
    DemandModel, Event, LinkChangeOptions, LinkChanges, Simulation, SimulationOptions, WaterError,
    run_link_changes_parallel, step_with_events,
};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::path::Path;

fn water_error(py: Python<'_>, error: &WaterError) -> PyErr {
    plain_error(py, error)
}

/// What a water run records at each report time, columns of times × names.
struct Recorded {
    times_s: Vec<i64>,
    head_m: Vec<Vec<f64>>,
    pressure_m: Vec<Vec<f64>>,
    demand_lps: Vec<Vec<f64>>,
    flow_lps: Vec<Vec<f64>>,
    warnings: Vec<String>,
}

/// Runs the network at `path` to its end with `events` applied at their times,
/// recording at its report times.
fn run_network(
    path: &Path,
    options: SimulationOptions,
    events: &[Event],
) -> Result<(Recorded, Simulation), WaterError> {
    let mut simulation = Simulation::open(path, options)?;
    let mut recorded = Recorded {
        times_s: Vec::new(),
        head_m: Vec::new(),
        pressure_m: Vec::new(),
        demand_lps: Vec::new(),
        flow_lps: Vec::new(),
        warnings: Vec::new(),
    };
    step_with_events(&mut simulation, events, None, |simulation, state, _| {
        if simulation.network().is_report_time(state.time_s) {
            recorded.times_s.push(state.time_s);
            recorded.head_m.push(state.head_m.clone());
            recorded.pressure_m.push(state.pressure_m.clone());
            recorded.demand_lps.push(state.demand_lps.clone());
            recorded.flow_lps.push(state.flow_lps.clone());
        }
    })?;
    recorded.warnings = simulation
        .warnings()
        .iter()
        .map(|w| format!("{} s: {}", w.time_s, w.message))
        .collect();
    Ok((recorded, simulation))
}

/// One outage from Python: `(link, start_s, duration_s or None for the rest of the run)`.
type OutageSpec = (String, f64, Option<f64>);

/// Outages as `(link, start_s, duration_s or None for the rest of the run)` → the link
/// changes [`LinkChanges::outage`] makes of each (closed at the start, back to normal
/// after the duration), the times checked.
fn outage_changes(py: Python<'_>, name: String, outages: &[OutageSpec]) -> PyResult<LinkChanges> {
    let seconds = |link: &str, what: &str, value: f64, least: f64| {
        if value.is_finite() && value >= least && value <= 1e8 {
            Ok(value.round() as i64)
        } else {
            Err(plain_error(
                py,
                format!("outage of '{link}': {what} must be from {least} to 1e8 s, got {value}"),
            ))
        }
    };
    let mut events = Vec::new();
    for (link, start_s, duration_s) in outages {
        let at_s = seconds(link, "start_s", *start_s, 0.0)?;
        let duration = match duration_s {
            Some(d) => Some(seconds(link, "duration_s", *d, 1.0)?),
            None => None,
        };
        events.extend(LinkChanges::outage(link, at_s, duration).events);
    }
    events.sort_by_key(|e| e.at_s);
    Ok(LinkChanges { name, events })
}

/// The demand model of `pda = (min m, required m, exponent)`; the engine checks it
/// when the network is opened.
fn demand_model(pda: Option<(f64, f64, f64)>) -> Option<DemandModel> {
    pda.map(|(min, required, exponent)| DemandModel::PressureDriven {
        min_pressure_m: min,
        required_pressure_m: required,
        exponent,
    })
}

/// One extended-period run of an EPANET network (.inp at `path`) with EPANET 2.3,
/// demand-driven or, with `pda = (min_pressure_m, required_pressure_m, exponent)`,
/// pressure-driven; `outages` closes links at their start for their duration (held
/// against the network's controls), then restores them. Returns `{times_s, nodes, links, node_kinds, link_kinds, head_m,
/// pressure_m, demand_lps, flow_lps, warnings}`: each result a list per report time of
/// a value per node (or link), SI units (m, L/s).
#[pyfunction]
#[pyo3(signature = (path, pda = None, outages = None))]
pub(crate) fn water_run<'py>(
    py: Python<'py>,
    path: &str,
    pda: Option<(f64, f64, f64)>,
    outages: Option<Vec<OutageSpec>>,
) -> PyResult<Bound<'py, PyDict>> {
    let options = SimulationOptions {
        demand_model: demand_model(pda),
        ..Default::default()
    };
    let changes = outage_changes(py, String::new(), &outages.unwrap_or_default())?;
    let path = Path::new(path);
    let (recorded, simulation) = py
        .detach(|| run_network(path, options, &changes.events))
        .map_err(|e| water_error(py, &e))?;
    let network = simulation.network();
    let out = PyDict::new(py);
    out.set_item("times_s", recorded.times_s)?;
    out.set_item("nodes", network.node_ids.clone())?;
    out.set_item("links", network.link_ids.clone())?;
    let node_kinds: Vec<String> = network
        .node_kinds
        .iter()
        .map(|k| format!("{k:?}").to_lowercase())
        .collect();
    let link_kinds: Vec<String> = network
        .link_kinds
        .iter()
        .map(|k| format!("{k:?}").to_lowercase())
        .collect();
    out.set_item("node_kinds", node_kinds)?;
    out.set_item("link_kinds", link_kinds)?;
    out.set_item("head_m", float_matrix(py, &recorded.head_m))?;
    out.set_item("pressure_m", float_matrix(py, &recorded.pressure_m))?;
    out.set_item("demand_lps", float_matrix(py, &recorded.demand_lps))?;
    out.set_item("flow_lps", float_matrix(py, &recorded.flow_lps))?;
    out.set_item("warnings", recorded.warnings)?;
    Ok(out)
}

/// Many outage scenarios of one network in parallel on every core (one EPANET project
/// per worker, reset between scenarios): each scenario a name and its outages as in
/// `water_run`. Returns, per scenario in order, `{name, junctions, required_m3,
/// delivered_m3, unserved_m3, availability, junction_hours_below_threshold,
/// worst_hours_below_threshold}`, a junction counting as below when its pressure is
/// under `threshold_m`.
#[pyfunction]
#[pyo3(signature = (path, scenarios, pda = None, threshold_m = 10.0))]
pub(crate) fn water_outages<'py>(
    py: Python<'py>,
    path: &str,
    scenarios: Vec<(String, Vec<OutageSpec>)>,
    pda: Option<(f64, f64, f64)>,
    threshold_m: f64,
) -> PyResult<Bound<'py, PyDict>> {
    if !threshold_m.is_finite() {
        return Err(plain_error(
            py,
            format!("threshold_m must be a number of m, got {threshold_m}"),
        ));
    }
    let options = SimulationOptions {
        demand_model: demand_model(pda),
        ..Default::default()
    };
    let mut sets = Vec::with_capacity(scenarios.len());
    for (name, outages) in &scenarios {
        sets.push(outage_changes(py, name.clone(), outages)?);
    }
    let change_options = LinkChangeOptions {
        threshold_m,
        ..LinkChangeOptions::default()
    };
    let path = Path::new(path);
    let results = py.detach(|| run_link_changes_parallel(path, options, &sets, &change_options));
    let mut services = Vec::with_capacity(results.len());
    for (result, set) in results.into_iter().zip(&sets) {
        let result =
            result.map_err(|e| plain_error(py, format!("scenario '{}': {e}", set.name)))?;
        services.push((result.name, result.service));
    }
    let d = PyDict::new(py);
    column(&d, "name", &services, |(n, _)| n.clone())?;
    column(&d, "junctions", &services, |(_, s)| s.junctions)?;
    column(&d, "required_m3", &services, |(_, s)| s.required_m3)?;
    column(&d, "delivered_m3", &services, |(_, s)| s.delivered_m3)?;
    column(&d, "unserved_m3", &services, |(_, s)| s.unserved_m3)?;
    column(&d, "availability", &services, |(_, s)| s.availability)?;
    column(&d, "junction_hours_below_threshold", &services, |(_, s)| {
        s.junction_hours_below_threshold
    })?;
    column(&d, "worst_hours_below_threshold", &services, |(_, s)| {
        s.worst_hours_below_threshold
    })?;
    Ok(d)
}
