//! Integration tests of the native hydraulic solver.

mod hostile;
mod reference;
mod support;
