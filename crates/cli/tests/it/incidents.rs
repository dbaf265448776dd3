//! `lifeline incidents`: a registry file from import to export, revisions, bad input.

use super::{lifeline, stderr, stdout};
use std::path::Path;

const TWO: &str = r#"[
 {"external_id": "seed-kharkiv", "start": "2024-03-22",
  "place": {"settlement": "Kharkiv", "admin1": "Kharkiv", "lat": 49.99, "lon": 36.23},
  "explosions": 15, "killed": 0, "injured": 0, "weapons": [{"class": "missile"}],
  "targets": [{"category": "power", "asset": "bus:8"}, {"category": "water"}],
  "effects": ["blackout", "water_outage"],
  "sources": [{"publisher": "news report", "published": "2024-03-22",
               "quote": "approximately 15 explosions"}]},
 {"external_id": "seed-kyiv", "start": "2024-03-21",
  "place": {"settlement": "Kyiv", "admin1": "Kyiv City"},
  "weapons": [{"class": "missile", "launched": 31, "intercepted": 31}],
  "sources": [{"publisher": "news report", "quote": "all 31 missiles aimed at Kyiv"}]}
]"#;

fn run(db: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["incidents", "--db", db.to_str().unwrap()];
    all.extend_from_slice(args);
    lifeline(&all)
}

#[test]
fn import_list_confirm_history_and_export() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("registry.sqlite");
    let file = dir.path().join("two.json");
    std::fs::write(&file, TWO).unwrap();
    let first = run(&db, &["import", file.to_str().unwrap()]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert_eq!(stdout(&first).trim(), "2 added, 0 updated, 0 unchanged");
    let again = run(&db, &["import", file.to_str().unwrap()]);
    assert_eq!(stdout(&again).trim(), "0 added, 0 updated, 2 unchanged");

    let list = run(&db, &["list", "--json"]);
    let incidents: serde_json::Value = serde_json::from_str(&stdout(&list)).unwrap();
    assert_eq!(incidents.as_array().unwrap().len(), 2);
    assert_eq!(incidents[0]["place"]["settlement"], "Kyiv", "by start time");

    let confirm = run(&db, &["confirm", "INC-000001"]);
    assert!(confirm.status.success(), "{}", stderr(&confirm));
    let confirmed = run(&db, &["list", "--status", "confirmed", "--json"]);
    let confirmed: serde_json::Value = serde_json::from_str(&stdout(&confirmed)).unwrap();
    assert_eq!(confirmed.as_array().unwrap().len(), 1);

    let history = run(&db, &["history", "INC-000001", "--json"]);
    let history: serde_json::Value = serde_json::from_str(&stdout(&history)).unwrap();
    let actions: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["import", "confirm"].map(|a| if a == "import" { "add" } else { a })
    );

    let csv = run(&db, &["export", "--format", "csv"]);
    let text = stdout(&csv);
    assert!(text.starts_with("id,external_id,status,start,"), "{text}");
    assert!(
        text.contains("INC-000002,seed-kyiv,draft,2024-03-21,,day,Kyiv,Kyiv City,,,,settlement,"),
        "{text}"
    );
    assert!(
        text.contains(r#""launched"":31,""intercepted"":31"#),
        "{text}"
    );
    let geojson = run(&db, &["export", "--format", "geojson"]);
    let geojson: serde_json::Value = serde_json::from_str(&stdout(&geojson)).unwrap();
    assert_eq!(geojson["type"], "FeatureCollection");
    let features = geojson["features"].as_array().unwrap();
    assert_eq!(features.len(), 1, "only Kharkiv has coordinates");
    assert_eq!(features[0]["geometry"]["coordinates"][0], 36.23);
}

#[test]
fn edits_are_revisions_and_nothing_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("registry.sqlite");
    let file = dir.path().join("one.json");
    std::fs::write(
        &file,
        r#"{"start": "2024-03-22", "place": {"settlement": "Barvinkove"}, "injured": 1}"#,
    )
    .unwrap();
    assert!(run(&db, &["add", file.to_str().unwrap()]).status.success());
    std::fs::write(
        &file,
        r#"{"start": "2024-03-22", "place": {"settlement": "Barvinkove"}, "injured": 2}"#,
    )
    .unwrap();
    let edit = run(&db, &["edit", "INC-000001", file.to_str().unwrap()]);
    assert!(edit.status.success(), "{}", stderr(&edit));
    assert!(
        stdout(&edit).contains("injured: 1 → 2"),
        "{}",
        stdout(&edit)
    );
    let history = run(&db, &["history", "INC-000001", "--json"]);
    let history: serde_json::Value = serde_json::from_str(&stdout(&history)).unwrap();
    assert_eq!(history[0]["record"]["injured"], 1);
    assert_eq!(history[1]["record"]["injured"], 2);
}

#[test]
fn bad_input_exits_1_and_says_where() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("registry.sqlite");
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"start\": 5").unwrap();
    let output = run(&db, &["add", bad.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("bad.json:1:11: not JSON"),
        "{}",
        stderr(&output)
    );
    std::fs::write(&bad, r#"{"start": "2024-03-22", "weapons": [{"class": "missile", "launched": 3, "intercepted": 4}]}"#).unwrap();
    let output = run(&db, &["add", bad.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("weapons[0].intercepted: 4 intercepted of 3 launched"),
        "{}",
        stderr(&output)
    );
    std::fs::write(
        &bad,
        r#"{"start": "2024-03-22", "weapons": [{"class": "catapult"}]}"#,
    )
    .unwrap();
    let output = run(&db, &["add", bad.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("bad.json:1:56: weapons[0].class: unknown variant `catapult`"),
        "{}",
        stderr(&output)
    );
    let output = run(&db, &["show", "INC-000042"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("no incident 'INC-000042' in the registry"));
    let not_db = dir.path().join("text.sqlite");
    std::fs::write(
        &not_db,
        "plain text, long enough to be read as a broken database header",
    )
    .unwrap();
    let output = run(&not_db, &["list"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("error: database"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn confirmed_incidents_naming_assets_become_a_scenario_the_cascade_runs() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("registry.sqlite");
    let file = dir.path().join("one.json");
    std::fs::write(
        &file,
        r#"{"start": "2024-03-22T04:05", "status": "confirmed",
            "targets": [{"category": "power", "asset": "bus:8"}, {"category": "water", "asset": "pump_station:E-1"}],
            "sources": [{"publisher": "news report", "quote": "approximately 15 explosions"}]}"#,
    )
    .unwrap();
    assert!(run(&db, &["add", file.to_str().unwrap()]).status.success());
    let city = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/demo-city/city.toml");
    let scenario = dir.path().join("scenario.toml");
    let output = run(
        &db,
        &[
            "to-scenario",
            "--city",
            city.to_str().unwrap(),
            "--from",
            "2024-03-22",
            "--to",
            "2024-03-22",
            "--out",
            scenario.to_str().unwrap(),
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let text = std::fs::read_to_string(&scenario).unwrap();
    assert!(text.contains("at = \"04:05\"\nasset = \"bus:8\""), "{text}");
    let simulated = lifeline(&[
        "simulate",
        city.to_str().unwrap(),
        scenario.to_str().unwrap(),
        "--json",
    ]);
    assert!(simulated.status.success(), "{}", stderr(&simulated));
    let result: serde_json::Value = serde_json::from_str(&stdout(&simulated)).unwrap();
    assert!(
        result["summary"]["peak_customers_without_power"]
            .as_u64()
            .unwrap()
            > 0
    );

    // An asset the city does not have: located, nothing written.
    std::fs::write(
        &file,
        r#"{"start": "2024-03-22", "status": "confirmed",
            "targets": [{"category": "power", "asset": "bus:999"}],
            "sources": [{"publisher": "p"}]}"#,
    )
    .unwrap();
    assert!(run(&db, &["add", file.to_str().unwrap()]).status.success());
    let other = dir.path().join("other.toml");
    let output = run(
        &db,
        &[
            "to-scenario",
            "--city",
            city.to_str().unwrap(),
            "--from",
            "2024-03-22",
            "--to",
            "2024-03-22",
            "--out",
            other.to_str().unwrap(),
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("bus 999 is not in the grid"),
        "{}",
        stderr(&output)
    );
    assert!(!other.exists());
}

#[test]
fn extract_drafts_the_seed_report_and_adds_them_with_add() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("registry.sqlite");
    let report = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../incidents/tests/data/2024-03-22-kharkiv.txt");
    let output = run(&db, &["extract", report.to_str().unwrap(), "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let drafts: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let drafts = drafts.as_array().unwrap();
    assert_eq!(drafts.len(), 6);
    for key in [
        "date",
        "place",
        "admin1",
        "weapon",
        "launched",
        "intercepted",
        "explosions",
        "killed",
        "injured",
        "targets",
        "effects",
        "evidence",
    ] {
        assert!(drafts[0].get(key).is_some(), "{key} missing");
    }
    assert_eq!(drafts[0]["place"], "Kharkiv");
    assert_eq!(drafts[0]["explosions"], 15);
    assert_eq!(drafts[0]["targets"], serde_json::json!(["power", "water"]));
    assert_eq!(
        drafts[0]["effects"],
        serde_json::json!(["blackout", "water_outage"])
    );
    let kyiv = drafts.iter().find(|d| d["place"] == "Kyiv").unwrap();
    assert_eq!(
        (kyiv["launched"].as_u64(), kyiv["intercepted"].as_u64()),
        (Some(31), Some(31))
    );

    let added = run(&db, &["extract", report.to_str().unwrap(), "--add"]);
    assert!(added.status.success(), "{}", stderr(&added));
    assert!(
        stdout(&added).contains("INC-000001: Kharkiv — 2024-03-22"),
        "{}",
        stdout(&added)
    );
    let list = run(&db, &["list", "--status", "draft", "--json"]);
    let list: serde_json::Value = serde_json::from_str(&stdout(&list)).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 6);

    // A report without a date line is drafted with the day unknown and said so; the
    // draft is stored, and confirming it asks for the day.
    let undated = dir.path().join("undated.txt");
    std::fs::write(
        &undated,
        "Explosions in Kharkiv on Friday damaged a substation.",
    )
    .unwrap();
    let output = run(&db, &["extract", undated.to_str().unwrap(), "--add"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.contains("INC-000007: Kharkiv — day unknown")
            && text.contains("1 of the drafts have no day")
            && text.contains("--date YYYY-MM-DD"),
        "{text}"
    );
    let output = run(&db, &["confirm", "INC-000007"]);
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    assert!(
        stderr(&output).contains("start") && stderr(&output).contains("day is not known"),
        "{}",
        stderr(&output)
    );
    let output = run(
        &db,
        &[
            "extract",
            undated.to_str().unwrap(),
            "--date",
            "2024-03-25",
            "--json",
        ],
    );
    let drafts: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(drafts[0]["date"], "2024-03-22");
}

#[test]
fn a_postgres_url_selects_the_server_back_end() {
    let Some(database) = lifeline_testkit::PostgresDatabase::create("cli_incidents") else {
        return;
    };
    let own = database.url.clone();
    let report = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../incidents/tests/data/2024-03-22-kharkiv.txt");
    let added = lifeline(&[
        "incidents",
        "--db",
        &own,
        "extract",
        report.to_str().unwrap(),
        "--add",
    ]);
    assert!(added.status.success(), "{}", stderr(&added));
    let list = lifeline(&["incidents", "--db", &own, "list", "--json"]);
    assert!(list.status.success(), "{}", stderr(&list));
    let incidents: serde_json::Value = serde_json::from_str(&stdout(&list)).unwrap();
    assert_eq!(incidents.as_array().unwrap().len(), 6);
}

#[test]
fn evaluate_prints_precision_and_recall_per_field() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("registry.sqlite");
    let eval = Path::new(env!("CARGO_MANIFEST_DIR")).join("../incidents/eval");
    let output = run(&db, &["evaluate", eval.to_str().unwrap(), "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let document: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let sets = document.as_array().unwrap();
    assert_eq!(sets.len(), 2);
    assert_eq!(
        (&sets[0]["set"], &sets[1]["set"]),
        (&"dev".into(), &"test".into())
    );
    let fields = sets[1]["fields"].as_array().unwrap();
    assert_eq!(fields.len(), 8);
    assert_eq!(fields[0][0], "weapons");
    assert_eq!(sets[1]["reader"], "extractor");
    for key in ["tp", "fp", "fn"] {
        assert!(fields[0][1][key].is_u64(), "{key}");
        assert!(sets[1]["places"][key].is_u64(), "{key}");
        assert!(sets[1]["all_fields"][key].is_u64(), "{key}");
    }
    let text = stdout(&run(&db, &["evaluate", eval.to_str().unwrap()]));
    assert!(
        text.contains("dev: ")
            && text.contains("test: ")
            && text.contains("places")
            && text.contains("precision")
            && text.contains("recall"),
        "{text}"
    );
    // One folder of reports is one set.
    let one = run(
        &db,
        &["evaluate", eval.join("test").to_str().unwrap(), "--json"],
    );
    let one: serde_json::Value = serde_json::from_str(&stdout(&one)).unwrap();
    assert_eq!(one.as_array().unwrap().len(), 1);
    // A second reader is scored beside the extractor on the reports it labelled.
    let second = eval.join("second-reader");
    let both = run(
        &db,
        &[
            "evaluate",
            eval.to_str().unwrap(),
            "--second-reader",
            second.to_str().unwrap(),
        ],
    );
    let text = stdout(&both);
    assert!(
        text.contains("test (second reader): 32 reports")
            && text.contains("test (extractor): 32 reports"),
        "{text}"
    );
    let none = run(
        &db,
        &[
            "evaluate",
            eval.to_str().unwrap(),
            "--second-reader",
            dir.path().to_str().unwrap(),
            "--json",
        ],
    );
    assert!(!none.status.success());
    assert!(
        stderr(&none).contains("expected labels"),
        "{}",
        stderr(&none)
    );
}

#[test]
fn a_csv_export_imports_back_idempotently() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first.sqlite");
    let file = dir.path().join("two.json");
    std::fs::write(&file, TWO).unwrap();
    assert!(
        run(&first, &["import", file.to_str().unwrap()])
            .status
            .success()
    );
    let csv = dir.path().join("incidents.csv");
    let export = run(
        &first,
        &["export", "--format", "csv", "--out", csv.to_str().unwrap()],
    );
    assert!(export.status.success(), "{}", stderr(&export));
    let second = dir.path().join("second.sqlite");
    let once = run(&second, &["import", csv.to_str().unwrap()]);
    assert_eq!(
        stdout(&once).trim(),
        "2 added, 0 updated, 0 unchanged",
        "{}",
        stderr(&once)
    );
    let twice = run(&second, &["import", csv.to_str().unwrap()]);
    assert_eq!(stdout(&twice).trim(), "0 added, 0 updated, 2 unchanged");
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "start,killed\n2024-03-22,several\n").unwrap();
    let output = run(&second, &["import", bad.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains(
            "bad.csv:2:12: killed: expected a whole number (0 to 4294967295), got 'several'"
        ),
        "{}",
        stderr(&output)
    );
}

#[test]
fn one_bad_record_in_a_file_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("registry.sqlite");
    let file = dir.path().join("two.json");
    std::fs::write(
        &file,
        r#"[{"start": "2024-03-22"},
 {"start": "2024-03-22", "weapons": [{"class": "missile", "launched": 2, "intercepted": 3}]}]"#,
    )
    .unwrap();
    let output = run(&db, &["add", file.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains(
            "incident 2: weapons[0].intercepted: 3 intercepted of 2 launched (nothing was written)"
        ),
        "{}",
        stderr(&output)
    );
    std::fs::write(
        &file,
        "[{\"start\": \"2024-03-22\"},\n {\"start\": \"2024-03-22\", \"killed\": -1}]",
    )
    .unwrap();
    let output = run(&db, &["import", file.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output)
            .contains("two.json:2:37: [1].killed: invalid value: integer `-1`, expected u32"),
        "{}",
        stderr(&output)
    );
    std::fs::write(&file, r#"{"start": "22/03/2024"}"#).unwrap();
    let output = run(&db, &["add", file.to_str().unwrap()]);
    assert!(
        stderr(&output)
            .contains("start: expected YYYY-MM-DD or YYYY-MM-DDTHH:MM, got '22/03/2024'")
    );
    let list = run(&db, &["list", "--json"]);
    assert_eq!(stdout(&list).trim(), "[]");
}

/// Records a spreadsheet user and the API produce: no external id, notes, many weapons,
/// a target naming a city asset, text that looks like a formula.
const THREE: &str = r#"[
 {"start": "2024-03-22T04:10", "time_precision": "hour",
  "place": {"settlement": "Kharkiv", "admin1": "Харківська", "lat": 49.99, "lon": 36.23, "geo_precision": "exact"},
  "weapons": [{"class": "missile", "model": "Kh-101", "launched": 100000, "intercepted": 99990, "hit": 10},
              {"class": "drone", "model": "Shahed-136", "launched": 25}],
  "targets": [{"category": "power", "asset": "bus:8", "description": "CHP-5, turbine hall"}],
  "notes": "=HYPERLINK(\"http://example.org\", \"click\")\nsecond line, with a comma",
  "sources": [{"publisher": "@oblast", "url": "https://example.org/a?b=1,2", "quote": "-15 explosions"},
              {"publisher": "news report"}]},
 {"start": "2024-03-23", "place": {"settlement": "Odesa"}, "notes": "  spaces kept  "},
 {"external_id": "acled-1", "start": "2024-03-24", "place": {"settlement": "Dnipro"}}
]"#;

#[test]
fn the_registrys_own_exports_import_back_without_a_change() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("registry.sqlite");
    let file = dir.path().join("three.json");
    std::fs::write(&file, THREE).unwrap();
    let added = run(&db, &["import", file.to_str().unwrap()]);
    assert_eq!(
        stdout(&added).trim(),
        "3 added, 0 updated, 0 unchanged",
        "{}",
        stderr(&added)
    );
    let listed = |db: &Path| stdout(&run(db, &["list", "--json"]));
    let before = listed(&db);
    for format in ["csv", "json"] {
        let out = dir.path().join(format!("export.{format}"));
        let export = run(
            &db,
            &["export", "--format", format, "--out", out.to_str().unwrap()],
        );
        assert!(export.status.success(), "{}", stderr(&export));
        let text = std::fs::read_to_string(&out).unwrap();
        if format == "csv" {
            assert!(text.contains("'=HYPERLINK"), "formulas are text: {text}");
        }
        // As a spreadsheet saves it: with a byte-order mark.
        std::fs::write(&out, format!("\u{feff}{text}")).unwrap();
        let again = run(&db, &["import", out.to_str().unwrap()]);
        assert_eq!(
            stdout(&again).trim(),
            "0 added, 0 updated, 3 unchanged",
            "{format}: {}",
            stderr(&again)
        );
        assert_eq!(listed(&db), before, "{format}: the registry is as it was");
        let history = run(&db, &["history", "INC-000001", "--json"]);
        let revisions: serde_json::Value = serde_json::from_str(&stdout(&history)).unwrap();
        assert_eq!(
            revisions.as_array().unwrap().len(),
            1,
            "{format}: no new revision"
        );
    }
    // Into another registry, as new records.
    let other = dir.path().join("other.sqlite");
    let csv = dir.path().join("export.csv");
    let moved = run(&other, &["import", "--as-new", csv.to_str().unwrap()]);
    assert_eq!(
        stdout(&moved).trim(),
        "3 added, 0 updated, 0 unchanged",
        "{}",
        stderr(&moved)
    );
    let twice = run(&other, &["import", "--as-new", csv.to_str().unwrap()]);
    assert_eq!(
        stdout(&twice).trim(),
        "2 added, 0 updated, 1 unchanged",
        "without ids, only the external id matches"
    );
}

#[test]
fn misspelled_fields_are_refused_with_their_place() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("registry.sqlite");
    let file = dir.path().join("typo.json");
    std::fs::write(
        &file,
        "[{\"start\": \"2024-03-22\"},\n {\"start\": \"2024-03-22\", \"kiled\": 5}]",
    )
    .unwrap();
    let output = run(&db, &["import", file.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(message.contains("typo.json:2:"), "{message}");
    assert!(
        message.contains("[1].kiled: unknown field `kiled`"),
        "{message}"
    );
    let list = run(&db, &["list", "--json"]);
    assert_eq!(stdout(&list).trim(), "[]", "nothing was written");
}

#[test]
fn days_that_are_not_days_are_refused_as_a_bad_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("registry.sqlite");
    for (args, says) in [
        (
            &["list", "--from", "2024-3-5"][..],
            "--from: expected a day as YYYY-MM-DD, got '2024-3-5'",
        ),
        (
            &["list", "--to", "garbage"][..],
            "--to: expected a day as YYYY-MM-DD, got 'garbage'",
        ),
        (
            &["list", "--from", "2024-03-05", "--to", "2024-03-01"][..],
            "--to: 2024-03-01 is before from = 2024-03-05",
        ),
    ] {
        let output = run(&db, args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&output).contains(says),
            "{args:?}: {}",
            stderr(&output)
        );
    }
}
