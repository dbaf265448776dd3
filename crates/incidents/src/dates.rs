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

/// A calendar date `sentence` names ("2024-03-22", "22 March 2024", "March 22"), the
/// year taken from `year` when the text gives none (and no date without one).
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
    // "22 March 2024", "March 22, 2024", "22 March", "March 22".
    for (i, token) in w.iter().enumerate() {
        let Some(month) = MONTHS
            .iter()
            .position(|m| m == token)
            .or_else(|| SHORT_MONTHS.iter().position(|m| m == token))
        else {
            continue;
        };
        // "21-22 May" (the night of): the later day.
        let number = |k: Option<&String>| {
            k.and_then(|t| t.rsplit('-').next().and_then(|d| d.parse::<u32>().ok()))
        };
        let (d, given) = match (
            number(i.checked_sub(1).and_then(|j| w.get(j))),
            number(w.get(i + 1)),
        ) {
            (Some(d), y) if d <= 31 => (Some(d), y.filter(|y| *y > 1900)),
            (_, Some(d)) if d <= 31 => (Some(d), number(w.get(i + 2)).filter(|y| *y > 1900)),
            _ => (None, None),
        };
        // "restored by the morning of 16 March", "until 20 March": a deadline, not the
        // day of the strike.
        let first = if number(i.checked_sub(1).and_then(|j| w.get(j))).is_some() {
            i - 1
        } else {
            i
        };
        // ("from 20:00 on 17 November until 04:00 on 18 November": a night, the later
        // day.)
        let span = w[..first].iter().any(|t| t == "from");
        let deadline = w[first.saturating_sub(4)..first].iter().any(|t| {
            matches!(t.as_str(), "by" | "before")
                || (!span && matches!(t.as_str(), "until" | "till"))
        });
        let later = &w[i + 1..];
        let span_start = span
            && later
                .iter()
                .any(|t| matches!(t.as_str(), "until" | "till" | "to"))
            && later
                .iter()
                .any(|t| MONTHS.contains(&t.as_str()) || SHORT_MONTHS.contains(&t.as_str()));
        // "started on the evening of March 6 and continued into the early hours of March
        // 7", "between the evening of 25 September and the morning of 26 September": the
        // night's later day.
        let evening = w[first.saturating_sub(4)..first]
            .iter()
            .any(|t| matches!(t.as_str(), "evening" | "night"));
        let night_into = evening
            && later.iter().any(|t| {
                matches!(
                    t.as_str(),
                    "into" | "until" | "till" | "to" | "morning" | "hours"
                )
            })
            && later
                .iter()
                .any(|t| MONTHS.contains(&t.as_str()) || SHORT_MONTHS.contains(&t.as_str()));
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
    if let Some(found) = calendar(sentence, Some(report.year())) {
        return Some(found);
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
        // "officials said on Thursday": when it was said, not when it happened.
        let told = |k: usize| {
            let said = |t: &String| {
                matches!(
                    t.as_str(),
                    "said" | "says" | "reported" | "announced" | "told" | "wrote" | "added"
                )
            };
            let overnight = lower.contains("overnight") || lower.contains("last night");
            !overnight
                && ((k >= 1 && said(&w[k - 1])) || (k >= 2 && w[k - 1] == "on" && said(&w[k - 2])))
        };
        if w.iter().enumerate().any(|(k, t)| t == name && !told(k)) {
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
    // An overnight attack is the morning's: the report's day.
    if ["overnight", "last night", "during the night", "at night"]
        .iter()
        .any(|p| lower.contains(p))
    {
        return Some(day(report, "overnight"));
    }
    if lower.contains("today") || lower.contains("this morning") || lower.contains("tonight") {
        return Some(day(report, "today"));
    }
    None
}
