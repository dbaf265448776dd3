//! A restoration problem: repair jobs, crews, travel times and precedence, checked.
//!
//! Times are hours from the start of the scenario. A crew works out of its depot: each
//! job costs the travel from the depot to the site and back is not counted (crews fetch
//! parts and people between jobs), so travel depends on the crew and the job, not on the
//! order — which keeps the exact model time-indexed and exact.

use crate::error::RestoreError;
use serde::Serialize;
use std::collections::HashMap;

/// What a crew can repair: the city model's skills.
pub use lifeline_cascade::city::Skill;

/// A damaged asset to repair.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Job {
    /// The asset as a scenario names it (`bus:12`, `pump_station:E-1`).
    pub asset: String,
    /// The skill it needs.
    pub skill: Skill,
    /// Work on site, h.
    pub duration_h: f64,
    /// Earliest start (when it was hit), h.
    pub release_h: f64,
    /// Cost per hour it stays broken (weighted customers and people it keeps cut), for
    /// rules and for the additive model.
    pub weight: f64,
    /// Priority class for the priority rule (higher first): 3 feeds a hospital or water
    /// treatment, 2 a pump station, 1 a heat plant, 0 homes only.
    pub priority: u8,
    /// Load it carries (MW, or people for water assets), for the largest-load rule.
    pub load: f64,
    /// Index of the district it stands in, for travel.
    pub district: Option<usize>,
}

/// A repair crew as the planner sees it: a city's crew without its depot (the travel
/// times hold that), or a crew of a generated problem, which has no depots at all.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Crew {
    /// Id.
    pub id: String,
    /// What it can repair.
    pub skills: Vec<Skill>,
}

impl From<&lifeline_cascade::city::Crew> for Crew {
    /// The planner's view of a city crew: its id and skills (its depot only sets the
    /// travel times).
    fn from(crew: &lifeline_cascade::city::Crew) -> Self {
        Self {
            id: crew.id.clone(),
            skills: crew.skills.clone(),
        }
    }
}

impl Crew {
    /// Whether the crew can do `job`.
    pub fn can_do(&self, job: &Job) -> bool {
        self.skills.contains(&job.skill)
    }
}

/// A checked restoration problem.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Instance {
    /// Jobs.
    pub jobs: Vec<Job>,
    /// Crews.
    pub crews: Vec<Crew>,
    /// Travel from each crew's depot to each job's site, h (`travel_h[crew][job]`).
    pub travel_h: Vec<Vec<f64>>,
    /// (before, after): `after` may start only when `before` is finished.
    pub precedence: Vec<(usize, usize)>,
}

impl Instance {
    /// Checks the problem: every job has a crew that can do it, durations and times are
    /// finite and not negative, precedence names known jobs and has no cycle.
    pub fn new(
        jobs: Vec<Job>,
        crews: Vec<Crew>,
        travel_h: Vec<Vec<f64>>,
        precedence: Vec<(usize, usize)>,
    ) -> Result<Self, RestoreError> {
        if crews.is_empty() {
            return Err(RestoreError::NoCrews {
                field: "crews",
                reason: "there are no crews",
            });
        }
        let mut unrepairable = Vec::new();
        for job in &jobs {
            if !(job.duration_h.is_finite() && job.duration_h >= 0.0) {
                return Err(RestoreError::NegativeDuration {
                    field: "duration_h",
                    asset: job.asset.clone(),
                    duration_h: job.duration_h,
                });
            }
            if !crews.iter().any(|c| c.can_do(job)) {
                unrepairable.push((job.asset.clone(), job.skill));
            }
        }
        if !unrepairable.is_empty() {
            return Err(RestoreError::Unrepairable {
                field: "crews",
                needs: unrepairable,
            });
        }
        for crew in &crews {
            if !jobs.iter().any(|j| crew.can_do(j)) && !jobs.is_empty() {
                return Err(RestoreError::IdleCrew {
                    field: "crews",
                    crew: crew.id.clone(),
                    skills: crew.skills.clone(),
                });
            }
        }
        if travel_h.len() != crews.len() || travel_h.iter().any(|row| row.len() != jobs.len()) {
            return Err(RestoreError::TravelShape {
                field: "travel_h",
                crews: crews.len(),
                jobs: jobs.len(),
            });
        }
        for (crew, row) in travel_h.iter().enumerate() {
            if let Some(job) = row.iter().position(|t| !(t.is_finite() && *t >= 0.0)) {
                return Err(RestoreError::NegativeTravel {
                    field: "travel_h",
                    crew,
                    job,
                    travel_h: row[job],
                });
            }
        }
        for &(a, b) in &precedence {
            if a >= jobs.len() || b >= jobs.len() || a == b {
                return Err(RestoreError::UnknownPrecedence {
                    field: "precedence",
                    before: a,
                    after: b,
                });
            }
        }
        let instance = Self {
            jobs,
            crews,
            travel_h,
            precedence,
        };
        if let Some(cycle) = instance.find_cycle() {
            return Err(RestoreError::PrecedenceCycle {
                field: "precedence",
                assets: cycle
                    .iter()
                    .map(|&j| instance.jobs[j].asset.clone())
                    .collect(),
            });
        }
        Ok(instance)
    }

    /// The latest any plan without idle crews can finish, h: the last strike, plus
    /// every job's longest travel and work shared among the fewest crews able to do a
    /// job, plus the longest chain of jobs that wait for one another.
    ///
    /// Graham's bound for list schedules: after the last strike, follow back from the
    /// job finished last through the predecessor that held it up; at every moment a job
    /// of that chain is either in hand (at most the chain's length in all) or waiting
    /// while every crew able to do it is busy (at most the total work over the fewest
    /// such crews).
    pub fn latest_makespan_h(&self) -> f64 {
        let last_release = self.jobs.iter().map(|j| j.release_h).fold(0.0, f64::max);
        let work: Vec<f64> = (0..self.jobs.len())
            .map(|j| {
                let travel = (0..self.crews.len())
                    .filter(|&k| self.crews[k].can_do(&self.jobs[j]))
                    .map(|k| self.travel_h[k][j])
                    .fold(0.0, f64::max);
                travel + self.jobs[j].duration_h
            })
            .collect();
        let fewest_crews = self
            .jobs
            .iter()
            .map(|j| self.crews.iter().filter(|c| c.can_do(j)).count())
            .min()
            .unwrap_or(1)
            .max(1);
        last_release + work.iter().sum::<f64>() / fewest_crews as f64 + self.longest_chain(&work)
    }

    /// The longest chain of jobs along the precedence, by `work` (h per job).
    fn longest_chain(&self, work: &[f64]) -> f64 {
        let predecessors = self.predecessors();
        let mut chain: Vec<Option<f64>> = vec![None; self.jobs.len()];
        // Jobs in an order where predecessors come first (the graph has no cycle).
        let mut remaining: Vec<usize> = (0..self.jobs.len()).collect();
        while !remaining.is_empty() {
            let before = remaining.len();
            remaining.retain(|&j| {
                let Some(longest_before) = predecessors[j]
                    .iter()
                    .map(|&p| chain[p])
                    .try_fold(0.0_f64, |m, c| c.map(|c| m.max(c)))
                else {
                    return true;
                };
                chain[j] = Some(longest_before + work[j]);
                false
            });
            if remaining.len() == before {
                break;
            }
        }
        chain.into_iter().flatten().fold(0.0, f64::max)
    }

    /// Predecessors of each job.
    pub fn predecessors(&self) -> Vec<Vec<usize>> {
        let mut before = vec![Vec::new(); self.jobs.len()];
        for &(a, b) in &self.precedence {
            before[b].push(a);
        }
        before
    }

    /// A cycle of the precedence graph, if any (jobs in order).
    fn find_cycle(&self) -> Option<Vec<usize>> {
        let n = self.jobs.len();
        let mut after = vec![Vec::new(); n];
        for &(a, b) in &self.precedence {
            after[a].push(b);
        }
        // 0 unvisited, 1 on the stack, 2 done.
        let mut mark = vec![0u8; n];
        let mut parent = vec![usize::MAX; n];
        for root in 0..n {
            if mark[root] != 0 {
                continue;
            }
            let mut stack = vec![(root, 0usize)];
            mark[root] = 1;
            while let Some(&mut (node, ref mut next)) = stack.last_mut() {
                if *next < after[node].len() {
                    let child = after[node][*next];
                    *next += 1;
                    match mark[child] {
                        0 => {
                            mark[child] = 1;
                            parent[child] = node;
                            stack.push((child, 0));
                        }
                        1 => {
                            let mut cycle = vec![node];
                            let mut at = node;
                            while at != child {
                                at = parent[at];
                                cycle.push(at);
                            }
                            cycle.reverse();
                            return Some(cycle);
                        }
                        _ => {}
                    }
                } else {
                    mark[node] = 2;
                    stack.pop();
                }
            }
        }
        None
    }

    /// Index of the job repairing `asset`.
    pub fn job(&self, asset: &str) -> Option<usize> {
        self.jobs.iter().position(|j| j.asset == asset)
    }

    /// Jobs by asset name.
    pub fn job_index(&self) -> HashMap<&str, usize> {
        self.jobs
            .iter()
            .enumerate()
            .map(|(i, j)| (j.asset.as_str(), i))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(asset: &str, skill: Skill) -> Job {
        Job {
            asset: asset.into(),
            skill,
            duration_h: 2.0,
            release_h: 0.0,
            weight: 1.0,
            priority: 0,
            load: 1.0,
            district: None,
        }
    }

    fn crew(skills: &[Skill]) -> Crew {
        Crew {
            id: "C".into(),
            skills: skills.to_vec(),
        }
    }

    #[test]
    fn a_precedence_cycle_is_named() {
        let jobs = vec![
            job("a", Skill::Power),
            job("b", Skill::Power),
            job("c", Skill::Power),
        ];
        let error = Instance::new(
            jobs,
            vec![crew(&[Skill::Power])],
            vec![vec![0.0; 3]],
            vec![(0, 1), (1, 2), (2, 1)],
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid restoration problem: precedence has a cycle: b → c → b"
        );
    }

    #[test]
    fn jobs_nobody_can_do_make_the_problem_infeasible() {
        let jobs = vec![
            job("bus:1", Skill::Power),
            job("pump_station:P", Skill::Water),
        ];
        let error = Instance::new(
            jobs,
            vec![crew(&[Skill::Power])],
            vec![vec![0.0; 2]],
            vec![],
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "infeasible: no crew has the skill to repair pump_station:P (needs water)"
        );
    }
}
