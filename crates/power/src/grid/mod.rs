//! The grid under outages: which buses stay energised, how each island is balanced, how
//! much load is shed where, and the AC state of every energised island.
//!
//! [`Grid`] compiles a case once (network, Jacobian pattern and its symbolic analysis);
//! [`Grid::solve`] then applies any set of [`Outages`] as changes of values on that
//! pattern (an outaged branch is zeroed, a dead bus is held at zero voltage), so no solve
//! after the first repeats the symbolic analysis, whatever islands form.
//!
//! Balance of an island, before solving: the expected slack output (demand minus the
//! other generators) must lie within the slack generators' limits, else the other
//! generators move in proportion to their room, and if they cannot cover the demand, load
//! is shed by priority class. After solving, the same test on the slack's actual output
//! (losses included) re-dispatches or sheds the excess and solves again.
//!
//! An island whose power flow does not converge from a warm start is first solved again
//! from the case's voltages. If it still does not converge (voltage collapse), it sheds
//! 20 % of its served load by priority and is solved again, up to three times, as
//! undervoltage load shedding would; only then is it taken down. These retries have a
//! budget of their own: they never use up a balance round
//! ([`GridOptions::max_balance_rounds`]), and running out of balance rounds never cuts
//! them short.
//!
//! The steps of a solve, one module each: `topology` (what is live, the islands, a slack
//! per island), `balance` (dispatch and shedding per island), `rounds` (the balance
//! rounds, each solved until every island converges or is taken down) and `state` (the
//! result per case element).

mod balance;
mod rounds;
mod state;
mod topology;

pub use state::{BusLoad, GridState, IslandState};

use crate::ac::{AcOptions, JacobianLayout, NewtonSolver};
use crate::bus::{BusId, BusKind};
use crate::case::Case;
use crate::error::PowerError;
use crate::network::{Network, Selection};
use crate::outage::{OutageMask, Outages};
use crate::shedding::LoadPriority;
use balance::Balance;
use num_complex::Complex64;
use rounds::Rounds;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;
use topology::Topology;

/// Options of a solve under outages.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GridOptions {
    /// Newton options (tolerance, iterations, start, reactive limits).
    pub ac: AcOptions,
    /// How far the slack may exceed its limits before re-dispatch, MW.
    pub slack_tolerance_mw: f64,
    /// Most balance rounds (solve, check the slack, adjust) per solve; at least one is
    /// run. Solving an island again after it failed to converge is not a round.
    pub max_balance_rounds: usize,
    /// Generation that can be used, MW (fuel, damage elsewhere, import limits): when
    /// the live generators' `PMAX` add up to more, each is scaled down alike, and islands
    /// short of it shed load.
    pub available_generation_mw: Option<f64>,
}

impl Default for GridOptions {
    fn default() -> Self {
        Self {
            ac: AcOptions::default(),
            slack_tolerance_mw: 0.1,
            max_balance_rounds: 12,
            available_generation_mw: None,
        }
    }
}

/// A case compiled for repeated solves under outages.
#[derive(Debug, Clone)]
pub struct Grid {
    case: Case,
    /// Case bus id → position in `case.buses`.
    bus_positions: HashMap<BusId, usize>,
    network: Network,
    layout: Arc<JacobianLayout>,
    base_slack: Vec<bool>,
    priority: Vec<LoadPriority>,
    p_min_mw: Vec<f64>,
    p_max_mw: Vec<f64>,
    q_mvar: Vec<f64>,
}

impl Grid {
    /// Compiles `case` with every load in priority class 0.
    pub fn new(case: Case) -> Result<Self, PowerError> {
        case.check()?;
        let selection = Selection::whole(&case)?;
        let network = Network::compile(&case, &selection);
        let layout =
            JacobianLayout::new(&network.ybus).map_err(|failure| PowerError::Singular {
                stage: "Jacobian analysis".into(),
                detail: failure.to_string(),
            })?;
        let mut base_slack = vec![false; network.bus_count()];
        for (l, kind) in network.kind.iter().enumerate() {
            base_slack[l] = *kind == BusKind::Slack;
        }
        let generator = |g: usize| &case.generators[network.case_generator[g]];
        let count = network.case_generator.len();
        let p_min_mw = (0..count).map(|g| generator(g).p_min_mw).collect();
        let p_max_mw = (0..count).map(|g| generator(g).p_max_mw).collect();
        let q_mvar = (0..count).map(|g| generator(g).q_mvar).collect();
        let priority = vec![0; case.buses.len()];
        Ok(Self {
            bus_positions: case.bus_positions(),
            case,
            network,
            layout: Arc::new(layout),
            base_slack,
            priority,
            p_min_mw,
            p_max_mw,
            q_mvar,
        })
    }

    /// Sets the load priority class of each case bus (higher is shed later).
    ///
    /// # Panics
    /// If `priority` does not have one entry per case bus.
    pub fn with_priorities(mut self, priority: Vec<LoadPriority>) -> Self {
        assert_eq!(priority.len(), self.case.buses.len());
        self.priority = priority;
        self
    }

    /// The case.
    pub fn case(&self) -> &Case {
        &self.case
    }

    /// A Newton solver on this grid's pattern (one per thread).
    pub fn solver(&self) -> NewtonSolver {
        NewtonSolver::with_layout(self.layout.clone())
    }

    /// Solves the grid with `outages` applied, starting from `start` (voltages of a
    /// previous [`GridState`] of this grid) or from `options.ac.init`.
    pub fn solve(
        &self,
        outages: &Outages,
        options: &GridOptions,
        solver: &mut NewtonSolver,
        start: Option<&[Complex64]>,
    ) -> Result<GridState, PowerError> {
        let mask = OutageMask::resolve(&self.case, &self.bus_positions, outages)?;
        let topology = Topology::new(self, &mask);
        let mut balance = Balance::new(
            self,
            &topology.network,
            &topology.islands,
            &topology.generator_live,
            options.available_generation_mw,
        );
        balance.pre_dispatch(self, &topology.islands);
        let mut rounds = Rounds::new(self, options, topology, balance, start);
        rounds.run(solver)?;
        Ok(rounds.into_state())
    }
}
