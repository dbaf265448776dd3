//! Incidents as CSV: what export writes, import reads back; malformed files are located.

use super::kharkiv;
use lifeline_incidents::csv::{read, write};

#[test]
fn csv_round_trips_a_record_with_commas_quotes_and_line_breaks() {
    let mut incident = kharkiv();
    incident.sources[0].quote = Some("He said: \"about 15, maybe more\",\nand left.".into());
    let text = write(std::slice::from_ref(&incident));
    assert!(
        text.contains("\"He said: \"\"about 15, maybe more\"\",\nand left.\""),
        "{text}"
    );
    let back = read("incidents.csv", &text).unwrap();
    assert_eq!(back.len(), 1);
    let mut expected = incident.clone();
    // One weapon and one source per row; target assets and descriptions stay in JSON.
    for t in &mut expected.targets {
        t.asset = None;
        t.description = None;
    }
    assert_eq!(back[0], expected);
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
        "in.csv:2:14: killed: expected a whole number, got 'many'"
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
