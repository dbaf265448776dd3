//! Reading `city init`'s files and taking every position to longitude/latitude.

use super::InitRequest;
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

/// A facility as its file gives it.
#[derive(Debug, Clone)]
pub struct FacilityInput {
    pub kind: String,
    pub name: String,
    /// Longitude, latitude.
    pub position: (f64, f64),
    /// (kW, fuel hours) of its generator, if it has one.
    pub backup: Option<(f64, f64)>,
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
    /// The city's name.
    pub name: String,
    /// The districts' coordinate system.
    pub districts_crs: Crs,
    /// The network's coordinate system, as written.
    pub water_crs: String,
}

/// Whether `path` names a GeoJSON file (`.geojson` or `.json`); else it is read as CSV.
fn is_geojson(path: &Path) -> bool {
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
        let facilities = match &request.facilities {
            Some(path) => read_facilities(path, &districts_crs)?,
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

/// Facilities from CSV (`kind,name,lon,lat[,backup_kw,fuel_hours]`) or GeoJSON points.
fn read_facilities(path: &Path, districts_crs: &Crs) -> Result<Vec<FacilityInput>, AppError> {
    const KINDS: [&str; 4] = ["hospital", "water_treatment", "heat_plant", "other"];
    let text = std::fs::read_to_string(path).map_err(|e| file_error("facilities", path, e))?;
    let file = path.display().to_string();
    let check_kind = |kind: &str, where_: &str| -> Result<String, AppError> {
        let kind = kind.trim().to_ascii_lowercase();
        if KINDS.contains(&kind.as_str()) {
            Ok(kind)
        } else {
            Err(AppError::field(
                "facilities",
                format!(
                    "{where_}: kind '{kind}' is unknown: expected hospital, water_treatment, heat_plant or other"
                ),
            ))
        }
    };
    let mut facilities = Vec::new();
    if is_geojson(path) {
        let collection = geojson::read_points(&file, &text)
            .map_err(|e| AppError::field("facilities", e.to_string()))?;
        let crs = collection
            .crs
            .as_deref()
            .map_or(Crs::parse(districts_crs.name()), Crs::parse)
            .map_err(|e| AppError::field("facilities", e.to_string()))?;
        for f in collection.features {
            let where_ = format!("{file}: feature {}", f.number);
            let text_of = |key: &str| {
                f.properties
                    .get(key)
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string()
            };
            let kind = check_kind(&text_of("kind"), &where_)?;
            let name = text_of("name");
            let number = |key: &str| f.properties.get(key).and_then(Value::as_f64);
            let backup = number("backup_kw").zip(number("fuel_hours"));
            let position = crs
                .to_lon_lat(f.geometry.0, f.geometry.1)
                .map_err(|e| AppError::field("facilities", format!("{where_}: {e}")))?;
            facilities.push(FacilityInput {
                kind,
                name: if name.is_empty() {
                    format!("facility {}", f.number)
                } else {
                    name
                },
                position,
                backup,
            });
        }
        return Ok(facilities);
    }
    let mut lines = text.lines().enumerate();
    let header = lines
        .next()
        .map(|(_, h)| h.trim().to_ascii_lowercase())
        .unwrap_or_default();
    if !header.starts_with("kind,name,lon,lat") {
        return Err(AppError::field(
            "facilities",
            format!(
                "{file}:1: expected the header 'kind,name,lon,lat[,backup_kw,fuel_hours]', found '{header}'"
            ),
        ));
    }
    for (i, line) in lines {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let where_ = format!("{file}:{}", i + 1);
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        let number = |k: usize| {
            fields
                .get(k)
                .and_then(|v| v.parse::<f64>().ok())
                .filter(|v| v.is_finite())
        };
        let (Some(lon), Some(lat)) = (number(2), number(3)) else {
            return Err(AppError::field(
                "facilities",
                format!("{where_}: expected 'kind,name,lon,lat' with two numbers, found '{line}'"),
            ));
        };
        let kind = check_kind(fields[0], &where_)?;
        let position = Crs::lon_lat()
            .to_lon_lat(lon, lat)
            .map_err(|e| AppError::field("facilities", format!("{where_}: {e}")))?;
        facilities.push(FacilityInput {
            kind,
            name: fields.get(1).map_or(String::new(), |s| s.to_string()),
            position,
            backup: number(4).zip(number(5)),
        });
    }
    Ok(facilities)
}
