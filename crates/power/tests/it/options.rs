//! Power-flow options: reactive-limit enforcement and the case start.

use crate::support::data_dir;
use lifeline_power::matpower::{parse_case, read_case};
use lifeline_power::{AcOptions, Init, SolveStatus, run_ac};

/// Two buses: a slack, and a PV bus whose 5 MVAr generator cannot hold 1.05 p.u. under a
/// 50 MVAr load. With limits enforced the bus becomes PQ with its generator at 5 MVAr.
#[test]
fn reactive_limit_turns_a_pv_bus_into_pq_at_the_limit() {
    let text = "mpc.version = '2';\nmpc.baseMVA = 100;\n\
        mpc.bus = [1 3 0 0 0 0 1 1 0 110 1 1.1 0.9; 2 2 20 50 0 0 1 1 0 110 1 1.1 0.9];\n\
        mpc.gen = [1 0 0 300 -300 1.0 100 1 200 0; 2 10 0 5 -5 1.05 100 1 50 0];\n\
        mpc.branch = [1 2 0.01 0.1 0 0 0 0 0 0 1];\n";
    let case = parse_case(text, "two.m", "two").unwrap().case;

    let free = run_ac(&case, &AcOptions::default()).unwrap();
    assert_eq!(free.status, SolveStatus::Converged);
    assert!((free.buses[1].vm_pu - 1.05).abs() < 1e-12);
    assert!(
        free.buses[1].q_mvar + 50.0 > 5.0,
        "without limits the generator exceeds 5 MVAr"
    );

    let options = AcOptions {
        enforce_q_limits: true,
        ..AcOptions::default()
    };
    let limited = run_ac(&case, &options).unwrap();
    assert_eq!(limited.status, SolveStatus::Converged);
    assert_eq!(limited.q_limited_buses, vec![2]);
    assert_eq!(limited.buses[1].kind, 1, "now a PQ bus");
    assert!(
        (limited.buses[1].q_mvar - (5.0 - 50.0)).abs() < 1e-6,
        "generator held at QMAX"
    );
    assert!(
        limited.buses[1].vm_pu < 1.05,
        "the voltage is no longer held"
    );
    assert!(
        limited.iterations > free.iterations,
        "the second solve's iterations count too"
    );
}

/// With limits enforced on case30, no generator at a PV bus is beyond its limits.
#[test]
fn enforced_limits_hold_on_case30() {
    let case = read_case(&data_dir().join("case30.m")).unwrap().case;
    let options = AcOptions {
        enforce_q_limits: true,
        ..AcOptions::default()
    };
    let flow = run_ac(&case, &options).unwrap();
    assert!(flow.status.converged());
    for (bus, row) in case.buses.iter().zip(&flow.buses) {
        let generators: Vec<_> = case
            .generators
            .iter()
            .filter(|g| g.bus == bus.id && g.in_service)
            .collect();
        if generators.is_empty() || row.kind == 3 {
            continue;
        }
        let q_generated = row.q_mvar + bus.q_load_mvar;
        let q_min: f64 = generators.iter().map(|g| g.q_min_mvar).sum();
        let q_max: f64 = generators.iter().map(|g| g.q_max_mvar).sum();
        assert!(
            q_generated >= q_min - 1e-4 && q_generated <= q_max + 1e-4,
            "bus {}: {q_generated} MVAr outside [{q_min}, {q_max}]",
            bus.id
        );
    }
}

/// Starting from the case's own voltages reaches the same solution as a flat start.
#[test]
fn case_start_reaches_the_flat_start_solution() {
    for name in ["case9", "case14", "case30"] {
        let case = read_case(&data_dir().join(format!("{name}.m")))
            .unwrap()
            .case;
        let flat = run_ac(&case, &AcOptions::default()).unwrap();
        let from_case = run_ac(
            &case,
            &AcOptions {
                init: Init::Case,
                ..AcOptions::default()
            },
        )
        .unwrap();
        assert!(from_case.status.converged());
        for (a, b) in flat.buses.iter().zip(&from_case.buses) {
            assert!((a.vm_pu - b.vm_pu).abs() < 1e-8, "{name} bus {}", a.bus_id);
            assert!(
                (a.va_deg - b.va_deg).abs() < 1e-6,
                "{name} bus {}",
                a.bus_id
            );
        }
    }
}

/// A limit of one iteration from a flat start is reported as such, not hidden.
#[test]
fn iteration_limit_is_a_status() {
    let case = read_case(&data_dir().join("case14.m")).unwrap().case;
    let flow = run_ac(
        &case,
        &AcOptions {
            max_iterations: 1,
            ..AcOptions::default()
        },
    )
    .unwrap();
    assert_eq!(flow.status, SolveStatus::MaxIterations);
    assert_eq!(flow.iterations, 1);
    assert!(flow.max_mismatch_pu > 1e-8);
}
