//! The power engine of lifeline.
//!
//! * Model: [`Case`] with [`Bus`], [`Branch`] and [`Generator`] in the file's numbering.
//! * Reader: [`matpower::read_case`] for MATPOWER format version 2.
//!
//! **Invariant:** this crate knows nothing of water, HTTP, SQL or terminals; its only I/O
//! is the case reader and the result writers, each explicit about its file.

pub mod branch;
pub mod bus;
pub mod case;
pub mod generator;
pub mod matpower;

pub use branch::Branch;
pub use bus::{Bus, BusId, BusKind};
pub use case::Case;
pub use generator::{Generator, GeneratorCost};
pub mod ac;
pub mod admittance;
pub mod dc;
pub mod error;
pub mod flow;
pub mod network;
pub mod sparse_lu;

pub use ac::{AcOptions, SolveStatus};
pub use error::PowerError;
pub use flow::{AcFlow, DcFlow, run_ac, run_dc};
pub use network::Init;
pub mod dispatch;
pub mod grid;
pub mod island;
pub mod outage;
pub mod shedding;

pub use grid::{Grid, GridOptions, GridState, IslandState};
pub use outage::Outages;
pub use shedding::LoadPriority;
pub mod contingency;
pub use contingency::{ContingencyOptions, ContingencyReport, run_n1};
