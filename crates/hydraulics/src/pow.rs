//! `x^y` with the bits of the C library's `pow`, for the head losses of every trial.
//!
//! EPANET takes its powers from the C library, and the native solver must take the same
//! bits: a power one unit in the last place off moves heads of junctions that hang on
//! the network only through closed links by metres (ky10's `I-RV-4` by 7.46 m at 0 s)
//! and flips link statuses. glibc 2.28 and later compute `pow` with Arm's
//! optimized-routines algorithm (a 128-entry table logarithm carried to about 68 bits,
//! then a 128-entry table exponential) and, on x86-64 with FMA and AVX2, run the build
//! of it compiled with fused multiply-adds (`__pow_fma`, chosen by the loader). [`pow`]
//! runs a port of that build's main path, with a fused multiply-add wherever the
//! compiled function has one (read from its machine code), so the results are its bits;
//! it calls the C library for every other case (x not positive, normal and finite, |y|
//! outside [2^-65, 2^63), or a result near overflow, underflow or 1). Inlined into the
//! head-loss loop it saves the call, the library's error wrapper and its special-case
//! tests, and lets the processor overlap the powers of neighbouring links.
//!
//! The port is used only where it is the C library's function: x86-64 with FMA and AVX2,
//! and only after it has given the C library's bits on a fixed set of powers the first
//! time it is asked for (a C library with another `pow`, or none of glibc's, keeps its
//! own). Everywhere else [`pow`] is `f64::powf`.

// The one unsafe operation of the crate: calling the port, compiled for FMA and AVX2,
// once they are detected.
#![allow(unsafe_code)]

#[cfg(target_arch = "x86_64")]
pub(crate) mod tables;

/// `x^y`, bit for bit the C library's `pow(x, y)`.
#[inline(always)]
pub fn pow(x: f64, y: f64) -> f64 {
    #[cfg(target_arch = "x86_64")]
    if port_usable() {
        // SAFETY: the port is usable only where the processor has FMA and AVX2.
        return unsafe { pow_fma(x, y) };
    }
    x.powf(y)
}

/// `fma_build(args)` where the port runs, else `plain(args)`: `fma_build` is `plain`
/// compiled with `#[target_feature(enable = "fma,avx2")]`, so that the powers it takes
/// with [`pow`] are inlined into it (with everything between inlined too).
#[inline(always)]
pub fn with_port<A, R>(fma_build: unsafe fn(A) -> R, plain: fn(A) -> R, args: A) -> R {
    #[cfg(target_arch = "x86_64")]
    if port_usable() {
        // SAFETY: the port is usable only where the processor has FMA and AVX2, all
        // that `fma_build` needs.
        return unsafe { fma_build(args) };
    }
    let _ = fma_build;
    plain(args)
}

/// Whether [`pow`] runs the port: FMA and AVX2 are there and the port agrees with the
/// C library on the check's powers. Decided once per process.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
pub fn port_usable() -> bool {
    use std::sync::OnceLock;
    static USABLE: OnceLock<bool> = OnceLock::new();
    *USABLE.get_or_init(|| {
        std::arch::is_x86_feature_detected!("fma")
            && std::arch::is_x86_feature_detected!("avx2")
            // SAFETY: FMA and AVX2 were just detected.
            && unsafe { agrees_with_c_library() }
    })
}

/// Whether [`pow`] runs the port (false off x86-64).
#[cfg(not(target_arch = "x86_64"))]
pub fn port_usable() -> bool {
    false
}

/// Powers the port is checked on before it is used: every exponent the solver raises to
/// by default, and others, over bases from 2^-40 to 2^40, from a fixed generator.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "fma,avx2")]
fn agrees_with_c_library() -> bool {
    const EXPONENTS: [f64; 12] = [
        0.852,
        -0.148,
        0.5,
        -0.5,
        0.9,
        2.0,
        -1.333,
        0.54,
        0.85,
        1.5,
        1.0 / 1.852,
        3.0,
    ];
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    (0..4096).all(|i| {
        let mantissa = next() >> 12;
        let exponent = 1023 - 40 + next() % 81;
        let x = f64::from_bits(exponent << 52 | mantissa);
        let y = if i % 2 == 0 {
            EXPONENTS[i / 2 % EXPONENTS.len()]
        } else {
            (next() >> 11) as f64 / (1u64 << 53) as f64 * 8.0 - 4.0
        };
        pow_fma(x, y).to_bits() == x.powf(y).to_bits()
    })
}

/// [`pow_port`] compiled for FMA and AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "fma,avx2")]
#[inline]
fn pow_fma(x: f64, y: f64) -> f64 {
    pow_port(x, y)
}

/// glibc's `__pow_fma` (`sysdeps/ieee754/dbl-64/e_pow.c` compiled with `-mfma -mavx2`):
/// its main path, operation for operation, each fused multiply-add a
/// [`f64::mul_add`]; the C library for the rest. Exact on any processor, fast only
/// where it is inlined into code compiled for FMA (see [`with_port`]); as the C
/// library's own `pow` only where [`port_usable`].
#[cfg(target_arch = "x86_64")]
#[inline(always)]
pub fn pow_port(x: f64, y: f64) -> f64 {
    use tables::{
        EXP_POLY, EXP_TABLE, INV_LN2_N, LN2_HI, LN2_LO, LOG_POLY, LOG_TABLE, NEG_LN2_HI_N,
        NEG_LN2_LO_N, SHIFT,
    };
    const OFF: u64 = 0x3fe6_9555_0000_0000;
    let ix = x.to_bits();
    let iy = y.to_bits();
    // The main path: x positive, normal and finite; 2^-65 <= |y| < 2^63.
    if (ix >> 52).wrapping_sub(1) >= 0x7fe || ((iy >> 52) & 0x7ff).wrapping_sub(0x3be) >= 0x80 {
        // +0^y is +0 for y > 0 (C99 F.9.4.4), as the C library returns it: the head
        // losses of pipes and junctions without flow.
        if ix == 0 && y > 0.0 {
            return 0.0;
        }
        return x.powf(y);
    }
    // log(x) = k ln2 + log(c) + log1p(z/c - 1) as hi + lo (`log_inline`).
    let tmp = ix.wrapping_sub(OFF);
    let i = ((tmp >> 45) & 0x7f) as usize;
    let k = (tmp as i64) >> 52;
    let z = f64::from_bits(ix.wrapping_sub(tmp & (0xfff << 52)));
    let kd = k as f64;
    let [invc, logc, logctail] = LOG_TABLE[i];
    let a = LOG_POLY;
    let r = z.mul_add(invc, -1.0);
    let t1 = kd.mul_add(LN2_HI, logc);
    let t2 = t1 + r;
    let lo1 = kd.mul_add(LN2_LO, logctail);
    let lo2 = t1 - t2 + r;
    let ar = a[0] * r;
    let ar2 = r * ar;
    let ar3 = r * ar2;
    let hi = t2 + ar2;
    let lo3 = ar.mul_add(r, -ar2);
    let lo4 = t2 - hi + ar2;
    let p = ar2.mul_add(
        ar2.mul_add(r.mul_add(a[6], a[5]), r.mul_add(a[4], a[3])),
        r.mul_add(a[2], a[1]),
    );
    let lo = ar3.mul_add(p, lo1 + lo2 + lo3 + lo4);
    let log_hi = hi + lo;
    let log_lo = hi - log_hi + lo;
    // exp(y log x) (`exp_inline`).
    let ehi = y * log_hi;
    let elo = y.mul_add(log_lo, log_hi.mul_add(y, -ehi));
    let abstop = (ehi.to_bits() >> 52) & 0x7ff;
    if abstop.wrapping_sub(0x3c9) >= 0x3f {
        // |y log x| < 2^-54: 1 + y log x, as glibc returns it (x = 1 exactly, a
        // junction given its full demand, is common).
        if abstop < 0x3c9 {
            return 1.0 + ehi;
        }
        return x.powf(y);
    }
    let shifted = ehi.mul_add(INV_LN2_N, SHIFT);
    let ki = shifted.to_bits();
    let kd = shifted - SHIFT;
    let r = kd.mul_add(NEG_LN2_LO_N, kd.mul_add(NEG_LN2_HI_N, ehi));
    let r = elo + r;
    let idx = 2 * (ki % 128) as usize;
    let tail = f64::from_bits(EXP_TABLE[idx]);
    let scale = f64::from_bits(EXP_TABLE[idx + 1].wrapping_add(ki << 45));
    let c = EXP_POLY;
    let r2 = r * r;
    let tmp = r2.mul_add(r.mul_add(c[1], c[0]), tail + r);
    let tmp = (r2 * r2).mul_add(r.mul_add(c[3], c[2]), tmp);
    tmp.mul_add(scale, scale)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bases over every binade the solver meets and beyond, with exponents of every
    /// kind, against the C library bit for bit (whichever path `pow` takes here).
    #[test]
    fn powers_are_the_c_librarys_bits() {
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let exponents = [0.852, -0.148, 0.5, 0.9, 1.852, 2.0, -1.333, 0.54, 0.0, 1.0];
        for i in 0..200_000 {
            let x = match i % 4 {
                0 => f64::from_bits(next() >> 1),
                1 => f64::from_bits((1023 - 30 + next() % 61) << 52 | next() >> 12),
                2 if i % 8 == 2 => f64::from_bits(1f64.to_bits() + (next() % 64) - 32),
                2 => 1.0 + (next() >> 11) as f64 / (1u64 << 60) as f64,
                _ => (next() % 5000) as f64 * 1e-3,
            };
            let y = if i % 3 == 0 {
                f64::from_bits(next())
            } else {
                exponents[i % exponents.len()]
            };
            let (ours, libm) = (pow(x, y), x.powf(y));
            assert!(
                ours.to_bits() == libm.to_bits() || (ours.is_nan() && libm.is_nan()),
                "pow({x:e}, {y:e}) = {ours:e}, the C library gives {libm:e}"
            );
        }
    }

    /// Special values go to the C library and come back as its answers.
    #[test]
    fn special_values_are_the_c_librarys() {
        let specials = [
            0.0,
            -0.0,
            1.0,
            -1.0,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            f64::MIN_POSITIVE / 4.0,
            f64::MAX,
            1e-300,
            1e300,
        ];
        for &x in &specials {
            for &y in &specials {
                let (ours, libm) = (pow(x, y), x.powf(y));
                assert!(ours.to_bits() == libm.to_bits() || (ours.is_nan() && libm.is_nan()));
            }
        }
    }

    /// With glibc on x86-64 with FMA and AVX2, the port is what runs.
    #[cfg(all(target_arch = "x86_64", target_env = "gnu"))]
    #[test]
    fn the_port_runs_where_the_processor_has_fma() {
        if std::arch::is_x86_feature_detected!("fma") && std::arch::is_x86_feature_detected!("avx2")
        {
            assert!(port_usable(), "the port disagreed with the C library's pow");
        }
    }
}
