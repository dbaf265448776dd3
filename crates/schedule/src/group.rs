//! Outage groups (queues such as `3.2`) and the load each carries, MW.
//!
//! From a city: each district's load is the grid case's load on its buses (by share);
//! the critical feeders in it are exempt — each pump station's `power_kw`, and each
//! facility's load (city.toml gives none yet, so a default per kind: hospital 1.5 MW,
//! water treatment 2 MW, heat plant 1 MW, other 0.3 MW). A group's load is its shares of
//! the rest. The exempt load, and the load of districts in no group, form one critical
//! group, `critical`, never switched off. Loads are the same in every slot. From a CSV
//! file: `group,critical,load_mw`, one row per group.

use crate::csv::Table;
use crate::error::{ScheduleError, invalid};
use lifeline_cascade::City;
use lifeline_cascade::city::FacilityKind;
use serde::Serialize;

/// Id of the group that holds the exempt load of a city.
pub const CRITICAL: &str = "critical";

/// A group of customers switched off together.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    /// Id, e.g. `3.2`.
    pub id: String,
    /// Never switched off (hospitals, pump stations).
    pub critical: bool,
    /// Load, MW, ≥ 0 (in slots the profile does not cover).
    pub load_mw: f64,
    /// Load per slot, MW, when it varies (empty: `load_mw` in every slot).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub profile_mw: Vec<f64>,
}

impl Group {
    /// Load in slot `s`, MW.
    pub fn load_at(&self, s: usize) -> f64 {
        self.profile_mw.get(s).copied().unwrap_or(self.load_mw)
    }

    /// Whether the group carries load in some slot.
    pub fn carries_load(&self) -> bool {
        self.load_mw > 0.0 || self.profile_mw.iter().any(|&l| l > 0.0)
    }
}

/// The groups of `city`, with the critical group last (when it carries load).
pub fn from_city(city: &City) -> Result<Vec<Group>, ScheduleError> {
    if city.outage_groups.is_empty() {
        return Err(invalid(
            "groups",
            format!(
                "{} has no [[outage_group]]: add groups to city.toml (see docs/city.md) or give the outage groups separately as a group,critical,load_mw CSV",
                city.name
            ),
        ));
    }
    let district_of_bus = |bus: u32| city.district_of_bus(bus);
    let mut exempt_in = vec![0.0; city.districts.len()];
    for station in &city.pump_stations {
        if let Some(d) = district_of_bus(station.bus) {
            exempt_in[d] += station.power_kw / 1000.0;
        }
    }
    for facility in &city.facilities {
        if let Some(d) = facility.district.or_else(|| district_of_bus(facility.bus)) {
            exempt_in[d] += facility_load_mw(facility.kind);
        }
    }
    // Ordinary and exempt load per district, MW.
    let split: Vec<(f64, f64)> = city
        .districts
        .iter()
        .zip(&exempt_in)
        .map(|(d, &exempt)| {
            let load: f64 = d
                .buses
                .iter()
                .map(|s| s.share * city.case.buses[s.position].p_load_mw.max(0.0))
                .sum();
            let exempt = exempt.min(load);
            (load - exempt, exempt)
        })
        .collect();
    let mut grouped = vec![0.0; city.districts.len()];
    let mut groups: Vec<Group> = city
        .outage_groups
        .iter()
        .map(|g| Group {
            id: g.id.clone(),
            critical: false,
            profile_mw: Vec::new(),
            load_mw: g
                .shares
                .iter()
                .map(|&(d, share)| {
                    grouped[d] += share;
                    share * split[d].0
                })
                .sum(),
        })
        .collect();
    let exempt: f64 = split
        .iter()
        .zip(&grouped)
        .map(|(&(ordinary, exempt), &share)| exempt + (1.0 - share).max(0.0) * ordinary)
        .sum();
    if exempt > 0.0 {
        groups.push(Group {
            id: CRITICAL.into(),
            critical: true,
            load_mw: exempt,
            profile_mw: Vec::new(),
        });
    }
    Ok(groups)
}

/// The load of a facility, MW, by kind (see the module docs).
pub fn facility_load_mw(kind: FacilityKind) -> f64 {
    match kind {
        FacilityKind::Hospital => 1.5,
        FacilityKind::WaterTreatment => 2.0,
        FacilityKind::HeatPlant => 1.0,
        FacilityKind::Other => 0.3,
    }
}

/// Groups from a CSV file with the columns `group,critical,load_mw` (`critical`: `true`
/// or `false`).
pub fn from_csv(path: &str, text: &str) -> Result<Vec<Group>, ScheduleError> {
    let table = Table::parse(path, text)?;
    let (id, critical, load) = (
        table.column("group")?,
        table.column("critical")?,
        table.column("load_mw")?,
    );
    let mut groups: Vec<Group> = Vec::new();
    for row in &table.rows {
        let name = &row[id];
        if name.text.is_empty() {
            return Err(table.error(name, "group: expected an id, got nothing".into()));
        }
        if groups.iter().any(|g| g.id == name.text) {
            return Err(table.error(name, format!("group '{}' is listed twice", name.text)));
        }
        let is_critical = match row[critical].text {
            "true" | "yes" | "1" => true,
            "false" | "no" | "0" | "" => false,
            other => {
                return Err(table.error(
                    &row[critical],
                    format!("critical: expected true or false, got '{other}'"),
                ));
            }
        };
        let load_mw = table.number(&row[load], "load_mw")?;
        if load_mw < 0.0 {
            return Err(table.error(
                &row[load],
                format!("load_mw: expected 0 MW or more, got {load_mw}"),
            ));
        }
        groups.push(Group {
            id: name.text.to_string(),
            critical: is_critical,
            load_mw,
            profile_mw: Vec::new(),
        });
    }
    if groups.is_empty() {
        return Err(ScheduleError::Empty {
            path: path.to_string(),
            message: "no groups in the file".into(),
        });
    }
    Ok(groups)
}

/// Marks the groups named in `ids` critical (exempt from outages).
pub fn exempt(groups: &mut [Group], ids: &[String]) -> Result<(), ScheduleError> {
    for id in ids {
        match groups.iter_mut().find(|g| &g.id == id) {
            Some(group) => group.critical = true,
            None => {
                let known: Vec<&str> = groups.iter().map(|g| g.id.as_str()).collect();
                return Err(invalid(
                    "exempt",
                    format!("unknown group '{id}'; the groups are {}", known.join(", ")),
                ));
            }
        }
    }
    Ok(())
}

/// Sets hourly loads from a CSV of steps per group, `group,from_h,load_mw`: each value
/// holds from its hour until the group's next row (a group's first row at hour 0);
/// groups without rows keep their load.
pub fn profiles_from_csv(
    groups: &mut [Group],
    path: &str,
    text: &str,
    slots: usize,
    slot_h: f64,
) -> Result<(), ScheduleError> {
    let table = Table::parse(path, text)?;
    let (id, from, load) = (
        table.column("group")?,
        table.column("from_h")?,
        table.column("load_mw")?,
    );
    let mut steps: Vec<Vec<(f64, f64)>> = vec![Vec::new(); groups.len()];
    for row in &table.rows {
        let Some(g) = groups.iter().position(|g| g.id == row[id].text) else {
            let known: Vec<&str> = groups.iter().map(|g| g.id.as_str()).collect();
            return Err(table.error(
                &row[id],
                format!(
                    "unknown group '{}': the groups are {}",
                    row[id].text,
                    known.join(", ")
                ),
            ));
        };
        let at = table.number(&row[from], "from_h")?;
        let mw = table.number(&row[load], "load_mw")?;
        if mw < 0.0 {
            return Err(table.error(
                &row[load],
                format!("load_mw: expected 0 MW or more, got {mw}"),
            ));
        }
        match steps[g].last() {
            None if at != 0.0 => {
                return Err(table.error(
                    &row[from],
                    format!(
                        "from_h: group '{}' must start at hour 0, got {at}",
                        groups[g].id
                    ),
                ));
            }
            Some(&(previous, _)) if at <= previous => {
                return Err(table.error(
                    &row[from],
                    format!(
                        "from_h: steps of group '{}' must be in increasing time order, got {at} after {previous}",
                        groups[g].id
                    ),
                ));
            }
            _ => {}
        }
        steps[g].push((at, mw));
    }
    for (group, steps) in groups.iter_mut().zip(&steps) {
        if steps.is_empty() {
            continue;
        }
        group.profile_mw = crate::capacity::fill(steps, slots, slot_h);
        group.load_mw = group.profile_mw.iter().copied().fold(0.0, f64::max);
    }
    Ok(())
}
