//! End-to-end tests of the `lifeline-bench` binary, without the peers (they need Python
//! packages; each benchmark reports why they were not measured).
#![allow(clippy::unwrap_used, missing_docs)]

mod commands;

use std::path::{Path, PathBuf};
use std::process::Output;

/// The repository's MATPOWER cases.
pub fn case(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../../data/matpower/{name}.m"))
}

/// Runs `lifeline-bench` with `args`.
pub fn bench(args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_lifeline-bench"))
        .args(args)
        .output()
        .unwrap()
}

/// The `lifeline` program beside `lifeline-bench`, where cargo builds both (for
/// `cargo test --workspace`: the CLI's tests need it), or a skip naming `what` needed it.
pub fn lifeline_program(what: &str) -> Option<PathBuf> {
    let program = Path::new(env!("CARGO_BIN_EXE_lifeline-bench"))
        .with_file_name(format!("lifeline{}", std::env::consts::EXE_SUFFIX));
    if program.is_file() {
        return Some(program);
    }
    lifeline_testkit::skip(
        what,
        &format!(
            "{} is not built (cargo build -p lifeline-cli, or cargo test --workspace)",
            program.display()
        ),
    );
    None
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
fn every_benchmark_has_help() {
    for args in [
        vec!["--help"],
        vec!["power", "--help"],
        vec!["water", "--help"],
        vec!["cascade", "--help"],
        vec!["restore", "--help"],
        vec!["schedule", "--help"],
        vec!["incidents", "--help"],
        vec!["serve", "--help"],
        vec!["sweep", "--help"],
    ] {
        let output = bench(&args);
        assert!(output.status.success(), "{args:?}");
        assert!(
            stdout(&output).contains("Usage: lifeline-bench"),
            "{args:?}"
        );
    }
}
