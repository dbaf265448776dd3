//! Test helpers: where the networks and their reference results are.

use std::path::{Path, PathBuf};

/// The repository's own small networks.
pub fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/epanet")
}

/// The folder holding `name.inp` and its reference results: the repository's first,
/// then shared (a skip, a failure under CI, without it).
pub fn locate(name: &str) -> Option<PathBuf> {
    lifeline_testkit::water_reference(
        env!("CARGO_MANIFEST_DIR"),
        name,
        "the tests over L-TOWN, ky10, exnet-3, Net6 and BWSN_Network_2",
    )
}

pub use lifeline_testkit::read_gz_csv;

/// Writes `text` as `name` in a new temporary folder and returns both.
pub fn write_network(name: &str, text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    (dir, path)
}
