//! Test helpers: where the networks and their reference results are.

use flate2::read::GzDecoder;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The repository's own small networks.
pub fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/epanet")
}

/// `shared/reference/water/networks`, or a skip (a failure under CI) saying which tests
/// need it.
pub fn shared_dir() -> Option<PathBuf> {
    lifeline_testkit::require_shared(
        env!("CARGO_MANIFEST_DIR"),
        "water/networks",
        "the tests over L-TOWN, ky10, exnet-3, Net6 and BWSN_Network_2",
    )
}

/// The folder holding `name.inp` and its results: the repository's first, then shared.
pub fn locate(name: &str) -> Option<PathBuf> {
    let base = name.trim_end_matches(".pda");
    let local = data_dir();
    if local.join(format!("{base}.inp")).exists()
        && local.join(format!("{name}.heads.csv.gz")).exists()
    {
        return Some(local);
    }
    shared_dir()
}

/// Rows of a gzipped CSV file, header dropped.
pub fn read_gz_csv(path: &Path) -> Vec<Vec<String>> {
    let mut text = String::new();
    GzDecoder::new(std::fs::File::open(path).unwrap())
        .read_to_string(&mut text)
        .unwrap();
    text.lines()
        .skip(1)
        .map(|line| line.split(',').map(str::to_string).collect())
        .collect()
}

/// Writes `text` as `name` in a new temporary folder and returns both.
pub fn write_network(name: &str, text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    (dir, path)
}
