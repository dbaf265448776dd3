//! `lifeline city check`: every problem and warning of a city at once, with file and
//! line; `--strict` makes warnings errors; the same warnings at every load.

use crate::{lifeline, stderr, stdout};
use std::path::{Path, PathBuf};

/// The tiny city's files.
fn tiny(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../cascade/tests/data/tiny")
        .join(name)
}

/// The tiny city with gaps: a junction with demand in no district, a pump in no
/// station, a station without `serves`, a facility without a district.
fn city_with_gaps(dir: &Path) -> PathBuf {
    let read = |name: &str| std::fs::read_to_string(tiny(name)).unwrap();
    let water = read("water.inp")
        .replace("JB     20     30", "JB     20     30\nJC     20     5")
        .replace(
            "LINK   JA     JB     100     600   130        0          Open",
            "LINK   JA     JB     100     600   130        0          Open\nLINK2  JB     JC     100     600   130        0          Open",
        )
        .replace(
            "INTAKE   RIVER  TOWER  HEAD CURVE-1",
            "INTAKE   RIVER  TOWER  HEAD CURVE-1\nSPARE    RIVER  TOWER  HEAD CURVE-1",
        );
    let city = read("city.toml")
        .replace("serves = [\"Hill\", \"Riverside\"]\n", "")
        .replace("district = \"Riverside\"\n", "");
    std::fs::write(dir.join("water.inp"), water).unwrap();
    std::fs::write(dir.join("city.toml"), city).unwrap();
    for name in ["grid.m", "service-areas.csv"] {
        std::fs::copy(tiny(name), dir.join(name)).unwrap();
    }
    dir.join("city.toml")
}

#[test]
fn a_clean_city_checks_with_no_warning() {
    let output = lifeline(&["city", "check", tiny("city.toml").to_str().unwrap()]);
    assert!(output.status.success(), "{}", stdout(&output));
    assert!(
        stdout(&output).ends_with("0 errors, 0 warnings; the city loads\n"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn every_gap_is_a_warning_with_its_line_and_strict_makes_them_errors() {
    let dir = tempfile::tempdir().unwrap();
    let city = city_with_gaps(dir.path());
    let city = city.to_str().unwrap();
    let output = lifeline(&["city", "check", city]);
    assert!(output.status.success(), "{}", stdout(&output));
    let text = stdout(&output);
    for expected in [
        "1 of the 3 junctions with demand serve no district (JC)",
        "1 pump of the water network is in no [[pump_station]] (SPARE)",
        "pump station 'INTAKE' has no serves",
        "facility 'CLINIC' has no district",
        "0 errors, 4 warnings; the city loads",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    // Each warning in city.toml has its line.
    assert!(
        text.contains("city.toml:28:6: pump station 'INTAKE' has no serves"),
        "{text}"
    );
    let strict = lifeline(&["city", "check", city, "--strict"]);
    assert_eq!(strict.status.code(), Some(1), "{}", stdout(&strict));
    assert!(stdout(&strict).contains("--strict makes warnings errors"));
    // Every command that loads the city says the same on standard error.
    let scenario = tiny("scenarios/substation.toml");
    let run = lifeline(&["simulate", city, scenario.to_str().unwrap(), "--json"]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(
        stderr(&run).contains("warning: ") && stderr(&run).contains("has no serves"),
        "{}",
        stderr(&run)
    );
}

#[test]
fn city_check_json_matches_its_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let city = city_with_gaps(dir.path());
    let output = lifeline(&["city", "check", city.to_str().unwrap(), "--json"]);
    assert!(output.status.success());
    let document: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    insta::assert_json_snapshot!("city_check_gaps", document, {
        ".file" => "[city.toml]",
        ".warnings[].file" => "[file]",
    });
}

#[test]
fn every_unknown_field_of_a_city_file_is_reported_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let city = city_with_gaps(dir.path());
    let text = std::fs::read_to_string(&city)
        .unwrap()
        .replace("population = 1000", "population = 1000\npopulaton = 1000")
        .replace("power_kw = 100", "power_kw = 100\npower_kW = 100")
        .replace("[water]", "[water]\nfiel = \"x\"");
    std::fs::write(&city, text).unwrap();
    let output = lifeline(&["city", "check", city.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    for field in ["`fiel`", "`populaton`", "`power_kW`"] {
        assert!(
            text.contains(&format!("unknown field {field}")),
            "missing {field} in\n{text}"
        );
    }
    assert!(
        text.contains("3 errors, 0 warnings; the city does not load"),
        "{text}"
    );
}

#[test]
fn scenarios_given_with_the_city_are_checked_against_it() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("bad.toml");
    std::fs::write(
        &scenario,
        "name = \"bad\"\nstart = \"yesterday\"\n[[strike]]\nat = \"01:00\"\nasset = \"bus:99\"\n",
    )
    .unwrap();
    let output = lifeline(&[
        "city",
        "check",
        tiny("city.toml").to_str().unwrap(),
        tiny("scenarios/substation.toml").to_str().unwrap(),
        scenario.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(text.contains("bad.toml:2:9: "), "{text}");
    assert!(text.contains("bus 99"), "{text}");
    assert!(text.contains("2 errors, 0 warnings"), "{text}");
}

/// District rectangles over Net3's plane, in a local projection whose unit is 200 m.
const NET3_CRS: &str =
    "+proj=tmerc +lat_0=50 +lon_0=30 +k=1 +x_0=0 +y_0=0 +ellps=WGS84 +to_meter=200";

fn net3_districts(dir: &Path) -> PathBuf {
    let square = |a: f64, b: f64, c: f64, d: f64| {
        serde_json::json!([[[a, c], [b, c], [b, d], [a, d], [a, c]]])
    };
    let features: Vec<serde_json::Value> = [("West", 7.0, 27.0, 5000), ("East", 27.0, 46.0, 7000)]
        .iter()
        .map(|(name, a, b, people)| {
            serde_json::json!({
                "type": "Feature",
                "properties": {"name": name, "population": people, "accounts": people / 2},
                "geometry": {"type": "Polygon", "coordinates": square(*a, *b, -1.0, 32.0)},
            })
        })
        .collect();
    let path = dir.join("districts.geojson");
    std::fs::write(
        &path,
        serde_json::json!({"type": "FeatureCollection", "features": features}).to_string(),
    )
    .unwrap();
    path
}

#[test]
fn city_init_writes_a_city_that_checks_and_simulates() {
    let dir = tempfile::tempdir().unwrap();
    let districts = net3_districts(dir.path());
    let facilities = dir.path().join("facilities.csv");
    std::fs::write(
        &facilities,
        "kind,name,lon,lat,backup_kw,fuel_hours\nhospital,City Hospital,30.05,50.03,500,48\n",
    )
    .unwrap();
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data");
    let out = dir.path().join("city");
    let output = lifeline(&[
        "city",
        "init",
        "--water",
        data.join("epanet/Net3.inp").to_str().unwrap(),
        "--grid",
        data.join("matpower/case14.m").to_str().unwrap(),
        "--districts",
        districts.to_str().unwrap(),
        "--districts-crs",
        NET3_CRS,
        "--customers-field",
        "accounts",
        "--facilities",
        facilities.to_str().unwrap(),
        "--name",
        "Net3 town",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(
        output.status.success(),
        "{}{}",
        stdout(&output),
        stderr(&output)
    );
    let text = stdout(&output);
    assert!(
        text.contains("(2 districts, 92 junctions: 0 outside every polygon"),
        "{text}"
    );
    assert!(text.contains("no bus positions"), "{text}");
    assert!(text.contains("city check: 0 errors, 0 warnings"), "{text}");
    for file in [
        "city.toml",
        "service-areas.csv",
        "districts.geojson",
        "init-report.md",
        "water.inp",
        "grid.m",
    ] {
        assert!(out.join(file).is_file(), "{file}");
    }
    let city = std::fs::read_to_string(out.join("city.toml")).unwrap();
    assert!(city.contains("name = \"City Hospital\""), "{city}");
    assert!(
        city.contains("backup = { kw = 500.0, fuel_hours = 48.0"),
        "{city}"
    );
    assert!(city.contains("customers = 2500"), "{city}");
    let check = lifeline(&[
        "city",
        "check",
        out.join("city.toml").to_str().unwrap(),
        "--strict",
    ]);
    assert!(check.status.success(), "{}", stdout(&check));
    // The written city runs.
    let scenario = dir.path().join("strike.toml");
    std::fs::write(
        &scenario,
        "name = \"strike\"\nhorizon_h = 3\n[[strike]]\nat = \"01:00\"\nasset = \"bus:2\"\nrepair_h = 1\n",
    )
    .unwrap();
    let run = lifeline(&[
        "simulate",
        out.join("city.toml").to_str().unwrap(),
        scenario.to_str().unwrap(),
        "--json",
    ]);
    assert!(run.status.success(), "{}", stderr(&run));
}

#[test]
fn city_init_json_matches_its_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let districts = net3_districts(dir.path());
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data");
    let out = dir.path().join("city");
    let output = lifeline(&[
        "city",
        "init",
        "--water",
        data.join("epanet/Net3.inp").to_str().unwrap(),
        "--grid",
        data.join("matpower/case14.m").to_str().unwrap(),
        "--districts",
        districts.to_str().unwrap(),
        "--districts-crs",
        NET3_CRS,
        "--out",
        out.to_str().unwrap(),
        "--json",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let document: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    insta::assert_json_snapshot!("city_init_net3", document, {
        ".city" => "[city.toml]",
        ".written[]" => "[file]",
    });
}

#[test]
fn city_init_bad_input_names_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let districts = net3_districts(dir.path());
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data");
    let output = lifeline(&[
        "city",
        "init",
        "--water",
        data.join("epanet/Net3.inp").to_str().unwrap(),
        "--grid",
        data.join("matpower/case14.m").to_str().unwrap(),
        "--districts",
        districts.to_str().unwrap(),
        "--districts-crs",
        "EPSG:99999",
        "--out",
        dir.path().join("city").to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("--districts-crs: coordinate system 'EPSG:99999'"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn city_map_writes_an_svg_of_the_city_at_a_time_of_a_scenario() {
    let dir = tempfile::tempdir().unwrap();
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/demo-city");
    let out = dir.path().join("map.svg");
    let output = lifeline(&[
        "city",
        "map",
        data.join("city.toml").to_str().unwrap(),
        "--scenario",
        data.join("scenarios/2024-03-22.toml").to_str().unwrap(),
        "--at",
        "06:00",
        "--water",
        "--out",
        out.to_str().unwrap(),
        "--json",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let document: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(document["at_h"], 6.0);
    let svg = std::fs::read_to_string(&out).unwrap();
    assert!(svg.contains("bus down\""));
    let late = lifeline(&[
        "city",
        "map",
        data.join("city.toml").to_str().unwrap(),
        "--scenario",
        data.join("scenarios/2024-03-22.toml").to_str().unwrap(),
        "--at",
        "99:00",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(late.status.code(), Some(1));
    assert!(
        stderr(&late).contains("--at: must be within the run"),
        "{}",
        stderr(&late)
    );
}
