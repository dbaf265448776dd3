//! Records: their checks name the field and say what was expected.

use super::kharkiv;
use lifeline_incidents::record::{Incident, Source, Status, Weapon, WeaponClass, parse_time};

fn error(incident: &Incident) -> String {
    incident.check().unwrap_err().to_string()
}

#[test]
fn the_seed_record_is_valid_and_round_trips_through_json() {
    let incident = kharkiv();
    incident.check().unwrap();
    let text = serde_json::to_string(&incident).unwrap();
    let back: Incident = serde_json::from_str(&text).unwrap();
    assert_eq!(back, incident);
    assert!(text.contains("\"status\":\"draft\""));
    assert!(text.contains("\"effects\":[\"blackout\",\"water_outage\"]"));
}

#[test]
fn broken_records_name_their_field() {
    let mut bad = kharkiv();
    bad.start = "22.03.2024".into();
    assert_eq!(
        error(&bad),
        "start: expected YYYY-MM-DD or YYYY-MM-DDTHH:MM, got '22.03.2024'"
    );
    let mut bad = kharkiv();
    bad.end = Some("2024-03-21".into());
    assert_eq!(
        error(&bad),
        "end: 2024-03-21 is before the start 2024-03-22"
    );
    let mut bad = kharkiv();
    bad.weapons = vec![Weapon {
        class: WeaponClass::Missile,
        model: Some("Kh-101".into()),
        launched: Some(31),
        intercepted: Some(32),
        hit: None,
    }];
    assert_eq!(
        error(&bad),
        "weapons[0].intercepted: 32 intercepted of 31 launched"
    );
    let mut bad = kharkiv();
    bad.place.lat = Some(123.0);
    assert_eq!(
        error(&bad),
        "place.lat: expected −90 to 90 degrees, got 123"
    );
    let mut bad = kharkiv();
    bad.place.katottg = Some("UA6312007025001041".into());
    assert_eq!(
        error(&bad),
        "place.katottg: expected a KATOTTG code (UA and 17 digits), got 'UA6312007025001041'"
    );
    let mut bad = kharkiv();
    bad.place.lon = None;
    assert_eq!(error(&bad), "place: give both lat and lon, or neither");
    let mut bad = kharkiv();
    bad.sources[0].url = Some("ftp://example.org".into());
    assert_eq!(
        error(&bad),
        "sources[0].url: expected an http(s) address, got 'ftp://example.org'"
    );
    let mut bad = kharkiv();
    bad.sources = Vec::new();
    bad.status = Status::Confirmed;
    assert_eq!(
        error(&bad),
        "sources: a confirmed incident needs at least one source"
    );
    let mut bad = kharkiv();
    bad.sources = vec![Source {
        publisher: " ".into(),
        url: None,
        published: None,
        quote: None,
    }];
    assert_eq!(error(&bad), "sources[0].publisher: expected a name");
}

#[test]
fn times_are_days_or_minutes() {
    assert!(parse_time("2024-03-22").is_some());
    assert!(parse_time("2024-03-22T06:15").is_some());
    assert!(parse_time("2024-02-30").is_none());
    assert!(parse_time("yesterday").is_none());
}

#[test]
fn changes_list_the_fields_that_differ() {
    let before = kharkiv();
    let mut after = before.clone();
    after.injured = Some(2);
    assert_eq!(after.changes_from(&before), ["injured: 0 → 2"]);
}
