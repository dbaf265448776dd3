//! Unit tests of the reader's conversions and EPANET's rules.

use super::read_network;
use crate::error::HydraulicsError;
use crate::model::{CurveKind, LinkKind, Network, PumpCurveKind, Status};

const BASE: &str = "[JUNCTIONS]\nJ1 10 5\nJ2 20 5\n[RESERVOIRS]\nR1 100\n[PIPES]\nP1 R1 J1 100 12 100\nP2 J1 J2 100 12 100\n";

fn net(extra: &str) -> Network {
    match read_network(&format!("{BASE}{extra}"), "t.inp") {
        Ok(n) => n,
        Err(e) => panic!("{e}"),
    }
}

fn messages(extra: &str) -> Vec<String> {
    match read_network(&format!("{BASE}{extra}"), "t.inp") {
        Err(HydraulicsError::Input { problems, .. }) => {
            problems.into_iter().map(|p| p.message).collect()
        }
        other => panic!("expected problems, got {other:?}"),
    }
}

#[test]
fn three_point_and_custom_pump_curves() {
    let n = net(
        "[PUMPS]\nPU1 J1 J2 HEAD C3\nPU2 J2 J1 HEAD CC SPEED 1.2\n[CURVES]\nC3 0 300\nC3 1000 250\nC3 2000 100\nCC 500 200\nCC 1000 150\nCC 1500 90\nCC 2000 10\n",
    );
    let p = &n.pumps[0];
    assert_eq!(p.curve_kind, PumpCurveKind::PowerFunction);
    let (h4, h5) = (300.0_f64 - 250.0, 300.0_f64 - 100.0);
    let c = (h5 / h4).ln() / 2.0_f64.ln();
    assert_eq!(p.n, c);
    assert_eq!(p.h0, -300.0);
    assert_eq!(p.h_max, 300.0);
    let q = &n.pumps[1];
    assert_eq!(q.curve_kind, PumpCurveKind::Custom);
    assert_eq!(q.q_max, 2000.0 / 448.831);
    assert_eq!(q.q0, (500.0 + 2000.0) / 2.0 / 448.831);
    assert_eq!(q.h_max, 200.0);
    assert_eq!(n.links[3].kc, 1.2);
    assert_eq!(n.curves[0].kind, CurveKind::Pump);
}

#[test]
fn constant_power_pumps_divide_by_the_power_factor_twice_in_si() {
    let n = net("[PUMPS]\nPU1 J1 J2 POWER 10\n[OPTIONS]\nUNITS CMH\n");
    let p = &n.pumps[0];
    assert_eq!(p.curve_kind, PumpCurveKind::ConstantPower);
    assert_eq!(n.links[2].km, 10.0 / 0.7457);
    assert_eq!(p.r, -8.814 * (10.0 / 0.7457) / 0.7457);
    assert_eq!((p.n, p.q0), (-1.0, 1.0));
}

#[test]
fn volume_curve_tanks() {
    let n = net(
        "[TANKS]\nT1 50 4 1 9 10 0 VC\n[PIPES]\nP3 T1 J2 100 12 100\n[CURVES]\nVC 0 0\nVC 10 500\n",
    );
    let t = &n.tanks[1];
    assert_eq!((t.v_min, t.v0, t.v_max), (50.0, 200.0, 450.0));
    let d = (4.0 * 50.0 / std::f64::consts::PI).sqrt();
    assert_eq!(t.area, std::f64::consts::PI * (d * d) / 4.0);
    assert_eq!(t.volume_curve, Some(0));
    assert_eq!(n.curves[0].kind, CurveKind::Volume);
    let m = messages(
        "[TANKS]\nT1 50 4 1 12 10 0 VC\n[PIPES]\nP3 T1 J2 100 12 100\n[CURVES]\nVC 0 0\nVC 10 500\n",
    );
    assert!(m[0].contains("outside volume curve VC"), "{m:?}");
}

#[test]
fn darcy_weisbach_roughness_and_the_default_units_of_early_pipes() {
    // [OPTIONS] after [PIPES]: P3's default diameter is EPANET's US 10 in, as EPANET
    // reads it (netsize does not look ahead), but converted as millimetres.
    let n = net("[PIPES]\nP3 J2 R1 50\n[OPTIONS]\nUNITS LPS\nHEADLOSS D-W\n");
    let p1 = &n.links[0];
    assert_eq!(p1.kc, 100.0 / (1000.0 * 0.3048));
    assert_eq!(p1.diameter, 12.0 / 304.8);
    let p3 = &n.links[2];
    assert_eq!(p3.diameter, 10.0 / 304.8);
    assert_eq!(p3.kc, 130.0 / (1000.0 * 0.3048));
    assert_eq!(n.options.hexp, 2.0);
}

#[test]
fn emitters_energy_and_viscosity() {
    let n = net(concat!(
        "[EMITTERS]\nJ1 0.5\nR1 3\n[LEAKAGE]\nP1 0 0\n",
        "[PUMPS]\nPU1 J1 J2 POWER 5\n[CURVES]\nE 100 70\n",
        "[ENERGY]\nGlobal Price 0.1\nPump PU1 Efficiency E\nPump PU1 Price 0.2\nDemand Charge 3\n",
        "[OPTIONS]\nViscosity 2\nSpecific Gravity 1.1\nEmitter Exponent 0.6\nUnbalanced Continue 5\n",
    ));
    let qexp = 1.0 / 0.6;
    let ke = 448.831_f64.powf(qexp) / (0.4333 * 1.1) / 0.5_f64.powf(qexp);
    assert_eq!(n.nodes[0].emitter, ke);
    assert_eq!(n.nodes[2].emitter, 0.0);
    assert_eq!(
        (n.links[0].leak_area, n.links[0].leak_expansion),
        (0.0, 0.0)
    );
    assert_eq!(n.options.energy_cost, 0.1);
    assert_eq!(
        (n.pumps[0].energy_cost, n.pumps[0].efficiency_curve),
        (0.2, Some(0))
    );
    assert_eq!(n.options.viscosity, 2.0 * 1.1e-5);
    assert_eq!(n.options.extra_iter, 5);
    assert_eq!(n.units.pressure_factor, 0.4333 * 1.1);
}

#[test]
fn status_ranges_and_pump_settings() {
    let n = net("[PUMPS]\n7 J1 J2 POWER 5\n[STATUS]\n7 0\nP1 P2 CLOSED\n");
    assert_eq!(
        (n.links[2].init_status, n.links[2].kc),
        (Status::Closed, 0.0)
    );
    assert_eq!(n.links[0].init_status, Status::Closed);
    assert_eq!(n.links[1].init_status, Status::Closed);
    assert_eq!(n.links[2].kind, LinkKind::Pump);
}

#[test]
fn pda_limits_and_option_order() {
    let n = net("[OPTIONS]\nMinimum Pressure 10\nDemand Model PDA\n");
    assert_eq!(n.options.p_min, 10.0 / 0.4333);
    assert_eq!(n.options.p_required, (10.0 + 0.1) / 0.4333);
    let m = messages("[OPTIONS]\nRequired Pressure 20\nMinimum Pressure 19.95\n");
    assert!(m[0].contains("required pressure must exceed"), "{m:?}");
}

#[test]
fn times_follow_adjustdata() {
    let n =
        net("[TIMES]\nDuration 10\nPattern Timestep 0:30\nHydraulic Timestep 2\nReport Start 20\n");
    let t = &n.times;
    assert_eq!(
        (t.hydraulic_step, t.pattern_step, t.report_step),
        (1800, 1800, 3600)
    );
    assert_eq!((t.report_start, t.rule_step), (0, 180));
    let m = messages("[TIMES]\nFortnight 3\n");
    assert!(m[0].contains("unknown time keyword Fortnight") && m[0].contains("DURATION"));
}

/// Elements the rule tests name: a tank, a pump, valves and a pipe with a check valve.
const RULE_NET: &str = "[TANKS]\nT1 50 10 0 20 30 0\n[PIPES]\nP3 J2 T1 100 12 100 0 CV\nP4 J1 T1 100 12 100\n[PUMPS]\nPU1 R1 J2 POWER 10\n[VALVES]\nV1 J1 J2 12 PRV 30\nV2 J1 J2 12 TCV 10\nG1 J1 J2 12 GPV C1\n[CURVES]\nC1 0 0\nC1 10 5\n[OPTIONS]\nUNITS LPS\n";

fn rules(text: &str) -> Network {
    net(&format!("{RULE_NET}[RULES]\n{text}"))
}

/// Problems of `[RULES]` text: (line within the rules, message).
fn rule_problems(text: &str) -> Vec<(u32, String)> {
    let first = (BASE.lines().count() + RULE_NET.lines().count() + 2) as u32;
    match read_network(&format!("{BASE}{RULE_NET}[RULES]\n{text}"), "t.inp") {
        Err(HydraulicsError::Input { problems, .. }) => problems
            .into_iter()
            .map(|p| (p.line + 1 - first, p.message))
            .collect(),
        other => panic!("expected problems, got {other:?}"),
    }
}

#[test]
fn rules_are_read_as_ruledata_reads_them() {
    use crate::model::{LogicalOp, MISSING, Relation, RuleObject, RuleStatus, RuleVariable};
    let n = rules(
        "RULE 1\nIF TANK T1 LEVEL ABOVE 19.5\nAND SYSTEM CLOCKTIME >= 8:30 PM\nOR LINK PU1 STATUS IS OPEN\nTHEN PUMP PU1 STATUS IS CLOSED\nAND VALVE V1 SETTING = 25.5\nELSE PIPE P4 SETTING IS 0\nPRIORITY 3\n\
         rule 2 ; a comment\nif junction J1 pressure <= 40\nand node T1 filltime < 2\nthen valve V2 setting is 12\ndisabled\n",
    );
    assert_eq!(n.rules.len(), 2);
    let r = &n.rules[0];
    assert_eq!((r.label.as_str(), r.priority, r.enabled), ("1", 3.0, true));
    let t1 = n.node_index("T1").unwrap();
    let p = &r.premises[0];
    assert_eq!(
        (p.logop, p.object, p.variable, p.relation, p.value),
        (
            LogicalOp::If,
            RuleObject::Node(t1),
            RuleVariable::Level,
            Relation::Gt,
            19.5
        )
    );
    let p = &r.premises[1];
    assert_eq!(
        (p.object, p.variable, p.relation, p.value),
        (
            RuleObject::System,
            RuleVariable::ClockTime,
            Relation::Ge,
            20.5 * 3600.0
        )
    );
    let p = &r.premises[2];
    assert_eq!(
        (p.logop, p.status, p.value),
        (LogicalOp::Or, Some(RuleStatus::Open), MISSING)
    );
    assert_eq!(r.then_actions[0].status, Some(RuleStatus::Closed));
    assert_eq!(
        (r.then_actions[1].status, r.then_actions[1].setting),
        (None, 25.5)
    );
    // A pipe's setting is a status: 0 closes it.
    assert_eq!(
        (r.else_actions[0].status, r.else_actions[0].setting),
        (Some(RuleStatus::Closed), MISSING)
    );
    let r = &n.rules[1];
    assert!(!r.enabled);
    assert_eq!(r.premises[1].value, 7200.0);
    assert_eq!(r.then_actions[0].setting, 12.0);
}

#[test]
fn faulty_rules_are_reported_at_their_lines() {
    let cases: [(&str, u32, &[&str]); 14] = [
        (
            "RULE 1\nIF NODE X9 HEAD > 3\nTHEN PUMP PU1 STATUS IS OPEN\n",
            2,
            &["rule 1", "undefined node X9"],
        ),
        (
            "RULE 1\nIF LINK X9 FLOW > 3\nTHEN PUMP PU1 STATUS IS OPEN\n",
            2,
            &["undefined link X9"],
        ),
        (
            "RULE 1\nIF PIPE P4 LEVEL > 3\nTHEN PUMP PU1 STATUS IS OPEN\n",
            2,
            &["LEVEL", "not a link's"],
        ),
        (
            "RULE 1\nIF JUNCTION J1 FLOW > 3\nTHEN PUMP PU1 STATUS IS OPEN\n",
            2,
            &["FLOW", "not a node's"],
        ),
        (
            "RULE 1\nIF JUNCTION J1 FILLTIME > 3\nTHEN PUMP PU1 STATUS IS OPEN\n",
            2,
            &["FILLTIME", "junction"],
        ),
        (
            "RULE 1\nIF SYSTEM HEAD > 3\nTHEN PUMP PU1 STATUS IS OPEN\n",
            2,
            &["SYSTEM", "DEMAND, TIME or CLOCKTIME"],
        ),
        (
            "RULE 1\nIF TANK T1 LEVEL ~ 3\nTHEN PUMP PU1 STATUS IS OPEN\n",
            2,
            &["relation '~'", "ABOVE"],
        ),
        (
            "RULE 1\nIF TANK T1 LEVEL > high\nTHEN PUMP PU1 STATUS IS OPEN\n",
            2,
            &["value 'high'", "number"],
        ),
        (
            "RULE 1\nIF SYSTEM CLOCKTIME = 8 XM\nTHEN PUMP PU1 STATUS IS OPEN\n",
            2,
            &["time", "AM or PM"],
        ),
        (
            "RULE 1\nIF TANK T1 LEVEL > 3\nTHEN PIPE P3 STATUS IS OPEN\n",
            3,
            &["P3", "check valve"],
        ),
        (
            "RULE 1\nIF TANK T1 LEVEL > 3\nTHEN VALVE G1 SETTING IS 4\n",
            3,
            &["G1", "general purpose"],
        ),
        (
            "RULE 1\nIF TANK T1 LEVEL > 3\nTHEN VALVE V1 SETTING IS -4\n",
            3,
            &["'-4'", "0 or more"],
        ),
        (
            "RULE 1\nIF TANK T1 LEVEL > 3\nPRIORITY 2\n",
            3,
            &["PRIORITY is misplaced", "THEN or ELSE"],
        ),
        (
            "RULE 1\nTHEN PUMP PU1 STATUS IS OPEN\n",
            2,
            &["THEN is misplaced", "IF"],
        ),
    ];
    for (text, line, words) in cases {
        let problems = rule_problems(text);
        assert_eq!(problems.len(), 1, "{text}: {problems:?}");
        let (at, message) = &problems[0];
        assert_eq!(*at, line, "{text}: {message}");
        for w in words {
            assert!(message.contains(w), "{text}: '{message}' lacks '{w}'");
        }
    }
    let more: [(&str, u32, &[&str]); 5] = [
        (
            "RULE 1\nIF TANK T1 LEVEL > 3\n",
            1,
            &["rule 1", "missing THEN"],
        ),
        ("RULE\nIF TANK T1 LEVEL > 3\n", 1, &["RULE takes one label"]),
        ("IF TANK T1 LEVEL > 3\n", 1, &["[RULES]", "IF is misplaced"]),
        (
            "RULE 1\nWHEN TANK T1 LEVEL > 3\n",
            2,
            &["unknown clause 'WHEN'", "RULE, IF"],
        ),
        (
            "RULE 1\nIF TANK T1 LEVEL\nTHEN PUMP PU1 STATUS IS OPEN\n",
            2,
            &["5 or 6 items"],
        ),
    ];
    for (text, line, words) in more {
        let problems = rule_problems(text);
        let (at, message) = &problems[0];
        assert_eq!(*at, line, "{text}: {message}");
        for w in words {
            assert!(message.contains(w), "{text}: '{message}' lacks '{w}'");
        }
    }
    // Reading resumes at the next RULE: both faulty rules are reported.
    let problems = rule_problems(
        "RULE A\nIF NODE X HEAD > 1\nTHEN PUMP PU1 STATUS IS OPEN\nRULE B\nIF TANK T1 LEVEL > 3\nTHEN LINK Y STATUS IS OPEN\n",
    );
    assert_eq!(
        problems.iter().map(|p| p.0).collect::<Vec<_>>(),
        vec![2, 6],
        "{problems:?}"
    );
    assert!(problems[1].1.starts_with("rule B: undefined link Y"));
}

#[test]
fn the_prescan_sees_the_lines_str_lines_gives() {
    use super::LinesFrom;
    let texts = [
        "",
        "\n",
        "a",
        "a\n",
        "a\r\nb\r\n",
        "a\r",
        "a\n\n[X]\r\nb\n",
        "[P]\nx [y\n\n z\r\n[Q]",
        "no bracket\nat all\n",
        "é[\n\r\n\r",
    ];
    for text in texts {
        let all: Vec<(usize, &str)> = text.lines().enumerate().collect();
        let mut lines = LinesFrom::new(text);
        let ours: Vec<(usize, &str)> = std::iter::from_fn(|| lines.next()).collect();
        assert_eq!(ours, all, "{text:?}");
        let with: Vec<(usize, &str)> = all
            .iter()
            .copied()
            .filter(|(_, l)| l.contains('['))
            .collect();
        let mut lines = LinesFrom::new(text);
        let ours: Vec<(usize, &str)> = std::iter::from_fn(|| lines.next_with('[')).collect();
        assert_eq!(ours, with, "{text:?}");
    }
}

#[test]
fn patterns_named_before_their_section_keep_their_lines() {
    // A pattern is named by a junction before [PATTERNS]; its ID, order and line come
    // from the prescan, which passes over the lines without a `[`.
    let n = net(
        "[DEMANDS]\nJ1 1 PB ;[note\n[PATTERNS]\n;c\nPA 1 2\n\nPB 3 4\nPA 5\n[CURVES]\nC1 1 2\n",
    );
    let ids: Vec<&str> = n.patterns.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["PA", "PB"]);
    let problems = match read_network(&format!("{BASE};[x\n\n[PATTERNS]\nPA 1\nPC\n"), "t.inp") {
        Err(HydraulicsError::Input { problems, .. }) => problems,
        other => panic!("expected problems, got {other:?}"),
    };
    let lines: Vec<u32> = problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, [13]);
}
