//! Test support shared by lifeline's test suites (a dev-dependency only).
//!
//! A test that needs something outside the repository — the shared reference data, a
//! PostgreSQL server, a browser — asks here. On a developer's machine a missing
//! prerequisite is a skip with a printed reason; under CI (`CI=true`) it is a failure,
//! so nothing can skip silently where the suite is meant to run whole.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Whether the tests run under CI: `CI` is set to anything but `false` or `0` (as CI
/// services and `.ci/run` set it).
pub fn in_ci() -> bool {
    means_ci(std::env::var("CI").ok().as_deref())
}

/// Whether a value of `CI` means the tests run under CI.
fn means_ci(value: Option<&str>) -> bool {
    value.is_some_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// A test cannot run because `why` (and how to get it). Under CI this panics; otherwise
/// it prints `skipped: {what}: {why}` past the harness's capture (once per `what` in a
/// test binary) and returns, and the caller returns too.
pub fn skip(what: &str, why: &str) {
    if in_ci() {
        panic!("CI runs every test, but {what} cannot run: {why}");
    }
    static SAID: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
    let first = SAID.lock().map_or(true, |mut said| {
        let first = !said.iter().any(|w| w == what);
        if first {
            said.push(what.to_string());
        }
        first
    });
    if first {
        let _ = writeln!(std::io::stderr(), "skipped: {what}: {why}");
    }
}

/// `shared/reference/{sub}` next to the repository (or `$LIFELINE_SHARED/reference/{sub}`),
/// when it is there. `manifest_dir` is the calling crate's `CARGO_MANIFEST_DIR`.
pub fn shared_reference(manifest_dir: &str, sub: &str) -> Option<PathBuf> {
    let shared = std::env::var_os("LIFELINE_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(manifest_dir).join("../../../shared"));
    let dir = shared.join("reference").join(sub);
    dir.is_dir().then_some(dir)
}

/// The shared reference folder `sub`, or a skip (a failure under CI) naming `what`
/// needed it.
pub fn require_shared(manifest_dir: &str, sub: &str, what: &str) -> Option<PathBuf> {
    let found = shared_reference(manifest_dir, sub);
    if found.is_none() {
        skip(
            what,
            &format!(
                "../shared/reference/{sub} is not there (set LIFELINE_SHARED to the folder that \
                 holds reference/{sub})"
            ),
        );
    }
    found
}

/// The PostgreSQL server's URL for tests (`LIFELINE_TEST_POSTGRES`), or a skip (a failure
/// under CI) naming `what` needed it.
pub fn postgres_url(what: &str) -> Option<String> {
    let url = std::env::var("LIFELINE_TEST_POSTGRES")
        .ok()
        .filter(|u| !u.is_empty());
    if url.is_none() {
        skip(
            what,
            "LIFELINE_TEST_POSTGRES is not set (export LIFELINE_TEST_POSTGRES=$(scripts/start-test-postgres))",
        );
    }
    url
}

/// A PostgreSQL database of a test's own on the `LIFELINE_TEST_POSTGRES` server, made
/// fresh and dropped (with its connections) when this is dropped, so runs never meet.
pub struct PostgresDatabase {
    admin_url: String,
    name: String,
    /// The URL of the database.
    pub url: String,
}

impl PostgresDatabase {
    /// A fresh database for test `test`, or `None` after a skip (a failure under CI).
    pub fn create(test: &str) -> Option<Self> {
        let admin_url = postgres_url(&format!("{test} on PostgreSQL"))?;
        let name = format!(
            "lifeline_{}_{}",
            test.replace(|c: char| !c.is_ascii_alphanumeric(), "_"),
            std::process::id()
        );
        admin(
            &admin_url,
            &[
                format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
                format!("CREATE DATABASE {name}"),
            ],
        )
        .unwrap_or_else(|e| panic!("cannot create the test database {name}: {e}"));
        let base = admin_url
            .split_once('?')
            .map_or(admin_url.as_str(), |(base, _)| base);
        let url = match base.rsplit_once('/') {
            Some((server, _)) => format!("{server}/{name}"),
            None => panic!("LIFELINE_TEST_POSTGRES={admin_url}: expected postgres://…/database"),
        };
        Some(Self {
            admin_url,
            name,
            url,
        })
    }
}

impl Drop for PostgresDatabase {
    fn drop(&mut self) {
        let _ = admin(
            &self.admin_url,
            &[format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            )],
        );
    }
}

/// Runs `statements` one by one on the server at `url`, on a thread of their own: the
/// blocking client cannot run inside an async runtime, and tests may be in one.
fn admin(url: &str, statements: &[String]) -> Result<(), String> {
    let (url, statements) = (url.to_string(), statements.to_vec());
    std::thread::spawn(move || {
        let mut client = postgres::Client::connect(&url, postgres::NoTls)
            .map_err(|e| format!("LIFELINE_TEST_POSTGRES: cannot connect: {e}"))?;
        for statement in &statements {
            client
                .batch_execute(statement)
                .map_err(|e| format!("{statement}: {e}"))?;
        }
        Ok(())
    })
    .join()
    .map_err(|_| "the database thread panicked".to_string())?
}

/// The tiny city (`crates/cascade/tests/data/tiny`) written to `dir` with Riverside's
/// junction at `jb_elevation_m`, the plant's PMAX at `p_max_mw` and both junctions'
/// demand following `pattern` (hourly multipliers): a city short of water or of power on
/// a normal day, or one with spare generation. Returns the path of its city.toml.
///
/// # Panics
/// When the tiny city's files cannot be read or `dir` written (a broken test set-up).
pub fn tiny_city_variant(
    dir: &Path,
    jb_elevation_m: f64,
    p_max_mw: f64,
    pattern: &[f64],
) -> PathBuf {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../cascade/tests/data/tiny");
    let read = |name: &str| {
        std::fs::read_to_string(data.join(name))
            .unwrap_or_else(|e| panic!("the tiny city's {name}: {e}"))
    };
    let pattern: Vec<String> = pattern.iter().map(|m| format!("{m:.3}")).collect();
    let water = read("water.inp")
        .replace(
            "JA     20     20\nJB     20     30",
            &format!("JA     20     20   DAY\nJB     {jb_elevation_m:.3}     30   DAY"),
        )
        .replace(
            "[CURVES]",
            &format!("[PATTERNS]\nDAY {}\n\n[CURVES]", pattern.join(" ")),
        );
    let grid = read("grid.m").replace(
        "1	50	0	100	-100	1.02	100	1	200	0;",
        &format!("1	{p_max_mw:.3}	0	100	-100	1.02	100	1	{p_max_mw:.3}	0;"),
    );
    let write = |name: &str, text: &str| {
        std::fs::write(dir.join(name), text)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.join(name).display()))
    };
    write("water.inp", &water);
    write("grid.m", &grid);
    for name in ["city.toml", "service-areas.csv"] {
        write(name, &read(name));
    }
    dir.join("city.toml")
}

/// The folder holding the water network `name` (`NAME.inp`; a `.pda` name runs its base
/// network) and its EPANET 2.3 reference results `NAME.heads.csv.gz`: the repository's
/// `data/epanet` first, then `../shared/reference/water/networks`, or a skip (a failure
/// under CI) naming `what` needed it. `manifest_dir` is the calling crate's.
pub fn water_reference(manifest_dir: &str, name: &str, what: &str) -> Option<PathBuf> {
    let base = name.trim_end_matches(".pda");
    let local = Path::new(manifest_dir).join("../../data/epanet");
    if local.join(format!("{base}.inp")).exists()
        && local.join(format!("{name}.heads.csv.gz")).exists()
    {
        return Some(local);
    }
    require_shared(manifest_dir, "water/networks", what)
}

/// Rows of a gzipped CSV file split at commas, header dropped.
///
/// # Panics
/// If the file cannot be read: a test's reference data is missing.
pub fn read_gz_csv(path: &Path) -> Vec<Vec<String>> {
    use std::io::Read;
    let mut text = String::new();
    flate2::read::GzDecoder::new(
        std::fs::File::open(path).unwrap_or_else(|e| panic!("cannot open {}: {e}", path.display())),
    )
    .read_to_string(&mut text)
    .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    text.lines()
        .skip(1)
        .map(|line| line.split(',').map(str::to_string).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn ci_is_any_value_but_empty_false_or_zero() {
        for (value, ci) in [
            (None, false),
            (Some(""), false),
            (Some("false"), false),
            (Some("0"), false),
            (Some("true"), true),
            (Some("1"), true),
            (Some("yes"), true),
        ] {
            assert_eq!(super::means_ci(value), ci, "{value:?}");
        }
    }

    #[test]
    fn shared_reference_is_none_for_a_folder_that_is_not_there() {
        assert!(super::shared_reference("/nonexistent/a/b", "nothing-here").is_none());
    }
}
