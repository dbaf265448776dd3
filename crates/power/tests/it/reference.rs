//! Every shared reference case against its AC and DC reference solutions.
//!
//! AC: |ΔVm| ≤ 1e-6 p.u., |ΔVa| ≤ 1e-4°, injections and branch flows ≤ 1e-3 MW/MVAr.
//! DC: angles ≤ 1e-6°, flows ≤ 1e-6 MW. Each on top of the reference files' own rounding
//! (10 significant digits), see `support::allowance`.

use crate::support::{allowance, locate, read_csv};
use lifeline_power::matpower::read_case;
use lifeline_power::{AcOptions, SolveStatus, run_ac, run_dc};

const VM_TOL_PU: f64 = 1e-6;
const VA_TOL_DEG: f64 = 1e-4;
const FLOW_TOL_MW: f64 = 1e-3;
const DC_TOL: f64 = 1e-6;

fn number(field: &str) -> f64 {
    field
        .parse()
        .unwrap_or_else(|_| panic!("not a number: {field}"))
}

/// Largest |ours - reference| over a column, failing with the row if beyond tolerance.
fn compare(
    what: &str,
    ours: impl Iterator<Item = f64>,
    reference: impl Iterator<Item = f64>,
    tolerance: f64,
) -> f64 {
    let mut largest: f64 = 0.0;
    for (row, (a, b)) in ours.zip(reference).enumerate() {
        let difference = (a - b).abs();
        assert!(
            difference <= allowance(tolerance, b),
            "{what}, row {}: ours {a}, reference {b}, difference {difference:e} > {tolerance:e}",
            row + 1
        );
        largest = largest.max(difference);
    }
    largest
}

fn check_ac(name: &str) {
    let Some((case_path, solutions)) = locate(name) else {
        return;
    };
    let case = read_case(&case_path).unwrap().case;
    let flow = run_ac(&case, &AcOptions::default()).unwrap();
    assert_eq!(flow.status, SolveStatus::Converged, "{name}: {flow:?}");
    assert!(flow.max_mismatch_pu < 1e-8);
    // Power balance: the net injections feed exactly the branch losses and the bus shunt
    // conductances, G·|V|².
    let injected: f64 = flow.buses.iter().map(|b| b.p_mw).sum();
    let shunts: f64 = case
        .buses
        .iter()
        .zip(&flow.buses)
        .map(|(bus, row)| bus.g_shunt_mw * row.vm_pu * row.vm_pu)
        .sum();
    let imbalance = injected - flow.losses_mw() - shunts;
    assert!(
        imbalance.abs() < 1e-6,
        "{name}: active power imbalance {imbalance} MW"
    );

    let (header, rows) = read_csv(&solutions, &format!("{name}_ac_bus"));
    assert_eq!(
        header,
        ["bus_id", "type", "vm_pu", "va_deg", "p_mw", "q_mvar"]
    );
    assert_eq!(rows.len(), flow.buses.len());
    for (row, bus) in rows.iter().zip(&flow.buses) {
        assert_eq!(number(&row[0]) as u32, bus.bus_id);
        assert_eq!(
            number(&row[1]) as u8,
            bus.kind,
            "{name}: type of bus {}",
            bus.bus_id
        );
    }
    let column = |c: usize| rows.iter().map(move |r| number(&r[c]));
    let dvm = compare(
        "vm_pu",
        flow.buses.iter().map(|b| b.vm_pu),
        column(2),
        VM_TOL_PU,
    );
    let dva = compare(
        "va_deg",
        flow.buses.iter().map(|b| b.va_deg),
        column(3),
        VA_TOL_DEG,
    );
    compare(
        "p_mw",
        flow.buses.iter().map(|b| b.p_mw),
        column(4),
        FLOW_TOL_MW,
    );
    compare(
        "q_mvar",
        flow.buses.iter().map(|b| b.q_mvar),
        column(5),
        FLOW_TOL_MW,
    );

    let (header, rows) = read_csv(&solutions, &format!("{name}_ac_branch"));
    assert_eq!(
        header,
        [
            "index",
            "from_bus",
            "to_bus",
            "status",
            "p_from_mw",
            "q_from_mvar",
            "p_to_mw",
            "q_to_mvar"
        ]
    );
    assert_eq!(rows.len(), flow.branches.len());
    let column = |c: usize| rows.iter().map(move |r| number(&r[c]));
    let branches = &flow.branches;
    let dpf = compare(
        "p_from_mw",
        branches.iter().map(|b| b.p_from_mw),
        column(4),
        FLOW_TOL_MW,
    );
    compare(
        "q_from_mvar",
        branches.iter().map(|b| b.q_from_mvar),
        column(5),
        FLOW_TOL_MW,
    );
    compare(
        "p_to_mw",
        branches.iter().map(|b| b.p_to_mw),
        column(6),
        FLOW_TOL_MW,
    );
    compare(
        "q_to_mvar",
        branches.iter().map(|b| b.q_to_mvar),
        column(7),
        FLOW_TOL_MW,
    );
    eprintln!(
        "{name} AC: {} iterations, max |dVm| {dvm:.1e} p.u., |dVa| {dva:.1e} deg, |dPf| {dpf:.1e} MW",
        flow.iterations
    );
}

fn check_dc(name: &str) {
    let Some((case_path, solutions)) = locate(name) else {
        return;
    };
    let case = read_case(&case_path).unwrap().case;
    let flow = run_dc(&case).unwrap();
    // Power balance at every bus but the slack: the flows leaving it carry exactly its
    // generation minus its load and shunt conductance.
    let positions = case.bus_positions();
    let mut leaving = vec![0.0; case.buses.len()];
    for branch in flow.branches.iter().filter(|b| b.status == 1) {
        leaving[positions[&branch.from_bus]] += branch.p_mw;
        leaving[positions[&branch.to_bus]] -= branch.p_mw;
    }
    let mut injected: Vec<f64> = case
        .buses
        .iter()
        .map(|b| -b.p_load_mw - b.g_shunt_mw)
        .collect();
    for generator in case.generators.iter().filter(|g| g.in_service) {
        injected[positions[&generator.bus]] += generator.p_mw;
    }
    for (i, bus) in case.buses.iter().enumerate() {
        if bus.kind != lifeline_power::BusKind::Slack {
            let imbalance = leaving[i] - injected[i];
            assert!(
                imbalance.abs() < 1e-6,
                "{name}: bus {} imbalance {imbalance} MW",
                bus.id
            );
        }
    }
    let (header, rows) = read_csv(&solutions, &format!("{name}_dc_bus"));
    assert_eq!(header, ["bus_id", "va_deg"]);
    let dva = compare(
        "dc va_deg",
        flow.buses.iter().map(|b| b.va_deg),
        rows.iter().map(|r| number(&r[1])),
        DC_TOL,
    );
    let (header, rows) = read_csv(&solutions, &format!("{name}_dc_branch"));
    assert_eq!(header, ["index", "from_bus", "to_bus", "status", "p_mw"]);
    let dp = compare(
        "dc p_mw",
        flow.branches.iter().map(|b| b.p_mw),
        rows.iter().map(|r| number(&r[4])),
        DC_TOL,
    );
    eprintln!("{name} DC: max |dVa| {dva:.1e} deg, |dP| {dp:.1e} MW");
}

macro_rules! reference_cases {
    ($($name:ident),*) => {
        #[allow(non_snake_case)]
        mod ac {
            $(#[test] fn $name() { super::check_ac(stringify!($name)); })*
        }
        #[allow(non_snake_case)]
        mod dc {
            $(#[test] fn $name() { super::check_dc(stringify!($name)); })*
        }
    };
}

reference_cases!(
    case9,
    case14,
    case30,
    case57,
    case118,
    case300,
    case_ACTIVSg2000,
    case9241pegase
);
