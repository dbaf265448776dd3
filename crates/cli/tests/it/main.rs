//! End-to-end tests of the `lifeline` binary: outputs against the reference solutions,
//! JSON documents against snapshots, and bad input against located error messages.
#![allow(clippy::unwrap_used, missing_docs)]

mod city_check;
mod dashboard;
mod deploy;
mod forecast;
mod incidents;
mod power_contingency;
mod power_flow;
mod python;
mod restore;
mod schedule;
mod serve;
#[path = "../common/server.rs"]
mod server;
mod setup;
mod simulate;
mod slurm;
mod sweep;
mod water;

use std::path::{Path, PathBuf};
use std::process::Output;

/// The repository's MATPOWER cases.
pub fn case(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../../data/matpower/{name}.m"))
}

/// Runs `lifeline` with `args`.
pub fn lifeline(args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_lifeline"))
        .args(args)
        .output()
        .unwrap()
}

/// Standard output as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// Standard error as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

#[test]
fn every_command_has_help() {
    for args in [
        vec!["--help"],
        vec!["demo", "--help"],
        vec!["simulate", "--help"],
        vec!["restore", "--help"],
        vec!["forecast", "--help"],
        vec!["schedule", "--help"],
        vec!["incidents", "--help"],
        vec!["serve", "--help"],
        vec!["incidents", "add", "--help"],
        vec!["incidents", "export", "--help"],
        vec!["schedule", "lookup", "--help"],
        vec!["city", "check", "--help"],
        vec!["city", "init", "--help"],
        vec!["city", "map", "--help"],
        vec!["power", "--help"],
        vec!["power", "flow", "--help"],
        vec!["power", "contingency", "--help"],
        vec!["water", "--help"],
        vec!["water", "run", "--help"],
        vec!["water", "outage", "--help"],
    ] {
        let output = lifeline(&args);
        assert!(output.status.success(), "{args:?}");
        assert!(stdout(&output).contains("Usage: lifeline"), "{args:?}");
    }
}
