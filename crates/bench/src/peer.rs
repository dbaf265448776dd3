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

/// The city and scenario files given, or the demo city's and its seed scenario's (the
/// demo city kept on disk while the returned guard lives).
pub fn city_and_scenario(
    city: Option<&Path>,
    scenario: Option<&Path>,
) -> anyhow::Result<(Option<lifeline_demo_city::DemoCity>, PathBuf, PathBuf)> {
    match (city, scenario) {
        (Some(city), Some(scenario)) => Ok((None, city.to_path_buf(), scenario.to_path_buf())),
        (None, None) => {
            let demo = lifeline_demo_city::DemoCity::materialise()?;
            let (city, scenario) = (demo.city().to_path_buf(), demo.scenario().to_path_buf());
            Ok((Some(demo), city, scenario))
        }
        _ => anyhow::bail!("give both CITY and SCENARIO, or neither for the demo"),
    }
}

/// The cascade study in pandapower + WNTR (`bench/peers/cascade_study.py`) on `city` and
/// `scenario`: its JSON document, or why it did not run (`--no-peer`, no script, the
/// script's failure).
pub fn cascade_study(
    peers: &crate::cli::PeerArgs,
    city: &Path,
    scenario: &Path,
) -> Result<serde_json::Value, String> {
    if peers.no_peer {
        return Err("--no-peer given".to_string());
    }
    let script = find_script(
        peers.peer_script.as_deref(),
        &[PathBuf::from("bench/peers/cascade_study.py")],
    )
    .ok_or_else(|| {
        "peer script not found (bench/peers/cascade_study.py from the repository root)".to_string()
    })?;
    let arguments = [city.display().to_string(), scenario.display().to_string()];
    let text = run_python(&peers.python, &script, &arguments, CITY_PEERS)?;
    serde_json::from_str(text.trim())
        .map_err(|e| format!("{} printed no JSON ({e})", script.display()))
}
