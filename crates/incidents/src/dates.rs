//! Dates in text, absolute or relative to the report's date: "22 March 2024", "March 22",
//! "2024-03-22", "Friday morning" (the last Friday on or before the report), "yesterday",
//! "the same day" (the date last mentioned), "earlier this week" (that week, to the
//! week), "last week".

use crate::record::TimePrecision;
use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// A date found in text.
#[derive(Debug, Clone, PartialEq)]
pub struct When {
    /// The day (for week precision, the report's day in that week or the Monday of an
    /// earlier week).
    pub date: NaiveDate,
    /// How precise.
    pub precision: TimePrecision,
    /// The words it came from.
    pub phrase: String,
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];
const WEEKDAYS: [(&str, Weekday); 7] = [
    ("monday", Weekday::Mon),
    ("tuesday", Weekday::Tue),
    ("wednesday", Weekday::Wed),
    ("thursday", Weekday::Thu),
    ("friday", Weekday::Fri),
    ("saturday", Weekday::Sat),
    ("sunday", Weekday::Sun),
];

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The date `sentence` speaks of, given the report's date and the date the text spoke of
/// last (for "the same day"); `None` when it names none.
pub fn resolve(sentence: &str, report: NaiveDate, last: Option<&When>) -> Option<When> {
    let lower = sentence.to_lowercase();
    let w = words(sentence);
    let day = |date: NaiveDate, phrase: &str| When {
        date,
        precision: TimePrecision::Day,
        phrase: phrase.to_string(),
    };
    // ISO dates.
    for token in &w {
        if let Ok(date) = NaiveDate::parse_from_str(token, "%Y-%m-%d") {
            return Some(day(date, token));
        }
    }
    // "22 March 2024", "March 22, 2024", "22 March", "March 22".
    for (i, token) in w.iter().enumerate() {
        let Some(month) = MONTHS.iter().position(|m| m == token) else {
            continue;
        };
        let number = |k: Option<&String>| k.and_then(|t| t.parse::<u32>().ok());
        let (d, year) = match (
            number(i.checked_sub(1).and_then(|j| w.get(j))),
            number(w.get(i + 1)),
        ) {
            (Some(d), y) if d <= 31 => (Some(d), y.filter(|y| *y > 1900)),
            (_, Some(d)) if d <= 31 => (Some(d), number(w.get(i + 2)).filter(|y| *y > 1900)),
            _ => (None, None),
        };
        if let Some(d) = d {
            let year = year.map_or(report.year(), |y| y as i32);
            if let Some(date) = NaiveDate::from_ymd_opt(year, month as u32 + 1, d) {
                return Some(day(date, &format!("{d} {}", MONTHS[month])));
            }
        }
    }
    if lower.contains("the same day") || lower.contains("that day") {
        return last.map(|l| When {
            phrase: "the same day".into(),
            ..l.clone()
        });
    }
    if lower.contains("yesterday") {
        return Some(day(report - Duration::days(1), "yesterday"));
    }
    for (name, weekday) in WEEKDAYS {
        if w.iter().any(|t| t == name) {
            let back = (7 + report.weekday().num_days_from_monday() as i64
                - weekday.num_days_from_monday() as i64)
                % 7;
            return Some(day(report - Duration::days(back), name));
        }
    }
    let monday = report - Duration::days(report.weekday().num_days_from_monday() as i64);
    for phrase in ["last week", "previous week"] {
        if lower.contains(phrase) {
            return Some(When {
                date: monday - Duration::days(7),
                precision: TimePrecision::Week,
                phrase: phrase.into(),
            });
        }
    }
    for phrase in [
        "earlier this week",
        "earlier that week",
        "this week",
        "that week",
        "deadly week",
        "past week",
    ] {
        if lower.contains(phrase) {
            return Some(When {
                date: monday,
                precision: TimePrecision::Week,
                phrase: phrase.into(),
            });
        }
    }
    if lower.contains("today") || lower.contains("this morning") || lower.contains("tonight") {
        return Some(day(report, "today"));
    }
    None
}
