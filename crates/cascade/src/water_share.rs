//! Many water runs of one network and horizon that share their beginnings: runs whose
//! keys agree on every stop before a time are the same run up to that time, so it is
//! made once and copied where they part (a tree of runs). Scenarios struck at the same
//! hour share everything before it; a restoration study's plans and a forecast's
//! samples share everything before their first different repair.
//!
//! Each run gives what [`crate::water_run::run_water`] gives for its key, bit for bit:
//! a copy goes on exactly as the run it was copied from would have. Only the native
//! solver's runs can be copied; with EPANET's toolkit each key is run by itself.
//!
//! The runs also go side by side: up to four on a thread in lock-step
//! ([`WaterRun::go_on_together`]), their trials' linear solves made in the lanes of one
//! factorisation, each run's bits unchanged. Where a run parts, its parts wait for room
//! beside the runs going on, so that a thread keeps four going while it has work;
//! tasks are spawned for the rest, so that every thread has some. A batch too small to
//! give every thread two packs of four goes one run at a time per thread.

use crate::city::City;
use crate::error::CascadeError;
use crate::water_run::{Going, Reached, WaterKey, WaterRun, WaterTrace};
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
        waiting: Mutex::new(Vec::new()),
        width: lanes_for(keys.len(), rayon::current_num_threads()),
        threads: rayon::current_num_threads(),
        growing: AtomicUsize::new(0),
    };
    let members: Vec<usize> = (0..keys.len()).collect();
    rayon::scope(|scope| {
        tree.grow(
            scope,
            vec![Branch {
                run: root,
                members,
                agreed: 0,
            }],
        );
    });
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
    /// Parts of branches that have parted, waiting for room beside branches going on.
    waiting: Mutex<Vec<Waiting>>,
    /// Runs going on side by side at most (see [`lanes_for`]).
    width: usize,
    /// Threads of the pool.
    threads: usize,
    /// Calls of [`Tree::grow`] under way (threads at work on the tree).
    growing: AtomicUsize,
}

/// A run of the tree and the keys that share it.
struct Branch {
    run: WaterRun,
    /// The keys (indices) that agree on every stop before `agreed`.
    members: Vec<usize>,
    /// The stops the members agree on (the first `agreed` of each key).
    agreed: usize,
}

/// Copies of one run at most that go on side by side in lock-step
/// ([`WaterRun::go_on_together`]): four fill the lanes of one factorisation.
const LANES: usize = 4;

/// Runs that go side by side on a thread in a batch of `runs` on `threads`: [`LANES`]
/// when the batch gives every thread at least two full packs, one otherwise. Lock-step
/// saves about a sixth of a run's work but ties runs to a thread: with fewer runs, one
/// long run (a restoration plan that drains the tanks for days) would hold back the
/// runs beside it while another thread idles, and threads are worth more than lanes.
fn lanes_for(runs: usize, threads: usize) -> usize {
    if runs >= 2 * LANES * threads.max(1) {
        LANES
    } else {
        1
    }
}

/// A part of a branch waiting to go on from a copy of where the branch parted.
struct Waiting {
    fork: Arc<Mutex<WaterRun>>,
    members: Vec<usize>,
    agreed: usize,
}

/// The value behind `mutex`, whether or not a thread panicked holding it.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// What the tree knows of a branch that is going on.
struct Tag {
    members: Vec<usize>,
    /// The first stop on which the members do not all agree.
    parting: Option<usize>,
    /// The run's solves when the branch started.
    solves_before: usize,
}

impl<'a> Tree<'a> {
    /// Grows the branches side by side ([`WaterRun::go_on_together`]), each until its
    /// members part or its run ends, taking on waiting parts (see [`Tree::part`])
    /// while fewer than the tree's width go on.
    fn grow(&'a self, scope: &rayon::Scope<'a>, branches: Vec<Branch>) {
        self.growing.fetch_add(1, Ordering::Relaxed);
        let going = branches.into_iter().map(|b| self.going(b)).collect();
        WaterRun::go_on_together(
            self.city,
            going,
            self.cancel,
            |run, tag, reached| self.reached(scope, run, tag, reached),
            |going| {
                // Parts are left for the tasks of idle threads first: threads are worth
                // more than lanes.
                let idle = self
                    .threads
                    .saturating_sub(self.growing.load(Ordering::Relaxed));
                self.take_waiting(self.width.saturating_sub(going), idle * self.width)
                    .into_iter()
                    .map(|b| self.going(b))
                    .collect()
            },
        );
        self.growing.fetch_sub(1, Ordering::Relaxed);
    }

    /// A branch as it goes on: to where its members part.
    fn going(&self, branch: Branch) -> Going<'a, Tag> {
        let Branch {
            run,
            members,
            agreed,
        } = branch;
        let parting = self.parting(&members, agreed);
        let before_s = parting.map_or(i64::MAX, |m| {
            members
                .iter()
                .filter_map(|&i| self.keys[i].get(m).map(|(t, _)| *t))
                .min()
                .unwrap_or(i64::MAX)
        });
        let solves_before = run.solves();
        Going {
            run,
            key: self.keys[members[0]],
            before_s,
            tag: Tag {
                members,
                parting,
                solves_before,
            },
        }
    }

    /// What happens to a branch that got where it was going: at the end its trace is
    /// every member's; where its members part, each part waits to go on from a copy.
    fn reached(
        &'a self,
        scope: &rayon::Scope<'a>,
        run: WaterRun,
        tag: Tag,
        reached: Result<Reached, CascadeError>,
    ) {
        self.solves_made
            .fetch_add(run.solves() - tag.solves_before, Ordering::Relaxed);
        match reached {
            // Every member fails where the run they share fails: none is kept.
            Err(_) => {}
            Ok(Reached::End) => {
                let trace = run.finish();
                for &i in &tag.members {
                    *self.slot(i) = Some(trace.clone());
                }
            }
            // `before_s` was unbounded, so the run ended.
            Ok(Reached::Before) => {
                if let Some(m) = tag.parting {
                    self.part(scope, run, &tag.members, m);
                }
            }
        }
    }

    /// The parts of a branch whose members part on stop `m` wait to go on, each from a
    /// copy of `run` made when it starts (so that waiting parts hold none). Branches
    /// going on with room beside them take them first; tasks are spawned for the rest,
    /// so that every thread has work.
    fn part(&'a self, scope: &rayon::Scope<'a>, run: WaterRun, members: &[usize], m: usize) {
        let groups = self.groups(members, m);
        let tasks = groups.len().div_ceil(self.width);
        // The lock only because EPANET's project, which is never copied, cannot be
        // shared between threads.
        let fork = Arc::new(Mutex::new(run));
        lock(&self.waiting).extend(groups.into_iter().map(|members| Waiting {
            fork: Arc::clone(&fork),
            members,
            agreed: m + 1,
        }));
        for _ in 0..tasks {
            scope.spawn(move |scope| {
                let branches = self.take_waiting(self.width, 0);
                if !branches.is_empty() {
                    self.grow(scope, branches);
                }
            });
        }
    }

    /// Up to `room` waiting parts, leaving at least `leave` of them, as branches on
    /// their copies. None once the batch is cancelled (each would solve once before it
    /// looked).
    fn take_waiting(&self, room: usize, leave: usize) -> Vec<Branch> {
        if room == 0 || self.cancel.load(Ordering::Relaxed) {
            return Vec::new();
        }
        let taken: Vec<Waiting> = {
            let mut waiting = lock(&self.waiting);
            let from = waiting
                .len()
                .saturating_sub(room)
                .max(leave.min(waiting.len()));
            waiting.split_off(from)
        };
        taken
            .into_iter()
            .filter_map(|w| {
                Some(Branch {
                    run: lock(&w.fork).try_clone()?,
                    members: w.members,
                    agreed: w.agreed,
                })
            })
            .collect()
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
        lock(&self.results[i])
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
    fn runs_go_side_by_side_only_when_every_thread_gets_two_packs() {
        assert_eq!(lanes_for(35, 2), 4);
        assert_eq!(lanes_for(16, 2), 4);
        assert_eq!(lanes_for(15, 2), 1);
        assert_eq!(lanes_for(8, 1), 4);
        assert_eq!(lanes_for(2, 2), 1);
        assert_eq!(lanes_for(1, 0), 1);
    }

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
