//! The city model: `city.toml` and the files it names (a MATPOWER grid, an EPANET network,
//! a service-area CSV, a GeoJSON map), checked against each other and compiled into an
//! immutable [`City`] with every id resolved.
//!
//! `manifest` (what the file says, with spans) → `compile` and `sections` (one validator
//! per section) → [`City`] (`model`'s types). Loading reports every problem it finds,
//! each with its file, line and column and, for unknown ids, the nearest known ones. See
//! `docs/city.md` for the format.

mod asset_name;
mod compile;
pub mod geometry;
mod manifest;
mod map;
mod model;
mod sections;
mod service_areas;

pub use model::*;

use crate::error::CascadeError;
use crate::source::{Problem, Source};
use lifeline_power::{BusId, Case, LoadPriority};
use lifeline_water::{DemandModel, NetworkInfo};
use manifest::CityFile;
use std::path::{Path, PathBuf};

/// A city, loaded and checked.
#[derive(Debug, Clone)]
pub struct City {
    /// Name.
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// Time zone of schedules (IANA name).
    pub timezone: String,
    /// The MATPOWER file.
    pub grid_file: PathBuf,
    /// The EPANET file.
    pub water_file: PathBuf,
    /// The grid.
    pub case: Case,
    /// The water network's description.
    pub network: NetworkInfo,
    /// How water service is judged.
    pub water: WaterService,
    /// Districts.
    pub districts: Vec<District>,
    /// Pump stations.
    pub pump_stations: Vec<PumpStation>,
    /// Critical facilities.
    pub facilities: Vec<Facility>,
    /// Repair crews.
    pub crews: Vec<Crew>,
    /// Rolling-outage groups.
    pub outage_groups: Vec<OutageGroup>,
    /// Restoration settings (defaults when the file has no `[restoration]`).
    pub restoration: Restoration,
    /// Per case bus (position in the case): its (longitude, latitude), from `[grid]
    /// positions`.
    pub bus_positions: Vec<Option<(f64, f64)>>,
    /// Per network node: its (longitude, latitude), from the network's coordinates and
    /// `[water] crs`.
    pub node_positions: Vec<Option<(f64, f64)>>,
    /// The hydraulic solver of the city's water runs: EPANET's own unless the caller
    /// chooses the native one (`--engine native`).
    pub water_engine: lifeline_water::Engine,
    /// What loads but is likely a gap of the files, each with its file and line:
    /// junctions with demand in no district, pumps in no station, stations without
    /// `serves`, facilities without a district. `lifeline city check --strict` makes
    /// them errors.
    pub warnings: Vec<Problem>,
}

impl City {
    /// Loads `path` (a `city.toml`) and the files it names, relative to its folder.
    pub fn load(path: &Path) -> Result<City, CascadeError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| {
            CascadeError::Invalid(vec![Problem::in_file(
                &file,
                format!("cannot read the file: {e}"),
            )])
        })?;
        let source = Source::new(file, text);
        let manifest: CityFile =
            crate::source::parse_toml(&source).map_err(CascadeError::Invalid)?;
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        compile::compile(manifest, &source, &dir)
    }

    /// Loads `path` for its check: the city, or every problem that stops it from
    /// loading, and its warnings (none when it does not load).
    pub fn check(path: &Path) -> (Option<City>, Vec<Problem>, Vec<Problem>) {
        match City::load(path) {
            Ok(mut city) => {
                let warnings = std::mem::take(&mut city.warnings);
                (Some(city), Vec::new(), warnings)
            }
            Err(error) => (None, error.into_problems(path), Vec::new()),
        }
    }

    /// The demand model of the water network.
    pub fn demand_model(&self) -> DemandModel {
        DemandModel::PressureDriven {
            min_pressure_m: self.water.min_pressure_m,
            required_pressure_m: self.water.required_pressure_m,
            exponent: self.water.exponent,
        }
    }

    /// Load priority of each case bus: the highest of the facilities and pump stations it
    /// feeds, else ordinary.
    pub fn bus_priorities(&self) -> Vec<LoadPriority> {
        let mut priority = vec![PRIORITY_NORMAL; self.case.buses.len()];
        for station in &self.pump_stations {
            let p = &mut priority[station.bus_position];
            *p = (*p).max(PRIORITY_PUMP_STATION);
        }
        for facility in &self.facilities {
            let p = &mut priority[facility.bus_position];
            *p = (*p).max(facility.priority);
        }
        priority
    }

    /// Index of the district named `name`.
    pub fn district(&self, name: &str) -> Option<usize> {
        self.districts.iter().position(|d| d.name == name)
    }

    /// Index of the district a bus stands in: the one with the largest share of its load.
    pub fn district_of_bus(&self, bus: BusId) -> Option<usize> {
        self.districts
            .iter()
            .enumerate()
            .filter_map(|(d, district)| {
                district
                    .buses
                    .iter()
                    .find(|s| s.bus == bus)
                    .map(|s| (d, s.share))
            })
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(d, _)| d)
    }

    /// Total population.
    pub fn population(&self) -> u64 {
        self.districts.iter().map(|d| d.population).sum()
    }
}
