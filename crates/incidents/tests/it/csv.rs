//! Incidents as CSV: what export writes, import reads back; malformed files are located.

use super::kharkiv;
use lifeline_incidents::csv::{read, write};

#[test]
fn csv_round_trips_a_record_with_commas_quotes_and_line_breaks() {
    let mut incident = kharkiv();
    incident.sources[0].quote = Some("He said: \"about 15, maybe more\",\nand left.".into());
    let text = write(std::slice::from_ref(&incident));
    assert!(
        text.contains(r#""quote"":""He said: \""about 15, maybe more\"",\nand left.""}]""#),
        "{text}"
    );
    let back = read("incidents.csv", &text).unwrap();
    assert_eq!(back, vec![incident]);
}

#[test]
fn csv_keeps_every_field_lists_spaces_and_formulas() {
    let mut incident = kharkiv();
    incident.id = "INC-000007".into();
    incident.notes = Some("=SUM(A1:A9), and spaces  ".into());
    incident.actor = Some("  +380 unit".into());
    incident.sub_event_type = Some("+380 unit".into());
    incident.end = Some("2024-03-23T04:00".into());
    incident.time_precision = lifeline_incidents::record::TimePrecision::Hour;
    incident.place.geo_precision = lifeline_incidents::record::GeoPrecision::Community;
    incident.place.katottg = Some("UA63120070250010415".into());
    incident.weapons.push(lifeline_incidents::record::Weapon {
        class: lifeline_incidents::record::WeaponClass::Drone,
        model: Some("Shahed-136; \"Geran\"".into()),
        launched: Some(100_000),
        intercepted: Some(90_000),
        hit: Some(7),
    });
    incident.targets[0].asset = Some("bus:12".into());
    incident.targets[0].description = Some("-the north substation".into());
    incident.sources.push(lifeline_incidents::record::Source {
        publisher: "@oblast_admin".into(),
        url: Some("https://example.org/a,b".into()),
        published: Some("2024-03-22T09:15".into()),
        quote: Some("'=not a formula".into()),
    });
    let text = write(std::slice::from_ref(&incident));
    // Spreadsheets see text, not formulas.
    for line in text.lines() {
        for cell in line.split(',') {
            assert!(!cell.trim_start_matches('"').starts_with('='), "{cell}");
        }
    }
    assert!(text.contains("'=SUM(A1:A9)"), "{text}");
    assert_eq!(
        read("incidents.csv", &text).unwrap(),
        vec![incident.clone()]
    );
    // As a spreadsheet saves it: a byte-order mark and CRLF line ends.
    let saved = format!("\u{feff}{}", text.replace('\n', "\r\n"));
    let back = read("incidents.csv", &saved).unwrap();
    assert_eq!(back.len(), 1);
    assert_eq!(back[0].weapons, incident.weapons);
    assert_eq!(back[0].sources, incident.sources);
}

#[test]
fn files_of_earlier_versions_still_import() {
    let text = "id,external_id,status,start,settlement,weapon,launched,intercepted,targets,effects,publisher,url,quote\n\
                INC-000001,k,draft,2024-03-22,Kharkiv,missile,10,4,power;water,blackout,news report,https://example.org,said so\n";
    let back = read("old.csv", text).unwrap();
    assert_eq!(back[0].weapons[0].launched, Some(10));
    assert_eq!(back[0].targets.len(), 2);
    assert_eq!(back[0].sources[0].publisher, "news report");
    let both = read("mixed.csv", "start,weapon,weapons\n2024-03-22,missile,[]\n")
        .unwrap_err()
        .to_string();
    assert!(both.contains("not both"), "{both}");
    let bad_list = read(
        "lists.csv",
        "start,weapons\n2024-03-22,\"[{\"\"class\"\": \"\"missile\"\", \"\"lauched\"\": 3}]\"\n",
    )
    .unwrap_err()
    .to_string();
    assert!(
        bad_list.starts_with("lists.csv:2:12: weapons[0].lauched: unknown field `lauched`"),
        "{bad_list}"
    );
}

#[test]
fn malformed_csv_is_located() {
    let header = "external_id,start,killed,weapon,targets\n";
    let error = |body: &str| {
        read("in.csv", &format!("{header}{body}"))
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        error("a,2024-03-22,many,missile,power\n"),
        "in.csv:2:14: killed: expected a whole number (0 to 4294967295), got 'many'"
    );
    assert!(
        error("a,2024-03-22,1,catapult,power\n")
            .starts_with("in.csv:2:16: weapon: unknown variant `catapult`"),
        "{}",
        error("a,2024-03-22,1,catapult,power\n")
    );
    assert!(
        error("a,2024-03-22,1,missile,power;moon\n")
            .starts_with("in.csv:2:24: targets: unknown variant `moon`")
    );
    assert_eq!(
        error("a,2024-03-22,1\n"),
        "in.csv:2:1: row has 3 fields, expected 5"
    );
    assert_eq!(
        error("a,\"2024-03-22,1,missile,power\n"),
        "in.csv:2:3: a quoted field is never closed"
    );
    assert_eq!(
        error("a,not-a-date,1,missile,power\n"),
        "in.csv:2: start: expected YYYY-MM-DD or YYYY-MM-DDTHH:MM, got 'not-a-date'"
    );
    let katottg = read("in.csv", "start,katottg\n2024-03-22,UA63-1200\n")
        .unwrap_err()
        .to_string();
    assert!(
        katottg.starts_with("in.csv:2")
            && katottg.contains("place.katottg: expected a KATOTTG code (UA and 17 digits)"),
        "{katottg}"
    );
    let unknown = read("in.csv", "start,colour\n2024-03-22,red\n")
        .unwrap_err()
        .to_string();
    assert!(
        unknown.starts_with("in.csv:1:7: header: unknown column 'colour'"),
        "{unknown}"
    );
    assert!(
        read("in.csv", "")
            .unwrap_err()
            .to_string()
            .contains("the file is empty")
    );
}
