//! `lifeline serve` as a real process on loopback, for the CLI's test binaries (`it` and
//! `soak`; each uses part of it).
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// A `lifeline serve` process on a free loopback port, killed when dropped.
pub struct Server {
    child: Child,
    /// `127.0.0.1:PORT`.
    pub addr: String,
    _dir: tempfile::TempDir,
}

/// What a test server serves.
#[derive(Default)]
pub struct Options<'a> {
    /// The bearer token (none: read only).
    pub token: Option<&'a str>,
    /// The registry: a file or a `postgres://` URL (default: a fresh SQLite file).
    pub db: Option<&'a str>,
    /// The city (default: the demo city, with its seed scenario running at start).
    pub city: Option<&'a Path>,
    /// A file holding the token (`--token-file`), instead of `token`.
    pub token_file: Option<&'a Path>,
    /// Samples of each job's forecast (default 0: no forecasts, which keep the cores
    /// busy for minutes on the demo city).
    pub forecast_samples: usize,
}

impl Server {
    /// Starts the demo city's server with a fresh registry and `token` (none: read only).
    pub fn start(token: Option<&str>) -> Self {
        Self::start_with(&Options {
            token,
            ..Options::default()
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
        command
            .arg("--forecast-samples")
            .arg(options.forecast_samples.to_string());
        if let Some(file) = options.token_file {
            command.arg("--token-file").arg(file);
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

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
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
    // A server that never answers fails the test instead of hanging it.
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(120)))
        .ok()?;
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
