//! The `city.toml` manifest as written, before validation. Values whose problems need a
//! position keep their span.

use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// The whole manifest.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CityFile {
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default = "default_timezone")]
    pub timezone: Spanned<String>,
    pub grid: GridSection,
    pub water: WaterSection,
    #[serde(default)]
    pub map: Option<MapSection>,
    #[serde(rename = "district", default)]
    pub districts: Vec<DistrictEntry>,
    #[serde(rename = "pump_station", default)]
    pub pump_stations: Vec<StationEntry>,
    #[serde(rename = "facility", default)]
    pub facilities: Vec<FacilityEntry>,
    #[serde(rename = "crew", default)]
    pub crews: Vec<CrewEntry>,
    #[serde(rename = "outage_group", default)]
    pub outage_groups: Vec<GroupEntry>,
    #[serde(default)]
    pub restoration: Option<Spanned<RestorationEntry>>,
}

fn default_timezone() -> Spanned<String> {
    Spanned::new(0..0, "Europe/Kyiv".into())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct GridSection {
    pub file: Spanned<String>,
    /// A CSV of bus positions: `bus,lon,lat`.
    #[serde(default)]
    pub positions: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct WaterSection {
    pub file: Spanned<String>,
    /// The coordinate system of the network's `[COORDINATES]`.
    #[serde(default)]
    pub crs: Option<Spanned<String>>,
    pub service_areas: Spanned<String>,
    #[serde(default)]
    pub min_pressure_m: Option<Spanned<f64>>,
    #[serde(default)]
    pub required_pressure_m: Option<Spanned<f64>>,
    #[serde(default)]
    pub pressure_exponent: Option<Spanned<f64>>,
    #[serde(default)]
    pub without_water_below: Option<Spanned<f64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MapSection {
    pub districts: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DistrictEntry {
    pub name: Spanned<String>,
    pub population: Spanned<u64>,
    pub customers: Spanned<u64>,
    #[serde(default = "no_buses")]
    pub buses: Spanned<Vec<BusShareEntry>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct BusShareEntry {
    pub bus: Spanned<u32>,
    #[serde(default = "one")]
    pub share: Spanned<f64>,
}

fn no_buses() -> Spanned<Vec<BusShareEntry>> {
    Spanned::new(0..0, Vec::new())
}

fn one() -> Spanned<f64> {
    Spanned::new(0..0, 1.0)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StationEntry {
    pub id: Spanned<String>,
    #[serde(default)]
    pub name: Option<String>,
    pub pumps: Spanned<Vec<Spanned<String>>>,
    pub bus: Spanned<u32>,
    /// What it draws, kW; from its pumps' design points when not given.
    #[serde(default)]
    pub power_kw: Option<Spanned<f64>>,
    /// Where it stands, [longitude, latitude].
    #[serde(default)]
    pub position: Option<Spanned<[f64; 2]>>,
    #[serde(default)]
    pub serves: Vec<Spanned<String>>,
    #[serde(default)]
    pub backup: Option<Spanned<BackupEntry>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct BackupEntry {
    pub kw: f64,
    pub fuel_hours: f64,
    #[serde(default)]
    pub start_delay_min: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FacilityEntry {
    pub id: Spanned<String>,
    #[serde(default)]
    pub name: Option<String>,
    pub kind: Spanned<String>,
    pub bus: Spanned<u32>,
    #[serde(default)]
    pub junction: Option<Spanned<String>>,
    #[serde(default)]
    pub district: Option<Spanned<String>>,
    pub priority: Spanned<u8>,
    /// Where it stands, [longitude, latitude].
    #[serde(default)]
    pub position: Option<Spanned<[f64; 2]>>,
    /// Water sources it powers: EPANET pumps, valves or reservoirs.
    #[serde(default)]
    pub powers: Vec<Spanned<String>>,
    #[serde(default)]
    pub backup: Option<Spanned<BackupEntry>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CrewEntry {
    pub id: Spanned<String>,
    pub skills: Vec<Spanned<String>>,
    pub depot: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct GroupEntry {
    pub id: Spanned<String>,
    pub shares: Spanned<BTreeMap<String, f64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RestorationEntry {
    #[serde(default)]
    pub travel_kmh: Option<f64>,
    /// By kind: a number of hours or `{ median, p90 }`.
    #[serde(default)]
    pub repair_h: BTreeMap<String, Spanned<toml::Value>>,
    #[serde(default)]
    pub weights: BTreeMap<String, f64>,
    #[serde(default)]
    pub destroyed_probability: BTreeMap<String, Spanned<f64>>,
    #[serde(default)]
    pub destroyed_repair_h: BTreeMap<String, Spanned<toml::Value>>,
    #[serde(default)]
    pub start_delay_h: Option<Spanned<toml::Value>>,
}
