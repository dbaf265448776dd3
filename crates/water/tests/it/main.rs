//! Integration tests of the water engine: EPANET 2.3 reference results, stepping with
//! outages, the tank-drain case, service metrics, parallel scenarios and bad input.
#![allow(clippy::unwrap_used, missing_docs)]

mod bad_input;
mod native_engine;
mod native_generated;
mod reference;
mod scenarios;
mod stepping;
mod support;
mod tank_drain;
