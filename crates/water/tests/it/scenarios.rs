//! Many scenarios at once: the same answers as one by one, in the same order.

use crate::support::data_dir;
use lifeline_water::{
    LinkChangeOptions, LinkChanges, Simulation, SimulationOptions, run_link_changes,
    run_link_changes_parallel,
};

#[test]
fn parallel_runs_equal_sequential_runs() {
    let path = data_dir().join("Net3.inp");
    let scenarios: Vec<LinkChanges> = [None, Some("10"), Some("335"), Some("60"), Some("101")]
        .iter()
        .enumerate()
        .map(|(i, link)| match link {
            None => LinkChanges::baseline(),
            Some(link) => LinkChanges::outage(link, 3600 * (i as i64 + 1), Some(6 * 3600)),
        })
        .collect();
    let options = LinkChangeOptions::default();
    let parallel =
        run_link_changes_parallel(&path, SimulationOptions::default(), &scenarios, &options);
    let mut simulation = Simulation::open(&path, SimulationOptions::default()).unwrap();
    for (scenario, result) in scenarios.iter().zip(parallel) {
        let alone = run_link_changes(&mut simulation, scenario, &options).unwrap();
        assert_eq!(result.unwrap(), alone, "{}", scenario.name);
    }
}

#[test]
fn an_outage_lowers_pressures_somewhere() {
    let path = data_dir().join("Net3.inp");
    let options = LinkChangeOptions::default();
    let results = run_link_changes_parallel(
        &path,
        SimulationOptions::default(),
        &[LinkChanges::baseline(), LinkChanges::outage("335", 0, None)],
        &options,
    );
    let baseline = results[0].as_ref().unwrap();
    let outage = results[1].as_ref().unwrap();
    assert_eq!(outage.name, "335 out from 00:00");
    assert!(
        outage.service.junction_hours_below_threshold
            > baseline.service.junction_hours_below_threshold,
        "{:?} vs {:?}",
        outage.service,
        baseline.service
    );
}

#[test]
fn an_unknown_link_in_a_scenario_is_an_error_before_anything_runs() {
    let path = data_dir().join("Net3.inp");
    let results = run_link_changes_parallel(
        &path,
        SimulationOptions::default(),
        &[LinkChanges::outage("3355", 0, None)],
        &LinkChangeOptions::default(),
    );
    let error = results[0].as_ref().unwrap_err().to_string();
    assert!(
        error.contains("unknown link '3355'; did you mean 335?"),
        "{error}"
    );
}
