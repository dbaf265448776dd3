//! `LifelineError`: every error the module raises, with its place when known.

use lifeline_power::matpower::ReadError;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

pyo3::create_exception!(
    _lifeline,
    LifelineError,
    PyValueError,
    "A file, option or model lifeline cannot use; `file`, `line`, `column` and `field` say where when known."
);

/// A `LifelineError` with its place.
pub(crate) fn error_at(
    py: Python<'_>,
    message: String,
    file: Option<String>,
    line: Option<u32>,
    column: Option<u32>,
    field: Option<String>,
) -> PyErr {
    let error = LifelineError::new_err(message);
    let value = error.value(py);
    // Setting attributes on a fresh exception object cannot fail in practice; if it
    // did, the message still says where.
    let _ = value.setattr("file", file);
    let _ = value.setattr("line", line);
    let _ = value.setattr("column", column);
    let _ = value.setattr("field", field);
    error
}

pub(crate) fn read_error(py: Python<'_>, error: &ReadError) -> PyErr {
    error_at(
        py,
        error.to_string(),
        Some(error.file.clone()),
        error.position.map(|p| p.line),
        error.position.map(|p| p.column),
        error.field.clone(),
    )
}

pub(crate) fn plain_error(py: Python<'_>, message: impl std::fmt::Display) -> PyErr {
    error_at(py, message.to_string(), None, None, None, None)
}
