//! Every benchmark on small inputs: the JSON documents' shape, and missing peers reported
//! rather than fatal.

use crate::{bench, case, lifeline_program, stderr, stdout};

#[test]
fn json_document_without_peers() {
    let output = bench(&[
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
    let output = bench(&[
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
    let output = bench(&["cascade", "--runs", "1", "--no-peer", "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let document: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert!(document["lifeline_s"].as_f64().unwrap() > 0.0);
    assert!(document["grid_solves"].as_u64().unwrap() > 1);
    assert!(document["peak_customers_without_power"].as_u64().unwrap() > 0);
    assert_eq!(document["peer_skipped"], "--no-peer given");
    assert!(document["ratio"].is_null());

    let output = bench(&[
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

#[test]
fn bench_restore_reports_every_planner_against_the_rules_and_the_optimum() {
    let output = bench(&[
        "restore",
        "--sizes",
        "6,20",
        "--seeds",
        "2",
        "--search-seconds",
        "0.2",
        "--no-demo",
        "--json",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let document: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let sizes = document["generated"].as_array().unwrap();
    assert_eq!(sizes.len(), 2);
    let small = &sizes[0];
    assert_eq!(small["damaged_assets"], 6);
    assert_eq!(small["crews"], 2);
    let names: Vec<&str> = small["planners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "priority",
            "largest_load",
            "shortest_repair",
            "best",
            "exact"
        ]
    );
    for planner in small["planners"].as_array().unwrap() {
        // Nothing beats the proven optimum; the best rule is 1 against itself or worse.
        assert!(
            planner["vs_optimum"].as_f64().unwrap() >= 1.0 - 1e-9,
            "{planner}"
        );
        assert!(planner["median_ms"].as_f64().unwrap() >= 0.0);
    }
    let large = &sizes[1];
    assert!(
        large["planners"][4].is_null(),
        "no exact model above 12 assets"
    );
    assert!(document["demo"].is_null());
    let bad = bench(&["restore", "--seeds", "0", "--no-demo"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("--seeds must be at least 1"));
}

#[test]
fn bench_schedule_compares_the_three_schedulers() {
    let output = bench(&["schedule", "--exact-seconds", "2", "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let document: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let cases = document["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 2);
    assert_eq!(cases[0]["groups"], 12);
    assert_eq!(cases[0]["slots"], 168);
    assert_eq!(cases[1]["groups"], 60);
    assert_eq!(cases[1]["slots"], 336);
    for case in cases {
        let names: Vec<&str> = case["schedules"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["name"].as_str().unwrap())
            .collect();
        assert_eq!(names.first(), Some(&"fair"));
        assert_eq!(names.last(), Some(&"rotation"));
        let fair = &case["schedules"][0];
        assert_eq!(fair["uncovered_slots"], 0);
        assert!(fair["off_spread_slots"].as_u64().unwrap() <= 1);
        let rotation = case["schedules"].as_array().unwrap().last().unwrap();
        assert!(
            fair["over_shed_mwh"].as_f64().unwrap() <= rotation["over_shed_mwh"].as_f64().unwrap()
        );
    }
}

#[test]
fn bench_incidents_times_extraction_and_prints_the_evaluation() {
    let eval = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../incidents/eval");
    let output = bench(&[
        "incidents",
        "--eval",
        eval.to_str().unwrap(),
        "--runs",
        "3",
        "--json",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let document: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert!(document["words"].as_u64().unwrap() >= 1000);
    assert!(document["extract_ms"].as_f64().unwrap() > 0.0);
    let sets = document["evaluation"].as_array().unwrap();
    assert_eq!(
        (&sets[0]["set"], &sets[1]["set"]),
        (&"dev".into(), &"test".into())
    );
    assert_eq!(sets[1]["fields"].as_array().unwrap().len(), 8);
    assert!(sets[1]["places"]["tp"].as_u64().unwrap() > 0);
}

#[test]
fn bench_serve_loses_no_write_and_reads_wrk_when_there_is_one() {
    let Some(lifeline) = lifeline_program("bench serve") else {
        return;
    };
    let output = bench(&[
        "serve",
        "--lifeline",
        lifeline.to_str().unwrap(),
        "--seconds",
        "1",
        "--rate",
        "50",
        "--connections",
        "2",
        "--writes",
        "40",
        "--json",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let document: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let burst = &document["burst"];
    assert_eq!(burst["acknowledged"], 40, "{document}");
    assert_eq!(burst["stored"], 40);
    assert_eq!(burst["lost"], 0);
    match document["skipped"].as_str() {
        Some(reason) => {
            assert!(reason.contains("wrk"), "{reason}");
            eprintln!("skipped: the load part of bench serve: {reason}");
        }
        None => {
            let load = document["load"].as_array().unwrap();
            assert_eq!(load.len(), 2);
            for endpoint in load {
                assert!(endpoint["requests"].as_u64().unwrap() > 0, "{endpoint}");
                assert_eq!(endpoint["errors"], 0, "{endpoint}");
                assert!(
                    endpoint["p99_ms"].as_f64().unwrap() >= endpoint["p50_ms"].as_f64().unwrap()
                );
            }
        }
    }
}

#[test]
fn bench_sweep_times_one_thread_and_two() {
    let output = bench(&[
        "sweep",
        "--hours",
        "6",
        "--samples",
        "10",
        "--threads",
        "2",
        "--no-peer",
        "--json",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let document: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let workloads = document["workloads"].as_array().unwrap();
    assert_eq!(workloads.len(), 2);
    assert_eq!(workloads[0]["scenarios"], 165);
    for workload in workloads {
        let timings = workload["timings"].as_array().unwrap();
        assert_eq!(timings.len(), 2);
        assert_eq!(timings[0]["threads"], 1);
        assert_eq!(timings[1]["threads"], 2);
        // The same scenarios give the same water runs, whatever the threads.
        assert_eq!(timings[0]["water_runs_made"], timings[1]["water_runs_made"]);
    }
    assert_eq!(document["peer_skipped"], "--no-peer given");
}

/// The demo city a benchmark writes out (run outside the repository), and EPANET's report
/// files, go to private folders under fresh names, and nothing is left behind.
#[test]
fn scratch_files_are_removed_after() {
    let tmp = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_lifeline-bench"))
        .args(["cascade", "--runs", "1", "--no-peer", "--json"])
        .current_dir(elsewhere.path())
        .env("TMPDIR", tmp.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}
