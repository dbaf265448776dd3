//! The scenarios of a sweep: every pair once, random draws fixed by the seed, shards that
//! split the sweep without gaps or overlaps.

use lifeline_cascade::City;
use lifeline_sweep::generate::Scenarios;
use lifeline_sweep::spec::{Family, Shard, Target, Timing};
use std::collections::BTreeSet;

fn tiny_city() -> City {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../cascade/tests/data/tiny/city.toml");
    City::load(&path).unwrap()
}

fn every_target() -> Vec<Target> {
    Target::parse_list("pump-stations,substations,lines,plants,lines").unwrap()
}

#[test]
fn n2_holds_every_pair_once() {
    let city = tiny_city();
    let scenarios = Scenarios::new(&city, Family::N2, &every_target(), 0, 0, 0).unwrap();
    let n = scenarios.assets.len();
    assert_eq!(scenarios.total() as usize, n * (n - 1) / 2);
    let pairs: BTreeSet<Vec<usize>> = (0..scenarios.total()).map(|k| scenarios.of(k)).collect();
    assert_eq!(pairs.len(), n * (n - 1) / 2);
    assert!(
        pairs
            .iter()
            .all(|p| p.len() == 2 && p[0] < p[1] && p[1] < n)
    );
}

#[test]
fn random_scenarios_depend_only_on_the_seed_and_their_index() {
    let city = tiny_city();
    let draw = |seed| Scenarios::new(&city, Family::Random, &every_target(), 3, 50, seed).unwrap();
    let (a, b, c) = (draw(7), draw(7), draw(8));
    let of = |s: &Scenarios| (0..50).map(|k| s.of(k)).collect::<Vec<_>>();
    assert_eq!(of(&a), of(&b));
    assert_ne!(of(&a), of(&c));
    for assets in of(&a) {
        let distinct: BTreeSet<usize> = assets.iter().copied().collect();
        assert_eq!(distinct.len(), 3);
    }
    // More strikes than assets is refused.
    assert!(Scenarios::new(&city, Family::Random, &[Target::Plants], 99, 5, 1).is_err());
}

#[test]
fn shards_split_the_sweep_without_gaps_or_overlaps() {
    for total in [0u64, 1, 7, 100, 1_000_003] {
        for count in [1u64, 2, 3, 64] {
            let mut next = 0;
            for index in 0..count {
                let range = Shard { index, count }.range(total);
                assert_eq!(range.start, next);
                assert!(range.end - range.start <= total / count + 1);
                next = range.end;
            }
            assert_eq!(next, total);
        }
    }
    assert!(Shard::parse("3/2").is_err());
    assert!(Shard::parse("0/0").is_err());
    assert!(Shard::parse("-1/2").is_err());
    assert_eq!(Shard::parse("1/4").unwrap(), Shard { index: 1, count: 4 });
}

#[test]
fn strikes_land_and_are_repaired_when_the_timing_says() {
    let city = tiny_city();
    let scenarios = Scenarios::new(&city, Family::N1, &every_target(), 0, 0, 0).unwrap();
    let hardened: [lifeline_cascade::scenario::AssetId; 0] = [];
    for k in 0..scenarios.total() {
        // By default: at once, repaired after the city's time for the asset's kind.
        let scenario = scenarios.scenario(&city, k, &Timing::over(24.0), &hardened);
        assert_eq!(scenario.horizon_s, 24 * 3600);
        let strike = &scenario.strikes[0];
        assert_eq!(strike.at_s, 0);
        let city_repair = city.restoration.repair_h_of(&strike.asset);
        assert_eq!(
            strike.repair_s,
            city_repair.map(|h| (h * 3600.0).round() as i64)
        );

        // With a strike time and one repair time for all.
        let timing = Timing {
            hours: 48.0,
            at_h: 4.5,
            repair_h: Some(40.0),
        };
        let scenario = scenarios.scenario(&city, k, &timing, &hardened);
        assert_eq!(scenario.horizon_s, 48 * 3600);
        let strike = &scenario.strikes[0];
        assert_eq!(strike.at_s, 4 * 3600 + 1800);
        assert_eq!(strike.repair_s, Some(40 * 3600));
    }
}

#[test]
fn timings_the_cascade_cannot_run_are_refused_by_name() {
    let refused = |timing: Timing| timing.check().unwrap_err().to_string();
    let day = Timing::over(24.0);
    assert!(day.check().is_ok());
    assert!(refused(Timing::over(0.0)).contains("hours: "));
    assert!(
        refused(Timing { at_h: 24.0, ..day })
            .contains("at_h: must be at least 0 and less than the horizon (24 h)")
    );
    assert!(refused(Timing { at_h: -1.0, ..day }).contains("at_h: "));
    assert!(
        refused(Timing {
            at_h: f64::NAN,
            ..day
        })
        .contains("at_h: ")
    );
    assert!(
        refused(Timing {
            repair_h: Some(0.0),
            ..day
        })
        .contains("repair_h: must be more than 0")
    );
    assert!(
        refused(Timing {
            repair_h: Some(1e9),
            ..day
        })
        .contains("repair_h: ")
    );
}
