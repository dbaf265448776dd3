//! The balance rounds of a solve, and the retries of islands that do not converge.
//!
//! A balance round solves the network, measures each island's slack output against its
//! generators' limits, then moves what lies beyond them onto the other generators or sheds
//! it (and switches PV buses past their reactive limits); the next round solves again.
//! [`GridOptions::max_balance_rounds`] bounds the rounds.
//!
//! Within a round, an island that does not converge takes the next step of its recovery
//! ladder — a start from the case's voltages, then up to [`VOLTAGE_SHED_STEPS`] load
//! sheds, then it is taken down — and the network is solved again, until every island has
//! converged or is down. The ladder is each island's retry budget for the whole solve: a
//! retry is not a balance round, and the last round still lets an island retry.

use super::balance::Balance;
use super::topology::Topology;
use super::{Grid, GridOptions};
use crate::ac::{AcSolution, NewtonSolver, SolveStatus, bus_q_limits, switch_violators};
use crate::bus::BusKind;
use crate::error::PowerError;
use crate::island::Island;
use crate::network::Network;
use num_complex::Complex64;

/// Load-shedding steps tried on an island that does not converge before it is taken down.
const VOLTAGE_SHED_STEPS: usize = 3;
/// Share of an island's served load shed at each such step.
const VOLTAGE_SHED_SHARE: f64 = 0.2;

/// How far an island that did not converge has gone on its recovery ladder.
#[derive(Debug, Clone, Copy)]
struct Recovery {
    /// Whether it has been solved from the case's voltages (true from the outset on a
    /// cold start).
    tried_fresh: bool,
    /// Load-shedding steps taken.
    voltage_sheds: usize,
}

/// The state of one [`Grid::solve`] from its first balance round to its result.
pub(super) struct Rounds<'a> {
    pub(super) grid: &'a Grid,
    options: &'a GridOptions,
    /// The network with outages applied; bus kinds change as islands go down or PV buses
    /// reach their reactive limits.
    pub(super) network: Network,
    pub(super) islands: Vec<Island>,
    /// Per local branch: in service with both ends live.
    pub(super) branch_live: Vec<bool>,
    pub(super) balance: Balance,
    /// Reactive limits per local bus, MVAr.
    q_limits: Vec<(f64, f64)>,
    /// The case's own starting voltages, p.u.
    fresh: Vec<Complex64>,
    /// Voltages of the last solve (or the start), p.u.
    pub(super) voltage: Vec<Complex64>,
    /// Injections of the last solve, p.u.
    pub(super) power: Vec<Complex64>,
    /// Per island: how its last solve ended; `None` without generation.
    pub(super) status: Vec<Option<SolveStatus>>,
    /// Per island: the slack output beyond its limits at the last measure, MW.
    pub(super) slack_violation_mw: Vec<f64>,
    /// Per island: the largest power mismatch of its last solve, p.u. (0 without one).
    pub(super) mismatch_pu: Vec<f64>,
    recovery: Vec<Recovery>,
    /// Newton iterations over every solve.
    pub(super) iterations: usize,
}

impl<'a> Rounds<'a> {
    /// Prepares the rounds on `topology` with `balance` after its pre-dispatch, from
    /// `start` (a previous state's voltages) or the case's voltages.
    pub(super) fn new(
        grid: &'a Grid,
        options: &'a GridOptions,
        topology: Topology,
        balance: Balance,
        start: Option<&[Complex64]>,
    ) -> Self {
        let Topology {
            network,
            branch_live,
            generator_live,
            islands,
        } = topology;
        let q_limits = bus_q_limits(&grid.case, &network, Some(&generator_live));
        let fresh = grid.network.initial_voltage(options.ac.init);
        // A warm start keeps the previous voltages, except at buses that were dead (below
        // 0.5 p.u.), which start from the case's own.
        let voltage = match start {
            Some(start) => start
                .iter()
                .zip(&fresh)
                .map(|(&warm, &cold)| if warm.norm() >= 0.5 { warm } else { cold })
                .collect(),
            None => fresh.clone(),
        };
        let status = islands
            .iter()
            .map(|island| island.energised.then_some(SolveStatus::Converged))
            .collect();
        let recovery = Recovery {
            tried_fresh: start.is_none(),
            voltage_sheds: 0,
        };
        Self {
            grid,
            options,
            power: vec![Complex64::new(0.0, 0.0); network.bus_count()],
            network,
            branch_live,
            balance,
            q_limits,
            fresh,
            voltage,
            status,
            slack_violation_mw: vec![0.0; islands.len()],
            mismatch_pu: vec![0.0; islands.len()],
            recovery: vec![recovery; islands.len()],
            islands,
            iterations: 0,
        }
    }

    /// Runs balance rounds until one changes nothing or the rounds run out. Every
    /// island has converged or been taken down at the end.
    pub(super) fn run(&mut self, solver: &mut NewtonSolver) -> Result<(), PowerError> {
        let rounds = self.options.max_balance_rounds.max(1);
        for round in 0..rounds {
            let solution = self.converge(solver)?;
            self.measure_slack();
            if round + 1 == rounds || !self.rebalance(&solution) {
                break;
            }
        }
        Ok(())
    }

    /// Solves until every energised island has converged or been taken down; returns the
    /// last solution. Each retry moves an island up its ladder, which ends with the
    /// island down, so there are at most `2 + VOLTAGE_SHED_STEPS` retries per island.
    fn converge(&mut self, solver: &mut NewtonSolver) -> Result<AcSolution, PowerError> {
        loop {
            let solution = self.solve_once(solver)?;
            if !self.recover(&solution) {
                return Ok(solution);
            }
        }
    }

    /// Writes the balance into the network and solves it once.
    fn solve_once(&mut self, solver: &mut NewtonSolver) -> Result<AcSolution, PowerError> {
        self.balance.apply(self.grid, &mut self.network);
        for (v, kind) in self.voltage.iter_mut().zip(&self.network.kind) {
            if *kind == BusKind::Isolated {
                *v = Complex64::new(0.0, 0.0);
            }
        }
        let solution = solver.solve(
            &self.network,
            std::mem::take(&mut self.voltage),
            self.options.ac.tolerance_pu,
            self.options.ac.max_iterations,
        )?;
        self.iterations += solution.iterations;
        self.voltage = solution.voltage.clone();
        self.power.clone_from(&solution.power);
        Ok(solution)
    }

    /// Records how each energised island's solve ended; an island that did not converge
    /// takes the next step of its ladder. Returns whether any did (so the network must be
    /// solved again).
    fn recover(&mut self, solution: &AcSolution) -> bool {
        let mut retry = false;
        for i in 0..self.islands.len() {
            let island = &self.islands[i];
            if self.status[i].is_none() || self.network.kind[island.buses[0]] == BusKind::Isolated {
                continue;
            }
            let largest = island_mismatch(&self.network, &solution.power, island);
            self.mismatch_pu[i] = largest;
            if largest < self.options.ac.tolerance_pu {
                self.status[i] = Some(SolveStatus::Converged);
                continue;
            }
            self.status[i] = Some(if solution.status == SolveStatus::Diverged {
                SolveStatus::Diverged
            } else {
                SolveStatus::MaxIterations
            });
            self.next_step(i);
            retry = true;
        }
        retry
    }

    /// Island `i`'s next recovery step, each solved from the case's voltages: the first
    /// such start (after a warm one), else a share of its load shed, else taken down.
    fn next_step(&mut self, i: usize) {
        let island = &self.islands[i];
        for &l in &island.buses {
            self.voltage[l] = self.fresh[l];
        }
        let recovery = &mut self.recovery[i];
        if !recovery.tried_fresh {
            recovery.tried_fresh = true;
        } else if recovery.voltage_sheds < VOLTAGE_SHED_STEPS
            && self
                .balance
                .shed_share(self.grid, &self.network, island, VOLTAGE_SHED_SHARE)
        {
            recovery.voltage_sheds += 1;
        } else {
            self.take_down(i);
        }
    }

    /// Takes island `i` down: no supply, no generation, its buses isolated.
    fn take_down(&mut self, i: usize) {
        let island = &self.islands[i];
        self.balance.collapse(island);
        for &l in &island.buses {
            self.network.kind[l] = BusKind::Isolated;
        }
    }

    /// Measures the slack output of every converged island against its limits.
    fn measure_slack(&mut self) {
        for (i, island) in self.islands.iter().enumerate() {
            if self.status[i] == Some(SolveStatus::Converged) {
                self.slack_violation_mw[i] =
                    self.balance
                        .measure_slack(&self.network, &self.power, island, self.options);
            }
        }
    }

    /// Moves each island's slack excess onto its other generators or sheds it, and
    /// switches PV buses past their reactive limits in `solution`; returns whether
    /// anything changed (so another round is needed).
    fn rebalance(&mut self, solution: &AcSolution) -> bool {
        let mut changed = false;
        for (island, &violation_mw) in self.islands.iter().zip(&self.slack_violation_mw) {
            if violation_mw != 0.0 {
                changed |= self
                    .balance
                    .adjust(self.grid, &self.network, island, violation_mw);
            }
        }
        if self.options.ac.enforce_q_limits {
            changed |= !switch_violators(&mut self.network, solution, &self.q_limits).is_empty();
        }
        changed
    }
}

/// Largest active mismatch over an island's buses, p.u.
fn island_mismatch(network: &Network, power: &[Complex64], island: &Island) -> f64 {
    let mut largest: f64 = 0.0;
    for &l in &island.buses {
        let difference = power[l] - network.injection[l];
        let size = match network.kind[l] {
            BusKind::Pq => difference.re.abs().max(difference.im.abs()),
            BusKind::Pv => difference.re.abs(),
            BusKind::Slack | BusKind::Isolated => 0.0,
        };
        largest = if size.is_finite() {
            largest.max(size)
        } else {
            f64::INFINITY
        };
    }
    largest
}
