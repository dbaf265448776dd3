//! The city over HTTP: its districts and assets, and scenario runs as background jobs with
//! progress and their timelines.

use crate::{ApiError, Shared};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use lifeline_cascade::source::Source;
use lifeline_cascade::{CascadeError, CascadeResult, City, Scenario, simulate};
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// A scenario run.
pub struct Job {
    /// Simulated seconds so far.
    done_s: AtomicU64,
    /// The horizon, s.
    horizon_s: u64,
    /// The outcome, once there is one.
    outcome: Mutex<Option<Result<CascadeResult, String>>>,
}

/// Scenario runs by id.
#[derive(Default)]
pub struct Jobs {
    next: AtomicU64,
    jobs: Mutex<HashMap<u64, Arc<Job>>>,
}

#[derive(Serialize)]
struct JobState {
    id: u64,
    state: &'static str,
    /// Share of the horizon simulated, 0–1.
    progress: f64,
    error: Option<String>,
}

fn city(state: &Shared) -> Result<&Arc<City>, ApiError> {
    state.city.as_ref().ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "the server was started without a city (--city)",
        )
    })
}

/// `GET /api/city`: name, people, districts as GeoJSON, pump stations and facilities.
pub async fn show(State(state): State<Shared>) -> Result<Response, ApiError> {
    let city = city(&state)?;
    let features: Vec<Value> = city
        .districts
        .iter()
        .map(|d| {
            json!({
                "type": "Feature",
                "geometry": d.outline.clone().unwrap_or(Value::Null),
                "properties": {"name": d.name, "population": d.population, "customers": d.customers},
            })
        })
        .collect();
    let stations: Vec<Value> = city
        .pump_stations
        .iter()
        .map(|s| json!({"id": s.id, "name": s.name, "bus": s.bus, "power_kw": s.power_kw, "backup": s.backup.is_some()}))
        .collect();
    let facilities: Vec<Value> = city
        .facilities
        .iter()
        .map(|f| json!({"id": f.id, "name": f.name, "kind": f.kind, "bus": f.bus}))
        .collect();
    Ok(Json(json!({
        "name": city.name,
        "population": city.population(),
        "districts": {"type": "FeatureCollection", "features": features},
        "pump_stations": stations,
        "facilities": facilities,
    }))
    .into_response())
}

/// `POST /api/scenarios` with a scenario.toml as the body: 202 and the job, run in the
/// background; 422 with the file's line and column when the scenario is invalid.
pub async fn run(
    State(state): State<Shared>,
    headers: axum::http::HeaderMap,
    body: String,
) -> Result<Response, ApiError> {
    crate::authorize(&state, &headers)?;
    let city = city(&state)?.clone();
    let scenario = Scenario::parse(&Source::new("scenario.toml", body), &city).map_err(|e| {
        let message = match &e {
            CascadeError::Invalid(problems) => problems
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; "),
            other => other.to_string(),
        };
        ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            message,
            field: Some("body".into()),
        }
    })?;
    let id = state.jobs.next.fetch_add(1, Ordering::Relaxed) + 1;
    let job = Arc::new(Job {
        done_s: AtomicU64::new(0),
        horizon_s: scenario.horizon_s.max(1) as u64,
        outcome: Mutex::new(None),
    });
    if let Ok(mut jobs) = state.jobs.jobs.lock() {
        jobs.insert(id, job.clone());
    }
    tokio::task::spawn_blocking(move || {
        let result = simulate(&city, &scenario, &mut |t, _| {
            job.done_s.store(t.max(0) as u64, Ordering::Relaxed);
        });
        if let Ok(mut outcome) = job.outcome.lock() {
            *outcome = Some(result.map_err(|e| {
                eprintln!("lifeline serve: scenario job {id}: {e}");
                e.to_string()
            }));
        }
    });
    Ok((
        StatusCode::ACCEPTED,
        Json(json!({"id": id, "state": "running", "progress": 0.0})),
    )
        .into_response())
}

fn job(state: &Shared, id: u64) -> Result<Arc<Job>, ApiError> {
    state
        .jobs
        .jobs
        .lock()
        .ok()
        .and_then(|jobs| jobs.get(&id).cloned())
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, format!("no scenario job {id}")))
}

/// `GET /api/scenarios/{id}`: running or done, and how far.
pub async fn status(
    State(state): State<Shared>,
    Path(id): Path<u64>,
) -> Result<Response, ApiError> {
    let job = job(&state, id)?;
    let outcome = job
        .outcome
        .lock()
        .ok()
        .and_then(|o| o.as_ref().map(|r| r.as_ref().err().cloned()));
    let body = match outcome {
        None => JobState {
            id,
            state: "running",
            progress: (job.done_s.load(Ordering::Relaxed) as f64 / job.horizon_s as f64).min(1.0),
            error: None,
        },
        Some(None) => JobState {
            id,
            state: "done",
            progress: 1.0,
            error: None,
        },
        Some(Some(error)) => JobState {
            id,
            state: "failed",
            progress: 1.0,
            error: Some(error),
        },
    };
    Ok(Json(body).into_response())
}

/// `GET /api/scenarios/{id}/result`: the cascade result (as `lifeline simulate --json`
/// gives it), 409 while it runs.
pub async fn result(
    State(state): State<Shared>,
    Path(id): Path<u64>,
) -> Result<Response, ApiError> {
    let job = job(&state, id)?;
    let outcome = job.outcome.lock().map_err(|_| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal error; see the server's log",
        )
    })?;
    match outcome.as_ref() {
        None => Err(ApiError::new(
            StatusCode::CONFLICT,
            format!("scenario job {id} is still running"),
        )),
        Some(Ok(result)) => Ok(Json(result).into_response()),
        Some(Err(error)) => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            error.clone(),
        )),
    }
}
