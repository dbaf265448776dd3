//! Integration tests of the native hydraulic solver.

mod reference;
mod support;
