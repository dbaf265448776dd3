//! The sweep's scenarios, in a fixed order that every shard computes alike: scenario `k`
//! depends only on the city, the targets, the family and the seed.

use crate::error::SweepError;
use crate::spec::{Family, Target, Timing};
use lifeline_cascade::City;
use lifeline_cascade::scenario::{AssetId, Damage, HOUR_S, MAX_HOURS, Scenario, Strike};
use lifeline_core::random::SplitMix64;

/// The assets that can be struck and how scenarios are drawn from them.
#[derive(Debug, Clone)]
pub struct Scenarios {
    /// Every asset of the target classes, class by class in file order.
    pub assets: Vec<AssetId>,
    family: Family,
    strikes: usize,
    samples: u64,
    seed: u64,
}

impl Scenarios {
    /// The scenarios of `family` over `targets` in `city` (`strikes` and `samples` for
    /// `random`).
    pub fn new(
        city: &City,
        family: Family,
        targets: &[Target],
        strikes: usize,
        samples: u64,
        seed: u64,
    ) -> Result<Self, SweepError> {
        let assets: Vec<AssetId> = targets.iter().flat_map(|t| t.assets(city)).collect();
        let needed = match family {
            Family::N1 => 1,
            Family::N2 => 2,
            Family::Random => strikes,
        };
        if family == Family::Random && (strikes == 0 || samples == 0) {
            let field = if strikes == 0 { "strikes" } else { "samples" };
            return Err(crate::error::invalid(
                field,
                "random scenarios need at least 1 strike per scenario and at least 1 sample",
            ));
        }
        if assets.len() < needed {
            return Err(crate::error::invalid(
                "targets",
                format!(
                    "{needed} assets per scenario, but the targets give only {}",
                    assets.len()
                ),
            ));
        }
        Ok(Self {
            assets,
            family,
            strikes,
            samples,
            seed,
        })
    }

    /// Scenarios in the whole sweep.
    pub fn total(&self) -> u64 {
        let n = self.assets.len() as u64;
        match self.family {
            Family::N1 => n,
            Family::N2 => n * n.saturating_sub(1) / 2,
            Family::Random => self.samples,
        }
    }

    /// The assets of scenario `k` (positions in [`Scenarios::assets`]).
    pub fn of(&self, k: u64) -> Vec<usize> {
        let n = self.assets.len();
        match self.family {
            Family::N1 => vec![k as usize],
            Family::N2 => {
                // Pairs (i, j), i < j, row by row.
                let mut k = k as usize;
                let mut i = 0;
                while k >= n - 1 - i {
                    k -= n - 1 - i;
                    i += 1;
                }
                vec![i, i + 1 + k]
            }
            Family::Random => {
                let mut rng = SplitMix64::new(self.seed ^ k.wrapping_mul(0xd134_2543_de82_ef95));
                let mut chosen: Vec<usize> = Vec::with_capacity(self.strikes);
                while chosen.len() < self.strikes {
                    let pick = rng.below(n as u64) as usize;
                    if !chosen.contains(&pick) {
                        chosen.push(pick);
                    }
                }
                chosen
            }
        }
    }

    /// Scenario `k` as the cascade runs it: every asset hit at `timing.at_h` and repaired
    /// after `timing.repair_h` or else the city's repair time for its kind, over
    /// `timing.hours`; assets in `hardened` are not hit.
    pub fn scenario(&self, city: &City, k: u64, timing: &Timing, hardened: &[AssetId]) -> Scenario {
        let seconds = |h: f64| (h.min(MAX_HOURS) * HOUR_S as f64).round() as i64;
        let horizon_s = seconds(timing.hours).max(1);
        let strikes = self
            .of(k)
            .into_iter()
            .map(|a| &self.assets[a])
            .filter(|asset| !hardened.contains(asset))
            .map(|asset| Strike {
                at_s: seconds(timing.at_h),
                asset: asset.clone(),
                damage: Damage::Damaged,
                repair_s: timing
                    .repair_h
                    .or_else(|| city.restoration.repair_h_of(asset))
                    .map(seconds),
                uncertainty: Default::default(),
                line: 0,
            })
            .collect();
        Scenario {
            name: format!("sweep scenario {k}"),
            description: None,
            start: None,
            horizon_s,
            step_s: HOUR_S.min(horizon_s),
            strikes,
            capacity: Vec::new(),
            precedence: Vec::new(),
        }
    }
}
