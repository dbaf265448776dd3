//! The native engine behind the same `Simulation` as EPANET's: every step of a run, with
//! links closed, opened and slowed between steps, stops of the caller's own, pressure-
//! driven demand and a shortened duration, gives EPANET's times and states (heads within
//! 1e-4 m, flows and demands within 1e-3 L/s, the same links open) and EPANET's warning
//! codes.

use crate::support::data_dir;
use lifeline_water::{
    DemandModel, Engine, HydraulicState, LinkChange, Simulation, SimulationOptions,
};

const HEAD_TOL_M: f64 = 1e-4;
const FLOW_TOL_LPS: f64 = 1e-3;

/// A change applied just before the solve at a time.
type Plan<'a> = &'a [(i64, &'a str, LinkChange)];

/// Every solved state of a run under `engine`, with the warnings' codes.
fn run(
    name: &str,
    engine: Engine,
    options: SimulationOptions,
    plan: Plan,
) -> (Vec<HydraulicState>, Vec<i32>) {
    let path = data_dir().join(format!("{name}.inp"));
    let mut simulation = Simulation::open(&path, SimulationOptions { engine, ..options }).unwrap();
    for (time, _, _) in plan {
        simulation.stop_at(*time);
    }
    let mut states = Vec::new();
    loop {
        let now = simulation.time_s();
        for (_, link, change) in plan.iter().filter(|(t, _, _)| *t == now) {
            simulation.change_link(link, *change).unwrap();
        }
        simulation.solve().unwrap();
        states.push(simulation.state().unwrap());
        if !simulation.advance().unwrap() {
            break;
        }
    }
    let codes = simulation.warnings().iter().map(|w| w.code).collect();
    (states, codes)
}

fn assert_same(name: &str, options: SimulationOptions, plan: Plan) {
    let (epanet, epanet_codes) = run(name, Engine::Epanet, options, plan);
    let (native, native_codes) = run(name, Engine::Native, options, plan);
    let times = |states: &[HydraulicState]| states.iter().map(|s| s.time_s).collect::<Vec<_>>();
    assert_eq!(times(&native), times(&epanet), "{name}: the steps differ");
    for (ours, theirs) in native.iter().zip(&epanet) {
        let at = ours.time_s;
        for i in 0..theirs.head_m.len() {
            assert!(
                (ours.head_m[i] - theirs.head_m[i]).abs() <= HEAD_TOL_M,
                "{name} at {at} s: head of node {i}: {} against {}",
                ours.head_m[i],
                theirs.head_m[i]
            );
            assert!(
                (ours.demand_lps[i] - theirs.demand_lps[i]).abs() <= FLOW_TOL_LPS,
                "{name} at {at} s: demand of node {i}"
            );
            assert!(
                (ours.required_demand_lps[i] - theirs.required_demand_lps[i]).abs() <= FLOW_TOL_LPS,
                "{name} at {at} s: required demand of node {i}"
            );
            assert!(
                (ours.tank_volume_m3[i] - theirs.tank_volume_m3[i]).abs() <= 1e-3,
                "{name} at {at} s: tank volume of node {i}"
            );
        }
        for k in 0..theirs.flow_lps.len() {
            assert!(
                (ours.flow_lps[k] - theirs.flow_lps[k]).abs() <= FLOW_TOL_LPS,
                "{name} at {at} s: flow of link {k}: {} against {}",
                ours.flow_lps[k],
                theirs.flow_lps[k]
            );
            assert_eq!(
                ours.link_open[k], theirs.link_open[k],
                "{name} at {at} s: status of link {k}"
            );
        }
    }
    assert_eq!(native_codes, epanet_codes, "{name}: warnings differ");
}

#[test]
fn a_plain_run_is_epanets() {
    assert_same("Net1", SimulationOptions::default(), &[]);
    assert_same("Net3", SimulationOptions::default(), &[]);
}

#[test]
fn outages_between_steps_are_epanets() {
    // Net3's pump 335 fails at 05:30 and comes back at 11:30; pipe 101 is closed for
    // the day from 02:00; pump 10 is slowed to 80 % at 07:15.
    let plan = [
        (2 * 3600, "101", LinkChange::Close),
        (5 * 3600 + 1800, "335", LinkChange::Close),
        (7 * 3600 + 900, "10", LinkChange::Speed(0.8)),
        (11 * 3600 + 1800, "335", LinkChange::Restore),
    ];
    assert_same("Net3", SimulationOptions::default(), &plan);
    // Net1's pump is held open against its tank controls, then given back.
    let plan = [
        (3600, "9", LinkChange::Open),
        (9 * 3600, "9", LinkChange::Restore),
    ];
    assert_same("Net1", SimulationOptions::default(), &plan);
}

#[test]
fn pressure_driven_demand_and_a_shorter_day_are_epanets() {
    let options = SimulationOptions {
        demand_model: Some(DemandModel::PressureDriven {
            min_pressure_m: 5.0,
            required_pressure_m: 35.0,
            exponent: 0.5,
        }),
        duration_s: Some(12 * 3600),
        continue_unbalanced: true,
        ..Default::default()
    };
    let plan = [
        (3 * 3600, "335", LinkChange::Close),
        (4 * 3600, "10", LinkChange::Close),
    ];
    assert_same("Net3", options, &plan);
}

#[test]
fn a_reset_run_is_epanets_again() {
    let path = data_dir().join("Net3.inp");
    for engine in [Engine::Epanet, Engine::Native] {
        let options = SimulationOptions {
            engine,
            ..Default::default()
        };
        let mut simulation = Simulation::open(&path, options).unwrap();
        simulation.change_link("335", LinkChange::Close).unwrap();
        simulation.solve().unwrap();
        let closed = simulation.state().unwrap();
        simulation.reset().unwrap();
        simulation.solve().unwrap();
        let again = simulation.state().unwrap();
        assert_ne!(
            closed.flow_lps, again.flow_lps,
            "{engine:?}: the reset gave the pump back"
        );
    }
}
