//! `lifeline bench power` (without peers: they need Python packages; `bench power` itself
//! reports why when they are missing).

use crate::{case, lifeline, stderr, stdout};

#[test]
fn json_document_without_peers() {
    let output = lifeline(&[
        "bench",
        "power",
        case("case9").to_str().unwrap(),
        "--runs",
        "1",
        "--no-peer",
        "--n1",
        "--json",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let document: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let bench = &document["cases"][0];
    assert_eq!(bench["case"], "case9");
    assert_eq!(bench["buses"], 9);
    assert_eq!(bench["peer_skipped"], "--no-peer given");
    for key in [
        "read",
        "compile",
        "ac_cold",
        "ac_warm",
        "dc",
        "dc_from_case",
        "file_to_solution",
        "n1",
    ] {
        assert!(bench["ours"][key].as_f64().unwrap() >= 0.0, "{key}");
    }
    assert_eq!(bench["ours"]["n1_contingencies"], 9);
    assert!(document["machine"]["cores"].as_u64().unwrap() >= 1);
}

#[test]
fn missing_peer_script_is_reported_not_fatal() {
    let output = lifeline(&[
        "bench",
        "power",
        case("case9").to_str().unwrap(),
        "--runs",
        "1",
        "--peer-script",
        "no/such/peer_bench.py",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("peers not measured: "),
        "{}",
        stdout(&output)
    );
}

#[test]
fn cascade_bench_runs_the_demo_and_reports_a_missing_peer() {
    let output = lifeline(&["bench", "cascade", "--runs", "1", "--no-peer", "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let document: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert!(document["lifeline_s"].as_f64().unwrap() > 0.0);
    assert!(document["grid_solves"].as_u64().unwrap() > 1);
    assert!(document["peak_customers_without_power"].as_u64().unwrap() > 0);
    assert_eq!(document["peer_skipped"], "--no-peer given");
    assert!(document["ratio"].is_null());

    let output = lifeline(&[
        "bench",
        "cascade",
        "--runs",
        "1",
        "--peer-script",
        "no/such/study.py",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("peer skipped: "),
        "{}",
        stdout(&output)
    );
}
