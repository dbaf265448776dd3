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

/// Months as news abbreviate them ("Nov. 23"); only ever read next to a day.
const SHORT_MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sept", "oct", "nov", "dec",
];

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

/// A number of days or a year as text writes it: "22", "22nd", "21-22" (the night
/// of: the later day).
fn number(token: Option<&String>) -> Option<u32> {
    let last = token?.rsplit('-').next()?;
    let digits = ["st", "nd", "rd", "th"]
        .iter()
        .find_map(|s| last.strip_suffix(s))
        .unwrap_or(last);
    digits.parse().ok()
}

/// Dates written in figures, day first as Ukraine writes them ("22.03.2024",
/// "22/03/2024"), each with the byte where it starts.
fn figures(sentence: &str) -> Vec<(NaiveDate, usize)> {
    let bytes = sentence.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() || (i > 0 && bytes[i - 1].is_ascii_alphanumeric()) {
            i += 1;
            continue;
        }
        let start = i;
        let mut parts: Vec<&str> = Vec::new();
        let mut separator = None;
        let mut j = i;
        loop {
            let from = j;
            while j < bytes.len() && bytes[j].is_ascii_digit() {
                j += 1;
            }
            parts.push(&sentence[from..j]);
            let next = bytes.get(j).copied();
            let more = parts.len() < 3
                && matches!(next, Some(b'.' | b'/'))
                && separator.is_none_or(|s| Some(s) == next)
                && bytes.get(j + 1).is_some_and(u8::is_ascii_digit);
            if !more {
                break;
            }
            separator = next;
            j += 1;
        }
        // Not part of a longer token ("1.2.2024x", "1.2.2024.5").
        let whole = !(bytes.get(j).is_some_and(u8::is_ascii_alphanumeric)
            || (matches!(bytes.get(j), Some(b'.' | b'/'))
                && bytes.get(j + 1).is_some_and(u8::is_ascii_digit)));
        if let [d, m, y] = parts[..]
            && whole
            && d.len() <= 2
            && m.len() <= 2
            && y.len() == 4
            && let (Ok(d), Ok(m), Ok(y)) = (d.parse(), m.parse(), y.parse())
            && let Some(date) = NaiveDate::from_ymd_opt(y, m, d)
        {
            found.push((date, start));
        }
        i = j.max(start + 1);
    }
    found
}

/// Whether the words before a date make it the time of a status ("the situation as of
/// Tuesday morning", "as of 27 August").
fn as_of(before: &[String]) -> bool {
    before[before.len().saturating_sub(4)..]
        .windows(2)
        .any(|p| p[0] == "as" && p[1] == "of")
}

/// Whether the words before a date make it a deadline ("restored by 16 March", "until
/// 20 March"), not the day of the strike.
fn deadline(before: &[String], span: bool) -> bool {
    before[before.len().saturating_sub(4)..].iter().any(|t| {
        matches!(t.as_str(), "by" | "before") || (!span && matches!(t.as_str(), "until" | "till"))
    })
}

/// A calendar date `sentence` names ("2024-03-22", "22 March 2024", "March 22", "the
/// 22nd of March", "22.03.2024"), the year taken from `year` when the text gives none
/// (and no date without one).
pub fn calendar(sentence: &str, year: Option<i32>) -> Option<When> {
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
    // "22.03.2024": the first that is no deadline.
    for (date, start) in figures(sentence) {
        if !deadline(&words(&sentence[..start]), false) {
            return Some(day(date, &date.format("%d.%m.%Y").to_string()));
        }
    }
    // "22 March 2024", "March 22, 2024", "22 March", "March 22", "22nd of March".
    for (i, token) in w.iter().enumerate() {
        let Some(month) = MONTHS
            .iter()
            .position(|m| m == token)
            .or_else(|| SHORT_MONTHS.iter().position(|m| m == token))
        else {
            continue;
        };
        // The day before the month ("22 March", "the 22nd of March"), if any.
        let before = match i.checked_sub(1).map(|j| w[j].as_str()) {
            Some("of") => i.checked_sub(2),
            Some(_) => i.checked_sub(1),
            None => None,
        }
        .filter(|&j| number(w.get(j)).is_some());
        let (d, given) = match (before.and_then(|j| number(w.get(j))), number(w.get(i + 1))) {
            (Some(d), y) if d <= 31 => (Some(d), y.filter(|y| *y > 1900)),
            (_, Some(d)) if d <= 31 => (Some(d), number(w.get(i + 2)).filter(|y| *y > 1900)),
            _ => (None, None),
        };
        let first = before.unwrap_or(i);
        // "The situation as of Tuesday morning, 27 August": when it was told, not when
        // it happened.
        if as_of(&w[..first]) {
            continue;
        }
        // ("from 20:00 on 17 November until 04:00 on 18 November", "between 10:00 on
        // 23 December and 09:00 on 24 December": a night, the later day.)
        let between = w[..first].iter().any(|t| t == "between");
        let span = between || w[..first].iter().any(|t| t == "from");
        let deadline = deadline(&w[..first], span);
        let later = &w[i + 1..];
        let span_start = span
            && later
                .iter()
                .any(|t| matches!(t.as_str(), "until" | "till" | "to") || (between && t == "and"))
            && later
                .iter()
                .any(|t| MONTHS.contains(&t.as_str()) || SHORT_MONTHS.contains(&t.as_str()));
        // "started on the evening of March 6 and continued into the early hours of March
        // 7", "between the evening of 25 September and the morning of 26 September": the
        // night's later day.
        let evening = w[first.saturating_sub(4)..first]
            .iter()
            .any(|t| matches!(t.as_str(), "evening" | "night" | "late"));
        // "From the evening of Wednesday, January 15, and through the night into
        // Thursday": the weekday after.
        let night_into = evening
            && later.iter().any(|t| {
                matches!(
                    t.as_str(),
                    "into" | "until" | "till" | "to" | "morning" | "hours"
                )
            })
            && later.iter().any(|t| {
                MONTHS.contains(&t.as_str())
                    || SHORT_MONTHS.contains(&t.as_str())
                    || WEEKDAYS.iter().any(|(n, _)| n == t)
            });
        if span_start || night_into {
            continue;
        }
        if let (Some(d), false) = (d, deadline) {
            let Some(year) = given.map(|y| y as i32).or(year) else {
                continue;
            };
            if let Some(date) = NaiveDate::from_ymd_opt(year, month as u32 + 1, d) {
                return Some(day(date, &format!("{d} {}", MONTHS[month])));
            }
        }
    }
    None
}

/// Words of a report that tells of the whole day reported: "Over the past day the
/// occupiers shelled 18 settlements" is that day.
pub(crate) const DAY_REPORTED: &[&str] = &[
    "over the past day",
    "over the past 24 hours",
    "over the last 24 hours",
    "in the past 24 hours",
    "in the past day",
];

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
    // A date after the report's is no day of the attack ("declared 28 August a day of
    // mourning"), unless it is last year's ("December 31" in a report of 2 January).
    if let Some(found) = calendar(sentence, Some(report.year())) {
        if found.date <= report {
            return Some(found);
        }
        if let Some(last_year) = found.date.with_year(found.date.year() - 1)
            && (report - last_year).num_days() <= 300
            && !sentence.contains(&found.date.year().to_string())
        {
            return Some(When {
                date: last_year,
                ..found
            });
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
    // "two days ago"; "the day before", "the previous day" (the day before the one last
    // spoken of).
    if let Some(k) = w.iter().position(|t| t == "ago")
        && k >= 2
        && matches!(w[k - 1].as_str(), "days" | "day")
        && let Some(n) = w[k - 2]
            .parse::<u32>()
            .ok()
            .or_else(|| crate::numbers::word_value(&w[k - 2]))
            .filter(|n| *n <= 14)
    {
        return Some(day(report - Duration::days(i64::from(n)), "days ago"));
    }
    if lower.contains("the day before") || lower.contains("the previous day") {
        let base = last.map_or(report, |l| l.date);
        return Some(day(base - Duration::days(1), "the day before"));
    }
    if let Some((name, date)) = weekday(&w, &lower, report) {
        return Some(day(date, name));
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
    // An overnight attack is the morning's: the report's day.
    if ["overnight", "last night", "during the night", "at night"]
        .iter()
        .any(|p| lower.contains(p))
    {
        return Some(day(report, "overnight"));
    }
    if [
        "today",
        "this morning",
        "this afternoon",
        "this evening",
        "tonight",
    ]
    .iter()
    .chain(DAY_REPORTED)
    .any(|p| lower.contains(p))
    {
        return Some(day(report, "today"));
    }
    earlier_month(&w, report)
}

/// A month named without its day, before the report's month: "a strike on the plant in
/// September" in a December report is September's (the last September before the
/// report), at month precision. The report's own month says nothing new.
fn earlier_month(w: &[String], report: NaiveDate) -> Option<When> {
    let (k, month) = w.iter().enumerate().find_map(|(k, t)| {
        let month = MONTHS.iter().position(|m| m == t)? as u32 + 1;
        let before = k.checked_sub(1).map(|j| w[j].as_str());
        let before = match before {
            Some("early" | "late" | "mid") => k.checked_sub(2).map(|j| w[j].as_str()),
            other => other,
        };
        matches!(before, Some("in" | "last" | "since" | "until")).then_some((k, month))
    })?;
    // "in September 2022": the year given, handled with the day by `calendar` when a
    // day is named; here the month of that year.
    let year = w
        .get(k + 1)
        .and_then(|t| t.parse::<i32>().ok())
        .filter(|y| (1990..=2100).contains(y))
        .unwrap_or(if month <= report.month() {
            report.year()
        } else {
            report.year() - 1
        });
    if year == report.year() && month == report.month() {
        return None;
    }
    Some(When {
        date: NaiveDate::from_ymd_opt(year, month, 1)?,
        precision: TimePrecision::Month,
        phrase: format!("in {}", MONTHS[month as usize - 1]),
    })
}

/// The weekday a sentence names (its words `w`, lowercase `lower`): the last such day
/// on or before the report's. Of several, the first named, but a night from one to the
/// next ("overnight on Thursday into Friday", "the night of Wednesday to Thursday") is
/// the later; a day something was said on ("officials said on Thursday") or was done by
/// ("restored by Wednesday") is not when it happened.
fn weekday(w: &[String], lower: &str, report: NaiveDate) -> Option<(&'static str, NaiveDate)> {
    let overnight = lower.contains("overnight") || lower.contains("night");
    let said = |t: &String| {
        matches!(
            t.as_str(),
            "said" | "says" | "reported" | "announced" | "told" | "wrote" | "added"
        )
    };
    let told = |k: usize| {
        !overnight
            && ((k >= 1 && said(&w[k - 1])) || (k >= 2 && w[k - 1] == "on" && said(&w[k - 2])))
    };
    let named: Vec<(usize, &'static str, Weekday)> = w
        .iter()
        .enumerate()
        .filter_map(|(k, t)| {
            let (name, day) = WEEKDAYS.iter().find(|(n, _)| n == t)?;
            Some((k, *name, *day))
        })
        // "restored by Wednesday morning": a deadline, not the day it happened.
        .filter(|(k, _, _)| {
            !(told(*k)
                || deadline(&w[k.saturating_sub(1)..*k], true)
                || as_of(&w[k.saturating_sub(2)..*k]))
        })
        .collect();
    let mut pick = *named.first()?;
    for next in named.iter().skip(1) {
        let between = &w[pick.0 + 1..next.0];
        let into_word = |t: &String| matches!(t.as_str(), "into" | "to" | "till" | "until");
        // "from Tuesday to Wednesday", "the evening of Wednesday, January 15, and
        // through the night into Thursday".
        let into = (between.len() <= 3 && between.iter().any(into_word))
            || (between.len() <= 8 && between.last().is_some_and(into_word));
        if overnight && into {
            pick = *next;
        }
    }
    let back = (7 + report.weekday().num_days_from_monday() as i64
        - pick.2.num_days_from_monday() as i64)
        % 7;
    Some((pick.1, report - Duration::days(back)))
}
