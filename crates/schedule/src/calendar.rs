//! Slot times on the wall clock, and iCalendar files (RFC 5545) of each group's outages.
//!
//! Slots run in absolute time from a start given as local time in a time zone (IANA name,
//! `Europe/Kyiv` by default); across a daylight-saving change the wall clock jumps while
//! slots stay one slot long. Events carry `TZID` local times with a `VTIMEZONE` that
//! lists the zone's offset changes over the horizon; a local time that occurs twice (the
//! autumn hour) is written in UTC so it cannot be misread.

use crate::error::{ScheduleError, invalid};
use chrono::{DateTime, Duration, LocalResult, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;
use std::fmt::Write;

/// The time zone utilities' published schedules use by default.
pub const DEFAULT_ZONE: &str = "Europe/Kyiv";

/// When the slots are.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Clock {
    /// The zone.
    pub zone: Tz,
    /// Start of the first slot.
    pub start: DateTime<Utc>,
    /// Slot length, minutes.
    pub slot_minutes: i64,
}

impl Clock {
    /// A clock from `start` (`YYYY-MM-DDTHH:MM`, local time in `zone`).
    pub fn new(start: &str, zone: &str, slot_minutes: i64) -> Result<Self, ScheduleError> {
        let zone: Tz = zone.parse().map_err(|_| {
            invalid(
                "tz",
                format!("unknown time zone '{zone}': expected an IANA name such as Europe/Kyiv"),
            )
        })?;
        let naive = NaiveDateTime::parse_from_str(start, "%Y-%m-%dT%H:%M").map_err(|_| {
            invalid(
                "start",
                format!("'{start}': expected local time as YYYY-MM-DDTHH:MM"),
            )
        })?;
        let local = match zone.from_local_datetime(&naive) {
            LocalResult::Single(t) => t,
            LocalResult::Ambiguous(first, _) => first,
            LocalResult::None => {
                return Err(invalid(
                    "start",
                    format!("'{start}' does not exist in {zone} (the clocks skip it)"),
                ));
            }
        };
        Ok(Self {
            zone,
            start: local.with_timezone(&Utc),
            slot_minutes,
        })
    }

    /// Start of slot `s` (UTC).
    pub fn slot_start(&self, s: usize) -> DateTime<Utc> {
        self.start + Duration::minutes(self.slot_minutes * s as i64)
    }

    /// Start of slot `s` in local time, ISO 8601 with its offset (`2024-03-31T04:00:00+03:00`).
    pub fn local(&self, s: usize) -> String {
        self.slot_start(s)
            .with_timezone(&self.zone)
            .format("%Y-%m-%dT%H:%M:%S%:z")
            .to_string()
    }
}

/// The next local midnight in `zone` (an IANA name), as `YYYY-MM-DDTHH:MM`: where a
/// schedule starts when no start is given.
pub fn next_midnight(zone: &str) -> Result<String, ScheduleError> {
    let tz: Tz = zone.parse().map_err(|_| {
        invalid(
            "tz",
            format!("unknown time zone '{zone}': expected an IANA name such as Europe/Kyiv"),
        )
    })?;
    let today = Utc::now().with_timezone(&tz).date_naive();
    let next = today.succ_opt().unwrap_or(today);
    Ok(format!("{}T00:00", next.format("%Y-%m-%d")))
}

/// One outage of a group: slots `from..to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outage {
    /// First slot off.
    pub from: usize,
    /// First slot on again.
    pub to: usize,
}

/// The outages in a row of off flags.
pub fn outages(off: &[bool]) -> Vec<Outage> {
    let mut list = Vec::new();
    let mut s = 0;
    while s < off.len() {
        if off[s] {
            let from = s;
            while s < off.len() && off[s] {
                s += 1;
            }
            list.push(Outage { from, to: s });
        } else {
            s += 1;
        }
    }
    list
}

fn stamp(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// A date-time property: `TZID` local time, or UTC when the local time is ambiguous.
fn when(clock: &Clock, name: &str, t: DateTime<Utc>) -> String {
    let local = t.with_timezone(&clock.zone).naive_local();
    match clock.zone.from_local_datetime(&local) {
        LocalResult::Single(_) => format!(
            "{name};TZID={}:{}",
            clock.zone.name(),
            local.format("%Y%m%dT%H%M%S")
        ),
        _ => format!("{name}:{}", stamp(t)),
    }
}

fn offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.abs();
    format!("{sign}{:02}{:02}", s / 3600, s % 3600 / 60)
}

/// The zone's offset changes from `from` to `to`, as a `VTIMEZONE`.
fn vtimezone(zone: Tz, from: DateTime<Utc>, to: DateTime<Utc>) -> String {
    let offset_at = |t: DateTime<Utc>| t.with_timezone(&zone).offset().fix().local_minus_utc();
    let mut text = format!("BEGIN:VTIMEZONE\r\nTZID:{}\r\n", zone.name());
    let first = from - Duration::days(1);
    let mut components = vec![(first, offset_at(first), offset_at(first))];
    let mut t = first;
    while t < to + Duration::days(1) {
        let next = t + Duration::minutes(15);
        let (a, b) = (offset_at(t), offset_at(next));
        if a != b {
            components.push((next, a, b));
        }
        t = next;
    }
    for (at, from_offset, to_offset) in components {
        let kind = if to_offset > from_offset || (to_offset == from_offset && zone_is_dst(zone, at))
        {
            "DAYLIGHT"
        } else {
            "STANDARD"
        };
        let local = (at + Duration::seconds(i64::from(from_offset))).naive_utc();
        let _ = write!(
            text,
            "BEGIN:{kind}\r\nDTSTART:{}\r\nTZOFFSETFROM:{}\r\nTZOFFSETTO:{}\r\nTZNAME:{}\r\nEND:{kind}\r\n",
            local.format("%Y%m%dT%H%M%S"),
            offset(from_offset),
            offset(to_offset),
            at.with_timezone(&zone).format("%Z"),
        );
    }
    text.push_str("END:VTIMEZONE\r\n");
    text
}

fn zone_is_dst(zone: Tz, at: DateTime<Utc>) -> bool {
    use chrono_tz::OffsetComponents;
    !at.with_timezone(&zone).offset().dst_offset().is_zero()
}

/// Escapes text for a property value.
fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
}

/// Folds a content line at 75 octets (RFC 5545 §3.1).
fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut length = 0;
    for c in line.chars() {
        if length + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            length = 1;
        }
        out.push(c);
        length += c.len_utf8();
    }
    out.push_str("\r\n");
    out
}

/// The iCalendar file of one group's outages.
pub fn group_calendar(clock: &Clock, city: &str, group: &str, off: &[bool]) -> String {
    let end = clock.slot_start(off.len());
    let mut text = String::from(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//lifeline//outage schedule//EN\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n",
    );
    text.push_str(&fold(&format!(
        "X-WR-CALNAME:{}",
        escape(&format!("{city}: outages of group {group}"))
    )));
    text.push_str(&fold(&format!("X-WR-TIMEZONE:{}", clock.zone.name())));
    text.push_str(&vtimezone(clock.zone, clock.start, end));
    for outage in outages(off) {
        let (from, to) = (clock.slot_start(outage.from), clock.slot_start(outage.to));
        text.push_str("BEGIN:VEVENT\r\n");
        text.push_str(&fold(&format!(
            "UID:{}-{}@lifeline",
            escape(group).replace(' ', "_"),
            stamp(from)
        )));
        text.push_str(&format!("DTSTAMP:{}\r\n", stamp(clock.start)));
        text.push_str(&fold(&when(clock, "DTSTART", from)));
        text.push_str(&fold(&when(clock, "DTEND", to)));
        text.push_str(&fold(&format!(
            "SUMMARY:{}",
            escape(&format!("No power: group {group}"))
        )));
        text.push_str("TRANSP:OPAQUE\r\nEND:VEVENT\r\n");
    }
    text.push_str("END:VCALENDAR\r\n");
    text
}
