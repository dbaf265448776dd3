//! Who repairs what in a sample: every repair at once (the scenario's own times), a
//! restoration plan kept with its times re-drawn, or the crews re-dispatched by a rule in
//! every sample.
//!
//! With a plan or a rule, a strike's drawn time (start delay plus work, h) is the work on
//! site of its job: crews travel from their depots as the restoration problem says
//! (`lifeline_restore::city::CityProblem`), and an asset is back when its crew has
//! travelled, waited for the jobs before it and worked. The plan's order is what a
//! dispatcher has published ("crew P-1: the Centre substation, then line 7–29"); the rule
//! is what a dispatcher does who sends each free crew to the most important job left,
//! knowing only the expected repair times (the order is the rule's on the expected times,
//! the crews' times the sample's).

use crate::ForecastError;
use crate::draw::SampledRepairs;
use lifeline_cascade::scenario::{HOUR_S, Scenario};
use lifeline_restore::city::CityProblem;
use lifeline_restore::plan::Decoder;
use lifeline_restore::study::{self, Choice};
use lifeline_restore::{Instance, Plan, Rule, SearchOptions};

/// How a sample's repairs are dispatched (`lifeline forecast --plan`).
pub enum Dispatch<'p, 'a> {
    /// Every repair starts when its asset is hit, as the scenario gives it (as many crews
    /// as needed).
    Unlimited,
    /// `plan`'s crews keep their order of jobs; their times are re-drawn.
    Plan {
        /// The restoration problem the plan solves.
        problem: &'p CityProblem<'a>,
        /// The plan.
        plan: Plan,
        /// The planner that made it (`best`, `priority`, ...).
        planner: String,
    },
    /// In every sample the crews are dispatched by `rule` on the expected times.
    Rule {
        /// The restoration problem.
        problem: &'p CityProblem<'a>,
        /// The rule.
        rule: Rule,
    },
}

impl<'p, 'a> Dispatch<'p, 'a> {
    /// The plan `lifeline restore` hands out for `problem` (its study's chosen plan,
    /// every plan judged by the cascade on the expected times).
    pub fn chosen(
        problem: &'p CityProblem<'a>,
        search: SearchOptions,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<Self, ForecastError> {
        let study = study::run_with_progress(problem, Choice::Best, search, progress)?;
        let planner = study.planners[study.chosen].name.clone();
        let plan = study.plans[study.chosen].clone();
        Ok(Self::Plan {
            problem,
            plan,
            planner,
        })
    }

    /// Its name in reports: `none`, `chosen` or `rule`.
    pub fn name(&self) -> &'static str {
        match self {
            Dispatch::Unlimited => "none",
            Dispatch::Plan { .. } => "chosen",
            Dispatch::Rule { .. } => "rule",
        }
    }

    /// What it is, for reports: the planner or the rule behind it.
    pub fn describe(&self) -> Option<String> {
        match self {
            Dispatch::Unlimited => None,
            Dispatch::Plan { planner, .. } => Some(format!("the {planner} plan")),
            Dispatch::Rule { rule, .. } => Some(format!("the {} rule", rule.name())),
        }
    }

    /// The scenario whose strikes' repair times are what is drawn around: the scenario
    /// itself, or with a plan or rule each job's work on site (the strike's repair time
    /// or the city's default for its kind), counted from when the work starts on the
    /// expected times: so a forecast from a moment keeps the work done by then, and
    /// draws work under way again until it lasts past the moment.
    pub fn nominal(&self, scenario: &Scenario) -> Scenario {
        let Some(problem) = self.problem() else {
            return scenario.clone();
        };
        let instance = &problem.instance;
        let expected: Vec<f64> = instance.jobs.iter().map(|j| j.duration_h).collect();
        let end_h = self.ends_h(instance, &expected);
        let mut nominal = scenario.clone();
        for (job, &i) in problem.strike_of_job.iter().enumerate() {
            let work_h = expected[job];
            let strike = &mut nominal.strikes[i];
            strike.repair_s = Some(((work_h * HOUR_S as f64).round() as i64).max(0));
            let start_s = ((end_h[job] - work_h) * HOUR_S as f64).round() as i64;
            strike.at_s = start_s.max(strike.at_s);
        }
        nominal
    }

    /// When each job ends, h, with work `work_h` per job (a plan or a rule only).
    fn ends_h(&self, instance: &Instance, work_h: &[f64]) -> Vec<f64> {
        match self {
            Dispatch::Plan { plan, .. } => replay(instance, plan, work_h),
            Dispatch::Rule { rule, .. } => redispatch(instance, *rule, work_h),
            Dispatch::Unlimited => Vec::new(),
        }
    }

    fn problem(&self) -> Option<&'p CityProblem<'a>> {
        match self {
            Dispatch::Unlimited => None,
            Dispatch::Plan { problem, .. } | Dispatch::Rule { problem, .. } => Some(problem),
        }
    }

    /// The sample's repairs as times from each strike, s: `drawn` itself, or with a plan
    /// or rule each job's drawn work placed in its crew's day.
    pub fn repairs(&self, scenario: &Scenario, drawn: SampledRepairs) -> SampledRepairs {
        let Some(problem) = self.problem() else {
            return drawn;
        };
        let instance = &problem.instance;
        let work_h: Vec<f64> = problem
            .strike_of_job
            .iter()
            .enumerate()
            .map(|(job, &i)| {
                drawn.repair_s[i]
                    .map_or(instance.jobs[job].duration_h, |s| s as f64 / HOUR_S as f64)
            })
            .collect();
        let end_h = self.ends_h(instance, &work_h);
        let mut repair_s = drawn.repair_s;
        for (job, &i) in problem.strike_of_job.iter().enumerate() {
            let end_s = (end_h[job] * HOUR_S as f64).round() as i64;
            repair_s[i] = Some((end_s - scenario.strikes[i].at_s).max(1));
        }
        SampledRepairs {
            repair_s,
            destroyed: drawn.destroyed,
        }
    }
}

/// When each job ends, h, if `plan`'s crews do their jobs in the plan's order with work
/// `work_h` per job: a crew sets out once free and once the job's asset is hit and its
/// predecessors will be done on arrival, and works on arrival or once they are done.
/// With the plan's own work times this gives the plan's own times.
pub fn replay(instance: &Instance, plan: &Plan, work_h: &[f64]) -> Vec<f64> {
    let predecessors = instance.predecessors();
    let mut order: Vec<_> = plan.assignments.clone();
    // A job starts after its predecessors end, and a crew's jobs start in its order.
    order.sort_by(|a, b| {
        a.start_h
            .total_cmp(&b.start_h)
            .then(a.depart_h.total_cmp(&b.depart_h))
    });
    let mut done = vec![0.0; instance.jobs.len()];
    let mut crew_free = vec![0.0_f64; instance.crews.len()];
    for a in order {
        let (job, crew) = (a.job, a.crew);
        let after = predecessors[job]
            .iter()
            .map(|&p| done[p])
            .fold(0.0, f64::max);
        let travel = instance.travel_h[crew][job];
        let depart = crew_free[crew]
            .max(instance.jobs[job].release_h)
            .max(after - travel);
        let end = (depart + travel).max(after) + work_h[job];
        done[job] = end;
        crew_free[crew] = end;
    }
    done
}

/// When each job ends, h, if free crews are sent by `rule`'s order on the expected work
/// times while the jobs take `work_h`.
pub fn redispatch(instance: &Instance, rule: Rule, work_h: &[f64]) -> Vec<f64> {
    let order = rule.order(instance);
    let mut sampled = instance.clone();
    for (job, &w) in sampled.jobs.iter_mut().zip(work_h) {
        job.duration_h = w;
    }
    Decoder::new(&sampled)
        .run(&order)
        .completion_h(sampled.jobs.len())
}
