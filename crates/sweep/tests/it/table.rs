//! Sweep files: round trips, atomic writes, merges and the errors of `read`.

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::{ArrayRef, Int64Array, RecordBatch, UInt64Array};
use arrow_schema::{DataType, Field, Schema};
use lifeline_sweep::Row;
use lifeline_sweep::table::{self, META_KEY, Meta, ROW_GROUP_ROWS, TableError};
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use serde_json::json;

const DISTRICTS: [&str; 3] = ["Nord", "Zürich-Altstadt", "東区"];

fn meta(shard: Option<u64>) -> Meta {
    let mut sweep = json!({"kind": "n-2", "seed": 7, "horizon_h": 48.0});
    if let Some(index) = shard {
        sweep["shard"] = json!({"index": index, "count": 2});
    }
    Meta {
        sweep,
        districts: DISTRICTS.iter().map(|d| d.to_string()).collect(),
        asset_names: [
            ("bus:12", "Glen Lyn V1, substation 12 (Centre)"),
            ("pump_station:E-1", "East \"lift\""),
        ]
        .into_iter()
        .map(|(id, name)| (id.to_string(), name.to_string()))
        .collect(),
    }
}

fn row(scenario: u64) -> Row {
    let k = scenario as f64;
    Row {
        scenario,
        assets: (0..scenario % 3)
            .map(|i| format!("branch:{}", scenario + i))
            .collect(),
        customer_hours: 1_000.5 * k,
        person_hours: 250.25 * k,
        unserved_mwh: 0.125 * k,
        peak_customers: 10 * scenario,
        peak_people: 30 * scenario,
        restored_h: (scenario % 4 != 1).then_some(6.5 + k),
        district_customer_hours: vec![k, 2.0 * k, 3.0 * k],
        district_person_hours: vec![-0.0, 0.5 * k, f64::MAX],
    }
}

fn rows(scenarios: impl IntoIterator<Item = u64>) -> Vec<Row> {
    scenarios.into_iter().map(row).collect()
}

/// File names in `dir`, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("list dir")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

/// Writes `batch` as a plain Parquet file with `metadata` entries.
fn write_plain(path: &Path, batch: &RecordBatch, metadata: Vec<KeyValue>) {
    let props = WriterProperties::builder()
        .set_key_value_metadata(Some(metadata))
        .build();
    let file = File::create(path).expect("create");
    let mut writer = ArrowWriter::try_new(file, batch.schema(), Some(props)).expect("writer");
    writer.write(batch).expect("write batch");
    writer.close().expect("close");
}

fn scenario_batch(data_type: DataType) -> RecordBatch {
    let array: ArrayRef = match data_type {
        DataType::Int64 => Arc::new(Int64Array::from(vec![0_i64, 1])),
        _ => Arc::new(UInt64Array::from(vec![0_u64, 1])),
    };
    let schema = Schema::new(vec![Field::new("scenario", data_type, false)]);
    RecordBatch::try_new(Arc::new(schema), vec![array]).expect("batch")
}

fn meta_entry() -> KeyValue {
    let json = serde_json::to_string(&meta(None)).expect("json");
    KeyValue::new(META_KEY.to_string(), json)
}

#[test]
fn round_trip_keeps_every_field() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("sweep.parquet");
    let mut written = rows([5, 0, 1, 2, 9]);
    written[1].assets = vec!["pump_station:Süd-1".to_string(), "gen:3".to_string()];
    assert!(written.iter().any(|r| r.assets.is_empty()));
    assert!(written.iter().any(|r| r.restored_h.is_none()));

    table::write(&path, &meta(Some(1)), &written).expect("write");
    let (read_meta, read_rows) = table::read(&path).expect("read");

    written.sort_by_key(|r| r.scenario);
    assert_eq!(read_meta, meta(Some(1)));
    assert_eq!(read_rows, written);
    assert_eq!(listing(dir.path()), ["sweep.parquet"]);
}

#[test]
fn round_trip_of_no_rows_and_no_districts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("empty.parquet");
    let empty = Meta {
        sweep: json!(null),
        districts: Vec::new(),
        asset_names: Default::default(),
    };
    table::write(&path, &empty, &[]).expect("write");
    assert_eq!(table::read(&path).expect("read"), (empty, Vec::new()));
}

#[test]
fn columns_are_flat_and_row_groups_bounded() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("big.parquet");
    let n = ROW_GROUP_ROWS as u64 + 1;
    let written = rows(0..n);
    table::write(&path, &meta(None), &written).expect("write");

    let builder =
        ParquetRecordBatchReaderBuilder::try_new(File::open(&path).expect("open")).expect("footer");
    let names: Vec<&str> = builder
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().as_str())
        .collect();
    assert_eq!(
        names,
        [
            "scenario",
            "assets",
            "strikes",
            "customer_hours",
            "person_hours",
            "unserved_mwh",
            "peak_customers",
            "peak_people",
            "restored_h",
            "customer_hours__Nord",
            "person_hours__Nord",
            "customer_hours__Zürich-Altstadt",
            "person_hours__Zürich-Altstadt",
            "customer_hours__東区",
            "person_hours__東区",
        ]
    );
    let metadata = builder.metadata();
    assert_eq!(metadata.num_row_groups(), 2);
    assert_eq!(metadata.row_group(0).num_rows(), ROW_GROUP_ROWS as i64);
    let entry = metadata
        .file_metadata()
        .key_value_metadata()
        .and_then(|kv| kv.iter().find(|e| e.key == META_KEY))
        .and_then(|e| e.value.clone())
        .expect("sweep metadata");
    let stored: serde_json::Value = serde_json::from_str(&entry).expect("json");
    assert_eq!(stored["districts"], json!(DISTRICTS));

    let (_, read_rows) = table::read(&path).expect("read");
    assert_eq!(read_rows, written);
}

#[test]
fn write_into_a_missing_directory_creates_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("absent").join("sweep.parquet");
    let err = table::write(&path, &meta(None), &rows(0..3)).expect_err("no directory");
    assert!(matches!(err, TableError::Io { .. }), "{err}");
    assert!(err.to_string().contains("sweep.parquet"), "{err}");
    assert!(listing(dir.path()).is_empty());
}

#[test]
fn failed_rename_removes_the_partial_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A directory at the target path: the temporary file is written, the rename fails.
    let path = dir.path().join("sweep.parquet");
    fs::create_dir(&path).expect("mkdir");
    fs::write(path.join("keep"), b"x").expect("file in dir");

    let err = table::write(&path, &meta(None), &rows(0..3)).expect_err("rename over a dir");
    assert!(matches!(err, TableError::Io { .. }), "{err}");
    assert_eq!(listing(dir.path()), ["sweep.parquet"]);
    assert_eq!(listing(&path), ["keep"]);
}

#[test]
fn failed_write_leaves_an_existing_file_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("sweep.parquet");
    table::write(&path, &meta(None), &rows(0..3)).expect("write");
    let before = fs::read(&path).expect("bytes");

    let mut bad = rows(0..3);
    bad[2].district_person_hours.pop();
    let err = table::write(&path, &meta(None), &bad).expect_err("short district list");
    assert!(
        matches!(
            err,
            TableError::DistrictCount {
                scenario: 2,
                expected: 3,
                found: 2,
                ..
            }
        ),
        "{err}"
    );
    let err = table::write(&path, &meta(None), &rows([1, 2, 1])).expect_err("repeated");
    assert!(
        matches!(err, TableError::RepeatedScenario { scenario: 1, .. }),
        "{err}"
    );

    assert_eq!(fs::read(&path).expect("bytes"), before);
    assert_eq!(listing(dir.path()), ["sweep.parquet"]);
}

#[test]
fn write_replaces_an_existing_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("sweep.parquet");
    table::write(&path, &meta(None), &rows(0..3)).expect("first write");
    table::write(&path, &meta(Some(0)), &rows(3..5)).expect("second write");
    assert_eq!(
        table::read(&path).expect("read"),
        (meta(Some(0)), rows(3..5))
    );
    assert_eq!(listing(dir.path()), ["sweep.parquet"]);
}

/// Writes shards 0 and 1 with the given scenarios; returns their paths.
fn shards(dir: &Path, first: &[u64], second: &[u64], sweep: &Meta) -> Vec<PathBuf> {
    [first, second]
        .iter()
        .enumerate()
        .map(|(index, scenarios)| {
            let path = dir.join(format!("shard-{index}.parquet"));
            let mut meta = sweep.clone();
            meta.sweep["shard"] = json!({"index": index, "count": 2});
            table::write(&path, &meta, &rows(scenarios.iter().copied())).expect("write shard");
            path
        })
        .collect()
}

#[test]
fn merge_equals_writing_all_rows_at_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let parts = shards(dir.path(), &[0, 2, 4, 6], &[1, 3, 5], &meta(None));
    let merged_path = dir.path().join("merged.parquet");
    let merged = table::merge(&parts, &merged_path).expect("merge");

    let mut expected = meta(None);
    expected.sweep["parts"] = json!(2);
    expected.sweep["missing"] = json!(0);
    assert_eq!(merged, expected);

    let whole_path = dir.path().join("whole.parquet");
    table::write(&whole_path, &expected, &rows(0..7)).expect("write whole");
    let (merged_meta, merged_rows) = table::read(&merged_path).expect("read merged");
    let (whole_meta, whole_rows) = table::read(&whole_path).expect("read whole");
    assert_eq!(merged_meta, whole_meta);
    assert_eq!(merged_rows.len(), whole_rows.len());
    for (m, w) in merged_rows.iter().zip(&whole_rows) {
        assert_eq!(m, w);
    }
}

#[test]
fn merge_counts_missing_scenarios() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut sweep = meta(None);
    sweep.sweep["scenarios_total"] = json!(12);
    let parts = shards(dir.path(), &[0, 1, 2, 3], &[8, 9, 10], &sweep);
    let merged = table::merge(&parts, &dir.path().join("m.parquet")).expect("merge");
    assert_eq!(merged.sweep["missing"], json!(5));
    assert_eq!(merged.sweep["parts"], json!(2));

    // Without a total only the gaps below the highest index are known.
    let dir = tempfile::tempdir().expect("tempdir");
    let parts = shards(dir.path(), &[0, 1], &[4], &meta(None));
    let merged = table::merge(&parts, &dir.path().join("m.parquet")).expect("merge");
    assert_eq!(merged.sweep["missing"], json!(2));
}

#[test]
fn merge_of_merges_counts_shards() {
    let dir = tempfile::tempdir().expect("tempdir");
    let left = shards(dir.path(), &[0], &[1], &meta(None));
    let left_path = dir.path().join("left.parquet");
    table::merge(&left, &left_path).expect("merge left");
    let right = dir.path().join("right.parquet");
    let mut shard = meta(None);
    shard.sweep["shard"] = json!({"index": 2, "count": 3});
    table::write(&right, &shard, &rows([2])).expect("write");

    let all = table::merge(&[left_path, right], &dir.path().join("all.parquet")).expect("merge");
    assert_eq!(all.sweep["parts"], json!(3));
    assert_eq!(all.sweep["missing"], json!(0));
}

#[test]
fn merge_refuses_parts_of_other_sweeps() {
    let dir = tempfile::tempdir().expect("tempdir");
    let parts = shards(dir.path(), &[0], &[1], &meta(None));
    let mut other = meta(Some(1));
    other.sweep["seed"] = json!(8);
    let stranger = dir.path().join("stranger.parquet");
    table::write(&stranger, &other, &rows([1])).expect("write");

    let err = table::merge(
        &[parts[0].clone(), stranger.clone()],
        &dir.path().join("m.parquet"),
    )
    .expect_err("other seed");
    match &err {
        TableError::SweepMismatch { first, second, key } => {
            assert_eq!(
                (first, second, key.as_str()),
                (&parts[0], &stranger, "seed")
            );
        }
        other => panic!("unexpected error: {other}"),
    }
    let message = err.to_string();
    assert!(message.contains("shard-0.parquet") && message.contains("stranger.parquet"));

    let mut renamed = meta(Some(1));
    renamed.districts[2] = "West".to_string();
    table::write(&stranger, &renamed, &rows([1])).expect("write");
    let err = table::merge(&[parts[0].clone(), stranger], &dir.path().join("m.parquet"))
        .expect_err("other districts");
    assert!(
        matches!(&err, TableError::SweepMismatch { key, .. } if key == "districts"),
        "{err}"
    );
    assert!(!dir.path().join("m.parquet").exists());
}

#[test]
fn merge_refuses_duplicated_scenarios() {
    let dir = tempfile::tempdir().expect("tempdir");
    let parts = shards(dir.path(), &[0, 1, 3], &[2, 3], &meta(None));
    let err = table::merge(&parts, &dir.path().join("m.parquet")).expect_err("3 twice");
    match &err {
        TableError::DuplicateScenario {
            scenario,
            first,
            second,
        } => assert_eq!((*scenario, first, second), (3, &parts[0], &parts[1])),
        other => panic!("unexpected error: {other}"),
    }
    assert!(err.to_string().contains("scenario 3"), "{err}");
}

#[test]
fn merge_refuses_scenarios_past_the_total() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut sweep = meta(None);
    sweep.sweep["scenarios_total"] = json!(3);
    let parts = shards(dir.path(), &[0, 1], &[2, 3], &sweep);
    let err = table::merge(&parts, &dir.path().join("m.parquet")).expect_err("3 of 3");
    assert!(
        matches!(
            err,
            TableError::ScenarioOutOfRange {
                scenario: 3,
                total: 3,
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn merge_of_no_parts_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let err = table::merge(&[], &dir.path().join("m.parquet")).expect_err("no parts");
    assert!(matches!(err, TableError::NoParts { .. }), "{err}");
}

#[test]
fn read_rejects_a_file_that_is_not_parquet() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, bytes) in [
        ("short.parquet", &b"scenario,assets\n"[..]),
        ("long.parquet", &[b'x'; 4096][..]),
        ("empty.parquet", &b""[..]),
    ] {
        let path = dir.path().join(name);
        fs::write(&path, bytes).expect("write");
        let err = table::read(&path).expect_err("not parquet");
        assert!(matches!(err, TableError::NotParquet { .. }), "{err}");
        let message = err.to_string();
        assert!(
            message.contains(name) && message.contains("not a Parquet file"),
            "{message}"
        );
    }
}

#[test]
fn read_rejects_parquet_without_sweep_metadata() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("plain.parquet");
    write_plain(&path, &scenario_batch(DataType::UInt64), Vec::new());
    let err = table::read(&path).expect_err("no metadata");
    assert!(matches!(err, TableError::NotSweep { .. }), "{err}");
    let message = err.to_string();
    assert!(message.contains("plain.parquet") && message.contains("not a lifeline sweep file"));

    write_plain(
        &path,
        &scenario_batch(DataType::UInt64),
        vec![KeyValue::new(META_KEY.to_string(), "{".to_string())],
    );
    let err = table::read(&path).expect_err("bad metadata");
    assert!(matches!(err, TableError::BadMeta { .. }), "{err}");
}

#[test]
fn read_names_a_missing_column_and_a_wrong_type() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("partial.parquet");
    write_plain(&path, &scenario_batch(DataType::UInt64), vec![meta_entry()]);
    let err = table::read(&path).expect_err("missing column");
    assert!(
        matches!(&err, TableError::MissingColumn { column, .. } if column == "assets"),
        "{err}"
    );

    write_plain(&path, &scenario_batch(DataType::Int64), vec![meta_entry()]);
    let err = table::read(&path).expect_err("wrong type");
    assert!(
        matches!(&err, TableError::WrongType { column, .. } if column == "scenario"),
        "{err}"
    );
    assert!(err.to_string().contains("expected UInt64"), "{err}");
}

#[test]
fn read_of_a_missing_file_is_an_io_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let err = table::read(&dir.path().join("absent.parquet")).expect_err("absent");
    assert!(matches!(err, TableError::Io { .. }), "{err}");
}
