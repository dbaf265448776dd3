//! One vocabulary for the assets of a city: [`AssetKind`] and [`AssetId`], written
//! `KIND:ID` everywhere — scenario files, sweeps, restoration plans, the HTTP API, the
//! incident registry's asset links and the dashboard.
//!
//! | kind | id | e.g. |
//! |---|---|---|
//! | `bus` (a substation) | the bus number of the grid file | `bus:12` |
//! | `branch` (a line or transformer) | its row in `mpc.branch`, from 1 | `branch:41` |
//! | `gen` (a generating unit) | its row in `mpc.gen`, from 1 | `gen:3` |
//! | `pump_station` | the city's id | `pump_station:E-1` |
//! | `pipe` | the EPANET id | `pipe:P-102` |
//! | `tank` | the EPANET id | `tank:T1` |
//! | `facility` | the city's id | `facility:H-1` |
//!
//! Parsing here is syntax only; whether the asset exists is the city model's question.
//! Other names are accepted as documented aliases of a kind: `generator`, and the plural
//! class names of sweeps (`substations`, `lines`, `plants`, `pump-stations`, …); the
//! canonical name is always the one written back.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// What kind of thing an asset is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AssetKind {
    /// A substation: a bus of the grid with its load.
    Bus,
    /// A line or transformer.
    Branch,
    /// A generating unit.
    Generator,
    /// A pump station of the city.
    PumpStation,
    /// A pipe of the water network.
    Pipe,
    /// A tank of the water network.
    Tank,
    /// A critical facility of the city (a hospital, a treatment works, …).
    Facility,
}

/// Every kind with its canonical name and its aliases (plural class names first).
const NAMES: [(AssetKind, &str, &[&str]); 7] = [
    (
        AssetKind::Bus,
        "bus",
        &["substations", "substation", "buses"],
    ),
    (AssetKind::Branch, "branch", &["lines", "line", "branches"]),
    (
        AssetKind::Generator,
        "gen",
        &["plants", "plant", "generator", "generators", "gens"],
    ),
    (
        AssetKind::PumpStation,
        "pump_station",
        &["pump-stations", "pump_stations", "pump-station"],
    ),
    (AssetKind::Pipe, "pipe", &["pipes"]),
    (AssetKind::Tank, "tank", &["tanks"]),
    (AssetKind::Facility, "facility", &["facilities"]),
];

impl AssetKind {
    /// Every kind, in the order of this module's table.
    pub const ALL: [AssetKind; 7] = [
        AssetKind::Bus,
        AssetKind::Branch,
        AssetKind::Generator,
        AssetKind::PumpStation,
        AssetKind::Pipe,
        AssetKind::Tank,
        AssetKind::Facility,
    ];

    /// The kinds a strike may hit (every kind but `facility`: a facility is out when the
    /// bus or the water that feeds it is).
    pub const STRUCK: [AssetKind; 6] = [
        AssetKind::Bus,
        AssetKind::Branch,
        AssetKind::Generator,
        AssetKind::PumpStation,
        AssetKind::Pipe,
        AssetKind::Tank,
    ];

    /// The canonical name: `bus`, `branch`, `gen`, `pump_station`, `pipe`, `tank`,
    /// `facility`.
    pub fn name(self) -> &'static str {
        NAMES[self as usize].1
    }

    /// The plural class name sweeps use (`substations`, `lines`, `plants`,
    /// `pump-stations`, `pipes`, `tanks`, `facilities`).
    pub fn class_name(self) -> &'static str {
        NAMES[self as usize].2[0]
    }

    /// The kind named `name`, canonical or alias (exact, case-sensitive).
    pub fn from_name(name: &str) -> Option<AssetKind> {
        NAMES
            .iter()
            .find(|(_, canonical, aliases)| *canonical == name || aliases.contains(&name))
            .map(|(kind, _, _)| *kind)
    }

    /// Whether assets of this kind belong to the grid (else to the water network or the
    /// city's facilities).
    pub fn is_power(self) -> bool {
        matches!(
            self,
            AssetKind::Bus | AssetKind::Branch | AssetKind::Generator
        )
    }

    /// The canonical names of `kinds`, comma-separated (for messages).
    pub fn list(kinds: &[AssetKind]) -> String {
        kinds
            .iter()
            .map(|kind| kind.name())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl fmt::Display for AssetKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An asset of a city, by kind and id. Written `KIND:ID` (see the module's table); grid
/// rows are held 0-based and written 1-based.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AssetId {
    /// A substation, by bus number.
    Bus(u32),
    /// A line or transformer: 0-based position in `mpc.branch` (written 1-based).
    Branch(usize),
    /// A generator: 0-based position in `mpc.gen` (written 1-based).
    Generator(usize),
    /// A pump station, by the city's id.
    PumpStation(String),
    /// A pipe, by EPANET id.
    Pipe(String),
    /// A tank, by EPANET id.
    Tank(String),
    /// A facility, by the city's id.
    Facility(String),
}

impl AssetId {
    /// Its kind.
    pub fn kind(&self) -> AssetKind {
        match self {
            AssetId::Bus(_) => AssetKind::Bus,
            AssetId::Branch(_) => AssetKind::Branch,
            AssetId::Generator(_) => AssetKind::Generator,
            AssetId::PumpStation(_) => AssetKind::PumpStation,
            AssetId::Pipe(_) => AssetKind::Pipe,
            AssetId::Tank(_) => AssetKind::Tank,
            AssetId::Facility(_) => AssetKind::Facility,
        }
    }

    /// Whether the asset belongs to the grid.
    pub fn is_power(&self) -> bool {
        self.kind().is_power()
    }

    /// The asset of `kind` with the id as written (`12`, `41`, `E-1`), or why not.
    pub fn new(kind: AssetKind, id: &str) -> Result<AssetId, AssetIdError> {
        let id = id.trim();
        if id.is_empty() {
            return Err(AssetIdError::EmptyId { kind });
        }
        let row = || match id.parse::<usize>() {
            Ok(n) if n >= 1 => Ok(n - 1),
            _ => Err(AssetIdError::NotARow {
                kind,
                id: id.to_string(),
            }),
        };
        Ok(match kind {
            AssetKind::Bus => AssetId::Bus(
                id.parse()
                    .map_err(|_| AssetIdError::NotABus { id: id.to_string() })?,
            ),
            AssetKind::Branch => AssetId::Branch(row()?),
            AssetKind::Generator => AssetId::Generator(row()?),
            AssetKind::PumpStation => AssetId::PumpStation(id.to_string()),
            AssetKind::Pipe => AssetId::Pipe(id.to_string()),
            AssetKind::Tank => AssetId::Tank(id.to_string()),
            AssetKind::Facility => AssetId::Facility(id.to_string()),
        })
    }

    /// The id part as written (`12`, `41` for the 41st row, `E-1`).
    pub fn id_text(&self) -> String {
        match self {
            AssetId::Bus(bus) => bus.to_string(),
            AssetId::Branch(row) | AssetId::Generator(row) => (row + 1).to_string(),
            AssetId::PumpStation(id)
            | AssetId::Pipe(id)
            | AssetId::Tank(id)
            | AssetId::Facility(id) => id.clone(),
        }
    }
}

impl fmt::Display for AssetId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.kind().name(), self.id_text())
    }
}

/// Why text is not an asset id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AssetIdError {
    /// No `:` between kind and id.
    #[error("expected KIND:ID with KIND one of {}, e.g. bus:12 or pump_station:PS-3", AssetKind::list(&AssetKind::ALL))]
    NoColon,
    /// The kind is not one of ours.
    #[error("kind '{kind}' is unknown: expected one of {}", AssetKind::list(&AssetKind::ALL))]
    UnknownKind {
        /// The kind as written.
        kind: String,
    },
    /// Nothing after the `:`.
    #[error("{kind} has no id after the ':'")]
    EmptyId {
        /// The kind.
        kind: AssetKind,
    },
    /// A bus id that is not a bus number.
    #[error("bus '{id}' is not a bus number")]
    NotABus {
        /// The id as written.
        id: String,
    },
    /// A branch or generator id that is not a row number from 1.
    #[error("{kind} '{id}' must be a row number of the grid file, from 1")]
    NotARow {
        /// The kind.
        kind: AssetKind,
        /// The id as written.
        id: String,
    },
}

impl FromStr for AssetId {
    type Err = AssetIdError;

    /// Parses `KIND:ID` (spaces around either part are ignored; aliases of the kind
    /// are accepted).
    fn from_str(text: &str) -> Result<AssetId, AssetIdError> {
        let (kind, id) = text.split_once(':').ok_or(AssetIdError::NoColon)?;
        let kind = kind.trim();
        let kind = AssetKind::from_name(kind).ok_or_else(|| AssetIdError::UnknownKind {
            kind: kind.to_string(),
        })?;
        AssetId::new(kind, id)
    }
}

impl Serialize for AssetId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for AssetId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<AssetId, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse()
            .map_err(|e| serde::de::Error::custom(format!("asset '{text}': {e}")))
    }
}

impl Serialize for AssetKind {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for AssetKind {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<AssetKind, D::Error> {
        let text = String::deserialize(deserializer)?;
        AssetKind::from_name(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "asset kind '{text}' is unknown: expected one of {}",
                AssetKind::list(&AssetKind::ALL)
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_read_back_as_written() {
        for text in [
            "bus:12",
            "branch:41",
            "gen:3",
            "pump_station:E-1",
            "pipe:P 7",
            "tank:T1",
            "facility:H-1",
        ] {
            let id: AssetId = text.parse().unwrap();
            assert_eq!(id.to_string(), text);
            let json = serde_json::to_string(&id).unwrap();
            assert_eq!(json, format!("\"{text}\""));
            assert_eq!(serde_json::from_str::<AssetId>(&json).unwrap(), id);
        }
        assert_eq!("branch:41".parse::<AssetId>(), Ok(AssetId::Branch(40)));
    }

    #[test]
    fn aliases_are_written_back_canonical() {
        assert_eq!(
            "generator:2".parse::<AssetId>().unwrap().to_string(),
            "gen:2"
        );
        assert_eq!(
            " plants : 2 ".parse::<AssetId>().unwrap().to_string(),
            "gen:2"
        );
        assert_eq!(
            AssetKind::from_name("pump-stations"),
            Some(AssetKind::PumpStation)
        );
        for kind in AssetKind::ALL {
            assert_eq!(AssetKind::from_name(kind.name()), Some(kind));
            assert_eq!(AssetKind::from_name(kind.class_name()), Some(kind));
        }
    }

    #[test]
    fn bad_ids_say_what_was_expected() {
        let error = |text: &str| text.parse::<AssetId>().unwrap_err().to_string();
        assert!(error("bus12").contains("expected KIND:ID"));
        assert!(error("station:1").contains("kind 'station' is unknown"));
        assert_eq!(error("bus:x"), "bus 'x' is not a bus number");
        assert_eq!(
            error("branch:0"),
            "branch '0' must be a row number of the grid file, from 1"
        );
        assert_eq!(error("tank: "), "tank has no id after the ':'");
    }
}
