//! Test helpers: where the networks and their reference results are.

use flate2::read::GzDecoder;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The repository's own small networks.
pub fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/epanet")
}

/// `shared/reference/water/networks` next to the repository (or under `$LIFELINE_SHARED`).
pub fn shared_dir() -> Option<PathBuf> {
    let shared = std::env::var_os("LIFELINE_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    let networks = shared.join("reference/water/networks");
    networks.is_dir().then_some(networks)
}

/// Says once, past the harness's capture, that the tests over shared data skip.
pub fn note_shared_missing() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "note: ../shared/reference/water not found: tests over L-TOWN, ky10, exnet-3, Net6 and \
             BWSN_Network_2 skip (set LIFELINE_SHARED to the folder that holds reference/water)"
        );
    });
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
    match shared_dir() {
        Some(shared) => Some(shared),
        None => {
            note_shared_missing();
            None
        }
    }
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
