//! Registers of points a utility keeps (facilities, pump stations): CSV with a header
//! naming its columns, or GeoJSON points with properties; every record with its place in
//! the file (`file:line` or `file: feature N`) and its position in longitude/latitude.

use crate::AppError;
use lifeline_geo::{Crs, geojson};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// One record: where it is in its file, its position and its other fields as text.
#[derive(Debug, Clone)]
pub struct Record {
    /// `file:line` or `file: feature N`, for messages.
    pub place: String,
    /// Longitude, latitude.
    pub position: (f64, f64),
    /// Column (or property) → value, trimmed; empty values are left out.
    pub fields: BTreeMap<String, String>,
}

/// What a register's file must and may hold besides the position.
pub struct Columns {
    /// The request field the file came from (`facilities`, `stations`).
    pub field: &'static str,
    pub required: &'static [&'static str],
    pub optional: &'static [&'static str],
}

impl Record {
    /// An error about this record, under the register's request field.
    pub fn error(&self, field: &'static str, message: impl std::fmt::Display) -> AppError {
        AppError::field(field, format!("{}: {message}", self.place))
    }

    /// A field's text, if given.
    pub fn text(&self, key: &str) -> Option<&str> {
        self.fields.get(key).map(String::as_str)
    }

    /// A field as a number within `range`, if given.
    pub fn number(
        &self,
        field: &'static str,
        key: &str,
        range: std::ops::RangeInclusive<f64>,
    ) -> Result<Option<f64>, AppError> {
        let Some(text) = self.text(key) else {
            return Ok(None);
        };
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() && range.contains(&v) => Ok(Some(v)),
            _ => Err(self.error(
                field,
                format!(
                    "'{key}' must be a number from {} to {}, got '{text}'",
                    range.start(),
                    range.end()
                ),
            )),
        }
    }
}

/// Reads the register at `path`: GeoJSON points (`.geojson`, `.json`; positions in the
/// file's `crs` member, else `default_crs`) or CSV whose header names `lon,lat`
/// (longitude/latitude) or `x,y` (in `default_crs`) and the columns.
pub fn read(path: &Path, columns: &Columns, default_crs: &Crs) -> Result<Vec<Record>, AppError> {
    let field = columns.field;
    let text = std::fs::read_to_string(path)
        .map_err(|e| AppError::field(field, format!("{}: {e}", path.display())))?;
    let file = path.display().to_string();
    let records = if super::inputs::is_geojson(path) {
        read_geojson(&file, &text, columns, default_crs)?
    } else {
        read_csv(&file, &text, columns, default_crs)?
    };
    for record in &records {
        for key in columns.required {
            if record.text(key).is_none() {
                return Err(record.error(field, format!("'{key}' is missing")));
            }
        }
    }
    Ok(records)
}

fn allowed(columns: &Columns) -> String {
    columns
        .required
        .iter()
        .chain(columns.optional)
        .copied()
        .collect::<Vec<_>>()
        .join(", ")
}

fn read_geojson(
    file: &str,
    text: &str,
    columns: &Columns,
    default_crs: &Crs,
) -> Result<Vec<Record>, AppError> {
    let field = columns.field;
    let collection =
        geojson::read_points(file, text).map_err(|e| AppError::field(field, e.to_string()))?;
    let crs = match collection.crs.as_deref() {
        Some(name) => Crs::parse(name).map_err(|e| AppError::field(field, e.to_string()))?,
        None => {
            Crs::parse(default_crs.name()).map_err(|e| AppError::field(field, e.to_string()))?
        }
    };
    let mut records = Vec::new();
    for feature in collection.features {
        let place = format!("{file}: feature {}", feature.number);
        let mut fields = BTreeMap::new();
        for (key, value) in &feature.properties {
            if !columns.required.contains(&key.as_str())
                && !columns.optional.contains(&key.as_str())
            {
                return Err(AppError::field(
                    field,
                    format!(
                        "{place}: unknown property '{key}'; expected {}",
                        allowed(columns)
                    ),
                ));
            }
            let text = match value {
                Value::Null => continue,
                Value::String(s) => s.trim().to_string(),
                other => other.to_string(),
            };
            if !text.is_empty() {
                fields.insert(key.clone(), text);
            }
        }
        let position = crs
            .to_lon_lat(feature.geometry.0, feature.geometry.1)
            .map_err(|e| AppError::field(field, format!("{place}: {e}")))?;
        records.push(Record {
            place,
            position,
            fields,
        });
    }
    Ok(records)
}

/// The fields of a CSV line: commas separate, double quotes enclose a field that holds
/// commas (`""` is a quote inside one).
pub fn split_csv(line: &str) -> Option<Vec<String>> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (false, '"') if field.trim().is_empty() => {
                field.clear();
                quoted = true;
            }
            (false, ',') => fields.push(std::mem::take(&mut field).trim().to_string()),
            (_, c) => field.push(c),
        }
    }
    if quoted {
        return None;
    }
    fields.push(field.trim().to_string());
    Some(fields)
}

fn read_csv(
    file: &str,
    text: &str,
    columns: &Columns,
    default_crs: &Crs,
) -> Result<Vec<Record>, AppError> {
    let field = columns.field;
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
    let Some((header_index, header_line)) = lines.next() else {
        return Err(AppError::field(field, format!("{file}: the file is empty")));
    };
    let header: Vec<String> = split_csv(header_line)
        .unwrap_or_default()
        .into_iter()
        .map(|h| h.to_ascii_lowercase())
        .collect();
    let at_header = format!("{file}:{}", header_index + 1);
    let column = |name: &str| header.iter().position(|h| h == name);
    let (x, y, crs) = match (column("lon"), column("lat"), column("x"), column("y")) {
        (Some(x), Some(y), None, None) => (x, y, Crs::lon_lat()),
        (None, None, Some(x), Some(y)) => (
            x,
            y,
            Crs::parse(default_crs.name()).map_err(|e| AppError::field(field, e.to_string()))?,
        ),
        _ => {
            return Err(AppError::field(
                field,
                format!(
                    "{at_header}: the header must name the position as lon,lat (longitude/latitude) or x,y (in the districts' system) and the columns {}; found '{}'",
                    allowed(columns),
                    header_line.trim()
                ),
            ));
        }
    };
    for name in &header {
        let known = ["lon", "lat", "x", "y"].contains(&name.as_str())
            || columns.required.contains(&name.as_str())
            || columns.optional.contains(&name.as_str());
        if !known {
            return Err(AppError::field(
                field,
                format!(
                    "{at_header}: unknown column '{name}'; expected lon,lat or x,y and {}",
                    allowed(columns)
                ),
            ));
        }
    }
    let mut records = Vec::new();
    for (i, line) in lines {
        let place = format!("{file}:{}", i + 1);
        let values = split_csv(line).ok_or_else(|| {
            AppError::field(field, format!("{place}: a quoted field is not closed"))
        })?;
        if values.len() > header.len() {
            return Err(AppError::field(
                field,
                format!(
                    "{place}: {} fields, but the header names {}",
                    values.len(),
                    header.len()
                ),
            ));
        }
        let coordinate = |k: usize| values.get(k).and_then(|v| v.parse::<f64>().ok());
        let (Some(px), Some(py)) = (coordinate(x), coordinate(y)) else {
            return Err(AppError::field(
                field,
                format!(
                    "{place}: expected numbers for '{}' and '{}'",
                    header[x], header[y]
                ),
            ));
        };
        let position = crs
            .to_lon_lat(px, py)
            .map_err(|e| AppError::field(field, format!("{place}: {e}")))?;
        let fields = header
            .iter()
            .zip(&values)
            .enumerate()
            .filter(|(k, (_, v))| *k != x && *k != y && !v.is_empty())
            .map(|(_, (h, v))| (h.clone(), v.clone()))
            .collect();
        records.push(Record {
            place,
            position,
            fields,
        });
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::split_csv;

    #[test]
    fn quoted_fields_hold_commas_and_quotes() {
        assert_eq!(
            split_csv(r#"hospital,"Clinic, Block ""B""", 30.5 ,50.4"#).unwrap(),
            vec!["hospital", "Clinic, Block \"B\"", "30.5", "50.4"]
        );
        assert_eq!(split_csv("a,,b").unwrap(), vec!["a", "", "b"]);
        assert!(split_csv(r#"a,"open"#).is_none());
    }
}
