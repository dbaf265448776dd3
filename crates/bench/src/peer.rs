//! What the benchmarks share: where the shared reference data is, running a peer's
//! Python script, and medians.

use std::path::{Path, PathBuf};
use std::process::Command;

/// What the city peers (a pandapower + WNTR study, run by the cascade and sweep
/// benchmarks) need.
pub const CITY_PEERS: &str = "pip install pandapower wntr numba matpowercaseframes";

/// The shared reference folder: `$LIFELINE_SHARED`, else `../shared`.
pub fn shared_dir() -> PathBuf {
    std::env::var_os("LIFELINE_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("../shared"))
}

/// `given`, else the first of `candidates` that exists.
pub fn find_script(given: Option<&Path>, candidates: &[PathBuf]) -> Option<PathBuf> {
    match given {
        Some(path) => Some(path.to_path_buf()),
        None => candidates.iter().find(|p| p.exists()).cloned(),
    }
}

/// Runs `python script args...` and returns its standard output, or why it failed (the
/// last line it printed to standard error, and `install_hint`).
pub fn run_python(
    python: &str,
    script: &Path,
    args: &[String],
    install_hint: &str,
) -> Result<String, String> {
    let output = Command::new(python)
        .arg(script)
        .args(args)
        .output()
        .map_err(|error| {
            format!("cannot run {python} ({error}); install Python 3 or pass --python")
        })?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let last = stderr
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("no message");
        return Err(format!(
            "{} failed: {last} (the peers need: {install_hint})",
            script.display()
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The median of `samples` (the upper one for an even count).
///
/// # Panics
/// If `samples` is empty.
pub fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}
