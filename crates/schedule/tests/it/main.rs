//! Tests of outage scheduling: the rules hold on random inputs, fairness, the demo city's
//! groups, and bad input with located errors.
#![allow(clippy::unwrap_used, missing_docs)]

mod bad_input;
mod calendar;
mod demo_city;
mod rules_hold;
