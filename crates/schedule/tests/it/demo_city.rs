//! The demo city's outage groups under a generation deficit.

use lifeline_cascade::City;
use lifeline_schedule::group::{self, CRITICAL};
use lifeline_schedule::schedule::deficits;
use lifeline_schedule::{Rules, rotation, scheduler};
use std::path::Path;

fn demo_city() -> City {
    City::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/demo-city/city.toml"))
        .unwrap()
}

#[test]
fn the_demo_groups_carry_the_citys_load_with_critical_feeders_exempt() {
    let city = demo_city();
    let groups = group::from_city(&city).unwrap();
    assert_eq!(groups.len(), 13, "12 queues and the critical group");
    let critical = groups.iter().find(|g| g.id == CRITICAL).unwrap();
    assert!(critical.critical);
    let total: f64 = groups.iter().map(|g| g.load_mw).sum();
    let case_total: f64 = city
        .districts
        .iter()
        .flat_map(|d| &d.buses)
        .map(|s| s.share * city.case.buses[s.position].p_load_mw.max(0.0))
        .sum();
    assert!((total - case_total).abs() < 1e-6, "{total} vs {case_total}");
    assert!(
        groups
            .iter()
            .filter(|g| !g.critical)
            .all(|g| g.load_mw > 0.0)
    );
}

#[test]
fn a_day_short_of_generation_is_covered_fairly_and_with_less_over_shed_than_the_rotation() {
    let city = demo_city();
    let groups = group::from_city(&city).unwrap();
    let total: f64 = groups.iter().map(|g| g.load_mw).sum();
    // 15 % short by day, 5 % at night.
    let capacity: Vec<f64> = (0..24)
        .map(|h| total * if (7..23).contains(&h) { 0.85 } else { 0.95 })
        .collect();
    let rules = Rules::new(60, 4.0, 2.0).unwrap();
    let deficit = deficits(&groups, &capacity);
    let fair = scheduler::fair(&groups, &deficit, &rules);
    let figures = fair.figures(&groups, &deficit, &rules);
    let naive = rotation::naive(&groups, &deficit).figures(&groups, &deficit, &rules);
    println!("fair {figures:?}\nrotation {naive:?}\ngroups {groups:?}");
    assert_eq!(figures.uncovered_slots, 0);
    assert!(figures.longest_off_slots <= 4);
    assert!(figures.off_spread_slots <= 1, "{figures:?}");
    assert!(figures.over_shed_mwh <= naive.over_shed_mwh);
}
