//! The shipped Slurm scripts (`deploy/slurm/`) on a real one-node Slurm cluster:
//! `scripts/test-slurm` starts munge, slurmctld and slurmd on loopback, runs an N-1 sweep
//! of the demo city as a 4-task job array with one task killed, finds it missing with the
//! merge script, runs the command that script prints, merges, and compares with a
//! single-process sweep (here row by row); a forecast as a 4-task array merged after it, equal to one
//! process's; then stops exactly the daemons it started.
//!
//! Needs root (slurmd runs as root) and Debian's slurm-wlm and munge, which the script
//! installs when missing. Without root the test says why and passes, except under CI,
//! where it fails.

use std::path::PathBuf;
use std::process::Command;

fn installed() -> bool {
    ["slurmctld", "slurmd", "munged", "sbatch"]
        .iter()
        .all(|tool| {
            Command::new("sh")
                .args(["-c", &format!("command -v {tool}")])
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

fn root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

#[test]
fn the_shipped_slurm_scripts_run_a_sweep_on_a_real_cluster() {
    if !root() {
        let ci = std::env::var("CI").is_ok_and(|v| v == "true");
        assert!(
            !ci,
            "the Slurm test must run under CI, and needs root (slurmd runs as root)"
        );
        let why = if installed() {
            "slurmd runs as root and this is not root"
        } else {
            "slurm-wlm and munge are not installed (apt-get install slurm-wlm munge) and this is not root"
        };
        lifeline_testkit::skip("the Slurm test", why);
        return;
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let kept = tempfile::tempdir().unwrap();
    let output = Command::new("bash")
        .arg(root.join("scripts/test-slurm"))
        .arg(env!("CARGO_BIN_EXE_lifeline"))
        .env("LIFELINE_SLURM_KEEP", kept.path())
        .output()
        .unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    println!("{said}");
    assert!(output.status.success(), "{said}");
    assert!(
        said.contains("test-slurm: sweep: 158 scenarios in 4 shards"),
        "{said}"
    );
    assert!(
        said.contains("test-slurm: forecast: 40 samples in 4 shards merged equal"),
        "{said}"
    );
    assert!(said.contains("test-slurm: passed"), "{said}");
    // The array's merged sweep and the single process's, row by row.
    let (_, merged) = lifeline_sweep::table::read(&kept.path().join("merged.parquet")).unwrap();
    let (_, single) = lifeline_sweep::table::read(&kept.path().join("single.parquet")).unwrap();
    assert_eq!(merged.len(), 158);
    assert!(
        merged == single,
        "the merged sweep's rows differ from one process's"
    );
}
