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
//!
//! The model's optimum may keep a crew waiting for a heavier job about to be hit; lifeline's
//! plans never leave a crew idle while a job it could do waits, so the model's order (by
//! departure) is decoded like any other ([`crate::plan::decode`]) and the optimum is
//! reported as a lower bound.

use crate::error::RestoreError;
use crate::instance::Instance;
use crate::objective::Additive;
use crate::plan::{Assignment, Plan};
use crate::planners::Planned;
use highs::{HighsModelStatus, RowProblem, Sense};
use std::time::{Duration, Instant};

/// Largest number of jobs the exact model accepts.
pub const MAX_JOBS: usize = 12;

/// Largest model (columns: jobs × crews × departure hours) the exact model builds; a
/// larger one would take HiGHS minutes to read, let alone solve.
pub const MAX_COLUMNS: usize = 200_000;

/// Solves `instance` exactly under the additive objective, within `time_limit`.
pub fn solve(instance: &Instance, time_limit: Duration) -> Result<Planned, RestoreError> {
    let started = Instant::now();
    let n = instance.jobs.len();
    if n > MAX_JOBS {
        return Err(RestoreError::TooLargeForExact {
            field: "planner",
            jobs: n,
            max_jobs: MAX_JOBS,
        });
    }
    if n == 0 {
        // Nothing to repair: the empty plan, optimal (HiGHS refuses an empty model).
        let plan = crate::plan::decode(instance, &[]);
        return Ok(Planned {
            name: "exact".into(),
            objective: 0.0,
            plan,
            runtime_ms: started.elapsed().as_secs_f64() * 1e3,
            lower_bound: Some(0.0),
            evaluations: 0,
            time_limited: false,
        });
    }
    let model = TimeIndexed::new(instance);
    let columns = model.column_count();
    if columns > MAX_COLUMNS {
        return Err(RestoreError::Solver(format!(
            "the exact model would have {columns} hourly columns (it solves at most {MAX_COLUMNS}): the travel and repair times are too long for it"
        )));
    }
    let solution = model.solve(time_limit)?;
    let plan = model.plan(&solution);
    if plan.assignments.len() != n {
        return Err(RestoreError::Solver(format!(
            "HiGHS stopped at the time limit ({:.0} s) before finding a plan",
            time_limit.as_secs_f64()
        )));
    }
    // Proven optimal only when HiGHS says so and no time was rounded up to the hour; the
    // optimum bounds every plan, those with deliberate waits included.
    let proven = solution.status == HighsModelStatus::Optimal && whole_hours(instance);
    let lower_bound = proven.then(|| Additive.total(instance, &plan));
    // The model may keep a crew waiting for a heavier job; plans never do: its order
    // is decoded into a plan without idle crews.
    let order: Vec<usize> = plan.assignments.iter().map(|a| a.job).collect();
    let plan = crate::plan::decode(instance, &order);
    Ok(Planned {
        name: "exact".into(),
        objective: Additive.total(instance, &plan),
        plan,
        runtime_ms: started.elapsed().as_secs_f64() * 1e3,
        lower_bound,
        evaluations: 0,
        time_limited: solution.status == HighsModelStatus::ReachedTimeLimit,
    })
}

/// Whole hours, rounded up (0 for negative times).
fn hours(h: f64) -> usize {
    h.ceil().max(0.0) as usize
}

/// Whether every repair, release and travel time is a whole number of hours, so the
/// model's rounding changes nothing.
fn whole_hours(instance: &Instance) -> bool {
    let whole = |h: f64| h.fract() == 0.0;
    instance
        .jobs
        .iter()
        .all(|j| whole(j.duration_h) && whole(j.release_h))
        && instance.travel_h.iter().flatten().all(|&h| whole(h))
}

/// The time-indexed model of one instance: its columns and the times they stand for.
struct TimeIndexed<'a> {
    instance: &'a Instance,
    /// Hours crew `k` is busy with job `j` (travel and work): `p[j][k]`.
    p: Vec<Vec<usize>>,
    /// Earliest departure of each job, h.
    release: Vec<usize>,
    /// Last hour of the model.
    horizon: usize,
}

/// One column: (HiGHS column, job, crew, departure hour).
type Column = (highs::Col, usize, usize, usize);

/// What HiGHS found.
struct Solution {
    /// Optimal, or stopped at the time limit.
    status: HighsModelStatus,
    /// The columns, in the order they were added (HiGHS numbers them so).
    columns: Vec<Column>,
    /// Each column's value.
    values: Vec<f64>,
}

impl<'a> TimeIndexed<'a> {
    /// The processing times, releases and horizon of `instance`.
    fn new(instance: &'a Instance) -> Self {
        let n = instance.jobs.len();
        let p: Vec<Vec<usize>> = (0..n)
            .map(|j| {
                (0..instance.crews.len())
                    .map(|k| hours(instance.travel_h[k][j]) + hours(instance.jobs[j].duration_h))
                    .collect()
            })
            .collect();
        let release: Vec<usize> = instance.jobs.iter().map(|j| hours(j.release_h)).collect();
        let horizon = release.iter().copied().max().unwrap_or(0)
            + p.iter()
                .map(|row| row.iter().copied().max().unwrap_or(0))
                .sum::<usize>()
            + 1;
        Self {
            instance,
            p,
            release,
            horizon,
        }
    }

    /// Columns the model would have: one per job, able crew and departure hour.
    fn column_count(&self) -> usize {
        let mut columns = 0;
        for (j, job) in self.instance.jobs.iter().enumerate() {
            for (k, crew) in self.instance.crews.iter().enumerate() {
                if crew.can_do(job) {
                    columns += (self.horizon + 1).saturating_sub(self.release[j] + self.p[j][k]);
                }
            }
        }
        columns
    }

    /// Builds the MILP and solves it with HiGHS.
    fn solve(&self, time_limit: Duration) -> Result<Solution, RestoreError> {
        let mut problem = RowProblem::default();
        let columns = self.add_columns(&mut problem);
        self.add_rows(&mut problem, &columns);
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
        Ok(Solution {
            status,
            columns,
            values: solved.get_solution().columns().to_vec(),
        })
    }

    /// The columns in the order they are added (HiGHS numbers them so), each with its
    /// cost: the job's weight for every hour from its release to its finish.
    fn add_columns(&self, problem: &mut RowProblem) -> Vec<Column> {
        let mut columns = Vec::new();
        for (j, job) in self.instance.jobs.iter().enumerate() {
            for (k, crew) in self.instance.crews.iter().enumerate() {
                if !crew.can_do(job) {
                    continue;
                }
                for t in self.release[j]..=self.horizon.saturating_sub(self.p[j][k]) {
                    let finish = (t + self.p[j][k]) as f64;
                    let col =
                        problem.add_integer_column(job.weight * (finish - job.release_h), 0..=1);
                    columns.push((col, j, k, t));
                }
            }
        }
        columns
    }

    /// Each job once, one thing at a time per crew, precedence.
    fn add_rows(&self, problem: &mut RowProblem, columns: &[Column]) {
        let n = self.instance.jobs.len();
        let mut by_job: Vec<Vec<(highs::Col, usize, usize)>> = vec![Vec::new(); n];
        for &(c, j, k, t) in columns {
            by_job[j].push((c, k, t));
        }
        for list in &by_job {
            let row: Vec<(highs::Col, f64)> = list.iter().map(|&(c, _, _)| (c, 1.0)).collect();
            problem.add_row(1.0..=1.0, &row);
        }
        for k in 0..self.instance.crews.len() {
            for tau in 0..self.horizon {
                let row: Vec<(highs::Col, f64)> = columns
                    .iter()
                    .filter(|&&(_, j, kk, t)| kk == k && t <= tau && tau < t + self.p[j][k])
                    .map(|&(c, ..)| (c, 1.0))
                    .collect();
                if row.len() > 1 {
                    problem.add_row(..=1.0, &row);
                }
            }
        }
        for &(a, b) in &self.instance.precedence {
            let mut row: Vec<(highs::Col, f64)> = Vec::new();
            for &(c, k, t) in &by_job[b] {
                row.push((c, (t + hours(self.instance.travel_h[k][b])) as f64));
            }
            for &(c, k, t) in &by_job[a] {
                row.push((c, -((t + self.p[a][k]) as f64)));
            }
            problem.add_row(0.0.., &row);
        }
    }

    /// The plan of `solution`, in departure order.
    fn plan(&self, solution: &Solution) -> Plan {
        let instance = self.instance;
        let mut assignments = Vec::with_capacity(instance.jobs.len());
        for (index, &(_, j, k, t)) in solution.columns.iter().enumerate() {
            if solution.values.get(index).is_some_and(|&v| v > 0.5) {
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
        assignments.sort_by(|a, b| a.depart_h.total_cmp(&b.depart_h));
        Plan { assignments }
    }
}
