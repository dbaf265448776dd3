//! District outlines from a GeoJSON file: a FeatureCollection of Polygon or MultiPolygon
//! features, each with a `name` property naming a district of `city.toml`. Coordinates are
//! longitude, latitude (WGS 84), as GeoJSON requires.

use crate::source::{Problem, suggestion};
use serde_json::Value;

/// The outline of each district (the feature's geometry as given), by district index.
pub(crate) fn read(
    file: &str,
    text: &str,
    districts: &[String],
    problems: &mut Vec<Problem>,
) -> Vec<Option<Value>> {
    let mut outlines = vec![None; districts.len()];
    let json: Value = match serde_json::from_str(text) {
        Ok(json) => json,
        Err(error) => {
            problems.push(Problem {
                file: file.to_string(),
                position: Some(lifeline_core::TextPosition::new(
                    error.line() as u32,
                    error.column() as u32,
                )),
                message: format!("not valid JSON: {error}"),
            });
            return outlines;
        }
    };
    let Some(features) = json.get("features").and_then(Value::as_array) else {
        problems.push(Problem::in_file(
            file,
            "expected a GeoJSON FeatureCollection with a \"features\" array",
        ));
        return outlines;
    };
    for (i, feature) in features.iter().enumerate() {
        let Some(name) = feature.pointer("/properties/name").and_then(Value::as_str) else {
            problems.push(Problem::in_file(
                file,
                format!(
                    "feature {}: expected a \"name\" property naming a district",
                    i + 1
                ),
            ));
            continue;
        };
        let geometry = feature.get("geometry");
        let kind = geometry.and_then(|g| g.get("type")).and_then(Value::as_str);
        if !matches!(kind, Some("Polygon" | "MultiPolygon")) {
            problems.push(Problem::in_file(
                file,
                format!(
                    "feature {} ({name}): expected a Polygon or MultiPolygon geometry",
                    i + 1
                ),
            ));
            continue;
        }
        if let Some(problem) = geometry
            .and_then(|g| g.get("coordinates"))
            .and_then(out_of_range)
        {
            problems.push(Problem::in_file(
                file,
                format!("feature {} ({name}): {problem}", i + 1),
            ));
        }
        match districts.iter().position(|d| d == name) {
            Some(d) if outlines[d].is_some() => {
                problems.push(Problem::in_file(
                    file,
                    format!(
                        "feature {} ({name}): the district has an outline already",
                        i + 1
                    ),
                ));
            }
            Some(d) => outlines[d] = geometry.cloned(),
            None => problems.push(Problem::in_file(
                file,
                format!(
                    "feature {} names district '{name}', which is not in city.toml{}",
                    i + 1,
                    suggestion(name, districts.iter().map(String::as_str))
                ),
            )),
        }
    }
    for (d, outline) in outlines.iter().enumerate() {
        if outline.is_none() {
            problems.push(Problem::in_file(
                file,
                format!("no outline for district '{}'", districts[d]),
            ));
        }
    }
    outlines
}

/// Why `coordinates` (nested arrays of `[longitude, latitude]`) are not degrees, if they
/// are not: a position that is not two finite numbers, or one outside −180…180,
/// −90…90 (a map in a projected system, feet or metres).
fn out_of_range(coordinates: &Value) -> Option<String> {
    let mut stack = vec![coordinates];
    while let Some(value) = stack.pop() {
        let Some(items) = value.as_array() else {
            return Some("coordinates must be arrays of [longitude, latitude]".into());
        };
        if items.first().is_some_and(Value::is_array) {
            stack.extend(items);
            continue;
        }
        let (lon, lat) = match (
            items.first().and_then(Value::as_f64),
            items.get(1).and_then(Value::as_f64),
        ) {
            (Some(lon), Some(lat)) => (lon, lat),
            _ => return Some(format!("position {value} is not [longitude, latitude]")),
        };
        if !((-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat)) {
            return Some(format!(
                "position [{lon}, {lat}] is not longitude, latitude in degrees: GeoJSON is \
                 WGS 84 (EPSG:4326); this map looks projected (metres or feet), so reproject it \
                 to EPSG:4326 first"
            ));
        }
    }
    None
}
