//! `lifeline power contingency`.

use crate::{case, lifeline, stderr, stdout};

#[test]
fn summary_names_the_worst_outages() {
    let output = lifeline(&[
        "power",
        "contingency",
        case("case14").to_str().unwrap(),
        "--worst",
        "3",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.starts_with("case14: N-1 over 20 branches and 5 generators (25 contingencies)"),
        "{text}"
    );
    assert!(
        text.contains("converged 25, failed 0; 1 split the grid"),
        "{text}"
    );
    assert!(text.contains("worst 3 (failed first"), "{text}");
}

#[test]
fn csv_has_one_row_per_contingency() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("n1.csv");
    let output = lifeline(&[
        "power",
        "contingency",
        case("case30").to_str().unwrap(),
        "--out",
        path.to_str().unwrap(),
    ]);
    assert!(output.status.success());
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "element,index,converged,error,iterations,islands,shed_mw,dark_load_mw,max_loading_percent,max_loading_branch,voltage_violations,min_vm_pu,max_vm_pu"
    );
    assert_eq!(lines.count(), 41 + 6);
}

#[test]
fn json_document() {
    let output = lifeline(&[
        "power",
        "contingency",
        case("case9").to_str().unwrap(),
        "--json",
        "--threads",
        "1",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let document: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    insta::assert_json_snapshot!("power_contingency_case9", document, {
        ".file" => "[file]",
        ".elapsed_ms" => "[ms]",
        ".base.max_loading_percent" => insta::rounded_redaction(6),
        ".results[].max_loading_percent" => insta::rounded_redaction(6),
        ".results[].min_vm_pu" => insta::rounded_redaction(9),
        ".results[].max_vm_pu" => insta::rounded_redaction(9),
        ".results[].shed_mw" => insta::rounded_redaction(6),
        ".results[].dark_load_mw" => insta::rounded_redaction(6),
    });
}

#[test]
fn nothing_to_analyse_is_an_error() {
    let output = lifeline(&[
        "power",
        "contingency",
        case("case9").to_str().unwrap(),
        "--no-branches",
        "--no-generators",
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("leave nothing to analyse"));
}

#[test]
fn a_base_case_with_a_dark_island_is_named_and_exits_3() {
    let path = case("case14_bus14_cut");
    let output = lifeline(&["power", "contingency", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    assert!(
        stderr(&output)
            .contains("the intact grid already has an island without generation (buses 14)"),
        "{}",
        stderr(&output)
    );
    // The whole case's power flow names the island too, AC and DC.
    for dc in [false, true] {
        let mut args = vec!["power", "flow", path.to_str().unwrap()];
        if dc {
            args.push("--dc");
        }
        let output = lifeline(&args);
        assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
        assert!(
            stderr(&output).contains("bus 14 is cut off from the slack bus"),
            "{}",
            stderr(&output)
        );
    }
}
