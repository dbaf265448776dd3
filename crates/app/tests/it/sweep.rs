//! Sweeps: requests checked by field, the loss and the loss the what-ifs avoided.

use super::demo_city;
use lifeline_app::sweep::{
    Avoided, SweepReport, SweepRequest, Totals, meta, prepare, run, scenario_runs,
};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

/// N-1 over the plants, 6 h.
fn plants() -> SweepRequest {
    SweepRequest {
        scenarios: "n-1".into(),
        targets: "plants".into(),
        strikes: 2,
        samples: 10,
        seed: 1,
        hours: 6.0,
        at_h: 0.0,
        repair_h: None,
        shard: None,
        what_if: Vec::new(),
    }
}

#[test]
fn the_avoided_loss_is_the_difference_and_its_share() {
    let without = Totals {
        customer_hours: 300.0,
        person_hours: 100.0,
    };
    let with = Totals {
        customer_hours: 150.0,
        person_hours: 150.0,
    };
    let avoided = Avoided::between(without, with);
    assert_eq!(avoided.avoided_customer_hours, 150.0);
    assert_eq!(avoided.avoided_person_hours, -50.0);
    assert_eq!(avoided.avoided_percent, 25.0);
    // Nothing to avoid: 0 %, not NaN.
    let none = Totals {
        customer_hours: 0.0,
        person_hours: 0.0,
    };
    assert_eq!(Avoided::between(none, none).avoided_percent, 0.0);
    assert_eq!(
        serde_json::to_value(avoided).unwrap(),
        serde_json::json!({
            "without_changes": {"customer_hours": 300.0, "person_hours": 100.0},
            "with_changes": {"customer_hours": 150.0, "person_hours": 150.0},
            "avoided_customer_hours": 150.0,
            "avoided_person_hours": -50.0,
            "avoided_percent": 25.0,
        })
    );
}

#[test]
fn a_sweep_with_a_what_if_runs_twice_and_reports_what_it_avoided() {
    let city = demo_city();
    let plain = prepare(&city, &plants()).unwrap();
    assert_eq!(scenario_runs(&plain), 7);
    let request = SweepRequest {
        what_if: vec!["harden=gen:1".into()],
        ..plants()
    };
    let prepared = prepare(&city, &request).unwrap();
    assert_eq!(scenario_runs(&prepared), 14);
    let done = AtomicU64::new(0);
    let swept = run(&city, &prepared, &|| {
        done.fetch_add(1, Ordering::Relaxed);
    })
    .unwrap();
    assert_eq!(done.load(Ordering::Relaxed), 14);
    assert_eq!(swept.outcome.rows.len(), 7);
    let avoided = swept.avoided.unwrap();
    assert_eq!(avoided.with_changes, Totals::of(&swept.outcome.rows));
    assert!(avoided.avoided_customer_hours >= 0.0);

    let report = SweepReport::new(&prepared, &swept, 2, Some(PathBuf::from("plants.parquet")));
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["scenarios"], 7);
    assert_eq!(json["threads"], 2);
    assert_eq!(json["out"], "plants.parquet");
    assert_eq!(json["sweep"]["what_if"].as_array().unwrap().len(), 1);
    assert!(json["what_if"]["avoided_percent"].is_number());
    let meta = meta(&city, &prepared).unwrap();
    assert_eq!(meta.districts.len(), city.districts.len());
    assert_eq!(meta.asset_names.len(), prepared.scenarios.assets.len());
}

#[test]
fn bad_requests_name_their_field_and_no_flag() {
    let city = demo_city();
    for (request, field) in [
        (
            SweepRequest {
                scenarios: "n-3".into(),
                ..plants()
            },
            "scenarios",
        ),
        (
            SweepRequest {
                targets: "castles".into(),
                ..plants()
            },
            "targets",
        ),
        (
            SweepRequest {
                shard: Some("3/2".into()),
                ..plants()
            },
            "shard",
        ),
        (
            SweepRequest {
                what_if: vec!["paint=bus:1".into()],
                ..plants()
            },
            "what_if",
        ),
        (
            SweepRequest {
                hours: f64::NAN,
                ..plants()
            },
            "hours",
        ),
        (
            SweepRequest {
                repair_h: Some(-1.0),
                ..plants()
            },
            "repair_h",
        ),
    ] {
        let error = prepare(&city, &request).unwrap_err();
        assert_eq!(error.field_name(), Some(field), "{error}");
        assert!(!error.message().contains("--"), "{}", error.message());
    }
}
