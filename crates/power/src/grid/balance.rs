//! Dispatch and served load of every island while it is balanced: re-dispatch within the
//! generators' limits, shedding by priority, and islands taken down.

use super::{Grid, GridOptions};
use crate::bus::BusKind;
use crate::dispatch::redispatch;
use crate::island::Island;
use crate::network::Network;
use crate::shedding::{LoadPriority, shed_by_priority};
use num_complex::Complex64;

/// Largest share of an island's demand that its losses are assumed to reach when deciding
/// whether to re-dispatch before solving (transmission losses are 1–5 % in practice).
const LOSS_MARGIN: f64 = 0.05;

/// Dispatch and served load of every island while it is being balanced (local indices).
pub(super) struct Balance {
    /// Connected active load per local bus, MW.
    pub(super) load_mw: Vec<f64>,
    /// Shunt conductance per local bus, MW at 1 p.u.
    shunt_mw: Vec<f64>,
    /// Load shed per local bus, MW.
    pub(super) shed_mw: Vec<f64>,
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
    pub(super) p_max_mw: Vec<f64>,
}

impl Balance {
    pub(super) fn new(
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
    pub(super) fn pre_dispatch(&mut self, grid: &Grid, islands: &[Island]) {
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
    pub(super) fn measure_slack(
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
    pub(super) fn adjust(
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
    pub(super) fn shed_share(
        &mut self,
        grid: &Grid,
        network: &Network,
        island: &Island,
        share: f64,
    ) -> bool {
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
    pub(super) fn collapse(&mut self, island: &Island) {
        for &l in &island.buses {
            self.supplied[l] = false;
        }
        for &g in &island.generators {
            self.p_mw[g] = 0.0;
            self.slack_output_mw[g] = Some(0.0);
        }
    }

    /// Writes served load and dispatch into the network's injections.
    pub(super) fn apply(&self, grid: &Grid, network: &mut Network) {
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
    pub(super) fn generator_output_mw(&self, g: usize) -> f64 {
        if !self.live[g] {
            0.0
        } else if self.at_slack[g] {
            self.slack_output_mw[g].unwrap_or(self.p_mw[g])
        } else {
            self.p_mw[g]
        }
    }
}
