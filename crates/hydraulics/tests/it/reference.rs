//! The native solver against EPANET 2.3.05's own results at every report time: heads and
//! pressures within 1e-4 m, demands and flows within 1e-3 L/s (each beyond half a unit in
//! the 7th significant digit the reference files keep), link statuses identical.

use crate::support::compare;

const HEAD_TOL_M: f64 = 1e-4;
const FLOW_TOL_LPS: f64 = 1e-3;

fn assert_matches(name: &str) {
    let Some((c, results)) = compare(name) else {
        return;
    };
    eprintln!(
        "{name}: {c:?}; trials {}",
        results.trials.iter().sum::<u32>()
    );
    assert!(c.rows > 0, "{name}: nothing compared");
    assert!(
        c.head_m <= HEAD_TOL_M,
        "{name}: head off by {} m ({})",
        c.head_m,
        c.head_at
    );
    assert!(
        c.demand_lps <= FLOW_TOL_LPS,
        "{name}: demand off by {} L/s",
        c.demand_lps
    );
    assert!(
        c.flow_lps <= FLOW_TOL_LPS,
        "{name}: flow off by {} L/s ({})",
        c.flow_lps,
        c.flow_at
    );
    assert_eq!(c.status_mismatches, 0, "{name}: link statuses differ");
}

#[test]
fn net1_matches_epanet_at_every_report_time() {
    assert_matches("Net1");
}

#[test]
fn net3_matches_epanet_at_every_report_time() {
    assert_matches("Net3");
}

#[test]
fn ky10_matches_epanet_at_every_report_time() {
    assert_matches("ky10");
}

#[test]
fn net6_matches_epanet_at_every_report_time() {
    assert_matches("Net6");
}

/// EPANET 2.3's `Order[1..=Njuncs]` for Net3 (its `genmmd` ordering, read from an
/// instrumented EPANET build), 1-based junction indices.
const NET3_EPANET_ORDER: [usize; 92] = [
    81, 77, 73, 71, 70, 69, 68, 59, 41, 40, 39, 26, 6, 5, 4, 3, 2, 29, 1, 10, 11, 14, 28, 30, 31,
    32, 27, 25, 24, 47, 45, 46, 82, 80, 79, 78, 76, 75, 74, 72, 67, 66, 65, 64, 62, 63, 38, 58, 84,
    60, 56, 55, 49, 44, 36, 35, 34, 23, 33, 22, 13, 8, 7, 9, 21, 19, 20, 12, 57, 91, 92, 61, 43,
    53, 87, 48, 89, 90, 50, 52, 42, 88, 51, 54, 16, 15, 17, 37, 86, 18, 83, 85,
];

#[test]
fn net3_junctions_are_ordered_as_epanet_orders_them() {
    use lifeline_hydraulics::NodalSystem;
    use lifeline_hydraulics::inp::read_network;
    let path = crate::support::data_dir().join("Net3.inp");
    let text = std::fs::read_to_string(&path).expect("Net3.inp");
    let net = read_network(&text, "Net3").expect("Net3 reads");
    let ends: Vec<(usize, usize)> = net.links.iter().map(|l| (l.from, l.to)).collect();
    let sys = NodalSystem::new(net.n_junctions, &ends);
    let want: Vec<usize> = NET3_EPANET_ORDER.iter().map(|o| o - 1).collect();
    assert_eq!(sys.ordering(), want);
    // 174 off-diagonal non-zeros of the factor in EPANET's NZSUB, plus the diagonal.
    assert_eq!(sys.factor_nonzeros(), 92 + 174);
}

#[test]
fn l_town_matches_epanet_at_every_report_time() {
    assert_matches("L-TOWN");
}

#[test]
fn exnet_3_matches_epanet_at_every_report_time() {
    assert_matches("exnet-3");
}

#[test]
fn bwsn_network_2_matches_epanet_at_every_report_time() {
    assert_matches("BWSN_Network_2");
}

#[test]
fn net3_pressure_driven_matches_epanet_at_every_report_time() {
    assert_matches("Net3.pda");
}

#[test]
fn net6_pressure_driven_matches_epanet_at_every_report_time() {
    assert_matches("Net6.pda");
}
