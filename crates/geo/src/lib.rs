//! Coordinates for lifeline: a utility's files come in their own coordinate systems
//! (state planes in feet, UTM, Web Mercator, or an EPANET model's local plane); lifeline's
//! maps are longitude/latitude (RFC 7946).
//!
//! * [`crs`]: `EPSG:NNNN` or a PROJ string, to longitude/latitude, in pure Rust.
//! * [`polygon`]: areas with holes, point in area, distance to an area.
//! * [`geojson`]: feature collections of areas or points, with the legacy `crs` member.
//!
//! **Invariant:** every point given out in longitude/latitude is finite and within
//! ±180° / ±90°.

pub mod crs;
pub mod error;
pub mod geojson;
pub mod polygon;

pub use crs::Crs;
pub use error::GeoError;
pub use polygon::{Area, Polygon, distance_km};
