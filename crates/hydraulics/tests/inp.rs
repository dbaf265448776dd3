//! The `.inp` reader on the reference networks and on bad input.

use std::path::PathBuf;

use lifeline_hydraulics::HydraulicsError;
use lifeline_hydraulics::inp::read_network;
use lifeline_hydraulics::model::{
    ControlKind, HeadLossFormula, LinkKind, MISSING, Network, PumpCurveKind, Status,
};

fn reference_dir() -> Option<PathBuf> {
    let dir =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reference/water/networks");
    if dir.is_dir() {
        return Some(dir);
    }
    let reason = format!("reference networks not found at {}", dir.display());
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("{reason}");
    }
    eprintln!("{reason}; skipping");
    None
}

fn read(path: &std::path::Path) -> Network {
    let text = std::fs::read_to_string(path).expect("readable input");
    match read_network(&text, &path.display().to_string()) {
        Ok(n) => n,
        Err(e) => panic!("{e}"),
    }
}

/// (name, junctions, tanks + reservoirs, pipes, pumps, valves, controls), from the
/// reference README.
const COUNTS: [(&str, usize, usize, usize, usize, usize, usize); 7] = [
    ("Net1", 9, 2, 12, 1, 0, 2),
    ("Net3", 92, 5, 117, 2, 0, 18),
    ("L-TOWN", 782, 3, 905, 1, 3, 2),
    ("ky10", 920, 15, 1043, 13, 5, 6),
    ("exnet-3", 1891, 2, 2465, 0, 2, 0),
    ("Net6", 3323, 33, 3829, 61, 2, 124),
    ("BWSN_Network_2", 12523, 4, 14822, 4, 5, 1067),
];

#[test]
fn reference_networks_read_with_their_counts() {
    let Some(dir) = reference_dir() else { return };
    for (name, junctions, tanks, pipes, pumps, valves, controls) in COUNTS {
        let net = read(&dir.join(format!("{name}.inp")));
        let n_pipes = net.links.iter().filter(|l| l.kind.is_pipe()).count();
        assert_eq!(
            (
                net.n_junctions,
                net.tanks.len(),
                n_pipes,
                net.pumps.len(),
                net.valves.len(),
                net.controls.len()
            ),
            (junctions, tanks, pipes, pumps, valves, controls),
            "{name}"
        );
        assert_eq!(net.nodes.len(), junctions + tanks, "{name}");
        for (i, t) in net.tanks.iter().enumerate() {
            assert_eq!(t.node, net.n_junctions + i);
        }
        for l in &net.links {
            assert!(
                l.diameter.is_finite() && l.kc.is_finite() && l.km.is_finite(),
                "{name} {}",
                l.id
            );
        }
        for p in &net.pumps {
            assert!(
                p.q_max > 0.0 && p.h_max > 0.0,
                "{name} pump {}",
                net.links[p.link].id
            );
        }
    }
}

fn repo_net1() -> Network {
    read(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/epanet/Net1.inp"))
}

#[test]
fn net1_values_are_converted_as_epanet_converts_them() {
    let net = repo_net1();
    let n3 = read(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/epanet/Net3.inp"));
    assert_eq!(n3.n_junctions, 92);
    let j10 = &net.nodes[net.node_index("10").unwrap()];
    assert_eq!(j10.elevation, 710.0);
    assert_eq!(j10.demands.len(), 1);
    assert_eq!(j10.demands[0].base, 0.0);
    let j11 = &net.nodes[net.node_index("11").unwrap()];
    assert_eq!(j11.demands[0].base, 150.0 / 448.831);
    assert_eq!(j11.demands[0].pattern, None);
    assert_eq!(net.options.default_pattern, Some(0));
    assert_eq!(net.patterns[0].id, "1");
    assert_eq!(net.patterns[0].factors.len(), 12);
    // Tank 2: elevation 850, levels 120 / 100 / 150, diameter 50.5 ft.
    let t2 = net.node_index("2").unwrap();
    let tank = &net.tanks[net.tank_of_node(t2).unwrap()];
    assert_eq!(
        (tank.h0, tank.h_min, tank.h_max),
        (850.0 + 120.0, 850.0 + 100.0, 850.0 + 150.0)
    );
    assert_eq!(tank.area, std::f64::consts::PI * (50.5 * 50.5) / 4.0);
    let area_file = std::f64::consts::PI * (50.5 * 50.5) / 4.0;
    assert_eq!(tank.v0, area_file * 100.0 + area_file * (120.0 - 100.0));
    // Reservoir 9.
    let r9 = &net.tanks[net.tank_of_node(net.node_index("9").unwrap()).unwrap()];
    assert!(r9.is_reservoir());
    assert_eq!(r9.h0, 800.0);
    // Pipe 10: 10530 ft, 18 in, C 100.
    let p10 = &net.links[net.link_index("10").unwrap()];
    assert_eq!(
        (p10.length, p10.diameter, p10.kc, p10.km),
        (10530.0, 1.5, 100.0, 0.0)
    );
    assert_eq!(p10.init_status, Status::Open);
    assert_eq!(net.options.formula, HeadLossFormula::HazenWilliams);
    assert_eq!(net.options.hexp, 1.852);
    // Pump 9 with the one-point curve 1 (1500 gpm, 250 ft).
    let pump = &net.pumps[0];
    assert_eq!(pump.curve_kind, PumpCurveKind::PowerFunction);
    let (h1, q1) = (250.0_f64, 1500.0_f64);
    let h0 = 1.33334 * h1;
    let c = (h0 / (h0 - h1)).ln() / 2.0_f64.ln();
    let b = -(h0 - h1) / q1.powf(c);
    assert_eq!(pump.h0, -h0);
    assert_eq!(pump.n, c);
    assert_eq!(pump.r, -b * 448.831_f64.powf(c));
    assert_eq!(pump.q0, q1 / 448.831);
    assert_eq!(pump.q_max, (-h0 / b).powf(1.0 / c) / 448.831);
    assert_eq!(pump.h_max, h0);
    // LINK 9 OPEN IF NODE 2 BELOW 110; LINK 9 CLOSED IF NODE 2 ABOVE 140.
    let c0 = &net.controls[0];
    assert_eq!(
        (c0.kind, c0.status, c0.grade),
        (ControlKind::LowLevel, Status::Open, 850.0 + 110.0)
    );
    assert_eq!(c0.setting, 1.0);
    let c1 = &net.controls[1];
    assert_eq!(
        (c1.kind, c1.status, c1.grade),
        (ControlKind::HighLevel, Status::Closed, 850.0 + 140.0)
    );
    assert_eq!(
        (net.times.duration, net.times.hydraulic_step),
        (24 * 3600, 3600)
    );
    assert_eq!(net.times.rule_step, 360);
    assert_eq!(net.options.viscosity, 1.1e-5);
}

#[test]
fn si_files_convert_lengths_diameters_and_roughness() {
    let Some(dir) = reference_dir() else { return };
    let ex = read(&dir.join("exnet-3.inp"));
    assert_eq!(ex.options.formula, HeadLossFormula::DarcyWeisbach);
    assert_eq!(ex.units.flow_factor, 28.317);
    let text = std::fs::read_to_string(dir.join("exnet-3.inp")).unwrap();
    // The first pipe line of the file, checked against its converted link.
    let line = text
        .lines()
        .skip_while(|l| !l.starts_with("[PIPES]"))
        .skip(1)
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with(';'))
        .unwrap();
    let f: Vec<&str> = line.split_whitespace().collect();
    let link = &ex.links[ex.link_index(f[0]).unwrap()];
    let num = |i: usize| f[i].parse::<f64>().unwrap();
    assert_eq!(link.length, num(3) / 0.3048);
    assert_eq!(link.diameter, num(4) / (1000.0 * 0.3048));
    assert_eq!(link.kc, num(5) / (1000.0 * 0.3048));
    let ltown = read(&dir.join("L-TOWN.inp"));
    assert_eq!(ltown.units.flow_factor, 101.94);
    assert_eq!(ltown.units.pressure_factor, 0.3048);
    assert_eq!(ltown.options.extra_iter, 10);
    assert_eq!(ltown.times.hydraulic_step, 300);
    let j = &ltown.nodes[0];
    assert!(j.elevation > 0.0);
}

fn problems(text: &str) -> Vec<(u32, String)> {
    match read_network(text, "t.inp") {
        Ok(_) => panic!("expected problems"),
        Err(HydraulicsError::Input { problems, .. })
        | Err(HydraulicsError::Unsupported { problems, .. }) => {
            problems.into_iter().map(|p| (p.line, p.message)).collect()
        }
        Err(e) => panic!("unexpected {e}"),
    }
}

/// A small valid network; `extra` is appended.
fn base(extra: &str) -> String {
    format!(
        "[TITLE]\nsmall\n[JUNCTIONS]\nJ1 10 5\nJ2 20 5\n[RESERVOIRS]\nR1 100\n[PIPES]\nP1 R1 J1 100 12 100\nP2 J1 J2 100 12 100\n{extra}"
    )
}

fn assert_problem(text: &str, line: u32, words: &[&str]) {
    let found = problems(text);
    let hit = found
        .iter()
        .any(|(l, m)| *l == line && words.iter().all(|w| m.contains(w)));
    assert!(hit, "expected line {line} with {words:?}, got {found:?}");
}

#[test]
fn the_base_network_reads() {
    let net = read_network(&base(""), "t.inp").unwrap();
    assert_eq!(net.title, ["small"]);
    assert_eq!(net.links[0].from, 2);
}

#[test]
fn bad_input_is_reported_at_its_line() {
    assert_problem(
        &base("[JUNCTIONS]\nJ3 NaN 1\n[PIPES]\nP3 J2 J3 1 1 1\n"),
        12,
        &["J3", "elevation", "finite"],
    );
    assert_problem(
        &base("[PIPES]\nP3 J2 J9 1 1 1\n"),
        12,
        &["P3", "undefined node J9"],
    );
    assert_problem(&base("[JUNCTIONS]\nJ1 5\n"), 12, &["J1", "duplicate"]);
    assert_problem(
        &base("[OPTIONS]\nFOO 5\n"),
        12,
        &["unknown option FOO", "UNITS"],
    );
    assert_problem(
        &base("[TANKS]\nT1 10 1 2\n"),
        12,
        &["tank T1", "at least 6 fields"],
    );
    assert_problem(
        &base("[TIMES]\nDURATION 1:xx\n"),
        12,
        &["DURATION", "1:xx", "h:mm"],
    );
    assert_problem(
        &base("[PUMPS]\nPU1 J1 J2 HEAD C9\n"),
        12,
        &["pump PU1", "undefined curve C9"],
    );
    assert_problem(
        &base("[RULES]\nRULE 1\nIF TANK 1 LEVEL > 5\n"),
        13,
        &["rule 1", "undefined node 1"],
    );
    assert_problem(
        &base("[PIPES]\nP3 J1 J2 10 -12 100\n"),
        12,
        &["P3", "diameter", "positive"],
    );
    assert_problem(&base("[JUNCTIONS]\nJ3 1\n"), 12, &["J3", "not connected"]);
    assert_problem(
        &base("[PUMPS]\nPU1 J1 J2 HEAD C1\n[CURVES]\nC1 0 100\nC1 50 80\nC1 40 50\n"),
        16,
        &["curve C1", "rise"],
    );
    assert_problem(&base("[PIPES]\nP3 J1 J1 1 1 1\n"), 12, &["P3", "same node"]);
    assert_problem(
        &base("[PATTERNS]\nPA 1 inf\n"),
        12,
        &["pattern PA", "finite"],
    );
    assert_problem(
        &base("[JUNCTIONS]\nJ3 1 2 NOPAT\n"),
        12,
        &["J3", "undefined pattern NOPAT"],
    );
    assert_problem(
        &base("[VALVES]\nV1 R1 J2 12 PRV 50\n"),
        12,
        &["V1", "tank or reservoir"],
    );
    assert_problem(
        &base("[PUMPS]\nPU1 J1 J2 HEAD C1\n[CURVES]\nC1 0 100\nC1 50 120\nC1 60 130\nC1 70 50\n"),
        12,
        &["PU1", "invalid head curve"],
    );
    assert_problem(&base("[PUMPS]\nPU1 J1 J2\n"), 12, &["PU1", "neither"]);
    assert_problem(
        &base("[CONTROLS]\nLINK P1 OPEN IF NODE J7 ABOVE 5\n"),
        12,
        &["undefined node J7"],
    );
    assert_problem(
        &base("[TANKS]\nT1 10 5 1 2 20\n[PIPES]\nP9 T1 J2 1 1 1\n"),
        12,
        &["tank T1", "levels"],
    );
    assert_problem(
        &base("[OPTIONS]\nHYDRAULICS USE h.hyd\n"),
        12,
        &["HYDRAULICS", "not supported"],
    );
    assert_problem(&base("[FOO]\n"), 11, &["unknown section [FOO]"]);
    assert_problem("[JUNCTIONS]\nJ1 1\n", 0, &["no tank"]);
}

#[test]
fn problems_come_in_line_order_and_all_are_kept() {
    let found = problems(&base("[JUNCTIONS]\nJ1 5\nJ4 x\n[PIPES]\nP9 J1 JX\n"));
    let lines: Vec<u32> = found.iter().map(|p| p.0).collect();
    assert_eq!(lines, [12, 13, 15]);
}

#[test]
fn empty_rules_are_fine_and_demands_replace_then_add() {
    let net = read_network(
        &base("[RULES]\n\n[PATTERNS]\nPA 1 2\n[DEMANDS]\nJ1 7 PA ;first\nJ1 3\n[OPTIONS]\nPATTERN PA\n"),
        "t.inp",
    )
    .unwrap();
    let d = &net.nodes[0].demands;
    assert_eq!(d.len(), 2);
    assert_eq!(
        (d[0].base, d[0].pattern, d[0].name.as_deref()),
        (7.0 / 448.831, Some(0), Some("first"))
    );
    assert_eq!((d[1].base, d[1].pattern), (3.0 / 448.831, None));
    assert_eq!(net.options.default_pattern, Some(0));
}

#[test]
fn valves_statuses_controls_and_times() {
    let net = read_network(
        &base(concat!(
            "[JUNCTIONS]\nJ3 0\n[VALVES]\nV1 J2 J3 12 PRV 50 2\nV2 J1 J3 6 FCV 100\n",
            "[STATUS]\nV2 OPEN\nP2 CLOSED\n",
            "[CONTROLS]\nLINK V1 30 AT CLOCKTIME 1:30 PM\nLINK P1 CLOSED AT TIME 2:15\nLINK V2 10 IF NODE J2 ABOVE 10 DISABLED\n",
            "[TIMES]\nDuration 2 days\nHydraulic Timestep 0:30\nReport Timestep 15 min\nStart ClockTime 12 am\nPattern Start 90 SEC\n",
            "[OPTIONS]\nUnits LPS\nDemand Model PDA\nMinimum Pressure 5\nRequired Pressure 20\nEmitter Exponent 0.5\n",
        )),
        "t.inp",
    )
    .unwrap();
    let v1 = &net.links[net.link_index("V1").unwrap()];
    assert_eq!(v1.kind, LinkKind::Prv);
    assert_eq!(v1.kc, 50.0 / 0.3048);
    assert_eq!(v1.init_status, Status::Active);
    let d = 12.0 / 304.8;
    assert_eq!(v1.km, 0.02517 * 2.0 / (d * d) / (d * d));
    let v2 = &net.links[net.link_index("V2").unwrap()];
    assert_eq!((v2.init_status, v2.init_setting), (Status::Open, MISSING));
    assert_eq!(v2.kc, 100.0 / 28.317);
    assert_eq!(net.links[1].init_status, Status::Closed);
    let c = &net.controls;
    assert_eq!(
        (c[0].kind, c[0].time, c[0].setting),
        (ControlKind::TimeOfDay, 13 * 3600 + 1800, 30.0 / 0.3048)
    );
    assert_eq!(
        (c[1].kind, c[1].time, c[1].status),
        (ControlKind::Timer, 8100, Status::Closed)
    );
    assert_eq!(
        (c[2].enabled, c[2].grade, c[2].setting),
        (false, 20.0 / 0.3048 + 10.0 / 0.3048, 10.0 / 28.317)
    );
    let t = &net.times;
    assert_eq!(
        (
            t.duration,
            t.hydraulic_step,
            t.report_step,
            t.start_clock,
            t.pattern_start
        ),
        (172_800, 900, 900, 0, 90)
    );
    assert_eq!(net.options.p_min, 5.0 / 0.3048);
    assert_eq!(net.options.p_required, 20.0 / 0.3048);
    assert_eq!(net.options.qexp, 2.0);
}

#[test]
fn leaking_pipes_are_refused_not_solved_as_tight() {
    assert_problem(
        &base("[LEAKAGE]\nP2 0.5 0\n"),
        12,
        &["P2", "leakage model", "--engine epanet"],
    );
    // Told apart from a faulty file, so that the automatic engine can hand it to EPANET;
    // with a faulty line as well, it is one more problem of the file.
    assert!(matches!(
        read_network(&base("[LEAKAGE]\nP2 0.5 0\n"), "t.inp"),
        Err(HydraulicsError::Unsupported { .. })
    ));
    assert!(matches!(
        read_network(&base("[LEAKAGE]\nP2 0.5 0\nP9 1 1\n"), "t.inp"),
        Err(HydraulicsError::Input { problems, .. }) if problems.len() == 2
    ));
    // No leakage is no leakage.
    read_network(&base("[LEAKAGE]\nP2 0 0\n"), "t.inp").unwrap();
}
