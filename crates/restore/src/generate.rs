//! Restoration problems generated from a seed, for tests and benchmarks: the same seed
//! gives the same problem on every machine.

use crate::error::RestoreError;
use crate::instance::{Crew, Instance, Job, Skill};
use crate::planners::SplitMix;

/// A problem with `jobs` damaged assets and `crews` crews, all times in whole hours:
/// repairs of 1–12 h, hits in the first 4 h, travel of 0–3 h, weights spread over two
/// orders of magnitude (a few assets matter much more than the rest), about one job in
/// six waiting for another, two jobs in three needing power skills. Crews alternate
/// power, water and both; a single crew has both.
///
/// Fails only when `crews` is 0.
pub fn instance(seed: u64, jobs: usize, crews: usize) -> Result<Instance, RestoreError> {
    let mut rng = SplitMix(seed.wrapping_mul(0x2545_F491_4F6C_DD1D) ^ 0x0005_DEEC_E66D);
    let mut list = Vec::with_capacity(jobs);
    for j in 0..jobs {
        let skill = if rng.unit() < 2.0 / 3.0 {
            Skill::Power
        } else {
            Skill::Water
        };
        let weight = (10f64.powf(2.0 * rng.unit()) * 10.0).round();
        let priority = match rng.below(10) {
            0 => 3,
            1 | 2 => 2,
            3 => 1,
            _ => 0,
        };
        list.push(Job {
            asset: format!(
                "{}:{}",
                if skill == Skill::Power {
                    "bus"
                } else {
                    "pump_station"
                },
                j + 1
            ),
            skill,
            duration_h: (1 + rng.below(12)) as f64,
            release_h: rng.below(4) as f64,
            weight,
            priority,
            load: weight * (0.5 + rng.unit()),
            district: None,
        });
    }
    let crew_list: Vec<Crew> = (0..crews)
        .map(|k| Crew {
            id: format!("C-{}", k + 1),
            skills: match k % 3 {
                _ if crews == 1 => vec![Skill::Power, Skill::Water],
                0 => vec![Skill::Power],
                1 => vec![Skill::Water],
                _ => vec![Skill::Power, Skill::Water],
            },
        })
        .collect();
    // Every crew has a job it can do: the last jobs take the skills no job has yet.
    let mut needed: Vec<Skill> = Vec::new();
    for crew in &crew_list {
        if !list.iter().any(|j| crew.can_do(j)) && !needed.contains(&crew.skills[0]) {
            needed.push(crew.skills[0]);
        }
    }
    for (job, skill) in list.iter_mut().rev().zip(needed) {
        job.skill = skill;
        job.asset = format!(
            "{}:{}",
            if skill == Skill::Power {
                "bus"
            } else {
                "pump_station"
            },
            job.asset.rsplit(':').next().unwrap_or_default()
        );
    }
    let travel_h = (0..crews)
        .map(|_| (0..jobs).map(|_| rng.below(4) as f64).collect())
        .collect();
    let mut precedence = Vec::new();
    for b in 1..jobs {
        if rng.below(6) == 0 {
            precedence.push((rng.below(b), b));
        }
    }
    // Precedence only points forward, so it has no cycle; every skill has a crew.
    Instance::new(list, crew_list, travel_h, precedence)
}
