//! The city model: `city.toml` and the files it names (a MATPOWER grid, an EPANET network,
//! a service-area CSV, a GeoJSON map), checked against each other.
//!
//! Loading reports every problem it finds, each with its file, line and column and, for
//! unknown ids, the nearest known ones. See `docs/city.md` for the format.

mod asset_name;
mod manifest;
mod map;
mod service_areas;

use crate::error::CascadeError;
use crate::source::{Problem, Source, suggestion};
use lifeline_power::matpower::read_case;
use lifeline_power::{BusId, Case, LoadPriority};
use lifeline_water::{DemandModel, LinkKind, NetworkInfo, Simulation, SimulationOptions};
use manifest::CityFile;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Load priority of ordinary customers.
pub const PRIORITY_NORMAL: LoadPriority = 0;
/// Load priority of the buses that feed pump stations.
pub const PRIORITY_PUMP_STATION: LoadPriority = 2;
/// The highest facility priority.
pub const PRIORITY_MAX: LoadPriority = 3;

/// A share of a bus's load that belongs to a district.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BusShare {
    /// Bus number.
    pub bus: BusId,
    /// Position of the bus in the case.
    #[serde(skip)]
    pub position: usize,
    /// Share of the bus's load, 0–1.
    pub share: f64,
}

/// A district: people, power customers, the grid buses and water junctions that serve it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct District {
    /// Name (unique).
    pub name: String,
    /// Residents.
    pub population: u64,
    /// Electricity customers (accounts).
    pub customers: u64,
    /// Buses carrying the district's load.
    pub buses: Vec<BusShare>,
    /// Water junctions serving the district (network indices).
    #[serde(skip)]
    pub junctions: Vec<usize>,
    /// People behind each junction (the district's population spread by base demand).
    #[serde(skip)]
    pub junction_people: Vec<f64>,
    /// Outline (a GeoJSON geometry), if the city has a map.
    #[serde(skip)]
    pub outline: Option<serde_json::Value>,
}

impl District {
    /// Centre of the district's outline on the map (mean of its first ring's corners),
    /// (lon, lat) in degrees; `None` without an outline.
    pub fn centre(&self) -> Option<(f64, f64)> {
        let outline = self.outline.as_ref()?;
        let ring = match outline.get("type")?.as_str()? {
            "Polygon" => outline.pointer("/coordinates/0")?,
            "MultiPolygon" => outline.pointer("/coordinates/0/0")?,
            _ => return None,
        };
        let points: Vec<(f64, f64)> = ring
            .as_array()?
            .iter()
            .filter_map(|p| Some((p.get(0)?.as_f64()?, p.get(1)?.as_f64()?)))
            .collect();
        // The ring is closed: its last corner repeats the first.
        let take = points.len().saturating_sub(1).max(1);
        let (x, y) = points
            .iter()
            .take(take)
            .fold((0.0, 0.0), |(x, y), p| (x + p.0, y + p.1));
        Some((x / take as f64, y / take as f64))
    }
}

/// A diesel generator that can run a pump station without the grid.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BackupGenerator {
    /// Rated power, kW.
    pub kw: f64,
    /// Hours of running on the fuel kept at the station.
    pub fuel_hours: f64,
    /// Time from losing the grid to running, h.
    pub start_delay_h: f64,
}

/// A pump station: pumps that run together, fed by one bus.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PumpStation {
    /// Id (unique).
    pub id: String,
    /// Name.
    pub name: String,
    /// EPANET pump ids.
    pub pumps: Vec<String>,
    /// The bus that feeds it.
    pub bus: BusId,
    /// Power it draws, kW.
    pub power_kw: f64,
    /// Districts it supplies (district indices).
    pub serves: Vec<usize>,
    /// Backup generator, if any.
    pub backup: Option<BackupGenerator>,
}

/// The kind of a critical facility.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FacilityKind {
    /// A hospital.
    Hospital,
    /// A water treatment works.
    WaterTreatment,
    /// A heat (and power) plant.
    HeatPlant,
    /// Any other critical consumer.
    Other,
}

/// A critical facility: its power comes first when load must be shed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Facility {
    /// Id (unique).
    pub id: String,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: FacilityKind,
    /// The bus that feeds it.
    pub bus: BusId,
    /// The water junction that serves it (network index).
    #[serde(skip)]
    pub junction: Option<usize>,
    /// Its district (index).
    pub district: Option<usize>,
    /// Load priority, 1–3 (3 is shed last).
    pub priority: LoadPriority,
}

/// What a repair crew can mend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Skill {
    /// Substations, lines, plants.
    Power,
    /// Pump stations, pipes, tanks.
    Water,
}

impl std::fmt::Display for Skill {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Skill::Power => "power",
            Skill::Water => "water",
        })
    }
}

/// A repair crew.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Crew {
    /// Id (unique).
    pub id: String,
    /// What it can repair.
    pub skills: Vec<Skill>,
    /// District it starts from (index).
    pub depot: usize,
}

/// A group of customers switched off together in rolling outages (queue 1.1 … 6.2).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutageGroup {
    /// Id, e.g. `3.2`.
    pub id: String,
    /// (district index, share of the district's customers in this group).
    pub shares: Vec<(usize, f64)>,
}

/// How water service is judged.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct WaterService {
    /// Pressure below which nothing is delivered, m.
    pub min_pressure_m: f64,
    /// Pressure from which the full demand is delivered, m.
    pub required_pressure_m: f64,
    /// Exponent of the pressure-demand relation.
    pub exponent: f64,
    /// A junction's people are without water when it delivers less than this share of
    /// its demand.
    pub without_water_below: f64,
}

impl WaterService {
    /// Share of its demand a junction at `pressure_m` receives under pressure-driven
    /// demand (Wagner's relation, as EPANET applies it), 0–1.
    pub fn availability(&self, pressure_m: f64) -> f64 {
        let span = self.required_pressure_m - self.min_pressure_m;
        let ratio = ((pressure_m - self.min_pressure_m) / span).clamp(0.0, 1.0);
        ratio.powf(self.exponent)
    }
}

/// How restoration is planned and judged (`[restoration]` in `city.toml`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Restoration {
    /// Crews' travel speed between district centres, km/h (0: travel is not counted).
    pub travel_kmh: f64,
    /// Repair time of an asset kind when a strike gives none, h, by kind (`bus`,
    /// `branch`, `gen`, `pump_station`, `pipe`, `tank`).
    pub repair_h: std::collections::BTreeMap<String, f64>,
    /// Cost of an hour without service, by what is cut: `homes` (per customer without
    /// power and per person without water), `hospital`, `water_treatment`, `heat_plant`,
    /// `other` (per facility without power), `pump_station` (per station stopped).
    pub weights: std::collections::BTreeMap<String, f64>,
}

/// Asset kinds with a default repair time.
pub const REPAIR_KINDS: [&str; 6] = ["bus", "branch", "gen", "pump_station", "pipe", "tank"];
/// What a restoration weight can be given for.
pub const WEIGHT_KINDS: [&str; 6] = [
    "homes",
    "hospital",
    "water_treatment",
    "heat_plant",
    "other",
    "pump_station",
];

impl Default for Restoration {
    fn default() -> Self {
        let repair = [
            ("bus", 12.0),
            ("branch", 6.0),
            ("gen", 24.0),
            ("pump_station", 8.0),
            ("pipe", 6.0),
            ("tank", 24.0),
        ];
        let weights = [
            ("homes", 1.0),
            ("hospital", 20_000.0),
            ("water_treatment", 20_000.0),
            ("heat_plant", 10_000.0),
            ("other", 2_000.0),
            ("pump_station", 2_000.0),
        ];
        Self {
            travel_kmh: 30.0,
            repair_h: repair.iter().map(|&(k, v)| (k.to_string(), v)).collect(),
            weights: weights.iter().map(|&(k, v)| (k.to_string(), v)).collect(),
        }
    }
}

impl Restoration {
    /// The default repair time of `asset`'s kind, h, if the city gives one.
    pub fn repair_h_of(&self, asset: &crate::scenario::Asset) -> Option<f64> {
        self.repair_h.get(asset.kind()).copied()
    }

    /// The weight of `kind` (0 if unknown).
    pub fn weight(&self, kind: &str) -> f64 {
        self.weights.get(kind).copied().unwrap_or(0.0)
    }
}

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
        let manifest: CityFile = toml::from_str(&source.text).map_err(|e| {
            let problem = match e.span() {
                Some(span) => source.problem(span, e.message().trim().to_string()),
                None => Problem::in_file(&source.file, e.message().trim().to_string()),
            };
            CascadeError::Invalid(vec![problem])
        })?;
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        build(manifest, &source, &dir)
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
        let positions = self.case.bus_positions();
        let mut priority = vec![PRIORITY_NORMAL; self.case.buses.len()];
        for station in &self.pump_stations {
            let p = &mut priority[positions[&station.bus]];
            *p = (*p).max(PRIORITY_PUMP_STATION);
        }
        for facility in &self.facilities {
            let p = &mut priority[positions[&facility.bus]];
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

/// Resolves `name` relative to `dir`.
fn resolve(dir: &Path, name: &str) -> PathBuf {
    let path = Path::new(name);
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        dir.join(path)
    }
}

#[allow(clippy::too_many_lines)]
fn build(m: CityFile, source: &Source, dir: &Path) -> Result<City, CascadeError> {
    let mut problems = Vec::new();

    // The grid.
    let grid_file = resolve(dir, m.grid.file.get_ref());
    let case = match read_case(&grid_file) {
        Ok(read) => Some(read.case),
        Err(error) => {
            problems.push(Problem {
                file: error.file.clone(),
                position: error.position,
                message: match &error.field {
                    Some(field) => format!("{field}: {}", error.kind),
                    None => error.kind.to_string(),
                },
            });
            None
        }
    };

    // The water network.
    let water_file = resolve(dir, m.water.file.get_ref());
    let network = match Simulation::open(&water_file, SimulationOptions::default()) {
        Ok(simulation) => Some(simulation.network().clone()),
        Err(error) => {
            problems.push(Problem::in_file(
                water_file.display().to_string(),
                error.to_string(),
            ));
            None
        }
    };

    let number = |value: &Option<toml::Spanned<f64>>, default: f64| {
        value.as_ref().map_or(default, |v| *v.get_ref())
    };
    let water = WaterService {
        min_pressure_m: number(&m.water.min_pressure_m, 0.0),
        required_pressure_m: number(&m.water.required_pressure_m, 20.0),
        exponent: number(&m.water.pressure_exponent, 0.5),
        without_water_below: number(&m.water.without_water_below, 0.5),
    };
    if water.required_pressure_m <= water.min_pressure_m {
        let span = m
            .water
            .required_pressure_m
            .as_ref()
            .map_or(m.water.file.span(), |v| v.span());
        problems.push(source.problem(span, "required_pressure_m must exceed min_pressure_m"));
    }
    if !(0.0..=1.0).contains(&water.without_water_below) {
        let span = m
            .water
            .without_water_below
            .as_ref()
            .map_or(m.water.file.span(), |v| v.span());
        problems.push(source.problem(span, "without_water_below must be a share between 0 and 1"));
    }

    // Districts.
    let names: Vec<String> = m
        .districts
        .iter()
        .map(|d| d.name.get_ref().clone())
        .collect();
    if m.districts.is_empty() {
        problems.push(Problem::in_file(
            &source.file,
            "no [[district]]: a city needs at least one district",
        ));
    }
    let mut seen = HashSet::new();
    for d in &m.districts {
        if !seen.insert(d.name.get_ref().as_str()) {
            problems.push(source.problem(
                d.name.span(),
                format!("district '{}' is defined twice", d.name.get_ref()),
            ));
        }
    }
    let positions: HashMap<BusId, usize> =
        case.as_ref().map(Case::bus_positions).unwrap_or_default();
    let bus_names: Vec<String> = case
        .as_ref()
        .map(|c| c.buses.iter().map(|b| b.id.to_string()).collect())
        .unwrap_or_default();
    let check_bus =
        |bus: &toml::Spanned<u32>, what: &str, problems: &mut Vec<Problem>| -> Option<usize> {
            case.as_ref()?;
            match positions.get(bus.get_ref()) {
                Some(&p) => Some(p),
                None => {
                    problems.push(source.problem(
                        bus.span(),
                        format!(
                            "{what}: bus {} is not in the grid{}",
                            bus.get_ref(),
                            suggestion(
                                &bus.get_ref().to_string(),
                                bus_names.iter().map(String::as_str)
                            )
                        ),
                    ));
                    None
                }
            }
        };
    let mut districts = Vec::new();
    let mut bus_share_total: HashMap<u32, f64> = HashMap::new();
    for d in &m.districts {
        let name = d.name.get_ref();
        if *d.population.get_ref() == 0 {
            problems.push(source.problem(
                d.population.span(),
                format!("district '{name}': population must be positive"),
            ));
        }
        if *d.customers.get_ref() == 0 {
            problems.push(source.problem(
                d.customers.span(),
                format!("district '{name}': customers must be positive"),
            ));
        }
        if d.buses.get_ref().is_empty() {
            problems.push(source.problem(
                d.name.span(),
                format!("district '{name}' has no buses: expected buses = [{{ bus = N, share = 1.0 }}, ...]"),
            ));
        }
        let mut buses = Vec::new();
        for entry in d.buses.get_ref() {
            let share = *entry.share.get_ref();
            if !(share > 0.0 && share <= 1.0) {
                let span = if entry.share.span().is_empty() {
                    entry.bus.span()
                } else {
                    entry.share.span()
                };
                problems.push(source.problem(
                    span,
                    format!("district '{name}': share {share} must be in (0, 1]"),
                ));
            }
            *bus_share_total.entry(*entry.bus.get_ref()).or_default() += share;
            if let Some(position) =
                check_bus(&entry.bus, &format!("district '{name}'"), &mut problems)
            {
                buses.push(BusShare {
                    bus: *entry.bus.get_ref(),
                    position,
                    share,
                });
            }
        }
        districts.push(District {
            name: name.clone(),
            population: *d.population.get_ref(),
            customers: *d.customers.get_ref(),
            buses,
            junctions: Vec::new(),
            junction_people: Vec::new(),
            outline: None,
        });
    }
    for d in &m.districts {
        for entry in d.buses.get_ref() {
            let total = bus_share_total[entry.bus.get_ref()];
            if total > 1.0 + 1e-9 {
                problems.push(source.problem(
                    entry.bus.span(),
                    format!(
                        "bus {}: the districts' shares add up to {total}, more than 1",
                        entry.bus.get_ref()
                    ),
                ));
            }
        }
    }
    let district_index =
        |name: &toml::Spanned<String>, what: &str, problems: &mut Vec<Problem>| -> Option<usize> {
            let found = names.iter().position(|n| n == name.get_ref());
            if found.is_none() {
                problems.push(source.problem(
                    name.span(),
                    format!(
                        "{what}: district '{}' is not in this file{}",
                        name.get_ref(),
                        suggestion(name.get_ref(), names.iter().map(String::as_str))
                    ),
                ));
            }
            found
        };

    // Service areas and people per junction.
    if let Some(network) = &network {
        let areas_file = resolve(dir, m.water.service_areas.get_ref());
        match std::fs::read_to_string(&areas_file) {
            Ok(text) => {
                let file = areas_file.display().to_string();
                let text = lifeline_core::text::without_bom(&text);
                let junctions = service_areas::read(&file, text, network, &names, &mut problems);
                for (district, junctions) in districts.iter_mut().zip(junctions) {
                    if junctions.is_empty() {
                        problems.push(Problem::in_file(
                            &file,
                            format!("district '{}' has no junctions", district.name),
                        ));
                        continue;
                    }
                    let weights: Vec<f64> = junctions
                        .iter()
                        .map(|&j| network.base_demand_lps[j].max(0.0))
                        .collect();
                    let total: f64 = weights.iter().sum();
                    let people = district.population as f64;
                    district.junction_people = if total > 0.0 {
                        weights.iter().map(|w| people * w / total).collect()
                    } else {
                        vec![people / junctions.len() as f64; junctions.len()]
                    };
                    district.junctions = junctions;
                }
            }
            Err(e) => problems.push(source.problem(
                m.water.service_areas.span(),
                format!("cannot read {}: {e}", areas_file.display()),
            )),
        }
    }

    // The map.
    if let Some(map_section) = &m.map {
        let map_file = resolve(dir, map_section.districts.get_ref());
        match std::fs::read_to_string(&map_file) {
            Ok(text) => {
                let outlines = map::read(
                    &map_file.display().to_string(),
                    lifeline_core::text::without_bom(&text),
                    &names,
                    &mut problems,
                );
                for (district, outline) in districts.iter_mut().zip(outlines) {
                    district.outline = outline;
                }
            }
            Err(e) => problems.push(source.problem(
                map_section.districts.span(),
                format!("cannot read {}: {e}", map_file.display()),
            )),
        }
    }

    // Pump stations.
    let mut stations = Vec::new();
    let mut pump_owner: HashMap<String, String> = HashMap::new();
    let mut ids = HashSet::new();
    for s in &m.pump_stations {
        let id = s.id.get_ref().clone();
        if !ids.insert(id.clone()) {
            problems
                .push(source.problem(s.id.span(), format!("pump station '{id}' is defined twice")));
        }
        if s.pumps.get_ref().is_empty() {
            problems
                .push(source.problem(s.pumps.span(), format!("pump station '{id}' has no pumps")));
        }
        let mut pumps = Vec::new();
        for pump in s.pumps.get_ref() {
            let pump_id = pump.get_ref();
            if let Some(network) = &network {
                match network.link(pump_id) {
                    Ok(link) if network.link_kinds[link] == LinkKind::Pump => {}
                    Ok(_) => problems.push(source.problem(
                        pump.span(),
                        format!("pump station '{id}': link '{pump_id}' is not a pump"),
                    )),
                    Err(_) => problems.push(source.problem(
                        pump.span(),
                        format!(
                            "pump station '{id}': pump '{pump_id}' is not in the water network{}",
                            suggestion(pump_id, network.link_ids.iter().map(String::as_str))
                        ),
                    )),
                }
            }
            if let Some(owner) = pump_owner.insert(pump_id.clone(), id.clone()) {
                problems.push(source.problem(
                    pump.span(),
                    format!("pump '{pump_id}' is already in pump station '{owner}'"),
                ));
            }
            pumps.push(pump_id.clone());
        }
        check_bus(&s.bus, &format!("pump station '{id}'"), &mut problems);
        if !s.power_kw.get_ref().is_finite() || *s.power_kw.get_ref() <= 0.0 {
            problems.push(source.problem(
                s.power_kw.span(),
                format!("pump station '{id}': power_kw must be positive"),
            ));
        }
        let serves = s
            .serves
            .iter()
            .filter_map(|name| {
                district_index(name, &format!("pump station '{id}' serves"), &mut problems)
            })
            .collect();
        let backup = s.backup.as_ref().map(|b| {
            let entry = b.get_ref();
            if !(entry.kw > 0.0 && entry.fuel_hours >= 0.0 && entry.start_delay_min >= 0.0) {
                problems.push(source.problem(
                    b.span(),
                    format!("pump station '{id}': backup needs kw > 0, fuel_hours ≥ 0 and start_delay_min ≥ 0"),
                ));
            }
            BackupGenerator {
                kw: entry.kw,
                fuel_hours: entry.fuel_hours,
                start_delay_h: entry.start_delay_min / 60.0,
            }
        });
        stations.push(PumpStation {
            id: id.clone(),
            name: s.name.clone().unwrap_or(id),
            pumps,
            bus: *s.bus.get_ref(),
            power_kw: *s.power_kw.get_ref(),
            serves,
            backup,
        });
    }

    // Facilities.
    let mut facilities = Vec::new();
    let mut ids = HashSet::new();
    for f in &m.facilities {
        let id = f.id.get_ref().clone();
        if !ids.insert(id.clone()) {
            problems.push(source.problem(f.id.span(), format!("facility '{id}' is defined twice")));
        }
        let kind = match f.kind.get_ref().as_str() {
            "hospital" => FacilityKind::Hospital,
            "water_treatment" => FacilityKind::WaterTreatment,
            "heat_plant" => FacilityKind::HeatPlant,
            "other" => FacilityKind::Other,
            other => {
                problems.push(source.problem(
                    f.kind.span(),
                    format!("facility '{id}': kind '{other}' is unknown: expected hospital, water_treatment, heat_plant or other"),
                ));
                FacilityKind::Other
            }
        };
        check_bus(&f.bus, &format!("facility '{id}'"), &mut problems);
        let junction = match (&f.junction, &network) {
            (Some(junction), Some(network)) => match network.node(junction.get_ref()) {
                Ok(node) => Some(node),
                Err(_) => {
                    problems.push(source.problem(
                        junction.span(),
                        format!(
                            "facility '{id}': junction '{}' is not in the water network{}",
                            junction.get_ref(),
                            suggestion(
                                junction.get_ref(),
                                network.node_ids.iter().map(String::as_str)
                            )
                        ),
                    ));
                    None
                }
            },
            _ => None,
        };
        let district = f
            .district
            .as_ref()
            .and_then(|d| district_index(d, &format!("facility '{id}'"), &mut problems));
        let priority = *f.priority.get_ref();
        if !(1..=PRIORITY_MAX).contains(&priority) {
            problems.push(source.problem(
                f.priority.span(),
                format!("facility '{id}': priority must be 1, 2 or 3 (3 is shed last)"),
            ));
        }
        facilities.push(Facility {
            id: id.clone(),
            name: f.name.clone().unwrap_or(id),
            kind,
            bus: *f.bus.get_ref(),
            junction,
            district,
            priority,
        });
    }

    // Crews.
    let mut crews = Vec::new();
    for c in &m.crews {
        let id = c.id.get_ref().clone();
        let skills = c
            .skills
            .iter()
            .filter_map(|s| match s.get_ref().as_str() {
                "power" => Some(Skill::Power),
                "water" => Some(Skill::Water),
                other => {
                    problems.push(source.problem(
                        s.span(),
                        format!("crew '{id}': skill '{other}' is unknown: expected power or water"),
                    ));
                    None
                }
            })
            .collect();
        if let Some(depot) = district_index(&c.depot, &format!("crew '{id}' depot"), &mut problems)
        {
            crews.push(Crew { id, skills, depot });
        }
    }

    // Outage groups: each district's customers split among groups, shares adding to 1.
    let mut groups = Vec::new();
    let mut district_share = vec![0.0; names.len()];
    for g in &m.outage_groups {
        let id = g.id.get_ref().clone();
        let mut shares = Vec::new();
        for (name, &share) in g.shares.get_ref() {
            match names.iter().position(|n| n == name) {
                Some(d) => {
                    if !(share > 0.0 && share <= 1.0) {
                        problems.push(source.problem(
                            g.shares.span(),
                            format!(
                                "outage group '{id}': share {share} of '{name}' must be in (0, 1]"
                            ),
                        ));
                    }
                    district_share[d] += share;
                    shares.push((d, share));
                }
                None => problems.push(source.problem(
                    g.shares.span(),
                    format!(
                        "outage group '{id}': district '{name}' is not in this file{}",
                        suggestion(name, names.iter().map(String::as_str))
                    ),
                )),
            }
        }
        groups.push(OutageGroup { id, shares });
    }
    if !m.outage_groups.is_empty() {
        for (d, total) in district_share.iter().enumerate() {
            if (total - 1.0).abs() > 1e-6 {
                problems.push(Problem::in_file(
                    &source.file,
                    format!(
                        "district '{}': its outage-group shares add up to {total}, expected 1",
                        names[d]
                    ),
                ));
            }
        }
    }

    // Restoration settings.
    let mut restoration = Restoration::default();
    if let Some(entry) = &m.restoration {
        let span = entry.span();
        let r = entry.get_ref();
        if let Some(kmh) = r.travel_kmh {
            if kmh.is_finite() && kmh >= 0.0 {
                restoration.travel_kmh = kmh;
            } else {
                problems.push(source.problem(
                    span.clone(),
                    format!("restoration: travel_kmh must be 0 or more, got {kmh}"),
                ));
            }
        }
        for (kind, &hours) in &r.repair_h {
            if !REPAIR_KINDS.contains(&kind.as_str()) {
                problems.push(source.problem(
                    span.clone(),
                    format!(
                        "restoration: repair_h for '{kind}': expected one of {}{}",
                        REPAIR_KINDS.join(", "),
                        suggestion(kind, REPAIR_KINDS)
                    ),
                ));
            } else if !(hours.is_finite() && hours > 0.0) {
                problems.push(source.problem(span.clone(), format!("restoration: repair_h for '{kind}' must be a positive number of hours, got {hours}")));
            } else {
                restoration.repair_h.insert(kind.clone(), hours);
            }
        }
        for (kind, &weight) in &r.weights {
            if !WEIGHT_KINDS.contains(&kind.as_str()) {
                problems.push(source.problem(
                    span.clone(),
                    format!(
                        "restoration: weight for '{kind}': expected one of {}{}",
                        WEIGHT_KINDS.join(", "),
                        suggestion(kind, WEIGHT_KINDS)
                    ),
                ));
            } else if !(weight.is_finite() && weight >= 0.0) {
                problems.push(source.problem(
                    span.clone(),
                    format!("restoration: weight for '{kind}' must be 0 or more, got {weight}"),
                ));
            } else {
                restoration.weights.insert(kind.clone(), weight);
            }
        }
    }

    match (problems.is_empty(), case, network) {
        (true, Some(case), Some(network)) => Ok(City {
            name: m.name,
            description: m.description,
            timezone: m.timezone,
            grid_file,
            water_file,
            case,
            network,
            water,
            districts,
            pump_stations: stations,
            facilities,
            crews,
            outage_groups: groups,
            restoration,
        }),
        _ => Err(CascadeError::Invalid(problems)),
    }
}
