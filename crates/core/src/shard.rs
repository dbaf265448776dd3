//! Shard `index` of `count`: the `index`-th of `count` contiguous, nearly equal blocks of
//! a long run of work (a sweep's scenarios, a forecast's samples), for a cluster's job
//! array (`I/N`, as Slurm's array index or Kubernetes' `JOB_COMPLETION_INDEX` counts).

use crate::FieldError;
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// Shard `index` of `count` (0-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    /// 0 ≤ index < count.
    pub index: u64,
    /// At least 1.
    pub count: u64,
}

impl Shard {
    /// The whole run.
    pub const ALL: Shard = Shard { index: 0, count: 1 };

    /// `I/N` with 0 ≤ I < N; errors name the field `shard`.
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        let bad = |why: &str| {
            FieldError::new(
                "shard",
                format!(
                    "'{text}': {why}; expected I/N with 0 ≤ I < N, e.g. 0/4 for the first of four shards"
                ),
            )
        };
        let (index, count) = text.split_once('/').ok_or_else(|| bad("no '/'"))?;
        let index: u64 = index
            .trim()
            .parse()
            .map_err(|_| bad("I is not a whole number"))?;
        let count: u64 = count
            .trim()
            .parse()
            .map_err(|_| bad("N is not a whole number"))?;
        if count == 0 {
            return Err(bad("N must be at least 1"));
        }
        if index >= count {
            return Err(bad("I must be less than N"));
        }
        Ok(Self { index, count })
    }

    /// Whether `index < count` and `count ≥ 1` (a shard read from a file may say otherwise).
    pub fn is_valid(self) -> bool {
        self.index < self.count
    }

    /// This shard's indices among `total`; the shards of one count together hold every
    /// index once.
    pub fn range(self, total: u64) -> Range<u64> {
        let edge = |i: u64| ((u128::from(total) * u128::from(i)) / u128::from(self.count)) as u64;
        edge(self.index)..edge(self.index + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_hold_every_index_once_and_bad_text_is_refused() {
        for count in 1..9 {
            let mut next = 0;
            for index in 0..count {
                let range = Shard { index, count }.range(1_000_003);
                assert_eq!(range.start, next);
                next = range.end;
            }
            assert_eq!(next, 1_000_003);
        }
        for bad in ["3/2", "0/0", "-1/2", "x", "1/"] {
            assert_eq!(Shard::parse(bad).unwrap_err().field, "shard", "{bad}");
        }
        assert_eq!(Shard::parse(" 1/4").unwrap(), Shard { index: 1, count: 4 });
    }
}
