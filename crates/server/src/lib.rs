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
//! * Every resource a client can use is bounded ([`limits`]): connections, the time for
//!   headers, bodies and answers, expensive requests at once, scenario jobs, the store's
//!   queue, metric labels; a server that is too busy answers 503 with `Retry-After`.
//!
//! **Invariant:** the store runs on a thread of its own ([`registry`]), one request at a
//! time, so every write is one transaction of the store, in order, and no async worker
//! ever waits on the database.

mod city;
mod dashboard;
mod extract;
pub mod limits;
mod metrics;
mod openapi;
mod registry;
mod runs;

pub use runs::{DEFAULT_FORECAST_SAMPLES, MAX_FORECAST_SAMPLES};
mod schedule;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use extract::{ApiBody, ApiPath, ApiQuery};
use lifeline_incidents::IncidentError;
use lifeline_incidents::record::{Incident, Status};
use lifeline_incidents::store::{Cursor, Filter, MAX_PAGE, Store};
use limits::{AllowedHosts, Expensive, Limits};
use registry::Registry;
use serde::Deserialize;
use serde_json::json;
use std::sync::Arc;

pub use metrics::Metrics;
pub use runs::ScenarioRuns;

/// Largest request body, bytes.
pub const BODY_LIMIT: usize = 256 * 1024;
/// Incidents per page of `GET /api/incidents` when `limit` is not given.
pub const DEFAULT_PAGE: usize = 100;

/// What the handlers share.
pub struct AppState {
    registry: Registry,
    token: Option<String>,
    metrics: Metrics,
    city: Option<Arc<lifeline_cascade::City>>,
    /// `GET /api/city`'s document, made once with the city.
    city_document: Option<axum::body::Bytes>,
    jobs: Arc<runs::ScenarioRuns>,
    allowed_hosts: AllowedHosts,
    expensive: Expensive,
    limits: Limits,
}

impl AppState {
    /// A state over `store` (moved to a thread of its own); writes need `token` (none:
    /// writes are refused). It answers for the loopback names only until
    /// [`allow_hosts`](Self::allow_hosts) says otherwise. Fails only when the store's
    /// thread cannot be started.
    pub fn new(store: Box<dyn Store + Send>, token: Option<String>) -> std::io::Result<Self> {
        Ok(Self {
            registry: Registry::start(store)?,
            token: token.filter(|t| !t.is_empty()),
            metrics: Metrics::default(),
            city: None,
            city_document: None,
            jobs: Arc::default(),
            allowed_hosts: AllowedHosts::default(),
            expensive: Expensive::for_this_machine(),
            limits: Limits::default(),
        })
    }

    /// Serves `city` too: `/api/city` and scenario runs.
    pub fn with_city(mut self, city: lifeline_cascade::City) -> Self {
        self.city_document = Some(city::document(&city));
        self.city = Some(Arc::new(city));
        self
    }

    /// Answers only requests whose `Host` is one of `hosts`.
    pub fn allow_hosts(mut self, hosts: AllowedHosts) -> Self {
        self.allowed_hosts = hosts;
        self
    }

    /// Answers requests within `limits` (the request and body times; the connection
    /// limits are [`serve_with`]'s).
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// New scenario jobs make restoration forecasts of `samples` samples (0: none; at
    /// most [`MAX_FORECAST_SAMPLES`]; default [`DEFAULT_FORECAST_SAMPLES`]).
    pub fn with_forecast_samples(self, samples: usize) -> Self {
        self.jobs.set_forecast_samples(samples);
        self
    }

    /// The scenario jobs, to cancel them when the server stops ([`ScenarioRuns::cancel_all`]).
    pub fn jobs(&self) -> Arc<ScenarioRuns> {
        self.jobs.clone()
    }

    /// Starts running `scenario` on the city in the background (the cascade, then the
    /// restoration plan), as `POST /api/scenarios` does; returns the job's id. Call it
    /// inside the server's runtime.
    pub fn start_scenario(&self, scenario: lifeline_cascade::Scenario) -> Result<u64, ApiError> {
        let city = city::city(self)?.clone();
        runs::start(&self.jobs, city, scenario)
    }
}

/// An API error: status and a JSON body `{error, field?}`, with `Retry-After` when
/// trying again later may work.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
    field: Option<String>,
    retry_after_s: Option<u32>,
}

impl ApiError {
    fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
            field: None,
            retry_after_s: None,
        }
    }

    /// The same error about `field` (a body field's path, a query parameter, a header).
    fn with_field(mut self, field: &str) -> Self {
        self.field = Some(field.to_string());
        self
    }

    /// The same error, telling the client to try again after `seconds`.
    fn retry_after(mut self, seconds: u32) -> Self {
        self.retry_after_s = Some(seconds);
        self
    }

    /// The status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// 422: `field` does not fit, and why.
    fn invalid(field: &str, message: impl std::fmt::Display) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("{field}: {message}"),
        )
        .with_field(field)
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
        let mut response = (self.status, Json(body)).into_response();
        if let Some(seconds) = self.retry_after_s {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

impl From<lifeline_app::AppError> for ApiError {
    /// A request field that is wrong is 422 with the field; any other refusal of the
    /// inputs is 422 without one.
    fn from(error: lifeline_app::AppError) -> Self {
        match error.field_name() {
            Some(field) => Self::invalid(field, error.message()),
            None => Self::new(StatusCode::UNPROCESSABLE_ENTITY, error.to_string()),
        }
    }
}

impl From<IncidentError> for ApiError {
    fn from(error: IncidentError) -> Self {
        match error {
            IncidentError::Invalid { field, message } => Self::invalid(&field, message),
            IncidentError::NotFound(_) => Self::new(StatusCode::NOT_FOUND, error.to_string()),
            IncidentError::Duplicate { .. } => Self::new(StatusCode::CONFLICT, error.to_string()),
            IncidentError::Busy { .. } => {
                eprintln!("lifeline serve: {error}");
                registry::busy("the registry's database is busy")
            }
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

/// The token of an `Authorization: Bearer TOKEN` header; the scheme's name is
/// case-insensitive (RFC 9110 §11.1), and spaces may separate it from the token.
fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim_start())
}

fn authorize(state: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    let given = bearer_token(headers);
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

/// A request that carries the bearer token. Extracted before anything else of a write
/// handler, so a write without the token is refused before its body is read.
pub(crate) struct Writer;

impl axum::extract::FromRequestParts<Shared> for Writer {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &Shared,
    ) -> Result<Self, ApiError> {
        authorize(state, &parts.headers).map(|()| Writer)
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
        let field = if path == "." { "body".into() } else { path };
        ApiError::invalid(&field, message)
    })
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    status: Option<String>,
    from: Option<String>,
    to: Option<String>,
    admin1: Option<String>,
    limit: Option<String>,
    cursor: Option<String>,
}

/// A page of `GET /api/incidents`.
#[derive(serde::Serialize)]
struct IncidentPage {
    incidents: Vec<Incident>,
    /// Give it as `cursor` for the next page; `null` on the last.
    next_cursor: Option<String>,
}

async fn list(
    State(state): State<Shared>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Response, ApiError> {
    let status = match q.status.as_deref() {
        None => Vec::new(),
        Some(s) => vec![serde_json::from_value::<Status>(json!(s)).map_err(|_| {
            ApiError::invalid(
                "status",
                format!("expected draft, confirmed or retracted, got '{s}'"),
            )
        })?],
    };
    let limit = match q.limit.as_deref() {
        None => DEFAULT_PAGE,
        Some(text) => text
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=MAX_PAGE).contains(n))
            .ok_or_else(|| {
                ApiError::invalid(
                    "limit",
                    format!("expected a whole number from 1 to {MAX_PAGE}, got '{text}'"),
                )
            })?,
    };
    let after = q.cursor.as_deref().map(Cursor::decode).transpose()?;
    let filter = Filter {
        status,
        from: q.from,
        to: q.to,
        admin1: q.admin1,
    };
    filter.check()?;
    let page = state
        .registry
        .run(move |store| store.list_page(&filter, after.as_ref(), limit))
        .await?;
    Ok(Json(IncidentPage {
        incidents: page.incidents,
        next_cursor: page.next.map(|c| c.encode()),
    })
    .into_response())
}

async fn create(
    State(state): State<Shared>,
    _: Writer,
    ApiBody(body): ApiBody,
) -> Result<Response, ApiError> {
    let incident: Incident = parse(&body)?;
    let added = state
        .registry
        .run(move |store| store.add(incident, "api"))
        .await?;
    Ok((StatusCode::CREATED, Json(added)).into_response())
}

async fn show(
    State(state): State<Shared>,
    ApiPath(id): ApiPath<String>,
) -> Result<Response, ApiError> {
    let incident = state.registry.run(move |store| store.get(&id)).await?;
    Ok(Json(incident).into_response())
}

async fn edit(
    State(state): State<Shared>,
    _: Writer,
    ApiPath(id): ApiPath<String>,
    ApiBody(body): ApiBody,
) -> Result<Response, ApiError> {
    let mut incident: Incident = parse(&body)?;
    incident.id = id;
    let revision = state
        .registry
        .run(move |store| store.revise(incident, "api", "edit"))
        .await?;
    Ok(Json(revision).into_response())
}

async fn history(
    State(state): State<Shared>,
    ApiPath(id): ApiPath<String>,
) -> Result<Response, ApiError> {
    let history = state.registry.run(move |store| store.history(&id)).await?;
    Ok(Json(history).into_response())
}

async fn set_status(state: Shared, id: String, status: Status) -> Result<Response, ApiError> {
    let revision = state
        .registry
        .run(move |store| store.set_status(&id, status, "api"))
        .await?;
    Ok(Json(revision).into_response())
}

async fn confirm(
    State(state): State<Shared>,
    _: Writer,
    ApiPath(id): ApiPath<String>,
) -> Result<Response, ApiError> {
    set_status(state, id, Status::Confirmed).await
}

async fn retract(
    State(state): State<Shared>,
    _: Writer,
    ApiPath(id): ApiPath<String>,
) -> Result<Response, ApiError> {
    set_status(state, id, Status::Retracted).await
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

/// Drafts on a blocking thread, holding one of the permits for expensive requests: a
/// 256 KiB report takes the extractor some 70 ms, which must not hold an async worker.
async fn extract(
    State(state): State<Shared>,
    ApiBody(body): ApiBody,
) -> Result<Response, ApiError> {
    let request: ExtractRequest = parse(&body)?;
    let date = match &request.date {
        None => None,
        Some(d) => Some(
            chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| {
                ApiError::invalid("date", format!("expected YYYY-MM-DD, got '{d}'"))
            })?,
        ),
    };
    let permit = state
        .expensive
        .start("extractions or schedules are")
        .await?;
    let drafts = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        lifeline_incidents::extract::extract(&request.text, date, request.publisher.as_deref())
    })
    .await
    .map_err(|_| ApiError::internal("extract"))?;
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

async fn method_not_allowed(request: axum::extract::Request) -> ApiError {
    let method = request.method().as_str();
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        format!(
            "{} is not a method of {}; see /openapi.json",
            method.chars().take(20).collect::<String>(),
            request.uri().path()
        ),
    )
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
        .route("/api/scenarios", get(runs::list).post(runs::run))
        .route(
            "/api/scenarios/{id}",
            get(runs::status).delete(runs::cancel),
        )
        .route("/api/scenarios/{id}/result", get(runs::result))
        .route("/api/scenarios/{id}/timeline", get(runs::timeline_of))
        .route("/api/scenarios/{id}/plan", get(runs::plan))
        .route("/api/scenarios/{id}/forecast", get(runs::forecast))
        .route("/api/scenarios/{id}/schedule", get(schedule::show))
        .route(
            "/api/scenarios/{id}/schedule/calendars/{group}",
            get(schedule::calendar),
        )
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            limits::guard,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::record,
        ))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(state)
}

/// [`serve_with`] the default [`Limits`] until Ctrl-C or SIGTERM.
pub async fn serve(app: Router, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    // SIGTERM's handler is in place before "listening on" is printed: a service manager
    // (or a test) that stops the server as soon as it listens must not kill it outright.
    serve_with(app, listener, Limits::default(), shutdown_signal()).await
}

/// Serves `app` on `listener` until `shutdown` completes, then finishes the requests under
/// way (for at most [`Limits::request`]). HTTP/1.1; at most [`Limits::connections`]
/// connections at once; a connection that does not send a request's headers within
/// [`Limits::header`] (of its start, or of its previous answer) is closed; headers over
/// 64 KiB are refused.
pub async fn serve_with(
    app: Router,
    listener: tokio::net::TcpListener,
    limits: Limits,
    shutdown: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::service::TowerToHyperService;
    eprintln!(
        "lifeline serve: listening on http://{}",
        listener.local_addr()?
    );
    let connections = Arc::new(tokio::sync::Semaphore::new(limits.connections.max(1)));
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut shutdown = std::pin::pin!(shutdown);
    let mut tasks = tokio::task::JoinSet::new();
    loop {
        let permit = tokio::select! {
            permit = connections.clone().acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let (stream, _) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // Out of file descriptors and the like: wait a little, keep serving.
                Err(error) => {
                    eprintln!("lifeline serve: accept: {error}");
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let service = TowerToHyperService::new(app.clone());
        let mut stop = stop_rx.clone();
        tasks.spawn(async move {
            let _permit = permit;
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header)
                .max_buf_size(64 * 1024);
            let connection = builder.serve_connection(TokioIo::new(stream), service);
            let mut connection = std::pin::pin!(connection);
            let stopping = async move {
                let _ = stop.wait_for(|stopping| *stopping).await.map(|_| ());
            };
            tokio::select! {
                _ = connection.as_mut() => {}
                () = stopping => {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.await;
                }
            }
        });
        // Forget connections that ended, so the set stays as small as those open.
        while tasks.try_join_next().is_some() {}
    }
    eprintln!("lifeline serve: stopping; finishing the requests under way");
    let _ = stop_tx.send(true);
    let _ = tokio::time::timeout(limits.request, async {
        while tasks.join_next().await.is_some() {}
    })
    .await;
    Ok(())
}

/// Ctrl-C, or SIGTERM on Unix (what service managers send). SIGTERM's handler is
/// registered when this is called, not when the future is first polled.
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    async move {
        #[cfg(unix)]
        if let Some(mut term) = term {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[cfg(test)]
mod tests {
    use super::bearer_token;
    use axum::http::{HeaderMap, HeaderValue, header};

    #[test]
    fn the_bearer_scheme_is_case_insensitive() {
        let token = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::AUTHORIZATION, HeaderValue::from_str(value).unwrap());
            bearer_token(&headers).map(str::to_string)
        };
        assert_eq!(token("Bearer abc").as_deref(), Some("abc"));
        assert_eq!(token("bearer abc").as_deref(), Some("abc"));
        assert_eq!(token("BEARER   abc").as_deref(), Some("abc"));
        assert_eq!(token("Basic abc"), None);
        assert_eq!(token("Bearerabc"), None);
    }
}
