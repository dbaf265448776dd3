//! The fair scheduler.
//!
//! Slot by slot: groups that have been off as long as the rules allow come back, groups
//! back for less than the minimum on time stay on, critical groups never go off. Of the
//! rest, groups go off in order of least off time so far (ties: a rotation that moves one
//! place every slot, so no group is always first), until the shed covers the deficit; then
//! groups are put back, most off time first, while the shed still covers it, to shed as
//! little extra as possible. A slot that cannot be covered sheds everything it may and is
//! reported with the shortfall.
//!
//! Utilities' published schedules (queues 1–6 with sub-queues .1 and .2) rotate a fixed
//! order by "stage" (how many queues are off); [`crate::rotation`] is that naive rule, for
//! comparison.

use crate::group::Group;
use crate::rules::Rules;
use crate::schedule::Schedule;

/// A fair schedule covering `deficit_mw` (one value per slot).
pub fn fair(groups: &[Group], deficit_mw: &[f64], rules: &Rules) -> Schedule {
    staged(groups, deficit_mw, rules, &[])
}

/// A fair schedule with announced stages: where `stages[s]` is `Some(k)`, exactly `k`
/// groups are off (fewer if the rules leave fewer eligible), chosen as fairly as in
/// [`fair`], whatever the deficit; elsewhere the deficit decides.
pub fn staged(
    groups: &[Group],
    deficit_mw: &[f64],
    rules: &Rules,
    stages: &[Option<usize>],
) -> Schedule {
    let n = groups.len();
    let slots = deficit_mw.len();
    let mut schedule = Schedule::all_on("fair", n, slots);
    let mut off_run = vec![0usize; n];
    let mut on_run = vec![usize::MAX; n];
    let mut total_off = vec![0usize; n];
    for (s, &deficit) in deficit_mw.iter().enumerate() {
        let mut chosen: Vec<usize> = Vec::new();
        let stage = stages.get(s).copied().flatten();
        if deficit > 1e-9 || stage.is_some() {
            let mut eligible: Vec<usize> = (0..n)
                .filter(|&g| {
                    !groups[g].critical
                        && groups[g].load_at(s) > 0.0
                        && off_run[g] < rules.max_off_slots
                        && (off_run[g] > 0 || on_run[g] >= rules.min_on_slots)
                })
                .collect();
            // Least off time first; among equals a group already off goes on being off,
            // so outages run in blocks (fewer switchings).
            eligible.sort_by_key(|&g| {
                (
                    total_off[g],
                    off_run[g] == 0,
                    (g + n - s % n.max(1)) % n.max(1),
                )
            });
            let mut shed = 0.0;
            for &g in &eligible {
                let enough = match stage {
                    Some(k) => chosen.len() >= k,
                    None => shed >= deficit - 1e-9,
                };
                if enough {
                    break;
                }
                chosen.push(g);
                shed += groups[g].load_at(s);
            }
            // Put back the most-off groups first while the deficit stays covered.
            if stage.is_none() && shed >= deficit - 1e-9 {
                let mut order = chosen.clone();
                order.sort_by_key(|&g| std::cmp::Reverse((total_off[g], g)));
                for g in order {
                    if shed - groups[g].load_at(s) >= deficit - 1e-9 {
                        shed -= groups[g].load_at(s);
                        chosen.retain(|&c| c != g);
                    }
                }
            }
        }
        for g in 0..n {
            let off = chosen.contains(&g);
            schedule.off[g][s] = off;
            if off {
                off_run[g] += 1;
                total_off[g] += 1;
                on_run[g] = 0;
            } else {
                if off_run[g] > 0 {
                    on_run[g] = 0;
                }
                off_run[g] = 0;
                on_run[g] = on_run[g].saturating_add(1);
            }
        }
    }
    schedule
}
