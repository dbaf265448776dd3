//! Islands, re-dispatch and load shedding on small hand-built systems with known answers.
//!
//! The systems are lossless (r = 0), so generation equals served load exactly and every
//! expected figure below follows from arithmetic.

use lifeline_power::matpower::parse_case;
use lifeline_power::{Case, Grid, GridOptions, GridState, Outages};
use num_complex::Complex64;

/// A case from bus, generator and branch rows (MATPOWER columns).
fn case(buses: &str, generators: &str, branches: &str) -> Case {
    let text = format!(
        "function mpc = test\nmpc.version = '2';\nmpc.baseMVA = 100;\n\
         mpc.bus = [\n{buses}\n];\nmpc.gen = [\n{generators}\n];\nmpc.branch = [\n{branches}\n];\n"
    );
    parse_case(&text, "test.m", "test").unwrap().case
}

/// Two areas joined by the line 2–3:
///   area A: bus 1 (slack, 200 MW plant), bus 2 (50 MW load)
///   area B: bus 3 (40 MW plant), bus 4 (60 MW homes), bus 5 (10 MW hospital)
fn two_areas() -> Case {
    case(
        "1 3 0 0 0 0 1 1 0 110 1 1.1 0.9;
         2 1 50 10 0 0 1 1 0 110 1 1.1 0.9;
         3 2 0 0 0 0 1 1 0 110 1 1.1 0.9;
         4 1 60 12 0 0 1 1 0 110 1 1.1 0.9;
         5 1 10 2 0 0 1 1 0 110 1 1.1 0.9",
        "1 100 0 300 -300 1.0 100 1 200 0;
         3 40 0 100 -100 1.0 100 1 40 0",
        "1 2 0 0.05 0 0 0 0 0 0 1;
         2 3 0 0.05 0 0 0 0 0 0 1;
         3 4 0 0.05 0 0 0 0 0 0 1;
         4 5 0 0.05 0 0 0 0 0 0 1",
    )
}

fn solve(case: Case, priority: Option<Vec<u8>>, outages: Outages) -> GridState {
    let mut grid = Grid::new(case).unwrap();
    if let Some(priority) = priority {
        grid = grid.with_priorities(priority);
    }
    let mut solver = grid.solver();
    grid.solve(&outages, &GridOptions::default(), &mut solver, None)
        .unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6
}

#[test]
fn intact_grid_is_one_island_without_shedding() {
    let state = solve(two_areas(), None, Outages::none());
    assert!(state.converged());
    assert_eq!(state.islands.len(), 1);
    assert_eq!(state.shed_mw(), 0.0);
    assert!(state.bus_energised.iter().all(|&e| e));
    // Lossless: the slack makes up load minus the 40 MW plant.
    assert!(
        close(state.generator_p_mw[0], 120.0 - 40.0),
        "{:?}",
        state.generator_p_mw
    );
}

#[test]
fn island_short_of_generation_sheds_homes_before_the_hospital() {
    let state = solve(two_areas(), Some(vec![0, 0, 0, 0, 2]), Outages::branch(1));
    assert!(state.converged());
    assert_eq!(state.islands.len(), 2);
    let b = &state.islands[1];
    assert_eq!(b.buses, vec![3, 4, 5]);
    assert_eq!(
        b.slack_buses,
        vec![3],
        "the island's largest plant becomes its slack"
    );
    // 70 MW of load, 40 MW of generation: 30 MW shed, all of it at the homes.
    assert!(close(b.shed_mw, 30.0), "{b:?}");
    assert!(close(state.bus_shed_mw[3], 30.0));
    assert_eq!(state.bus_shed_mw[4], 0.0, "the hospital keeps its supply");
    assert!(close(state.generator_p_mw[1], 40.0));
    // Area A keeps its own load only.
    assert!(close(state.generator_p_mw[0], 50.0));
    assert_eq!(state.branches[1].status, 0);
    assert!(
        close(state.branches[2].p_from_mw, 40.0),
        "30 MW to the homes, 10 to the hospital"
    );
}

#[test]
fn shedding_is_proportional_within_a_class() {
    let state = solve(two_areas(), None, Outages::branch(1));
    // 30 MW shed over 60 + 10 MW of ordinary load: 3/7 of each.
    assert!(close(state.bus_shed_mw[3], 60.0 * 3.0 / 7.0));
    assert!(close(state.bus_shed_mw[4], 10.0 * 3.0 / 7.0));
}

#[test]
fn island_without_generation_goes_dark() {
    let state = solve(two_areas(), None, Outages::branch(2));
    assert!(state.converged());
    assert_eq!(state.islands.len(), 2);
    let dark = &state.islands[1];
    assert_eq!(dark.buses, vec![4, 5]);
    assert!(!dark.energised && dark.status.is_none());
    assert_eq!(state.bus_energised, vec![true, true, true, false, false]);
    assert!(close(state.dark_load_mw(), 70.0));
    assert_eq!(state.buses[3].kind, 4);
    assert_eq!(state.buses[3].vm_pu, 0.0);
    assert_eq!(state.shed_mw(), 0.0);
}

#[test]
fn bus_outage_takes_its_branches_plants_and_load() {
    let state = solve(
        two_areas(),
        None,
        Outages {
            buses: vec![3],
            ..Outages::none()
        },
    );
    assert!(state.converged());
    assert_eq!(state.generator_p_mw[1], 0.0);
    assert_eq!(state.bus_energised, vec![true, true, false, false, false]);
    for b in [1, 2] {
        assert_eq!(state.branches[b].status, 0);
    }
    assert!(close(state.generator_p_mw[0], 50.0));
}

#[test]
fn lost_plant_is_replaced_by_the_others_in_proportion_to_headroom() {
    // Slack limited to 100 MW; two 100 MW plants at 50 MW each; 200 MW of load.
    let case = case(
        "1 3 0 0 0 0 1 1 0 110 1 1.1 0.9;
         2 2 100 0 0 0 1 1 0 110 1 1.1 0.9;
         3 2 100 0 0 0 1 1 0 110 1 1.1 0.9",
        "1 100 0 300 -300 1.0 100 1 100 0;
         2 50 0 300 -300 1.0 100 1 100 0;
         3 50 0 300 -300 1.0 100 1 100 0",
        "1 2 0 0.05 0 0 0 0 0 0 1;
         2 3 0 0.05 0 0 0 0 0 0 1;
         1 3 0 0.05 0 0 0 0 0 0 1",
    );
    let state = solve(case, None, Outages::generator(2));
    assert!(state.converged());
    assert_eq!(state.shed_mw(), 0.0);
    assert!(
        close(state.generator_p_mw[0], 100.0),
        "{:?}",
        state.generator_p_mw
    );
    assert!(close(state.generator_p_mw[1], 100.0));
    assert_eq!(state.generator_p_mw[2], 0.0);
}

#[test]
fn unknown_outage_ids_are_errors_with_suggestions() {
    let grid = Grid::new(two_areas()).unwrap();
    let mut solver = grid.solver();
    let error = grid
        .solve(
            &Outages {
                buses: vec![6],
                ..Outages::none()
            },
            &GridOptions::default(),
            &mut solver,
            None,
        )
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "outage names bus 6, which is not in the case; did you mean 1, 2, 3?"
    );
    let error = grid
        .solve(
            &Outages::branch(9),
            &GridOptions::default(),
            &mut solver,
            None,
        )
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "outage names branch 10, but the case has 4 (numbered from 1)"
    );
}

#[test]
fn voltage_collapse_sheds_load_in_steps_until_a_solution_exists() {
    // A 0.5 p.u. line can carry at most 1/(2·0.5) = 1 p.u. = 100 MW to a unity-power-factor
    // load. 110 MW has no power-flow solution; after one 20 % step (88 MW) there is one.
    let case = case(
        "1 3 0 0 0 0 1 1 0 110 1 1.1 0.9;
         2 1 110 0 0 0 1 1 0 110 1 1.1 0.9",
        "1 0 0 300 -300 1.0 100 1 300 0",
        "1 2 0 0.5 0 0 0 0 0 0 1",
    );
    let state = solve(case, None, Outages::none());
    assert!(state.converged());
    assert!(close(state.bus_shed_mw[1], 22.0), "{:?}", state.bus_shed_mw);
    assert!(state.buses[1].vm_pu < 0.95 && state.buses[1].vm_pu > 0.5);
    assert!(state.bus_energised[1]);
}

#[test]
fn a_generation_limit_sheds_the_shortfall_by_priority() {
    // 120 MW of load, 240 MW of plant, but only 100 MW of it usable: 20 MW shed, taken
    // from the homes (priority 0) before the hospital (priority 2).
    let mut grid = Grid::new(two_areas())
        .unwrap()
        .with_priorities(vec![0, 0, 0, 0, 2]);
    let mut solver = grid.solver();
    let options = GridOptions {
        available_generation_mw: Some(100.0),
        ..GridOptions::default()
    };
    let state = grid
        .solve(&Outages::none(), &options, &mut solver, None)
        .unwrap();
    assert!(state.converged());
    assert!(close(state.shed_mw(), 20.0), "{:?}", state.bus_shed_mw);
    assert_eq!(state.bus_shed_mw[4], 0.0);
    assert!(close(state.generator_p_mw.iter().sum::<f64>(), 100.0));
    grid = grid.with_priorities(vec![0; 5]);
    let state = grid
        .solve(&Outages::none(), &options, &mut solver, None)
        .unwrap();
    assert!(
        state.bus_shed_mw[4] > 0.0,
        "without priorities everyone sheds alike"
    );
}

/// A lossy system whose slack plant (100 MW) is at its limit once losses are counted:
/// the first solve finds the slack over `PMAX` by the losses, the second round moves them
/// onto the plant at bus 2, so two balance rounds are needed.
fn lossy_slack_at_its_limit() -> Case {
    case(
        "1 3 0 0 0 0 1 1 0 110 1 1.1 0.9;
         2 2 0 0 0 0 1 1 0 110 1 1.1 0.9;
         3 1 150 20 0 0 1 1 0 110 1 1.1 0.9",
        "1 100 0 300 -300 1.0 100 1 100 0;
         2 50 0 300 -300 1.0 100 1 200 0",
        "1 3 0.02 0.05 0 0 0 0 0 0 1;
         2 3 0.02 0.05 0 0 0 0 0 0 1",
    )
}

#[test]
fn a_retry_after_a_failed_warm_start_does_not_use_up_a_balance_round() {
    // A warm start that cannot converge is retried from the case's voltages; that retry
    // must not count as one of the balance rounds, or the last round's re-dispatch (or,
    // with one round, the island itself) is lost.
    let grid = Grid::new(lossy_slack_at_its_limit()).unwrap();
    let mut solver = grid.solver();
    // 40 p.u. at the plants and a voltage angle of 3 rad across the lines: Newton does not
    // converge from there, and it does from the case's own voltages.
    let bad_start = vec![
        Complex64::from_polar(40.0, 0.0),
        Complex64::from_polar(40.0, 3.0),
        Complex64::from_polar(0.6, -3.0),
    ];
    for rounds in 1..=3 {
        let options = GridOptions {
            max_balance_rounds: rounds,
            ..GridOptions::default()
        };
        let cold = grid
            .solve(&Outages::none(), &options, &mut solver, None)
            .unwrap();
        let retried = grid
            .solve(&Outages::none(), &options, &mut solver, Some(&bad_start))
            .unwrap();
        assert!(cold.converged() && retried.converged(), "{rounds} rounds");
        assert!(
            retried.islands[0].energised,
            "{rounds} rounds: {:?}",
            retried.islands
        );
        assert_eq!(
            retried.islands[0].slack_violation_mw, cold.islands[0].slack_violation_mw,
            "{rounds} rounds"
        );
        for (a, b) in retried.generator_p_mw.iter().zip(&cold.generator_p_mw) {
            assert!(
                (a - b).abs() < 1e-6,
                "{rounds} rounds: {:?} vs {:?}",
                retried.generator_p_mw,
                cold.generator_p_mw
            );
        }
        if rounds >= 2 {
            assert_eq!(
                cold.islands[0].slack_violation_mw, 0.0,
                "two rounds balance the slack"
            );
        } else {
            assert!(
                cold.islands[0].slack_violation_mw > 0.1,
                "one round leaves the losses on the slack"
            );
        }
    }
}

#[test]
fn a_case_whose_branches_cut_buses_off_names_them_instead_of_diverging() {
    let case =
        lifeline_power::matpower::read_case(&crate::support::data_dir().join("case14_bus14_cut.m"))
            .unwrap()
            .case;
    for error in [
        lifeline_power::run_ac(&case, &lifeline_power::AcOptions::default()).unwrap_err(),
        lifeline_power::run_dc(&case).unwrap_err(),
    ] {
        assert!(
            matches!(&error, lifeline_power::PowerError::Islanded { islands } if islands == &vec![vec![14]]),
            "{error:?}"
        );
        assert!(
            error
                .to_string()
                .starts_with("the grid is split: bus 14 is cut off from the slack bus"),
            "{error}"
        );
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 64, ..proptest::prelude::ProptestConfig::default() })]

    /// Whatever is out, load shed and load dark never add up to more than the load, no bus
    /// sheds more than its own, and an unconverged island reports its real mismatch.
    #[test]
    fn shed_and_dark_load_never_exceed_the_load(
        branches in proptest::collection::vec(0usize..41, 0..8),
        buses in proptest::collection::vec(1u32..31, 0..3),
        generators in proptest::collection::vec(0usize..6, 0..3),
        available in proptest::option::of(50.0..300.0f64),
    ) {
        let case = lifeline_power::matpower::read_case(&crate::support::data_dir().join("case30.m")).unwrap().case;
        let grid = Grid::new(case).unwrap();
        let options = GridOptions { available_generation_mw: available, ..GridOptions::default() };
        let outages = Outages { buses, branches, generators };
        let state = grid.solve(&outages, &options, &mut grid.solver(), None).unwrap();
        let load: f64 = state.bus_load_mw.iter().filter(|l| **l > 0.0).sum();
        proptest::prop_assert!(state.shed_mw() + state.dark_load_mw() <= load + 1e-6,
            "shed {} + dark {} > load {load}", state.shed_mw(), state.dark_load_mw());
        for (shed, bus_load) in state.bus_shed_mw.iter().zip(&state.bus_load_mw) {
            proptest::prop_assert!(*shed >= -1e-9 && *shed <= bus_load.max(0.0) + 1e-9, "{shed} of {bus_load}");
        }
        for island in &state.islands {
            match island.status {
                Some(status) if !status.converged() => proptest::prop_assert!(island.max_mismatch_pu >= options.ac.tolerance_pu),
                Some(_) => proptest::prop_assert!(island.max_mismatch_pu < options.ac.tolerance_pu),
                None => proptest::prop_assert_eq!(island.max_mismatch_pu, 0.0),
            }
        }
    }
}
