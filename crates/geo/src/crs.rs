//! Coordinate reference systems: an `EPSG:NNNN` code or a PROJ string, and the
//! transformation of a system's coordinates to longitude/latitude (WGS 84, degrees), as
//! RFC 7946 GeoJSON wants them. Pure Rust ([`proj4rs`], with the EPSG definitions of
//! `crs-definitions`); no C library.
//!
//! Peers: pyproj and GDAL call the PROJ C library, which also knows datum grids; proj4rs
//! applies `+towgs84` datum shifts (and none where the definition has none), which is
//! within centimetres for the systems utilities use (tested against pyproj/PROJ 9.5 at
//! known points: EPSG:3857, UTM zone 36N, New York Long Island state plane in US feet).

use crate::error::GeoError;
use proj4rs::Proj;

/// A coordinate reference system, ready to transform to longitude/latitude.
pub struct Crs {
    /// As the user wrote it.
    text: String,
    /// The system itself; `None` for longitude/latitude already (EPSG:4326, WGS84).
    proj: Option<Proj>,
    /// WGS 84 longitude/latitude.
    wgs84: Proj,
}

impl std::fmt::Debug for Crs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Crs").field("text", &self.text).finish()
    }
}

impl Crs {
    /// Longitude/latitude in degrees (WGS 84): nothing to transform.
    pub fn lon_lat() -> Self {
        Self {
            text: "EPSG:4326".into(),
            proj: None,
            wgs84: wgs84(),
        }
    }

    /// Parses `text`: `EPSG:NNNN` (also `epsg:NNNN`, or a GeoJSON legacy name such as
    /// `urn:ogc:def:crs:EPSG::3857`), `WGS84`, or a PROJ string (`+proj=utm +zone=36
    /// +datum=WGS84`); fails with what was expected.
    pub fn parse(text: &str) -> Result<Self, GeoError> {
        let trimmed = text.trim();
        let bad = |reason: String| GeoError::Crs {
            crs: trimmed.to_string(),
            reason,
        };
        if let Some(code) = epsg_code(trimmed) {
            if code == 4326 || code == 4979 {
                return Ok(Self::lon_lat());
            }
            let code =
                u16::try_from(code).map_err(|_| bad(format!("EPSG:{code} is not a known code")))?;
            let proj = Proj::from_epsg_code(code)
                .map_err(|e| bad(format!("EPSG:{code} is not a code lifeline knows ({e})")))?;
            return Ok(Self::with_proj(trimmed, proj));
        }
        if trimmed.eq_ignore_ascii_case("wgs84") || trimmed.eq_ignore_ascii_case("crs84") {
            return Ok(Self::lon_lat());
        }
        if trimmed.starts_with('+') {
            let proj = Proj::from_proj_string(trimmed)
                .map_err(|e| bad(format!("not a PROJ string lifeline can use ({e})")))?;
            return Ok(Self::with_proj(trimmed, proj));
        }
        Err(bad(
            "expected EPSG:NNNN or a PROJ string such as '+proj=utm +zone=36 +datum=WGS84'"
                .to_string(),
        ))
    }

    fn with_proj(text: &str, proj: Proj) -> Self {
        Self {
            text: text.to_string(),
            proj: Some(proj),
            wgs84: wgs84(),
        }
    }

    /// The system as the user wrote it.
    pub fn name(&self) -> &str {
        &self.text
    }

    /// Whether coordinates are already longitude/latitude in degrees.
    pub fn is_lon_lat(&self) -> bool {
        self.proj.is_none()
    }

    /// `(x, y)` of this system as (longitude, latitude), degrees; fails on a point the
    /// projection cannot take back or that lands outside longitude/latitude ranges.
    pub fn to_lon_lat(&self, x: f64, y: f64) -> Result<(f64, f64), GeoError> {
        let outside = || GeoError::OutsideProjection {
            crs: self.text.clone(),
            x,
            y,
        };
        if !(x.is_finite() && y.is_finite()) {
            return Err(outside());
        }
        let Some(proj) = &self.proj else {
            return if (-180.0..=180.0).contains(&x) && (-90.0..=90.0).contains(&y) {
                Ok((x, y))
            } else {
                Err(outside())
            };
        };
        let mut point = if proj.is_latlong() {
            (x.to_radians(), y.to_radians(), 0.0)
        } else {
            (x, y, 0.0)
        };
        proj4rs::transform::transform(proj, &self.wgs84, &mut point).map_err(|_| outside())?;
        let (lon, lat) = (point.0.to_degrees(), point.1.to_degrees());
        if lon.is_finite() && lat.is_finite() && lon.abs() <= 180.0 && lat.abs() <= 90.0 {
            Ok((lon, lat))
        } else {
            Err(outside())
        }
    }
}

impl Crs {
    /// (longitude, latitude) in degrees as this system's `(x, y)`: the inverse of
    /// [`Crs::to_lon_lat`], so that a point can be tested against polygons drawn in this
    /// system (straight edges in it are not straight in longitude/latitude).
    pub fn from_lon_lat(&self, lon: f64, lat: f64) -> Result<(f64, f64), GeoError> {
        let outside = || GeoError::OutsideProjection {
            crs: "EPSG:4326".to_string(),
            x: lon,
            y: lat,
        };
        let Some(proj) = &self.proj else {
            return Ok((lon, lat));
        };
        let mut point = (lon.to_radians(), lat.to_radians(), 0.0);
        proj4rs::transform::transform(&self.wgs84, proj, &mut point).map_err(|_| outside())?;
        let (x, y) = if proj.is_latlong() {
            (point.0.to_degrees(), point.1.to_degrees())
        } else {
            (point.0, point.1)
        };
        if x.is_finite() && y.is_finite() {
            Ok((x, y))
        } else {
            Err(outside())
        }
    }
}

/// WGS 84 longitude/latitude.
fn wgs84() -> Proj {
    // A constant definition: parsing it cannot fail.
    match Proj::from_proj_string("+proj=longlat +datum=WGS84 +no_defs") {
        Ok(proj) => proj,
        Err(_) => unreachable!("the WGS 84 definition is valid"),
    }
}

/// The EPSG code in `text`: `EPSG:3857`, `epsg:3857`, `urn:ogc:def:crs:EPSG::3857`,
/// `urn:ogc:def:crs:OGC:1.3:CRS84` (4326).
fn epsg_code(text: &str) -> Option<u32> {
    let lower = text.to_ascii_lowercase();
    if lower.ends_with("crs84") {
        return Some(4326);
    }
    let rest = lower
        .strip_prefix("epsg:")
        .or_else(|| lower.strip_prefix("urn:ogc:def:crs:epsg::"))
        .or_else(|| lower.strip_prefix("urn:ogc:def:crs:epsg:"))?;
    rest.rsplit(':').next()?.trim().parse().ok()
}
