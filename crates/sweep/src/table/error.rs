//! Why a sweep file could not be written, read or merged.

use std::io;
use std::path::PathBuf;

use arrow_schema::ArrowError;
use parquet::errors::ParquetError;

use super::META_KEY;
#[cfg(doc)]
use super::{Meta, merge};

/// Why a sweep file could not be written, read or merged. Every variant names a file.
#[derive(Debug, thiserror::Error)]
pub enum TableError {
    /// The file system refused an operation on the file.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the file system said.
        source: io::Error,
    },
    /// The file has no valid Parquet footer.
    #[error("{}: not a Parquet file: {source}", path.display())]
    NotParquet {
        /// The file.
        path: PathBuf,
        /// What the Parquet reader said.
        source: ParquetError,
    },
    /// Parquet encoding or decoding failed.
    #[error("{}: {source}", path.display())]
    Parquet {
        /// The file.
        path: PathBuf,
        /// What the Parquet library said.
        source: ParquetError,
    },
    /// Arrow arrays could not be assembled or decoded.
    #[error("{}: {source}", path.display())]
    Arrow {
        /// The file.
        path: PathBuf,
        /// What the Arrow library said.
        source: ArrowError,
    },
    /// A Parquet file without the [`META_KEY`] metadata entry.
    #[error("{}: not a lifeline sweep file (no `{META_KEY}` metadata)", path.display())]
    NotSweep {
        /// The file.
        path: PathBuf,
    },
    /// The [`META_KEY`] metadata entry is not a valid [`Meta`].
    #[error("{}: invalid `{META_KEY}` metadata: {source}", path.display())]
    BadMeta {
        /// The file.
        path: PathBuf,
        /// What the JSON parser said.
        source: serde_json::Error,
    },
    /// A column the schema requires is absent.
    #[error("{}: missing column `{column}`", path.display())]
    MissingColumn {
        /// The file.
        path: PathBuf,
        /// The column's name.
        column: String,
    },
    /// A column has another type than the schema's.
    #[error("{}: column `{column}` is {found}, expected {expected}", path.display())]
    WrongType {
        /// The file.
        path: PathBuf,
        /// The column's name.
        column: String,
        /// The schema's type.
        expected: String,
        /// The file's type.
        found: String,
    },
    /// A column other than `restored_h` holds nulls.
    #[error("{}: column `{column}` holds nulls", path.display())]
    NullValue {
        /// The file.
        path: PathBuf,
        /// The column's name.
        column: String,
    },
    /// A row's `strikes` is not the length of its `assets`.
    #[error(
        "{}: scenario {scenario} has {strikes} strikes but {assets} assets",
        path.display()
    )]
    StrikesMismatch {
        /// The file.
        path: PathBuf,
        /// The row's scenario index.
        scenario: u64,
        /// The row's `strikes`.
        strikes: u32,
        /// The length of the row's `assets`.
        assets: usize,
    },
    /// Two districts share a name, so their columns would too.
    #[error("{}: district `{district}` listed twice", path.display())]
    DuplicateDistrict {
        /// The file.
        path: PathBuf,
        /// The repeated name.
        district: String,
    },
    /// A row to write has per-district values for another number of districts.
    #[error(
        "{}: scenario {scenario} has {found} district values, the sweep has {expected} districts",
        path.display()
    )]
    DistrictCount {
        /// The file being written.
        path: PathBuf,
        /// The row's scenario index.
        scenario: u64,
        /// Number of districts of the sweep.
        expected: usize,
        /// Number of values in one of the row's per-district lists.
        found: usize,
    },
    /// A row to write has more assets than `strikes` can count.
    #[error("{}: scenario {scenario} has more than {} assets", path.display(), u32::MAX)]
    TooManyAssets {
        /// The file being written.
        path: PathBuf,
        /// The row's scenario index.
        scenario: u64,
    },
    /// Two rows to write have the same scenario index.
    #[error("{}: scenario {scenario} given twice", path.display())]
    RepeatedScenario {
        /// The file being written.
        path: PathBuf,
        /// The repeated index.
        scenario: u64,
    },
    /// The path has no file name to write to.
    #[error("{}: not a file path", path.display())]
    NoFileName {
        /// The path.
        path: PathBuf,
    },
    /// [`merge()`] was given no parts.
    #[error("{}: no parts to merge", out.display())]
    NoParts {
        /// The output file.
        out: PathBuf,
    },
    /// A part's [`Meta::sweep`] is not a JSON object.
    #[error("{}: sweep description is not a JSON object", path.display())]
    NotAnObject {
        /// The part.
        path: PathBuf,
    },
    /// Two parts belong to different sweeps.
    #[error(
        "{} and {} are not parts of the same sweep: `{key}` differs",
        first.display(),
        second.display()
    )]
    SweepMismatch {
        /// The first part.
        first: PathBuf,
        /// The part that differs from it.
        second: PathBuf,
        /// The first key (in sorted order) whose values differ; `districts` for the
        /// district lists.
        key: String,
    },
    /// Two parts (or one part twice) hold the same scenario index.
    #[error(
        "scenario {scenario} is in both {} and {}",
        first.display(),
        second.display()
    )]
    DuplicateScenario {
        /// The repeated index.
        scenario: u64,
        /// The part where it appears first.
        first: PathBuf,
        /// The part where it appears again.
        second: PathBuf,
    },
    /// `scenarios_total` is not a non-negative integer.
    #[error("{}: `scenarios_total` is {value}, expected a count", path.display())]
    BadTotal {
        /// The part.
        path: PathBuf,
        /// The value, as JSON.
        value: String,
    },
    /// A part holds a scenario index at or past `scenarios_total`.
    #[error(
        "{}: scenario {scenario} is outside the sweep's {total} scenarios",
        path.display()
    )]
    ScenarioOutOfRange {
        /// The part.
        path: PathBuf,
        /// The index.
        scenario: u64,
        /// The sweep's `scenarios_total`.
        total: u64,
    },
}
