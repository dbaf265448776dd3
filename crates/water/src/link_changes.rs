//! Timed link changes (a pump station loses power at 04:00 for six hours, a
//! broken main is closed at 05:30), run alone or many at once, one EPANET project per
//! worker thread.

use crate::error::WaterError;
use crate::metrics::{GroupService, NodeService, ServicePoint, ServiceTracker, service_point};
use crate::simulation::{HydraulicState, LinkChange, Simulation, SimulationOptions, Warning};
use lifeline_core::number;
use rayon::prelude::*;
use serde::Serialize;
use std::path::Path;

/// One timed change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    /// When, s from the start of the simulation.
    pub at_s: i64,
    /// The link's ID.
    pub link: String,
    /// What happens to it.
    pub change: LinkChange,
}

/// A named list of timed changes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinkChanges {
    /// Name, for reports.
    pub name: String,
    /// The changes, in any order.
    pub events: Vec<Event>,
}

impl LinkChanges {
    /// The network as its file describes it.
    pub fn baseline() -> Self {
        Self {
            name: "baseline".into(),
            events: Vec::new(),
        }
    }

    /// Link `link` closed at `at_s` and, if `duration_s` is given, back to normal after it.
    pub fn outage(link: &str, at_s: i64, duration_s: Option<i64>) -> Self {
        let mut events = vec![Event {
            at_s,
            link: link.to_string(),
            change: LinkChange::Close,
        }];
        let name = match duration_s {
            Some(duration) => {
                events.push(Event {
                    at_s: at_s + duration,
                    link: link.to_string(),
                    change: LinkChange::Restore,
                });
                format!(
                    "{link} out at {} for {:.1} h",
                    number::clock(at_s),
                    duration as f64 / 3600.0
                )
            }
            None => format!("{link} out from {}", number::clock(at_s)),
        };
        Self { name, events }
    }
}

/// Options of a run of link changes.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LinkChangeOptions {
    /// Pressure below which a junction counts as without service, m.
    pub threshold_m: f64,
    /// Stop at this time, s (default: the network's duration).
    pub horizon_s: Option<i64>,
}

impl Default for LinkChangeOptions {
    /// 10 m of pressure; the network's own duration.
    fn default() -> Self {
        Self {
            threshold_m: 10.0,
            horizon_s: None,
        }
    }
}

/// What a set of link changes did to the water service.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinkChangeResult {
    /// The name of the set of link changes.
    pub name: String,
    /// Service at every reporting time.
    pub timeline: Vec<ServicePoint>,
    /// Service over the whole run, all junctions together.
    pub service: GroupService,
    /// Service over the whole run, per junction.
    pub junctions: Vec<NodeService>,
    /// EPANET warnings met on the way.
    pub warnings: Vec<Warning>,
}

/// Steps `simulation` (reset first) to `horizon_s` (or its end) with `events` applied
/// at their times, calling `each` with every solved state and how long it holds (s;
/// `None` for the last). The one loop behind [`run_link_changes`] and any caller that records
/// states of its own.
pub fn step_with_events(
    simulation: &mut Simulation,
    events: &[Event],
    horizon_s: Option<i64>,
    mut each: impl FnMut(&Simulation, &HydraulicState, Option<i64>),
) -> Result<(), WaterError> {
    for event in events {
        simulation.network().link(&event.link)?;
    }
    simulation.reset()?;
    let mut events: Vec<&Event> = events.iter().collect();
    events.sort_by_key(|event| event.at_s);
    for event in &events {
        simulation.stop_at(event.at_s);
    }
    let horizon = horizon_s.unwrap_or(simulation.network().duration_s);
    let mut state = HydraulicState::default();
    let mut next_event = 0;
    loop {
        let time = simulation.time_s();
        while next_event < events.len() && events[next_event].at_s <= time {
            let event = events[next_event];
            simulation.change_link(&event.link, event.change)?;
            next_event += 1;
        }
        simulation.solve()?;
        simulation.read_state(&mut state)?;
        if state.time_s >= horizon || !simulation.advance()? {
            each(simulation, &state, None);
            return Ok(());
        }
        let held = simulation.time_s().min(horizon) - state.time_s;
        each(simulation, &state, Some(held));
    }
}

/// Runs `changes` on `simulation` (reset first, so a simulation can serve many sets
/// of changes).
pub fn run_link_changes(
    simulation: &mut Simulation,
    changes: &LinkChanges,
    options: &LinkChangeOptions,
) -> Result<LinkChangeResult, WaterError> {
    let mut tracker = ServiceTracker::new(simulation.network(), options.threshold_m);
    let mut timeline = Vec::new();
    step_with_events(
        simulation,
        &changes.events,
        options.horizon_s,
        |simulation, state, held| {
            if simulation.network().is_report_time(state.time_s) {
                timeline.push(service_point(
                    simulation.network(),
                    state,
                    options.threshold_m,
                ));
            }
            if let Some(held) = held {
                tracker.record(state, held);
            }
        },
    )?;
    Ok(LinkChangeResult {
        name: changes.name.clone(),
        timeline,
        service: tracker.total(),
        junctions: tracker.junctions(simulation.network()),
        warnings: simulation.warnings().to_vec(),
    })
}

/// Runs every set of link changes on the network at `path`, in parallel on rayon's
/// pool, each worker thread with its own EPANET project (opened once, reset between
/// sets). Results come back in the order of `sets`.
pub fn run_link_changes_parallel(
    path: &Path,
    simulation_options: SimulationOptions,
    sets: &[LinkChanges],
    options: &LinkChangeOptions,
) -> Vec<Result<LinkChangeResult, WaterError>> {
    sets.par_iter()
        .map_init(
            || Simulation::open(path, simulation_options),
            |simulation, changes| match simulation {
                Ok(simulation) => run_link_changes(simulation, changes, options),
                Err(error) => Err(error.clone()),
            },
        )
        .collect()
}
