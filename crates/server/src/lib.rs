//! lifeline's HTTP API: the incident registry over JSON, the city and its scenario runs
//! (background jobs with progress), with health, Prometheus metrics and an OpenAPI 3
//! document.
//!
//! * Reads are open; writes need `Authorization: Bearer TOKEN` (401 otherwise, and when
//!   the server has no token every write is refused).
//! * Bodies are limited to [`BODY_LIMIT`] bytes (413 above).
//! * A body that does not fit gets 422 with the field's path; a record that breaks a
//!   rule gets 422 with its field; an unknown id 404; a duplicate external id 409.
//! * Internal errors are logged on standard error and answered with 500 and a generic
//!   message, never echoed.
//!
//! **Invariant:** the store is used by one request at a time (a mutex), so every write is
//! one transaction of the store, in order.

mod city;
mod dashboard;
mod extract;
mod jobs;
mod metrics;
mod openapi;
mod schedule;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use extract::{ApiBody, ApiPath, ApiQuery};
use lifeline_incidents::IncidentError;
use lifeline_incidents::record::{Incident, Status};
use lifeline_incidents::store::{Filter, Store};
use serde::Deserialize;
use serde_json::json;
use std::sync::{Arc, Mutex};

pub use metrics::Metrics;

/// Largest request body, bytes.
pub const BODY_LIMIT: usize = 256 * 1024;

/// What the handlers share.
pub struct AppState {
    store: Mutex<Box<dyn Store + Send>>,
    token: Option<String>,
    metrics: Metrics,
    city: Option<Arc<lifeline_cascade::City>>,
    jobs: Arc<jobs::Jobs>,
}

impl AppState {
    /// A state over `store`; writes need `token` (none: writes are refused).
    pub fn new(store: Box<dyn Store + Send>, token: Option<String>) -> Self {
        Self {
            store: Mutex::new(store),
            token: token.filter(|t| !t.is_empty()),
            metrics: Metrics::default(),
            city: None,
            jobs: Arc::default(),
        }
    }

    /// Serves `city` too: `/api/city` and scenario runs.
    pub fn with_city(mut self, city: lifeline_cascade::City) -> Self {
        self.city = Some(Arc::new(city));
        self
    }

    /// Starts running `scenario` on the city in the background (the cascade, then the
    /// restoration plan), as `POST /api/scenarios` does; returns the job's id. Call it
    /// inside the server's runtime.
    pub fn start_scenario(&self, scenario: lifeline_cascade::Scenario) -> Result<u64, ApiError> {
        let city = city::city(self)?.clone();
        jobs::start(&self.jobs, city, scenario)
    }
}

/// An API error: status and a JSON body `{error, field?}`.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
    field: Option<String>,
}

impl ApiError {
    fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
            field: None,
        }
    }

    /// 422: `field` does not fit, and why.
    fn invalid(field: &str, message: impl std::fmt::Display) -> Self {
        Self {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            message: format!("{field}: {message}"),
            field: Some(field.to_string()),
        }
    }

    /// 500, logged with what failed; the answer says no more.
    fn internal(what: &str) -> Self {
        eprintln!("lifeline serve: internal error in {what}");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal error; see the server's log",
        )
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.status.as_u16(), self.message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = json!({ "error": self.message });
        if let Some(field) = self.field {
            body["field"] = json!(field);
        }
        (self.status, Json(body)).into_response()
    }
}

impl From<IncidentError> for ApiError {
    fn from(error: IncidentError) -> Self {
        match error {
            IncidentError::Invalid { field, message } => Self {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                message: format!("{field}: {message}"),
                field: Some(field),
            },
            IncidentError::NotFound(_) => Self::new(StatusCode::NOT_FOUND, error.to_string()),
            IncidentError::Duplicate { .. } => Self::new(StatusCode::CONFLICT, error.to_string()),
            IncidentError::Database { .. } => {
                eprintln!("lifeline serve: {error}");
                Self::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal error; see the server's log",
                )
            }
        }
    }
}

type Shared = Arc<AppState>;

fn authorize(state: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    match (&state.token, given) {
        (Some(token), Some(given)) if constant_time_eq(token.as_bytes(), given.as_bytes()) => {
            Ok(())
        }
        (None, _) => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "writes are disabled: the server was started without a token",
        )),
        _ => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "writes need Authorization: Bearer TOKEN",
        )),
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Parses a JSON body, naming the field that does not fit.
fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_slice(body)).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.inner();
        let message = inner.to_string();
        let message = message.split(" at line ").next().unwrap_or_default();
        ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            message: if path == "." {
                format!("body: {message}")
            } else {
                format!("{path}: {message}")
            },
            field: Some(if path == "." { "body".into() } else { path }),
        }
    })
}

fn lock(state: &AppState) -> Result<std::sync::MutexGuard<'_, Box<dyn Store + Send>>, ApiError> {
    state.store.lock().map_err(|_| {
        eprintln!("lifeline serve: the store's lock was poisoned by a failed request");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal error; see the server's log",
        )
    })
}

#[derive(Debug, Deserialize)]
struct ListQuery {
    status: Option<String>,
    from: Option<String>,
    to: Option<String>,
    admin1: Option<String>,
}

async fn list(
    State(state): State<Shared>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Response, ApiError> {
    let status = match q.status.as_deref() {
        None => Vec::new(),
        Some(s) => vec![
            serde_json::from_value::<Status>(json!(s)).map_err(|_| ApiError {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                message: format!("status: expected draft, confirmed or retracted, got '{s}'"),
                field: Some("status".into()),
            })?,
        ],
    };
    let filter = Filter {
        status,
        from: q.from,
        to: q.to,
        admin1: q.admin1,
    };
    let list = lock(&state)?.list(&filter)?;
    Ok(Json(list).into_response())
}

async fn create(
    State(state): State<Shared>,
    headers: HeaderMap,
    ApiBody(body): ApiBody,
) -> Result<Response, ApiError> {
    authorize(&state, &headers)?;
    let incident: Incident = parse(&body)?;
    let added = lock(&state)?.add(incident, "api")?;
    Ok((StatusCode::CREATED, Json(added)).into_response())
}

async fn show(
    State(state): State<Shared>,
    ApiPath(id): ApiPath<String>,
) -> Result<Response, ApiError> {
    Ok(Json(lock(&state)?.get(&id)?).into_response())
}

async fn edit(
    State(state): State<Shared>,
    ApiPath(id): ApiPath<String>,
    headers: HeaderMap,
    ApiBody(body): ApiBody,
) -> Result<Response, ApiError> {
    authorize(&state, &headers)?;
    let mut incident: Incident = parse(&body)?;
    incident.id = id;
    Ok(Json(lock(&state)?.revise(incident, "api", "edit")?).into_response())
}

async fn history(
    State(state): State<Shared>,
    ApiPath(id): ApiPath<String>,
) -> Result<Response, ApiError> {
    Ok(Json(lock(&state)?.history(&id)?).into_response())
}

async fn set_status(
    state: Shared,
    id: String,
    headers: HeaderMap,
    status: Status,
) -> Result<Response, ApiError> {
    authorize(&state, &headers)?;
    Ok(Json(lock(&state)?.set_status(&id, status, "api")?).into_response())
}

async fn confirm(
    State(state): State<Shared>,
    ApiPath(id): ApiPath<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    set_status(state, id, headers, Status::Confirmed).await
}

async fn retract(
    State(state): State<Shared>,
    ApiPath(id): ApiPath<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    set_status(state, id, headers, Status::Retracted).await
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExtractRequest {
    text: String,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    publisher: Option<String>,
}

async fn extract(ApiBody(body): ApiBody) -> Result<Response, ApiError> {
    let request: ExtractRequest = parse(&body)?;
    let date = match &request.date {
        None => None,
        Some(d) => Some(
            chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| ApiError {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                message: format!("date: expected YYYY-MM-DD, got '{d}'"),
                field: Some("date".into()),
            })?,
        ),
    };
    let drafts =
        lifeline_incidents::extract::extract(&request.text, date, request.publisher.as_deref());
    Ok(Json(drafts).into_response())
}

async fn health() -> Response {
    Json(json!({ "status": "ok", "version": env!("CARGO_PKG_VERSION") })).into_response()
}

async fn metrics_text(State(state): State<Shared>) -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics.render(),
    )
        .into_response()
}

async fn openapi_document() -> Response {
    Json(openapi::document()).into_response()
}

async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "no such endpoint; see /openapi.json")
}

/// The application: every route, the body limit and the metrics.
pub fn app(state: AppState) -> Router {
    let state = Arc::new(state);
    Router::new()
        .route("/", get(dashboard::index))
        .route("/assets/{file}", get(dashboard::asset))
        .route("/health", get(health))
        .route("/metrics", get(metrics_text))
        .route("/openapi.json", get(openapi_document))
        .route("/api/incidents", get(list).post(create))
        .route("/api/incidents/extract", post(extract))
        .route("/api/incidents/{id}", get(show).put(edit))
        .route("/api/incidents/{id}/history", get(history))
        .route("/api/incidents/{id}/confirm", post(confirm))
        .route("/api/incidents/{id}/retract", post(retract))
        .route("/api/city", get(city::show))
        .route("/api/scenarios", get(jobs::list).post(jobs::run))
        .route("/api/scenarios/{id}", get(jobs::status))
        .route("/api/scenarios/{id}/result", get(jobs::result))
        .route("/api/scenarios/{id}/timeline", get(jobs::timeline_of))
        .route("/api/scenarios/{id}/plan", get(jobs::plan))
        .route("/api/scenarios/{id}/schedule", get(schedule::show))
        .route(
            "/api/scenarios/{id}/schedule/calendars/{group}",
            get(schedule::calendar),
        )
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::record,
        ))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(state)
}

/// Serves `app` on `addr` until Ctrl-C.
pub async fn serve(app: Router, addr: &str) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    eprintln!(
        "lifeline serve: listening on http://{}",
        listener.local_addr()?
    );
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}
