//! Places, numbers and dates in report text.

use chrono::NaiveDate;
use lifeline_incidents::dates::{When, resolve};
use lifeline_incidents::gazetteer::{Gazetteer, fold};
use lifeline_incidents::numbers::{Qualifier, find, word_value};
use lifeline_incidents::record::TimePrecision;

#[test]
fn places_are_found_across_transliterations() {
    let g = Gazetteer::get();
    let found = g.find(
        "Kharkiv, Ukraine's second-largest city, was hit; the same day, Kryvyi Rih also \
         reported explosions. A strike in Barvinkove injured a man. All 31 missiles aimed at Kyiv.",
    );
    let names: Vec<&str> = found.iter().map(|f| f.settlement.name.as_str()).collect();
    assert_eq!(names, ["Kharkiv", "Kryvyy Rih", "Barvinkove", "Kyiv"]);
    assert_eq!(found[0].settlement.admin1, "Kharkiv");
    assert_eq!(found[1].settlement.admin1, "Dnipropetrovsk");
    assert_eq!(g.lookup("Kiev").unwrap().name, "Kyiv");
    assert_eq!(g.lookup("Zaporizhzhia").unwrap().name, "Zaporizhzhya");
    assert_eq!(fold("Kryvyi Rih"), fold("Kryvyy Rih"));
    // Capitalised words that are not places are not places.
    assert!(
        g.find("The Ukrainian air defense forces")
            .iter()
            .all(|f| f.settlement.country == "UA" && f.settlement.name != "The")
    );
}

#[test]
fn numbers_keep_their_qualifiers() {
    let found = find(
        "approximately 15 explosions, at least five fatalities and injuring 10; all 31 missiles",
    );
    let pairs: Vec<(u32, Qualifier)> = found.iter().map(|n| (n.value, n.qualifier)).collect();
    assert_eq!(
        pairs,
        [
            (15, Qualifier::About),
            (5, Qualifier::AtLeast),
            (10, Qualifier::Exact),
            (31, Qualifier::All)
        ]
    );
    assert_eq!(word_value("forty-two"), Some(42));
    assert_eq!(word_value("dozen"), Some(12));
    assert_eq!(find("a 42-year-old man")[0].value, 42);
    assert!(find("Su-34 jets").is_empty());
    assert_eq!(find("1,200 homes")[0].value, 1200);
}

#[test]
fn relative_dates_resolve_against_the_report() {
    // 22 March 2024 was a Friday.
    let report = NaiveDate::from_ymd_opt(2024, 3, 22).unwrap();
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let friday = resolve(
        "On a tense Friday morning, Kharkiv was jarred",
        report,
        None,
    )
    .unwrap();
    assert_eq!(
        (friday.date, friday.precision),
        (day(2024, 3, 22), TimePrecision::Day)
    );
    let same = resolve(
        "The same day, Kryvyi Rih reported explosions",
        report,
        Some(&friday),
    )
    .unwrap();
    assert_eq!(same.date, day(2024, 3, 22));
    let week: When = resolve(
        "These attacks come on the heels of a deadly week",
        report,
        None,
    )
    .unwrap();
    assert_eq!(
        (week.date, week.precision),
        (day(2024, 3, 18), TimePrecision::Week)
    );
    assert_eq!(
        resolve("on Tuesday", report, None).unwrap().date,
        day(2024, 3, 19)
    );
    assert_eq!(
        resolve("yesterday", report, None).unwrap().date,
        day(2024, 3, 21)
    );
    assert_eq!(
        resolve("on 14 March", report, None).unwrap().date,
        day(2024, 3, 14)
    );
    assert_eq!(
        resolve("March 9, 2023", report, None).unwrap().date,
        day(2023, 3, 9)
    );
    assert!(resolve("in a recent attack", report, None).is_none());
}
