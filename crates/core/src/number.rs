//! Numbers in text outputs: exact and compact for CSV, durations for people.

use std::time::Duration;

/// A duration in milliseconds, for reports.
pub fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e3
}

/// A time of the run as `hh:mm` from its start (`36:15` is a quarter past noon of the
/// second day); seconds are dropped, times before the start count back (`-01:00`).
pub fn clock(time_s: i64) -> String {
    let minutes = time_s.div_euclid(60);
    let sign = if minutes < 0 { "-" } else { "" };
    let minutes = minutes.unsigned_abs();
    format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

/// A duration for people: `850 µs`, `12.3 ms`, `4.56 s`.
pub fn human_duration(duration: Duration) -> String {
    let seconds = duration.as_secs_f64();
    if seconds < 1e-3 {
        format!("{:.0} µs", seconds * 1e6)
    } else if seconds < 1.0 {
        format!("{:.1} ms", seconds * 1e3)
    } else {
        format!("{seconds:.2} s")
    }
}

/// `1234567` → `1,234,567`.
pub fn thousands(value: u64) -> String {
    let digits = value.to_string();
    let mut text = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            text.push(',');
        }
        text.push(c);
    }
    text
}

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
    fn clock_times_run_past_midnight_and_drop_seconds() {
        assert_eq!(clock(0), "00:00");
        assert_eq!(clock(4 * 3600 + 30 * 60 + 59), "04:30");
        assert_eq!(clock(36 * 3600 + 15 * 60), "36:15");
        assert_eq!(clock(-3600), "-01:00");
    }

    #[test]
    fn durations_read_in_the_unit_that_suits_them() {
        assert_eq!(human_duration(Duration::from_micros(850)), "850 µs");
        assert_eq!(human_duration(Duration::from_micros(12_340)), "12.3 ms");
        assert_eq!(human_duration(Duration::from_millis(4_561)), "4.56 s");
        assert_eq!(ms(Duration::from_micros(1_500)), 1.5);
    }

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
