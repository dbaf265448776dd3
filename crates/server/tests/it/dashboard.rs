//! The dashboard's files as the server gives them: every ES module the entry imports is
//! served as JavaScript and listed in the OpenAPI document, and every vocabulary the
//! modules ask the document for (`values("…")`, `member("…", "…")`) is there.

use super::{call, server};
use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::Value;
use std::collections::BTreeSet;
use tower::ServiceExt;

/// Status, content type and text of `GET uri`.
async fn get(app: &Router, uri: &str) -> (StatusCode, String, String) {
    let request = Request::builder().uri(uri).body(Body::empty()).unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let kind = response.headers()[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .to_string();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, kind, String::from_utf8(bytes.to_vec()).unwrap())
}

/// The quoted arguments of every call `name(` in `text`: `values("Skill")` gives
/// `["Skill"]`, `member("JobState", "running")` gives `["JobState", "running"]`.
fn calls(text: &str, name: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices(&format!("{name}(\"")) {
        if text[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '.') {
            continue;
        }
        let rest = &text[at + name.len() + 1..];
        let args = &rest[..rest.find(')').unwrap()];
        out.push(
            args.split(',')
                .map(|a| a.trim().trim_matches('"').to_string())
                .collect(),
        );
    }
    out
}

/// The modules `text` imports (`import … from "./map.js"`).
fn imports(text: &str) -> Vec<String> {
    text.match_indices("from \"./")
        .map(|(at, m)| {
            let rest = &text[at + m.len()..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect()
}

#[tokio::test]
async fn every_module_is_served_documented_and_finds_its_vocabularies() {
    let app = server();
    let (_, document) = call(&app, "GET", "/openapi.json", None, None).await;
    let documented: BTreeSet<String> = document["paths"]["/assets/{file}"]["get"]["parameters"][0]
        ["schema"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    let (status, _, page) = get(&app, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(r#"<script type="module" src="/assets/app.js"></script>"#));
    // Every module reachable from the entry, and the vocabularies they use.
    let mut seen = BTreeSet::new();
    let mut queue = vec!["app.js".to_string()];
    let mut asked = Vec::new();
    while let Some(module) = queue.pop() {
        if !seen.insert(module.clone()) {
            continue;
        }
        assert!(
            documented.contains(&module),
            "{module} is not in the document"
        );
        let (status, kind, text) = get(&app, &format!("/assets/{module}")).await;
        assert_eq!(status, StatusCode::OK, "{module}");
        assert_eq!(kind, "text/javascript; charset=utf-8", "{module}");
        queue.extend(imports(&text));
        asked.extend(calls(&text, "values"));
        asked.extend(calls(&text, "member"));
    }
    assert!(seen.len() >= 10, "{seen:?}");
    let js: BTreeSet<String> = documented
        .iter()
        .filter(|f| f.ends_with(".js"))
        .cloned()
        .collect();
    assert_eq!(js, seen, "a served module no other imports, or the reverse");
    let schemas = &document["components"]["schemas"];
    assert!(!asked.is_empty());
    for args in asked {
        let list = schemas[&args[0]]["enum"].as_array();
        let list = list.unwrap_or_else(|| panic!("no vocabulary {} in the document", args[0]));
        if let Some(value) = args.get(1) {
            assert!(list.contains(&Value::from(value.as_str())), "{args:?}");
        }
    }
}

/// The vocabularies a run's documents use are the document's: every asset state of a
/// timeline is one of `AssetState`.
#[tokio::test(flavor = "multi_thread")]
async fn a_timelines_asset_states_are_in_the_document() {
    let app = super::city_server();
    let (_, document) = call(&app, "GET", "/openapi.json", None, None).await;
    let states = document["components"]["schemas"]["AssetState"]["enum"]
        .as_array()
        .unwrap()
        .clone();
    let normal = document["components"]["schemas"]["NormalAssetState"]["enum"]
        .as_array()
        .unwrap();
    assert!(normal.iter().all(|s| states.contains(s)));
    let scenario = std::fs::read_to_string(super::tiny("scenarios/substation.toml")).unwrap();
    let (_, job) = call(
        &app,
        "POST",
        "/api/scenarios",
        Some(scenario),
        Some(super::TOKEN),
    )
    .await;
    let id = job["id"].as_u64().unwrap();
    let job = super::poll(&app, id, |s| s["state"] != "running").await;
    let job_states = &document["components"]["schemas"]["JobState"]["enum"];
    assert!(
        job_states.as_array().unwrap().contains(&job["state"]),
        "{job}"
    );
    let (_, timeline) = call(
        &app,
        "GET",
        &format!("/api/scenarios/{id}/timeline"),
        None,
        None,
    )
    .await;
    let mut seen = 0;
    for asset in timeline["assets"].as_array().unwrap() {
        for change in asset["changes"].as_array().unwrap() {
            assert!(
                states.contains(&change["state"]),
                "{change} of {}",
                asset["asset"]
            );
            seen += 1;
        }
    }
    assert!(seen > 1, "{timeline}");
}

/// `/api/city` gives the grid and the water network where the city places them: buses
/// as points, lines between placed buses, pipes and pumps between placed nodes, and a
/// pump station at its pumps' position.
#[tokio::test]
async fn the_city_document_places_the_grid_and_the_water_network() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["grid.m", "water.inp", "service-areas.csv"] {
        std::fs::copy(super::tiny(name), dir.path().join(name)).unwrap();
    }
    std::fs::write(
        dir.path().join("buses.csv"),
        "bus,lon,lat\n1,30.50,50.40\n2,30.52,50.42\n3,30.54,50.40\n",
    )
    .unwrap();
    let city = std::fs::read_to_string(super::tiny("city.toml"))
        .unwrap()
        .replace("file = \"grid.m\"", "file = \"grid.m\"\npositions = \"buses.csv\"")
        .replace(
            "service_areas = \"service-areas.csv\"",
            // The tiny network's plane, metres from a point near Kyiv.
            "service_areas = \"service-areas.csv\"\ncrs = \"+proj=tmerc +lat_0=50.4 +lon_0=30.5 +k=1 +x_0=0 +y_0=0 +datum=WGS84 +units=m\"",
        );
    std::fs::write(dir.path().join("city.toml"), city).unwrap();
    let city = lifeline_cascade::City::load(&dir.path().join("city.toml")).unwrap();
    let app = lifeline_server::app(
        lifeline_server::AppState::new(
            Box::new(lifeline_incidents::sqlite::SqliteStore::in_memory().unwrap()),
            None,
        )
        .unwrap()
        .with_city(city),
    );
    let (status, document) = call(&app, "GET", "/api/city", None, None).await;
    assert_eq!(status, StatusCode::OK);
    let kinds = |collection: &str| -> Vec<String> {
        document[collection]["features"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["properties"]["kind"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(kinds("grid"), ["bus", "bus", "bus", "line", "line"]);
    // MAIN starts at the tower, which has no coordinates; LINK and INTAKE are placed.
    let water = kinds("water");
    assert!(
        water.contains(&"pipe".to_string()) && water.contains(&"pump".to_string()),
        "{water:?}"
    );
    assert!(water.contains(&"reservoir".to_string()), "{water:?}");
    let line = &document["grid"]["features"][3]["geometry"];
    assert_eq!(line["type"], "LineString");
    assert_eq!(line["coordinates"][0], serde_json::json!([30.5, 50.4]));
    // The intake stands between the river and the tower: where its placed end is.
    let station = document["assets"]["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["properties"]["kind"] == "pump_station")
        .unwrap();
    assert_eq!(station["properties"]["position"], "placed");
    let lon = station["geometry"]["coordinates"][0].as_f64().unwrap();
    assert!((lon - 30.5).abs() < 0.01, "{station}");
}
