//! Reactive-limit enforcement: PV buses whose generators would exceed their reactive
//! limits become PQ buses with the generators held at the limit, then the flow is re-solved
//! from the last voltages, until no PV bus violates (MATPOWER's `enforce_q_lims = 1`:
//! all violators switched at once).
//!
//! Limits are handled per bus (the sum of its in-service generators' `QMIN`/`QMAX`), which
//! equals MATPOWER's per-generator test when a bus has one generator, and when several
//! share the bus's reactive output in proportion to their ranges. Slack buses are not
//! switched; a slack bus beyond its limits is reported, not moved.

use super::{AcOptions, AcSolution, NewtonSolver};
use crate::bus::BusKind;
use crate::case::Case;
use crate::error::PowerError;
use crate::network::Network;
use num_complex::Complex64;

/// Reactive limits of the generators at each local bus, MVAr: (sum of QMIN, sum of QMAX),
/// counting only the generators flagged in `live` (all when `None`).
pub fn bus_q_limits(case: &Case, network: &Network, live: Option<&[bool]>) -> Vec<(f64, f64)> {
    let mut limits = vec![(0.0, 0.0); network.bus_count()];
    for (g, (&case_g, &bus)) in network
        .case_generator
        .iter()
        .zip(&network.generator_bus)
        .enumerate()
    {
        if live.is_none_or(|live| live[g]) {
            let generator = &case.generators[case_g];
            limits[bus].0 += generator.q_min_mvar;
            limits[bus].1 += generator.q_max_mvar;
        }
    }
    limits
}

/// Switches every PV bus of `network` whose reactive generation in `solution` is beyond
/// its `limits` to PQ, holding the generation at the limit. Returns the switched buses.
pub fn switch_violators(
    network: &mut Network,
    solution: &AcSolution,
    limits: &[(f64, f64)],
) -> Vec<usize> {
    let base = network.base_mva;
    let mut switched = Vec::new();
    for bus in 0..network.bus_count() {
        if network.kind[bus] != BusKind::Pv {
            continue;
        }
        // Generation = computed injection + served load.
        let q_generated = (solution.power[bus].im + network.load[bus].im) * base;
        let (q_min, q_max) = limits[bus];
        let tolerance = 1e-6 * base;
        let limit = if q_generated > q_max + tolerance {
            q_max
        } else if q_generated < q_min - tolerance {
            q_min
        } else {
            continue;
        };
        network.kind[bus] = BusKind::Pq;
        let p = network.injection[bus].re;
        network.injection[bus] = Complex64::new(p, limit / base - network.load[bus].im);
        switched.push(bus);
    }
    switched
}

/// Solves with reactive limits enforced when `options.enforce_q_limits` is set.
/// `network` is changed in place: switched buses become PQ with their reactive injection
/// fixed at the limit. Returns the final solution and the local indices of the switched
/// buses.
pub fn solve_with_q_limits(
    case: &Case,
    network: &mut Network,
    options: &AcOptions,
) -> Result<(AcSolution, Vec<usize>), PowerError> {
    let limits = bus_q_limits(case, network, None);
    let mut switched = Vec::new();
    let mut solver = NewtonSolver::new(network)?;
    let mut start = network.initial_voltage(options.init);
    let mut iterations = 0;
    loop {
        let mut solution =
            solver.solve(network, start, options.tolerance_pu, options.max_iterations)?;
        iterations += solution.iterations;
        solution.iterations = iterations;
        if !solution.status.converged() || !options.enforce_q_limits {
            return Ok((solution, switched));
        }
        let newly = switch_violators(network, &solution, &limits);
        if newly.is_empty() {
            return Ok((solution, switched));
        }
        switched.extend(newly);
        // Same pattern: the solver and its symbolic analysis carry over.
        start = solution.voltage;
    }
}
