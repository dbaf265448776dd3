//! Numbers in text outputs (CSV): exact and compact.

/// `value` with the fewest digits that read back to the same `f64`, in plain notation
/// between 1e-5 and 1e16 and in scientific notation (`-5.02e-13`) outside, so that
/// round-off noise does not print as a long row of zeros. Zero prints as `0`.
pub fn shortest(value: f64) -> String {
    let size = value.abs();
    if value == 0.0 {
        "0".into()
    } else if (1e-5..1e16).contains(&size) || !value.is_finite() {
        format!("{value}")
    } else {
        format!("{value:e}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_where_readable_scientific_where_not() {
        assert_eq!(shortest(0.0), "0");
        assert_eq!(shortest(-0.0), "0");
        assert_eq!(shortest(71.5), "71.5");
        assert_eq!(shortest(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(shortest(1.04), "1.04");
        assert_eq!(shortest(-5.02335996e-13), "-5.02335996e-13");
        assert_eq!(shortest(2e20), "2e20");
        for v in [1.0 / 3.0, 123456.789, -1e-7, 9.999e15] {
            assert_eq!(shortest(v).parse::<f64>().unwrap(), v);
        }
    }
}
