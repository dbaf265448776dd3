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
    let names: Vec<&str> = found
        .iter()
        .map(|f| f.settlement().unwrap().name.as_str())
        .collect();
    assert_eq!(names, ["Kharkiv", "Kryvyi Rih", "Barvinkove", "Kyiv"]);
    assert_eq!(found[0].settlement().unwrap().admin1, "Kharkiv");
    assert_eq!(found[1].settlement().unwrap().admin1, "Dnipropetrovsk");
    assert_eq!(g.lookup("Kiev").unwrap().name, "Kyiv");
    assert_eq!(fold("Kryvyi Rih"), fold("Kryvyy Rih"));
    // Capitalised words that are not places are not places.
    assert!(g.find("The Ukrainian air defense forces").is_empty());
    assert!(g.find("Progress Is Never slow.").is_empty());
}

/// Names in Ukraine's official romanisation, with GeoNames' id and spellings kept: any
/// spelling (GeoNames', older, Ukrainian Cyrillic) finds the official name.
#[test]
fn places_are_named_in_the_official_romanisation_with_their_variants() {
    let g = Gazetteer::get();
    for (spelling, official, geonames_id) in [
        ("Kryvyy Rih", "Kryvyi Rih", 703845),
        ("Zaporizhzhya", "Zaporizhzhia", 687700),
        ("Zaporozhye", "Zaporizhzhia", 687700),
        ("Mykolayiv", "Mykolaiv", 700569),
        ("Pavlohrad", "Pavlohrad", 697889),
        ("Кривий Ріг", "Kryvyi Rih", 703845),
        ("Запоріжжя", "Zaporizhzhia", 687700),
        ("Kiev", "Kyiv", 703448),
        ("Dnipropetrovsk", "Dnipro", 709930),
        ("Kirovohrad", "Kropyvnytskyi", 705812),
    ] {
        let s = g
            .lookup(spelling)
            .unwrap_or_else(|| panic!("{spelling} not found"));
        assert_eq!(
            (s.name.as_str(), s.geonames_id),
            (official, Some(geonames_id))
        );
    }
    let kryvyi_rih = g.by_geonames_id(703845).unwrap();
    assert!(kryvyi_rih.variants.iter().any(|v| v == "Kryvyy Rih"));
    assert!(kryvyi_rih.variants.iter().any(|v| v == "Кривий Ріг"));
    // Every Ukrainian name the gazetteer holds is its official romanisation.
    let mut romanised = 0;
    for s in [
        "Kyiv",
        "Kharkiv",
        "Odesa",
        "Lviv",
        "Vinnytsia",
        "Khmelnytskyi",
    ] {
        let s = g.lookup(s).unwrap();
        let cyrillic = s
            .variants
            .iter()
            .find(|v| lifeline_incidents::romanise::is_ukrainian(v))
            .unwrap();
        assert_eq!(lifeline_incidents::romanise::ukrainian(cyrillic), s.name);
        romanised += 1;
    }
    assert_eq!(romanised, 6);
    // A city district GeoNames lists as a place stands for its city.
    assert_eq!(g.lookup("Darnytsia").unwrap().name, "Kyiv");
    assert_eq!(g.lookup("Saltivka").unwrap().name, "Kharkiv");
}

/// Regions: "the X region", "X Oblast", "Xska oblast", lists before a plural, a raion
/// ("the Chuhuiv district") as its oblast, Russian regions as regions of Russia; names that
/// are not places here (a person's, a speaker, a river, a plant) are left out.
#[test]
fn regions_lists_and_names_that_are_not_places() {
    use lifeline_incidents::gazetteer::Named;
    let g = Gazetteer::get();
    let region = |admin1: &str| Named::Region {
        admin1: admin1.into(),
        country: "UA".into(),
    };
    let named = |text: &str| -> Vec<Named> { g.find(text).into_iter().map(|f| f.named).collect() };
    assert_eq!(named("in the Lviv region"), [region("Lviv")]);
    assert_eq!(named("Kharkiv Oblast lost power"), [region("Kharkiv")]);
    assert_eq!(named("in Kharkivska oblast"), [region("Kharkiv")]);
    assert_eq!(
        named("in the Dnipropetrovsk region"),
        [region("Dnipropetrovsk")]
    );
    assert_eq!(named("the Volyn region"), [region("Volyn")]);
    assert_eq!(
        named("in the Kyiv, Lviv and Vinnytsia oblasts"),
        [region("Kyiv"), region("Lviv"), region("Vinnytsia")]
    );
    assert_eq!(named("in the Chuhuiv district"), [region("Kharkiv")]);
    assert!(matches!(
        &named("in Russia's Belgorod region")[..],
        [Named::Region { country, .. }] if country == "RU"
    ));
    assert!(named("Serhii Popko, head of the city's administration").is_empty());
    assert!(named("Moscow has acknowledged it").is_empty());
    assert!(named("the Dnipro river").is_empty());
    // The Dnipro hydroelectric plant stands in Zaporizhzhia.
    assert!(
        matches!(&named("the Dnipro hydroelectric power plant")[..], [Named::Settlement(s)] if s.name == "Zaporizhzhia")
    );
    let kyiv = named("Kyiv's Darnytsia district and Kyiv said");
    assert!(matches!(&kyiv[0], Named::Settlement(s) if s.name == "Kyiv"));
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
