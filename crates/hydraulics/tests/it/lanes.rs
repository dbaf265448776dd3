//! Runs solved in lock-step (their trials' linear solves made together, four to a
//! factorisation, their systems copied into its lanes or assembled there) get, bit for
//! bit, what each gets alone.

use crate::support::data_dir;
use lifeline_hydraulics::inp::read_network;
use lifeline_hydraulics::model::{DemandModel, LinkKind};
use lifeline_hydraulics::{NodalSystem, Simulation};
use std::sync::Arc;

/// One evaluation of a run: time, s, trials, heads and flows as bits, statuses.
type Step = (i64, u32, Vec<u64>, Vec<u64>, String);

fn step(sim: &Simulation, time: i64) -> Step {
    let st = sim.state();
    (
        time,
        sim.last_solution().map_or(0, |o| o.iterations),
        st.head.iter().map(|h| h.to_bits()).collect(),
        st.flow.iter().map(|q| q.to_bits()).collect(),
        format!("{:?}", st.status),
    )
}

/// Each run alone, to the end.
fn alone(mut sim: Simulation) -> Vec<Step> {
    let mut steps = Vec::new();
    loop {
        let time = sim.solve().expect("a run alone solves");
        steps.push(step(&sim, time));
        if sim.advance() == 0 {
            return steps;
        }
    }
}

/// How the runs' trials go together.
#[derive(Clone, Copy, Debug)]
enum Together {
    /// Each run's system assembled on its own, then copied into lanes
    /// ([`NodalSystem::solve_lanes`]).
    Copied,
    /// The systems assembled straight into lanes
    /// ([`Simulation::solve_trials_together`]).
    AssembledInLanes,
}

/// The runs together: every solve begun, then trial by trial with the linear solves of
/// all runs under way made at once (`how`), each run advancing as its solve ends.
fn together(mut sims: Vec<Simulation>, how: Together) -> Vec<Vec<Step>> {
    let mut steps: Vec<Vec<Step>> = sims.iter().map(|_| Vec::new()).collect();
    let mut running: Vec<bool> = sims.iter().map(|_| true).collect();
    let mut solving: Vec<bool> = sims.iter().map(|_| false).collect();
    let mut widest = 0;
    while running.iter().any(|&r| r) {
        for (i, sim) in sims.iter_mut().enumerate() {
            while running[i] && !solving[i] {
                match sim.begin_solve() {
                    None => solving[i] = true,
                    Some(time) => {
                        steps[i].push(step(sim, time.expect("a solve without trials ends well")));
                        running[i] = sim.advance() != 0;
                    }
                }
            }
        }
        let mut solved = match how {
            Together::Copied => {
                let mut systems: Vec<(&mut NodalSystem, &mut [f64])> = sims
                    .iter_mut()
                    .zip(&solving)
                    .filter(|(_, s)| **s)
                    .filter_map(|(sim, _)| sim.trial_system())
                    .collect();
                widest = widest.max(systems.len());
                NodalSystem::solve_lanes(&mut systems)
            }
            Together::AssembledInLanes => {
                let mut runs: Vec<&mut Simulation> = sims
                    .iter_mut()
                    .zip(&solving)
                    .filter(|(_, s)| **s)
                    .map(|(sim, _)| sim)
                    .collect();
                widest = widest.max(runs.len());
                Simulation::solve_trials_together(&mut runs)
                    .into_iter()
                    .map(|solved| solved.expect("a solve for each run solving"))
                    .collect()
            }
        }
        .into_iter();
        for (i, sim) in sims.iter_mut().enumerate() {
            if !solving[i] {
                continue;
            }
            if let Some(time) = sim.end_trial(solved.next().expect("a solve for each system")) {
                steps[i].push(step(sim, time.expect("runs together solve")));
                solving[i] = false;
                running[i] = sim.advance() != 0;
            }
        }
    }
    assert!(widest >= 5, "at most {widest} runs went together");
    steps
}

/// Six runs of `name` (each with one more of its pumps and pipes held closed) alone
/// and together.
fn lock_step_matches_alone(name: &str, demand_model: DemandModel) {
    let path = data_dir().join(format!("{name}.inp"));
    let text = std::fs::read_to_string(&path).expect("the test network is readable");
    lock_step_matches_alone_on(name, &text, demand_model);
}

/// [`lock_step_matches_alone`] of the network `text`.
fn lock_step_matches_alone_on(name: &str, text: &str, demand_model: DemandModel) {
    let mut network = read_network(text, name).expect("the test network is valid");
    network.options.demand_model = demand_model;
    let network = Arc::new(network);
    let base = Simulation::new(Arc::clone(&network), name);
    let closable: Vec<usize> = (0..network.links.len())
        .filter(|&k| matches!(network.links[k].kind, LinkKind::Pump | LinkKind::Pipe))
        .step_by((network.links.len() / 6).max(1))
        .take(5)
        .collect();
    let runs: Vec<Simulation> = (0..6)
        .map(|i| {
            let mut sim = base.clone();
            for &k in &closable[..i] {
                sim.set_link_status(k, false)
                    .expect("a pipe or pump can be closed");
            }
            sim
        })
        .collect();
    let alone: Vec<Vec<Step>> = runs.iter().cloned().map(alone).collect();
    for how in [Together::Copied, Together::AssembledInLanes] {
        let together = together(runs.clone(), how);
        for (i, (a, t)) in alone.iter().zip(&together).enumerate() {
            assert!(a.len() > 10, "{name}: run {i} has {} steps", a.len());
            assert_eq!(a.len(), t.len(), "{name}, {how:?}: run {i}'s steps");
            for (sa, st) in a.iter().zip(t) {
                assert!(sa == st, "{name}, {how:?}: run {i} differs at {} s", sa.0);
            }
        }
    }
    // The runs differ from each other, so lanes could not hide a mix-up.
    assert!(alone[0] != alone[5], "{name}: the closures changed nothing");
}

#[test]
fn net3_runs_in_lock_step_match_each_run_alone() {
    lock_step_matches_alone("Net3", DemandModel::DemandDriven);
}

#[test]
fn net3_pressure_driven_runs_in_lock_step_match_each_run_alone() {
    lock_step_matches_alone("Net3", DemandModel::PressureDriven);
}

#[test]
fn net1_runs_in_lock_step_match_each_run_alone() {
    lock_step_matches_alone("Net1", DemandModel::DemandDriven);
}

#[test]
fn runs_with_valves_and_emitters_in_lock_step_match_each_run_alone() {
    // Net3 with a pressure-reducing, a pressure-sustaining and a flow-control valve
    // between junctions, and emitters: terms that follow the links' in each row.
    let path = data_dir().join("Net3.inp");
    let net3 = std::fs::read_to_string(&path).expect("Net3 is readable");
    let end = net3.find("[END]").expect("Net3 ends with [END]");
    let text = format!(
        "{}[VALVES]\nV1 101 105 12 PRV 60 0\nV2 111 115 12 PSV 30 0\nV3 121 125 8 FCV 400 0\n\
         [EMITTERS]\n119 0.8\n141 0.5\n{}",
        &net3[..end],
        &net3[end..]
    );
    lock_step_matches_alone_on("Net3 with valves", &text, DemandModel::DemandDriven);
    lock_step_matches_alone_on("Net3 with valves", &text, DemandModel::PressureDriven);
}
