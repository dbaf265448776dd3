//! The cascade of lifeline: a city's grid and water network together under strikes.
//!
//! * [`City`]: the city model (`city.toml` and the files it names), checked.
//! * [`Scenario`]: timed strikes with repair durations, and generation limits by hour.
//! * [`simulate`]: the cascade, step by step: the grid re-solved after each event, pump
//!   stations stopped when their bus goes dark (unless a backup generator runs), the water
//!   network stepped with pressure-driven demand, service measured per district.
//!
//! **Invariant:** depends on `power` and `water`, which never depend on each other; no
//! terminal, HTTP or SQL here. The only files it reads are those the city and scenario
//! name; it writes only through [`report`].

pub mod city;
pub mod engine;
pub mod error;
pub mod report;
pub mod result;
pub mod scenario;
pub mod source;
pub mod uncertainty;
pub mod water_run;
mod water_share;

pub use city::City;
pub use engine::{
    simulate, simulate_batch, simulate_batch_cancellable, simulate_cancellable, simulate_shared,
};
pub use error::CascadeError;
pub use result::CascadeResult;
pub use scenario::Scenario;
pub use source::Problem;
pub use water_run::WaterCache;
