//! Every error's text: it names the request field in the caller's terms only through
//! `field()`, never a command-line flag.

use lifeline_cascade::CascadeError;
use lifeline_power::PowerError;
use lifeline_restore::{PlanFailure, RestoreError, SearchOptions, Skill};

/// One error of each kind. The match below fails to compile when a kind is added, so
/// a new kind cannot miss this test.
fn one_of_each() -> Vec<RestoreError> {
    let all = vec![
        RestoreError::NegativeDuration {
            field: "duration_h",
            asset: "bus:1".into(),
            duration_h: -1.0,
        },
        RestoreError::IdleCrew {
            field: "crews",
            crew: "W-1".into(),
            skills: vec![Skill::Water],
        },
        RestoreError::TravelShape {
            field: "travel_h",
            crews: 2,
            jobs: 3,
        },
        RestoreError::NegativeTravel {
            field: "travel_h",
            crew: 0,
            job: 1,
            travel_h: f64::NAN,
        },
        RestoreError::UnknownPrecedence {
            field: "precedence",
            before: 0,
            after: 5,
        },
        RestoreError::PrecedenceCycle {
            field: "precedence",
            assets: vec!["bus:1".into(), "bus:2".into()],
        },
        RestoreError::StruckTwice {
            field: "strike",
            asset: "bus:1".into(),
            first_line: 3,
            second_line: 8,
        },
        RestoreError::NoCrews {
            field: "crews",
            reason: "at least 1 crew is needed, 0 were asked for",
        },
        RestoreError::Unrepairable {
            field: "crews",
            needs: vec![("pump_station:P".into(), Skill::Water)],
        },
        RestoreError::TooLargeForExact {
            field: "planner",
            jobs: 13,
            max_jobs: 12,
        },
        RestoreError::TimeLimit {
            field: "time_limit_s",
            time_limit_s: -1.0,
        },
        RestoreError::Cascade(CascadeError::Cancelled { at_s: 3600 }),
        RestoreError::GridSolve {
            at_h: Some(2.5),
            assets_out: vec!["bus:3".into()],
            error: PowerError::NoSlack,
        },
        RestoreError::Solver("HiGHS ended with Infeasible".into()),
        RestoreError::NotEvaluated {
            failures: vec![PlanFailure {
                planner: "exact".into(),
                error: "exact model: HiGHS ended with Infeasible".into(),
            }],
        },
    ];
    for error in &all {
        match error {
            RestoreError::NegativeDuration { .. }
            | RestoreError::IdleCrew { .. }
            | RestoreError::TravelShape { .. }
            | RestoreError::NegativeTravel { .. }
            | RestoreError::UnknownPrecedence { .. }
            | RestoreError::PrecedenceCycle { .. }
            | RestoreError::StruckTwice { .. }
            | RestoreError::NoCrews { .. }
            | RestoreError::Unrepairable { .. }
            | RestoreError::TooLargeForExact { .. }
            | RestoreError::TimeLimit { .. }
            | RestoreError::Cascade(_)
            | RestoreError::GridSolve { .. }
            | RestoreError::Solver(_)
            | RestoreError::NotEvaluated { .. } => {}
        }
    }
    all
}

#[test]
fn no_error_text_names_a_command_line_flag() {
    for error in one_of_each() {
        let text = error.to_string();
        assert!(!text.contains("--"), "{error:?} reads {text:?}");
        assert!(!text.is_empty(), "{error:?}");
    }
}

#[test]
fn request_errors_name_their_field_in_snake_case() {
    for error in one_of_each() {
        let Some(field) = error.field() else {
            continue;
        };
        assert!(
            !field.is_empty() && field.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
            "{error:?}: {field:?}"
        );
    }
    let fields: Vec<Option<&str>> = one_of_each().iter().map(RestoreError::field).collect();
    assert!(fields.contains(&Some("time_limit_s")));
    assert!(fields.contains(&Some("planner")));
    assert!(fields.contains(&Some("crews")));
}

#[test]
fn a_search_time_limit_must_be_positive_and_finite() {
    for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        let error = SearchOptions::default().with_time_limit_s(bad).unwrap_err();
        assert_eq!(error.field(), Some("time_limit_s"), "{bad}");
    }
    let options = SearchOptions::default().with_time_limit_s(0.25).unwrap();
    assert_eq!(options.time_limit.as_secs_f64(), 0.25);
}
