//! Tests of restoration planning: generated problems against the exact optimum and the
//! dispatch rules, plan validity on random problems, the demo city, bad input.
#![allow(clippy::unwrap_used, missing_docs)]

mod bad_input;
mod cities;
mod city;
mod errors;
mod generated;
mod validity;

use lifeline_restore::{Additive, Instance, SearchOptions, planners};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Search options that give the same plan on every machine: a fixed number of
/// evaluations, and a time limit far beyond it.
pub fn fixed_budget(evaluations: usize) -> SearchOptions {
    SearchOptions {
        time_limit: Duration::from_secs(600),
        max_evaluations: Some(evaluations),
        ..SearchOptions::default()
    }
}

/// The additive cost of the best dispatch rule on `instance`.
pub fn best_baseline(instance: &Instance) -> f64 {
    planners::BASELINES
        .iter()
        .map(|&rule| {
            planners::by_rule(instance, &Additive, rule)
                .unwrap()
                .objective
        })
        .fold(f64::INFINITY, f64::min)
}

/// A file of the repository's demo city.
pub fn demo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/demo-city")
        .join(path)
}

/// A file of the cascade's test data.
pub fn cascade_data(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../cascade/tests/data")
        .join(path)
}
