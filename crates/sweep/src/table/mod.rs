//! Sweep results as Parquet files.
//!
//! A sweep file holds one sweep, or one shard of it: one row per scenario, sorted by
//! `scenario`, each scenario index at most once. Its columns are flat so that DuckDB,
//! pandas or polars users can select them by name:
//!
//! | column | type | meaning |
//! | --- | --- | --- |
//! | `scenario` | UInt64 | [`Row::scenario`] |
//! | `assets` | `List<Utf8>` | [`Row::assets`] |
//! | `strikes` | UInt32 | number of assets hit |
//! | `customer_hours` | Float64 | customer-hours without power |
//! | `person_hours` | Float64 | person-hours without water |
//! | `unserved_mwh` | Float64 | energy not served, MWh |
//! | `peak_customers` | UInt64 | most customers without power at once |
//! | `peak_people` | UInt64 | most people without water at once |
//! | `restored_h` | Float64, nullable | h from the strike; null when not within the horizon |
//! | `customer_hours__{district}` | Float64 | per district, in [`Meta::districts`] order |
//! | `person_hours__{district}` | Float64 | per district, in [`Meta::districts`] order |
//!
//! Only `restored_h` may hold nulls. The file's key-value metadata holds [`Meta`] as JSON
//! (`{"sweep": …, "districts": […]}`) under the key [`META_KEY`]; a Parquet file without
//! it is not a sweep file. Columns are compressed with Snappy, in row groups of at most
//! [`ROW_GROUP_ROWS`] rows.
//!
//! Writes are atomic: a file at the target path is either the previous one or the
//! complete new one, never a half-written file.

//! The pieces: [`Meta`] here, `schema` (the columns and their checks), `write` (rows to
//! record batches, the atomic write), `read` (record batches to rows) and `merge` (shards
//! into one file).

mod error;
mod merge;
mod read;
mod schema;
mod write;

pub use error::TableError;
pub use merge::merge;
pub use read::read;
pub use write::write;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

#[cfg(doc)]
use crate::Row;

/// Key of the Parquet key-value metadata entry that holds a sweep file's [`Meta`].
pub const META_KEY: &str = "lifeline.sweep";

/// Most rows in one row group (and one record batch when reading).
pub const ROW_GROUP_ROWS: usize = 65_536;

/// What a sweep file holds results of.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    /// The sweep's description, as its producer wrote it. [`merge()`] expects a JSON object
    /// and reads three keys: `shard` (which shard a file holds; files of one sweep differ
    /// only there), `scenarios_total` (number of scenarios of the whole sweep) and
    /// `parts` (number of shards a merged file was made of).
    pub sweep: Value,
    /// District names, in the city's order; they name the per-district columns and
    /// index [`Row::district_customer_hours`] and [`Row::district_person_hours`].
    pub districts: Vec<String>,
    /// Human names of the sweep's assets, by id (`bus:12` → `substation 12 (Centre)`),
    /// for rankings read without the city; absent from files that predate them.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub asset_names: BTreeMap<String, String>,
}
