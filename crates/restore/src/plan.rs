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
    /// predecessors end, no crew on two jobs at once, no crew idle while a job it could
    /// do waits.
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
        self.idle_crew(instance)
    }

    /// A crew left idle while a job it could do waits, if any: crew `k` is free over a
    /// gap of its day while job `j` has been hit, its predecessors are set out for and
    /// finished by the crew's arrival, and nobody has set out for it yet.
    fn idle_crew(&self, instance: &Instance) -> Result<(), String> {
        const EPS: f64 = 1e-6;
        let n = instance.jobs.len();
        let mut depart = vec![f64::INFINITY; n];
        let mut done = vec![f64::INFINITY; n];
        for a in &self.assignments {
            depart[a.job] = a.depart_h;
            done[a.job] = a.end_h;
        }
        let predecessors = instance.predecessors();
        for (k, list) in self.by_crew(instance.crews.len()).iter().enumerate() {
            let crew = &instance.crews[k];
            let mut gaps = Vec::with_capacity(list.len() + 1);
            let mut free = 0.0;
            for a in list {
                gaps.push((free, a.depart_h));
                free = a.end_h;
            }
            gaps.push((free, f64::INFINITY));
            for (j, job) in instance.jobs.iter().enumerate() {
                if !crew.can_do(job) {
                    continue;
                }
                let ready = predecessors[j]
                    .iter()
                    .map(|&p| depart[p].max(done[p] - instance.travel_h[k][j]))
                    .fold(job.release_h, f64::max);
                for &(from, to) in &gaps {
                    if from.max(ready) < to.min(depart[j]) - EPS {
                        return Err(format!(
                            "crew {} is idle from {:.2} h while {} waits",
                            crew.id,
                            from.max(ready),
                            job.asset
                        ));
                    }
                }
            }
        }
        Ok(())
    }
}

/// Turns a priority order of jobs into a plan that never leaves a crew idle while a job
/// it could do waits (a non-delay list schedule).
///
/// Time moves from one event to the next (a crew free, an asset hit, a repair done). At
/// each, while some free crew can set out for some ready job, the first such job in
/// `order` goes to the free crew that finishes it earliest. A job is ready for a crew
/// once its asset has been hit and its predecessors have all been set out for and will
/// be finished by the time the crew arrives; work starts on arrival, or when the last
/// predecessor is finished if that is later.
pub fn decode(instance: &Instance, order: &[usize]) -> Plan {
    let mut decoder = Decoder::new(instance);
    decoder.run(order)
}

/// Reusable buffers for [`decode`] (local search decodes thousands of orders).
pub struct Decoder<'a> {
    instance: &'a Instance,
    predecessors: Vec<Vec<usize>>,
    crew_free: Vec<f64>,
    /// The crews free at the current event (a buffer).
    free: Vec<usize>,
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
            free: Vec::with_capacity(instance.crews.len()),
            done: vec![f64::NAN; instance.jobs.len()],
            pending: Vec::with_capacity(instance.jobs.len()),
        }
    }

    /// When crew `k` may set out for `job` (its asset hit, its predecessors set out for
    /// and finished by the crew's arrival), h; `None` while a predecessor is unplanned.
    fn ready(&self, k: usize, job: usize) -> Option<f64> {
        let instance = self.instance;
        let mut ready = instance.jobs[job].release_h;
        for &p in &self.predecessors[job] {
            if self.done[p].is_nan() {
                return None;
            }
            ready = ready.max(self.done[p] - instance.travel_h[k][job]);
        }
        Some(ready)
    }

    /// The latest predecessor's end of `job`, h (0 without any).
    fn after(&self, job: usize) -> f64 {
        self.predecessors[job]
            .iter()
            .map(|&p| self.done[p])
            .fold(0.0, f64::max)
    }

    /// Decodes `order` (a permutation of the jobs).
    pub fn run(&mut self, order: &[usize]) -> Plan {
        const EPS: f64 = 1e-9;
        let instance = self.instance;
        self.crew_free.fill(0.0);
        self.done.fill(f64::NAN);
        self.pending.clear();
        self.pending.extend_from_slice(order);
        let mut plan = Plan {
            assignments: Vec::with_capacity(order.len()),
        };
        let mut now = 0.0_f64;
        while !self.pending.is_empty() {
            // The first job in the order that a free crew can set out for now.
            let mut chosen: Option<(usize, Assignment)> = None;
            // Only the crews free now can set out: most are busy most of the time.
            let mut free = std::mem::take(&mut self.free);
            free.clear();
            free.extend((0..instance.crews.len()).filter(|&k| self.crew_free[k] <= now + EPS));
            for (position, &job) in self.pending.iter().enumerate() {
                if free.is_empty() {
                    break;
                }
                for &k in &free {
                    if !instance.crews[k].can_do(&instance.jobs[job]) {
                        continue;
                    }
                    let Some(ready) = self.ready(k, job) else {
                        continue;
                    };
                    if ready > now + EPS {
                        continue;
                    }
                    let depart_h = now;
                    let start_h = (depart_h + instance.travel_h[k][job]).max(self.after(job));
                    let end_h = start_h + instance.jobs[job].duration_h;
                    if chosen.is_none_or(|(_, best)| end_h < best.end_h) {
                        chosen = Some((
                            position,
                            Assignment {
                                job,
                                crew: k,
                                depart_h,
                                start_h,
                                end_h,
                            },
                        ));
                    }
                }
                if chosen.is_some() {
                    break;
                }
            }
            self.free = free;
            if let Some((position, a)) = chosen {
                self.pending.remove(position);
                self.crew_free[a.crew] = a.end_h;
                self.done[a.job] = a.end_h;
                plan.assignments.push(a);
                continue;
            }
            // Nothing can start now: on to the next event.
            let mut next = f64::INFINITY;
            for &job in &self.pending {
                for (k, crew) in instance.crews.iter().enumerate() {
                    if !crew.can_do(&instance.jobs[job]) {
                        continue;
                    }
                    if let Some(ready) = self.ready(k, job) {
                        let at = ready.max(self.crew_free[k]);
                        if at > now + EPS {
                            next = next.min(at);
                        }
                    }
                }
            }
            if !next.is_finite() {
                // Unreachable for a checked instance (every job has a crew, no cycle).
                break;
            }
            now = next;
        }
        plan
    }
}
