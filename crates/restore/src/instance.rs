//! A restoration problem: repair jobs, crews, travel times and precedence, checked.
//!
//! Times are hours from the start of the scenario. A crew works out of its depot: each
//! job costs the travel from the depot to the site and back is not counted (crews fetch
//! parts and people between jobs), so travel depends on the crew and the job, not on the
//! order — which keeps the exact model time-indexed and exact.

use crate::error::RestoreError;
use serde::Serialize;
use std::collections::HashMap;

/// What a crew can repair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Skill {
    /// Substations, lines, plants.
    Power,
    /// Pump stations, pipes, tanks.
    Water,
}

impl Skill {
    /// Every skill, in declaration order.
    pub const ALL: [Skill; 2] = [Skill::Power, Skill::Water];
}

impl std::fmt::Display for Skill {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Skill::Power => "power",
            Skill::Water => "water",
        })
    }
}

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

/// A repair crew.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Crew {
    /// Id.
    pub id: String,
    /// What it can repair.
    pub skills: Vec<Skill>,
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
            return Err(RestoreError::Infeasible("there are no crews".into()));
        }
        let mut unrepairable = Vec::new();
        for job in &jobs {
            if !(job.duration_h.is_finite() && job.duration_h >= 0.0) {
                return Err(RestoreError::Invalid(format!(
                    "{}: repair duration must be 0 h or more, got {}",
                    job.asset, job.duration_h
                )));
            }
            if !crews.iter().any(|c| c.can_do(job)) {
                unrepairable.push(format!("{} (needs {})", job.asset, job.skill));
            }
        }
        if !unrepairable.is_empty() {
            return Err(RestoreError::Infeasible(format!(
                "no crew has the skill to repair {}",
                unrepairable.join(", ")
            )));
        }
        for crew in &crews {
            if !jobs.iter().any(|j| crew.can_do(j)) && !jobs.is_empty() {
                return Err(RestoreError::Invalid(format!(
                    "crew '{}' has no skill matching any job ({})",
                    crew.id,
                    if crew.skills.is_empty() {
                        "it has no skills".to_string()
                    } else {
                        let names: Vec<String> =
                            crew.skills.iter().map(ToString::to_string).collect();
                        format!("it repairs {}", names.join(" and "))
                    }
                )));
            }
        }
        if travel_h.len() != crews.len() || travel_h.iter().any(|row| row.len() != jobs.len()) {
            return Err(RestoreError::Invalid(
                "travel times must have one row per crew and one column per job".into(),
            ));
        }
        if travel_h
            .iter()
            .flatten()
            .any(|t| !(t.is_finite() && *t >= 0.0))
        {
            return Err(RestoreError::Invalid(
                "travel times must be finite and 0 h or more".into(),
            ));
        }
        for &(a, b) in &precedence {
            if a >= jobs.len() || b >= jobs.len() || a == b {
                return Err(RestoreError::Invalid(format!(
                    "precedence ({a}, {b}) names no pair of distinct jobs"
                )));
            }
        }
        let instance = Self {
            jobs,
            crews,
            travel_h,
            precedence,
        };
        if let Some(cycle) = instance.find_cycle() {
            let names: Vec<&str> = cycle
                .iter()
                .map(|&j| instance.jobs[j].asset.as_str())
                .collect();
            return Err(RestoreError::Invalid(format!(
                "precedence has a cycle: {} → {}",
                names.join(" → "),
                names[0]
            )));
        }
        Ok(instance)
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
