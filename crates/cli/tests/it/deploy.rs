//! The scale-out files in `deploy/`, without a cluster: the Slurm array script and the
//! Kubernetes Indexed Job's container command run with the scheduler's variables set by
//! hand (`SLURM_ARRAY_TASK_ID`/`SLURM_ARRAY_TASK_COUNT`, `JOB_COMPLETION_INDEX`), their
//! shards merged and compared with one process; and the Kubernetes manifests checked
//! against the Kubernetes API's schemas offline (`kubernetes-validate`, whose schemas are
//! in its package, installed from PyPI into `target/tmp/k8s-venv`). The Slurm scripts on
//! a real cluster: `slurm.rs`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const VALIDATOR: &str = "kubernetes-validate==1.37.0";
/// The oldest Kubernetes the manifests ask for (Indexed Jobs with per-index backoff) and
/// the newest the validator knows.
const KUBERNETES: [&str; 2] = ["1.29.0", "1.37.0"];
/// A small sweep: every line alone, 6 h.
const SWEEP: &str = "--scenarios n-1 --targets lines --hours 6";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn lifeline(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lifeline"))
        .args(args)
        .output()
        .unwrap()
}

/// The ranking of a sweep file, as CSV.
fn ranking(sweep: &Path, dir: &Path, name: &str) -> String {
    let csv = dir.join(name);
    let output = lifeline(&[
        "sweep",
        "rank",
        sweep.to_str().unwrap(),
        "--top",
        "30",
        "--csv",
        csv.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", text(&output));
    std::fs::read_to_string(csv).unwrap()
}

/// The same sweep in one process, ranked.
fn single_ranking(dir: &Path, city: &Path) -> String {
    let single = dir.join("single.parquet");
    let mut args = vec!["sweep", city.to_str().unwrap()];
    args.extend(SWEEP.split(' '));
    args.extend(["--out", single.to_str().unwrap()]);
    let output = lifeline(&args);
    assert!(output.status.success(), "{}", text(&output));
    ranking(&single, dir, "single-rank.csv")
}

fn merged_ranking(dir: &Path, results: &Path, shards: usize) -> String {
    let merged = dir.join("merged.parquet");
    let mut args = vec!["sweep".to_string(), "merge".to_string()];
    args.extend((0..shards).map(|i| {
        results
            .join(format!("part-{i}.parquet"))
            .display()
            .to_string()
    }));
    args.extend(["--out".to_string(), merged.display().to_string()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let output = lifeline(&args);
    assert!(output.status.success(), "{}", text(&output));
    ranking(&merged, dir, "merged-rank.csv")
}

#[test]
fn the_slurm_script_takes_its_shard_from_the_array_s_variables() {
    let dir = tempfile::tempdir().unwrap();
    let results = dir.path().join("results");
    std::fs::create_dir(&results).unwrap();
    let city = root().join("data/demo-city/city.toml");
    let task = |id: usize, min: usize, max: usize, count: usize, shards: Option<usize>| {
        let mut command = Command::new("bash");
        command
            .arg(root().join("deploy/slurm/sweep.sbatch"))
            .env("LIFELINE", env!("CARGO_BIN_EXE_lifeline"))
            .env("CITY", &city)
            .env("RESULTS", &results)
            .env("SWEEP", SWEEP)
            .env("SLURM_ARRAY_TASK_ID", id.to_string())
            .env("SLURM_ARRAY_TASK_MIN", min.to_string())
            .env("SLURM_ARRAY_TASK_MAX", max.to_string())
            .env("SLURM_ARRAY_TASK_COUNT", count.to_string())
            .env("SLURM_CPUS_PER_TASK", "1")
            .env_remove("SHARDS");
        if let Some(shards) = shards {
            command.env("SHARDS", shards.to_string());
        }
        command.output().unwrap()
    };
    for id in 0..3 {
        let output = task(id, 0, 2, 3, None);
        assert!(output.status.success(), "task {id}: {}", text(&output));
        assert!(
            text(&output).contains(&format!("shard {id}/3")),
            "{}",
            text(&output)
        );
    }
    assert_eq!(
        merged_ranking(dir.path(), &results, 3),
        single_ranking(dir.path(), &city)
    );
    same_rows(dir.path());
    // A re-run of some shards is not 0-(N-1): without SHARDS the script refuses to guess.
    let rerun = task(2, 2, 2, 1, None);
    assert_eq!(rerun.status.code(), Some(2), "{}", text(&rerun));
    assert!(
        text(&rerun).contains("give the number of shards, e.g. --export=ALL,SHARDS="),
        "{}",
        text(&rerun)
    );
    let rerun = task(2, 2, 2, 1, Some(3));
    assert!(rerun.status.success(), "{}", text(&rerun));
}

/// The validator's environment, made on first use; `None` (with why) when it cannot be
/// made outside CI.
fn validator() -> Option<PathBuf> {
    let venv = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("k8s-venv");
    let bin = venv.join("bin");
    if !bin.join("kubernetes-validate").exists() {
        let made = Command::new("python3")
            .args(["-m", "venv"])
            .arg(&venv)
            .status()
            .is_ok_and(|s| s.success())
            && Command::new(bin.join("pip"))
                .args(["install", "--quiet", VALIDATOR])
                .status()
                .is_ok_and(|s| s.success());
        if !made {
            let ci = std::env::var("CI").is_ok_and(|v| v == "true");
            assert!(!ci, "{VALIDATOR} could not be installed from PyPI");
            lifeline_testkit::skip(
                "the Kubernetes manifests' check",
                &format!("{VALIDATOR} could not be installed from PyPI (offline?)"),
            );
            return None;
        }
    }
    Some(bin)
}

#[test]
fn the_kubernetes_manifests_are_valid_and_the_index_picks_the_shard() {
    let Some(bin) = validator() else {
        return;
    };
    let manifest = root().join("deploy/kubernetes/sweep-job.yaml");
    for version in KUBERNETES {
        let output = Command::new(bin.join("kubernetes-validate"))
            .args(["--strict", "-k", version])
            .arg(&manifest)
            .output()
            .unwrap();
        let said = text(&output);
        assert!(output.status.success(), "Kubernetes {version}: {said}");
        assert_eq!(said.matches(" passed for resource ").count(), 3, "{said}");
    }
    // The check can fail: a misspelt field and a wrong type are refused.
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.yaml");
    let yaml = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(
        &broken,
        yaml.replacen("  parallelism: 16", "  paralelism: 16", 1)
            .replacen("completions: 64", "completions: sixty-four", 1),
    )
    .unwrap();
    let output = Command::new(bin.join("kubernetes-validate"))
        .args(["--strict", "-k", KUBERNETES[0]])
        .arg(&broken)
        .output()
        .unwrap();
    assert!(!output.status.success(), "{}", text(&output));

    // The sweep container's command, with JOB_COMPLETION_INDEX set as Kubernetes sets it,
    // its paths and sweep made small.
    let script = Command::new(bin.join("python"))
        .args([
            "-c",
            "import sys, yaml\nfor d in yaml.safe_load_all(open(sys.argv[1])):\n    if d and d['kind'] == 'Job' and d['metadata']['name'] == 'lifeline-sweep':\n        print(d['spec']['template']['spec']['containers'][0]['args'][0])",
        ])
        .arg(&manifest)
        .output()
        .unwrap();
    assert!(script.status.success(), "{}", text(&script));
    let script = String::from_utf8(script.stdout).unwrap();
    let results = dir.path().join("results");
    std::fs::create_dir(&results).unwrap();
    let city = root().join("data/demo-city/city.toml");
    let script = script
        .replace("/results", results.to_str().unwrap())
        .replace("/city/city.toml", city.to_str().unwrap())
        .replace(
            "--scenarios n-2 --targets substations,lines,plants,pump-stations --hours 24",
            SWEEP,
        )
        .replace("--threads 2", "--threads 1");
    assert!(
        script.contains(SWEEP),
        "the manifest's sweep line changed: {script}"
    );
    let bin_dir = dir.path().join("bin");
    std::fs::create_dir(&bin_dir).unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_lifeline"), bin_dir.join("lifeline")).unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let pod = |index: usize| {
        Command::new("/bin/sh")
            .args(["-c", &script])
            .env("PATH", &path)
            .env("SHARDS", "3")
            .env("JOB_COMPLETION_INDEX", index.to_string())
            .output()
            .unwrap()
    };
    for index in 0..3 {
        let output = pod(index);
        assert!(output.status.success(), "index {index}: {}", text(&output));
    }
    // A pod run again finds its part and skips it.
    let again = pod(1);
    assert!(
        text(&again).contains("is already there: shard 1/3 skipped"),
        "{}",
        text(&again)
    );
    assert_eq!(
        merged_ranking(dir.path(), &results, 3),
        single_ranking(dir.path(), &city)
    );
    same_rows(dir.path());
}

/// The merged sweep's rows are the single process's, one by one.
fn same_rows(dir: &Path) {
    let (_, merged) = lifeline_sweep::table::read(&dir.join("merged.parquet")).unwrap();
    let (_, single) = lifeline_sweep::table::read(&dir.join("single.parquet")).unwrap();
    assert!(!single.is_empty());
    assert!(
        merged == single,
        "the merged rows differ from one process's"
    );
}
