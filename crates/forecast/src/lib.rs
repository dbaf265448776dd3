//! When will power and water be back? Restoration forecasts per district with their
//! uncertainty.
//!
//! Repairs are uncertain: a damaged substation may prove destroyed, spare parts may be
//! missing, crews wait out air-raid alerts. The city gives each asset kind's repair as a
//! distribution (`[restoration]` in `city.toml`: a median and a 90th percentile, the
//! chance that a damaged asset is destroyed, a start delay), a scenario may give its own
//! per strike, and a forecast draws `samples` sets of repair times, runs each through the
//! cascade, and reports per district the 10th, 50th and 90th percentiles of when power
//! and water are back, the chance of being back by each hour, and the city's fan of
//! people without service.
//!
//! * [`dispatch`]: who repairs what in a sample: every repair at once, a restoration
//!   plan's order kept, or crews sent by a rule.
//! * [`draw`]: one sample of a scenario's repairs (deterministic for a seed and index).
//! * [`run`]: the samples through the cascade, and the quantiles.
//! * [`part`]: a forecast split in shards for a cluster, and the parts merged.
//! * [`report`]: the forecast as CSV.
//!
//! Where the peers stand: InfraRisk, WNTR, pandapower and td-INDP give one restoration
//! curve for one set of repair times; utilities' estimated restoration times are single
//! numbers. Each repair here is a lognormal duration, after Ahmad & Dobson's fits of
//! outage durations to utilities' records; a repair's spread is the city's to give.
//!
//! **Invariants:** the same city, scenario, seed and sample count give the same forecast
//! on any number of threads; a scenario whose repairs are all certain gives P10 = P50 =
//! P90 = `simulate`'s restoration times.

pub mod dispatch;
pub mod draw;
pub mod part;
pub mod report;
pub mod run;

pub use dispatch::Dispatch;
pub use run::{Forecast, ForecastRequest, forecast};

use lifeline_cascade::CascadeError;
use lifeline_core::FieldError;

/// Why a forecast could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ForecastError {
    /// A field of the request is wrong.
    #[error(transparent)]
    Request(#[from] FieldError),
    /// The city or scenario has problems, or a sample's cascade failed.
    #[error(transparent)]
    Cascade(#[from] CascadeError),
    /// The restoration problem or its plan could not be made.
    #[error(transparent)]
    Restore(#[from] lifeline_restore::RestoreError),
}

impl ForecastError {
    /// `message` about the request's `field`.
    pub fn field(field: &'static str, message: impl Into<String>) -> Self {
        ForecastError::Request(FieldError::new(field, message))
    }
}
