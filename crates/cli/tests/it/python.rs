//! The Python package's pytest suite (`python/tests`), run as part of `cargo test`: a
//! virtual environment in `target/tmp/python-venv` (made once), `maturin`, `pytest`,
//! `numpy`, `pandas` and `pyarrow` from PyPI into it, then `pip install ./python` (built by maturin
//! into `target/python`, its own cargo target folder: this test runs while cargo holds
//! the workspace's), and pytest with `LIFELINE_BIN` naming this build's `lifeline` for
//! the comparisons with the CLI's CSV.
//!
//! Needs Python 3.9 or newer with `venv` and pip's access to PyPI. When either is missing
//! the test says so and passes, except under CI (`CI=true`), where it fails.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The Python to build the environment with: `$PYTHON`, else `python3`.
fn python() -> String {
    std::env::var("PYTHON").unwrap_or_else(|_| "python3".into())
}

fn run(command: &mut Command) -> Output {
    command
        .output()
        .unwrap_or_else(|e| panic!("cannot run {command:?}: {e}"))
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// What the suite needs from PyPI besides the package's own build.
const TOOLS: [&str; 5] = ["maturin>=1.9.4,<2", "pytest", "numpy", "pandas", "pyarrow"];

/// The environment's Python, made on first use and given [`TOOLS`] whenever the list
/// changes (a stamp file in the environment remembers it); `Err` with why it cannot be
/// made.
fn environment(venv: &Path) -> Result<PathBuf, String> {
    let bin = venv.join("bin/python");
    let stamp = venv.join("lifeline-tools.txt");
    let wanted = TOOLS.join("\n");
    if bin.exists() && std::fs::read_to_string(&stamp).ok().as_deref() == Some(wanted.as_str()) {
        return Ok(bin);
    }
    if !bin.exists() {
        let made = Command::new(python())
            .args(["-m", "venv"])
            .arg(venv)
            .output()
            .map_err(|e| format!("{} is not installed ({e})", python()))?;
        if !made.status.success() {
            return Err(format!(
                "{} -m venv failed: {}",
                python(),
                text(&made).trim()
            ));
        }
    }
    let tools = run(Command::new(&bin)
        .args(["-m", "pip", "install", "--quiet"])
        .args(TOOLS));
    if !tools.status.success() {
        // A half-made environment must not pass for a made one next time.
        let _ = std::fs::remove_dir_all(venv);
        return Err(format!(
            "pip could not install {} from PyPI: {}",
            TOOLS.join(", "),
            text(&tools).trim()
        ));
    }
    std::fs::write(&stamp, wanted).map_err(|e| format!("cannot write {}: {e}", stamp.display()))?;
    Ok(bin)
}

#[test]
fn the_python_package_installs_and_its_pytest_suite_passes() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let venv = tmp.join("python-venv");
    let bin = match environment(&venv) {
        Ok(bin) => bin,
        Err(why) => {
            lifeline_testkit::skip("the Python package's tests", &why);
            return;
        }
    };
    // The package as a user installs it: `pip install ./python`, built by maturin.
    let target = tmp.join("../python");
    // maturin's build hook calls `maturin` by name: the environment's bin comes first.
    let path = format!(
        "{}:{}",
        venv.join("bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let install = run(Command::new(&bin)
        .current_dir(&root)
        .env("PATH", &path)
        .env("CARGO_TARGET_DIR", &target)
        // Behaviour, not speed, is tested here: no link-time optimisation to wait for.
        .env("CARGO_PROFILE_RELEASE_LTO", "off")
        // Nor debug info, which only fills the disk.
        .env("CARGO_PROFILE_RELEASE_DEBUG", "false")
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-build-isolation",
            "--force-reinstall",
            "--no-deps",
            "./python",
        ]));
    assert!(
        install.status.success(),
        "pip install ./python failed:\n{}",
        text(&install)
    );
    // Nothing written into the source tree: no bytecode, no pytest cache.
    let tests = run(Command::new(&bin)
        .current_dir(&root)
        .env("LIFELINE_BIN", env!("CARGO_BIN_EXE_lifeline"))
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .args([
            "-m",
            "pytest",
            "python/tests",
            "-q",
            "-rs",
            "-p",
            "no:cacheprovider",
        ]));
    println!("{}", text(&tests));
    assert!(
        tests.status.success(),
        "the pytest suite failed:\n{}",
        text(&tests)
    );
}
