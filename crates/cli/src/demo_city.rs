//! The demo city's files for commands that need them on disk (`serve`, the benchmarks):
//! the repository's own when run in it, else written out of the binary into a private
//! temporary folder.
//!
//! The folder is made by `tempfile`: a fresh random name, mode 0700, created
//! exclusively, so nothing another user planted in the temporary directory (a folder, or
//! a symbolic link to a file of the user's) can receive the writes. It is removed when the
//! [`DemoCity`] is dropped.

use crate::output::write_file;
use crate::simulate::DEMO_FILES;
use anyhow::{Context, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Where the demo city and its seed scenario are, for as long as this lives.
pub struct DemoCity {
    /// `city.toml`.
    pub city: PathBuf,
    /// The seed scenario, `scenarios/2024-03-22.toml`.
    pub scenario: PathBuf,
    /// The private folder the files were written to, if they were.
    _folder: Option<tempfile::TempDir>,
}

impl DemoCity {
    /// The repository's `data/demo-city` when the working directory holds it, else the
    /// files written into a new private temporary folder.
    pub fn materialise() -> Result<Self> {
        let city = PathBuf::from("data/demo-city/city.toml");
        let scenario = PathBuf::from("data/demo-city/scenarios/2024-03-22.toml");
        if city.is_file() && scenario.is_file() {
            return Ok(Self {
                city,
                scenario,
                _folder: None,
            });
        }
        let folder = private_folder("lifeline-demo-city-")?;
        write_files(folder.path())?;
        Ok(Self {
            city: folder.path().join("city.toml"),
            scenario: folder.path().join("scenarios/2024-03-22.toml"),
            _folder: Some(folder),
        })
    }
}

/// Writes the demo city's files, built into the binary, into `dir` (`city.toml`, its
/// grid, water network, service areas, map and seed scenario).
pub fn write_files(dir: &Path) -> Result<()> {
    for (name, text) in DEMO_FILES {
        write_file(&dir.join(name), |out| out.write_all(text.as_bytes()))?;
    }
    Ok(())
}

/// A new private folder (mode 0700, fresh name) in the temporary directory, removed when
/// dropped.
pub fn private_folder(prefix: &str) -> Result<tempfile::TempDir> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(prefix);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o700));
    }
    builder.tempdir().with_context(|| {
        format!(
            "cannot create a temporary folder in {}",
            std::env::temp_dir().display()
        )
    })
}
