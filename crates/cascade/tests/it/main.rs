//! Tests of the cascade: a tiny city checked by hand, the demo city's properties, and
//! bad input with located errors.
#![allow(clippy::unwrap_used, missing_docs)]

mod bad_input;
mod demo_city;
mod engines;
mod facilities;
mod normal_day;
mod tiny_city;

use lifeline_cascade::source::Source;
use lifeline_cascade::{CascadeError, City, Scenario};
use std::path::{Path, PathBuf};

/// A file of the test data.
pub fn data(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(path)
}

/// A file of the repository's demo city.
pub fn demo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/demo-city")
        .join(path)
}

/// The tiny city.
pub fn tiny_city() -> City {
    City::load(&data("tiny/city.toml")).unwrap()
}

/// A scenario written inline for `city`.
pub fn scenario(city: &City, text: &str) -> Result<Scenario, CascadeError> {
    Scenario::parse(&Source::new("inline.toml", text.to_string()), city)
}

/// Runs `scenarios` as one batch (`simulate_batch`, on `threads` threads) into `cache`
/// and checks that each scenario's result is the one it gets alone (`simulate`);
/// `context` names the case in a failure.
pub fn assert_batch_matches_each_alone(
    city: &City,
    scenarios: &[Scenario],
    cache: &lifeline_cascade::WaterCache,
    threads: usize,
    context: &str,
) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    let batch = pool
        .install(|| lifeline_cascade::simulate_batch(city, scenarios, cache, &|| {}))
        .unwrap();
    for (scenario, batched) in scenarios.iter().zip(batch) {
        let alone = lifeline_cascade::simulate(city, scenario, &mut |_, _| {}).unwrap();
        assert_eq!(
            alone,
            batched.unwrap(),
            "{} ({context}, {threads} threads)",
            scenario.name
        );
    }
}

/// The problems of an invalid input, as printed.
pub fn problems(error: CascadeError) -> Vec<String> {
    match error {
        CascadeError::Invalid(problems) => problems.iter().map(ToString::to_string).collect(),
        other => panic!("expected invalid input, got {other}"),
    }
}
