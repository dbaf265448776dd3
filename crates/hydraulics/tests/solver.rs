//! The hydraulic solver on small hand-built networks, checked against closed forms.

use lifeline_hydraulics::model::*;
use lifeline_hydraulics::solve::{pcv_loss_coefficient, resistance};
use lifeline_hydraulics::{HydraulicState, NodalSystem, Simulation, SolveOutcome, solve};
use std::f64::consts::PI;
use std::sync::Arc;

const GPM: f64 = 448.831;

fn options(formula: HeadLossFormula) -> Options {
    Options {
        formula,
        hexp: if formula == HeadLossFormula::HazenWilliams {
            1.852
        } else {
            2.0
        },
        qexp: 2.0,
        pexp: 0.5,
        p_min: 0.0,
        p_required: 0.1,
        demand_model: DemandModel::DemandDriven,
        demand_multiplier: 1.0,
        accuracy: 0.001,
        flow_change_limit: 0.0,
        head_error_limit: 0.0,
        damp_limit: 0.0,
        viscosity: 1.1e-5,
        specific_gravity: 1.0,
        pump_efficiency: 75.0,
        energy_cost: 0.0,
        energy_pattern: None,
        default_pattern: None,
        max_iter: 200,
        extra_iter: -1,
        check_freq: 2,
        max_check: 10,
        htol: 0.0005,
        qtol: 0.0001,
        rqtol: 1e-7,
        emitter_backflow: true,
    }
}

/// A network of `junctions` (id, elevation ft, demand cfs) and `fixed` heads (id, head
/// ft, tank area ft² or 0 for a reservoir); links added afterwards.
fn network(
    formula: HeadLossFormula,
    junctions: &[(&str, f64, f64)],
    fixed: &[(&str, f64, f64)],
) -> Network {
    let mut nodes = Vec::new();
    for &(id, el, d) in junctions {
        nodes.push(Node {
            id: id.into(),
            kind: NodeKind::Junction,
            elevation: el,
            demands: vec![Demand {
                base: d,
                pattern: None,
                name: None,
            }],
            emitter: 0.0,
            coordinates: None,
            line: 0,
        });
    }
    let mut tanks = Vec::new();
    for (i, &(id, h, area)) in fixed.iter().enumerate() {
        let el = if area > 0.0 { h - 10.0 } else { h };
        nodes.push(Node {
            id: id.into(),
            kind: if area > 0.0 {
                NodeKind::Tank
            } else {
                NodeKind::Reservoir
            },
            elevation: el,
            demands: vec![],
            emitter: 0.0,
            coordinates: None,
            line: 0,
        });
        tanks.push(Tank {
            node: junctions.len() + i,
            area,
            h_min: el,
            h_max: el + 40.0,
            h0: h,
            v_min: 0.0,
            v_max: 40.0 * area,
            v0: 10.0 * area,
            pattern: None,
            volume_curve: None,
            can_overflow: false,
        });
    }
    Network {
        title: vec![],
        nodes,
        n_junctions: junctions.len(),
        tanks,
        links: vec![],
        pumps: vec![],
        valves: vec![],
        patterns: vec![Pattern {
            id: "1".into(),
            factors: vec![1.0],
        }],
        curves: vec![],
        controls: vec![],
        rules: vec![],
        options: options(formula),
        times: Times {
            duration: 0,
            hydraulic_step: 3600,
            pattern_step: 3600,
            pattern_start: 0,
            report_step: 3600,
            report_start: 0,
            rule_step: 360,
            start_clock: 0,
        },
        units: Units {
            flow: FlowUnits::Gpm,
            pressure: PressureUnits::Psi,
            flow_factor: GPM,
            head_factor: 1.0,
            pressure_factor: PSI_PER_FT,
            diameter_factor: 12.0,
            volume_factor: 1.0,
        },
        pump_of_link: vec![],
        valve_of_link: vec![],
    }
}

fn add_link(
    net: &mut Network,
    id: &str,
    kind: LinkKind,
    ends: (usize, usize),
    len: f64,
    diam: f64,
    kc: f64,
) -> usize {
    let valve = kind.is_valve();
    net.links.push(Link {
        id: id.into(),
        kind,
        from: ends.0,
        to: ends.1,
        diameter: diam,
        length: len,
        kc,
        km: 0.0,
        init_status: if valve && kc != MISSING {
            Status::Active
        } else {
            Status::Open
        },
        init_setting: if valve {
            kc
        } else if kind == LinkKind::Pump {
            1.0
        } else {
            kc
        },
        leak_area: 0.0,
        leak_expansion: 0.0,
        line: 0,
    });
    let k = net.links.len() - 1;
    net.pump_of_link.push(None);
    net.valve_of_link.push(None);
    if valve {
        net.valves.push(Valve {
            link: k,
            curve: None,
        });
        net.valve_of_link[k] = Some(net.valves.len() - 1);
    }
    k
}

fn pipe(net: &mut Network, id: &str, ends: (usize, usize), len: f64, diam: f64, c: f64) -> usize {
    add_link(net, id, LinkKind::Pipe, ends, len, diam, c)
}

/// The network's state at time 0 as the simulation initialises it (EPANET's `inithyd`).
fn init(net: &Network) -> HydraulicState {
    Simulation::new(Arc::new(net.clone()), "test")
        .state()
        .clone()
}

/// One solution at time 0 (EPANET's `demands`, `controls` and `hydsolve`).
fn run(net: &Network) -> (HydraulicState, SolveOutcome) {
    let mut simulation = Simulation::new(Arc::new(net.clone()), "test");
    simulation.solve().expect("solvable");
    let out = *simulation.last_solution().expect("solved");
    assert!(out.converged, "{out:?}");
    (simulation.state().clone(), out)
}

/// Net outflow of junction `i` through its links plus its demand.
fn imbalance(net: &Network, st: &HydraulicState, i: usize) -> f64 {
    let mut out = st.node_demand[i];
    for (k, l) in net.links.iter().enumerate() {
        if l.from == i {
            out += st.flow[k];
        }
        if l.to == i {
            out -= st.flow[k];
        }
    }
    out
}

fn hw_loss(len: f64, d: f64, c: f64, q: f64) -> f64 {
    4.727 * len / (c.powf(1.852) * d.powf(4.871)) * q.abs().powf(1.852) * q.signum()
}

#[test]
fn reservoir_feeds_junction_through_hazen_williams_pipe() {
    let mut net = network(
        HeadLossFormula::HazenWilliams,
        &[("J1", 50.0, 1.5)],
        &[("R", 200.0, 0.0)],
    );
    pipe(&mut net, "P1", (1, 0), 3000.0, 1.0, 120.0);
    let (st, out) = run(&net);
    let want = 200.0 - hw_loss(3000.0, 1.0, 120.0, 1.5);
    assert!((st.head[0] - want).abs() < 1e-6, "{} vs {want}", st.head[0]);
    assert!((st.flow[0] - 1.5).abs() < 1e-9);
    assert!((st.node_demand[1] + 1.5).abs() < 1e-9, "reservoir outflow");
    assert!(out.iterations >= 2);
}

#[test]
fn loop_of_three_junctions_balances() {
    let mut net = network(
        HeadLossFormula::HazenWilliams,
        &[("J1", 10.0, 0.2), ("J2", 12.0, 0.7), ("J3", 8.0, 0.4)],
        &[("R", 150.0, 0.0)],
    );
    pipe(&mut net, "P0", (3, 0), 1000.0, 1.0, 130.0);
    pipe(&mut net, "P1", (0, 1), 2000.0, 0.5, 100.0);
    pipe(&mut net, "P2", (1, 2), 1500.0, 0.5, 110.0);
    pipe(&mut net, "P3", (2, 0), 2500.0, 0.667, 120.0);
    let (st, out) = run(&net);
    for i in 0..3 {
        assert!(imbalance(&net, &st, i).abs() < 1e-9, "junction {i}");
    }
    for (k, l) in net.links.iter().enumerate() {
        let dh = st.head[l.from] - st.head[l.to];
        let hl = hw_loss(l.length, l.diameter, l.kc, st.flow[k]);
        assert!(
            (dh - hl).abs() < 2e-3 * (1.0 + hl.abs()),
            "link {k}: {dh} vs {hl}"
        );
    }
    assert!(out.max_head_error < 1e-2, "{out:?}");
}

#[test]
fn check_valve_closes_against_reverse_flow() {
    let mut net = network(
        HeadLossFormula::HazenWilliams,
        &[("J1", 0.0, 0.1)],
        &[("LOW", 100.0, 0.0), ("HIGH", 150.0, 0.0)],
    );
    add_link(&mut net, "CV", LinkKind::CvPipe, (1, 0), 500.0, 0.5, 100.0);
    pipe(&mut net, "P", (2, 0), 500.0, 0.5, 100.0);
    let (st, _) = run(&net);
    assert_eq!(st.status[0], Status::Closed);
    assert!(st.flow[0].abs() < 1e-5, "{}", st.flow[0]);
    let want = 150.0 - hw_loss(500.0, 0.5, 100.0, 0.1 + st.flow[0]);
    assert!((st.head[0] - want).abs() < 1e-4);
}

#[test]
fn pump_lifts_water_into_tank() {
    let mut net = network(
        HeadLossFormula::HazenWilliams,
        &[("J1", 0.0, 0.0)],
        &[("SRC", 100.0, 0.0), ("TANK", 150.0, 1000.0)],
    );
    // One-point curve (500 gpm, 80 ft) -> h = a - b q^c in gpm and ft.
    let (q1, h1): (f64, f64) = (500.0, 80.0);
    let a = 1.33334 * h1;
    let c = ((a - 0.0) / (a - h1)).ln() / 2.0f64.ln();
    let b = -(a - h1) / q1.powf(c);
    let k = add_link(&mut net, "PU", LinkKind::Pump, (1, 0), 0.0, 0.0, 1.0);
    net.pumps.push(Pump {
        link: k,
        curve_kind: PumpCurveKind::PowerFunction,
        q0: q1 / GPM,
        q_max: (-a / b).powf(1.0 / c) / GPM,
        h_max: a,
        h0: -a,
        r: -b * GPM.powf(c),
        n: c,
        head_curve: None,
        efficiency_curve: None,
        speed_pattern: None,
        energy_pattern: None,
        energy_cost: 0.0,
    });
    net.pump_of_link[k] = Some(0);
    pipe(&mut net, "P", (0, 2), 1000.0, 1.0, 120.0);
    let (st, _) = run(&net);
    let q = st.flow[0];
    assert!(q > 0.0 && st.status[0] == Status::Open);
    let gain = a + b * (q * GPM).powf(c);
    assert!(
        (st.head[0] - 100.0 - gain).abs() < 1e-4,
        "{} vs {gain}",
        st.head[0] - 100.0
    );
    assert!((st.head[0] - 150.0 - hw_loss(1000.0, 1.0, 120.0, q)).abs() < 1e-3);
    assert!((st.node_demand[2] - q).abs() < 1e-9, "tank fills");
    assert!((st.node_demand[1] + q).abs() < 1e-9, "source drains");
}

#[test]
fn prv_holds_downstream_pressure() {
    let mut net = network(
        HeadLossFormula::HazenWilliams,
        &[("J1", 50.0, 0.0), ("J2", 50.0, 0.0), ("J3", 40.0, 0.5)],
        &[("R", 250.0, 0.0)],
    );
    pipe(&mut net, "P1", (3, 0), 1000.0, 1.0, 120.0);
    add_link(&mut net, "V", LinkKind::Prv, (0, 1), 0.0, 1.0, 60.0);
    pipe(&mut net, "P2", (1, 2), 1000.0, 0.5, 120.0);
    let (st, _) = run(&net);
    assert_eq!(st.status[1], Status::Active);
    assert!((st.head[1] - 110.0).abs() < 1e-4, "{}", st.head[1]);
    assert!((st.head[2] - (110.0 - hw_loss(1000.0, 0.5, 120.0, 0.5))).abs() < 1e-4);
    for i in 0..3 {
        assert!(imbalance(&net, &st, i).abs() < 1e-8);
    }
}

#[test]
fn prv_opens_when_upstream_is_too_low() {
    let mut net = network(
        HeadLossFormula::HazenWilliams,
        &[("J1", 50.0, 0.0), ("J2", 50.0, 0.3)],
        &[("R", 120.0, 0.0)],
    );
    pipe(&mut net, "P1", (2, 0), 1000.0, 1.0, 120.0);
    add_link(&mut net, "V", LinkKind::Prv, (0, 1), 0.0, 1.0, 100.0);
    let (st, _) = run(&net);
    assert_eq!(st.status[1], Status::Open);
    assert!((st.head[1] - st.head[0]).abs() < 1e-4);
}

#[test]
fn darcy_weisbach_pipe_follows_swamee_jain() {
    let mut net = network(
        HeadLossFormula::DarcyWeisbach,
        &[("J1", 0.0, 2.0)],
        &[("R", 200.0, 0.0)],
    );
    let (len, d, eps) = (2000.0, 1.0, 0.0005);
    pipe(&mut net, "P", (1, 0), len, d, eps);
    let (st, _) = run(&net);
    let q = 2.0;
    let area = PI * d * d / 4.0;
    let v = q / area;
    let re = v * d / 1.1e-5;
    let f = 0.25 / (eps / d / 3.7 + 5.74 / re.powf(0.9)).log10().powi(2);
    let hl = f * len / d * v * v / (2.0 * 32.2);
    assert!(
        (200.0 - st.head[0] - hl).abs() < 1e-6,
        "{} vs {hl}",
        200.0 - st.head[0]
    );
}

#[test]
fn darcy_weisbach_laminar_is_hagen_poiseuille() {
    let mut net = network(
        HeadLossFormula::DarcyWeisbach,
        &[("J1", 0.0, 1e-5)],
        &[("R", 200.0, 0.0)],
    );
    pipe(&mut net, "P", (1, 0), 100.0, 0.5, 0.0005);
    let (st, _) = run(&net);
    let v = 1e-5 / (PI * 0.25 / 4.0);
    let hl = 32.0 * 1.1e-5 * 100.0 * v / (32.2 * 0.25);
    assert!(
        (200.0 - st.head[0] - hl).abs() < 1e-9,
        "{} vs {hl}",
        200.0 - st.head[0]
    );
}

#[test]
fn chezy_manning_pipe() {
    let mut net = network(
        HeadLossFormula::ChezyManning,
        &[("J1", 0.0, 1.0)],
        &[("R", 200.0, 0.0)],
    );
    let (len, d, n) = (1500.0, 1.0, 0.012);
    pipe(&mut net, "P", (1, 0), len, d, n);
    let (st, _) = run(&net);
    let v = 1.0 / (PI * d * d / 4.0);
    // Manning: V = 1.49/n Rh^(2/3) S^(1/2), Rh = d/4 (EPANET uses 1.333 for 4/3).
    let hl = len * (n * v / 1.49).powi(2) * (d / 4.0).powf(-1.333);
    assert!(
        (200.0 - st.head[0] - hl).abs() < 1e-6,
        "{} vs {hl}",
        200.0 - st.head[0]
    );
}

#[test]
fn pressure_driven_demand_follows_its_curve() {
    let mut net = network(
        HeadLossFormula::HazenWilliams,
        &[("J1", 100.0, 3.0)],
        &[("R", 130.0, 0.0)],
    );
    net.options.demand_model = DemandModel::PressureDriven;
    net.options.p_min = 5.0;
    net.options.p_required = 40.0;
    pipe(&mut net, "P", (1, 0), 5000.0, 0.667, 100.0);
    let (st, _) = run(&net);
    let p = st.head[0] - 100.0;
    let want = 3.0 * ((p - 5.0) / 35.0).powf(0.5);
    assert!(p > 5.0 && p < 40.0, "pressure {p}");
    assert!(
        (st.demand_flow[0] - want).abs() < 1e-4,
        "{} vs {want}",
        st.demand_flow[0]
    );
    assert!((st.flow[0] - st.demand_flow[0]).abs() < 1e-9);
    assert!((130.0 - st.head[0] - hw_loss(5000.0, 0.667, 100.0, st.flow[0])).abs() < 1e-3);
}

#[test]
fn emitter_discharges_by_its_law() {
    let mut net = network(
        HeadLossFormula::HazenWilliams,
        &[("J1", 0.0, 0.0)],
        &[("R", 100.0, 0.0)],
    );
    net.options.qexp = 2.0;
    net.nodes[0].emitter = 20.0; // ft per cfs²
    pipe(&mut net, "P", (1, 0), 1000.0, 1.0, 120.0);
    let (st, _) = run(&net);
    let q = st.emitter_flow[0];
    assert!(
        (st.head[0] - 20.0 * q * q).abs() < 1e-3,
        "{} vs {}",
        st.head[0],
        20.0 * q * q
    );
    assert!((st.node_demand[0] - q).abs() < 1e-12);
    assert!((st.flow[0] - q).abs() < 1e-9);
}

#[test]
fn fcv_limits_flow() {
    let mut net = network(
        HeadLossFormula::HazenWilliams,
        &[("J1", 0.0, 0.0), ("J2", 0.0, 0.0)],
        &[("R", 100.0, 0.0), ("T", 20.0, 500.0)],
    );
    pipe(&mut net, "P1", (2, 0), 1000.0, 1.0, 120.0);
    add_link(&mut net, "V", LinkKind::Fcv, (0, 1), 0.0, 1.0, 0.5);
    pipe(&mut net, "P2", (1, 3), 1000.0, 1.0, 120.0);
    let (st, _) = run(&net);
    assert_eq!(st.status[1], Status::Active);
    assert!((st.flow[1] - 0.5).abs() < 1e-6, "{}", st.flow[1]);
}

#[test]
fn pcv_loss_coefficient_is_linear_without_a_curve() {
    let mut net = network(
        HeadLossFormula::HazenWilliams,
        &[("J1", 0.0, 0.0)],
        &[("R", 100.0, 0.0)],
    );
    let k = add_link(&mut net, "V", LinkKind::Pcv, (1, 0), 0.0, 1.0, 50.0);
    net.links[k].km = 0.5;
    assert_eq!(pcv_loss_coefficient(&net, k, 100.0), 0.5);
    assert_eq!(pcv_loss_coefficient(&net, k, 0.0), CBIG);
    assert!((pcv_loss_coefficient(&net, k, 50.0) - 2.0).abs() < 1e-12);
    assert_eq!(pcv_loss_coefficient(&net, k, MISSING), 0.0);
    assert!((resistance(&net, k) - 2.0).abs() < 1e-12);
}

#[test]
fn junction_control_closes_pipe() {
    let mut net = network(
        HeadLossFormula::HazenWilliams,
        &[("J1", 0.0, 0.5), ("J2", 0.0, 0.0)],
        &[("R", 100.0, 0.0), ("T", 10.0, 100.0)],
    );
    pipe(&mut net, "P1", (2, 0), 1000.0, 1.0, 120.0);
    pipe(&mut net, "P2", (0, 1), 1000.0, 1.0, 120.0);
    pipe(&mut net, "P3", (1, 3), 1000.0, 1.0, 120.0);
    // Close P3 when J2's head rises above 20 ft.
    net.controls.push(Control {
        link: 2,
        node: Some(1),
        time: 0,
        grade: 20.0,
        setting: MISSING,
        status: Status::Closed,
        kind: ControlKind::HighLevel,
        enabled: true,
        line: 0,
    });
    let (st, _) = run(&net);
    assert_eq!(st.status[2], Status::Closed);
    assert!((st.head[1] - st.head[0]).abs() < 1e-3);
}

#[test]
fn isolated_junction_is_reported() {
    let mut net = network(
        HeadLossFormula::HazenWilliams,
        &[("J1", 0.0, 0.1), ("J2", 0.0, 0.1), ("J3", 0.0, 0.1)],
        &[("R", 100.0, 0.0)],
    );
    pipe(&mut net, "P1", (3, 0), 1000.0, 1.0, 120.0);
    pipe(&mut net, "P2", (0, 1), 1000.0, 1.0, 120.0);
    let mut st = init(&net);
    let ends: Vec<(usize, usize)> = net.links.iter().map(|l| (l.from, l.to)).collect();
    let mut sys = NodalSystem::new(net.n_junctions, &ends);
    assert_eq!(solve(&net, &mut st, &mut sys), Err(2));
}

#[test]
fn tcv_loss_follows_its_coefficient() {
    let mut net = network(
        HeadLossFormula::HazenWilliams,
        &[("J1", 0.0, 0.8)],
        &[("R", 100.0, 0.0)],
    );
    add_link(&mut net, "V", LinkKind::Tcv, (1, 0), 0.0, 0.5, 25.0);
    let (st, _) = run(&net);
    let hl = 0.02517 * 25.0 / 0.5f64.powi(4) * 0.8 * 0.8;
    assert!(
        (100.0 - st.head[0] - hl).abs() < 1e-9,
        "{} vs {hl}",
        100.0 - st.head[0]
    );
}

#[test]
fn psv_sustains_upstream_pressure() {
    let mut net = network(
        HeadLossFormula::HazenWilliams,
        &[("J1", 0.0, 0.0), ("J2", 0.0, 0.0)],
        &[("R", 200.0, 0.0), ("T", 20.0, 500.0)],
    );
    pipe(&mut net, "P1", (2, 0), 2000.0, 0.5, 120.0);
    add_link(&mut net, "V", LinkKind::Psv, (0, 1), 0.0, 1.0, 150.0);
    pipe(&mut net, "P2", (1, 3), 2000.0, 0.5, 120.0);
    let (st, _) = run(&net);
    assert_eq!(st.status[1], Status::Active);
    assert!((st.head[0] - 150.0).abs() < 1e-4, "{}", st.head[0]);
    let q = st.flow[0];
    assert!((200.0 - 150.0 - hw_loss(2000.0, 0.5, 120.0, q)).abs() < 1e-3);
    // An active PSV passes the previous trial's inflow (EPANET's Y = Q - Xflow[n1]),
    // so its flow lags the pipes' by the last flow change.
    assert!((st.flow[1] - q).abs() < 1e-5 && (st.flow[2] - q).abs() < 1e-5);
}

#[test]
fn custom_curve_pump_follows_its_segments() {
    let mut net = network(
        HeadLossFormula::HazenWilliams,
        &[("J1", 0.0, 0.0)],
        &[("SRC", 100.0, 0.0), ("TANK", 150.0, 1000.0)],
    );
    let x = vec![100.0, 400.0, 800.0, 1000.0];
    let y = vec![110.0, 100.0, 60.0, 30.0];
    net.curves.push(Curve {
        id: "C".into(),
        kind: CurveKind::Pump,
        x: x.clone(),
        y: y.clone(),
    });
    let k = add_link(&mut net, "PU", LinkKind::Pump, (1, 0), 0.0, 0.0, 1.0);
    net.pumps.push(Pump {
        link: k,
        curve_kind: PumpCurveKind::Custom,
        q0: (100.0 + 1000.0) / 2.0 / GPM,
        q_max: 1000.0 / GPM,
        h_max: 110.0,
        h0: 0.0,
        r: 0.0,
        n: 0.0,
        head_curve: Some(0),
        efficiency_curve: None,
        speed_pattern: None,
        energy_pattern: None,
        energy_cost: 0.0,
    });
    net.pump_of_link[k] = Some(0);
    pipe(&mut net, "P", (0, 2), 1000.0, 1.0, 120.0);
    let (st, _) = run(&net);
    let gain = interpolate(&x, &y, st.flow[0] * GPM);
    assert!(
        (st.head[0] - 100.0 - gain).abs() < 1e-4,
        "{} vs {gain}",
        st.head[0] - 100.0
    );
}

#[test]
fn pump_against_too_high_a_head_is_closed() {
    let mut net = network(
        HeadLossFormula::HazenWilliams,
        &[("J1", 0.0, 0.0)],
        &[("SRC", 100.0, 0.0), ("TANK", 300.0, 1000.0)],
    );
    let k = add_link(&mut net, "PU", LinkKind::Pump, (1, 0), 0.0, 0.0, 1.0);
    net.pumps.push(Pump {
        link: k,
        curve_kind: PumpCurveKind::PowerFunction,
        q0: 500.0 / GPM,
        q_max: 1000.0 / GPM,
        h_max: 106.668,
        h0: -106.668,
        r: 26.668 / 250_000.0 * GPM * GPM,
        n: 2.0,
        head_curve: None,
        efficiency_curve: None,
        speed_pattern: None,
        energy_pattern: None,
        energy_cost: 0.0,
    });
    net.pump_of_link[k] = Some(0);
    pipe(&mut net, "P", (0, 2), 1000.0, 1.0, 120.0);
    let (st, _) = run(&net);
    assert_eq!(st.status[0], Status::XHead);
    assert!(st.flow[0].abs() < 1e-5);
}

#[test]
fn grid_balances_with_damping_and_extra_trials() {
    // A 6 x 6 grid fed from two reservoirs, solved with DAMPLIMIT and EXTRA TRIALS.
    let m = 6;
    let mut juncs = Vec::new();
    let names: Vec<String> = (0..m * m).map(|i| format!("J{i}")).collect();
    for (i, name) in names.iter().enumerate() {
        juncs.push((name.as_str(), (i % 7) as f64, 0.05 + 0.01 * (i % 5) as f64));
    }
    let mut net = network(
        HeadLossFormula::HazenWilliams,
        &juncs,
        &[("R1", 180.0, 0.0), ("R2", 170.0, 0.0)],
    );
    net.options.damp_limit = 0.01;
    net.options.extra_iter = 10;
    for r in 0..m {
        for c in 0..m {
            let i = r * m + c;
            if c + 1 < m {
                pipe(
                    &mut net,
                    &format!("H{i}"),
                    (i, i + 1),
                    500.0 + 37.0 * c as f64,
                    0.5,
                    110.0,
                );
            }
            if r + 1 < m {
                pipe(
                    &mut net,
                    &format!("V{i}"),
                    (i, i + m),
                    600.0 + 23.0 * r as f64,
                    0.667,
                    120.0,
                );
            }
        }
    }
    pipe(&mut net, "S1", (m * m, 0), 200.0, 1.0, 130.0);
    pipe(&mut net, "S2", (m * m + 1, m * m - 1), 200.0, 1.0, 130.0);
    let (st, out) = run(&net);
    for i in 0..m * m {
        assert!(imbalance(&net, &st, i).abs() < 1e-9, "junction {i}");
    }
    let supplied = -(st.node_demand[m * m] + st.node_demand[m * m + 1]);
    let demand: f64 = st.node_demand[..m * m].iter().sum();
    assert!((supplied - demand).abs() < 1e-9);
    assert!(
        out.relative_error <= 0.001 && out.max_head_error < 0.05,
        "{out:?}"
    );
}
