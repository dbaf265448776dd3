//! Prometheus-format metrics: requests and errors per route, and time spent.
//!
//! **Invariant:** labels come from fixed sets only — the standard methods (any other is
//! `other`), the routes' templates (`/api/incidents/{id}`; anything else is `unmatched`)
//! and status classes — so no client can grow the series.

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// (method, route, status class).
type Key = (&'static str, String, String);

/// The methods counted by name; any other is `other`.
const METHODS: [&str; 9] = [
    "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "CONNECT", "TRACE",
];

fn method_label(method: &axum::http::Method) -> &'static str {
    METHODS
        .iter()
        .find(|m| **m == method.as_str())
        .copied()
        .unwrap_or("other")
}
/// (requests, seconds).
type Tally = (u64, f64);

/// Counters per (method, route, status class).
#[derive(Default)]
pub struct Metrics {
    counts: Mutex<BTreeMap<Key, Tally>>,
}

impl Metrics {
    /// The text exposition format.
    pub fn render(&self) -> String {
        let mut out = String::from(
            "# HELP lifeline_http_requests_total HTTP requests by method, route and status class.\n\
             # TYPE lifeline_http_requests_total counter\n",
        );
        let counts = match self.counts.lock() {
            Ok(c) => c.clone(),
            Err(_) => BTreeMap::new(),
        };
        for ((method, route, class), (n, _)) in &counts {
            out.push_str(&format!(
                "lifeline_http_requests_total{{method=\"{method}\",route=\"{route}\",status=\"{class}\"}} {n}\n"
            ));
        }
        out.push_str(
            "# HELP lifeline_http_request_seconds_total Time spent answering, by route.\n\
             # TYPE lifeline_http_request_seconds_total counter\n",
        );
        for ((method, route, class), (_, seconds)) in &counts {
            out.push_str(&format!(
                "lifeline_http_request_seconds_total{{method=\"{method}\",route=\"{route}\",status=\"{class}\"}} {seconds:.6}\n"
            ));
        }
        out
    }
}

/// Middleware counting every request.
pub async fn record(
    State(state): State<Arc<crate::AppState>>,
    request: Request,
    next: Next,
) -> Response {
    let method = method_label(request.method());
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |p| p.as_str().to_string());
    let started = Instant::now();
    let response = next.run(request).await;
    let class = format!("{}xx", response.status().as_u16() / 100);
    if let Ok(mut counts) = state.metrics.counts.lock() {
        let entry = counts.entry((method, route, class)).or_insert((0, 0.0));
        entry.0 += 1;
        entry.1 += started.elapsed().as_secs_f64();
    }
    response
}
