//! Generated problems: the strong planner against the exact optimum (small problems) and
//! against the dispatch rules (50 and 200 damaged assets).

use super::{best_baseline, fixed_budget};
use lifeline_restore::{Additive, Crew, Instance, Job, Rule, Skill, exact, generate, planners};
use std::time::Duration;

#[test]
fn the_strong_planner_is_within_2_percent_of_the_best_plan_and_never_behind_the_rules() {
    // Plans never leave a crew idle while a job waits, so the best plan is the best of
    // every order decoded (all of them, on up to 8 jobs); the exact model's optimum, which
    // may keep crews waiting for a heavier job, bounds them all from below.
    let mut gaps = Vec::new();
    for seed in 0..10u64 {
        let jobs = 5 + (seed as usize % 4);
        let crews = 2 + (seed as usize % 2);
        let instance = generate::instance(seed, jobs, crews).unwrap();
        let mut order: Vec<usize> = (0..jobs).collect();
        let mut best_order = f64::INFINITY;
        permutations(&mut order, 0, &mut |order| {
            let plan = lifeline_restore::plan::decode(&instance, order);
            best_order = best_order.min(Additive.total(&instance, &plan));
        });
        let exact = exact::solve(&instance, Duration::from_secs(120)).unwrap();
        exact.plan.check(&instance).unwrap();
        let bound = exact
            .lower_bound
            .unwrap_or_else(|| panic!("seed {seed}: the exact model did not prove optimality"));
        let strong = planners::strong(&instance, &Additive, fixed_budget(20_000)).unwrap();
        strong.plan.check(&instance).unwrap();
        let baseline = best_baseline(&instance);
        assert!(
            bound <= best_order * (1.0 + 1e-9),
            "seed {seed}: the bound {bound} is above the best order {best_order}"
        );
        assert!(
            strong.objective >= best_order * (1.0 - 1e-9),
            "seed {seed}: the strong planner ({}) beats every order ({best_order})",
            strong.objective
        );
        assert!(
            strong.objective <= baseline * (1.0 + 1e-12),
            "seed {seed}: strong {} is behind the best rule {baseline}",
            strong.objective
        );
        let gap = strong.objective / best_order - 1.0;
        println!(
            "seed {seed}: {jobs} jobs, {crews} crews: best order {best_order:.0}, strong {:.0} (gap {:.2} %), best rule {baseline:.0}, bound {bound:.0} ({:.1} % below the best order)",
            strong.objective,
            gap * 100.0,
            (1.0 - bound / best_order) * 100.0
        );
        gaps.push(gap);
    }
    let mean = gaps.iter().sum::<f64>() / gaps.len() as f64;
    println!("mean gap {:.2} %", mean * 100.0);
    assert!(mean <= 0.02, "mean gap {:.2} % is above 2 %", mean * 100.0);
}

#[test]
fn the_strong_planner_saves_12_percent_over_the_rules_on_50_and_200_assets() {
    for (jobs, crews) in [(50, 6), (200, 20)] {
        for seed in [7u64, 8, 9] {
            let instance = generate::instance(seed, jobs, crews).unwrap();
            let strong = planners::strong(&instance, &Additive, fixed_budget(60_000)).unwrap();
            strong.plan.check(&instance).unwrap();
            let baseline = best_baseline(&instance);
            let saving = 1.0 - strong.objective / baseline;
            println!(
                "{jobs} assets, {crews} crews, seed {seed}: strong {:.0} vs best rule {baseline:.0}: {:.1} % fewer",
                strong.objective,
                saving * 100.0
            );
            assert!(
                saving >= 0.12,
                "{jobs} assets, seed {seed}: only {:.1} % fewer than the best rule",
                saving * 100.0
            );
        }
    }
}

/// One crew, two jobs at once: B (1 h, weight 10) then A (2 h, weight 1) costs
/// 10·1 + 1·3 = 13; the other order 1·2 + 10·3 = 32.
fn two_jobs() -> Instance {
    let job = |asset: &str, duration_h: f64, weight: f64, load: f64| Job {
        asset: asset.into(),
        skill: Skill::Power,
        duration_h,
        release_h: 0.0,
        weight,
        priority: 0,
        load,
        district: None,
    };
    Instance::new(
        vec![job("bus:1", 2.0, 1.0, 5.0), job("bus:2", 1.0, 10.0, 1.0)],
        vec![Crew {
            id: "C".into(),
            skills: vec![Skill::Power],
        }],
        vec![vec![0.0, 0.0]],
        vec![],
    )
    .unwrap()
}

#[test]
fn a_hand_checked_problem_has_the_costs_worked_out_by_hand() {
    let instance = two_jobs();
    let exact = exact::solve(&instance, Duration::from_secs(10)).unwrap();
    assert_eq!(exact.objective, 13.0);
    assert_eq!(exact.lower_bound, Some(13.0));
    let strong = planners::strong(&instance, &Additive, fixed_budget(100)).unwrap();
    assert_eq!(strong.objective, 13.0);
    assert_eq!(strong.plan.assignments[0].job, 1);
    assert_eq!(
        planners::by_rule(&instance, &Additive, Rule::LargestLoad)
            .unwrap()
            .objective,
        32.0
    );
    assert_eq!(
        planners::by_rule(&instance, &Additive, Rule::ShortestRepair)
            .unwrap()
            .objective,
        13.0
    );
}

#[test]
fn the_exact_bound_is_never_above_any_order_on_tiny_problems() {
    for seed in 0..6u64 {
        let instance = generate::instance(100 + seed, 5, 1 + (seed as usize % 2)).unwrap();
        let exact = exact::solve(&instance, Duration::from_secs(60)).unwrap();
        exact.plan.check(&instance).unwrap();
        let mut order: Vec<usize> = (0..5).collect();
        let mut best = f64::INFINITY;
        permutations(&mut order, 0, &mut |order| {
            let plan = lifeline_restore::plan::decode(&instance, order);
            best = best.min(Additive.total(&instance, &plan));
        });
        let bound = exact.lower_bound.unwrap();
        assert!(
            bound <= best + 1e-9,
            "seed {seed}: the exact bound {bound} > best order {best}"
        );
        // The exact model's plan is its order decoded: one of the orders.
        assert!(
            exact.objective >= best - 1e-9,
            "seed {seed}: exact {} < best order {best}",
            exact.objective
        );
    }
}

fn permutations(items: &mut Vec<usize>, k: usize, visit: &mut dyn FnMut(&[usize])) {
    if k == items.len() {
        visit(items);
        return;
    }
    for i in k..items.len() {
        items.swap(k, i);
        permutations(items, k + 1, visit);
        items.swap(k, i);
    }
}

#[test]
fn the_same_seed_gives_the_same_problem_and_plan() {
    let a = generate::instance(3, 30, 4).unwrap();
    let b = generate::instance(3, 30, 4).unwrap();
    assert_eq!(a, b);
    let plan_a = planners::strong(&a, &Additive, fixed_budget(5_000)).unwrap();
    let plan_b = planners::strong(&b, &Additive, fixed_budget(5_000)).unwrap();
    assert_eq!(plan_a.plan, plan_b.plan);
    assert_ne!(a, generate::instance(4, 30, 4).unwrap());
}
