//! Reading GeoJSON feature collections: polygons (districts) and points (buses,
//! facilities), with their properties, and the legacy `crs` member (GeoJSON 2008) that
//! older GIS exports still write.

use crate::crs::Crs;
use crate::error::GeoError;
use crate::polygon::{Area, Polygon, Ring};
use serde_json::{Map, Value};

/// One feature: its geometry and properties.
#[derive(Debug, Clone)]
pub struct Feature<G> {
    /// Position in the collection, from 1.
    pub number: usize,
    /// Its geometry.
    pub geometry: G,
    /// Its properties.
    pub properties: Map<String, Value>,
}

/// A feature collection and the coordinate system it names (legacy `crs` member), if any.
#[derive(Debug, Clone)]
pub struct Collection<G> {
    /// The features.
    pub features: Vec<Feature<G>>,
    /// The `crs` member's name (`urn:ogc:def:crs:EPSG::3857`), if any.
    pub crs: Option<String>,
}

/// The polygons and multipolygons of `text` (read from `file`); other geometries are
/// refused with the feature's number.
pub fn read_areas(file: &str, text: &str) -> Result<Collection<Area>, GeoError> {
    read(file, text, |number, geometry| {
        Area::from_geometry(geometry).ok_or_else(|| {
            let kind = geometry.get("type").and_then(Value::as_str).unwrap_or("");
            format!("feature {number}: expected a Polygon or MultiPolygon with [x, y] positions, found '{kind}'")
        })
    })
}

/// The points of `text` (read from `file`); other geometries are refused with the
/// feature's number.
pub fn read_points(file: &str, text: &str) -> Result<Collection<(f64, f64)>, GeoError> {
    read(file, text, |number, geometry| {
        let kind = geometry.get("type").and_then(Value::as_str).unwrap_or("");
        match (kind, geometry.get("coordinates").and_then(position)) {
            ("Point", Some(point)) => Ok(point),
            _ => Err(format!(
                "feature {number}: expected a Point with [x, y] coordinates, found '{kind}'"
            )),
        }
    })
}

fn read<G>(
    file: &str,
    text: &str,
    geometry_of: impl Fn(usize, &Value) -> Result<G, String>,
) -> Result<Collection<G>, GeoError> {
    let error = |message: String| GeoError::GeoJson {
        file: file.to_string(),
        message,
    };
    let document: Value = serde_json::from_str(text)
        .map_err(|e| error(format!("not JSON (line {}): {e}", e.line())))?;
    let features = document
        .get("features")
        .and_then(Value::as_array)
        .ok_or_else(|| error("expected a FeatureCollection with a 'features' array".into()))?;
    let crs = document
        .get("crs")
        .and_then(|c| c.get("properties"))
        .and_then(|p| p.get("name"))
        .and_then(Value::as_str)
        .map(str::to_string);
    let mut read = Vec::with_capacity(features.len());
    for (i, feature) in features.iter().enumerate() {
        let number = i + 1;
        let geometry = feature
            .get("geometry")
            .filter(|g| !g.is_null())
            .ok_or_else(|| error(format!("feature {number}: it has no geometry")))?;
        read.push(Feature {
            number,
            geometry: geometry_of(number, geometry).map_err(error)?,
            properties: feature
                .get("properties")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default(),
        });
    }
    Ok(Collection {
        features: read,
        crs,
    })
}

/// `[x, y]` (a third value, height, is ignored) with finite numbers.
fn position(value: &Value) -> Option<(f64, f64)> {
    let list = value.as_array()?;
    let x = list.first()?.as_f64()?;
    let y = list.get(1)?.as_f64()?;
    (x.is_finite() && y.is_finite()).then_some((x, y))
}

fn ring(value: &Value) -> Option<Ring> {
    value.as_array()?.iter().map(position).collect()
}

fn polygon(value: &Value) -> Option<Polygon> {
    let rings = value.as_array()?;
    let outer = ring(rings.first()?)?;
    let holes = rings[1..].iter().map(ring).collect::<Option<Vec<_>>>()?;
    Some(Polygon { outer, holes })
}

impl Area {
    /// The area of a GeoJSON Polygon or MultiPolygon geometry; `None` for any other.
    pub fn from_geometry(geometry: &Value) -> Option<Area> {
        let kind = geometry.get("type").and_then(Value::as_str).unwrap_or("");
        let polygons = match (kind, geometry.get("coordinates")) {
            ("Polygon", Some(c)) => vec![polygon(c)],
            ("MultiPolygon", Some(Value::Array(list))) => list.iter().map(polygon).collect(),
            _ => vec![None],
        };
        polygons
            .into_iter()
            .collect::<Option<Vec<Polygon>>>()
            .map(|polygons| Area { polygons })
    }

    /// The area with every point taken from `crs` to longitude/latitude.
    pub fn to_lon_lat(&self, crs: &Crs) -> Result<Area, GeoError> {
        let ring = |r: &Ring| -> Result<Ring, GeoError> {
            r.iter().map(|&(x, y)| crs.to_lon_lat(x, y)).collect()
        };
        let polygons = self
            .polygons
            .iter()
            .map(|p| {
                Ok(Polygon {
                    outer: ring(&p.outer)?,
                    holes: p.holes.iter().map(ring).collect::<Result<_, GeoError>>()?,
                })
            })
            .collect::<Result<_, GeoError>>()?;
        Ok(Area { polygons })
    }

    /// The area as a GeoJSON geometry (a Polygon, or a MultiPolygon for several).
    pub fn to_geojson(&self) -> Value {
        let ring =
            |r: &Ring| Value::Array(r.iter().map(|&(x, y)| serde_json::json!([x, y])).collect());
        let polygon = |p: &Polygon| {
            Value::Array(
                std::iter::once(&p.outer)
                    .chain(&p.holes)
                    .map(ring)
                    .collect(),
            )
        };
        match self.polygons.as_slice() {
            [one] => serde_json::json!({"type": "Polygon", "coordinates": polygon(one)}),
            many => serde_json::json!({
                "type": "MultiPolygon",
                "coordinates": many.iter().map(polygon).collect::<Vec<_>>(),
            }),
        }
    }
}
