//! `lifeline serve`: the HTTP API on a registry.

use crate::cli::ServeArgs;
use anyhow::{Context, Result};
use lifeline_server::limits::AllowedHosts;
use std::process::ExitCode;

pub fn run(args: &ServeArgs) -> Result<ExitCode> {
    if args.forecast_samples > lifeline_server::MAX_FORECAST_SAMPLES {
        return Ok(crate::output::fail(format!(
            "--forecast-samples: must be from 0 to {}, got {}",
            lifeline_server::MAX_FORECAST_SAMPLES,
            args.forecast_samples
        )));
    }
    let token = match &args.token_file {
        // As an editor may save it: a byte-order mark and a line break are not the token.
        Some(path) => Some(
            lifeline_core::text::without_bom(
                &std::fs::read_to_string(path)
                    .with_context(|| format!("{}: cannot read the token file", path.display()))?,
            )
            .trim()
            .to_string(),
        ),
        None => std::env::var("LIFELINE_API_TOKEN").ok(),
    };
    if token.as_deref().is_none_or(str::is_empty) {
        eprintln!(
            "lifeline serve: no token (LIFELINE_API_TOKEN or --token-file): reads only, writes are refused"
        );
    }
    // Before the runtime: the PostgreSQL client is blocking and runs one of its own.
    let store = match crate::incidents::open_store(args.db.as_deref()) {
        Ok(store) => store,
        Err(error) => return Ok(crate::output::fail(error)),
    };
    // The city: the one given, else the demo city (from the repository, or written out of
    // the binary into a private folder kept while the server runs: the water model reads
    // it). With the demo city, its seed scenario runs at start so the dashboard has a run
    // to show.
    let demo_city;
    let (city_file, mut scenario_files) = match &args.city {
        Some(path) => (path.clone(), Vec::new()),
        None => {
            demo_city = lifeline_demo_city::DemoCity::materialise()?;
            (
                demo_city.city().to_path_buf(),
                vec![demo_city.scenario().to_path_buf()],
            )
        }
    };
    scenario_files.extend(args.scenario.iter().cloned());
    let city = match crate::city_check::load(&city_file) {
        Ok(city) => city,
        Err(error) => return Ok(crate::simulate::report_invalid(&error)),
    };
    let mut scenarios = Vec::new();
    for path in &scenario_files {
        match lifeline_cascade::Scenario::load(path, &city) {
            Ok(scenario) => scenarios.push((path, scenario)),
            Err(error) => return Ok(crate::simulate::report_invalid(&error)),
        }
    }
    eprintln!("lifeline serve: {} from {}", city.name, city_file.display());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the server's runtime")?;
    let listener = match runtime.block_on(tokio::net::TcpListener::bind(&args.addr)) {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("error: cannot listen on {}: {error}", args.addr);
            return Ok(ExitCode::from(1));
        }
    };
    let hosts = AllowedHosts::for_address(listener.local_addr()?, &args.allow_host);
    eprintln!(
        "lifeline serve: answering requests for Host {} (add a name with --allow-host NAME)",
        hosts.describe()
    );
    let state = lifeline_server::AppState::new(store, token)
        .context("cannot start the registry's thread")?
        .with_city(city)
        .with_forecast_samples(args.forecast_samples)
        .allow_hosts(hosts);
    {
        let _inside = runtime.enter();
        for (path, scenario) in scenarios {
            match state.start_scenario(scenario) {
                Ok(id) => eprintln!(
                    "lifeline serve: running {} as scenario job {id}",
                    path.display()
                ),
                Err(error) => eprintln!("lifeline serve: {}: {error}", path.display()),
            }
        }
    }
    let jobs = state.jobs();
    let app = lifeline_server::app(state);
    let served = runtime.block_on(lifeline_server::serve(app, listener));
    // Scenario jobs still running stop at their next stop; those that do not within a
    // few seconds end with the process.
    jobs.cancel_all();
    runtime.shutdown_timeout(std::time::Duration::from_secs(5));
    match served {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(error) => {
            eprintln!("error: {}: {error}", args.addr);
            Ok(ExitCode::from(1))
        }
    }
}
