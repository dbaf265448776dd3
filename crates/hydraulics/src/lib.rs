//! lifeline's native hydraulic solver: EPANET 2.3's hydraulics (the Global Gradient
//! Algorithm with EPANET's status checks, controls and time-step logic) in Rust, so that
//! its answers match EPANET's while it runs faster and many scenarios share one network.
//!
//! * [`inp`]: the `.inp` reader, every problem at its line, into a [`Network`] in
//!   EPANET's internal units (ft, cfs, s).
//! * [`model`]: the network: nodes (junctions first, then tanks and reservoirs), links,
//!   pumps, valves, patterns, curves, controls, rules, options and times.
//! * [`matrix`]: the sparse symmetric system of the nodal heads, ordered once per network.
//! * [`coeffs`], [`status`], [`solve`](mod@solve): one hydraulic solution (EPANET's `hydcoeffs.c`,
//!   `hydstatus.c`, `hydsolver.c`).
//! * [`pow`]: `x^y` with the C library's bits, inlined where the head losses need it.
//! * [`simulation`]: the extended-period run: demands from patterns, simple and
//!   rule-based controls, tank levels and time steps (EPANET's `hydraul.c`, `rules.c`),
//!   with results in SI units.
//!
//! Where this crate follows EPANET and where it differs is stated in each module.
//! **Invariant:** no I/O beyond reading the input text the caller gives; nothing leaves
//! the crate in EPANET's internal units except through [`model`].

pub mod coeffs;
pub mod error;
pub mod inp;
#[cfg(target_arch = "x86_64")]
mod lanes;
pub mod matrix;
pub mod model;
pub mod pow;
pub mod results;
pub mod simulation;
pub mod solve;
pub mod state;
pub mod status;

pub use error::HydraulicsError;
pub use matrix::NodalSystem;
pub use model::Network;
pub use simulation::Simulation;
pub use solve::{SolveOutcome, solve};
pub use state::HydraulicState;
