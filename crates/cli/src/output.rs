//! Small helpers shared by the commands: files, JSON on standard output, durations.

use anyhow::{Context, Result};
use serde::Serialize;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Creates `path` (and its directory), writes it through `write`, and flushes.
pub fn write_file(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> std::io::Result<()>,
) -> Result<PathBuf> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create directory {}", parent.display()))?;
    }
    let file = File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut out = BufWriter::new(file);
    write(&mut out)
        .and_then(|()| out.flush())
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(path.to_path_buf())
}

/// Writes `value` as pretty JSON to `path`.
pub fn write_json_file(path: &Path, value: &impl Serialize) -> Result<PathBuf> {
    write_file(path, |out| {
        serde_json::to_writer_pretty(&mut *out, value).map_err(std::io::Error::other)?;
        writeln!(out)
    })
}

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

/// "wrote a, b, c" on standard output, when anything was written.
pub fn print_written(paths: &[PathBuf]) {
    if !paths.is_empty() {
        let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        println!("wrote {}", names.join(", "));
    }
}

/// Prints `error` as `error: ...` on standard error; exit code 1 (invalid input or I/O).
pub fn fail(error: impl std::fmt::Display) -> std::process::ExitCode {
    eprintln!("error: {error}");
    std::process::ExitCode::from(1)
}

/// Prints `error` and gives exit code 2: the command line does not fit.
pub fn usage_error(error: impl std::fmt::Display) -> std::process::ExitCode {
    eprintln!("error: {error}");
    std::process::ExitCode::from(2)
}
