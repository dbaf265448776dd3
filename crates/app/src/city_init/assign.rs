//! What `city init` decides: junctions to districts, pumps to stations, buses to
//! districts, stations and facilities to buses and junctions; each guess noted.

use super::REGISTER_MATCH_M;
use super::inputs::Inputs;
use lifeline_geo::distance_km;
use lifeline_water::{LinkKind, NodeKind};
use std::collections::{BTreeMap, HashMap};

/// A pump station formed from the network's pumps.
#[derive(Debug, Clone)]
pub struct StationModel {
    pub id: String,
    pub name: String,
    /// Link indices of its pumps.
    pub pumps: Vec<usize>,
    /// Longitude, latitude (the mean of its pumps' ends), if known.
    pub position: Option<(f64, f64)>,
    /// The district it stands in.
    pub district: usize,
    /// The bus that feeds it.
    pub bus: u32,
    /// Its entry in the register ([`Inputs::stations`]), if listed there.
    pub register: Option<usize>,
}

/// A facility placed on the grid and the network.
#[derive(Debug, Clone)]
pub struct FacilityModel {
    /// Index into [`Inputs::facilities`].
    pub input: usize,
    pub bus: u32,
    /// Node index of the nearest junction, if any junction has a position.
    pub junction: Option<usize>,
    pub district: usize,
}

/// Everything decided.
pub struct Model {
    /// Per node: its district (junctions only).
    pub junction_district: Vec<Option<usize>>,
    pub junctions_outside: usize,
    pub junctions_without_position: usize,
    pub stations: Vec<StationModel>,
    /// Per district: (bus, share of the bus's load).
    pub district_buses: Vec<Vec<(u32, f64)>>,
    pub facilities: Vec<FacilityModel>,
    /// Every guess, for the report.
    pub guesses: Vec<String>,
}

/// The district containing `point` (longitude, latitude), else the nearest (and whether
/// it was outside), tested in the districts' own coordinate system.
fn district_of(inputs: &Inputs, point: (f64, f64)) -> (usize, bool) {
    let point = inputs.in_district_plane(point);
    let districts = &inputs.districts;
    if let Some(d) = districts.iter().position(|d| d.drawn.contains(point)) {
        return (d, false);
    }
    let nearest = districts
        .iter()
        .map(|d| d.drawn.distance(point))
        .enumerate()
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map_or(0, |(d, _)| d);
    (nearest, true)
}

impl Model {
    pub fn build(inputs: &Inputs, station_radius_m: f64) -> Self {
        let mut model = Model {
            junction_district: Vec::new(),
            junctions_outside: 0,
            junctions_without_position: 0,
            stations: Vec::new(),
            district_buses: Vec::new(),
            facilities: Vec::new(),
            guesses: Vec::new(),
        };
        model.assign_junctions(inputs);
        model.assign_buses(inputs);
        model.form_stations(inputs, station_radius_m);
        model.place_facilities(inputs);
        model
    }

    /// Junctions by point in polygon; outside every polygon, the nearest; without
    /// coordinates, a neighbour's district through the links.
    fn assign_junctions(&mut self, inputs: &Inputs) {
        let network = &inputs.network;
        let mut district = vec![None; network.node_ids.len()];
        let mut outside = Vec::new();
        for (n, kind) in network.node_kinds.iter().enumerate() {
            if *kind != NodeKind::Junction {
                continue;
            }
            if let Some(point) = inputs.node_position[n] {
                let (d, was_outside) = district_of(inputs, point);
                district[n] = Some(d);
                if was_outside {
                    outside.push(network.node_ids[n].as_str());
                }
            }
        }
        // Junctions without coordinates: a neighbour's district, spreading along links.
        let mut missing: Vec<usize> = (0..network.node_ids.len())
            .filter(|&n| network.node_kinds[n] == NodeKind::Junction && district[n].is_none())
            .collect();
        let without_position = missing.len();
        while !missing.is_empty() {
            let before = missing.len();
            for &(a, b) in &network.link_ends {
                match (district[a], district[b]) {
                    (Some(d), None) if network.node_kinds[b] == NodeKind::Junction => {
                        district[b] = Some(d)
                    }
                    (None, Some(d)) if network.node_kinds[a] == NodeKind::Junction => {
                        district[a] = Some(d)
                    }
                    _ => {}
                }
            }
            missing.retain(|&n| district[n].is_none());
            if missing.len() == before {
                break;
            }
        }
        // Cut off from every placed junction: the most populous district.
        let largest = (0..inputs.districts.len())
            .max_by_key(|&d| inputs.districts[d].population)
            .unwrap_or(0);
        for &n in &missing {
            district[n] = Some(largest);
        }
        if !outside.is_empty() {
            self.guesses.push(format!(
                "{} junctions lie outside every district polygon and were given the nearest district ({}{})",
                outside.len(),
                outside.iter().take(8).copied().collect::<Vec<_>>().join(", "),
                if outside.len() > 8 { ", …" } else { "" }
            ));
        }
        if without_position > 0 {
            self.guesses.push(format!(
                "{without_position} junctions have no coordinates and took a neighbour's district ({} cut off from every placed junction went to {})",
                missing.len(),
                inputs.districts[largest].name
            ));
        }
        self.junctions_outside = outside.len();
        self.junctions_without_position = without_position;
        self.junction_district = district;
        self.fill_empty_districts(inputs);
    }

    /// A district whose polygon holds no junction takes the placed junction nearest its
    /// centre (from a district that keeps at least one): every district needs water to
    /// lose. Each such move is a guess.
    fn fill_empty_districts(&mut self, inputs: &Inputs) {
        let network = &inputs.network;
        for (d, district) in inputs.districts.iter().enumerate() {
            let mut count = vec![0usize; inputs.districts.len()];
            for owner in self.junction_district.iter().flatten() {
                count[*owner] += 1;
            }
            if count[d] > 0 {
                continue;
            }
            let Some(centre) = district.area.centre() else {
                continue;
            };
            let nearest = (0..network.node_ids.len())
                .filter(|&n| self.junction_district[n].is_some_and(|o| count[o] > 1))
                .filter_map(|n| inputs.node_position[n].map(|p| (n, distance_km(p, centre))))
                .min_by(|a, b| a.1.total_cmp(&b.1));
            if let Some((n, km)) = nearest {
                self.junction_district[n] = Some(d);
                self.guesses.push(format!(
                    "district '{}' holds no junction: it was given junction {}, {km:.2} km from its centre (is the network's coverage or the polygon wrong?)",
                    district.name, network.node_ids[n]
                ));
            }
        }
    }

    /// Districts' buses: with bus positions, each loaded bus is split between the
    /// districts by its nearby demand (the base demand of the junctions nearer to it than
    /// to any other loaded bus); a bus with no demand nearby belongs to the district it
    /// stands in, and a district with no share of any bus shares its nearest bus. Without
    /// positions, loaded buses are dealt out in turn.
    fn assign_buses(&mut self, inputs: &Inputs) {
        let count = inputs.districts.len();
        let loaded: Vec<u32> = inputs
            .case
            .buses
            .iter()
            .filter(|b| b.p_load_mw > 0.0)
            .map(|b| b.id)
            .collect();
        // Per bus, per district: the weight of the district in the bus's load.
        let mut weights: BTreeMap<u32, BTreeMap<usize, f64>> = BTreeMap::new();
        if inputs.bus_position.is_empty() {
            for (k, &bus) in loaded.iter().enumerate() {
                *weights
                    .entry(bus)
                    .or_default()
                    .entry(k % count)
                    .or_default() += 1.0;
            }
            // More districts than loaded buses: the rest share in turn.
            for d in loaded.len()..count {
                if let Some(&bus) = loaded.get(d % loaded.len().max(1)) {
                    *weights.entry(bus).or_default().entry(d).or_default() += 1.0;
                }
            }
            self.guesses.push(format!(
                "no bus positions: the grid's {} loaded buses were dealt out to the districts in turn; give bus positions to place them",
                loaded.len()
            ));
        } else {
            let placed: Vec<(u32, (f64, f64))> = loaded
                .iter()
                .filter_map(|b| inputs.bus_position.get(b).map(|p| (*b, *p)))
                .collect();
            weights = self.nearby_demand(inputs, &placed);
            for &(bus, point) in &placed {
                weights
                    .entry(bus)
                    .or_insert_with(|| BTreeMap::from([(district_of(inputs, point).0, 1.0)]));
            }
            for (d, district) in inputs.districts.iter().enumerate() {
                if weights.values().any(|w| w.contains_key(&d)) {
                    continue;
                }
                let centre = district.area.centre().unwrap_or((0.0, 0.0));
                let nearest = placed
                    .iter()
                    .map(|(b, p)| (*b, distance_km(*p, centre)))
                    .min_by(|a, b| a.1.total_cmp(&b.1));
                if let Some((bus, km)) = nearest {
                    // As large a share as the bus's others on average.
                    let others = weights.entry(bus).or_default();
                    let average = others.values().sum::<f64>() / others.len().max(1) as f64;
                    others.insert(d, if average > 0.0 { average } else { 1.0 });
                    self.guesses.push(format!(
                        "district '{}' has no loaded bus near its junctions: it shares bus {bus}, {km:.1} km from its centre",
                        district.name
                    ));
                }
            }
            let unplaced: Vec<u32> = loaded
                .iter()
                .copied()
                .filter(|b| !inputs.bus_position.contains_key(b))
                .collect();
            if !unplaced.is_empty() {
                self.guesses.push(format!(
                    "{} loaded buses have no position and feed no district ({})",
                    unplaced.len(),
                    unplaced
                        .iter()
                        .take(8)
                        .map(u32::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            let shared = weights.values().filter(|w| w.len() > 1).count();
            if shared > 0 {
                self.guesses.push(format!(
                    "{shared} buses are shared between districts by the base demand of the junctions nearest to them: check the shares against the feeders' real areas"
                ));
            }
        }
        let mut district_buses = vec![Vec::new(); count];
        for (bus, by_district) in weights {
            for (d, share) in shares(&by_district) {
                district_buses[d].push((bus, share));
            }
        }
        self.district_buses = district_buses;
    }

    /// Per bus: the base demand (L/s) of each district's junctions among those nearer to
    /// it than to any other of `placed` (positive demand only).
    fn nearby_demand(
        &self,
        inputs: &Inputs,
        placed: &[(u32, (f64, f64))],
    ) -> BTreeMap<u32, BTreeMap<usize, f64>> {
        let network = &inputs.network;
        let mut weights: BTreeMap<u32, BTreeMap<usize, f64>> = BTreeMap::new();
        for (n, district) in self.junction_district.iter().enumerate() {
            let (Some(d), Some(point)) = (district, inputs.node_position[n]) else {
                continue;
            };
            let demand = network.base_demand_lps[n];
            if demand.is_nan() || demand <= 0.0 {
                continue;
            }
            let nearest = placed
                .iter()
                .map(|(b, p)| (*b, distance_km(*p, point)))
                .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
            if let Some((bus, _)) = nearest {
                *weights.entry(bus).or_default().entry(*d).or_default() += demand;
            }
        }
        weights
    }

    /// A pump's position: the middle of its two ends (or the one placed).
    fn pump_position(inputs: &Inputs, l: usize) -> Option<(f64, f64)> {
        let (a, b) = inputs.network.link_ends[l];
        match (inputs.node_position[a], inputs.node_position[b]) {
            (Some(p), Some(q)) => Some(((p.0 + q.0) / 2.0, (p.1 + q.1) / 2.0)),
            (Some(p), None) | (None, Some(p)) => Some(p),
            (None, None) => None,
        }
    }

    /// Pump stations: with a register, each pump joins the nearest listed station within
    /// [`REGISTER_MATCH_M`]; the other pumps (all of them without a register) sharing a
    /// node, or within `radius_m` of each other, form one station each.
    fn form_stations(&mut self, inputs: &Inputs, radius_m: f64) {
        let network = &inputs.network;
        let pumps: Vec<usize> = (0..network.link_ids.len())
            .filter(|&l| network.link_kinds[l] == LinkKind::Pump)
            .collect();
        let mut listed: Vec<Vec<usize>> = vec![Vec::new(); inputs.stations.len()];
        let mut unlisted = Vec::new();
        for &l in &pumps {
            let nearest = Self::pump_position(inputs, l).and_then(|p| {
                inputs
                    .stations
                    .iter()
                    .enumerate()
                    .map(|(s, station)| (s, distance_km(p, station.position) * 1000.0))
                    .filter(|(_, m)| *m <= REGISTER_MATCH_M)
                    .min_by(|a, b| a.1.total_cmp(&b.1))
            });
            match nearest {
                Some((s, _)) => listed[s].push(l),
                None => unlisted.push(l),
            }
        }
        let mut guessed_bus = Vec::new();
        for (s, station) in inputs.stations.iter().enumerate() {
            if listed[s].is_empty() {
                self.guesses.push(format!(
                    "pump station {} of the register has no pump of the network within {REGISTER_MATCH_M} m: it is left out",
                    station.id
                ));
                continue;
            }
            let district = district_of(inputs, station.position).0;
            let bus = match station.bus {
                Some(bus) => bus,
                None => self.feeder(
                    inputs,
                    &station.id,
                    Some(station.position),
                    district,
                    &mut guessed_bus,
                ),
            };
            self.stations.push(StationModel {
                id: station.id.clone(),
                name: station.name.clone(),
                pumps: std::mem::take(&mut listed[s]),
                position: Some(station.position),
                district,
                bus,
                register: Some(s),
            });
        }
        if !inputs.stations.is_empty() && !unlisted.is_empty() {
            self.guesses.push(format!(
                "{} pumps are more than {REGISTER_MATCH_M} m from every station of the register: they form stations of their own ({})",
                unlisted.len(),
                unlisted
                    .iter()
                    .take(8)
                    .map(|&l| network.link_ids[l].as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        self.group_pumps(inputs, &unlisted, radius_m, &mut guessed_bus);
        if !guessed_bus.is_empty() {
            self.guesses.push(format!(
                "without bus positions each pump station was given its district's largest bus, to check: {}",
                guessed_bus.join(", ")
            ));
        }
        let unserved = self.stations.iter().any(|s| {
            s.register
                .is_none_or(|r| inputs.stations[r].serves.is_empty())
        });
        if unserved && inputs.stations.is_empty() {
            self.guesses.push(
                "each pump station serves the district it stands in (`serves`): add the districts that lose water when it stops".to_string(),
            );
        } else if unserved {
            self.guesses.push(
                "pump stations without `serves` in the register serve the district they stand in: add the districts that lose water when they stop".to_string(),
            );
        }
    }

    /// The bus feeding a station at `position`: the nearest placed bus (reported), else
    /// district `district`'s largest (noted in `guessed`).
    fn feeder(
        &mut self,
        inputs: &Inputs,
        id: &str,
        position: Option<(f64, f64)>,
        district: usize,
        guessed: &mut Vec<String>,
    ) -> u32 {
        let nearest = position.and_then(|p| {
            inputs
                .bus_position
                .iter()
                .map(|(b, q)| (*b, distance_km(p, *q)))
                .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)))
        });
        match nearest {
            Some((bus, km)) => {
                self.guesses.push(format!(
                    "pump station {id} is fed by the nearest bus, {bus}, {km:.2} km away"
                ));
                bus
            }
            None => {
                let bus = self.largest_bus(inputs, district);
                guessed.push(format!("{id} → bus {bus}"));
                bus
            }
        }
    }

    /// Pumps sharing a node, or within `radius_m` of each other, form one station
    /// (`PS-n`) at their mean position.
    fn group_pumps(
        &mut self,
        inputs: &Inputs,
        pumps: &[usize],
        radius_m: f64,
        guessed_bus: &mut Vec<String>,
    ) {
        let network = &inputs.network;
        let at = |l: usize| Self::pump_position(inputs, l);
        // Union-find over the pumps.
        let mut parent: Vec<usize> = (0..pumps.len()).collect();
        fn root(parent: &mut [usize], mut i: usize) -> usize {
            while parent[i] != i {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }
            i
        }
        for i in 0..pumps.len() {
            for j in i + 1..pumps.len() {
                let (a, b) = (network.link_ends[pumps[i]], network.link_ends[pumps[j]]);
                let share_node = a.0 == b.0 || a.0 == b.1 || a.1 == b.0 || a.1 == b.1;
                let close = match (at(pumps[i]), at(pumps[j])) {
                    (Some(p), Some(q)) => distance_km(p, q) * 1000.0 <= radius_m,
                    _ => false,
                };
                if share_node || close {
                    let (ri, rj) = (root(&mut parent, i), root(&mut parent, j));
                    parent[ri.max(rj)] = ri.min(rj);
                }
            }
        }
        let mut groups: Vec<Vec<usize>> = Vec::new();
        let mut group_of: HashMap<usize, usize> = HashMap::new();
        for i in 0..pumps.len() {
            let r = root(&mut parent, i);
            let g = *group_of.entry(r).or_insert_with(|| {
                groups.push(Vec::new());
                groups.len() - 1
            });
            groups[g].push(pumps[i]);
        }
        let taken: std::collections::HashSet<String> =
            self.stations.iter().map(|s| s.id.clone()).collect();
        let mut number = 0;
        for links in groups {
            let points: Vec<(f64, f64)> = links.iter().filter_map(|&l| at(l)).collect();
            let position = (!points.is_empty()).then(|| {
                let n = points.len() as f64;
                (
                    points.iter().map(|p| p.0).sum::<f64>() / n,
                    points.iter().map(|p| p.1).sum::<f64>() / n,
                )
            });
            let district = match position {
                Some(p) => district_of(inputs, p).0,
                None => {
                    let suction = network.link_ends[links[0]].0;
                    self.junction_district
                        .get(suction)
                        .copied()
                        .flatten()
                        .unwrap_or(0)
                }
            };
            let id = loop {
                number += 1;
                let id = format!("PS-{number}");
                if !taken.contains(&id) {
                    break id;
                }
            };
            let bus = self.feeder(inputs, &id, position, district, guessed_bus);
            self.stations.push(StationModel {
                name: format!(
                    "Pump station at {}",
                    network.node_ids[network.link_ends[links[0]].0]
                ),
                id,
                pumps: links,
                position,
                district,
                bus,
                register: None,
            });
        }
    }

    /// The loaded bus with the largest share of district `d`'s load, or the grid's
    /// largest load.
    fn largest_bus(&self, inputs: &Inputs, d: usize) -> u32 {
        let load = |bus: u32| {
            inputs
                .case
                .buses
                .iter()
                .find(|b| b.id == bus)
                .map_or(0.0, |b| b.p_load_mw)
        };
        self.district_buses[d]
            .iter()
            .map(|&(bus, share)| (bus, share * load(bus)))
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(bus, _)| bus)
            .or_else(|| {
                inputs
                    .case
                    .buses
                    .iter()
                    .max_by(|a, b| a.p_load_mw.total_cmp(&b.p_load_mw))
                    .map(|b| b.id)
            })
            .unwrap_or(1)
    }

    /// Facilities: their district; the bus and junction the register gives, else the
    /// nearest (the district's largest bus without bus positions).
    fn place_facilities(&mut self, inputs: &Inputs) {
        let network = &inputs.network;
        for (i, facility) in inputs.facilities.iter().enumerate() {
            let (district, _) = district_of(inputs, facility.position);
            let nearest_bus = || {
                inputs
                    .bus_position
                    .iter()
                    .map(|(b, q)| (*b, distance_km(facility.position, *q)))
                    .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)))
                    .map(|(b, _)| b)
            };
            let bus = match facility.bus.or_else(nearest_bus) {
                Some(bus) => bus,
                None => {
                    self.guesses.push(format!(
                        "facility '{}' was given its district's largest bus (no bus positions)",
                        facility.name
                    ));
                    self.largest_bus(inputs, district)
                }
            };
            let nearest_junction = || {
                (0..network.node_ids.len())
                    .filter(|&n| network.node_kinds[n] == NodeKind::Junction)
                    .filter_map(|n| {
                        inputs.node_position[n].map(|p| (n, distance_km(p, facility.position)))
                    })
                    .min_by(|a, b| a.1.total_cmp(&b.1))
                    .map(|(n, _)| n)
            };
            let junction = facility.junction.unwrap_or_else(nearest_junction);
            self.facilities.push(FacilityModel {
                input: i,
                bus,
                junction,
                district,
            });
        }
    }
}

/// A bus's weights per district as shares in hundredths that add up to exactly 1 (the
/// district with the largest takes what rounding leaves); every district with a weight
/// keeps at least 0.01, so none loses its bus.
fn shares(weights: &BTreeMap<usize, f64>) -> Vec<(usize, f64)> {
    let total: f64 = weights.values().sum();
    if total.is_nan() || total <= 0.0 {
        return Vec::new();
    }
    let largest = weights
        .iter()
        .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(a.0)))
        .map_or(0, |(d, _)| *d);
    // In hundredths, so that they add up exactly.
    let mut kept: Vec<(usize, u32)> = weights
        .iter()
        .filter(|(_, w)| **w > 0.0)
        .map(|(d, w)| (*d, ((w / total * 100.0).round() as u32).max(1)))
        .collect();
    let others: u32 = kept
        .iter()
        .filter(|(d, _)| *d != largest)
        .map(|(_, h)| h)
        .sum();
    for (d, h) in &mut kept {
        if *d == largest {
            *h = 100 - others.min(99);
        }
    }
    kept.into_iter()
        .map(|(d, h)| (d, f64::from(h) / 100.0))
        .collect()
}
