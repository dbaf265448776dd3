//! Bad cities and scenarios: every problem reported with file, line and column and the
//! offending id, never a panic.

use super::{data, problems, scenario, tiny_city};
use lifeline_cascade::City;
use std::path::Path;

fn bad_scenario(text: &str) -> Vec<String> {
    problems(scenario(&tiny_city(), text).unwrap_err())
}

#[test]
fn an_unknown_asset_is_named_with_its_line_and_the_nearest_ids() {
    let found = bad_scenario(
        "name = \"x\"\n[[strike]]\nat = \"01:00\"\nasset = \"pump_station:INTAK\"\n[[strike]]\nat = \"02:00\"\nasset = \"bus:30\"\n",
    );
    assert_eq!(
        found,
        [
            "inline.toml:4:9: asset 'pump_station:INTAK': pump station 'INTAK' is not in the city; did you mean INTAKE?",
            "inline.toml:7:9: asset 'bus:30': bus 30 is not in the grid; did you mean 3?",
        ]
    );
}

#[test]
fn unknown_kinds_rows_pipes_and_tanks_are_explained() {
    let found = bad_scenario(
        "name = \"x\"\n[[strike]]\nat = \"01:00\"\nasset = \"station:3\"\n[[strike]]\nat = \"01:00\"\nasset = \"branch:9\"\n[[strike]]\nat = \"01:00\"\nasset = \"pipe:MIAN\"\n[[strike]]\nat = \"01:00\"\nasset = \"tank:JA\"\n[[strike]]\nat = \"01:00\"\nasset = \"bus12\"\n",
    );
    assert_eq!(found.len(), 5, "{found:#?}");
    assert!(
        found[0].starts_with("inline.toml:4:9: asset 'station:3': kind 'station' is unknown"),
        "{}",
        found[0]
    );
    assert!(
        found[0].ends_with("expected one of bus, branch, gen, pump_station, pipe, tank"),
        "{}",
        found[0]
    );
    assert_eq!(
        found[1],
        "inline.toml:7:9: asset 'branch:9': branch must be a row number from 1 to 2 of the grid file"
    );
    assert_eq!(
        found[2],
        "inline.toml:10:9: asset 'pipe:MIAN': pipe 'MIAN' is not in the water network; did you mean MAIN?"
    );
    assert_eq!(
        found[3],
        "inline.toml:13:9: asset 'tank:JA': node 'JA' is not a tank"
    );
    assert!(
        found[4].starts_with("inline.toml:16:9: asset 'bus12': expected KIND:ID"),
        "{}",
        found[4]
    );
}

#[test]
fn a_time_outside_the_horizon_is_refused() {
    let found = bad_scenario(
        "name = \"x\"\nhorizon_h = 12\n[[strike]]\nat = \"12:00\"\nasset = \"bus:3\"\n[[strike]]\nat = \"4:5\"\nasset = \"bus:2\"\n",
    );
    assert_eq!(
        found,
        [
            "inline.toml:4:6: strike on bus:3: time 12:00 is outside the horizon (00:00 to 12:00)",
            "inline.toml:7:6: strike on bus:2: time '4:5' is not HH:MM (hours from the start, e.g. \"04:50\" or \"30:15\")",
        ]
    );
}

#[test]
fn overlapping_repairs_of_one_asset_name_both_strikes() {
    let found = bad_scenario(
        "name = \"x\"\n[[strike]]\nat = \"02:00\"\nasset = \"bus:3\"\nrepair_h = 10\n\n[[strike]]\nat = \"05:00\"\nasset = \"bus:3\"\nrepair_h = 1\n",
    );
    assert_eq!(
        found,
        ["inline.toml:8: strike on bus:3 at 05:00 overlaps the repair of the strike at 02:00 (line 3), which lasts until 12:00: strike an asset again only after it is repaired"]
            .map(|s| s.replace("inline.toml:8:", "inline.toml:8:1:"))
    );
    // A strike on an asset never repaired overlaps every later one.
    let found = bad_scenario(
        "name = \"x\"\n[[strike]]\nat = \"02:00\"\nasset = \"gen:1\"\n[[strike]]\nat = \"05:00\"\nasset = \"gen:1\"\n",
    );
    assert!(
        found[0].contains("which lasts until the end of the horizon"),
        "{found:?}"
    );
    // Struck again after the repair: fine.
    scenario(&tiny_city(), "name = \"x\"\n[[strike]]\nat = \"02:00\"\nasset = \"bus:3\"\nrepair_h = 2\n[[strike]]\nat = \"04:00\"\nasset = \"bus:3\"\n").unwrap();
}

#[test]
fn malformed_scenarios_say_where() {
    let found = bad_scenario(
        "name = \"x\"\nhorizon_h = -4\nstep_h = 0\n[[capacity]]\nfrom_h = 3\nto_h = 2\navailable_mw = 10\n",
    );
    assert_eq!(found.len(), 3, "{found:#?}");
    assert_eq!(
        found[0],
        "inline.toml:2:13: horizon_h must be a positive number of hours up to 8784 (a year), got -4"
    );
    assert_eq!(
        found[1],
        "inline.toml:3:10: step_h must be a positive number of hours up to 8784 (a year), got 0"
    );
    assert!(
        found[2].starts_with("inline.toml:4:1: capacity: expected 0 ≤ from_h < to_h"),
        "{}",
        found[2]
    );
    // Runs that would not end in useful time, and clocks past any horizon.
    let found = bad_scenario(
        "name = \"x\"\nhorizon_h = 1e300\n[[strike]]\nat = \"9999999999999999:00\"\nasset = \"bus:3\"\nrepair_h = 1e300\n",
    );
    assert_eq!(found.len(), 3, "{found:#?}");
    assert!(found[0].contains("horizon_h must be a positive number of hours up to 8784"));
    assert!(
        found[1].contains("time '9999999999999999:00' is not HH:MM"),
        "{}",
        found[1]
    );
    assert!(found[2].contains("repair_h must be a positive number of hours up to 8784"));
    let found = bad_scenario("name = \"x\"\nhorizon_h = 8000\nstep_h = 0.1\n");
    assert_eq!(
        found,
        [
            "inline.toml:3:10: step_h gives 80000 reported times over the horizon; at most 10000 (lengthen step_h or shorten horizon_h)"
        ]
    );
    let found = bad_scenario(
        "name = \"x\"\n[[strike]]\nat = \"01:00\"\nasset = \"bus:3\"\ndamage = \"flattened\"\n",
    );
    assert_eq!(found.len(), 1);
    assert!(
        found[0].starts_with(
            "inline.toml:5:10: unknown variant `flattened`, expected `damaged` or `destroyed`"
        ),
        "{}",
        found[0]
    );
    let found = bad_scenario("name = \"x\"\n[[strike]]\nat = \"01:00\"\nassett = \"bus:3\"\n");
    assert!(
        found[0].starts_with("inline.toml:4:1: unknown field `assett`"),
        "{}",
        found[0]
    );
    let found = bad_scenario("name = \"x\n");
    assert!(found[0].starts_with("inline.toml:1:"), "{}", found[0]);
}

/// Loads the tiny city after `edit` changes its city.toml (in a copy).
fn bad_city(edit: impl Fn(&str) -> String) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    for name in ["grid.m", "water.inp", "service-areas.csv"] {
        std::fs::copy(data("tiny").join(name), dir.path().join(name)).unwrap();
    }
    let text = std::fs::read_to_string(data("tiny/city.toml")).unwrap();
    let path = dir.path().join("city.toml");
    std::fs::write(&path, edit(&text)).unwrap();
    let found = problems(City::load(&path).unwrap_err());
    let prefix = format!("{}", dir.path().display());
    found
        .into_iter()
        .map(|p| p.replace(&prefix, "DIR"))
        .collect()
}

/// Asserts that `found` has every one of `expected` (as parts of its problems) and that
/// every problem is located in the city file.
fn assert_city_problems(found: &[String], expected: &[&str]) {
    let joined = found.join("\n");
    for expected in expected {
        assert!(
            joined.contains(expected),
            "missing {expected:?} in\n{joined}"
        );
    }
    assert!(
        found.iter().all(|p| p.starts_with("DIR/city.toml:")),
        "{joined}"
    );
}

#[test]
fn a_district_with_no_buses_is_refused() {
    let found = bad_city(|text| text.replace("buses = [{ bus = 2 }]\n", ""));
    assert_eq!(
        found,
        [
            "DIR/city.toml:16:8: district 'Hill' has no buses: expected buses = [{ bus = N, share = 1.0 }, ...]"
        ]
    );
}

#[test]
fn unknown_buses_pumps_districts_and_junctions_are_all_reported() {
    let found = bad_city(|text| {
        text.replace("buses = [{ bus = 3 }]", "buses = [{ bus = 33 }]")
            .replace("pumps = [\"INTAKE\"]", "pumps = [\"INTAKES\", \"MAIN\"]")
            .replace(
                "serves = [\"Hill\", \"Riverside\"]",
                "serves = [\"Hil\", \"Riverside\"]",
            )
            .replace("junction = \"JB\"", "junction = \"JC\"")
    });
    assert_eq!(found.len(), 5, "{found:#?}");
    assert!(found.iter().any(|p| p.contains("district 'Riverside': bus 33 is not in the grid; did you mean 3?")), "{found:#?}");
    assert!(found.iter().any(|p| p.contains("pump 'INTAKES' is not in the water network; did you mean INTAKE?")), "{found:#?}");
    assert!(
        found
            .iter()
            .any(|p| p.contains("link 'MAIN' is not a pump")),
        "{found:#?}"
    );
    assert!(
        found
            .iter()
            .any(|p| p.contains("district 'Hil' is not in this file; did you mean Hill?")),
        "{found:#?}"
    );
    assert!(
        found
            .iter()
            .any(|p| p.contains("junction 'JC' is not in the water network; did you mean JA, JB?")),
        "{found:#?}"
    );
    assert!(
        found.iter().all(|p| p.starts_with("DIR/city.toml:")),
        "{found:#?}"
    );
}

#[test]
fn broken_referenced_files_are_located_in_their_own_file() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["city.toml", "water.inp"] {
        std::fs::copy(data("tiny").join(name), dir.path().join(name)).unwrap();
    }
    std::fs::write(
        dir.path().join("grid.m"),
        "mpc.baseMVA = 100;\nmpc.bus = [1 3 0;\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("service-areas.csv"),
        "junction,district\nJA,Hill\nJA,Riverside\nJZ,Hill\n",
    )
    .unwrap();
    let found = problems(City::load(&dir.path().join("city.toml")).unwrap_err());
    let prefix = format!("{}", dir.path().display());
    let found: Vec<String> = found
        .into_iter()
        .map(|p| p.replace(&prefix, "DIR"))
        .collect();
    assert!(
        found.iter().any(|p| p.starts_with("DIR/grid.m:")),
        "{found:#?}"
    );
    assert!(
        found
            .iter()
            .any(|p| p.starts_with("DIR/service-areas.csv:3:")),
        "{found:#?}"
    );
    assert!(
        found
            .iter()
            .any(|p| p.starts_with("DIR/service-areas.csv:4:")),
        "{found:#?}"
    );
}

#[test]
fn a_missing_city_file_is_an_error_not_a_panic() {
    let found = problems(City::load(Path::new("/nonexistent/city.toml")).unwrap_err());
    assert_eq!(found.len(), 1);
    assert!(
        found[0].starts_with("/nonexistent/city.toml: cannot read the file"),
        "{}",
        found[0]
    );
}

#[test]
fn bad_restoration_settings_are_each_reported() {
    let found = bad_city(|text| {
        format!(
            "{text}\n[restoration]\ntravel_kmh = -5\nrepair_h = {{ bus = 0, bsu = 3 }}\nweights = {{ homes = -1, hospitl = 5 }}\n"
        )
    });
    assert_city_problems(
        &found,
        &[
            "restoration: travel_kmh must be 0 or more, got -5",
            "restoration: repair_h for 'bus': the duration must be a positive number of hours up to 8784 (a year), got 0",
            "restoration: repair_h for 'bsu': expected one of bus, branch, gen, pump_station, pipe, tank",
            "restoration: weight for 'hospitl': expected one of homes, hospital",
            "'homes'",
        ],
    );
    assert_eq!(found.len(), 5, "{found:#?}");
}

#[test]
fn bad_repair_distributions_are_each_reported_at_their_key() {
    let found = bad_city(|text| {
        format!(
            "{text}\n[restoration]\nrepair_h = {{ bus = {{ median = 12, p90 = 6 }}, branch = {{ median = 3 }}, gen = \"long\" }}\ndestroyed_probability = {{ bus = 1.5, pipe = nan, tnk = 0.1 }}\ndestroyed_repair_h = {{ bus = {{ median = 48, p95 = 90 }} }}\nstart_delay_h = {{ median = -1, p90 = 2 }}\n"
        )
    });
    assert_city_problems(
        &found,
        &[
            "restoration: repair_h for 'bus': p90 (6) must not be below median (12)",
            "restoration: repair_h for 'branch': a duration as a table needs both median and p90 (h)",
            "restoration: repair_h for 'gen': expected a number of hours or { median = H, p90 = H }, got string",
            "restoration: destroyed_probability for 'bus' must be from 0 to 1, got 1.5",
            "restoration: destroyed_probability for 'pipe' must be from 0 to 1, got NaN",
            "restoration: destroyed_probability for 'tnk': expected one of bus, branch, gen, pump_station, pipe, tank",
            "restoration: destroyed_repair_h for 'bus': unknown key 'p95'",
            "restoration: start_delay_h: median must be a positive number of hours",
        ],
    );
    assert_eq!(found.len(), 8, "{found:#?}");
    // Each at its own line: the problems do not all point at [restoration].
    let lines: std::collections::BTreeSet<&str> =
        found.iter().filter_map(|p| p.split(':').nth(1)).collect();
    assert!(lines.len() >= 4, "{found:#?}");
}

#[test]
fn repair_distributions_are_read_with_their_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(data("tiny/city.toml")).unwrap();
    for name in ["grid.m", "water.inp", "service-areas.csv"] {
        std::fs::copy(data("tiny").join(name), dir.path().join(name)).unwrap();
    }
    let path = dir.path().join("city.toml");
    std::fs::write(
        &path,
        format!(
            "{text}\n[restoration]\nrepair_h = {{ bus = {{ median = 10, p90 = 20 }}, branch = 4 }}\ndestroyed_probability = {{ bus = 0.25 }}\nstart_delay_h = {{ median = 0.5, p90 = 2 }}\n"
        ),
    )
    .unwrap();
    let city = City::load(&path).unwrap();
    let u = &city.restoration.uncertainty;
    assert_eq!(city.restoration.repair_h["bus"], 10.0);
    assert_eq!(u.damaged_repair("bus", 5.0).p90_h, 10.0);
    assert!(u.damaged_repair("branch", 4.0).is_fixed());
    assert_eq!(u.destroyed_probability("bus"), 0.25);
    assert_eq!(u.destroyed_probability("branch"), 0.0);
    // A destroyed bus: three times the damaged median, the same spread.
    let destroyed = u.destroyed_repair("bus", u.damaged_repair("bus", 10.0));
    assert_eq!((destroyed.median_h, destroyed.p90_h), (30.0, 60.0));
    assert_eq!(u.start_delay.unwrap().p90_h, 2.0);
    assert!(!u.is_certain());
    // The tiny city as it is: every repair certain.
    let plain = tiny_city();
    assert!(plain.restoration.uncertainty.is_certain());
}

#[test]
fn endless_fuel_and_a_flat_pressure_curve_are_refused() {
    let found = bad_city(|text| {
        text.replace(
            "backup = { kw = 100, fuel_hours = 3, start_delay_min = 30 }",
            "backup = { kw = 100, fuel_hours = inf, start_delay_min = 30 }",
        )
        .replace(
            "min_pressure_m = 0.0",
            "min_pressure_m = 0.0\npressure_exponent = nan",
        )
    });
    assert_city_problems(
        &found,
        &[
            "pump station 'INTAKE': backup needs a finite kw > 0, fuel_hours from 0 to",
            "pressure_exponent must be a finite number, got NaN",
            "pressure_exponent must be more than 0",
        ],
    );

    let found = bad_city(|text| {
        text.replace(
            "min_pressure_m = 0.0",
            "min_pressure_m = 0.0\npressure_exponent = 0",
        )
    });
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].contains("pressure_exponent must be more than 0"),
        "{found:#?}"
    );
}

#[test]
fn absurd_restoration_weights_are_refused() {
    let found = bad_city(|text| format!("{text}\n[restoration]\nweights = {{ homes = 1e308 }}\n"));
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].contains("restoration: weight for 'homes' must be from 0 to 1e6, got 1e308"),
        "{found:#?}"
    );
}

#[test]
fn gaps_a_new_city_file_has_are_each_reported() {
    let found = bad_city(|text| {
        let text = text
            .replacen(
                "name = \"Tiny city\"",
                "name = \"Tiny city\"\ntimezone = \"Mars/Olympus\"",
                1,
            )
            .replacen("customers = 400", "customers = 2600000", 1);
        format!(
            "{text}\n[[crew]]\nid = \"C-1\"\nskills = [\"power\"]\ndepot = \"Hill\"\n\
             [[crew]]\nid = \"C-1\"\nskills = [\"water\"]\ndepot = \"Hill\"\n\
             [[outage_group]]\nid = \"1\"\nshares = {{ Hill = 0.5, Riverside = 0.5 }}\n\
             [[outage_group]]\nid = \"1\"\nshares = {{ Hill = 0.5, Riverside = 0.5 }}\n"
        )
    });
    assert_city_problems(
        &found,
        &[
            "timezone 'Mars/Olympus' is not an IANA time zone name (like Europe/Kyiv)",
            "district 'Hill': 2600000 customers for 1000 people",
            "crew 'C-1' is defined twice",
            "outage group '1' is defined twice",
        ],
    );
    assert_eq!(found.len(), 4, "{found:#?}");
}

#[test]
fn a_scenario_start_that_is_not_a_calendar_time_is_refused() {
    let found = bad_scenario("name = \"x\"\nstart = \"yesterday\"\n");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].starts_with("inline.toml:2:")
            && found[0].contains(
                "start 'yesterday' is not a local calendar time: expected YYYY-MM-DDTHH:MM"
            ),
        "{found:#?}"
    );
}

#[test]
fn a_map_in_a_projected_system_is_refused_with_the_way_out() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["grid.m", "water.inp", "service-areas.csv"] {
        std::fs::copy(data("tiny").join(name), dir.path().join(name)).unwrap();
    }
    let text = std::fs::read_to_string(data("tiny/city.toml"))
        .unwrap()
        .replacen(
            "[water]",
            "[map]\ndistricts = \"districts.geojson\"\n\n[water]",
            1,
        );
    std::fs::write(dir.path().join("city.toml"), text).unwrap();
    let square = |x: f64, y: f64| {
        format!(
            "[[[{x},{y}],[{},{y}],[{},{}],[{x},{}],[{x},{y}]]]",
            x + 1.0,
            x + 1.0,
            y + 1.0,
            y + 1.0
        )
    };
    let feature = |name: &str, coordinates: String| {
        format!(
            "{{\"type\":\"Feature\",\"properties\":{{\"name\":\"{name}\"}},\"geometry\":{{\"type\":\"Polygon\",\"coordinates\":{coordinates}}}}}"
        )
    };
    let geojson = format!(
        "{{\"type\":\"FeatureCollection\",\"features\":[{},{}]}}",
        feature("Hill", square(30.5, 50.4)),
        feature("Riverside", square(1_640_000.0, 512_000.0)),
    );
    std::fs::write(dir.path().join("districts.geojson"), geojson).unwrap();
    let found = problems(City::load(&dir.path().join("city.toml")).unwrap_err());
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].contains("feature 2 (Riverside): position [1640000, 512000] is not longitude, latitude in degrees")
            && found[0].contains("reproject it to EPSG:4326"),
        "{found:#?}"
    );
}
