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
//! undervoltage load shedding would; only then is it taken down.

use crate::ac::{
    AcOptions, JacobianLayout, NewtonSolver, SolveStatus, bus_q_limits, switch_violators,
};
use crate::bus::{BusId, BusKind};
use crate::case::Case;
use crate::dispatch::redispatch;
use crate::error::PowerError;
use crate::flow::{AcRows, BranchFlow, BusFlow};
use crate::island::{Island, find_islands};
use crate::network::{Network, Selection};
use crate::outage::{OutageMask, Outages};
use crate::shedding::{LoadPriority, shed_by_priority};
use num_complex::Complex64;
use serde::Serialize;
use std::sync::Arc;

/// Options of a solve under outages.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GridOptions {
    /// Newton options (tolerance, iterations, start, reactive limits).
    pub ac: AcOptions,
    /// How far the slack may exceed its limits before re-dispatch, MW.
    pub slack_tolerance_mw: f64,
    /// Most balance rounds (solve, check the slack, adjust) per solve.
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

/// The state of one island.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IslandState {
    /// Bus numbers of the island, in case order.
    pub buses: Vec<BusId>,
    /// Slack bus numbers (empty when de-energised).
    pub slack_buses: Vec<BusId>,
    /// Whether the island is supplied: it has generation and its solve converged.
    pub energised: bool,
    /// How its solve ended; `None` when it has no generation.
    pub status: Option<SolveStatus>,
    /// Connected load, MW.
    pub load_mw: f64,
    /// Load shed to balance the island, MW.
    pub shed_mw: f64,
    /// Generation in service, MW.
    pub generation_mw: f64,
    /// Sum of `PMAX` of the generators in service, MW.
    pub capacity_mw: f64,
    /// How far the slack output stays beyond its limits after the last round, MW (0 when
    /// within).
    pub slack_violation_mw: f64,
}

/// The grid's state after outages.
#[derive(Debug, Clone, Serialize)]
pub struct GridState {
    /// Newton iterations over all rounds.
    pub iterations: usize,
    /// One entry per island (de-energised ones included), in order of lowest bus.
    pub islands: Vec<IslandState>,
    /// AC result per case bus (type 4 and zeros where de-energised).
    pub buses: Vec<BusFlow>,
    /// AC result per case branch (status 0 and zeros where out or de-energised).
    pub branches: Vec<BranchFlow>,
    /// Connected load per case bus (`PD`), MW.
    pub bus_load_mw: Vec<f64>,
    /// Load shed per case bus, MW.
    pub bus_shed_mw: Vec<f64>,
    /// Whether each case bus is energised.
    pub bus_energised: Vec<bool>,
    /// Active output per case generator, MW (0 when out of service).
    pub generator_p_mw: Vec<f64>,
    /// Bus voltages of the compiled network (for warm starts), p.u.
    #[serde(skip)]
    pub voltage: Vec<Complex64>,
}

/// Load served and lost at one bus.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BusLoad {
    /// Bus number.
    pub bus_id: BusId,
    /// Connected load (`PD`), MW.
    pub load_mw: f64,
    /// Load shed to balance the bus's island, MW.
    pub shed_mw: f64,
    /// Load served, MW (0 when de-energised).
    pub served_mw: f64,
    /// Whether the bus is energised.
    pub energised: bool,
}

impl GridState {
    /// Load served and lost at every case bus, in case order.
    pub fn loads(&self) -> Vec<BusLoad> {
        self.buses
            .iter()
            .zip(&self.bus_load_mw)
            .zip(&self.bus_shed_mw)
            .zip(&self.bus_energised)
            .map(|(((row, &load_mw), &shed_mw), &energised)| BusLoad {
                bus_id: row.bus_id,
                load_mw,
                shed_mw,
                served_mw: if energised { load_mw - shed_mw } else { 0.0 },
                energised,
            })
            .collect()
    }

    /// Whether every island with generation converged.
    pub fn converged(&self) -> bool {
        self.islands
            .iter()
            .all(|island| island.status.is_none_or(SolveStatus::converged))
    }

    /// Load shed to balance islands, MW.
    pub fn shed_mw(&self) -> f64 {
        // `+ 0.0` turns the empty sum's −0 into 0.
        self.bus_shed_mw.iter().sum::<f64>() + 0.0
    }

    /// Positive load lost because its bus is de-energised, MW.
    pub fn dark_load_mw(&self) -> f64 {
        self.bus_load_mw
            .iter()
            .zip(&self.bus_energised)
            .filter(|(load, energised)| !**energised && **load > 0.0)
            .map(|(load, _)| load)
            .sum::<f64>()
            + 0.0
    }

    /// Positive load not served: shed plus de-energised, MW.
    pub fn unserved_mw(&self) -> f64 {
        self.shed_mw() + self.dark_load_mw()
    }
}

/// A case compiled for repeated solves under outages.
#[derive(Debug, Clone)]
pub struct Grid {
    case: Case,
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
        let mask = OutageMask::resolve(&self.case, outages)?;
        let base = &self.network;
        let mut network = base.clone();
        let n = base.bus_count();
        let bus_live: Vec<bool> = base.case_bus.iter().map(|&i| !mask.bus[i]).collect();
        let branch_live: Vec<bool> = base
            .case_branch
            .iter()
            .zip(&base.branch_ends)
            .map(|(&b, &(f, t))| !mask.branch[b] && bus_live[f] && bus_live[t])
            .collect();
        let generator_live: Vec<bool> = base
            .case_generator
            .iter()
            .zip(&base.generator_bus)
            .map(|(&g, &bus)| !mask.generator[g] && bus_live[bus])
            .collect();
        for (b, live) in branch_live.iter().enumerate() {
            if !live {
                network
                    .ybus
                    .remove_branch(&base.branch_slots[b], &base.branch_admittance[b]);
            }
        }
        let islands = find_islands(
            &network,
            &bus_live,
            &branch_live,
            &generator_live,
            &self.base_slack,
            &self.p_max_mw,
        );

        let mut has_generator = vec![false; n];
        for (g, &bus) in base.generator_bus.iter().enumerate() {
            has_generator[bus] |= generator_live[g];
        }
        network.kind.fill(BusKind::Isolated);
        for island in islands.iter().filter(|island| island.energised) {
            for &l in &island.buses {
                let regulating = base.kind[l] != BusKind::Pq && has_generator[l];
                network.kind[l] = if regulating { BusKind::Pv } else { BusKind::Pq };
            }
            for &l in &island.slack {
                network.kind[l] = BusKind::Slack;
            }
        }

        let mut balance = Balance::new(
            self,
            &network,
            &islands,
            &generator_live,
            options.available_generation_mw,
        );
        balance.pre_dispatch(self, &islands);
        let q_limits = bus_q_limits(&self.case, &network, Some(&generator_live));

        // A warm start keeps the previous voltages, except at buses that were dead (below
        // 0.5 p.u.), which start from the case's own.
        let fresh = base.initial_voltage(options.ac.init);
        let initial: Vec<Complex64> = match start {
            Some(start) => start
                .iter()
                .zip(&fresh)
                .map(|(&warm, &cold)| if warm.norm() >= 0.5 { warm } else { cold })
                .collect(),
            None => fresh.clone(),
        };
        let mut voltage = initial.clone();
        let mut tried_fresh = vec![start.is_none(); islands.len()];
        let mut status: Vec<Option<SolveStatus>> = islands
            .iter()
            .map(|island| island.energised.then_some(SolveStatus::Converged))
            .collect();
        let mut slack_violation = vec![0.0; islands.len()];
        let mut voltage_sheds = vec![0usize; islands.len()];
        let mut iterations = 0;
        let mut power = vec![Complex64::new(0.0, 0.0); n];
        for round in 0..options.max_balance_rounds.max(1) {
            balance.apply(self, &mut network);
            for l in 0..n {
                if network.kind[l] == BusKind::Isolated {
                    voltage[l] = Complex64::new(0.0, 0.0);
                }
            }
            let solution = solver.solve(
                &network,
                voltage,
                options.ac.tolerance_pu,
                options.ac.max_iterations,
            )?;
            iterations += solution.iterations;
            voltage = solution.voltage.clone();
            power.clone_from(&solution.power);

            // An island that fails to converge sheds load in steps (undervoltage load
            // shedding) and is solved again from the base voltages; after the last step it
            // is taken down (voltage collapse).
            let mut retry = false;
            for (i, island) in islands.iter().enumerate() {
                if status[i].is_none() || network.kind[island.buses[0]] == BusKind::Isolated {
                    continue;
                }
                let largest = island_mismatch(&network, &solution.power, island);
                if largest < options.ac.tolerance_pu {
                    status[i] = Some(SolveStatus::Converged);
                    continue;
                }
                status[i] = Some(if solution.status == SolveStatus::Diverged {
                    SolveStatus::Diverged
                } else {
                    SolveStatus::MaxIterations
                });
                // A warm start that fails is first retried from the case's voltages.
                if !tried_fresh[i] {
                    tried_fresh[i] = true;
                    for &l in &island.buses {
                        voltage[l] = fresh[l];
                    }
                    retry = true;
                    continue;
                }
                for &l in &island.buses {
                    voltage[l] = if start.is_some() {
                        fresh[l]
                    } else {
                        initial[l]
                    };
                }
                if voltage_sheds[i] < VOLTAGE_SHED_STEPS
                    && balance.shed_share(self, &network, island, VOLTAGE_SHED_SHARE)
                {
                    voltage_sheds[i] += 1;
                } else {
                    balance.collapse(island);
                    for &l in &island.buses {
                        network.kind[l] = BusKind::Isolated;
                    }
                }
                retry = true;
            }
            if retry {
                continue;
            }
            for (i, island) in islands.iter().enumerate() {
                if status[i] == Some(SolveStatus::Converged) {
                    slack_violation[i] = balance.measure_slack(&network, &power, island, options);
                }
            }
            if round + 1 == options.max_balance_rounds {
                break;
            }
            let mut changed = false;
            for (i, island) in islands.iter().enumerate() {
                if slack_violation[i] != 0.0 {
                    changed |= balance.adjust(self, &network, island, slack_violation[i]);
                }
            }
            if options.ac.enforce_q_limits {
                changed |= !switch_violators(&mut network, &solution, &q_limits).is_empty();
            }
            if !changed {
                break;
            }
        }
        // An island still unsolved when the rounds run out is taken down.
        for (i, island) in islands.iter().enumerate() {
            let unsolved = status[i].is_some_and(|s| !s.converged());
            if unsolved && network.kind[island.buses[0]] != BusKind::Isolated {
                balance.collapse(island);
                for &l in &island.buses {
                    network.kind[l] = BusKind::Isolated;
                }
            }
        }
        Ok(self.state(
            &network,
            &islands,
            &balance,
            status,
            slack_violation,
            iterations,
            voltage,
            power,
            &branch_live,
        ))
    }

    #[allow(clippy::too_many_arguments)]
    fn state(
        &self,
        network: &Network,
        islands: &[Island],
        balance: &Balance,
        status: Vec<Option<SolveStatus>>,
        slack_violation: Vec<f64>,
        iterations: usize,
        voltage: Vec<Complex64>,
        power: Vec<Complex64>,
        branch_live: &[bool],
    ) -> GridState {
        let case = &self.case;
        let mut rows = AcRows::dark(case);
        rows.record(network, &voltage, &power);
        let mut bus_energised = vec![false; case.buses.len()];
        for (l, &i) in network.case_bus.iter().enumerate() {
            if network.kind[l] == BusKind::Isolated {
                let row = &mut rows.buses[i];
                row.kind = BusKind::Isolated.code();
                (row.vm_pu, row.va_deg, row.p_mw, row.q_mvar) = (0.0, 0.0, 0.0, 0.0);
            } else {
                bus_energised[i] = true;
            }
        }
        for (local, &b) in network.case_branch.iter().enumerate() {
            let (f, t) = network.branch_ends[local];
            let dark = network.kind[f] == BusKind::Isolated || network.kind[t] == BusKind::Isolated;
            if !branch_live[local] || dark {
                let row = &mut rows.branches[b];
                row.status = 0;
                (row.p_from_mw, row.q_from_mvar, row.p_to_mw, row.q_to_mvar) = (0.0, 0.0, 0.0, 0.0);
            }
        }
        let mut generator_p_mw = vec![0.0; case.generators.len()];
        for (g, &case_g) in network.case_generator.iter().enumerate() {
            generator_p_mw[case_g] = balance.generator_output_mw(g);
        }
        let bus_load_mw: Vec<f64> = case.buses.iter().map(|bus| bus.p_load_mw).collect();
        let mut bus_shed_mw = vec![0.0; case.buses.len()];
        for (l, &i) in network.case_bus.iter().enumerate() {
            bus_shed_mw[i] = balance.shed_mw[l];
        }
        let id = |l: usize| case.buses[network.case_bus[l]].id;
        let island_states = islands
            .iter()
            .zip(status)
            .zip(slack_violation)
            .map(|((island, status), slack_violation_mw)| {
                let energised = status == Some(SolveStatus::Converged);
                IslandState {
                    buses: island.buses.iter().map(|&l| id(l)).collect(),
                    slack_buses: island.slack.iter().map(|&l| id(l)).collect(),
                    energised,
                    status,
                    load_mw: island.buses.iter().map(|&l| balance.load_mw[l]).sum(),
                    shed_mw: island.buses.iter().map(|&l| balance.shed_mw[l]).sum(),
                    generation_mw: island
                        .generators
                        .iter()
                        .map(|&g| balance.generator_output_mw(g))
                        .sum(),
                    capacity_mw: island
                        .generators
                        .iter()
                        .map(|&g| balance.p_max_mw[g].max(0.0))
                        .sum(),
                    slack_violation_mw,
                }
            })
            .collect();
        GridState {
            iterations,
            islands: island_states,
            buses: rows.buses,
            branches: rows.branches,
            bus_load_mw,
            bus_shed_mw,
            bus_energised,
            generator_p_mw,
            voltage,
        }
    }
}

/// Load-shedding steps tried on an island that does not converge before it is taken down.
const VOLTAGE_SHED_STEPS: usize = 3;
/// Share of an island's served load shed at each such step.
const VOLTAGE_SHED_SHARE: f64 = 0.2;

/// Largest share of an island's demand that its losses are assumed to reach when deciding
/// whether to re-dispatch before solving (transmission losses are 1–5 % in practice).
const LOSS_MARGIN: f64 = 0.05;

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

/// Dispatch and served load of every island while it is being balanced (local indices).
struct Balance {
    /// Connected active load per local bus, MW.
    load_mw: Vec<f64>,
    /// Shunt conductance per local bus, MW at 1 p.u.
    shunt_mw: Vec<f64>,
    /// Load shed per local bus, MW.
    shed_mw: Vec<f64>,
    /// Whether a local bus is supplied.
    supplied: Vec<bool>,
    /// Scheduled output per local generator, MW (0 when out).
    p_mw: Vec<f64>,
    /// Output of the slack generators after the last solve, MW, per local generator.
    slack_output_mw: Vec<Option<f64>>,
    /// Per local generator: live and at a slack bus.
    at_slack: Vec<bool>,
    /// Per local generator: live.
    live: Vec<bool>,
    /// Limits per local generator, MW, after any generation-capacity limit.
    p_min_mw: Vec<f64>,
    p_max_mw: Vec<f64>,
}

impl Balance {
    fn new(
        grid: &Grid,
        network: &Network,
        islands: &[Island],
        generator_live: &[bool],
        available_generation_mw: Option<f64>,
    ) -> Self {
        let n = network.bus_count();
        let case = &grid.case;
        let mut supplied = vec![false; n];
        for island in islands.iter().filter(|island| island.energised) {
            for &l in &island.buses {
                supplied[l] = true;
            }
        }
        let at_slack = network
            .generator_bus
            .iter()
            .zip(generator_live)
            .map(|(&bus, &live)| live && network.kind[bus] == BusKind::Slack)
            .collect();
        // A generation-capacity limit scales every live generator's PMAX alike.
        let live_capacity: f64 = grid
            .p_max_mw
            .iter()
            .zip(generator_live)
            .filter(|(_, live)| **live)
            .map(|(p, _)| p.max(0.0))
            .sum();
        let scale = match available_generation_mw {
            Some(available) if available < live_capacity && live_capacity > 0.0 => {
                available.max(0.0) / live_capacity
            }
            _ => 1.0,
        };
        let p_max_mw: Vec<f64> = grid
            .p_max_mw
            .iter()
            .map(|p| if *p > 0.0 { p * scale } else { *p })
            .collect();
        let p_min_mw: Vec<f64> = grid
            .p_min_mw
            .iter()
            .zip(&p_max_mw)
            .map(|(lo, hi)| lo.min(*hi))
            .collect();
        let scheduled: Vec<f64> = network
            .generator_p_mw
            .iter()
            .zip(generator_live)
            .zip(&p_max_mw)
            .map(|((&p, &live), &hi)| if live { p.min(hi) } else { 0.0 })
            .collect();
        Self {
            load_mw: network
                .case_bus
                .iter()
                .map(|&i| case.buses[i].p_load_mw)
                .collect(),
            shunt_mw: network
                .case_bus
                .iter()
                .map(|&i| case.buses[i].g_shunt_mw)
                .collect(),
            shed_mw: vec![0.0; n],
            supplied,
            p_mw: scheduled,
            slack_output_mw: vec![None; network.generator_bus.len()],
            at_slack,
            live: generator_live.to_vec(),
            p_min_mw,
            p_max_mw,
        }
    }

    fn served_mw(&self, l: usize) -> f64 {
        if self.supplied[l] {
            self.load_mw[l] - self.shed_mw[l]
        } else {
            0.0
        }
    }

    /// (generators at slack buses, other generators) of an island.
    fn split(&self, island: &Island) -> (Vec<usize>, Vec<usize>) {
        island.generators.iter().partition(|&&g| self.at_slack[g])
    }

    /// Sheds `amount_mw` in `island` by priority.
    fn shed(&mut self, grid: &Grid, network: &Network, island: &Island, amount_mw: f64) {
        let served: Vec<f64> = island.buses.iter().map(|&l| self.served_mw(l)).collect();
        let priority: Vec<LoadPriority> = island
            .buses
            .iter()
            .map(|&l| grid.priority[network.case_bus[l]])
            .collect();
        let (shed, _) = shed_by_priority(&served, &priority, amount_mw);
        for (&l, s) in island.buses.iter().zip(shed) {
            self.shed_mw[l] += s;
        }
    }

    /// Before the first solve: move generation where the slack would certainly leave its
    /// limits whatever the losses (taken between 0 and [`LOSS_MARGIN`] of the demand);
    /// what losses decide is left to [`Balance::measure_slack`] after the solve.
    fn pre_dispatch(&mut self, grid: &Grid, islands: &[Island]) {
        let network = &grid.network;
        for island in islands.iter().filter(|island| island.energised) {
            let demand: f64 = island
                .buses
                .iter()
                .map(|&l| self.served_mw(l) + self.shunt_mw[l])
                .sum();
            let (slack, others) = self.split(island);
            let lossless: f64 = demand - others.iter().map(|&g| self.p_mw[g]).sum::<f64>();
            let lossy = lossless + LOSS_MARGIN * demand.max(0.0);
            let slack_min: f64 = slack.iter().map(|&g| self.p_min_mw[g]).sum();
            let slack_max: f64 = slack.iter().map(|&g| self.p_max_mw[g]).sum();
            if lossless > slack_max {
                let left = redispatch(
                    &mut self.p_mw,
                    &self.p_min_mw,
                    &self.p_max_mw,
                    &others,
                    lossless - slack_max,
                );
                if left > 0.0 {
                    self.shed(grid, network, island, left);
                }
            } else if lossy < slack_min {
                redispatch(
                    &mut self.p_mw,
                    &self.p_min_mw,
                    &self.p_max_mw,
                    &others,
                    lossy - slack_min,
                );
            }
        }
    }

    /// After a converged solve: records the slack generators' output and returns how far
    /// it lies beyond their limits, MW (positive above `PMAX`, negative below `PMIN`, zero
    /// within the tolerance).
    fn measure_slack(
        &mut self,
        network: &Network,
        power: &[Complex64],
        island: &Island,
        options: &GridOptions,
    ) -> f64 {
        let (slack, _) = self.split(island);
        let base = network.base_mva;
        let slack_total: f64 = island
            .slack
            .iter()
            .map(|&l| (power[l].re + network.load[l].re) * base)
            .sum();
        // Share the slack output among its generators in proportion to PMAX.
        let capacity: f64 = slack.iter().map(|&g| self.p_max_mw[g].max(0.0)).sum();
        for &g in &slack {
            let share = if capacity > 0.0 {
                self.p_max_mw[g].max(0.0) / capacity
            } else {
                1.0 / slack.len() as f64
            };
            self.slack_output_mw[g] = Some(slack_total * share);
        }
        let slack_min: f64 = slack.iter().map(|&g| self.p_min_mw[g]).sum();
        let slack_max: f64 = slack.iter().map(|&g| self.p_max_mw[g]).sum();
        if slack_total > slack_max + options.slack_tolerance_mw {
            slack_total - slack_max
        } else if slack_total < slack_min - options.slack_tolerance_mw {
            slack_total - slack_min
        } else {
            0.0
        }
    }

    /// Moves `violation_mw` (from [`Balance::measure_slack`]) onto the island's other
    /// generators, shedding by priority what they cannot take. Returns whether anything
    /// changed.
    fn adjust(
        &mut self,
        grid: &Grid,
        network: &Network,
        island: &Island,
        violation_mw: f64,
    ) -> bool {
        let (_, others) = self.split(island);
        let left = redispatch(
            &mut self.p_mw,
            &self.p_min_mw,
            &self.p_max_mw,
            &others,
            violation_mw,
        );
        let mut changed = left != violation_mw;
        if left > 0.0 {
            let sheddable: f64 = island
                .buses
                .iter()
                .map(|&l| self.served_mw(l).max(0.0))
                .sum();
            if sheddable > 0.0 {
                self.shed(grid, network, island, left);
                changed = true;
            }
        }
        changed
    }

    /// Sheds `share` of the island's served (positive) load by priority. Returns whether
    /// there was anything to shed.
    fn shed_share(&mut self, grid: &Grid, network: &Network, island: &Island, share: f64) -> bool {
        let served: f64 = island
            .buses
            .iter()
            .map(|&l| self.served_mw(l).max(0.0))
            .sum();
        if served <= 0.0 {
            return false;
        }
        self.shed(grid, network, island, served * share);
        true
    }

    /// Takes an island down.
    fn collapse(&mut self, island: &Island) {
        for &l in &island.buses {
            self.supplied[l] = false;
        }
        for &g in &island.generators {
            self.p_mw[g] = 0.0;
            self.slack_output_mw[g] = Some(0.0);
        }
    }

    /// Writes served load and dispatch into the network's injections.
    fn apply(&self, grid: &Grid, network: &mut Network) {
        let base = network.base_mva;
        let case = &grid.case;
        for (l, &i) in network.case_bus.iter().enumerate() {
            let bus = &case.buses[i];
            let fraction = if !self.supplied[l] {
                0.0
            } else if bus.p_load_mw > 0.0 {
                1.0 - self.shed_mw[l] / bus.p_load_mw
            } else {
                1.0
            };
            network.load[l] = Complex64::new(bus.p_load_mw, bus.q_load_mvar) * (fraction / base);
            network.injection[l] = -network.load[l];
        }
        for (g, &bus) in network.generator_bus.iter().enumerate() {
            if self.live[g] && self.supplied[bus] {
                network.injection[bus] += Complex64::new(self.p_mw[g], grid.q_mvar[g]) / base;
            }
        }
    }

    /// Output of a local generator, MW: its schedule, or its share of the slack output.
    fn generator_output_mw(&self, g: usize) -> f64 {
        if !self.live[g] {
            0.0
        } else if self.at_slack[g] {
            self.slack_output_mw[g].unwrap_or(self.p_mw[g])
        } else {
            self.p_mw[g]
        }
    }
}
