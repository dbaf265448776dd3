//! The dashboard in a real browser: `tests/browser/dashboard.mjs` drives Debian's Chromium
//! through playwright-core over a real `lifeline serve` (the demo city and its seed
//! scenario): the ES modules and the vocabularies they take from the API document, the
//! slider, a district, the crews' timeline, "find my group", an iCalendar download,
//! pasting the seed report and saving a draft, the form, late answers for a list or a
//! job no longer shown (held back with page.route) left unshown, running a scenario of
//! one's own, Ukrainian, a phone.
//! Screenshots land in `target/tmp/browser-screenshots/`.
//!
//! Needs Node.js, Chromium (`/usr/bin/chromium` or `$CHROMIUM`) and
//! `tests/browser/node_modules` (`scripts/install-browser-test-deps` installs them). When
//! one is missing the test says so and passes, unless `LIFELINE_BROWSER_TESTS=require`
//! (as `.ci/run` sets) or under CI, when it fails.

use crate::server::Server;
use std::path::{Path, PathBuf};
use std::process::Command;

fn missing(browser_dir: &Path) -> Option<String> {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if Command::new("node").arg("--version").output().is_err() {
        Some("Node.js (node) is not installed".into())
    } else if !Path::new(&chromium).exists() {
        Some(format!("Chromium is not at {chromium}"))
    } else if !browser_dir.join("node_modules/playwright-core").exists() {
        Some(format!(
            "playwright-core is not installed in {}",
            browser_dir.display()
        ))
    } else {
        None
    }
}

#[test]
fn the_dashboard_works_in_a_real_browser() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let browser_dir = root.join("tests/browser");
    if let Some(reason) = missing(&browser_dir) {
        let required = std::env::var("LIFELINE_BROWSER_TESTS").is_ok_and(|v| v == "require");
        assert!(
            !required,
            "browser tests are required but {reason}; run scripts/install-browser-test-deps"
        );
        lifeline_testkit::skip(
            "the browser tests",
            &format!("{reason} (scripts/install-browser-test-deps installs it)"),
        );
        return;
    }
    // A small forecast per job: the forecast panel has something to show within a minute
    // or two.
    let server = Server::start_with(&crate::server::Options {
        token: Some("browser-test-token"),
        forecast_samples: 4,
        ..crate::server::Options::default()
    });
    let screenshots = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser-screenshots");
    // Screenshots of an earlier run must not stand in for this run's.
    if screenshots.exists() {
        std::fs::remove_dir_all(&screenshots).unwrap();
    }
    let output = Command::new("node")
        .current_dir(&browser_dir)
        .arg("dashboard.mjs")
        .arg(format!("http://{}", server.addr))
        .arg("browser-test-token")
        .arg(root.join("crates/incidents/tests/data/2024-03-22-kharkiv.txt"))
        .arg(&screenshots)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    assert!(output.status.success(), "{stdout}\n{stderr}");
    for shot in [
        "01-map",
        "03-repairs",
        "04-schedule",
        "05-incidents",
        "06-own-scenario",
        "07-map-uk",
        "08-phone-map",
        "09-phone-schedule",
    ] {
        assert!(
            screenshots.join(format!("{shot}.png")).exists(),
            "{shot}.png"
        );
    }
}
