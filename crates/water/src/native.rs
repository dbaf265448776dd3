//! The native engine behind [`Simulation`](crate::Simulation): the network read by
//! `lifeline-hydraulics` with the simulation's options applied as EPANET's toolkit
//! calls would apply them, its state read in SI, and links held open or closed as the
//! EPANET path holds them (the link's simple controls disabled, the rule actions on it
//! rewritten to the held status, its status set; all given back on restore).

use crate::error::WaterError;
use crate::network::NetworkInfo;
use crate::simulation::{DemandModel, HydraulicState, LinkChange, Override, SimulationOptions};
use lifeline_hydraulics::Network;
use lifeline_hydraulics::model::{DemandModel as NativeDemandModel, RuleStatus, Status};
use lifeline_hydraulics::results::{ReportPoint, read_point};
use lifeline_hydraulics::simulation::Simulation as Native;
use std::collections::HashMap;

/// Trials per solve when a run goes on after unbalanced solves (as the EPANET path).
const MIN_TRIALS: u32 = 200;

/// Reads `text` and applies `options` (demand model, duration, going on when
/// unbalanced) the way `EN_setdemandmodel`, `EN_settimeparam` and `EN_setoption` do.
pub(crate) fn network(
    text: &str,
    file: &str,
    info: &NetworkInfo,
    options: SimulationOptions,
) -> Result<Network, WaterError> {
    let mut network = lifeline_hydraulics::inp::read_network(text, file)?;
    let per_unit = info.units.m_per_pressure;
    let pressure_factor = network.units.pressure_factor;
    let settings = &mut network.options;
    match options.demand_model {
        Some(DemandModel::DemandDriven) => {
            settings.demand_model = NativeDemandModel::DemandDriven;
            settings.p_min = 0.0;
            settings.p_required = 0.1 / pressure_factor;
            settings.pexp = 0.5;
        }
        Some(DemandModel::PressureDriven {
            min_pressure_m,
            required_pressure_m,
            exponent,
        }) => {
            settings.demand_model = NativeDemandModel::PressureDriven;
            settings.p_min = min_pressure_m / per_unit / pressure_factor;
            settings.p_required = required_pressure_m / per_unit / pressure_factor;
            settings.pexp = exponent;
        }
        None => {}
    }
    if options.continue_unbalanced {
        settings.max_iter = settings.max_iter.max(MIN_TRIALS);
        settings.extra_iter = 10;
    }
    if let Some(duration_s) = options.duration_s {
        network.times.duration = duration_s;
    }
    Ok(network)
}

/// Solves at the current time: the time and EPANET's warning code of this solve (the
/// last condition in EPANET's order of checks, 0 for none).
pub(crate) fn solve(native: &mut Native) -> Result<(i64, i32), WaterError> {
    let before = native.warnings().len();
    let time = native.solve()?;
    let code = native.warnings()[before..]
        .last()
        .map(|w| w.kind.code())
        .unwrap_or(0);
    Ok((time, code))
}

/// The state in SI, as the EPANET path reads it (no flow in a closed link), into the
/// buffers of `state`.
pub(crate) fn read_state(native: &Native, state: &mut HydraulicState) {
    let mut point = ReportPoint {
        time_s: 0,
        head_m: std::mem::take(&mut state.head_m),
        pressure_m: std::mem::take(&mut state.pressure_m),
        demand_lps: std::mem::take(&mut state.demand_lps),
        required_demand_lps: std::mem::take(&mut state.required_demand_lps),
        tank_volume_m3: std::mem::take(&mut state.tank_volume_m3),
        flow_lps: std::mem::take(&mut state.flow_lps),
        open: std::mem::take(&mut state.link_open),
    };
    read_point(native, &mut point);
    state.time_s = point.time_s;
    state.head_m = point.head_m;
    state.pressure_m = point.pressure_m;
    state.demand_lps = point.demand_lps;
    state.required_demand_lps = point.required_demand_lps;
    state.tank_volume_m3 = point.tank_volume_m3;
    state.flow_lps = point.flow_lps;
    state.link_open = point.open;
}

/// Holds link `link` closed or open, sets a pump's speed, or gives the link back.
pub(crate) fn change_link(
    native: &mut Native,
    overrides: &mut HashMap<usize, Override>,
    link: usize,
    change: LinkChange,
) -> Result<(), WaterError> {
    match change {
        LinkChange::Close | LinkChange::Open => {
            if let std::collections::hash_map::Entry::Vacant(entry) = overrides.entry(link) {
                let open_before = native.state().status[link] > Status::Closed;
                let disabled_controls: Vec<usize> = native
                    .network()
                    .controls
                    .iter()
                    .enumerate()
                    .filter(|(i, c)| c.link == link && native.control_enabled(*i))
                    .map(|(i, _)| i)
                    .collect();
                for &i in &disabled_controls {
                    native.set_control_enabled(i, false);
                }
                entry.insert(Override {
                    status_before: if open_before { 1.0 } else { 0.0 },
                    disabled_controls,
                    rule_actions: rule_actions_on(native, link),
                });
            }
            // Rules that act on the link now do what the override says (as the EPANET
            // path's `EN_setthenaction` / `EN_setelseaction`: the setting is kept).
            let held = if change == LinkChange::Open {
                RuleStatus::Open
            } else {
                RuleStatus::Closed
            };
            if let Some(taken) = overrides.get(&link) {
                for &(rule, action, then, _, setting) in &taken.rule_actions {
                    native.set_rule_action(rule, action, then, Some(held), setting);
                }
            }
            native.set_link_status(link, change == LinkChange::Open)?;
            Ok(())
        }
        LinkChange::Speed(speed) => {
            native.set_pump_speed(link, speed);
            Ok(())
        }
        LinkChange::Restore => {
            if let Some(taken) = overrides.remove(&link) {
                for &i in &taken.disabled_controls {
                    native.set_control_enabled(i, true);
                }
                for &(rule, action, then, status, setting) in &taken.rule_actions {
                    let status = RuleStatus::from_code(status);
                    native.set_rule_action(rule, action, then, status, setting);
                }
                native.set_link_status(link, taken.status_before > 0.0)?;
            }
            Ok(())
        }
    }
}

/// The rule actions on `link`: (rule, action, THEN?, status code or -1, setting), 0-based.
fn rule_actions_on(native: &Native, link: usize) -> Vec<(usize, usize, bool, i32, f64)> {
    let mut found = Vec::new();
    for (rule, r) in native.network().rules.iter().enumerate() {
        for (then, count) in [(true, r.then_actions.len()), (false, r.else_actions.len())] {
            for action in 0..count {
                if let Some(a) = native.rule_action(rule, action, then)
                    && a.link == link
                {
                    let status = a.status.map(RuleStatus::code).unwrap_or(-1);
                    found.push((rule, action, then, status, a.setting));
                }
            }
        }
    }
    found
}
