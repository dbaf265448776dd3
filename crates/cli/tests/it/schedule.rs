//! `lifeline schedule` and `lifeline schedule lookup`: the table, the JSON document, the
//! files, and bad input.

use super::{lifeline, stderr, stdout};
use std::path::{Path, PathBuf};

fn demo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/demo-city")
        .join(path)
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

const GROUPS: &str =
    "group,critical,load_mw\n1.1,false,40\n1.2,false,40\n2.1,false,40\n2.2,false,40\nH,true,20\n";
const CAPACITY: &str = "from_h,available_mw\n0,180\n3,120\n6,180\n";

#[test]
fn schedule_json_matches_its_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let groups = write(dir.path(), "groups.csv", GROUPS);
    let capacity = write(dir.path(), "capacity.csv", CAPACITY);
    let output = lifeline(&[
        "schedule",
        demo("city.toml").to_str().unwrap(),
        "--groups",
        groups.to_str().unwrap(),
        "--capacity",
        capacity.to_str().unwrap(),
        "--hours",
        "8",
        "--max-off",
        "2",
        "--min-on",
        "1",
        "--start",
        "2024-03-31T01:00",
        "--json",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let document: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    // Every slot covers its deficit; the critical group is never off.
    for slot in document["slots"].as_array().unwrap() {
        assert!(slot["shed_mw"].as_f64().unwrap() >= slot["deficit_mw"].as_f64().unwrap());
        assert!(!slot["off"].as_array().unwrap().iter().any(|g| g == "H"));
    }
    // Across the spring change: 03:00 does not exist in Kyiv.
    assert_eq!(document["slots"][1]["start"], "2024-03-31T02:00:00+02:00");
    assert_eq!(document["slots"][2]["start"], "2024-03-31T04:00:00+03:00");
    insta::assert_json_snapshot!("schedule_small", document);
}

#[test]
fn schedule_writes_tables_and_calendars_and_lookup_reads_them() {
    let dir = tempfile::tempdir().unwrap();
    let capacity = write(dir.path(), "capacity.csv", "from_h,available_mw\n0,1100\n");
    let out = dir.path().join("schedule");
    let output = lifeline(&[
        "schedule",
        demo("city.toml").to_str().unwrap(),
        "--capacity",
        capacity.to_str().unwrap(),
        "--start",
        "2024-03-22T00:00",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    for expected in [
        "Outage schedule for Demo city: 12 groups",
        "critical ✓",
        "fair",
        "rotation",
        "Written:",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    let table = std::fs::read_to_string(out.join("schedule.csv")).unwrap();
    assert!(table.starts_with("group,critical,2024-03-22T00:00:00+02:00,"));
    assert_eq!(table.lines().count(), 14);
    assert_eq!(
        std::fs::read_dir(out.join("calendars")).unwrap().count(),
        12
    );
    let ics = std::fs::read_to_string(out.join("calendars/group-3.2.ics")).unwrap();
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.ends_with("END:VCALENDAR\r\n"));
    let lookup = lifeline(&[
        "schedule",
        "lookup",
        "--district",
        "north-east",
        "--schedule",
        out.join("schedule.json").to_str().unwrap(),
    ]);
    assert!(lookup.status.success(), "{}", stderr(&lookup));
    let text = stdout(&lookup);
    assert!(
        text.contains("group 1.1 (25 % of the district's customers)"),
        "{text}"
    );
    assert!(text.contains("off 2024-03-22"), "{text}");
    // From the evening on, only outages that end after 18:00.
    let later = lifeline(&[
        "schedule",
        "lookup",
        "--district",
        "North-East",
        "--schedule",
        out.join("schedule.json").to_str().unwrap(),
        "--from",
        "2024-03-22T18:00",
        "--json",
    ]);
    assert!(later.status.success(), "{}", stderr(&later));
    let groups: serde_json::Value = serde_json::from_str(&stdout(&later)).unwrap();
    for group in groups.as_array().unwrap() {
        for outage in group["outages"].as_array().unwrap() {
            let to = outage[1].as_str().unwrap();
            assert!(to == "end" || to > "2024-03-22T18:00", "{to}");
        }
    }
}

#[test]
fn schedule_bad_input_exits_1_and_says_where() {
    let dir = tempfile::tempdir().unwrap();
    let city = demo("city.toml");
    let city = city.to_str().unwrap();
    let bad = write(dir.path(), "bad.csv", "from_h,available_mw\n0,900\n5,-3\n");
    let output = lifeline(&["schedule", city, "--capacity", bad.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output)
            .contains("bad.csv:3:3: available_mw: capacity cannot be negative, got -3 MW"),
        "{}",
        stderr(&output)
    );
    let output = lifeline(&["schedule", city]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("--capacity FILE or --from-scenario"));
    let good = write(dir.path(), "good.csv", "from_h,available_mw\n0,900\n");
    let output = lifeline(&[
        "schedule",
        city,
        "--capacity",
        good.to_str().unwrap(),
        "--max-off",
        "1.5",
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("whole number of 60-minute slots, got 1.5 h"));
    let output = lifeline(&[
        "schedule",
        city,
        "--capacity",
        good.to_str().unwrap(),
        "--start",
        "2024-03-31T03:30",
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("does not exist in Europe/Kyiv"));
    let overlapping = write(
        dir.path(),
        "stages.csv",
        "from_h,to_h,groups_off\n0,6,2\n5,8,3\n",
    );
    let output = lifeline(&[
        "schedule",
        city,
        "--capacity",
        good.to_str().unwrap(),
        "--stages",
        overlapping.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains(
            "stages.csv:3:1: overlapping rules: stage window 5–8 h overlaps 0–6 h on line 2"
        ),
        "{}",
        stderr(&output)
    );
    let loads = write(dir.path(), "loads.csv", "group,from_h,load_mw\n9.9,0,10\n");
    let output = lifeline(&[
        "schedule",
        city,
        "--capacity",
        good.to_str().unwrap(),
        "--group-loads",
        loads.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("loads.csv:2:1: unknown group '9.9': the groups are 1.1, 1.2"),
        "{}",
        stderr(&output)
    );
    let output = lifeline(&[
        "schedule",
        city,
        "--capacity",
        good.to_str().unwrap(),
        "--exempt",
        "7.1",
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("--exempt: unknown group '7.1'; the groups are"));
    let output = lifeline(&[
        "schedule",
        "lookup",
        "--district",
        "Nowhere",
        "--schedule",
        good.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("not a schedule written by lifeline schedule"));
}

/// A copy of the demo city on another wall clock.
fn city_in_zone(dir: &Path, zone: &str) -> PathBuf {
    for entry in std::fs::read_dir(demo("")).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), dir.join(entry.file_name())).unwrap();
        }
    }
    let city = dir.join("city.toml");
    let text = std::fs::read_to_string(&city).unwrap();
    std::fs::write(
        &city,
        text.replace(
            "timezone = \"Europe/Kyiv\"",
            &format!("timezone = \"{zone}\""),
        ),
    )
    .unwrap();
    city
}

#[test]
fn the_city_time_zone_is_the_default_and_tz_overrides_it() {
    let dir = tempfile::tempdir().unwrap();
    let city = city_in_zone(dir.path(), "America/New_York");
    let groups = write(dir.path(), "groups.csv", GROUPS);
    let capacity = write(dir.path(), "capacity.csv", CAPACITY);
    let run = |extra: &[&str]| {
        let mut args = vec![
            "schedule",
            city.to_str().unwrap(),
            "--groups",
            groups.to_str().unwrap(),
            "--capacity",
            capacity.to_str().unwrap(),
            "--hours",
            "4",
            "--start",
            "2024-03-10T01:00",
            "--json",
        ];
        args.extend_from_slice(extra);
        let output = lifeline(&args);
        assert!(output.status.success(), "{}", stderr(&output));
        serde_json::from_str::<serde_json::Value>(&stdout(&output)).unwrap()
    };
    // New York's clocks skip 02:00 on 10 March 2024.
    let document = run(&[]);
    assert_eq!(document["slots"][0]["start"], "2024-03-10T01:00:00-05:00");
    assert_eq!(document["slots"][1]["start"], "2024-03-10T03:00:00-04:00");
    let document = run(&["--tz", "Europe/Kyiv"]);
    assert_eq!(document["slots"][0]["start"], "2024-03-10T01:00:00+02:00");
    assert_eq!(document["slots"][1]["start"], "2024-03-10T02:00:00+02:00");
}
