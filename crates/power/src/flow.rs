//! Power-flow results in the case's own terms: one row per case bus and branch, in file
//! order, with the columns of the reference solutions (`bus_id, type, vm_pu, va_deg,
//! p_mw, q_mvar`; `index, from_bus, to_bus, status, p_from_mw, ...`).

use crate::ac::{AcOptions, SolveStatus, solve_with_q_limits};
use crate::bus::{BusId, BusKind};
use crate::case::Case;
use crate::dc::solve_dc;
use crate::error::PowerError;
use crate::network::{Network, Selection};
use num_complex::Complex64;
use serde::Serialize;

/// AC result at one bus.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BusFlow {
    /// Bus number.
    pub bus_id: BusId,
    /// Effective MATPOWER bus type: 1 PQ, 2 PV, 3 slack, 4 de-energised or isolated.
    #[serde(rename = "type")]
    pub kind: u8,
    /// Voltage magnitude, p.u. (0 when de-energised).
    pub vm_pu: f64,
    /// Voltage angle, degrees (0 when de-energised).
    pub va_deg: f64,
    /// Net active injection (generation − load; shunts excluded), MW.
    pub p_mw: f64,
    /// Net reactive injection, MVAr.
    pub q_mvar: f64,
}

/// AC result on one branch: power entering the branch at each end.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BranchFlow {
    /// 1-based row of `mpc.branch`.
    pub index: usize,
    /// From-bus number.
    pub from_bus: BusId,
    /// To-bus number.
    pub to_bus: BusId,
    /// 1 if the branch carried flow in this solve, else 0.
    pub status: u8,
    /// Active power into the branch at the from end, MW.
    pub p_from_mw: f64,
    /// Reactive power into the branch at the from end, MVAr.
    pub q_from_mvar: f64,
    /// Active power into the branch at the to end, MW.
    pub p_to_mw: f64,
    /// Reactive power into the branch at the to end, MVAr.
    pub q_to_mvar: f64,
}

impl BranchFlow {
    /// Apparent power at the more loaded end, MVA.
    pub fn s_max_mva(&self) -> f64 {
        self.p_from_mw
            .hypot(self.q_from_mvar)
            .max(self.p_to_mw.hypot(self.q_to_mvar))
    }
}

/// An AC power flow of a whole case.
#[derive(Debug, Clone, Serialize)]
pub struct AcFlow {
    /// How the solve ended.
    pub status: SolveStatus,
    /// Newton updates performed (over all reactive-limit rounds).
    pub iterations: usize,
    /// Largest P/Q mismatch at the end, p.u.
    pub max_mismatch_pu: f64,
    /// Buses switched from PV to PQ by reactive-limit enforcement.
    pub q_limited_buses: Vec<BusId>,
    /// One row per case bus, in file order.
    pub buses: Vec<BusFlow>,
    /// One row per case branch, in file order.
    pub branches: Vec<BranchFlow>,
}

impl AcFlow {
    /// Active losses: the sum over branches of power entering at both ends, MW.
    pub fn losses_mw(&self) -> f64 {
        self.branches.iter().map(|b| b.p_from_mw + b.p_to_mw).sum()
    }
}

/// DC result at one bus.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BusAngle {
    /// Bus number.
    pub bus_id: BusId,
    /// Voltage angle, degrees.
    pub va_deg: f64,
}

/// DC result on one branch.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BranchDcFlow {
    /// 1-based row of `mpc.branch`.
    pub index: usize,
    /// From-bus number.
    pub from_bus: BusId,
    /// To-bus number.
    pub to_bus: BusId,
    /// 1 if in service, else 0.
    pub status: u8,
    /// Active flow from → to, MW.
    pub p_mw: f64,
}

/// A DC power flow of a whole case.
#[derive(Debug, Clone, Serialize)]
pub struct DcFlow {
    /// One row per case bus, in file order.
    pub buses: Vec<BusAngle>,
    /// One row per case branch, in file order.
    pub branches: Vec<BranchDcFlow>,
}

/// Case-wide AC rows filled from solved networks (one per island).
pub(crate) struct AcRows {
    pub buses: Vec<BusFlow>,
    pub branches: Vec<BranchFlow>,
}

impl AcRows {
    /// All buses de-energised, all branches without flow.
    pub fn dark(case: &Case) -> Self {
        Self {
            buses: case
                .buses
                .iter()
                .map(|bus| BusFlow {
                    bus_id: bus.id,
                    kind: BusKind::Isolated.code(),
                    vm_pu: 0.0,
                    va_deg: 0.0,
                    p_mw: 0.0,
                    q_mvar: 0.0,
                })
                .collect(),
            branches: case
                .branches
                .iter()
                .enumerate()
                .map(|(b, branch)| BranchFlow {
                    index: b + 1,
                    from_bus: branch.from,
                    to_bus: branch.to,
                    status: 0,
                    p_from_mw: 0.0,
                    q_from_mvar: 0.0,
                    p_to_mw: 0.0,
                    q_to_mvar: 0.0,
                })
                .collect(),
        }
    }

    /// Writes the results of one solved network into the rows.
    pub fn record(&mut self, network: &Network, voltage: &[Complex64], power: &[Complex64]) {
        let base = network.base_mva;
        for (l, &i) in network.case_bus.iter().enumerate() {
            let row = &mut self.buses[i];
            row.kind = network.kind[l].code();
            row.vm_pu = voltage[l].norm();
            row.va_deg = voltage[l].arg().to_degrees();
            row.p_mw = power[l].re * base;
            row.q_mvar = power[l].im * base;
        }
        for (local, &b) in network.case_branch.iter().enumerate() {
            let (f, t) = network.branch_ends[local];
            let y = &network.branch_admittance[local];
            let s_from = voltage[f] * (y.yff * voltage[f] + y.yft * voltage[t]).conj() * base;
            let s_to = voltage[t] * (y.ytf * voltage[f] + y.ytt * voltage[t]).conj() * base;
            let row = &mut self.branches[b];
            row.status = 1;
            row.p_from_mw = s_from.re;
            row.q_from_mvar = s_from.im;
            row.p_to_mw = s_to.re;
            row.q_to_mvar = s_to.im;
        }
    }
}

/// [`PowerError::Islanded`] when the in-service branches of `network` do not connect every
/// bus to the slack. MATPOWER's `runpf` fails on such a case too (singular Jacobian);
/// pandapower sets the cut-off buses out of service silently. Here they are named.
fn refuse_islands(case: &Case, network: &Network) -> Result<(), PowerError> {
    let components = lifeline_core::graph::connected_components(
        network.bus_count(),
        network.branch_ends.iter().copied(),
    );
    if components.count <= 1 {
        return Ok(());
    }
    let slack_islands: Vec<usize> = (0..network.bus_count())
        .filter(|&l| network.kind[l] == BusKind::Slack)
        .map(|l| components.label[l])
        .collect();
    let islands: Vec<Vec<BusId>> = components
        .members()
        .into_iter()
        .enumerate()
        .filter(|(k, _)| !slack_islands.contains(k))
        .map(|(_, buses)| {
            buses
                .iter()
                .map(|&l| case.buses[network.case_bus[l]].id)
                .collect()
        })
        .collect();
    if islands.is_empty() {
        Ok(())
    } else {
        Err(PowerError::Islanded { islands })
    }
}

/// AC power flow of the whole case as written (no outages, no re-dispatch): the slack
/// takes all mismatch, as MATPOWER's `runpf`.
pub fn run_ac(case: &Case, options: &AcOptions) -> Result<AcFlow, PowerError> {
    let selection = Selection::whole(case)?;
    let mut network = Network::compile(case, &selection);
    refuse_islands(case, &network)?;
    let (solution, switched) = solve_with_q_limits(case, &mut network, options)?;
    let mut rows = AcRows::dark(case);
    rows.record(&network, &solution.voltage, &solution.power);
    Ok(AcFlow {
        status: solution.status,
        iterations: solution.iterations,
        max_mismatch_pu: solution.max_mismatch_pu,
        q_limited_buses: switched
            .iter()
            .map(|&l| case.buses[network.case_bus[l]].id)
            .collect(),
        buses: rows.buses,
        branches: rows.branches,
    })
}

/// DC power flow of the whole case as written, as MATPOWER's `rundcpf`.
pub fn run_dc(case: &Case) -> Result<DcFlow, PowerError> {
    let selection = Selection::whole(case)?;
    let network = Network::compile(case, &selection);
    refuse_islands(case, &network)?;
    let solution = solve_dc(case, &network)?;
    let mut buses: Vec<BusAngle> = case
        .buses
        .iter()
        .map(|bus| BusAngle {
            bus_id: bus.id,
            va_deg: 0.0,
        })
        .collect();
    for (l, &i) in network.case_bus.iter().enumerate() {
        buses[i].va_deg = solution.va_rad[l].to_degrees();
    }
    let mut branches: Vec<BranchDcFlow> = case
        .branches
        .iter()
        .enumerate()
        .map(|(b, branch)| BranchDcFlow {
            index: b + 1,
            from_bus: branch.from,
            to_bus: branch.to,
            status: 0,
            p_mw: 0.0,
        })
        .collect();
    for (local, &b) in network.case_branch.iter().enumerate() {
        branches[b].status = 1;
        branches[b].p_mw = solution.branch_p_mw[local];
    }
    Ok(DcFlow { buses, branches })
}
