//! Many water runs of one network and horizon that share their beginnings: runs whose
//! keys agree on every stop before a time are the same run up to that time, so it is
//! made once and copied where they part (a tree of runs). Scenarios struck at the same
//! hour share everything before it; a restoration study's plans and a forecast's
//! samples share everything before their first different repair.
//!
//! Each run gives what [`crate::water_run::run_water`] gives for its key, bit for bit:
//! a copy goes on exactly as the run it was copied from would have. Only the native
//! solver's runs can be copied; with EPANET's toolkit each key is run by itself.

use crate::city::City;
use crate::water_run::{Reached, WaterKey, WaterRun, WaterTrace};
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// The runs of many keys, and the solves it took.
pub(crate) struct Runs {
    /// The run of each key, in their order; `None` for a run that failed or was
    /// cancelled.
    pub(crate) traces: Vec<Option<WaterTrace>>,
    /// Hydraulic solves made (a shared solve counted once); the tests read it.
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) solves_made: usize,
}

/// The run of each of `keys` (distinct), on the current rayon pool. The simulation goes
/// to `horizon_s`, the longest of their horizons: the time steps do not depend on it, so
/// a run of a shorter horizon, which ends at its last stop, is the run it would be on
/// its own.
pub(crate) fn run_all(
    city: &City,
    horizon_s: i64,
    keys: &[&WaterKey],
    cancel: &AtomicBool,
) -> Runs {
    let failed = || Runs {
        traces: keys.iter().map(|_| None).collect(),
        solves_made: 0,
    };
    if keys.is_empty() {
        return failed();
    }
    let Ok(root) = WaterRun::open(city, horizon_s) else {
        return failed();
    };
    if keys.len() > 1 && !root.can_clone() {
        let traces: Vec<Option<WaterTrace>> = keys
            .par_iter()
            .map(|key| {
                let mut run = WaterRun::open(city, horizon_s).ok()?;
                run.go_on(city, key, i64::MAX, &mut |_, _| {}, cancel)
                    .ok()?;
                Some(run.finish())
            })
            .collect();
        let solves_made = traces.iter().flatten().map(|t| t.solves).sum();
        return Runs {
            traces,
            solves_made,
        };
    }
    let results: Vec<Mutex<Option<WaterTrace>>> = keys.iter().map(|_| Mutex::new(None)).collect();
    let tree = Tree {
        city,
        keys,
        results: &results,
        cancel,
        solves_made: AtomicUsize::new(0),
    };
    let members: Vec<usize> = (0..keys.len()).collect();
    rayon::scope(|scope| tree.grow(scope, root, members, 0));
    let solves_made = tree.solves_made.into_inner();
    Runs {
        traces: results
            .into_iter()
            .map(|slot| slot.into_inner().unwrap_or_else(|e| e.into_inner()))
            .collect(),
        solves_made,
    }
}

/// What every branch of the tree reads and where it puts its runs.
struct Tree<'a> {
    city: &'a City,
    keys: &'a [&'a WaterKey],
    results: &'a [Mutex<Option<WaterTrace>>],
    cancel: &'a AtomicBool,
    solves_made: AtomicUsize,
}

impl<'a> Tree<'a> {
    /// Goes on with `run`, shared by the keys `members` (which agree on their first
    /// `agreed` stops), until they part; then each group that agrees further goes on
    /// from a copy, as a task of its own.
    fn grow(
        &'a self,
        scope: &rayon::Scope<'a>,
        mut run: WaterRun,
        members: Vec<usize>,
        agreed: usize,
    ) {
        let first = self.keys[members[0]];
        let parting = self.parting(&members, agreed);
        let before_s = parting.map_or(i64::MAX, |m| {
            members
                .iter()
                .filter_map(|&i| self.keys[i].get(m).map(|(t, _)| *t))
                .min()
                .unwrap_or(i64::MAX)
        });
        let solves_before = run.solves();
        let reached = run.go_on(self.city, first, before_s, &mut |_, _| {}, self.cancel);
        self.solves_made
            .fetch_add(run.solves() - solves_before, Ordering::Relaxed);
        match reached {
            // Every member fails where the run they share fails: none is kept.
            Err(_) => {}
            Ok(Reached::End) => {
                let trace = run.finish();
                for &i in &members {
                    *self.slot(i) = Some(trace.clone());
                }
            }
            Ok(Reached::Before) => {
                let Some(m) = parting else {
                    // `before_s` was unbounded, so the run ended.
                    return;
                };
                // Copied as each group's task starts, so that waiting tasks hold none
                // (the lock only because EPANET's project, which is never copied, cannot
                // be shared between threads).
                let fork = Arc::new(Mutex::new(run));
                for group in self.groups(&members, m) {
                    let fork = Arc::clone(&fork);
                    scope.spawn(move |scope| {
                        // A cancelled batch starts no branch (each would solve once
                        // before it looked).
                        if self.cancel.load(Ordering::Relaxed) {
                            return;
                        }
                        let copy = fork
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner)
                            .try_clone();
                        drop(fork);
                        if let Some(run) = copy {
                            self.grow(scope, run, group, m + 1);
                        }
                    });
                }
            }
        }
    }

    /// The first stop at or after `agreed` on which `members` do not all agree (`None`
    /// when they are one key).
    fn parting(&self, members: &[usize], agreed: usize) -> Option<usize> {
        let first = self.keys[members[0]];
        let longest = members.iter().map(|&i| self.keys[i].len()).max()?;
        (agreed..longest).find(|&m| members.iter().any(|&i| self.keys[i].get(m) != first.get(m)))
    }

    /// `members` grouped by their stop `m` (or its absence), in order of appearance.
    fn groups(&self, members: &[usize], m: usize) -> Vec<Vec<usize>> {
        let mut groups: Vec<Vec<usize>> = Vec::new();
        let mut group_of: HashMap<Option<&(i64, Vec<usize>)>, usize> = HashMap::new();
        for &i in members {
            let g = *group_of.entry(self.keys[i].get(m)).or_insert_with(|| {
                groups.push(Vec::new());
                groups.len() - 1
            });
            groups[g].push(i);
        }
        groups
    }

    fn slot(&self, i: usize) -> std::sync::MutexGuard<'_, Option<WaterTrace>> {
        self.results[i]
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;
    use crate::source::Source;
    use crate::water_run::run_water;

    fn tiny_city() -> City {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/tiny/city.toml");
        City::load(&path).unwrap()
    }

    /// A link closed at 03:00 and opened again after 2 h, 5 h or never: the three keys
    /// agree until 05:00, the last two until 08:00. Fewer solves are made than the runs
    /// hold, and each run is still the one made alone.
    #[test]
    fn runs_share_the_solves_before_they_part() {
        let city = tiny_city();
        let key = |repair_s: Option<i64>| -> WaterKey {
            (0..=12)
                .map(|h| h * 3600)
                .map(|t| {
                    let struck = t >= 3 * 3600 && repair_s.is_none_or(|r| t < 3 * 3600 + r);
                    (t, if struck { vec![0] } else { vec![] })
                })
                .collect()
        };
        let keys = [key(Some(2 * 3600)), key(Some(5 * 3600)), key(None)];
        let refs: Vec<&WaterKey> = keys.iter().collect();
        let runs = run_all(&city, 12 * 3600, &refs, &AtomicBool::new(false));
        let scenario = Scenario::parse(
            &Source::new("inline.toml", "name = \"n\"\nhorizon_h = 12\n".into()),
            &city,
        )
        .unwrap();
        let mut held = 0;
        for (key, trace) in keys.iter().zip(&runs.traces) {
            let trace = trace.as_ref().unwrap();
            let alone = run_water(
                &city,
                &scenario,
                key,
                &mut |_, _| {},
                &AtomicBool::new(false),
            )
            .unwrap();
            assert_eq!(format!("{trace:?}"), format!("{alone:?}"));
            held += trace.solves;
        }
        assert!(runs.solves_made < held, "{} of {held}", runs.solves_made);
        // What the three share, the evaluations before 05:00, is solved once.
        let before_five = runs.traces[0]
            .as_ref()
            .unwrap()
            .steps
            .iter()
            .filter(|s| s.time_s < 5 * 3600)
            .count();
        assert!(held - runs.solves_made >= 2 * before_five);
    }
}
