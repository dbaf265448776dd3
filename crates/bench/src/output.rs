//! What the benchmarks print: JSON on standard output, durations, the machine.

use anyhow::{Context, Result};
use serde::Serialize;
use std::io::Write;

/// Prints `value` as one pretty JSON document on standard output.
pub fn print_json(value: &impl Serialize) -> Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let written = serde_json::to_writer_pretty(&mut out, value)
        .map_err(std::io::Error::from)
        .and_then(|()| writeln!(out));
    match written {
        // The reader stopped early (`| head`): not an error of ours; end as a closed pipe
        // ends a program.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(141),
        Err(e) => Err(e).context("cannot write JSON to standard output"),
        Ok(()) => Ok(()),
    }
}

pub use lifeline_core::number::{human_duration as human, ms};

/// What the measurements ran on.
pub fn machine() -> serde_json::Value {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into());
    serde_json::json!({
        "cpu": cpu,
        "cores": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        "os": std::env::consts::OS,
        "arch": std::env::consts::ARCH,
    })
}
