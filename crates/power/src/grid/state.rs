//! The result of a solve: per island, per case bus, branch and generator.

use super::rounds::Rounds;
use crate::ac::SolveStatus;
use crate::bus::{BusId, BusKind};
use crate::flow::{AcRows, BranchFlow, BusFlow};
use num_complex::Complex64;
use serde::Serialize;

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
    /// The largest active or reactive power mismatch of its last solve, p.u. (0 without
    /// generation): below the tolerance when converged, the real figure when not.
    pub max_mismatch_pu: f64,
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

    /// The largest power mismatch of any island's last solve, p.u.
    pub fn max_mismatch_pu(&self) -> f64 {
        self.islands
            .iter()
            .map(|island| island.max_mismatch_pu)
            .fold(0.0, f64::max)
    }

    /// Positive load not served: shed plus de-energised, MW.
    pub fn unserved_mw(&self) -> f64 {
        self.shed_mw() + self.dark_load_mw()
    }
}

impl Rounds<'_> {
    /// The result: AC rows with de-energised buses and dead branches zeroed, dispatch,
    /// load and shedding per case element, and the state of every island.
    pub(super) fn into_state(self) -> GridState {
        let case = &self.grid.case;
        let network = &self.network;
        let balance = &self.balance;
        let mut rows = AcRows::dark(case);
        rows.record(network, &self.voltage, &self.power);
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
            if !self.branch_live[local] || dark {
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
        // Load on a dark bus is dark, not shed: counting it as both made shed + dark
        // exceed the load when an island that had shed load was then taken down.
        for (l, &i) in network.case_bus.iter().enumerate() {
            if bus_energised[i] {
                bus_shed_mw[i] = balance.shed_mw[l];
            }
        }
        let id = |l: usize| case.buses[network.case_bus[l]].id;
        let island_states = self
            .islands
            .iter()
            .zip(self.status)
            .zip(self.slack_violation_mw)
            .zip(self.mismatch_pu)
            .map(
                |(((island, status), slack_violation_mw), max_mismatch_pu)| {
                    let energised = status == Some(SolveStatus::Converged);
                    IslandState {
                        buses: island.buses.iter().map(|&l| id(l)).collect(),
                        slack_buses: island.slack.iter().map(|&l| id(l)).collect(),
                        energised,
                        status,
                        load_mw: island.buses.iter().map(|&l| balance.load_mw[l]).sum(),
                        shed_mw: if energised {
                            island.buses.iter().map(|&l| balance.shed_mw[l]).sum()
                        } else {
                            0.0
                        },
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
                        max_mismatch_pu,
                    }
                },
            )
            .collect();
        GridState {
            iterations: self.iterations,
            islands: island_states,
            buses: rows.buses,
            branches: rows.branches,
            bus_load_mw,
            bus_shed_mw,
            bus_energised,
            generator_p_mw,
            voltage: self.voltage,
        }
    }
}
