//! `lifeline city init`: a city folder from the files a utility already has — an EPANET
//! model with coordinates, a MATPOWER case, district polygons with population (GeoJSON),
//! optionally bus positions and a list of facilities — in whatever coordinate systems
//! they come in. Every guess it has to make (a junction outside every polygon, a station's
//! bus without bus positions, customers without a customers field) is written into the
//! report, and the city is then loaded and checked as `lifeline city check` would.
//!
//! * [`inputs`]: reading the files and taking every position to longitude/latitude.
//! * [`assign`]: junctions to districts, pumps to stations, buses to districts, stations
//!   and facilities to buses and junctions.
//! * [`write`]: `city.toml`, `service-areas.csv`, `districts.geojson`, the report.
//!
//! Peers: none does this; utilities glue GIS tools and scripts. We follow the demo
//! city's conventions (population spread over junctions by base demand, outage groups as
//! Ukrainian distribution companies publish them: six queues of two sub-queues).

mod assign;
mod inputs;
mod operations;
mod register;
mod write;

use crate::AppError;
use lifeline_cascade::{City, Problem};
use serde::Serialize;
use std::path::PathBuf;

/// Farthest a pump may be from a station of the register to join it, m.
pub const REGISTER_MATCH_M: f64 = 1000.0;

/// What `city init` is given.
#[derive(Debug, Clone)]
pub struct InitRequest {
    /// The EPANET network (.inp) with `[COORDINATES]`.
    pub water: PathBuf,
    /// Its coordinate system; the districts' when not given.
    pub water_crs: Option<String>,
    /// The MATPOWER case.
    pub grid: PathBuf,
    /// Bus positions: CSV `bus,lon,lat` (or `bus,x,y` with `bus_crs`) or GeoJSON points
    /// with a `bus` property.
    pub bus_positions: Option<PathBuf>,
    /// The bus positions' coordinate system; longitude/latitude for `bus,lon,lat`, else
    /// the districts'.
    pub bus_crs: Option<String>,
    /// District polygons (GeoJSON), each with a name and a population.
    pub districts: PathBuf,
    /// Their coordinate system; the file's legacy `crs` member, else longitude/latitude.
    pub districts_crs: Option<String>,
    /// The property with a district's name.
    pub name_field: String,
    /// The property with a district's population.
    pub population_field: String,
    /// The property with a district's customers (metered accounts), if any.
    pub customers_field: Option<String>,
    /// Facilities: CSV with a header (`kind,name,lon,lat` or `…,x,y` in the districts'
    /// system; optionally `id`, `bus`, `junction`, `priority`, `backup_kw`, `fuel_hours`,
    /// `start_delay_min`) or GeoJSON points with those properties.
    pub facilities: Option<PathBuf>,
    /// The pump station register: CSV with a header (`id,name,lon,lat` or `…,x,y`;
    /// optionally `bus`, `power_kw`, `backup_kw`, `fuel_hours`, `start_delay_min`,
    /// `serves` as district names separated by `;`) or GeoJSON points. The network's
    /// pumps join the nearest listed station within [`REGISTER_MATCH_M`].
    pub stations: Option<PathBuf>,
    /// The utility's own settings kept across runs of `city init` (TOML: `description`,
    /// `timezone`, `[water]` service settings, `[restoration]`, `[[crew]]`,
    /// `[[outage_group]]`), written into the city instead of the defaults.
    pub operations: Option<PathBuf>,
    /// The city's name; the districts file's name when not given.
    pub name: Option<String>,
    /// Pumps within this distance of each other (and pumps sharing a node) form one
    /// station, m.
    pub station_radius_m: f64,
    /// The folder to write.
    pub out: PathBuf,
}

/// What `city init` did: the files written, what it assigned, every guess to check by
/// hand, and the check of the written city.
#[derive(Debug, Clone, Serialize)]
pub struct InitReport {
    /// The city.toml written.
    pub city: PathBuf,
    /// Every file written.
    pub written: Vec<PathBuf>,
    /// Districts.
    pub districts: usize,
    /// Junctions assigned to a district, all of them.
    pub junctions: usize,
    /// Of those, the ones outside every polygon, given to the nearest.
    pub junctions_outside: usize,
    /// Of those, the ones without coordinates, given to a neighbour's district.
    pub junctions_without_position: usize,
    /// Pump stations formed from the network's pumps.
    pub pump_stations: usize,
    /// Facilities placed.
    pub facilities: usize,
    /// What `city init` had to guess, to check by hand.
    pub guesses: Vec<String>,
    /// Problems of the written city (none when it loads).
    pub errors: Vec<Problem>,
    /// Its warnings.
    pub warnings: Vec<Problem>,
}

/// Builds the city folder `request.out` and checks it.
pub fn init(request: &InitRequest) -> Result<InitReport, AppError> {
    if !(request.station_radius_m.is_finite()
        && (0.0..=100_000.0).contains(&request.station_radius_m))
    {
        return Err(AppError::field(
            "station_radius_m",
            format!(
                "must be from 0 to 100000 m, got {}",
                request.station_radius_m
            ),
        ));
    }
    let inputs = inputs::Inputs::read(request)?;
    let operations = match &request.operations {
        Some(path) => Some(operations::Operations::read(path)?),
        None => None,
    };
    let model = assign::Model::build(&inputs, request.station_radius_m);
    let (written, guesses) = write::write(request, &inputs, &model, operations.as_ref())?;
    let city_file = request.out.join("city.toml");
    let (_, errors, warnings) = City::check(&city_file);
    Ok(InitReport {
        city: city_file,
        written,
        districts: inputs.districts.len(),
        junctions: model.junction_district.iter().flatten().count(),
        junctions_outside: model.junctions_outside,
        junctions_without_position: model.junctions_without_position,
        pump_stations: model.stations.len(),
        facilities: model.facilities.len(),
        guesses,
        errors,
        warnings,
    })
}
