//! The API in-process: reads, writes with and without a token, limits, errors by field.
#![allow(clippy::unwrap_used, missing_docs)]

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use lifeline_incidents::Store;
use lifeline_incidents::postgres::PostgresStore;
use lifeline_incidents::sqlite::SqliteStore;
use lifeline_server::{AppState, BODY_LIMIT, app};
use lifeline_testkit::PostgresDatabase;
use serde_json::{Value, json};
use tower::ServiceExt;

mod dashboard;
mod fuzz;
mod hardening;

pub const TOKEN: &str = "s3cret";

/// The API on one registry back end.
pub struct Served {
    /// `sqlite` or `postgres`.
    pub name: &'static str,
    /// The application.
    pub app: Router,
    /// The PostgreSQL database, dropped after the application.
    _database: Option<PostgresDatabase>,
}

/// The API on every back end, each registry fresh: SQLite in memory, and PostgreSQL in a
/// database of its own when LIFELINE_TEST_POSTGRES is set (under CI it must be).
pub fn servers(test: &str) -> Vec<Served> {
    let mut served = vec![Served {
        name: "sqlite",
        app: server(),
        _database: None,
    }];
    if let Some(database) = PostgresDatabase::create(&format!("server_{test}")) {
        let store = postgres_store(&database.url);
        served.push(Served {
            name: "postgres",
            app: app(AppState::new(store, Some(TOKEN.into())).unwrap()),
            _database: Some(database),
        });
    }
    served
}

/// A PostgreSQL store, connected on a thread of its own: the blocking client cannot
/// start inside the tests' runtime.
pub fn postgres_store(url: &str) -> Box<dyn Store + Send> {
    let url = url.to_string();
    std::thread::spawn(move || {
        Box::new(PostgresStore::connect(&url).unwrap()) as Box<dyn Store + Send>
    })
    .join()
    .unwrap()
}

pub fn server() -> Router {
    app(AppState::new(
        Box::new(SqliteStore::in_memory().unwrap()),
        Some(TOKEN.into()),
    )
    .unwrap())
}

pub async fn call(
    app: &Router,
    method: &str,
    uri: &str,
    body: Option<String>,
    token: Option<&str>,
) -> (StatusCode, Value) {
    let mut request = Request::builder().method(method).uri(uri);
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    if body.is_some() {
        request = request.header("content-type", "application/json");
    }
    let request = request
        .body(body.map_or_else(Body::empty, Body::from))
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let value = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    (status, value)
}

pub const KHARKIV: &str = r#"{"external_id": "k", "start": "2024-03-22", "place": {"settlement": "Kharkiv", "admin1": "Kharkiv"},
  "explosions": 15, "sources": [{"publisher": "news report"}]}"#;

#[tokio::test]
async fn writes_need_the_token_and_reads_do_not() {
    for Served { name, app, .. } in servers("writes") {
        writes_need_the_token_on(name, &app).await;
    }
}

async fn writes_need_the_token_on(name: &str, app: &Router) {
    let app = app.clone();
    let (status, body) = call(&app, "POST", "/api/incidents", Some(KHARKIV.into()), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    let (status, _) = call(
        &app,
        "POST",
        "/api/incidents",
        Some(KHARKIV.into()),
        Some("wrong"),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, body) = call(
        &app,
        "POST",
        "/api/incidents",
        Some(KHARKIV.into()),
        Some(TOKEN),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{name}: {body}");
    assert_eq!(body["id"], "INC-000001", "{name}");
    let (status, list) = call(&app, "GET", "/api/incidents?admin1=kharkiv", None, None).await;
    assert_eq!(status, StatusCode::OK, "{name}");
    assert_eq!(list["incidents"].as_array().unwrap().len(), 1, "{name}");
    assert_eq!(list["next_cursor"], Value::Null, "{name}");
    let (status, _) = call(
        &app,
        "POST",
        "/api/incidents/INC-000001/confirm",
        None,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, revision) = call(
        &app,
        "POST",
        "/api/incidents/INC-000001/confirm",
        None,
        Some(TOKEN),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{revision}");
    assert_eq!(revision["action"], "confirm");
    let (_, history) = call(&app, "GET", "/api/incidents/INC-000001/history", None, None).await;
    assert_eq!(history.as_array().unwrap().len(), 2);
    let (status, _) = call(
        &app,
        "POST",
        "/api/incidents",
        Some(KHARKIV.into()),
        Some(TOKEN),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "{name}: a duplicate external id"
    );
}

#[tokio::test]
async fn a_server_without_a_token_refuses_every_write() {
    let app = app(AppState::new(Box::new(SqliteStore::in_memory().unwrap()), None).unwrap());
    let (status, body) = call(
        &app,
        "POST",
        "/api/incidents",
        Some(KHARKIV.into()),
        Some(""),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(body["error"].as_str().unwrap().contains("without a token"));
}

#[tokio::test]
async fn bad_bodies_get_422_with_the_field() {
    for Served { name, app, .. } in servers("bad_bodies") {
        bad_bodies_get_422_on(name, &app).await;
    }
}

async fn bad_bodies_get_422_on(name: &str, app: &Router) {
    let app = app.clone();
    let (status, body) = call(
        &app,
        "POST",
        "/api/incidents",
        Some(r#"{"start": "2024-03-22", "killed": -1}"#.into()),
        Some(TOKEN),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["field"], "killed", "{body}");
    let (status, body) = call(
        &app,
        "POST",
        "/api/incidents",
        Some(r#"{"start": "2024-03-22", "weapons": [{"class": "missile", "launched": 1, "intercepted": 2}]}"#.into()),
        Some(TOKEN),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["field"], "weapons[0].intercepted", "{body}");
    let (status, body) = call(
        &app,
        "POST",
        "/api/incidents",
        Some("{not json".into()),
        Some(TOKEN),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = call(&app, "GET", "/api/incidents?status=lost", None, None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["field"], "status");
    let (status, _) = call(&app, "GET", "/api/incidents/INC-000404", None, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Misspelled fields are refused with their path, not dropped.
    for (record, field) in [
        (r#"{"start": "2024-03-22", "kiled": 5}"#, "kiled"),
        (
            r#"{"start": "2024-03-22", "place": {"setlement": "Kharkiv"}}"#,
            "place.setlement",
        ),
        (
            r#"{"start": "2024-03-22", "weapons": [{"class": "drone", "lauched": 5}]}"#,
            "weapons[0].lauched",
        ),
    ] {
        let (status, body) = call(
            &app,
            "POST",
            "/api/incidents",
            Some(record.into()),
            Some(TOKEN),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{name}: {record}");
        assert_eq!(body["field"], field, "{name}: {body}");
        assert!(
            body["error"].as_str().unwrap().contains("unknown field"),
            "{body}"
        );
    }
    // Days that are not days, and query parameters that do not exist.
    for (query, field) in [
        ("from=2024-3-5", "from"),
        ("from=garbage", "from"),
        ("to=2024-02-30", "to"),
        ("from=2024-03-05&to=2024-03-01", "to"),
        ("limit=0", "limit"),
        ("limit=100000", "limit"),
        ("cursor=zz", "cursor"),
    ] {
        let (status, body) =
            call(&app, "GET", &format!("/api/incidents?{query}"), None, None).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{name}: {query}: {body}"
        );
        assert_eq!(body["field"], field, "{name}: {query}: {body}");
    }
    let (status, body) = call(&app, "GET", "/api/incidents?form=2024-03-05", None, None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{name}: {body}");
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("unknown field `form`"),
        "{body}"
    );
    let (_, list) = call(&app, "GET", "/api/incidents", None, None).await;
    assert_eq!(list["incidents"], json!([]), "{name}: nothing was written");
}

#[tokio::test]
async fn oversized_bodies_get_413() {
    let app = server();
    let big = format!(
        r#"{{"start": "2024-03-22", "notes": "{}"}}"#,
        "x".repeat(BODY_LIMIT + 1)
    );
    let (status, _) = call(&app, "POST", "/api/incidents", Some(big), Some(TOKEN)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn extract_drafts_the_seed_report_without_storing() {
    let app = server();
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../incidents/tests/data/2024-03-22-kharkiv.txt"),
    )
    .unwrap();
    let body = json!({ "text": text }).to_string();
    let (status, drafts) = call(&app, "POST", "/api/incidents/extract", Some(body), None).await;
    assert_eq!(status, StatusCode::OK, "{drafts}");
    assert_eq!(drafts.as_array().unwrap().len(), 6);
    assert_eq!(drafts[0]["record"]["explosions"], 15);
    let (_, list) = call(&app, "GET", "/api/incidents", None, None).await;
    assert_eq!(list["incidents"], json!([]));
    let (status, body) = call(
        &app,
        "POST",
        "/api/incidents/extract",
        Some(r#"{"text": "x", "date": "soon"}"#.into()),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["field"], "date");
}

#[tokio::test]
async fn health_metrics_and_the_openapi_document() {
    for Served { app, .. } in servers("health") {
        health_metrics_and_the_openapi_document_on(&app).await;
    }
}

async fn health_metrics_and_the_openapi_document_on(app: &Router) {
    let app = app.clone();
    let (status, health) = call(&app, "GET", "/health", None, None).await;
    assert_eq!(
        (status, health["status"].as_str()),
        (StatusCode::OK, Some("ok"))
    );
    call(&app, "GET", "/api/incidents", None, None).await;
    let (status, metrics) = call(&app, "GET", "/metrics", None, None).await;
    assert_eq!(status, StatusCode::OK);
    let text = metrics.as_str().unwrap();
    assert!(
        text.contains(
            "lifeline_http_requests_total{method=\"GET\",route=\"/api/incidents\",status=\"2xx\"} 1"
        ),
        "{text}"
    );
    let (status, document) = call(&app, "GET", "/openapi.json", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(document["openapi"], "3.0.3");
    // Every route the app answers is documented.
    for path in [
        "/",
        "/assets/{file}",
        "/health",
        "/metrics",
        "/openapi.json",
        "/api/incidents",
        "/api/incidents/extract",
        "/api/incidents/{id}",
        "/api/incidents/{id}/history",
        "/api/incidents/{id}/confirm",
        "/api/incidents/{id}/retract",
        "/api/city",
        "/api/scenarios",
        "/api/scenarios/{id}",
        "/api/scenarios/{id}/result",
        "/api/scenarios/{id}/timeline",
        "/api/scenarios/{id}/plan",
        "/api/scenarios/{id}/forecast",
        "/api/scenarios/{id}/schedule",
        "/api/scenarios/{id}/schedule/calendars/{group}",
    ] {
        assert!(document["paths"].get(path).is_some(), "{path} undocumented");
    }
    let (status, body) = call(&app, "GET", "/nowhere", None, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body["error"].as_str().unwrap().contains("/openapi.json"));
}

pub fn tiny(path: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../cascade/tests/data/tiny")
        .join(path)
}

/// Asks for scenario job `id` every 50 ms until `settled` holds (at most 30 s), checking
/// its progress each time: the last answer.
pub async fn poll(app: &Router, id: u64, settled: impl Fn(&Value) -> bool) -> Value {
    let mut state = Value::Null;
    for _ in 0..600 {
        let (_, s) = call(app, "GET", &format!("/api/scenarios/{id}"), None, None).await;
        let p = s["progress"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&p));
        state = s;
        if settled(&state) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    state
}

pub fn city_server() -> Router {
    city_server_on(Box::new(SqliteStore::in_memory().unwrap()))
}

/// The tiny city served with its registry in `store`.
pub fn city_server_on(store: Box<dyn Store + Send>) -> Router {
    let city = lifeline_cascade::City::load(&tiny("city.toml")).unwrap();
    app(AppState::new(store, Some(TOKEN.into()))
        .unwrap()
        .with_city(city))
}

/// One job's whole life, step by step, as a client sees it.
#[allow(clippy::too_many_lines)]
#[tokio::test(flavor = "multi_thread")]
async fn scenarios_run_in_the_background_and_report_progress() {
    let app = city_server();
    let (status, city) = call(&app, "GET", "/api/city", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(city["districts"]["features"].as_array().unwrap().len(), 2);
    let scenario = std::fs::read_to_string(tiny("scenarios/substation.toml")).unwrap();
    let (status, _) = call(&app, "POST", "/api/scenarios", Some(scenario.clone()), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, job) = call(&app, "POST", "/api/scenarios", Some(scenario), Some(TOKEN)).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{job}");
    let id = job["id"].as_u64().unwrap();
    let state = poll(&app, id, |s| s["state"] != "running").await;
    assert_eq!(state["state"], "done", "{state}");
    let (status, result) = call(
        &app,
        "GET",
        &format!("/api/scenarios/{id}/result"),
        None,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let riverside = result["districts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "Riverside")
        .unwrap();
    assert!(riverside["peak_customers_without_power"].as_u64().unwrap() > 0);
    // The timeline: one value per district and reported time.
    let (status, timeline) = call(
        &app,
        "GET",
        &format!("/api/scenarios/{id}/timeline"),
        None,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let times = timeline["times_h"].as_array().unwrap().len();
    assert!(times > 10);
    for district in timeline["districts"].as_array().unwrap() {
        assert_eq!(
            district["customers_without_power"]
                .as_array()
                .unwrap()
                .len(),
            times
        );
        // The normal day's own shortfall, apart from the strikes' losses.
        assert!(district["baseline"]["person_hours_without_water"].is_number());
    }
    assert!(timeline["summary"]["baseline"]["peak_people_without_water"].is_u64());
    let dark: u64 = timeline["customers_without_power"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .max()
        .unwrap();
    assert_eq!(
        dark,
        riverside["peak_customers_without_power"].as_u64().unwrap()
    );
    // The tiny city has no crews and no outage groups: both say so.
    let state = poll(&app, id, |s| s["plan"] != "planning").await;
    assert_eq!(state["plan"], "failed", "{state}");
    let (status, body) = call(
        &app,
        "GET",
        &format!("/api/scenarios/{id}/plan"),
        None,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["error"].as_str().unwrap().contains("crew"), "{body}");
    assert_eq!(body["field"], "crews", "{body}");
    let (status, body) = call(
        &app,
        "GET",
        &format!("/api/scenarios/{id}/schedule"),
        None,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = call(
        &app,
        "GET",
        &format!("/api/scenarios/{id}/schedule?hours=forty"),
        None,
        None,
    )
    .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("hours"))
    );
    let (status, body) = call(
        &app,
        "POST",
        "/api/scenarios",
        Some("name = \"x\"\n[[strike]]\nat = \"01:00\"\nasset = \"bus:99\"\n".into()),
        Some(TOKEN),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("scenario.toml:4:9"),
        "{body}"
    );
    let (status, _) = call(&app, "GET", "/api/scenarios/999", None, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // The forecast comes after the plan (none here: every repair from its strike); the
    // scenario's repairs are certain, so every quantile is the run's own time.
    let state = poll(&app, id, |s| {
        !["waiting", "running"].contains(&s["forecast"].as_str().unwrap())
    })
    .await;
    assert_eq!(state["forecast"], "done", "{state}");
    assert_eq!(state["forecast_progress"], 1.0, "{state}");
    let (status, forecast) = call(
        &app,
        "GET",
        &format!("/api/scenarios/{id}/forecast"),
        None,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{forecast}");
    assert_eq!(forecast["certain"], true);
    assert_eq!(forecast["plan"], "none");
    let back = &forecast["districts"][1]["power_back_h"];
    for q in ["p10", "p50", "p90"] {
        assert_eq!(back[q], riverside["power_restored_h"], "{q}: {back}");
    }
    assert!(
        !forecast["districts"][1]["fan"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let (status, _) = call(&app, "GET", "/api/scenarios/999/forecast", None, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let plain = server();
    let (status, _) = call(&plain, "GET", "/api/city", None, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn editing_onto_another_incidents_external_id_is_a_conflict_not_a_500() {
    for Served { name, app, .. } in servers("conflicts") {
        editing_onto_another_external_id_on(name, &app).await;
    }
}

async fn editing_onto_another_external_id_on(name: &str, app: &Router) {
    let app = app.clone();
    for external_id in ["a", "b"] {
        let body = json!({"external_id": external_id, "start": "2024-03-22"}).to_string();
        let (status, _) = call(&app, "POST", "/api/incidents", Some(body), Some(TOKEN)).await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let taken = json!({"external_id": "a", "start": "2024-03-23"}).to_string();
    let (status, body) = call(
        &app,
        "PUT",
        "/api/incidents/INC-000002",
        Some(taken),
        Some(TOKEN),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{name}: {body}");
    assert!(
        body["error"].as_str().unwrap().contains("INC-000001"),
        "{name}: {body}"
    );
    let own = json!({"external_id": "b", "start": "2024-03-23"}).to_string();
    let (status, _) = call(
        &app,
        "PUT",
        "/api/incidents/INC-000002",
        Some(own),
        Some(TOKEN),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "{name}: keeping its own external id"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn scenarios_that_would_not_end_or_overflow_get_422_and_start_nothing() {
    let app = city_server();
    // The scenario file is the body: the answer names the line, column and key.
    for (body, says) in [
        ("name = \"x\"\nhorizon_h = 1e300\n", "horizon_h"),
        ("name = \"x\"\nhorizon_h = 16\nstep_h = 0.0003\n", "step_h"),
        (
            "name = \"x\"\n[[strike]]\nat = \"01:00\"\nasset = \"bus:3\"\nrepair_h = 1e300\n",
            "repair_h",
        ),
        (
            "name = \"x\"\n[[strike]]\nat = \"9999999999999999:00\"\nasset = \"bus:3\"\n",
            "is not HH:MM",
        ),
    ] {
        let (status, answer) = call(
            &app,
            "POST",
            "/api/scenarios",
            Some(body.into()),
            Some(TOKEN),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {answer}");
        assert_eq!(answer["field"], "body", "{body}: {answer}");
        let message = answer["error"].as_str().unwrap();
        assert!(message.contains("scenario.toml:"), "{message}");
        assert!(message.contains(says), "{body}: {message}");
    }
    let (_, jobs) = call(&app, "GET", "/api/scenarios", None, None).await;
    assert_eq!(jobs, json!([]));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_told_to_make_no_forecasts_says_so() {
    let city = lifeline_cascade::City::load(&tiny("city.toml")).unwrap();
    let app = app(AppState::new(
        Box::new(SqliteStore::in_memory().unwrap()),
        Some(TOKEN.into()),
    )
    .unwrap()
    .with_city(city)
    .with_forecast_samples(0));
    let scenario = std::fs::read_to_string(tiny("scenarios/substation.toml")).unwrap();
    let (status, job) = call(&app, "POST", "/api/scenarios", Some(scenario), Some(TOKEN)).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{job}");
    assert_eq!(job["forecast"], "off", "{job}");
    let id = job["id"].as_u64().unwrap();
    let state = poll(&app, id, |s| {
        s["plan"] != "planning" && s["state"] != "running"
    })
    .await;
    assert_eq!(state["forecast"], "off", "{state}");
    let (status, body) = call(
        &app,
        "GET",
        &format!("/api/scenarios/{id}/forecast"),
        None,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("0 forecast samples"),
        "{body}"
    );
}
