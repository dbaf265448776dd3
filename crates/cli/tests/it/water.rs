//! `lifeline water run` and `lifeline water outage`.

use crate::{lifeline, stderr, stdout};
use std::io::Read;
use std::path::{Path, PathBuf};

fn network(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../../data/epanet/{name}.inp"))
}

fn reference(name: &str) -> Vec<Vec<String>> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../../data/epanet/{name}.csv.gz"));
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path).unwrap())
        .read_to_string(&mut text)
        .unwrap();
    text.lines()
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

fn csv(path: &Path) -> Vec<Vec<String>> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

#[test]
fn writes_heads_and_flows_like_the_reference() {
    let dir = tempfile::tempdir().unwrap();
    let output = lifeline(&[
        "water",
        "run",
        network("Net1").to_str().unwrap(),
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    for (file, stem) in [("heads.csv", "Net1.heads"), ("flows.csv", "Net1.flows")] {
        let ours = csv(&dir.path().join(file));
        let theirs = reference(stem);
        assert_eq!(ours[0], theirs[0], "{file}: same columns");
        assert_eq!(ours.len(), theirs.len(), "{file}: same rows");
        for (a, b) in ours.iter().zip(&theirs).skip(1) {
            assert_eq!(a[..2], b[..2], "{file}: same time and element order");
            let (x, y): (f64, f64) = (a[2].parse().unwrap(), b[2].parse().unwrap());
            assert!(
                (x - y).abs() < 1e-3 + 5e-7 * y.abs(),
                "{file}: {a:?} vs {b:?}"
            );
        }
    }
}

#[test]
fn summary_and_json() {
    let output = lifeline(&["water", "run", network("Net1").to_str().unwrap()]);
    assert!(output.status.success());
    let text = stdout(&output);
    assert!(
        text.contains(
            "9 junctions, 1 tanks, 1 reservoirs, 12 pipes, 1 pumps, 0 valves (flows in GPM)"
        ),
        "{text}"
    );
    assert!(
        text.contains("27 hydraulic steps, 25 reporting times"),
        "{text}"
    );

    let output = lifeline(&[
        "water",
        "run",
        network("Net1").to_str().unwrap(),
        "--json",
        "--pda",
        "0,20",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let document: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    insta::assert_json_snapshot!("water_run_net1", document, {
        ".network" => "[network]",
        ".elapsed_ms" => "[ms]",
        ".service.required_m3" => insta::rounded_redaction(3),
        ".service.delivered_m3" => insta::rounded_redaction(3),
        ".service.unserved_m3" => insta::rounded_redaction(3),
        ".timeline[].min_pressure_m" => insta::rounded_redaction(4),
        ".timeline[].unserved_lps" => insta::rounded_redaction(4),
        ".timeline[].availability" => insta::rounded_redaction(6),
    });
}

#[test]
fn outage_shows_service_hour_by_hour() {
    let output = lifeline(&[
        "water",
        "outage",
        network("Net1").to_str().unwrap(),
        "--pump",
        "9",
        "--at",
        "02:00",
        "--hours",
        "6",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("9 out at 02:00 for 6.0 h"), "{text}");
    assert!(text.contains("*  02:00"), "{text}");
    assert_eq!(
        text.lines()
            .filter(|l| l.contains(':') && l.trim_start().starts_with(['*', '0', '1', '2']))
            .count(),
        25
    );

    let output = lifeline(&[
        "water",
        "outage",
        network("Net1").to_str().unwrap(),
        "--pump",
        "9",
        "--json",
    ]);
    let document: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(document["link"], "9");
    assert_eq!(document["outage"]["timeline"].as_array().unwrap().len(), 25);
    assert_eq!(document["baseline"]["name"], "baseline");
}

#[test]
fn bad_input_is_explained() {
    let net1 = network("Net1");
    let run = |args: &[&str]| lifeline(args);
    let output = run(&["water", "run", "no/such.inp"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output).trim(),
        "error: no/such.inp: cannot read the file: No such file or directory (os error 2)"
    );
    let output = run(&["water", "run", "no/such.inp", "--engine", "epanet"]);
    assert_eq!(
        stderr(&output).trim(),
        "error: no/such.inp: Error 302: cannot open input file"
    );

    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.inp");
    std::fs::write(
        &broken,
        std::fs::read_to_string(&net1)
            .unwrap()
            .replace("GPM", "GPX"),
    )
    .unwrap();
    let output = run(&["water", "run", broken.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains(
            ":132: [OPTIONS] option Units: 'GPX' is not valid; expected CFS, GPM, MGD, IMGD, AFD, LPS, LPM, MLD, CMH, CMD, CMS or SI"
        ),
        "{}",
        stderr(&output)
    );
    let output = run(&[
        "water",
        "run",
        broken.to_str().unwrap(),
        "--engine",
        "epanet",
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains(
            ":132: Error 213: invalid option value GPX in [OPTIONS] section: `Units GPX`"
        ),
        "{}",
        stderr(&output)
    );

    let output = run(&["water", "outage", net1.to_str().unwrap(), "--pump", "10"]);
    assert!(
        stderr(&output).contains("link '10' is a Pipe, not a pump; use --link to close it"),
        "{}",
        stderr(&output)
    );
    let output = run(&["water", "outage", net1.to_str().unwrap(), "--pump", "99"]);
    assert!(
        stderr(&output).contains("unknown link '99'; did you mean 9?"),
        "{}",
        stderr(&output)
    );
    let output = run(&[
        "water",
        "outage",
        net1.to_str().unwrap(),
        "--pump",
        "9",
        "--at",
        "30:00",
    ]);
    assert!(
        stderr(&output).contains("--at 30:00: after the end of the simulation (24:00)"),
        "{}",
        stderr(&output)
    );
    let output = run(&[
        "water",
        "outage",
        net1.to_str().unwrap(),
        "--pump",
        "9",
        "--at",
        "4h",
    ]);
    assert!(
        stderr(&output).contains("expected a time as HH:MM"),
        "{}",
        stderr(&output)
    );
    let output = run(&["water", "run", net1.to_str().unwrap(), "--pda", "0"]);
    assert!(
        stderr(&output).contains("--pda 0: expected MIN,REQ"),
        "{}",
        stderr(&output)
    );
    let output = run(&["water", "run", net1.to_str().unwrap(), "--pda", "20,10"]);
    assert!(
        stderr(&output).contains("required pressure 10 m must exceed the minimum 20 m"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn warnings_surface_in_the_summary_and_in_json() {
    // Junction 32 raised above what the pump can reach: EPANET warns of negative
    // pressures (code 6) and goes on.
    let text = std::fs::read_to_string(network("Net1"))
        .unwrap()
        .replace(" 32              \t710 ", " 32              \t1500 ");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("high.inp");
    std::fs::write(&path, text).unwrap();
    let output = lifeline(&["water", "run", path.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let summary = stdout(&output);
    assert!(
        summary.contains("warning at 00:00: WARNING: System has negative pressures. (code 6)"),
        "{summary}"
    );
    let output = lifeline(&["water", "run", path.to_str().unwrap(), "--json"]);
    let document: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let warnings = document["warnings"].as_array().unwrap();
    assert!(!warnings.is_empty());
    assert_eq!(warnings[0]["code"], 6);
    assert_eq!(warnings[0]["time_s"], 0);
    assert_eq!(document["report_times"], 25, "the run went on to the end");
}

#[test]
fn the_native_engine_writes_the_reference_too() {
    for name in ["Net1", "Net3"] {
        let dir = tempfile::tempdir().unwrap();
        let output = lifeline(&[
            "water",
            "run",
            network(name).to_str().unwrap(),
            "--engine",
            "native",
            "--out",
            dir.path().to_str().unwrap(),
        ]);
        assert!(output.status.success(), "{}", stderr(&output));
        for (file, stem) in [("heads.csv", "heads"), ("flows.csv", "flows")] {
            let ours = csv(&dir.path().join(file));
            let theirs = reference(&format!("{name}.{stem}"));
            assert_eq!(ours.len(), theirs.len(), "{name} {file}: same rows");
            for (a, b) in ours.iter().zip(&theirs).skip(1) {
                assert_eq!(a[..2], b[..2], "{name} {file}: same time and element order");
                for column in 2..a.len() {
                    let (x, y): (f64, f64) =
                        (a[column].parse().unwrap(), b[column].parse().unwrap());
                    assert!(
                        (x - y).abs() < 1e-4 + 5e-7 * y.abs(),
                        "{name} {file}: {a:?} vs {b:?}"
                    );
                }
            }
        }
    }
    let output = lifeline(&[
        "water",
        "run",
        network("Net1").to_str().unwrap(),
        "--engine",
        "native",
        "--json",
    ]);
    let document: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(document["engine"], "native");
}

#[test]
fn the_native_engine_names_what_it_cannot_run_yet() {
    let text = std::fs::read_to_string(network("Net1"))
        .unwrap()
        .replace("[END]", "[LEAKAGE]\n10 0.5 0\n\n[END]");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("leaking.inp");
    std::fs::write(&path, text).unwrap();
    let output = lifeline(&["water", "run", path.to_str().unwrap(), "--engine", "native"]);
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(message.contains("leaking.inp:"), "{message}");
    assert!(message.contains("leakage"), "{message}");
    assert!(message.contains("--engine epanet"), "{message}");
    let output = lifeline(&["water", "run", path.to_str().unwrap(), "--engine", "fast"]);
    assert!(!output.status.success());
    assert!(stderr(&output).contains("epanet"), "{}", stderr(&output));
}
