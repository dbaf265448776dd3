//! Forecasts on the tiny city (two districts, one substation each, a river intake with a
//! diesel), where a cascade run takes milliseconds: certain repairs give `simulate`'s
//! times, uncertain ones are calibrated, and a forecast is the same on any thread count.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use lifeline_cascade::source::Source;
use lifeline_cascade::{City, Scenario, simulate};
use lifeline_forecast::draw::{RepairModel, apply, sample};
use lifeline_forecast::{Dispatch, ForecastError, ForecastRequest, forecast};
use std::path::Path;

mod dispatch;

pub(crate) fn tiny() -> City {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../cascade/tests/data/tiny/city.toml");
    City::load(&path).unwrap()
}

pub(crate) fn scenario(city: &City, text: &str) -> Scenario {
    Scenario::parse(&Source::new("inline.toml", text.to_string()), city).unwrap()
}

pub(crate) fn request(samples: usize, seed: u64) -> ForecastRequest {
    ForecastRequest {
        samples,
        seed,
        at_s: None,
    }
}

pub(crate) const CERTAIN: &str = "name = \"certain\"\nhorizon_h = 24\n[[strike]]\nat = \"02:00\"\nasset = \"bus:3\"\nrepair_h = 10\n[[strike]]\nat = \"03:00\"\nasset = \"pump_station:INTAKE\"\nrepair_h = 5\n";

pub(crate) const UNCERTAIN: &str = "name = \"uncertain\"\nhorizon_h = 24\n[[strike]]\nat = \"02:00\"\nasset = \"bus:3\"\nrepair_h = { median = 10, p90 = 20 }\ndestroyed_probability = 0.2\ndestroyed_repair_h = { median = 30, p90 = 45 }\n[[strike]]\nat = \"03:00\"\nasset = \"pump_station:INTAKE\"\nrepair_h = { median = 5, p90 = 12 }\n";

#[test]
fn certain_repairs_give_simulate_s_times_in_every_quantile() {
    let city = tiny();
    let scenario = scenario(&city, CERTAIN);
    let truth = simulate(&city, &scenario, &mut |_, _| {}).unwrap();
    let f = forecast(
        &city,
        &scenario,
        &request(20, 1),
        &Dispatch::Unlimited,
        &|| {},
    )
    .unwrap();
    assert!(f.certain);
    assert_eq!(
        f.water_runs_made, 1,
        "identical samples share one water run"
    );
    for (d, t) in f.districts.iter().zip(&truth.districts) {
        for q in [d.power_back_h.p10, d.power_back_h.p50, d.power_back_h.p90] {
            assert_eq!(q, t.power_restored_h, "{}", d.name);
        }
        for q in [d.water_back_h.p10, d.water_back_h.p50, d.water_back_h.p90] {
            assert_eq!(q, t.water_restored_h, "{}", d.name);
        }
    }
    // Each district's fan is its own timeline when every sample is the same.
    for (d, t) in f.districts.iter().zip(&truth.districts) {
        assert_eq!(d.fan.len(), t.timeline.len(), "{}", d.name);
        for (point, sample) in d.fan.iter().zip(&t.timeline) {
            assert_eq!(
                point.customers_without_power.p10,
                sample.customers_without_power
            );
            assert_eq!(
                point.customers_without_power.p90,
                sample.customers_without_power
            );
            assert_eq!(point.people_without_water.p50, sample.people_without_water);
        }
    }
    let riverside = &f.districts[1];
    assert_eq!(riverside.power_back_h.p50, Some(12.0));
    assert_eq!(riverside.by_hour[11].power, 0.0);
    assert_eq!(riverside.by_hour[12].power, 1.0);
}

/// The true back time of district `d` for one draw of the repairs (a sample of its own
/// stream, never one the forecast used).
fn truth(
    city: &City,
    scenario: &Scenario,
    seed: u64,
    horizon_h: f64,
    d: usize,
) -> (Option<f64>, Option<f64>) {
    let models: Vec<Option<RepairModel>> = scenario
        .strikes
        .iter()
        .map(|s| RepairModel::of(city, s))
        .collect();
    let drawn = sample(scenario, &models, seed, 0, None);
    let run = apply(scenario, &drawn, (horizon_h * 3600.0) as i64);
    let result = simulate(city, &run, &mut |_, _| {}).unwrap();
    (
        result.districts[d].power_restored_h,
        result.districts[d].water_restored_h,
    )
}

#[test]
fn the_80_percent_intervals_hold_the_truth_80_percent_of_the_time() {
    let city = tiny();
    let scenario = scenario(&city, UNCERTAIN);
    let f = forecast(
        &city,
        &scenario,
        &request(1000, 7),
        &Dispatch::Unlimited,
        &|| {},
    )
    .unwrap();
    assert!(!f.certain);
    assert!(f.samples_with_destroyed > 100 && f.samples_with_destroyed < 300);
    let riverside = &f.districts[1];
    let (low, high) = (
        riverside.power_back_h.p10.unwrap(),
        riverside.power_back_h.p90.unwrap(),
    );
    let (wlow, whigh) = (riverside.water_back_h.p10, riverside.water_back_h.p90);
    let trials = 400;
    let mut power_inside = 0;
    let mut water_inside = 0;
    for trial in 0..trials {
        // Truth streams are seeded apart from the forecast's.
        let (power, water) = truth(&city, &scenario, 1_000_000 + trial, f.horizon_h, 1);
        let power = power.unwrap_or(f64::INFINITY);
        power_inside += usize::from(low <= power && power <= high);
        let water = water.unwrap_or(f64::INFINITY);
        let inside =
            wlow.unwrap_or(f64::INFINITY) <= water && water <= whigh.unwrap_or(f64::INFINITY);
        water_inside += usize::from(inside);
    }
    let power_share = power_inside as f64 / trials as f64;
    let water_share = water_inside as f64 / trials as f64;
    println!("80 % intervals: power {power_share:.3}, water {water_share:.3} of {trials} truths");
    assert!((power_share - 0.8).abs() <= 0.05, "power: {power_share}");
    assert!(water_share >= 0.75, "water: {water_share}");
}

#[test]
fn a_forecast_is_the_same_on_any_thread_count() {
    let city = tiny();
    let scenario = scenario(&city, UNCERTAIN);
    let run = |threads| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            forecast(
                &city,
                &scenario,
                &request(64, 3),
                &Dispatch::Unlimited,
                &|| {},
            )
            .unwrap()
        })
    };
    let (one, two) = (run(1), run(2));
    assert_eq!(one.districts, two.districts);
    assert_eq!(one.fan, two.fan);
    let other_seed = forecast(
        &city,
        &scenario,
        &request(64, 4),
        &Dispatch::Unlimited,
        &|| {},
    )
    .unwrap();
    assert_ne!(one.districts, other_seed.districts);
}

#[test]
fn a_forecast_from_a_moment_keeps_what_is_done() {
    let city = tiny();
    let scenario = scenario(&city, UNCERTAIN);
    // At 09:00 the intake (median 5 h from 03:00) is done in the scenario; the
    // substation (10 h from 02:00) is under way: it is back after 09:00 in every sample.
    let f = forecast(
        &city,
        &scenario,
        &ForecastRequest {
            samples: 200,
            seed: 1,
            at_s: Some(9 * 3600),
        },
        &Dispatch::Unlimited,
        &|| {},
    )
    .unwrap();
    assert_eq!(f.at_h, Some(9.0));
    let riverside = &f.districts[1];
    assert!(riverside.power_back_h.p10.unwrap() > 9.0);
    assert!(riverside.by_hour[9].power == 0.0);
}

#[test]
fn bad_requests_name_their_field() {
    let city = tiny();
    let scenario = scenario(&city, CERTAIN);
    let field =
        |r: ForecastRequest| match forecast(&city, &scenario, &r, &Dispatch::Unlimited, &|| {}) {
            Err(ForecastError::Request(e)) => e.field,
            other => panic!("{other:?}"),
        };
    assert_eq!(field(request(0, 1)), "samples");
    assert_eq!(field(request(1_000_000, 1)), "samples");
    assert_eq!(
        field(ForecastRequest {
            samples: 5,
            seed: 1,
            at_s: Some(30 * 3600)
        }),
        "at"
    );
}

#[test]
fn a_forecast_in_shards_merges_into_the_forecast_of_one_process() {
    use lifeline_forecast::part::{MergeError, Part, Shard, merge, run_part};
    let city = tiny();
    let scenario = scenario(&city, UNCERTAIN);
    let request = request(50, 11);
    let whole = forecast(&city, &scenario, &request, &Dispatch::Unlimited, &|| {}).unwrap();
    let never = std::sync::atomic::AtomicBool::new(false);
    let parts: Vec<(String, Part)> = (0..3)
        .map(|index| {
            let shard = Shard { index, count: 3 };
            let part = run_part(
                &city,
                &scenario,
                &request,
                &Dispatch::Unlimited,
                shard,
                &|| {},
                &never,
            )
            .unwrap();
            // Through the file format and back.
            let text = serde_json::to_string(&part).unwrap();
            (
                format!("part-{index}.json"),
                serde_json::from_str(&text).unwrap(),
            )
        })
        .collect();
    assert_eq!(
        parts.iter().map(|(_, p)| p.outcomes.len()).sum::<usize>(),
        50
    );
    let merged = merge(&parts).unwrap();
    for (m, w) in merged.districts.iter().zip(&whole.districts) {
        assert_eq!(
            (m.power_back_h, m.water_back_h),
            (w.power_back_h, w.water_back_h),
            "{}",
            m.name
        );
        assert!(
            m.by_hour == w.by_hour,
            "{}: the chance by each hour differs",
            m.name
        );
        assert!(m.fan == w.fan, "{}: the district's fan differs", m.name);
    }
    assert!(merged.fan == whole.fan, "the city's fan differs");
    assert_eq!(
        (
            merged.samples,
            merged.samples_with_destroyed,
            merged.horizon_h,
            merged.certain
        ),
        (
            whole.samples,
            whole.samples_with_destroyed,
            whole.horizon_h,
            whole.certain
        )
    );
    // A part missing, a part twice, a part of another forecast: refused.
    match merge(&parts[..2]) {
        Err(MergeError::Missing { missing, count }) => assert_eq!((missing, count), (vec![2], 3)),
        other => panic!("{other:?}"),
    }
    let twice = [
        parts[0].clone(),
        parts[0].clone(),
        parts[1].clone(),
        parts[2].clone(),
    ];
    assert!(matches!(
        merge(&twice),
        Err(MergeError::Twice { index: 0, .. })
    ));
    let mut other = parts.clone();
    other[1].1.header.seed = 12;
    assert!(matches!(
        merge(&other),
        Err(MergeError::Different { field: "seed", .. })
    ));
    // Parts edited or damaged after they were written are refused, not merged or panicked on.
    let tampered = |edit: &dyn Fn(&mut Part)| {
        let mut bad = parts.clone();
        edit(&mut bad[1].1);
        match merge(&bad) {
            Err(MergeError::Invalid { part, why }) => {
                assert_eq!(part, "part-1.json");
                why
            }
            other => panic!("{other:?}"),
        }
    };
    assert!(tampered(&|p| p.shard.index = 7).contains("shard 7/3"));
    assert!(tampered(&|p| p.header.samples = usize::MAX).contains("samples must be from 1"));
    assert!(tampered(&|p| p.outcomes[0].index = 0).contains("not one of shard 1/3's samples"));
    assert!(
        tampered(&|p| {
            p.outcomes[0].power_back_h.pop();
        })
        .contains("each of the 2 districts")
    );
    assert!(
        tampered(&|p| p.outcomes[0].customers_without_power[0].push(5)).contains("reported times")
    );
    assert!(tampered(&|p| p.outcomes[0].times_h[0] = -1.0).contains("not a number of hours"));
    assert!(
        tampered(&|p| p.outcomes[0].water_back_h[0] = Some(f64::INFINITY))
            .contains("not a number of hours")
    );
    assert!(
        Shard::parse("3/3").is_err() && Shard::parse("1/0").is_err() && Shard::parse("x").is_err()
    );
    assert_eq!(Shard::parse("2/4").unwrap().range(10), 5..7);
}

/// Certain repairs give `simulate`'s times on cities that differ from the tiny one: one
/// short of water and power on a normal day (its shortfall is not the strikes' doing, so
/// "back" is back to the normal day's service), and one with spare generation.
#[test]
fn certain_forecasts_are_simulate_s_times_on_a_short_city_and_a_spare_one() {
    let short_pattern = [0.6, 0.6, 0.8, 1.0, 1.2, 1.6, 1.8, 1.4];
    for (label, jb_elevation_m, p_max_mw, pattern) in [
        ("short on a normal day", 58.0, 40.0, &short_pattern[..]),
        ("spare generation", 20.0, 200.0, &[1.0][..]),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let path =
            lifeline_testkit::tiny_city_variant(dir.path(), jb_elevation_m, p_max_mw, pattern);
        let city = City::load(&path).unwrap();
        let scenario = scenario(&city, CERTAIN);
        let truth = simulate(&city, &scenario, &mut |_, _| {}).unwrap();
        if label == "short on a normal day" {
            assert!(
                truth.summary.baseline.person_hours_without_water > 0.0,
                "{label}"
            );
        }
        let f = forecast(
            &city,
            &scenario,
            &request(6, 2),
            &Dispatch::Unlimited,
            &|| {},
        )
        .unwrap();
        assert!(f.certain, "{label}");
        for (d, t) in f.districts.iter().zip(&truth.districts) {
            for q in [d.power_back_h.p10, d.power_back_h.p50, d.power_back_h.p90] {
                assert_eq!(q, t.power_restored_h, "{label}: {}", d.name);
            }
            for q in [d.water_back_h.p10, d.water_back_h.p50, d.water_back_h.p90] {
                assert_eq!(q, t.water_restored_h, "{label}: {}", d.name);
            }
        }
    }
}
