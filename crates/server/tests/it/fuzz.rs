//! Every operation of the served OpenAPI document fuzzed from a fixed seed, as
//! schemathesis would: path parameters (known ids, junk, huge and negative numbers,
//! unicode, percent-encoded bytes), the documented query parameters with fitting values
//! and garbage, plus unknown ones, JSON bodies generated from the request schema and then
//! mutated (other types, extra and missing fields, deep nesting, truncation, bytes that
//! are not UTF-8), and scenario files mutated from the tiny city's. Each input is sent
//! with and without an `Authorization` header (mostly the right bearer token) and with and
//! without a `Content-Type` (mostly the documented one).
//!
//! Checked for every request: the handler does not panic; the status is below 500, except
//! 503 from `POST /api/scenarios` saying jobs are running (its documented meaning); a JSON
//! body reads as JSON, and a 4xx from the API (`/api/…`) is JSON with an `error` string. Every scenario job the
//! fuzzing starts is waited for and must end, and not with an internal error (a panic).

mod inputs;

use super::{KHARKIV, TOKEN, call, city_server_on, postgres_store, tiny};
use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use inputs::Fuzzer;
use lifeline_incidents::Store;
use lifeline_incidents::sqlite::SqliteStore;
use lifeline_testkit::PostgresDatabase;
use serde_json::Value;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};
use tower::ServiceExt;

/// The seed: the same requests on every run.
const SEED: u64 = 0x6c69_6665_6c69_6e65;
/// Inputs generated per operation; each is sent four times (token × content type).
const INPUTS_PER_OPERATION: usize = 150;
/// Failures shown in full; the rest are counted.
const SHOWN_FAILURES: usize = 12;
/// Longest wait for an answer or a scenario job, s.
const WAIT_S: u64 = 10;

/// One operation of the document.
struct Operation {
    method: String,
    path: String,
    parameters: Vec<Value>,
    /// Media type and schema of the request body.
    body: Option<(String, Value)>,
}

fn operations(document: &Value) -> Vec<Operation> {
    let mut out = Vec::new();
    let paths = document["paths"]
        .as_object()
        .expect("the document has paths");
    for (path, item) in paths {
        let item = item.as_object().expect("a path item is an object");
        for (method, operation) in item {
            if !["get", "put", "post", "patch", "delete"].contains(&method.as_str()) {
                continue;
            }
            let body = operation["requestBody"]["content"]
                .as_object()
                .and_then(|content| content.iter().next())
                .map(|(media, content)| (media.clone(), content["schema"].clone()));
            out.push(Operation {
                method: method.to_uppercase(),
                path: path.clone(),
                parameters: operation["parameters"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default(),
                body,
            });
        }
    }
    out
}

/// One request as sent.
struct Sent<'a> {
    method: &'a str,
    uri: &'a str,
    content_type: Option<&'a str>,
    authorization: Option<&'a [u8]>,
    body: Option<&'a [u8]>,
}

/// What came back.
struct Answer {
    status: StatusCode,
    content_type: String,
    /// Whether it says when to try again (a busy server's 503).
    retry_after: bool,
    body: Bytes,
}

/// Sends `sent` on its own task, so a panicking handler is reported, not fatal, and so is
/// one that does not answer within [`WAIT_S`].
async fn send(app: &Router, sent: &Sent<'_>) -> Result<Answer, String> {
    let mut request = Request::builder().method(sent.method).uri(sent.uri);
    if let Some(authorization) = sent.authorization {
        request = request.header("authorization", authorization);
    }
    if let Some(content_type) = sent.content_type {
        request = request.header("content-type", content_type);
    }
    let body = sent
        .body
        .map_or_else(Body::empty, |b| Body::from(b.to_vec()));
    let request = request
        .body(body)
        .unwrap_or_else(|e| panic!("the fuzzer built a bad request {}: {e}", sent.uri));
    let app = app.clone();
    let task = tokio::spawn(async move {
        let response = app.oneshot(request).await.unwrap();
        let status = response.status();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let retry_after = response.headers().contains_key("retry-after");
        let body = response.into_body().collect().await.map(|b| b.to_bytes());
        (status, content_type, retry_after, body)
    });
    let Ok(joined) = tokio::time::timeout(Duration::from_secs(WAIT_S), task).await else {
        return Err(format!("no answer within {WAIT_S} s"));
    };
    match joined {
        Ok((status, content_type, retry_after, Ok(body))) => Ok(Answer {
            status,
            content_type,
            retry_after,
            body,
        }),
        Ok((status, _, _, Err(e))) => Err(format!("the body of a {status} answer failed: {e}")),
        Err(e) => {
            let panic = e.try_into_panic().map_or_else(
                |e| e.to_string(),
                |p| {
                    p.downcast_ref::<&str>()
                        .map(|s| s.to_string())
                        .or_else(|| p.downcast_ref::<String>().cloned())
                        .unwrap_or_default()
                },
            );
            Err(format!("the handler panicked: {panic}"))
        }
    }
}

/// Why `answer` to a request of `operation` breaks the rules, if it does.
fn verdict(operation: &Operation, answer: &Answer) -> Option<String> {
    let value: Option<Value> = serde_json::from_slice(&answer.body).ok();
    let error = value.as_ref().and_then(|v| v["error"].as_str());
    // A busy server (jobs running, expensive requests under way) says when to try again.
    let busy = answer.status == StatusCode::SERVICE_UNAVAILABLE
        && answer.retry_after
        && error.is_some_and(|e| e.contains("try again"));
    let json = answer.content_type.starts_with("application/json");
    if answer.status.is_server_error() && !busy {
        Some(format!("status {}", answer.status))
    } else if json && value.is_none() {
        Some("a JSON answer that does not read as JSON".into())
    } else if answer.status.is_client_error()
        && error.is_none()
        && (json || operation.path.starts_with("/api/"))
    {
        Some("a refusal without a JSON `error` string".into())
    } else {
        None
    }
}

/// At most `n` bytes of `bytes`, as text with escapes.
fn shown(bytes: &[u8], n: usize) -> String {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(n)]);
    let more = if bytes.len() > n { " …" } else { "" };
    format!("{text:?}{more} ({} bytes)", bytes.len())
}

/// The request, why it failed and the answer, to reproduce it.
fn describe(sent: &Sent<'_>, why: &str, answer: Option<&Answer>) -> String {
    let mut out = format!(
        "{why}\n  request: {} {}\n  content-type: {:?}, authorization: {:?}\n  body: {}",
        sent.method,
        sent.uri,
        sent.content_type,
        sent.authorization.map(String::from_utf8_lossy),
        sent.body.map_or("none".to_string(), |b| shown(b, 400)),
    );
    if let Some(answer) = answer {
        out.push_str(&format!(
            "\n  answer: {} {:?} {}",
            answer.status,
            answer.content_type,
            shown(&answer.body, 400)
        ));
    }
    out
}

/// Waits for scenario job `uri` to finish its run and its plan, neither with an internal
/// error (a panic).
async fn settle(app: &Router, uri: &str) -> Result<(), String> {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(WAIT_S) {
        let (status, job) = call(app, "GET", uri, None, None).await;
        if status != StatusCode::OK {
            return Err(format!("GET {uri} answered {status}: {job}"));
        }
        if job["state"] != "running" && job["plan"] != "planning" {
            let internal = [&job["error"], &job["plan_error"]]
                .iter()
                .any(|e| e.as_str().is_some_and(|e| e.contains("internal error")));
            return if internal {
                Err(format!(
                    "scenario job {uri} failed with an internal error: {job}"
                ))
            } else {
                Ok(())
            };
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    Err(format!("scenario job {uri} still runs after {WAIT_S} s"))
}

/// The tiny city served with a finished scenario job and one incident, so reads of
/// existing ids reach the handlers' real work.
async fn served(store: Box<dyn Store + Send>) -> Router {
    let app = city_server_on(store);
    let scenario = std::fs::read_to_string(tiny("scenarios/substation.toml")).unwrap();
    let (status, job) = call(&app, "POST", "/api/scenarios", Some(scenario), Some(TOKEN)).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{job}");
    settle(&app, "/api/scenarios/1").await.unwrap();
    let (status, incident) = call(
        &app,
        "POST",
        "/api/incidents",
        Some(KHARKIV.into()),
        Some(TOKEN),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{incident}");
    app
}

/// What a fuzzing run saw.
struct Outcome {
    requests: usize,
    operations: usize,
    statuses: BTreeMap<u16, usize>,
    failures: Vec<String>,
}

async fn fuzz(store: Box<dyn Store + Send>) -> Outcome {
    let app = served(store).await;
    let (status, document) = call(&app, "GET", "/openapi.json", None, None).await;
    assert_eq!(status, StatusCode::OK);
    let operations = operations(&document);
    let scenarios = [
        "scenarios/substation.toml",
        "scenarios/substation-and-intake.toml",
    ]
    .map(|p| std::fs::read_to_string(tiny(p)).unwrap());
    let dictionaries = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fuzz.json"),
    )
    .unwrap();
    let dictionaries = serde_json::from_str(&dictionaries).unwrap();
    let mut fuzzer = Fuzzer::new(SEED, document, dictionaries, scenarios.to_vec());
    let mut outcome = Outcome {
        requests: 0,
        operations: operations.len(),
        statuses: BTreeMap::new(),
        failures: Vec::new(),
    };
    for _ in 0..INPUTS_PER_OPERATION {
        for operation in &operations {
            let input = fuzzer.input(operation, TOKEN);
            for (token, typed) in [(false, false), (false, true), (true, false), (true, true)] {
                let sent = Sent {
                    method: &operation.method,
                    uri: &input.uri,
                    content_type: typed.then_some(input.content_type.as_str()),
                    authorization: token.then_some(input.authorization.as_slice()),
                    body: input.body.as_deref(),
                };
                outcome.requests += 1;
                let failure = match send(&app, &sent).await {
                    Err(why) => Some(describe(&sent, &why, None)),
                    Ok(answer) => {
                        *outcome.statuses.entry(answer.status.as_u16()).or_default() += 1;
                        if matches!(answer.status, StatusCode::CREATED | StatusCode::ACCEPTED) {
                            fuzzer.learn(&answer.body);
                        }
                        let mut why = verdict(operation, &answer);
                        if answer.status == StatusCode::ACCEPTED
                            && let Ok(job) = serde_json::from_slice::<Value>(&answer.body)
                            && let Err(stuck) =
                                settle(&app, &format!("{}/{}", operation.path, job["id"])).await
                        {
                            why = Some(stuck);
                        }
                        why.map(|why| describe(&sent, &why, Some(&answer)))
                    }
                };
                outcome.failures.extend(failure);
            }
        }
    }
    outcome
}

/// Every operation, a few hundred requests each: no 5xx, no panic, JSON errors with an
/// `error` string, every scenario job finished. The runtime is shut down with a timeout,
/// so a job that never ends fails the test instead of hanging it. On SQLite, and on
/// PostgreSQL when LIFELINE_TEST_POSTGRES is set (under CI it must be).
#[test]
fn every_operation_survives_fuzzing() {
    fuzz_on("sqlite", Box::new(SqliteStore::in_memory().unwrap()));
    if let Some(database) = PostgresDatabase::create("server_fuzz") {
        fuzz_on("postgres", postgres_store(&database.url));
    }
}

fn fuzz_on(name: &str, store: Box<dyn Store + Send>) {
    let started = Instant::now();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let outcome = runtime.block_on(fuzz(store));
    runtime.shutdown_timeout(Duration::from_secs(1));
    println!(
        "fuzz on {name}: {} requests over {} operations, statuses {:?} ({:.1} s)",
        outcome.requests,
        outcome.operations,
        outcome.statuses,
        started.elapsed().as_secs_f64()
    );
    assert!(
        outcome.failures.is_empty(),
        "{name}: {} of {} requests failed; the first:\n\n{}",
        outcome.failures.len(),
        outcome.requests,
        outcome.failures[..outcome.failures.len().min(SHOWN_FAILURES)].join("\n\n")
    );
}
