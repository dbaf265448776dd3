//! The exact model: a MILP solved with HiGHS, for horizons where it solves in time.
//!
//! `x[g,s] = 1` when group `g` is off in slot `s` (critical and empty groups stay on);
//! `u[s] ≥ 0` is deficit left uncovered, MW.
//!
//! * cover: `Σ_g load_g·x[g,s] + u[s] ≥ deficit[s]`;
//! * longest off time: every `max_off + 1` consecutive slots hold at most `max_off` off;
//! * shortest on time: a group back on at `s` stays on until `s + min_on`:
//!   `x[g,s−1] − x[g,s] + x[g,t] ≤ 1` for `s < t < s + min_on`;
//! * fairness: off slots of any two groups differ by at most one
//!   (`T_min ≤ Σ_s x[g,s] ≤ T_max`, `T_max − T_min ≤ 1`);
//! * minimise the load shed plus a penalty of 1000× on uncovered deficit, so the
//!   deficit is covered wherever the rules allow and over-shed is as small as possible.
//!
//! Everything off and everything uncovered is always feasible, so the model has a
//! solution; when HiGHS stops at the time limit it returns the best schedule it found.

use crate::group::Group;
use crate::rules::Rules;
use crate::schedule::Schedule;
use highs::{HighsModelStatus, RowProblem, Sense};
use std::time::Duration;

/// Penalty per MW of uncovered deficit, relative to 1 MW shed.
const UNCOVERED_PENALTY: f64 = 1000.0;

/// The outcome of the exact model.
#[derive(Debug, Clone)]
pub struct Solved {
    /// The schedule.
    pub schedule: Schedule,
    /// HiGHS proved it optimal (else it stopped at the time limit).
    pub optimal: bool,
}

/// Solves the model within `time_limit`; `None` when HiGHS found no schedule in time.
pub fn solve(
    groups: &[Group],
    deficit_mw: &[f64],
    rules: &Rules,
    time_limit: Duration,
) -> Option<Solved> {
    let slots = deficit_mw.len();
    let sheddable: Vec<usize> = (0..groups.len())
        .filter(|&g| !groups[g].critical && groups[g].carries_load())
        .collect();
    let mut problem = RowProblem::default();
    // x columns in (group, slot) order, then u, then T_min, T_max.
    let x: Vec<Vec<highs::Col>> = sheddable
        .iter()
        .map(|&g| {
            (0..slots)
                .map(|s| problem.add_integer_column(groups[g].load_at(s) * rules.slot_h, 0..=1))
                .collect()
        })
        .collect();
    let u: Vec<highs::Col> = (0..slots)
        .map(|s| {
            problem.add_column(
                UNCOVERED_PENALTY * rules.slot_h,
                0.0..=deficit_mw[s].max(0.0),
            )
        })
        .collect();
    let t_min = problem.add_column(0.0, 0.0..);
    let t_max = problem.add_column(0.0, 0.0..);
    for s in 0..slots {
        let mut row: Vec<(highs::Col, f64)> = sheddable
            .iter()
            .enumerate()
            .map(|(i, &g)| (x[i][s], groups[g].load_at(s)))
            .collect();
        row.push((u[s], 1.0));
        problem.add_row(deficit_mw[s].max(0.0).., &row);
    }
    let window = rules.max_off_slots + 1;
    for row in &x {
        for w in 0..slots.saturating_sub(window - 1) {
            let cells: Vec<(highs::Col, f64)> = (w..w + window).map(|s| (row[s], 1.0)).collect();
            problem.add_row(..=rules.max_off_slots as f64, &cells);
        }
        for s in 1..slots {
            for t in s + 1..(s + rules.min_on_slots).min(slots) {
                problem.add_row(..=1.0, [(row[s - 1], 1.0), (row[s], -1.0), (row[t], 1.0)]);
            }
        }
        let mut total: Vec<(highs::Col, f64)> = row.iter().map(|&c| (c, 1.0)).collect();
        total.push((t_min, -1.0));
        problem.add_row(0.0.., &total);
        let mut total: Vec<(highs::Col, f64)> = row.iter().map(|&c| (c, 1.0)).collect();
        total.push((t_max, -1.0));
        problem.add_row(..=0.0, &total);
    }
    problem.add_row(..=1.0, [(t_max, 1.0), (t_min, -1.0)]);

    let mut model = problem.optimise(Sense::Minimise);
    model.set_option("output_flag", false);
    model.set_option("threads", 1);
    model.set_option("time_limit", time_limit.as_secs_f64());
    model.set_option("mip_rel_gap", 1e-4);
    let solved = model.solve();
    let status = solved.status();
    if !matches!(
        status,
        HighsModelStatus::Optimal | HighsModelStatus::ReachedTimeLimit
    ) {
        return None;
    }
    let solution = solved.get_solution();
    let values = solution.columns();
    if values.len() < sheddable.len() * slots {
        return None;
    }
    let mut schedule = Schedule::all_on("exact", groups.len(), slots);
    for (i, &g) in sheddable.iter().enumerate() {
        for s in 0..slots {
            schedule.off[g][s] = values[i * slots + s] > 0.5;
        }
    }
    Some(Solved {
        schedule,
        optimal: status == HighsModelStatus::Optimal,
    })
}
