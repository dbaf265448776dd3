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
    let as_problems = |file: &Path, error: CascadeError| match error {
        CascadeError::Invalid(problems) => problems,
        other => vec![Problem::in_file(
            file.display().to_string(),
            other.to_string(),
        )],
    };
    let (mut errors, mut warnings) = (Vec::new(), Vec::new());
    match City::load(&args.city) {
        Ok(mut city) => {
            warnings = std::mem::take(&mut city.warnings);
            for scenario in &args.scenarios {
                if let Err(error) = Scenario::load(scenario, &city) {
                    errors.extend(as_problems(scenario, error));
                }
            }
        }
        Err(error) => errors = as_problems(&args.city, error),
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
