//! Integration tests of the native hydraulic solver.

mod hostile;
mod lanes;
mod reference;
mod support;
