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

/// Reactive limits of the generators at each local bus, MVAr: (sum of QMIN, sum of QMAX).
fn bus_q_limits(case: &Case, network: &Network) -> Vec<(f64, f64)> {
    let mut limits = vec![(0.0, 0.0); network.bus_count()];
    for (&g, &bus) in network.case_generator.iter().zip(&network.generator_bus) {
        let generator = &case.generators[g];
        limits[bus].0 += generator.q_min_mvar;
        limits[bus].1 += generator.q_max_mvar;
    }
    limits
}

/// Solves with reactive limits enforced. `network` is changed in place: switched buses
/// become PQ with their reactive injection fixed at the limit. Returns the final solution
/// and the local indices of the switched buses.
pub fn solve_with_q_limits(
    case: &Case,
    network: &mut Network,
    options: &AcOptions,
) -> Result<(AcSolution, Vec<usize>), PowerError> {
    let limits = bus_q_limits(case, network);
    let mut switched = Vec::new();
    let mut solver = NewtonSolver::new(network)?;
    let mut start = network.initial_voltage(options.init);
    loop {
        let solution =
            solver.solve(network, start, options.tolerance_pu, options.max_iterations)?;
        if !solution.status.converged() || !options.enforce_q_limits {
            return Ok((solution, switched));
        }
        let base = network.base_mva;
        let mut violators = Vec::new();
        for bus in 0..network.bus_count() {
            if network.kind[bus] != BusKind::Pv {
                continue;
            }
            // Generation = computed injection + served load.
            let q_generated = (solution.power[bus].im + network.load[bus].im) * base;
            let (q_min, q_max) = limits[bus];
            let tolerance = 1e-6 * base;
            if q_generated > q_max + tolerance {
                violators.push((bus, q_max));
            } else if q_generated < q_min - tolerance {
                violators.push((bus, q_min));
            }
        }
        if violators.is_empty() {
            return Ok((solution, switched));
        }
        for &(bus, q_limit) in &violators {
            network.kind[bus] = BusKind::Pq;
            let p = network.injection[bus].re;
            network.injection[bus] = Complex64::new(p, q_limit / base - network.load[bus].im);
            switched.push(bus);
        }
        // Same pattern: the solver and its symbolic analysis carry over.
        start = solution.voltage;
    }
}
