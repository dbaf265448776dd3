//! The native engine behind the same `Simulation` as EPANET's: every step of a run, with
//! links closed, opened and slowed between steps, stops of the caller's own, pressure-
//! driven demand and a shortened duration, gives EPANET's times and states (heads within
//! 1e-4 m, flows and demands within 1e-3 L/s, the same links open) and EPANET's warning
//! codes.

use crate::support::data_dir;
use lifeline_water::{
    DemandModel, Engine, HydraulicState, LinkChange, Simulation, SimulationOptions,
};
use std::path::{Path, PathBuf};

const HEAD_TOL_M: f64 = 1e-4;
const FLOW_TOL_LPS: f64 = 1e-3;

/// A change applied just before the solve at a time.
type Plan<'a> = &'a [(i64, &'a str, LinkChange)];

/// Every solved state of a run under `engine`, with the warnings' codes.
fn run(
    path: &Path,
    engine: Engine,
    options: SimulationOptions,
    plan: Plan,
) -> (Vec<HydraulicState>, Vec<i32>) {
    let mut simulation = Simulation::open(path, SimulationOptions { engine, ..options }).unwrap();
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
    assert_same_at(&data_dir().join(format!("{name}.inp")), options, plan);
}

/// [`assert_same`] on the network at `path`.
fn assert_same_at(path: &Path, options: SimulationOptions, plan: Plan) {
    let name = path.display();
    let (epanet, epanet_codes) = run(path, Engine::Epanet, options, plan);
    let (native, native_codes) = run(path, Engine::Native, options, plan);
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

/// Net1 with its two simple controls replaced by `rules` and its pipe 22 by a PRV (set
/// at 60 psi), written to `dir`.
fn net1_with_rules(dir: &Path, name: &str, rules: &str) -> PathBuf {
    let text = std::fs::read_to_string(data_dir().join("Net1.inp")).unwrap();
    let mut out = String::new();
    let mut section = "";
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            section = trimmed;
        }
        if trimmed.starts_with("LINK 9 ") || (section == "[PIPES]" && trimmed.starts_with("22 ")) {
            continue;
        }
        out.push_str(line);
        out.push('\n');
        if trimmed.starts_with("[RULES]") {
            out.push_str(rules);
        }
        if trimmed.starts_with("[VALVES]") {
            out.push_str(" 22 22 23 12 PRV 60 0\n");
        }
    }
    let path = dir.join(format!("{name}.inp"));
    std::fs::write(&path, out).unwrap();
    path
}

/// Net1's tank controls as rules.
const TANK_RULES: &str = "RULE LOW\nIF TANK 2 LEVEL BELOW 110\nTHEN PUMP 9 STATUS IS OPEN\n\
RULE HIGH\nIF TANK 2 LEVEL ABOVE 140\nTHEN PUMP 9 STATUS IS CLOSED\n";

/// AND, OR, ELSE, priorities in conflict, clock time and elapsed time, a link's flow,
/// the system's demand, a valve's setting and a pump's speed.
const MIXED_RULES: &str = "\
RULE PUMPOFF\nIF TANK 2 LEVEL ABOVE 135\nOR SYSTEM CLOCKTIME >= 10 PM\nTHEN PUMP 9 STATUS IS CLOSED\nPRIORITY 1\n\
RULE PUMPON\nIF TANK 2 LEVEL BELOW 115\nAND SYSTEM TIME < 20:00\nTHEN PUMP 9 STATUS IS OPEN\nPRIORITY 2\n\
RULE SLOW\nIF SYSTEM DEMAND > 1000\nAND PUMP 9 STATUS IS OPEN\nTHEN PUMP 9 SETTING IS 0.95\nPRIORITY 1.5\n\
RULE NIGHT\nIF SYSTEM CLOCKTIME >= 11 PM\nOR SYSTEM CLOCKTIME < 1 AM\nTHEN PUMP 9 STATUS IS CLOSED\nPRIORITY 3\n\
RULE PRV\nIF LINK 10 FLOW > 1100\nTHEN VALVE 22 SETTING IS 40\nELSE VALVE 22 SETTING IS 70\n\
RULE CUT\nIF SYSTEM TIME = 6:00\nTHEN PIPE 31 STATUS IS CLOSED\n\
RULE MEND\nIF SYSTEM TIME = 9:00\nAND JUNCTION 31 PRESSURE < 200\nTHEN PIPE 31 STATUS IS OPEN\n";

/// Step times off the hour and the times pump 9 (link 11: after the eleven pipes left) switched, on the
/// native engine: the rules must have acted between hydraulic steps.
fn rule_events(path: &Path, options: SimulationOptions, plan: Plan) -> (Vec<i64>, Vec<i64>) {
    let (states, _) = run(path, Engine::Native, options, plan);
    let off_hour = states
        .iter()
        .map(|s| s.time_s)
        .filter(|t| t % 3600 != 0)
        .collect();
    let switches = states
        .windows(2)
        .filter(|w| w[0].link_open[11] != w[1].link_open[11])
        .map(|w| w[1].time_s)
        .collect();
    (off_hour, switches)
}

#[test]
fn tank_rules_are_epanets() {
    let dir = tempfile::tempdir().unwrap();
    let path = net1_with_rules(dir.path(), "tank_rules", TANK_RULES);
    assert_same_at(&path, SimulationOptions::default(), &[]);
    let (off_hour, switches) = rule_events(&path, SimulationOptions::default(), &[]);
    assert!(
        !off_hour.is_empty() && switches.len() >= 2,
        "{off_hour:?} {switches:?}"
    );
    // A stop of the caller's between rule steps.
    let plan = [(5 * 3600 + 1234, "9", LinkChange::Speed(1.0))];
    assert_same_at(&path, SimulationOptions::default(), &plan);
}

#[test]
fn mixed_rules_are_epanets() {
    let dir = tempfile::tempdir().unwrap();
    let path = net1_with_rules(dir.path(), "mixed_rules", MIXED_RULES);
    assert_same_at(&path, SimulationOptions::default(), &[]);
    let (off_hour, switches) = rule_events(&path, SimulationOptions::default(), &[]);
    println!("mixed: steps off the hour {off_hour:?}, pump 9 switched at {switches:?}");
    assert!(switches.len() >= 2, "{switches:?}");
    let options = SimulationOptions {
        duration_s: Some(48 * 3600),
        ..Default::default()
    };
    assert_same_at(&path, options, &[]);
}

#[test]
fn a_held_pump_is_out_of_the_rules_reach_until_restored() {
    let dir = tempfile::tempdir().unwrap();
    for (name, rules) in [("tank", TANK_RULES), ("mixed", MIXED_RULES)] {
        let path = net1_with_rules(dir.path(), name, rules);
        let plan = [
            (3 * 3600, "9", LinkChange::Close),
            (7 * 3600, "22", LinkChange::Open),
            (15 * 3600, "9", LinkChange::Restore),
            (16 * 3600, "22", LinkChange::Restore),
        ];
        assert_same_at(&path, SimulationOptions::default(), &plan);
        let plan = [
            (2 * 3600, "9", LinkChange::Open),
            (12 * 3600, "9", LinkChange::Restore),
        ];
        assert_same_at(&path, SimulationOptions::default(), &plan);
    }
}

/// The network's description (IDs, kinds, elevations, base demands, coordinates, pump
/// powers, units, times) read by the native engine is EPANET's for the same file: every
/// reference network, and the demo city.
#[test]
fn the_network_description_is_epanets() {
    let mut paths: Vec<PathBuf> = ["Net1", "Net3"]
        .iter()
        .map(|name| data_dir().join(format!("{name}.inp")))
        .collect();
    paths.push(data_dir().join("../demo-city/water.inp"));
    for name in ["L-TOWN", "ky10", "exnet-3", "Net6", "BWSN_Network_2"] {
        if let Some(dir) = crate::support::locate(name) {
            paths.push(dir.join(format!("{name}.inp")));
        }
    }
    for path in &paths {
        let options = SimulationOptions {
            duration_s: Some(7200),
            ..SimulationOptions::default()
        };
        let open = |engine| {
            Simulation::open(path, SimulationOptions { engine, ..options })
                .unwrap()
                .network()
                .clone()
        };
        let (epanet, native) = (open(Engine::Epanet), open(Engine::Native));
        assert_eq!(native, epanet, "{}", path.display());
        assert!(native.coordinates.iter().any(Option::is_some));
    }
}

/// A `POWER` pump's rating is kW in a metric file and hp in a US one, on both engines
/// (EPANET keeps either as hp).
#[test]
fn a_power_pumps_rating_is_read_in_the_files_units() {
    let network = |units: &str| {
        format!(
            "[JUNCTIONS]\nJ1 10 1\n[RESERVOIRS]\nR1 0\n[PIPES]\nP1 J1 R1 100 200 100\n\
             [PUMPS]\nPU R1 J1 POWER 15\n[OPTIONS]\nUnits {units}\n[COORDINATES]\n\
             J1 1 2\nR1 3 4\nnowhere 5 6\n[END]\n"
        )
    };
    for (units, kw) in [("LPS", 15.0), ("GPM", 15.0 * 0.7457)] {
        let (_dir, path) = crate::support::write_network("power.inp", &network(units));
        for engine in [Engine::Epanet, Engine::Native] {
            let simulation = Simulation::open(
                &path,
                SimulationOptions {
                    engine,
                    ..Default::default()
                },
            )
            .unwrap();
            let info = simulation.network();
            let got = info.pump_design_kw[1].unwrap();
            assert!(
                (got - kw).abs() < 1e-9,
                "{units} {engine:?}: {got} kW, expected {kw}"
            );
            assert_eq!(info.coordinates, vec![Some((1.0, 2.0)), Some((3.0, 4.0))]);
        }
    }
}

/// A file that cannot be read is named with the reason.
#[test]
fn an_unreadable_file_is_named() {
    let options = SimulationOptions {
        engine: Engine::Native,
        ..Default::default()
    };
    let error = Simulation::open(Path::new("no/such/net.inp"), options)
        .err()
        .unwrap()
        .to_string();
    assert!(
        error.starts_with("no/such/net.inp: cannot read the file"),
        "{error}"
    );
}

/// A file changed between two opens is read again, not taken from the kept copy.
#[test]
fn a_changed_file_is_read_again() {
    let (_dir, path) = crate::support::write_network(
        "changing.inp",
        "[JUNCTIONS]\nJ1 10 1\n[RESERVOIRS]\nR1 50\n[PIPES]\nP1 R1 J1 100 200 100\n[OPTIONS]\nUnits LPS\n[END]\n",
    );
    let options = SimulationOptions {
        engine: Engine::Native,
        ..Default::default()
    };
    let head = |path: &Path| {
        let mut simulation = Simulation::open(path, options).unwrap();
        simulation.solve().unwrap();
        simulation.state().unwrap().head_m[1]
    };
    assert!((head(&path) - 50.0).abs() < 1e-9);
    std::fs::write(
        &path,
        "[JUNCTIONS]\nJ1 10 1\n[RESERVOIRS]\nR1 60\n[PIPES]\nP1 R1 J1 100 200 100\n[OPTIONS]\nUnits LPS\n[END]\n",
    )
    .unwrap();
    assert!((head(&path) - 60.0).abs() < 1e-9);
}

/// The default engine is the native one, and EPANET's for a file that asks for what only
/// EPANET does (here its pipe leakage model), which the native engine refuses at its
/// line; a faulty file is refused whatever the engine.
#[test]
fn the_default_engine_is_native_unless_only_epanet_can_run_the_file() {
    let open = |path: &Path, engine| {
        Simulation::open(
            path,
            SimulationOptions {
                engine,
                ..Default::default()
            },
        )
    };
    let net1 = data_dir().join("Net1.inp");
    assert_eq!(open(&net1, Engine::Auto).unwrap().engine(), Engine::Native);
    assert_eq!(
        open(&net1, Engine::Epanet).unwrap().engine(),
        Engine::Epanet
    );
    let text = std::fs::read_to_string(&net1).unwrap();
    let leaking = text.replace("[END]", "[LEAKAGE]\n10 0.5 0\n[END]");
    let (_dir, path) = crate::support::write_network("leaking.inp", &leaking);
    let mut simulation = open(&path, Engine::Auto).unwrap();
    assert_eq!(simulation.engine(), Engine::Epanet);
    simulation.solve().unwrap();
    // Again, from the kept verdict on the file.
    assert_eq!(open(&path, Engine::Auto).unwrap().engine(), Engine::Epanet);
    let error = open(&path, Engine::Native).err().unwrap().to_string();
    assert!(
        error.contains("leaking.inp:") && error.contains("--engine epanet"),
        "{error}"
    );
    let faulty = leaking.replace("[END]", "[PIPES]\n999 10 nowhere 10 10 100\n[END]");
    let (_dir, path) = crate::support::write_network("faulty.inp", &faulty);
    assert!(open(&path, Engine::Auto).is_err());
}

/// The native engine's heads are EPANET's bit for bit, not only within tolerance, on
/// Net3 under pressure-driven demand with a pump out: the guard of the solver's
/// shortcuts (coefficients kept for unchanged flows, the factorisation's update order
/// found once), which must leave every rounding as EPANET's.
#[test]
fn heads_under_pressure_driven_demand_are_epanets_bit_for_bit() {
    let options = SimulationOptions {
        demand_model: Some(DemandModel::PressureDriven {
            min_pressure_m: 0.0,
            required_pressure_m: 20.0,
            exponent: 0.5,
        }),
        duration_s: Some(24 * 3600),
        ..SimulationOptions::default()
    };
    let plan: Plan = &[
        (3 * 3600, "335", LinkChange::Close),
        (9 * 3600, "335", LinkChange::Restore),
    ];
    let path = data_dir().join("Net3.inp");
    let (epanet, _) = run(&path, Engine::Epanet, options, plan);
    let (native, _) = run(&path, Engine::Native, options, plan);
    assert_eq!(epanet.len(), native.len());
    for (ours, theirs) in native.iter().zip(&epanet) {
        assert_eq!(ours.head_m, theirs.head_m, "at {} s", ours.time_s);
    }
}
