//! The validators of the sections that name other things: pump stations (pumps, a bus,
//! districts), facilities, crews, outage groups, restoration settings.

use super::compile::Compiler;
use super::manifest::{CrewEntry, FacilityEntry, GroupEntry, RestorationEntry, StationEntry};
use super::model::{
    BackupGenerator, Crew, Facility, FacilityKind, OutageGroup, PRIORITY_MAX, PumpStation,
    REPAIR_KINDS, Restoration, Skill, WEIGHT_KINDS,
};
use crate::source::suggestion;
use crate::uncertainty::Spread;
use lifeline_water::LinkKind;
use std::collections::{HashMap, HashSet};
use toml::Spanned;

/// The largest power a pump station may draw, kW (a 1 GW station is a typo).
pub const MAX_STATION_KW: f64 = 1e6;

/// The largest restoration weight (cost of an hour out per customer, facility or
/// station): beyond it costs lose their meaning in 64-bit sums.
pub const MAX_WEIGHT: f64 = 1e6;

impl Compiler<'_> {
    /// `[[pump_station]]`: pumps of the network, each in one station; the bus; the
    /// districts served; the backup generator.
    pub(super) fn pump_stations(&mut self, entries: &[StationEntry]) -> Vec<PumpStation> {
        let mut pump_owner: HashMap<String, String> = HashMap::new();
        let mut ids = HashSet::new();
        let mut stations = Vec::new();
        for s in entries {
            let id = s.id.get_ref().clone();
            if !ids.insert(id.clone()) {
                self.problem(s.id.span(), format!("pump station '{id}' is defined twice"));
            }
            if s.pumps.get_ref().is_empty() {
                self.problem(s.pumps.span(), format!("pump station '{id}' has no pumps"));
            }
            let mut pump_links = Vec::new();
            for pump in s.pumps.get_ref() {
                pump_links.extend(self.pump(&id, pump));
                if let Some(owner) = pump_owner.insert(pump.get_ref().clone(), id.clone()) {
                    self.problem(
                        pump.span(),
                        format!(
                            "pump '{}' is already in pump station '{owner}'",
                            pump.get_ref()
                        ),
                    );
                }
            }
            let bus_position = self.bus(&s.bus, &format!("pump station '{id}'"));
            let power_kw = match &s.power_kw {
                Some(power_kw) => {
                    let kw = *power_kw.get_ref();
                    if !(kw.is_finite() && kw > 0.0 && kw <= MAX_STATION_KW) {
                        self.problem(
                            power_kw.span(),
                            format!("pump station '{id}': power_kw must be above 0 and at most {MAX_STATION_KW} kW, got {kw}"),
                        );
                    }
                    kw
                }
                None => self.power_from_pumps(&id, s, &pump_links),
            };
            let serves = s
                .serves
                .iter()
                .filter_map(|name| self.district(name, &format!("pump station '{id}' serves")))
                .collect();
            if s.serves.is_empty() {
                self.warning(
                    s.id.span(),
                    format!("pump station '{id}' has no serves: no district is known to depend on it, so restoration plans cannot weigh its water and the map cannot place it"),
                );
            }
            let backup = s
                .backup
                .as_ref()
                .map(|b| self.backup(&format!("pump station '{id}'"), b));
            let position = s
                .position
                .as_ref()
                .and_then(|p| self.position(&format!("pump station '{id}'"), p));
            stations.push(PumpStation {
                name: s.name.clone().unwrap_or_else(|| id.clone()),
                id,
                pumps: s
                    .pumps
                    .get_ref()
                    .iter()
                    .map(|p| p.get_ref().clone())
                    .collect(),
                bus: *s.bus.get_ref(),
                bus_position: bus_position.unwrap_or(0),
                pump_links,
                power_kw,
                serves,
                backup,
                position,
            });
        }
        stations
    }

    /// A station's power when `power_kw` is not given: the sum of its pumps' design
    /// power from the .inp ([`lifeline_water::NetworkInfo::pump_design_kw`]), or a problem
    /// naming a pump the file says too little about.
    fn power_from_pumps(&mut self, id: &str, s: &StationEntry, pump_links: &[usize]) -> f64 {
        let Some(network) = self.network.as_ref() else {
            return 0.0;
        };
        let unknown: Vec<&str> = pump_links
            .iter()
            .filter(|&&l| network.pump_design_kw[l].is_none())
            .map(|&l| network.link_ids[l].as_str())
            .collect();
        if !unknown.is_empty() {
            let message = format!(
                "pump station '{id}': no power_kw, and the water network gives no head curve or power for pump {}: give power_kw (kW)",
                unknown.join(", ")
            );
            self.problem(s.id.span(), message);
            return 0.0;
        }
        pump_links
            .iter()
            .filter_map(|&l| network.pump_design_kw[l])
            .sum()
    }

    /// The link of pump `pump` of station `id`, if it is a pump of the network.
    fn pump(&mut self, id: &str, pump: &Spanned<String>) -> Option<usize> {
        let network = self.network.as_ref()?;
        let pump_id = pump.get_ref();
        let message = match network.link(pump_id) {
            Ok(link) if network.link_kinds[link] == LinkKind::Pump => return Some(link),
            Ok(_) => format!("pump station '{id}': link '{pump_id}' is not a pump"),
            Err(_) => format!(
                "pump station '{id}': pump '{pump_id}' is not in the water network{}",
                suggestion(pump_id, network.link_ids.iter().map(String::as_str))
            ),
        };
        self.problem(pump.span(), message);
        None
    }

    /// A `position = [longitude, latitude]`, checked to be within ±180° and ±90°.
    fn position(&mut self, what: &str, position: &Spanned<[f64; 2]>) -> Option<(f64, f64)> {
        let [lon, lat] = *position.get_ref();
        if lon.is_finite() && lat.is_finite() && lon.abs() <= 180.0 && lat.abs() <= 90.0 {
            Some((lon, lat))
        } else {
            self.problem(
                position.span(),
                format!("{what}: position must be [longitude, latitude] in degrees, got [{lon}, {lat}]; positions in a projected system must be converted (city init does so from the system's code)"),
            );
            None
        }
    }

    /// A station's or facility's `backup`; `what` names its owner.
    fn backup(
        &mut self,
        what: &str,
        entry: &Spanned<super::manifest::BackupEntry>,
    ) -> BackupGenerator {
        let b = entry.get_ref();
        let max_h = crate::scenario::MAX_HOURS;
        let finite = b.kw.is_finite() && b.fuel_hours.is_finite() && b.start_delay_min.is_finite();
        if !(finite
            && b.kw > 0.0
            && (0.0..=max_h).contains(&b.fuel_hours)
            && (0.0..=max_h * 60.0).contains(&b.start_delay_min))
        {
            self.problem(
                entry.span(),
                format!("{what}: backup needs a finite kw > 0, fuel_hours from 0 to {max_h} and start_delay_min from 0 to {} (a year)", max_h * 60.0),
            );
        }
        BackupGenerator {
            kw: b.kw,
            fuel_hours: b.fuel_hours,
            start_delay_h: b.start_delay_min / 60.0,
        }
    }

    /// `[[facility]]`: kind, bus, junction, district, priority.
    pub(super) fn facilities(&mut self, entries: &[FacilityEntry]) -> Vec<Facility> {
        let mut facilities = Vec::new();
        let mut ids = HashSet::new();
        for f in entries {
            let id = f.id.get_ref().clone();
            if !ids.insert(id.clone()) {
                self.problem(f.id.span(), format!("facility '{id}' is defined twice"));
            }
            let kind = match f.kind.get_ref().as_str() {
                "hospital" => FacilityKind::Hospital,
                "water_treatment" => FacilityKind::WaterTreatment,
                "heat_plant" => FacilityKind::HeatPlant,
                "other" => FacilityKind::Other,
                other => {
                    self.problem(
                        f.kind.span(),
                        format!("facility '{id}': kind '{other}' is unknown: expected hospital, water_treatment, heat_plant or other"),
                    );
                    FacilityKind::Other
                }
            };
            let bus_position = self.bus(&f.bus, &format!("facility '{id}'"));
            let junction = f.junction.as_ref().and_then(|j| self.junction(&id, j));
            let district = f
                .district
                .as_ref()
                .and_then(|d| self.district(d, &format!("facility '{id}'")));
            if f.district.is_none() {
                self.warning(
                    f.id.span(),
                    format!("facility '{id}' has no district: the map cannot place it and crews' travel to it is not counted"),
                );
            }
            let priority = *f.priority.get_ref();
            if !(1..=PRIORITY_MAX).contains(&priority) {
                self.problem(
                    f.priority.span(),
                    format!("facility '{id}': priority must be 1, 2 or 3 (3 is shed last)"),
                );
            }
            let powers = f
                .powers
                .iter()
                .flat_map(|source| self.powered_source(&id, source))
                .collect();
            let backup = f
                .backup
                .as_ref()
                .map(|b| self.backup(&format!("facility '{id}'"), b));
            let position = f
                .position
                .as_ref()
                .and_then(|p| self.position(&format!("facility '{id}'"), p));
            facilities.push(Facility {
                name: f.name.clone().unwrap_or_else(|| id.clone()),
                id,
                kind,
                bus: *f.bus.get_ref(),
                bus_position: bus_position.unwrap_or(0),
                junction,
                district,
                priority,
                powers,
                backup,
                position,
            });
        }
        facilities
    }

    /// The water links facility `id` holds closed while dark for `source`: a pump or a
    /// valve, or every link of a reservoir.
    fn powered_source(&mut self, id: &str, source: &Spanned<String>) -> Vec<usize> {
        let Some(network) = self.network.as_ref() else {
            return Vec::new();
        };
        let name = source.get_ref();
        if let Ok(link) = network.link(name) {
            return match network.link_kinds[link] {
                LinkKind::Pump | LinkKind::Valve => vec![link],
                LinkKind::Pipe | LinkKind::CvPipe => {
                    self.problem(
                        source.span(),
                        format!("facility '{id}' powers '{name}', a pipe: expected a pump, a valve or a reservoir"),
                    );
                    Vec::new()
                }
            };
        }
        match network.node(name) {
            Ok(node) if network.node_kinds[node] == lifeline_water::NodeKind::Reservoir => (0
                ..network.link_count())
                .filter(|&l| network.link_ends[l].0 == node || network.link_ends[l].1 == node)
                .collect(),
            Ok(_) => {
                self.problem(
                    source.span(),
                    format!("facility '{id}' powers '{name}', a junction or tank: expected a pump, a valve or a reservoir"),
                );
                Vec::new()
            }
            Err(_) => {
                let names = network
                    .link_ids
                    .iter()
                    .chain(&network.node_ids)
                    .map(String::as_str);
                self.problem(
                    source.span(),
                    format!(
                        "facility '{id}' powers '{name}', which is not in the water network{}",
                        suggestion(name, names)
                    ),
                );
                Vec::new()
            }
        }
    }

    /// The node of facility `id`'s junction, if it is in the network.
    fn junction(&mut self, id: &str, junction: &Spanned<String>) -> Option<usize> {
        let network = self.network.as_ref()?;
        match network.node(junction.get_ref()) {
            Ok(node) => Some(node),
            Err(_) => {
                let message = format!(
                    "facility '{id}': junction '{}' is not in the water network{}",
                    junction.get_ref(),
                    suggestion(
                        junction.get_ref(),
                        network.node_ids.iter().map(String::as_str)
                    )
                );
                self.problem(junction.span(), message);
                None
            }
        }
    }

    /// `[[crew]]`: skills and depot.
    pub(super) fn crews(&mut self, entries: &[CrewEntry]) -> Vec<Crew> {
        let mut crews: Vec<Crew> = Vec::new();
        let mut seen: Vec<&str> = Vec::new();
        for c in entries {
            let id = c.id.get_ref().clone();
            if seen.contains(&id.as_str()) {
                self.problem(c.id.span(), format!("crew '{id}' is defined twice"));
            }
            seen.push(c.id.get_ref());
            let mut skills = Vec::new();
            for s in &c.skills {
                match s.get_ref().as_str() {
                    "power" => skills.push(Skill::Power),
                    "water" => skills.push(Skill::Water),
                    other => self.problem(
                        s.span(),
                        format!("crew '{id}': skill '{other}' is unknown: expected power or water"),
                    ),
                }
            }
            if let Some(depot) = self.district(&c.depot, &format!("crew '{id}' depot")) {
                crews.push(Crew { id, skills, depot });
            }
        }
        crews
    }

    /// `[[outage_group]]`: each district's customers split among groups, shares adding
    /// to 1.
    pub(super) fn outage_groups(&mut self, entries: &[GroupEntry]) -> Vec<OutageGroup> {
        let mut groups = Vec::new();
        let mut district_share = vec![0.0; self.district_names.len()];
        for (k, g) in entries.iter().enumerate() {
            let id = g.id.get_ref().clone();
            if entries[..k]
                .iter()
                .any(|earlier| earlier.id.get_ref() == &id)
            {
                self.problem(
                    g.id.span(),
                    format!("outage group '{id}' is defined twice (one calendar would replace the other)"),
                );
            }
            let mut shares = Vec::new();
            for (name, &share) in g.shares.get_ref() {
                let Some(d) = self.district_names.iter().position(|n| n == name) else {
                    let message = format!(
                        "outage group '{id}': district '{name}' is not in this file{}",
                        suggestion(name, self.district_names.iter().map(String::as_str))
                    );
                    self.problem(g.shares.span(), message);
                    continue;
                };
                if !(share > 0.0 && share <= 1.0) {
                    self.problem(
                        g.shares.span(),
                        format!("outage group '{id}': share {share} of '{name}' must be in (0, 1]"),
                    );
                }
                district_share[d] += share;
                shares.push((d, share));
            }
            groups.push(OutageGroup { id, shares });
        }
        if !entries.is_empty() {
            for (d, total) in district_share.iter().enumerate() {
                if (total - 1.0).abs() > 1e-6 {
                    let message = format!(
                        "district '{}': its outage-group shares add up to {total}, expected 1",
                        self.district_names[d]
                    );
                    self.problem_in_file(message);
                }
            }
        }
        groups
    }

    /// `timezone`: an IANA time zone name.
    pub(super) fn timezone(&mut self, zone: &Spanned<String>) {
        if zone.get_ref().parse::<chrono_tz::Tz>().is_err() {
            let names = chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name());
            let message = format!(
                "timezone '{}' is not an IANA time zone name (like Europe/Kyiv){}",
                zone.get_ref(),
                suggestion(zone.get_ref(), names)
            );
            self.problem(zone.span(), message);
        }
    }

    /// `[restoration]`: travel speed, repair times and weights over the defaults.
    pub(super) fn restoration(&mut self, entry: Option<&Spanned<RestorationEntry>>) -> Restoration {
        let mut restoration = Restoration::default();
        let Some(entry) = entry else {
            return restoration;
        };
        let span = entry.span();
        let r = entry.get_ref();
        if let Some(kmh) = r.travel_kmh {
            if kmh.is_finite() && kmh >= 0.0 {
                restoration.travel_kmh = kmh;
            } else {
                self.problem(
                    span.clone(),
                    format!("restoration: travel_kmh must be 0 or more, got {kmh}"),
                );
            }
        }
        for (kind, value) in &r.repair_h {
            if let Some(spread) = self.kind_duration("repair_h", kind, value) {
                restoration.repair_h.insert(kind.clone(), spread.median_h);
                if !spread.is_fixed() {
                    restoration.uncertainty.repair.insert(kind.clone(), spread);
                }
            }
        }
        for (kind, value) in &r.destroyed_repair_h {
            if let Some(spread) = self.kind_duration("destroyed_repair_h", kind, value) {
                restoration
                    .uncertainty
                    .destroyed_repair
                    .insert(kind.clone(), spread);
            }
        }
        for (kind, probability) in &r.destroyed_probability {
            let p = *probability.get_ref();
            if !self.repair_kind("destroyed_probability", kind, probability.span()) {
                continue;
            }
            if (0.0..=1.0).contains(&p) {
                restoration
                    .uncertainty
                    .destroyed_probability
                    .insert(kind.clone(), p);
            } else {
                self.problem(
                    probability.span(),
                    format!(
                        "restoration: destroyed_probability for '{kind}' must be from 0 to 1, got {}",
                        lifeline_core::number::shortest(p)
                    ),
                );
            }
        }
        if let Some(delay) = &r.start_delay_h {
            match Spread::parse(delay.get_ref()) {
                Ok(spread) => restoration.uncertainty.start_delay = Some(spread),
                Err(message) => {
                    self.problem(
                        delay.span(),
                        format!("restoration: start_delay_h: {message}"),
                    );
                }
            }
        }
        for (kind, &weight) in &r.weights {
            if !WEIGHT_KINDS.contains(&kind.as_str()) {
                self.problem(
                    span.clone(),
                    format!(
                        "restoration: weight for '{kind}': expected one of {}{}",
                        WEIGHT_KINDS.join(", "),
                        suggestion(kind, WEIGHT_KINDS)
                    ),
                );
            } else if !(weight.is_finite() && (0.0..=MAX_WEIGHT).contains(&weight)) {
                self.problem(
                    span.clone(),
                    format!(
                        "restoration: weight for '{kind}' must be from 0 to {MAX_WEIGHT:e}, got {}",
                        lifeline_core::number::shortest(weight)
                    ),
                );
            } else {
                restoration.weights.insert(kind.clone(), weight);
            }
        }
        restoration
    }

    /// Whether `kind` names an asset kind with a repair time (a problem at `span` if not).
    fn repair_kind(&mut self, key: &str, kind: &str, span: std::ops::Range<usize>) -> bool {
        if REPAIR_KINDS.contains(&kind) {
            return true;
        }
        self.problem(
            span,
            format!(
                "restoration: {key} for '{kind}': expected one of {}{}",
                REPAIR_KINDS.join(", "),
                suggestion(kind, REPAIR_KINDS)
            ),
        );
        false
    }

    /// A duration of `[restoration] key` for `kind` (a number or `{ median, p90 }`).
    fn kind_duration(
        &mut self,
        key: &str,
        kind: &str,
        value: &Spanned<toml::Value>,
    ) -> Option<Spread> {
        if !self.repair_kind(key, kind, value.span()) {
            return None;
        }
        match Spread::parse(value.get_ref()) {
            Ok(spread) => Some(spread),
            Err(message) => {
                self.problem(
                    value.span(),
                    format!("restoration: {key} for '{kind}': {message}"),
                );
                None
            }
        }
    }
}
