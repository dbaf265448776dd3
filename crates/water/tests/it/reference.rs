//! Every shared reference network against EPANET 2.3.05's own results, at every reported
//! time: heads and pressures within 1e-3 m, demands within 1e-3 L/s, flows within 1e-3 L/s
//! or 1e-5 relative, link status exactly; each plus half a unit in the reference's 7th
//! significant digit.

use crate::support::{locate, read_gz_csv};
use lifeline_water::{DemandModel, HydraulicState, Simulation, SimulationOptions};
use std::collections::HashMap;

const HEAD_TOL_M: f64 = 1e-3;
const FLOW_TOL_LPS: f64 = 1e-3;
const FLOW_TOL_RELATIVE: f64 = 1e-5;

fn allowance(tolerance: f64, reference: f64) -> f64 {
    tolerance + 5e-7 * reference.abs()
}

fn number(text: &str) -> f64 {
    text.parse()
        .unwrap_or_else(|_| panic!("not a number: {text}"))
}

/// Runs `name` and compares it with its reference files; returns the warnings' codes.
fn check(name: &str, options: SimulationOptions) -> Option<Vec<i32>> {
    let dir = locate(name)?;
    let base = name.trim_end_matches(".pda");
    let mut simulation = Simulation::open(&dir.join(format!("{base}.inp")), options).unwrap();
    let mut nodes: HashMap<(i64, String), (f64, f64, f64)> = HashMap::new();
    let mut links: HashMap<(i64, String), (f64, bool)> = HashMap::new();
    let mut state = HydraulicState::default();
    loop {
        let time = simulation.solve().unwrap();
        if simulation.network().is_report_time(time) {
            simulation.read_state(&mut state).unwrap();
            let network = simulation.network();
            for (i, id) in network.node_ids.iter().enumerate() {
                nodes.insert(
                    (time, id.clone()),
                    (state.head_m[i], state.pressure_m[i], state.demand_lps[i]),
                );
            }
            for (i, id) in network.link_ids.iter().enumerate() {
                links.insert((time, id.clone()), (state.flow_lps[i], state.link_open[i]));
            }
        }
        if !simulation.advance().unwrap() {
            break;
        }
    }

    let heads = read_gz_csv(&dir.join(format!("{name}.heads.csv.gz")));
    let (mut worst_head, mut worst_demand) = (0.0f64, 0.0f64);
    for row in &heads {
        let key = (number(&row[0]) as i64, row[1].clone());
        let (head, pressure, demand) = *nodes
            .get(&key)
            .unwrap_or_else(|| panic!("{name}: no result for node {} at {} s", key.1, key.0));
        for (what, ours, reference, tolerance) in [
            ("head", head, number(&row[2]), HEAD_TOL_M),
            ("pressure", pressure, number(&row[3]), HEAD_TOL_M),
            ("demand", demand, number(&row[4]), FLOW_TOL_LPS),
        ] {
            let difference = (ours - reference).abs();
            assert!(
                difference <= allowance(tolerance, reference),
                "{name}: {what} of node {} at {} s: ours {ours}, EPANET {reference}",
                key.1,
                key.0
            );
            if what == "demand" {
                worst_demand = worst_demand.max(difference);
            } else {
                worst_head = worst_head.max(difference);
            }
        }
    }
    let flows = read_gz_csv(&dir.join(format!("{name}.flows.csv.gz")));
    let mut worst_flow = 0.0f64;
    for row in &flows {
        let key = (number(&row[0]) as i64, row[1].clone());
        let (flow, open) = *links
            .get(&key)
            .unwrap_or_else(|| panic!("{name}: no result for link {} at {} s", key.1, key.0));
        let reference = number(&row[2]);
        let difference = (flow - reference).abs();
        let tolerance = FLOW_TOL_LPS.max(FLOW_TOL_RELATIVE * reference.abs());
        assert!(
            difference <= allowance(tolerance, reference),
            "{name}: flow of link {} at {} s: ours {flow}, EPANET {reference}",
            key.1,
            key.0
        );
        assert_eq!(
            open,
            row[3] == "1",
            "{name}: status of link {} at {} s",
            key.1,
            key.0
        );
        worst_flow = worst_flow.max(difference);
    }
    eprintln!(
        "{name}: {} node-times, {} link-times; max |dH| {worst_head:.1e} m, |dDemand| {worst_demand:.1e} L/s, |dQ| {worst_flow:.1e} L/s",
        heads.len(),
        flows.len()
    );
    Some(simulation.warnings().iter().map(|w| w.code).collect())
}

fn pda(required_pressure_m: f64) -> SimulationOptions {
    SimulationOptions {
        demand_model: Some(DemandModel::PressureDriven {
            min_pressure_m: 0.0,
            required_pressure_m,
            exponent: 0.5,
        }),
        ..Default::default()
    }
}

#[test]
fn net1() {
    check("Net1", SimulationOptions::default());
}

#[test]
fn net3() {
    check("Net3", SimulationOptions::default());
}

#[test]
fn net3_pressure_driven() {
    check("Net3.pda", pda(40.0));
}

#[test]
fn l_town() {
    check("L-TOWN", SimulationOptions::default());
}

#[test]
fn ky10() {
    check("ky10", SimulationOptions::default());
}

#[test]
fn exnet_3_with_its_negative_pressure_warning() {
    if let Some(warnings) = check("exnet-3", SimulationOptions::default()) {
        assert_eq!(
            warnings,
            vec![6],
            "EPANET warns of negative pressures and goes on"
        );
    }
}

#[test]
fn net6_runs_through_its_pump_warnings() {
    if let Some(warnings) = check("Net6", SimulationOptions::default()) {
        assert!(
            warnings.len() >= 2 && warnings.iter().all(|&code| code == 4),
            "{warnings:?}"
        );
    }
}

#[test]
fn net6_pressure_driven() {
    check("Net6.pda", pda(20.0));
}

#[test]
fn bwsn_network_2() {
    check("BWSN_Network_2", SimulationOptions::default());
}
