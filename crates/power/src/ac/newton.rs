//! The Newton–Raphson iteration, with workspaces kept between solves.

use super::jacobian::JacobianLayout;
use super::{AcSolution, SolveStatus};
use crate::error::PowerError;
use crate::network::Network;
use crate::sparse_lu::LuFactors;
use num_complex::Complex64;
use std::sync::Arc;

/// Mismatch beyond which the iterates are taken to have diverged, p.u.
const DIVERGENCE_PU: f64 = 1e10;

/// A Newton–Raphson solver for one Jacobian layout. Holds its factors and buffers so that
/// repeated solves (iterations, contingencies) allocate nothing.
pub struct NewtonSolver {
    layout: Arc<JacobianLayout>,
    factors: LuFactors,
    values: Vec<f64>,
    current: Vec<Complex64>,
    power: Vec<Complex64>,
    step: Vec<f64>,
    vm: Vec<f64>,
    va: Vec<f64>,
}

impl NewtonSolver {
    /// A solver for `network` as it is now (its Ybus pattern and bus kinds).
    pub fn new(network: &Network) -> Result<Self, PowerError> {
        let layout = JacobianLayout::new(&network.ybus, &network.kind).map_err(|failure| {
            PowerError::Singular {
                stage: "Jacobian analysis".into(),
                detail: failure.to_string(),
            }
        })?;
        Ok(Self::with_layout(Arc::new(layout)))
    }

    /// A solver sharing an existing layout (same Ybus pattern and bus kinds).
    pub fn with_layout(layout: Arc<JacobianLayout>) -> Self {
        let n = layout.angle_unknown.len();
        Self {
            factors: LuFactors::new(layout.lu.clone()),
            values: vec![0.0; layout.value_len()],
            current: vec![Complex64::new(0.0, 0.0); n],
            power: vec![Complex64::new(0.0, 0.0); n],
            step: vec![0.0; layout.size()],
            vm: vec![0.0; n],
            va: vec![0.0; n],
            layout,
        }
    }

    /// The layout this solver uses.
    pub fn layout(&self) -> &Arc<JacobianLayout> {
        &self.layout
    }

    /// Computes injections at `v` and the mismatch vector into `step`; returns ‖F‖∞
    /// (NaN-safe: any non-finite entry gives infinity).
    fn mismatch(&mut self, network: &Network, v: &[Complex64]) -> f64 {
        network.ybus.multiply(v, &mut self.current);
        for ((s, vi), ii) in self.power.iter_mut().zip(v).zip(&self.current) {
            *s = vi * ii.conj();
        }
        let layout = &*self.layout;
        let mut largest: f64 = 0.0;
        let angle_count = layout.angle_buses.len();
        for (u, &bus) in layout.angle_buses.iter().enumerate() {
            let f = self.power[bus as usize].re - network.injection[bus as usize].re;
            self.step[u] = f;
            largest = if f.is_finite() {
                largest.max(f.abs())
            } else {
                f64::INFINITY
            };
        }
        for (u, &bus) in layout.magnitude_buses.iter().enumerate() {
            let f = self.power[bus as usize].im - network.injection[bus as usize].im;
            self.step[angle_count + u] = f;
            largest = if f.is_finite() {
                largest.max(f.abs())
            } else {
                f64::INFINITY
            };
        }
        largest
    }

    /// Solves `network` from `start` to `tolerance_pu` within `max_iterations` updates.
    ///
    /// # Panics
    /// If `start` or the network do not match the solver's layout.
    pub fn solve(
        &mut self,
        network: &Network,
        start: Vec<Complex64>,
        tolerance_pu: f64,
        max_iterations: usize,
    ) -> Result<AcSolution, PowerError> {
        assert_eq!(start.len(), self.layout.angle_unknown.len());
        let mut v = start;
        for (i, vi) in v.iter().enumerate() {
            self.vm[i] = vi.norm();
            self.va[i] = vi.arg();
        }
        let mut iterations = 0;
        let mut largest = self.mismatch(network, &v);
        let status = loop {
            if largest < tolerance_pu {
                break SolveStatus::Converged;
            }
            if !(largest < DIVERGENCE_PU) {
                break SolveStatus::Diverged;
            }
            if iterations == max_iterations {
                break SolveStatus::MaxIterations;
            }
            iterations += 1;
            self.layout
                .fill(&network.ybus, &v, &self.vm, &self.power, &mut self.values);
            let entries = self.values.len() - 1;
            self.factors
                .factor(&self.values[..entries])
                .map_err(|failure| PowerError::Singular {
                    stage: format!("Newton iteration {iterations}"),
                    detail: failure.to_string(),
                })?;
            for f in &mut self.step {
                *f = -*f;
            }
            self.factors.solve_in_place(&mut self.step);
            let layout = &*self.layout;
            let angle_count = layout.angle_buses.len();
            for (u, &bus) in layout.angle_buses.iter().enumerate() {
                self.va[bus as usize] += self.step[u];
            }
            for (u, &bus) in layout.magnitude_buses.iter().enumerate() {
                self.vm[bus as usize] += self.step[angle_count + u];
            }
            for (i, vi) in v.iter_mut().enumerate() {
                *vi = Complex64::from_polar(self.vm[i], self.va[i]);
            }
            largest = self.mismatch(network, &v);
        };
        Ok(AcSolution {
            status,
            iterations,
            max_mismatch_pu: largest,
            voltage: v,
            power: self.power.clone(),
        })
    }
}
