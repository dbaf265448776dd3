//! Bounds on what a client can make the server do: which `Host` it may name, how long a
//! request may take, and how many expensive requests run at once.
//!
//! * **Host allow-list.** A browser that a hostile page sent here through DNS rebinding
//!   names the attacker's host in `Host`; the server answers only for its own names
//!   (by default `localhost`, `127.0.0.1`, `::1` and the address it is bound to), so
//!   such a page cannot read the registry. Requests without a `Host` (not from a
//!   browser) pass, and so do `/health` and `/metrics`, which hold nothing to steal and
//!   which probes and scrapers ask for by the machine's address.
//! * **Time and connections** ([`Limits`]). Every request is answered within
//!   [`Limits::request`] (503 otherwise); a body must arrive within [`Limits::body`]
//!   (408 otherwise); headers within [`Limits::header`] of a connection's start or of its
//!   previous answer (the connection is closed otherwise); at most
//!   [`Limits::connections`] connections are open at once (see [`crate::serve_with`]).
//! * **Expensive requests** (outage schedules, their calendars, drafts from a report)
//!   hold one of
//!   [`Expensive::permits`] while they compute. A request that finds none free waits for
//!   one (asynchronously, holding no thread) up to [`Expensive::WAIT`], and at most
//!   [`Expensive::MAX_WAITING`] wait at once; beyond either the answer is 503 with
//!   `Retry-After`.

use crate::{ApiError, Shared};
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// How long a client may take and how many connections it may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Longest a request may take, from its headers to its answer (default 30 s).
    pub request: Duration,
    /// Longest a request body may take to arrive (default 10 s).
    pub body: Duration,
    /// Longest a connection may take to send a request's headers, from its start or the
    /// end of its previous answer, so also the longest it may stay idle (default 10 s).
    pub header: Duration,
    /// Most connections open at once; more wait to be accepted (default 2,048).
    pub connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            request: Duration::from_secs(30),
            body: Duration::from_secs(10),
            header: Duration::from_secs(10),
            connections: 2048,
        }
    }
}

/// The time a body has to arrive, put in each request's extensions by [`guard`].
#[derive(Debug, Clone, Copy)]
pub struct BodyDeadline(pub Duration);

/// Which `Host` names the server answers for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AllowedHosts {
    /// Any (`--allow-host '*'`): behind a proxy that checks it, or on a closed network.
    Any,
    /// These names, lower-case, without port or trailing dot.
    Only(Vec<String>),
}

impl Default for AllowedHosts {
    /// The loopback names.
    fn default() -> Self {
        Self::Only(vec!["localhost".into(), "127.0.0.1".into(), "::1".into()])
    }
}

impl AllowedHosts {
    /// The loopback names, the address `bound` (unless it is the unspecified `0.0.0.0` or
    /// `::`) and `extra` (a `*` among them allows any).
    pub fn for_address(bound: std::net::SocketAddr, extra: &[String]) -> Self {
        if extra.iter().any(|h| h.trim() == "*") {
            return Self::Any;
        }
        let Self::Only(mut names) = Self::default() else {
            return Self::Any;
        };
        if !bound.ip().is_unspecified() {
            names.push(bound.ip().to_string());
        }
        names.extend(extra.iter().map(|h| normalise(h).to_string()));
        names.sort();
        names.dedup();
        Self::Only(names)
    }

    /// Whether a request naming `host` (a `Host` header's value) is answered.
    pub fn allows(&self, host: &str) -> bool {
        match self {
            Self::Any => true,
            Self::Only(names) => {
                let name = normalise(host);
                names.iter().any(|n| n.eq_ignore_ascii_case(name))
            }
        }
    }

    /// The names, for the server's log.
    pub fn describe(&self) -> String {
        match self {
            Self::Any => "any Host".into(),
            Self::Only(names) => names.join(", "),
        }
    }
}

/// `Example.org:8080` → `Example.org`, `[::1]:8080` → `::1`, `localhost.` → `localhost`.
fn normalise(host: &str) -> &str {
    let host = host.trim();
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or(rest)
    } else if host.matches(':').count() == 1 {
        host.split(':').next().unwrap_or(host)
    } else {
        host
    };
    name.trim_end_matches('.')
}

/// Middleware: the Host check, then the request within [`Limits::request`].
pub async fn guard(State(state): State<Shared>, mut request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .map(|h| h.to_str().unwrap_or("\u{fffd}").to_string())
        .or_else(|| request.uri().host().map(str::to_string));
    let unguarded = matches!(request.uri().path(), "/health" | "/metrics");
    if let Some(host) = host
        && !unguarded
        && !state.allowed_hosts.allows(&host)
    {
        return ApiError::new(
            StatusCode::MISDIRECTED_REQUEST,
            format!(
                "this server does not answer for Host '{}' (it answers only for the host names it was started with)",
                host.chars().take(100).collect::<String>()
            ),
        )
        .with_field("Host")
        .into_response();
    }
    let limits = state.limits;
    request.extensions_mut().insert(BodyDeadline(limits.body));
    match tokio::time::timeout(limits.request, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "the request took longer than {:.1} s",
                limits.request.as_secs_f64()
            ),
        )
        .retry_after(crate::registry::RETRY_AFTER_S)
        .into_response(),
    }
}

/// Permits for expensive requests.
pub struct Expensive {
    semaphore: Arc<Semaphore>,
    /// How many there are.
    pub permits: usize,
    /// Requests waiting for one now.
    waiting: std::sync::atomic::AtomicUsize,
}

impl Expensive {
    /// Longest a request waits for a permit.
    pub const WAIT: Duration = Duration::from_secs(10);
    /// Most requests waiting for a permit at once.
    pub const MAX_WAITING: usize = 16;

    /// `permits` at once (at least 1).
    pub fn new(permits: usize) -> Self {
        let permits = permits.max(1);
        Self {
            semaphore: Arc::new(Semaphore::new(permits)),
            permits,
            waiting: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    /// As many as the machine has cores, less one for everything else (at least 1).
    pub fn for_this_machine() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        Self::new(cores.saturating_sub(1))
    }

    /// A permit for `what`: at once when one is free, else after waiting for one (see
    /// the module's docs); 503 with `Retry-After` when too many wait or the wait is too
    /// long.
    pub async fn start(&self, what: &str) -> Result<OwnedSemaphorePermit, ApiError> {
        use std::sync::atomic::Ordering;
        if let Ok(permit) = self.semaphore.clone().try_acquire_owned() {
            return Ok(permit);
        }
        let busy = || {
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                format!(
                    "{} {what} already being computed and more waiting; try again in {} s",
                    self.permits,
                    crate::registry::RETRY_AFTER_S
                ),
            )
            .retry_after(crate::registry::RETRY_AFTER_S)
        };
        if self.waiting.fetch_add(1, Ordering::AcqRel) >= Self::MAX_WAITING {
            self.waiting.fetch_sub(1, Ordering::AcqRel);
            return Err(busy());
        }
        let waited = tokio::time::timeout(Self::WAIT, self.semaphore.clone().acquire_owned()).await;
        self.waiting.fetch_sub(1, Ordering::AcqRel);
        match waited {
            Ok(Ok(permit)) => Ok(permit),
            _ => Err(busy()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::AllowedHosts;

    #[test]
    fn hosts_are_matched_by_name_whatever_the_port_and_case() {
        let hosts = AllowedHosts::for_address(
            "192.168.1.5:8080".parse().unwrap(),
            &["Lifeline.example.org".into()],
        );
        for ok in [
            "localhost",
            "LOCALHOST:8080",
            "127.0.0.1:8080",
            "[::1]:8080",
            "192.168.1.5",
            "lifeline.example.org:443",
            "localhost.",
        ] {
            assert!(hosts.allows(ok), "{ok}");
        }
        for refused in [
            "evil.example",
            "localhost.evil.example",
            "127.0.0.2",
            "",
            "[::2]:80",
        ] {
            assert!(!hosts.allows(refused), "{refused}");
        }
        let any_address = AllowedHosts::for_address("0.0.0.0:8080".parse().unwrap(), &[]);
        assert!(!any_address.allows("0.0.0.0"));
        assert!(
            AllowedHosts::for_address("0.0.0.0:8080".parse().unwrap(), &["*".into()])
                .allows("anything")
        );
    }
}
