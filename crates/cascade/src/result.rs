//! What a cascade simulation produces: per district and time, per asset, and in sum.
//!
//! Counts of people and customers are whole numbers, rounded per district and time; city
//! totals are sums of the district figures, so they always add up. `*_hours` figures
//! integrate over every evaluation of the cascade (events and hydraulic steps), not only
//! the reported timeline.
//!
//! **Every loss is a loss beyond the city's normal day**: the same horizon without
//! strikes ([`Scenario::normal_day`](crate::Scenario::normal_day)) is run too, and a
//! customer, junction or load counts only for the time it is worse off than on that day
//! (never below 0). "Restored" means back to the normal day's service. The normal day's
//! own shortfall (a network short at its evening peak) is in each `baseline`.

use serde::Serialize;

/// The state of a district at one reported time.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DistrictSample {
    /// Time from the start, h.
    pub t_h: f64,
    /// Customers cut off (bus dark or load shed) who have power at that time of the
    /// normal day, ≤ the district's customers.
    pub customers_without_power: u64,
    /// Residents behind junctions delivering less than the city's threshold share of their
    /// demand, where they deliver enough at that time of the normal day, ≤ the
    /// district's population.
    pub people_without_water: u64,
    /// The district's load, MW.
    pub load_mw: f64,
    /// Load served, MW.
    pub served_mw: f64,
    /// Load shed on energised buses because the generation available cannot carry it,
    /// MW: the generation deficit a rolling outage schedule rotates (load dark because of
    /// damage is not in it).
    pub shed_mw: f64,
    /// Water required by the district, L/s.
    pub water_required_lps: f64,
    /// Water delivered, L/s.
    pub water_delivered_lps: f64,
}

/// One district over the whole run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DistrictResult {
    /// Name.
    pub name: String,
    /// Residents.
    pub population: u64,
    /// Electricity customers.
    pub customers: u64,
    /// Customer-hours without power.
    pub customer_hours_without_power: f64,
    /// Person-hours without water.
    pub person_hours_without_water: f64,
    /// Energy not served, MWh.
    pub unserved_mwh: f64,
    /// Water not delivered, m³.
    pub unserved_m3: f64,
    /// Most customers without power at once.
    pub peak_customers_without_power: u64,
    /// Most people without water at once.
    pub peak_people_without_water: u64,
    /// From when every customer of the district has power to the end, h (0 if never
    /// cut); `None` if some are still cut at the horizon.
    pub power_restored_h: Option<f64>,
    /// From when everyone in the district has water to the end, h; `None` if some still
    /// lack it.
    pub water_restored_h: Option<f64>,
    /// The same figures on the city's normal day (no strikes), not counted above.
    pub baseline: NormalDay,
    /// State at each reported time.
    pub timeline: Vec<DistrictSample>,
}

/// What a district or the city lacks on its normal day over the same horizon (no
/// strikes): the networks' own shortfall, reported apart from the strikes' losses. All
/// zero for a city whose networks serve everyone on a normal day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct NormalDay {
    /// Customer-hours without power.
    pub customer_hours_without_power: f64,
    /// Person-hours without water.
    pub person_hours_without_water: f64,
    /// Energy not served, MWh.
    pub unserved_mwh: f64,
    /// Water not delivered, m³.
    pub unserved_m3: f64,
    /// Most customers without power at a reported time.
    pub peak_customers_without_power: u64,
    /// Most people without water at a reported time.
    pub peak_people_without_water: u64,
}

impl NormalDay {
    /// Whether the normal day lacks nothing.
    pub fn is_zero(&self) -> bool {
        *self == Self::default()
    }
}

/// A change of an asset's state.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StateChange {
    /// Time from the start, h.
    pub t_h: f64,
    /// The new state (see [`AssetTimeline`]).
    pub state: String,
}

/// The states an asset went through.
///
/// States: struck grid and water assets are `in_service`, `damaged` or `destroyed`; pump
/// stations `grid`, `waiting_for_backup`, `backup`, `no_power`, `damaged` or `destroyed`;
/// facilities `ok`, `backup` (on its own generator), `no_power`, `no_water` or
/// `no_power_no_water`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AssetTimeline {
    /// The asset as a scenario names it: `bus:12`, `pump_station:PS-3`, `facility:H-1`.
    pub asset: String,
    /// Human name ([`crate::City::asset_name`]): `Centre booster 1`, `substation 12
    /// (Centre)`, `line 7–29`.
    pub name: String,
    /// State at time 0 and every change after.
    pub changes: Vec<StateChange>,
}

impl AssetTimeline {
    /// Every state a timeline can hold: a struck asset's, a pump station's, then a
    /// facility's (in the order of the list above).
    pub const STATES: [&'static str; 10] = [
        "in_service",
        "damaged",
        "destroyed",
        "grid",
        "waiting_for_backup",
        "backup",
        "no_power",
        "ok",
        "no_water",
        "no_power_no_water",
    ];
    /// The states of an asset working as normal: a struck asset back in service, a pump
    /// station on the grid, a facility with power and water.
    pub const NORMAL_STATES: [&'static str; 3] = ["in_service", "grid", "ok"];

    /// Hours until `horizon_h` spent in states for which `counts` holds.
    pub fn hours_where(&self, horizon_h: f64, counts: impl Fn(&str) -> bool) -> f64 {
        self.changes
            .iter()
            .enumerate()
            .filter(|(_, change)| counts(&change.state))
            .map(|(i, change)| self.changes.get(i + 1).map_or(horizon_h, |c| c.t_h) - change.t_h)
            .sum()
    }

    /// Whether `state` is not one of [`Self::NORMAL_STATES`]: hit or without supply.
    pub fn is_out(state: &str) -> bool {
        !Self::NORMAL_STATES.contains(&state)
    }
}

/// A tank's level at each reported time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TankTimeline {
    /// EPANET id.
    pub id: String,
    /// Water level above the tank bottom at each reported time, m.
    pub level_m: Vec<f64>,
    /// Volume at each reported time, m³.
    pub volume_m3: Vec<f64>,
}

/// City-wide figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// Residents.
    pub population: u64,
    /// Electricity customers.
    pub customers: u64,
    /// Customer-hours without power.
    pub customer_hours_without_power: f64,
    /// Person-hours without water.
    pub person_hours_without_water: f64,
    /// Energy not served, MWh.
    pub unserved_mwh: f64,
    /// Water not delivered, m³.
    pub unserved_m3: f64,
    /// Most customers without power at a reported time.
    pub peak_customers_without_power: u64,
    /// When that peak was first reached, h.
    pub peak_customers_at_h: f64,
    /// Most people without water at a reported time.
    pub peak_people_without_water: u64,
    /// When that peak was first reached, h.
    pub peak_people_at_h: f64,
    /// Districts with customers without power at some reported time.
    pub districts_without_power: Vec<String>,
    /// Districts with people without water at some reported time.
    pub districts_without_water: Vec<String>,
    /// From when every customer has power to the end, h (0 if never cut); `None` if
    /// some are still cut at the horizon.
    pub power_restored_h: Option<f64>,
    /// From when everyone has water to the end, h; `None` if some still lack it.
    pub water_restored_h: Option<f64>,
    /// The later of the two: full restoration, h; `None` if not within the horizon.
    pub full_restoration_h: Option<f64>,
    /// The same figures on the city's normal day (no strikes), not counted above.
    pub baseline: NormalDay,
}

/// Counts of the work done, and anything the engines flagged.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunStats {
    /// Grid solves (one per change of the grid's state).
    pub grid_solves: usize,
    /// Hydraulic solves.
    pub water_solves: usize,
    /// Grid solves in which some island did not converge (it was taken down).
    pub grid_non_convergence: Vec<String>,
    /// EPANET's warnings, in time order.
    pub water_warnings: Vec<WaterWarning>,
}

/// An EPANET warning met during the run (the run went on).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WaterWarning {
    /// Time from the start, h.
    pub t_h: f64,
    /// EPANET's code (1–6).
    pub code: i32,
    /// EPANET's message.
    pub message: String,
}

/// The result of a cascade simulation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CascadeResult {
    /// The city's name.
    pub city: String,
    /// The scenario's name.
    pub scenario: String,
    /// Calendar start of the scenario, if given.
    pub start: Option<String>,
    /// Simulated time, h.
    pub horizon_h: f64,
    /// Reported times, h.
    pub times_h: Vec<f64>,
    /// City-wide figures.
    pub summary: Summary,
    /// Per district, in the city's order.
    pub districts: Vec<DistrictResult>,
    /// Struck assets, pump stations and facilities.
    pub assets: Vec<AssetTimeline>,
    /// Tank levels.
    pub tanks: Vec<TankTimeline>,
    /// Work done and warnings.
    pub stats: RunStats,
}

impl CascadeResult {
    /// Customers without power in the whole city at each reported time.
    pub fn customers_without_power(&self) -> Vec<u64> {
        self.total(|s| s.customers_without_power)
    }

    /// People without water in the whole city at each reported time.
    pub fn people_without_water(&self) -> Vec<u64> {
        self.total(|s| s.people_without_water)
    }

    fn total(&self, value: impl Fn(&DistrictSample) -> u64) -> Vec<u64> {
        (0..self.times_h.len())
            .map(|k| self.districts.iter().map(|d| value(&d.timeline[k])).sum())
            .collect()
    }

    /// The timeline of `asset` (as written in a scenario), if tracked.
    pub fn asset(&self, asset: &str) -> Option<&AssetTimeline> {
        self.assets.iter().find(|a| a.asset == asset)
    }

    /// The district named `name`.
    pub fn district(&self, name: &str) -> Option<&DistrictResult> {
        self.districts.iter().find(|d| d.name == name)
    }
}

impl AssetTimeline {
    /// The state at `t_h`.
    pub fn state_at(&self, t_h: f64) -> Option<&str> {
        self.changes
            .iter()
            .take_while(|c| c.t_h <= t_h)
            .last()
            .map(|c| c.state.as_str())
    }
}
