//! Integration tests of the power engine: reader, reference solutions, islands, load
//! shedding and contingencies.
#![allow(clippy::unwrap_used, missing_docs)]

mod contingency;
mod grid;
mod options;
mod reader;
mod reference;
mod support;
