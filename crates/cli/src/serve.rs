//! `lifeline serve`: the HTTP API on a registry.

use crate::cli::ServeArgs;
use anyhow::{Context, Result};
use std::process::ExitCode;

pub fn run(args: &ServeArgs) -> Result<ExitCode> {
    let token = match &args.token_file {
        Some(path) => Some(
            std::fs::read_to_string(path)
                .with_context(|| format!("{}: cannot read the token file", path.display()))?
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
    let store = match crate::incidents::open_store(args.db.as_deref()) {
        Ok(store) => store,
        Err(error) => return Ok(crate::output::fail(error)),
    };
    // The city: the one given, else the demo city (from the repository, or written out of
    // the binary into a folder kept while the server runs: the water model reads it).
    let city_file = match &args.city {
        Some(path) => path.clone(),
        None => crate::bench_cascade::demo_inputs()?.0,
    };
    let city = match lifeline_cascade::City::load(&city_file) {
        Ok(city) => city,
        Err(error) => return Ok(crate::simulate::report_invalid(&error)),
    };
    eprintln!("lifeline serve: {} from {}", city.name, city_file.display());
    let app = lifeline_server::app(lifeline_server::AppState::new(store, token).with_city(city));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the server's runtime")?;
    match runtime.block_on(lifeline_server::serve(app, &args.addr)) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(error) => {
            eprintln!("error: {}: {error}", args.addr);
            Ok(ExitCode::from(1))
        }
    }
}
