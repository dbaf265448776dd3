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

/// The problems of an invalid input, as printed.
pub fn problems(error: CascadeError) -> Vec<String> {
    match error {
        CascadeError::Invalid(problems) => problems.iter().map(ToString::to_string).collect(),
        other => panic!("expected invalid input, got {other}"),
    }
}
