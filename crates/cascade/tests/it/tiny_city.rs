//! The tiny city (tests/data/tiny): a three-bus grid, a river intake pumping into one
//! 720 m³ tower (9.575 m across, 10 m deep) that feeds two districts drawing 20 and
//! 30 L/s. The intake's substation (bus 3) is hit at 02:00 and repaired at 12:00; its
//! diesel starts after 30 min and has 3 h of fuel.
//!
//! By hand: Riverside (bus 3, 20 MW, 1 200 customers) is dark 02:00–12:00: 12 000
//! customer-hours, 200 MWh. The intake runs on diesel 02:30–05:30, then stops. The full
//! tower drains at 50 L/s = 2.5 m/h and is empty by 09:30. EPANET closes an empty tank's
//! outlet from the next hydraulic step (10:00) and reopens it once the tank has water
//! again, one step after the intake restarts (13:00): all 4 000 people are without water
//! 10:00–13:00: 12 000 person-hours, 540 m³ at 50 L/s.

use super::{data, problems, scenario, tiny_city};
use lifeline_cascade::City;
use lifeline_cascade::simulate;
use lifeline_water::Engine;

fn run(text: &str) -> lifeline_cascade::CascadeResult {
    let city = tiny_city();
    let scenario = scenario(&city, text).unwrap();
    simulate(&city, &scenario, &mut |_, _| {}).unwrap()
}

/// The state changes of `asset` as (hour, state).
fn changes<'a>(result: &'a lifeline_cascade::CascadeResult, asset: &str) -> Vec<(f64, &'a str)> {
    let timeline = result.asset(asset).unwrap();
    timeline
        .changes
        .iter()
        .map(|c| (c.t_h, c.state.as_str()))
        .collect()
}

const SUBSTATION: &str = r#"
name = "Riverside substation"
horizon_h = 16
[[strike]]
at = "02:00"
asset = "bus:3"
repair_h = 10
"#;

#[test]
fn the_substation_strike_darkens_riverside_for_ten_hours() {
    let result = run(SUBSTATION);
    let hill = result.district("Hill").unwrap();
    let riverside = result.district("Riverside").unwrap();
    for sample in &hill.timeline {
        assert_eq!(sample.customers_without_power, 0, "at {} h", sample.t_h);
    }
    for sample in &riverside.timeline {
        let dark = (2.0..12.0).contains(&sample.t_h);
        assert_eq!(
            sample.customers_without_power,
            if dark { 1200 } else { 0 },
            "at {} h",
            sample.t_h
        );
    }
    assert_eq!(riverside.customer_hours_without_power, 12_000.0);
    assert!(
        (riverside.unserved_mwh - 200.0).abs() < 1e-9,
        "{}",
        riverside.unserved_mwh
    );
    assert_eq!(result.summary.power_restored_h, Some(12.0));
    let bus = result.asset("bus:3").unwrap();
    assert_eq!(bus.state_at(1.0), Some("in_service"));
    assert_eq!(bus.state_at(2.0), Some("damaged"));
    assert_eq!(bus.state_at(12.0), Some("in_service"));
}

#[test]
fn the_diesel_starts_after_its_delay_and_runs_out_of_fuel_at_05_30() {
    let result = run(SUBSTATION);
    assert_eq!(
        changes(&result, "pump_station:INTAKE"),
        [
            (0.0, "grid"),
            (2.0, "waiting_for_backup"),
            (2.5, "backup"),
            (5.5, "no_power"),
            (12.0, "grid")
        ]
    );
}

#[test]
fn fuel_burns_only_while_the_diesel_runs() {
    // Out 02:00–04:00 (diesel 02:30–04:00: 1.5 h burnt), again from 06:00: the diesel
    // starts at 06:30 with 1.5 h left and stops at 08:00.
    let result = run(r#"
name = "Two strikes"
horizon_h = 12
[[strike]]
at = "02:00"
asset = "bus:3"
repair_h = 2
[[strike]]
at = "06:00"
asset = "bus:3"
repair_h = 4
"#);
    assert_eq!(
        changes(&result, "pump_station:INTAKE"),
        [
            (0.0, "grid"),
            (2.0, "waiting_for_backup"),
            (2.5, "backup"),
            (4.0, "grid"),
            (6.0, "waiting_for_backup"),
            (6.5, "backup"),
            (8.0, "no_power"),
            (10.0, "grid"),
        ]
    );
}

#[test]
fn the_tower_drains_at_2_5_m_per_hour_and_the_taps_run_dry_at_10_00() {
    let result = run(SUBSTATION);
    let tower = &result.tanks[0];
    assert_eq!(tower.id, "TOWER");
    let level =
        |t: usize| tower.level_m[result.times_h.iter().position(|&x| x == t as f64).unwrap()];
    for t in 6..9 {
        assert!(
            (level(t) - level(t + 1) - 2.5).abs() < 1e-3,
            "{} → {}",
            level(t),
            level(t + 1)
        );
    }
    assert!(level(9) > 0.0 && level(9) < 2.5);
    assert_eq!(level(10), 0.0);
    assert!(level(13) > 0.0);
    for district in &result.districts {
        for sample in &district.timeline {
            let dry = (10.0..13.0).contains(&sample.t_h);
            let expected = if dry { district.population } else { 0 };
            assert_eq!(
                sample.people_without_water, expected,
                "{} at {} h",
                district.name, sample.t_h
            );
        }
    }
    let hill = result.district("Hill").unwrap();
    assert_eq!(hill.person_hours_without_water, 3_000.0);
    assert_eq!(result.summary.person_hours_without_water, 12_000.0);
    assert!(
        (result.summary.unserved_m3 - 540.0).abs() < 0.01,
        "{}",
        result.summary.unserved_m3
    );
    assert_eq!(result.summary.water_restored_h, Some(13.0));
    assert_eq!(result.summary.full_restoration_h, Some(13.0));
    assert!(
        result.stats.water_warnings.is_empty(),
        "{:?}",
        result.stats.water_warnings
    );
}

#[test]
fn the_clinic_loses_power_then_water_and_gets_both_back() {
    let result = run(SUBSTATION);
    assert_eq!(
        changes(&result, "facility:CLINIC"),
        [
            (0.0, "ok"),
            (2.0, "no_power"),
            (10.0, "no_power_no_water"),
            (12.0, "no_water"),
            (13.0, "ok")
        ]
    );
}

#[test]
fn a_struck_pump_station_stops_whatever_its_power() {
    let result = run(r#"
name = "Intake hit"
horizon_h = 16
[[strike]]
at = "01:00"
asset = "pump_station:INTAKE"
damage = "destroyed"
"#);
    let station = result.asset("pump_station:INTAKE").unwrap();
    assert_eq!(station.state_at(0.5), Some("grid"));
    assert_eq!(station.state_at(15.0), Some("destroyed"));
    assert_eq!(result.summary.peak_customers_without_power, 0);
    assert_eq!(result.summary.peak_people_without_water, 4000);
    assert_eq!(result.summary.water_restored_h, None);
    assert_eq!(result.summary.full_restoration_h, None);
}

#[test]
fn a_generation_limit_sheds_load_and_pump_stations_last() {
    // 25 MW for 50 MW of load: ordinary load is shed first; the intake's bus (priority 3
    // through the clinic) keeps its supply.
    let result = run(r#"
name = "Short of generation"
horizon_h = 4
[[capacity]]
from_h = 1
to_h = 3
available_mw = 25
"#);
    let hill = result.district("Hill").unwrap();
    let riverside = result.district("Riverside").unwrap();
    let at = |t: f64| result.times_h.iter().position(|&x| x == t).unwrap();
    assert_eq!(hill.timeline[at(0.0)].customers_without_power, 0);
    assert!(
        hill.timeline[at(1.0)].customers_without_power > 200,
        "{:?}",
        hill.timeline[at(1.0)]
    );
    assert_eq!(riverside.timeline[at(1.0)].customers_without_power, 0);
    assert_eq!(hill.timeline[at(3.0)].customers_without_power, 0);
    assert_eq!(
        result.asset("pump_station:INTAKE").unwrap().changes.len(),
        1
    );
}

#[test]
fn a_shared_water_run_gives_the_same_result_and_is_made_once() {
    let city = tiny_city();
    let texts = [
        // The intake's bus goes dark: the pump stops until the repair.
        "name = \"a\"\nhorizon_h = 12\n[[strike]]\nat = \"01:00\"\nasset = \"bus:3\"\nrepair_h = 4\n",
        // The same strike told another way: the same water run.
        "name = \"b\"\ndescription = \"the same\"\nhorizon_h = 12\nstep_h = 1\n[[strike]]\nat = \"1:00\"\nasset = \"bus:3\"\nrepair_h = 4.0\n",
        // The intake itself: its generator cannot take over, so another water run.
        "name = \"e\"\nhorizon_h = 12\n[[strike]]\nat = \"01:00\"\nasset = \"pump_station:INTAKE\"\nrepair_h = 4\n",
        // Nothing hit, and a generation limit that sheds no pump: the intact network.
        "name = \"c\"\nhorizon_h = 12\n",
        "name = \"d\"\nhorizon_h = 12\n[[capacity]]\nfrom_h = 2\nto_h = 5\navailable_mw = 1000\n",
    ];
    let scenarios: Vec<_> = texts.iter().map(|t| scenario(&city, t).unwrap()).collect();
    let cache = lifeline_cascade::WaterCache::new();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let shared = lifeline_cascade::simulate_batch(&city, &scenarios, &cache, &|| {
        done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    })
    .unwrap();
    for (scenario, shared) in scenarios.iter().zip(shared) {
        let alone = lifeline_cascade::simulate(&city, scenario, &mut |_, _| {}).unwrap();
        assert_eq!(alone, shared.unwrap(), "{}", scenario.name);
    }
    assert_eq!(done.into_inner(), 5);
    // b is a again; d leaves the network alone like c (its limit's edges, 02:00 and 05:00,
    // are reported hours anyway): three water runs for five scenarios.
    assert_eq!(cache.len(), 3);
    // A second batch of the same scenarios makes none.
    lifeline_cascade::simulate_batch(&city, &scenarios, &cache, &|| {}).unwrap();
    assert_eq!(cache.len(), 3);
}

#[test]
fn assets_are_named_from_the_city_and_the_grid() {
    use lifeline_cascade::scenario::AssetId;
    let mut city = tiny_city();
    let name = |city: &lifeline_cascade::City, asset: AssetId| city.asset_name(&asset);
    assert_eq!(name(&city, AssetId::Bus(3)), "substation 3 (Riverside)");
    // Bus 1 holds the generator and no district's load.
    assert_eq!(name(&city, AssetId::Bus(1)), "substation 1");
    assert_eq!(name(&city, AssetId::Branch(1)), "line 1–3");
    assert_eq!(
        name(&city, AssetId::Generator(0)),
        "generator at substation 1"
    );
    assert_eq!(
        name(&city, AssetId::PumpStation("INTAKE".into())),
        "River intake"
    );
    assert_eq!(name(&city, AssetId::Pipe("P1".into())), "pipe P1");
    assert_eq!(name(&city, AssetId::Tank("T1".into())), "tank T1");

    // The grid file's bus name leads (its padding dropped); a tap ratio makes a
    // transformer.
    city.case.buses[2].name = Some("  Mill   Road ".into());
    city.case.branches[1].tap_ratio = 0.975;
    assert_eq!(
        name(&city, AssetId::Bus(3)),
        "Mill Road, substation 3 (Riverside)"
    );
    assert_eq!(name(&city, AssetId::Branch(1)), "transformer 1–3");

    // A shared bus is named after the district holding the largest share of it.
    city.districts[0].buses[0].bus = 3;
    city.districts[0].buses[0].share = 0.6;
    city.districts[1].buses[0].share = 0.4;
    assert_eq!(
        name(&city, AssetId::Bus(3)),
        "Mill Road, substation 3 (Hill)"
    );

    // A struck asset's timeline carries its name.
    let city = tiny_city();
    let scenario = scenario(&city, SUBSTATION).unwrap();
    let result = simulate(&city, &scenario, &mut |_, _| {}).unwrap();
    assert_eq!(
        result.asset("bus:3").unwrap().name,
        "substation 3 (Riverside)"
    );
}

#[test]
fn a_station_without_power_kw_draws_what_its_pumps_need_at_their_design_point() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["grid.m", "water.inp", "service-areas.csv"] {
        std::fs::copy(data("tiny").join(name), dir.path().join(name)).unwrap();
    }
    let text = std::fs::read_to_string(data("tiny/city.toml")).unwrap();
    std::fs::write(
        dir.path().join("city.toml"),
        text.replace("power_kw = 100\n", ""),
    )
    .unwrap();
    let city = City::load(&dir.path().join("city.toml")).unwrap();
    // The intake's one-point curve: 100 L/s at 70 m, at EPANET's 75 % global
    // efficiency: 9.81 kN/m³ × 0.1 m³/s × 70 m / 0.75 = 91.56 kW.
    let kw = city.pump_stations[0].power_kw;
    assert!((kw - 9.81 * 0.1 * 70.0 / 0.75).abs() < 1e-6, "{kw}");
    // An absurd figure is refused with its line.
    std::fs::write(
        dir.path().join("city.toml"),
        text.replace("power_kw = 100", "power_kw = 1e9"),
    )
    .unwrap();
    let found = problems(City::load(&dir.path().join("city.toml")).unwrap_err());
    assert!(
        found
            .iter()
            .any(|p| p
                .contains(":32:12: pump station 'INTAKE': power_kw must be above 0 and at most")),
        "{found:#?}"
    );
}

/// Scenarios that agree up to a time share their water run that far (a tree of runs):
/// each result is still the one the scenario gives alone, whatever it shares with whom,
/// over different horizons, with strikes at different hours and repairs of different
/// lengths, a key that parts from another only by its horizon, and one that parts at 0 h.
#[test]
fn water_runs_that_share_their_beginnings_give_each_scenario_its_own_result() {
    let city = tiny_city();
    // A scenario's text: its name, horizon (h) and strikes (at, asset, repair h).
    let text = |name: &str, horizon_h: u32, strikes: &[(&str, &str, f64)]| {
        let mut text = format!("name = \"{name}\"\nhorizon_h = {horizon_h}\n");
        for (at, asset, repair_h) in strikes {
            text +=
                &format!("[[strike]]\nat = \"{at}\"\nasset = \"{asset}\"\nrepair_h = {repair_h}\n");
        }
        text
    };
    let texts = [
        text("a", 12, &[("03:00", "bus:3", 2.0)]),
        text("b", 12, &[("03:00", "bus:3", 5.0)]),
        text("c", 18, &[("03:00", "bus:3", 5.0)]),
        text("d", 12, &[("06:30", "bus:3", 1.5)]),
        text(
            "e",
            12,
            &[
                ("03:00", "bus:3", 2.0),
                ("07:00", "pump_station:INTAKE", 3.0),
            ],
        ),
        text("f", 12, &[("00:00", "bus:3", 2.0)]),
        text("g", 15, &[]),
    ];
    let scenarios: Vec<_> = texts.iter().map(|t| scenario(&city, t).unwrap()).collect();
    // EPANET's runs cannot be copied: each is made alone, to the longest horizon. The
    // nine native runs go four to a thread in lock-step on one thread, and one at a
    // time per thread on two and on nine (too few to give each thread two packs).
    for (engine, threads) in [
        (Engine::Native, 1),
        (Engine::Native, 2),
        (Engine::Native, 9),
        (Engine::Epanet, 2),
    ] {
        let city = City {
            water_engine: engine,
            ..city.clone()
        };
        let cache = lifeline_cascade::WaterCache::new();
        let context = format!("{engine:?}");
        super::assert_batch_matches_each_alone(&city, &scenarios, &cache, threads, &context);
        // Seven scenarios and the normal days of 12 h and 18 h (g is the normal day of
        // 15 h): nine runs, none the same.
        assert_eq!(cache.len(), 9);
    }
}
