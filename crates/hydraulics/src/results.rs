//! A whole run's answers at every report time, in SI: heads and pressures in m, demands
//! and flows in L/s, link statuses as EPANET's `EN_STATUS` (0 closed, 1 open), the way
//! the reference results and `lifeline water run` write them.

use crate::HydraulicsError;
use crate::model::{FlowUnits, M_PER_FT, Network, Status};
use crate::simulation::{Simulation, Warning};
use std::sync::Arc;

/// Litres per cubic foot.
const L_PER_FT3: f64 = 28.316_846_592;

impl FlowUnits {
    /// L/s in one unit of this flow (exact SI values; the US units through EPANET's own
    /// factors per cfs, as the reference results and `lifeline-water` convert them).
    pub fn lps(self) -> f64 {
        match self {
            FlowUnits::Cfs => L_PER_FT3,
            FlowUnits::Gpm => L_PER_FT3 / 448.831,
            FlowUnits::Mgd => L_PER_FT3 / 0.64632,
            FlowUnits::Imgd => L_PER_FT3 / 0.5382,
            FlowUnits::Afd => L_PER_FT3 / 1.9837,
            FlowUnits::Lps => 1.0,
            FlowUnits::Lpm => 1.0 / 60.0,
            FlowUnits::Mld => 1e6 / 86_400.0,
            FlowUnits::Cmh => 1000.0 / 3600.0,
            FlowUnits::Cmd => 1000.0 / 86_400.0,
            FlowUnits::Cms => 1000.0,
        }
    }
}

/// The network's state at one report time, in SI.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReportPoint {
    /// Simulation time, s.
    pub time_s: i64,
    /// Head at each node, m.
    pub head_m: Vec<f64>,
    /// Pressure head at each node (head − elevation), m of water.
    pub pressure_m: Vec<f64>,
    /// Junctions: delivered demand; reservoirs: − supply; tanks: net inflow; L/s.
    pub demand_lps: Vec<f64>,
    /// Demand each junction asks for, L/s (0 at tanks and reservoirs).
    pub required_demand_lps: Vec<f64>,
    /// Volume of water in each tank, m³ (0 at other nodes).
    pub tank_volume_m3: Vec<f64>,
    /// Flow in each link, L/s (+ from start to end node).
    pub flow_lps: Vec<f64>,
    /// Each link open (true) or closed (EPANET's `EN_STATUS`).
    pub open: Vec<bool>,
}

/// A whole run.
#[derive(Debug, Clone, PartialEq)]
pub struct RunResults {
    /// Every report time, in order.
    pub points: Vec<ReportPoint>,
    /// Trials of every hydraulic solution, in order.
    pub trials: Vec<u32>,
    /// Warnings, in time order.
    pub warnings: Vec<Warning>,
    /// The time the run stopped unbalanced under `UNBALANCED STOP`, s.
    pub halted_at: Option<i64>,
}

/// Converts the simulation's current state to SI.
pub fn report_point(simulation: &Simulation) -> ReportPoint {
    let mut point = ReportPoint::default();
    read_point(simulation, &mut point);
    point
}

/// Converts the simulation's current state to SI into `point`, reusing its buffers.
pub fn read_point(simulation: &Simulation, point: &mut ReportPoint) {
    let net = simulation.network();
    let st = simulation.state();
    let lps = net.units.flow_factor * net.units.flow.lps();
    point.time_s = simulation.time();
    fill(&mut point.head_m, st.head.iter().map(|h| h * M_PER_FT));
    fill(
        &mut point.pressure_m,
        st.head
            .iter()
            .zip(st.elevation.iter())
            .map(|(h, elevation)| (h - elevation) * M_PER_FT),
    );
    fill(
        &mut point.demand_lps,
        st.node_demand.iter().map(|q| q * lps),
    );
    fill(
        &mut point.required_demand_lps,
        st.full_demand.iter().map(|q| q * lps),
    );
    point.tank_volume_m3.clear();
    point.tank_volume_m3.resize(net.nodes.len(), 0.0);
    for (i, tank) in net.tanks.iter().enumerate() {
        if !tank.is_reservoir() {
            point.tank_volume_m3[tank.node] = st.tank_volume[i] * M_PER_FT * M_PER_FT * M_PER_FT;
        }
    }
    // EPANET reports no flow in a closed link (`EN_getlinkvalue`).
    fill(
        &mut point.flow_lps,
        st.flow
            .iter()
            .zip(&st.status)
            .map(|(q, s)| if *s <= Status::Closed { 0.0 } else { q * lps }),
    );
    point.open.clear();
    point
        .open
        .extend(st.status.iter().map(|s| *s > Status::Closed));
}

/// Replaces `out`'s values with `values` (one loop the compiler can see through, not a
/// call per value).
fn fill(out: &mut Vec<f64>, values: impl Iterator<Item = f64>) {
    out.clear();
    out.extend(values);
}

/// Runs `network` from start to end, keeping every report time (from the report start,
/// every report step).
///
/// # Errors
/// [`HydraulicsError::IllConditioned`] when a solution cannot be found.
pub fn run_to_end(network: Arc<Network>, file: &str) -> Result<RunResults, HydraulicsError> {
    let times = network.times.clone();
    let mut simulation = Simulation::new(network, file);
    let mut points = Vec::new();
    let mut trials = Vec::new();
    let mut halted_at = None;
    loop {
        let t = simulation.solve()?;
        if let Some(outcome) = simulation.last_solution() {
            trials.push(outcome.iterations);
        }
        if t >= times.report_start && (t - times.report_start) % times.report_step == 0 {
            points.push(report_point(&simulation));
        }
        if simulation.halted() {
            halted_at = Some(t);
        }
        if simulation.advance() == 0 {
            break;
        }
    }
    Ok(RunResults {
        points,
        trials,
        warnings: simulation.warnings().to_vec(),
        halted_at,
    })
}
