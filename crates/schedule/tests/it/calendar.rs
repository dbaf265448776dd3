//! iCalendar files read back with an independent parser (the `icalendar` crate), with
//! correct wall-clock times across daylight-saving changes.

use chrono::{NaiveDateTime, TimeZone};
use chrono_tz::Tz;
use icalendar::parser::{Component, read_calendar, unfold};
use lifeline_schedule::calendar::{Clock, DEFAULT_ZONE, group_calendar, outages};

/// (DTSTART, DTEND) of every event as UTC, resolving TZID local times with chrono-tz.
fn events(text: &str) -> Vec<(chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>)> {
    let unfolded = unfold(text);
    let calendar = read_calendar(&unfolded).unwrap();
    // The parser unwraps VCALENDAR: its properties and components are the calendar's.
    assert!(
        calendar
            .properties
            .iter()
            .any(|p| p.name.as_str() == "VERSION" && p.val.as_str() == "2.0")
    );
    let time = |event: &Component, name: &str| {
        let p = event
            .properties
            .iter()
            .find(|p| p.name.as_str() == name)
            .unwrap();
        let value = p.val.as_str();
        match p.params.iter().find(|q| q.key.as_str() == "TZID") {
            Some(tzid) => {
                let zone: Tz = tzid.val.as_ref().unwrap().as_str().parse().unwrap();
                let naive = NaiveDateTime::parse_from_str(value, "%Y%m%dT%H%M%S").unwrap();
                zone.from_local_datetime(&naive)
                    .single()
                    .unwrap()
                    .with_timezone(&chrono::Utc)
            }
            None => chrono::NaiveDateTime::parse_from_str(value, "%Y%m%dT%H%M%SZ")
                .unwrap()
                .and_utc(),
        }
    };
    assert!(
        calendar
            .components
            .iter()
            .any(|c| c.name.as_str() == "VTIMEZONE")
    );
    calendar
        .components
        .iter()
        .filter(|c| c.name.as_str() == "VEVENT")
        .map(|e| (time(e, "DTSTART"), time(e, "DTEND")))
        .collect()
}

#[test]
fn an_outage_across_the_spring_change_keeps_its_length_and_local_times() {
    // Kyiv: 31 March 2024, 03:00 EET becomes 04:00 EEST.
    let clock = Clock::new("2024-03-31T00:00", DEFAULT_ZONE, 60).unwrap();
    let mut off = vec![false; 8];
    off[2] = true; // 02:00 EET
    off[3] = true; // 04:00 EEST (03:00 does not exist)
    off[6] = true; // 07:00 EEST
    let text = group_calendar(&clock, "Demo city", "3.2", &off);
    assert!(
        text.contains("DTSTART;TZID=Europe/Kyiv:20240331T020000\r\n"),
        "{text}"
    );
    assert!(
        text.contains("DTEND;TZID=Europe/Kyiv:20240331T050000\r\n"),
        "{text}"
    );
    assert!(
        text.contains("TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0300"),
        "{text}"
    );
    let events = events(&text);
    assert_eq!(events.len(), 2);
    assert_eq!(events[0].1 - events[0].0, chrono::Duration::hours(2));
    assert_eq!(events[0].0, clock.slot_start(2));
    assert_eq!(events[1].0, clock.slot_start(6));
    assert_eq!(events[1].1 - events[1].0, chrono::Duration::hours(1));
    assert_eq!(clock.local(3), "2024-03-31T04:00:00+03:00");
}

#[test]
fn the_repeated_autumn_hour_is_written_in_utc() {
    // Kyiv: 27 October 2024, 04:00 EEST becomes 03:00 EET; 03:00–04:00 happens twice.
    let clock = Clock::new("2024-10-27T00:00", DEFAULT_ZONE, 30).unwrap();
    let off: Vec<bool> = (0..16).map(|s| (6..10).contains(&s)).collect();
    let text = group_calendar(&clock, "Demo city", "1.1", &off);
    let events = events(&text);
    assert_eq!(events, [(clock.slot_start(6), clock.slot_start(10))]);
    // Slot 6 starts at 03:00 EEST, the first 03:00: ambiguous, so UTC.
    assert!(text.contains("DTSTART:20241027T000000Z\r\n"), "{text}");
    assert_eq!(events[0].1 - events[0].0, chrono::Duration::hours(2));
}

#[test]
fn outages_are_runs_of_off_slots() {
    let runs = outages(&[true, true, false, true, false, false, true]);
    let pairs: Vec<(usize, usize)> = runs.iter().map(|o| (o.from, o.to)).collect();
    assert_eq!(pairs, [(0, 2), (3, 4), (6, 7)]);
}

#[test]
fn bad_clocks_say_why() {
    let e = Clock::new("2024-03-31T03:30", DEFAULT_ZONE, 60).unwrap_err();
    assert!(
        e.to_string().contains("does not exist in Europe/Kyiv"),
        "{e}"
    );
    let e = Clock::new("2024-03-31 03:30", DEFAULT_ZONE, 60).unwrap_err();
    assert!(
        e.to_string()
            .contains("expected local time as YYYY-MM-DDTHH:MM"),
        "{e}"
    );
    let e = Clock::new("2024-03-31T00:00", "Europe/Kiev2", 60).unwrap_err();
    assert!(
        e.to_string().contains("unknown time zone 'Europe/Kiev2'"),
        "{e}"
    );
}
