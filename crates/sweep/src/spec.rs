//! What a sweep runs: the scenario family, the target classes, the shard, the what-ifs.

use crate::error::{SweepError, invalid};
use lifeline_cascade::City;
use lifeline_cascade::city::BackupGenerator;
use lifeline_cascade::scenario::{AssetId, parse_asset};
use lifeline_core::AssetKind;
use serde::{Deserialize, Serialize};

/// The family of scenarios.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    /// Every target alone.
    #[serde(rename = "n-1")]
    N1,
    /// Every pair of targets.
    #[serde(rename = "n-2")]
    N2,
    /// `samples` scenarios of `strikes` distinct targets drawn uniformly from the seed.
    Random,
}

impl Family {
    /// `n-1`, `n-2` or `random`.
    pub fn parse(text: &str) -> Result<Self, SweepError> {
        match text {
            "n-1" => Ok(Self::N1),
            "n-2" => Ok(Self::N2),
            "random" => Ok(Self::Random),
            _ => Err(invalid(
                "scenarios",
                format!("expected n-1, n-2 or random, got '{text}'"),
            )),
        }
    }
}

/// A class of assets that can be struck.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Target {
    /// Substations: every bus of the grid.
    Substations,
    /// Lines and transformers in service.
    Lines,
    /// Generating units in service.
    Plants,
    /// The city's pump stations.
    PumpStations,
}

/// Every target class with its asset kind.
pub const TARGETS: [(Target, AssetKind); 4] = [
    (Target::Substations, AssetKind::Bus),
    (Target::Lines, AssetKind::Branch),
    (Target::Plants, AssetKind::Generator),
    (Target::PumpStations, AssetKind::PumpStation),
];

/// The target classes' names, comma-separated.
fn names() -> String {
    TARGETS.map(|(_, kind)| kind.class_name()).join(", ")
}

impl Target {
    /// Its name: the plural class name of its asset kind (`substations`, `lines`,
    /// `plants`, `pump-stations`).
    pub fn name(self) -> &'static str {
        self.kind().class_name()
    }

    /// The kind of the assets of this class.
    pub fn kind(self) -> AssetKind {
        match self {
            Self::Substations => AssetKind::Bus,
            Self::Lines => AssetKind::Branch,
            Self::Plants => AssetKind::Generator,
            Self::PumpStations => AssetKind::PumpStation,
        }
    }

    /// Target classes from a comma-separated list of asset kinds, by class name
    /// (`substations,lines,plants,pump-stations`) or by any name of the kind in
    /// [`lifeline_core::asset`] (`bus`, `branch`, `gen`, `pump_station`, …); any subset,
    /// any order; each once, in this order.
    pub fn parse_list(text: &str) -> Result<Vec<Self>, SweepError> {
        let mut targets = Vec::new();
        for name in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let kind = AssetKind::from_name(name);
            let Some(&(target, _)) = TARGETS.iter().find(|(_, k)| Some(*k) == kind) else {
                return Err(invalid(
                    "targets",
                    format!(
                        "unknown target class '{name}'; expected a list of {}",
                        names()
                    ),
                ));
            };
            if !targets.contains(&target) {
                targets.push(target);
            }
        }
        if targets.is_empty() {
            return Err(invalid(
                "targets",
                format!("give at least one of {}", names()),
            ));
        }
        targets.sort();
        Ok(targets)
    }

    /// The assets of this class in `city`, in file order.
    pub fn assets(self, city: &City) -> Vec<AssetId> {
        match self {
            Self::Substations => city.case.buses.iter().map(|b| AssetId::Bus(b.id)).collect(),
            Self::Lines => (0..city.case.branches.len())
                .filter(|&b| city.case.branches[b].in_service)
                .map(AssetId::Branch)
                .collect(),
            Self::Plants => (0..city.case.generators.len())
                .filter(|&g| city.case.generators[g].in_service)
                .map(AssetId::Generator)
                .collect(),
            Self::PumpStations => city
                .pump_stations
                .iter()
                .map(|s| AssetId::PumpStation(s.id.clone()))
                .collect(),
        }
    }
}

/// A shard of a sweep: its scenarios are [`Shard::range`] of the sweep's.
pub use lifeline_core::shard::Shard;

/// A change to the city or the strikes, to see what it saves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum WhatIf {
    /// A backup generator at a pump station (replacing any it has).
    BackupGenerator {
        /// The pump station's id.
        station: String,
        /// Rated power, kW.
        kw: f64,
        /// Fuel, hours of running.
        hours: f64,
    },
    /// An asset protected so that strikes on it do nothing.
    Harden {
        /// The asset (written `KIND:ID`).
        asset: AssetId,
    },
}

impl WhatIf {
    /// `backup-generator=PUMP_STATION_ID:KW:HOURS` or `harden=ASSET_ID`, checked against
    /// `city`.
    pub fn parse(text: &str, city: &City) -> Result<Self, SweepError> {
        let invalid = |why: String| invalid("what_if", format!("'{text}': {why}"));
        let (kind, value) = text.split_once('=').ok_or_else(|| {
            invalid("expected backup-generator=PUMP_STATION_ID:KW:HOURS or harden=ASSET_ID".into())
        })?;
        match kind.trim() {
            "backup-generator" => {
                let parts: Vec<&str> = value.split(':').map(str::trim).collect();
                let [station, kw, hours] = parts[..] else {
                    return Err(invalid(
                        "expected PUMP_STATION_ID:KW:HOURS, e.g. E-1:400:24".into(),
                    ));
                };
                if !city.pump_stations.iter().any(|s| s.id == station) {
                    let known: Vec<&str> =
                        city.pump_stations.iter().map(|s| s.id.as_str()).collect();
                    return Err(invalid(format!(
                        "no pump station '{station}' in the city; pump stations: {}",
                        known.join(", ")
                    )));
                }
                let number = |value: &str, what: &str| {
                    value
                        .parse::<f64>()
                        .ok()
                        .filter(|v| v.is_finite() && *v > 0.0)
                        .ok_or_else(|| {
                            invalid(format!("{what} must be a positive number, got '{value}'"))
                        })
                };
                Ok(Self::BackupGenerator {
                    station: station.to_string(),
                    kw: number(kw, "KW")?,
                    hours: number(hours, "HOURS")?.min(lifeline_cascade::scenario::MAX_HOURS),
                })
            }
            "harden" => {
                let asset = parse_asset(value.trim(), city).map_err(invalid)?;
                Ok(Self::Harden { asset })
            }
            other => Err(invalid(format!(
                "unknown what-if '{other}'; expected backup-generator or harden"
            ))),
        }
    }

    /// `city` with this change made (hardening changes the strikes, not the city).
    pub fn apply(&self, city: &mut City) {
        if let Self::BackupGenerator { station, kw, hours } = self
            && let Some(s) = city.pump_stations.iter_mut().find(|s| &s.id == station)
        {
            s.backup = Some(BackupGenerator {
                kw: *kw,
                fuel_hours: *hours,
                start_delay_h: 0.0,
            });
        }
    }

    /// The asset it hardens, if it is a hardening.
    pub fn hardened(&self) -> Option<&AssetId> {
        match self {
            Self::Harden { asset } => Some(asset),
            Self::BackupGenerator { .. } => None,
        }
    }
}

/// A sweep, as written into its results so that shards can be checked and merged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sweep {
    /// The city's name.
    pub city: String,
    /// The scenario family.
    pub scenarios: Family,
    /// Target classes.
    pub targets: Vec<Target>,
    /// Assets per scenario (`random` only).
    pub strikes: usize,
    /// Scenarios drawn (`random` only).
    pub samples: u64,
    /// The seed of `random`.
    pub seed: u64,
    /// The horizon, strike time and repair time (written flat: `hours`, `at_h`,
    /// `repair_h`).
    #[serde(flatten)]
    pub timing: Timing,
    /// Changes made before running.
    pub what_if: Vec<WhatIf>,
    /// Scenarios in the whole sweep (all shards).
    pub scenarios_total: u64,
    /// This file's shard.
    pub shard: Option<Shard>,
}

/// When a sweep's strikes land and how long they last.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Timing {
    /// The horizon of each cascade, h.
    pub hours: f64,
    /// When every strike lands, h from the start (0: at once; absent in files that
    /// predate it).
    #[serde(default)]
    pub at_h: f64,
    /// Every repair's duration, h; `None`: the city's `[restoration] repair_h` for the
    /// asset's kind.
    #[serde(default)]
    pub repair_h: Option<f64>,
}

impl Timing {
    /// Strikes at once, the city's repair times, over `hours`.
    pub const fn over(hours: f64) -> Self {
        Self {
            hours,
            at_h: 0.0,
            repair_h: None,
        }
    }

    /// Refuses a horizon, strike time or repair time the cascade cannot run, naming the
    /// field.
    pub fn check(&self) -> Result<(), SweepError> {
        let max = lifeline_cascade::scenario::MAX_HOURS;
        let Self {
            hours,
            at_h,
            repair_h,
        } = *self;
        if !(hours.is_finite() && hours > 0.0 && hours <= max) {
            return Err(invalid(
                "hours",
                format!("must be more than 0 and at most {max} (a year), got {hours}"),
            ));
        }
        if !(at_h.is_finite() && at_h >= 0.0 && at_h < hours) {
            return Err(invalid(
                "at_h",
                format!("must be at least 0 and less than the horizon ({hours} h), got {at_h}"),
            ));
        }
        if let Some(repair_h) = repair_h
            && !(repair_h.is_finite() && repair_h > 0.0 && repair_h <= max)
        {
            return Err(invalid(
                "repair_h",
                format!("must be more than 0 and at most {max} (a year), got {repair_h}"),
            ));
        }
        Ok(())
    }
}
