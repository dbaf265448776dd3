//! Drafting incidents from the seed report: the six incidents it describes, each field
//! with its sentence.

use chrono::NaiveDate;
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

    let kryvyi_rih = find(&drafts, Some("Kryvyy Rih"), "2024-03-22");
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

#[test]
fn the_evaluation_set_scores_at_least_85_percent_on_every_field() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("eval");
    let evaluation = lifeline_incidents::evaluate::evaluate(&dir).unwrap();
    assert!(evaluation.reports >= 6);
    for (field, score) in &evaluation.fields {
        println!(
            "{field:<12} precision {:.2} recall {:.2}",
            score.precision(),
            score.recall()
        );
        assert!(score.precision() >= 0.85, "{field}: {score:?}");
        assert!(score.recall() >= 0.85, "{field}: {score:?}");
    }
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
}
