//! `lifeline restore`: crew schedules for a damage scenario, every planner side by side.

use crate::cli::{PlannerArg, RestoreArgs};
use crate::output::{human, print_json, write_file};
use anyhow::Result;
use lifeline_cascade::{City, Scenario};
use lifeline_core::number::{self, thousands};
use lifeline_restore::city::{CityOptions, CityProblem};
use lifeline_restore::study::{self, Choice, Study};
use lifeline_restore::{Additive, RestoreError, SearchOptions, report};
use serde::Serialize;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

#[derive(Debug, Serialize)]
pub struct Written {
    jobs: PathBuf,
    curves: PathBuf,
    chart: PathBuf,
}

/// The `--json` document: the study and the files written.
#[derive(Serialize)]
struct Document {
    #[serde(flatten)]
    study: study::Document,
    written: Option<Written>,
}

/// `error` as the command line says it: led by the flag its field comes from, if any.
pub fn message(error: &RestoreError) -> String {
    match error.field() {
        Some(field) if ["crews", "planner", "time_limit_s"].contains(&field) => {
            format!("{}: {error}", crate::flags::flag(field))
        }
        _ => error.to_string(),
    }
}

pub fn run(args: &RestoreArgs) -> Result<ExitCode> {
    let started = Instant::now();
    let search = match SearchOptions::default().with_time_limit_s(args.search_seconds) {
        Ok(search) => search,
        Err(error) => return Ok(crate::output::usage_error(message(&error))),
    };
    let loaded = crate::city_check::load_with_scenario(&args.city, &args.scenario);
    let (city, scenario) = match loaded {
        Ok(loaded) => loaded,
        Err(error) => return Ok(crate::simulate::report_invalid(&error)),
    };
    let choice = match args.planner {
        PlannerArg::Best => Choice::Best,
        PlannerArg::Greedy => Choice::Greedy,
        PlannerArg::Exact => Choice::Exact,
    };
    let outcome =
        CityProblem::new(&city, &scenario, CityOptions { crews: args.crews }).and_then(|problem| {
            let study = study_with_progress(&problem, choice, search, args.json)?;
            Ok((problem, study))
        });
    let (problem, study) = match outcome {
        Ok(done) => done,
        Err(RestoreError::Cascade(error)) => return Ok(crate::simulate::report_invalid(&error)),
        Err(error) => return Ok(crate::output::fail(message(&error))),
    };
    let written = match &args.out {
        Some(dir) => Some(write_outputs(dir, &problem, &study)?),
        None => None,
    };
    if args.json {
        print_json(&Document {
            study: study.document(&problem),
            written,
        })?;
    } else {
        print_study(&problem, &study, started.elapsed());
        if let Some(written) = &written {
            println!();
            println!("Written:");
            for path in [&written.jobs, &written.curves, &written.chart] {
                println!("  {}", path.display());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_study(problem: &CityProblem<'_>, study: &Study, elapsed: Duration) {
    let instance = &problem.instance;
    println!(
        "Restoring {} damaged assets of \"{}\" with {} crews ({})",
        instance.jobs.len(),
        problem.scenario.name,
        instance.crews.len(),
        instance
            .crews
            .iter()
            .map(|c| c.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!(
        "Each plan run through the cascade over {} h (long enough for any plan without idle crews); cost = weighted customer-hours without power + person-hours without water beyond the normal day's (+ facilities and pump stations)",
        study.horizon_s / 3600
    );
    println!();
    let chosen = &study.planners[study.chosen];
    println!(
        "{:<16} {:>16} {:>10} {:>12} {:>10}",
        "planner", "cost", "vs rules", "all back", "planning"
    );
    let rule = study.planners[study.best_rule].objective;
    for (i, row) in study.planners.iter().enumerate() {
        let mark = if i == study.chosen { " ◀" } else { "" };
        println!(
            "{:<16} {:>16} {:>9.1}% {:>12} {:>10}{mark}",
            row.name,
            thousands(row.objective.round() as u64),
            relative_pct(row.objective, rule),
            number::clock((row.makespan_h * 3600.0).round() as i64),
            human(Duration::from_secs_f64(row.runtime_ms / 1e3)),
        );
    }
    println!(
        "{:<16} {:>16} {:>9.1}%   (every repair starting at its strike: no plan can do better)",
        "unlimited crews",
        thousands(study.unlimited_crews.round() as u64),
        relative_pct(study.unlimited_crews, rule)
    );
    if let Some(exact) = study.planners.iter().find(|r| r.name == "exact") {
        let best = study.planners.iter().position(|r| r.name == "best");
        if let (Some(bound), Some(best)) = (exact.lower_bound, best) {
            let additive = Additive.total(instance, &study.plans[best]);
            println!(
                "exact model (additive costs, whole hours, crews free to wait): lower bound {}; the best planner's plan costs {} there ({:+.1}%)",
                thousands(bound.round() as u64),
                thousands(additive.round() as u64),
                relative_pct(additive, bound)
            );
        }
    }
    for failure in &study.failed {
        println!(
            "{:<16} could not be evaluated, not ranked: {}",
            failure.planner, failure.error
        );
    }
    if study.surrogate.evaluations > 0 {
        println!(
            "surrogate: within {:.1}% of the cascade on the plans ranked (water side scaled by {:.2} for this city)",
            study.surrogate.error_pct, study.surrogate.water_scale
        );
    }
    for note in &study.notes {
        println!("note: {note}");
    }
    println!();
    println!("Plan ({}):", chosen.name);
    let plan = &study.plans[study.chosen];
    let clock = |h: f64| number::clock((h * 3600.0).round() as i64);
    for (k, jobs) in plan.by_crew(instance.crews.len()).iter().enumerate() {
        let crew = &instance.crews[k].id;
        if jobs.is_empty() {
            println!("  {crew:<8} —");
        }
        for a in jobs {
            println!(
                "  {crew:<8} {:>5}–{:<5}  {:<18} {}",
                clock(a.start_h),
                clock(a.end_h),
                instance.jobs[a.job].asset,
                problem.job_name(a.job)
            );
        }
    }
    println!();
    println!(
        "{:.1} s in all (planning and evaluation)",
        elapsed.as_secs_f64()
    );
}

/// The restoration headline `lifeline demo` prints: the city's crews on the scenario.
#[derive(Debug, Serialize)]
pub struct Headline {
    /// Crews planned for.
    pub crews: usize,
    /// Damaged assets.
    pub damaged_assets: usize,
    /// The plan handed out and its weighted cost in the cascade.
    pub chosen: String,
    pub objective: f64,
    /// The best dispatch rule and its cost.
    pub best_rule: String,
    pub best_rule_objective: f64,
    /// Cost with unlimited crews: no plan can do better.
    pub unlimited_crews: f64,
    /// When the chosen plan has repaired everything, h.
    pub all_repaired_h: f64,
    /// The chosen plan's jobs.
    pub jobs: Vec<study::JobRow>,
    /// Files written.
    pub written: Written,
}

/// `cost` against `reference` in per cent (0 when both are 0: nothing to restore).
fn relative_pct(cost: f64, reference: f64) -> f64 {
    if reference > 0.0 {
        100.0 * (cost / reference - 1.0)
    } else if cost > 0.0 {
        f64::INFINITY
    } else {
        0.0
    }
}

/// [`study::run`] with a progress bar on standard error (none when `quiet`): its steps
/// are the cascade runs, the surrogate's fit and the search.
fn study_with_progress(
    problem: &CityProblem<'_>,
    choice: Choice,
    search: SearchOptions,
    quiet: bool,
) -> std::result::Result<Study, RestoreError> {
    let bar = if quiet {
        indicatif::ProgressBar::hidden()
    } else {
        let bar = indicatif::ProgressBar::new(1);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len}: calibrating, searching, then each plan through the cascade ({elapsed})",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    };
    let study = study::run_with_progress(problem, choice, search, &|done, total| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    });
    bar.finish_and_clear();
    study
}

/// Plans the repairs of `scenario` with the city's crews (a progress bar on standard
/// error unless `quiet`), writes the plan and curves to `dir`, and returns the headline.
pub fn headline(
    city: &City,
    scenario: &Scenario,
    dir: &std::path::Path,
    quiet: bool,
) -> Result<std::result::Result<Headline, RestoreError>> {
    let problem = match CityProblem::new(city, scenario, CityOptions::default()) {
        Ok(problem) => problem,
        Err(error) => return Ok(Err(error)),
    };
    let study = match study_with_progress(&problem, Choice::Best, SearchOptions::default(), quiet) {
        Ok(study) => study,
        Err(error) => return Ok(Err(error)),
    };
    let written = write_outputs(dir, &problem, &study)?;
    let chosen = &study.planners[study.chosen];
    let rule = &study.planners[study.best_rule];
    Ok(Ok(Headline {
        crews: problem.instance.crews.len(),
        damaged_assets: problem.instance.jobs.len(),
        chosen: chosen.name.clone(),
        objective: chosen.objective,
        best_rule: rule.name.clone(),
        best_rule_objective: rule.objective,
        unlimited_crews: study.unlimited_crews,
        all_repaired_h: chosen.makespan_h,
        jobs: study.jobs(&problem),
        written,
    }))
}

/// Prints the headline under the demo's report.
pub fn print_headline(
    headline: &Headline,
    city_file: &std::path::Path,
    scenario_file: &std::path::Path,
) {
    let saving = -relative_pct(headline.objective, headline.best_rule_objective);
    let avoidable = headline.best_rule_objective - headline.unlimited_crews;
    println!();
    println!(
        "Repairs: {} damaged assets, {} crews. The {} plan has everything repaired by {} and costs {:.1} M weighted customer- and person-hours: {:.1} % less than the best dispatch rule ({}, {:.1} M){}.",
        headline.damaged_assets,
        headline.crews,
        headline.chosen,
        number::clock((headline.all_repaired_h * 3600.0).round() as i64),
        headline.objective / 1e6,
        saving,
        headline.best_rule,
        headline.best_rule_objective / 1e6,
        if avoidable > 0.0 {
            format!(
                ", {:.0} % of what unlimited crews could save",
                100.0 * (headline.best_rule_objective - headline.objective) / avoidable
            )
        } else {
            String::new()
        }
    );
    println!(
        "  crew schedule: {}  ·  all planners: lifeline restore {} {}",
        headline.written.jobs.display(),
        city_file.display(),
        scenario_file.display()
    );
}

fn write_outputs(
    dir: &std::path::Path,
    problem: &CityProblem<'_>,
    study: &Study,
) -> Result<Written> {
    let instance = &problem.instance;
    let chosen = &study.planners[study.chosen];
    let best_rule = &study.planners[study.best_rule];
    let runs = [
        (chosen.name.as_str(), &study.results[study.chosen]),
        (best_rule.name.as_str(), &study.results[study.best_rule]),
    ];
    let title = format!(
        "{}: restoration with {} crews",
        problem.scenario.name,
        instance.crews.len()
    );
    Ok(Written {
        jobs: write_file(&dir.join("jobs.csv"), |out| {
            report::write_jobs(out, problem, &study.plans[study.chosen])
        })?,
        curves: write_file(&dir.join("curves.csv"), |out| {
            report::write_curves(out, &runs)
        })?,
        chart: write_file(&dir.join("restoration.svg"), |out| {
            std::io::Write::write_all(out, report::curves_svg(&title, &runs).as_bytes())
        })?,
    })
}
