//! `lifeline._lifeline`: lifeline's power and water engines for Python.
//!
//! Each function returns plain columns (dicts of lists; the power flow's columns and the
//! water run's matrices as little-endian f64 / i64 bytes for `numpy.frombuffer`; SI and per-unit units as the
//! engines use them); the `lifeline` package (`lifeline/*.py`) makes pandas DataFrames of
//! them in pandapower's and WNTR's shapes. The GIL is released while an engine runs, so
//! Python threads run studies side by side. Every error is a `lifeline.LifelineError`
//! carrying `file`, `line`, `column` and `field` where the engine knows them.

mod city;
mod columns;
mod error;
mod power;
mod water;

pub use error::LifelineError;
use pyo3::prelude::*;

/// The native module.
#[pymodule]
fn _lifeline(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("LifelineError", m.py().get_type::<LifelineError>())?;
    m.add_function(wrap_pyfunction!(power::power_flow, m)?)?;
    m.add_function(wrap_pyfunction!(power::n1, m)?)?;
    m.add_function(wrap_pyfunction!(water::water_run, m)?)?;
    m.add_function(wrap_pyfunction!(water::water_outages, m)?)?;
    m.add_class::<city::City>()?;
    Ok(())
}
