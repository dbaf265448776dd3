//! The demo city: a small city's grid (MATPOWER), water network (EPANET), service areas,
//! district outlines and its seed strike scenario (22 March 2024), built into the program
//! so that `lifeline demo`, `lifeline serve` and the benchmarks run anywhere.
//!
//! [`write_files`] writes the files into a folder of the caller's choosing (`lifeline demo`
//! writes them as an editable template). [`DemoCity::materialise`] gives paths a reader can
//! open for as long as the [`DemoCity`] lives: the repository's own `data/demo-city` when
//! the working directory holds it, else the files written into a private temporary folder
//! made by [`private_folder`]: a fresh random name, mode 0700, created exclusively, so
//! nothing another user planted in the temporary directory (a folder, or a symbolic link to
//! a file of the user's) can receive the writes. The folder is removed when the
//! [`DemoCity`] is dropped.
//!
//! The crate prints nothing and depends on no other lifeline crate: loading the city is
//! the caller's job (`lifeline_cascade::City::load`).

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// Where the city file is, relative to the demo city's folder.
pub const CITY: &str = "city.toml";

/// Where the seed scenario is, relative to the demo city's folder.
pub const SCENARIO: &str = "scenarios/2024-03-22.toml";

/// Every file of the demo city: its path relative to the city's folder, and its text.
pub const FILES: [(&str, &str); 7] = [
    (CITY, include_str!("../../../data/demo-city/city.toml")),
    ("grid.m", include_str!("../../../data/demo-city/grid.m")),
    (
        "water.inp",
        include_str!("../../../data/demo-city/water.inp"),
    ),
    (
        "service-areas.csv",
        include_str!("../../../data/demo-city/service-areas.csv"),
    ),
    (
        "districts.geojson",
        include_str!("../../../data/demo-city/districts.geojson"),
    ),
    (
        "bus-positions.csv",
        include_str!("../../../data/demo-city/bus-positions.csv"),
    ),
    (
        SCENARIO,
        include_str!("../../../data/demo-city/scenarios/2024-03-22.toml"),
    ),
];

/// The repository's copy of the demo city, relative to the repository's root.
const REPOSITORY_FOLDER: &str = "data/demo-city";

/// Why the demo city could not be written.
#[derive(Debug, Error)]
pub enum DemoCityError {
    /// A folder could not be created.
    #[error("cannot create the folder {}: {source}", dir.display())]
    Folder {
        /// The folder.
        dir: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A file could not be created or written.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// Writes every file of the demo city into `dir`, creating `dir` and its `scenarios`
/// folder when missing and replacing files of the same names.
pub fn write_files(dir: &Path) -> Result<(), DemoCityError> {
    for (name, text) in FILES {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| DemoCityError::Folder {
                dir: parent.to_path_buf(),
                source,
            })?;
        }
        File::create(&path)
            .and_then(|mut file| {
                file.write_all(text.as_bytes())?;
                file.flush()
            })
            .map_err(|source| DemoCityError::Write { path, source })?;
    }
    Ok(())
}

/// A new private folder in the system's temporary directory, its name `prefix` and a
/// fresh random part, created exclusively with mode 0700 (on Unix); removed with its
/// contents when the returned value is dropped. Also what scratch files belong in.
pub fn private_folder(prefix: &str) -> Result<tempfile::TempDir, DemoCityError> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(prefix);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o700));
    }
    builder.tempdir().map_err(|source| DemoCityError::Folder {
        dir: std::env::temp_dir(),
        source,
    })
}

/// The demo city on disk, for as long as this lives: the paths of its city file and seed
/// scenario (the other files beside them, as the city file names them).
#[derive(Debug)]
pub struct DemoCity {
    city: PathBuf,
    scenario: PathBuf,
    /// The private folder the files were written to, if they were; removed on drop.
    folder: Option<tempfile::TempDir>,
}

impl DemoCity {
    /// The repository's `data/demo-city` when the working directory holds it (so edits
    /// there count without a rebuild), else the built-in files written into a new
    /// [`private_folder`].
    pub fn materialise() -> Result<Self, DemoCityError> {
        let repository = Path::new(REPOSITORY_FOLDER);
        let (city, scenario) = (repository.join(CITY), repository.join(SCENARIO));
        if city.is_file() && scenario.is_file() {
            return Ok(Self {
                city,
                scenario,
                folder: None,
            });
        }
        Self::written()
    }

    /// The built-in files written into a new [`private_folder`], whatever the working
    /// directory holds.
    fn written() -> Result<Self, DemoCityError> {
        let folder = private_folder("lifeline-demo-city-")?;
        write_files(folder.path())?;
        Ok(Self {
            city: folder.path().join(CITY),
            scenario: folder.path().join(SCENARIO),
            folder: Some(folder),
        })
    }

    /// The city file, `city.toml`.
    pub fn city(&self) -> &Path {
        &self.city
    }

    /// The seed scenario, `scenarios/2024-03-22.toml`.
    pub fn scenario(&self) -> &Path {
        &self.scenario
    }

    /// The private folder the files were written to, or `None` when they are the
    /// repository's own.
    pub fn folder(&self) -> Option<&Path> {
        self.folder.as_ref().map(tempfile::TempDir::path)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn the_built_in_files_are_the_repository_s() {
        let repository = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/demo-city");
        for (name, text) in FILES {
            let on_disk = std::fs::read_to_string(repository.join(name)).unwrap();
            assert_eq!(on_disk, text, "{name}");
        }
    }

    #[test]
    fn written_files_load_as_a_city_with_its_scenario() {
        let demo = DemoCity::written().unwrap();
        let folder = demo.folder().unwrap().to_path_buf();
        assert!(demo.city().starts_with(&folder));
        let city = lifeline_cascade::City::load(demo.city()).unwrap();
        lifeline_cascade::Scenario::load(demo.scenario(), &city).unwrap();
        drop(demo);
        assert!(!folder.exists(), "the private folder is removed on drop");
    }

    #[cfg(unix)]
    #[test]
    fn the_private_folder_is_the_user_s_alone_and_fresh() {
        use std::os::unix::fs::PermissionsExt;
        let a = private_folder("lifeline-demo-city-test-").unwrap();
        let b = private_folder("lifeline-demo-city-test-").unwrap();
        assert_ne!(a.path(), b.path());
        let mode = std::fs::metadata(a.path()).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
    }

    #[test]
    fn write_files_replaces_files_and_reports_what_it_could_not_write() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(CITY), "old").unwrap();
        write_files(dir.path()).unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.path().join(CITY)).unwrap(),
            FILES[0].1
        );
        // A file where the folder should be.
        let blocked = dir.path().join("blocked");
        std::fs::write(&blocked, "").unwrap();
        let error = write_files(&blocked).unwrap_err();
        assert!(matches!(
            error,
            DemoCityError::Write { .. } | DemoCityError::Folder { .. }
        ));
        assert!(error.to_string().contains("blocked"), "{error}");
    }
}
