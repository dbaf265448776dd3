//! Reading a sweep file: its metadata, a check of its schema, record batches to rows.

use std::fs::File;
use std::path::Path;

use arrow_array::{
    Array, Float64Array, ListArray, RecordBatch, StringArray, UInt32Array, UInt64Array,
};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use super::schema::{check_districts, check_schema, customer_hours_column, person_hours_column};
#[cfg(doc)]
use super::write;
use super::{META_KEY, Meta, ROW_GROUP_ROWS, TableError};
use crate::Row;

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
