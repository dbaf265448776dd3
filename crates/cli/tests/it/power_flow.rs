//! `lifeline power flow`.

use crate::{case, lifeline, stderr, stdout};

/// Parses a CSV file into its header and rows.
fn read_csv(path: &std::path::Path) -> (String, Vec<Vec<f64>>) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap().to_string();
    let rows = lines
        .map(|l| l.split(',').map(|f| f.parse::<f64>().unwrap()).collect())
        .collect();
    (header, rows)
}

fn compare_with_reference(out: &std::path::Path, reference_stem: &str, file: &str, tolerance: f64) {
    let reference = case("case9").with_file_name(format!("{reference_stem}.csv"));
    let (header, rows) = read_csv(&out.join(file));
    let (reference_header, reference_rows) = read_csv(&reference);
    assert_eq!(
        header, reference_header,
        "{file}: same columns in the same order"
    );
    assert_eq!(
        rows.len(),
        reference_rows.len(),
        "{file}: one row per element"
    );
    for (row, expected) in rows.iter().zip(&reference_rows) {
        for (a, b) in row.iter().zip(expected) {
            assert!(
                (a - b).abs() <= tolerance + 5e-10 * b.abs(),
                "{file}: {row:?} vs {expected:?}"
            );
        }
    }
}

#[test]
fn writes_the_reference_files_ac() {
    let dir = tempfile::tempdir().unwrap();
    let output = lifeline(&[
        "power",
        "flow",
        case("case9").to_str().unwrap(),
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.contains("AC power flow, flat start: converged in 4 iterations"),
        "{text}"
    );
    assert!(text.contains("wrote "), "{text}");
    compare_with_reference(dir.path(), "case9_ac_bus", "bus.csv", 1e-6);
    compare_with_reference(dir.path(), "case9_ac_branch", "branch.csv", 1e-4);
}

#[test]
fn writes_the_reference_files_dc() {
    let dir = tempfile::tempdir().unwrap();
    let output = lifeline(&[
        "power",
        "flow",
        case("case14").to_str().unwrap(),
        "--dc",
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let reference = |stem: &str| case("case14").with_file_name(format!("{stem}.csv"));
    let (header, rows) = read_csv(&dir.path().join("bus.csv"));
    let (reference_header, reference_rows) = read_csv(&reference("case14_dc_bus"));
    assert_eq!(header, reference_header);
    for (row, expected) in rows.iter().zip(&reference_rows) {
        assert!((row[1] - expected[1]).abs() < 1e-6 + 5e-10 * expected[1].abs());
    }
    let (header, _) = read_csv(&dir.path().join("branch.csv"));
    assert_eq!(header, "index,from_bus,to_bus,status,p_mw");
}

#[test]
fn json_document() {
    let output = lifeline(&["power", "flow", case("case9").to_str().unwrap(), "--json"]);
    assert!(output.status.success());
    let document: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    insta::assert_json_snapshot!("power_flow_case9", document, {
        ".file" => "[file]",
        ".timing_ms.*" => "[ms]",
        ".bus[].vm_pu" => insta::rounded_redaction(9),
        ".bus[].va_deg" => insta::rounded_redaction(7),
        ".bus[].p_mw" => insta::rounded_redaction(6),
        ".bus[].q_mvar" => insta::rounded_redaction(6),
        ".branch[].p_from_mw" => insta::rounded_redaction(6),
        ".branch[].q_from_mvar" => insta::rounded_redaction(6),
        ".branch[].p_to_mw" => insta::rounded_redaction(6),
        ".branch[].q_to_mvar" => insta::rounded_redaction(6),
        ".max_mismatch_pu" => "[below 1e-8]",
        ".generation_mw" => insta::rounded_redaction(6),
        ".losses_mw" => insta::rounded_redaction(6),
    });
}

#[test]
fn json_files_with_format_json() {
    let dir = tempfile::tempdir().unwrap();
    let output = lifeline(&[
        "power",
        "flow",
        case("case9").to_str().unwrap(),
        "--out",
        dir.path().to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(output.status.success());
    let buses: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("bus.json")).unwrap())
            .unwrap();
    assert_eq!(buses.as_array().unwrap().len(), 9);
    assert_eq!(buses[0]["bus_id"], 1);
    assert_eq!(buses[0]["type"], 3);
}

#[test]
fn missing_file() {
    let output = lifeline(&["power", "flow", "no/such/case.m"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output).trim(),
        "error: no/such/case.m: cannot read the file: No such file or directory (os error 2)"
    );
}

#[test]
fn malformed_file_names_file_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(case("case9")).unwrap().replace(
        "\t3\t2\t0\t0\t0\t0\t1\t1\t0\t345\t1\t1.1\t0.9;",
        "\t3\t2\t0\t0\t0\t0\t1\t1\t0\t345\t1\t1.1;",
    );
    let path = dir.path().join("broken.m");
    std::fs::write(&path, text).unwrap();
    let output = lifeline(&["power", "flow", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(
        message.starts_with(&format!("error: {}:31:26: ", path.display())),
        "{message}"
    );
    assert!(
        message.contains("mpc.bus row 3, VMIN: row has 12 columns, expected at least 13"),
        "{message}"
    );
}

#[test]
fn diverging_case_reports_iterations_and_mismatch_and_fails() {
    // case9 with every load ten times larger: no power flow solution exists.
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(case("case9"))
        .unwrap()
        .replace("\t5\t1\t90\t30\t", "\t5\t1\t900\t300\t")
        .replace("\t7\t1\t100\t35\t", "\t7\t1\t1000\t350\t")
        .replace("\t9\t1\t125\t50\t", "\t9\t1\t1250\t500\t");
    let path = dir.path().join("overloaded.m");
    std::fs::write(&path, text).unwrap();
    let output = lifeline(&[
        "power",
        "flow",
        path.to_str().unwrap(),
        "--out",
        dir.path().join("out").to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(3));
    let text = stdout(&output);
    assert!(text.contains("NOT converged"), "{text}");
    let message = stderr(&output);
    assert!(message.contains("did not converge"), "{message}");
    assert!(
        message.contains("iterations, largest mismatch"),
        "{message}"
    );
    assert!(
        !dir.path().join("out").exists(),
        "nothing is written for a failed solve"
    );

    let output = lifeline(&["power", "flow", path.to_str().unwrap(), "--json"]);
    assert_eq!(output.status.code(), Some(3));
    let document: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_ne!(document["status"], "converged");
    assert!(document["max_mismatch_pu"].as_f64().unwrap() > 1e-8);
    assert!(document["iterations"].as_u64().unwrap() > 0);
}

#[test]
fn bad_options_are_refused() {
    let output = lifeline(&[
        "power",
        "flow",
        case("case9").to_str().unwrap(),
        "--tolerance=-1",
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("--tolerance must be a positive number"));
    let output = lifeline(&[
        "power",
        "flow",
        case("case9").to_str().unwrap(),
        "--init",
        "warm",
    ]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn outages_split_the_grid_into_islands() {
    let dir = tempfile::tempdir().unwrap();
    let case14 = case("case14");
    let output = lifeline(&[
        "power",
        "flow",
        case14.to_str().unwrap(),
        "--outage",
        "branch:14",
        "--outage",
        "bus:4",
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("2 islands, 2 energised"), "{text}");
    assert!(
        text.contains("island 2: 1 buses, energised, slack at bus 8"),
        "{text}"
    );
    let islands = std::fs::read_to_string(dir.path().join("islands.csv")).unwrap();
    assert_eq!(islands.lines().count(), 3);
    let loads = std::fs::read_to_string(dir.path().join("load.csv")).unwrap();
    assert_eq!(
        loads.lines().nth(4).unwrap(),
        "4,47.8,0,0,0",
        "bus 4 is out: its load is dark"
    );
    let buses = std::fs::read_to_string(dir.path().join("bus.csv")).unwrap();
    assert_eq!(buses.lines().nth(4).unwrap(), "4,4,0,0,0,0");

    let output = lifeline(&[
        "power",
        "flow",
        case14.to_str().unwrap(),
        "--outage",
        "branch:14",
        "--json",
    ]);
    let document: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(
        document["outages"]["taken_out"]["branches"],
        serde_json::json!([13])
    );
    assert_eq!(document["outages"]["islands"].as_array().unwrap().len(), 2);
    assert_eq!(document["outages"]["load"].as_array().unwrap().len(), 14);
}

#[test]
fn bad_outages_are_explained() {
    let case14 = case("case14");
    let run = |spec: &str| lifeline(&["power", "flow", case14.to_str().unwrap(), "--outage", spec]);
    let output = run("bus:44");
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output).trim(),
        "error: outage names bus 44, which is not in the case; did you mean 4, 14?"
    );
    let output = run("branch:21");
    assert_eq!(
        stderr(&output).trim(),
        "error: outage names branch 21, but the case has 20 (numbered from 1)"
    );
    let output = run("station:3");
    assert_eq!(
        stderr(&output).trim(),
        "error: --outage station:3: kind 'station' is unknown: expected one of bus, branch, gen, pump_station, pipe, tank, facility"
    );
    let output = run("pump_station:E-1");
    assert_eq!(
        stderr(&output).trim(),
        "error: --outage pump_station:E-1: pump_station is not part of the grid: expected one of bus, branch, gen"
    );
}

#[test]
fn a_case_file_saved_with_a_byte_order_mark_reads() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("case9-bom.m");
    let text = std::fs::read_to_string(case("case9")).unwrap();
    std::fs::write(&file, format!("\u{feff}{text}")).unwrap();
    let output = lifeline(&["power", "flow", file.to_str().unwrap(), "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let plain = lifeline(&["power", "flow", case("case9").to_str().unwrap(), "--json"]);
    let value = |o: &std::process::Output| -> serde_json::Value {
        serde_json::from_str(&stdout(o)).unwrap()
    };
    assert_eq!(value(&output)["buses"], value(&plain)["buses"]);
}
