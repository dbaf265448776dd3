//! `city map`: the demo city drawn with its networks, and a struck substation in red only
//! while it is out.

use super::{demo_city, demo_city_file};
use lifeline_app::city_map::{AtTime, Service, svg};
use lifeline_cascade::{Scenario, simulate};

#[test]
fn the_demo_city_is_drawn_with_its_networks_and_its_struck_substation_in_red_while_out() {
    let city = demo_city();
    let plain = svg(&city, None).unwrap();
    assert!(plain.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert_eq!(plain.matches("<path class=\"d\"").count(), 9);
    assert_eq!(plain.matches("<rect class=\"bus").count(), 57);
    assert_eq!(plain.matches("<circle class=\"station").count(), 21);
    assert!(plain.matches("<line class=\"pipe").count() > 1000);
    assert!(plain.contains(" km</text>"));
    assert!(!plain.contains(" down\""));
    // A legend of the symbols this city has; "hit" only over a scenario.
    for word in [
        "pipe",
        "power line",
        "substation",
        "tank or source",
        "pump station",
    ] {
        assert!(plain.contains(&format!(">{word}</text>")), "{word}");
    }
    assert!(!plain.contains("hit or without supply"));

    let scenario = Scenario::load(
        &demo_city_file().with_file_name("scenarios/2024-03-22.toml"),
        &city,
    )
    .unwrap();
    let result = simulate(&city, &scenario, &mut |_, _| {}).unwrap();
    let at = |at_h: f64| AtTime {
        result: &result,
        at_h,
        service: Service::Power,
    };
    let struck = svg(&city, Some(at(6.0))).unwrap();
    assert!(struck.contains("bus down\""), "bus 12 is out at 06:00");
    assert!(struck.contains("— 22 March 2024 at +6.0 h"));
    assert!(struck.contains(">hit or without supply</text>"));
    let before = svg(&city, Some(at(0.0))).unwrap();
    assert!(!before.contains("bus down\""), "nothing is out at 00:00");
    let outside = svg(&city, Some(at(100.0))).unwrap_err();
    assert_eq!(outside.field_name(), Some("at_h"));
}

#[test]
fn the_assets_geojson_places_every_asset_with_its_states() {
    let city = demo_city();
    let scenario = Scenario::load(
        &demo_city_file().with_file_name("scenarios/2024-03-22.toml"),
        &city,
    )
    .unwrap();
    let result = simulate(&city, &scenario, &mut |_, _| {}).unwrap();
    let geojson = lifeline_cascade::report::assets_geojson(&city, &result).unwrap();
    let features = geojson["features"].as_array().unwrap();
    let of = |asset: &str| {
        features
            .iter()
            .find(|f| f["properties"]["asset"] == asset)
            .unwrap()
    };
    // The Centre's substation: a point, struck at 04:15, out for its repair.
    let bus12 = of("bus:12");
    assert_eq!(bus12["geometry"]["type"], "Point");
    assert!(
        bus12["properties"]["hours_out"].as_f64().unwrap() > 20.0,
        "{bus12}"
    );
    assert_eq!(bus12["properties"]["changes"][1]["state"], "damaged");
    // A line as a LineString; a pipe not followed by the run has no states.
    assert_eq!(of("branch:41")["geometry"]["type"], "LineString");
    let pipe = features
        .iter()
        .find(|f| f["properties"]["kind"] == "pipe")
        .unwrap();
    assert!(pipe["properties"]["changes"].is_null());
    assert_eq!(
        features
            .iter()
            .filter(|f| f["properties"]["kind"] == "pump_station")
            .count(),
        21
    );
}
