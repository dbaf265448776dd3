//! Writing a sweep file: rows to record batches, and the atomic write.

use std::ffi::OsString;
use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use arrow_array::builder::{ListBuilder, StringBuilder};
use arrow_array::{ArrayRef, Float64Array, RecordBatch, UInt32Array, UInt64Array};
use arrow_schema::{Schema, SchemaRef};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;

use super::schema::{asset_item, check_districts, columns};
use super::{META_KEY, Meta, ROW_GROUP_ROWS, TableError};
use crate::Row;

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
