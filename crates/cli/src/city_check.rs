//! `lifeline city check`: every problem and warning of a city's files (and of scenarios
//! given with it) at once; and the
//! city loading every command shares, which prints the city's warnings on standard error.

use crate::cli::CityCheckArgs;
use crate::output::print_json;
use anyhow::Result;
use lifeline_cascade::source::Problem;
use lifeline_cascade::{CascadeError, City, Scenario};
use serde::Serialize;
use std::path::Path;
use std::process::ExitCode;

/// Loads `path` and prints the city's warnings (gaps that load but are likely mistakes)
/// on standard error, each with its file and line.
pub fn load(path: &Path) -> Result<City, CascadeError> {
    let city = City::load(path)?;
    for warning in &city.warnings {
        eprintln!("warning: {warning}");
    }
    Ok(city)
}

/// [`load`]s the city at `city`, then the scenario at `scenario` checked against it.
pub fn load_with_scenario(city: &Path, scenario: &Path) -> Result<(City, Scenario), CascadeError> {
    let city = load(city)?;
    let scenario = Scenario::load(scenario, &city)?;
    Ok((city, scenario))
}

/// The `--json` document of `city check`.
#[derive(Debug, Serialize)]
struct Report<'a> {
    /// The city.toml checked.
    file: String,
    /// No errors (and, with `strict`, no warnings).
    ok: bool,
    /// Warnings count as errors.
    strict: bool,
    /// What stops the city from loading.
    errors: &'a [Problem],
    /// What loads but is likely a gap.
    warnings: &'a [Problem],
}

/// Runs `lifeline city check`.
pub fn run(args: &CityCheckArgs) -> Result<ExitCode> {
    let (city, mut errors, warnings) = City::check(&args.city);
    for scenario in &args.scenarios {
        if let Some(city) = &city
            && let Err(error) = Scenario::load(scenario, city)
        {
            errors.extend(error.into_problems(scenario));
        }
    }
    let ok = errors.is_empty() && (warnings.is_empty() || !args.strict);
    if args.json {
        print_json(&Report {
            file: args.city.display().to_string(),
            ok,
            strict: args.strict,
            errors: &errors,
            warnings: &warnings,
        })?;
    } else {
        for error in &errors {
            println!("error: {error}");
        }
        for warning in &warnings {
            let label = if args.strict { "error" } else { "warning" };
            println!("{label}: {warning}");
        }
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        println!(
            "{}: {}, {}{}",
            args.city.display(),
            plural(errors.len(), "error"),
            plural(warnings.len(), "warning"),
            match (ok, args.strict) {
                (true, _) => "; the city loads",
                (false, true) if errors.is_empty() => "; --strict makes warnings errors",
                (false, _) => "; the city does not load",
            }
        );
    }
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Runs `lifeline city init`.
pub fn init(args: &crate::cli::CityInitArgs) -> Result<ExitCode> {
    let request = lifeline_app::city_init::InitRequest {
        water: args.water.clone(),
        water_crs: args.water_crs.clone(),
        grid: args.grid.clone(),
        bus_positions: args.bus_positions.clone(),
        bus_crs: args.bus_crs.clone(),
        districts: args.districts.clone(),
        districts_crs: args.districts_crs.clone(),
        name_field: args.name_field.clone(),
        population_field: args.population_field.clone(),
        customers_field: args.customers_field.clone(),
        facilities: args.facilities.clone(),
        stations: args.stations.clone(),
        operations: args.operations.clone(),
        name: args.name.clone(),
        station_radius_m: args.station_radius,
        out: args.out.clone(),
    };
    let report = match lifeline_app::city_init::init(&request) {
        Ok(report) => report,
        Err(error) => {
            eprintln!("error: {}", crate::flags::app_message(&error));
            return Ok(ExitCode::from(1));
        }
    };
    if args.json {
        print_json(&report)?;
    } else {
        println!(
            "Wrote {} ({} districts, {} junctions: {} outside every polygon, {} without coordinates; {} pump stations, {} facilities)",
            report.city.display(),
            report.districts,
            report.junctions,
            report.junctions_outside,
            report.junctions_without_position,
            report.pump_stations,
            report.facilities
        );
        println!();
        println!("Guesses to check by hand (also in init-report.md):");
        for guess in &report.guesses {
            println!("  - {guess}");
        }
        println!();
        for error in &report.errors {
            println!("error: {error}");
        }
        for warning in &report.warnings {
            println!("warning: {warning}");
        }
        println!(
            "city check: {} errors, {} warnings",
            report.errors.len(),
            report.warnings.len()
        );
    }
    Ok(if report.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The `--json` document of `city map`.
#[derive(Debug, Serialize)]
struct MapReport {
    /// The SVG written.
    written: String,
    /// The time drawn, h from the scenario's start (null without a scenario).
    at_h: Option<f64>,
}

/// Runs `lifeline city map`.
pub fn map(args: &crate::cli::CityMapArgs) -> Result<ExitCode> {
    use lifeline_app::city_map::{AtTime, Service, svg};
    let city = match load(&args.city) {
        Ok(city) => city,
        Err(error) => return Ok(crate::simulate::report_invalid(&error)),
    };
    let result = match &args.scenario {
        Some(path) => {
            let run = Scenario::load(path, &city)
                .and_then(|scenario| lifeline_cascade::simulate(&city, &scenario, &mut |_, _| {}));
            match run {
                Ok(result) => Some(result),
                Err(error) => return Ok(crate::simulate::report_invalid(&error)),
            }
        }
        None => None,
    };
    let at_h = match (&result, &args.at) {
        (Some(_), Some(text)) => Some(crate::water::parse_clock(text)? as f64 / 3600.0),
        (Some(result), None) => {
            // The worst hour for power.
            let dark = result.customers_without_power();
            let k = (0..dark.len())
                .max_by_key(|&k| (dark[k], std::cmp::Reverse(k)))
                .unwrap_or(0);
            Some(result.times_h.get(k).copied().unwrap_or(0.0))
        }
        (None, _) => None,
    };
    let at = result.as_ref().zip(at_h).map(|(result, at_h)| AtTime {
        result,
        at_h,
        service: if args.water {
            Service::Water
        } else {
            Service::Power
        },
    });
    let drawing = match svg(&city, at) {
        Ok(drawing) => drawing,
        Err(error) => {
            eprintln!("error: {}", crate::flags::app_message(&error));
            return Ok(ExitCode::from(1));
        }
    };
    std::fs::write(&args.out, drawing)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", args.out.display()))?;
    if args.json {
        print_json(&MapReport {
            written: args.out.display().to_string(),
            at_h,
        })?;
    } else {
        println!("Wrote {}", args.out.display());
    }
    Ok(ExitCode::SUCCESS)
}
