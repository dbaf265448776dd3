//! `lifeline restore`: the plan on the tiny city (text, JSON, files) and bad input.

use super::{lifeline, stderr, stdout};
use std::path::{Path, PathBuf};

fn tiny(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../cascade/tests/data/tiny")
        .join(path)
}

/// Two strikes on the tiny city: its substation and its intake.
fn two_strikes() -> String {
    std::fs::read_to_string(tiny("scenarios/substation-and-intake.toml")).unwrap()
}

fn scenario(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn restore_prints_every_planner_and_the_crews_jobs() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = scenario(dir.path(), "scenario.toml", &two_strikes());
    let out = dir.path().join("out");
    let output = lifeline(&[
        "restore",
        tiny("city.toml").to_str().unwrap(),
        scenario.to_str().unwrap(),
        "--crews",
        "1",
        "--planner",
        "exact",
        "--search-seconds",
        "0.2",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    for expected in [
        "Restoring 2 damaged assets of \"substation and intake\" with 1 crews (crew-1)",
        "priority",
        "largest_load",
        "shortest_repair",
        "best",
        "exact",
        "unlimited crews",
        "crew-1   01:00–05:00  bus:3              substation 3 (Riverside)",
        "crew-1   05:00–07:00  pump_station:INTAKE River intake",
        "Written:",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    let jobs = std::fs::read_to_string(out.join("jobs.csv")).unwrap();
    assert_eq!(
        jobs.lines().next(),
        Some("crew,order,asset,name,depart_h,start_h,end_h,travel_h,repair_h")
    );
    assert_eq!(jobs.lines().count(), 3);
    assert!(out.join("curves.csv").is_file());
    let svg = std::fs::read_to_string(out.join("restoration.svg")).unwrap();
    assert!(svg.starts_with("<svg"));
}

#[test]
fn restore_json_holds_planners_jobs_and_the_curve() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = scenario(dir.path(), "scenario.toml", &two_strikes());
    let output = lifeline(&[
        "restore",
        tiny("city.toml").to_str().unwrap(),
        scenario.to_str().unwrap(),
        "--crews",
        "2",
        "--search-seconds",
        "0.2",
        "--json",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let document: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let planners = document["planners"].as_array().unwrap();
    let names: Vec<&str> = planners
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["priority", "largest_load", "shortest_repair", "best"]
    );
    assert_eq!(document["notes"], serde_json::json!([]));
    assert!(document["surrogate"]["error_pct"].as_f64().unwrap() >= 0.0);
    for planner in planners {
        for key in [
            "objective",
            "runtime_ms",
            "planning_objective",
            "makespan_h",
        ] {
            assert!(planner[key].is_number(), "{key} in {planner}");
        }
    }
    // Two crews, two jobs: both start at the strike.
    let jobs = document["jobs"].as_array().unwrap();
    assert_eq!(jobs.len(), 2);
    for job in jobs {
        assert_eq!(job["start_h"], 1.0);
        for key in ["crew", "asset", "start_h", "end_h"] {
            assert!(!job[key].is_null(), "{key} missing");
        }
    }
    let curve = document["curve"].as_array().unwrap();
    assert!(!curve.is_empty());
    let last = curve.last().unwrap();
    assert_eq!(last["customers_with_power"], 1600);
    assert_eq!(last["people_with_water"], 4000);
    assert_eq!(document["chosen"], "best");
}

#[test]
fn restore_bad_input_exits_1_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let city = tiny("city.toml");
    let city = city.to_str().unwrap();
    let two_strikes = two_strikes();
    // The tiny city has no crews of its own.
    let plain = scenario(dir.path(), "plain.toml", &two_strikes);
    let output = lifeline(&["restore", city, plain.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("the city has no [[crew]]"),
        "{}",
        stderr(&output)
    );
    // A precedence cycle.
    let cyclic = scenario(
        dir.path(),
        "cyclic.toml",
        &format!(
            "{two_strikes}[[precedence]]\nfirst = \"bus:3\"\nthen = \"pump_station:INTAKE\"\n\
             [[precedence]]\nfirst = \"pump_station:INTAKE\"\nthen = \"bus:3\"\n"
        ),
    );
    let output = lifeline(&["restore", city, cyclic.to_str().unwrap(), "--crews", "1"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("precedence has a cycle: bus:3 → pump_station:INTAKE → bus:3")
            || stderr(&output).contains(
                "precedence has a cycle: pump_station:INTAKE → bus:3 → pump_station:INTAKE"
            ),
        "{}",
        stderr(&output)
    );
    // An unknown asset in the precedence, located.
    let unknown = scenario(
        dir.path(),
        "unknown.toml",
        &format!("{two_strikes}[[precedence]]\nfirst = \"bus:77\"\nthen = \"bus:3\"\n"),
    );
    let output = lifeline(&["restore", city, unknown.to_str().unwrap(), "--crews", "1"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output);
    assert!(text.contains("unknown.toml:15:9: precedence:"), "{text}");
    assert!(text.contains("77"), "{text}");
    // Zero crews.
    let output = lifeline(&["restore", city, plain.to_str().unwrap(), "--crews", "0"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("--crews: infeasible: at least 1 crew is needed"),
        "{}",
        stderr(&output)
    );
    // A search time limit that is no time at all: a usage error naming the flag.
    let output = lifeline(&[
        "restore",
        city,
        plain.to_str().unwrap(),
        "--crews",
        "1",
        "--search-seconds=-1",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("--search-seconds: the search time limit must be"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn restore_json_matches_its_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = scenario(dir.path(), "scenario.toml", &two_strikes());
    let output = lifeline(&[
        "restore",
        tiny("city.toml").to_str().unwrap(),
        scenario.to_str().unwrap(),
        "--crews",
        "1",
        "--search-seconds",
        "0.2",
        "--json",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let document: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    insta::assert_json_snapshot!("restore_tiny", document, {
        ".planners[].runtime_ms" => "[ms]",
        ".planners[].evaluations" => "[count]",
        ".surrogate.evaluations" => "[count]",
        ".evaluation_ms" => "[ms]",
        ".planners[].objective" => insta::rounded_redaction(3),
        ".planners[].planning_objective" => insta::rounded_redaction(3),
        ".unlimited_crews" => insta::rounded_redaction(3),
        ".surrogate.water_scale" => insta::rounded_redaction(3),
        ".surrogate.error_pct" => insta::rounded_redaction(3),
    });
}
