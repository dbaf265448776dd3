//! Drafting incidents from the seed report: the six incidents it describes, each field
//! with its sentence.

use chrono::NaiveDate;
use lifeline_incidents::evaluate::Reader;
use lifeline_incidents::extract::{Draft, extract, sentences};
use lifeline_incidents::record::{Effect, TargetCategory, TimePrecision, WeaponClass};
use std::path::Path;

fn seed() -> Vec<Draft> {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/2024-03-22-kharkiv.txt"),
    )
    .unwrap();
    extract(&text, None, None)
}

fn find<'a>(drafts: &'a [Draft], place: Option<&str>, start: &str) -> &'a Draft {
    drafts
        .iter()
        .find(|d| d.record.place.settlement.as_deref() == place && d.record.start == start)
        .unwrap_or_else(|| panic!("no draft for {place:?} on {start}"))
}

#[test]
fn the_seed_report_yields_its_six_incidents() {
    let drafts = seed();
    assert_eq!(drafts.len(), 6, "{drafts:#?}");

    let kharkiv = &find(&drafts, Some("Kharkiv"), "2024-03-22").record;
    assert_eq!(kharkiv.time_precision, TimePrecision::Day);
    assert_eq!(kharkiv.place.admin1.as_deref(), Some("Kharkiv"));
    assert_eq!(kharkiv.explosions, Some(15));
    assert_eq!((kharkiv.killed, kharkiv.injured), (Some(0), Some(0)));
    assert_eq!(kharkiv.weapons[0].class, WeaponClass::Missile);
    let targets: Vec<TargetCategory> = kharkiv.targets.iter().map(|t| t.category).collect();
    assert_eq!(targets, [TargetCategory::Power, TargetCategory::Water]);
    assert_eq!(kharkiv.effects, [Effect::Blackout, Effect::WaterOutage]);
    assert_eq!(kharkiv.sources[0].publisher, "news report (project seed)");
    kharkiv.check().unwrap();

    let kryvyi_rih = find(&drafts, Some("Kryvyi Rih"), "2024-03-22");
    assert_eq!(
        kryvyi_rih.record.place.admin1.as_deref(),
        Some("Dnipropetrovsk")
    );
    assert!(kryvyi_rih.evidence.iter().any(|e| e.field == "explosions"));

    let week = &find(&drafts, Some("Kharkiv"), "2024-03-18").record;
    assert_eq!(week.time_precision, TimePrecision::Week);
    assert_eq!((week.killed, week.injured), (Some(5), Some(10)));
    let targets: Vec<TargetCategory> = week.targets.iter().map(|t| t.category).collect();
    assert_eq!(
        targets,
        [TargetCategory::Residential, TargetCategory::Industrial]
    );

    let barvinkove = &find(&drafts, Some("Barvinkove"), "2024-03-18").record;
    assert_eq!(
        barvinkove.injured,
        Some(1),
        "a 42-year-old man is one person, not 42"
    );
    assert_eq!(
        barvinkove.targets[0].category,
        TargetCategory::Administrative
    );

    let kyiv = &find(&drafts, Some("Kyiv"), "2024-03-18").record;
    assert_eq!(kyiv.weapons[0].launched, Some(31));
    assert_eq!(kyiv.weapons[0].intercepted, Some(31));

    let russia = drafts
        .iter()
        .find(|d| d.record.place.country.as_deref() == Some("Russia"))
        .unwrap();
    assert_eq!(russia.record.weapons[0].class, WeaponClass::Drone);
    assert_eq!(russia.record.targets[0].category, TargetCategory::Oil);
}

#[test]
fn every_field_keeps_its_sentence() {
    let drafts = seed();
    let kharkiv = find(&drafts, Some("Kharkiv"), "2024-03-22");
    let explosions = kharkiv
        .evidence
        .iter()
        .find(|e| e.field == "explosions")
        .unwrap();
    assert_eq!(explosions.value, "about 15");
    assert!(
        explosions
            .sentence
            .starts_with("On a tense Friday morning, Kharkiv")
    );
    let injured = kharkiv
        .evidence
        .iter()
        .find(|e| e.field == "injured")
        .unwrap();
    assert_eq!(injured.value, "none reported");
    assert!(
        injured
            .sentence
            .contains("no immediate reports of casualties")
    );
    let week = find(&drafts, Some("Kharkiv"), "2024-03-18");
    let killed = week.evidence.iter().find(|e| e.field == "killed").unwrap();
    assert_eq!(killed.value, "at least 5");
}

#[test]
fn the_same_report_gives_the_same_drafts_and_a_given_date_moves_them() {
    assert_eq!(seed(), seed());
    let text = "Explosions in Kharkiv on Friday morning damaged a substation. The city was left without power.";
    let drafts = extract(text, NaiveDate::from_ymd_opt(2024, 3, 25), Some("Suspilne"));
    assert_eq!(drafts.len(), 1);
    assert_eq!(drafts[0].record.start, "2024-03-22");
    assert_eq!(drafts[0].record.effects, [Effect::Blackout]);
    assert_eq!(drafts[0].record.sources[0].publisher, "Suspilne");
}

#[test]
fn sentences_skip_headers_and_headings() {
    let text = "source: x\ndate: 2024-03-22\n\nA heading\n\nFirst one. Second one! Mr. Smith said 3.5 m.\n";
    assert_eq!(
        sentences(text),
        ["First one.", "Second one!", "Mr. Smith said 3.5 m."]
    );
}

/// Both sets are read and scored; the development set (the rules are tuned on it) holds
/// its figures, and the test set (never tuned on) is at least where
/// docs/BENCHMARKS.md records it: a change that loses ground on unseen reports fails.
#[test]
fn both_evaluation_sets_hold_their_figures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("eval");
    let sets = lifeline_incidents::evaluate::evaluate(&dir).unwrap();
    let names: Vec<&str> = sets.iter().map(|e| e.set.as_str()).collect();
    assert_eq!(names, ["dev", "test"]);
    let (dev, test) = (&sets[0], &sets[1]);
    assert!(dev.reports >= 654 && test.reports >= 32, "{dev:?} {test:?}");
    assert!(
        dev.reports + test.reports >= 36,
        "at least 30 beyond the first six"
    );
    for e in &sets {
        println!(
            "{}: places {:.3}/{:.3}, fields {:.3}/{:.3} (precision/recall)",
            e.set,
            e.places.precision(),
            e.places.recall(),
            e.all_fields.precision(),
            e.all_fields.recall()
        );
    }
    assert!(dev.places.recall() >= 0.90, "{:?}", dev.places);
    assert!(dev.all_fields.recall() >= 0.81, "{:?}", dev.all_fields);
    assert!(dev.all_fields.precision() >= 0.78, "{:?}", dev.all_fields);
    let (places, fields) = TEST_SET_FLOOR;
    assert!(test.places.recall() >= places, "{:?}", test.places);
    assert!(test.all_fields.recall() >= fields, "{:?}", test.all_fields);
}

/// The test set's recall of places and of fields as docs/BENCHMARKS.md records them.
const TEST_SET_FLOOR: (f64, f64) = (0.86, 0.72);

/// A second reader, labelling the same reports blind to the first labels, agrees with
/// them far above the extractor: the labels are consistent, and the gap is the
/// extractor's to close.
#[test]
fn a_second_reader_agrees_with_the_labels() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("eval");
    let sets =
        lifeline_incidents::evaluate::evaluate_second_reader(&dir, &dir.join("second-reader"))
            .unwrap();
    let shown: Vec<(&str, Reader)> = sets.iter().map(|e| (e.set.as_str(), e.reader)).collect();
    assert_eq!(
        shown,
        [
            ("dev", Reader::SecondReader),
            ("dev", Reader::Extractor),
            ("test", Reader::SecondReader),
            ("test", Reader::Extractor)
        ]
    );
    let test = &sets[2];
    assert_eq!(test.reports, 32, "{test:?}");
    for second in [&sets[0], &sets[2]] {
        assert!(second.places.recall() >= 0.93, "{second:?}");
        assert!(second.all_fields.recall() >= 0.94, "{second:?}");
    }
    // The extractor on the same reports is scored as `evaluate` scores it.
    assert!(sets[3].places.recall() < sets[2].places.recall());
}

#[test]
fn a_second_reader_is_scored_field_by_field() {
    let dir = tempfile::tempdir().unwrap();
    let (set, second) = (dir.path().join("set"), dir.path().join("second"));
    std::fs::create_dir_all(&set).unwrap();
    std::fs::create_dir_all(&second).unwrap();
    std::fs::write(
        set.join("a.txt"),
        "date: 2024-03-22\n\nA missile hit a substation in Kharkiv overnight.",
    )
    .unwrap();
    let label = |killed: &str| {
        format!(
            "[{{\"place\": \"Kharkiv\", \"date\": \"2024-03-22\", \"weapons\": [{{\"class\": \"missile\", \"launched\": 1, \"intercepted\": null}}],\n  \"explosions\": null, \"killed\": {killed}, \"injured\": null, \"targets\": [\"power\"], \"effects\": []}}]"
        )
    };
    std::fs::write(set.join("a.json"), label("null")).unwrap();
    std::fs::write(second.join("a.json"), label("2")).unwrap();
    let sets = lifeline_incidents::evaluate::evaluate_second_reader(&set, &second).unwrap();
    assert_eq!(sets.len(), 2);
    let reader = &sets[0];
    assert_eq!(reader.reader, Reader::SecondReader);
    assert_eq!((reader.reports, reader.labels, reader.drafts), (1, 1, 1));
    assert_eq!(reader.places.tp, 1);
    // weapons, launched, targets agree; the killed the first reader did not give is a
    // false positive.
    assert_eq!(
        (
            reader.all_fields.tp,
            reader.all_fields.fp,
            reader.all_fields.fn_
        ),
        (3, 1, 0)
    );
    assert_eq!(sets[1].reader, Reader::Extractor);
    // A second reader's label of a report the set does not have is named, with the
    // report it needs.
    std::fs::write(second.join("b.json"), label("2")).unwrap();
    let error = lifeline_incidents::evaluate::evaluate_second_reader(&set, &second)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("b.json") && error.contains("b.txt"),
        "{error}"
    );
    // A folder with no labels of the set is refused, not scored as agreeing.
    let error =
        lifeline_incidents::evaluate::evaluate_second_reader(&set, &dir.path().join("none"))
            .unwrap_err()
            .to_string();
    assert!(
        error.contains("none") && error.contains("expected"),
        "{error}"
    );
}

#[test]
fn a_missing_label_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.txt"),
        "date: 2024-03-22\n\nKharkiv was hit.",
    )
    .unwrap();
    let error = lifeline_incidents::evaluate::evaluate(dir.path())
        .unwrap_err()
        .to_string();
    assert!(error.contains("a.json"), "{error}");
    // A label with a misspelt field is refused at its line, not scored as empty.
    std::fs::write(
        dir.path().join("a.json"),
        "[\n  {\"place\": \"Kharkiv\", \"date\": \"2024-03-22\", \"weapons\": [], \"explosion\": 1,\n   \"killed\": null, \"injured\": null, \"targets\": [], \"effects\": []}\n]\n",
    )
    .unwrap();
    let error = lifeline_incidents::evaluate::evaluate(dir.path())
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("a.json") && error.contains("line 2") && error.contains("explosion"),
        "{error}"
    );
    // A weapon class outside the vocabulary, and a day that is no day, are refused too.
    std::fs::write(
        dir.path().join("a.json"),
        "[{\"place\": \"Kharkiv\", \"date\": \"2024-03-22\", \"weapons\": [{\"class\": \"rocket\", \"launched\": 1, \"intercepted\": null}],\n  \"explosions\": null, \"killed\": null, \"injured\": null, \"targets\": [], \"effects\": []}]",
    )
    .unwrap();
    let error = lifeline_incidents::evaluate::evaluate(dir.path())
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("a.json") && error.contains("rocket"),
        "{error}"
    );
    std::fs::write(
        dir.path().join("a.json"),
        "[{\"place\": \"Kharkiv\", \"date\": \"2024-02-30\", \"weapons\": [], \"explosions\": null,\n  \"killed\": null, \"injured\": null, \"targets\": [], \"effects\": []}]",
    )
    .unwrap();
    let error = lifeline_incidents::evaluate::evaluate(dir.path())
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("a.json")
            && error.contains("incident 1: date")
            && error.contains("2024-02-30"),
        "{error}"
    );
}

/// A draft's place, day and weapons (class, launched, intercepted).
type Drafted = (String, String, Vec<(WeaponClass, Option<u32>, Option<u32>)>);

fn drafts_of(text: &str) -> Vec<Drafted> {
    drafted(&extract(text, NaiveDate::from_ymd_opt(2024, 3, 22), None))
}

/// Each draft's place, day and weapons.
fn drafted(drafts: &[Draft]) -> Vec<Drafted> {
    drafts
        .iter()
        .map(|d| {
            let label = lifeline_incidents::evaluate::as_label(d);
            let weapons = d
                .record
                .weapons
                .iter()
                .map(|w| (w.class, w.launched, w.intercepted))
                .collect();
            (label.place, d.record.start.clone(), weapons)
        })
        .collect()
}

/// The phrasings reports use beyond "X was hit by N missiles": passive and idiomatic
/// attacks, the capital named only as a target, drones and missiles by name, counts over
/// two sentences, regions, the regional centre, launch sites. (22 March 2024 was a
/// Friday.)
#[test]
fn broader_reading() {
    use WeaponClass::{Drone, Missile};
    assert_eq!(
        drafts_of("Kharkiv came under a combined attack on Tuesday."),
        [("Kharkiv".into(), "2024-03-19".into(), vec![])]
    );
    assert_eq!(
        drafts_of("Zaporizhzhia was attacked on Wednesday evening and again overnight."),
        [("Zaporizhzhia".into(), "2024-03-20".into(), vec![])]
    );
    assert_eq!(
        drafts_of("Air defences destroyed all 31 missiles aimed at the capital."),
        [(
            "Kyiv".into(),
            "2024-03-22".into(),
            vec![(Missile, Some(31), Some(31))]
        )]
    );
    let tally = extract(
        "The air force said Russia launched 40 Geran-2 drones and nine Kh-101 missiles overnight; 35 drones were shot down.",
        NaiveDate::from_ymd_opt(2024, 3, 22),
        None,
    );
    assert_eq!(tally.len(), 1);
    assert_eq!(tally[0].record.place.country.as_deref(), Some("Ukraine"));
    let w = &tally[0].record.weapons;
    assert_eq!(
        (
            w[0].class,
            w[0].model.as_deref(),
            w[0].launched,
            w[0].intercepted
        ),
        (Drone, Some("Shahed"), Some(40), Some(35))
    );
    assert_eq!(
        (w[1].class, w[1].model.as_deref(), w[1].launched),
        (Missile, Some("Kh-101"), Some(9))
    );
    assert_eq!(
        drafts_of("Russia launched 90 missiles at Ukraine. Air defences shot down 60 of them."),
        [(
            "Ukraine".into(),
            "2024-03-22".into(),
            vec![(Missile, Some(90), Some(60))]
        )]
    );
    assert_eq!(
        drafts_of(
            "Russian drones attacked the Poltava region overnight. In the regional centre, a substation was hit."
        ),
        [
            (
                "Poltava oblast".into(),
                "2024-03-22".into(),
                vec![(Drone, None, None)]
            ),
            (
                "Poltava".into(),
                "2024-03-22".into(),
                vec![(Drone, None, None)]
            ),
        ]
    );
    assert_eq!(
        drafts_of("Russia launched Shahed drones from Primorsko-Akhtarsk at Odesa."),
        [(
            "Odesa".into(),
            "2024-03-22".into(),
            vec![(Drone, None, None)]
        )]
    );
    assert_eq!(
        drafts_of("Serhii Popko said a drone hit a house in Kyiv's Darnytsia district."),
        [(
            "Kyiv".into(),
            "2024-03-22".into(),
            // "a drone hit": one launched at the place.
            vec![(Drone, Some(1), None)]
        )]
    );
}

/// A report with no date line is drafted with the day unknown (said in the evidence);
/// such a draft can be stored, and is confirmed only once its day is given.
#[test]
fn an_undated_report_is_drafted_with_the_day_unknown() {
    use lifeline_incidents::record::Status;
    let text = "source: a forwarded post\n\nDrones hit a substation in Sumy. Part of the city is without power.";
    let drafts = extract(text, None, None);
    assert_eq!(drafts.len(), 1);
    let draft = &drafts[0];
    assert_eq!(draft.record.start, "");
    assert_eq!(draft.record.effects, [Effect::Blackout]);
    let start = draft.evidence.iter().find(|e| e.field == "start").unwrap();
    assert_eq!(start.value, lifeline_incidents::extract::UNKNOWN_DAY);
    draft.record.check().unwrap();
    let mut confirmed = draft.record.clone();
    confirmed.status = Status::Confirmed;
    let error = confirmed.check().unwrap_err().to_string();
    assert!(error.contains("start") && error.contains("day"), "{error}");
    // A date the text gives in full still dates it.
    let dated = extract(
        "Drones hit a substation in Sumy on 4 September 2025.",
        None,
        None,
    );
    assert_eq!(dated[0].record.start, "2025-09-04");
    // "restored by 16 March" is a deadline, not the day of the strike.
    let deadline = extract(
        "date: 2024-03-15\n\nA missile hit Odesa this afternoon. Power will be restored by the morning of 16 March 2024.",
        None,
        None,
    );
    assert_eq!(deadline.len(), 1);
    assert_eq!(deadline[0].record.start, "2024-03-15");
}

/// Headings and signatures say who speaks: a governor's post about their oblast, then
/// the air force's tally for the country; "Details:" is text, not a header line.
#[test]
fn headings_and_signatures_set_where_the_text_is() {
    let text = "source: a regional news site\ndate: 2024-07-04\n\n\
        Viacheslav Chaus, head of the Chernihiv Oblast Military Administration\n\n\
        Details: an enemy Shahed hit one of the facilities in the oblast. At the moment 5,963 consumers have no electricity.\n\n\
        Air Force of the Armed Forces of Ukraine\n\n\
        On the night of 3-4 July the Russians attacked with 22 Shahed-131/136 strike UAVs. The defenders managed to bring down 21 of them.";
    let drafts = drafted(&extract(text, None, None));
    assert_eq!(
        drafts,
        [
            (
                "Chernihiv oblast".into(),
                "2024-07-04".into(),
                // "an enemy Shahed hit one of the facilities": one.
                vec![(WeaponClass::Drone, Some(1), None)]
            ),
            (
                "Ukraine".into(),
                "2024-07-04".into(),
                vec![(WeaponClass::Drone, Some(22), Some(21))]
            ),
        ]
    );
}

/// Counts given for several places at once are the whole attack's; pumping stations
/// that only lost power are a water outage, not a water target.
#[test]
fn shared_counts_and_stopped_plants() {
    use WeaponClass::Drone;
    assert_eq!(
        drafts_of(
            "Russia sent 22 drones against the Chernihiv and Zhytomyr regions, and 20 were shot down."
        ),
        [
            (
                "Chernihiv oblast".into(),
                "2024-03-22".into(),
                vec![(Drone, None, None)]
            ),
            (
                "Zhytomyr oblast".into(),
                "2024-03-22".into(),
                vec![(Drone, None, None)]
            ),
            (
                "Ukraine".into(),
                "2024-03-22".into(),
                vec![(Drone, Some(22), Some(20))]
            ),
        ]
    );
    let stopped = extract(
        "A drone hit a substation in Sumy. Pumping stations were left without power.",
        NaiveDate::from_ymd_opt(2024, 3, 22),
        None,
    );
    let record = &stopped[0].record;
    let targets: Vec<TargetCategory> = record.targets.iter().map(|t| t.category).collect();
    assert_eq!(targets, [TargetCategory::Power]);
    assert!(
        record.effects.contains(&Effect::WaterOutage),
        "{:?}",
        record.effects
    );
}

/// No text makes extraction panic: every report of both sets cut at many places (inside
/// sentences, words and quotes), and with its apostrophes, dashes and spaces turned
/// into other characters of other byte lengths.
#[test]
fn any_cut_or_respelling_of_a_report_is_read_without_panic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("eval");
    let mut reports = 0;
    for set in ["dev", "test"] {
        for entry in std::fs::read_dir(dir.join(set)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|x| x != "txt") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let respelt = text
                .replace('\'', "’")
                .replace(" - ", " — ")
                .replace(", ", ",\u{a0}")
                .replace("e", "ё");
            for text in [&text, &respelt] {
                let cuts: Vec<usize> = text.char_indices().map(|(i, _)| i).step_by(53).collect();
                for &cut in &cuts {
                    extract(&text[..cut], None, None);
                    extract(&text[cut..], NaiveDate::from_ymd_opt(2024, 3, 22), None);
                }
            }
            reports += 1;
        }
    }
    assert!(reports > 100, "{reports}");
}

/// The rules added for unseen reports, each on a sentence of its own kind.
#[test]
fn lists_spans_speakers_and_tallies() {
    let day = NaiveDate::from_ymd_opt(2024, 5, 8);
    let drafts = |text: &str| drafted(&extract(text, day, None));
    // A list opened by a colon: each item with its opening.
    assert_eq!(
        drafts(
            "As of the morning, the attack had left without electricity:\n\
             - 20,000 consumers in Odesa region;\n\
             - 13,000 consumers in Chernihiv region."
        )
        .iter()
        .map(|d| d.0.as_str())
        .collect::<Vec<_>>(),
        ["Odesa oblast", "Chernihiv oblast"]
    );
    // Counts listed by type add up; a breakdown in brackets does not.
    let listed = drafts(
        "The Air Force said Russia launched 16 missiles and 13 drones. \
         Shot down: 25 targets - 7 Kh-101, all 4 Kalibrs, 1 Iskander-K and all 13 Shaheds.",
    );
    assert_eq!(
        listed,
        [(
            "Ukraine".into(),
            "2024-05-08".into(),
            vec![
                (WeaponClass::Missile, Some(16), Some(12)),
                (WeaponClass::Drone, Some(13), Some(13))
            ]
        )]
    );
    let respectively = drafts(
        "Of the 55 missiles and 21 attack drones Russia used, the air force said it destroyed 39 and 20 respectively.",
    );
    assert_eq!(
        respectively[0].2,
        [
            (WeaponClass::Missile, Some(55), Some(39)),
            (WeaponClass::Drone, Some(21), Some(20))
        ]
    );
    // A span reaching back is no date of the attack; a night span is its later day.
    let since = drafts_on(
        "Russia launched its eighth mass missile strike on Kyiv since October 10.",
        "2022-12-05",
    );
    assert_eq!(since[0].record.start, "2022-12-05");
    let night = drafts_on(
        "The barrage on Kharkiv started on the evening of March 6 and continued into the early hours of March 7.",
        "2025-03-07",
    );
    assert_eq!(night[0].record.start, "2025-03-07");
    // Launch sites listed, a speaker's city, the Sea of Azov: no incidents there.
    let launched = drafts(
        "Russia launched 21 Shahed drones at Odesa from Primorsko-Akhtarsk and Russia's Kursk Oblast, over the Sea of Azov. \
         In Moscow, the defence ministry said all targets were hit.",
    );
    assert_eq!(
        launched.iter().map(|d| d.0.as_str()).collect::<Vec<_>>(),
        ["Odesa"]
    );
    // Nobody in the city, however the sentence runs; ages are no counts.
    let nobody = extract(
        "date: 2024-05-08\n\nA drone hit Mykolaiv; no one in the city was killed or hurt.",
        None,
        None,
    );
    assert_eq!(
        (nobody[0].record.killed, nobody[0].record.injured),
        (Some(0), Some(0))
    );
    let ages = extract(
        "date: 2024-05-08\n\nDrones hit a boiler house in Rohan; two men aged 65 and 39 were injured.",
        None,
        None,
    );
    assert_eq!(ages[0].record.injured, Some(2));
    // Russian places in English.
    let oryol =
        drafts("Drones hit the combined heat and power plant in the Russian city of Oryol.");
    assert_eq!(oryol[0].0, "Oryol");
}

/// The weapons (class, launched, intercepted) of the first draft of `text`.
fn first_weapons(text: &str, day: &str) -> Vec<(WeaponClass, Option<u32>, Option<u32>)> {
    drafted(&drafts_on(text, day)).swap_remove(0).2
}

/// The drafts of `text` reported on `day` (`YYYY-MM-DD`).
fn drafts_on(text: &str, day: &str) -> Vec<Draft> {
    extract(text, NaiveDate::parse_from_str(day, "%Y-%m-%d").ok(), None)
}

/// The places of `drafts`, in order, as labels name them.
fn places_of(drafts: &[Draft]) -> Vec<String> {
    drafted(drafts).into_iter().map(|d| d.0).collect()
}

/// Asserts that the drafts of `text` (a report of `day`) are at `places`, in order.
fn assert_places(text: &str, day: &str, places: &[&str]) {
    let drafts = drafts_on(text, day);
    assert_eq!(places_of(&drafts), places, "{drafts:#?}");
}

/// Asserts that every draft starts on `day`.
fn assert_all_on(drafts: &[Draft], day: &str) {
    assert!(
        drafts.iter().all(|d| d.record.start == day),
        "{:?}",
        drafted(drafts)
    );
}

#[test]
fn clauses_on_different_days_are_incidents_of_their_own_days() {
    use WeaponClass::Drone;
    let drafts = drafts_on(
        "Russian attack drones struck Zaporizhzhia late on Friday and the Vinnytsia region overnight into Saturday, 27 September, officials said.",
        "2025-09-27",
    );
    assert_eq!(
        drafted(&drafts),
        [
            (
                "Zaporizhzhia".into(),
                "2025-09-26".into(),
                vec![(Drone, None, None)]
            ),
            (
                "Vinnytsia oblast".into(),
                "2025-09-27".into(),
                vec![(Drone, None, None)]
            ),
        ]
    );
    // A span of one night ("between the evening of 25 September and the morning of 26
    // September") is one day, not two parts.
    let night = drafts_on(
        "Air defence shot down five drones over the Kursk region between the evening of 25 September and the morning of 26 September.",
        "2023-09-26",
    );
    assert_eq!(night.len(), 1, "{night:#?}");
    assert_eq!(night[0].record.start, "2023-09-26");
}

#[test]
fn villages_only_the_codifier_lists_are_found_where_the_text_makes_them_places() {
    use lifeline_incidents::record::GeoPrecision;
    let drafts = drafts_on(
        "A drone hit a substation in the village of Nova Kozacha in the Kharkiv region overnight.",
        "2024-03-22",
    );
    let village = drafts
        .iter()
        .find(|d| d.record.place.settlement.as_deref() == Some("Nova Kozacha"))
        .unwrap_or_else(|| panic!("{drafts:#?}"));
    let place = &village.record.place;
    assert_eq!(place.admin1.as_deref(), Some("Kharkiv"));
    assert_eq!(place.geo_precision, GeoPrecision::Community);
    assert!(place.geonames_id.is_none());
    assert!(
        place
            .katottg
            .as_deref()
            .is_some_and(lifeline_incidents::record::is_katottg)
    );
    assert!(place.lat.is_some() && place.lon.is_some());
    // Thirteen villages are called Dubivka: the one of the oblast the text names.
    let g = lifeline_incidents::gazetteer::Gazetteer::get();
    let found = g.find("Shelling hit the village of Dubivka in the Kharkiv region.");
    let dubivka = found
        .iter()
        .find_map(|f| f.settlement().filter(|s| s.name == "Dubivka"))
        .unwrap_or_else(|| panic!("{found:#?}"));
    assert_eq!(dubivka.admin1, "Kharkiv");
    // Without the oblast it stays unknown rather than a guess.
    assert!(
        g.find("Shelling hit the village of Dubivka.")
            .iter()
            .all(|f| f.settlement().is_none_or(|s| s.name != "Dubivka"))
    );
    // A name that is also a word, with nothing that makes it a place, is no village.
    assert!(g.find("Slava Ukraini, the post ended.").is_empty());
}

#[test]
fn a_dateline_with_its_outlet_is_not_a_place() {
    let drafts = drafts_of(
        "Lviv, Ukraine (AFP) - Russian cruise missiles hit critical infrastructure in the Odesa region overnight.",
    );
    assert_eq!(drafts.len(), 1, "{drafts:?}");
    assert_eq!(drafts[0].0, "Odesa oblast");
}

#[test]
fn plants_people_and_governments_named_after_places() {
    let place_of = |text: &str| {
        drafts_of(text)
            .into_iter()
            .map(|(place, _, _)| place)
            .collect::<Vec<_>>()
    };
    // A plant named after a place it does not stand in.
    assert_eq!(
        place_of("Shells landed near the Zaporizhzhia thermal power plant overnight."),
        ["Enerhodar"]
    );
    assert_eq!(
        place_of("A missile hit the Dnipro hydroelectric plant on Friday."),
        ["Zaporizhzhia"]
    );
    // One standing in its namesake.
    assert_eq!(
        place_of(
            "Russian forces went after the Kaniv Hydroelectric Power Plant in Cherkasy Oblast."
        ),
        ["Kaniv"]
    );
    // A surname that is also a Russian town's name.
    assert_eq!(
        place_of("Enerhodar mayor Dmytro Orlov said a man was killed by the shelling."),
        ["Enerhodar"]
    );
    // Moscow the government.
    let g = lifeline_incidents::gazetteer::Gazetteer::get();
    for text in [
        "It said Moscow wanted to stop Ukraine from restarting reactors.",
        "Zelensky accused Moscow of trying to repeat the disaster.",
        "Moscow has lately intensified its strikes on the grid.",
    ] {
        assert!(g.find(text).is_empty(), "{text}");
    }
    assert_eq!(g.find("Drones flew over Moscow overnight.").len(), 1);
    // Of two Zolochivs, the one of the oblast the text names.
    let found = g.find("Drones hit a substation in the Zolochiv hromada of Kharkiv oblast.");
    assert_eq!(
        found
            .first()
            .and_then(|f| f.settlement())
            .map(|s| s.admin1.as_str()),
        Some("Kharkiv")
    );
}

#[test]
fn what_may_come_is_no_effect() {
    let effects_of = |text: &str| {
        extract(text, NaiveDate::from_ymd_opt(2024, 3, 22), None)
            .iter()
            .flat_map(|d| d.record.effects.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        effects_of(
            "In Kharkiv, an air strike damaged the grid and officials warned that power outages were possible."
        ),
        []
    );
    assert_eq!(
        effects_of(
            "Shelling hit Kherson, and the neighbourhood could also end up without electricity."
        ),
        []
    );
    assert_eq!(
        effects_of("Shelling hit Kherson and left the neighbourhood without electricity."),
        [Effect::Blackout]
    );
    // Districts of the city spoken of, listed.
    let drafts = drafts_of(
        "Russian forces shelled Kherson. Residents of the Dniprovskyi, Korabelnyi and Tsentralnyi districts face interruptions in the water supply.",
    );
    assert!(
        drafts.iter().all(|(place, _, _)| place == "Kherson"),
        "{drafts:?}"
    );
}

#[test]
fn lists_go_on_past_unknown_names_and_respectively_after_of_which() {
    let drafts = drafts_of(
        "Donetsk region: Russian troops shelled Vuhledar, Maksymivka, Kurakhove and Siversk overnight.",
    );
    let places: Vec<&str> = drafts.iter().map(|(p, _, _)| p.as_str()).collect();
    for place in ["Vuhledar", "Kurakhove", "Siversk"] {
        assert!(places.contains(&place), "{place}: {drafts:?}");
    }
    use WeaponClass::{Drone, Missile};
    assert_eq!(
        drafts_of(
            "The air force said Russia launched 127 missiles and 109 drones at Ukraine, of which 102 and 99 respectively were shot down."
        ),
        [(
            "Ukraine".into(),
            "2024-03-22".into(),
            vec![
                (Missile, Some(127), Some(102)),
                (Drone, Some(109), Some(99))
            ]
        )]
    );
    assert_eq!(
        drafts_of(
            "Russia attacked Ukraine with 465 drones and 32 missiles overnight; air defence shot down 405 Shahed and Gerbera drones and 15 missiles."
        ),
        [(
            "Ukraine".into(),
            "2024-03-22".into(),
            vec![(Drone, Some(465), Some(405)), (Missile, Some(32), Some(15))]
        )]
    );
    assert_eq!(
        drafts_of(
            "Russia launched 55 missiles and 21 Shahed drones at Ukraine overnight. Of these, air defence destroyed 39 missiles (33 Kh-101/Kh-555, all four Kalibrs and both Kh-59/Kh-69s) and 20 of the Shaheds."
        ),
        [(
            "Ukraine".into(),
            "2024-03-22".into(),
            vec![(Missile, Some(55), Some(39)), (Drone, Some(21), Some(20))]
        )]
    );
}

#[test]
fn old_news_and_the_night_the_text_named() {
    // A week and more before the report, in a report of something recent: background.
    let drafts = drafts_on(
        "Russian drones hit an energy facility in the Poltava region overnight. The reason goes back to 22 March, when missiles hit Kharkiv.",
        "2024-05-18",
    );
    let days: Vec<&str> = drafts.iter().map(|d| d.record.start.as_str()).collect();
    assert_eq!(days, ["2024-05-18"], "{drafts:#?}");
    // A report only of older days (a look back) keeps them.
    let look_back = drafts_on(
        "On 22 March missiles hit Kharkiv and left the city without power.",
        "2024-05-18",
    );
    assert_eq!(look_back.len(), 1);
    assert_eq!(look_back[0].record.start, "2024-03-22");
    // "Overnight ..., officials said on Friday": a later bare "overnight" is that night.
    let drafts = drafts_on(
        "Russia's overnight attack hit gas production sites, officials said on Friday. The defence ministry said its forces struck the Poltava region overnight.",
        "2025-10-04",
    );
    assert_all_on(&drafts, "2025-10-03");
    // "Two days earlier, ..." is background; "Vladimir Rogov" a person.
    let drafts = drafts_of(
        "Shelling hit Enerhodar overnight, Vladimir Rogov said. Two days earlier, artillery fired at Nikopol.",
    );
    assert_eq!(drafts.len(), 1, "{drafts:?}");
    assert_eq!(drafts[0].0, "Enerhodar");
}

#[test]
fn list_items_of_villages_with_their_communities_and_hits() {
    use WeaponClass::Artillery;
    // An operational summary lists villages one per line, each with its community or
    // district: the village is the place (of that community, among namesakes), its
    // hits the shells fired, a mortar's calibre no count.
    let drafts = drafts_on(
        "Russian troops shelled the border over the past day.\n\nChernihiv region - three settlements under fire:\n- Prohres, Semenivka community: nine hits, presumably from tube artillery;\n- Yanzhulivka: 18 hits, presumably from a 120-mm mortar.\n\nSumy region - one locality under fire:\n- Novovasylivka, Shostka district: six hits, presumably from a 120-mm mortar.",
        "2023-09-23",
    );
    let got = drafted(&drafts);
    for (place, hits) in [("Prohres", 9), ("Yanzhulivka", 18), ("Novovasylivka", 6)] {
        assert!(
            got.iter()
                .any(|d| d.0 == place && d.2 == [(Artillery, Some(hits), None)]),
            "{place}: {got:?}"
        );
    }
    let novovasylivka = drafts
        .iter()
        .find(|d| d.record.place.settlement.as_deref() == Some("Novovasylivka"))
        .unwrap();
    assert_eq!(novovasylivka.record.place.admin1.as_deref(), Some("Sumy"));
    assert!(
        !got.iter()
            .any(|d| d.0 == "Semenivka" || d.0 == "Zaporizhzhia oblast"),
        "a village's community is no second place: {got:?}"
    );
}

#[test]
fn deadlines_spans_of_the_day_and_breakdowns_after_a_dash() {
    use WeaponClass::{Drone, Missile};
    // "restored by Wednesday morning" does not date what follows.
    let drafts = drafts_on(
        "Thirteen missiles flew into the Lviv region on Tuesday. Power had been restored by Wednesday morning. Missiles also hit the central city of Kremenchuk.",
        "2022-11-16",
    );
    assert_all_on(&drafts, "2022-11-15");
    // "since the start of the day" is this day's tally, not background.
    let drafts = drafts_on(
        "Ukraine's military said Russia had launched 28 cruise missiles at Ukraine since the start of the day and air defences had shot down 20 of them.",
        "2022-10-11",
    );
    assert_eq!(
        drafted(&drafts),
        [(
            "Ukraine".into(),
            "2022-10-11".into(),
            vec![(Missile, Some(28), Some(20))]
        )]
    );
    // "13 drones - 12 Shaheds and the unidentified one" is a breakdown, not more.
    let drafts = drafts_on(
        "Overnight the enemy used 16 Shahed attack UAVs and 1 drone of an unidentified type against Ukraine. Air defence brought down 13 drones - 12 Shaheds and the unidentified one.",
        "2024-07-20",
    );
    assert_eq!(drafted(&drafts)[0].2, [(Drone, Some(16), Some(13))]);
    // A tally "against Ukrainian cities" is the country's; "the Kiev regime" and
    // "Moscow once again going after the railways" are governments.
    let drafts = drafts_on(
        "Russia carried out the largest drone attack of the war overnight, sending 810 drones against Ukrainian cities. The ministry called it an attempt by the Kiev regime to strike Russia, with Moscow once again going after the railways.",
        "2025-09-07",
    );
    let got = drafted(&drafts);
    assert_eq!(got[0].0, "Ukraine", "{got:?}");
    assert!(
        !got.iter().any(|d| d.0 == "Kyiv" || d.0 == "Moscow"),
        "{got:?}"
    );
    // Transmission and distribution facilities are the grid's.
    let drafts = drafts_on(
        "Distribution and transmission facilities were damaged in the Odesa region overnight.",
        "2025-12-06",
    );
    assert_eq!(drafts[0].record.targets[0].category, TargetCategory::Power);
}

#[test]
fn the_speakers_region_and_city_the_river_and_what_got_through() {
    use WeaponClass::{Drone, Missile};
    // "the region" and "the city" of the authority that speaks; a mayor's surname that
    // folds to a Siberian village's name is no place.
    let drafts = drafts_on(
        "03:05 - Zaporizhzhia regional head Ivan Fedorov reports Russian strikes on the city with Shahed drones.\n\n04:58 - Explosions in Lviv as attack drones reach the city. Mayor Andrii Sadovyi: public transport is not running.\n\n09:30 - Lviv regional head Maksym Kozytskyi: about 140 Shaheds and 23 cruise missiles were sent against the region.",
        "2025-10-05",
    );
    let got = drafted(&drafts);
    assert!(got.iter().any(|d| d.0 == "Zaporizhzhia"), "{got:?}");
    assert!(
        got.iter().any(|d| d.0 == "Lviv oblast"
            && d.2 == [(Drone, Some(140), None), (Missile, Some(23), None)]),
        "{got:?}"
    );
    assert!(!got.iter().any(|d| d.0.starts_with("Sadov")), "{got:?}");
    // "a railway bridge over the Dnipro" is the river; the Dnipropetrovsk region is not.
    assert_places(
        "Kremenchuk. The strikes damaged a railway bridge over the Dnipro that belongs to Ukrzaliznytsia. Missiles also hit the Dnipropetrovsk and Odesa regions.",
        "2025-09-07",
        &["Kremenchuk", "Dnipropetrovsk oblast", "Odesa oblast"],
    );
    // "53 were intercepted, while 31 reached six locations": 53; "brought down, but nine
    // missiles got through": the nine were not.
    let drafts = drafts_on(
        "Overnight, Russia sent 86 Shahed-type drones against Ukraine, according to the Air Force. Of those, 53 were intercepted, while 31 reached six locations.",
        "2025-10-02",
    );
    assert_eq!(drafted(&drafts)[0].2, [(Drone, Some(86), Some(53))]);
    let drafts = drafts_on(
        "The Air Force said Russia launched 13 missiles at Ukraine; four were brought down, but nine missiles got through.",
        "2025-09-07",
    );
    assert_eq!(drafted(&drafts)[0].2, [(Missile, Some(13), Some(4))]);
}

#[test]
fn casualties_of_several_places_and_a_place_on_the_day_a_sentence_names() {
    // Counts per place go to each place; one count for two places to neither.
    let drafts = drafts_on(
        "Two people were hurt in the Kyiv region and one in the Kirovohrad region, the minister said.",
        "2024-05-08",
    );
    let injured: Vec<(String, Option<u32>)> = drafts
        .iter()
        .map(|d| {
            let label = lifeline_incidents::evaluate::as_label(d);
            (label.place, d.record.injured)
        })
        .collect();
    assert_eq!(
        injured,
        [
            ("Kyiv oblast".to_string(), Some(2)),
            ("Kirovohrad oblast".to_string(), Some(1))
        ]
    );
    let drafts = drafts_on(
        "Three people were wounded when Russian forces shelled the villages of Ivanivka and Kozatske in the Kherson region.",
        "2023-10-28",
    );
    assert!(
        drafts.iter().all(|d| d.record.injured.is_none()),
        "{drafts:#?}"
    );
    // "Streets were under water on Thursday ... Eight missiles struck the city on
    // Wednesday": the city on Wednesday too.
    let drafts = drafts_on(
        "Streets in Kryvyi Rih were under water on Thursday after Russian missiles smashed into a dam.\n\nOfficials said eight cruise missiles struck the city on Wednesday.",
        "2022-09-15",
    );
    let wednesday = drafts
        .iter()
        .find(|d| d.record.start == "2022-09-14")
        .expect("a draft on Wednesday");
    assert_eq!(
        wednesday.record.place.settlement.as_deref(),
        Some("Kryvyi Rih")
    );
    assert_eq!(wednesday.record.weapons[0].launched, Some(8));
    // A toll of recent weeks is background; "since early Saturday" is this attack's.
    let drafts = drafts_on(
        "Chernihiv has no water or electricity. More than 200 civilians had been killed in recent weeks, the mayor said.",
        "2022-03-28",
    );
    assert!(
        drafts.iter().all(|d| d.record.killed.is_none()),
        "{drafts:#?}"
    );
    let drafts = drafts_on(
        "Seven missiles hit Mykolaiv overnight. In all, 121 people have been killed in the city.",
        "2022-07-21",
    );
    assert!(
        drafts.iter().all(|d| d.record.killed.is_none()),
        "{drafts:#?}"
    );
    let drafts = drafts_on(
        "An official said the main cities had been without electricity since early Saturday, naming Kramatorsk and Sloviansk.",
        "2022-06-12",
    );
    assert_eq!(drafts.len(), 2, "{drafts:#?}");
}

#[test]
fn where_missiles_headed_days_to_come_and_a_citys_own_speaker() {
    // A missile only heading for a city strikes nothing there.
    let drafts = drafts_on(
        "Russia fired 29 cruise missiles at Ukraine overnight. One missile crossed into Polish airspace for 39 seconds before turning towards Lviv.",
        "2024-03-24",
    );
    assert!(
        drafted(&drafts).iter().all(|d| d.0 != "Lviv"),
        "{drafts:#?}"
    );
    // "declared 28 August a day of mourning" does not date what follows.
    let drafts = drafts_on(
        "A missile hit a hotel in Kryvyi Rih shortly after midnight. The city has declared 28 August a day of mourning. At 02:13 Shahed drones hit an energy facility in Zaporizhzhia.",
        "2024-08-27",
    );
    assert_all_on(&drafts, "2024-08-27");
    // Kyiv's districts are Kyiv's, whatever raions elsewhere share their names; "a new
    // round of shelling" counts no shell.
    let drafts = drafts_on(
        "Around ten missiles were shot down on the approach to Kyiv. Debris fell in Desnianskyi district and among apartment blocks in Shevchenkivskyi district.\n\nA new round of shelling knocked out power in Kupiansk.",
        "2024-03-24",
    );
    let got = drafted(&drafts);
    assert!(got.iter().all(|d| !d.0.ends_with("oblast")), "{got:?}");
    let kupiansk = got.iter().find(|d| d.0 == "Kupiansk").unwrap();
    assert_eq!(kupiansk.2, [(WeaponClass::Artillery, None, None)]);
    // The city's own administration speaks of the city, not of the village before it;
    // a city "regularly targeted" is background; a fire is no sign of the report's one
    // weapon (a target, explosions or casualties would be).
    let drafts = drafts_on(
        "A Russian drone struck the village of Stanislav in the Kherson region. The head of the Kherson city military administration reported that several fires broke out. Kherson is regularly targeted by artillery and drones.",
        "2023-12-23",
    );
    let got = drafted(&drafts);
    let kherson = drafts
        .iter()
        .find(|d| d.record.place.settlement.as_deref() == Some("Kherson"))
        .unwrap_or_else(|| panic!("{got:?}"));
    assert_eq!(kherson.record.effects, [Effect::Fire]);
    assert!(kherson.record.weapons.is_empty(), "{got:?}");
}

#[test]
fn russian_names_in_english_spelling_and_the_capitals_districts() {
    // "Stary Oskol" is GeoNames' "Staryy Oskol", drafted in English spelling; "Moscow
    // should understand" is the government.
    assert_places(
        "Missiles hit the Belgorod CHP and the city lost power. The channels also reported power cuts in Stary Oskol and Severny. Zelensky said Moscow should understand what its threats of blackouts could mean.",
        "2025-09-28",
        &["Belgorod", "Stary Oskol", "Severny"],
    );
    let drafts = drafts_on(
        "A drone hit the Afipsky oil refinery in the Krasnodar region.",
        "2025-09-28",
    );
    assert_eq!(drafted(&drafts)[0].0, "Afipsky");
    // The capital's Shevchenkivskyi district is the capital's; Brovary district is Kyiv
    // oblast's.
    assert_places(
        "Kyiv came under two waves of drones. Wreckage struck a building in the central Shevchenkivsky district. Outside the city, fragments wounded two people in the Brovary district.",
        "2024-03-21",
        &["Kyiv", "Kyiv oblast"],
    );
    // "On the outskirts of Kharkiv" is the city; "near Kharkiv" its oblast.
    assert_places(
        "A missile hit an infrastructure facility on the outskirts of Kharkiv. Drones hit a substation near Kyiv.",
        "2022-12-22",
        &["Kharkiv", "Kyiv oblast"],
    );
}

#[test]
fn two_weapons_shot_down_in_one_clause_go_to_the_tally_that_launched_them() {
    use WeaponClass::{Drone, Missile};
    // "Sixty drones and five missiles were shot down": both counts, and to the country's
    // tally of 81 and 10, not to the city whose 7 drones were counted since.
    let drafts = drafts_on(
        "The Air Force said Russia launched 81 attack drones and 10 missiles at Ukraine overnight.\n\nIn Zaporizhzhia, Russian forces attacked the city with seven Shahed drones.\n\nSixty drones and five missiles were shot down.",
        "2024-08-27",
    );
    let got = drafted(&drafts);
    assert_eq!(
        got[0],
        (
            "Ukraine".to_string(),
            "2024-08-27".to_string(),
            vec![(Drone, Some(81), Some(60)), (Missile, Some(10), Some(5))]
        ),
        "{got:?}"
    );
    assert_eq!(got[1].2, [(Drone, Some(7), None)], "{got:?}");
}

/// "Nobody was hurt" after several places: every place of the attack that day in the
/// same oblast (or, with "in the attacks", "in either region", every place), never a
/// place already given its casualties, nor an oblast's or the country's tally.
#[test]
fn nobody_hurt_in_the_attacks() {
    let casualties = |text: &str| -> Vec<(String, Option<u32>, Option<u32>)> {
        by_place(&drafts_on(text, "2024-04-19"), |d| {
            (d.record.killed, d.record.injured)
        })
        .into_iter()
        .map(|(place, (killed, injured))| (place, killed, injured))
        .collect()
    };
    assert_eq!(
        casualties(
            "Air defence shot down 10 drones over Dnipropetrovsk oblast. In Kryvyi Rih, two \
             people were injured. In Nikopol, shelling cut a power line. In Marhanets, a house \
             was hit. Nobody was hurt."
        ),
        [
            ("Dnipropetrovsk oblast".to_string(), None, None),
            ("Kryvyi Rih".to_string(), None, Some(2)),
            ("Nikopol".to_string(), Some(0), Some(0)),
            ("Marhanets".to_string(), Some(0), Some(0)),
        ]
    );
    assert_eq!(
        casualties(
            "Drones hit an energy facility in Pavlohrad. In Kherson, shelling damaged homes. \
             No casualties were reported in either region."
        ),
        [
            ("Pavlohrad".to_string(), Some(0), Some(0)),
            ("Kherson".to_string(), Some(0), Some(0)),
        ]
    );
    // One place in the oblast, another elsewhere: only the one spoken of.
    assert_eq!(
        casualties(
            "Drones hit an energy facility in Pavlohrad. In Kherson, shelling damaged homes. Nobody was hurt."
        ),
        [
            ("Pavlohrad".to_string(), None, None),
            ("Kherson".to_string(), Some(0), Some(0)),
        ]
    );
}

/// The targets of each draft of `text` (a report of `day`), by place.
fn targets_by_place(text: &str, day: &str) -> Vec<(String, Vec<TargetCategory>)> {
    by_place(&drafts_on(text, day), |d| {
        d.record.targets.iter().map(|t| t.category).collect()
    })
}

/// Each draft's place, as labels name it, with `field` of the draft.
fn by_place<T>(drafts: &[Draft], field: impl Fn(&Draft) -> T) -> Vec<(String, T)> {
    drafts
        .iter()
        .map(|d| (lifeline_incidents::evaluate::as_label(d).place, field(d)))
        .collect()
}

/// Homes that were hit are residential targets; homes a supply reaches are its
/// consumers; "the facilities hit" are those the sentence before named.
#[test]
fn homes_and_facilities() {
    use TargetCategory::{Power, Residential};
    assert_eq!(
        targets_by_place(
            "Overnight, Russian forces hit the town of Konotop, damaging homes. \
             Shelling of Kherson cut electricity to thousands of homes.",
            "2024-09-12"
        ),
        [
            ("Konotop".to_string(), vec![Residential]),
            ("Kherson".to_string(), vec![]),
        ]
    );
    assert_eq!(
        targets_by_place(
            "The attack damaged energy infrastructure in two oblasts, the minister said. \
             The facilities hit were in the Lviv and Vinnytsia oblasts.",
            "2023-01-14"
        ),
        [
            ("Lviv oblast".to_string(), vec![Power]),
            ("Vinnytsia oblast".to_string(), vec![Power]),
        ]
    );
}

/// Launch sites past the words that narrow them, and a Russian town by its English
/// name (not Ukraine's Sloviansk).
#[test]
fn launch_sites_and_russian_names() {
    assert_places(
        "During the night the enemy attacked Odesa with 13 Shahed drones launched from the airspace over Russia's Kursk region.",
        "2024-06-08",
        &["Odesa"],
    );
    assert_places(
        "Overnight a Kh-59 missile launched from the airspace over the occupied part of Zaporizhzhia oblast and drones launched from Cape Chauda in Crimea hit Kryvyi Rih.",
        "2024-04-02",
        &["Kryvyi Rih"],
    );
    assert_places(
        "Drones struck the oil refinery in Slavyansk-on-Kuban overnight.",
        "2024-04-27",
        &["Slavyansk-on-Kuban"],
    );
}

/// Interceptions said in other words: "all 11 ... Russia launched overnight were
/// destroyed", "The Kh-59 missile was also destroyed", a share and its breakdown
/// ("destroyed 44 of them: 18 in the area of ..."); a tally told of "it" is the
/// country's; Kyiv as the government; a night "in a row" names no night.
#[test]
fn interceptions_and_tallies_in_other_words() {
    use WeaponClass::{Drone, Missile};
    let day = "2024-06-08";
    assert_eq!(
        drafted(&drafts_on(
            "Ukraine's Air Force said all 11 Shahed drones Russia launched at Odesa overnight were destroyed.",
            day
        )),
        [(
            "Odesa".into(),
            day.into(),
            vec![(Drone, Some(11), Some(11))]
        )]
    );
    assert_eq!(
        drafted(&drafts_on(
            "Overnight the enemy attacked Ukraine with 13 Shahed drones and one Kh-59 missile. \
             Air defence shot down nine of the Shaheds. The Kh-59 missile was also destroyed.",
            day
        )),
        [(
            "Ukraine".into(),
            day.into(),
            vec![(Drone, Some(13), Some(9)), (Missile, Some(1), Some(1))]
        )]
    );
    assert_eq!(
        drafted(&drafts_on(
            "Russia launched 50 missiles at Ukraine overnight. Air defence destroyed 44 of them: 18 in the centre and 12 in the south.",
            day
        )),
        [(
            "Ukraine".into(),
            day.into(),
            vec![(Missile, Some(50), Some(44))]
        )]
    );
    assert_places(
        "A missile struck an industrial zone in Kramatorsk. On Thursday it fired 69 missiles, 54 of which were shot down.",
        "2022-12-31",
        &["Kramatorsk", "Ukraine"],
    );
    assert_places(
        "Drones hit a substation in Odesa overnight after Washington stopped sharing intelligence with Kyiv. \
         Kyiv has carried out numerous attacks on Russian refineries.",
        day,
        &["Odesa"],
    );
    let nights = drafts_on(
        "It was the second night in a row that Kryvyi Rih was targeted: on 2 February a strike hit a substation. \
         Russia launched 14 drones at Ukraine overnight, the Air Force said.",
        "2024-02-03",
    );
    assert_eq!(
        drafted(&nights).last().map(|d| d.1.clone()),
        Some("2024-02-03".to_string())
    );
}

/// Plants listed by region are their towns; a live blog's clock is no count; "a man
/// suffered severe burns" is one injured; in a round-up of the day reported, a day one
/// sentence names is that sentence's only.
#[test]
fn plants_clocks_burns_and_round_ups() {
    assert_places(
        "The attack targeted four thermal power plants: the Dobrotvir plant in Lviv Oblast, \
         the Burshtyn and Kalush plants in Ivano-Frankivsk Oblast, and the Ladyzhyn plant in Vinnytsia Oblast.",
        "2025-10-30",
        &["Dobrotvir", "Burshtyn", "Kalush", "Ladyzhyn"],
    );
    let blog = drafts_on(
        "0748 GMT – A drone slammed into an apartment block in Dnipro, killing three people.",
        "2025-11-08",
    );
    assert_eq!(
        drafted(&blog),
        [(
            "Dnipro".into(),
            "2025-11-08".into(),
            vec![(WeaponClass::Drone, Some(1), None)]
        )]
    );
    let burns = drafts_on(
        "In Bila Tserkva, a 55-year-old man suffered severe burns and was hospitalised.",
        "2025-11-14",
    );
    assert_eq!(burns[0].record.injured, Some(1));
    let round_up = drafts_on(
        "Russia struck 10 of Ukraine's oblasts over the past day, officials said. \
         Five people were hurt when Russian artillery hit Kurakhove on Aug. 24. \
         One more person was wounded in Avdiivka.",
        "2023-08-25",
    );
    assert_eq!(
        by_place(&round_up, |d| d.record.start.clone()),
        [
            ("Kurakhove".to_string(), "2023-08-24".to_string()),
            ("Avdiivka".to_string(), "2023-08-25".to_string())
        ]
    );
}

/// Tallies: "every one of them" after two weapons is both; "both Kh-59/69 missiles" are
/// two; "one of them North Korean-made" is no interception; supplies cut in "Shostka
/// and Konotop" are both towns'.
#[test]
fn tallies_of_both_and_every_one() {
    use WeaponClass::{Drone, Missile};
    let day = "2023-12-13";
    assert_eq!(
        drafted(&drafts_on(
            "Across Ukraine, Russia attacked overnight with 10 Shahed drones and 10 ballistic missiles, and air defence destroyed every one of them, the military said.",
            day
        )),
        [(
            "Ukraine".into(),
            day.into(),
            vec![(Drone, Some(10), Some(10)), (Missile, Some(10), Some(10))]
        )]
    );
    assert_eq!(
        drafted(&drafts_on(
            "Russia attacked Ukraine overnight with 73 Shaheds and two Kh-59 missiles. In the air battle our defenders destroyed 69 of the 73 Shaheds and both Kh-59/69 missiles.",
            day
        )),
        [(
            "Ukraine".into(),
            day.into(),
            vec![(Drone, Some(73), Some(69)), (Missile, Some(2), Some(2))]
        )]
    );
    assert_eq!(
        drafted(&drafts_on(
            "Russia fired 93 missiles at Ukraine, at least one of them North Korean-made, and air defenses shot down 81 of them.",
            day
        )),
        [(
            "Ukraine".into(),
            day.into(),
            vec![(Missile, Some(93), Some(81))]
        )]
    );
    let cut = drafts_on(
        "Overnight, Russian drones struck energy facilities in Shostka and Konotop. The strike cut off the electricity supply.",
        "2024-05-22",
    );
    assert!(
        cut.iter()
            .all(|d| d.record.effects.contains(&Effect::Blackout)),
        "{cut:#?}"
    );
}

/// What did not happen or is no place: "no damage to residential buildings", what might
/// come ("risk turning into a crisis if residents ... are left without electricity"), a
/// series of earlier attacks, Moscow as the government, launch sites "from the
/// directions of" several places, the districts Kharkiv shares with Kyiv.
#[test]
fn what_did_not_happen_here() {
    let izmail = drafts_on(
        "A drone attack struck gas infrastructure in Izmail in the early hours of 6 August. \
         The district administration reported no casualties and no damage to residential buildings. \
         The incident is the latest in a series of attacks on the port infrastructure of the Izmail area. \
         Nationwide, the Air Force said Russia launched 45 attack drones overnight, of which 36 were neutralised.",
        "2025-08-08",
    );
    assert_eq!(
        by_place(&izmail, |d| d.record.start.clone()),
        [
            ("Izmail".to_string(), "2025-08-06".to_string()),
            ("Ukraine".to_string(), "2025-08-06".to_string())
        ]
    );
    assert_eq!(
        izmail[0]
            .record
            .targets
            .iter()
            .map(|t| t.category)
            .collect::<Vec<_>>(),
        [TargetCategory::Gas]
    );
    assert_places(
        "Strikes on power plants risk turning into a crisis if residents of cities such as Zaporizhzhia and Dnipro are left without electricity. \
         Putin said on Friday that Moscow saw no need for more massive strikes. Moscow blames Ukrainian attacks.",
        "2025-10-31",
        &[],
    );
    assert_places(
        "Russia attacked Poltava with 152 drones launched from the directions of Orel, Kursk, Shatalovo, Primorsko-Akhtarsk and Chauda in occupied Crimea.",
        "2025-10-07",
        &["Poltava"],
    );
    assert_places(
        "Drones struck Kharkiv overnight. Hits were recorded in the Shevchenkivskyi, Kholodnohirskyi and Saltivskyi districts.",
        "2025-07-10",
        &["Kharkiv"],
    );
}

/// Lists past a description of the next place or a count by place; the village, not
/// its community; the capital beside a list of regions; "off the grid".
#[test]
fn lists_past_descriptions_and_counts() {
    assert_places(
        "Explosions were also reported in Dnipro and in the western city of Ternopil, Ukrainian media said.",
        "2022-10-10",
        &["Dnipro", "Ternopil"],
    );
    let wounded = drafts_on(
        "The missiles wounded at least 15 people in Dnipro, three in the northeastern city of Kharkiv and at least one in Odesa.",
        "2022-11-17",
    );
    assert_eq!(
        by_place(&wounded, |d| d.record.injured),
        [
            ("Dnipro".to_string(), Some(15)),
            ("Kharkiv".to_string(), Some(3)),
            ("Odesa".to_string(), Some(1))
        ]
    );
    assert_places(
        "In Hlukhiv hromada, artillery hit the village of Budivelne, damaging six houses.",
        "2023-02-26",
        &["Budivelne"],
    );
    assert_places(
        "Energy facilities were struck in the city of Kyiv and in the Kyiv, Odesa and Kharkiv regions.",
        "2025-11-25",
        &["Kyiv", "Kyiv oblast", "Odesa oblast", "Kharkiv oblast"],
    );
    let grid = drafts_on(
        "In the city of Kherson 3,200 consumers were off the grid.",
        "2024-09-12",
    );
    assert_eq!(grid[0].record.effects, [Effect::Blackout]);
}

/// A sentence that goes on to another place with facts of its own ("..., and in the
/// Dnipropetrovsk region one person was killed") gives each place its own; two weapons
/// listed before "were shot down" are both shot down.
#[test]
fn each_place_of_a_sentence_keeps_its_facts() {
    let drafts = drafts_on(
        "Russian shelling killed three people in the southern city of Kherson, and in the Dnipropetrovsk region one person was killed and two hurt in drone and missile attacks, according to Governor Serhiy Lysak.",
        "2023-03-09",
    );
    assert_eq!(
        by_place(&drafts, |d| (d.record.killed, d.record.injured)),
        [
            ("Kherson".to_string(), (Some(3), None)),
            ("Dnipropetrovsk oblast".to_string(), (Some(1), Some(2)))
        ]
    );
    let tally = first_weapons(
        "Ukraine's military said Russia launched 81 missiles and eight Shahed drones. It said 34 cruise missiles and four of the drones were shot down.",
        "2023-03-09",
    );
    assert_eq!(
        tally,
        [
            (WeaponClass::Missile, Some(81), Some(34)),
            (WeaponClass::Drone, Some(8), Some(4))
        ]
    );
}

/// The plant named after a city stands where the text says; officials "installed by
/// Moscow" and a dateline with the agency in brackets are no places; an Air Force
/// period "between 10:00 on 23 December and 09:00 on 24 December" is the later day.
#[test]
fn plants_governments_datelines_and_reporting_periods() {
    assert_places(
        "The strikes severed the last power line connecting the Russian-occupied Zaporizhzhia plant at Enerhodar to Ukraine's grid.",
        "2023-03-09",
        &["Enerhodar"],
    );
    assert_places(
        "TASS, quoting officials installed by Moscow, said the shelling had damaged Melitopol's power supply system.",
        "2023-03-29",
        &["Melitopol"],
    );
    assert_places(
        "Moscow, Dec 20 (Prensa Latina) Ukrainian shelling hit power lines in Klintsy on Tuesday morning.",
        "2022-12-20",
        &["Klintsy"],
    );
    let drafts = drafts_on(
        "Between 10:00 on 23 December and 09:00 on 24 December 2024 Russia attacked Ukraine with 60 Shahed drones. 36 drones were shot down over Poltava and Sumy oblasts.",
        "2024-12-24",
    );
    assert_all_on(&drafts, "2024-12-24");
}

/// "The town of Beryslav and the villages of Novoberyslav, Tomaryne and Shliakhove" is
/// one list; "as well as two missiles" and a bare "seven were destroyed" are shot
/// down; "Kursk's acting governor" speaks for the region; "Kyiv has responded" is
/// the government; an assault "last week" is background; "UNN | Kyiv" signs off.
#[test]
fn lists_of_villages_tallies_and_sign_offs() {
    assert_places(
        "Russian attacks left the town of Beryslav and the villages of Novoberyslav, Tomaryne and Shliakhove without electricity on Oct. 30.",
        "2023-10-30",
        &["Beryslav", "Novoberyslav", "Tomaryne", "Shliakhove"],
    );
    let listed = first_weapons(
        "Ukraine's air force said it shot down 333 drones, as well as two missiles.",
        "2024-07-29",
    );
    assert_eq!(
        listed,
        [
            (WeaponClass::Drone, None, Some(333)),
            (WeaponClass::Missile, None, Some(2))
        ]
    );
    let bare = first_weapons(
        "Russia launched eight attack drones; seven were destroyed.",
        "2024-07-29",
    );
    assert_eq!(bare, [(WeaponClass::Drone, Some(8), Some(7))]);
    assert_places(
        "Kursk's acting governor Alexei Smirnov claims his air defences destroyed six Ukrainian drones over the border districts.",
        "2024-07-29",
        &["Russia"],
    );
    assert_places(
        "A drone damaged a substation in Sumy. Kyiv has responded by sending long-range drones.",
        "2024-07-29",
        &["Sumy"],
    );
    assert_places(
        "Drones hit a substation in Kharkiv overnight. A massive assault on Kyiv last week left a million households without power.",
        "2025-10-13",
        &["Kharkiv"],
    );
    assert_places(
        "Hits in Kharkiv. Power outages\n\nExplosions rang out over Kharkiv, after which electricity went off.\n\nUNN | Kyiv",
        "2025-10-13",
        &["Kharkiv"],
    );
}

/// A heading naming a region and one settlement of it ("Kharkiv region: border villages
/// of the Zolochiv community left without gas") puts what follows at the settlement.
#[test]
fn a_heading_with_a_region_and_its_town_is_the_town() {
    assert_places(
        "Kharkiv region: border villages of the Zolochiv community left without gas\n\nThe enemy has struck one of the facilities of the gas distribution system.",
        "2025-11-20",
        &["Zolochiv"],
    );
}

/// Lists that say where their places lie ("Mykolaiv, Odesa and Kherson in the south,
/// Dnipropetrovsk ... in the centre") or name the community's own town ("Kherson itself,
/// Antonivka"); energy facilities to be defended were not hit; a water supply network
/// damaged is a water target.
#[test]
fn lists_by_compass_and_what_was_not_hit() {
    assert_places(
        "20 Shahed attack drones destroyed overnight over five oblasts: Mykolaiv and Kherson in the south, Dnipropetrovsk and Vinnytsia in the centre, and Lviv in the west.",
        "2024-04-09",
        &[
            "Mykolaiv oblast",
            "Kherson oblast",
            "Dnipropetrovsk oblast",
            "Vinnytsia oblast",
            "Lviv oblast",
            "Ukraine",
        ],
    );
    assert_places(
        "Over the past day, Russian strikes hit four settlements of the Kherson community: Kherson itself, Antonivka, Prydniprovske and Sadove.",
        "2025-12-14",
        &["Kherson", "Antonivka", "Prydniprovske", "Sadove"],
    );
    assert!(
        targets_by_place(
            "On Tuesday the minister announced a headquarters for Sumy region to organise the defence of energy facilities.",
            "2024-09-18",
        )
        .iter()
        .all(|(_, targets)| targets.is_empty())
    );
    assert_eq!(
        targets_by_place(
            "Russian air strikes on Chernihiv left the city without water. The water supply network was badly damaged.",
            "2022-03-11",
        ),
        [("Chernihiv".to_string(), vec![TargetCategory::Water])]
    );
}

/// Air defence's missiles are not the attack's: "anti-aircraft missile units ...
/// destroyed the drones" names drones only.
#[test]
fn air_defence_missiles_are_no_weapon_of_the_attack() {
    let drafts = drafted(&drafts_on(
        "Anti-aircraft missile units and mobile fire groups destroyed the drones over Kharkiv and Poltava oblasts.",
        "2024-05-18",
    ));
    assert!(
        drafts
            .iter()
            .all(|d| d.2.iter().all(|w| w.0 == WeaponClass::Drone)),
        "{drafts:?}"
    );
    assert!(!drafts.is_empty());
}

/// "A Kh-59 guided missile and three Shahed drones ... all four were destroyed": each
/// weapon counted was shot down, as the counts add up to four ("20 Shahed drones ... All
/// 20 were shot down": all of them).
#[test]
fn all_n_destroyed_downs_each_weapon_counted() {
    let each = first_weapons(
        "Four enemy air targets were heading for the Dnipropetrovsk region: a Kh-59 guided missile and three Shahed kamikaze drones. Our sky defenders gave them no chance - all four were destroyed.",
        "2023-01-02",
    );
    assert_eq!(
        each,
        [
            (WeaponClass::Missile, Some(1), Some(1)),
            (WeaponClass::Drone, Some(3), Some(3))
        ]
    );
    // One weapon counted before: all of it.
    let all = first_weapons(
        "Russia launched 20 Shahed drones at the Kharkiv region overnight. All 20 were shot down.",
        "2024-05-17",
    );
    assert_eq!(all, [(WeaponClass::Drone, Some(20), Some(20))]);
    // Counts that do not add up are left alone.
    let none = first_weapons(
        "A Kh-59 guided missile and three Shahed drones were heading for the Dnipropetrovsk region. All five were destroyed.",
        "2023-01-02",
    );
    assert!(none.iter().all(|w| w.2.is_none()), "{none:?}");
}
