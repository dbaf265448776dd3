//! The utility's own settings that `city init` keeps instead of its defaults: the city's
//! description and time zone, how water service is judged, restoration settings, crews
//! and outage groups. Read from a TOML file with the same sections as `city.toml` (see
//! docs/city.md); every unknown key is an error at its line. The sections' contents are
//! checked with the written city.

use crate::AppError;
use lifeline_cascade::source::{Source, parse_toml};
use serde::Deserialize;
use std::path::Path;

/// The operations file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Operations {
    pub description: Option<String>,
    /// IANA time zone name.
    pub timezone: Option<String>,
    pub water: Option<WaterService>,
    pub restoration: Option<toml::Table>,
    pub crew: Option<Vec<toml::Table>>,
    pub outage_group: Option<Vec<toml::Table>>,
}

/// How water service is judged (the `[water]` keys that are not files).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaterService {
    pub min_pressure_m: Option<f64>,
    pub required_pressure_m: Option<f64>,
    pub pressure_exponent: Option<f64>,
    pub without_water_below: Option<f64>,
}

impl Operations {
    /// Reads `path`; every problem at its line.
    pub fn read(path: &Path) -> Result<Self, AppError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| AppError::field("operations", format!("{}: {e}", path.display())))?;
        let source = Source::new(path.display().to_string(), text);
        parse_toml::<Self>(&source).map_err(|problems| {
            AppError::field(
                "operations",
                problems
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
            )
        })
    }

    /// The `[water]` keys, one `key = value` line each.
    pub fn water_lines(&self) -> Vec<String> {
        let Some(water) = &self.water else {
            return Vec::new();
        };
        [
            ("min_pressure_m", water.min_pressure_m),
            ("required_pressure_m", water.required_pressure_m),
            ("pressure_exponent", water.pressure_exponent),
            ("without_water_below", water.without_water_below),
        ]
        .into_iter()
        .filter_map(|(key, value)| value.map(|v| format!("{key} = {}", toml::Value::Float(v))))
        .collect()
    }

    /// `[restoration]`, `[[crew]]` and `[[outage_group]]` as TOML, those given; each
    /// table's `id` first.
    pub fn sections(&self) -> String {
        let mut t = String::new();
        if let Some(restoration) = &self.restoration {
            t.push_str("[restoration]\n");
            t.push_str(&table_lines(restoration));
            t.push('\n');
        }
        for (key, list) in [("crew", &self.crew), ("outage_group", &self.outage_group)] {
            for table in list.iter().flatten() {
                t.push_str(&format!("[[{key}]]\n"));
                t.push_str(&table_lines(table));
                t.push('\n');
            }
        }
        t
    }
}

/// A table's `key = value` lines (`id` first, the rest in key order; nested tables
/// inline).
fn table_lines(table: &toml::Table) -> String {
    let mut keys: Vec<&String> = table.keys().collect();
    keys.sort_by_key(|k| (k.as_str() != "id", k.as_str()));
    let mut t = String::new();
    for key in keys {
        let bare = !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        let key_text = if bare {
            key.clone()
        } else {
            toml::Value::String(key.clone()).to_string()
        };
        t.push_str(&format!("{key_text} = {}\n", table[key]));
    }
    t
}
