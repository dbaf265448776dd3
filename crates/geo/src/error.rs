//! The error type of coordinates and maps.

/// Why coordinates or a map cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GeoError {
    /// A reference system that cannot be parsed or is unknown.
    #[error("coordinate system '{crs}': {reason}")]
    Crs {
        /// As written.
        crs: String,
        /// What is wrong and what was expected.
        reason: String,
    },
    /// A point the system cannot take to longitude/latitude.
    #[error(
        "the point ({x}, {y}) cannot be taken from {crs} to longitude/latitude: is it in that coordinate system?"
    )]
    OutsideProjection {
        /// The system.
        crs: String,
        /// Its coordinates.
        x: f64,
        /// Its coordinates.
        y: f64,
    },
    /// A GeoJSON document that is not what was expected.
    #[error("{file}: {message}")]
    GeoJson {
        /// The file.
        file: String,
        /// What is wrong, with the feature, and what was expected.
        message: String,
    },
}
