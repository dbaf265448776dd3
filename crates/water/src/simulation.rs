//! A hydraulic simulation stepped through time: open a network, choose the demand model,
//! solve, change link statuses between steps, read the state in SI units.
//!
//! The stepping is EPANET's own (`EN_runH` / `EN_nextH`): the clock moves to the next
//! hydraulic event (time step, pattern change, report time, control, tank filling or
//! emptying), so results are EPANET's exactly. [`Simulation::stop_at`] adds events of our
//! own (a strike at 05:30 in a network with hourly steps) by shortening one step. WNTR's
//! EpanetSimulator cannot stop mid-run; its WNTRSimulator can, but re-solves in Python.

use crate::epanet::{Project, error_message};
use crate::error::WaterError;
use crate::network::{LinkKind, NetworkInfo, NodeKind};
use epanet_sys as ffi;
use lifeline_hydraulics::NodalSystem;
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;

/// Trials per solve when a run goes on after unbalanced solves.
const MIN_TRIALS: f64 = 200.0;

/// How demands respond to pressure.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "model", rename_all = "snake_case")]
pub enum DemandModel {
    /// Demands are met whatever the pressure (EPANET's DDA).
    DemandDriven,
    /// Demands fall with pressure (EPANET's PDA, Wagner's relation):
    /// `d = D·((p − p_min)/(p_req − p_min))^exponent`, clipped to `[0, D]`.
    PressureDriven {
        /// Pressure at and below which nothing is delivered, m.
        min_pressure_m: f64,
        /// Pressure at and above which the full demand is delivered, m.
        required_pressure_m: f64,
        /// Exponent of the relation (0.5 in EPANET and WNTR).
        exponent: f64,
    },
}

/// Which hydraulic solver runs the simulation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Engine {
    /// The native solver, or EPANET's toolkit for a file that asks for what only EPANET
    /// does (its pipe leakage model, a hydraulics file). [`Simulation::engine`] says
    /// which ran.
    #[default]
    Auto,
    /// EPANET 2.3's own toolkit (the reference).
    Epanet,
    /// lifeline's native solver (`lifeline-hydraulics`): EPANET 2.3's hydraulics in Rust,
    /// with no C library. A file read once is kept for the next run on it (the same text
    /// and options). EPANET 2.3's pipe leakage model is not supported yet (such files are
    /// refused).
    Native,
}

/// Options of a simulation.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct SimulationOptions {
    /// The hydraulic solver.
    pub engine: Engine,
    /// The demand model; `None` keeps the input file's own.
    pub demand_model: Option<DemandModel>,
    /// The simulated duration, s; `None` keeps the input file's own.
    pub duration_s: Option<i64>,
    /// Give each solve at least 200 trials and go on after one that still does not
    /// balance (with 10 extra trials, as `UNBALANCED CONTINUE 10` would, and a warning),
    /// whatever the input file says. WNTR always goes on; EPANET obeys the file.
    pub continue_unbalanced: bool,
}

/// An EPANET warning met during a run: the run went on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// Simulation time, s.
    pub time_s: i64,
    /// EPANET's warning code (1–6).
    pub code: i32,
    /// EPANET's message.
    pub message: String,
}

/// A change of a link's operation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "action", content = "value", rename_all = "snake_case")]
pub enum LinkChange {
    /// Closed and held closed: a pump without power or damaged, a broken pipe isolated.
    /// The network's own controls and rules no longer act on the link.
    Close,
    /// Opened and held open.
    Open,
    /// A pump's relative speed (1 = nominal); controls still act on the pump.
    Speed(f64),
    /// Back to normal: the controls act again, and the link returns to the status it had
    /// when it was first closed or opened.
    Restore,
}

/// The hydraulic state at one time, SI units, indexed like [`NetworkInfo`].
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct HydraulicState {
    /// Simulation time, s.
    pub time_s: i64,
    /// Hydraulic head of each node, m.
    pub head_m: Vec<f64>,
    /// Pressure head (head − elevation) of each node, m; a tank's level; 0 at reservoirs.
    pub pressure_m: Vec<f64>,
    /// Delivered demand of each node, L/s (reservoirs: negative = supply; tanks: net
    /// inflow, + = filling).
    pub demand_lps: Vec<f64>,
    /// Required (full) demand of each node, L/s.
    pub required_demand_lps: Vec<f64>,
    /// Volume of water in each tank, m³ (0 at other nodes). A tank's level is its
    /// `pressure_m`.
    pub tank_volume_m3: Vec<f64>,
    /// Flow of each link, L/s (+ = from start to end node).
    pub flow_lps: Vec<f64>,
    /// Whether each link is open (a throttling valve counts as open).
    pub link_open: Vec<bool>,
}

/// What was changed to hold a link closed or open, so it can be undone.
#[derive(Debug, Clone)]
pub(crate) struct Override {
    pub(crate) status_before: f64,
    /// Controls disabled (EPANET's 1-based indices; the native engine's 0-based).
    pub(crate) disabled_controls: Vec<usize>,
    /// (rule, action, THEN?, original status, original setting): EPANET's 1-based rule
    /// and action indices and status codes; the native engine's 0-based indices, with
    /// the status as `RuleStatus::code` (-1: a setting action).
    pub(crate) rule_actions: Vec<(usize, usize, bool, i32, f64)>,
}

/// The solver behind a [`Simulation`].
enum Backend {
    /// The EPANET project: the network's description and its hydraulics.
    Epanet(Project),
    /// The native solver's run.
    Native(Box<lifeline_hydraulics::Simulation>),
}

/// A running hydraulic simulation of one network.
pub struct Simulation {
    backend: Backend,
    network: Arc<NetworkInfo>,
    options: SimulationOptions,
    time_s: i64,
    solved: bool,
    finished: bool,
    stops: BTreeSet<i64>,
    warnings: Vec<Warning>,
    overrides: HashMap<usize, Override>,
    scratch: Vec<f64>,
    /// The native run's warnings before the solution under way.
    warnings_before: usize,
}

impl Simulation {
    /// Opens `path` and starts its hydraulics at time 0.
    pub fn open(path: &Path, options: SimulationOptions) -> Result<Self, WaterError> {
        let file = path.display().to_string();
        if let Some(duration_s) = options.duration_s
            && duration_s < 0
        {
            return Err(WaterError::InvalidRequest {
                file,
                message: format!("duration must be 0 s or more, got {duration_s}"),
            });
        }
        if options.engine != Engine::Epanet {
            match crate::native::prepared(path, &file, options) {
                Ok(prepared) => {
                    let native =
                        lifeline_hydraulics::Simulation::new(Arc::clone(&prepared.network), &file);
                    return Ok(Self::new(
                        Backend::Native(Box::new(native)),
                        Arc::clone(&prepared.info),
                        options,
                    ));
                }
                Err(WaterError::Native(lifeline_hydraulics::HydraulicsError::Unsupported {
                    ..
                })) if options.engine == Engine::Auto => {}
                Err(error) => return Err(error),
            }
        }
        // A file that cannot be read is EPANET's to report (error 302).
        if let Ok(text) = std::fs::read_to_string(path) {
            let problems = crate::inp_numbers::problems(&text);
            if !problems.is_empty() {
                return Err(WaterError::BadNumbers { file, problems });
            }
        }
        let error = |e| WaterError::from_epanet(&file, e);
        let mut project = Project::open(path).map_err(error)?;
        let mut network = NetworkInfo::read(&project, &file)?;
        if let Some(model) = options.demand_model {
            let (p_min, p_req, exponent) = demand_model_in_file_units(model, &network)?;
            let code = match model {
                DemandModel::DemandDriven => ffi::EN_DemandModel_EN_DDA,
                DemandModel::PressureDriven { .. } => ffi::EN_DemandModel_EN_PDA,
            };
            project
                .set_demand_model(code, p_min, p_req, exponent)
                .map_err(error)?;
        }
        if options.continue_unbalanced {
            let trials = project.option(ffi::EN_Option_EN_TRIALS).map_err(error)?;
            project
                .set_option(ffi::EN_Option_EN_TRIALS, trials.max(MIN_TRIALS))
                .and_then(|()| project.set_option(ffi::EN_Option_EN_UNBALANCED, 10.0))
                .map_err(error)?;
        }
        if let Some(duration_s) = options.duration_s {
            project
                .set_time_parameter(ffi::EN_TimeParameter_EN_DURATION, duration_s)
                .map_err(error)?;
            network.duration_s = duration_s;
        }
        project.open_hydraulics().map_err(error)?;
        project.init_hydraulics().map_err(error)?;
        Ok(Self::new(
            Backend::Epanet(project),
            Arc::new(network),
            options,
        ))
    }

    fn new(backend: Backend, network: Arc<NetworkInfo>, options: SimulationOptions) -> Self {
        Self {
            backend,
            network,
            options,
            time_s: 0,
            solved: false,
            finished: false,
            stops: BTreeSet::new(),
            warnings: Vec::new(),
            overrides: HashMap::new(),
            scratch: Vec::new(),
            warnings_before: 0,
        }
    }

    fn invalid(&self, message: String) -> WaterError {
        WaterError::InvalidRequest {
            file: self.network.file.clone(),
            message,
        }
    }

    /// The network's description.
    pub fn network(&self) -> &NetworkInfo {
        &self.network
    }

    /// The network's description, shared (no copy): to hold while the simulation is
    /// changed.
    pub fn shared_network(&self) -> Arc<NetworkInfo> {
        Arc::clone(&self.network)
    }

    /// The engine running the simulation: [`Engine::Native`] or [`Engine::Epanet`]
    /// (what [`Engine::Auto`] chose).
    pub fn engine(&self) -> Engine {
        match self.backend {
            Backend::Epanet(_) => Engine::Epanet,
            Backend::Native(_) => Engine::Native,
        }
    }

    /// The options the simulation was opened with.
    pub fn options(&self) -> SimulationOptions {
        self.options
    }

    /// The clock, s: the time of the last solve, or of the next one after [`Self::advance`].
    pub fn time_s(&self) -> i64 {
        self.time_s
    }

    /// Warnings met so far.
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    fn record_warning(&mut self, code: i32) {
        if code > 0 {
            self.warnings.push(Warning {
                time_s: self.time_s,
                code,
                message: error_message(code),
            });
        }
    }

    /// Makes the clock stop at `time_s` (an event of our own), shortening a step if needed.
    pub fn stop_at(&mut self, time_s: i64) {
        if time_s > self.time_s {
            self.stops.insert(time_s);
        }
    }

    /// Solves the hydraulics at the current time (EPANET's controls apply first); returns
    /// the time, s. Warnings are recorded, not returned as errors.
    pub fn solve(&mut self) -> Result<i64, WaterError> {
        match &mut self.backend {
            Backend::Native(native) => {
                self.warnings_before = native.warnings().len();
                let solved = native.solve();
                self.solved_natively(solved)
            }
            Backend::Epanet(project) => {
                let (time, warning) = project
                    .run_hydraulics()
                    .map_err(|e| WaterError::from_epanet(&self.network.file, e))?;
                Ok(self.solved(time, warning))
            }
        }
    }

    /// [`Simulation::solve`] in steps, so that the trials of several native runs can
    /// be made together ([`Simulation::trials_together`]): `Some` when the solution is
    /// over already (always with EPANET's toolkit, which solves in one call).
    pub fn begin_solve(&mut self) -> Option<Result<i64, WaterError>> {
        match &mut self.backend {
            Backend::Native(native) => {
                self.warnings_before = native.warnings().len();
                let solved = native.begin_solve()?;
                Some(self.solved_natively(solved))
            }
            Backend::Epanet(_) => Some(self.solve()),
        }
    }

    /// The next trial's system of a native solution under way, assembled, and the
    /// heads to solve it into (`None` with EPANET's toolkit).
    pub fn trial_system(&mut self) -> Option<(&mut NodalSystem, &mut [f64])> {
        match &mut self.backend {
            Backend::Native(native) => native.trial_system(),
            Backend::Epanet(_) => None,
        }
    }

    /// The rest of the trial once its system is solved; `Some` when the solution is
    /// over: the time, s, or the error.
    pub fn end_trial(&mut self, solved: Result<(), usize>) -> Option<Result<i64, WaterError>> {
        match &mut self.backend {
            Backend::Native(native) => {
                let solved = native.end_trial(solved)?;
                Some(self.solved_natively(solved))
            }
            Backend::Epanet(_) => None,
        }
    }

    /// One trial of each solution under way (each after [`Simulation::begin_solve`]),
    /// their linear solves made together: copies of one native run go four to a
    /// factorisation, their systems assembled straight into its lanes
    /// ([`lifeline_hydraulics::Simulation::solve_trials_together`]), each getting the
    /// bits it would get alone. `Some` for each solution that is over (at once for a run with no
    /// solution under way: its last one is over).
    pub fn trials_together(runs: &mut [&mut Simulation]) -> Vec<Option<Result<i64, WaterError>>> {
        let mut natives = Vec::with_capacity(runs.len());
        let mut native_of_run = Vec::with_capacity(runs.len());
        for run in runs.iter_mut() {
            match &mut run.backend {
                Backend::Native(native) => {
                    native_of_run.push(Some(natives.len()));
                    natives.push(&mut **native);
                }
                Backend::Epanet(_) => native_of_run.push(None),
            }
        }
        let solved = lifeline_hydraulics::Simulation::solve_trials_together(&mut natives);
        drop(natives);
        runs.iter_mut()
            .zip(native_of_run)
            .map(|(run, native)| match native.and_then(|i| solved[i]) {
                Some(result) => run.end_trial(result),
                None => Some(Ok(run.time_s)),
            })
            .collect()
    }

    /// Frees this thread's work space of [`Simulation::trials_together`]
    /// ([`lifeline_hydraulics::Simulation::release_lane_space`]): for the end of a batch.
    pub fn release_lane_space() {
        lifeline_hydraulics::Simulation::release_lane_space();
    }

    /// A native solution's end: its warning recorded.
    fn solved_natively(
        &mut self,
        solved: Result<i64, lifeline_hydraulics::HydraulicsError>,
    ) -> Result<i64, WaterError> {
        let time = solved?;
        let warning = match &self.backend {
            Backend::Native(native) => crate::native::warning_code(native, self.warnings_before),
            Backend::Epanet(_) => 0,
        };
        Ok(self.solved(time, warning))
    }

    /// A solution's end at `time`, s, with EPANET's warning code.
    fn solved(&mut self, time: i64, warning: i32) -> i64 {
        self.time_s = time;
        self.solved = true;
        self.record_warning(warning);
        time
    }

    /// Solves and advances step by step until the clock reaches `time_s` exactly (the
    /// state at `time_s` is then not yet solved: change links, then [`Self::solve`]).
    /// Returns `false` if the simulation ends first.
    pub fn advance_to(&mut self, time_s: i64) -> Result<bool, WaterError> {
        self.stop_at(time_s);
        while self.time_s < time_s {
            self.solve()?;
            if !self.advance()? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Moves the clock to the next hydraulic event (or stop). Returns `false` when the
    /// simulation has reached its duration.
    pub fn advance(&mut self) -> Result<bool, WaterError> {
        if self.finished {
            return Ok(false);
        }
        let next_stop = self.stops.range(self.time_s + 1..).next().copied();
        let step = self.network.hydraulic_step_s;
        let shortened = next_stop.filter(|stop| step > 0 && stop - self.time_s < step);
        let (elapsed, warning) = match &mut self.backend {
            Backend::Native(native) => {
                if let Some(stop) = shortened {
                    native.set_hydraulic_step(stop - self.time_s);
                }
                let elapsed = native.advance();
                native.set_hydraulic_step(step);
                (elapsed, 0)
            }
            Backend::Epanet(project) => {
                let error = |e| WaterError::from_epanet(&self.network.file, e);
                if let Some(stop) = shortened {
                    project
                        .set_time_parameter(ffi::EN_TimeParameter_EN_HYDSTEP, stop - self.time_s)
                        .map_err(error)?;
                }
                let result = project.next_hydraulics();
                if shortened.is_some() {
                    project
                        .set_time_parameter(ffi::EN_TimeParameter_EN_HYDSTEP, step)
                        .map_err(error)?;
                }
                result.map_err(error)?
            }
        };
        self.after_step(elapsed, warning)
    }

    /// Moves the clock by `elapsed` s (0: the run is over) after a step.
    fn after_step(&mut self, elapsed: i64, warning: i32) -> Result<bool, WaterError> {
        self.record_warning(warning);
        self.solved = false;
        if elapsed <= 0 {
            self.finished = true;
            if self.time_s < self.network.duration_s {
                // EPANET only ends early when UNBALANCED STOP halts it.
                return Err(WaterError::Unbalanced {
                    file: self.network.file.clone(),
                    time_s: self.time_s,
                });
            }
            return Ok(false);
        }
        self.time_s += elapsed;
        self.stops.retain(|&stop| stop > self.time_s);
        Ok(true)
    }

    /// Reads the state of the last solve into `state` (buffers are reused).
    ///
    /// # Panics
    /// If called before [`Self::solve`].
    pub fn read_state(&mut self, state: &mut HydraulicState) -> Result<(), WaterError> {
        assert!(self.solved, "read_state before solve");
        let project = match &self.backend {
            Backend::Native(native) => {
                crate::native::read_state(native, state);
                return Ok(());
            }
            Backend::Epanet(project) => project,
        };
        let n = self.network.node_count();
        let m = self.network.link_count();
        let units = self.network.units;
        state.time_s = self.time_s;
        self.scratch.resize(n.max(m), 0.0);
        let scratch = &mut self.scratch;
        let file = &self.network.file;
        let error = |e| WaterError::from_epanet(file, e);
        let mut read_nodes =
            |property, factor: f64, out: &mut Vec<f64>| -> Result<(), WaterError> {
                project
                    .node_values(property, &mut scratch[..n])
                    .map_err(error)?;
                out.clear();
                out.extend(scratch[..n].iter().map(|v| v * factor));
                Ok(())
            };
        read_nodes(
            ffi::EN_NodeProperty_EN_HEAD,
            units.m_per_length,
            &mut state.head_m,
        )?;
        read_nodes(
            ffi::EN_NodeProperty_EN_DEMAND,
            units.lps_per_flow,
            &mut state.demand_lps,
        )?;
        read_nodes(
            ffi::EN_NodeProperty_EN_FULLDEMAND,
            units.lps_per_flow,
            &mut state.required_demand_lps,
        )?;
        state.pressure_m.clear();
        state.pressure_m.extend(
            state
                .head_m
                .iter()
                .zip(&self.network.elevation_m)
                .map(|(h, z)| h - z),
        );
        state.tank_volume_m3.clear();
        state.tank_volume_m3.resize(n, 0.0);
        for (i, kind) in self.network.node_kinds.iter().enumerate() {
            if *kind == NodeKind::Tank {
                state.tank_volume_m3[i] = project
                    .node_value(i + 1, ffi::EN_NodeProperty_EN_TANKVOLUME)
                    .map_err(|e| WaterError::from_epanet(&self.network.file, e))?
                    * units.m3_per_volume;
            }
        }
        project
            .link_values(ffi::EN_LinkProperty_EN_FLOW, &mut self.scratch[..m])
            .map_err(|e| WaterError::from_epanet(&self.network.file, e))?;
        state.flow_lps.clear();
        state
            .flow_lps
            .extend(self.scratch[..m].iter().map(|q| q * units.lps_per_flow));
        project
            .link_values(ffi::EN_LinkProperty_EN_STATUS, &mut self.scratch[..m])
            .map_err(|e| WaterError::from_epanet(&self.network.file, e))?;
        state.link_open.clear();
        state
            .link_open
            .extend(self.scratch[..m].iter().map(|s| *s != 0.0));
        Ok(())
    }

    /// A fresh copy of the state of the last solve.
    pub fn state(&mut self) -> Result<HydraulicState, WaterError> {
        let mut state = HydraulicState::default();
        self.read_state(&mut state)?;
        Ok(state)
    }

    /// Changes link `id`'s operation from the next solve on.
    pub fn change_link(&mut self, id: &str, change: LinkChange) -> Result<(), WaterError> {
        let link = self.network.link(id)?;
        // A speed is checked once, whichever engine then sets it.
        if let LinkChange::Speed(speed) = change {
            if self.network.link_kinds[link] != LinkKind::Pump {
                return Err(self.invalid(format!(
                    "link '{id}' is not a pump: only pumps have a speed"
                )));
            }
            if !(speed >= 0.0 && speed.is_finite()) {
                return Err(self.invalid(format!("pump speed must be 0 or more, got {speed}")));
            }
        }
        let file = &self.network.file;
        let project = match &mut self.backend {
            Backend::Native(native) => {
                return crate::native::change_link(native, &mut self.overrides, link, change);
            }
            Backend::Epanet(project) => project,
        };
        let error = |e| WaterError::from_epanet(file, e);
        let index = link + 1;
        match change {
            LinkChange::Close | LinkChange::Open => {
                if let std::collections::hash_map::Entry::Vacant(entry) = self.overrides.entry(link)
                {
                    entry.insert(take_over(project, index).map_err(error)?);
                }
                let (status, rule_status) = match change {
                    LinkChange::Close => (
                        ffi::EN_LinkStatusType_EN_CLOSED,
                        ffi::EN_RuleStatus_EN_R_IS_CLOSED,
                    ),
                    _ => (
                        ffi::EN_LinkStatusType_EN_OPEN,
                        ffi::EN_RuleStatus_EN_R_IS_OPEN,
                    ),
                };
                // Rules that act on the link now do what the override says.
                if let Some(taken) = self.overrides.get(&link) {
                    for &(rule, action, then, _, setting) in &taken.rule_actions {
                        project
                            .set_rule_action(rule, action, then, index, rule_status as i32, setting)
                            .map_err(error)?;
                    }
                }
                project
                    .set_link_value(index, ffi::EN_LinkProperty_EN_STATUS, f64::from(status))
                    .map_err(error)
            }
            LinkChange::Speed(speed) => project
                .set_link_value(index, ffi::EN_LinkProperty_EN_SETTING, speed)
                .map_err(error),
            LinkChange::Restore => match self.overrides.remove(&link) {
                Some(taken) => give_back(project, index, &taken).map_err(error),
                None => Ok(()),
            },
        }
    }

    /// Whether [`Simulation::try_clone`] gives a copy (the native solver's run).
    pub fn can_clone(&self) -> bool {
        matches!(self.backend, Backend::Native(_))
    }

    /// A copy of this simulation at the same time, with the same changes and warnings,
    /// that goes on by itself: what it computes from here is what this one would. Only
    /// the native solver's run can be copied (`None` with EPANET's toolkit, whose state
    /// lives in C). Scenarios that agree up to a time share their run that far.
    pub fn try_clone(&self) -> Option<Simulation> {
        let Backend::Native(native) = &self.backend else {
            return None;
        };
        let backend = Backend::Native(native.clone());
        Some(Simulation {
            backend,
            network: Arc::clone(&self.network),
            options: self.options,
            time_s: self.time_s,
            solved: self.solved,
            finished: self.finished,
            stops: self.stops.clone(),
            warnings: self.warnings.clone(),
            overrides: self.overrides.clone(),
            scratch: self.scratch.clone(),
            warnings_before: self.warnings_before,
        })
    }

    /// Back to time 0 with every change undone, for another run on the same network.
    pub fn reset(&mut self) -> Result<(), WaterError> {
        let file = &self.network.file;
        let links: Vec<usize> = self.overrides.keys().copied().collect();
        match &mut self.backend {
            Backend::Native(native) => {
                for link in links {
                    crate::native::change_link(
                        native,
                        &mut self.overrides,
                        link,
                        LinkChange::Restore,
                    )?;
                }
                native.reset();
            }
            Backend::Epanet(project) => {
                let error = |e| WaterError::from_epanet(file, e);
                for link in links {
                    if let Some(taken) = self.overrides.remove(&link) {
                        give_back(project, link + 1, &taken).map_err(error)?;
                    }
                }
                for link in 0..self.network.link_count() {
                    if self.network.link_kinds[link] == LinkKind::Pump {
                        let initial = project
                            .link_value(link + 1, ffi::EN_LinkProperty_EN_INITSETTING)
                            .map_err(error)?;
                        project
                            .set_link_value(link + 1, ffi::EN_LinkProperty_EN_SETTING, initial)
                            .map_err(error)?;
                    }
                }
                project.init_hydraulics().map_err(error)?;
            }
        }
        self.time_s = 0;
        self.solved = false;
        self.finished = false;
        self.stops.clear();
        self.warnings.clear();
        Ok(())
    }
}

/// A demand model's (minimum pressure, required pressure, exponent) in the file's
/// pressure unit, as EPANET's `EN_setdemandmodel` takes them (demand-driven: EPANET's
/// own 0, 0.1 and 0.5), or what is wrong with a pressure-driven one.
pub(crate) fn demand_model_in_file_units(
    model: DemandModel,
    network: &NetworkInfo,
) -> Result<(f64, f64, f64), WaterError> {
    let invalid = |message| WaterError::InvalidRequest {
        file: network.file.clone(),
        message,
    };
    let DemandModel::PressureDriven {
        min_pressure_m,
        required_pressure_m,
        exponent,
    } = model
    else {
        return Ok((0.0, 0.1, 0.5));
    };
    let per_unit = network.units.m_per_pressure;
    let (p_min, p_req) = (min_pressure_m / per_unit, required_pressure_m / per_unit);
    if !(min_pressure_m >= 0.0 && min_pressure_m.is_finite()) {
        return Err(invalid(format!(
            "minimum pressure must be a finite number of 0 m or more, got {min_pressure_m}"
        )));
    }
    if !required_pressure_m.is_finite() {
        return Err(invalid(format!(
            "required pressure must be a finite number of m, got {required_pressure_m}"
        )));
    }
    if p_req < p_min + 0.1 {
        return Err(invalid(format!(
            "required pressure {required_pressure_m} m must exceed the minimum {min_pressure_m} m by at least 0.1 of the file's pressure unit"
        )));
    }
    if !(exponent > 0.0 && exponent.is_finite()) {
        return Err(invalid(format!(
            "pressure exponent must be a finite positive number, got {exponent}"
        )));
    }
    Ok((p_min, p_req, exponent))
}

/// Disables the simple controls on link `index` (1-based) and notes the rule actions on
/// it.
fn take_over(project: &Project, index: usize) -> Result<Override, crate::epanet::EpanetError> {
    let status_before = project.link_value(index, ffi::EN_LinkProperty_EN_STATUS)?;
    let mut disabled_controls = Vec::new();
    for control in 1..=project.count(ffi::EN_CountType_EN_CONTROLCOUNT)? {
        let (_, link, _, _, _) = project.control(control)?;
        if link == index {
            project.set_control_enabled(control, false)?;
            disabled_controls.push(control);
        }
    }
    let mut rule_actions = Vec::new();
    for rule in 1..=project.count(ffi::EN_CountType_EN_RULECOUNT)? {
        let (_, then_count, else_count) = project.rule(rule)?;
        for (then, count) in [(true, then_count), (false, else_count)] {
            for action in 1..=count {
                let (link, status, setting) = project.rule_action(rule, action, then)?;
                if link == index {
                    rule_actions.push((rule, action, then, status, setting));
                }
            }
        }
    }
    Ok(Override {
        status_before,
        disabled_controls,
        rule_actions,
    })
}

/// Undoes [`take_over`] and puts the link back in its earlier status.
fn give_back(
    project: &Project,
    index: usize,
    taken: &Override,
) -> Result<(), crate::epanet::EpanetError> {
    for &control in &taken.disabled_controls {
        project.set_control_enabled(control, true)?;
    }
    for &(rule, action, then, status, setting) in &taken.rule_actions {
        project.set_rule_action(rule, action, then, index, status, setting)?;
    }
    project.set_link_value(index, ffi::EN_LinkProperty_EN_STATUS, taken.status_before)
}
