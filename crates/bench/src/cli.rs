//! Command-line arguments of `lifeline-bench`.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// lifeline-bench: lifeline's engines against their peers (pandapower, lightsim2grid,
/// EPANET, WNTR), on the same inputs, in the same run.
#[derive(Debug, Parser)]
#[command(name = "lifeline-bench", version, about, long_about = None)]
pub struct Cli {
    /// The engine to measure.
    #[command(subcommand)]
    pub command: Command,
}

/// The benchmarks.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Time the power engine and its peers (pandapower, lightsim2grid) on the same cases.
    Power(PowerArgs),
    /// Time the water engine and its peers (EPANET's toolkit, WNTR) on the same networks.
    Water(WaterArgs),
    /// Time the native hydraulic solver against EPANET 2.3 on the same networks and
    /// print how far its heads and flows are from EPANET's at every report time.
    Hydraulics(HydraulicsArgs),
    /// Time the cascade study (the demo's by default) against the same study written
    /// with pandapower and WNTR.
    Cascade(CascadeArgs),
    /// Time a restoration forecast (the demo's seed scenario by default): samples per
    /// second, water runs shared, and the same samples' cascades with pandapower and WNTR.
    Forecast(ForecastArgs),
    /// Time every restoration planner and compare their costs: generated problems (with
    /// the exact optimum where it is small enough) and the demo city.
    Restore(RestoreArgs),
    /// Time the outage schedulers (fair, exact, naive rotation) on week-long problems and
    /// compare their over-shed and fairness.
    Schedule(ScheduleArgs),
    /// Time `incidents extract` on a 1,000-word report and print its precision and recall
    /// per field on the labelled set.
    Incidents(IncidentsArgs),
    /// Load the HTTP API on loopback: a burst of concurrent incident writes (none may be
    /// lost), then wrk at a fixed rate on the scenario timeline and the incident list.
    Serve(ServeArgs),
    /// Scenarios per minute per core of sweeps on the demo city (24 h cascades), on one
    /// core and on all, with the pandapower + WNTR study on three of the scenarios.
    Sweep(SweepArgs),
}

/// Arguments of `lifeline-bench sweep`.
#[derive(Debug, Args)]
pub struct SweepArgs {
    /// Horizon of each cascade, h.
    #[arg(long, default_value_t = 24.0)]
    pub hours: f64,
    /// When every strike lands, h from the start (scenarios struck later share more of
    /// their water runs).
    #[arg(long, default_value_t = 0.0)]
    pub at: f64,
    /// Random pairs drawn for the second workload.
    #[arg(long, default_value_t = 300)]
    pub samples: u64,
    /// Threads of the parallel runs (default: every core).
    #[arg(long)]
    pub threads: Option<usize>,
    /// lifeline's hydraulic solver.
    #[arg(long, value_enum, default_value = "auto")]
    pub engine: EngineArg,
    /// How to run the peer.
    #[command(flatten)]
    pub peers: PeerArgs,
    /// Print one JSON document on standard output.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `lifeline-bench serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Requests per second wrk sends to each endpoint.
    #[arg(long, default_value_t = 500.0)]
    pub rate: f64,
    /// Open connections wrk keeps.
    #[arg(long, default_value_t = 20)]
    pub connections: usize,
    /// How long each endpoint is loaded, s.
    #[arg(long, default_value_t = 30.0)]
    pub seconds: f64,
    /// Concurrent incident writes in the burst.
    #[arg(long, default_value_t = 200)]
    pub writes: usize,
    /// The server to load.
    #[command(flatten)]
    pub lifeline: LifelineArg,
    /// Print one JSON document on standard output.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `lifeline-bench hydraulics`.
#[derive(Debug, Args)]
pub struct HydraulicsArgs {
    /// EPANET networks (default: every network in ../shared/reference/water/networks
    /// when present, else data/epanet/Net1.inp and Net3.inp).
    pub networks: Vec<PathBuf>,
    /// Repetitions of each timed run (the median is reported).
    #[arg(long, default_value_t = 3)]
    pub repeat: usize,
    /// Print one JSON document on standard output.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `lifeline-bench incidents`.
#[derive(Debug, Args)]
pub struct IncidentsArgs {
    /// The labelled set (default: crates/incidents/eval in the repository).
    #[arg(long, value_name = "DIR")]
    pub eval: Option<PathBuf>,
    /// Extractions timed (the median is reported).
    #[arg(long, default_value_t = 50)]
    pub runs: usize,
    /// Print one JSON document on standard output.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `lifeline-bench schedule`.
#[derive(Debug, Args)]
pub struct ScheduleArgs {
    /// Time limit of the exact model, s.
    #[arg(long, default_value_t = 30.0)]
    pub exact_seconds: f64,
    /// Print one JSON document on standard output.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `lifeline-bench restore`.
#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// Sizes of the generated problems, in damaged assets (one crew per ten, at least two).
    #[arg(long, value_delimiter = ',', default_values_t = [12, 50, 200])]
    pub sizes: Vec<usize>,
    /// Seeds per size (0, 1, ...).
    #[arg(long, default_value_t = 5)]
    pub seeds: usize,
    /// Time limit of the strong planner's searches, s (they stop sooner, at their budget
    /// of evaluations, on problems of the sizes measured).
    #[arg(long, default_value_t = 30.0)]
    pub search_seconds: f64,
    /// Skip the demo city (its plans take a few seconds of cascade runs).
    #[arg(long)]
    pub no_demo: bool,
    /// Print one JSON document on standard output.
    #[arg(long)]
    pub json: bool,
}

/// A hydraulic solver of lifeline's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum EngineArg {
    /// lifeline's native solver, or EPANET's for a file with what only EPANET does
    /// (pipe leakage, a hydraulics file).
    Auto,
    /// EPANET 2.3's own toolkit.
    Epanet,
    /// lifeline's native solver.
    Native,
}

impl From<EngineArg> for lifeline_water::Engine {
    fn from(engine: EngineArg) -> Self {
        match engine {
            EngineArg::Auto => lifeline_water::Engine::Auto,
            EngineArg::Epanet => lifeline_water::Engine::Epanet,
            EngineArg::Native => lifeline_water::Engine::Native,
        }
    }
}

/// Arguments of `lifeline-bench cascade`.
#[derive(Debug, Args)]
pub struct CascadeArgs {
    /// The city (default: the demo city).
    pub city: Option<PathBuf>,
    /// The scenario (default: the demo's 2024-03-22).
    pub scenario: Option<PathBuf>,
    /// Runs of lifeline (the median is reported); the peer runs once.
    #[arg(long, default_value_t = 5)]
    pub runs: usize,
    /// lifeline's hydraulic solver.
    #[arg(long, value_enum, default_value = "auto")]
    pub engine: EngineArg,
    /// How to run the peer.
    #[command(flatten)]
    pub peers: PeerArgs,
    /// Print one JSON document on standard output.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `lifeline-bench forecast`.
#[derive(Debug, Args)]
pub struct ForecastArgs {
    /// The city (default: the demo city).
    pub city: Option<PathBuf>,
    /// The scenario (default: the demo's 2024-03-22).
    pub scenario: Option<PathBuf>,
    /// Samples of lifeline's forecast.
    #[arg(long, default_value_t = 100)]
    pub samples: usize,
    /// Seed of the draws.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Threads (default: every core).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Samples the peer runs (the first ones of the forecast; its time per sample is
    /// their mean).
    #[arg(long, default_value_t = 3)]
    pub peer_samples: usize,
    /// How to run the peer.
    #[command(flatten)]
    pub peers: PeerArgs,
    /// Print one JSON document on standard output.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `lifeline-bench water`.
#[derive(Debug, Args)]
pub struct WaterArgs {
    /// EPANET networks (default: every network in ../shared/reference/water/networks
    /// when present, else data/epanet/Net3.inp).
    pub networks: Vec<PathBuf>,
    /// Repetitions of each timed step (the median is reported).
    #[arg(long, default_value_t = 3)]
    pub repeat: usize,
    /// Pump-outage scenarios run on the largest network, on all cores.
    #[arg(long, default_value_t = 100)]
    pub scenarios: usize,
    /// Seconds the peers may spend on the scenario comparison (they run one by one; the
    /// rest is extrapolated from the runs done).
    #[arg(long, default_value_t = 300.0)]
    pub peer_budget: f64,
    /// How to run the peers.
    #[command(flatten)]
    pub peers: PeerArgs,
    /// Print one JSON document on standard output.
    #[arg(long)]
    pub json: bool,
}

/// How a benchmark runs its peers.
#[derive(Debug, Args)]
pub struct PeerArgs {
    /// The peer timing script (default: peer_bench.py in ../shared/reference/power or
    /// ../shared/reference/water).
    #[arg(long, value_name = "FILE")]
    pub peer_script: Option<PathBuf>,
    /// Python interpreter for the peers.
    #[arg(long, default_value = "python3")]
    pub python: String,
    /// Do not run the peers.
    #[arg(long)]
    pub no_peer: bool,
}

/// Arguments of `lifeline-bench power`.
#[derive(Debug, Args)]
pub struct PowerArgs {
    /// MATPOWER cases (default: case9241pegase and case_ACTIVSg2000 from
    /// ../shared/reference/power when present, else data/matpower/case30.m).
    pub cases: Vec<PathBuf>,
    /// Repetitions of each timed step (the median is reported).
    #[arg(long, default_value_t = 7)]
    pub runs: usize,
    /// Also time the N-1 branch sweep, against lightsim2grid's ContingencyAnalysis.
    #[arg(long)]
    pub n1: bool,
    /// The program whose whole `power flow` process is timed.
    #[command(flatten)]
    pub lifeline: LifelineArg,
    /// How to run the peers.
    #[command(flatten)]
    pub peers: PeerArgs,
    /// Print one JSON document on standard output.
    #[arg(long)]
    pub json: bool,
}

/// Which `lifeline` program a benchmark runs as a process of its own.
#[derive(Debug, Args)]
pub struct LifelineArg {
    /// The `lifeline` program (default: the one beside this program, where cargo builds
    /// both, else `lifeline` on the PATH).
    #[arg(long = "lifeline", value_name = "FILE")]
    pub path: Option<PathBuf>,
}

impl LifelineArg {
    /// The program to run.
    pub fn program(&self) -> PathBuf {
        if let Some(path) = &self.path {
            return path.clone();
        }
        let name = format!("lifeline{}", std::env::consts::EXE_SUFFIX);
        std::env::current_exe()
            .ok()
            .and_then(|exe| Some(exe.parent()?.join(&name)))
            .filter(|beside| beside.is_file())
            .unwrap_or_else(|| PathBuf::from(name))
    }
}
