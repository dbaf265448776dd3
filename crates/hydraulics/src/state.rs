//! The hydraulic state the solver works on, in internal units (ft, cfs): EPANET's
//! `Hydraul` arrays, one per node or link, with the scratch the Global Gradient
//! Algorithm needs. A state belongs to one [`Network`] and is sized by it.

use crate::model::{Link, LinkKind, MISSING, Network, Status};
use std::sync::Arc;

/// A junction's pressure-dependent demand head loss and gradient, and what they were
/// computed from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DemandCoeffs {
    /// Demand flow, cfs.
    pub flow: f64,
    /// Full demand, cfs.
    pub full: f64,
    /// Pressure range, ft.
    pub dp: f64,
    /// Head loss, ft.
    pub hloss: f64,
    /// Gradient, ft/cfs.
    pub hgrad: f64,
}

impl DemandCoeffs {
    /// Nothing computed.
    pub const NONE: Self = Self {
        flow: f64::NAN,
        full: f64::NAN,
        dp: f64::NAN,
        hloss: f64::NAN,
        hgrad: f64::NAN,
    };

    /// The head loss and gradient if they were computed from `flow`, `full` and `dp`,
    /// bit for bit.
    pub fn of(&self, flow: f64, full: f64, dp: f64) -> Option<(f64, f64)> {
        let same = |a: f64, b: f64| a.to_bits() == b.to_bits();
        (same(self.flow, flow) && same(self.full, full) && same(self.dp, dp))
            .then_some((self.hloss, self.hgrad))
    }
}

/// Heads, flows, statuses and settings of one network at one time, with the solver's
/// per-link coefficients.
#[derive(Debug, Clone, PartialEq)]
pub struct HydraulicState {
    /// Head at each node, ft.
    pub head: Vec<f64>,
    /// At a junction its total outflow (demand + emitter + leakage), cfs; at a tank or
    /// reservoir its net inflow (+ filling), cfs.
    pub node_demand: Vec<f64>,
    /// Demand each junction asks for at this time, cfs.
    pub full_demand: Vec<f64>,
    /// Demand each junction receives, cfs (equal to `full_demand` under DDA).
    pub demand_flow: Vec<f64>,
    /// Emitter outflow of each junction, cfs.
    pub emitter_flow: Vec<f64>,
    /// Leakage outflow of each junction, cfs.
    pub leakage_flow: Vec<f64>,
    /// Flow in each link, cfs (+ from `from` to `to`).
    pub flow: Vec<f64>,
    /// Setting of each link (pump speed, valve setting in internal units, or `MISSING`).
    pub setting: Vec<f64>,
    /// Status of each link.
    pub status: Vec<Status>,
    /// Status of each link at the last report, then of each tank (links first).
    pub old_status: Vec<Status>,
    /// Flow resistance of each link (EPANET's `Link.R`; a PCV's changes with its
    /// setting).
    pub resistance: Vec<f64>,
    /// Volume of each tank, ft³ (reservoirs: unused).
    pub tank_volume: Vec<f64>,
    /// Inverse head-loss gradient of each link (EPANET's `P`).
    pub p: Vec<f64>,
    /// Flow correction of each link (EPANET's `Y`).
    pub y: Vec<f64>,
    /// The flow (cfs) an open pipe's `p` and `y` were last computed from; NaN when they
    /// were not (never, or the pipe was closed since). A pipe's coefficients depend on
    /// nothing else that changes during a run, so the same flow, bit for bit, gives the
    /// same coefficients and they are not computed again: the first trial of each solve
    /// and the trial after a balance check find the flows the last computation saw.
    pub pipe_coeff_flow: Vec<f64>,
    /// Each junction's pressure-dependent demand head loss (ft) and gradient (ft/cfs)
    /// as the matrix assembly computed them, with the demand flow (cfs) and pressure
    /// range (ft) they came from (NaN: none): EPANET computes them again for the flow
    /// update of the same trial, from the same demand flow, and gets the same bits.
    pub demand_coeffs: Vec<DemandCoeffs>,
    /// The junctions with an emitter (a non-zero coefficient), ascending: the network's,
    /// found once so that the trials do not scan every junction for them.
    pub emitter_junctions: Vec<u32>,
    /// Each node's elevation, ft: the network's, copied once into one array, so that
    /// the trials' loops over junctions do not read a whole node for it.
    pub elevation: Arc<[f64]>,
    /// The pipes (check-valve pipes included), ascending: the network's, found once so
    /// that the head-loss pass goes through them without asking each link its kind.
    pub pipes: Arc<[u32]>,
    /// The links with an end at a tank or reservoir, ascending: the network's, found
    /// once, so that the flow update adds the fixed-head nodes' inflows from them only.
    pub fixed_head_links: Arc<[u32]>,
    /// The links whose status EPANET's `linkstatus` can change, ascending: check
    /// valves, pumps, flow control valves and the links to a tank or reservoir. A plain
    /// pipe or another valve between junctions is never given the statuses it resets
    /// (`XHead` and `TempClosed` are a pump's, or a tank link's), so it is left out.
    pub status_links: Arc<[u32]>,
    /// Work: each link's flow change in the last flow update, cfs.
    pub flow_change: Vec<f64>,
    /// The junctions whose full demand is not zero or less (EPANET's test), ascending:
    /// those with a pressure-dependent demand, found at the start of each solution
    /// (empty for a demand-driven one).
    pub demand_junctions: Vec<u32>,
    /// Work: the open H-W pipes whose coefficients a head-loss pass computes together
    /// (empty between passes).
    pub hw_pipes: Vec<u32>,
    /// Net inflow at each node while assembling (EPANET's `Xflow`).
    pub xflow: Vec<f64>,
    /// Relaxation factor of the flow update (1, or 0.6 once `damp_limit` is reached).
    pub relax: f64,
    /// Current head-curve intercept of each custom-curve pump (EPANET keeps it in
    /// `Pump.H0`), ft.
    pub pump_h0: Vec<f64>,
    /// Current head-curve slope of each custom-curve pump (EPANET's `Pump.R`).
    pub pump_r: Vec<f64>,
    /// Current head-curve exponent of each custom-curve pump (EPANET's `Pump.N`).
    pub pump_n: Vec<f64>,
}

impl HydraulicState {
    /// Puts back the work list a head-loss pass took (see [`HydraulicState::hw_pipes`]).
    pub(crate) fn give_back(&mut self, mut hw_pipes: Vec<u32>) {
        hw_pipes.clear();
        self.hw_pipes = hw_pipes;
    }

    /// A state sized for `network`, all zero; heads, statuses and flows are set by the
    /// simulation's initialisation (EPANET's `inithyd`).
    pub fn new(network: &Network) -> Self {
        let nodes = network.nodes.len();
        let links = network.links.len();
        let tanks = network.tanks.len();
        let reaches_fixed_head =
            |link: &Link| link.from >= network.n_junctions || link.to >= network.n_junctions;
        HydraulicState {
            head: vec![0.0; nodes],
            node_demand: vec![0.0; nodes],
            full_demand: vec![0.0; nodes],
            demand_flow: vec![0.0; nodes],
            emitter_flow: vec![0.0; nodes],
            leakage_flow: vec![0.0; nodes],
            flow: vec![0.0; links],
            setting: vec![MISSING; links],
            status: vec![Status::Open; links],
            old_status: vec![Status::Open; links + tanks],
            resistance: vec![0.0; links],
            tank_volume: vec![0.0; tanks],
            p: vec![0.0; links],
            y: vec![0.0; links],
            pipe_coeff_flow: vec![f64::NAN; links],
            demand_coeffs: vec![DemandCoeffs::NONE; nodes],
            emitter_junctions: (0..network.n_junctions)
                .filter(|&i| network.nodes[i].emitter != 0.0)
                .map(|i| i as u32)
                .collect(),
            elevation: network.nodes.iter().map(|node| node.elevation).collect(),
            pipes: links_where(network, |link| {
                matches!(link.kind, LinkKind::Pipe | LinkKind::CvPipe)
            }),
            fixed_head_links: links_where(network, reaches_fixed_head),
            status_links: links_where(network, |link| {
                matches!(link.kind, LinkKind::CvPipe | LinkKind::Pump | LinkKind::Fcv)
                    || reaches_fixed_head(link)
            }),
            flow_change: Vec::with_capacity(links),
            demand_junctions: Vec::new(),
            hw_pipes: Vec::with_capacity(links),
            xflow: vec![0.0; nodes.max(links)],
            relax: 1.0,
            pump_h0: network.pumps.iter().map(|p| p.h0).collect(),
            pump_r: network.pumps.iter().map(|p| p.r).collect(),
            pump_n: network.pumps.iter().map(|p| p.n).collect(),
        }
    }
}

/// The links of `network` that `keep` keeps, ascending.
fn links_where(network: &Network, keep: impl Fn(&Link) -> bool) -> Arc<[u32]> {
    (0..network.links.len())
        .filter(|&k| keep(&network.links[k]))
        .map(|k| k as u32)
        .collect()
}
