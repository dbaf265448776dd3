//! Planners: three dispatch rules, a strong planner (ratio rule, then local search on
//! the order with the objective itself), and the exact model.
//!
//! Peers: InfraRisk restores by fixed rules (the order of a criticality ranking);
//! td-INDP solves a time-indexed MILP with Gurobi. The rules here are the usual
//! dispatcher rules; the strong planner starts from Smith's ratio rule (weight over
//! time, optimal for one crew with independent jobs) and improves the order by moves
//! evaluated with the objective; the exact model is td-INDP's time-indexed form for
//! crews and jobs, solved with HiGHS.

use crate::error::RestoreError;
use crate::instance::Instance;
use crate::objective::Objective;
use crate::plan::{Decoder, Plan};
use rayon::prelude::*;
use serde::Serialize;
use std::time::{Duration, Instant};

/// A planner's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Planned {
    /// Planner name.
    pub name: String,
    /// The plan.
    pub plan: Plan,
    /// Its cost under the objective it was planned with.
    pub objective: f64,
    /// Planning time, ms.
    pub runtime_ms: f64,
    /// For the exact model: the proven optimum of the additive objective (a lower bound
    /// on every plan), when HiGHS proved it and every time is a whole hour.
    pub lower_bound: Option<f64>,
    /// Plans evaluated with the objective while planning.
    pub evaluations: usize,
    /// The search stopped at its time limit before its evaluation budget was spent: the
    /// plan may differ on a faster or less busy machine.
    pub time_limited: bool,
}

/// The dispatch rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Highest priority class first (hospitals and water treatment, then pump stations,
    /// then heat, then homes); ties by weight.
    Priority,
    /// Largest load first.
    LargestLoad,
    /// Shortest repair first.
    ShortestRepair,
    /// Highest weight per hour of work first (Smith's rule).
    Ratio,
}

impl Rule {
    /// Name in reports.
    pub fn name(self) -> &'static str {
        match self {
            Rule::Priority => "priority",
            Rule::LargestLoad => "largest_load",
            Rule::ShortestRepair => "shortest_repair",
            Rule::Ratio => "ratio",
        }
    }

    /// The order the rule gives.
    pub fn order(self, instance: &Instance) -> Vec<usize> {
        let mut order: Vec<usize> = (0..instance.jobs.len()).collect();
        let jobs = &instance.jobs;
        let work = |j: usize| {
            let travel = instance
                .crews
                .iter()
                .enumerate()
                .filter(|(_, c)| c.can_do(&jobs[j]))
                .map(|(k, _)| instance.travel_h[k][j])
                .fold(f64::INFINITY, f64::min);
            jobs[j].duration_h + if travel.is_finite() { travel } else { 0.0 }
        };
        match self {
            Rule::Priority => order.sort_by(|&a, &b| {
                jobs[b]
                    .priority
                    .cmp(&jobs[a].priority)
                    .then(jobs[b].weight.total_cmp(&jobs[a].weight))
            }),
            Rule::LargestLoad => order.sort_by(|&a, &b| jobs[b].load.total_cmp(&jobs[a].load)),
            Rule::ShortestRepair => {
                order.sort_by(|&a, &b| jobs[a].duration_h.total_cmp(&jobs[b].duration_h))
            }
            Rule::Ratio => order.sort_by(|&a, &b| {
                let ra = jobs[a].weight / work(a).max(1e-9);
                let rb = jobs[b].weight / work(b).max(1e-9);
                rb.total_cmp(&ra)
            }),
        }
        order
    }
}

/// The rules compared as baselines.
pub const BASELINES: [Rule; 3] = [Rule::Priority, Rule::LargestLoad, Rule::ShortestRepair];

/// Plans by `rule`; fails when `objective` cannot evaluate the plan.
pub fn by_rule(
    instance: &Instance,
    objective: &dyn Objective,
    rule: Rule,
) -> Result<Planned, RestoreError> {
    let started = Instant::now();
    let plan = Decoder::new(instance).run(&rule.order(instance));
    Ok(Planned {
        name: rule.name().to_string(),
        objective: objective.cost(instance, &plan)?,
        plan,
        runtime_ms: started.elapsed().as_secs_f64() * 1e3,
        lower_bound: None,
        evaluations: 1,
        time_limited: false,
    })
}

/// Options of the strong planner.
#[derive(Debug, Clone, Copy)]
pub struct SearchOptions {
    /// Stop improving after this long.
    pub time_limit: Duration,
    /// Perturbation rounds after the first local optimum.
    pub kicks: usize,
    /// Seed of the perturbations.
    pub seed: u64,
    /// Stop after this many plan evaluations per search, if set: a limit that gives the
    /// same plan on every machine (tests use it; the time limit still applies).
    pub max_evaluations: Option<usize>,
    /// Searches run side by side from different seeds (`seed`, `seed + 1`, ...); the
    /// best plan wins. The plan depends on this number, not on the machine's cores.
    pub searches: usize,
    /// Time the exact model may take when a study asks for it.
    pub exact_time_limit: Duration,
}

/// Plans each search evaluates by default: the same plan on every machine, about a
/// second of search on a city of the demo's size.
pub const DEFAULT_EVALUATIONS: usize = 10_000;

impl Default for SearchOptions {
    /// [`DEFAULT_EVALUATIONS`] per search, two searches, and a time limit of 30 s that
    /// only a slow machine or a large city reaches (the plan is then marked
    /// `time_limited`); 30 s for the exact model.
    fn default() -> Self {
        Self {
            time_limit: Duration::from_secs(30),
            kicks: 30,
            seed: 1,
            max_evaluations: Some(DEFAULT_EVALUATIONS),
            searches: 2,
            exact_time_limit: Duration::from_secs(30),
        }
    }
}

impl SearchOptions {
    /// These options with a search time limit of `time_limit_s`, s; fails unless it is a
    /// finite number of seconds above 0.
    pub fn with_time_limit_s(self, time_limit_s: f64) -> Result<Self, RestoreError> {
        match Duration::try_from_secs_f64(time_limit_s) {
            Ok(time_limit) if time_limit_s > 0.0 => Ok(Self { time_limit, ..self }),
            _ => Err(RestoreError::TimeLimit {
                field: "time_limit_s",
                time_limit_s,
            }),
        }
    }
}

/// The strong planner: the best of the ratio rule and the baselines as a start, then
/// iterated local search on the order — moves that take one job to another place
/// (within 30 places on large instances) or swap two, kept when the objective falls —
/// with random kicks from the best order, within `options.time_limit`; `options.searches`
/// such searches run in parallel from different seeds.
///
/// Fails when `objective` fails on any plan it is asked about (the first search's
/// error, in seed order): a plan without a cost is never compared.
pub fn strong(
    instance: &Instance,
    objective: &dyn Objective,
    options: SearchOptions,
) -> Result<Planned, RestoreError> {
    let started = Instant::now();
    let searches = strong_searches(instance, objective, options)?;
    let evaluations = searches.iter().map(|s| s.evaluations).sum();
    let time_limited = searches.iter().any(|s| s.time_limited);
    let mut best = match searches.into_iter().next() {
        Some(best) => best,
        None => Search::new(instance, objective, options).run()?,
    };
    best.evaluations = evaluations;
    best.time_limited = time_limited;
    best.runtime_ms = started.elapsed().as_secs_f64() * 1e3;
    Ok(best)
}

/// Each of the strong planner's searches' plan (see [`strong`]), the best first (ties in
/// seed order), so a caller can judge the finalists with a truer cost.
pub fn strong_searches(
    instance: &Instance,
    objective: &dyn Objective,
    options: SearchOptions,
) -> Result<Vec<Planned>, RestoreError> {
    let searches: Vec<Result<Planned, RestoreError>> = (0..options.searches.max(1) as u64)
        .into_par_iter()
        .map(|i| {
            let options = SearchOptions {
                seed: options.seed.wrapping_add(i),
                ..options
            };
            Search::new(instance, objective, options).run()
        })
        .collect();
    let mut searches = searches.into_iter().collect::<Result<Vec<_>, _>>()?;
    searches.sort_by(|a, b| a.objective.total_cmp(&b.objective));
    Ok(searches)
}

/// One iterated local search (see [`strong`]).
struct Search<'a> {
    instance: &'a Instance,
    objective: &'a dyn Objective,
    options: SearchOptions,
    decoder: Decoder<'a>,
    /// Plans evaluated so far.
    evaluations: usize,
    started: Instant,
}

impl<'a> Search<'a> {
    fn new(instance: &'a Instance, objective: &'a dyn Objective, options: SearchOptions) -> Self {
        Self {
            instance,
            objective,
            options,
            decoder: Decoder::new(instance),
            evaluations: 0,
            started: Instant::now(),
        }
    }

    /// The cost of the plan `order` decodes to.
    fn cost(&mut self, order: &[usize]) -> Result<f64, RestoreError> {
        self.evaluations += 1;
        self.objective.cost(self.instance, &self.decoder.run(order))
    }

    /// Past the time limit.
    fn past_time_limit(&self) -> bool {
        self.started.elapsed() >= self.options.time_limit
    }

    /// Out of time, or of evaluations.
    fn out_of_time(&self) -> bool {
        self.past_time_limit()
            || self
                .options
                .max_evaluations
                .is_some_and(|limit| self.evaluations >= limit)
    }

    /// Descent and kicks from the best rule's order; the best plan found.
    fn run(mut self) -> Result<Planned, RestoreError> {
        let n = self.instance.jobs.len();
        let (mut best_order, mut best) = self.start()?;
        let mut rng = SplitMix(self.options.seed);
        let mut current = best_order.clone();
        let mut current_cost = best;
        for kick in 0..=self.options.kicks {
            self.descend(&mut current, &mut current_cost)?;
            if current_cost < best - 1e-9 {
                best = current_cost;
                best_order.clone_from(&current);
            }
            if kick == self.options.kicks || self.out_of_time() || n < 2 {
                break;
            }
            // Kick: a few random swaps from the best order.
            current.clone_from(&best_order);
            for _ in 0..(n / 10).clamp(2, 8) {
                let a = rng.below(n);
                let b = rng.below(n);
                current.swap(a, b);
            }
            current_cost = self.cost(&current)?;
        }
        let time_limited = self.past_time_limit()
            && self
                .options
                .max_evaluations
                .is_none_or(|limit| self.evaluations < limit);
        let plan = Decoder::new(self.instance).run(&best_order);
        Ok(Planned {
            name: "best".to_string(),
            objective: self.objective.cost(self.instance, &plan)?,
            plan,
            runtime_ms: self.started.elapsed().as_secs_f64() * 1e3,
            lower_bound: None,
            evaluations: self.evaluations + 1,
            time_limited,
        })
    }

    /// The ratio rule's order, or a baseline's when it costs less, and its cost.
    fn start(&mut self) -> Result<(Vec<usize>, f64), RestoreError> {
        let mut best_order = Rule::Ratio.order(self.instance);
        let mut best = self.cost(&best_order)?;
        for rule in BASELINES {
            let order = rule.order(self.instance);
            let cost = self.cost(&order)?;
            if cost < best {
                best = cost;
                best_order = order;
            }
        }
        Ok((best_order, best))
    }

    /// Descends from `current`: first improvement over insert and swap moves, until no
    /// move improves or time is up.
    fn descend(
        &mut self,
        current: &mut Vec<usize>,
        current_cost: &mut f64,
    ) -> Result<(), RestoreError> {
        let n = self.instance.jobs.len();
        let reach = if n > 60 { 30 } else { n };
        let mut improved = true;
        while improved && !self.out_of_time() {
            improved = false;
            for i in 0..n {
                let lo = i.saturating_sub(reach);
                let hi = (i + reach + 1).min(n);
                for j in (lo..hi).filter(|&j| j != i) {
                    if let Some((candidate, cost)) = self.improve(current, *current_cost, i, j)? {
                        *current = candidate;
                        *current_cost = cost;
                        improved = true;
                        break;
                    }
                }
                if self.out_of_time() {
                    break;
                }
            }
        }
        Ok(())
    }

    /// Job `i` moved to place `j`, or failing that (once per pair) `i` and `j` swapped,
    /// when that costs less than `current_cost`.
    fn improve(
        &mut self,
        current: &[usize],
        current_cost: f64,
        i: usize,
        j: usize,
    ) -> Result<Option<(Vec<usize>, f64)>, RestoreError> {
        for swap in [false, true] {
            if swap && j < i {
                continue;
            }
            let mut candidate = current.to_vec();
            if swap {
                candidate.swap(i, j);
            } else {
                let job = candidate.remove(i);
                candidate.insert(j, job);
            }
            let cost = self.cost(&candidate)?;
            if cost < current_cost - 1e-9 {
                return Ok(Some((candidate, cost)));
            }
        }
        Ok(None)
    }
}

/// A small, seedable random source (SplitMix64), so plans are repeatable.
#[derive(Debug, Clone)]
pub struct SplitMix(pub u64);

impl SplitMix {
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// A number in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}
