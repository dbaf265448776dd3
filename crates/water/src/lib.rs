//! The water engine of lifeline: EPANET 2.3's hydraulics, stepped through time so that
//! pumps and pipes can fail and come back between steps, with pressure-driven demand and
//! water-service metrics.
//!
//! * [`Simulation`]: open an `.inp` network, choose the [`DemandModel`], solve, change
//!   links ([`LinkChange`]), read the [`HydraulicState`] in SI units (m, L/s, m³).
//! * [`metrics`]: delivered/required demand, hours below a pressure threshold, unserved
//!   volume, per node and per group of nodes.
//! * [`link_changes`]: timed link changes, run alone or many at once on all cores.
//! * [`report`]: the heads and flows CSV files, as the reference results are written.
//!
//! **Invariant:** this crate knows nothing of power, HTTP, SQL or terminals. Its only
//! unsafe code is the EPANET layer in [`epanet`].

pub mod epanet;
pub mod error;
pub mod inp_numbers;
pub mod network;
pub mod simulation;
pub mod units;

pub use error::WaterError;
pub use network::{LinkKind, NetworkInfo, NodeKind};
pub use simulation::{
    DemandModel, Engine, HydraulicState, LinkChange, Simulation, SimulationOptions, Warning,
};
pub mod link_changes;
pub mod metrics;
mod native;
pub mod report;

pub use link_changes::{
    Event, LinkChangeOptions, LinkChangeResult, LinkChanges, run_link_changes,
    run_link_changes_parallel, step_with_events,
};
pub use metrics::{GroupService, NodeService, ServicePoint, ServiceTracker};
