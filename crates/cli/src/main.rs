//! The `lifeline` command-line tool: parses arguments, loads files, calls the engines,
//! prints. Exit codes: 0 success, 1 invalid input or I/O failure, 2 bad command line,
//! 3 a power flow that did not converge.

mod city_check;
mod cli;
mod contingency;
mod flags;
mod forecast;
mod incidents;
mod outage;
mod output;
mod power_flow;
mod restore;
mod schedule;
mod serve;
mod simulate;
mod sweep;
mod water;

use clap::Parser;
use cli::{CityCommand, Cli, Command, PowerCommand, WaterCommand};
use std::process::ExitCode;

/// A reader that stops early (`lifeline sweep rank FILE | head`) closes the pipe; printing
/// to it then fails. That is no error of ours: end quietly with the shell's code for a
/// closed pipe (128 + SIGPIPE) instead of a panic message.
fn quiet_on_closed_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or_default();
        if message.contains("failed printing to stdout") && message.contains("Broken pipe") {
            std::process::exit(141);
        }
        default(info);
    }));
}

fn main() -> ExitCode {
    quiet_on_closed_pipe();
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Demo(args) => simulate::demo(args),
        Command::Simulate(args) => simulate::run(args),
        Command::Restore(args) => restore::run(args),
        Command::Forecast(args) => match &args.command {
            Some(cli::ForecastCommand::Merge(merge)) => forecast::merge(merge),
            None => forecast::run(args),
        },
        Command::Incidents(args) => incidents::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Sweep(args) => match &args.command {
            Some(cli::SweepCommand::Merge(merge)) => sweep::merge(merge),
            Some(cli::SweepCommand::Rank(rank)) => sweep::rank(rank),
            None => sweep::run(args),
        },
        Command::Schedule(args) => match &args.command {
            Some(cli::ScheduleCommand::Lookup(lookup)) => schedule::lookup(lookup),
            None => schedule::run(args),
        },
        Command::City {
            command: CityCommand::Check(args),
        } => city_check::run(args),
        Command::City {
            command: CityCommand::Init(args),
        } => city_check::init(args),
        Command::City {
            command: CityCommand::Map(args),
        } => city_check::map(args),
        Command::Power {
            command: PowerCommand::Flow(args),
        } => power_flow::run(args),
        Command::Power {
            command: PowerCommand::Contingency(args),
        } => contingency::run(args),
        Command::Water {
            command: WaterCommand::Run(args),
        } => water::run(args),
        Command::Water {
            command: WaterCommand::Outage(args),
        } => water::outage(args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {}", flags::message(&error));
            ExitCode::from(1)
        }
    }
}
