//! Test helpers: where the reference data is, and reading reference CSV files.

use flate2::read::GzDecoder;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The repository's own small MATPOWER cases and their reference solutions.
pub fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/matpower")
}

/// `shared/reference/power` next to the repository (or `$LIFELINE_SHARED/reference/power`),
/// if present.
pub fn shared_power_dir() -> Option<PathBuf> {
    let shared = std::env::var_os("LIFELINE_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    let power = shared.join("reference/power");
    power.is_dir().then_some(power)
}

/// Says, once per test run and past the test harness's output capture, that the tests
/// over the shared reference data skip.
pub fn note_shared_missing() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "note: ../shared/reference/power not found: tests over case57 … case9241pegase skip \
             (set LIFELINE_SHARED to the folder that holds reference/power to run them)"
        );
    });
}

/// Where case `name` and its reference solutions are: the repository's copy first, then
/// the shared reference folder. `None` (with a printed reason) when neither has it.
pub fn locate(name: &str) -> Option<(PathBuf, PathBuf)> {
    let local = data_dir();
    if local.join(format!("{name}.m")).exists() {
        return Some((local.join(format!("{name}.m")), local));
    }
    match shared_power_dir() {
        Some(shared) => Some((
            shared.join(format!("cases/{name}.m")),
            shared.join("solutions"),
        )),
        None => {
            note_shared_missing();
            None
        }
    }
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
