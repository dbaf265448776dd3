//! AC power flow: Newton–Raphson in polar coordinates with a sparse Jacobian.
//!
//! Follows MATPOWER's `newtonpf` (unknown ordering, convergence test `‖F‖∞ < tol` in p.u.,
//! iteration count = number of updates) so results agree with MATPOWER, pandapower and
//! lightsim2grid to round-off. Differs from pandapower in reusing the symbolic
//! factorisation across iterations and across solves on the same topology, as lightsim2grid
//! does with KLU.

mod jacobian;
mod newton;
mod q_limits;

pub use jacobian::{JacobianLayout, active_parts as jacobian_active_parts};
pub use newton::NewtonSolver;
pub use q_limits::{bus_q_limits, solve_with_q_limits, switch_violators};

use crate::network::Init;
use num_complex::Complex64;
use serde::Serialize;

/// Options of an AC power flow.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct AcOptions {
    /// Convergence tolerance on the largest P or Q mismatch, p.u.
    pub tolerance_pu: f64,
    /// Maximum Newton iterations.
    pub max_iterations: usize,
    /// Where to start.
    pub init: Init,
    /// Switch PV buses whose generators exceed their reactive limits to PQ (MATPOWER's
    /// `enforce_q_lims`), re-solving until no limit is violated.
    pub enforce_q_limits: bool,
}

impl Default for AcOptions {
    /// MATPOWER's and pandapower's defaults: tolerance 1e-8 p.u., 10 iterations, flat
    /// start, reactive limits not enforced.
    fn default() -> Self {
        Self {
            tolerance_pu: 1e-8,
            max_iterations: 10,
            init: Init::Flat,
            enforce_q_limits: false,
        }
    }
}

/// How an iterative solve ended. Non-convergence is a status, not an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SolveStatus {
    /// The largest mismatch fell below the tolerance.
    Converged,
    /// The iteration limit was reached first.
    MaxIterations,
    /// The iterates left the finite numbers (voltage collapse or a hopeless start).
    Diverged,
}

impl SolveStatus {
    /// Whether the solve converged.
    pub fn converged(self) -> bool {
        self == SolveStatus::Converged
    }
}

/// The state a Newton solve reached.
#[derive(Debug, Clone)]
pub struct AcSolution {
    /// How the solve ended.
    pub status: SolveStatus,
    /// Newton updates performed.
    pub iterations: usize,
    /// Largest |P| or |Q| mismatch at the final voltages, p.u. (on divergence, at the
    /// last iterate where it was finite).
    pub max_mismatch_pu: f64,
    /// Bus voltages, p.u.
    pub voltage: Vec<Complex64>,
    /// Computed injections `V·conj(Ybus·V)`, p.u.
    pub power: Vec<Complex64>,
}
