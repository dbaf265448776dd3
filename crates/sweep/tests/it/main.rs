//! Integration tests of lifeline-sweep.
#![allow(clippy::unwrap_used, missing_docs)]

mod generate;
mod table;
