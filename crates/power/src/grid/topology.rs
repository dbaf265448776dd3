//! The first step of a solve: what outages leave live, the islands it forms and the role
//! of every bus in them.

use super::Grid;
use crate::bus::BusKind;
use crate::island::{Island, find_islands};
use crate::network::Network;
use crate::outage::OutageMask;

/// The grid's network with outages applied, and its islands.
pub(super) struct Topology {
    /// The intact network with out branches removed from the Ybus (same pattern) and
    /// bus kinds set per island: `Isolated` where de-energised.
    pub(super) network: Network,
    /// Per local branch: in service with both ends live.
    pub(super) branch_live: Vec<bool>,
    /// Per local generator: in service at a live bus.
    pub(super) generator_live: Vec<bool>,
    /// The connected parts of the live network, energised or not.
    pub(super) islands: Vec<Island>,
}

impl Topology {
    /// Applies `mask` to `grid`'s intact network.
    pub(super) fn new(grid: &Grid, mask: &OutageMask) -> Self {
        let base = &grid.network;
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
        let mut network = base.clone();
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
            &grid.base_slack,
            &grid.p_max_mw,
        );
        assign_kinds(&mut network, base, &islands, &generator_live);
        Self {
            network,
            branch_live,
            generator_live,
            islands,
        }
    }
}

/// Sets the kind of every bus of `network`: `Isolated` outside energised islands; in
/// them the island's slack, PV where the intact network regulates voltage and a live
/// generator is left, else PQ.
fn assign_kinds(
    network: &mut Network,
    base: &Network,
    islands: &[Island],
    generator_live: &[bool],
) {
    let mut has_generator = vec![false; base.bus_count()];
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
}
