//! Schedules: the city's zone by default, a request's zone over it, and every refusal
//! named by its field.

use super::demo_city;
use lifeline_app::schedule::{Capacity, ScheduleInputs, ScheduleRequest, TextFile, schedule};

const GROUPS: &str = "group,critical,load_mw\n1.1,false,40\n1.2,false,40\nH,true,20\n";
const CAPACITY: &str = "from_h,available_mw\n0,70\n2,100\n";

fn inputs() -> ScheduleInputs<'static> {
    ScheduleInputs {
        groups: Some(TextFile {
            name: "groups.csv",
            text: GROUPS,
        }),
        group_loads: None,
        stages: None,
        capacity: Capacity::Steps(TextFile {
            name: "capacity.csv",
            text: CAPACITY,
        }),
    }
}

fn request() -> ScheduleRequest {
    ScheduleRequest {
        start: Some("2024-10-27T02:00".into()),
        max_off_h: 2.0,
        min_on_h: 1.0,
        ..ScheduleRequest::over(4.0)
    }
}

#[test]
fn the_city_zone_is_the_default_and_the_request_zone_overrides_it() {
    let mut city = demo_city();
    city.timezone = "Europe/Lisbon".into();
    let scheduled = schedule(&city, &request(), &inputs()).unwrap();
    let slots = &scheduled.published.document.slots;
    // Lisbon's clocks go back at 02:00 on 27 October 2024: 01:00 comes twice.
    assert_eq!(slots[0].start, "2024-10-27T02:00:00+00:00");
    assert_eq!(scheduled.published.document.zone, "Europe/Lisbon");
    let kyiv = ScheduleRequest {
        tz: Some("Europe/Kyiv".into()),
        ..request()
    };
    let scheduled = schedule(&city, &kyiv, &inputs()).unwrap();
    assert_eq!(
        scheduled.published.document.slots[0].start,
        "2024-10-27T02:00:00+03:00"
    );
    // Every slot of the deficit is covered; the critical group is never off.
    for slot in &scheduled.published.document.slots {
        assert!(slot.shed_mw >= slot.deficit_mw - 1e-9);
        assert!(!slot.off.iter().any(|g| g == "H"));
    }
}

#[test]
fn each_refusal_names_its_field() {
    let city = demo_city();
    let field = |request: ScheduleRequest| {
        let error = schedule(&city, &request, &inputs()).err().unwrap();
        (error.field_name(), error.message())
    };
    let cases: [(ScheduleRequest, &str); 7] = [
        (
            ScheduleRequest {
                slot_minutes: 45,
                ..request()
            },
            "slot_minutes",
        ),
        (
            ScheduleRequest {
                max_off_h: 0.0,
                ..request()
            },
            "max_off",
        ),
        (
            ScheduleRequest {
                min_on_h: f64::NAN,
                ..request()
            },
            "min_on",
        ),
        (
            ScheduleRequest {
                hours: 1e9,
                ..request()
            },
            "hours",
        ),
        (
            ScheduleRequest {
                tz: Some("Mars/Olympus".into()),
                ..request()
            },
            "tz",
        ),
        (
            ScheduleRequest {
                start: Some("27.10.2024".into()),
                ..request()
            },
            "start",
        ),
        (
            ScheduleRequest {
                exempt: vec!["9.9".into()],
                ..request()
            },
            "exempt",
        ),
    ];
    for (request, expected) in cases {
        let (got, message) = field(request);
        assert_eq!(got, Some(expected), "{message}");
        assert!(!message.contains("--"), "{message}");
        assert!(
            !message.starts_with(expected),
            "the field is not repeated: {message}"
        );
    }
    let negative = ScheduleRequest {
        exact_seconds: -1.0,
        ..request()
    };
    assert_eq!(field(negative).0, Some("exact_seconds"));
    for absurd in [1e300, f64::INFINITY, f64::NAN] {
        let request = ScheduleRequest {
            exact_seconds: absurd,
            ..request()
        };
        assert_eq!(field(request).0, Some("exact_seconds"));
    }
}

#[test]
fn a_city_without_outage_groups_needs_a_groups_file() {
    let mut city = demo_city();
    city.outage_groups.clear();
    let without_file = ScheduleInputs {
        groups: None,
        ..inputs()
    };
    let error = schedule(&city, &request(), &without_file).err().unwrap();
    assert_eq!(error.field_name(), Some("groups"));
    assert!(error.message().contains("has no [[outage_group]]"));
}

/// The cascade's tiny test city (three buses, 50 MW of load, a 200 MW plant).
fn tiny_city() -> lifeline_cascade::City {
    lifeline_cascade::City::load(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../cascade/tests/data/tiny/city.toml"),
    )
    .unwrap()
}

/// The schedule of `city` from a cascade run of `scenario` (TOML), two groups of 25 MW.
fn from_scenario(
    city: &lifeline_cascade::City,
    scenario: &str,
) -> lifeline_schedule::publish::Document {
    use lifeline_cascade::{Scenario, simulate, source::Source};
    let scenario = Scenario::parse(&Source::new("s.toml", scenario.to_string()), city).unwrap();
    let result = simulate(city, &scenario, &mut |_, _| {}).unwrap();
    let inputs = ScheduleInputs {
        groups: Some(TextFile {
            name: "groups.csv",
            text: "group,critical,load_mw\nA,false,25\nB,false,25\n",
        }),
        group_loads: None,
        stages: None,
        capacity: Capacity::Cascade {
            result: &result,
            start: None,
        },
    };
    let request = ScheduleRequest {
        start: Some("2024-03-22T00:00".into()),
        max_off_h: 2.0,
        min_on_h: 1.0,
        exact_seconds: 0.0,
        ..ScheduleRequest::over(12.0)
    };
    schedule(city, &request, &inputs)
        .unwrap()
        .published
        .document
}

#[test]
fn damage_with_ample_generation_is_no_deficit() {
    // Hill's substation (30 MW of the 50) is destroyed, but the plant can carry all the
    // load still connected: nothing to rotate, nobody healthy switched off.
    let document = from_scenario(
        &tiny_city(),
        "name = \"hill\"\nhorizon_h = 12\n[[strike]]\nat = \"01:00\"\nasset = \"bus:2\"\ndamage = \"destroyed\"\nrepair_h = 8\n",
    );
    for slot in &document.slots {
        assert_eq!(slot.deficit_mw, 0.0, "{slot:?}");
        assert!(slot.off.is_empty(), "{slot:?}");
    }
}

#[test]
fn a_generation_limit_is_the_deficit() {
    // 40 MW available from 02:00 to 06:00 against 50 MW of load: the grid sheds 10 MW,
    // a fifth of the case's load, so the groups' 50 MW must lose a fifth: 10 MW.
    let document = from_scenario(
        &tiny_city(),
        "name = \"short\"\nhorizon_h = 12\n[[capacity]]\nfrom_h = 2\nto_h = 6\navailable_mw = 40\n",
    );
    for slot in &document.slots {
        let expected = if (2.0..6.0).contains(&slot.start_h) {
            10.0
        } else {
            0.0
        };
        assert!((slot.deficit_mw - expected).abs() < 1e-6, "{slot:?}");
        assert!(slot.shed_mw >= slot.deficit_mw - 1e-9, "{slot:?}");
    }
}
