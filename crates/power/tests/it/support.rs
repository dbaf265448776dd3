//! Test helpers: where the reference data is, and reading reference CSV files.

use flate2::read::GzDecoder;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The repository's own small MATPOWER cases and their reference solutions.
pub fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/matpower")
}

/// `shared/reference/power`, or a skip (a failure under CI) saying which tests need it.
pub fn shared_power_dir() -> Option<PathBuf> {
    lifeline_testkit::require_shared(
        env!("CARGO_MANIFEST_DIR"),
        "power",
        "the tests over case57 … case9241pegase",
    )
}

/// Where case `name` and its reference solutions are: the repository's copy first, then
/// the shared reference folder. `None` (after a skip, which fails under CI) when neither
/// has it.
pub fn locate(name: &str) -> Option<(PathBuf, PathBuf)> {
    let local = data_dir();
    if local.join(format!("{name}.m")).exists() {
        return Some((local.join(format!("{name}.m")), local));
    }
    shared_power_dir().map(|shared| {
        (
            shared.join(format!("cases/{name}.m")),
            shared.join("solutions"),
        )
    })
}

/// Reads `dir/<stem>.csv` or `dir/<stem>.csv.gz` into a header and rows of fields.
pub fn read_csv(dir: &Path, stem: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let plain = dir.join(format!("{stem}.csv"));
    let text = if plain.exists() {
        std::fs::read_to_string(&plain).unwrap()
    } else {
        let gz = dir.join(format!("{stem}.csv.gz"));
        let mut text = String::new();
        GzDecoder::new(std::fs::File::open(&gz).unwrap())
            .read_to_string(&mut text)
            .unwrap();
        text
    };
    let mut lines = text.lines();
    let header = lines
        .next()
        .unwrap()
        .split(',')
        .map(str::to_string)
        .collect();
    let rows = lines
        .filter(|l| !l.is_empty())
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    (header, rows)
}

/// Allowed difference from a reference value printed with 10 significant digits:
/// the stated tolerance plus half a unit in the 10th digit.
pub fn allowance(tolerance: f64, reference: f64) -> f64 {
    tolerance + 5e-10 * reference.abs()
}
