//! The demo city under the seed scenario (data/demo-city): the properties `lifeline demo`
//! must show, whatever the exact numbers.

use super::demo;
use lifeline_cascade::{CascadeResult, City, Scenario, simulate};
use std::collections::BTreeSet;
use std::sync::OnceLock;

/// The city and the seed scenario's result, computed once for all tests.
fn demo_run() -> &'static (City, CascadeResult) {
    static RUN: OnceLock<(City, CascadeResult)> = OnceLock::new();
    RUN.get_or_init(|| {
        let city = City::load(&demo("city.toml")).unwrap();
        let scenario = Scenario::load(&demo("scenarios/2024-03-22.toml"), &city).unwrap();
        let result = simulate(&city, &scenario, &mut |_, _| {}).unwrap();
        (city, result)
    })
}

#[test]
fn the_demo_city_is_as_described() {
    let (city, _) = demo_run();
    assert_eq!(city.districts.len(), 9);
    let population = city.population();
    assert!(
        (1_300_000..=1_500_000).contains(&population),
        "{population}"
    );
    let hospitals = city
        .facilities
        .iter()
        .filter(|f| f.kind == lifeline_cascade::city::FacilityKind::Hospital)
        .count();
    assert_eq!(hospitals, 6);
    assert_eq!(
        city.pump_stations
            .iter()
            .filter(|s| s.backup.is_some())
            .count(),
        2
    );
    assert!(city.pump_stations.len() >= 3);
    assert_eq!(city.outage_groups.len(), 12);
    let tanks = city
        .network
        .node_kinds
        .iter()
        .filter(|k| **k == lifeline_water::NodeKind::Tank)
        .count();
    assert!(tanks >= 2, "{tanks}");
}

#[test]
fn the_blackout_is_partial() {
    let (_, result) = demo_run();
    let dark: Vec<&str> = result
        .districts
        .iter()
        .filter(|d| d.peak_customers_without_power as f64 >= 0.9 * d.customers as f64)
        .map(|d| d.name.as_str())
        .collect();
    assert!(!dark.is_empty(), "no district went dark");
    assert!(
        dark.len() < result.districts.len(),
        "every district went dark: {dark:?}"
    );
    // At the worst moment, part of the city still has power.
    let peak = result.summary.peak_customers_without_power;
    assert!(peak > 0 && peak < result.summary.customers);
}

#[test]
fn water_is_lost_only_where_a_serving_pump_station_lost_power_or_was_hit() {
    let (city, result) = demo_run();
    let mut allowed = BTreeSet::new();
    for station in &city.pump_stations {
        let timeline = result
            .asset(&format!("pump_station:{}", station.id))
            .unwrap();
        if timeline.changes.iter().any(|c| c.state != "grid") {
            allowed.extend(
                station
                    .serves
                    .iter()
                    .map(|&d| city.districts[d].name.as_str()),
            );
        }
    }
    let dry: BTreeSet<&str> = result
        .districts
        .iter()
        .filter(|d| d.peak_people_without_water > 0)
        .map(|d| d.name.as_str())
        .collect();
    assert!(!dry.is_empty(), "no district lost water");
    assert!(
        dry.len() < result.districts.len(),
        "every district lost water"
    );
    assert!(dry.is_subset(&allowed), "{dry:?} not within {allowed:?}");
}

#[test]
fn service_comes_back_as_repairs_land() {
    let (_, result) = demo_run();
    let last = result.times_h.len() - 1;
    assert!(result.summary.peak_customers_without_power > 0);
    assert!(result.summary.peak_people_without_water > 0);
    assert_eq!(result.customers_without_power()[last], 0);
    assert_eq!(result.people_without_water()[last], 0);
    let restored = result.summary.full_restoration_h.unwrap();
    assert!(restored > result.summary.peak_customers_at_h && restored <= result.horizon_h);
    // Every struck asset with a repair is back in service by the end.
    for asset in &result.assets {
        let last = asset.changes.last().unwrap();
        assert!(
            matches!(last.state.as_str(), "in_service" | "grid" | "ok"),
            "{} ends {}",
            asset.asset,
            last.state
        );
    }
}

#[test]
fn people_are_conserved() {
    let (_, result) = demo_run();
    let hours = result.horizon_h;
    for d in &result.districts {
        assert_eq!(d.timeline.len(), result.times_h.len());
        for s in &d.timeline {
            assert!(
                s.customers_without_power <= d.customers,
                "{} {:?}",
                d.name,
                s
            );
            assert!(s.people_without_water <= d.population, "{} {:?}", d.name, s);
            assert!(s.served_mw <= s.load_mw + 1e-9);
            assert!(s.water_delivered_lps <= s.water_required_lps + 1e-9);
        }
        assert!(d.customer_hours_without_power <= d.customers as f64 * hours);
        assert!(d.person_hours_without_water <= d.population as f64 * hours);
    }
    let summary = &result.summary;
    let sum = |f: &dyn Fn(&lifeline_cascade::result::DistrictResult) -> u64| -> u64 {
        result.districts.iter().map(f).sum()
    };
    assert_eq!(summary.population, sum(&|d| d.population));
    assert_eq!(summary.customers, sum(&|d| d.customers));
    let hours_sum: f64 = result
        .districts
        .iter()
        .map(|d| d.customer_hours_without_power)
        .sum();
    assert!((summary.customer_hours_without_power - hours_sum).abs() < 1e-6);
    assert_eq!(
        summary.peak_customers_without_power,
        *result.customers_without_power().iter().max().unwrap()
    );
    assert_eq!(
        summary.peak_people_without_water,
        *result.people_without_water().iter().max().unwrap()
    );
}

#[test]
fn the_service_areas_cover_every_junction_and_the_map_every_district() {
    let (city, _) = demo_run();
    let junctions: usize = city.districts.iter().map(|d| d.junctions.len()).sum();
    let in_network = city
        .network
        .node_kinds
        .iter()
        .filter(|k| **k == lifeline_water::NodeKind::Junction)
        .count();
    assert_eq!(junctions, in_network);
    for d in &city.districts {
        let people: f64 = d.junction_people.iter().sum();
        assert!((people - d.population as f64).abs() < 1e-6 * d.population as f64);
        assert!(d.outline.is_some(), "{} has no outline", d.name);
    }
}

/// On the demo city (tanks filling and draining between the stops), scenarios struck at
/// 06:00 and repaired after different times share their water run until they part, and
/// each still gets the result it gets alone.
#[test]
fn shared_water_runs_of_the_demo_city_give_each_scenario_its_own_result() {
    let city = City::load(&demo("city.toml")).unwrap();
    let scenarios: Vec<Scenario> = [("bus:12", 3.0), ("bus:12", 8.0), ("branch:41", 3.0)]
        .iter()
        .enumerate()
        .map(|(k, (asset, repair_h))| {
            let text = format!(
                "name = \"s{k}\"\nhorizon_h = 20\n[[strike]]\nat = \"06:00\"\nasset = \"{asset}\"\nrepair_h = {repair_h}\n"
            );
            super::scenario(&city, &text).unwrap()
        })
        .collect();
    let cache = lifeline_cascade::WaterCache::new();
    super::assert_batch_matches_each_alone(&city, &scenarios, &cache, 2, "demo city");
}

/// A batch cancelled while its shared water runs are under way ends with `Cancelled`,
/// however far its branches had gone.
#[test]
fn a_batch_cancelled_while_its_runs_share_ends_cancelled() {
    let city = City::load(&demo("city.toml")).unwrap();
    let scenarios: Vec<Scenario> = (0..6)
        .map(|k| {
            let text = format!(
                "name = \"s{k}\"\nhorizon_h = 48\n[[strike]]\nat = \"02:00\"\nasset = \"bus:12\"\nrepair_h = {}\n",
                4 + k
            );
            super::scenario(&city, &text).unwrap()
        })
        .collect();
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let outcome = std::thread::scope(|scope| {
        scope.spawn(|| {
            std::thread::sleep(std::time::Duration::from_millis(30));
            cancel.store(true, std::sync::atomic::Ordering::Relaxed);
        });
        lifeline_cascade::simulate_batch_cancellable(
            &city,
            &scenarios,
            &lifeline_cascade::WaterCache::new(),
            &|| {},
            &cancel,
        )
    });
    assert!(
        matches!(
            outcome,
            Err(lifeline_cascade::CascadeError::Cancelled { .. })
        ),
        "{:?}",
        outcome.map(|results| results.len())
    );
}
