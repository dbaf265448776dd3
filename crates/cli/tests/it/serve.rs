//! `lifeline serve` as a real process on loopback.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

/// A `lifeline serve` process on a free loopback port, killed when dropped.
pub struct Server {
    child: Child,
    /// `127.0.0.1:PORT`.
    pub addr: String,
    _dir: tempfile::TempDir,
}

impl Server {
    /// Starts the demo city's server with a fresh registry and `token` (none: read only).
    pub fn start(token: Option<&str>) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut command = Command::new(env!("CARGO_BIN_EXE_lifeline"));
        command
            .args(["serve", "--addr", "127.0.0.1:0", "--db"])
            .arg(dir.path().join("registry.sqlite"))
            .env_remove("LIFELINE_API_TOKEN")
            .stderr(Stdio::piped());
        if let Some(token) = token {
            command.env("LIFELINE_API_TOKEN", token);
        }
        let mut child = command.spawn().unwrap();
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut addr = None;
        for _ in 0..10 {
            let mut line = String::new();
            stderr.read_line(&mut line).unwrap();
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
            addr: addr.expect("the server said where it listens"),
            _dir: dir,
        }
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
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
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
fn a_burst_of_200_concurrent_writes_loses_none() {
    let server = Server::start(Some("burst"));
    let writers: Vec<_> = (0..200)
        .map(|i| {
            let addr = server.addr.clone();
            std::thread::spawn(move || {
                let body = format!(
                    r#"{{"external_id": "burst-{i}", "start": "2024-03-22", "place": {{"settlement": "Kharkiv"}}, "explosions": {i}}}"#
                );
                http(&addr, "POST", "/api/incidents", &body, Some("burst"))
                    .starts_with("HTTP/1.1 201")
            })
        })
        .collect();
    let created = writers
        .into_iter()
        .map(|w| w.join().unwrap())
        .filter(|&ok| ok)
        .count();
    assert_eq!(created, 200, "every write is acknowledged");
    let list = server.get_json("/api/incidents");
    let ids: std::collections::BTreeSet<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["external_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 200, "every acknowledged write is stored once");
}

/// One HTTP/1.1 request to `addr` on its own connection: the whole response.
pub fn http(addr: &str, method: &str, path: &str, body: &str, token: Option<&str>) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    let auth = token.map_or(String::new(), |t| format!("Authorization: Bearer {t}\r\n"));
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}
