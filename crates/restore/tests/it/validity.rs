//! Every planner's plan is valid on random problems: no crew on two jobs at once, skills
//! and precedence kept, every asset repaired once, nothing before its strike.

use super::fixed_budget;
use lifeline_restore::{Additive, Crew, Instance, Job, Plan, Skill, exact, planners};
use proptest::prelude::*;
use std::time::Duration;

fn skill(power: bool) -> Skill {
    if power { Skill::Power } else { Skill::Water }
}

/// Random problems with fractional times, mixed skills and forward precedence.
fn problem() -> impl Strategy<Value = Instance> {
    (1usize..14, 1usize..5).prop_flat_map(|(jobs, crews)| {
        (
            prop::collection::vec(
                (
                    any::<bool>(),
                    0.0f64..15.0,
                    0.0f64..6.0,
                    0.0f64..500.0,
                    0u8..4,
                ),
                jobs,
            ),
            prop::collection::vec((any::<bool>(), any::<bool>()), crews),
            prop::collection::vec(prop::collection::vec(0.0f64..3.0, jobs), crews),
            prop::collection::vec((0usize..jobs, 0usize..jobs), 0..jobs),
        )
            .prop_filter_map(
                "a crew for every skill, a job for every crew",
                |(jobs, crews, travel_h, pairs)| {
                    let jobs: Vec<Job> = jobs
                        .into_iter()
                        .enumerate()
                        .map(
                            |(j, (power, duration_h, release_h, weight, priority))| Job {
                                asset: format!("{}:{}", if power { "bus" } else { "pipe" }, j),
                                skill: skill(power),
                                duration_h,
                                release_h,
                                weight,
                                priority,
                                load: weight / 2.0,
                                district: None,
                            },
                        )
                        .collect();
                    let crews: Vec<Crew> = crews
                        .into_iter()
                        .enumerate()
                        .map(|(k, (power, water))| Crew {
                            id: format!("C{k}"),
                            skills: [(power, Skill::Power), (water, Skill::Water)]
                                .into_iter()
                                .filter_map(|(has, s)| has.then_some(s))
                                .collect(),
                        })
                        .collect();
                    // Forward pairs only: no cycle by construction.
                    let precedence = pairs
                        .into_iter()
                        .filter(|(a, b)| a < b)
                        .collect::<std::collections::BTreeSet<_>>()
                        .into_iter()
                        .collect();
                    Instance::new(jobs, crews, travel_h, precedence).ok()
                },
            )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn every_planner_gives_a_valid_plan(instance in problem()) {
        for rule in [
            planners::Rule::Priority,
            planners::Rule::LargestLoad,
            planners::Rule::ShortestRepair,
            planners::Rule::Ratio,
        ] {
            let planned = planners::by_rule(&instance, &Additive, rule).unwrap();
            prop_assert_eq!(planned.plan.check(&instance), Ok(()), "{}", rule.name());
        }
        let strong = planners::strong(&instance, &Additive, fixed_budget(400)).unwrap();
        prop_assert_eq!(strong.plan.check(&instance), Ok(()), "strong");
        if instance.jobs.len() <= 4 {
            let exact = exact::solve(&instance, Duration::from_secs(30)).unwrap();
            prop_assert_eq!(exact.plan.check(&instance), Ok(()), "exact");
        }
    }

    #[test]
    fn the_check_catches_a_crew_on_two_jobs_at_once(instance in problem()) {
        let plan = planners::by_rule(&instance, &Additive, planners::Rule::Ratio).unwrap().plan;
        // Move the second job of some crew to start with its first.
        let by_crew = plan.by_crew(instance.crews.len());
        let Some(list) = by_crew
            .iter()
            .find(|l| l.len() >= 2 && instance.jobs[l[0].job].duration_h > 0.01)
        else {
            return Ok(());
        };
        let (first, second) = (list[0], list[1]);
        let mut broken = Plan { assignments: plan.assignments.clone() };
        for a in &mut broken.assignments {
            if a.job == second.job {
                let shift = a.depart_h - first.depart_h;
                a.depart_h -= shift;
                a.start_h -= shift;
                a.end_h -= shift;
            }
        }
        prop_assert!(broken.check(&instance).is_err());
    }
}
