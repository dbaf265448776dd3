//! Command-line arguments, as parsed, and their validation into the engines' options.

use clap::{Args, Parser, Subcommand, ValueEnum};
use lifeline_power::{AcOptions, Init};
use std::path::PathBuf;

/// lifeline: power and water lifelines of a city under strikes.
#[derive(Debug, Parser)]
#[command(name = "lifeline", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Top-level commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Power grids: power flow and contingency analysis of MATPOWER cases.
    Power {
        /// The power command.
        #[command(subcommand)]
        command: PowerCommand,
    },
    /// Measure lifeline's engines against their peers on the same inputs.
    Bench {
        /// The engine to measure.
        #[command(subcommand)]
        command: BenchCommand,
    },
}

/// Power commands.
#[derive(Debug, Subcommand)]
pub enum PowerCommand {
    /// Solve the power flow of a MATPOWER case (AC Newton–Raphson, or DC).
    Flow(FlowArgs),
    /// N-1 contingency analysis: every branch and generator out in turn, with islands,
    /// re-dispatch and load shedding.
    Contingency(ContingencyArgs),
}

/// How to start Newton's iterations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InitArg {
    /// 1 p.u. at load buses, set points at generator buses, all angles at the slack's.
    Flat,
    /// The case's own VM and VA (some real cases converge only from there).
    Case,
}

impl From<InitArg> for Init {
    fn from(init: InitArg) -> Self {
        match init {
            InitArg::Flat => Init::Flat,
            InitArg::Case => Init::Case,
        }
    }
}

/// File format of written results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// bus.csv and branch.csv, columns as the reference solutions.
    Csv,
    /// bus.json and branch.json, arrays of objects with the same fields.
    Json,
}

/// Newton–Raphson options shared by the power commands.
#[derive(Debug, Args)]
pub struct NewtonArgs {
    /// Convergence tolerance on the largest P/Q mismatch, p.u.
    #[arg(long, default_value_t = 1e-8)]
    pub tolerance: f64,
    /// Maximum Newton iterations per solve.
    #[arg(long, default_value_t = 10)]
    pub max_iterations: usize,
    /// Switch PV buses beyond their generators' reactive limits to PQ.
    #[arg(long)]
    pub enforce_q_limits: bool,
}

impl NewtonArgs {
    /// Checks the values and turns them into the engine's options.
    pub fn ac_options(&self, init: Init) -> anyhow::Result<AcOptions> {
        if !(self.tolerance > 0.0 && self.tolerance.is_finite()) {
            anyhow::bail!(
                "--tolerance must be a positive number of p.u., got {}",
                self.tolerance
            );
        }
        if self.max_iterations == 0 {
            anyhow::bail!("--max-iterations must be at least 1");
        }
        Ok(AcOptions {
            tolerance_pu: self.tolerance,
            max_iterations: self.max_iterations,
            init,
            enforce_q_limits: self.enforce_q_limits,
        })
    }
}

/// Arguments of `power flow`.
#[derive(Debug, Args)]
pub struct FlowArgs {
    /// MATPOWER case file (format version 2).
    pub case: PathBuf,
    /// DC power flow instead of AC.
    #[arg(long)]
    pub dc: bool,
    /// Starting point of the AC iterations.
    #[arg(long, value_enum, default_value = "flat")]
    pub init: InitArg,
    /// Newton options.
    #[command(flatten)]
    pub newton: NewtonArgs,
    /// Take an element out before solving (repeatable): `bus:ID` (a substation, with its
    /// branches, generators and load), `branch:N` or `gen:N` (1-based rows of mpc.branch /
    /// mpc.gen). Islands are then solved apart, re-dispatched, and short ones shed load.
    #[arg(long = "outage", value_name = "ELEMENT")]
    pub outages: Vec<String>,
    /// Write results into this directory (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Format of the files written with --out.
    #[arg(long, value_enum, default_value = "csv")]
    pub format: FormatArg,
    /// Print one JSON document (summary and results) on standard output.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `power contingency`.
#[derive(Debug, Args)]
pub struct ContingencyArgs {
    /// MATPOWER case file (format version 2).
    pub case: PathBuf,
    /// Write one row per contingency to this file (CSV, or JSON if it ends in .json).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Leave generator outages out.
    #[arg(long)]
    pub no_generators: bool,
    /// Leave branch outages out.
    #[arg(long)]
    pub no_branches: bool,
    /// Worker threads (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Contingencies listed in the summary, worst first.
    #[arg(long, default_value_t = 10)]
    pub worst: usize,
    /// Newton options (each contingency starts from the base case's voltages).
    #[command(flatten)]
    pub newton: NewtonArgs,
    /// Print one JSON document (summary and every contingency) on standard output.
    #[arg(long)]
    pub json: bool,
}

/// Benchmarks.
#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Time the power engine and its peers (pandapower, lightsim2grid) on the same cases.
    Power(BenchPowerArgs),
}

/// Arguments of `bench power`.
#[derive(Debug, Args)]
pub struct BenchPowerArgs {
    /// MATPOWER cases (default: case9241pegase and case_ACTIVSg2000 from
    /// ../shared/reference/power when present, else data/matpower/case30.m).
    pub cases: Vec<PathBuf>,
    /// Repetitions of each timed step (the median is reported).
    #[arg(long, default_value_t = 7)]
    pub runs: usize,
    /// Also time the N-1 branch sweep, against lightsim2grid's ContingencyAnalysis.
    #[arg(long)]
    pub n1: bool,
    /// The peer timing script (default: peer_bench.py in ../shared/reference/power).
    #[arg(long, value_name = "FILE")]
    pub peer_script: Option<PathBuf>,
    /// Python interpreter for the peer script.
    #[arg(long, default_value = "python3")]
    pub python: String,
    /// Do not run the peers.
    #[arg(long)]
    pub no_peer: bool,
    /// Print one JSON document on standard output.
    #[arg(long)]
    pub json: bool,
}
