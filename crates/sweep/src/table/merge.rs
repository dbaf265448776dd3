//! Merging the shards of one sweep into one file.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::{Meta, TableError, read, write};
use crate::Row;

/// Keys of [`Meta::sweep`] that may differ between files of the same sweep.
const PER_FILE_KEYS: [&str; 3] = ["shard", "parts", "missing"];

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
/// No parts, a part that cannot be read (see [`read()`]), a sweep description that is not
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
