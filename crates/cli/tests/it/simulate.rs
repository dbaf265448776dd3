//! `lifeline demo` and `lifeline simulate`: the demo end to end, the JSON document, and
//! bad input.

use super::{lifeline, stderr, stdout};
use std::path::{Path, PathBuf};

fn tiny(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../cascade/tests/data/tiny")
        .join(path)
}

#[test]
fn demo_prints_the_districts_a_chart_and_where_the_files_went() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("demo");
    let output = lifeline(&["demo", "--out", out.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    for expected in [
        "22 March 2024 on Demo city",
        "District",
        "Most without power",
        "North-East",
        "City",
        "Customers without power",
        "People without water",
        "Written:",
        "lifeline simulate",
        "Repairs: 15 damaged assets, 7 crews.",
        "less than the best dispatch rule",
        "lifeline restore",
        "Next:",
        "    lifeline serve\n",
        "--from-scenario",
        "--scenarios n-1 --out n1.parquet",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    for file in [
        "result.json",
        "districts.csv",
        "assets.csv",
        "tanks.csv",
        "districts.geojson",
        "city/city.toml",
        "city/water.inp",
        "restore/jobs.csv",
        "restore/curves.csv",
        "restore/restoration.svg",
    ] {
        assert!(out.join(file).is_file(), "{file} not written");
    }
    // The written city is a working template: it runs again as it is.
    let again = lifeline(&[
        "simulate",
        out.join("city/city.toml").to_str().unwrap(),
        out.join("city/scenarios/2024-03-22.toml").to_str().unwrap(),
        "--json",
    ]);
    assert!(again.status.success(), "{}", stderr(&again));
    let document: serde_json::Value = serde_json::from_str(&stdout(&again)).unwrap();
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("result.json")).unwrap()).unwrap();
    assert_eq!(document["summary"], written["summary"]);
    assert_eq!(document["districts"], written["districts"]);
}

#[test]
fn demo_json_holds_the_summary_and_every_district_timeline() {
    let dir = tempfile::tempdir().unwrap();
    let output = lifeline(&["demo", "--json", "--out", dir.path().to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let document: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert!(
        document["summary"]["peak_customers_without_power"]
            .as_u64()
            .unwrap()
            > 0
    );
    let restoration = &document["restoration"];
    assert_eq!(restoration["crews"], 7);
    assert_eq!(restoration["damaged_assets"], 15);
    assert_eq!(restoration["jobs"].as_array().unwrap().len(), 15);
    assert!(
        restoration["objective"].as_f64().unwrap()
            <= restoration["best_rule_objective"].as_f64().unwrap()
    );
    let districts = document["districts"].as_array().unwrap();
    assert_eq!(districts.len(), 9);
    for district in districts {
        for key in ["name", "population", "customers", "timeline"] {
            assert!(!district[key].is_null(), "{key} missing");
        }
        let timeline = district["timeline"].as_array().unwrap();
        assert_eq!(timeline.len(), 49);
        for key in ["t_h", "customers_without_power", "people_without_water"] {
            assert!(!timeline[0][key].is_null(), "{key} missing");
        }
    }
}

#[test]
fn simulate_json_matches_its_snapshot() {
    let output = lifeline(&[
        "simulate",
        tiny("city.toml").to_str().unwrap(),
        tiny("scenarios/substation.toml").to_str().unwrap(),
        "--json",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let document: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    insta::assert_json_snapshot!("simulate_tiny", document, {
        ".city_file" => "[city]",
        ".scenario_file" => "[scenario]",
        ".elapsed_ms" => "[ms]",
        ".summary.unserved_m3" => insta::rounded_redaction(2),
        ".districts[].unserved_m3" => insta::rounded_redaction(2),
        ".districts[].timeline[].load_mw" => insta::rounded_redaction(6),
        ".districts[].timeline[].served_mw" => insta::rounded_redaction(6),
        ".districts[].timeline[].water_required_lps" => insta::rounded_redaction(4),
        ".districts[].timeline[].water_delivered_lps" => insta::rounded_redaction(4),
        ".tanks[].level_m[]" => insta::rounded_redaction(3),
        ".tanks[].volume_m3[]" => insta::rounded_redaction(1),
        ".stats.water_solves" => "[count]",
    });
}

#[test]
fn simulate_writes_csv_and_geojson_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let output = lifeline(&[
        "simulate",
        tiny("city.toml").to_str().unwrap(),
        tiny("scenarios/substation.toml").to_str().unwrap(),
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let districts = std::fs::read_to_string(dir.path().join("districts.csv")).unwrap();
    let mut lines = districts.lines();
    assert_eq!(
        lines.next(),
        Some(
            "t_h,district,population,customers,customers_without_power,people_without_water,load_mw,served_mw,shed_mw,water_required_lps,water_delivered_lps"
        )
    );
    assert_eq!(districts.lines().count(), 1 + 17 * 2);
    assert!(
        districts.contains("\n5,Riverside,3000,1200,1200,0,"),
        "{districts}"
    );
    let assets = std::fs::read_to_string(dir.path().join("assets.csv")).unwrap();
    assert!(
        assets.contains("pump_station:INTAKE,River intake,5.5,no_power\n"),
        "{assets}"
    );
    // The tiny city has no map: no GeoJSON.
    assert!(!dir.path().join("districts.geojson").exists());
}

#[test]
fn bad_input_exits_1_with_every_problem_located() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("bad.toml");
    std::fs::write(
        &scenario,
        "name = \"bad\"\nhorizon_h = 12\n[[strike]]\nat = \"13:00\"\nasset = \"bus:3\"\n[[strike]]\nat = \"01:00\"\nasset = \"pump_station:INTAKES\"\n",
    )
    .unwrap();
    let output = lifeline(&[
        "simulate",
        tiny("city.toml").to_str().unwrap(),
        scenario.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output);
    let file = scenario.display().to_string();
    assert!(
        text.contains(&format!(
            "error: {file}:4:6: strike on bus:3: time 13:00 is outside the horizon"
        )),
        "{text}"
    );
    assert!(text.contains(&format!("error: {file}:8:9: asset 'pump_station:INTAKES': pump station 'INTAKES' is not in the city; did you mean INTAKE?")), "{text}");
    assert!(
        text.contains("2 problems found; nothing was simulated"),
        "{text}"
    );
    assert!(stdout(&output).is_empty());
    let output = lifeline(&[
        "simulate",
        "/nonexistent/city.toml",
        scenario.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("error: /nonexistent/city.toml: cannot read the file"));
}
