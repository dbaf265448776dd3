//! Islands: the connected parts of a network after outages, and the slack bus of each.
//!
//! An island with a generator able to produce (`PMAX > 0`) is energised; its slack is the
//! case's own slack bus when the island keeps it (with a generator in service), else the
//! bus of its largest generator by `PMAX` (lowest position on ties). An island without
//! one is de-energised: its load is lost.
//!
//! Where we differ: pandapower sets every bus not connected to its slack out of service,
//! so an island with its own plants goes dark; lightsim2grid's solvers fail on a split
//! network (its contingency analysis reports such cases as not converged).

use crate::network::Network;
use lifeline_core::graph::connected_components;
use serde::Serialize;

/// One connected part of the network, in local indices of the [`Network`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Island {
    /// Local buses, ascending.
    pub buses: Vec<usize>,
    /// Local generators in service in the island.
    pub generators: Vec<usize>,
    /// Local slack buses (empty when de-energised).
    pub slack: Vec<usize>,
    /// Whether the island has generation and is solved.
    pub energised: bool,
}

/// Finds the islands formed by the live buses and branches of `network`.
///
/// `bus_live`, `branch_live` and `generator_live` are per local element; `base_slack`
/// flags the buses that are slack in the intact network; `p_max_mw` is each local
/// generator's `PMAX`.
pub fn find_islands(
    network: &Network,
    bus_live: &[bool],
    branch_live: &[bool],
    generator_live: &[bool],
    base_slack: &[bool],
    p_max_mw: &[f64],
) -> Vec<Island> {
    let edges = network
        .branch_ends
        .iter()
        .zip(branch_live)
        .filter(|(_, live)| **live)
        .map(|(&ends, _)| ends);
    let components = connected_components(network.bus_count(), edges);
    let mut islands: Vec<Island> = components
        .members()
        .into_iter()
        .map(|buses| Island {
            buses,
            generators: Vec::new(),
            slack: Vec::new(),
            energised: false,
        })
        .collect();
    for (g, &bus) in network.generator_bus.iter().enumerate() {
        if generator_live[g] {
            islands[components.label[bus]].generators.push(g);
        }
    }
    islands.retain(|island| bus_live[island.buses[0]]);
    for island in &mut islands {
        let producing = island.generators.iter().any(|&g| p_max_mw[g] > 0.0);
        if !producing {
            continue;
        }
        island.energised = true;
        let mut has_generator = std::collections::HashSet::new();
        for &g in &island.generators {
            has_generator.insert(network.generator_bus[g]);
        }
        island.slack = island
            .buses
            .iter()
            .copied()
            .filter(|&bus| base_slack[bus] && has_generator.contains(&bus))
            .collect();
        if island.slack.is_empty() {
            let largest = island
                .generators
                .iter()
                .copied()
                .max_by(|&a, &b| p_max_mw[a].total_cmp(&p_max_mw[b]).then(b.cmp(&a)));
            island
                .slack
                .extend(largest.map(|g| network.generator_bus[g]));
        }
    }
    islands
}
