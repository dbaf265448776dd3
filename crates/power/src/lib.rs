//! The power engine of lifeline: MATPOWER cases, DC and AC power flow, islands, load
//! shedding and N-1 contingency analysis.
//!
//! * Model: [`Case`] with [`Bus`], [`Branch`] and [`Generator`] in the file's numbering;
//!   read by [`matpower::read_case`].
//! * Compile: [`network::Network`] lowers a [`network::Selection`] of a case to dense bus
//!   indices and the bus admittance matrix ([`admittance::Ybus`]).
//! * Solve: [`run_dc`] (MATPOWER's `dcpf`), [`run_ac`] (Newton–Raphson, polar, sparse block
//!   LU with the symbolic analysis reused, [`sparse_lu`]).
//! * Outages: [`Grid`] solves a case under any [`Outages`]: [`island`]s, [`dispatch`],
//!   [`shedding`] by [`LoadPriority`]; [`run_n1`] runs every single outage in parallel.
//! * Output: [`report`] writes results as the reference CSV files do.
//!
//! Units: MW, MVAr, MVA, degrees and kV in the model and results; per-unit on the case's
//! `baseMVA` and radians inside the solvers.
//!
//! **Invariant:** this crate knows nothing of water, HTTP, SQL or terminals; its only I/O
//! is the case reader and the result writers, each explicit about its file.

pub mod ac;
pub mod admittance;
pub mod branch;
pub mod bus;
pub mod case;
pub mod contingency;
pub mod dc;
pub mod dispatch;
pub mod error;
pub mod flow;
pub mod generator;
pub mod grid;
pub mod island;
pub mod matpower;
pub mod network;
pub mod outage;
pub mod report;
pub mod shedding;
pub mod sparse_lu;

pub use ac::{AcOptions, SolveStatus};
pub use branch::Branch;
pub use bus::{Bus, BusId, BusKind};
pub use case::Case;
pub use contingency::{ContingencyOptions, ContingencyReport, run_n1};
pub use error::PowerError;
pub use flow::{AcFlow, DcFlow, run_ac, run_dc};
pub use generator::{Generator, GeneratorCost};
pub use grid::{BusLoad, Grid, GridOptions, GridState, IslandState};
pub use network::Init;
pub use outage::Outages;
pub use shedding::LoadPriority;
