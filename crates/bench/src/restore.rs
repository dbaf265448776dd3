//! `lifeline-bench restore`: planning time and cost of every planner on generated
//! problems (12, 50 and 200 damaged assets by default) and on the demo city.
//!
//! Generated problems use the additive objective, where the exact model gives the
//! optimum (up to 12 assets); the demo city's plans are run through the cascade. There
//! is no outside peer: research tools for this problem (td-INDP) need Gurobi, and
//! InfraRisk's rules are the dispatch rules here.

use crate::cli::RestoreArgs;
use crate::output::{human, print_json};
use anyhow::{Result, bail};
use lifeline_cascade::{City, Scenario};
use lifeline_demo_city::DemoCity;
use lifeline_restore::city::{CityOptions, CityProblem};
use lifeline_restore::study::{self, Choice, PlannerRow};
use lifeline_restore::{Additive, SearchOptions, exact, generate, planners};
use serde::Serialize;
use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// One planner on one problem size, over the seeds.
#[derive(Debug, Serialize)]
struct PlannerFigures {
    name: String,
    /// Median planning time, ms.
    median_ms: f64,
    /// Longest planning time, ms.
    max_ms: f64,
    /// Mean cost relative to the best dispatch rule's (1 = the same; lower is better).
    vs_best_rule: f64,
    /// Mean cost relative to the exact model's optimum (crews free to wait: a lower
    /// bound of every plan), where it was proven.
    vs_optimum: Option<f64>,
}

#[derive(Debug, Serialize)]
struct SizeFigures {
    damaged_assets: usize,
    crews: usize,
    seeds: Vec<u64>,
    planners: Vec<PlannerFigures>,
}

#[derive(Debug, Serialize)]
struct DemoFigures {
    city: String,
    scenario: String,
    crews: usize,
    damaged_assets: usize,
    /// Every planner's plan run through the cascade.
    planners: Vec<PlannerRow>,
    unlimited_crews: f64,
    /// Surrogate calibration and cascade runs, ms.
    evaluation_ms: f64,
    /// The whole study, ms.
    total_ms: f64,
}

#[derive(Debug, Serialize)]
struct RestoreBench {
    machine: serde_json::Value,
    search_seconds: f64,
    searches: usize,
    generated: Vec<SizeFigures>,
    demo: Option<DemoFigures>,
}

/// Crews for a generated problem of `assets` damaged assets: one per ten, at least two.
fn crews_for(assets: usize) -> usize {
    (assets / 10).max(2)
}

/// Runs `lifeline-bench restore`.
pub fn run(args: &RestoreArgs) -> Result<ExitCode> {
    if args.seeds == 0 {
        bail!("--seeds must be at least 1");
    }
    if !(args.search_seconds > 0.0 && args.search_seconds.is_finite()) {
        bail!("--search-seconds must be a positive number of seconds");
    }
    let search = SearchOptions {
        time_limit: Duration::from_secs_f64(args.search_seconds),
        ..SearchOptions::default()
    };
    let progress = !args.json && std::io::stderr().is_terminal();
    let mut generated = Vec::new();
    for &assets in &args.sizes {
        if assets == 0 {
            bail!("--sizes: a problem needs at least 1 damaged asset");
        }
        generated.push(measure_size(args, assets, search)?);
        if progress {
            eprint!("\r{:60}\r", "");
        }
    }
    let demo = if args.no_demo {
        None
    } else {
        if !args.json {
            eprintln!(
                "Planning the demo city's repairs and running every plan through the cascade…"
            );
        }
        Some(measure_demo(search)?)
    };
    let bench = RestoreBench {
        machine: crate::output::machine(),
        search_seconds: args.search_seconds,
        searches: search.searches,
        generated,
        demo,
    };
    if args.json {
        print_json(&bench)?;
    } else {
        print_bench(&bench);
    }
    Ok(ExitCode::SUCCESS)
}

/// Every planner's time and cost on one seed, by planner name.
#[derive(Default)]
struct Runs {
    /// (name, per seed: (ms, cost)), in the order the planners first ran.
    by_planner: Vec<(String, Vec<(f64, f64)>)>,
    /// Per seed: the best dispatch rule's cost.
    best_rule: Vec<f64>,
    /// Per seed: the exact optimum (its proven lower bound), when the model ran.
    optimum: Vec<Option<f64>>,
}

impl Runs {
    fn record(&mut self, name: &str, ms: f64, cost: f64) {
        match self.by_planner.iter_mut().find(|(n, _)| n == name) {
            Some((_, list)) => list.push((ms, cost)),
            None => self.by_planner.push((name.to_string(), vec![(ms, cost)])),
        }
    }

    /// Each planner's figures over the seeds.
    fn figures(self) -> Vec<PlannerFigures> {
        let Runs {
            by_planner,
            best_rule,
            optimum,
        } = self;
        by_planner
            .into_iter()
            .map(|(name, list)| {
                let mut ms: Vec<f64> = list.iter().map(|r| r.0).collect();
                ms.sort_by(f64::total_cmp);
                let count = list.len() as f64;
                let vs_best_rule = list
                    .iter()
                    .zip(&best_rule)
                    .map(|(r, b)| r.1 / b)
                    .sum::<f64>()
                    / count;
                let vs_optimum = (optimum.len() == list.len()
                    && optimum.iter().all(Option::is_some))
                .then(|| {
                    list.iter()
                        .zip(&optimum)
                        .map(|(r, o)| r.1 / o.unwrap_or(r.1))
                        .sum::<f64>()
                        / count
                });
                PlannerFigures {
                    name,
                    median_ms: ms[ms.len() / 2],
                    max_ms: ms[ms.len() - 1],
                    vs_best_rule,
                    vs_optimum,
                }
            })
            .collect()
    }
}

/// Every planner on generated problems of `assets` damaged assets, one per seed.
fn measure_size(args: &RestoreArgs, assets: usize, search: SearchOptions) -> Result<SizeFigures> {
    let crews = crews_for(assets);
    let seeds: Vec<u64> = (0..args.seeds as u64).collect();
    let mut runs = Runs::default();
    for &seed in &seeds {
        if !args.json {
            eprint!(
                "\r{assets} assets, {crews} crews: seed {}/{}  ",
                seed + 1,
                seeds.len()
            );
        }
        let instance = generate::instance(seed, assets, crews)?;
        let mut rule_best = f64::INFINITY;
        for rule in planners::BASELINES {
            let planned = planners::by_rule(&instance, &Additive, rule)?;
            rule_best = rule_best.min(planned.objective);
            runs.record(&planned.name, planned.runtime_ms, planned.objective);
        }
        runs.best_rule.push(rule_best);
        let strong = planners::strong(&instance, &Additive, search)?;
        runs.record("best", strong.runtime_ms, strong.objective);
        if assets <= exact::MAX_JOBS {
            let solved = exact::solve(&instance, Duration::from_secs(120))?;
            runs.record("exact", solved.runtime_ms, solved.objective);
            runs.optimum.push(solved.lower_bound);
        }
    }
    Ok(SizeFigures {
        damaged_assets: assets,
        crews,
        seeds,
        planners: runs.figures(),
    })
}

/// Every planner on the demo city's seed scenario, each plan run through the cascade.
fn measure_demo(search: SearchOptions) -> Result<DemoFigures> {
    let demo_city = DemoCity::materialise()?;
    let city = City::load(demo_city.city())?;
    let scenario = Scenario::load(demo_city.scenario(), &city)?;
    let started = Instant::now();
    let problem = CityProblem::new(&city, &scenario, CityOptions::default())?;
    let outcome = study::run(&problem, Choice::Best, search)?;
    Ok(DemoFigures {
        city: city.name.clone(),
        scenario: scenario.name.clone(),
        crews: problem.instance.crews.len(),
        damaged_assets: problem.instance.jobs.len(),
        planners: outcome.planners,
        unlimited_crews: outcome.unlimited_crews,
        evaluation_ms: outcome.evaluation_ms,
        total_ms: started.elapsed().as_secs_f64() * 1e3,
    })
}

fn print_bench(bench: &RestoreBench) {
    println!(
        "Restoration planners (the strong planner: {} searches, {} s limit)",
        bench.searches, bench.search_seconds
    );
    for size in &bench.generated {
        println!();
        println!(
            "{} damaged assets, {} crews, seeds 0–{} (additive cost; lower is better)",
            size.damaged_assets,
            size.crews,
            size.seeds.len() - 1
        );
        println!(
            "{:<16} {:>10} {:>10} {:>14} {:>12}",
            "planner", "median", "max", "vs best rule", "vs bound"
        );
        for p in &size.planners {
            println!(
                "{:<16} {:>10} {:>10} {:>13.1}% {:>12}",
                p.name,
                human(Duration::from_secs_f64(p.median_ms / 1e3)),
                human(Duration::from_secs_f64(p.max_ms / 1e3)),
                100.0 * (p.vs_best_rule - 1.0),
                p.vs_optimum
                    .map_or("—".to_string(), |v| format!("{:+.2}%", 100.0 * (v - 1.0))),
            );
        }
    }
    if let Some(demo) = &bench.demo {
        println!();
        println!(
            "{}, \"{}\": {} damaged assets, {} crews; every plan run through the cascade",
            demo.city, demo.scenario, demo.damaged_assets, demo.crews
        );
        let rules = demo
            .planners
            .iter()
            .filter(|p| planners::BASELINES.iter().any(|r| r.name() == p.name))
            .map(|p| p.objective)
            .fold(f64::INFINITY, f64::min);
        println!(
            "{:<16} {:>10} {:>16} {:>14}",
            "planner", "planning", "cascade cost", "vs best rule"
        );
        for p in &demo.planners {
            println!(
                "{:<16} {:>10} {:>16.0} {:>13.1}%",
                p.name,
                human(Duration::from_secs_f64(p.runtime_ms / 1e3)),
                p.objective,
                100.0 * (p.objective / rules - 1.0)
            );
        }
        println!(
            "{:<16} {:>10} {:>16.0} {:>13.1}%",
            "unlimited crews",
            "",
            demo.unlimited_crews,
            100.0 * (demo.unlimited_crews / rules - 1.0)
        );
        println!(
            "study {} in all, of which {} calibrating the surrogate and running the cascade",
            human(Duration::from_secs_f64(demo.total_ms / 1e3)),
            human(Duration::from_secs_f64(demo.evaluation_ms / 1e3))
        );
    }
}
