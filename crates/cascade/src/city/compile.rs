//! `CityFile` (what `city.toml` says) → [`City`]: one validator per section, each adding
//! the problems it finds to one list, so that every problem is reported at once; ids are
//! resolved here, once (bus numbers to case positions, pump ids to network links, names
//! of districts to indices), and nothing after this looks them up again.

use super::manifest::{CityFile, DistrictEntry};
use super::model::{BusShare, District, WaterService};
use super::{City, map, service_areas};
use crate::error::CascadeError;
use crate::source::{Problem, Source, suggestion};
use lifeline_power::matpower::read_case;
use lifeline_power::{BusId, Case};
use lifeline_water::{NetworkInfo, Simulation, SimulationOptions};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use toml::Spanned;

/// What the validators share: the file's text, its folder, the grid and network when they
/// could be read, the districts' names, and the problems found so far.
pub(super) struct Compiler<'a> {
    pub(super) source: &'a Source,
    dir: &'a Path,
    pub(super) problems: Vec<Problem>,
    /// What loads but is likely a gap of the file (see [`City::warnings`]).
    pub(super) warnings: Vec<Problem>,
    pub(super) case: Option<Case>,
    pub(super) network: Option<NetworkInfo>,
    positions: HashMap<BusId, usize>,
    bus_names: Vec<String>,
    pub(super) district_names: Vec<String>,
}

/// Compiles a parsed `city.toml` whose folder is `dir`.
pub(super) fn compile(m: CityFile, source: &Source, dir: &Path) -> Result<City, CascadeError> {
    let mut c = Compiler {
        source,
        dir,
        problems: Vec::new(),
        warnings: Vec::new(),
        case: None,
        network: None,
        positions: HashMap::new(),
        bus_names: Vec::new(),
        district_names: m
            .districts
            .iter()
            .map(|d| d.name.get_ref().clone())
            .collect(),
    };
    let grid_file = c.resolve(m.grid.file.get_ref());
    c.grid(&grid_file);
    let water_file = c.resolve(m.water.file.get_ref());
    c.water_network(&water_file);
    let water = c.water_service(&m);
    let mut districts = c.districts(&m.districts);
    c.service_areas(&m, &mut districts);
    c.map(&m, &mut districts);
    let pump_stations = c.pump_stations(&m.pump_stations);
    let facilities = c.facilities(&m.facilities);
    let crews = c.crews(&m.crews);
    let outage_groups = c.outage_groups(&m.outage_groups);
    let restoration = c.restoration(m.restoration.as_ref());
    c.timezone(&m.timezone);
    let bus_positions = c.bus_positions(&m);
    let node_positions = c.node_positions(&m);
    let mut pump_stations = pump_stations;
    for station in &mut pump_stations {
        // A station without a position of its own stands where its pumps do.
        if station.position.is_none() {
            let points: Vec<(f64, f64)> = station
                .pump_links
                .iter()
                .filter_map(|&l| c.network.as_ref().map(|n| n.link_ends[l]))
                .flat_map(|(a, b)| [node_positions.get(a), node_positions.get(b)])
                .flatten()
                .flatten()
                .copied()
                .collect();
            if !points.is_empty() {
                let n = points.len() as f64;
                station.position = Some((
                    points.iter().map(|p| p.0).sum::<f64>() / n,
                    points.iter().map(|p| p.1).sum::<f64>() / n,
                ));
            }
        }
    }
    c.unassigned_junctions(&m, &districts);
    c.pumps_in_no_station(&pump_stations);
    match (c.problems.is_empty(), c.case, c.network) {
        (true, Some(case), Some(network)) => Ok(City {
            name: m.name,
            description: m.description,
            timezone: m.timezone.into_inner(),
            grid_file,
            water_file,
            case,
            network,
            water,
            districts,
            pump_stations,
            facilities,
            crews,
            outage_groups,
            restoration,
            bus_positions,
            node_positions,
            water_engine: lifeline_water::Engine::default(),
            warnings: c.warnings,
        }),
        (_, _, _) => Err(CascadeError::Invalid(c.problems)),
    }
}

impl Compiler<'_> {
    /// `name` relative to the city's folder.
    fn resolve(&self, name: &str) -> PathBuf {
        let path = Path::new(name);
        if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.dir.join(path)
        }
    }

    /// A problem at `span` of `city.toml`.
    pub(super) fn problem(&mut self, span: std::ops::Range<usize>, message: impl Into<String>) {
        let problem = self.source.problem(span, message);
        self.problems.push(problem);
    }

    /// A problem of `city.toml` as a whole.
    pub(super) fn problem_in_file(&mut self, message: impl Into<String>) {
        let problem = Problem::in_file(&self.source.file, message);
        self.problems.push(problem);
    }

    /// `[grid]`: the MATPOWER case.
    fn grid(&mut self, file: &Path) {
        match read_case(file) {
            Ok(read) => {
                self.positions = read.case.bus_positions();
                self.bus_names = read.case.buses.iter().map(|b| b.id.to_string()).collect();
                self.case = Some(read.case);
            }
            Err(error) => self.problems.push(Problem {
                file: error.file.clone(),
                position: error.position,
                message: match &error.field {
                    Some(field) => format!("{field}: {}", error.kind),
                    None => error.kind.to_string(),
                },
            }),
        }
    }

    /// `[water] file`: the EPANET network.
    fn water_network(&mut self, file: &Path) {
        match Simulation::open(file, SimulationOptions::default()) {
            Ok(simulation) => self.network = Some(simulation.network().clone()),
            Err(error) => self.problems.push(Problem::in_file(
                file.display().to_string(),
                error.to_string(),
            )),
        }
    }

    /// `[water]`: how water service is judged.
    fn water_service(&mut self, m: &CityFile) -> WaterService {
        let number = |value: &Option<Spanned<f64>>, default: f64| {
            value.as_ref().map_or(default, |v| *v.get_ref())
        };
        let water = WaterService {
            min_pressure_m: number(&m.water.min_pressure_m, 0.0),
            required_pressure_m: number(&m.water.required_pressure_m, 20.0),
            exponent: number(&m.water.pressure_exponent, 0.5),
            without_water_below: number(&m.water.without_water_below, 0.5),
        };
        let span_of =
            |value: &Option<Spanned<f64>>| value.as_ref().map_or(m.water.file.span(), |v| v.span());
        for (value, name) in [
            (&m.water.min_pressure_m, "min_pressure_m"),
            (&m.water.required_pressure_m, "required_pressure_m"),
            (&m.water.pressure_exponent, "pressure_exponent"),
        ] {
            if let Some(v) = value
                && !v.get_ref().is_finite()
            {
                self.problem(
                    v.span(),
                    format!("{name} must be a finite number, got {}", v.get_ref()),
                );
            }
        }
        if water.exponent.is_nan() || water.exponent <= 0.0 {
            self.problem(
                span_of(&m.water.pressure_exponent),
                "pressure_exponent must be more than 0",
            );
        }
        if water.required_pressure_m <= water.min_pressure_m {
            self.problem(
                span_of(&m.water.required_pressure_m),
                "required_pressure_m must exceed min_pressure_m",
            );
        }
        if !(0.0..=1.0).contains(&water.without_water_below) {
            self.problem(
                span_of(&m.water.without_water_below),
                "without_water_below must be a share between 0 and 1",
            );
        }
        water
    }

    /// The case position of `bus`, or a problem naming `what` (nothing when the grid
    /// could not be read: that problem is reported already).
    pub(super) fn bus(&mut self, bus: &Spanned<u32>, what: &str) -> Option<usize> {
        self.case.as_ref()?;
        if let Some(&position) = self.positions.get(bus.get_ref()) {
            return Some(position);
        }
        let message = format!(
            "{what}: bus {} is not in the grid{}",
            bus.get_ref(),
            suggestion(
                &bus.get_ref().to_string(),
                self.bus_names.iter().map(String::as_str)
            )
        );
        self.problem(bus.span(), message);
        None
    }

    /// The index of the district `name`, or a problem naming `what`.
    pub(super) fn district(&mut self, name: &Spanned<String>, what: &str) -> Option<usize> {
        let found = self.district_names.iter().position(|n| n == name.get_ref());
        if found.is_none() {
            let message = format!(
                "{what}: district '{}' is not in this file{}",
                name.get_ref(),
                suggestion(
                    name.get_ref(),
                    self.district_names.iter().map(String::as_str)
                )
            );
            self.problem(name.span(), message);
        }
        found
    }

    /// `[[district]]`: people, customers and the buses' shares.
    fn districts(&mut self, entries: &[DistrictEntry]) -> Vec<District> {
        if entries.is_empty() {
            self.problem_in_file("no [[district]]: a city needs at least one district");
        }
        let mut seen = HashSet::new();
        for d in entries {
            if !seen.insert(d.name.get_ref().as_str()) {
                self.problem(
                    d.name.span(),
                    format!("district '{}' is defined twice", d.name.get_ref()),
                );
            }
        }
        let mut bus_share_total: HashMap<u32, f64> = HashMap::new();
        let districts = entries
            .iter()
            .map(|d| self.district_entry(d, &mut bus_share_total))
            .collect();
        for d in entries {
            for entry in d.buses.get_ref() {
                let total = bus_share_total[entry.bus.get_ref()];
                if total > 1.0 + 1e-9 {
                    self.problem(
                        entry.bus.span(),
                        format!(
                            "bus {}: the districts' shares add up to {total}, more than 1",
                            entry.bus.get_ref()
                        ),
                    );
                }
            }
        }
        districts
    }

    /// One `[[district]]`; its bus shares are added to `bus_share_total`.
    fn district_entry(
        &mut self,
        d: &DistrictEntry,
        bus_share_total: &mut HashMap<u32, f64>,
    ) -> District {
        let name = d.name.get_ref();
        if *d.population.get_ref() == 0 {
            self.problem(
                d.population.span(),
                format!("district '{name}': population must be positive"),
            );
        }
        if *d.customers.get_ref() == 0 {
            self.problem(
                d.customers.span(),
                format!("district '{name}': customers must be positive"),
            );
        } else if d.customers.get_ref() > d.population.get_ref() {
            self.problem(
                d.customers.span(),
                format!(
                    "district '{name}': {} customers for {} people; a customer is a metered \
                     household or business, so there are fewer of them than residents",
                    d.customers.get_ref(),
                    d.population.get_ref()
                ),
            );
        }
        if d.buses.get_ref().is_empty() {
            self.problem(
                d.name.span(),
                format!("district '{name}' has no buses: expected buses = [{{ bus = N, share = 1.0 }}, ...]"),
            );
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
                self.problem(
                    span,
                    format!("district '{name}': share {share} must be in (0, 1]"),
                );
            }
            *bus_share_total.entry(*entry.bus.get_ref()).or_default() += share;
            if let Some(position) = self.bus(&entry.bus, &format!("district '{name}'")) {
                buses.push(BusShare {
                    bus: *entry.bus.get_ref(),
                    position,
                    share,
                });
            }
        }
        District {
            name: name.clone(),
            population: *d.population.get_ref(),
            customers: *d.customers.get_ref(),
            buses,
            junctions: Vec::new(),
            junction_people: Vec::new(),
            outline: None,
        }
    }

    /// `[water] service_areas`: each district's junctions, and its people spread over
    /// them by base demand.
    fn service_areas(&mut self, m: &CityFile, districts: &mut [District]) {
        let Some(network) = self.network.take() else {
            return;
        };
        let areas_file = self.resolve(m.water.service_areas.get_ref());
        match std::fs::read_to_string(&areas_file) {
            Ok(text) => {
                let file = areas_file.display().to_string();
                let text = lifeline_core::text::without_bom(&text);
                let junctions = service_areas::read(
                    &file,
                    text,
                    &network,
                    &self.district_names,
                    &mut self.problems,
                );
                for (district, junctions) in districts.iter_mut().zip(junctions) {
                    if junctions.is_empty() {
                        self.problems.push(Problem::in_file(
                            &file,
                            format!("district '{}' has no junctions", district.name),
                        ));
                        continue;
                    }
                    spread_people(district, junctions, &network);
                }
            }
            Err(e) => self.problem(
                m.water.service_areas.span(),
                format!("cannot read {}: {e}", areas_file.display()),
            ),
        }
        self.network = Some(network);
    }

    /// `[grid] positions`: a CSV `bus,lon,lat`, every problem with its line.
    fn bus_positions(&mut self, m: &CityFile) -> Vec<Option<(f64, f64)>> {
        let buses = self.case.as_ref().map_or(0, |c| c.buses.len());
        let mut positions = vec![None; buses];
        let Some(file) = &m.grid.positions else {
            return positions;
        };
        let path = self.resolve(file.get_ref());
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) => {
                self.problem(file.span(), format!("cannot read {}: {e}", path.display()));
                return positions;
            }
        };
        let name = path.display().to_string();
        let mut lines = lifeline_core::text::without_bom(&text).lines().enumerate();
        if !lines
            .next()
            .is_some_and(|(_, h)| h.trim().eq_ignore_ascii_case("bus,lon,lat"))
        {
            self.problems.push(Problem::at_line(
                &name,
                1,
                "expected the header 'bus,lon,lat'",
            ));
            return positions;
        }
        for (i, line) in lines {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = line.split(',').map(str::trim).collect();
            let parsed = match fields.as_slice() {
                [bus, lon, lat] => bus
                    .parse::<u32>()
                    .ok()
                    .zip(lon.parse::<f64>().ok().zip(lat.parse::<f64>().ok())),
                _ => None,
            };
            let problem = match parsed {
                None => Some(format!("expected 'bus,lon,lat', found '{line}'")),
                Some((_, (lon, lat)))
                    if !(lon.is_finite()
                        && lat.is_finite()
                        && lon.abs() <= 180.0
                        && lat.abs() <= 90.0) =>
                {
                    Some(format!(
                        "[{lon}, {lat}] is not a longitude and latitude in degrees"
                    ))
                }
                Some((bus, point)) => match self.positions.get(&bus) {
                    None => Some(format!("bus {bus} is not in the grid")),
                    Some(&p) if positions[p].is_some() => {
                        Some(format!("bus {bus} is placed twice"))
                    }
                    Some(&p) => {
                        positions[p] = Some(point);
                        None
                    }
                },
            };
            if let Some(message) = problem {
                self.problems.push(Problem::at_line(&name, i + 1, message));
            }
        }
        positions
    }

    /// Every node's longitude/latitude from the network's coordinates in `[water] crs`
    /// (none without it: a network's plane is not a place on Earth until it is said).
    fn node_positions(&mut self, m: &CityFile) -> Vec<Option<(f64, f64)>> {
        let nodes = self.network.as_ref().map_or(0, |n| n.node_ids.len());
        let Some(crs_text) = &m.water.crs else {
            return vec![None; nodes];
        };
        let crs = match lifeline_geo::Crs::parse(crs_text.get_ref()) {
            Ok(crs) => crs,
            Err(e) => {
                self.problem(crs_text.span(), e.to_string());
                return vec![None; nodes];
            }
        };
        let Some(network) = &self.network else {
            return vec![None; nodes];
        };
        let mut positions = Vec::with_capacity(nodes);
        let mut first_error = None;
        for xy in &network.coordinates {
            positions.push(xy.and_then(|(x, y)| match crs.to_lon_lat(x, y) {
                Ok(point) => Some(point),
                Err(e) => {
                    first_error.get_or_insert(e);
                    None
                }
            }));
        }
        if let Some(e) = first_error {
            self.problem(crs_text.span(), e.to_string());
        }
        positions
    }

    /// A warning at `span` of `city.toml`.
    pub(super) fn warning(&mut self, span: std::ops::Range<usize>, message: impl Into<String>) {
        let warning = self.source.problem(span, message);
        self.warnings.push(warning);
    }

    /// Warns of junctions with demand that serve no district: their people are counted
    /// nowhere.
    fn unassigned_junctions(&mut self, m: &CityFile, districts: &[District]) {
        let Some(network) = &self.network else {
            return;
        };
        let assigned: HashSet<usize> = districts
            .iter()
            .flat_map(|d| d.junctions.iter().copied())
            .collect();
        let left_out: Vec<&str> = (0..network.node_ids.len())
            .filter(|&n| {
                network.node_kinds[n] == lifeline_water::NodeKind::Junction
                    && network.base_demand_lps[n] > 0.0
                    && !assigned.contains(&n)
            })
            .map(|n| network.node_ids[n].as_str())
            .collect();
        if left_out.is_empty() {
            return;
        }
        let with_demand = (0..network.node_ids.len())
            .filter(|&n| {
                network.node_kinds[n] == lifeline_water::NodeKind::Junction
                    && network.base_demand_lps[n] > 0.0
            })
            .count();
        let message = format!(
            "{} of the {with_demand} junctions with demand serve no district ({}{}): nobody is counted when they lose water; add them to {}",
            left_out.len(),
            left_out
                .iter()
                .take(5)
                .copied()
                .collect::<Vec<_>>()
                .join(", "),
            if left_out.len() > 5 { ", …" } else { "" },
            m.water.service_areas.get_ref()
        );
        self.warning(m.water.service_areas.span(), message);
    }

    /// Warns of the network's pumps in no `[[pump_station]]`: they run on the network's
    /// own controls whatever the grid does.
    fn pumps_in_no_station(&mut self, stations: &[super::PumpStation]) {
        let Some(network) = &self.network else {
            return;
        };
        let in_station: HashSet<usize> = stations
            .iter()
            .flat_map(|s| s.pump_links.iter().copied())
            .collect();
        let loose: Vec<&str> = (0..network.link_ids.len())
            .filter(|&l| {
                network.link_kinds[l] == lifeline_water::LinkKind::Pump && !in_station.contains(&l)
            })
            .map(|l| network.link_ids[l].as_str())
            .collect();
        if !loose.is_empty() {
            let message = format!(
                "{} pump{} of the water network {} in no [[pump_station]] ({}): {} on the network's own controls whatever the grid does",
                loose.len(),
                if loose.len() == 1 { "" } else { "s" },
                if loose.len() == 1 { "is" } else { "are" },
                loose.join(", "),
                if loose.len() == 1 {
                    "it runs"
                } else {
                    "they run"
                },
            );
            let file = self.source.file.clone();
            self.warnings.push(Problem::in_file(file, message));
        }
    }

    /// `[map]`: the districts' outlines.
    fn map(&mut self, m: &CityFile, districts: &mut [District]) {
        let Some(map_section) = &m.map else {
            return;
        };
        let map_file = self.resolve(map_section.districts.get_ref());
        match std::fs::read_to_string(&map_file) {
            Ok(text) => {
                let outlines = map::read(
                    &map_file.display().to_string(),
                    lifeline_core::text::without_bom(&text),
                    &self.district_names,
                    &mut self.problems,
                );
                for (district, outline) in districts.iter_mut().zip(outlines) {
                    district.outline = outline;
                }
            }
            Err(e) => self.problem(
                map_section.districts.span(),
                format!("cannot read {}: {e}", map_file.display()),
            ),
        }
    }
}

/// The district's junctions, with its people spread over them by base demand (evenly
/// when none has demand).
fn spread_people(district: &mut District, junctions: Vec<usize>, network: &NetworkInfo) {
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
