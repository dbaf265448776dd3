//! The network as the solver sees it, in EPANET's internal units: lengths and heads in
//! feet, flows in cubic feet per second, volumes in cubic feet, times in seconds. The
//! [`inp`](crate::inp) reader converts the file's units into these, as EPANET's
//! `convertunits` does, so that every formula can be EPANET's own; results leave the
//! crate in SI through [`Units`].
//!
//! Layout follows EPANET's: junctions are nodes `0..n_junctions`, tanks and reservoirs
//! follow in file order; links are in file order; a tank or reservoir is also a
//! [`Tank`] (a reservoir has area 0). Every index is 0-based; an optional reference is an
//! `Option<usize>`.
//!
//! **Invariants:** every index stored here is in range; every number is finite; a
//! pattern has at least one factor; a curve has at least one point and strictly rising
//! x values.

mod rules;

pub use rules::{Action, LogicalOp, Premise, Relation, Rule, RuleObject, RuleStatus, RuleVariable};

/// Missing value (EPANET's `MISSING`): a valve's setting when its status is fixed.
pub const MISSING: f64 = -1.0e10;
/// Equivalent of zero flow, cfs (EPANET's `QZERO`).
pub const QZERO: f64 = 1.0e-6;
/// Small resistance, EPANET's `CSMALL`.
pub const CSMALL: f64 = 1.0e-6;
/// Large resistance, EPANET's `CBIG`.
pub const CBIG: f64 = 1.0e8;
/// EPANET's `TINY`.
pub const TINY: f64 = 1.0e-6;
/// EPANET's `BIG`.
pub const BIG: f64 = 1.0e10;
/// Seconds in a day.
pub const SECONDS_PER_DAY: i64 = 86_400;

/// Feet per metre's inverse: metres per foot.
pub const M_PER_FT: f64 = 0.3048;
/// Psi per foot of water (EPANET's `PSIperFT`).
pub const PSI_PER_FT: f64 = 0.4333;
/// Litres per second in one cubic foot per second (EPANET's `LPSperCFS`).
pub const LPS_PER_CFS: f64 = 28.317;

/// What a node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    /// A junction: demands, emitters.
    Junction,
    /// A reservoir: fixed head (possibly patterned).
    Reservoir,
    /// A storage tank.
    Tank,
}

/// One demand category of a junction.
#[derive(Debug, Clone, PartialEq)]
pub struct Demand {
    /// Base demand, cfs (negative: an inflow).
    pub base: f64,
    /// Time pattern; `None` uses the default pattern.
    pub pattern: Option<usize>,
    /// Category name, if the file gives one.
    pub name: Option<String>,
}

/// A node.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// ID as in the file.
    pub id: String,
    /// Kind.
    pub kind: NodeKind,
    /// Elevation, ft.
    pub elevation: f64,
    /// Demand categories (junctions only), in file order: the `[JUNCTIONS]` demand first
    /// unless `[DEMANDS]` replaces it, as EPANET does.
    pub demands: Vec<Demand>,
    /// Emitter head-loss coefficient `Ke` (ft per cfs^Qexp, EPANET's converted form);
    /// 0 for none.
    pub emitter: f64,
    /// (x, y) from `[COORDINATES]`, in the file's own plane, if given.
    pub coordinates: Option<(f64, f64)>,
    /// 1-based line of the node's definition in the input.
    pub line: u32,
}

/// A tank or reservoir.
#[derive(Debug, Clone, PartialEq)]
pub struct Tank {
    /// Its node.
    pub node: usize,
    /// Cross-section area, ft²; 0 for a reservoir.
    pub area: f64,
    /// Minimum water elevation (head), ft.
    pub h_min: f64,
    /// Maximum water elevation (head), ft.
    pub h_max: f64,
    /// Initial water elevation (head), ft.
    pub h0: f64,
    /// Minimum volume, ft³.
    pub v_min: f64,
    /// Maximum volume, ft³.
    pub v_max: f64,
    /// Initial volume, ft³.
    pub v0: f64,
    /// Head pattern of a reservoir.
    pub pattern: Option<usize>,
    /// Volume curve (level in file units → volume in file units, as EPANET keeps it).
    pub volume_curve: Option<usize>,
    /// Whether the tank may overflow when full.
    pub can_overflow: bool,
}

impl Tank {
    /// A reservoir has no area.
    pub fn is_reservoir(&self) -> bool {
        self.area == 0.0
    }
}

/// What a link is, in EPANET's order (the solver compares kinds by this order:
/// "above `Pump`" means a valve).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LinkKind {
    /// A pipe with a check valve.
    CvPipe,
    /// A pipe.
    Pipe,
    /// A pump.
    Pump,
    /// Pressure reducing valve.
    Prv,
    /// Pressure sustaining valve.
    Psv,
    /// Pressure breaker valve.
    Pbv,
    /// Flow control valve.
    Fcv,
    /// Throttle control valve.
    Tcv,
    /// General purpose valve.
    Gpv,
    /// Positional control valve.
    Pcv,
}

impl LinkKind {
    /// A valve of any kind.
    pub fn is_valve(self) -> bool {
        self > LinkKind::Pump
    }
    /// A pipe, with or without a check valve.
    pub fn is_pipe(self) -> bool {
        self <= LinkKind::Pipe
    }
}

/// A link's status, in EPANET's order (the solver tests `status <= Closed`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// Pump cannot deliver head (closed).
    XHead,
    /// Temporarily closed.
    TempClosed,
    /// Closed.
    Closed,
    /// Open.
    Open,
    /// Valve active (partially open).
    Active,
    /// Pump exceeds its maximum flow.
    XFlow,
    /// FCV cannot supply its flow.
    XFcv,
    /// Valve cannot supply its pressure.
    XPressure,
    /// Tank filling.
    Filling,
    /// Tank emptying.
    Emptying,
    /// Tank overflowing.
    Overflowing,
}

impl Status {
    /// Closed in any way (`XHead`, `TempClosed`, `Closed`).
    pub fn is_closed(self) -> bool {
        self <= Status::Closed
    }
}

/// A link.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// ID as in the file.
    pub id: String,
    /// Kind.
    pub kind: LinkKind,
    /// Start node.
    pub from: usize,
    /// End node.
    pub to: usize,
    /// Diameter, ft (pumps: 0).
    pub diameter: f64,
    /// Length, ft (pipes only).
    pub length: f64,
    /// EPANET's `Kc`: pipe roughness (H-W C, D-W roughness in ft, C-M n), pump speed,
    /// or valve setting in internal units (PRV/PSV/PBV: ft; FCV: cfs; TCV: loss
    /// coefficient; PCV: percent open; GPV: the head-loss curve's 0-based index as a number).
    pub kc: f64,
    /// Minor loss coefficient in EPANET's internal form (`0.02517 * Km / d⁴`, ft per
    /// cfs²; a PCV's is its fully open loss); for a constant-power pump, its power
    /// rating after EPANET's conversion.
    pub km: f64,
    /// Initial status.
    pub init_status: Status,
    /// Initial setting (pump speed, valve setting, or `MISSING`).
    pub init_setting: f64,
    /// Leak area, mm² per 100 length units (EPANET 2.3 leakage model; 0 for none).
    pub leak_area: f64,
    /// Leak expansion, mm² per unit of pressure head.
    pub leak_expansion: f64,
    /// 1-based line of the link's definition in the input.
    pub line: u32,
}

/// How a pump's head depends on its flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PumpCurveKind {
    /// Constant power.
    ConstantPower,
    /// `h = h0 - r·qⁿ`, fitted to one or three points.
    PowerFunction,
    /// Piecewise-linear head curve of several points.
    Custom,
    /// No curve (EPANET's `NOCURVE`).
    NoCurve,
}

/// A pump.
#[derive(Debug, Clone, PartialEq)]
pub struct Pump {
    /// Its link.
    pub link: usize,
    /// Curve kind.
    pub curve_kind: PumpCurveKind,
    /// Initial flow, cfs.
    pub q0: f64,
    /// Maximum flow, cfs.
    pub q_max: f64,
    /// Maximum (shutoff) head, ft.
    pub h_max: f64,
    /// Shutoff head coefficient, ft (as EPANET stores it: negative of the shutoff head
    /// for power functions).
    pub h0: f64,
    /// Flow coefficient (EPANET's `R`).
    pub r: f64,
    /// Flow exponent (EPANET's `N`).
    pub n: f64,
    /// Head curve.
    pub head_curve: Option<usize>,
    /// Efficiency curve.
    pub efficiency_curve: Option<usize>,
    /// Speed (utilisation) pattern.
    pub speed_pattern: Option<usize>,
    /// Energy price pattern.
    pub energy_pattern: Option<usize>,
    /// Energy cost per kWh.
    pub energy_cost: f64,
}

/// A valve's extra data.
#[derive(Debug, Clone, PartialEq)]
pub struct Valve {
    /// Its link.
    pub link: usize,
    /// A PCV's loss-coefficient curve.
    pub curve: Option<usize>,
}

/// A time pattern.
#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    /// ID.
    pub id: String,
    /// Multipliers, one per pattern step (at least one).
    pub factors: Vec<f64>,
}

/// What a curve describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CurveKind {
    /// Tank volume against level.
    Volume,
    /// Pump head against flow.
    Pump,
    /// Pump efficiency against flow.
    Efficiency,
    /// GPV head loss against flow.
    HeadLoss,
    /// Not yet known.
    Generic,
    /// PCV loss ratio against percent open.
    Valve,
}

/// A curve, in the file's units (as EPANET keeps them).
#[derive(Debug, Clone, PartialEq)]
pub struct Curve {
    /// ID.
    pub id: String,
    /// Kind.
    pub kind: CurveKind,
    /// x values, strictly rising.
    pub x: Vec<f64>,
    /// y values.
    pub y: Vec<f64>,
}

/// When a simple control acts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ControlKind {
    /// When the node's grade falls to or below `grade`.
    LowLevel,
    /// When the node's grade rises to or above `grade`.
    HighLevel,
    /// At an elapsed time.
    Timer,
    /// At a time of day.
    TimeOfDay,
}

/// A simple control (`[CONTROLS]`).
#[derive(Debug, Clone, PartialEq)]
pub struct Control {
    /// The link it sets.
    pub link: usize,
    /// The node whose level triggers it (level controls).
    pub node: Option<usize>,
    /// Time, s (timer: elapsed; time of day: seconds after midnight).
    pub time: i64,
    /// Trigger grade (head), ft.
    pub grade: f64,
    /// New setting (`MISSING` when the control sets a status only).
    pub setting: f64,
    /// New status.
    pub status: Status,
    /// Kind.
    pub kind: ControlKind,
    /// Whether it is enabled.
    pub enabled: bool,
    /// 1-based line in the input.
    pub line: u32,
}

/// Head-loss formula.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeadLossFormula {
    /// Hazen–Williams.
    HazenWilliams,
    /// Darcy–Weisbach.
    DarcyWeisbach,
    /// Chezy–Manning.
    ChezyManning,
}

/// Demand model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemandModel {
    /// Demand-driven: demands are always met.
    DemandDriven,
    /// Pressure-driven: demand falls with pressure below `p_required`.
    PressureDriven,
}

/// The hydraulic options, in internal units (EPANET's `Hydraul` settings).
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Head-loss formula.
    pub formula: HeadLossFormula,
    /// Head-loss exponent (1.852 for H-W, 2 otherwise).
    pub hexp: f64,
    /// Emitter exponent.
    pub qexp: f64,
    /// Pressure-driven demand exponent.
    pub pexp: f64,
    /// Pressure below which no demand is served, ft.
    pub p_min: f64,
    /// Pressure at which all demand is served, ft.
    pub p_required: f64,
    /// Demand model.
    pub demand_model: DemandModel,
    /// Global demand multiplier.
    pub demand_multiplier: f64,
    /// Relative flow change for convergence (`ACCURACY`).
    pub accuracy: f64,
    /// Largest flow change allowed at convergence, cfs (0: unused).
    pub flow_change_limit: f64,
    /// Largest head-loss error allowed at convergence, ft (0: unused).
    pub head_error_limit: f64,
    /// Relative error below which damping and valve checks start (0: every trial).
    pub damp_limit: f64,
    /// Kinematic viscosity, ft²/s.
    pub viscosity: f64,
    /// Specific gravity.
    pub specific_gravity: f64,
    /// Global pump efficiency, percent.
    pub pump_efficiency: f64,
    /// Global energy price per kWh.
    pub energy_cost: f64,
    /// Global energy price pattern.
    pub energy_pattern: Option<usize>,
    /// Default demand pattern.
    pub default_pattern: Option<usize>,
    /// Maximum trials.
    pub max_iter: u32,
    /// Extra trials when unbalanced; -1 stops the run (`UNBALANCED STOP`).
    pub extra_iter: i32,
    /// Trials between status checks.
    pub check_freq: u32,
    /// Trial after which periodic status checks stop.
    pub max_check: u32,
    /// Head tolerance, ft (EPANET's `HTOL`).
    pub htol: f64,
    /// Flow tolerance, cfs (EPANET's `QTOL`).
    pub qtol: f64,
    /// Flow-resistance tolerance (EPANET's `RQTOL`).
    pub rqtol: f64,
    /// Whether emitters may take flow back in.
    pub emitter_backflow: bool,
}

/// The time settings, seconds (EPANET's `Times`).
#[derive(Debug, Clone, PartialEq)]
pub struct Times {
    /// Duration.
    pub duration: i64,
    /// Hydraulic step.
    pub hydraulic_step: i64,
    /// Pattern step.
    pub pattern_step: i64,
    /// Pattern start.
    pub pattern_start: i64,
    /// Report step.
    pub report_step: i64,
    /// Report start.
    pub report_start: i64,
    /// Rule step.
    pub rule_step: i64,
    /// Start clock time (seconds after midnight).
    pub start_clock: i64,
}

/// Flow units of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlowUnits {
    /// Cubic feet per second.
    Cfs,
    /// US gallons per minute.
    Gpm,
    /// Million US gallons per day.
    Mgd,
    /// Million imperial gallons per day.
    Imgd,
    /// Acre-feet per day.
    Afd,
    /// Litres per second.
    Lps,
    /// Litres per minute.
    Lpm,
    /// Megalitres per day.
    Mld,
    /// Cubic metres per hour.
    Cmh,
    /// Cubic metres per day.
    Cmd,
    /// Cubic metres per second.
    Cms,
}

impl FlowUnits {
    /// Whether the file's other quantities are metric (EPANET's `SI` unit system).
    pub fn is_metric(self) -> bool {
        matches!(
            self,
            FlowUnits::Lps
                | FlowUnits::Lpm
                | FlowUnits::Mld
                | FlowUnits::Cmh
                | FlowUnits::Cmd
                | FlowUnits::Cms
        )
    }
    /// File flow units per cfs (EPANET's constants).
    pub fn per_cfs(self) -> f64 {
        match self {
            FlowUnits::Cfs => 1.0,
            FlowUnits::Gpm => 448.831,
            FlowUnits::Mgd => 0.64632,
            FlowUnits::Imgd => 0.5382,
            FlowUnits::Afd => 1.9837,
            FlowUnits::Lps => 28.317,
            FlowUnits::Lpm => 1699.0,
            FlowUnits::Mld => 2.4466,
            FlowUnits::Cmh => 101.94,
            FlowUnits::Cmd => 2446.6,
            FlowUnits::Cms => 0.028317,
        }
    }
}

/// Pressure units of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PressureUnits {
    /// Pounds per square inch.
    Psi,
    /// Kilopascals.
    Kpa,
    /// Metres of water.
    Meters,
    /// Bar.
    Bar,
    /// Feet of water.
    Feet,
}

/// The file's units and EPANET's conversion factors from internal units to them
/// (`value_in_file_units = internal × factor`).
#[derive(Debug, Clone, PartialEq)]
pub struct Units {
    /// Flow units.
    pub flow: FlowUnits,
    /// Pressure units.
    pub pressure: PressureUnits,
    /// Flow (and demand) factor: file flow units per cfs.
    pub flow_factor: f64,
    /// Head, elevation and length factor: 0.3048 (metric) or 1.
    pub head_factor: f64,
    /// Pressure factor: file pressure units per ft of water.
    pub pressure_factor: f64,
    /// Diameter factor: mm or inches per ft.
    pub diameter_factor: f64,
    /// Volume factor: m³ or ft³ per ft³.
    pub volume_factor: f64,
}

/// The whole network.
#[derive(Debug, Clone, PartialEq)]
pub struct Network {
    /// Title lines.
    pub title: Vec<String>,
    /// Nodes: junctions first, then tanks and reservoirs.
    pub nodes: Vec<Node>,
    /// Number of junctions (the first nodes).
    pub n_junctions: usize,
    /// Tanks and reservoirs; `tanks[i].node == n_junctions + i`.
    pub tanks: Vec<Tank>,
    /// Links in file order.
    pub links: Vec<Link>,
    /// Pumps, in link order.
    pub pumps: Vec<Pump>,
    /// Valves, in link order.
    pub valves: Vec<Valve>,
    /// Time patterns.
    pub patterns: Vec<Pattern>,
    /// Curves.
    pub curves: Vec<Curve>,
    /// Simple controls, in file order.
    pub controls: Vec<Control>,
    /// Rule-based controls, in file order.
    pub rules: Vec<Rule>,
    /// Hydraulic options.
    pub options: Options,
    /// Time settings.
    pub times: Times,
    /// Units of the file.
    pub units: Units,
    /// For each link, its pump (`Some(index into pumps)`); `None` for pipes and valves.
    pub pump_of_link: Vec<Option<usize>>,
    /// For each link, its valve (`Some(index into valves)`).
    pub valve_of_link: Vec<Option<usize>>,
}

impl Network {
    /// Index of the node with this ID.
    pub fn node_index(&self, id: &str) -> Option<usize> {
        self.nodes.iter().position(|n| n.id == id)
    }
    /// Index of the link with this ID.
    pub fn link_index(&self, id: &str) -> Option<usize> {
        self.links.iter().position(|l| l.id == id)
    }
    /// The tank or reservoir of a node, if it is one.
    pub fn tank_of_node(&self, node: usize) -> Option<usize> {
        node.checked_sub(self.n_junctions)
    }
}

/// EPANET's `interp`: linear interpolation on a curve's points; beyond either end, the
/// end point's y (no extrapolation).
pub fn interpolate(x: &[f64], y: &[f64], xx: f64) -> f64 {
    let n = x.len();
    if n == 0 {
        return 0.0;
    }
    let m = n - 1;
    if xx <= x[0] {
        return y[0];
    }
    for i in 1..=m {
        if x[i] >= xx {
            let dx = x[i] - x[i - 1];
            let dy = y[i] - y[i - 1];
            if dx.abs() < TINY {
                return y[i];
            }
            return y[i] - (x[i] - xx) * dy / dx;
        }
    }
    y[m]
}
