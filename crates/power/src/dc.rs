//! DC power flow, exactly as MATPOWER's `makeBdc` and `dcpf`.
//!
//! `b = 1/(x·m)` per branch (`m` the turns ratio), resistance, line charging and shunt
//! susceptance ignored; a phase shift acts as the injection `Pfinj = −b·shift`. Bus
//! shunt conductance `GS` is a load. Slack angles are held at the case's `VA`.

use crate::bus::BusKind;
use crate::case::Case;
use crate::error::PowerError;
use crate::network::Network;
use crate::sparse_lu::block::Block;
use crate::sparse_lu::{LuFactors, LuPattern};

/// A DC power-flow solution on a [`Network`].
#[derive(Debug, Clone)]
pub struct DcSolution {
    /// Voltage angle of each local bus, radians.
    pub va_rad: Vec<f64>,
    /// Active flow of each local branch at its from end, MW (the to end is its negative).
    pub branch_p_mw: Vec<f64>,
}

/// Solves the DC power flow of `network` (compiled from `case`).
pub fn solve_dc(case: &Case, network: &Network) -> Result<DcSolution, PowerError> {
    DcSolver::new(network)?.solve(case, network)
}

fn singular(detail: String) -> PowerError {
    PowerError::Singular {
        stage: "DC power flow".into(),
        detail,
    }
}

/// A DC solver for networks with one Ybus pattern: the susceptance matrix's symbolic
/// analysis is done once; its numeric factorisation is redone only when the matrix
/// changed since the last solve (as lightsim2grid's `dc_pf` on a built model), so
/// repeated solves with new injections cost one triangular solve.
pub struct DcSolver {
    factors: LuFactors<1>,
    values: Vec<Block<1>>,
    /// The matrix the current factors belong to (empty before the first solve).
    factored: Vec<Block<1>>,
}

impl DcSolver {
    /// A solver for the pattern of `network`'s Ybus.
    pub fn new(network: &Network) -> Result<Self, PowerError> {
        let ybus = &network.ybus;
        let pattern = LuPattern::<1>::analyse(
            ybus.bus_count(),
            ybus.row_start.clone(),
            ybus.column.clone(),
        )
        .map_err(|failure| singular(failure.to_string()))?;
        Ok(Self {
            factors: LuFactors::new(pattern),
            values: Vec::with_capacity(ybus.column.len()),
            factored: Vec::new(),
        })
    }

    /// Solves the DC power flow of `network` (compiled from `case`, same pattern).
    pub fn solve(&mut self, case: &Case, network: &Network) -> Result<DcSolution, PowerError> {
        let n = network.bus_count();
        let base = network.base_mva;
        let mut p_bus: Vec<f64> = network.injection.iter().map(|s| s.re).collect();
        for (l, &i) in network.case_bus.iter().enumerate() {
            p_bus[l] -= case.buses[i].g_shunt_mw / base;
        }
        // Susceptance of each branch and its phase-shift injection.
        let mut b_branch = Vec::with_capacity(network.case_branch.len());
        let mut shift_injection = Vec::with_capacity(network.case_branch.len());
        for (&b, &(f, t)) in network.case_branch.iter().zip(&network.branch_ends) {
            let branch = &case.branches[b];
            let susceptance = 1.0 / (branch.x_pu * branch.effective_ratio());
            let injection = -susceptance * branch.shift_deg.to_radians();
            p_bus[f] -= injection;
            p_bus[t] += injection;
            b_branch.push(susceptance);
            shift_injection.push(injection);
        }

        // B on the Ybus pattern: diagonal Σb, off-diagonal −b; slack rows become identity
        // rows holding the slack angle, and slack columns move to the right-hand side.
        let ybus = &network.ybus;
        let mut entry_value = vec![0.0; ybus.column.len()];
        for (slots, &b) in network.branch_slots.iter().zip(&b_branch) {
            entry_value[slots[0]] += b;
            entry_value[slots[1]] -= b;
            entry_value[slots[2]] -= b;
            entry_value[slots[3]] += b;
        }
        let slack = |l: usize| network.kind[l] == BusKind::Slack;
        let mut rhs: Vec<[f64; 1]> = (0..n)
            .map(|l| {
                [if slack(l) {
                    network.va_case[l]
                } else {
                    p_bus[l]
                }]
            })
            .collect();
        // Column k of B in compressed-column order is Ybus row k (symmetric pattern);
        // the entry (i, k) of B is at the transpose position.
        let values = &mut self.values;
        values.clear();
        for k in 0..n {
            for s in ybus.row_start[k]..ybus.row_start[k + 1] {
                let i = ybus.column[s];
                let value = entry_value[ybus.transpose[s]];
                values.push(match (slack(i), slack(k)) {
                    (true, _) => [[if i == k { 1.0 } else { 0.0 }]],
                    (false, true) => {
                        rhs[i][0] -= value * network.va_case[k];
                        [[0.0]]
                    }
                    (false, false) => [[value]],
                });
            }
        }
        let factors = &mut self.factors;
        if self.factored != *values {
            self.factored.clear();
            factors
                .factor(values)
                .map_err(|failure| singular(failure.to_string()))?;
            self.factored.clone_from(values);
        }
        factors.solve_in_place(&mut rhs);
        if rhs.iter().any(|x| !x[0].is_finite()) {
            return Err(singular(
                "the susceptance matrix has no finite solution".into(),
            ));
        }
        let va_rad: Vec<f64> = rhs.into_iter().map(|[x]| x).collect();
        let branch_p_mw = network
            .branch_ends
            .iter()
            .zip(b_branch.iter().zip(&shift_injection))
            .map(|(&(f, t), (&b, &injection))| (b * (va_rad[f] - va_rad[t]) + injection) * base)
            .collect();
        Ok(DcSolution {
            va_rad,
            branch_p_mw,
        })
    }
}
