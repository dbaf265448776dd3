//! A hostile client and a busy database: every resource bounded, every refusal JSON.

use super::{KHARKIV, Served, TOKEN, call, city_server, server, servers, tiny};
use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use lifeline_incidents::sqlite::SqliteStore;
use lifeline_server::limits::{AllowedHosts, Limits};
use lifeline_server::{AppState, app, serve_with};
use serde_json::{Value, json};
use std::io::{Read, Write};
use std::time::{Duration, Instant};
use tower::ServiceExt;

/// `method uri` with extra headers: status, headers and body.
async fn raw(
    app: &Router,
    method: &str,
    uri: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> (StatusCode, axum::http::HeaderMap, Value) {
    let mut request = Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let request = request
        .body(body.map_or_else(Body::empty, |b| Body::from(b.to_string())))
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let value = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    (status, headers, value)
}

/// `POST /api/incidents` of the Kharkiv record with this `Authorization` header.
async fn post_kharkiv(
    app: &Router,
    authorization: &str,
) -> (StatusCode, axum::http::HeaderMap, Value) {
    raw(
        app,
        "POST",
        "/api/incidents",
        &[
            ("authorization", authorization),
            ("content-type", "application/json"),
        ],
        Some(KHARKIV),
    )
    .await
}

#[tokio::test]
async fn made_up_methods_do_not_grow_the_metrics() {
    let app = server();
    for i in 0..200 {
        let method = format!("X{i}{}", "Q".repeat(2000));
        let (status, _, body) = raw(&app, &method, "/api/incidents", &[], None).await;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
        assert!(body["error"].as_str().is_some(), "{body}");
    }
    let (_, _, metrics) = raw(&app, "GET", "/metrics", &[], None).await;
    let text = metrics.as_str().unwrap();
    assert!(text.len() < 4096, "{} bytes of metrics", text.len());
    assert!(
        text.contains(
            "lifeline_http_requests_total{method=\"other\",route=\"/api/incidents\",status=\"4xx\"} 200"
        ),
        "{text}"
    );
    assert!(!text.contains("QQQ"));
}

#[tokio::test]
async fn refusals_of_a_method_are_json_and_say_what_to_read() {
    let app = server();
    for (method, uri) in [
        ("PATCH", "/api/incidents"),
        ("DELETE", "/api/incidents/INC-000001"),
        ("POST", "/health"),
    ] {
        let (status, headers, body) = raw(&app, method, uri, &[], None).await;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {uri}");
        assert!(headers.get("allow").is_some(), "{method} {uri}");
        assert!(
            body["error"].as_str().unwrap().contains("/openapi.json"),
            "{method} {uri}: {body}"
        );
    }
}

#[tokio::test]
async fn the_bearer_scheme_may_be_written_in_any_case() {
    let app = server();
    for scheme in ["bearer", "BEARER", "Bearer"] {
        let body = KHARKIV.replace("\"k\"", &format!("\"k-{scheme}\""));
        let (status, _, answer) = raw(
            &app,
            "POST",
            "/api/incidents",
            &[
                ("authorization", &format!("{scheme} {TOKEN}")),
                ("content-type", "application/json"),
            ],
            Some(&body),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{scheme}: {answer}");
    }
    let (status, _, _) = post_kharkiv(&app, &format!("Basic {TOKEN}")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // A write without the token is refused before its body is read: even one past the
    // size limit is a 401, not a 413.
    let big = "x".repeat(lifeline_server::BODY_LIMIT + 1);
    let (status, _, _) = raw(&app, "POST", "/api/incidents", &[], Some(&big)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn only_the_servers_own_host_names_are_answered() {
    let app = app(
        AppState::new(Box::new(SqliteStore::in_memory().unwrap()), None)
            .unwrap()
            .allow_hosts(AllowedHosts::for_address(
                "10.1.2.3:8080".parse().unwrap(),
                &["lifeline.example.org".into()],
            )),
    );
    for host in [
        "localhost:8080",
        "127.0.0.1:8080",
        "10.1.2.3:8080",
        "lifeline.example.org",
    ] {
        let (status, _, _) = raw(&app, "GET", "/api/incidents", &[("host", host)], None).await;
        assert_eq!(status, StatusCode::OK, "{host}");
    }
    // A page on another site that rebound its name to this server's address.
    for host in [
        "attacker.example:8080",
        "10.1.2.3.nip.io",
        "localhost.attacker.example",
    ] {
        let (status, _, body) = raw(&app, "GET", "/api/incidents", &[("host", host)], None).await;
        assert_eq!(status, StatusCode::MISDIRECTED_REQUEST, "{host}");
        assert_eq!(body["field"], "Host", "{body}");
        assert!(
            body["error"]
                .as_str()
                .unwrap()
                .contains("it answers only for the host names it was started with"),
            "{body}"
        );
    }
    // No Host: not a browser.
    let (status, _, _) = raw(&app, "GET", "/health", &[], None).await;
    assert_eq!(status, StatusCode::OK);
    // Probes and scrapers ask by the machine's address; health and metrics hold nothing
    // a rebinding page could steal.
    for path in ["/health", "/metrics"] {
        let (status, _, _) = raw(&app, "GET", path, &[("host", "10.9.8.7:8080")], None).await;
        assert_eq!(status, StatusCode::OK, "{path}");
    }
}

#[tokio::test]
async fn incidents_come_in_pages_with_a_cursor() {
    for Served { name, app, .. } in servers("paging") {
        for day in 1..=7 {
            let body =
                json!({"start": format!("2024-03-{day:02}"), "place": {"settlement": "Kharkiv"}})
                    .to_string();
            let (status, _) = call(&app, "POST", "/api/incidents", Some(body), Some(TOKEN)).await;
            assert_eq!(status, StatusCode::CREATED, "{name}");
        }
        let mut seen = Vec::new();
        let mut uri = "/api/incidents?limit=3".to_string();
        loop {
            let (status, page) = call(&app, "GET", &uri, None, None).await;
            assert_eq!(status, StatusCode::OK, "{name}: {page}");
            let incidents = page["incidents"].as_array().unwrap();
            assert!(incidents.len() <= 3, "{name}");
            seen.extend(
                incidents
                    .iter()
                    .map(|i| i["start"].as_str().unwrap().to_string()),
            );
            match page["next_cursor"].as_str() {
                Some(cursor) => uri = format!("/api/incidents?limit=3&cursor={cursor}"),
                None => break,
            }
        }
        let expected: Vec<String> = (1..=7).map(|d| format!("2024-03-{d:02}")).collect();
        assert_eq!(seen, expected, "{name}");
        let (_, page) = call(&app, "GET", "/api/incidents?from=2024-03-06", None, None).await;
        assert_eq!(page["incidents"].as_array().unwrap().len(), 2, "{name}");
    }
}

/// `POST /api/scenarios` of `scenario` with the token.
async fn post_scenario(app: &Router, scenario: &str) -> (StatusCode, Value) {
    call(
        app,
        "POST",
        "/api/scenarios",
        Some(scenario.to_string()),
        Some(TOKEN),
    )
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn scenario_jobs_can_be_cancelled_and_free_their_place() {
    let app = city_server();
    let year = std::fs::read_to_string(tiny("scenarios/substation.toml"))
        .unwrap()
        .replace("horizon_h = 16", "horizon_h = 8760");
    let mut ids = Vec::new();
    for _ in 0..4 {
        let (status, job) = post_scenario(&app, &year).await;
        assert_eq!(status, StatusCode::ACCEPTED, "{job}");
        ids.push(job["id"].as_u64().unwrap());
    }
    let (status, headers, body) = raw(
        &app,
        "POST",
        "/api/scenarios",
        &[("authorization", &format!("Bearer {TOKEN}"))],
        Some(&year),
    )
    .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(headers.get("retry-after").is_some());
    assert!(body["error"].as_str().unwrap().contains("DELETE"), "{body}");
    let (status, _) = call(
        &app,
        "DELETE",
        &format!("/api/scenarios/{}", ids[0]),
        None,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    for id in &ids {
        let (status, body) = call(
            &app,
            "DELETE",
            &format!("/api/scenarios/{id}"),
            None,
            Some(TOKEN),
        )
        .await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
        let (status, _) = call(&app, "GET", &format!("/api/scenarios/{id}"), None, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    let (status, _) = call(&app, "DELETE", "/api/scenarios/999", None, Some(TOKEN)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // The cancelled runs stop at their next stop; their places come free.
    let started = Instant::now();
    let accepted = loop {
        let (status, job) = post_scenario(&app, &year).await;
        if status == StatusCode::ACCEPTED {
            break job;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no place came free: {job}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let id = accepted["id"].as_u64().unwrap();
    call(
        &app,
        "DELETE",
        &format!("/api/scenarios/{id}"),
        None,
        Some(TOKEN),
    )
    .await;
}

/// A write that waits on a lock another process holds answers 503 with `Retry-After`
/// after the registry's lock wait, and meanwhile the server goes on answering: with a
/// single async worker, `/health` answers while the write waits.
#[tokio::test(flavor = "multi_thread", worker_threads = 1)]
async fn a_busy_database_is_a_503_and_never_stalls_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("registry.sqlite");
    let store = SqliteStore::open(&path).unwrap();
    let app = app(AppState::new(Box::new(store), Some(TOKEN.into())).unwrap());
    let holder = rusqlite::Connection::open(&path).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let writer = {
        let app = app.clone();
        tokio::spawn(async move { post_kharkiv(&app, &format!("Bearer {TOKEN}")).await })
    };
    tokio::time::sleep(Duration::from_millis(100)).await;
    let (status, _, _) = raw(&app, "GET", "/health", &[], None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        !writer.is_finished(),
        "the write waits for the lock meanwhile"
    );
    // Reads are not held up by the other process's write lock either.
    let (status, _, _) = raw(&app, "GET", "/api/incidents", &[], None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, headers, body) = writer.await.unwrap();
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(headers.get("retry-after").unwrap(), "1");
    assert!(body["error"].as_str().unwrap().contains("busy"), "{body}");
    holder.execute_batch("ROLLBACK").unwrap();
    let (status, _, _) = post_kharkiv(&app, &format!("Bearer {TOKEN}")).await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "and once the lock is gone, it is written"
    );
}

/// A real listener with short limits: what a slow client is allowed.
async fn listening(limits: Limits) -> (String, tokio::sync::oneshot::Sender<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let app = app(AppState::new(
        Box::new(SqliteStore::in_memory().unwrap()),
        Some(TOKEN.into()),
    )
    .unwrap()
    .with_limits(limits));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(serve_with(app, listener, limits, async {
        let _ = stopped.await;
    }));
    (addr, stop)
}

/// Reads until the server closes (or `wait` passes): what it sent, and whether it closed.
fn read_until_closed(stream: &mut std::net::TcpStream, wait: Duration) -> (String, bool) {
    stream.set_read_timeout(Some(wait)).unwrap();
    let mut got = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) => return (String::from_utf8_lossy(&got).into_owned(), true),
            Ok(n) => got.extend_from_slice(&buffer[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {
                return (String::from_utf8_lossy(&got).into_owned(), true);
            }
            Err(_) => return (String::from_utf8_lossy(&got).into_owned(), false),
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn slow_headers_idle_connections_and_slow_bodies_are_cut_off() {
    let limits = Limits {
        header: Duration::from_millis(500),
        body: Duration::from_millis(500),
        ..Limits::default()
    };
    let (addr, stop) = listening(limits).await;
    let outcome = tokio::task::spawn_blocking(move || {
        // Headers trickled a byte at a time: closed when their time is up.
        let mut slow = std::net::TcpStream::connect(&addr).unwrap();
        slow.write_all(b"GET /health HTTP/1.1\r\nHo").unwrap();
        let (_, closed_slow) = read_until_closed(&mut slow, Duration::from_secs(5));
        // Idle after an answer (keep-alive): closed too.
        let mut idle = std::net::TcpStream::connect(&addr).unwrap();
        idle.write_all(b"GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n")
            .unwrap();
        let (answer, closed_idle) = read_until_closed(&mut idle, Duration::from_secs(5));
        // A body that never arrives: 408 with the field.
        let mut body = std::net::TcpStream::connect(&addr).unwrap();
        body.write_all(
            format!(
                "POST /api/incidents HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {TOKEN}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"start\""
            )
            .as_bytes(),
        )
        .unwrap();
        let (timed_out, _) = read_until_closed(&mut body, Duration::from_secs(5));
        (closed_slow, answer, closed_idle, timed_out)
    })
    .await
    .unwrap();
    let (closed_slow, answer, closed_idle, timed_out) = outcome;
    assert!(closed_slow, "a connection trickling its headers is closed");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(closed_idle, "an idle connection is closed");
    assert!(timed_out.starts_with("HTTP/1.1 408"), "{timed_out}");
    assert!(timed_out.contains("\"field\":\"body\""), "{timed_out}");
    let _ = stop.send(());
}

#[tokio::test(start_paused = true)]
async fn expensive_requests_wait_a_little_for_their_turn_and_no_more() {
    use lifeline_server::limits::Expensive;
    let limits = std::sync::Arc::new(Expensive::new(1));
    let held = limits.start("schedules are").await.unwrap();
    // One waits, and gets the permit when it comes free.
    let waiter = {
        let limits = limits.clone();
        tokio::spawn(async move { limits.start("schedules are").await.is_ok() })
    };
    tokio::time::sleep(Duration::from_secs(1)).await;
    drop(held);
    assert!(waiter.await.unwrap(), "the waiter got the permit");
    // Held too long: the waiters are refused after the wait, as busy.
    let held = limits.start("schedules are").await.unwrap();
    let refused = limits.start("schedules are").await.unwrap_err();
    assert_eq!(refused.status(), StatusCode::SERVICE_UNAVAILABLE);
    // Too many waiting: refused at once.
    let waiters: Vec<_> = (0..Expensive::MAX_WAITING)
        .map(|_| {
            let limits = limits.clone();
            tokio::spawn(async move { limits.start("schedules are").await.is_ok() })
        })
        .collect();
    tokio::task::yield_now().await;
    let started = tokio::time::Instant::now();
    assert!(limits.start("schedules are").await.is_err());
    assert_eq!(started.elapsed(), Duration::ZERO, "refused without waiting");
    drop(held);
    let served = futures_count(waiters).await;
    assert_eq!(served, Expensive::MAX_WAITING, "each waiter gets its turn");
}

/// How many of `tasks` ended with `true`.
async fn futures_count(tasks: Vec<tokio::task::JoinHandle<bool>>) -> usize {
    let mut n = 0;
    for task in tasks {
        if task.await.unwrap() {
            n += 1;
        }
    }
    n
}
