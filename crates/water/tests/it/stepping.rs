//! Stepping through time: stops of our own, links closed and restored between steps, the
//! network's controls and rules held off while a link is out.

use crate::support::{data_dir, write_network};
use crate::tank_drain::TANK_NETWORK;
use lifeline_water::{HydraulicState, LinkChange, Simulation, SimulationOptions};

/// Runs to the end, calling `before_solve` at each clock time, and returns the states.
fn run(
    simulation: &mut Simulation,
    mut before_solve: impl FnMut(&mut Simulation),
) -> Vec<HydraulicState> {
    let mut states = Vec::new();
    loop {
        before_solve(simulation);
        simulation.solve().unwrap();
        states.push(simulation.state().unwrap());
        if !simulation.advance().unwrap() {
            return states;
        }
    }
}

fn net1() -> Simulation {
    Simulation::open(&data_dir().join("Net1.inp"), SimulationOptions::default()).unwrap()
}

#[test]
fn stops_between_hydraulic_steps() {
    let mut simulation = net1();
    simulation.stop_at(5 * 3600 + 1800);
    let states = run(&mut simulation, |_| {});
    let times: Vec<i64> = states.iter().map(|s| s.time_s).collect();
    assert!(times.contains(&19_800), "{times:?}");
    assert!(times.contains(&18_000) && times.contains(&21_600));
    assert_eq!(*times.last().unwrap(), 24 * 3600);
}

#[test]
fn a_closed_pump_stays_closed_despite_the_tank_controls() {
    let pump = net1().network().link("9").unwrap();
    let baseline = run(&mut net1(), |_| {});
    // Net1's pump 9 runs, stops on a high tank level at 12:32:34 and restarts on a low
    // level at 22:41:30.
    assert!(
        baseline
            .iter()
            .any(|s| s.time_s > 80_000 && s.link_open[pump])
    );

    let mut simulation = net1();
    let outage = run(&mut simulation, |simulation| {
        if simulation.time_s() == 0 {
            simulation.change_link("9", LinkChange::Close).unwrap();
        }
    });
    for state in &outage {
        assert!(!state.link_open[pump], "pump open at {} s", state.time_s);
        assert_eq!(state.flow_lps[pump], 0.0);
    }
}

#[test]
fn a_restored_pump_follows_its_controls_again() {
    let mut simulation = net1();
    simulation.stop_at(2 * 3600);
    simulation.stop_at(6 * 3600);
    let pump = simulation.network().link("9").unwrap();
    let states = run(&mut simulation, |simulation| match simulation.time_s() {
        7200 => simulation.change_link("9", LinkChange::Close).unwrap(),
        21_600 => simulation.change_link("9", LinkChange::Restore).unwrap(),
        _ => {}
    });
    let at = |t: i64| states.iter().find(|s| s.time_s == t).unwrap();
    assert!(at(3600).link_open[pump], "running before the outage");
    assert!(!at(3 * 3600).link_open[pump], "out from 02:00");
    assert!(
        at(7 * 3600).link_open[pump],
        "back at 06:00, in its earlier (open) status"
    );
}

#[test]
fn a_rule_cannot_reopen_a_pump_that_is_out() {
    // The rule opens the pump from 02:00; the outage holds it closed all day.
    let text = TANK_NETWORK.replace(
        "[END]",
        "[RULES]\nRULE 1\nIF SYSTEM TIME >= 2\nTHEN PUMP PU STATUS IS OPEN\n[END]",
    );
    let (_dir, path) = write_network("rules.inp", &text);
    let mut simulation = Simulation::open(&path, SimulationOptions::default()).unwrap();
    let pump = simulation.network().link("PU").unwrap();
    let states = run(&mut simulation, |simulation| {
        if simulation.time_s() == 0 {
            simulation.change_link("PU", LinkChange::Close).unwrap();
        }
    });
    assert!(states.iter().all(|s| !s.link_open[pump]));
    // And the rule is in force again once the pump is restored.
    simulation.reset().unwrap();
    let states = run(&mut simulation, |simulation| {
        if simulation.time_s() == 0 {
            simulation.change_link("PU", LinkChange::Close).unwrap();
            simulation.change_link("PU", LinkChange::Restore).unwrap();
        }
    });
    assert!(states.iter().any(|s| s.time_s >= 7200 && s.link_open[pump]));
}

#[test]
fn pump_speed_changes_the_flow() {
    let flow_at_noon = |speed: Option<f64>| {
        let mut simulation = net1();
        let pump = simulation.network().link("9").unwrap();
        let states = run(&mut simulation, |simulation| {
            if let (0, Some(speed)) = (simulation.time_s(), speed) {
                simulation
                    .change_link("9", LinkChange::Speed(speed))
                    .unwrap();
            }
        });
        states.iter().find(|s| s.time_s == 3600).unwrap().flow_lps[pump]
    };
    let nominal = flow_at_noon(None);
    let slower = flow_at_noon(Some(0.8));
    assert!(
        slower < nominal * 0.95 && slower > 0.0,
        "{slower} vs {nominal}"
    );
}

#[test]
fn a_closed_pipe_carries_nothing() {
    let mut simulation = net1();
    let pipe = simulation.network().link("12").unwrap();
    let states = run(&mut simulation, |simulation| {
        if simulation.time_s() == 0 {
            simulation.change_link("12", LinkChange::Close).unwrap();
        }
    });
    assert!(
        states
            .iter()
            .all(|s| s.flow_lps[pipe] == 0.0 && !s.link_open[pipe])
    );
}

#[test]
fn si_units_whatever_the_file() {
    // Net1 is in GPM and feet: node 10's elevation is 710 ft.
    let simulation = net1();
    let network = simulation.network();
    let node = network.node("10").unwrap();
    assert!((network.elevation_m[node] - 710.0 * 0.3048).abs() < 1e-9);
    assert_eq!(network.duration_s, 24 * 3600);
}
