//! Losses are measured against the city's normal day: a city short of water or power
//! with no strikes at all reports its shortfall as `baseline`, never as a loss.

use crate::{data, scenario};
use lifeline_cascade::result::{CascadeResult, DistrictSample};
use lifeline_cascade::{City, simulate};
use proptest::prelude::*;
use std::path::Path;

/// How a variant of the tiny city differs from it.
#[derive(Debug, Clone)]
struct Variant {
    /// Elevation of junction JB (Riverside), m: high enough and it is short at times.
    jb_elevation_m: f64,
    /// Base demands of JA and JB, L/s.
    demands_lps: (f64, f64),
    /// A demand pattern (hourly multipliers) shared by both junctions.
    pattern: Vec<f64>,
    /// The plant's PMAX, MW (the load is 50 MW).
    p_max_mw: f64,
}

impl Variant {
    /// Writes the city into `dir` and loads it.
    fn city(&self, dir: &Path) -> City {
        let tiny = |name: &str| std::fs::read_to_string(data("tiny").join(name)).unwrap();
        let pattern: Vec<String> = self.pattern.iter().map(|m| format!("{m:.3}")).collect();
        let water = tiny("water.inp")
            .replace(
                "JA     20     20\nJB     20     30",
                &format!(
                    "JA     20     {:.3}   DAY\nJB     {:.3}     {:.3}   DAY",
                    self.demands_lps.0, self.jb_elevation_m, self.demands_lps.1
                ),
            )
            .replace(
                "[CURVES]",
                &format!("[PATTERNS]\nDAY {}\n\n[CURVES]", pattern.join(" ")),
            );
        let grid = tiny("grid.m").replace(
            "1	50	0	100	-100	1.02	100	1	200	0;",
            &format!("1	{0:.3}	0	100	-100	1.02	100	1	{0:.3}	0;", self.p_max_mw),
        );
        std::fs::write(dir.join("water.inp"), water).unwrap();
        std::fs::write(dir.join("grid.m"), grid).unwrap();
        for name in ["city.toml", "service-areas.csv"] {
            std::fs::copy(data("tiny").join(name), dir.join(name)).unwrap();
        }
        City::load(&dir.join("city.toml")).unwrap()
    }
}

/// Every loss figure of `result`, city-wide, per district and per reported time.
fn losses(result: &CascadeResult) -> Vec<f64> {
    let sample = |s: &DistrictSample| {
        [
            s.customers_without_power as f64,
            s.people_without_water as f64,
        ]
    };
    let s = &result.summary;
    let mut all = vec![
        s.customer_hours_without_power,
        s.person_hours_without_water,
        s.unserved_mwh,
        s.unserved_m3,
        s.peak_customers_without_power as f64,
        s.peak_people_without_water as f64,
    ];
    for d in &result.districts {
        all.extend([
            d.customer_hours_without_power,
            d.person_hours_without_water,
            d.unserved_mwh,
            d.unserved_m3,
            d.peak_customers_without_power as f64,
            d.peak_people_without_water as f64,
        ]);
        all.extend(d.timeline.iter().flat_map(sample));
    }
    all
}

/// The tiny city on a hot day: the Riverside junction sits high, so the evening peak
/// leaves it dry, and the plant cannot carry the whole load.
pub(super) fn short_city(dir: &Path) -> City {
    Variant {
        jb_elevation_m: 58.0,
        demands_lps: (20.0, 30.0),
        pattern: vec![0.6, 0.6, 0.8, 1.0, 1.2, 1.6, 1.8, 1.4],
        p_max_mw: 40.0,
    }
    .city(dir)
}

#[test]
fn a_normal_day_short_of_water_and_power_is_the_baseline_not_a_loss() {
    let dir = tempfile::tempdir().unwrap();
    let city = short_city(dir.path());
    let quiet = scenario(&city, "name = \"quiet\"\nhorizon_h = 24\n").unwrap();
    let result = simulate(&city, &quiet, &mut |_, _| {}).unwrap();
    assert!(
        losses(&result).iter().all(|&v| v == 0.0),
        "{:#?}",
        result.summary
    );
    let normal = &result.summary.baseline;
    assert!(normal.person_hours_without_water > 0.0, "{normal:?}");
    assert!(normal.peak_people_without_water > 0, "{normal:?}");
    // 10 MW of the 50 MW load cannot be carried all day long.
    assert!((normal.unserved_mwh - 240.0).abs() < 1e-3, "{normal:?}");
    let summed: f64 = result
        .districts
        .iter()
        .map(|d| d.baseline.person_hours_without_water)
        .sum();
    assert!((summed - normal.person_hours_without_water).abs() < 1e-6);
    // Nothing was lost, so everything is back from the start.
    assert_eq!(result.summary.power_restored_h, Some(0.0));
    assert_eq!(result.summary.water_restored_h, Some(0.0));
}

#[test]
fn a_struck_substation_loses_only_what_the_normal_day_serves() {
    let dir = tempfile::tempdir().unwrap();
    let city = short_city(dir.path());
    // Hill's substation (30 MW) is out all day. On the normal day the plant's 40 MW
    // serve Riverside's 20 MW (the pump station and the clinic come first) and 20 of
    // Hill's 30 MW: the strike loses those 20 MW, two thirds of Hill's 400 customers.
    let strike = scenario(
        &city,
        "name = \"hill\"\nhorizon_h = 24\n[[strike]]\nat = \"00:00\"\nasset = \"bus:2\"\nrepair_h = 24\n",
    )
    .unwrap();
    let result = simulate(&city, &strike, &mut |_, _| {}).unwrap();
    let hill = result.district("Hill").unwrap();
    assert!(
        (hill.unserved_mwh - 20.0 * 24.0).abs() < 1e-3,
        "{}",
        hill.unserved_mwh
    );
    assert_eq!(hill.peak_customers_without_power, 267);
    assert!((hill.baseline.unserved_mwh - 10.0 * 24.0).abs() < 1e-3);
    assert_eq!(hill.baseline.peak_customers_without_power, 133);
    let riverside = result.district("Riverside").unwrap();
    assert_eq!(riverside.unserved_mwh, 0.0);
}

fn variant() -> impl Strategy<Value = Variant> {
    (
        20.0..62.0f64,
        (1.0..60.0f64, 1.0..60.0f64),
        prop::collection::vec(0.2..2.0f64, 1..8),
        20.0..80.0f64,
    )
        .prop_map(|(jb_elevation_m, demands_lps, pattern, p_max_mw)| Variant {
            jb_elevation_m,
            demands_lps,
            pattern,
            p_max_mw,
        })
}

fn strikes() -> impl Strategy<Value = Vec<(String, u32, u32)>> {
    let asset = prop::sample::select(vec![
        "bus:2",
        "bus:3",
        "branch:1",
        "branch:2",
        "gen:1",
        "pump_station:INTAKE",
        "pipe:LINK",
        "tank:TOWER",
    ]);
    prop::collection::vec((asset.prop_map(str::to_string), 0..20u32, 1..12u32), 1..4)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn losses_are_zero_without_strikes_and_bounded_with_them(
        variant in variant(),
        strikes in strikes(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let city = variant.city(dir.path());
        let quiet = scenario(&city, "name = \"quiet\"\nhorizon_h = 24\n").unwrap();
        let result = simulate(&city, &quiet, &mut |_, _| {}).unwrap();
        prop_assert!(losses(&result).iter().all(|&v| v == 0.0), "{:#?}", result.summary);

        // Distinct assets, so that no two strikes of one asset overlap.
        let mut text = String::from("name = \"strikes\"\nhorizon_h = 24\n");
        let mut seen = Vec::new();
        for (asset, at_h, repair_h) in strikes {
            if !seen.contains(&asset) {
                text += &format!("[[strike]]\nat = \"{at_h:02}:00\"\nasset = \"{asset}\"\nrepair_h = {repair_h}\n");
                seen.push(asset);
            }
        }
        let struck = scenario(&city, &text).unwrap();
        let result = simulate(&city, &struck, &mut |_, _| {}).unwrap();
        prop_assert!(losses(&result).iter().all(|&v| v >= 0.0 && v.is_finite()));
        let s = &result.summary;
        prop_assert!(s.peak_customers_without_power <= s.customers);
        prop_assert!(s.peak_people_without_water <= s.population);
        prop_assert!(s.customer_hours_without_power <= s.customers as f64 * 24.0 + 1e-6);
        prop_assert!(s.person_hours_without_water <= s.population as f64 * 24.0 + 1e-6);
        for d in &result.districts {
            for sample in &d.timeline {
                prop_assert!(sample.customers_without_power <= d.customers);
                prop_assert!(sample.people_without_water <= d.population);
            }
            // The strikes' loss and the normal day's shortfall never add up to more
            // than everyone all the time.
            prop_assert!(d.person_hours_without_water + d.baseline.person_hours_without_water
                <= d.population as f64 * 24.0 + 1e-6);
            prop_assert!(d.customer_hours_without_power + d.baseline.customer_hours_without_power
                <= d.customers as f64 * 24.0 + 1e-6);
        }
    }
}

#[test]
fn the_normal_day_is_made_once_for_runs_that_share_a_cache() {
    use lifeline_cascade::{WaterCache, simulate_shared};
    use std::sync::atomic::AtomicBool;
    let dir = tempfile::tempdir().unwrap();
    let city = short_city(dir.path());
    let never = AtomicBool::new(false);
    let strike = |hours: u32| {
        scenario(
            &city,
            &format!("name = \"intake\"\nhorizon_h = 24\n[[strike]]\nat = \"01:00\"\nasset = \"pump_station:INTAKE\"\nrepair_h = {hours}\n"),
        )
        .unwrap()
    };
    let cache = WaterCache::new();
    let first = simulate_shared(&city, &strike(3), &mut |_, _| {}, &never, &cache).unwrap();
    // The normal day and the scenario's own run.
    assert_eq!(cache.len(), 2);
    let second = simulate_shared(&city, &strike(5), &mut |_, _| {}, &never, &cache).unwrap();
    // Its own run, the normal day's taken from the cache.
    assert_eq!(cache.len(), 3);
    // Results are those of runs made afresh.
    assert_eq!(first, simulate(&city, &strike(3), &mut |_, _| {}).unwrap());
    assert_eq!(second, simulate(&city, &strike(5), &mut |_, _| {}).unwrap());
    // A bounded cache forgets everything once full.
    let bounded = WaterCache::with_limit(1);
    simulate_shared(&city, &strike(3), &mut |_, _| {}, &never, &bounded).unwrap();
    assert!(bounded.len() <= 1);
}

/// On a city short of water and power on a normal day, a batch of intake outages struck
/// at 01:00 and repaired after different times shares its water runs until they part,
/// and each scenario still gets the result it gets alone: on one thread the nine runs
/// (eight scenarios and the normal day) go four side by side in lock-step, on two one
/// at a time per thread.
#[test]
fn shared_water_runs_of_a_city_short_on_a_normal_day_give_each_scenario_its_own_result() {
    let dir = tempfile::tempdir().unwrap();
    let city = short_city(dir.path());
    let scenarios: Vec<_> = [1, 2, 3, 4, 5, 6, 7, 9]
        .iter()
        .map(|hours| {
            scenario(
                &city,
                &format!("name = \"intake {hours} h\"\nhorizon_h = 24\n[[strike]]\nat = \"01:00\"\nasset = \"pump_station:INTAKE\"\nrepair_h = {hours}\n"),
            )
            .unwrap()
        })
        .collect();
    for threads in [1, 2] {
        let cache = lifeline_cascade::WaterCache::new();
        crate::assert_batch_matches_each_alone(&city, &scenarios, &cache, threads, "short city");
    }
}
