//! `lifeline serve` as a real process on loopback.

use lifeline_testkit::PostgresDatabase;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A `lifeline serve` process on a free loopback port, killed when dropped.
pub struct Server {
    child: Child,
    /// `127.0.0.1:PORT`.
    pub addr: String,
    _dir: tempfile::TempDir,
}

/// What a test server serves.
pub struct Options<'a> {
    /// The bearer token (none: read only).
    pub token: Option<&'a str>,
    /// The registry: a file or a `postgres://` URL (default: a fresh SQLite file).
    pub db: Option<&'a str>,
    /// The city (default: the demo city, with its seed scenario running at start).
    pub city: Option<&'a Path>,
}

impl Server {
    /// Starts the demo city's server with a fresh registry and `token` (none: read only).
    pub fn start(token: Option<&str>) -> Self {
        Self::start_with(&Options {
            token,
            db: None,
            city: None,
        })
    }

    /// Starts a server as `options` say.
    pub fn start_with(options: &Options<'_>) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut command = Command::new(env!("CARGO_BIN_EXE_lifeline"));
        command
            .args(["serve", "--addr", "127.0.0.1:0", "--db"])
            .arg(options.db.map_or_else(
                || dir.path().join("registry.sqlite").into_os_string(),
                std::ffi::OsString::from,
            ))
            .env_remove("LIFELINE_API_TOKEN")
            .stderr(Stdio::piped());
        if let Some(city) = options.city {
            command.arg("--city").arg(city);
        }
        if let Some(token) = options.token {
            command.env("LIFELINE_API_TOKEN", token);
        }
        let mut child = command.spawn().unwrap();
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut addr = None;
        let mut said = String::new();
        for _ in 0..20 {
            let mut line = String::new();
            if stderr.read_line(&mut line).unwrap_or(0) == 0 {
                break;
            }
            said.push_str(&line);
            if let Some(rest) = line
                .trim()
                .strip_prefix("lifeline serve: listening on http://")
            {
                addr = Some(rest.to_string());
                break;
            }
        }
        // Keep draining the log so the server never blocks on a full pipe.
        std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
        Self {
            child,
            addr: addr
                .unwrap_or_else(|| panic!("the server did not say where it listens:\n{said}")),
            _dir: dir,
        }
    }

    /// SIGKILL: no chance to finish anything.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// `METHOD path` with an optional JSON body and token: the whole response.
    pub fn request(&self, method: &str, path: &str, body: &str, token: Option<&str>) -> String {
        http(&self.addr, method, path, body, token)
    }

    /// The JSON body of `GET path`.
    pub fn get_json(&self, path: &str) -> serde_json::Value {
        let response = self.request("GET", path, "", None);
        let body = response.split("\r\n\r\n").nth(1).unwrap_or_default();
        serde_json::from_str(body).unwrap_or_else(|e| panic!("{path}: {e}: {response}"))
    }

    /// Every incident, page by page.
    pub fn all_incidents(&self) -> Vec<serde_json::Value> {
        let mut all = Vec::new();
        let mut path = "/api/incidents?limit=1000".to_string();
        loop {
            let page = self.get_json(&path);
            all.extend(page["incidents"].as_array().unwrap().iter().cloned());
            match page["next_cursor"].as_str() {
                Some(cursor) => path = format!("/api/incidents?limit=1000&cursor={cursor}"),
                None => return all,
            }
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The tiny test city: a server for it starts in a moment and runs nothing at start.
pub fn tiny_city() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../cascade/tests/data/tiny/city.toml")
}

/// The registry back ends: a fresh SQLite file, and a fresh PostgreSQL database when
/// LIFELINE_TEST_POSTGRES is set (under CI it must be). The guard keeps the database.
fn back_ends(test: &str, dir: &Path) -> Vec<(String, Option<PostgresDatabase>)> {
    let mut ends = vec![(dir.join("registry.sqlite").display().to_string(), None)];
    if let Some(database) = PostgresDatabase::create(test) {
        ends.push((database.url.clone(), Some(database)));
    }
    ends
}

#[test]
fn serve_answers_on_loopback_and_refuses_writes_without_a_token() {
    let server = Server::start(None);
    let health = server.request("GET", "/health", "", None);
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    assert!(health.contains("\"status\":\"ok\""), "{health}");
    let response = server.request("POST", "/api/incidents", r#"{"start": "2024-03-22"}"#, None);
    assert!(response.starts_with("HTTP/1.1 401"), "{response}");
    let page = server.request("GET", "/", "", None);
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(page.contains("content-security-policy: default-src 'self'"));
    assert!(page.contains("<script src=\"/assets/app.js\""));
}

#[test]
fn a_burst_of_200_concurrent_writes_loses_none_on_either_back_end() {
    let dir = tempfile::tempdir().unwrap();
    for (db, _database) in back_ends("cli_burst", dir.path()) {
        let server = Server::start_with(&Options {
            token: Some("burst"),
            db: Some(&db),
            city: Some(&tiny_city()),
        });
        let writers: Vec<_> = (0..200)
            .map(|i| {
                let addr = server.addr.clone();
                std::thread::spawn(move || {
                    let body = format!(
                        r#"{{"external_id": "burst-{i}", "start": "2024-03-22", "place": {{"settlement": "Kharkiv"}}, "explosions": {i}}}"#
                    );
                    http(&addr, "POST", "/api/incidents", &body, Some("burst"))
                })
            })
            .collect();
        let answers: Vec<String> = writers.into_iter().map(|w| w.join().unwrap()).collect();
        let created = answers
            .iter()
            .filter(|a| a.starts_with("HTTP/1.1 201"))
            .count();
        assert_eq!(
            created,
            200,
            "{db}: every write is acknowledged; one that was not: {:?}",
            answers.iter().find(|a| !a.starts_with("HTTP/1.1 201"))
        );
        let ids: std::collections::BTreeSet<String> = server
            .all_incidents()
            .iter()
            .map(|i| i["external_id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(
            ids.len(),
            200,
            "{db}: every acknowledged write is stored once"
        );
    }
}

/// Writers post incidents over HTTP while the server is killed with SIGKILL at random
/// moments and started again on the same registry; every write it acknowledged (201) must
/// be there afterwards, intact and once. On SQLite and on PostgreSQL.
#[test]
fn acknowledged_writes_over_http_survive_sigkill_on_either_back_end() {
    const ROUNDS: usize = 12;
    const WRITERS: usize = 4;
    let dir = tempfile::tempdir().unwrap();
    for (db, _database) in back_ends("cli_durability", dir.path()) {
        let mut acknowledged: BTreeMap<String, u32> = BTreeMap::new();
        let mut seed: u64 = 0x5EED;
        for round in 0..ROUNDS {
            let server = Server::start_with(&Options {
                token: Some("durable"),
                db: Some(&db),
                city: Some(&tiny_city()),
            });
            let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
            let writers: Vec<_> = (0..WRITERS)
                .map(|w| {
                    let (addr, stop) = (server.addr.clone(), stop.clone());
                    std::thread::spawn(move || {
                        let mut acked = Vec::new();
                        for n in 0.. {
                            if stop.load(std::sync::atomic::Ordering::Relaxed) {
                                break;
                            }
                            let id = format!("r{round}-w{w}-{n}");
                            let explosions = (round * 10_000 + w * 1000 + n) as u32;
                            let body = format!(
                                r#"{{"external_id": "{id}", "start": "2024-03-22", "place": {{"settlement": "Kharkiv"}}, "explosions": {explosions}, "notes": "{}"}}"#,
                                "x".repeat(200 + n % 50)
                            );
                            match try_http(&addr, "POST", "/api/incidents", &body, Some("durable")) {
                                Some(answer) if answer.starts_with("HTTP/1.1 201") => {
                                    acked.push((id, explosions));
                                }
                                Some(_) => {}
                                // The server is gone.
                                None => break,
                            }
                        }
                        acked
                    })
                })
                .collect();
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            std::thread::sleep(Duration::from_millis(50 + (seed >> 33) % 250));
            server.kill();
            stop.store(true, std::sync::atomic::Ordering::Relaxed);
            for writer in writers {
                acknowledged.extend(writer.join().unwrap());
            }
        }
        assert!(
            acknowledged.len() > ROUNDS * WRITERS,
            "{db}: too few writes to mean anything: {}",
            acknowledged.len()
        );
        let server = Server::start_with(&Options {
            token: None,
            db: Some(&db),
            city: Some(&tiny_city()),
        });
        let stored = server.all_incidents();
        let by_external: BTreeMap<&str, &serde_json::Value> = stored
            .iter()
            .map(|i| (i["external_id"].as_str().unwrap(), i))
            .collect();
        assert_eq!(by_external.len(), stored.len(), "{db}: no record twice");
        for (id, explosions) in &acknowledged {
            let record = by_external
                .get(id.as_str())
                .unwrap_or_else(|| panic!("{db}: acknowledged write {id} is missing"));
            assert_eq!(
                record["explosions"], *explosions,
                "{db}: {id} is not intact"
            );
        }
        let ids: std::collections::BTreeSet<&str> =
            stored.iter().map(|i| i["id"].as_str().unwrap()).collect();
        assert_eq!(ids.len(), stored.len(), "{db}: ids are unique");
        eprintln!(
            "{db}: {} acknowledged writes intact of {} stored after {ROUNDS} kills",
            acknowledged.len(),
            stored.len()
        );
    }
}

/// One HTTP/1.1 request to `addr` on its own connection: the whole response.
pub fn http(addr: &str, method: &str, path: &str, body: &str, token: Option<&str>) -> String {
    try_http(addr, method, path, body, token)
        .unwrap_or_else(|| panic!("{method} {path}: no answer from {addr}"))
}

/// [`http`], or `None` when the connection fails or closes without a whole answer.
pub fn try_http(
    addr: &str,
    method: &str,
    path: &str,
    body: &str,
    token: Option<&str>,
) -> Option<String> {
    let mut stream = TcpStream::connect(addr).ok()?;
    let auth = token.map_or(String::new(), |t| format!("Authorization: Bearer {t}\r\n"));
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    (!response.is_empty()).then_some(response)
}
