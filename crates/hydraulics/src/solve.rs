//! One hydraulic solution by Todini's Global Gradient Algorithm (EPANET 2.3's
//! `hydsolver.c`): heads in ft, flows in cfs.
//!
//! The order of operations, constants and convergence tests are EPANET's. Left out:
//! the status report (`writerelerr`, `reporthydbal`, `writestatchange`,
//! `writehyderr`) and EPANET 2.3's leakage model (`newleakageflows`,
//! `leakagehasconverged`; `HasLeakage` is false). PDA's count of deficient nodes and
//! demand reduction (reporting only) are not kept.

pub use crate::coeffs::{pcv_loss_coefficient, resistance};

use crate::coeffs::{demand_headloss, emitter_headloss, headloss_coeffs, matrix_coeffs, sgn};
use crate::matrix::{LinkSlots, NodalSystem};
use crate::model::{ControlKind, DemandModel, LinkKind, Network, PumpCurveKind, Status};
use crate::pow::pow;
use crate::state::HydraulicState;
use crate::status::{link_status, valve_status};

/// EPANET's `MINPDIFF`: the smallest pressure range of pressure-dependent demands, ft
/// (EPANET uses it unconverted).
const MINPDIFF: f64 = 0.1;

/// How one hydraulic solution went.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SolveOutcome {
    /// Trials made, as EPANET counts them (`Iterations`; one past the limit when the
    /// trials ran out).
    pub iterations: u32,
    /// Sum of flow changes over sum of flows at the last trial (dimensionless).
    pub relative_error: f64,
    /// Largest head-loss error of a link at the last convergence check, ft.
    pub max_head_error: f64,
    /// Largest flow change at the last trial, cfs.
    pub max_flow_change: f64,
    /// False when the trials ran out with `relative_error > accuracy` (the caller
    /// decides between `UNBALANCED STOP` and `CONTINUE`).
    pub converged: bool,
}

/// EPANET's `Hydbalance`: the hydraulic balance errors of the current solution.
#[derive(Debug, Clone, Copy, Default)]
struct Balance {
    max_head_error: f64,
    max_flow_change: f64,
}

/// What a trial's convergence test decided.
enum TrialEnd {
    /// Stop iterating.
    Stop,
    /// Go on with the next trial.
    Next,
}

/// EPANET's `hydsolve`: solves the network's heads and flows for its current demands,
/// statuses and settings, starting from the flows in `st`. `Err(junction)` when the
/// system is ill-conditioned at that junction and no control valve could be fixed
/// (EPANET error 110); junction outflows are saved either way.
pub fn solve(
    net: &Network,
    st: &mut HydraulicState,
    sys: &mut NodalSystem,
) -> Result<SolveOutcome, usize> {
    let mut trials = Trials::start(net, st);
    while !trials.done() {
        trials.assemble(net, st, sys);
        let solved = sys.solve(&mut st.head[..net.n_junctions]);
        trials.end_trial(net, st, sys, solved);
    }
    trials.outcome(net, st)
}

/// One hydraulic solution under way, trial by trial: `hydsolve`'s loop, its variables
/// kept between trials so that the linear solves of several runs can be made together
/// ([`crate::Simulation::solve_trials_together`]) while each run's trials stay its own. A run's
/// solution is [`solve`]'s, bit for bit, however its trials are interleaved with
/// others'.
#[derive(Debug, Clone)]
pub struct Trials {
    /// The trial under way, 1-based (`Iterations`).
    iter: u32,
    /// Trials allowed (`MaxIter` + `ExtraIter`).
    max_trials: u32,
    /// The trial of the next periodic status check (`nextcheck`).
    next_check: u32,
    bal: Balance,
    /// Relative flow change of the last trial.
    relerr: f64,
    /// The junction where the system was ill-conditioned.
    error: Option<usize>,
    /// Whether the trials are over.
    done: bool,
}

impl Trials {
    /// Starts a solution from the flows in `st`.
    pub fn start(net: &Network, st: &mut HydraulicState) -> Trials {
        let o = &net.options;
        let mut max_trials = o.max_iter;
        if o.extra_iter > 0 {
            max_trials += o.extra_iter.unsigned_abs();
        }
        st.relax = 1.0;
        list_demand_junctions(net, st);
        Trials {
            iter: 1,
            max_trials,
            next_check: o.check_freq,
            bal: Balance::default(),
            relerr: 0.0,
            error: None,
            done: max_trials < 1,
        }
    }

    /// Whether the trials are over (then [`Trials::outcome`]).
    pub fn done(&self) -> bool {
        self.done
    }

    /// Assembles the next trial's system into `sys`: the head-loss coefficients of
    /// every link, then the matrix. Solve it into the junction heads of `st`, then
    /// [`Trials::end_trial`].
    pub fn assemble(&self, net: &Network, st: &mut HydraulicState, sys: &mut NodalSystem) {
        headloss_coeffs(net, st);
        matrix_coeffs(net, st, sys);
    }

    /// The rest of the trial once its system is solved (`solved`: what
    /// [`NodalSystem::solve`] gave).
    pub fn end_trial(
        &mut self,
        net: &Network,
        st: &mut HydraulicState,
        sys: &NodalSystem,
        solved: Result<(), usize>,
    ) {
        if let Err(node) = solved {
            // A control valve fixed: the trial is made again.
            if !bad_valve(net, st, node) {
                self.error = Some(node);
                self.done = true;
            }
            return;
        }
        self.relerr = new_flows(net, sys.link_slots(), st, &mut self.bal);
        if let TrialEnd::Stop = end_of_trial(
            net,
            st,
            &mut self.bal,
            self.relerr,
            self.iter,
            &mut self.next_check,
        ) {
            self.done = true;
            return;
        }
        self.iter += 1;
        self.done = self.iter > self.max_trials;
    }

    /// The solution's outcome, the junction outflows saved into `st`.
    pub fn outcome(&self, net: &Network, st: &mut HydraulicState) -> Result<SolveOutcome, usize> {
        // Total outflow at each junction (+ LeakageFlow, 0 without the leakage model).
        for i in 0..net.n_junctions {
            st.node_demand[i] = st.demand_flow[i] + st.emitter_flow[i] + st.leakage_flow[i];
        }
        match self.error {
            Some(node) => Err(node),
            None => Ok(SolveOutcome {
                iterations: self.iter,
                relative_error: self.relerr,
                max_head_error: self.bal.max_head_error,
                max_flow_change: self.bal.max_flow_change,
                converged: self.relerr <= net.options.accuracy,
            }),
        }
    }
}

/// The rest of one trial of `hydsolve` after the flows are updated: damping, valve
/// checks, the convergence test and the periodic status checks.
fn end_of_trial(
    net: &Network,
    st: &mut HydraulicState,
    bal: &mut Balance,
    relerr: f64,
    iter: u32,
    next_check: &mut u32,
) -> TrialEnd {
    let o = &net.options;
    st.relax = 1.0;
    let mut valve_change = false;
    if o.damp_limit > 0.0 {
        if relerr <= o.damp_limit {
            st.relax = 0.6;
            valve_change = valve_status(net, st);
        }
    } else {
        valve_change = valve_status(net, st);
    }
    if has_converged(net, st, relerr, bal) {
        if iter > o.max_iter {
            return TrialEnd::Stop;
        }
        let mut stat_change = valve_change;
        if link_status(net, st) {
            stat_change = true;
        }
        if pswitch(net, st) {
            stat_change = true;
        }
        if !stat_change {
            return TrialEnd::Stop;
        }
        *next_check = iter + o.check_freq;
    } else if iter <= o.max_check && iter == *next_check {
        link_status(net, st);
        *next_check += o.check_freq;
    }
    TrialEnd::Next
}

/// Lists the junctions the pressure-dependent passes go through (EPANET's test: a full
/// demand not zero or less), so that each trial does not test every junction. No
/// branch per junction: it would be mispredicted where demands and zeros alternate.
/// Demand-driven solutions have no such pass, and no list.
fn list_demand_junctions(net: &Network, st: &mut HydraulicState) {
    let listed = &mut st.demand_junctions;
    if net.options.demand_model == DemandModel::DemandDriven {
        listed.clear();
        return;
    }
    listed.resize(net.n_junctions, 0);
    let mut len = 0;
    for (i, &full) in st.full_demand[..net.n_junctions].iter().enumerate() {
        listed[len] = i as u32;
        len += usize::from(full > 0.0 || full.is_nan());
    }
    listed.truncate(len);
}

/// EPANET's `badvalve`: if junction `n` is an end of an active PRV, PSV or FCV, fixes
/// that valve's status (`XPressure` / `XFcv`) and returns true. Only the first valve
/// with `n` as an end is examined, as in EPANET.
fn bad_valve(net: &Network, st: &mut HydraulicState, n: usize) -> bool {
    for valve in &net.valves {
        let k = valve.link;
        let link = &net.links[k];
        if n == link.from || n == link.to {
            if matches!(link.kind, LinkKind::Prv | LinkKind::Psv | LinkKind::Fcv)
                && st.status[k] == Status::Active
            {
                st.status[k] = if link.kind == LinkKind::Fcv {
                    Status::XFcv
                } else {
                    Status::XPressure
                };
                return true;
            }
            return false;
        }
    }
    false
}

/// EPANET's `pswitch`: applies the level controls on junction heads once a solution is
/// found; true if any link's status or setting changed. As in EPANET 2.3, the control's
/// `enabled` flag is not consulted here.
fn pswitch(net: &Network, st: &mut HydraulicState) -> bool {
    let htol = net.options.htol;
    let mut any_change = false;
    for c in &net.controls {
        let k = c.link;
        let mut reset = false;
        if let Some(n) = c.node.filter(|&n| n < net.n_junctions) {
            if c.kind == ControlKind::LowLevel && st.head[n] <= c.grade + htol {
                reset = true;
            }
            if c.kind == ControlKind::HighLevel && st.head[n] >= c.grade - htol {
                reset = true;
            }
        }
        if !reset {
            continue;
        }
        let kind = net.links[k].kind;
        let s = st.status[k];
        let mut change = false;
        if kind == LinkKind::Pipe && s != c.status {
            change = true;
        }
        if kind == LinkKind::Pump && st.setting[k] != c.setting {
            change = true;
        }
        if kind >= LinkKind::Prv
            && (st.setting[k] != c.setting
                || (st.setting[k] == crate::model::MISSING && s != c.status))
        {
            change = true;
        }
        if change {
            st.status[k] = c.status;
            if kind > LinkKind::Pipe {
                st.setting[k] = c.setting;
            }
            any_change = true;
        }
    }
    any_change
}

/// EPANET's `newflows`: updates link, emitter and demand flows from the new heads;
/// returns the relative flow change.
fn new_flows(
    net: &Network,
    slots: &[LinkSlots],
    st: &mut HydraulicState,
    bal: &mut Balance,
) -> f64 {
    let mut qsum = 0.0;
    let mut dqsum = 0.0;
    bal.max_flow_change = 0.0;
    new_link_flows(net, slots, st, bal, &mut qsum, &mut dqsum);
    new_emitter_flows(net, st, bal, &mut qsum, &mut dqsum);
    new_demand_flows(net, st, bal, &mut qsum, &mut dqsum);
    // EPANET 2.3: `if (hyd->HasLeakage) newleakageflows(...)` — leakage not modelled.
    if qsum > net.options.accuracy {
        dqsum / qsum
    } else {
        dqsum
    }
}

/// EPANET's `newlinkflows`, with the net inflow of each fixed-head node, in three
/// passes: each link's flow change and new flow (no link depends on another), then the
/// sums in link order, then the fixed-head nodes' inflows from the links that reach one.
/// One loop doing all three carries the sums from link to link through memory; apart,
/// each sum's chain of additions stays in a register. Each value is made by the same
/// operations in the same order as in EPANET.
fn new_link_flows(
    net: &Network,
    slots: &[LinkSlots],
    st: &mut HydraulicState,
    bal: &mut Balance,
    qsum: &mut f64,
    dqsum: &mut f64,
) {
    let relax = st.relax;
    let change = &mut st.flow_change;
    change.resize(slots.len(), 0.0);
    for (((dq, link), &y), &p) in change.iter_mut().zip(slots).zip(&st.y).zip(&st.p) {
        let dh = st.head[link.from as usize] - st.head[link.to as usize];
        *dq = (y - p * dh) * relax;
    }
    // A constant-power pump's flow is at most halved.
    for pump in &net.pumps {
        let k = pump.link;
        if pump.curve_kind == PumpCurveKind::ConstantPower && change[k] > st.flow[k] {
            change[k] = st.flow[k] / 2.0;
        }
    }
    for (flow, &dq) in st.flow.iter_mut().zip(change.iter()) {
        *flow -= dq;
    }
    let (mut q, mut d, mut largest) = (*qsum, *dqsum, bal.max_flow_change);
    for (&flow, &dq) in st.flow.iter().zip(change.iter()) {
        q += flow.abs();
        d += dq.abs();
        if dq.abs() > largest {
            largest = dq.abs();
        }
    }
    (*qsum, *dqsum, bal.max_flow_change) = (q, d, largest);
    let nj = net.n_junctions;
    st.node_demand[nj..].fill(0.0);
    for &k in st.fixed_head_links.iter() {
        let k = k as usize;
        if st.status[k] > Status::Closed {
            let link = &slots[k];
            if link.from_row == 0 {
                st.node_demand[link.from as usize] -= st.flow[k];
            }
            if link.to_row == 0 {
                st.node_demand[link.to as usize] += st.flow[k];
            }
        }
    }
}

/// EPANET's `newemitterflows`.
fn new_emitter_flows(
    net: &Network,
    st: &mut HydraulicState,
    bal: &mut Balance,
    qsum: &mut f64,
    dqsum: &mut f64,
) {
    for e in 0..st.emitter_junctions.len() {
        let i = st.emitter_junctions[e] as usize;
        let (hloss, hgrad) = emitter_headloss(net, st, i);
        let dh = st.head[i] - st.elevation[i];
        let mut dq = (hloss - dh) / hgrad;
        dq *= st.relax;
        st.emitter_flow[i] -= dq;
        *qsum += st.emitter_flow[i].abs();
        *dqsum += dq.abs();
        if dq.abs() > bal.max_flow_change {
            bal.max_flow_change = dq.abs();
        }
    }
}

/// EPANET's `newdemandflows`: pressure-dependent demand flows.
fn new_demand_flows(
    net: &Network,
    st: &mut HydraulicState,
    bal: &mut Balance,
    qsum: &mut f64,
    dqsum: &mut f64,
) {
    let o = &net.options;
    if o.demand_model == DemandModel::DemandDriven {
        return;
    }
    let dp = (o.p_required - o.p_min).max(MINPDIFF);
    let n = 1.0 / o.pexp;
    let junctions = std::mem::take(&mut st.demand_junctions);
    for &i in &junctions {
        let i = i as usize;
        let (hloss, hgrad) = st.demand_coeffs[i]
            .of(st.demand_flow[i], st.full_demand[i], dp)
            .unwrap_or_else(|| demand_headloss(st, i, dp, n));
        let dh = st.head[i] - st.elevation[i] - o.p_min;
        let mut dq = (hloss - dh) / hgrad;
        dq *= st.relax;
        if dq.abs() > 0.4 * st.full_demand[i] {
            dq = 0.4 * sgn(dq) * st.full_demand[i];
        }
        st.demand_flow[i] -= dq;
        *qsum += st.demand_flow[i].abs();
        *dqsum += dq.abs();
        if dq.abs() > bal.max_flow_change {
            bal.max_flow_change = dq.abs();
        }
    }
    st.demand_junctions = junctions;
}

/// EPANET's `checkhydbalance`: the largest head-loss error of an open link, ft.
fn check_hyd_balance(net: &Network, st: &mut HydraulicState, bal: &mut Balance) {
    bal.max_head_error = 0.0;
    headloss_coeffs(net, st);
    for (k, link) in net.links.iter().enumerate() {
        if st.status[k] <= Status::Closed || st.p[k] == 0.0 {
            continue;
        }
        let dh = st.head[link.from] - st.head[link.to];
        let headloss = st.y[k] / st.p[k];
        let error = (dh - headloss).abs();
        if error > bal.max_head_error {
            bal.max_head_error = error;
        }
    }
}

/// EPANET's `hasconverged`.
fn has_converged(net: &Network, st: &mut HydraulicState, relerr: f64, bal: &mut Balance) -> bool {
    let o = &net.options;
    if relerr > o.accuracy {
        return false;
    }
    check_hyd_balance(net, st, bal);
    if o.head_error_limit > 0.0 && bal.max_head_error > o.head_error_limit {
        return false;
    }
    if o.flow_change_limit > 0.0 && bal.max_flow_change > o.flow_change_limit {
        return false;
    }
    // EPANET 2.3: `if (hyd->HasLeakage && !leakagehasconverged(pr)) return 0;`
    if o.demand_model == DemandModel::PressureDriven {
        return pda_converged(net, st);
    }
    true
}

/// EPANET's `pdaconverged`: whether each pressure-dependent demand matches the demand
/// function at the current pressure within 0.0001 cfs.
fn pda_converged(net: &Network, st: &HydraulicState) -> bool {
    const QTOL: f64 = 0.0001;
    let o = &net.options;
    let dp = o.p_required - o.p_min;
    let mut converged = true;
    for &i in &st.demand_junctions {
        let i = i as usize;
        let full = st.full_demand[i];
        let p = st.head[i] - st.elevation[i];
        let q = if p <= o.p_min {
            0.0
        } else if p >= o.p_required {
            full
        } else {
            full * pow((p - o.p_min) / dp, o.pexp)
        };
        if (q - st.demand_flow[i]).abs() > QTOL {
            converged = false;
        }
    }
    converged
}
