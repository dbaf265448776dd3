//! `lifeline-bench`: lifeline's engines measured against their peers on the same inputs,
//! in the same run. The peers are Python programs (pandapower, lightsim2grid, EPANET's
//! toolkit, WNTR; `bench/peers/` and `../shared/reference/`), run as processes; none of
//! this is in the `lifeline` binary users install.
//!
//! One module per benchmark; `peer` runs the peers' scripts; `output` prints. Exit codes:
//! 0 measured (peers that could not run are reported, not fatal), 1 invalid input or a
//! failed measurement, 2 bad command line.

mod cascade;
mod cli;
mod forecast;
mod hydraulics;
mod incidents;
mod output;
mod peer;
mod power;
mod restore;
mod schedule;
mod serve;
mod sweep;
mod water;

use clap::Parser;
use cli::{Cli, Command};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Power(args) => power::run(args),
        Command::Water(args) => water::run(args),
        Command::Hydraulics(args) => hydraulics::run(args),
        Command::Cascade(args) => cascade::run(args),
        Command::Forecast(args) => forecast::run(args),
        Command::Restore(args) => restore::run(args),
        Command::Schedule(args) => schedule::run(args),
        Command::Incidents(args) => incidents::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Sweep(args) => sweep::run(args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(1)
        }
    }
}
