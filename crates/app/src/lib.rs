//! The application layer of lifeline: what the command line and the HTTP API both do,
//! written once. Each module takes a typed request (the inputs already read: a city, the
//! text of a file with its name, numbers), calls the engines and gives a typed document
//! (serde) or an [`AppError`] that names the request field it is about. The CLI maps a
//! field to its `--flag`; the server answers `422 {error, field}`.
//!
//! * [`schedule`]: rolling outages for a city's groups from steps of available
//!   generation or from what the grid serves in a cascade run; the city's time zone by
//!   default.
//! * [`incidents`]: the confirmed incidents of some days whose targets name assets of a
//!   city → a damage scenario (a typed document written as TOML and checked against the
//!   city); incidents as GeoJSON points.
//! * [`sweep`]: a vulnerability sweep from its request as written, run on the caller's
//!   rayon pool, with the loss its what-ifs avoided against the same scenarios without
//!   them, and its report.
//!
//! **Invariant:** no terminal, no HTTP, no files written; the only files it reads are
//! those a request names through the engines' own loaders; no threads of its own (a
//! sweep runs on the caller's rayon pool).

pub mod city_init;
pub mod city_map;
pub mod error;
pub mod incidents;
pub mod schedule;
pub mod sweep;

pub use error::AppError;
