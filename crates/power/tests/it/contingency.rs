//! N-1 analysis: the shared-pattern solves agree with independent power flows of the
//! modified case, islands are handled, and every contingency is reported.

use crate::support::{data_dir, locate};
use lifeline_power::contingency::{Contingency, contingencies};
use lifeline_power::matpower::read_case;
use lifeline_power::{AcOptions, ContingencyOptions, Grid, GridOptions, Outages, run_ac, run_n1};

/// Every branch outage of case30 that keeps the grid in one piece gives the same voltages
/// and flows as MATPOWER-style `runpf` on the case with that branch's status set to 0.
#[test]
fn branch_outages_match_independent_power_flows() {
    let case = read_case(&data_dir().join("case30.m")).unwrap().case;
    let grid = Grid::new(case.clone()).unwrap();
    let mut solver = grid.solver();
    let base = grid
        .solve(&Outages::none(), &GridOptions::default(), &mut solver, None)
        .unwrap();
    let mut compared = 0;
    for b in 0..case.branches.len() {
        let state = grid
            .solve(
                &Outages::branch(b),
                &GridOptions::default(),
                &mut solver,
                Some(&base.voltage),
            )
            .unwrap();
        if state.islands.len() > 1 {
            continue;
        }
        let mut modified = case.clone();
        modified.branches[b].in_service = false;
        let reference = run_ac(&modified, &AcOptions::default()).unwrap();
        assert!(reference.status.converged());
        for (ours, theirs) in state.buses.iter().zip(&reference.buses) {
            assert!(
                (ours.vm_pu - theirs.vm_pu).abs() < 1e-7,
                "branch {}: bus {}",
                b + 1,
                ours.bus_id
            );
            assert!((ours.va_deg - theirs.va_deg).abs() < 1e-5);
        }
        for (ours, theirs) in state.branches.iter().zip(&reference.branches) {
            assert_eq!(ours.status, theirs.status);
            assert!((ours.p_from_mw - theirs.p_from_mw).abs() < 1e-4);
            assert!((ours.q_to_mvar - theirs.q_to_mvar).abs() < 1e-4);
        }
        compared += 1;
    }
    assert!(
        compared > 30,
        "only {compared} non-islanding outages compared"
    );
}

#[test]
fn n1_reports_every_branch_and_generator() {
    let case = read_case(&data_dir().join("case14.m")).unwrap().case;
    let grid = Grid::new(case).unwrap();
    let options = ContingencyOptions::default();
    let listed = contingencies(&grid, &options);
    assert_eq!(listed.len(), 20 + 5);
    let calls = std::sync::atomic::AtomicUsize::new(0);
    let report = run_n1(&grid, &options, &|_| {
        calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    })
    .unwrap();
    assert_eq!(calls.into_inner(), 25);
    assert_eq!(report.results.len(), 25);
    assert!(report.base.status.converged());
    for (result, contingency) in report.results.iter().zip(&listed) {
        assert_eq!(&result.contingency, contingency);
        assert!(result.converged, "{result:?}");
    }
    // Branch 7-8 (row 14) is the only link to the synchronous condenser at bus 8: its loss
    // leaves bus 8 an island with a generator of PMAX 100 and no load.
    let radial = &report.results[13];
    assert_eq!(radial.contingency, Contingency::Branch(14));
    assert_eq!(radial.islands, 2);
    assert_eq!(radial.dark_load_mw, 0.0);
    // Losing the slack bus's only generator (232 MW): the largest remaining plant (bus 2,
    // PMAX 140) becomes the slack and the others are re-dispatched; 440 MW of capacity
    // cover the 259 MW of load, so nothing is shed.
    let slack_lost = &report.results[20];
    assert_eq!(slack_lost.contingency, Contingency::Generator(1));
    assert!(slack_lost.converged && slack_lost.islands == 1);
    assert_eq!(slack_lost.shed_mw, 0.0);
}

/// The large shared case, when present: every contingency converges or is reported.
#[test]
fn n1_on_activsg2000_converges_everywhere() {
    let Some((path, _)) = locate("case_ACTIVSg2000") else {
        return;
    };
    let grid = Grid::new(read_case(&path).unwrap().case).unwrap();
    let options = ContingencyOptions {
        generators: false,
        ..ContingencyOptions::default()
    };
    let report = run_n1(&grid, &options, &|_| {}).unwrap();
    assert_eq!(report.results.len(), 3206);
    let islanding = report.results.iter().filter(|r| r.islands > 1).count();
    let converged = report.results.iter().filter(|r| r.converged).count();
    eprintln!("case_ACTIVSg2000 N-1: {converged}/3206 converged, {islanding} split the grid");
    assert_eq!(converged, 3206);
    assert!(islanding > 400);
}
