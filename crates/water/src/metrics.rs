//! Water-service metrics: how much of the demand is delivered, where and for how long the
//! pressure stays below a threshold, and how much water never arrived.
//!
//! Availability follows WNTR's *water service availability*: delivered over required
//! demand (volume over the period, or flow at an instant). Under demand-driven analysis
//! it is always 1 — EPANET delivers the demand at any pressure — and the pressure
//! threshold tells the service loss instead; run pressure-driven for delivered volumes.
//! Only junctions count: tanks and reservoirs are not consumers.

use crate::network::{NetworkInfo, NodeKind};
use crate::simulation::HydraulicState;
use serde::Serialize;

/// Service at one instant, over all junctions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServicePoint {
    /// Simulation time, s.
    pub time_s: i64,
    /// Delivered over required demand (1 when nothing is required).
    pub availability: f64,
    /// Required demand not delivered, L/s.
    pub unserved_lps: f64,
    /// Junctions with pressure below the threshold.
    pub junctions_below_threshold: usize,
    /// Lowest junction pressure, m.
    pub min_pressure_m: f64,
}

/// Service accumulated at one node.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeService {
    /// Node ID.
    pub id: String,
    /// Volume required, m³.
    pub required_m3: f64,
    /// Volume delivered, m³.
    pub delivered_m3: f64,
    /// Volume required but not delivered, m³.
    pub unserved_m3: f64,
    /// Delivered over required volume (1 when nothing is required).
    pub availability: f64,
    /// Time with pressure below the threshold, hours.
    pub hours_below_threshold: f64,
}

/// Service accumulated over a group of nodes (a district, the whole network).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupService {
    /// Junctions in the group.
    pub junctions: usize,
    /// Volume required, m³.
    pub required_m3: f64,
    /// Volume delivered, m³.
    pub delivered_m3: f64,
    /// Volume required but not delivered, m³.
    pub unserved_m3: f64,
    /// Delivered over required volume (1 when nothing is required).
    pub availability: f64,
    /// Sum over the junctions of their hours below the threshold.
    pub junction_hours_below_threshold: f64,
    /// The most hours one junction spent below the threshold.
    pub worst_hours_below_threshold: f64,
}

fn ratio(delivered: f64, required: f64) -> f64 {
    if required > 0.0 {
        (delivered / required).min(1.0)
    } else {
        1.0
    }
}

/// The service at the instant of `state`.
pub fn service_point(
    network: &NetworkInfo,
    state: &HydraulicState,
    threshold_m: f64,
) -> ServicePoint {
    let (mut required, mut delivered, mut below, mut lowest) = (0.0, 0.0, 0, f64::INFINITY);
    for (i, kind) in network.node_kinds.iter().enumerate() {
        if *kind != NodeKind::Junction {
            continue;
        }
        required += state.required_demand_lps[i].max(0.0);
        delivered += state.demand_lps[i].max(0.0);
        below += usize::from(state.pressure_m[i] < threshold_m);
        lowest = lowest.min(state.pressure_m[i]);
    }
    ServicePoint {
        time_s: state.time_s,
        availability: ratio(delivered, required),
        unserved_lps: (required - delivered).max(0.0),
        junctions_below_threshold: below,
        min_pressure_m: if lowest.is_finite() { lowest } else { 0.0 },
    }
}

/// Accumulates service over a run: each state holds until the next one (EPANET's own
/// convention for demands between hydraulic steps).
#[derive(Debug, Clone)]
pub struct ServiceTracker {
    threshold_m: f64,
    junction: Vec<bool>,
    required_m3: Vec<f64>,
    delivered_m3: Vec<f64>,
    seconds_below: Vec<f64>,
}

impl ServiceTracker {
    /// A tracker for `network` counting time with pressure below `threshold_m`.
    pub fn new(network: &NetworkInfo, threshold_m: f64) -> Self {
        let n = network.node_count();
        Self {
            threshold_m,
            junction: network
                .node_kinds
                .iter()
                .map(|k| *k == NodeKind::Junction)
                .collect(),
            required_m3: vec![0.0; n],
            delivered_m3: vec![0.0; n],
            seconds_below: vec![0.0; n],
        }
    }

    /// The pressure threshold, m.
    pub fn threshold_m(&self) -> f64 {
        self.threshold_m
    }

    /// Adds `state`, held for `duration_s` seconds.
    pub fn record(&mut self, state: &HydraulicState, duration_s: i64) {
        let seconds = duration_s.max(0) as f64;
        for i in 0..self.junction.len() {
            if !self.junction[i] {
                continue;
            }
            self.required_m3[i] += state.required_demand_lps[i].max(0.0) * seconds / 1000.0;
            self.delivered_m3[i] += state.demand_lps[i].max(0.0) * seconds / 1000.0;
            if state.pressure_m[i] < self.threshold_m {
                self.seconds_below[i] += seconds;
            }
        }
    }

    /// The service of every junction, in network order.
    pub fn junctions(&self, network: &NetworkInfo) -> Vec<NodeService> {
        (0..self.junction.len())
            .filter(|&i| self.junction[i])
            .map(|i| NodeService {
                id: network.node_ids[i].clone(),
                required_m3: self.required_m3[i],
                delivered_m3: self.delivered_m3[i],
                unserved_m3: (self.required_m3[i] - self.delivered_m3[i]).max(0.0),
                availability: ratio(self.delivered_m3[i], self.required_m3[i]),
                hours_below_threshold: self.seconds_below[i] / 3600.0,
            })
            .collect()
    }

    /// The service of a group of nodes (indices; non-junctions are ignored).
    pub fn group(&self, nodes: &[usize]) -> GroupService {
        let members = nodes.iter().copied().filter(|&i| self.junction[i]);
        let (mut required, mut delivered, mut hours, mut worst, mut count) =
            (0.0, 0.0, 0.0, 0.0f64, 0);
        for i in members {
            required += self.required_m3[i];
            delivered += self.delivered_m3[i];
            let h = self.seconds_below[i] / 3600.0;
            hours += h;
            worst = worst.max(h);
            count += 1;
        }
        GroupService {
            junctions: count,
            required_m3: required,
            delivered_m3: delivered,
            unserved_m3: (required - delivered).max(0.0),
            availability: ratio(delivered, required),
            junction_hours_below_threshold: hours,
            worst_hours_below_threshold: worst,
        }
    }

    /// The service of all junctions together.
    pub fn total(&self) -> GroupService {
        let all: Vec<usize> = (0..self.junction.len()).collect();
        self.group(&all)
    }
}
