//! Bad input: clear errors that say what is wrong, never a panic.

use super::{cascade_data, fixed_budget};
use lifeline_cascade::source::Source;
use lifeline_cascade::{CascadeError, City, Scenario};
use lifeline_restore::city::{CityOptions, CityProblem};
use lifeline_restore::study::{self, Choice};
use lifeline_restore::{Crew, Instance, Job, RestoreError, Skill, exact, generate};
use std::time::Duration;

fn job(asset: &str, skill: Skill) -> Job {
    Job {
        asset: asset.into(),
        skill,
        duration_h: 2.0,
        release_h: 0.0,
        weight: 1.0,
        priority: 0,
        load: 1.0,
        district: None,
    }
}

fn crew(id: &str, skills: &[Skill]) -> Crew {
    Crew {
        id: id.into(),
        skills: skills.to_vec(),
    }
}

fn message(result: Result<Instance, RestoreError>) -> String {
    match result {
        Ok(_) => panic!("expected an error"),
        Err(error) => error.to_string(),
    }
}

#[test]
fn a_crew_with_no_skill_matching_any_job_is_named() {
    let text = message(Instance::new(
        vec![job("bus:1", Skill::Power)],
        vec![crew("P-1", &[Skill::Power]), crew("W-1", &[Skill::Water])],
        vec![vec![0.0], vec![0.0]],
        vec![],
    ));
    assert!(
        text.contains("crew 'W-1' has no skill matching any job"),
        "{text}"
    );
    assert!(text.contains("it repairs water"), "{text}");
}

#[test]
fn a_precedence_cycle_is_shown() {
    let text = message(Instance::new(
        vec![
            job("bus:1", Skill::Power),
            job("bus:2", Skill::Power),
            job("branch:3", Skill::Power),
        ],
        vec![crew("P-1", &[Skill::Power])],
        vec![vec![0.0; 3]],
        vec![(0, 1), (1, 2), (2, 1)],
    ));
    assert!(text.contains("precedence has a cycle"), "{text}");
    assert!(
        text.contains("bus:2 → branch:3 → bus:2") || text.contains("branch:3 → bus:2 → branch:3"),
        "{text}"
    );
}

#[test]
fn a_job_no_crew_can_do_makes_the_request_infeasible_and_says_which() {
    let result = Instance::new(
        vec![
            job("bus:1", Skill::Power),
            job("pump_station:E-1", Skill::Water),
        ],
        vec![crew("P-1", &[Skill::Power])],
        vec![vec![0.0, 0.0]],
        vec![],
    );
    assert!(matches!(
        result,
        Err(RestoreError::Unrepairable { field: "crews", .. })
    ));
    let text = message(result);
    assert!(
        text.contains("no crew has the skill to repair pump_station:E-1 (needs water)"),
        "{text}"
    );
    let none = Instance::new(vec![job("bus:1", Skill::Power)], vec![], vec![], vec![]);
    assert!(message(none).contains("there are no crews"));
}

#[test]
fn bad_times_and_shapes_are_refused() {
    let mut negative = job("bus:1", Skill::Power);
    negative.duration_h = -1.0;
    let text = message(Instance::new(
        vec![negative],
        vec![crew("P-1", &[Skill::Power])],
        vec![vec![0.0]],
        vec![],
    ));
    assert!(
        text.contains("bus:1: repair duration must be 0 h or more, got -1"),
        "{text}"
    );
    let text = message(Instance::new(
        vec![job("bus:1", Skill::Power)],
        vec![crew("P-1", &[Skill::Power])],
        vec![vec![f64::NAN]],
        vec![],
    ));
    assert!(text.contains("travel times must be finite"), "{text}");
    let text = message(Instance::new(
        vec![job("bus:1", Skill::Power)],
        vec![crew("P-1", &[Skill::Power])],
        vec![vec![0.0]],
        vec![(0, 5)],
    ));
    assert!(text.contains("precedence (0, 5) names no pair"), "{text}");
}

#[test]
fn the_exact_model_refuses_more_than_12_assets() {
    let instance = generate::instance(1, 13, 2).unwrap();
    let error = exact::solve(&instance, Duration::from_secs(1)).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("the exact model takes at most 12 damaged assets, this problem has 13"),
        "{error}"
    );
}

fn tiny() -> City {
    City::load(&cascade_data("tiny/city.toml")).unwrap()
}

fn scenario(city: &City, text: &str) -> Result<Scenario, CascadeError> {
    Scenario::parse(&Source::new("inline.toml", text.to_string()), city)
}

const TWO_STRIKES: &str = r#"
name = "two strikes"
horizon_h = 24
[[strike]]
at = "01:00"
asset = "bus:3"
damage = "damaged"
[[strike]]
at = "01:00"
asset = "pump_station:INTAKE"
damage = "damaged"
"#;

#[test]
fn precedence_naming_an_unknown_or_unstruck_asset_is_located() {
    let city = tiny();
    let error = scenario(
        &city,
        &format!("{TWO_STRIKES}[[precedence]]\nfirst = \"bus:99\"\nthen = \"bus:3\"\n"),
    )
    .unwrap_err()
    .to_string();
    assert!(error.contains("inline.toml:13"), "{error}");
    assert!(error.contains("precedence:"), "{error}");
    assert!(error.contains("99"), "{error}");
    let error = scenario(
        &city,
        &format!("{TWO_STRIKES}[[precedence]]\nfirst = \"bus:2\"\nthen = \"bus:3\"\n"),
    )
    .unwrap_err()
    .to_string();
    assert!(
        error.contains("precedence: bus:2 is not struck in this scenario"),
        "{error}"
    );
}

#[test]
fn a_city_precedence_cycle_and_zero_crews_are_refused() {
    let city = tiny();
    let cyclic = scenario(
        &city,
        &format!(
            "{TWO_STRIKES}[[precedence]]\nfirst = \"bus:3\"\nthen = \"pump_station:INTAKE\"\n\
             [[precedence]]\nfirst = \"pump_station:INTAKE\"\nthen = \"bus:3\"\n"
        ),
    )
    .unwrap();
    let error = CityProblem::new(&city, &cyclic, CityOptions { crews: Some(2) })
        .err()
        .unwrap()
        .to_string();
    assert!(error.contains("precedence has a cycle"), "{error}");
    let plain = scenario(&city, TWO_STRIKES).unwrap();
    let error = CityProblem::new(&city, &plain, CityOptions { crews: Some(0) })
        .err()
        .unwrap();
    assert_eq!(error.field(), Some("crews"));
    assert!(
        error.to_string().contains("at least 1 crew is needed"),
        "{error}"
    );
    // The tiny city has no crews of its own.
    let error = CityProblem::new(&city, &plain, CityOptions { crews: None })
        .err()
        .unwrap()
        .to_string();
    assert!(error.contains("the city has no [[crew]]"), "{error}");
}

#[test]
fn the_exact_planner_on_a_large_city_scenario_names_the_planner_field() {
    let city = City::load(&super::demo("city.toml")).unwrap();
    let scenario = Scenario::load(&super::demo("scenarios/2024-03-22.toml"), &city).unwrap();
    let problem = CityProblem::new(&city, &scenario, CityOptions::default()).unwrap();
    assert!(problem.instance.jobs.len() > exact::MAX_JOBS);
    let error = study::run(&problem, Choice::Exact, fixed_budget(10))
        .err()
        .unwrap();
    assert_eq!(error.field(), Some("planner"));
    assert!(
        error
            .to_string()
            .contains("the best planner takes any number"),
        "{error}"
    );
}
