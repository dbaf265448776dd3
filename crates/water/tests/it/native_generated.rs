//! The native engine against EPANET on generated networks: grids of junctions of any
//! size, elevation and demand pattern, fed by one or two reservoirs, with check valves,
//! pipes closed from the start, a tank filled by a pump under level controls, pressure
//! reducing, flow control and throttle valves, Hazen–Williams or Darcy–Weisbach head
//! loss, demand- or pressure-driven demand, and pipes cut between steps. Every step of
//! every run must agree with EPANET's: the same times, heads within 1e-4 m, flows and
//! demands within 1e-3 L/s, the same links open, the same warnings.

use lifeline_water::{
    DemandModel, Engine, HydraulicState, LinkChange, Simulation, SimulationOptions,
};
use proptest::prelude::*;
use std::fmt::Write;

/// A generated network and what happens to it.
#[derive(Debug, Clone)]
struct Case {
    rows: usize,
    cols: usize,
    elevations: Vec<f64>,
    demands: Vec<f64>,
    pattern: Vec<f64>,
    reservoir_heads: (f64, Option<f64>),
    lengths: Vec<f64>,
    diameters: Vec<f64>,
    /// Per pipe: 0 open, 1 check valve, 2 closed from the start.
    kinds: Vec<u8>,
    darcy_weisbach: bool,
    tank: Option<(f64, f64)>,
    valve: Option<(u8, f64)>,
    pressure_driven: bool,
    cut: Option<(usize, i64)>,
}

fn case() -> impl Strategy<Value = Case> {
    (2usize..6, 2usize..6).prop_flat_map(|(rows, cols)| {
        let nodes = rows * cols;
        let pipes = rows * (cols - 1) + cols * (rows - 1);
        (
            (
                Just((rows, cols)),
                prop::collection::vec(0.0f64..40.0, nodes),
                prop::collection::vec(0.0f64..4.0, nodes),
                prop::collection::vec(0.3f64..1.7, 24),
                (70.0f64..110.0, prop::option::of(65.0f64..105.0)),
            ),
            (
                prop::collection::vec(50.0f64..600.0, pipes),
                prop::collection::vec(
                    prop::sample::select(vec![100.0, 150.0, 200.0, 300.0]),
                    pipes,
                ),
                prop::collection::vec(prop::sample::select(vec![0u8, 0, 0, 0, 0, 1, 2]), pipes),
                any::<bool>(),
                prop::option::of((10.0f64..30.0, 15.0f64..40.0)),
                prop::option::of((0u8..3, 0.0f64..1.0)),
                any::<bool>(),
                prop::option::of((0usize..pipes, 1i64..20)),
            ),
        )
            .prop_map(
                |(
                    ((rows, cols), elevations, demands, pattern, reservoir_heads),
                    (lengths, diameters, kinds, darcy_weisbach, tank, valve, pressure_driven, cut),
                )| Case {
                    rows,
                    cols,
                    elevations,
                    demands,
                    pattern,
                    reservoir_heads,
                    lengths,
                    diameters,
                    kinds,
                    darcy_weisbach,
                    tank,
                    valve,
                    pressure_driven,
                    cut,
                },
            )
    })
}

/// The case as an EPANET input file (LPS, metres).
fn inp(case: &Case) -> String {
    let mut t = String::from("[TITLE]\ngenerated\n\n[JUNCTIONS]\n");
    let id = |r: usize, c: usize| format!("J{r}_{c}");
    for r in 0..case.rows {
        for c in 0..case.cols {
            let i = r * case.cols + c;
            writeln!(
                t,
                "{} {:.3} {:.4} P1",
                id(r, c),
                case.elevations[i],
                case.demands[i]
            )
            .unwrap();
        }
    }
    t.push_str("\n[RESERVOIRS]\n");
    writeln!(t, "R1 {:.3}", case.reservoir_heads.0).unwrap();
    if let Some(head) = case.reservoir_heads.1 {
        writeln!(t, "R2 {head:.3}").unwrap();
    }
    t.push_str("\n[TANKS]\n");
    if let Some((diameter, _)) = case.tank {
        writeln!(t, "T1 60 3 0.5 6 {diameter:.3} 0").unwrap();
    }
    t.push_str("\n[PIPES]\n");
    let roughness = if case.darcy_weisbach { 0.26 } else { 110.0 };
    let mut k = 0;
    let mut pipe = |t: &mut String, a: String, b: String| {
        let status = ["Open", "CV", "Closed"][case.kinds[k] as usize];
        writeln!(
            t,
            "P{k} {a} {b} {:.2} {} {roughness} 0 {status}",
            case.lengths[k], case.diameters[k]
        )
        .unwrap();
        k += 1;
    };
    for r in 0..case.rows {
        for c in 0..case.cols {
            if c + 1 < case.cols {
                pipe(&mut t, id(r, c), id(r, c + 1));
            }
            if r + 1 < case.rows {
                pipe(&mut t, id(r, c), id(r + 1, c));
            }
        }
    }
    writeln!(t, "S1 R1 {} 100 400 {roughness} 0 Open", id(0, 0)).unwrap();
    if case.reservoir_heads.1.is_some() {
        writeln!(
            t,
            "S2 R2 {} 200 300 {roughness} 0 Open",
            id(case.rows - 1, case.cols - 1)
        )
        .unwrap();
    }
    if case.tank.is_some() {
        writeln!(
            t,
            "S3 T1 {} 150 250 {roughness} 0 Open",
            id(case.rows - 1, 0)
        )
        .unwrap();
    }
    t.push_str("\n[PUMPS]\n");
    if case.tank.is_some() {
        writeln!(t, "PU1 {} T1 HEAD C1", id(0, case.cols - 1)).unwrap();
    }
    t.push_str("\n[VALVES]\n");
    if let Some((kind, x)) = case.valve {
        let (kind, setting) = match kind {
            0 => ("PRV", 15.0 + 25.0 * x),
            1 => ("FCV", 1.0 + 10.0 * x),
            _ => ("TCV", 1.0 + 50.0 * x),
        };
        writeln!(t, "V1 {} {} 200 {kind} {setting:.3} 0", id(0, 0), id(1, 0)).unwrap();
    }
    t.push_str("\n[PATTERNS]\nP1");
    for f in &case.pattern {
        write!(t, " {f:.4}").unwrap();
    }
    t.push_str("\n\n[CURVES]\n");
    if let Some((_, head)) = case.tank {
        writeln!(t, "C1 20 {head:.3}").unwrap();
    }
    t.push_str("\n[CONTROLS]\n");
    if case.tank.is_some() {
        t.push_str("LINK PU1 CLOSED IF NODE T1 ABOVE 5\nLINK PU1 OPEN IF NODE T1 BELOW 1.5\n");
    }
    let headloss = if case.darcy_weisbach { "D-W" } else { "H-W" };
    write!(
        t,
        "\n[TIMES]\nDuration 24:00\nHydraulic Timestep 1:00\nPattern Timestep 1:00\n\n[OPTIONS]\nUnits LPS\nHeadloss {headloss}\nUnbalanced Continue 10\n\n[END]\n"
    )
    .unwrap();
    t
}

/// Every solved state, the warnings' codes, or the error's text.
fn run(
    path: &std::path::Path,
    case: &Case,
    engine: Engine,
) -> Result<(Vec<HydraulicState>, Vec<i32>), String> {
    let options = SimulationOptions {
        engine,
        demand_model: case.pressure_driven.then_some(DemandModel::PressureDriven {
            min_pressure_m: 0.0,
            required_pressure_m: 20.0,
            exponent: 0.5,
        }),
        ..Default::default()
    };
    let mut simulation = Simulation::open(path, options).map_err(|e| e.to_string())?;
    let cut = case
        .cut
        .map(|(k, hour)| (format!("P{k}"), hour * 3600 + 900));
    if let Some((_, at)) = &cut {
        simulation.stop_at(*at);
    }
    let mut states = Vec::new();
    loop {
        if let Some((pipe, at)) = &cut
            && simulation.time_s() == *at
        {
            simulation
                .change_link(pipe, LinkChange::Close)
                .map_err(|e| e.to_string())?;
        }
        simulation.solve().map_err(|e| e.to_string())?;
        states.push(simulation.state().map_err(|e| e.to_string())?);
        if !simulation.advance().map_err(|e| e.to_string())? {
            break;
        }
    }
    Ok((
        states,
        simulation.warnings().iter().map(|w| w.code).collect(),
    ))
}

fn compare(case: &Case) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("generated.inp");
    std::fs::write(&path, inp(case)).unwrap();
    let epanet = run(&path, case, Engine::Epanet);
    let native = run(&path, case, Engine::Native);
    let (Ok((theirs, their_codes)), Ok((ours, our_codes))) = (&epanet, &native) else {
        prop_assert_eq!(
            epanet.is_ok(),
            native.is_ok(),
            "one engine failed: {:?} / {:?}",
            epanet.err(),
            native.err()
        );
        return Ok(());
    };
    let times = |s: &[HydraulicState]| s.iter().map(|s| s.time_s).collect::<Vec<_>>();
    prop_assert_eq!(times(ours), times(theirs));
    for (a, b) in ours.iter().zip(theirs) {
        for i in 0..b.head_m.len() {
            prop_assert!(
                (a.head_m[i] - b.head_m[i]).abs() <= 1e-4,
                "head of node {} at {} s: {} against {}",
                i,
                a.time_s,
                a.head_m[i],
                b.head_m[i]
            );
            prop_assert!(
                (a.demand_lps[i] - b.demand_lps[i]).abs() <= 1e-3,
                "demand of node {} at {} s",
                i,
                a.time_s
            );
        }
        for k in 0..b.flow_lps.len() {
            prop_assert!(
                (a.flow_lps[k] - b.flow_lps[k]).abs() <= 1e-3,
                "flow of link {} at {} s: {} against {}",
                k,
                a.time_s,
                a.flow_lps[k],
                b.flow_lps[k]
            );
            prop_assert_eq!(
                a.link_open[k],
                b.link_open[k],
                "status of link {} at {} s",
                k,
                a.time_s
            );
        }
    }
    prop_assert_eq!(our_codes, their_codes);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn the_native_engine_is_epanet_on_generated_networks(case in case()) {
        compare(&case)?;
    }
}
