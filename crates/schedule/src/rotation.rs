//! The naive fixed rotation: non-critical groups in a fixed order; every slot, the next
//! groups in the order go off until the deficit is covered, and the order moves on by as
//! many. It knows no off-time limits; it is the baseline the fair scheduler is measured
//! against.

use crate::group::Group;
use crate::schedule::Schedule;

/// The fixed-rotation schedule for `deficit_mw` (one value per slot).
pub fn naive(groups: &[Group], deficit_mw: &[f64]) -> Schedule {
    let mut schedule = Schedule::all_on("rotation", groups.len(), deficit_mw.len());
    let order: Vec<usize> = (0..groups.len())
        .filter(|&g| !groups[g].critical && groups[g].carries_load())
        .collect();
    if order.is_empty() {
        return schedule;
    }
    let mut next = 0;
    for (s, &deficit) in deficit_mw.iter().enumerate() {
        let mut shed = 0.0;
        let mut taken = 0;
        while shed < deficit - 1e-9 && taken < order.len() {
            let g = order[(next + taken) % order.len()];
            schedule.off[g][s] = true;
            shed += groups[g].load_at(s);
            taken += 1;
        }
        next = (next + taken) % order.len();
    }
    schedule
}
