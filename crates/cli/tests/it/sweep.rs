//! `lifeline sweep`: the same rows whatever the threads, shards merged equal to one run
//! row for row, rankings, what-ifs, bad requests refused, and no file from an interrupted
//! sweep.

use crate::{lifeline, stderr, stdout};
use lifeline_sweep::table;
use std::path::{Path, PathBuf};
use std::process::Command;

fn demo_city() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/demo-city/city.toml")
        .display()
        .to_string()
}

fn sweep(args: &[&str], out: &Path) -> serde_json::Value {
    let city = demo_city();
    let mut all = vec!["sweep", city.as_str()];
    all.extend_from_slice(args);
    let out_text = out.display().to_string();
    all.extend_from_slice(&["--out", &out_text, "--json"]);
    let output = lifeline(&all);
    assert!(output.status.success(), "{}", stderr(&output));
    serde_json::from_str(&stdout(&output)).unwrap()
}

/// Random pairs over substations and pump stations, 12 h: grid and water both matter.
const RANDOM: [&str; 10] = [
    "--scenarios",
    "random",
    "--targets",
    "substations,pump-stations",
    "--strikes",
    "2",
    "--samples",
    "18",
    "--hours",
    "12",
];

#[test]
fn a_sweep_gives_the_same_rows_on_one_thread_or_two() {
    let dir = tempfile::tempdir().unwrap();
    let (one, two) = (
        dir.path().join("one.parquet"),
        dir.path().join("two.parquet"),
    );
    let mut args = RANDOM.to_vec();
    args.extend(["--threads", "1"]);
    let report = sweep(&args, &one);
    assert_eq!(report["scenarios"], 18);
    let mut args = RANDOM.to_vec();
    args.extend(["--threads", "2"]);
    sweep(&args, &two);
    let (meta, rows) = table::read(&one).unwrap();
    assert_eq!(table::read(&two).unwrap().1, rows);
    assert_eq!(meta.districts.len(), 9);
    assert_eq!(meta.sweep["seed"], 1);
    // Every scenario hits two distinct assets.
    for row in &rows {
        assert_eq!(row.assets.len(), 2);
        assert_ne!(row.assets[0], row.assets[1]);
    }
    // Some scenario leaves people without water (a pump station or its substation).
    assert!(rows.iter().any(|r| r.person_hours > 0.0 || r.assets.iter().any(|a| a.starts_with("pump_station"))));
}

#[test]
fn shards_run_as_separate_processes_merge_into_the_whole_sweep_row_for_row() {
    let dir = tempfile::tempdir().unwrap();
    let whole = dir.path().join("whole.parquet");
    sweep(&RANDOM, &whole);
    let city = demo_city();
    let parts: Vec<PathBuf> = (0..3)
        .map(|i| dir.path().join(format!("part-{i}.parquet")))
        .collect();
    let children: Vec<_> = parts
        .iter()
        .enumerate()
        .map(|(i, part)| {
            Command::new(env!("CARGO_BIN_EXE_lifeline"))
                .args(["sweep", &city])
                .args(RANDOM)
                .args([
                    "--shard",
                    &format!("{i}/3"),
                    "--threads",
                    "1",
                    "--json",
                    "--out",
                ])
                .arg(part)
                .output_in_background()
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let merged = dir.path().join("merged.parquet");
    let mut args = vec!["sweep".to_string(), "merge".to_string()];
    args.extend(parts.iter().map(|p| p.display().to_string()));
    args.extend([
        "--out".to_string(),
        merged.display().to_string(),
        "--json".to_string(),
    ]);
    let output = lifeline(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(output.status.success(), "{}", stderr(&output));
    let meta: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(meta["sweep"]["missing"], 0, "{meta}");
    assert_eq!(
        table::read(&merged).unwrap().1,
        table::read(&whole).unwrap().1
    );
    // Two of three shards: the missing scenarios are counted.
    let output = lifeline(&[
        "sweep",
        "merge",
        &parts[0].display().to_string(),
        &parts[2].display().to_string(),
        "--out",
        &dir.path().join("partial.parquet").display().to_string(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("6 scenarios of the sweep are in none of them"),
        "{}",
        stdout(&output)
    );
    // The same shard twice is refused.
    let output = lifeline(&[
        "sweep",
        "merge",
        &parts[1].display().to_string(),
        &parts[1].display().to_string(),
        "--out",
        &dir.path().join("twice.parquet").display().to_string(),
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
}

trait Background {
    fn output_in_background(&mut self) -> std::process::Child;
}

impl Background for Command {
    fn output_in_background(&mut self) -> std::process::Child {
        self.stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    }
}

#[test]
fn rank_orders_the_assets_and_a_hardened_asset_avoids_its_loss() {
    let dir = tempfile::tempdir().unwrap();
    let n1 = dir.path().join("n1.parquet");
    let args = [
        "--scenarios",
        "n-1",
        "--targets",
        "substations",
        "--hours",
        "12",
    ];
    let report = sweep(&args, &n1);
    let scenarios = report["scenarios"].as_u64().unwrap();
    let csv = dir.path().join("rank.csv");
    let output = lifeline(&[
        "sweep",
        "rank",
        &n1.display().to_string(),
        "--csv",
        &csv.display().to_string(),
        "--json",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let ranked: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let assets = ranked["assets"].as_array().unwrap();
    assert_eq!(assets.len() as u64, scenarios);
    let expected: Vec<f64> = assets
        .iter()
        .map(|a| a["expected_loss"].as_f64().unwrap())
        .collect();
    assert!(expected.windows(2).all(|w| w[0] >= w[1]), "{expected:?}");
    let text = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(text.lines().count() as u64, scenarios + 1);
    // Hardening the worst substation avoids exactly its scenario's loss (N-1: the rest are the
    // same scenarios).
    let worst = assets[0]["asset"].as_str().unwrap();
    let worst_loss = assets[0]["mean_loss"].as_f64().unwrap();
    let hardened = dir.path().join("hardened.parquet");
    let mut with = args.to_vec();
    let change = format!("harden={worst}");
    with.extend(["--what-if", &change]);
    let report = sweep(&with, &hardened);
    let avoided = &report["what_if"];
    let total = avoided["avoided_customer_hours"].as_f64().unwrap()
        + avoided["avoided_person_hours"].as_f64().unwrap();
    assert!(worst_loss > 0.0);
    assert!(
        (total - worst_loss).abs() < 1e-6 * worst_loss,
        "{total} vs {worst_loss}"
    );
}

#[test]
fn long_repairs_show_what_losing_a_pump_station_costs() {
    // With the city's 8 h repairs, the demo's tanks carry every district through the loss
    // of any one pump station; out for 40 h from 04:00, the main works leave most of the
    // city without water, and it ranks first.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("long.parquet");
    let args = [
        "--scenarios",
        "n-1",
        "--targets",
        "pump-stations",
        "--hours",
        "48",
        "--at",
        "4",
        "--repair-h",
        "40",
    ];
    let report = sweep(&args, &out);
    assert_eq!(report["sweep"]["at_h"], 4.0);
    assert_eq!(report["sweep"]["repair_h"], 40.0);
    assert!(report["loss"]["person_hours"].as_f64().unwrap() > 1e6);
    let output = lifeline(&["sweep", "rank", &out.display().to_string(), "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let ranked: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(ranked["assets"][0]["asset"], "pump_station:MAIN");
    // The file names its assets, so the ranking does without the city.
    assert_eq!(ranked["assets"][0]["name"], "River intake and main works");
}

#[test]
fn bad_requests_are_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("never.parquet");
    let city = demo_city();
    let out_text = out.display().to_string();
    for (args, says) in [
        (
            vec!["--shard", "3/2"],
            "--shard: '3/2': I must be less than N",
        ),
        (
            vec!["--shard", "0/0"],
            "--shard: '0/0': N must be at least 1",
        ),
        (
            vec!["--targets", "substations,bridges"],
            "unknown target class 'bridges'",
        ),
        (vec!["--scenarios", "n-3"], "expected n-1, n-2 or random"),
        (
            vec!["--what-if", "harden=bus:999"],
            "bus 999 is not in the grid",
        ),
        (
            vec!["--what-if", "backup-generator=NOPE:400:24"],
            "no pump station 'NOPE'",
        ),
        (
            vec!["--what-if", "backup-generator=MAIN:-5:24"],
            "KW must be a positive number",
        ),
        (vec!["--hours", "0"], "--hours: must be more than 0"),
        (
            vec!["--at", "24"],
            "--at: must be at least 0 and less than the horizon (24 h), got 24",
        ),
        (vec!["--repair-h", "0"], "--repair-h: must be more than 0"),
    ] {
        let mut all = vec!["sweep", city.as_str(), "--out", out_text.as_str()];
        all.extend(args.iter().copied());
        let output = lifeline(&all);
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        assert!(
            stderr(&output).contains(says),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(!out.exists());
    }
    let nowhere = dir.path().join("no/such/folder/x.parquet");
    let output = lifeline(&["sweep", &city, "--out", &nowhere.display().to_string()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("the folder of --out does not exist"),
        "{}",
        stderr(&output)
    );
    let output = lifeline(&["sweep", "rank", &city]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("not a Parquet file"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn an_interrupted_sweep_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cut.parquet");
    let mut child = Command::new(env!("CARGO_BIN_EXE_lifeline"))
        .args([
            "sweep",
            &demo_city(),
            "--scenarios",
            "n-2",
            "--json",
            "--out",
        ])
        .arg(&out)
        .output_in_background();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(!out.exists());
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no partial file either"
    );
}

#[test]
fn sweep_and_rank_json_match_their_snapshots() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("plants.parquet");
    let report = sweep(
        &[
            "--scenarios",
            "n-1",
            "--targets",
            "plants",
            "--hours",
            "6",
            "--threads",
            "1",
        ],
        &out,
    );
    insta::assert_json_snapshot!("sweep_plants", report, {
        ".seconds" => "[s]",
        ".scenarios_per_minute" => "[rate]",
        ".scenarios_per_minute_per_thread" => "[rate]",
        ".out" => "[path]",
        ".loss.*" => insta::rounded_redaction(3),
    });
    let output = lifeline(&["sweep", "rank", &out.display().to_string(), "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let ranked: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    insta::assert_json_snapshot!("sweep_rank_plants", ranked, {
        ".assets[].mean_loss" => insta::rounded_redaction(3),
        ".assets[].expected_loss" => insta::rounded_redaction(3),
        ".assets[].marginal_loss" => insta::rounded_redaction(3),
        ".assets[].mean_customer_hours" => insta::rounded_redaction(3),
        ".assets[].mean_person_hours" => insta::rounded_redaction(3),
    });
}

#[test]
fn a_reader_that_stops_early_ends_the_ranking_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("substations.parquet");
    sweep(
        &[
            "--scenarios",
            "n-1",
            "--targets",
            "substations,lines",
            "--hours",
            "2",
        ],
        &out,
    );
    for json in [false, true] {
        let mut command = Command::new(env!("CARGO_BIN_EXE_lifeline"));
        command.args(["sweep", "rank", "--top", "1000"]).arg(&out);
        if json {
            command.arg("--json");
        }
        let mut child = command.output_in_background();
        // Close our end of its standard output before it writes: as `| head -0` does.
        drop(child.stdout.take());
        let output = child.wait_with_output().unwrap();
        assert_eq!(output.status.code(), Some(141), "json: {json}");
        assert!(
            output.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}
