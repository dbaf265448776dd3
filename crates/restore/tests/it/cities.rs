//! Restoration on cities that differ from the demo: one short of water and power on a
//! normal day, and generated variants of the tiny city. On each, the strong planner's
//! own plan is never worse in the cascade than the best rule, no plan leaves a crew idle
//! while a job waits (`Plan::check`), no plan runs past 1.5 times the rules' makespan,
//! and a second study gives the same costs.

use super::demo;
use lifeline_cascade::{City, Scenario};
use lifeline_restore::SearchOptions;
use lifeline_restore::city::{CityOptions, CityProblem};
use lifeline_restore::planners::SplitMix;
use lifeline_restore::study::{self, Choice, Study};
use std::path::Path;

/// A variant of the tiny city: Riverside's junction elevation, the plant's PMAX and a
/// demand pattern shared by both junctions.
fn tiny_variant(dir: &Path, jb_elevation_m: f64, p_max_mw: f64, pattern: &[f64]) -> City {
    City::load(&lifeline_testkit::tiny_city_variant(
        dir,
        jb_elevation_m,
        p_max_mw,
        pattern,
    ))
    .unwrap()
}

/// A scenario of `strikes` (`(at, asset, repair_h)`) over `horizon_h`.
fn strikes(city: &City, horizon_h: u32, strikes: &[(&str, &str, f64)]) -> Scenario {
    let mut text = format!("name = \"strikes\"\nhorizon_h = {horizon_h}\n");
    for (at, asset, repair_h) in strikes {
        text.push_str(&format!(
            "[[strike]]\nat = \"{at}\"\nasset = \"{asset}\"\nrepair_h = {repair_h}\n"
        ));
    }
    Scenario::parse(
        &lifeline_cascade::source::Source::new("strikes.toml", text),
        city,
    )
    .unwrap()
}

/// Runs the study twice with the default search and checks the acceptance rules.
fn check_city(label: &str, city: &City, scenario: &Scenario, crews: Option<usize>) -> Study {
    let problem = CityProblem::new(city, scenario, CityOptions { crews }).unwrap();
    let study = study::run(&problem, Choice::Best, SearchOptions::default()).unwrap();
    let again = study::run(&problem, Choice::Best, SearchOptions::default()).unwrap();
    let rules: Vec<&study::PlannerRow> = study
        .planners
        .iter()
        .filter(|r| ["priority", "largest_load", "shortest_repair"].contains(&r.name.as_str()))
        .collect();
    let best_rule = rules
        .iter()
        .map(|r| r.objective)
        .fold(f64::INFINITY, f64::min);
    let rule_makespan = rules
        .iter()
        .map(|r| r.makespan_h)
        .fold(f64::INFINITY, f64::min);
    let best = study.planners.iter().find(|r| r.name == "best").unwrap();
    println!(
        "{label}: best {:.0} ({:?}), best rule {best_rule:.0}, makespan {:.1} h against the rules' {rule_makespan:.1} h, horizon {} h, surrogate within {:.1} % (water ×{:.2}), notes {:?}",
        best.objective,
        best.kept_rule,
        best.makespan_h,
        study.horizon_s / 3600,
        study.surrogate.error_pct,
        study.surrogate.water_scale,
        study.notes
    );
    assert!(
        best.objective <= best_rule * (1.0 + 1e-12),
        "{label}: best {} above the best rule {best_rule}",
        best.objective
    );
    for (row, plan) in study.planners.iter().zip(&study.plans) {
        assert_eq!(
            plan.check(&problem.instance),
            Ok(()),
            "{label}: {}",
            row.name
        );
        assert!(
            row.makespan_h <= 1.5 * rule_makespan + 1e-9,
            "{label}: {} ends at {} h, the rules at {rule_makespan} h",
            row.name,
            row.makespan_h
        );
    }
    let costs = |s: &Study| -> Vec<(String, f64)> {
        s.planners
            .iter()
            .map(|r| (r.name.clone(), r.objective))
            .collect()
    };
    assert_eq!(
        costs(&study),
        costs(&again),
        "{label}: costs differ between runs"
    );
    assert_eq!(study.horizon_s, again.horizon_s);
    study
}

#[test]
fn on_the_demo_city_the_best_plan_is_never_behind_the_rules_and_repeats() {
    let city = City::load(&demo("city.toml")).unwrap();
    let scenario = Scenario::load(&demo("scenarios/2024-03-22.toml"), &city).unwrap();
    // Two generic crews: a problem other than the seed study's.
    check_city("demo, 2 crews", &city, &scenario, Some(2));
}

#[test]
fn on_a_city_short_on_a_normal_day_only_the_strikes_cost() {
    let dir = tempfile::tempdir().unwrap();
    // Riverside is dry at the evening peak and the plant carries 40 of the 50 MW on a
    // normal day.
    let city = tiny_variant(
        dir.path(),
        58.0,
        40.0,
        &[0.6, 0.6, 0.8, 1.0, 1.2, 1.6, 1.8, 1.4],
    );
    let quiet = strikes(&city, 24, &[]);
    let normal = lifeline_cascade::simulate(&city, &quiet, &mut |_, _| {}).unwrap();
    assert!(normal.summary.baseline.person_hours_without_water > 0.0);
    let scenario = strikes(
        &city,
        24,
        &[
            ("01:00", "bus:2", 5.0),
            ("01:30", "bus:3", 4.0),
            ("02:00", "pump_station:INTAKE", 3.0),
            ("02:00", "pipe:LINK", 6.0),
            ("03:00", "branch:1", 2.0),
        ],
    );
    let study = check_city("short city, 2 crews", &city, &scenario, Some(2));
    // The normal day's shortfall is no plan's cost: with every repair at its strike
    // the cost is only what the strikes take.
    assert!(study.unlimited_crews > 0.0);
    let empty = CityProblem::new(&city, &quiet, CityOptions { crews: Some(2) }).unwrap();
    let nothing = study::run(&empty, Choice::Best, SearchOptions::default()).unwrap();
    assert!(nothing.planners.iter().all(|r| r.objective == 0.0));
}

#[test]
fn on_generated_cities_the_best_plan_is_never_behind_the_rules_and_repeats() {
    let assets = [
        "bus:2",
        "bus:3",
        "branch:1",
        "branch:2",
        "pump_station:INTAKE",
        "pipe:LINK",
        "pipe:MAIN",
        "tank:TOWER",
    ];
    for seed in 1..=3u64 {
        let mut rng = SplitMix(seed);
        let dir = tempfile::tempdir().unwrap();
        let pattern: Vec<f64> = (0..6).map(|_| 0.5 + 1.5 * rng.unit()).collect();
        let city = tiny_variant(
            dir.path(),
            20.0 + 45.0 * rng.unit(),
            35.0 + 30.0 * rng.unit(),
            &pattern,
        );
        let mut picked: Vec<(String, String, f64)> = Vec::new();
        for asset in assets {
            if rng.unit() < 0.7 {
                let minute = rng.below(240);
                let at = format!("{:02}:{:02}", minute / 60, minute % 60);
                picked.push((at, asset.to_string(), 1.0 + (rng.below(16) as f64) / 2.0));
            }
        }
        let list: Vec<(&str, &str, f64)> = picked
            .iter()
            .map(|(at, asset, h)| (at.as_str(), asset.as_str(), *h))
            .collect();
        let scenario = strikes(&city, 24, &list);
        let crews = 1 + rng.below(3);
        check_city(
            &format!(
                "generated city {seed} ({} strikes, {crews} crews)",
                list.len()
            ),
            &city,
            &scenario,
            Some(crews),
        );
    }
}
