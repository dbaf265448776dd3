//! Plans: which crew repairs what, when; decoding a priority order into a plan; checks.

use crate::instance::Instance;
use serde::Serialize;

/// One job of a plan.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Assignment {
    /// Job index.
    pub job: usize,
    /// Crew index.
    pub crew: usize,
    /// When the crew leaves its depot, h.
    pub depart_h: f64,
    /// When work on site starts, h.
    pub start_h: f64,
    /// When the asset is back in service, h.
    pub end_h: f64,
}

/// A plan: one assignment per job, in the order they were planned.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Plan {
    /// Assignments.
    pub assignments: Vec<Assignment>,
}

impl Plan {
    /// When each job is finished, h, by job index.
    pub fn completion_h(&self, jobs: usize) -> Vec<f64> {
        let mut done = vec![f64::NAN; jobs];
        for a in &self.assignments {
            done[a.job] = a.end_h;
        }
        done
    }

    /// The last completion, h.
    pub fn makespan_h(&self) -> f64 {
        self.assignments.iter().map(|a| a.end_h).fold(0.0, f64::max)
    }

    /// Each crew's assignments in time order.
    pub fn by_crew(&self, crews: usize) -> Vec<Vec<Assignment>> {
        let mut lists = vec![Vec::new(); crews];
        for a in &self.assignments {
            lists[a.crew].push(*a);
        }
        for list in &mut lists {
            list.sort_by(|a, b| a.depart_h.total_cmp(&b.depart_h));
        }
        lists
    }

    /// Every rule a plan must keep, or the first broken: each job once, by a crew with
    /// the skill, not before its release, work after its travel and after its
    /// predecessors end, no crew on two jobs at once.
    pub fn check(&self, instance: &Instance) -> Result<(), String> {
        let n = instance.jobs.len();
        let mut seen = vec![false; n];
        const EPS: f64 = 1e-9;
        for a in &self.assignments {
            let job = &instance.jobs[a.job];
            if std::mem::replace(&mut seen[a.job], true) {
                return Err(format!("{} is repaired twice", job.asset));
            }
            let crew = &instance.crews[a.crew];
            if !crew.can_do(job) {
                return Err(format!(
                    "crew {} cannot repair {} (needs {})",
                    crew.id, job.asset, job.skill
                ));
            }
            if a.depart_h < job.release_h - EPS {
                return Err(format!("{} is set out for before it was hit", job.asset));
            }
            if a.start_h < a.depart_h + instance.travel_h[a.crew][a.job] - EPS {
                return Err(format!(
                    "crew {} reaches {} before its travel time",
                    crew.id, job.asset
                ));
            }
            if (a.end_h - a.start_h - job.duration_h).abs() > 1e-6 {
                return Err(format!("{} does not take its repair time", job.asset));
            }
        }
        if let Some(missing) = seen.iter().position(|s| !s) {
            return Err(format!(
                "{} is never repaired",
                instance.jobs[missing].asset
            ));
        }
        let done = self.completion_h(n);
        for a in &self.assignments {
            for &(before, after) in &instance.precedence {
                if after == a.job && a.start_h < done[before] - EPS {
                    return Err(format!(
                        "{} starts before {} is finished",
                        instance.jobs[after].asset, instance.jobs[before].asset
                    ));
                }
            }
        }
        for (k, list) in self.by_crew(instance.crews.len()).iter().enumerate() {
            for pair in list.windows(2) {
                if pair[1].depart_h < pair[0].end_h - EPS {
                    return Err(format!(
                        "crew {} works on {} and {} at once",
                        instance.crews[k].id,
                        instance.jobs[pair[0].job].asset,
                        instance.jobs[pair[1].job].asset
                    ));
                }
            }
        }
        Ok(())
    }
}

/// Turns a priority order of jobs into a plan: repeatedly the first job in `order` whose
/// predecessors are planned goes to the crew that finishes it earliest. A crew sets out
/// once it is free and the asset has been hit; work starts on arrival, but not before
/// the predecessors are finished.
pub fn decode(instance: &Instance, order: &[usize]) -> Plan {
    let mut decoder = Decoder::new(instance);
    decoder.run(order)
}

/// Reusable buffers for [`decode`] (local search decodes thousands of orders).
pub struct Decoder<'a> {
    instance: &'a Instance,
    predecessors: Vec<Vec<usize>>,
    crew_free: Vec<f64>,
    done: Vec<f64>,
    pending: Vec<usize>,
}

impl<'a> Decoder<'a> {
    /// Buffers for `instance`.
    pub fn new(instance: &'a Instance) -> Self {
        Self {
            instance,
            predecessors: instance.predecessors(),
            crew_free: vec![0.0; instance.crews.len()],
            done: vec![f64::NAN; instance.jobs.len()],
            pending: Vec::with_capacity(instance.jobs.len()),
        }
    }

    /// Decodes `order` (a permutation of the jobs).
    pub fn run(&mut self, order: &[usize]) -> Plan {
        let instance = self.instance;
        self.crew_free.fill(0.0);
        self.done.fill(f64::NAN);
        self.pending.clear();
        self.pending.extend_from_slice(order);
        let mut plan = Plan {
            assignments: Vec::with_capacity(order.len()),
        };
        while !self.pending.is_empty() {
            let position = self
                .pending
                .iter()
                .position(|&j| self.predecessors[j].iter().all(|&p| !self.done[p].is_nan()))
                .unwrap_or(0);
            let job_index = self.pending.remove(position);
            let job = &instance.jobs[job_index];
            let after = self.predecessors[job_index]
                .iter()
                .map(|&p| self.done[p])
                .filter(|d| !d.is_nan())
                .fold(0.0, f64::max);
            let mut best: Option<Assignment> = None;
            for (k, crew) in instance.crews.iter().enumerate() {
                if !crew.can_do(job) {
                    continue;
                }
                let depart_h = self.crew_free[k].max(job.release_h);
                let start_h = (depart_h + instance.travel_h[k][job_index]).max(after);
                let end_h = start_h + job.duration_h;
                if best.is_none_or(|b| end_h < b.end_h) {
                    best = Some(Assignment {
                        job: job_index,
                        crew: k,
                        depart_h,
                        start_h,
                        end_h,
                    });
                }
            }
            if let Some(a) = best {
                self.crew_free[a.crew] = a.end_h;
                self.done[job_index] = a.end_h;
                plan.assignments.push(a);
            }
        }
        plan
    }
}
