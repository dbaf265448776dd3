//! Vulnerability sweeps: many strike scenarios through the cascade, sharded, on every core.
//!
//! * [`spec`]: the request: the scenario family (N-1, N-2, random), the target classes
//!   (substations, lines, plants, pump stations), the shard `I/N`, the what-ifs (a backup
//!   generator at a pump station, a hardened asset).
//! * [`generate`]: the scenarios in a fixed order; scenario `k` depends only on the city,
//!   the request and the seed, so shards agree without talking.
//! * [`run`]: a shard's scenarios through the cascade on rayon's pool, sharing water runs
//!   between scenarios that close the same links ([`lifeline_cascade::WaterCache`]).
//! * [`table`]: results as Parquet, one row per scenario; merging shards.
//! * [`rank`]: assets by expected loss and marginal contribution.
//!
//! Every asset of a scenario is hit at the same time (hour 0 unless `--at`) and repaired
//! after the same time (`--repair-h`), or else the city's repair time for its kind
//! (`[restoration] repair_h`). Loss is customer-hours without power plus
//! person-hours without water (the "homes" weight of restoration planning).
//!
//! **Invariants:** the same request gives the same rows, whatever the threads or shards;
//! the shards of a sweep, merged, are the whole sweep row for row; a results file is
//! written whole or not at all.

pub mod error;
pub mod generate;
pub mod rank;
pub mod row;
pub mod run;
pub mod spec;
pub mod table;

pub use error::SweepError;
pub use row::Row;
pub use run::{Outcome, Prepared, prepare};
