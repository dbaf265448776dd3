//! `lifeline-bench serve`: the HTTP API under load on loopback.
//!
//! Starts `lifeline serve` (the shipped program: the one beside this program, or
//! `--lifeline`; the demo city and its seed scenario, a fresh SQLite registry) as its own
//! process, then:
//!
//! 1. a burst of concurrent incident writes (200 by default), each on its own connection,
//!    and counts what the registry holds afterwards: none may be lost;
//! 2. for the scenario timeline and the incident list (now 200 incidents), `wrk` at a
//!    fixed rate (500 requests/s by default: each connection waits `connections / rate`
//!    between requests) for `--seconds`, and prints wrk's latency percentiles, the rate
//!    reached and the errors (socket errors and non-2xx answers).
//!
//! wrk is the load generator (Debian's `wrk`); without it the load part is skipped with
//! the reason printed. The server's own work (the seed run and its restoration plan) is
//! finished before timing starts.

use crate::cli::ServeArgs;
use crate::output::print_json;
use anyhow::{Context, Result, bail};
use serde::Serialize;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

/// Target the issue sets: p99 at or under this, ms.
const P99_TARGET_MS: f64 = 20.0;

#[derive(Debug, Serialize)]
struct Burst {
    writes: usize,
    acknowledged: usize,
    stored: usize,
    lost: usize,
    seconds: f64,
}

#[derive(Debug, Serialize)]
struct Load {
    endpoint: String,
    target_rps: f64,
    achieved_rps: f64,
    requests: u64,
    errors: u64,
    p50_ms: f64,
    p75_ms: f64,
    p90_ms: f64,
    p99_ms: f64,
    max_ms: f64,
}

#[derive(Debug, Serialize)]
struct ServeBench {
    machine: serde_json::Value,
    burst: Burst,
    load: Vec<Load>,
    /// Why the load part did not run, if it did not.
    skipped: Option<String>,
}

/// A private scratch folder for the registry and wrk's script, removed when dropped.
struct Scratch(tempfile::TempDir);

impl Scratch {
    fn new() -> Result<Self> {
        Ok(Self(lifeline_demo_city::private_folder(
            "lifeline-bench-serve-",
        )?))
    }

    fn path(&self) -> &std::path::Path {
        self.0.path()
    }
}

/// The server under test, killed when dropped.
struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_server(lifeline: &std::path::Path, dir: &std::path::Path, token: &str) -> Result<Server> {
    let mut child = Command::new(lifeline)
        .args(["serve", "--addr", "127.0.0.1:0", "--db"])
        .arg(dir.join("registry.sqlite"))
        .env("LIFELINE_API_TOKEN", token)
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| {
            format!(
                "cannot start {} serve (build it with `cargo build --release -p lifeline-cli`, or pass --lifeline FILE)",
                lifeline.display()
            )
        })?;
    let mut stderr = BufReader::new(child.stderr.take().context("no server log")?);
    let mut addr = None;
    for _ in 0..10 {
        let mut line = String::new();
        if stderr.read_line(&mut line)? == 0 {
            break;
        }
        if let Some(rest) = line
            .trim()
            .strip_prefix("lifeline serve: listening on http://")
        {
            addr = Some(rest.to_string());
            break;
        }
    }
    std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
    let server = Server {
        child,
        addr: addr.context("the server did not say where it listens")?,
    };
    Ok(server)
}

/// One request on its own connection: status and body.
fn http(addr: &str, method: &str, path: &str, body: &str, token: &str) -> Result<(u16, String)> {
    let mut stream =
        TcpStream::connect(addr).with_context(|| format!("cannot connect to {addr}"))?;
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let status = response
        .get(9..12)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = response
        .split_once("\r\n\r\n")
        .map_or(String::new(), |(_, b)| b.to_string());
    Ok((status, body))
}

/// Waits until scenario job 1 and its plan are done.
fn wait_for_seed_run(addr: &str) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(300);
    while Instant::now() < deadline {
        let (status, body) = http(addr, "GET", "/api/scenarios/1", "", "")?;
        if status == 200 {
            let job: serde_json::Value = serde_json::from_str(&body)?;
            match (job["state"].as_str(), job["plan"].as_str()) {
                (Some("failed"), _) => bail!("the seed scenario failed: {}", job["error"]),
                (Some("done"), Some("done" | "failed")) => return Ok(()),
                _ => {}
            }
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    bail!("the seed scenario did not finish in 5 minutes")
}

fn burst(addr: &str, token: &str, writes: usize) -> Result<Burst> {
    let started = Instant::now();
    let threads: Vec<_> = (0..writes)
        .map(|i| {
            let (addr, token) = (addr.to_string(), token.to_string());
            std::thread::spawn(move || {
                let body = format!(
                    r#"{{"external_id": "bench-{i}", "start": "2024-03-22", "place": {{"settlement": "Kharkiv", "admin1": "Kharkiv"}}, "explosions": {}, "sources": [{{"publisher": "load test"}}]}}"#,
                    i % 20
                );
                http(&addr, "POST", "/api/incidents", &body, &token).map(|(s, _)| s == 201)
            })
        })
        .collect();
    let mut acknowledged = 0;
    for thread in threads {
        if thread
            .join()
            .map_err(|_| anyhow::anyhow!("a writer panicked"))??
        {
            acknowledged += 1;
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    let mut list: Vec<serde_json::Value> = Vec::new();
    let mut path = "/api/incidents?limit=1000".to_string();
    loop {
        let (_, body) = http(addr, "GET", &path, "", "")?;
        let page: serde_json::Value = serde_json::from_str(&body)?;
        list.extend(page["incidents"].as_array().cloned().unwrap_or_default());
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/incidents?limit=1000&cursor={cursor}"),
            None => break,
        }
    }
    let stored = list
        .iter()
        .filter(|i| {
            i["external_id"]
                .as_str()
                .is_some_and(|e| e.starts_with("bench-"))
        })
        .count();
    Ok(Burst {
        writes,
        acknowledged,
        stored,
        lost: acknowledged.saturating_sub(stored),
        seconds,
    })
}

/// wrk's Lua script: a fixed pause between a connection's requests.
fn pacing_script(dir: &std::path::Path, pause_ms: f64) -> Result<std::path::PathBuf> {
    let path = dir.join("pace.lua");
    std::fs::write(
        &path,
        format!("function delay()\n  return {pause_ms:.3}\nend\n"),
    )?;
    Ok(path)
}

/// A wrk duration (`812.00us`, `1.23ms`, `2.01s`) in ms.
fn duration_ms(text: &str) -> Option<f64> {
    let (number, unit) = text
        .find(|c: char| c.is_ascii_alphabetic())
        .map(|k| text.split_at(k))?;
    let value: f64 = number.parse().ok()?;
    Some(match unit {
        "us" => value / 1000.0,
        "ms" => value,
        "s" => value * 1000.0,
        "m" => value * 60_000.0,
        _ => return None,
    })
}

/// Reads wrk's `--latency` report.
fn parse_wrk(endpoint: &str, target_rps: f64, report: &str) -> Result<Load> {
    let percentile = |p: &str| {
        report
            .lines()
            .map(str::trim)
            .find_map(|l| l.strip_prefix(p).map(str::trim))
            .and_then(duration_ms)
    };
    let field = |prefix: &str| {
        report
            .lines()
            .map(str::trim)
            .find_map(|l| l.strip_prefix(prefix))
            .map(str::trim)
    };
    let requests: u64 = report
        .lines()
        .find(|l| l.contains("requests in"))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .context("wrk printed no request count")?;
    let non_2xx: u64 = field("Non-2xx or 3xx responses:")
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let socket: u64 = field("Socket errors:").map_or(0, |s| {
        s.split(',')
            .filter_map(|part| part.split_whitespace().last()?.parse::<u64>().ok())
            .sum()
    });
    let max_ms = report
        .lines()
        .find(|l| l.trim_start().starts_with("Latency") && !l.contains("Distribution"))
        .and_then(|l| l.split_whitespace().nth(3))
        .and_then(duration_ms)
        .unwrap_or(f64::NAN);
    Ok(Load {
        endpoint: endpoint.to_string(),
        target_rps,
        achieved_rps: field("Requests/sec:")
            .and_then(|n| n.parse().ok())
            .unwrap_or(0.0),
        requests,
        errors: non_2xx + socket,
        p50_ms: percentile("50%").context("wrk printed no latency distribution")?,
        p75_ms: percentile("75%").unwrap_or(f64::NAN),
        p90_ms: percentile("90%").unwrap_or(f64::NAN),
        p99_ms: percentile("99%").context("wrk printed no 99th percentile")?,
        max_ms,
    })
}

fn wrk_version() -> Option<String> {
    let output = Command::new("wrk").arg("--version").output().ok()?;
    let text = String::from_utf8_lossy(&output.stdout).to_string()
        + &String::from_utf8_lossy(&output.stderr);
    text.lines()
        .find(|l| l.starts_with("wrk"))
        .map(str::to_string)
}

pub fn run(args: &ServeArgs) -> Result<ExitCode> {
    let positive = |x: f64| x.is_finite() && x > 0.0;
    if !positive(args.rate) || args.connections == 0 || !positive(args.seconds) {
        bail!("--rate, --connections and --seconds must be positive");
    }
    let dir = Scratch::new()?;
    let token = "bench-serve";
    eprintln!("lifeline-bench serve: starting the server (demo city, seed scenario)…");
    let server = start_server(&args.lifeline.program(), dir.path(), token)?;
    wait_for_seed_run(&server.addr)?;
    eprintln!("lifeline-bench serve: {} concurrent writes…", args.writes);
    let burst = burst(&server.addr, token, args.writes)?;
    let mut load = Vec::new();
    let skipped = match wrk_version() {
        None => Some("wrk is not installed (Debian: apt-get install wrk)".to_string()),
        Some(version) => {
            eprintln!("lifeline-bench serve: {version}");
            let pause_ms = 1000.0 * args.connections as f64 / args.rate;
            let script = pacing_script(dir.path(), pause_ms)?;
            for endpoint in ["/api/scenarios/1/timeline", "/api/incidents"] {
                eprintln!(
                    "lifeline-bench serve: {endpoint} at {} requests/s for {} s…",
                    args.rate, args.seconds
                );
                let output = Command::new("wrk")
                    .args(["-t", "2", "-c"])
                    .arg(args.connections.to_string())
                    .arg("-d")
                    .arg(format!("{}s", args.seconds))
                    .arg("--latency")
                    .arg("-s")
                    .arg(&script)
                    .arg(format!("http://{}{endpoint}", server.addr))
                    .output()
                    .context("cannot run wrk")?;
                let report = String::from_utf8_lossy(&output.stdout);
                if !output.status.success() {
                    bail!(
                        "wrk failed: {}{}",
                        report,
                        String::from_utf8_lossy(&output.stderr)
                    );
                }
                load.push(parse_wrk(endpoint, args.rate, &report)?);
            }
            None
        }
    };
    let bench = ServeBench {
        machine: crate::output::machine(),
        burst,
        load,
        skipped,
    };
    if args.json {
        print_json(&bench)?;
    } else {
        print_bench(&bench);
    }
    Ok(ExitCode::SUCCESS)
}

fn print_bench(bench: &ServeBench) {
    let b = &bench.burst;
    println!(
        "Burst of {} concurrent incident writes: {} acknowledged, {} stored, {} lost ({:.2} s)",
        b.writes, b.acknowledged, b.stored, b.lost, b.seconds
    );
    if let Some(reason) = &bench.skipped {
        println!("Load: skipped: {reason}");
        return;
    }
    println!();
    println!(
        "{:<28} {:>8} {:>9} {:>7} {:>8} {:>8} {:>8} {:>8} {:>8}",
        "endpoint",
        "target/s",
        "reached/s",
        "errors",
        "p50 ms",
        "p75 ms",
        "p90 ms",
        "p99 ms",
        "max ms"
    );
    for l in &bench.load {
        println!(
            "{:<28} {:>8.0} {:>9.1} {:>7} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>8.2}",
            l.endpoint,
            l.target_rps,
            l.achieved_rps,
            l.errors,
            l.p50_ms,
            l.p75_ms,
            l.p90_ms,
            l.p99_ms,
            l.max_ms
        );
    }
    let worst = bench.load.iter().map(|l| l.p99_ms).fold(0.0_f64, f64::max);
    println!();
    println!(
        "Target: p99 ≤ {P99_TARGET_MS} ms with no errors: {}",
        if worst <= P99_TARGET_MS && bench.load.iter().all(|l| l.errors == 0) {
            "met"
        } else {
            "not met"
        }
    );
}
