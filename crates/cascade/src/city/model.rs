//! What a compiled city holds besides its grid and water network: districts, pump
//! stations, facilities, crews, outage groups, and how service and restoration are
//! judged. Every id in these types is resolved (positions in the case and the network).

use crate::uncertainty::Spread;
use lifeline_core::AssetId;
use lifeline_power::{BusId, LoadPriority};
use serde::Serialize;

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
    /// Centre of the district's outline on the map (lon, lat) in degrees, as
    /// [`lifeline_geo::Area::centre`] gives it (the area centroid of its largest ring);
    /// `None` without an outline.
    pub fn centre(&self) -> Option<(f64, f64)> {
        lifeline_geo::Area::from_geometry(self.outline.as_ref()?)?.centre()
    }
}

/// A diesel generator that can run a pump station or a facility without the grid.
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
    /// Position of that bus in the case.
    #[serde(skip)]
    pub bus_position: usize,
    /// The pumps' link indices in the water network, in the order of `pumps`.
    #[serde(skip)]
    pub pump_links: Vec<usize>,
    /// Power it draws, kW.
    pub power_kw: f64,
    /// Districts it supplies (district indices).
    pub serves: Vec<usize>,
    /// Backup generator, if any.
    pub backup: Option<BackupGenerator>,
    /// Where it stands (longitude, latitude), if the city says.
    pub position: Option<(f64, f64)>,
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
    /// Position of that bus in the case.
    #[serde(skip)]
    pub bus_position: usize,
    /// The water junction that serves it (network index).
    #[serde(skip)]
    pub junction: Option<usize>,
    /// Its district (index).
    pub district: Option<usize>,
    /// Load priority, 1–3 (3 is shed last).
    pub priority: LoadPriority,
    /// Water links held closed while it has no power (network indices): the pumps and
    /// valves it powers, and every link of the reservoirs it powers (a treatment works'
    /// or well field's output).
    #[serde(skip)]
    pub powers: Vec<usize>,
    /// Its own generator, if any.
    pub backup: Option<BackupGenerator>,
    /// Where it stands (longitude, latitude), if the city says.
    pub position: Option<(f64, f64)>,
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

impl Skill {
    /// Every skill, in declaration order.
    pub const ALL: [Skill; 2] = [Skill::Power, Skill::Water];
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
        // The ends without a power: 0^e = 0 and 1^e = 1 for the exponent's e > 0, the C
        // library's numbers too. Most junctions sit at one end or the other.
        if ratio <= 0.0 {
            0.0
        } else if ratio >= 1.0 {
            1.0
        } else {
            ratio.powf(self.exponent)
        }
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
    /// What is uncertain about repairs, for forecasts.
    pub uncertainty: Uncertainty,
}

/// Ratio of a destroyed asset's median repair to a damaged one's when the city gives none.
pub const DESTROYED_REPAIR_RATIO: f64 = 3.0;

/// What is uncertain about repairs (`[restoration]`'s distributions), for forecasts. All
/// certain by default: a city without distributions forecasts its fixed times.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Uncertainty {
    /// A damaged asset's repair by kind (its median is `repair_h`'s); fixed where not given.
    pub repair: std::collections::BTreeMap<String, Spread>,
    /// The chance that an asset reported damaged is in fact destroyed, by kind (0 where not
    /// given).
    pub destroyed_probability: std::collections::BTreeMap<String, f64>,
    /// A destroyed asset's repair by kind; where not given, [`DESTROYED_REPAIR_RATIO`] ×
    /// the damaged repair with its spread.
    pub destroyed_repair: std::collections::BTreeMap<String, Spread>,
    /// The delay before each repair starts (air-raid alerts, access), h; none if not given.
    pub start_delay: Option<Spread>,
}

impl Uncertainty {
    /// The repair of a damaged asset of `kind` whose median is `median_h`: the kind's
    /// spread around it (fixed when the kind has none).
    pub fn damaged_repair(&self, kind: &str, median_h: f64) -> Spread {
        self.repair
            .get(kind)
            .map_or(Spread::fixed(median_h), |s| s.around(median_h))
    }

    /// The repair of a destroyed asset of `kind` whose damaged repair is `damaged`.
    pub fn destroyed_repair(&self, kind: &str, damaged: Spread) -> Spread {
        self.destroyed_repair.get(kind).copied().unwrap_or_else(|| {
            damaged.around(
                (damaged.median_h * DESTROYED_REPAIR_RATIO).min(crate::uncertainty::MAX_DURATION_H),
            )
        })
    }

    /// The chance that a damaged asset of `kind` is in fact destroyed.
    pub fn destroyed_probability(&self, kind: &str) -> f64 {
        self.destroyed_probability.get(kind).copied().unwrap_or(0.0)
    }

    /// Whether nothing is uncertain: every forecast sample is the same.
    pub fn is_certain(&self) -> bool {
        self.repair.values().all(Spread::is_fixed)
            && self.destroyed_probability.values().all(|&p| p == 0.0)
            && self.start_delay.is_none()
    }
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
            uncertainty: Uncertainty::default(),
        }
    }
}

impl Restoration {
    /// The default repair time of `asset`'s kind, h, if the city gives one.
    pub fn repair_h_of(&self, asset: &AssetId) -> Option<f64> {
        self.repair_h.get(asset.kind().name()).copied()
    }

    /// The weight of `kind` (0 if unknown).
    pub fn weight(&self, kind: &str) -> f64 {
        self.weights.get(kind).copied().unwrap_or(0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::{District, WaterService};

    #[test]
    fn availability_is_wagners_relation_at_every_pressure() {
        for exponent in [0.5, 1.0, 0.75, 2.0] {
            let water = WaterService {
                min_pressure_m: 2.0,
                required_pressure_m: 22.0,
                exponent,
                without_water_below: 0.5,
            };
            let pressures = (-40..=60).map(|i| f64::from(i) * 0.5);
            for p in pressures.chain([-0.0, 1e300, -1e300, f64::INFINITY]) {
                let ratio = ((p - 2.0) / 20.0).clamp(0.0, 1.0);
                let wagner = ratio.powf(exponent);
                let got = water.availability(p);
                assert_eq!(
                    got.to_bits(),
                    wagner.to_bits(),
                    "{p} m, exponent {exponent}"
                );
            }
            assert_eq!(water.availability(12.0), 0.5f64.powf(exponent));
            assert!(water.availability(f64::NAN).is_nan());
        }
    }

    fn district(outline: serde_json::Value) -> District {
        District {
            name: "D".into(),
            population: 1,
            customers: 1,
            buses: Vec::new(),
            junctions: Vec::new(),
            junction_people: Vec::new(),
            outline: Some(outline),
        }
    }

    #[test]
    fn a_centre_is_the_area_centroid_not_the_corners_mean() {
        // An L of three unit squares: by hand, (2 × (1, 0.5) + 1 × (0.5, 1.5)) / 3.
        let l = district(serde_json::json!({"type": "Polygon", "coordinates": [[
            [0.0, 0.0], [2.0, 0.0], [2.0, 1.0], [1.0, 1.0], [1.0, 2.0], [0.0, 2.0], [0.0, 0.0]
        ]]}));
        let (x, y) = l.centre().unwrap();
        assert!((x - 2.5 / 3.0).abs() < 1e-12 && (y - 2.5 / 3.0).abs() < 1e-12);
        // A square drawn in detail along its south edge: still its middle.
        let mut ring: Vec<[f64; 2]> = (0..=20).map(|i| [f64::from(i) / 10.0, 0.0]).collect();
        ring.extend([[2.0, 2.0], [0.0, 2.0], [0.0, 0.0]]);
        let square = district(serde_json::json!({"type": "MultiPolygon", "coordinates": [
            [[[5.0, 5.0], [5.1, 5.0], [5.1, 5.1], [5.0, 5.0]]],
            [ring]
        ]}));
        let (x, y) = square.centre().unwrap();
        assert!(
            (x - 1.0).abs() < 1e-12 && (y - 1.0).abs() < 1e-12,
            "({x}, {y})"
        );
    }
}
