//! The native engine behind [`Simulation`](crate::Simulation): the network read by
//! `lifeline-hydraulics` with the simulation's options applied as EPANET's toolkit
//! calls would apply them, its state read in SI, and links held open or closed as the
//! EPANET path holds them (the link's simple controls disabled, the rule actions on it
//! rewritten to the held status, its status set; all given back on restore).

use crate::error::WaterError;
use crate::network::NetworkInfo;
use crate::simulation::{
    DemandModel, HydraulicState, LinkChange, Override, SimulationOptions,
    demand_model_in_file_units,
};
use lifeline_hydraulics::model::{DemandModel as NativeDemandModel, RuleStatus, Status};
use lifeline_hydraulics::results::{ReportPoint, read_point};
use lifeline_hydraulics::simulation::Simulation as Native;
use lifeline_hydraulics::{HydraulicsError, Network};
use std::collections::{HashMap, VecDeque};
use std::path::Path;
use std::sync::{Arc, Mutex};

/// Trials per solve when a run goes on after unbalanced solves (as the EPANET path).
const MIN_TRIALS: u32 = 200;

/// A network read by the native engine with a simulation's options applied, and its
/// description.
pub(crate) struct Prepared {
    pub(crate) network: Arc<Network>,
    pub(crate) info: Arc<NetworkInfo>,
}

/// A file's text and the options it was prepared with, and what came of them: the
/// network, or the lines that ask for what only EPANET does (so that the default engine
/// hands such a file to EPANET without reading it again each time). A faulty file is not
/// kept.
struct Kept {
    file: String,
    text: String,
    options: SimulationOptions,
    outcome: Result<Arc<Prepared>, HydraulicsError>,
}

/// Networks kept for the next run on the same file: a sweep or a restoration study opens
/// one network thousands of times, and reading and checking it (about 10 ms for the demo
/// city's 3,300 junctions) is then done once.
static KEPT: Mutex<VecDeque<Kept>> = Mutex::new(VecDeque::new());

/// Networks kept at most (the oldest is forgotten first).
const KEEP: usize = 4;

/// The network of `path` with `options` applied: kept from an earlier open of the same
/// text with the same options, or read now (and kept). The file is read every time, so
/// a changed file is read again.
pub(crate) fn prepared(
    path: &Path,
    file: &str,
    options: SimulationOptions,
) -> Result<Arc<Prepared>, WaterError> {
    let text = std::fs::read_to_string(path).map_err(|e| WaterError::Unreadable {
        file: file.to_string(),
        reason: e.to_string(),
    })?;
    // The engine asked for (native or auto) makes no difference to the network.
    let options = SimulationOptions {
        engine: crate::Engine::Native,
        ..options
    };
    let kept = |k: &Kept| k.file == file && k.options == options && k.text == text;
    if let Some(k) = lock_kept().iter().find(|k| kept(k)) {
        return k.outcome.clone().map_err(WaterError::from);
    }
    let problems = crate::inp_numbers::problems(&text);
    if !problems.is_empty() {
        return Err(WaterError::BadNumbers {
            file: file.to_string(),
            problems,
        });
    }
    let mut network = match lifeline_hydraulics::inp::read_network(&text, file) {
        Ok(network) => network,
        Err(error @ HydraulicsError::Unsupported { .. }) => {
            keep(file, text, options, Err(error.clone()));
            return Err(error.into());
        }
        Err(error) => return Err(error.into()),
    };
    let mut info = NetworkInfo::from_native(&network, file);
    apply_options(&mut network, &info, options)?;
    if let Some(duration_s) = options.duration_s {
        info.duration_s = duration_s;
    }
    let prepared = Arc::new(Prepared {
        network: Arc::new(network),
        info: Arc::new(info),
    });
    keep(file, text, options, Ok(Arc::clone(&prepared)));
    Ok(prepared)
}

/// Keeps what came of preparing `text` with `options`, forgetting the oldest beyond
/// [`KEEP`].
fn keep(
    file: &str,
    text: String,
    options: SimulationOptions,
    outcome: Result<Arc<Prepared>, HydraulicsError>,
) {
    let mut kept = lock_kept();
    if kept.len() >= KEEP {
        kept.pop_front();
    }
    kept.push_back(Kept {
        file: file.to_string(),
        text,
        options,
        outcome,
    });
}

fn lock_kept() -> std::sync::MutexGuard<'static, VecDeque<Kept>> {
    // A panic elsewhere cannot leave a half-made entry (entries are pushed whole).
    KEPT.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Applies `options` (demand model, duration, going on when unbalanced) the way
/// `EN_setdemandmodel`, `EN_settimeparam` and `EN_setoption` do on the EPANET path.
fn apply_options(
    network: &mut Network,
    info: &NetworkInfo,
    options: SimulationOptions,
) -> Result<(), WaterError> {
    let pressure_factor = network.units.pressure_factor;
    let settings = &mut network.options;
    if let Some(model) = options.demand_model {
        let (p_min, p_required, exponent) = demand_model_in_file_units(model, info)?;
        settings.demand_model = match model {
            DemandModel::DemandDriven => NativeDemandModel::DemandDriven,
            DemandModel::PressureDriven { .. } => NativeDemandModel::PressureDriven,
        };
        settings.p_min = p_min / pressure_factor;
        settings.p_required = p_required / pressure_factor;
        settings.pexp = exponent;
    }
    if options.continue_unbalanced {
        settings.max_iter = settings.max_iter.max(MIN_TRIALS);
        settings.extra_iter = 10;
    }
    if let Some(duration_s) = options.duration_s {
        network.times.duration = duration_s;
    }
    Ok(())
}

/// EPANET's warning code of the solve that raised the warnings of `native` from
/// `before` on: the last condition in EPANET's order of checks, 0 for none.
pub(crate) fn warning_code(native: &Native, before: usize) -> i32 {
    native
        .warnings()
        .get(before..)
        .and_then(<[_]>::last)
        .map_or(0, |w| w.kind.code())
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
