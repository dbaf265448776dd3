//! A schedule: which groups are off in which slot, and what that sheds.

use crate::group::Group;
use crate::rules::Rules;
use serde::Serialize;

/// One slot of a schedule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Slot {
    /// Start, h from the start of the horizon.
    pub start_h: f64,
    /// Load above the available generation, MW (0 when there is enough).
    pub deficit_mw: f64,
    /// Load of the groups switched off, MW.
    pub shed_mw: f64,
    /// Ids of the groups switched off, in the groups' order.
    pub off: Vec<String>,
    /// Deficit left uncovered under the rules, MW (0 when covered).
    pub uncovered_mw: f64,
}

/// A schedule over the horizon.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    /// Name of the scheduler that made it.
    pub name: String,
    /// `off[group][slot]`: the group is switched off.
    pub off: Vec<Vec<bool>>,
}

/// Figures of a schedule against its inputs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figures {
    /// Scheduler.
    pub name: String,
    /// Load shed beyond the deficit, MWh (over covered slots).
    pub over_shed_mwh: f64,
    /// Deficit left uncovered, MWh.
    pub uncovered_mwh: f64,
    /// Slots whose deficit is not covered.
    pub uncovered_slots: usize,
    /// Off slots of each non-critical group, in the groups' order.
    pub off_slots: Vec<usize>,
    /// Most minus fewest off slots among non-critical groups.
    pub off_spread_slots: usize,
    /// Longest continuous off time of any group, slots.
    pub longest_off_slots: usize,
    /// Times a group is switched off.
    pub switch_offs: usize,
}

impl Schedule {
    /// A schedule with every group on.
    pub fn all_on(name: &str, groups: usize, slots: usize) -> Self {
        Self {
            name: name.into(),
            off: vec![vec![false; slots]; groups],
        }
    }

    /// The slots, with `deficit_mw` per slot.
    pub fn slots(&self, groups: &[Group], deficit_mw: &[f64], rules: &Rules) -> Vec<Slot> {
        deficit_mw
            .iter()
            .enumerate()
            .map(|(s, &deficit)| {
                let off: Vec<usize> = (0..groups.len()).filter(|&g| self.off[g][s]).collect();
                let shed: f64 = off.iter().map(|&g| groups[g].load_at(s)).sum();
                Slot {
                    start_h: s as f64 * rules.slot_h,
                    deficit_mw: deficit,
                    shed_mw: shed,
                    off: off.iter().map(|&g| groups[g].id.clone()).collect(),
                    uncovered_mw: (deficit - shed).max(0.0),
                }
            })
            .collect()
    }

    /// Longest run of off slots of group `g`.
    pub fn longest_off(&self, g: usize) -> usize {
        let mut longest = 0;
        let mut run = 0;
        for &off in &self.off[g] {
            run = if off { run + 1 } else { 0 };
            longest = longest.max(run);
        }
        longest
    }

    /// Figures of the schedule.
    pub fn figures(&self, groups: &[Group], deficit_mw: &[f64], rules: &Rules) -> Figures {
        let slots = self.slots(groups, deficit_mw, rules);
        let ordinary: Vec<usize> = (0..groups.len()).filter(|&g| !groups[g].critical).collect();
        let off_slots: Vec<usize> = ordinary
            .iter()
            .map(|&g| self.off[g].iter().filter(|&&o| o).count())
            .collect();
        Figures {
            name: self.name.clone(),
            over_shed_mwh: slots
                .iter()
                .filter(|s| s.uncovered_mw <= 1e-9)
                .map(|s| (s.shed_mw - s.deficit_mw.max(0.0)) * rules.slot_h)
                .sum(),
            uncovered_mwh: slots.iter().map(|s| s.uncovered_mw * rules.slot_h).sum(),
            uncovered_slots: slots.iter().filter(|s| s.uncovered_mw > 1e-9).count(),
            off_spread_slots: off_slots.iter().max().unwrap_or(&0)
                - off_slots.iter().min().unwrap_or(&0),
            off_slots,
            longest_off_slots: (0..groups.len())
                .map(|g| self.longest_off(g))
                .max()
                .unwrap_or(0),
            switch_offs: self
                .off
                .iter()
                .map(|row| {
                    row.iter()
                        .enumerate()
                        .filter(|&(s, &off)| off && (s == 0 || !row[s - 1]))
                        .count()
                })
                .sum(),
        }
    }
}

/// The deficit per slot: total load (critical included) above the available generation.
pub fn deficits(groups: &[Group], capacity_mw: &[f64]) -> Vec<f64> {
    capacity_mw
        .iter()
        .enumerate()
        .map(|(s, &c)| (groups.iter().map(|g| g.load_at(s)).sum::<f64>() - c).max(0.0))
        .collect()
}
