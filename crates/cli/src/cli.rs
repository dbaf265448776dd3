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
    /// Run the 22 March 2024 strike scenario on the built-in demo city: which districts
    /// go dark, where taps run dry and when, and what comes back as repairs land.
    Demo(DemoArgs),
    /// Run a damage scenario (scenario.toml) on a city (city.toml): the grid, pump
    /// stations and water network hour by hour.
    Simulate(SimulateArgs),
    /// Plan the repairs of a damage scenario: which crew fixes what, in which order, so
    /// power and water come back to the most people soonest; every planner side by side.
    Restore(RestoreArgs),
    /// When will power and water be back? Draw the repairs from their distributions many
    /// times, run each through the cascade: per district the 10th–90th percentile of when
    /// power and water return, and the city's fan of people without service.
    Forecast(ForecastArgs),
    /// Rolling outage schedules: which customer groups are off in which hour so the load
    /// fits the generation, critical feeders exempt, off time shared fairly.
    Schedule(Box<ScheduleArgs>),
    /// The strike incident registry: durable records with sources and revisions.
    Incidents(IncidentsArgs),
    /// Vulnerability sweeps: N-1, N-2 or random strikes through the cascade on every core,
    /// in shards, to Parquet; `sweep merge` joins shards, `sweep rank` ranks the assets.
    Sweep(Box<SweepArgs>),
    /// Serve the HTTP API: the city and scenario runs, the incident registry, health,
    /// metrics, and OpenAPI at /openapi.json.
    Serve(ServeArgs),
    /// Cities: check a city's files for every problem and gap at once.
    City {
        /// The city command.
        #[command(subcommand)]
        command: CityCommand,
    },
    /// Power grids: power flow and contingency analysis of MATPOWER cases.
    Power {
        /// The power command.
        #[command(subcommand)]
        command: PowerCommand,
    },
    /// Water networks: EPANET hydraulics, outages and how service degrades.
    Water {
        /// The water command.
        #[command(subcommand)]
        command: WaterCommand,
    },
}

/// Arguments of `demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Folder for the demo city (as editable files) and the results.
    #[arg(long, value_name = "DIR", default_value = "lifeline-demo")]
    pub out: PathBuf,
    /// Print one JSON document on standard output.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `simulate`.
#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// The city: a city.toml (see docs/city.md).
    pub city: PathBuf,
    /// The damage scenario: a scenario.toml (see docs/scenario.md).
    pub scenario: PathBuf,
    /// Folder for result.json, districts.csv, assets.csv, tanks.csv and
    /// districts.geojson.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// The hydraulic solver of the water runs: lifeline's native one (EPANET 2.3's
    /// hydraulics in Rust), EPANET 2.3's own, or auto: native unless the file asks for
    /// what only EPANET does (pipe leakage, a hydraulics file).
    #[arg(long, value_enum, default_value = "auto")]
    pub engine: EngineArg,
    /// Print one JSON document on standard output.
    #[arg(long)]
    pub json: bool,
}

/// Which plan `restore` hands out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlannerArg {
    /// The strong planner (ratio rule, then local search), or a rule's plan if the full
    /// evaluation ranks it better.
    Best,
    /// The best of the dispatch rules (priority, largest load, shortest repair).
    Greedy,
    /// The exact time-indexed model (HiGHS); at most 12 damaged assets.
    Exact,
}

/// Arguments of `restore`.
#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The city: a city.toml (see docs/city.md; crews and [restoration]).
    pub city: PathBuf,
    /// The damage scenario: a scenario.toml (see docs/scenario.md; [[precedence]]).
    pub scenario: PathBuf,
    /// Plan for this many crews with both skills instead of the city's own crews.
    #[arg(long, value_name = "N")]
    pub crews: Option<usize>,
    /// The plan to hand out.
    #[arg(long, value_enum, default_value = "best")]
    pub planner: PlannerArg,
    /// Time the strong planner may search, s.
    #[arg(long, default_value_t = 1.5, value_name = "SECONDS")]
    pub search_seconds: f64,
    /// Folder for jobs.csv, curves.csv and restoration.svg.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Print one JSON document on standard output.
    #[arg(long)]
    pub json: bool,
}

/// What `forecast` can do besides a forecast.
#[derive(Debug, Subcommand)]
pub enum ForecastCommand {
    /// Join the parts of a forecast made in shards (--shard, --part) into the forecast,
    /// checking they are every shard of one forecast once.
    Merge(ForecastMergeArgs),
}

/// Arguments of `forecast merge`.
#[derive(Debug, Args)]
pub struct ForecastMergeArgs {
    /// The parts' files.
    #[arg(required = true, value_name = "PARTS")]
    pub parts: Vec<PathBuf>,
    /// Folder for forecast.json, districts.csv, by-hour.csv, fan.csv and fan.svg.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Print one JSON document on standard output.
    #[arg(long)]
    pub json: bool,
}

/// How `forecast` dispatches repairs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ForecastPlanArg {
    /// Each repair starts when its asset is hit (as many crews as needed).
    None,
    /// The restoration plan `lifeline restore` hands out, its order kept.
    Chosen,
    /// The city's crews sent by the priority rule in every sample.
    Rule,
}

/// Arguments of `forecast`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct ForecastArgs {
    /// `merge`; without it, make a forecast.
    #[command(subcommand)]
    pub command: Option<ForecastCommand>,
    /// The city: a city.toml (repair distributions in [restoration], see docs/forecast.md).
    #[arg(value_name = "CITY.toml", required = true)]
    pub city: Option<PathBuf>,
    /// The damage scenario: a scenario.toml.
    #[arg(value_name = "SCENARIO.toml", required = true)]
    pub scenario: Option<PathBuf>,
    /// Run only shard I of N of the samples (0 ≤ I < N), e.g. the index of a cluster job
    /// array, and write them to --part for `forecast merge`.
    #[arg(long, value_name = "I/N", requires = "part")]
    pub shard: Option<String>,
    /// With --shard: the part file (JSON) the shard's samples go to.
    #[arg(long, value_name = "FILE.json", requires = "shard")]
    pub part: Option<PathBuf>,
    /// Monte Carlo samples of the repairs.
    #[arg(long, default_value_t = 200, value_name = "N")]
    pub samples: usize,
    /// Seed of the draws (the same seed gives the same forecast).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Who repairs what: none (each repair starts when its asset is hit, the scenario's
    /// times), chosen (the plan `lifeline restore` hands out, its crews' order kept and
    /// their times re-drawn) or rule (the city's crews sent by the priority rule in every
    /// sample).
    #[arg(long, value_enum, default_value_t = ForecastPlanArg::None)]
    pub plan: ForecastPlanArg,
    /// With --plan chosen or rule: this many crews with both skills instead of the
    /// city's own.
    #[arg(long, value_name = "N")]
    pub crews: Option<usize>,
    /// Forecast from this moment of the event, HH:MM from the scenario's start: repairs
    /// done by then keep their times, those under way last past it.
    #[arg(long, value_name = "HH:MM")]
    pub at: Option<String>,
    /// Threads (default: every core).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Folder for forecast.json, districts.csv, by-hour.csv, fan.csv and fan.svg.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Print one JSON document on standard output.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The city to serve (default: the built-in demo city).
    #[arg(long, value_name = "CITY.toml")]
    pub city: Option<PathBuf>,
    /// The incident registry: a SQLite file or a postgres:// URL (default: the user's
    /// data directory, as for `lifeline incidents`).
    #[arg(long, value_name = "PATH|URL")]
    pub db: Option<PathBuf>,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "HOST:PORT")]
    pub addr: String,
    /// A file holding the bearer token writes need (default: the LIFELINE_API_TOKEN
    /// variable; without either, writes are refused).
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,
    /// Scenarios to run at start, as background jobs 1, 2, … (repeatable; with the demo
    /// city its seed scenario runs first).
    #[arg(long, value_name = "SCENARIO.toml")]
    pub scenario: Vec<PathBuf>,
    /// Answer requests that name this host (its `Host` header) too; repeatable. By
    /// default only localhost, 127.0.0.1, ::1 and the address listened on are answered,
    /// so a web page cannot reach the server through DNS rebinding. `*` answers any
    /// (behind a proxy that checks the host).
    #[arg(long, value_name = "NAME")]
    pub allow_host: Vec<String>,
    /// Samples of the restoration forecast each scenario job makes after its plan
    /// (`GET /api/scenarios/{id}/forecast`; 0: none; at most 1,000).
    #[arg(long, default_value_t = lifeline_server::DEFAULT_FORECAST_SAMPLES, value_name = "N")]
    pub forecast_samples: usize,
}

/// Arguments of `incidents`.
#[derive(Debug, Args)]
pub struct IncidentsArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: IncidentsCommand,
    /// The registry: a SQLite file, or a PostgreSQL database given as a postgres:// URL
    /// (default: incidents.sqlite in the user's data directory, $XDG_DATA_HOME/lifeline
    /// or ~/.local/share/lifeline).
    #[arg(long, global = true, value_name = "PATH|URL")]
    pub db: Option<PathBuf>,
    /// Print one JSON document on standard output.
    #[arg(long, global = true)]
    pub json: bool,
}

/// Subcommands of `incidents`.
#[derive(Debug, Subcommand)]
pub enum IncidentsCommand {
    /// Add incidents from a JSON or CSV file (see docs/incidents.md).
    Add {
        /// The JSON file (one record or a list) or CSV file (.csv).
        file: PathBuf,
    },
    /// List incidents, by start time.
    List {
        /// Only these statuses (repeatable).
        #[arg(long, value_enum)]
        status: Vec<StatusArg>,
        /// Starting on or after this day, YYYY-MM-DD.
        #[arg(long, value_name = "DAY")]
        from: Option<String>,
        /// Starting on or before this day, YYYY-MM-DD.
        #[arg(long, value_name = "DAY")]
        to: Option<String>,
        /// Only this oblast.
        #[arg(long, value_name = "OBLAST")]
        admin1: Option<String>,
    },
    /// Show one incident's current record (JSON).
    Show {
        /// Its id, e.g. INC-000001.
        id: String,
    },
    /// Replace an incident's record with the one in a JSON file, as a new revision.
    Edit {
        /// Its id.
        id: String,
        /// The JSON file with the whole record.
        file: PathBuf,
    },
    /// Mark an incident confirmed against its sources.
    Confirm {
        /// Its id.
        id: String,
    },
    /// Mark an incident retracted (it is kept, with its history).
    Retract {
        /// Its id.
        id: String,
    },
    /// Every revision of an incident: who, when, what changed.
    History {
        /// Its id.
        id: String,
    },
    /// Import incidents from a JSON or CSV file; records with a known external id, or
    /// without one but with an id this registry has, are updated (or left alone when
    /// unchanged), so importing this registry's own export, or a file twice, changes
    /// nothing.
    Import {
        /// The JSON file (one record or a list) or CSV file (.csv).
        file: PathBuf,
        /// Ignore the records' ids (they come from another registry, where they mean
        /// something else): records without an external id are added.
        #[arg(long)]
        as_new: bool,
    },
    /// Draft incidents from a news report (plain text), offline: places, dates, counts,
    /// weapons, targets and effects, each with the sentence it came from.
    Extract {
        /// The report, as plain text.
        report: PathBuf,
        /// The report's date, YYYY-MM-DD, for "Friday morning" and "the same day" (default:
        /// its own `date:` line).
        #[arg(long, value_name = "DAY")]
        date: Option<String>,
        /// Who published it (default: its own `source:` line).
        #[arg(long, value_name = "NAME")]
        publisher: Option<String>,
        /// Add the drafts to the registry (status draft).
        #[arg(long)]
        add: bool,
    },
    /// Precision and recall of `extract` per field over a folder of labelled reports
    /// (NAME.txt with NAME.json; see crates/incidents/eval).
    Evaluate {
        /// The folder.
        dir: PathBuf,
        /// A second reader's labels of the same reports (NAME.json, in dev/ and test/
        /// like the folder's): scored against the folder's labels beside the extractor
        /// on the same reports, to show how far two readers agree.
        #[arg(long, value_name = "DIR")]
        second_reader: Option<PathBuf>,
    },
    /// Write a damage scenario (scenario.toml) from the confirmed incidents in a date
    /// range whose targets name assets of the city.
    ToScenario {
        /// The city the assets belong to.
        #[arg(long)]
        city: PathBuf,
        /// First day, YYYY-MM-DD (the scenario starts at its midnight).
        #[arg(long, value_name = "DAY")]
        from: String,
        /// Last day, YYYY-MM-DD.
        #[arg(long, value_name = "DAY")]
        to: String,
        /// Write here instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Export every incident.
    Export {
        /// The format.
        #[arg(long, value_enum, default_value = "json")]
        format: ExportFormat,
        /// Write to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

/// An incident status on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusArg {
    /// Not yet checked.
    Draft,
    /// Checked against its sources.
    Confirmed,
    /// Found wrong.
    Retracted,
}

impl StatusArg {
    /// The registry's status.
    pub fn status(self) -> lifeline_incidents::record::Status {
        use lifeline_incidents::record::Status;
        match self {
            StatusArg::Draft => Status::Draft,
            StatusArg::Confirmed => Status::Confirmed,
            StatusArg::Retracted => Status::Retracted,
        }
    }
}

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// A JSON list of records.
    Json,
    /// One row per incident.
    Csv,
    /// A FeatureCollection of the incidents with coordinates.
    Geojson,
}

/// Arguments of `sweep`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct SweepArgs {
    /// `merge` or `rank`; without one, run a sweep.
    #[command(subcommand)]
    pub command: Option<SweepCommand>,
    /// The city (city.toml).
    #[arg(value_name = "CITY.toml", required = true)]
    pub city: Option<PathBuf>,
    /// The scenarios: n-1 (every target alone), n-2 (every pair), random (--samples
    /// scenarios of --strikes targets).
    #[arg(long, default_value = "n-1", value_name = "n-1|n-2|random")]
    pub scenarios: String,
    /// Target classes, comma-separated: substations, lines, plants, pump-stations.
    #[arg(
        long,
        default_value = "substations,lines,plants,pump-stations",
        value_name = "CLASSES"
    )]
    pub targets: String,
    /// Assets per random scenario.
    #[arg(long, default_value_t = 2, value_name = "K")]
    pub strikes: usize,
    /// Random scenarios to draw.
    #[arg(long, default_value_t = 1000, value_name = "N")]
    pub samples: u64,
    /// Seed of the random scenarios.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Horizon of each cascade, h.
    #[arg(long, default_value_t = 24.0, value_name = "H")]
    pub hours: f64,
    /// When every strike lands, h from the start: tanks are fuller or emptier at
    /// different hours.
    #[arg(long, default_value_t = 0.0, value_name = "H")]
    pub at: f64,
    /// Every repair takes H hours (default: the city's `[restoration] repair_h` for the
    /// asset's kind). Long repairs show what losing an asset for days would cost.
    #[arg(long = "repair-h", value_name = "H")]
    pub repair_h: Option<f64>,
    /// Run only shard I of N (0 ≤ I < N), e.g. the index of a cluster job array.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
    /// A change to try (repeatable): backup-generator=PUMP_STATION_ID:KW:HOURS or
    /// harden=ASSET_ID. The file then holds the results with the changes, and the loss
    /// avoided against the same scenarios without them is reported.
    #[arg(long = "what-if", value_name = "CHANGE")]
    pub what_if: Vec<String>,
    /// Threads (default: every core).
    #[arg(long)]
    pub threads: Option<usize>,
    /// The results file (Parquet), written whole or not at all.
    #[arg(long, value_name = "FILE.parquet", required = true)]
    pub out: Option<PathBuf>,
    /// The hydraulic solver of the water runs: lifeline's native one (EPANET 2.3's
    /// hydraulics in Rust), EPANET 2.3's own, or auto: native unless the file asks for
    /// what only EPANET does (pipe leakage, a hydraulics file).
    #[arg(long, value_enum, default_value = "auto")]
    pub engine: EngineArg,
    /// Print one JSON document on standard output.
    #[arg(long)]
    pub json: bool,
}

/// Subcommands of `sweep`.
#[derive(Debug, Subcommand)]
pub enum SweepCommand {
    /// Join the shards of one sweep into one file, checking they belong together.
    Merge(SweepMergeArgs),
    /// Rank the assets of a sweep by expected loss and marginal contribution.
    Rank(SweepRankArgs),
}

/// Arguments of `sweep merge`.
#[derive(Debug, Args)]
pub struct SweepMergeArgs {
    /// The shards' files.
    #[arg(required = true, value_name = "PARTS")]
    pub parts: Vec<PathBuf>,
    /// The merged file.
    #[arg(long, value_name = "FILE.parquet")]
    pub out: PathBuf,
    /// Print one JSON document on standard output.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `sweep rank`.
#[derive(Debug, Args)]
pub struct SweepRankArgs {
    /// A sweep's results (a shard or a merged file).
    #[arg(value_name = "FILE.parquet")]
    pub file: PathBuf,
    /// Assets printed.
    #[arg(long, default_value_t = 20)]
    pub top: usize,
    /// Also write every asset's line as CSV.
    #[arg(long, value_name = "FILE.csv")]
    pub csv: Option<PathBuf>,
    /// Print one JSON document on standard output.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `schedule`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct ScheduleArgs {
    /// A district's groups and their next outages, from a written schedule.
    #[command(subcommand)]
    pub command: Option<ScheduleCommand>,
    /// The city: a city.toml with [[outage_group]] entries (see docs/city.md).
    pub city: Option<PathBuf>,
    /// Available generation: a CSV of steps `from_h,available_mw`.
    #[arg(long, value_name = "FILE", conflicts_with = "from_scenario")]
    pub capacity: Option<PathBuf>,
    /// Available generation: what the grid serves, hour by hour, in this scenario's
    /// cascade run.
    #[arg(long, value_name = "SCENARIO")]
    pub from_scenario: Option<PathBuf>,
    /// Groups and their load from a CSV `group,critical,load_mw` instead of the city's.
    #[arg(long, value_name = "FILE")]
    pub groups: Option<PathBuf>,
    /// Hourly loads: a CSV of steps per group `group,from_h,load_mw` (groups without
    /// rows keep their load).
    #[arg(long, value_name = "FILE")]
    pub group_loads: Option<PathBuf>,
    /// Exempt this group from outages too (repeatable), e.g. a feeder of a shelter.
    #[arg(long, value_name = "GROUP")]
    pub exempt: Vec<String>,
    /// Announced stages: a CSV `from_h,to_h,groups_off` of windows in which that many
    /// groups are off at once, whatever the deficit.
    #[arg(long, value_name = "FILE")]
    pub stages: Option<PathBuf>,
    /// Horizon, h (up to 14 days).
    #[arg(long, default_value_t = 24.0)]
    pub hours: f64,
    /// Longest continuous off time, h.
    #[arg(long, default_value_t = 4.0, value_name = "H")]
    pub max_off: f64,
    /// Shortest on time between two outages of a group, h.
    #[arg(long, default_value_t = 2.0, value_name = "H")]
    pub min_on: f64,
    /// Slot length: 60 or 30 minutes.
    #[arg(long, default_value_t = 60, value_name = "MINUTES")]
    pub slot_minutes: u32,
    /// Local start of the first slot, YYYY-MM-DDTHH:MM (default: the scenario's start,
    /// else the next midnight).
    #[arg(long, value_name = "TIME")]
    pub start: Option<String>,
    /// Time zone of the schedule (IANA name; default: the city's `timezone`).
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,
    /// Time limit of the exact model (HiGHS), s; 0 skips it. It runs only on problems
    /// of up to 5,000 group-slots (12 groups for a week hourly).
    #[arg(long, default_value_t = 10.0, value_name = "SECONDS")]
    pub exact_seconds: f64,
    /// Folder for schedule.json, schedule.csv, slots.csv and one .ics file per group.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Print one JSON document on standard output.
    #[arg(long)]
    pub json: bool,
}

/// Subcommands of `schedule`.
#[derive(Debug, Subcommand)]
pub enum ScheduleCommand {
    /// A district's outage groups and their next outages.
    Lookup(LookupArgs),
}

/// Arguments of `schedule lookup`.
#[derive(Debug, Args)]
pub struct LookupArgs {
    /// The district's name (case does not matter).
    #[arg(long)]
    pub district: String,
    /// A schedule written by `lifeline schedule ... --out DIR`.
    #[arg(long, default_value = "schedule/schedule.json", value_name = "FILE")]
    pub schedule: PathBuf,
    /// Outages to list per group.
    #[arg(long, default_value_t = 5)]
    pub count: usize,
    /// List outages still running or to come at this local time, YYYY-MM-DDTHH:MM in the
    /// schedule's zone (default: from the schedule's start).
    #[arg(long, value_name = "TIME")]
    pub from: Option<String>,
    /// Print one JSON document on standard output.
    #[arg(long)]
    pub json: bool,
}

/// City commands.
#[derive(Debug, Subcommand)]
pub enum CityCommand {
    /// Every problem and warning of a city.toml and the files it names, each with its
    /// file, line and field: junctions in no district, pumps in no station, stations
    /// without `serves`, facilities without a district, and everything that stops it
    /// from loading. Exit 0 when it loads (and, with --strict, has no warning).
    Check(CityCheckArgs),
    /// A city folder from a utility's own files: an EPANET network with coordinates, a
    /// MATPOWER case, district polygons with population (GeoJSON), optionally bus
    /// positions and facilities, in any coordinate system; writes city.toml,
    /// service-areas.csv, districts.geojson and a report of every guess, then checks it.
    Init(Box<CityInitArgs>),
    /// The city as a static SVG for reports: districts, the water network, the grid,
    /// pump stations and facilities where the city places them; with a scenario, the
    /// districts coloured by the share without power (or water) at one time and every
    /// asset hit or without supply in red.
    Map(CityMapArgs),
}

/// Arguments of `city map`.
#[derive(Debug, Args)]
pub struct CityMapArgs {
    /// The city: a city.toml (see docs/city.md).
    pub city: PathBuf,
    /// A damage scenario to run and draw at --at.
    #[arg(long, value_name = "SCENARIO")]
    pub scenario: Option<PathBuf>,
    /// The time to draw, HH:MM from the scenario's start (default: its worst hour for
    /// power).
    #[arg(long, value_name = "HH:MM", requires = "scenario")]
    pub at: Option<String>,
    /// Colour the districts by the share of people without water (default: customers
    /// without power).
    #[arg(long)]
    pub water: bool,
    /// The SVG file to write.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Print one JSON document on standard output.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `city init`.
#[derive(Debug, Args)]
pub struct CityInitArgs {
    /// The EPANET network (.inp) with [COORDINATES].
    #[arg(long, value_name = "NET.inp")]
    pub water: PathBuf,
    /// The network's coordinate system: EPSG:NNNN or a PROJ string (default: the
    /// districts').
    #[arg(long, value_name = "CRS")]
    pub water_crs: Option<String>,
    /// The MATPOWER case.
    #[arg(long, value_name = "CASE.m")]
    pub grid: PathBuf,
    /// Bus positions: CSV bus,lon,lat (or bus,x,y with --bus-crs) or GeoJSON points with
    /// a `bus` property.
    #[arg(long, value_name = "FILE")]
    pub bus_positions: Option<PathBuf>,
    /// The bus positions' coordinate system (default: longitude/latitude for bus,lon,lat,
    /// else the districts').
    #[arg(long, value_name = "CRS")]
    pub bus_crs: Option<String>,
    /// District polygons (GeoJSON) with a name and a population each.
    #[arg(long, value_name = "DISTRICTS.geojson")]
    pub districts: PathBuf,
    /// The districts' coordinate system (default: the file's `crs` member, else
    /// longitude/latitude).
    #[arg(long, value_name = "CRS")]
    pub districts_crs: Option<String>,
    /// The property with a district's name.
    #[arg(long, value_name = "NAME", default_value = "name")]
    pub name_field: String,
    /// The property with a district's population.
    #[arg(long, value_name = "NAME", default_value = "population")]
    pub population_field: String,
    /// The property with a district's customers (default: 40 % of the population,
    /// reported as a guess).
    #[arg(long, value_name = "NAME")]
    pub customers_field: Option<String>,
    /// Facilities: CSV with a header kind,name,lon,lat (or x,y in the districts'
    /// system) and optionally id, bus, junction, priority, backup_kw, fuel_hours,
    /// start_delay_min; or GeoJSON points with those properties.
    #[arg(long, value_name = "FILE")]
    pub facilities: Option<PathBuf>,
    /// The pump station register: CSV with a header id,name,lon,lat (or x,y) and
    /// optionally bus, power_kw, backup_kw, fuel_hours, start_delay_min, serves
    /// (districts separated by ;); or GeoJSON points. Pumps join the nearest listed
    /// station within 1 km.
    #[arg(long, value_name = "FILE")]
    pub stations: Option<PathBuf>,
    /// The utility's own settings to keep instead of the defaults (TOML: description,
    /// timezone, [water] service settings, [restoration], [[crew]], [[outage_group]]).
    #[arg(long, value_name = "FILE")]
    pub operations: Option<PathBuf>,
    /// The city's name (default: the districts file's name).
    #[arg(long)]
    pub name: Option<String>,
    /// Pumps within this distance of each other form one station, m (pumps sharing a
    /// node always do).
    #[arg(long, value_name = "M", default_value_t = 50.0)]
    pub station_radius: f64,
    /// The folder to write.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Print one JSON document on standard output.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `city check`.
#[derive(Debug, Args)]
pub struct CityCheckArgs {
    /// The city: a city.toml (see docs/city.md).
    pub city: PathBuf,
    /// Scenarios to check against the city too (see docs/scenario.md).
    pub scenarios: Vec<PathBuf>,
    /// Warnings are errors (exit 1).
    #[arg(long)]
    pub strict: bool,
    /// Print one JSON document on standard output.
    #[arg(long)]
    pub json: bool,
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

/// Water commands.
#[derive(Debug, Subcommand)]
pub enum WaterCommand {
    /// Run an EPANET network's hydraulics from start to end.
    Run(WaterRunArgs),
    /// Take a pump (or any link) out at a time and show how service degrades, hour by hour.
    Outage(WaterOutageArgs),
}

/// Demand model and service threshold, shared by the water commands.
#[derive(Debug, Args)]
pub struct WaterModelArgs {
    /// The hydraulic solver: lifeline's native one (EPANET 2.3's hydraulics in Rust),
    /// EPANET 2.3's own (the reference), or auto: native unless the file asks for what
    /// only EPANET does (pipe leakage, a hydraulics file).
    #[arg(long, value_enum, default_value = "auto")]
    pub engine: EngineArg,
    /// Pressure-driven demand: minimum and required pressure in m, and optionally the
    /// exponent (default 0.5), e.g. `--pda 0,20` or `--pda 5,25,0.5`. Without it the
    /// file's own demand model is used.
    #[arg(long, value_name = "MIN,REQ[,EXP]")]
    pub pda: Option<String>,
    /// Pressure below which a junction counts as without service, m.
    #[arg(long, default_value_t = 10.0)]
    pub threshold: f64,
}

/// A hydraulic solver.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EngineArg {
    /// lifeline's native solver, or EPANET's for a file with what only EPANET does
    /// (pipe leakage, a hydraulics file).
    Auto,
    /// EPANET 2.3's own toolkit.
    Epanet,
    /// lifeline's native solver: EPANET 2.3's hydraulics in Rust (no pipe leakage
    /// model yet).
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

/// Arguments of `water run`.
#[derive(Debug, Args)]
pub struct WaterRunArgs {
    /// EPANET input file (.inp).
    pub network: PathBuf,
    /// Demand model and threshold.
    #[command(flatten)]
    pub model: WaterModelArgs,
    /// Write heads and flows at every reporting time into this directory.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Format of the files written with --out: heads.csv and flows.csv, or .json.
    #[arg(long, value_enum, default_value = "csv")]
    pub format: FormatArg,
    /// Print one JSON document (summary, service timeline, warnings) on standard output.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `water outage`.
#[derive(Debug, Args)]
pub struct WaterOutageArgs {
    /// EPANET input file (.inp).
    pub network: PathBuf,
    /// The pump that stops (no power, or damaged).
    #[arg(
        long,
        value_name = "ID",
        required_unless_present = "link",
        conflicts_with = "link"
    )]
    pub pump: Option<String>,
    /// Any link that is closed instead (a broken main isolated, a valve shut).
    #[arg(long, value_name = "ID")]
    pub link: Option<String>,
    /// When it stops, hours:minutes from the start of the simulation (e.g. 04:00, 27:30).
    #[arg(long, value_name = "HH:MM", default_value = "00:00")]
    pub at: String,
    /// For how long, hours (default: to the end of the simulation).
    #[arg(long, value_name = "H")]
    pub hours: Option<f64>,
    /// Demand model and threshold.
    #[command(flatten)]
    pub model: WaterModelArgs,
    /// Print one JSON document (both runs' timelines and totals) on standard output.
    #[arg(long)]
    pub json: bool,
}
