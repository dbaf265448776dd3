//! Columns for Python: lists, or little-endian bytes the package reads with
//! `numpy.frombuffer` (no Python object per value).

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};

/// Column `name` of `rows` into `dict`.
pub(crate) fn column<T, V: for<'py> IntoPyObject<'py>>(
    dict: &Bound<'_, PyDict>,
    name: &str,
    rows: &[T],
    value: impl Fn(&T) -> V,
) -> PyResult<()> {
    dict.set_item(name, rows.iter().map(value).collect::<Vec<V>>())
}

/// Float column `name` of `rows` into `dict` as little-endian f64 bytes (the package
/// reads them with `numpy.frombuffer`: no Python float per value).
pub(crate) fn float_column<T>(
    dict: &Bound<'_, PyDict>,
    name: &str,
    rows: &[T],
    value: impl Fn(&T) -> f64,
) -> PyResult<()> {
    let mut bytes = Vec::with_capacity(rows.len() * 8);
    for row in rows {
        bytes.extend_from_slice(&value(row).to_le_bytes());
    }
    dict.set_item(name, PyBytes::new(dict.py(), &bytes))
}

/// Integer column `name` of `rows` into `dict` as little-endian i64 bytes.
pub(crate) fn int_column<T>(
    dict: &Bound<'_, PyDict>,
    name: &str,
    rows: &[T],
    value: impl Fn(&T) -> i64,
) -> PyResult<()> {
    let mut bytes = Vec::with_capacity(rows.len() * 8);
    for row in rows {
        bytes.extend_from_slice(&value(row).to_le_bytes());
    }
    dict.set_item(name, PyBytes::new(dict.py(), &bytes))
}

/// A times × items matrix as little-endian f64 bytes, row after row.
pub(crate) fn float_matrix<'py>(py: Python<'py>, rows: &[Vec<f64>]) -> Bound<'py, PyBytes> {
    let mut bytes = Vec::with_capacity(rows.iter().map(Vec::len).sum::<usize>() * 8);
    for row in rows {
        for value in row {
            bytes.extend_from_slice(&value.to_le_bytes());
        }
    }
    PyBytes::new(py, &bytes)
}
