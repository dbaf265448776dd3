//! Reading `city init`'s files and taking every position to longitude/latitude.

use super::InitRequest;
use super::register::{self, Columns, Record};
use crate::AppError;
use lifeline_geo::{Area, Crs, GeoError, geojson};
use lifeline_power::Case;
use lifeline_power::matpower::read_case;
use lifeline_water::{NetworkInfo, NodeKind, Simulation, SimulationOptions};
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;

/// A district as the polygons file gives it.
#[derive(Debug, Clone)]
pub struct DistrictInput {
    pub name: String,
    pub population: u64,
    /// From the customers field, if there is one.
    pub customers: Option<u64>,
    /// Its outline in longitude/latitude.
    pub area: Area,
    /// Its outline as drawn, in the districts' own coordinate system: points are tested
    /// against it there (straight edges there are not straight in longitude/latitude).
    pub drawn: Area,
}

/// A diesel generator as a register gives it.
#[derive(Debug, Clone, Copy)]
pub struct BackupInput {
    pub kw: f64,
    pub fuel_hours: f64,
    pub start_delay_min: f64,
}

/// A facility as its register gives it.
#[derive(Debug, Clone)]
pub struct FacilityInput {
    /// Its id, if the register gives one.
    pub id: Option<String>,
    pub kind: String,
    pub name: String,
    /// Longitude, latitude.
    pub position: (f64, f64),
    /// The bus that feeds it, if the register says (else the nearest).
    pub bus: Option<u32>,
    /// Its junction if the register says: a node index, or `None` for "none" (else the
    /// nearest).
    pub junction: Option<Option<usize>>,
    /// Its shedding priority (1–3), if the register says.
    pub priority: Option<u8>,
    pub backup: Option<BackupInput>,
}

/// A pump station as the utility's register gives it.
#[derive(Debug, Clone)]
pub struct StationInput {
    pub id: String,
    pub name: String,
    /// Longitude, latitude.
    pub position: (f64, f64),
    /// The bus that feeds it, if the register says (else the nearest).
    pub bus: Option<u32>,
    /// Its electric power, kW, if the register says (else its pumps' design power).
    pub power_kw: Option<f64>,
    pub backup: Option<BackupInput>,
    /// Districts (indices) it serves, if the register says (else its own).
    pub serves: Vec<usize>,
}

/// Everything read, positions in longitude/latitude.
pub struct Inputs {
    pub network: NetworkInfo,
    /// Per node: longitude, latitude.
    pub node_position: Vec<Option<(f64, f64)>>,
    pub case: Case,
    /// Bus number → longitude, latitude.
    pub bus_position: HashMap<u32, (f64, f64)>,
    pub districts: Vec<DistrictInput>,
    pub facilities: Vec<FacilityInput>,
    /// The pump station register, if given.
    pub stations: Vec<StationInput>,
    /// The city's name.
    pub name: String,
    /// The districts' coordinate system.
    pub districts_crs: Crs,
    /// The network's coordinate system, as written.
    pub water_crs: String,
}

/// Whether `path` names a GeoJSON file (`.geojson` or `.json`); else it is read as CSV.
pub(super) fn is_geojson(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("geojson") || e.eq_ignore_ascii_case("json"))
}

/// A request-field error for a file that cannot be used.
fn file_error(field: &'static str, path: &Path, message: impl std::fmt::Display) -> AppError {
    AppError::field(field, format!("{}: {message}", path.display()))
}

/// A coordinate system from the request, or `fallback`.
fn crs_of(
    field: &'static str,
    text: Option<&str>,
    fallback: impl FnOnce() -> Result<Crs, GeoError>,
) -> Result<Crs, AppError> {
    match text {
        Some(text) => Crs::parse(text),
        None => fallback(),
    }
    .map_err(|e| AppError::field(field, e.to_string()))
}

impl Inputs {
    pub fn read(request: &InitRequest) -> Result<Self, AppError> {
        let districts_text = std::fs::read_to_string(&request.districts)
            .map_err(|e| file_error("districts", &request.districts, e))?;
        let districts_file = request.districts.display().to_string();
        let collection = geojson::read_areas(&districts_file, &districts_text)
            .map_err(|e| AppError::field("districts", e.to_string()))?;
        let districts_crs = crs_of("districts_crs", request.districts_crs.as_deref(), || {
            collection
                .crs
                .as_deref()
                .map_or(Ok(Crs::lon_lat()), Crs::parse)
        })?;
        let districts = read_districts(request, &districts_file, collection, &districts_crs)?;

        let simulation = Simulation::open(&request.water, SimulationOptions::default())
            .map_err(|e| AppError::field("water", e.to_string()))?;
        let network = simulation.network().clone();
        let water_crs = crs_of("water_crs", request.water_crs.as_deref(), || {
            Crs::parse(districts_crs.name())
        })?;
        let mut node_position = Vec::with_capacity(network.coordinates.len());
        for (n, xy) in network.coordinates.iter().enumerate() {
            node_position.push(match xy {
                Some((x, y)) => Some(water_crs.to_lon_lat(*x, *y).map_err(|e| {
                    AppError::field(
                        "water_crs",
                        format!(
                            "node '{}' of {}: {e}",
                            network.node_ids[n],
                            request.water.display()
                        ),
                    )
                })?),
                None => None,
            });
        }
        if !network
            .node_kinds
            .iter()
            .zip(&node_position)
            .any(|(k, p)| *k == NodeKind::Junction && p.is_some())
        {
            return Err(file_error(
                "water",
                &request.water,
                "no junction has coordinates: city init places junctions by their [COORDINATES]",
            ));
        }

        let case = read_case(&request.grid)
            .map_err(|e| AppError::field("grid", e.to_string()))?
            .case;
        let bus_position = match &request.bus_positions {
            Some(path) => {
                read_bus_positions(path, request.bus_crs.as_deref(), &districts_crs, &case)?
            }
            None => HashMap::new(),
        };
        let known = Known {
            network: &network,
            case: &case,
            districts: &districts,
        };
        let facilities = match &request.facilities {
            Some(path) => read_facilities(path, &districts_crs, &known)?,
            None => Vec::new(),
        };
        let stations = match &request.stations {
            Some(path) => read_stations(path, &districts_crs, &known)?,
            None => Vec::new(),
        };
        let name = request.name.clone().unwrap_or_else(|| {
            request
                .districts
                .file_stem()
                .map_or("City".to_string(), |s| s.to_string_lossy().to_string())
        });
        Ok(Self {
            network,
            node_position,
            case,
            bus_position,
            districts,
            facilities,
            stations,
            name,
            water_crs: water_crs.name().to_string(),
            districts_crs,
        })
    }

    /// A longitude/latitude point in the districts' own system (as is when it cannot be
    /// taken there: it is then far from every district anyway).
    pub fn in_district_plane(&self, point: (f64, f64)) -> (f64, f64) {
        self.districts_crs
            .from_lon_lat(point.0, point.1)
            .unwrap_or(point)
    }
}

/// The districts: name, population, customers, outline in longitude/latitude.
fn read_districts(
    request: &InitRequest,
    file: &str,
    collection: geojson::Collection<Area>,
    crs: &Crs,
) -> Result<Vec<DistrictInput>, AppError> {
    let mut districts: Vec<DistrictInput> = Vec::new();
    for feature in collection.features {
        let at = |message: String| {
            AppError::field(
                "districts",
                format!("{file}: feature {}: {message}", feature.number),
            )
        };
        let name = match feature.properties.get(&request.name_field) {
            Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
            Some(Value::Number(n)) => n.to_string(),
            _ => {
                return Err(at(format!(
                    "no '{}' property for the district's name",
                    request.name_field
                )));
            }
        };
        let count = |field: &str| -> Result<Option<u64>, AppError> {
            match feature.properties.get(field) {
                None | Some(Value::Null) => Ok(None),
                Some(value) => value
                    .as_f64()
                    .filter(|v| v.is_finite() && *v >= 0.0 && *v <= 1e9)
                    .map(|v| Some(v.round() as u64))
                    .ok_or_else(|| {
                        at(format!(
                            "'{field}' must be a number from 0 to 1e9, got {value}"
                        ))
                    }),
            }
        };
        let population = count(&request.population_field)?
            .filter(|&p| p > 0)
            .ok_or_else(|| {
                at(format!(
                    "'{}' must give the district's population (above 0)",
                    request.population_field
                ))
            })?;
        let customers = match &request.customers_field {
            Some(field) => count(field)?,
            None => None,
        };
        if districts.iter().any(|d| d.name == name) {
            return Err(at(format!("district '{name}' is named twice")));
        }
        let area = feature
            .geometry
            .to_lon_lat(crs)
            .map_err(|e| at(e.to_string()))?;
        districts.push(DistrictInput {
            name,
            population,
            customers,
            area,
            drawn: feature.geometry,
        });
    }
    if districts.is_empty() {
        return Err(AppError::field(
            "districts",
            format!("{file}: no district polygons"),
        ));
    }
    Ok(districts)
}

/// Bus positions from CSV (`bus,lon,lat` or `bus,x,y`) or GeoJSON points with `bus`.
fn read_bus_positions(
    path: &Path,
    bus_crs: Option<&str>,
    districts_crs: &Crs,
    case: &Case,
) -> Result<HashMap<u32, (f64, f64)>, AppError> {
    let text = std::fs::read_to_string(path).map_err(|e| file_error("bus_positions", path, e))?;
    let file = path.display().to_string();
    let known: std::collections::HashSet<u32> = case.buses.iter().map(|b| b.id).collect();
    let mut positions = HashMap::new();
    let mut add = |bus: u32, point: (f64, f64), where_: String| -> Result<(), AppError> {
        if !known.contains(&bus) {
            return Err(AppError::field(
                "bus_positions",
                format!("{where_}: bus {bus} is not in the grid"),
            ));
        }
        if positions.insert(bus, point).is_some() {
            return Err(AppError::field(
                "bus_positions",
                format!("{where_}: bus {bus} is placed twice"),
            ));
        }
        Ok(())
    };
    if is_geojson(path) {
        let collection = geojson::read_points(&file, &text)
            .map_err(|e| AppError::field("bus_positions", e.to_string()))?;
        let crs = crs_of("bus_crs", bus_crs, || {
            collection
                .crs
                .as_deref()
                .map_or(Crs::parse(districts_crs.name()), Crs::parse)
        })?;
        for f in collection.features {
            let where_ = format!("{file}: feature {}", f.number);
            let bus = f
                .properties
                .get("bus")
                .and_then(Value::as_u64)
                .and_then(|b| u32::try_from(b).ok())
                .ok_or_else(|| {
                    AppError::field(
                        "bus_positions",
                        format!("{where_}: expected a 'bus' property with the bus number"),
                    )
                })?;
            let point = crs
                .to_lon_lat(f.geometry.0, f.geometry.1)
                .map_err(|e| AppError::field("bus_crs", format!("{where_}: {e}")))?;
            add(bus, point, where_)?;
        }
        return Ok(positions);
    }
    let mut lines = text.lines().enumerate();
    let header = lines
        .next()
        .map(|(_, h)| h.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let lon_lat = match header.as_str() {
        "bus,lon,lat" => true,
        "bus,x,y" => false,
        other => {
            return Err(AppError::field(
                "bus_positions",
                format!(
                    "{file}:1: expected the header 'bus,lon,lat' or 'bus,x,y', found '{other}'"
                ),
            ));
        }
    };
    let crs = if lon_lat {
        Crs::lon_lat()
    } else {
        crs_of("bus_crs", bus_crs, || Crs::parse(districts_crs.name()))?
    };
    for (i, line) in lines {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let where_ = format!("{file}:{}", i + 1);
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        let parsed = match fields.as_slice() {
            [bus, x, y] => bus
                .parse::<u32>()
                .ok()
                .zip(x.parse::<f64>().ok().zip(y.parse::<f64>().ok())),
            _ => None,
        };
        let Some((bus, (x, y))) = parsed else {
            return Err(AppError::field(
                "bus_positions",
                format!(
                    "{where_}: expected 'bus,x,y' with a bus number and two numbers, found '{line}'"
                ),
            ));
        };
        let point = crs
            .to_lon_lat(x, y)
            .map_err(|e| AppError::field("bus_crs", format!("{where_}: {e}")))?;
        add(bus, point, where_)?;
    }
    Ok(positions)
}

/// What a register's ids are checked against.
struct Known<'a> {
    network: &'a NetworkInfo,
    case: &'a Case,
    districts: &'a [DistrictInput],
}

impl Known<'_> {
    fn bus(&self, record: &Record, field: &'static str) -> Result<Option<u32>, AppError> {
        let Some(text) = record.text("bus") else {
            return Ok(None);
        };
        match text.parse::<u32>() {
            Ok(bus) if self.case.buses.iter().any(|b| b.id == bus) => Ok(Some(bus)),
            _ => Err(record.error(
                field,
                format!("'bus' must be a bus number of the grid, got '{text}'"),
            )),
        }
    }

    fn backup(record: &Record, field: &'static str) -> Result<Option<BackupInput>, AppError> {
        let kw = record.number(field, "backup_kw", 0.0..=1e6)?;
        let fuel_hours = record.number(field, "fuel_hours", 0.0..=10_000.0)?;
        let start_delay_min = record.number(field, "start_delay_min", 0.0..=1440.0)?;
        match (kw, fuel_hours) {
            (Some(kw), Some(fuel_hours)) => Ok(Some(BackupInput {
                kw,
                fuel_hours,
                start_delay_min: start_delay_min.unwrap_or(DEFAULT_START_DELAY_MIN),
            })),
            (None, None) if start_delay_min.is_none() => Ok(None),
            _ => Err(record.error(
                field,
                "a backup generator needs both 'backup_kw' and 'fuel_hours'",
            )),
        }
    }
}

/// Minutes a backup generator takes to start when the register does not say.
const DEFAULT_START_DELAY_MIN: f64 = 10.0;

/// Facilities: `kind,name` and a position, optionally `id`, `bus`, `junction` (an id, or
/// `none`), `priority` (1–3), `backup_kw`, `fuel_hours`, `start_delay_min`.
fn read_facilities(
    path: &Path,
    districts_crs: &Crs,
    known: &Known<'_>,
) -> Result<Vec<FacilityInput>, AppError> {
    const KINDS: [&str; 4] = ["hospital", "water_treatment", "heat_plant", "other"];
    const FIELD: &str = "facilities";
    let columns = Columns {
        field: FIELD,
        required: &["kind", "name"],
        optional: &[
            "id",
            "bus",
            "junction",
            "priority",
            "backup_kw",
            "fuel_hours",
            "start_delay_min",
        ],
    };
    let mut facilities = Vec::new();
    for record in register::read(path, &columns, districts_crs)? {
        let kind = record.text("kind").unwrap_or("").to_ascii_lowercase();
        if !KINDS.contains(&kind.as_str()) {
            return Err(record.error(
                FIELD,
                format!(
                    "kind '{kind}' is unknown: expected hospital, water_treatment, heat_plant or other"
                ),
            ));
        }
        let junction = match record.text("junction") {
            None => None,
            Some(none) if none.eq_ignore_ascii_case("none") => Some(None),
            Some(id) => {
                let node = known.network.node_ids.iter().position(|n| n == id);
                match node {
                    Some(n) if known.network.node_kinds[n] == NodeKind::Junction => Some(Some(n)),
                    _ => {
                        return Err(record.error(
                            FIELD,
                            format!(
                                "'junction' must be a junction of the network (or none), got '{id}'"
                            ),
                        ));
                    }
                }
            }
        };
        let priority = match record.number(FIELD, "priority", 1.0..=3.0)? {
            Some(p) if p.fract() == 0.0 => Some(p as u8),
            Some(p) => {
                return Err(record.error(FIELD, format!("'priority' must be 1, 2 or 3, got {p}")));
            }
            None => None,
        };
        facilities.push(FacilityInput {
            id: record.text("id").map(str::to_string),
            kind,
            name: record.text("name").unwrap_or("").to_string(),
            position: record.position,
            bus: known.bus(&record, FIELD)?,
            junction,
            priority,
            backup: Known::backup(&record, FIELD)?,
        });
    }
    Ok(facilities)
}

/// The pump station register: `id,name` and a position, optionally `bus`, `power_kw`,
/// `backup_kw`, `fuel_hours`, `start_delay_min` and `serves` (district names separated
/// by `;`).
fn read_stations(
    path: &Path,
    districts_crs: &Crs,
    known: &Known<'_>,
) -> Result<Vec<StationInput>, AppError> {
    const FIELD: &str = "stations";
    let columns = Columns {
        field: FIELD,
        required: &["id", "name"],
        optional: &[
            "bus",
            "power_kw",
            "backup_kw",
            "fuel_hours",
            "start_delay_min",
            "serves",
        ],
    };
    let mut stations: Vec<StationInput> = Vec::new();
    for record in register::read(path, &columns, districts_crs)? {
        let id = record.text("id").unwrap_or("").to_string();
        if stations.iter().any(|s| s.id == id) {
            return Err(record.error(FIELD, format!("station '{id}' is listed twice")));
        }
        let mut serves = Vec::new();
        for name in record.text("serves").unwrap_or("").split(';') {
            let name = name.trim();
            if name.is_empty() {
                continue;
            }
            let Some(d) = known.districts.iter().position(|d| d.name == name) else {
                let names: Vec<&str> = known.districts.iter().map(|d| d.name.as_str()).collect();
                return Err(record.error(
                    FIELD,
                    format!(
                        "'serves' names district '{name}', which the districts file does not have ({})",
                        names.join(", ")
                    ),
                ));
            };
            if !serves.contains(&d) {
                serves.push(d);
            }
        }
        stations.push(StationInput {
            id,
            name: record.text("name").unwrap_or("").to_string(),
            position: record.position,
            bus: known.bus(&record, FIELD)?,
            power_kw: record.number(FIELD, "power_kw", 0.0..=1e6)?,
            backup: Known::backup(&record, FIELD)?,
            serves,
        });
    }
    Ok(stations)
}
