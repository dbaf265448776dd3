//! `lifeline forecast`: per district when power and water are back with their spread; the
//! JSON document; bad input refused with its flag, file and line.

use crate::{lifeline, stderr, stdout};
use std::path::{Path, PathBuf};

fn tiny(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../cascade/tests/data/tiny")
        .join(name)
}

const UNCERTAIN: &str = "name = \"uncertain\"\nhorizon_h = 24\n[[strike]]\nat = \"02:00\"\nasset = \"bus:3\"\nrepair_h = { median = 10, p90 = 20 }\n[[strike]]\nat = \"03:00\"\nasset = \"pump_station:INTAKE\"\nrepair_h = 5\n";

#[test]
fn certain_repairs_forecast_simulate_s_times_and_the_document_matches_its_snapshot() {
    let city = tiny("city.toml");
    let scenario = tiny("scenarios/substation.toml");
    let output = lifeline(&[
        "forecast",
        city.to_str().unwrap(),
        scenario.to_str().unwrap(),
        "--samples",
        "8",
        "--json",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let document: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(document["certain"], true);
    assert_eq!(document["districts"][1]["power_back_h"]["p10"], 12.0);
    assert_eq!(document["districts"][1]["power_back_h"]["p90"], 12.0);
    insta::assert_json_snapshot!("forecast_tiny_certain", document, {
        ".seconds" => "[seconds]",
        ".samples_per_second" => "[rate]",
    });
}

#[test]
fn an_uncertain_repair_gives_a_band_in_the_table_and_files() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("uncertain.toml");
    std::fs::write(&scenario, UNCERTAIN).unwrap();
    let out = dir.path().join("forecast");
    let output = lifeline(&[
        "forecast",
        tiny("city.toml").to_str().unwrap(),
        scenario.to_str().unwrap(),
        "--samples",
        "50",
        "--seed",
        "3",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("Riverside"), "{text}");
    assert!(text.contains(", median "), "{text}");
    let districts = std::fs::read_to_string(out.join("districts.csv")).unwrap();
    assert!(
        districts.starts_with("district,power_back_p10_h,"),
        "{districts}"
    );
    assert_eq!(districts.lines().count(), 3);
    let by_hour = std::fs::read_to_string(out.join("by-hour.csv")).unwrap();
    assert!(by_hour.lines().count() > 2 * 24);
    assert!(out.join("fan.csv").is_file() && out.join("forecast.json").is_file());
    let chart = std::fs::read_to_string(out.join("fan.svg")).unwrap();
    assert!(
        chart.starts_with("<svg")
            && chart.contains("<polygon")
            && chart.contains("People without water")
    );
    assert!(text.contains("fan.svg"), "{text}");
}

#[test]
fn bad_input_is_refused_with_its_flag_or_place() {
    let city = tiny("city.toml");
    let scenario = tiny("scenarios/substation.toml");
    let run = |extra: &[&str]| {
        let mut args = vec![
            "forecast",
            city.to_str().unwrap(),
            scenario.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        lifeline(&args)
    };
    let zero = run(&["--samples", "0"]);
    assert_eq!(zero.status.code(), Some(1));
    assert!(
        stderr(&zero).contains("--samples: must be from 1"),
        "{}",
        stderr(&zero)
    );
    let late = run(&["--at", "40:00"]);
    assert!(
        stderr(&late).contains("--at: must be within the scenario's horizon"),
        "{}",
        stderr(&late)
    );
    let garbled = run(&["--at", "9am"]);
    assert!(
        stderr(&garbled).contains("--at: '9am' is not HH:MM"),
        "{}",
        stderr(&garbled)
    );
    // A strike whose distribution is inverted, at its line.
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "name = \"bad\"\n[[strike]]\nat = \"01:00\"\nasset = \"bus:3\"\nrepair_h = { median = 10, p90 = 4 }\ndestroyed_probability = 1.5\n",
    )
    .unwrap();
    let output = lifeline(&["forecast", city.to_str().unwrap(), bad.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output);
    assert!(text.contains("bad.toml:5:"), "{text}");
    assert!(
        text.contains("p90 (4) must not be below median (10)"),
        "{text}"
    );
    assert!(
        text.contains("bad.toml:6:")
            && text.contains("destroyed_probability must be from 0 to 1, got 1.5"),
        "{text}"
    );
}

/// The tiny city with one crew of both skills, in a temporary folder.
fn tiny_with_a_crew(dir: &Path) -> PathBuf {
    for name in ["grid.m", "water.inp", "service-areas.csv"] {
        std::fs::copy(tiny(name), dir.join(name)).unwrap();
    }
    let mut text = std::fs::read_to_string(tiny("city.toml")).unwrap();
    text.push_str("\n[[crew]]\nid = \"C-1\"\nskills = [\"power\", \"water\"]\ndepot = \"Hill\"\n");
    let city = dir.join("city.toml");
    std::fs::write(&city, text).unwrap();
    city
}

#[test]
fn the_city_s_crews_come_in_with_a_plan_or_a_rule() {
    let dir = tempfile::tempdir().unwrap();
    let city = tiny_with_a_crew(dir.path());
    let scenario = dir.path().join("uncertain.toml");
    std::fs::write(&scenario, UNCERTAIN).unwrap();
    let run = |plan: &str| {
        let output = lifeline(&[
            "forecast",
            city.to_str().unwrap(),
            scenario.to_str().unwrap(),
            "--samples",
            "30",
            "--plan",
            plan,
            "--json",
        ]);
        assert!(output.status.success(), "{plan}: {}", stderr(&output));
        serde_json::from_str::<serde_json::Value>(&stdout(&output)).unwrap()
    };
    let unlimited = run("none");
    assert_eq!(unlimited["plan"], "none");
    assert!(unlimited["plan_by"].is_null());
    for plan in ["chosen", "rule"] {
        let document = run(plan);
        assert_eq!(document["plan"], plan);
        assert!(document["plan_by"].as_str().unwrap().starts_with("the "));
        // One crew does both repairs in turn: the later one comes no sooner than with
        // a crew for each.
        for d in 0..2 {
            let with = document["districts"][d]["water_back_h"]["p90"].as_f64();
            let without = unlimited["districts"][d]["water_back_h"]["p90"].as_f64();
            if let (Some(with), Some(without)) = (with, without) {
                assert!(
                    with >= without - 1e-9,
                    "{plan}, district {d}: {with} < {without}"
                );
            }
        }
    }
    // The table says who repairs.
    let output = lifeline(&[
        "forecast",
        city.to_str().unwrap(),
        scenario.to_str().unwrap(),
        "--samples",
        "5",
        "--plan",
        "rule",
    ]);
    assert!(
        stdout(&output).contains("sent by the priority rule"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn a_plan_without_crews_is_refused_and_one_with_a_crew_forecasts_from_a_moment() {
    let city = tiny("city.toml");
    let scenario = tiny("scenarios/substation.toml");
    let output = lifeline(&[
        "forecast",
        city.to_str().unwrap(),
        scenario.to_str().unwrap(),
        "--plan",
        "rule",
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("--plan: --crews: infeasible: the city has no [[crew]]"),
        "{}",
        stderr(&output)
    );
    // With a crew and a moment: the work done by then keeps its time.
    let dir = tempfile::tempdir().unwrap();
    let with_crew = tiny_with_a_crew(dir.path());
    let output = lifeline(&[
        "forecast",
        with_crew.to_str().unwrap(),
        scenario.to_str().unwrap(),
        "--plan",
        "chosen",
        "--at",
        "03:00",
        "--samples",
        "5",
        "--json",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let document: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(document["at_h"], 3.0);
    assert_eq!(document["plan"], "chosen");
}

#[test]
fn a_forecast_in_shards_merges_into_the_same_files() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("uncertain.toml");
    std::fs::write(&scenario, UNCERTAIN).unwrap();
    let city = tiny("city.toml");
    let run = |extra: &[&str]| {
        let mut args = vec![
            "forecast",
            city.to_str().unwrap(),
            scenario.to_str().unwrap(),
            "--samples",
            "40",
            "--seed",
            "5",
        ];
        args.extend_from_slice(extra);
        let output = lifeline(&args);
        assert!(output.status.success(), "{extra:?}: {}", stderr(&output));
        output
    };
    let whole = dir.path().join("whole");
    run(&["--out", whole.to_str().unwrap()]);
    let parts: Vec<PathBuf> = (0..3)
        .map(|i| dir.path().join(format!("part-{i}.json")))
        .collect();
    for (i, part) in parts.iter().enumerate() {
        let shard = format!("{i}/3");
        let said = stdout(&run(&["--shard", &shard, "--part", part.to_str().unwrap()]));
        assert!(said.contains(&format!("Shard {i}/3")), "{said}");
    }
    let merged = dir.path().join("merged");
    let mut args = vec!["forecast", "merge"];
    args.extend(parts.iter().map(|p| p.to_str().unwrap()));
    args.extend(["--out", merged.to_str().unwrap()]);
    let output = lifeline(&args);
    assert!(output.status.success(), "{}", stderr(&output));
    for file in ["districts.csv", "by-hour.csv", "fan.csv"] {
        assert_eq!(
            std::fs::read_to_string(merged.join(file)).unwrap(),
            std::fs::read_to_string(whole.join(file)).unwrap(),
            "{file}"
        );
    }
    // A shard missing, and a file that is not a part.
    let output = lifeline(&[
        "forecast",
        "merge",
        parts[0].to_str().unwrap(),
        parts[2].to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("1 of 3 shards have no part (1): run them, e.g. with --shard 1/3"),
        "{}",
        stderr(&output)
    );
    let output = lifeline(&["forecast", "merge", scenario.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("uncertain.toml:1:2: not a forecast part"),
        "{}",
        stderr(&output)
    );
    let output = lifeline(&[
        "forecast",
        city.to_str().unwrap(),
        scenario.to_str().unwrap(),
        "--shard",
        "3/3",
        "--part",
        "x.json",
    ]);
    assert!(
        stderr(&output).contains("--shard: '3/3': I must be less than N"),
        "{}",
        stderr(&output)
    );
}
