//! Days in text: calendar dates in every form news writes them, weekdays, nights that
//! span two days, days counted back.

use chrono::NaiveDate;
use lifeline_incidents::dates::{calendar, resolve};

/// Friday 22 March 2024, the report's day.
fn report() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 3, 22).unwrap()
}

fn day(sentence: &str) -> Option<String> {
    resolve(sentence, report(), None).map(|w| w.date.to_string())
}

#[test]
fn calendar_dates_in_every_form() {
    for (sentence, want) in [
        ("Missiles hit the city on March 21st.", "2024-03-21"),
        ("The strike came on the 21st of March.", "2024-03-21"),
        ("Drones attacked on 21.03.2024 at 04:30.", "2024-03-21"),
        ("Posted 21/03/2024: the substation is down.", "2024-03-21"),
        ("On Mar 21 the grid was hit.", "2024-03-21"),
        ("KYIV, Jan 2 (Reuters) - Drones attacked.", "2024-01-02"),
        (
            "From late on 20 March into the small hours of 21 March drones attacked.",
            "2024-03-21",
        ),
    ] {
        assert_eq!(day(sentence).as_deref(), Some(want), "{sentence}");
    }
    // A deadline, a decimal, a version: no day.
    for sentence in [
        "Power will be back by 25.03.2024.",
        "The plant gave 21.5 MW.",
        "Firmware 1.2.2024x was installed.",
        "An impossible 31.02.2024 date.",
    ] {
        assert_eq!(day(sentence), None, "{sentence}");
    }
    // Without the report's year, a date without one is none.
    assert_eq!(calendar("on March 21", None), None);
    assert_eq!(
        calendar("on 21.03.2024", None).map(|w| w.date.to_string()),
        Some("2024-03-21".into())
    );
}

#[test]
fn weekdays_nights_and_days_counted_back() {
    for (sentence, want) in [
        (
            "Overnight on Thursday into Friday drones attacked.",
            "2024-03-22",
        ),
        (
            "On the night of Wednesday to Thursday missiles hit.",
            "2024-03-21",
        ),
        (
            "The city was hit on Tuesday and again on Wednesday.",
            "2024-03-19",
        ),
        (
            "Officials said on Thursday that Wednesday's strike cut power.",
            "2024-03-20",
        ),
        ("The substation was hit two days ago.", "2024-03-20"),
        (
            "A pumping station was shelled the day before.",
            "2024-03-21",
        ),
        ("Shelling resumed this afternoon.", "2024-03-22"),
        ("Drones attacked on Saturday.", "2024-03-16"),
    ] {
        assert_eq!(day(sentence).as_deref(), Some(want), "{sentence}");
    }
    // "The day before" the day last spoken of.
    let last = resolve("On Wednesday drones attacked.", report(), None);
    assert_eq!(
        resolve(
            "The day before, a substation was hit.",
            report(),
            last.as_ref()
        )
        .map(|w| w.date.to_string()),
        Some("2024-03-19".into())
    );
}

#[test]
fn months_without_a_day_and_deadlines() {
    use lifeline_incidents::record::TimePrecision;
    // A month before the report's, named without its day: that month (of this year, or
    // of last year when it comes later in the calendar), at month precision.
    for (sentence, want) in [
        ("A missile hit the plant in September.", "2023-09-01"),
        ("In early February drones hit the substation.", "2024-02-01"),
        ("The pipeline was blown up in April 2022.", "2022-04-01"),
    ] {
        let when = resolve(sentence, report(), None).unwrap();
        assert_eq!(when.date.to_string(), want, "{sentence}");
        assert_eq!(when.precision, TimePrecision::Month, "{sentence}");
    }
    // The report's own month says nothing new; "by Wednesday" is a deadline.
    assert_eq!(day("In March the grid was hit again."), None);
    assert_eq!(day("Power was restored by Wednesday morning."), None);
}
