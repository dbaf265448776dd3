//! Incidents → a damage scenario the cascade reads, and GeoJSON.

use super::{demo_city, demo_city_file};
use lifeline_app::AppError;
use lifeline_app::incidents::{ScenarioDocument, ScenarioRequest, geojson, to_scenario};
use lifeline_cascade::Scenario;
use lifeline_cascade::scenario::Damage;
use lifeline_core::AssetId;
use lifeline_incidents::record::Incident;

/// A confirmed incident `id` at `start` with one target per asset link.
fn incident(id: &str, start: &str, assets: &[&str]) -> Incident {
    let targets: Vec<serde_json::Value> = assets
        .iter()
        .map(|a| serde_json::json!({"category": "power", "asset": a}))
        .collect();
    serde_json::from_value(serde_json::json!({
        "id": id, "start": start, "status": "confirmed", "targets": targets,
        "sources": [{"publisher": "news report", "quote": "approximately 15\nexplosions"}],
    }))
    .unwrap()
}

/// The error's field and message; no message names a command-line flag.
fn field_error(error: &AppError) -> (&'static str, String) {
    let message = error.message();
    assert!(!message.contains("--"), "{message}");
    (error.field_name().unwrap_or("none"), message)
}

#[test]
fn linked_incidents_become_a_scenario_that_reads_back_as_written() {
    let city = demo_city();
    let incidents = [
        incident(
            "INC-000001",
            "2024-03-22T04:05",
            &["bus:8", "pump_station:E-1"],
        ),
        incident("INC-000002", "2024-03-22", &[]),
        incident("INC-000003", "2024-03-23T10:30", &["generator:1", "bus:8"]),
    ];
    let made = to_scenario(
        &city,
        &ScenarioRequest::new(&incidents, "2024-03-22", "2024-03-23"),
    )
    .unwrap();
    assert_eq!(made.incidents, 3);
    let doc = &made.document;
    assert_eq!(doc.start, "2024-03-22T00:00");
    assert_eq!(doc.horizon_h, 48.0);
    assert_eq!(doc.step_h, None);
    let strikes: Vec<(&str, String)> = doc
        .strikes
        .iter()
        .map(|s| (s.at.as_str(), s.asset.to_string()))
        .collect();
    assert_eq!(
        strikes,
        [
            ("04:05", "bus:8".to_string()),
            ("04:05", "pump_station:E-1".to_string()),
            ("34:30", "gen:1".to_string()),
        ]
    );
    assert!(
        doc.strikes
            .iter()
            .all(|s| s.damage == Damage::Damaged && s.repair_h.is_none())
    );
    // bus:8 again in INC-000003: its first strike stays.
    assert_eq!(made.repeats.len(), 1);
    assert_eq!(made.repeats[0].asset, AssetId::Bus(8));
    assert_eq!(made.repeats[0].incident, "INC-000003");
    let description = doc.description.as_deref().unwrap();
    assert!(
        description.contains(
            "INC-000001 (2024-03-22T04:05) → bus:8, pump_station:E-1: approximately 15 explosions"
        ),
        "{description}"
    );
    assert!(!description.contains("INC-000002"), "no strike from it");

    // The text is a scenario.toml: written by the toml crate, read back by the cascade.
    assert!(
        made.text
            .contains("at = \"04:05\"\nasset = \"bus:8\"\ndamage = \"damaged\""),
        "{}",
        made.text
    );
    assert_eq!(
        toml::from_str::<ScenarioDocument>(&made.text).unwrap(),
        *doc
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("scenario.toml");
    std::fs::write(&file, &made.text).unwrap();
    let loaded = Scenario::load(&file, &city).unwrap();
    assert_eq!(loaded.horizon_s, 48 * 3600);
    assert_eq!(loaded.strikes.len(), 3);
    assert_eq!(loaded.strikes[2].at_s, (34 * 60 + 30) * 60);
    assert_eq!(loaded.strikes[2].asset, AssetId::Generator(0));
    assert_eq!(loaded.start.as_deref(), Some("2024-03-22T00:00"));
    assert_eq!(made.scenario.strikes, loaded.strikes);
    assert!(demo_city_file().exists());
}

#[test]
fn horizon_step_and_repair_are_written_when_asked_for() {
    let city = demo_city();
    let incidents = [incident("INC-000001", "2024-03-22T04:05", &["bus:8"])];
    let mut request = ScenarioRequest::new(&incidents, "2024-03-22", "2024-03-22");
    request.horizon_h = Some(12.0);
    request.step_h = Some(0.5);
    request.repair_h = Some(6.0);
    let made = to_scenario(&city, &request).unwrap();
    assert!(
        made.text.contains("horizon_h = 12.0\nstep_h = 0.5\n"),
        "{}",
        made.text
    );
    assert!(made.text.contains("repair_h = 6.0"), "{}", made.text);
    assert_eq!(made.scenario.step_s, 1800);
    assert_eq!(made.scenario.strikes[0].repair_s, Some(6 * 3600));
}

#[test]
fn quotes_with_toml_syntax_in_them_read_back_as_they_were() {
    let city = demo_city();
    let mut odd = incident("INC-000001", "2024-03-22T04:05", &["bus:8"]);
    let quote = "he said \"\"\" then ''' and \\ and # not a comment\n[[strike]]";
    odd.sources[0].quote = Some(quote.into());
    let made = to_scenario(
        &city,
        &ScenarioRequest::new(std::slice::from_ref(&odd), "2024-03-22", "2024-03-22"),
    )
    .unwrap();
    assert_eq!(made.scenario.strikes.len(), 1);
    let back: ScenarioDocument = toml::from_str(&made.text).unwrap();
    assert_eq!(back, made.document);
    assert!(
        back.description
            .unwrap()
            .contains(&quote.replace('\n', " ")),
        "{}",
        made.text
    );
}

#[test]
fn only_confirmed_incidents_of_the_days_are_used() {
    let city = demo_city();
    let mut draft = incident("INC-000001", "2024-03-22T01:00", &["bus:8"]);
    draft.status = lifeline_incidents::record::Status::Draft;
    let incidents = [
        draft,
        incident("INC-000002", "2024-03-21T23:00", &["bus:8"]),
        incident("INC-000003", "2024-03-22T02:00", &["pump_station:E-1"]),
    ];
    let made = to_scenario(
        &city,
        &ScenarioRequest::new(&incidents, "2024-03-22", "2024-03-22"),
    )
    .unwrap();
    assert_eq!(made.incidents, 1);
    assert_eq!(made.document.strikes.len(), 1);
    assert_eq!(
        made.document.strikes[0].asset.to_string(),
        "pump_station:E-1"
    );
}

#[test]
fn an_asset_the_city_does_not_have_is_refused_with_its_incident() {
    let city = demo_city();
    let incidents = [
        incident("INC-000001", "2024-03-22T04:05", &["bus:8"]),
        incident(
            "INC-000002",
            "2024-03-22",
            &["bus:999", "pipe:nowhere", "station:1"],
        ),
    ];
    let error = to_scenario(
        &city,
        &ScenarioRequest::new(&incidents, "2024-03-22", "2024-03-22"),
    )
    .unwrap_err();
    let (field, message) = field_error(&error);
    assert_eq!(field, "incidents");
    assert!(
        message
            .contains("INC-000002: targets[0].asset: asset 'bus:999': bus 999 is not in the grid"),
        "{message}"
    );
    assert!(
        message.contains("targets[1].asset: asset 'pipe:nowhere'"),
        "{message}"
    );
    assert!(
        message.contains("targets[2].asset: asset 'station:1': kind 'station' is unknown"),
        "{message}"
    );
}

#[test]
fn no_incident_with_an_asset_link_is_an_error() {
    let city = demo_city();
    for incidents in [vec![], vec![incident("INC-000001", "2024-03-22", &[])]] {
        let error = to_scenario(
            &city,
            &ScenarioRequest::new(&incidents, "2024-03-22", "2024-03-22"),
        )
        .unwrap_err();
        let (field, message) = field_error(&error);
        assert_eq!(field, "incidents");
        assert!(
            message
                .starts_with("no confirmed incident from 2024-03-22 to 2024-03-22 names an asset"),
            "{message}"
        );
    }
}

#[test]
fn bad_days_and_numbers_name_their_field() {
    let city = demo_city();
    let incidents = [incident("INC-000001", "2024-03-22T04:05", &["bus:8"])];
    let check = |request: ScenarioRequest<'_>, expect_field: &str, expect: &str| {
        let error = to_scenario(&city, &request).unwrap_err();
        let (field, message) = field_error(&error);
        assert_eq!(field, expect_field, "{message}");
        assert!(message.contains(expect), "{message}");
    };
    let base = ScenarioRequest::new(&incidents, "2024-03-22", "2024-03-22");
    check(
        ScenarioRequest {
            from: "22.03.2024",
            ..base
        },
        "from",
        "expected a day as YYYY-MM-DD",
    );
    check(
        ScenarioRequest {
            to: "2024-02-30",
            ..base
        },
        "to",
        "expected a day as YYYY-MM-DD",
    );
    check(
        ScenarioRequest {
            from: "2024-03-23",
            ..base
        },
        "to",
        "is before",
    );
    check(
        ScenarioRequest {
            from: "1990-01-01",
            ..base
        },
        "to",
        "at most 366 days",
    );
    for bad in [f64::NAN, f64::INFINITY, -1.0, 0.0, 1e9] {
        check(
            ScenarioRequest {
                horizon_h: Some(bad),
                ..base
            },
            "horizon_h",
            "more than 0 and at most 8784",
        );
        check(
            ScenarioRequest {
                step_h: Some(bad),
                ..base
            },
            "step_h",
            "more than 0 and at most 8784",
        );
        check(
            ScenarioRequest {
                repair_h: Some(bad),
                ..base
            },
            "repair_h",
            "more than 0 and at most 8784",
        );
    }
    check(
        ScenarioRequest {
            step_h: Some(48.0),
            ..base
        },
        "step_h",
        "must not exceed the horizon of 24 h",
    );
    check(
        ScenarioRequest {
            step_h: Some(0.001),
            ..base
        },
        "step_h",
        "at most 10000",
    );
    // A horizon that ends before a strike.
    check(
        ScenarioRequest {
            horizon_h: Some(4.0),
            ..base
        },
        "horizon_h",
        "INC-000001: the strike on bus:8 at 04:05 is after the horizon of 4 h",
    );
}

#[test]
fn incidents_with_coordinates_become_geojson_points() {
    let mut located = incident("INC-000001", "2024-03-22", &["bus:8"]);
    located.place.lat = Some(49.99);
    located.place.lon = Some(36.23);
    located.place.settlement = Some("Kharkiv".into());
    let unlocated = incident("INC-000002", "2024-03-22", &[]);
    let collection = geojson(&[located, unlocated]);
    assert_eq!(collection["type"], "FeatureCollection");
    let features = collection["features"].as_array().unwrap();
    assert_eq!(features.len(), 1);
    assert_eq!(
        features[0]["geometry"]["coordinates"],
        serde_json::json!([36.23, 49.99])
    );
    assert_eq!(features[0]["properties"]["settlement"], "Kharkiv");
    assert_eq!(features[0]["properties"]["id"], "INC-000001");
    assert!(features[0]["properties"].get("place").is_none());
}
