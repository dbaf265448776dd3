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

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use arrow_array::builder::{ListBuilder, StringBuilder};
use arrow_array::{
    Array, ArrayRef, Float64Array, ListArray, RecordBatch, StringArray, UInt32Array, UInt64Array,
};
use arrow_schema::{ArrowError, DataType, Field, Schema, SchemaRef};
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::basic::Compression;
use parquet::errors::ParquetError;
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::Row;

/// Key of the Parquet key-value metadata entry that holds a sweep file's [`Meta`].
pub const META_KEY: &str = "lifeline.sweep";

/// Most rows in one row group (and one record batch when reading).
pub const ROW_GROUP_ROWS: usize = 65_536;

/// Keys of [`Meta::sweep`] that may differ between files of the same sweep.
const PER_FILE_KEYS: [&str; 3] = ["shard", "parts", "missing"];

/// What a sweep file holds results of.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    /// The sweep's description, as its producer wrote it. [`merge`] expects a JSON object
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
    /// [`merge`] was given no parts.
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

/// Writes `rows` and `meta` to the sweep file `path`, sorted by scenario.
///
/// The file is written to `.{name}.partial-{pid}-{n}` in the same directory, synced,
/// then renamed over `path`, and the directory is synced; on any error before the rename
/// the temporary file is removed and `path` is left as it was. (A process killed
/// mid-write leaves its hidden temporary file behind, never a partial `path`.)
///
/// # Errors
/// Rows repeating a scenario index or whose per-district lists do not have one value
/// per district of `meta`, repeated district names, and I/O or encoding failures.
pub fn write(path: &Path, meta: &Meta, rows: &[Row]) -> Result<(), TableError> {
    check_districts(path, &meta.districts)?;
    let mut sorted: Vec<&Row> = rows.iter().collect();
    sorted.sort_by_key(|row| row.scenario);
    for pair in sorted.windows(2) {
        if pair[0].scenario == pair[1].scenario {
            return Err(TableError::RepeatedScenario {
                path: path.to_path_buf(),
                scenario: pair[0].scenario,
            });
        }
    }
    let expected = meta.districts.len();
    for row in &sorted {
        let customer = row.district_customer_hours.len();
        let person = row.district_person_hours.len();
        if customer != expected || person != expected {
            let found = if customer != expected {
                customer
            } else {
                person
            };
            return Err(TableError::DistrictCount {
                path: path.to_path_buf(),
                scenario: row.scenario,
                expected,
                found,
            });
        }
    }
    let json = serde_json::to_string(meta).map_err(|source| TableError::BadMeta {
        path: path.to_path_buf(),
        source,
    })?;
    let schema = Arc::new(Schema::new(columns(&meta.districts)));
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
        .set_key_value_metadata(Some(vec![KeyValue::new(META_KEY.to_string(), json)]))
        .build();
    let parquet = |source| TableError::Parquet {
        path: path.to_path_buf(),
        source,
    };
    write_atomically(path, |file| {
        let mut writer =
            ArrowWriter::try_new(file, schema.clone(), Some(props)).map_err(parquet)?;
        for chunk in sorted.chunks(ROW_GROUP_ROWS) {
            writer
                .write(&batch(path, &schema, meta.districts.len(), chunk)?)
                .map_err(parquet)?;
        }
        writer.into_inner().map_err(parquet)
    })
}

/// Reads the sweep file `path`: its [`Meta`] and its rows, in file order (sorted by
/// scenario for files made by [`write()`]). Columns the schema does not name are ignored.
///
/// # Errors
/// The file is not Parquet, lacks the [`META_KEY`] metadata, lacks a column, has a
/// column of another type or with nulls where none belong, has a row whose `strikes`
/// disagrees with its `assets`, or cannot be read.
pub fn read(path: &Path) -> Result<(Meta, Vec<Row>), TableError> {
    let file = File::open(path).map_err(|source| TableError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(|source| {
        TableError::NotParquet {
            path: path.to_path_buf(),
            source,
        }
    })?;
    let metadata = builder.metadata().file_metadata();
    let json = metadata
        .key_value_metadata()
        .and_then(|entries| entries.iter().find(|entry| entry.key == META_KEY))
        .and_then(|entry| entry.value.as_deref())
        .ok_or_else(|| TableError::NotSweep {
            path: path.to_path_buf(),
        })?;
    let meta: Meta = serde_json::from_str(json).map_err(|source| TableError::BadMeta {
        path: path.to_path_buf(),
        source,
    })?;
    check_districts(path, &meta.districts)?;
    check_schema(path, builder.schema(), &meta.districts)?;
    let reader = builder
        .with_batch_size(ROW_GROUP_ROWS)
        .build()
        .map_err(|source| TableError::Parquet {
            path: path.to_path_buf(),
            source,
        })?;
    let mut rows = Vec::new();
    for batch in reader {
        let batch = batch.map_err(|source| TableError::Arrow {
            path: path.to_path_buf(),
            source,
        })?;
        read_batch(path, &meta.districts, &batch, &mut rows)?;
    }
    Ok((meta, rows))
}

/// Merges the sweep files `parts` into one sweep file `out` (written as by [`write()`]) and
/// returns its [`Meta`].
///
/// The parts must be of one sweep: their [`Meta::sweep`] objects equal once `shard`,
/// `parts` and `missing` are removed, and their districts equal. No scenario index may
/// appear twice. The merged sweep description is the first part's without `shard`, with
/// `parts` (the number of shard files the rows come from: a part that is itself a merge
/// counts its own `parts`) and `missing` (the number of scenario indices absent from
/// `0..scenarios_total`, or from `0..=max` when the sweep has no `scenarios_total`;
/// 0 means the indices are contiguous from 0 and, with a total, complete).
///
/// # Errors
/// No parts, a part that cannot be read (see [`read`]), a sweep description that is not
/// a JSON object, parts of different sweeps, a scenario index in two parts or at or past
/// `scenarios_total`, and failures writing `out`.
pub fn merge(parts: &[PathBuf], out: &Path) -> Result<Meta, TableError> {
    let Some((first_path, rest)) = parts.split_first() else {
        return Err(TableError::NoParts {
            out: out.to_path_buf(),
        });
    };
    let (first, first_rows) = read(first_path)?;
    let first_sweep = sweep_object(first_path, &first)?;
    let mut asset_names = first.asset_names.clone();
    let mut shards = shard_count(first_sweep);
    let mut tagged: Vec<(usize, Row)> = first_rows.into_iter().map(|row| (0, row)).collect();
    for (offset, path) in rest.iter().enumerate() {
        let (meta, rows) = read(path)?;
        let sweep = sweep_object(path, &meta)?;
        if let Some(key) = difference(first_sweep, &first.districts, sweep, &meta.districts) {
            return Err(TableError::SweepMismatch {
                first: first_path.clone(),
                second: path.clone(),
                key,
            });
        }
        shards += shard_count(sweep);
        asset_names.extend(meta.asset_names);
        tagged.extend(rows.into_iter().map(|row| (offset + 1, row)));
    }
    tagged.sort_by_key(|(_, row)| row.scenario);
    for pair in tagged.windows(2) {
        if pair[0].1.scenario == pair[1].1.scenario {
            return Err(TableError::DuplicateScenario {
                scenario: pair[0].1.scenario,
                first: parts[pair[0].0].clone(),
                second: parts[pair[1].0].clone(),
            });
        }
    }
    let total = match first_sweep.get("scenarios_total") {
        None => tagged.last().map_or(0, |(_, row)| row.scenario + 1),
        Some(value) => value.as_u64().ok_or_else(|| TableError::BadTotal {
            path: first_path.clone(),
            value: value.to_string(),
        })?,
    };
    if let Some((part, row)) = tagged.last()
        && row.scenario >= total
    {
        return Err(TableError::ScenarioOutOfRange {
            path: parts[*part].clone(),
            scenario: row.scenario,
            total,
        });
    }
    // Indices are unique and below `total`, so at most `total` of them.
    let missing = total - tagged.len() as u64;
    let mut sweep = first_sweep.clone();
    sweep.remove("shard");
    sweep.insert("parts".to_string(), Value::from(shards));
    sweep.insert("missing".to_string(), Value::from(missing));
    let meta = Meta {
        sweep: Value::Object(sweep),
        districts: first.districts,
        asset_names,
    };
    let rows: Vec<Row> = tagged.into_iter().map(|(_, row)| row).collect();
    write(out, &meta, &rows)?;
    Ok(meta)
}

/// The schema's fields for a sweep with `districts`.
fn columns(districts: &[String]) -> Vec<Field> {
    let float = |name: &str| Field::new(name, DataType::Float64, false);
    let mut fields = vec![
        Field::new("scenario", DataType::UInt64, false),
        Field::new("assets", DataType::List(Arc::new(asset_item())), false),
        Field::new("strikes", DataType::UInt32, false),
        float("customer_hours"),
        float("person_hours"),
        float("unserved_mwh"),
        Field::new("peak_customers", DataType::UInt64, false),
        Field::new("peak_people", DataType::UInt64, false),
        Field::new("restored_h", DataType::Float64, true),
    ];
    for district in districts {
        fields.push(float(&customer_hours_column(district)));
        fields.push(float(&person_hours_column(district)));
    }
    fields
}

/// The item field of the `assets` list.
fn asset_item() -> Field {
    Field::new("item", DataType::Utf8, false)
}

fn customer_hours_column(district: &str) -> String {
    format!("customer_hours__{district}")
}

fn person_hours_column(district: &str) -> String {
    format!("person_hours__{district}")
}

fn check_districts(path: &Path, districts: &[String]) -> Result<(), TableError> {
    let mut seen = BTreeSet::new();
    for district in districts {
        if !seen.insert(district.as_str()) {
            return Err(TableError::DuplicateDistrict {
                path: path.to_path_buf(),
                district: district.clone(),
            });
        }
    }
    Ok(())
}

/// Checks that every column of the schema is in `found` with the schema's type; a list
/// column matches whatever its item field is called.
fn check_schema(path: &Path, found: &SchemaRef, districts: &[String]) -> Result<(), TableError> {
    for field in columns(districts) {
        let Ok(actual) = found.field_with_name(field.name()) else {
            return Err(TableError::MissingColumn {
                path: path.to_path_buf(),
                column: field.name().clone(),
            });
        };
        let matches = match (field.data_type(), actual.data_type()) {
            (DataType::List(want), DataType::List(have)) => want.data_type() == have.data_type(),
            (want, have) => want == have,
        };
        if !matches {
            return Err(TableError::WrongType {
                path: path.to_path_buf(),
                column: field.name().clone(),
                expected: field.data_type().to_string(),
                found: actual.data_type().to_string(),
            });
        }
    }
    Ok(())
}

/// The column `name` of `batch` as a `T`, without nulls unless `nullable`.
fn column<'a, T: Array + 'static>(
    path: &Path,
    batch: &'a RecordBatch,
    name: &str,
    nullable: bool,
) -> Result<&'a T, TableError> {
    let array = batch
        .column_by_name(name)
        .ok_or_else(|| TableError::MissingColumn {
            path: path.to_path_buf(),
            column: name.to_string(),
        })?;
    let typed = array
        .as_any()
        .downcast_ref::<T>()
        .ok_or_else(|| TableError::WrongType {
            path: path.to_path_buf(),
            column: name.to_string(),
            expected: std::any::type_name::<T>().to_string(),
            found: array.data_type().to_string(),
        })?;
    if !nullable && array.null_count() > 0 {
        return Err(TableError::NullValue {
            path: path.to_path_buf(),
            column: name.to_string(),
        });
    }
    Ok(typed)
}

/// Appends the rows of `batch` to `rows`.
fn read_batch(
    path: &Path,
    districts: &[String],
    batch: &RecordBatch,
    rows: &mut Vec<Row>,
) -> Result<(), TableError> {
    let scenario = column::<UInt64Array>(path, batch, "scenario", false)?;
    let assets = column::<ListArray>(path, batch, "assets", false)?;
    let strikes = column::<UInt32Array>(path, batch, "strikes", false)?;
    let customer_hours = column::<Float64Array>(path, batch, "customer_hours", false)?;
    let person_hours = column::<Float64Array>(path, batch, "person_hours", false)?;
    let unserved_mwh = column::<Float64Array>(path, batch, "unserved_mwh", false)?;
    let peak_customers = column::<UInt64Array>(path, batch, "peak_customers", false)?;
    let peak_people = column::<UInt64Array>(path, batch, "peak_people", false)?;
    let restored_h = column::<Float64Array>(path, batch, "restored_h", true)?;
    let mut district_customer_hours = Vec::with_capacity(districts.len());
    let mut district_person_hours = Vec::with_capacity(districts.len());
    for district in districts {
        let name = customer_hours_column(district);
        district_customer_hours.push(column::<Float64Array>(path, batch, &name, false)?);
        let name = person_hours_column(district);
        district_person_hours.push(column::<Float64Array>(path, batch, &name, false)?);
    }
    let names = assets
        .values()
        .as_any()
        .downcast_ref::<StringArray>()
        .ok_or_else(|| TableError::WrongType {
            path: path.to_path_buf(),
            column: "assets".to_string(),
            expected: "List(Utf8)".to_string(),
            found: assets.data_type().to_string(),
        })?;
    if names.null_count() > 0 {
        return Err(TableError::NullValue {
            path: path.to_path_buf(),
            column: "assets".to_string(),
        });
    }
    let offsets = assets.value_offsets();
    for i in 0..batch.num_rows() {
        let start = usize::try_from(offsets[i]).unwrap_or(0);
        let end = usize::try_from(offsets[i + 1]).unwrap_or(0);
        let row_assets: Vec<String> = (start..end).map(|j| names.value(j).to_string()).collect();
        if usize::try_from(strikes.value(i)).ok() != Some(row_assets.len()) {
            return Err(TableError::StrikesMismatch {
                path: path.to_path_buf(),
                scenario: scenario.value(i),
                strikes: strikes.value(i),
                assets: row_assets.len(),
            });
        }
        rows.push(Row {
            scenario: scenario.value(i),
            assets: row_assets,
            customer_hours: customer_hours.value(i),
            person_hours: person_hours.value(i),
            unserved_mwh: unserved_mwh.value(i),
            peak_customers: peak_customers.value(i),
            peak_people: peak_people.value(i),
            restored_h: restored_h.is_valid(i).then(|| restored_h.value(i)),
            district_customer_hours: district_customer_hours.iter().map(|c| c.value(i)).collect(),
            district_person_hours: district_person_hours.iter().map(|c| c.value(i)).collect(),
        });
    }
    Ok(())
}

/// One record batch of `rows`, whose per-district lists have one value for each of the
/// `districts` districts of `schema`.
fn batch(
    path: &Path,
    schema: &SchemaRef,
    districts: usize,
    rows: &[&Row],
) -> Result<RecordBatch, TableError> {
    let mut assets = ListBuilder::new(StringBuilder::new()).with_field(asset_item());
    let mut strikes = Vec::with_capacity(rows.len());
    for row in rows {
        for asset in &row.assets {
            assets.values().append_value(asset);
        }
        assets.append(true);
        strikes.push(
            u32::try_from(row.assets.len()).map_err(|_| TableError::TooManyAssets {
                path: path.to_path_buf(),
                scenario: row.scenario,
            })?,
        );
    }
    let mut arrays: Vec<ArrayRef> = vec![
        unsigned(rows, |r| r.scenario),
        Arc::new(assets.finish()),
        Arc::new(UInt32Array::from(strikes)),
        floats(rows, |r| r.customer_hours),
        floats(rows, |r| r.person_hours),
        floats(rows, |r| r.unserved_mwh),
        unsigned(rows, |r| r.peak_customers),
        unsigned(rows, |r| r.peak_people),
        Arc::new(Float64Array::from_iter(rows.iter().map(|r| r.restored_h))),
    ];
    for k in 0..districts {
        arrays.push(floats(rows, |r| r.district_customer_hours[k]));
        arrays.push(floats(rows, |r| r.district_person_hours[k]));
    }
    RecordBatch::try_new(schema.clone(), arrays).map_err(|source| TableError::Arrow {
        path: path.to_path_buf(),
        source,
    })
}

fn unsigned(rows: &[&Row], get: impl Fn(&Row) -> u64) -> ArrayRef {
    Arc::new(UInt64Array::from_iter_values(rows.iter().map(|r| get(r))))
}

fn floats(rows: &[&Row], get: impl Fn(&Row) -> f64) -> ArrayRef {
    Arc::new(Float64Array::from_iter_values(rows.iter().map(|r| get(r))))
}

/// `meta.sweep` as an object, or an error naming `path`.
fn sweep_object<'a>(path: &Path, meta: &'a Meta) -> Result<&'a Map<String, Value>, TableError> {
    match &meta.sweep {
        Value::Object(map) => Ok(map),
        _ => Err(TableError::NotAnObject {
            path: path.to_path_buf(),
        }),
    }
}

/// How many shard files a file's rows come from: its `parts`, or 1 for a shard.
fn shard_count(sweep: &Map<String, Value>) -> u64 {
    sweep.get("parts").and_then(Value::as_u64).unwrap_or(1)
}

/// The first key, in sorted order, on which two files' sweeps differ, ignoring
/// [`PER_FILE_KEYS`]; then `districts` when only the district lists differ.
fn difference(
    a: &Map<String, Value>,
    a_districts: &[String],
    b: &Map<String, Value>,
    b_districts: &[String],
) -> Option<String> {
    let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    keys.into_iter()
        .filter(|key| !PER_FILE_KEYS.contains(&key.as_str()))
        .find(|key| a.get(*key) != b.get(*key))
        .cloned()
        .or_else(|| (a_districts != b_districts).then(|| "districts".to_string()))
}

/// Distinguishes the temporary files of concurrent writes from one process.
static PARTIAL_COUNTER: AtomicU64 = AtomicU64::new(0);

/// A temporary file that is removed when dropped unless kept.
struct Partial {
    path: PathBuf,
    keep: bool,
}

impl Drop for Partial {
    fn drop(&mut self) {
        if !self.keep {
            // Best effort: the write already failed with a more useful error.
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// Creates a temporary file beside `path`, lets `fill` write it, syncs it and renames it
/// over `path`; removes it on any error.
fn write_atomically(
    path: &Path,
    fill: impl FnOnce(File) -> Result<File, TableError>,
) -> Result<(), TableError> {
    let io = |source| TableError::Io {
        path: path.to_path_buf(),
        source,
    };
    let Some(name) = path.file_name() else {
        return Err(TableError::NoFileName {
            path: path.to_path_buf(),
        });
    };
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut partial_name = OsString::from(".");
    partial_name.push(name);
    partial_name.push(format!(
        ".partial-{}-{}",
        std::process::id(),
        PARTIAL_COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let partial_path = dir.join(partial_name);
    let file = File::create(&partial_path).map_err(io)?;
    let mut partial = Partial {
        path: partial_path,
        keep: false,
    };
    let file = fill(file)?;
    file.sync_all().map_err(io)?;
    drop(file);
    fs::rename(&partial.path, path).map_err(io)?;
    partial.keep = true;
    sync_dir(dir).map_err(io)
}

/// Makes a rename in `dir` durable.
#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

/// Makes a rename in `dir` durable.
#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}
