//! Shared vocabulary of lifeline, used by every engine.
//!
//! * [`asset`]: asset kinds and ids (`bus:12`, `pump_station:E-1`), one vocabulary for
//!   every crate.
//! * [`field`]: an error about one field of a request, named as the request names it.
//! * [`graph`]: connected components of undirected graphs given as edge lists
//!   (islands of a grid, isolated parts of a water network).
//! * [`position`]: a position in a text file (1-based line and column) for diagnostics.
//! * [`suggest`]: near-miss suggestions for unknown ids ("did you mean ...").
//! * [`number`]: exact, compact number formatting for CSV outputs.
//! * [`csv`]: CSV fields quoted when they need it.
//! * [`random`]: SplitMix64, for draws that are the same on every machine.
//! * [`text`]: text as files hold it (a leading byte-order mark dropped).
//!
//! **Invariant:** this crate does no I/O and depends on no other lifeline crate.

pub mod asset;
pub mod csv;
pub mod field;
pub mod graph;
pub mod number;
pub mod position;
pub mod random;
pub mod shard;
pub mod suggest;
pub mod text;

pub use asset::{AssetId, AssetIdError, AssetKind};
pub use field::FieldError;
pub use position::TextPosition;
