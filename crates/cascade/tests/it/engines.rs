//! The cascade with the native hydraulic solver gives EPANET's answers on cities that
//! differ: the tiny city with its intake's substation struck, a normal day short of
//! water and power, and the demo city's seed scenario (Net6's network, 48 h). Every
//! number of the result agrees to 1e-6 of its size (what differs is the last bits of
//! the unit conversions).

use super::{demo, normal_day::short_city, scenario, tiny_city};
use lifeline_cascade::{City, Scenario, simulate};
use lifeline_water::Engine;

/// Every number of `a` and `b`, side by side, with where it is.
fn numbers(
    a: &serde_json::Value,
    b: &serde_json::Value,
    at: &str,
    out: &mut Vec<(String, f64, f64)>,
) {
    match (a, b) {
        (serde_json::Value::Object(x), serde_json::Value::Object(y)) => {
            assert_eq!(x.len(), y.len(), "{at}: different fields");
            for (key, value) in x {
                numbers(value, &y[key], &format!("{at}.{key}"), out);
            }
        }
        (serde_json::Value::Array(x), serde_json::Value::Array(y)) => {
            assert_eq!(x.len(), y.len(), "{at}: different lengths");
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                numbers(p, q, &format!("{at}[{i}]"), out);
            }
        }
        (serde_json::Value::Number(x), serde_json::Value::Number(y)) => {
            out.push((at.to_string(), x.as_f64().unwrap(), y.as_f64().unwrap()));
        }
        _ => assert_eq!(a, b, "{at}"),
    }
}

fn assert_same_on_both_engines(mut city: City, scenario: &Scenario) {
    city.water_engine = Engine::Epanet;
    let epanet = simulate(&city, scenario, &mut |_, _| {}).unwrap();
    city.water_engine = Engine::Native;
    let native = simulate(&city, scenario, &mut |_, _| {}).unwrap();
    let mut pairs = Vec::new();
    numbers(
        &serde_json::to_value(&epanet).unwrap(),
        &serde_json::to_value(&native).unwrap(),
        "result",
        &mut pairs,
    );
    assert!(pairs.len() > 100, "too little compared: {}", pairs.len());
    for (at, x, y) in pairs {
        assert!(
            (x - y).abs() <= 1e-6 * x.abs().max(1.0),
            "{at}: EPANET {x}, native {y}"
        );
    }
}

#[test]
fn the_tiny_city_struck_is_the_same_on_both_engines() {
    let city = tiny_city();
    let struck = scenario(
        &city,
        "name = \"substation\"\nhorizon_h = 16\n[[strike]]\nat = \"02:00\"\nasset = \"bus:3\"\nrepair_h = 10\n",
    )
    .unwrap();
    assert_same_on_both_engines(city, &struck);
}

#[test]
fn a_normal_day_short_of_water_is_the_same_on_both_engines() {
    let dir = tempfile::tempdir().unwrap();
    let city = short_city(dir.path());
    let quiet = scenario(&city, "name = \"quiet\"\nhorizon_h = 24\n").unwrap();
    assert_same_on_both_engines(city, &quiet);
}

#[test]
fn the_demo_city_seed_scenario_is_the_same_on_both_engines() {
    let city = City::load(&demo("city.toml")).unwrap();
    let seed = Scenario::load(&demo("scenarios/2024-03-22.toml"), &city).unwrap();
    assert_same_on_both_engines(city, &seed);
}
