//! Facilities that power water sources: a treatment works whose reservoir stops when it
//! is dark, and its own generator that keeps it running while fuel lasts.

use crate::{data, problems, scenario};
use lifeline_cascade::result::CascadeResult;
use lifeline_cascade::{City, simulate};
use std::path::Path;

/// The tiny city with a treatment works on bus 3 that powers the river source, with
/// `extra` added to its entry.
fn city_with_works(dir: &Path, extra: &str) -> Result<City, lifeline_cascade::CascadeError> {
    for name in ["grid.m", "water.inp", "service-areas.csv"] {
        std::fs::copy(data("tiny").join(name), dir.join(name)).unwrap();
    }
    let city = std::fs::read_to_string(data("tiny/city.toml")).unwrap()
        + &format!(
            "\n[[facility]]\nid = \"WORKS\"\nkind = \"water_treatment\"\nbus = 3\ndistrict = \"Riverside\"\npriority = 3\n{extra}\n"
        );
    std::fs::write(dir.join("city.toml"), city).unwrap();
    City::load(&dir.join("city.toml"))
}

/// Bus 3 (the works, the intake, Riverside) out from 01:00 to 07:00.
fn run(city: &City) -> CascadeResult {
    let strike = scenario(
        city,
        "name = \"works\"\nhorizon_h = 12\n[[strike]]\nat = \"01:00\"\nasset = \"bus:3\"\nrepair_h = 6\n",
    )
    .unwrap();
    simulate(city, &strike, &mut |_, _| {}).unwrap()
}

/// The works' states with the time each begins, h.
fn states(result: &CascadeResult) -> Vec<(f64, String)> {
    result
        .asset("facility:WORKS")
        .unwrap()
        .changes
        .iter()
        .map(|c| (c.t_h, c.state.clone()))
        .collect()
}

/// The tower's level at 04:00, m.
fn tower_at_4h(result: &CascadeResult) -> f64 {
    let tower = result.tanks.iter().find(|t| t.id == "TOWER").unwrap();
    let k = result.times_h.iter().position(|&t| t == 4.0).unwrap();
    tower.level_m[k]
}

#[test]
fn a_dark_works_stops_its_source_and_its_generator_keeps_it_going_while_fuel_lasts() {
    let plain_dir = tempfile::tempdir().unwrap();
    let plain = city_with_works(plain_dir.path(), "").unwrap();
    let powering_dir = tempfile::tempdir().unwrap();
    let powering = city_with_works(powering_dir.path(), "powers = [\"RIVER\"]").unwrap();
    let backed_dir = tempfile::tempdir().unwrap();
    let backed = city_with_works(
        backed_dir.path(),
        "powers = [\"RIVER\"]\nbackup = { kw = 200, fuel_hours = 2, start_delay_min = 0 }",
    )
    .unwrap();
    let (plain, powering, backed) = (run(&plain), run(&powering), run(&backed));
    // Without the works' power the river is cut off even while the intake's own diesel
    // runs (from 01:30): by 04:00 the tower has drained (2.5 m against 9.7 m when the
    // works powers nothing).
    assert_eq!(states(&powering)[1], (1.0, "no_power".to_string()));
    assert!(
        tower_at_4h(&powering) < tower_at_4h(&plain) - 5.0,
        "{} vs {}",
        tower_at_4h(&powering),
        tower_at_4h(&plain)
    );
    // Its own generator runs 2 h from the strike, then the works is dark until the
    // repair at 07:00.
    let backed_states = states(&backed);
    assert_eq!(
        backed_states,
        [
            (0.0, "ok".to_string()),
            (1.0, "backup".to_string()),
            (3.0, "no_power".to_string()),
            (7.0, "ok".to_string()),
        ],
        "{backed_states:?}"
    );
    // The intake pumped while the works' generator ran, so the tower stands between.
    assert!(tower_at_4h(&backed) > tower_at_4h(&powering) + 1.0);
    assert!(tower_at_4h(&backed) < tower_at_4h(&plain) - 1.0);
}

#[test]
fn a_facility_can_power_only_pumps_valves_and_reservoirs() {
    let dir = tempfile::tempdir().unwrap();
    let error = city_with_works(
        dir.path(),
        "powers = [\"MAIN\", \"JA\", \"RIVR\"]\nbackup = { kw = 0, fuel_hours = 2 }",
    )
    .unwrap_err();
    let found = problems(error);
    for expected in [
        "facility 'WORKS' powers 'MAIN', a pipe: expected a pump, a valve or a reservoir",
        "facility 'WORKS' powers 'JA', a junction or tank",
        "facility 'WORKS' powers 'RIVR', which is not in the water network; did you mean RIVER",
        "facility 'WORKS': backup needs a finite kw > 0",
    ] {
        assert!(
            found.iter().any(|p| p.contains(expected)),
            "missing {expected:?} in {found:#?}"
        );
    }
}

#[test]
fn positions_are_longitude_and_latitude() {
    let dir = tempfile::tempdir().unwrap();
    let city = city_with_works(dir.path(), "position = [30.52, 50.45]").unwrap();
    assert_eq!(city.facilities[1].position, Some((30.52, 50.45)));
    let error = city_with_works(dir.path(), "position = [324182.2, 5591607.6]").unwrap_err();
    let found = problems(error);
    assert!(
        found.iter().any(|p| p.contains(
            "facility 'WORKS': position must be [longitude, latitude] in degrees, got [324182.2, 5591607.6]"
        )),
        "{found:#?}"
    );
}
