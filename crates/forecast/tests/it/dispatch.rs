//! Repairs dispatched by a plan or a rule: with the expected times a sample is the plan
//! itself; with drawn times crews keep their order (a plan) or are sent afresh (a rule).

use super::{CERTAIN, UNCERTAIN, request, scenario, tiny};
use lifeline_cascade::simulate;
use lifeline_forecast::dispatch::{redispatch, replay};
use lifeline_forecast::draw::SampledRepairs;
use lifeline_forecast::run::samples;
use lifeline_forecast::{Dispatch, ForecastRequest, forecast};
use lifeline_restore::city::{CityOptions, CityProblem};
use lifeline_restore::plan::decode;
use lifeline_restore::{Rule, generate};

#[test]
fn a_plan_replayed_with_its_own_times_is_the_plan() {
    for seed in 0..20 {
        let instance = generate::instance(seed, 12, 3).unwrap();
        let work: Vec<f64> = instance.jobs.iter().map(|j| j.duration_h).collect();
        for rule in [
            Rule::Priority,
            Rule::LargestLoad,
            Rule::ShortestRepair,
            Rule::Ratio,
        ] {
            let plan = decode(&instance, &rule.order(&instance));
            let expected = plan.completion_h(instance.jobs.len());
            let replayed = replay(&instance, &plan, &work);
            for (a, b) in replayed.iter().zip(&expected) {
                assert!((a - b).abs() < 1e-9, "seed {seed} {rule:?}: {a} vs {b}");
            }
            let again = redispatch(&instance, rule, &work);
            assert_eq!(again, expected, "seed {seed} {rule:?}");
        }
    }
}

#[test]
fn longer_work_delays_the_crew_s_later_jobs_and_never_advances_any() {
    let instance = generate::instance(3, 10, 2).unwrap();
    let plan = decode(&instance, &Rule::Priority.order(&instance));
    let work: Vec<f64> = instance.jobs.iter().map(|j| j.duration_h).collect();
    let base = replay(&instance, &plan, &work);
    let first = plan.by_crew(2)[0][0].job;
    let mut longer = work.clone();
    longer[first] += 5.0;
    let later = replay(&instance, &plan, &longer);
    assert!((later[first] - base[first] - 5.0).abs() < 1e-9);
    for (j, (&l, &b)) in later.iter().zip(&base).enumerate() {
        assert!(l >= b - 1e-9, "job {j} came back earlier: {l} < {b}");
    }
    let crew_jobs: Vec<usize> = plan.by_crew(2)[0].iter().map(|a| a.job).collect();
    assert!(crew_jobs[1..].iter().any(|&j| later[j] > base[j] + 1e-9));
}

#[test]
fn a_certain_forecast_with_a_plan_gives_simulate_s_times_for_that_plan() {
    let city = tiny();
    let scenario = scenario(&city, CERTAIN);
    let problem = CityProblem::new(&city, &scenario, CityOptions { crews: Some(1) }).unwrap();
    let plan = decode(&problem.instance, &Rule::Priority.order(&problem.instance));
    // One crew: the two repairs one after the other, not both from the strike.
    let run = problem.scenario_for(&plan, scenario.horizon_s);
    let truth = simulate(&city, &run, &mut |_, _| {}).unwrap();
    let dispatch = Dispatch::Plan {
        problem: &problem,
        plan,
        planner: "priority".into(),
    };
    let f = forecast(&city, &scenario, &request(8, 1), &dispatch, &|| {}).unwrap();
    assert!(f.certain);
    assert_eq!(f.plan, "chosen");
    let unlimited = simulate(&city, &scenario, &mut |_, _| {}).unwrap();
    let mut differs = false;
    for ((d, t), u) in f
        .districts
        .iter()
        .zip(&truth.districts)
        .zip(&unlimited.districts)
    {
        assert_eq!(d.power_back_h.p10, t.power_restored_h, "{}", d.name);
        assert_eq!(d.power_back_h.p90, t.power_restored_h, "{}", d.name);
        assert_eq!(d.water_back_h.p50, t.water_restored_h, "{}", d.name);
        differs |= t.power_restored_h != u.power_restored_h;
        differs |= t.water_restored_h != u.water_restored_h;
    }
    assert!(
        differs,
        "one crew must come later than unlimited crews somewhere"
    );
}

#[test]
fn a_rule_re_dispatches_each_sample_and_comes_no_sooner_than_unlimited_crews() {
    let city = tiny();
    let scenario = scenario(&city, UNCERTAIN);
    let problem = CityProblem::new(&city, &scenario, CityOptions { crews: Some(1) }).unwrap();
    let rule = Dispatch::Rule {
        problem: &problem,
        rule: Rule::Priority,
    };
    let with_rule = forecast(&city, &scenario, &request(60, 5), &rule, &|| {}).unwrap();
    let unlimited = forecast(
        &city,
        &scenario,
        &request(60, 5),
        &Dispatch::Unlimited,
        &|| {},
    )
    .unwrap();
    assert!(!with_rule.certain);
    assert_eq!(with_rule.plan_by.as_deref(), Some("the priority rule"));
    for (r, u) in with_rule.districts.iter().zip(&unlimited.districts) {
        let later = |a: Option<f64>, b: Option<f64>| match (a, b) {
            (Some(a), Some(b)) => a >= b - 1e-9,
            (None, _) => true,
            (Some(_), None) => false,
        };
        assert!(later(r.power_back_h.p50, u.power_back_h.p50), "{}", r.name);
        assert!(later(r.power_back_h.p90, u.power_back_h.p90), "{}", r.name);
    }
}

#[test]
fn from_a_moment_a_plan_keeps_the_work_done_and_draws_the_work_under_way_past_it() {
    let city = tiny();
    let scenario = scenario(&city, UNCERTAIN);
    let problem = CityProblem::new(&city, &scenario, CityOptions { crews: Some(1) }).unwrap();
    let plan = decode(&problem.instance, &Rule::Priority.order(&problem.instance));
    let expected: Vec<f64> = problem.instance.jobs.iter().map(|j| j.duration_h).collect();
    let ends = replay(&problem.instance, &plan, &expected);
    // One crew: the first job done, the second under way at the moment between.
    let (first, second) = if ends[0] < ends[1] { (0, 1) } else { (1, 0) };
    let second_start = ends[second] - expected[second];
    assert!(ends[first] <= second_start);
    let at_h = (second_start + ends[second]) / 2.0;
    let dispatch = Dispatch::Plan {
        problem: &problem,
        plan,
        planner: "priority".into(),
    };
    let request = ForecastRequest {
        samples: 200,
        seed: 9,
        at_s: Some((at_h * 3600.0) as i64),
    };
    let (draws, _, _) = samples(&city, &scenario, &request, &dispatch);
    let strike = |job: usize| &scenario.strikes[problem.strike_of_job[job]];
    let end_h = |d: &SampledRepairs, job: usize| {
        (strike(job).at_s + d.repair_s[problem.strike_of_job[job]].unwrap()) as f64 / 3600.0
    };
    let mut spread = Vec::new();
    for d in &draws {
        assert!(
            (end_h(d, first) - ends[first]).abs() < 1.0 / 60.0,
            "the work done keeps its time"
        );
        assert!(
            end_h(d, second) > at_h,
            "the work under way ends after the moment"
        );
        spread.push(end_h(d, second));
    }
    spread.sort_by(f64::total_cmp);
    assert!(
        spread[179] > spread[19] + 0.5,
        "the work under way is still uncertain: {spread:?}"
    );
    let f = forecast(&city, &scenario, &request, &dispatch, &|| {}).unwrap();
    assert_eq!(f.at_h, Some((at_h * 3600.0).trunc() / 3600.0));
}
