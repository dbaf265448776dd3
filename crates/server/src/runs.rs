//! Scenario runs as background jobs: the cascade with progress, then the restoration
//! plan with the city's crews, then the restoration forecast (when power and water are
//! back per district, the run's repair times drawn from the city's distributions). Each job keeps
//! its result, its timeline already encoded (the dashboard's slider reads it often), its
//! plan and its forecast.
//!
//! **Invariant:** at most [`MAX_RUNNING`] jobs run at once (more are refused with 503;
//! a job counts until its thread has stopped, cancelled or not), and at most
//! [`MAX_KEPT`] are kept: the oldest finished ones go first. Every job ends: the scenario
//! reader bounds the horizon, repairs and reported times
//! (`lifeline_cascade::scenario::MAX_HOURS`), `DELETE` cancels a job (its cascade stops
//! at its next stop, its plan's cascade runs at theirs, its forecast's at theirs), a
//! forecast draws at most [`MAX_FORECAST_SAMPLES`] samples, and a job whose run panics
//! ends as failed.

use crate::city::city;
use crate::extract::{ApiBody, ApiPath};
use crate::{ApiError, Shared};
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use lifeline_cascade::source::Source;
use lifeline_cascade::{CascadeError, CascadeResult, City, Scenario, WaterCache, simulate_shared};
use lifeline_forecast::{Dispatch, ForecastRequest};
use lifeline_restore::SearchOptions;
use lifeline_restore::city::{CityOptions, CityProblem};
use lifeline_restore::study::{self, Choice};
use serde::Serialize;
use serde_json::json;
use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

/// Most jobs running at once.
pub const MAX_RUNNING: usize = 4;
/// Most jobs kept.
pub const MAX_KEPT: usize = 100;
/// Samples of each job's forecast unless the server is told otherwise.
pub const DEFAULT_FORECAST_SAMPLES: usize = 100;
/// Most samples a job's forecast may draw.
pub const MAX_FORECAST_SAMPLES: usize = 1_000;
/// Seed of every job's forecast: the same scenario gives the same forecast.
const FORECAST_SEED: u64 = 1;

/// A finished cascade run.
pub struct Done {
    /// The result.
    pub result: CascadeResult,
    /// The scenario run.
    pub scenario: Scenario,
    /// `GET …/result`, encoded once.
    result_json: Bytes,
    /// `GET …/timeline`, encoded once.
    timeline_json: Bytes,
}

/// A scenario run.
pub struct ScenarioRun {
    /// The scenario's name.
    name: String,
    /// Simulated seconds so far.
    done_s: AtomicU64,
    /// The horizon, s.
    horizon_s: u64,
    /// The cascade's outcome, once there is one.
    cascade: OnceLock<Result<Arc<Done>, String>>,
    /// The restoration plan (`lifeline restore --json`), encoded, once there is one.
    plan: OnceLock<Result<Bytes, PlanError>>,
    /// Samples of its forecast (0: none).
    forecast_samples: usize,
    /// Samples run so far.
    forecast_done: AtomicUsize,
    /// The forecast (`lifeline forecast --json`), encoded, once there is one.
    forecast: OnceLock<Result<Bytes, PlanError>>,
    /// Set by `DELETE`: stop as soon as possible.
    cancel: AtomicBool,
}

impl ScenarioRun {
    fn running(&self) -> bool {
        self.cascade.get().is_none()
            || (self.succeeded()
                && (self.plan.get().is_none()
                    || (self.forecast_samples > 0 && self.forecast.get().is_none())))
    }

    fn succeeded(&self) -> bool {
        matches!(self.cascade.get(), Some(Ok(_)))
    }
}

/// Why a job has no restoration plan: the planner's message and the request field it is
/// about, if any.
#[derive(Debug, Clone)]
struct PlanError {
    message: String,
    field: Option<&'static str>,
}

/// Scenario runs by id.
pub struct ScenarioRuns {
    next: AtomicU64,
    jobs: Mutex<BTreeMap<u64, Arc<ScenarioRun>>>,
    /// Runs whose thread has not stopped yet (cancelled ones included).
    running: Arc<AtomicUsize>,
    /// Water runs shared between jobs (the normal day of a horizon above all), at most
    /// [`MAX_WATER_RUNS`] kept.
    water: Arc<WaterCache>,
    /// Samples of each new job's forecast.
    forecast_samples: AtomicUsize,
}

/// Water runs the server keeps between jobs: the normal days of the horizons asked for
/// and recent scenarios' runs; beyond it the cache starts again.
pub const MAX_WATER_RUNS: usize = 8;

impl Default for ScenarioRuns {
    fn default() -> Self {
        Self {
            next: AtomicU64::default(),
            jobs: Mutex::default(),
            running: Arc::default(),
            water: Arc::new(WaterCache::with_limit(MAX_WATER_RUNS)),
            forecast_samples: AtomicUsize::new(DEFAULT_FORECAST_SAMPLES),
        }
    }
}

/// Counts a job's thread among the running until it is dropped.
struct Running(Arc<AtomicUsize>);

impl Drop for Running {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl ScenarioRuns {
    /// New jobs make forecasts of `samples` samples (0: none; at most
    /// [`MAX_FORECAST_SAMPLES`]).
    pub fn set_forecast_samples(&self, samples: usize) {
        self.forecast_samples
            .store(samples.min(MAX_FORECAST_SAMPLES), Ordering::Relaxed);
    }

    /// Asks every job that runs to stop (the server is stopping).
    pub fn cancel_all(&self) {
        if let Ok(jobs) = self.jobs.lock() {
            for job in jobs.values() {
                job.cancel.store(true, Ordering::Relaxed);
            }
        }
    }

    fn get(&self, id: u64) -> Result<Arc<ScenarioRun>, ApiError> {
        self.jobs
            .lock()
            .ok()
            .and_then(|jobs| jobs.get(&id).cloned())
            .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, format!("no scenario job {id}")))
    }

    /// The finished cascade of job `id`: 404 unknown, 409 running, 422 failed.
    pub fn done(&self, id: u64) -> Result<Arc<Done>, ApiError> {
        match self.get(id)?.cascade.get() {
            None => Err(ApiError::new(
                StatusCode::CONFLICT,
                format!("scenario job {id} is still running"),
            )),
            Some(Ok(done)) => Ok(done.clone()),
            Some(Err(error)) => Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                error.clone(),
            )),
        }
    }
}

/// Starts `scenario` on `city` in the background: the cascade, then the restoration plan.
/// Returns the job's id; 503 when [`MAX_RUNNING`] jobs already run.
pub fn start(
    jobs: &Arc<ScenarioRuns>,
    city: Arc<City>,
    scenario: Scenario,
) -> Result<u64, ApiError> {
    let job = Arc::new(ScenarioRun {
        name: scenario.name.clone(),
        done_s: AtomicU64::new(0),
        horizon_s: scenario.horizon_s.max(1) as u64,
        cascade: OnceLock::new(),
        plan: OnceLock::new(),
        forecast_samples: jobs.forecast_samples.load(Ordering::Relaxed),
        forecast_done: AtomicUsize::new(0),
        forecast: OnceLock::new(),
        cancel: AtomicBool::new(false),
    });
    let (id, running) = {
        let mut map = jobs.jobs.lock().map_err(|_| ApiError::internal("jobs"))?;
        if jobs.running.load(Ordering::Acquire) >= MAX_RUNNING {
            return Err(ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                format!(
                    "{MAX_RUNNING} scenario jobs are running; try again when one is done (or cancel one with DELETE)"
                ),
            )
            .retry_after(5));
        }
        jobs.running.fetch_add(1, Ordering::AcqRel);
        let running = Running(jobs.running.clone());
        while map.len() >= MAX_KEPT {
            let Some(oldest) = map.iter().find(|(_, j)| !j.running()).map(|(&k, _)| k) else {
                break;
            };
            map.remove(&oldest);
        }
        let id = jobs.next.fetch_add(1, Ordering::Relaxed) + 1;
        map.insert(id, job.clone());
        (id, running)
    };
    let water = Arc::clone(&jobs.water);
    tokio::task::spawn_blocking(move || {
        let _running = running;
        // A run that panicked would otherwise hold its place among the running for good.
        let run = || run_scenario(id, &job, &city, scenario, &water);
        if catch_unwind(AssertUnwindSafe(run)).is_err() {
            eprintln!("lifeline serve: scenario job {id} panicked");
            let failed = "internal error; see the server's log".to_string();
            let _ = job.cascade.set(Err(failed.clone()));
            for kept in [&job.plan, &job.forecast] {
                let _ = kept.set(Err(PlanError {
                    message: failed.clone(),
                    field: None,
                }));
            }
        }
    });
    Ok(id)
}

fn run_scenario(id: u64, job: &ScenarioRun, city: &City, scenario: Scenario, water: &WaterCache) {
    let outcome = simulate_shared(
        city,
        &scenario,
        &mut |t, _| {
            job.done_s.store(t.max(0) as u64, Ordering::Relaxed);
        },
        &job.cancel,
        water,
    );
    let done = match outcome {
        Ok(result) => {
            let result_json = Bytes::from(serde_json::to_vec(&result).unwrap_or_default());
            let timeline_json =
                Bytes::from(serde_json::to_vec(&timeline(id, &result)).unwrap_or_default());
            Arc::new(Done {
                result,
                scenario,
                result_json,
                timeline_json,
            })
        }
        Err(error) => {
            eprintln!("lifeline serve: scenario job {id}: {error}");
            let _ = job.cascade.set(Err(error.to_string()));
            return;
        }
    };
    let _ = job.cascade.set(Ok(done.clone()));
    let problem = CityProblem::new(city, &done.scenario, CityOptions::default())
        .map(|problem| problem.cancel_with(&job.cancel));
    let plan_error = |error: &lifeline_restore::RestoreError| {
        eprintln!("lifeline serve: restoration plan of job {id}: {error}");
        PlanError {
            message: error.to_string(),
            field: error.field(),
        }
    };
    let study = match &problem {
        Ok(problem) => study::run(problem, Choice::Best, SearchOptions::default())
            .map(|study| (problem, study))
            .map_err(|error| plan_error(&error)),
        Err(error) => Err(plan_error(error)),
    };
    let plan = match &study {
        Ok((problem, study)) => Ok(Bytes::from(
            serde_json::to_vec(&study.document(problem)).unwrap_or_default(),
        )),
        Err(error) => Err(error.clone()),
    };
    let _ = job.plan.set(plan);
    if job.forecast_samples == 0 {
        return;
    }
    // The run as given (every repair from its strike, as the timeline shows it) with its
    // repair times drawn; `lifeline forecast --plan chosen` forecasts the plan instead.
    let dispatch = Dispatch::Unlimited;
    let request = ForecastRequest {
        samples: job.forecast_samples,
        seed: FORECAST_SEED,
        at_s: None,
    };
    let forecast = lifeline_forecast::run::forecast_cancellable(
        city,
        &done.scenario,
        &request,
        &dispatch,
        &|| {
            job.forecast_done.fetch_add(1, Ordering::Relaxed);
        },
        &job.cancel,
    )
    .map(|forecast| Bytes::from(serde_json::to_vec(&forecast).unwrap_or_default()))
    .map_err(|error| {
        eprintln!("lifeline serve: forecast of job {id}: {error}");
        PlanError {
            message: error.to_string(),
            field: None,
        }
    });
    let _ = job.forecast.set(forecast);
}

/// The dashboard's view of a run: per district, customers without power and people
/// without water at each reported time (the strikes' losses beyond the normal day), the
/// normal day's own shortfall (`baseline`), with the city's totals and the assets'
/// states.
fn timeline(id: u64, result: &CascadeResult) -> serde_json::Value {
    let districts: Vec<serde_json::Value> = result
        .districts
        .iter()
        .map(|d| {
            json!({
                "name": d.name,
                "population": d.population,
                "customers": d.customers,
                "customers_without_power": d.timeline.iter().map(|s| s.customers_without_power).collect::<Vec<_>>(),
                "people_without_water": d.timeline.iter().map(|s| s.people_without_water).collect::<Vec<_>>(),
                "load_mw": d.timeline.iter().map(|s| s.load_mw).collect::<Vec<_>>(),
                "served_mw": d.timeline.iter().map(|s| s.served_mw).collect::<Vec<_>>(),
                "power_restored_h": d.power_restored_h,
                "water_restored_h": d.water_restored_h,
                "baseline": d.baseline,
            })
        })
        .collect();
    json!({
        "id": id,
        "city": result.city,
        "scenario": result.scenario,
        "start": result.start,
        "times_h": result.times_h,
        "population": result.summary.population,
        "customers": result.summary.customers,
        "customers_without_power": result.customers_without_power(),
        "people_without_water": result.people_without_water(),
        "summary": result.summary,
        "districts": districts,
        "assets": result.assets,
    })
}

/// A job's state, as `state` gives it: its cascade `running`, `done` or `failed`.
pub const JOB_STATES: [&str; 3] = [RUNNING, DONE, FAILED];
/// A job's plan, as `plan` gives it: `waiting` for the cascade, `planning`, `done` or
/// `failed`.
pub const PLAN_STATES: [&str; 4] = [WAITING, PLANNING, DONE, FAILED];
/// A job's forecast: not made (the server makes none), waiting for the plan, running,
/// done or failed.
pub const FORECAST_STATES: [&str; 5] = [OFF, WAITING, RUNNING, DONE, FAILED];
const RUNNING: &str = "running";
const WAITING: &str = "waiting";
const OFF: &str = "off";
const PLANNING: &str = "planning";
const DONE: &str = "done";
const FAILED: &str = "failed";

#[derive(Serialize)]
struct JobState {
    id: u64,
    scenario: String,
    /// One of [`JOB_STATES`].
    state: &'static str,
    /// Share of the horizon simulated, 0–1.
    progress: f64,
    error: Option<String>,
    /// One of [`PLAN_STATES`].
    plan: &'static str,
    plan_error: Option<String>,
    /// One of [`FORECAST_STATES`].
    forecast: &'static str,
    /// Share of the forecast's samples run, 0–1.
    forecast_progress: f64,
    forecast_error: Option<String>,
}

fn job_state(id: u64, job: &ScenarioRun) -> JobState {
    let (state, progress, error) = match job.cascade.get() {
        None => (
            RUNNING,
            (job.done_s.load(Ordering::Relaxed) as f64 / job.horizon_s as f64).min(1.0),
            None,
        ),
        Some(Ok(_)) => (DONE, 1.0, None),
        Some(Err(e)) => (FAILED, 1.0, Some(e.clone())),
    };
    let (plan, plan_error) = match (job.cascade.get(), job.plan.get()) {
        (None, _) => (WAITING, None),
        (Some(Err(_)), _) => (FAILED, Some("the scenario run failed".to_string())),
        (Some(Ok(_)), None) => (PLANNING, None),
        (Some(Ok(_)), Some(Ok(_))) => (DONE, None),
        (Some(Ok(_)), Some(Err(e))) => (FAILED, Some(e.message.clone())),
    };
    let samples = job.forecast_samples;
    let (forecast, forecast_error) = match (job.forecast.get(), job.plan.get()) {
        _ if samples == 0 => (OFF, None),
        (Some(Ok(_)), _) => (DONE, None),
        (Some(Err(e)), _) => (FAILED, Some(e.message.clone())),
        (None, _) if matches!(job.cascade.get(), Some(Err(_))) => {
            (FAILED, Some("the scenario run failed".to_string()))
        }
        (None, None) => (WAITING, None),
        (None, Some(_)) => (RUNNING, None),
    };
    let forecast_progress = if samples == 0 {
        0.0
    } else {
        (job.forecast_done.load(Ordering::Relaxed) as f64 / samples as f64).min(1.0)
    };
    JobState {
        id,
        scenario: job.name.clone(),
        state,
        progress,
        error,
        plan,
        plan_error,
        forecast,
        forecast_progress,
        forecast_error,
    }
}

/// `GET /api/scenarios`: every job kept, newest last.
pub async fn list(State(state): State<Shared>) -> Result<Response, ApiError> {
    let jobs = state
        .jobs
        .jobs
        .lock()
        .map_err(|_| ApiError::internal("jobs"))?;
    let rows: Vec<JobState> = jobs.iter().map(|(&id, job)| job_state(id, job)).collect();
    Ok(Json(rows).into_response())
}

/// `POST /api/scenarios` with a scenario.toml as the body: 202 and the job, run in the
/// background; 422 with the file's line and column when the scenario is invalid.
pub async fn run(
    State(state): State<Shared>,
    _: crate::Writer,
    ApiBody(body): ApiBody,
) -> Result<Response, ApiError> {
    let body = String::from_utf8(body.to_vec())
        .map_err(|e| ApiError::invalid("body", format!("not UTF-8 text: {e}")))?;
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
        ApiError::invalid("body", message)
    })?;
    let id = start(&state.jobs, city, scenario)?;
    let job = state.jobs.get(id)?;
    Ok((StatusCode::ACCEPTED, Json(job_state(id, &job))).into_response())
}

/// `DELETE /api/scenarios/{id}`: cancels the job if it runs and forgets it (204); its
/// place among the running is free once its thread has stopped, within seconds.
pub async fn cancel(
    State(state): State<Shared>,
    _: crate::Writer,
    ApiPath(id): ApiPath<u64>,
) -> Result<Response, ApiError> {
    let job = {
        let mut jobs = state
            .jobs
            .jobs
            .lock()
            .map_err(|_| ApiError::internal("jobs"))?;
        jobs.remove(&id)
            .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, format!("no scenario job {id}")))?
    };
    job.cancel.store(true, Ordering::Relaxed);
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `GET /api/scenarios/{id}`: running or done, how far, and the plan's state.
pub async fn status(
    State(state): State<Shared>,
    ApiPath(id): ApiPath<u64>,
) -> Result<Response, ApiError> {
    let job = state.jobs.get(id)?;
    Ok(Json(job_state(id, &job)).into_response())
}

fn json_bytes(bytes: &Bytes) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], bytes.clone()).into_response()
}

/// `GET /api/scenarios/{id}/result`: the cascade result (as `lifeline simulate --json`
/// gives it), 409 while it runs.
pub async fn result(
    State(state): State<Shared>,
    ApiPath(id): ApiPath<u64>,
) -> Result<Response, ApiError> {
    Ok(json_bytes(&state.jobs.done(id)?.result_json))
}

/// `GET /api/scenarios/{id}/timeline`: per district and time, customers without power
/// and people without water; 409 while it runs.
pub async fn timeline_of(
    State(state): State<Shared>,
    ApiPath(id): ApiPath<u64>,
) -> Result<Response, ApiError> {
    Ok(json_bytes(&state.jobs.done(id)?.timeline_json))
}

/// `GET /api/scenarios/{id}/plan`: the restoration plan with the city's crews (as
/// `lifeline restore --json` gives it); 409 while it is planned, 422 when it cannot be.
pub async fn plan(
    State(state): State<Shared>,
    ApiPath(id): ApiPath<u64>,
) -> Result<Response, ApiError> {
    let job = state.jobs.get(id)?;
    state.jobs.done(id)?;
    match job.plan.get() {
        None => Err(ApiError::new(
            StatusCode::CONFLICT,
            format!("the restoration plan of scenario job {id} is being made"),
        )),
        Some(Ok(bytes)) => Ok(json_bytes(bytes)),
        Some(Err(PlanError {
            message,
            field: Some(field),
        })) => Err(ApiError::invalid(field, message)),
        Some(Err(PlanError {
            message,
            field: None,
        })) => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            message.clone(),
        )),
    }
}

/// `GET /api/scenarios/{id}/forecast`: when power and water are back per district, with
/// their spread (as `lifeline forecast --json` gives it for the run's scenario);
/// 409 while it is made, 404 when the server makes none, 422 when it failed.
pub async fn forecast(
    State(state): State<Shared>,
    ApiPath(id): ApiPath<u64>,
) -> Result<Response, ApiError> {
    let job = state.jobs.get(id)?;
    state.jobs.done(id)?;
    if job.forecast_samples == 0 {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "this server makes no forecasts (it was started with 0 forecast samples)",
        ));
    }
    match job.forecast.get() {
        None => Err(ApiError::new(
            StatusCode::CONFLICT,
            format!(
                "the forecast of scenario job {id} is being made: {} of {} samples",
                job.forecast_done.load(Ordering::Relaxed),
                job.forecast_samples
            ),
        )),
        Some(Ok(bytes)) => Ok(json_bytes(bytes)),
        Some(Err(error)) => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            error.message.clone(),
        )),
    }
}
