//! Uncertain durations: how long a repair or a crew's delay may take, as a lognormal
//! distribution given by its median and 90th percentile, h (a fixed time when the two are
//! equal). Outage durations of real utilities are close to lognormal (Ahmad & Dobson's
//! fits to four utilities' records); the median and 90th percentile are what a utility
//! can read off its own records or estimate.
//!
//! In files a duration is a number (fixed) or `{ median = H, p90 = H }`.

use serde::Serialize;

/// The standard normal's 90th percentile.
pub const Z90: f64 = 1.281_551_565_544_600_4;
/// The longest duration a file may give, h (a year).
pub const MAX_DURATION_H: f64 = 8784.0;

/// A lognormal duration by its median and 90th percentile, h; fixed when they are equal.
/// **Invariant:** `0 < median_h ≤ p90_h ≤ MAX_DURATION_H`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Spread {
    /// Median, h.
    pub median_h: f64,
    /// 90th percentile, h.
    pub p90_h: f64,
}

impl Spread {
    /// A fixed duration of `hours`.
    pub fn fixed(hours: f64) -> Self {
        Self {
            median_h: hours,
            p90_h: hours,
        }
    }

    /// Whether the duration is certain.
    pub fn is_fixed(&self) -> bool {
        self.p90_h == self.median_h
    }

    /// The log-scale standard deviation.
    pub fn sigma(&self) -> f64 {
        (self.p90_h / self.median_h).ln() / Z90
    }

    /// The duration at the standard normal deviate `z`, h (`z = 0`: the median).
    pub fn at(&self, z: f64) -> f64 {
        if self.is_fixed() {
            self.median_h
        } else {
            (self.median_h * (self.sigma() * z).exp()).min(MAX_DURATION_H)
        }
    }

    /// The duration at probability `p` (0 < p < 1), h.
    pub fn quantile(&self, p: f64) -> f64 {
        self.at(normal_quantile(p))
    }

    /// The same spread (ratio of 90th percentile to median) around `median_h`.
    pub fn around(&self, median_h: f64) -> Self {
        Self {
            median_h,
            p90_h: (median_h * self.p90_h / self.median_h)
                .min(MAX_DURATION_H)
                .max(median_h),
        }
    }

    /// A duration from a file: a number of hours (fixed) or `{ median, p90 }`; the error
    /// says what was expected.
    pub fn parse(value: &toml::Value) -> Result<Self, String> {
        let hours = |v: &toml::Value| match v {
            toml::Value::Float(f) => Some(*f),
            toml::Value::Integer(i) => Some(*i as f64),
            _ => None,
        };
        let checked = |what: &str, h: Option<f64>| match h {
            Some(h) if h.is_finite() && h > 0.0 && h <= MAX_DURATION_H => Ok(h),
            Some(h) => Err(format!(
                "{what} must be a positive number of hours up to {MAX_DURATION_H} (a year), got {}",
                lifeline_core::number::shortest(h)
            )),
            None => Err(format!("{what} must be a number of hours")),
        };
        match value {
            toml::Value::Table(table) => {
                if let Some(key) = table
                    .keys()
                    .find(|k| !["median", "p90"].contains(&k.as_str()))
                {
                    return Err(format!(
                        "unknown key '{key}': a duration is a number of hours or {{ median = H, p90 = H }}"
                    ));
                }
                let (Some(median), Some(p90)) = (table.get("median"), table.get("p90")) else {
                    return Err("a duration as a table needs both median and p90 (h)".into());
                };
                let median_h = checked("median", hours(median))?;
                let p90_h = checked("p90", hours(p90))?;
                if p90_h < median_h {
                    return Err(format!(
                        "p90 ({}) must not be below median ({}): the 90th percentile is the longer time",
                        lifeline_core::number::shortest(p90_h),
                        lifeline_core::number::shortest(median_h)
                    ));
                }
                Ok(Self { median_h, p90_h })
            }
            other => checked("the duration", hours(other))
                .map(Self::fixed)
                .map_err(|e| {
                    if hours(other).is_none() {
                        format!(
                            "expected a number of hours or {{ median = H, p90 = H }}, got {}",
                            other.type_str()
                        )
                    } else {
                        e
                    }
                }),
        }
    }
}

/// What a scenario's strike says is uncertain about its repair, over the city's defaults
/// for the asset's kind.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct StrikeUncertainty {
    /// The repair as a distribution, when the strike gives `repair_h = { median, p90 }`
    /// (its median is the strike's repair time).
    pub repair: Option<Spread>,
    /// The chance that the asset, reported damaged, is in fact destroyed.
    pub destroyed_probability: Option<f64>,
    /// The repair if it is destroyed.
    pub destroyed_repair: Option<Spread>,
}

impl StrikeUncertainty {
    /// Whether the strike says nothing beyond the city's defaults.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// The standard normal quantile at `p` (0 < p < 1), by Acklam's rational approximation
/// refined by one Halley step (relative error below 1e-15 in double precision).
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    if p <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    let low = 0.024_25;
    let x = if p < low {
        let q = (-2.0 * p.ln()).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p <= 1.0 - low {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        let q = (-2.0 * (1.0 - p).ln()).sqrt();
        -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    // One Halley step on Φ(x) − p.
    let e = 0.5 * erfc(-x / std::f64::consts::SQRT_2) - p;
    let u = e * (2.0 * std::f64::consts::PI).sqrt() * (x * x / 2.0).exp();
    x - u / (1.0 + x * u / 2.0)
}

/// The complementary error function: erf's Taylor series below 2 (at most 200 terms),
/// a continued fraction above; about 1e-13 relative near 2, finer elsewhere.
fn erfc(x: f64) -> f64 {
    if x < 0.0 {
        return 2.0 - erfc(-x);
    }
    if x < 2.0 {
        // erf by its Taylor series, then 1 − erf.
        let mut sum = x;
        let mut term = x;
        let x2 = x * x;
        for n in 1..200 {
            let n = f64::from(n);
            term *= -x2 / n;
            let add = term / (2.0 * n + 1.0);
            sum += add;
            if add.abs() <= 1e-17 * sum.abs() {
                break;
            }
        }
        1.0 - 2.0 / std::f64::consts::PI.sqrt() * sum
    } else {
        // Continued fraction (Lentz), converging fast for x ≥ 2.
        let tiny = 1e-300;
        let mut f = x;
        let mut c = x;
        let mut d = 0.0;
        for i in 1..200 {
            let a = f64::from(i) / 2.0;
            d = x + a * d;
            d = if d.abs() < tiny { tiny } else { d };
            c = x + a / c;
            c = if c.abs() < tiny { tiny } else { c };
            d = 1.0 / d;
            let delta = c * d;
            f *= delta;
            if (delta - 1.0).abs() < 1e-16 {
                break;
            }
        }
        (-x * x).exp() / f / std::f64::consts::PI.sqrt()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn normal_quantiles_match_tables() {
        // Abramowitz & Stegun table 26.5 (and z90 to 16 digits).
        assert!((normal_quantile(0.9) - Z90).abs() < 1e-14);
        assert!((normal_quantile(0.975) - 1.959_963_984_540_054).abs() < 1e-13);
        assert!((normal_quantile(0.5)).abs() < 1e-15);
        assert!((normal_quantile(0.01) + 2.326_347_874_040_841).abs() < 1e-12);
        assert!((normal_quantile(1e-6) + 4.753_424_308_822_899).abs() < 1e-10);
    }

    #[test]
    fn a_spread_has_its_median_and_p90() {
        let s = Spread {
            median_h: 10.0,
            p90_h: 25.0,
        };
        assert!((s.quantile(0.5) - 10.0).abs() < 1e-12);
        assert!((s.quantile(0.9) - 25.0).abs() < 1e-10);
        assert!((s.around(4.0).p90_h - 10.0).abs() < 1e-12);
        assert_eq!(Spread::fixed(3.0).at(2.5), 3.0);
    }

    #[test]
    fn durations_from_files_are_checked() {
        let parse = |text: &str| {
            let table: toml::Table = toml::from_str(&format!("d = {text}")).unwrap();
            Spread::parse(&table["d"])
        };
        assert_eq!(parse("6").unwrap(), Spread::fixed(6.0));
        assert_eq!(
            parse("{ median = 6, p90 = 15.5 }").unwrap(),
            Spread {
                median_h: 6.0,
                p90_h: 15.5
            }
        );
        assert!(
            parse("{ median = 6, p90 = 3 }")
                .unwrap_err()
                .contains("must not be below")
        );
        assert!(
            parse("{ median = 6 }")
                .unwrap_err()
                .contains("both median and p90")
        );
        assert!(
            parse("{ median = 6, p95 = 9 }")
                .unwrap_err()
                .contains("unknown key 'p95'")
        );
        assert!(parse("-2").unwrap_err().contains("positive"));
        assert!(parse("nan").unwrap_err().contains("positive"));
        assert!(parse("\"6 h\"").unwrap_err().contains("got string"));
    }
}
