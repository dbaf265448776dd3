//! Rule-based controls during a run: EPANET 2.3's `ruletimestep` (`hydraul.c`) and
//! `checkrules`, `evalpremises`, `checkpremise`, `checktime`, `checkstatus`,
//! `checkvalue`, `updateactionlist`, `onactionlist` and `takeactions` (`rules.c`), with
//! the same arithmetic, tolerances (0.001 in file units) and order: the action list is
//! built by putting each new link's action in front, a link's action is replaced only
//! by a rule of strictly higher priority, and actions are taken from the front.
//!
//! Per simulation, a rule's actions can be rewritten ([`Simulation::set_rule_action`],
//! EPANET's `EN_setthenaction` / `EN_setelseaction`), e.g. to hold a link against the
//! rules; the network's rules stay as read.

use super::Simulation;
use super::links::{set_link_setting, set_status};
use crate::model::{
    Action, LinkKind, LogicalOp, MISSING, Network, Premise, Relation, RuleObject, RuleStatus,
    RuleVariable, SECONDS_PER_DAY, Status, TINY,
};
use crate::state::HydraulicState;

/// EPANET's tolerance when comparing values and settings, in file units.
const TOL: f64 = 1.0e-3;

/// What a premise sees: the network, the state and the times of the rule interval.
struct View<'a> {
    net: &'a Network,
    st: &'a HydraulicState,
    system_demand: f64,
    /// Start of the evaluation interval, s (EPANET's `Time1`).
    time1: i64,
    /// Its end, s (EPANET's `Htime` during `ruletimestep`).
    time2: i64,
}

impl Simulation {
    /// The number of rules.
    pub fn rule_count(&self) -> usize {
        self.rule_actions.len()
    }

    /// Action `action` (0-based) of rule `rule` (0-based): a THEN action when `then`, an
    /// ELSE action otherwise, as this simulation takes it (settings in file units).
    pub fn rule_action(&self, rule: usize, action: usize, then: bool) -> Option<&Action> {
        let (t, e) = self.rule_actions.get(rule)?;
        if then { t.get(action) } else { e.get(action) }
    }

    /// Rewrites the status and setting (file units, or [`MISSING`]) of a rule's action
    /// for this simulation, as EPANET's `EN_setthenaction` / `EN_setelseaction` with the
    /// same link. Returns `false` when there is no such action.
    pub fn set_rule_action(
        &mut self,
        rule: usize,
        action: usize,
        then: bool,
        status: Option<RuleStatus>,
        setting: f64,
    ) -> bool {
        let Some((t, e)) = self.rule_actions.get_mut(rule) else {
            return false;
        };
        let list = if then { t } else { e };
        match list.get_mut(action) {
            Some(a) => {
                a.status = status;
                a.setting = setting;
                true
            }
            None => false,
        }
    }

    /// EPANET's `ruletimestep`: moves the tanks one rule step at a time until a rule
    /// acts or `step` is used up; `step` becomes the time actually taken, s.
    pub(super) fn rule_time_step(&mut self, step: &mut i64) {
        let tnow = self.time;
        let tmax = tnow + *step;
        // EPANET divides by the rule step; a zero one (hydraulic step under 10 s and no
        // RULE TIMESTEP) would stop it, here it counts as 1 s.
        let rule_step = self.network.times.rule_step.max(1);
        let mut dt = rule_step.min(*step);
        let mut dt1 = (rule_step - tnow % rule_step).min(*step);
        if dt1 == 0 {
            dt1 = dt;
        }
        let mut htime = tnow;
        loop {
            htime += dt1;
            self.move_tanks(dt1);
            if self.check_rules(htime, dt1) > 0 {
                break;
            }
            dt = dt.min(tmax - htime);
            dt1 = dt;
            if dt <= 0 {
                break;
            }
        }
        *step = htime - tnow;
    }

    /// EPANET's `checkrules` at time `htime` over the last `dt` s: the number of actions
    /// that changed a link.
    fn check_rules(&mut self, htime: i64, dt: i64) -> usize {
        let net = &*self.network;
        let view = View {
            net,
            st: &self.state,
            system_demand: self.system_demand,
            time1: htime - dt + 1,
            time2: htime,
        };
        // (rule, action) in the order EPANET's list holds them reversed.
        let mut list: Vec<(usize, &Action)> = Vec::new();
        for (i, rule) in net.rules.iter().enumerate() {
            if !rule.enabled {
                continue;
            }
            let (then, other) = &self.rule_actions[i];
            let actions = if view.eval_premises(&rule.premises) {
                then
            } else {
                other
            };
            for a in actions {
                match list.iter_mut().find(|(_, b)| b.link == a.link) {
                    Some(item) => {
                        if rule.priority > net.rules[item.0].priority {
                            *item = (i, a);
                        }
                    }
                    None => list.push((i, a)),
                }
            }
        }
        let actions: Vec<Action> = list.iter().rev().map(|(_, a)| (*a).clone()).collect();
        take_actions(net, &mut self.state, &actions)
    }
}

/// EPANET's `takeactions`: the number of actions that changed their link.
fn take_actions(net: &Network, st: &mut HydraulicState, actions: &[Action]) -> usize {
    let mut n = 0;
    for a in actions {
        let k = a.link;
        let s = st.status[k];
        let v = st.setting[k];
        let mut x = a.setting;
        let mut changed = false;
        if a.status == Some(RuleStatus::Open) && s <= Status::Closed {
            set_status(net, st, k, true);
            changed = true;
        } else if a.status == Some(RuleStatus::Closed) && s > Status::Closed {
            set_status(net, st, k, false);
            changed = true;
        } else if x != MISSING {
            match net.links[k].kind {
                LinkKind::Prv | LinkKind::Psv | LinkKind::Pbv => x /= net.units.pressure_factor,
                LinkKind::Fcv => x /= net.units.flow_factor,
                _ => {}
            }
            if (x - v).abs() > TOL {
                set_link_setting(net, st, k, x);
                changed = true;
            }
        }
        if changed {
            n += 1;
        }
    }
    n
}

impl View<'_> {
    /// EPANET's `evalpremises`: AND binds as it comes, an OR premise is tested only when
    /// what came before is false.
    fn eval_premises(&self, premises: &[Premise]) -> bool {
        let mut result = true;
        for p in premises {
            if p.logop == LogicalOp::Or {
                if !result {
                    result = self.check_premise(p);
                }
            } else {
                if !result {
                    return false;
                }
                result = self.check_premise(p);
            }
        }
        result
    }

    /// EPANET's `checkpremise`.
    fn check_premise(&self, p: &Premise) -> bool {
        if matches!(p.variable, RuleVariable::Time | RuleVariable::ClockTime) {
            self.check_time(p)
        } else if p.status.is_some() {
            self.check_status(p)
        } else {
            self.check_value(p)
        }
    }

    /// EPANET's `checktime`: inequalities against the end of the interval, equality
    /// when the time falls within it.
    fn check_time(&self, p: &Premise) -> bool {
        let (t1, t2) = match p.variable {
            RuleVariable::Time => (self.time1, self.time2),
            RuleVariable::ClockTime => {
                let start = self.net.times.start_clock;
                (
                    (self.time1 + start) % SECONDS_PER_DAY,
                    (self.time2 + start) % SECONDS_PER_DAY,
                )
            }
            _ => return false,
        };
        let x = p.value as i64;
        match p.relation {
            Relation::Lt => t2 < x,
            Relation::Le => t2 <= x,
            Relation::Gt => t2 > x,
            Relation::Ge => t2 >= x,
            Relation::Eq | Relation::Ne => {
                let within = if t2 < t1 {
                    x >= t1 || x <= t2
                } else {
                    x >= t1 && x <= t2
                };
                within == (p.relation == Relation::Eq)
            }
        }
    }

    /// EPANET's `checkstatus`.
    fn check_status(&self, p: &Premise) -> bool {
        let RuleObject::Link(k) = p.object else {
            return false;
        };
        let s = self.st.status[k];
        let j = if s <= Status::Closed {
            RuleStatus::Closed
        } else if s == Status::Active {
            RuleStatus::Active
        } else {
            RuleStatus::Open
        };
        match p.relation {
            Relation::Eq => Some(j) == p.status,
            Relation::Ne => Some(j) != p.status,
            _ => false,
        }
    }

    /// The value a premise tests, in file units or seconds (EPANET's `checkvalue`
    /// first half); `None` when the premise cannot hold.
    fn value_of(&self, p: &Premise) -> Option<f64> {
        let (net, st, u) = (self.net, self.st, &self.net.units);
        let index = match p.object {
            RuleObject::Node(i) | RuleObject::Link(i) => i,
            RuleObject::System => 0,
        };
        let i = index;
        Some(match p.variable {
            RuleVariable::Demand if p.object == RuleObject::System => {
                self.system_demand * u.flow_factor
            }
            RuleVariable::Demand => st.node_demand[i] * u.flow_factor,
            RuleVariable::Head | RuleVariable::Grade => st.head[i] * u.head_factor,
            RuleVariable::Pressure => (st.head[i] - net.nodes[i].elevation) * u.pressure_factor,
            RuleVariable::Level => (st.head[i] - net.nodes[i].elevation) * u.head_factor,
            RuleVariable::Flow => st.flow[i].abs() * u.flow_factor,
            RuleVariable::Setting => {
                let x = st.setting[i];
                if x == MISSING {
                    return None;
                }
                match net.links[i].kind {
                    LinkKind::Prv | LinkKind::Psv | LinkKind::Pbv => x * u.pressure_factor,
                    LinkKind::Fcv => x * u.flow_factor,
                    _ => x,
                }
            }
            RuleVariable::FillTime | RuleVariable::DrainTime => {
                let j = net.tank_of_node(i)?;
                let tank = &net.tanks[j];
                let q = st.node_demand[i];
                if tank.area == 0.0 {
                    return None;
                }
                if p.variable == RuleVariable::FillTime {
                    if q <= TINY {
                        return None;
                    }
                    (tank.v_max - st.tank_volume[j]) / q
                } else {
                    if q >= -TINY {
                        return None;
                    }
                    (tank.v_min - st.tank_volume[j]) / q
                }
            }
            _ => return None,
        })
    }

    /// EPANET's `checkvalue`: the comparison within 0.001.
    fn check_value(&self, p: &Premise) -> bool {
        let Some(x) = self.value_of(p) else {
            return false;
        };
        let v = p.value;
        match p.relation {
            Relation::Eq => (x - v).abs() <= TOL,
            Relation::Ne => (x - v).abs() >= TOL,
            Relation::Lt => x <= v + TOL,
            Relation::Le => x <= v - TOL,
            Relation::Gt => x >= v - TOL,
            Relation::Ge => x >= v + TOL,
        }
    }
}
