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
