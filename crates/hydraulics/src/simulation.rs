//! The extended-period run (EPANET's `hydraul.c`): demands and reservoir heads from
//! their patterns, pump speed patterns, simple controls, one hydraulic solution per
//! event, tank levels and the next time step (the shortest of the hydraulic step, the
//! next pattern step, the next report time, a tank filling or draining, and a control
//! coming due).
//!
//! [`Simulation::solve`] and [`Simulation::advance`] are EPANET's `ENrunH` and `ENnextH`;
//! [`run_to_end`](crate::results::run_to_end) collects every report time in SI. Follows EPANET 2.3 step for step,
//! including where it rounds a tank's time to fill to whole seconds, and rule-based
//! controls as `ruletimestep` and `checkrules` evaluate them (the `rules` submodule:
//! tanks moved one rule step at a time until a rule acts). Differs: pump energy is not
//! accumulated, and no report file is written; warnings are returned as values.

mod links;
mod rules;

use crate::HydraulicsError;
use crate::matrix::NodalSystem;
use crate::model::{
    Action, ControlKind, DemandModel, LinkKind, MISSING, Network, QZERO, SECONDS_PER_DAY, Status,
    interpolate,
};
use crate::solve::{SolveOutcome, Trials, pcv_loss_coefficient, resistance, solve};
use crate::state::HydraulicState;
use links::{initial_flow, reset_pump_flow, round, set_link_setting, set_status};
use std::sync::Arc;

thread_local! {
    /// Work space of [`Simulation::solve_trials_together`]: the demands' terms of the
    /// runs in lanes.
    static DEMAND_TERMS: std::cell::RefCell<[crate::coeffs::JunctionTerms; 4]> =
        std::cell::RefCell::new(Default::default());
}

/// EPANET's hydraulic warnings (codes 1–6), raised after a solution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WarningKind {
    /// 1: the system did not balance within the trials.
    Unbalanced,
    /// 2: balanced only after the extra trials (status cycling).
    Unstable,
    /// 4: a pump cannot deliver its head or exceeds its maximum flow.
    PumpOutOfRange,
    /// 5: a valve cannot deliver its flow or pressure.
    ValveCannotDeliver,
    /// 6: negative pressures at junctions with demand (demand-driven runs).
    NegativePressure,
}

impl WarningKind {
    /// EPANET's warning code.
    pub fn code(self) -> i32 {
        match self {
            WarningKind::Unbalanced => 1,
            WarningKind::Unstable => 2,
            WarningKind::PumpOutOfRange => 4,
            WarningKind::ValveCannotDeliver => 5,
            WarningKind::NegativePressure => 6,
        }
    }
}

/// A warning and the simulation time it was raised at.
#[derive(Debug, Clone, PartialEq)]
pub struct Warning {
    /// Simulation time, s.
    pub time_s: i64,
    /// What happened.
    pub kind: WarningKind,
    /// The element concerned (a pump or valve ID), if one.
    pub element: Option<String>,
}

/// One network's hydraulics stepped through time. The network is shared (`Arc`): many
/// simulations of one network hold one copy.
#[derive(Debug, Clone)]
pub struct Simulation {
    network: Arc<Network>,
    file: String,
    /// Which simple controls act (EPANET's `isEnabled`), per simulation.
    control_enabled: Vec<bool>,
    /// Each rule's THEN and ELSE actions, per simulation (EPANET's `EN_setthenaction`,
    /// `EN_setelseaction` change them).
    rule_actions: Vec<(Vec<Action>, Vec<Action>)>,
    /// Total positive junction demand at the current time, cfs (EPANET's `Dsystem`).
    system_demand: f64,
    /// The hydraulic step in force, s (the network's, unless shortened by the caller).
    hydraulic_step: i64,
    state: HydraulicState,
    system: NodalSystem,
    /// Current time, s (EPANET's `Htime`).
    time: i64,
    /// Next report time, s (EPANET's `Rtime`).
    report_time: i64,
    halted: bool,
    last: Option<SolveOutcome>,
    warnings: Vec<Warning>,
    /// The solution under way, between [`Simulation::begin_solve`] and its end.
    trials: Option<Trials>,
    /// Work space of the demands: each pattern's factor at the current period, then 1
    /// for demands without a pattern.
    pattern_factors: Vec<f64>,
    /// The junctions' demand categories, side by side (shared by copies).
    demands: Arc<JunctionDemands>,
}

/// Every junction's demand categories in one list, junction after junction, each
/// junction's in the file's order: each period's demands are made in one loop, without
/// going through each junction's own list or branching on how many it has.
#[derive(Debug)]
struct JunctionDemands {
    /// Junction of each category.
    junction: Vec<usize>,
    /// Base demand of each category, cfs.
    base: Vec<f64>,
    /// Pattern of each category (the default pattern for one without); the network's
    /// pattern count for none, whose factor is 1.
    pattern: Vec<usize>,
}

impl JunctionDemands {
    fn new(net: &Network) -> Self {
        let no_pattern = net.patterns.len();
        let (mut junction, mut base, mut pattern) = (Vec::new(), Vec::new(), Vec::new());
        for (i, node) in net.nodes[..net.n_junctions].iter().enumerate() {
            for demand in &node.demands {
                junction.push(i);
                base.push(demand.base);
                pattern.push(
                    demand
                        .pattern
                        .or(net.options.default_pattern)
                        .unwrap_or(no_pattern),
                );
            }
        }
        JunctionDemands {
            junction,
            base,
            pattern,
        }
    }
}

impl Simulation {
    /// Opens and initialises the hydraulics of `network` (EPANET's `ENopenH` and
    /// `ENinitH(0)`); `file` names the network in errors.
    pub fn new(network: Arc<Network>, file: &str) -> Self {
        let ends: Vec<(usize, usize)> = network.links.iter().map(|l| (l.from, l.to)).collect();
        let system = NodalSystem::new(network.n_junctions, &ends);
        let mut state = HydraulicState::new(&network);
        for (k, link) in network.links.iter().enumerate() {
            state.flow[k] = initial_flow(&network, k, link.init_status, link.kc);
        }
        let control_enabled = network.controls.iter().map(|c| c.enabled).collect();
        let hydraulic_step = network.times.hydraulic_step;
        let rule_actions = network
            .rules
            .iter()
            .map(|r| (r.then_actions.clone(), r.else_actions.clone()))
            .collect();
        let demands = Arc::new(JunctionDemands::new(&network));
        let mut simulation = Simulation {
            network,
            file: file.to_string(),
            control_enabled,
            rule_actions,
            system_demand: 0.0,
            hydraulic_step,
            state,
            system,
            time: 0,
            report_time: 0,
            halted: false,
            last: None,
            warnings: Vec::new(),
            trials: None,
            pattern_factors: Vec::new(),
            demands,
        };
        simulation.initialise();
        simulation
    }

    /// Back to time 0 with the flows initialised again (EPANET's
    /// `ENinitH(EN_INITFLOW)`), warnings cleared: a run after a reset is a fresh run.
    /// Controls disabled and a shortened step stay as they are.
    pub fn reset(&mut self) {
        self.warnings.clear();
        self.last = None;
        self.trials = None;
        self.state.flow.fill(0.0);
        self.initialise();
    }

    /// EPANET's `inithyd(0)`: flows kept where already set, initialised where zero.
    fn initialise(&mut self) {
        let net = &*self.network;
        let st = &mut self.state;
        let n_links = net.links.len();
        for (i, tank) in net.tanks.iter().enumerate() {
            st.tank_volume[i] = tank.v0;
            st.head[tank.node] = tank.h0;
            st.node_demand[tank.node] = 0.0;
            st.old_status[n_links + i] = Status::TempClosed;
        }
        st.demand_flow.iter_mut().for_each(|q| *q = 0.0);
        st.emitter_flow.iter_mut().for_each(|q| *q = 0.0);
        st.leakage_flow.iter_mut().for_each(|q| *q = 0.0);
        for (i, node) in net.nodes.iter().enumerate() {
            if node.emitter > 0.0 {
                st.emitter_flow[i] = 1.0;
            }
        }
        for (k, link) in net.links.iter().enumerate() {
            st.status[k] = link.init_status;
            st.setting[k] = link.init_setting;
            if link.kind > LinkKind::Pump
                && link.kind != LinkKind::Gpv
                && link.init_status != Status::Active
            {
                st.setting[k] = MISSING;
            }
            st.resistance[k] = resistance(net, k);
            st.pipe_coeff_flow[k] = f64::NAN;
            let controlling = matches!(link.kind, LinkKind::Prv | LinkKind::Psv | LinkKind::Fcv);
            if controlling && st.setting[k] != MISSING {
                st.status[k] = Status::Active;
            }
            if st.status[k] <= Status::Closed {
                st.flow[k] = QZERO;
            } else if st.flow[k].abs() <= QZERO {
                st.flow[k] = initial_flow(net, k, st.status[k], st.setting[k]);
            }
            st.old_status[k] = st.status[k];
        }
        self.time = 0;
        self.report_time = net.times.report_step;
        self.halted = false;
    }

    /// The current time, s.
    pub fn time(&self) -> i64 {
        self.time
    }

    /// The state at the current time (internal units).
    pub fn state(&self) -> &HydraulicState {
        &self.state
    }

    /// The network.
    pub fn network(&self) -> &Network {
        &self.network
    }

    /// Sets the hydraulic step, s (EPANET's `EN_HYDSTEP`), e.g. shortened once to stop
    /// at a time of the caller's.
    pub fn set_hydraulic_step(&mut self, step_s: i64) {
        self.hydraulic_step = step_s.max(1);
    }

    /// The hydraulic step in force, s.
    pub fn hydraulic_step(&self) -> i64 {
        self.hydraulic_step
    }

    /// Enables or disables simple control `index` (EPANET's `EN_setcontrolenabled`).
    pub fn set_control_enabled(&mut self, index: usize, enabled: bool) {
        if let Some(flag) = self.control_enabled.get_mut(index) {
            *flag = enabled;
        }
    }

    /// Whether simple control `index` acts.
    pub fn control_enabled(&self, index: usize) -> bool {
        self.control_enabled.get(index).copied().unwrap_or(false)
    }

    /// Opens (`true`) or closes link `k` from the next solve on (EPANET's
    /// `EN_setlinkvalue(EN_STATUS)`, `setlinkstatus`): a pump's speed becomes 1 or 0, a
    /// valve's setting is dropped.
    ///
    /// # Errors
    /// A pipe with a check valve has no status of its own to set (EPANET's error 207).
    pub fn set_link_status(&mut self, k: usize, open: bool) -> Result<(), HydraulicsError> {
        let net = &*self.network;
        let link = &net.links[k];
        if link.kind == LinkKind::CvPipe {
            return Err(HydraulicsError::Network {
                file: self.file.clone(),
                message: format!(
                    "link {}: a pipe with a check valve cannot be opened or closed",
                    link.id
                ),
            });
        }
        set_status(net, &mut self.state, k, open);
        Ok(())
    }

    /// Sets a pump's relative speed from the next solve on (EPANET's
    /// `EN_setlinkvalue(EN_SETTING)`, `setlinksetting`).
    pub fn set_pump_speed(&mut self, k: usize, speed: f64) {
        set_link_setting(&self.network, &mut self.state, k, speed);
    }

    /// The last solution's trials and error.
    pub fn last_solution(&self) -> Option<&SolveOutcome> {
        self.last.as_ref()
    }

    /// Warnings raised so far, in time order.
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// Solves the network at the current time (EPANET's `runhyd`): demands and
    /// controls, then the hydraulic solution. Returns the current time, s.
    ///
    /// # Errors
    /// [`HydraulicsError::IllConditioned`] when the equations cannot be solved;
    /// [`HydraulicsError::Unbalanced`] is not raised here: an unbalanced solution under
    /// `UNBALANCED STOP` ends the run at the next [`advance`](Self::advance), as in EPANET.
    pub fn solve(&mut self) -> Result<i64, HydraulicsError> {
        // A solution made whole replaces one left under way by [`Simulation::begin_solve`].
        self.trials = None;
        self.apply_demands();
        self.apply_controls();
        let outcome = solve(&self.network, &mut self.state, &mut self.system);
        self.conclude(outcome)
    }

    /// [`Simulation::solve`] in steps, so that the linear solves of several runs can be
    /// made together ([`Simulation::solve_trials_together`], or
    /// [`NodalSystem::solve_lanes`]): the demands and controls at the current time,
    /// then the trials. `Some` when the solution needs no trial. Each trial is
    /// [`Simulation::trial_system`], its system solved, then [`Simulation::end_trial`].
    pub fn begin_solve(&mut self) -> Option<Result<i64, HydraulicsError>> {
        self.apply_demands();
        self.apply_controls();
        let trials = Trials::start(&self.network, &mut self.state);
        if trials.done() {
            let outcome = trials.outcome(&self.network, &mut self.state);
            return Some(self.conclude(outcome));
        }
        self.trials = Some(trials);
        None
    }

    /// The next trial's system, assembled, and the junction heads to solve it into
    /// (after [`Simulation::begin_solve`]; `None` when no solution is under way).
    pub fn trial_system(&mut self) -> Option<(&mut NodalSystem, &mut [f64])> {
        let n = self.network.n_junctions;
        let trials = self.trials.as_ref()?;
        trials.assemble(&self.network, &mut self.state, &mut self.system);
        Some((&mut self.system, &mut self.state.head[..n]))
    }

    /// The linear solve of the next trial of each solution under way in `runs` (each
    /// after [`Simulation::begin_solve`]; `None` for a run with none): its system
    /// assembled and solved into the run's junction heads, as
    /// [`Simulation::trial_system`] and [`NodalSystem::solve`] make it, bit for bit.
    /// Copies of one run (whose systems share their structure) go four to a
    /// factorisation, their systems assembled straight into its lanes; the links'
    /// matrix terms of the four are made in one pass. Then [`Simulation::end_trial`]
    /// each run with its result.
    pub fn solve_trials_together(runs: &mut [&mut Simulation]) -> Vec<Option<Result<(), usize>>> {
        let mut solved = vec![None; runs.len()];
        let solving: Vec<usize> = (0..runs.len())
            .filter(|&i| runs[i].trials.is_some())
            .collect();
        let groups = crate::matrix::groups_of_copies(solving.len(), |a, b| {
            let (a, b) = (&runs[solving[a]].system, &runs[solving[b]].system);
            a.shares_structure(b)
        });
        for group in groups {
            let group = &solving[group];
            if let [alone] = group {
                let run = &mut *runs[*alone];
                solved[*alone] = run
                    .trial_system()
                    .map(|(system, heads)| system.solve(heads));
            } else {
                Simulation::solve_in_lanes(runs, group, &mut solved);
            }
        }
        solved
    }

    /// Frees this thread's work space of [`Simulation::solve_trials_together`] (four
    /// systems' values and their demands' terms, kept between trials so that a batch
    /// allocates them once): for the end of a batch, so that a long-lived process does
    /// not keep the largest network's.
    pub fn release_lane_space() {
        NodalSystem::release_lane_space();
        DEMAND_TERMS.with_borrow_mut(|terms| *terms = Default::default());
    }

    /// [`Simulation::solve_trials_together`] of two to four copies of one run, the
    /// runs `group` of `runs` (no allocation per trial: the lanes' views are arrays).
    fn solve_in_lanes(
        runs: &mut [&mut Simulation],
        group: &[usize],
        solved: &mut [Option<Result<(), usize>>],
    ) {
        for &i in group {
            let run = &mut *runs[i];
            crate::coeffs::headloss_coeffs(&run.network, &mut run.state);
            crate::coeffs::link_excesses(&mut run.state, run.system.link_slots());
        }
        let structure = runs[group[0]].system.structure();
        crate::matrix::in_lanes(&structure, |lanes| {
            // Each lane's state, in an array so that no trial allocates; the lanes past
            // the group hold its last run and are cut off before use.
            let states = [0, 1, 2, 3].map(|lane| &runs[group[lane.min(group.len() - 1)]].state);
            {
                let (slots, terms) = lanes.link_terms();
                crate::coeffs::link_terms_in_lanes(&states[..group.len()], slots, terms);
            }
            DEMAND_TERMS.with_borrow_mut(|demands| {
                for ((lane, &i), demands) in group.iter().enumerate().zip(demands.iter_mut()) {
                    let run = &mut *runs[i];
                    crate::coeffs::terms_before_merge(
                        &run.network,
                        &mut run.state,
                        &mut lanes.lane(lane),
                        demands,
                    );
                }
                let parts = [0, 1, 2, 3].map(|lane| {
                    let lane = lane.min(group.len() - 1);
                    (&runs[group[lane]].state, &demands[lane])
                });
                let (rows, aii, rhs) = lanes.junction_rows();
                crate::coeffs::demand_and_node_terms_in_lanes(
                    &parts[..group.len()],
                    rows,
                    aii,
                    rhs,
                );
            });
            for (lane, &i) in group.iter().enumerate() {
                let run = &mut *runs[i];
                crate::coeffs::valve_coeffs(&run.network, &mut run.state, &mut lanes.lane(lane));
            }
            let results = lanes.solve((1 << group.len()) - 1);
            for (lane, &i) in group.iter().enumerate() {
                let run = &mut *runs[i];
                if results[lane].is_ok() {
                    let n = run.network.n_junctions;
                    lanes.heads(lane, &mut run.state.head[..n]);
                }
                solved[i] = Some(results[lane]);
            }
        });
    }

    /// The rest of the trial once its system is solved (`solved`: what
    /// [`NodalSystem::solve`] gave); `Some` when the solution is over: the current time,
    /// s, or the error.
    pub fn end_trial(&mut self, solved: Result<(), usize>) -> Option<Result<i64, HydraulicsError>> {
        let trials = self.trials.as_mut()?;
        trials.end_trial(&self.network, &mut self.state, &self.system, solved);
        if !trials.done() {
            return None;
        }
        let outcome = trials.outcome(&self.network, &mut self.state);
        self.trials = None;
        Some(self.conclude(outcome))
    }

    /// What a solution's outcome means for the run: the error, the halt under
    /// `UNBALANCED STOP`, the warnings. Returns the current time, s.
    fn conclude(&mut self, outcome: Result<SolveOutcome, usize>) -> Result<i64, HydraulicsError> {
        let outcome = outcome.map_err(|node| HydraulicsError::IllConditioned {
            file: self.file.clone(),
            time_s: self.time,
            node: self.network.nodes[node].id.clone(),
        })?;
        let options = &self.network.options;
        if outcome.relative_error > options.accuracy && options.extra_iter == -1 {
            self.halted = true;
        }
        self.record_warnings(&outcome);
        self.last = Some(outcome);
        Ok(self.time)
    }

    /// Whether the last solution did not balance under `UNBALANCED STOP`, which ends
    /// the run.
    pub fn halted(&self) -> bool {
        self.halted
    }

    /// Advances to the next event (EPANET's `nexthyd`): returns the step taken, s, or 0
    /// when the run is over.
    pub fn advance(&mut self) -> i64 {
        let duration = self.network.times.duration;
        if self.halted {
            self.time = duration;
        }
        let mut step = 0;
        if self.time < duration {
            step = self.time_step();
        }
        if self.time < duration {
            self.time += step;
            if self.time >= self.report_time {
                self.report_time += self.network.times.report_step;
            }
        } else {
            self.time += 1;
        }
        step
    }

    /// EPANET's `demands`: junction demands, reservoir heads and pump speeds from their
    /// patterns at the current time.
    fn apply_demands(&mut self) {
        let net = &*self.network;
        let st = &mut self.state;
        let times = &net.times;
        let period = (self.time + times.pattern_start) / times.pattern_step;
        let factor = |pattern: usize| -> f64 {
            let factors = &net.patterns[pattern].factors;
            factors[(period % factors.len() as i64) as usize]
        };
        // Each pattern's factor of the period, found once, not once per demand, reservoir
        // or pump.
        let factors = &mut self.pattern_factors;
        factors.clear();
        factors.extend((0..net.patterns.len()).map(factor));
        factors.push(1.0);
        let demands = &*self.demands;
        let mut system_demand = 0.0;
        // Each junction's sum from 0, its categories in order.
        let full_demand = &mut st.full_demand[..net.n_junctions];
        full_demand.fill(0.0);
        for ((&i, base), &pattern) in demands
            .junction
            .iter()
            .zip(&demands.base)
            .zip(&demands.pattern)
        {
            let d = base * factors[pattern] * net.options.demand_multiplier;
            // Only positive demands count, without a branch that mixed signs would
            // mispredict: adding 0 to the total (never -0) leaves it as it was.
            system_demand += d.max(0.0);
            full_demand[i] += d;
        }
        st.demand_flow[..net.n_junctions].copy_from_slice(full_demand);
        for tank in &net.tanks {
            if tank.is_reservoir()
                && let Some(p) = tank.pattern
            {
                st.head[tank.node] = net.nodes[tank.node].elevation * factors[p];
            }
        }
        for pump in &net.pumps {
            if let Some(p) = pump.speed_pattern {
                let k = pump.link;
                set_link_setting(net, st, k, factors[p]);
            }
        }
        self.system_demand = system_demand;
    }

    /// EPANET's `controls`: simple controls on tank levels and times.
    fn apply_controls(&mut self) -> usize {
        let net = &*self.network;
        let st = &mut self.state;
        let mut changed = 0;
        let enabled = &self.control_enabled;
        for (_, control) in net.controls.iter().enumerate().filter(|(i, _)| enabled[*i]) {
            let k = control.link;
            let link = &net.links[k];
            let mut reset = false;
            if let Some(n) = control.node
                && let Some(t) = net.tank_of_node(n)
            {
                let h = st.head[n];
                let margin = st.node_demand[n].abs();
                let v1 = tank_volume(net, t, h);
                let v2 = tank_volume(net, t, control.grade);
                if control.kind == ControlKind::LowLevel && v1 <= v2 + margin {
                    reset = true;
                }
                if control.kind == ControlKind::HighLevel && v1 >= v2 - margin {
                    reset = true;
                }
            }
            if control.kind == ControlKind::Timer && control.time == self.time {
                reset = true;
            }
            if control.kind == ControlKind::TimeOfDay
                && (self.time + net.times.start_clock) % SECONDS_PER_DAY == control.time
            {
                reset = true;
            }
            if !reset {
                continue;
            }
            let s1 = if st.status[k] <= Status::Closed {
                Status::Closed
            } else {
                Status::Open
            };
            let s2 = control.status;
            let k1 = st.setting[k];
            let k2 = if link.kind > LinkKind::Pipe {
                control.setting
            } else {
                k1
            };
            if link.kind == LinkKind::Pump && s1 == Status::Closed && s2 == Status::Open {
                reset_pump_flow(net, st, k);
            }
            if s1 != s2 || k1 != k2 {
                st.status[k] = s2;
                st.setting[k] = k2;
                if link.kind == LinkKind::Pcv {
                    st.resistance[k] = pcv_loss_coefficient(net, k, k2);
                }
                changed += 1;
            }
        }
        changed
    }

    /// EPANET's `timestep`: the next step, s, with the tanks moved over it.
    fn time_step(&mut self) -> i64 {
        let times = &self.network.times;
        let mut step = self.hydraulic_step;
        let next_period = (self.time + times.pattern_start) / times.pattern_step + 1;
        let t = next_period * times.pattern_step - self.time;
        if t > 0 && t < step {
            step = t;
        }
        let t = self.report_time - self.time;
        if t > 0 && t < step {
            step = t;
        }
        self.tank_time_step(&mut step);
        self.control_time_step(&mut step);
        if self.network.rules.is_empty() {
            self.move_tanks(step);
        } else {
            self.rule_time_step(&mut step);
        }
        step
    }

    /// EPANET's `tanktimestep`: shortens `step` to the time a tank fills or drains.
    fn tank_time_step(&self, step: &mut i64) {
        let net = &*self.network;
        let st = &self.state;
        for (i, tank) in net.tanks.iter().enumerate() {
            if tank.is_reservoir() {
                continue;
            }
            let n = tank.node;
            let h = st.head[n];
            let q = st.node_demand[n];
            if q.abs() <= QZERO {
                continue;
            }
            let v = if q > 0.0 && h < tank.h_max {
                tank.v_max - st.tank_volume[i]
            } else if q < 0.0 && h > tank.h_min {
                tank.v_min - st.tank_volume[i]
            } else {
                continue;
            };
            let xt = v / q;
            if xt.abs() > (*step + 1) as f64 {
                continue;
            }
            let t = round(xt);
            if t > 0 && t < *step {
                *step = t;
            }
        }
    }

    /// EPANET's `controltimestep`: shortens `step` to the time a control comes due and
    /// would change its link.
    fn control_time_step(&self, step: &mut i64) {
        let net = &*self.network;
        let st = &self.state;
        let enabled = &self.control_enabled;
        for (_, control) in net.controls.iter().enumerate().filter(|(i, _)| enabled[*i]) {
            let mut t = 0;
            if let Some(n) = control.node {
                let Some(j) = net.tank_of_node(n) else {
                    continue;
                };
                let h = st.head[n];
                let q = st.node_demand[n];
                if q.abs() <= QZERO {
                    continue;
                }
                if (h < control.grade && control.kind == ControlKind::HighLevel && q > 0.0)
                    || (h > control.grade && control.kind == ControlKind::LowLevel && q < 0.0)
                {
                    let v = tank_volume(net, j, control.grade) - st.tank_volume[j];
                    t = round(v / q);
                }
            }
            if control.kind == ControlKind::Timer && control.time > self.time {
                t = control.time - self.time;
            }
            if control.kind == ControlKind::TimeOfDay {
                let t1 = (self.time + net.times.start_clock) % SECONDS_PER_DAY;
                let t2 = control.time;
                t = if t2 >= t1 {
                    t2 - t1
                } else {
                    SECONDS_PER_DAY - t1 + t2
                };
            }
            if t > 0 && t < *step {
                let k = control.link;
                if (net.links[k].kind > LinkKind::Pipe && st.setting[k] != control.setting)
                    || st.status[k] != control.status
                {
                    *step = t;
                }
            }
        }
    }

    /// EPANET's `tanklevels`: moves each tank's volume and level over `step` s.
    fn move_tanks(&mut self, step: i64) {
        let net = &*self.network;
        let st = &mut self.state;
        for (i, tank) in net.tanks.iter().enumerate() {
            if tank.is_reservoir() {
                continue;
            }
            let n = tank.node;
            let q = st.node_demand[n];
            if q.abs() <= QZERO {
                continue;
            }
            st.tank_volume[i] += q * step as f64;
            if st.tank_volume[i] + q >= tank.v_max {
                st.tank_volume[i] = tank.v_max;
            } else if st.tank_volume[i] - q <= tank.v_min {
                st.tank_volume[i] = tank.v_min;
            }
            st.head[n] = tank_grade(net, i, st.tank_volume[i]);
        }
    }

    /// EPANET's `writehydwarn`, as values.
    fn record_warnings(&mut self, outcome: &SolveOutcome) {
        let net = &*self.network;
        let st = &self.state;
        let options = &net.options;
        let time_s = self.time;
        let mut push = |kind, element: Option<&str>| {
            self.warnings.push(Warning {
                time_s,
                kind,
                element: element.map(str::to_string),
            })
        };
        let extra = outcome.iterations > options.max_iter;
        if extra && outcome.relative_error <= options.accuracy {
            push(WarningKind::Unstable, None);
        }
        if options.demand_model == DemandModel::DemandDriven
            && (0..net.n_junctions).any(|i| st.head[i] < st.elevation[i] && st.node_demand[i] > 0.0)
        {
            push(WarningKind::NegativePressure, None);
        }
        for valve in &net.valves {
            if st.status[valve.link] >= Status::XFcv {
                push(
                    WarningKind::ValveCannotDeliver,
                    Some(&net.links[valve.link].id),
                );
            }
        }
        for pump in &net.pumps {
            let k = pump.link;
            let mut s = st.status[k];
            if s >= Status::Open {
                if st.flow[k] > st.setting[k] * pump.q_max {
                    s = Status::XFlow;
                }
                if st.flow[k] < 0.0 {
                    s = Status::XHead;
                }
            }
            if s == Status::XHead || s == Status::XFlow {
                push(WarningKind::PumpOutOfRange, Some(&net.links[k].id));
            }
        }
        if extra && outcome.relative_error > options.accuracy {
            push(WarningKind::Unbalanced, None);
        }
    }
}

/// EPANET's `tankvolume`: volume of tank `i` at head `h` ft, ft³.
pub fn tank_volume(net: &Network, i: usize, h: f64) -> f64 {
    let tank = &net.tanks[i];
    match tank.volume_curve {
        None => tank.v_min + (h - tank.h_min) * tank.area,
        Some(c) => {
            let curve = &net.curves[c];
            let level = (h - net.nodes[tank.node].elevation) * net.units.head_factor;
            interpolate(&curve.x, &curve.y, level) / net.units.volume_factor
        }
    }
}

/// EPANET's `tankgrade`: head of tank `i` holding volume `v` ft³, ft.
pub fn tank_grade(net: &Network, i: usize, v: f64) -> f64 {
    let tank = &net.tanks[i];
    match tank.volume_curve {
        None => tank.h_min + (v - tank.v_min) / tank.area,
        Some(c) => {
            let curve = &net.curves[c];
            let level = interpolate(&curve.y, &curve.x, v * net.units.volume_factor);
            net.nodes[tank.node].elevation + level / net.units.head_factor
        }
    }
}
