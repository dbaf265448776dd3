//! One scenario's outcome: a row of a sweep's results.

use serde::{Deserialize, Serialize};

/// The outcome of one scenario of a sweep.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// The scenario's index in the sweep's deterministic order (0-based, over all
    /// shards).
    pub scenario: u64,
    /// Assets hit, as scenario files write them (`bus:8`, `branch:41`, `gen:3`,
    /// `pump_station:E-1`), in the order generated.
    pub assets: Vec<String>,
    /// Customer-hours without power over the horizon.
    pub customer_hours: f64,
    /// Person-hours without water over the horizon.
    pub person_hours: f64,
    /// Energy not served, MWh.
    pub unserved_mwh: f64,
    /// Most customers without power at once.
    pub peak_customers: u64,
    /// Most people without water at once.
    pub peak_people: u64,
    /// When power and water are back everywhere, h from the strike; `None` when not within
    /// the horizon.
    pub restored_h: Option<f64>,
    /// Customer-hours without power per district, in the city's order.
    pub district_customer_hours: Vec<f64>,
    /// Person-hours without water per district, in the city's order.
    pub district_person_hours: Vec<f64>,
}
