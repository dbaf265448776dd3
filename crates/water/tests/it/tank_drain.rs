//! The classic tank-drain case: a pump feeds a tank on a hill, the tank feeds a district.
//! When the pump stops, the district keeps its water until the tank is empty, then loses
//! it. The time it happens must follow from the tank's geometry and the district's demand
//! alone.

use crate::support::write_network;
use lifeline_water::{
    DemandModel, HydraulicState, LinkChange, LinkChangeOptions, LinkChanges, Simulation,
    SimulationOptions, run_link_changes,
};
use std::f64::consts::PI;

/// Reservoir R (head 0 m) → pump PU → junction A → pipe → tank T (bottom 60 m, 10 m wide,
/// level 3 m, minimum 0.5 m) → pipe → junction B (elevation 10 m, 10 L/s, constant).
pub const TANK_NETWORK: &str = "[TITLE]
Tank drain
[JUNCTIONS]
;ID  Elev  Demand
 A   10    0
 B   10    10
[RESERVOIRS]
 R   0
[TANKS]
;ID  Elev  InitLvl  MinLvl  MaxLvl  Diam  MinVol
 T   60    3        0.5     6       10    0
[PIPES]
;ID  Node1  Node2  Length  Diam  Roughness
 P1  A      T      100     300   100
 P2  T      B      1000    300   100
[PUMPS]
 PU  R  A  HEAD C1
[CURVES]
 C1  15  80
[TIMES]
 Duration            24:00
 Hydraulic Timestep  1:00
 Report Timestep     1:00
[OPTIONS]
 Units    LPS
 Headloss H-W
[END]
";

const TANK_AREA_M2: f64 = PI * 10.0 * 10.0 / 4.0;
const DEMAND_LPS: f64 = 10.0;
const MIN_LEVEL_M: f64 = 0.5;

fn pressure_driven() -> SimulationOptions {
    SimulationOptions {
        demand_model: Some(DemandModel::PressureDriven {
            min_pressure_m: 0.0,
            required_pressure_m: 20.0,
            exponent: 0.5,
        }),
        ..Default::default()
    }
}

/// When the tank runs empty after the pump stops at `outage_s`, from the tank's level then
/// (read from a baseline run), its area and the district's demand.
fn empty_time_s(path: &std::path::Path, outage_s: i64) -> f64 {
    let mut simulation = Simulation::open(path, pressure_driven()).unwrap();
    let tank = simulation.network().node("T").unwrap();
    assert!(simulation.advance_to(outage_s).unwrap());
    assert_eq!(simulation.time_s(), outage_s);
    simulation.solve().unwrap();
    let state = simulation.state().unwrap();
    let level = state.pressure_m[tank];
    // The volume reported in m³ is the level times the area.
    assert!((state.tank_volume_m3[tank] - level * TANK_AREA_M2).abs() < 1e-6);
    outage_s as f64 + (level - MIN_LEVEL_M) * TANK_AREA_M2 / (DEMAND_LPS / 1000.0)
}

#[test]
fn service_holds_until_the_tank_is_empty() {
    let (_dir, path) = write_network("tank.inp", TANK_NETWORK);
    let mut simulation = Simulation::open(&path, pressure_driven()).unwrap();
    let network = simulation.network().clone();
    let (tank, b) = (network.node("T").unwrap(), network.node("B").unwrap());
    let outage_s = 4 * 3600;
    simulation.stop_at(outage_s);
    let mut state = HydraulicState::default();
    let mut level_at_outage = None;
    let mut times = Vec::new();
    let mut delivered_at_b = Vec::new();
    loop {
        if simulation.time_s() == outage_s && level_at_outage.is_none() {
            simulation.change_link("PU", LinkChange::Close).unwrap();
        }
        simulation.solve().unwrap();
        simulation.read_state(&mut state).unwrap();
        if state.time_s == outage_s {
            level_at_outage = Some(state.pressure_m[tank]);
        }
        times.push(state.time_s);
        delivered_at_b.push(state.demand_lps[b]);
        if !simulation.advance().unwrap() {
            break;
        }
    }
    let level = level_at_outage.expect("a solve at the outage time");
    assert!(
        level > 3.0 && level < 6.0,
        "the pump was filling the tank: {level} m"
    );

    // Independent calculation: the usable volume over the district's demand.
    let drain_s = (level - MIN_LEVEL_M) * TANK_AREA_M2 / (DEMAND_LPS / 1000.0);
    let empty_s = outage_s as f64 + drain_s;

    // EPANET stops the clock when the tank reaches its minimum level; that solve still
    // shows the last of the outflow, the next ones show the tank closed.
    let event = times
        .iter()
        .copied()
        .find(|&t| (t as f64 - empty_s).abs() < 60.0)
        .unwrap_or_else(|| panic!("no step near {empty_s} s in {times:?}"));
    for (&time, &delivered) in times.iter().zip(&delivered_at_b) {
        if time <= event {
            assert!(
                (delivered - DEMAND_LPS).abs() < 1e-4,
                "full service at {time} s: {delivered} L/s"
            );
        } else {
            assert!(
                delivered < 1e-3,
                "no service at {time} s once the tank is empty: {delivered} L/s"
            );
        }
    }
    let hour = (empty_s / 3600.0).ceil() as i64;
    eprintln!(
        "tank empty at {:.0} s ({:.2} h), service gone from the {hour}:00 report on",
        empty_s,
        empty_s / 3600.0
    );
    let report = times.iter().position(|&t| t == hour * 3600).unwrap();
    assert!(delivered_at_b[report] < 1e-3);
    assert_eq!(
        times[report - 1],
        event,
        "the step before the report is the tank emptying"
    );
}

#[test]
fn scenario_metrics_count_the_lost_water() {
    let (_dir, path) = write_network("tank.inp", TANK_NETWORK);
    let mut simulation = Simulation::open(&path, pressure_driven()).unwrap();
    let outage_s = 4 * 3600;
    let baseline = run_link_changes(
        &mut simulation,
        &LinkChanges::baseline(),
        &LinkChangeOptions::default(),
    )
    .unwrap();
    // EPANET's pressure-driven solution meets demands to its accuracy (1e-6 of 10 L/s).
    assert!(
        baseline.service.unserved_m3 < 1e-3,
        "{:?}",
        baseline.service
    );
    assert!(baseline.service.availability > 1.0 - 1e-6);
    assert_eq!(baseline.timeline.len(), 25);

    let result = run_link_changes(
        &mut simulation,
        &LinkChanges::outage("PU", outage_s, None),
        &LinkChangeOptions::default(),
    )
    .unwrap();
    // Required over 24 h: 10 L/s × 86 400 s = 864 m³; the tank drained at the outage's
    // level gives the served part after 04:00.
    let b = result.junctions.iter().find(|j| j.id == "B").unwrap();
    assert!((b.required_m3 - 864.0).abs() < 1e-6, "{b:?}");
    let point = |hour: i64| {
        result
            .timeline
            .iter()
            .find(|p| p.time_s == hour * 3600)
            .unwrap()
    };
    assert!(point(4).availability > 1.0 - 1e-6);
    assert!(point(23).availability < 1e-4);
    assert!(point(23).junctions_below_threshold >= 1);
    // Delivered volume: full demand until the tank runs empty, at the moment the tank's
    // geometry gives (each solved state holds until the next solve, so the delivery can
    // run on for up to one hydraulic step after it).
    let empty_s = empty_time_s(&path, outage_s);
    let served_s = b.delivered_m3 / (DEMAND_LPS / 1000.0);
    assert!(
        served_s >= empty_s - 60.0 && served_s <= empty_s + 3600.0,
        "served {served_s} s, empty at {empty_s} s"
    );
    assert!((b.unserved_m3 + b.delivered_m3 - b.required_m3).abs() < 1e-9);
    // The same simulation, reset, gives the baseline again.
    let again = run_link_changes(
        &mut simulation,
        &LinkChanges::baseline(),
        &LinkChangeOptions::default(),
    )
    .unwrap();
    assert_eq!(again, baseline);
}
