//! The MATPOWER reader: every shared case reads; bad input gives an error naming the file,
//! line, column and field, never a panic.

use crate::support::{data_dir, shared_power_dir};
use lifeline_power::matpower::{ReadErrorKind, parse_case, read_case};
use proptest::prelude::*;

const CASE9: &str = include_str!("../../../../data/matpower/case9.m");

/// Reads `text` as `bad.m` and returns the error message.
fn error(text: &str) -> String {
    parse_case(text, "bad.m", "bad").unwrap_err().to_string()
}

/// case9 with line `line` (1-based) replaced by `replacement`.
fn case9_with_line(line: usize, replacement: &str) -> String {
    CASE9
        .lines()
        .enumerate()
        .map(|(i, l)| if i + 1 == line { replacement } else { l })
        .collect::<Vec<_>>()
        .join("\n")
}

fn line_of(needle: &str) -> usize {
    CASE9.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn reads_the_repository_cases() {
    for name in ["case9", "case14", "case30"] {
        let read = read_case(&data_dir().join(format!("{name}.m"))).unwrap();
        assert_eq!(read.case.name, name);
        assert_eq!(read.case.base_mva, 100.0);
    }
    let case14 = read_case(&data_dir().join("case14.m")).unwrap().case;
    assert_eq!(case14.buses.len(), 14);
    assert_eq!(case14.branches.len(), 20);
    assert_eq!(case14.generators.len(), 5);
    assert_eq!(case14.generator_costs.len(), 5);
    assert_eq!(case14.buses[0].name.as_deref(), Some("Bus 1     HV"));
    assert_eq!(case14.branches[7].tap_ratio, 0.978);
}

#[test]
fn reads_every_shared_case() {
    let Some(shared) = shared_power_dir() else {
        return;
    };
    let expected = [
        ("case9", 9, 9, 3),
        ("case14", 14, 20, 5),
        ("case30", 30, 41, 6),
        ("case57", 57, 80, 7),
        ("case118", 118, 186, 54),
        ("case300", 300, 411, 69),
        ("case_ACTIVSg2000", 2000, 3206, 544),
        ("case9241pegase", 9241, 16049, 1445),
    ];
    let mut seen = 0;
    for entry in std::fs::read_dir(shared.join("cases")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "m") {
            let read = read_case(&path).unwrap();
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            if let Some(&(_, buses, branches, generators)) = expected.iter().find(|e| e.0 == name) {
                assert_eq!(read.case.buses.len(), buses, "{name}");
                assert_eq!(read.case.branches.len(), branches, "{name}");
                assert_eq!(read.case.generators.len(), generators, "{name}");
            }
            seen += 1;
        }
    }
    assert!(seen >= expected.len());
    let activsg = read_case(&shared.join("cases/case_ACTIVSg2000.m")).unwrap();
    assert_eq!(activsg.case.buses[0].name.as_deref(), Some("ODESSA 2 0"));
    assert!(
        activsg
            .warnings
            .iter()
            .any(|w| w.message == "skipped mpc.gentype: lifeline does not use this field")
    );
    let pegase = read_case(&shared.join("cases/case9241pegase.m"))
        .unwrap()
        .case;
    assert!(
        pegase
            .generators
            .iter()
            .any(|g| g.q_max_mvar == f64::INFINITY)
    );
}

#[test]
fn syntax_variants_are_accepted() {
    let text = "% a comment line\n\
        function mpc = tiny\n\
        mpc.version = '2';\n\
        mpc.baseMVA = 1e2;\n\
        mpc.bus = [ 10, 3, 0, 0, 0, 0, 1, 1, 0, 135, 1, 1.1, 0.9;  % inline comment\n\
        \t20 1 1.5E1 5 0 0 1 1 0 135 1 1.1 0.9\n\
        30 1 10 ...  continuation comment\n\
        2 0 0 1 1 0 135 1 1.1 0.9 ];\n\
        mpc.gen = [10 0 0 Inf -Inf 1.0 100 1 250 10];\n\
        mpc.branch = [\n\
        10 20 0.01 0.1 0 0 0 0 0 0 1;\n\
        20 30 0.01 0.1 0 0 0 0 0 0 1;\n\
        ];\n\
        mpc.bus_name = { 'ten'; 'twenty'; 'it''s thirty' };\n";
    let case = parse_case(text, "tiny.m", "x").unwrap().case;
    assert_eq!(case.name, "tiny");
    assert_eq!(case.base_mva, 100.0);
    let ids: Vec<u32> = case.buses.iter().map(|b| b.id).collect();
    assert_eq!(ids, vec![10, 20, 30]);
    assert_eq!(case.buses[1].p_load_mw, 15.0);
    assert_eq!(case.buses[2].q_load_mvar, 2.0);
    assert_eq!(case.generators[0].q_min_mvar, f64::NEG_INFINITY);
    assert_eq!(
        case.branches[1].angle_max_deg, 360.0,
        "ANGMAX defaults when omitted"
    );
    assert_eq!(case.buses[2].name.as_deref(), Some("it's thirty"));
}

#[test]
fn truncated_file() {
    let cut = &CASE9[..CASE9.find("mpc.branch").unwrap() + 80];
    let message = error(cut);
    assert!(
        message.starts_with("bad.m:")
            && message.contains(": mpc.branch: the file ends inside mpc.branch (opened at line "),
        "{message}"
    );
    assert!(message.ends_with("expected ']'"), "{message}");
}

#[test]
fn wrong_column_count() {
    let line = line_of("\t5\t1\t90\t30");
    let text = case9_with_line(line, "\t5\t1\t90\t30\t0\t0\t1\t1\t0\t345\t1;");
    assert_eq!(
        error(&text),
        format!(
            "bad.m:{line}:26: mpc.bus row 5, VMAX: row has 11 columns, expected at least 13 (BUS_I to VMIN)"
        )
    );
}

#[test]
fn non_numeric_field() {
    let line = line_of("\t5\t1\t90\t30");
    let text = case9_with_line(line, "\t5\t1\t90\tthirty\t0\t0\t1\t1\t0\t345\t1\t1.1\t0.9;");
    assert_eq!(
        error(&text),
        format!("bad.m:{line}:9: mpc.bus row 5, QD: expected a number, found 'thirty'")
    );
    let text = case9_with_line(line, "\t5\t1\t90\t3x0\t0\t0\t1\t1\t0\t345\t1\t1.1\t0.9;");
    assert_eq!(
        error(&text),
        format!("bad.m:{line}:9: mpc.bus row 5, QD: expected a number, found '3x0'")
    );
}

#[test]
fn nan_and_absurd_magnitudes_are_refused_at_their_cell() {
    let line = line_of("\t5\t1\t90\t30");
    let text = case9_with_line(line, "\t5\t1\tNaN\t30\t0\t0\t1\t1\t0\t345\t1\t1.1\t0.9;");
    assert_eq!(
        error(&text),
        format!(
            "bad.m:{line}:6: mpc.bus row 5, PD: expected a finite number of at most 1e9 in size, found NaN"
        )
    );
    let text = case9_with_line(line, "\t5\t1\t1e308\t30\t0\t0\t1\t1\t0\t345\t1\t1.1\t0.9;");
    assert_eq!(
        error(&text),
        format!(
            "bad.m:{line}:6: mpc.bus row 5, PD: expected a finite number of at most 1e9 in size, found 1e308"
        )
    );
}

#[test]
fn branch_to_an_unknown_bus() {
    let line = line_of("\t1\t4\t0\t0.0576");
    let text = case9_with_line(
        line,
        "\t1\t44\t0\t0.0576\t0\t250\t250\t250\t0\t0\t1\t-360\t360;",
    );
    assert_eq!(
        error(&text),
        format!(
            "bad.m:{line}:4: mpc.branch row 1, T_BUS: branch connects to bus 44, which is not in mpc.bus"
        )
    );
}

#[test]
fn duplicate_bus_number() {
    let line = line_of("\t5\t1\t90\t30");
    let text = case9_with_line(line, "\t4\t1\t90\t30\t0\t0\t1\t1\t0\t345\t1\t1.1\t0.9;");
    assert_eq!(
        error(&text),
        format!(
            "bad.m:{line}:2: mpc.bus row 5, BUS_I: duplicate bus number 4: already used by bus row 4"
        )
    );
}

#[test]
fn no_slack_bus() {
    let line = line_of("\t1\t3\t0\t0");
    let text = case9_with_line(line, "\t1\t2\t0\t0\t0\t0\t1\t1\t0\t345\t1\t1.1\t0.9;");
    let bus_line = line_of("mpc.bus = [");
    assert_eq!(
        error(&text),
        format!(
            "bad.m:{bus_line}:1: mpc.bus, BUS_TYPE: no slack bus: expected one bus with BUS_TYPE 3"
        )
    );
}

#[test]
fn empty_case() {
    assert_eq!(
        error(""),
        "bad.m:1:1: missing mpc.baseMVA: expected an assignment 'mpc.baseMVA = ...'"
    );
    let text =
        "mpc.version = '2';\nmpc.baseMVA = 100;\nmpc.bus = [];\nmpc.gen = [];\nmpc.branch = [];\n";
    assert_eq!(
        error(text),
        "bad.m:3:1: mpc.bus: the case has no buses: expected at least one row in mpc.bus"
    );
}

#[test]
fn other_refusals_name_their_place() {
    assert_eq!(
        error("function [baseMVA, bus, gen, branch] = case9\n"),
        "bad.m:1:10: unsupported MATPOWER case format version 1 (function [baseMVA, bus, gen, branch] = ...): expected version 2"
    );
    let text = CASE9.replace(
        "mpc.baseMVA = 100;",
        "mpc.baseMVA = 100;\nmpc.bus(:, 3) = 0;",
    );
    let message = error(&text);
    assert!(
        message.contains(": mpc.bus: unsupported statement"),
        "{message}"
    );
    let text = CASE9.replace("mpc.baseMVA = 100;", "mpc.baseMVA = -5;");
    assert!(error(&text).ends_with("mpc.baseMVA: expected a positive number of MVA, found -5"));
    let line = line_of("\t1\t4\t0\t0.0576");
    let text = case9_with_line(line, "\t1\t4\t0\t0\t0\t250\t250\t250\t0\t0\t1\t-360\t360;");
    assert!(error(&text).contains(&format!(":{line}:")));
    assert!(
        error(&text).ends_with(
            "branch has zero impedance (BR_R = BR_X = 0): expected a non-zero impedance"
        )
    );
    let line = line_of("\t5\t1\t90\t30");
    let text = case9_with_line(line, "\t5\t7\t90\t30\t0\t0\t1\t1\t0\t345\t1\t1.1\t0.9;");
    assert!(error(&text).ends_with(
        "mpc.bus row 5, BUS_TYPE: expected a bus type 1 (PQ), 2 (PV), 3 (slack) or 4 (isolated), found 7"
    ));
}

#[test]
fn missing_file_is_an_io_error() {
    let error = read_case(std::path::Path::new("no/such/case.m")).unwrap_err();
    assert!(matches!(error.kind, ReadErrorKind::Io(_)));
    assert!(
        error
            .to_string()
            .starts_with("no/such/case.m: cannot read the file: ")
    );
}

proptest! {
    /// Arbitrary text never panics the reader.
    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
        let _ = parse_case(&text, "fuzz.m", "fuzz");
    }

    /// Text made of the reader's own vocabulary, in any order, never panics it.
    #[test]
    fn shuffled_case_tokens_never_panic(
        pieces in proptest::collection::vec(
            prop_oneof![
                Just("mpc.bus = ["), Just("mpc.gen = ["), Just("mpc.branch = ["),
                Just("mpc.baseMVA = 100;"), Just("mpc.version = '2';"), Just("];"),
                Just("1 3 0 0 0 0 1 1 0 345 1 1.1 0.9;"), Just("\n"), Just("..."),
                Just("%{"), Just("%}"), Just("'"), Just("{"), Just("}"), Just("Inf"), Just("-"),
                Just("1 2 0 0.1 0 0 0 0 0 0 1;"), Just("1 0 0 10 -10 1 100 1 250 10;"),
                Just("function mpc = x"), Just("mpc.bus_name = {"), Just("'a';"),
            ],
            0..40,
        )
    ) {
        let _ = parse_case(&pieces.concat(), "fuzz.m", "fuzz");
    }

    /// Every line of a real case cut short anywhere gives an error or a case, not a panic.
    #[test]
    fn truncations_of_case9_never_panic(cut in 0usize..2000) {
        let cut = cut.min(CASE9.len());
        let cut = (0..=cut).rev().find(|&c| CASE9.is_char_boundary(c)).unwrap_or(0);
        let _ = parse_case(&CASE9[..cut], "cut.m", "cut");
    }
}
