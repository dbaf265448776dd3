//! The Newton–Raphson iteration, with workspaces kept between solves.

use super::jacobian::{JacobianLayout, active_parts};
use super::{AcSolution, SolveStatus};
use crate::error::PowerError;
use crate::network::Network;
use crate::sparse_lu::LuFactors;
use crate::sparse_lu::block::{self, Block};
use num_complex::Complex64;
use std::sync::Arc;

/// Mismatch beyond which the iterates are taken to have diverged, p.u.
const DIVERGENCE_PU: f64 = 1e10;

/// A Newton–Raphson solver for one Ybus pattern. Holds its factors and buffers so that
/// repeated solves (iterations, contingencies, changed bus kinds) allocate nothing and
/// never repeat the symbolic analysis.
pub struct NewtonSolver {
    layout: Arc<JacobianLayout>,
    factors: LuFactors<2>,
    values: Vec<Block<2>>,
    column_admittance: Vec<Complex64>,
    current: Vec<Complex64>,
    power: Vec<Complex64>,
    step: Vec<[f64; 2]>,
    active: Vec<[f64; 2]>,
    vm: Vec<f64>,
    inverse_vm: Vec<f64>,
    va: Vec<f64>,
}

impl NewtonSolver {
    /// A solver for networks with the Ybus pattern of `network`.
    pub fn new(network: &Network) -> Result<Self, PowerError> {
        let layout =
            JacobianLayout::new(&network.ybus).map_err(|failure| PowerError::Singular {
                stage: "Jacobian analysis".into(),
                detail: failure.to_string(),
            })?;
        Ok(Self::with_layout(Arc::new(layout)))
    }

    /// A solver sharing an existing layout (same Ybus pattern).
    pub fn with_layout(layout: Arc<JacobianLayout>) -> Self {
        let n = layout.lu.blocks();
        Self {
            factors: LuFactors::new(layout.lu.clone()),
            values: vec![block::zero(); layout.lu.entry_count()],
            column_admittance: Vec::with_capacity(layout.lu.entry_count()),
            current: vec![Complex64::new(0.0, 0.0); n],
            power: vec![Complex64::new(0.0, 0.0); n],
            step: vec![[0.0; 2]; n],
            active: vec![[0.0; 2]; n],
            vm: vec![0.0; n],
            inverse_vm: vec![0.0; n],
            va: vec![0.0; n],
            layout,
        }
    }

    /// The layout this solver uses.
    pub fn layout(&self) -> &Arc<JacobianLayout> {
        &self.layout
    }

    /// Computes injections at `v` and the mismatch of the active equations into `step`;
    /// returns ‖F‖∞ (any non-finite entry gives infinity).
    fn mismatch(&mut self, network: &Network, v: &[Complex64]) -> f64 {
        network.ybus.multiply(v, &mut self.current);
        let mut largest: f64 = 0.0;
        for i in 0..v.len() {
            let s = v[i] * self.current[i].conj();
            self.power[i] = s;
            let difference = s - network.injection[i];
            let [p_active, q_active] = self.active[i];
            let f = [difference.re * p_active, difference.im * q_active];
            self.step[i] = f;
            let size = f[0].abs().max(f[1].abs());
            largest = if size.is_finite() {
                largest.max(size)
            } else {
                f64::INFINITY
            };
        }
        largest
    }

    /// Solves `network` from `start` to `tolerance_pu` within `max_iterations` updates.
    /// Buses of kind `Isolated` keep their starting voltage (use 0 for de-energised ones).
    ///
    /// # Panics
    /// If `start` or the network do not match the solver's pattern.
    pub fn solve(
        &mut self,
        network: &Network,
        start: Vec<Complex64>,
        tolerance_pu: f64,
        max_iterations: usize,
    ) -> Result<AcSolution, PowerError> {
        assert_eq!(start.len(), self.layout.lu.blocks());
        debug_assert_eq!(network.ybus.column.len(), self.values.len());
        let mut v = start;
        for (i, vi) in v.iter().enumerate() {
            self.vm[i] = vi.norm();
            self.va[i] = vi.arg();
            self.active[i] = active_parts(network.kind[i]);
        }
        JacobianLayout::column_admittances(&network.ybus, &mut self.column_admittance);
        let mut iterations = 0;
        let mut largest = self.mismatch(network, &v);
        // The largest mismatch of the last iterate that had one, for reports on divergence.
        let mut last_finite = largest;
        let status = loop {
            if largest < tolerance_pu {
                break SolveStatus::Converged;
            }
            if largest.is_nan() || largest >= DIVERGENCE_PU {
                break SolveStatus::Diverged;
            }
            if iterations == max_iterations {
                break SolveStatus::MaxIterations;
            }
            iterations += 1;
            for (inverse, &vm) in self.inverse_vm.iter_mut().zip(&self.vm) {
                *inverse = if vm > 0.0 { 1.0 / vm } else { 0.0 };
            }
            JacobianLayout::fill(
                &network.ybus,
                &self.column_admittance,
                &v,
                &self.inverse_vm,
                &self.power,
                &self.active,
                &mut self.values,
            );
            self.factors
                .factor(&self.values)
                .map_err(|failure| PowerError::Singular {
                    stage: format!("Newton iteration {iterations}"),
                    detail: failure.to_string(),
                })?;
            for f in self.step.iter_mut().flatten() {
                *f = -*f;
            }
            self.factors.solve_in_place(&mut self.step);
            for i in 0..v.len() {
                let [d_angle, d_magnitude] = self.step[i];
                if d_angle != 0.0 || d_magnitude != 0.0 {
                    self.va[i] += d_angle;
                    self.vm[i] += d_magnitude;
                    v[i] = Complex64::from_polar(self.vm[i], self.va[i]);
                }
            }
            largest = self.mismatch(network, &v);
            if largest.is_finite() {
                last_finite = largest;
            }
        };
        Ok(AcSolution {
            status,
            iterations,
            max_mismatch_pu: if largest.is_finite() {
                largest
            } else {
                last_finite
            },
            voltage: v,
            power: self.power.clone(),
        })
    }
}
