//! `lifeline-bench schedule`: the fair scheduler, the exact model (HiGHS) and the naive
//! fixed rotation on two week-long problems: the demo city's 12 groups hourly, and 60
//! generated groups half-hourly. Time, over-shed MWh, uncovered MWh, fairness.
//!
//! Capacity follows a daily shape: short by 12 % of the load at night, 30 % in the
//! evening peak (17:00–22:00), 22 % by day; the exact model gets `--exact-seconds`.

use crate::cli::ScheduleArgs;
use crate::output::{human, print_json};
use anyhow::{Result, bail};
use lifeline_cascade::City;
use lifeline_demo_city::DemoCity;
use lifeline_schedule::schedule::{Figures, deficits};
use lifeline_schedule::{Group, Rules, exact, group, rotation, scheduler};
use serde::Serialize;
use std::process::ExitCode;
use std::time::{Duration, Instant};

#[derive(Debug, Serialize)]
struct Row {
    #[serde(flatten)]
    figures: Figures,
    ms: f64,
    /// For `exact`: proven optimal (else stopped at the time limit); null otherwise.
    optimal: Option<bool>,
}

#[derive(Debug, Serialize)]
struct Case {
    name: String,
    groups: usize,
    slots: usize,
    slot_minutes: u32,
    deficit_mwh: f64,
    schedules: Vec<Row>,
}

#[derive(Debug, Serialize)]
struct ScheduleBench {
    machine: serde_json::Value,
    exact_seconds: f64,
    cases: Vec<Case>,
}

/// Share of the load that is missing at local hour `h`.
fn shortfall(h: f64) -> f64 {
    let hour = h.rem_euclid(24.0);
    if (17.0..22.0).contains(&hour) {
        0.30
    } else if (7.0..17.0).contains(&hour) {
        0.22
    } else {
        0.12
    }
}

/// 60 groups of 10–60 MW (a fixed, spread-out sequence) and 20 MW of critical load.
fn generated_groups(count: usize) -> Vec<Group> {
    let mut groups: Vec<Group> = (0..count)
        .map(|i| Group {
            id: format!("{}.{}", i / 2 + 1, i % 2 + 1),
            critical: false,
            load_mw: 10.0 + ((i * 37) % 51) as f64,
            profile_mw: Vec::new(),
        })
        .collect();
    groups.push(Group {
        id: "critical".into(),
        critical: true,
        load_mw: 20.0,
        profile_mw: Vec::new(),
    });
    groups
}

fn case(
    name: &str,
    groups: &[Group],
    slot_minutes: u32,
    hours: f64,
    exact_limit: Duration,
) -> Result<Case> {
    let rules = Rules::new(slot_minutes, 4.0, 2.0)?;
    let slots = (hours / rules.slot_h).round() as usize;
    let load: f64 = groups.iter().map(|g| g.load_mw).sum();
    let capacity: Vec<f64> = (0..slots)
        .map(|s| load * (1.0 - shortfall(s as f64 * rules.slot_h)))
        .collect();
    let deficit = deficits(groups, &capacity);
    let mut schedules = Vec::new();
    let started = Instant::now();
    let fair = scheduler::fair(groups, &deficit, &rules);
    schedules.push(Row {
        ms: started.elapsed().as_secs_f64() * 1e3,
        figures: fair.figures(groups, &deficit, &rules),
        optimal: None,
    });
    let started = Instant::now();
    if let Some(solved) = exact::solve(groups, &deficit, &rules, exact_limit) {
        schedules.push(Row {
            ms: started.elapsed().as_secs_f64() * 1e3,
            figures: solved.schedule.figures(groups, &deficit, &rules),
            optimal: Some(solved.optimal),
        });
    }
    let started = Instant::now();
    let naive = rotation::naive(groups, &deficit);
    schedules.push(Row {
        ms: started.elapsed().as_secs_f64() * 1e3,
        figures: naive.figures(groups, &deficit, &rules),
        optimal: None,
    });
    Ok(Case {
        name: name.into(),
        groups: groups.iter().filter(|g| !g.critical).count(),
        slots,
        slot_minutes,
        deficit_mwh: deficit.iter().sum::<f64>() * rules.slot_h,
        schedules,
    })
}

pub fn run(args: &ScheduleArgs) -> Result<ExitCode> {
    if !(args.exact_seconds > 0.0 && args.exact_seconds.is_finite()) {
        bail!("--exact-seconds must be a positive number of seconds");
    }
    let limit = Duration::from_secs_f64(args.exact_seconds);
    let demo_city = DemoCity::materialise()?;
    let city = City::load(demo_city.city())?;
    let demo_groups = group::from_city(&city)?;
    let cases = vec![
        case(
            "demo city, 12 groups, 7 days hourly",
            &demo_groups,
            60,
            168.0,
            limit,
        )?,
        case(
            "60 groups, 7 days half-hourly",
            &generated_groups(60),
            30,
            168.0,
            limit,
        )?,
    ];
    let bench = ScheduleBench {
        machine: crate::output::machine(),
        exact_seconds: args.exact_seconds,
        cases,
    };
    if args.json {
        print_json(&bench)?;
        return Ok(ExitCode::SUCCESS);
    }
    for case in &bench.cases {
        println!(
            "{}: {} slots, deficit {:.0} MWh",
            case.name, case.slots, case.deficit_mwh
        );
        println!(
            "  {:<10} {:>10} {:>14} {:>14} {:>8} {:>12} {:>9}",
            "schedule",
            "time",
            "over-shed MWh",
            "uncovered MWh",
            "spread",
            "longest off",
            "switches"
        );
        for row in &case.schedules {
            let f = &row.figures;
            println!(
                "  {:<10} {:>10} {:>14.1} {:>14.1} {:>8} {:>12} {:>9}{}",
                f.name,
                human(Duration::from_secs_f64(row.ms / 1e3)),
                f.over_shed_mwh,
                f.uncovered_mwh,
                f.off_spread_slots,
                f.longest_off_slots,
                f.switch_offs,
                match row.optimal {
                    Some(true) => "  (optimal)",
                    Some(false) => "  (time limit)",
                    None => "",
                }
            );
        }
        println!();
    }
    Ok(ExitCode::SUCCESS)
}
