//! lifeline-app: schedules, scenarios from registry incidents, sweeps with what-ifs.
#![allow(clippy::unwrap_used, missing_docs)]

mod city_init;
mod city_map;
mod incidents;
mod schedule;
mod sweep;

use lifeline_cascade::City;
use std::path::{Path, PathBuf};

/// The demo city's `city.toml`.
fn demo_city_file() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/demo-city/city.toml")
}

/// The demo city, loaded.
fn demo_city() -> City {
    City::load(&demo_city_file()).unwrap()
}
