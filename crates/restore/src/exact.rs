//! The exact model: a time-indexed MILP of the additive objective, solved with HiGHS, for
//! small instances (it grows with jobs × crews × hours).
//!
//! `x[j,k,t] = 1` when crew `k` sets out for job `j` at hour `t`. The crew is busy for
//! `p[j,k] = travel + duration` hours from `t`; the job is finished at `t + p[j,k]`.
//!
//! * each job once: `Σ_{k,t} x[j,k,t] = 1`;
//! * a crew does one thing at a time: for every crew and hour `τ`,
//!   `Σ_j Σ_{t ≤ τ < t + p[j,k]} x[j,k,t] ≤ 1`;
//! * precedence: work on `b` starts after `a` ends:
//!   `Σ (t + travel[k,b])·x[b,k,t] ≥ Σ (t + p[a,k])·x[a,k,t]`;
//! * not before the hit: `t ≥ ⌈release⌉`;
//! * minimise `Σ_j w_j·(finish_j − release_j)`.
//!
//! Times are whole hours: travel and duration are rounded up, release up, so the model is
//! exact for whole-hour instances (the generated ones) and a conservative approximation
//! otherwise. The horizon is long enough for any order: the latest release plus every
//! job's longest processing time.

use crate::error::RestoreError;
use crate::instance::Instance;
use crate::objective::{Additive, Objective};
use crate::plan::{Assignment, Plan};
use crate::planners::Planned;
use highs::{HighsModelStatus, RowProblem, Sense};
use std::time::{Duration, Instant};

/// Largest number of jobs the exact model accepts.
pub const MAX_JOBS: usize = 12;

/// Solves `instance` exactly under the additive objective, within `time_limit`.
pub fn solve(instance: &Instance, time_limit: Duration) -> Result<Planned, RestoreError> {
    let started = Instant::now();
    let n = instance.jobs.len();
    if n > MAX_JOBS {
        return Err(RestoreError::Invalid(format!(
            "the exact model takes at most {MAX_JOBS} damaged assets, this problem has {n}: use the best planner"
        )));
    }
    let crews = instance.crews.len();
    let hours = |h: f64| h.ceil().max(0.0) as usize;
    let p: Vec<Vec<usize>> = (0..n)
        .map(|j| {
            (0..crews)
                .map(|k| hours(instance.travel_h[k][j]) + hours(instance.jobs[j].duration_h))
                .collect()
        })
        .collect();
    let release: Vec<usize> = instance.jobs.iter().map(|j| hours(j.release_h)).collect();
    let horizon = release.iter().copied().max().unwrap_or(0)
        + (0..n)
            .map(|j| p[j].iter().copied().max().unwrap_or(0))
            .sum::<usize>()
        + 1;

    let mut problem = RowProblem::default();
    // Columns: (job, crew, t).
    let mut columns = Vec::new();
    let mut by_job: Vec<Vec<(highs::Col, usize, usize)>> = vec![Vec::new(); n];
    for j in 0..n {
        let job = &instance.jobs[j];
        for (k, crew) in instance.crews.iter().enumerate() {
            if !crew.can_do(job) {
                continue;
            }
            for t in release[j]..=horizon.saturating_sub(p[j][k]) {
                let finish = (t + p[j][k]) as f64;
                let col = problem.add_integer_column(job.weight * (finish - job.release_h), 0..=1);
                columns.push((col, j, k, t));
                by_job[j].push((col, k, t));
            }
        }
    }
    for list in &by_job {
        let row: Vec<(highs::Col, f64)> = list.iter().map(|&(c, _, _)| (c, 1.0)).collect();
        problem.add_row(1.0..=1.0, &row);
    }
    for k in 0..crews {
        for tau in 0..horizon {
            let row: Vec<(highs::Col, f64)> = columns
                .iter()
                .filter(|&&(_, j, kk, t)| kk == k && t <= tau && tau < t + p[j][k])
                .map(|&(c, ..)| (c, 1.0))
                .collect();
            if row.len() > 1 {
                problem.add_row(..=1.0, &row);
            }
        }
    }
    for &(a, b) in &instance.precedence {
        let mut row: Vec<(highs::Col, f64)> = Vec::new();
        for &(c, k, t) in &by_job[b] {
            row.push((c, (t + hours(instance.travel_h[k][b])) as f64));
        }
        for &(c, k, t) in &by_job[a] {
            row.push((c, -((t + p[a][k]) as f64)));
        }
        problem.add_row(0.0.., &row);
    }

    let mut model = problem.optimise(Sense::Minimise);
    model.set_option("output_flag", false);
    model.set_option("threads", 1);
    model.set_option("time_limit", time_limit.as_secs_f64());
    model.set_option("mip_rel_gap", 1e-6);
    let solved = model.solve();
    let status = solved.status();
    if !matches!(
        status,
        HighsModelStatus::Optimal | HighsModelStatus::ReachedTimeLimit
    ) {
        return Err(RestoreError::Solver(format!("HiGHS ended with {status:?}")));
    }
    let solution = solved.get_solution();
    let values = solution.columns();
    let mut assignments = Vec::with_capacity(n);
    // Columns are numbered in the order they were added, which is `columns`' order.
    for (index, &(_, j, k, t)) in columns.iter().enumerate() {
        if values.get(index).is_some_and(|&v| v > 0.5) {
            let depart_h = t as f64;
            let start_h = depart_h + hours(instance.travel_h[k][j]) as f64;
            assignments.push(Assignment {
                job: j,
                crew: k,
                depart_h,
                start_h,
                // The model reserved whole hours; the work takes its own time.
                end_h: start_h + instance.jobs[j].duration_h,
            });
        }
    }
    if assignments.len() != n {
        return Err(RestoreError::Solver(format!(
            "HiGHS stopped at the time limit ({:.0} s) before finding a plan",
            time_limit.as_secs_f64()
        )));
    }
    assignments.sort_by(|a, b| a.depart_h.total_cmp(&b.depart_h));
    let plan = Plan { assignments };
    let objective = Additive.cost(instance, &plan);
    // Proven optimal only when HiGHS says so and no time was rounded up to the hour.
    let whole = |h: f64| h.fract() == 0.0;
    let integral = instance
        .jobs
        .iter()
        .all(|j| whole(j.duration_h) && whole(j.release_h))
        && instance.travel_h.iter().flatten().all(|&h| whole(h));
    let lower_bound = (status == HighsModelStatus::Optimal && integral).then_some(objective);
    Ok(Planned {
        name: "exact".into(),
        objective,
        plan,
        runtime_ms: started.elapsed().as_secs_f64() * 1e3,
        lower_bound,
        evaluations: 0,
    })
}
