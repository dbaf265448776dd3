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
//! outside [2^-65, 2^63), or a result near overflow or underflow), except three cases it
//! answers as glibc does: a zero base, a result within 2^-54 of 1, and y = 1 (x itself,
//! glibc's bits for every x: the pressure-dependent demands' power under the default
//! exponent 0.5). [`pow`] of one power also answers x = 1 at once (1 for every y, as
//! C99 fixes it: a pump at its nominal speed). Inlined into the head-loss loop it saves
//! the call, the library's error wrapper and its special-case tests, and its operations
//! run in AVX2 lanes, four bases at a time (`pow_lanes`; a single power fills every lane
//! with its base), the integer steps too and the table look-ups as gathers;
//! `pow_groups` makes each step for several groups of four before the next, so that
//! their chains of dependent operations overlap.
//!
//! The port is used only where it is the C library's function: x86-64 with FMA and AVX2,
//! and only after it has given the C library's bits on a fixed set of powers the first
//! time it is asked for (a C library with another `pow`, or none of glibc's, keeps its
//! own). Everywhere else [`pow`] is `f64::powf`.

// The only unsafe operations of the crate: calling the port, compiled for FMA and AVX2,
// once they are detected; and the port's gathers from its own tables, at indices that
// the bits of a double bound to the tables' length.
#![allow(unsafe_code)]

#[cfg(target_arch = "x86_64")]
mod tables;

#[cfg(target_arch = "x86_64")]
use std::arch::x86_64::__m256d;

/// `x^y`, bit for bit the C library's `pow(x, y)`.
#[inline(always)]
pub fn pow(x: f64, y: f64) -> f64 {
    // 1^y is 1 for every y, a NaN included (C99 F.9.4.4): a pump at its nominal speed
    // raises its relative speed 1 to a power at every trial.
    if x == 1.0 {
        return 1.0;
    }
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
    let mut next = xorshift(0x9e37_79b9_7f4a_7c15);
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

/// One power by [`pow_lanes`], its base in every lane.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "fma,avx2")]
#[inline]
fn pow_fma(x: f64, y: f64) -> f64 {
    pow_lanes([x; 4], y)[0]
}

/// `x^y` for four bases: glibc's `__pow_fma` (`sysdeps/ieee754/dbl-64/e_pow.c` compiled
/// with `-mfma -mavx2`), its main path operation for operation, a fused multiply-add
/// wherever the compiled function has one, the floating-point operations in AVX2 lanes
/// and the table look-ups and integer steps per lane; so each result is the C library's
/// bits. A lane off the main path is [`beside_main_path`]'s.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
#[inline]
pub(crate) fn pow_lanes(x: [f64; 4], y: f64) -> [f64; 4] {
    let [out] = pow_groups([x], y);
    out
}

/// [`pow_lanes`] of `N` groups of four bases at once: each step is made for every group
/// before the next step, so the groups' chains of dependent operations overlap (one
/// group alone leaves the processor waiting on each step's latency).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
#[inline]
pub(crate) fn pow_groups<const N: usize>(x: [[f64; 4]; N], y: f64) -> [[f64; 4]; N] {
    // x^1 is x in glibc's bits (its error before the last rounding is far below half a
    // unit, and x is representable): the pressure-dependent demands' power under
    // EPANET's default exponent, 0.5 (`n - 1 = 1`).
    if y == 1.0 {
        return x;
    }
    if ((y.to_bits() >> 52) & 0x7ff).wrapping_sub(0x3be) >= 0x80 {
        return x.map(|x| x.map(|x| beside_main_path(x, y)));
    }
    // The main path: x positive, normal and finite; 2^-65 <= |y| < 2^63 (above). A lane
    // off it (a zero flow, say) computes 1^y in the lanes and is replaced at the end.
    let (log_hi, log_lo, off_path) = log_groups(x);
    exp_groups(x, y, log_hi, log_lo, off_path)
}

/// `log(x)` of [`pow_groups`] as `hi + lo` per lane (glibc's `log_inline`), and which
/// lanes are off the main path (bit `lane` of each group's mask; their base taken as
/// 1). The integer steps are made in the lanes too, and the table read by gathers.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
#[inline]
fn log_groups<const N: usize>(x: [[f64; 4]; N]) -> ([__m256d; N], [__m256d; N], [u32; N]) {
    use crate::lanes::load;
    use std::arch::x86_64::{
        _mm256_add_epi64, _mm256_add_pd, _mm256_and_si256, _mm256_blendv_pd, _mm256_castpd_si256,
        _mm256_castsi256_pd, _mm256_cmpgt_epi64, _mm256_fmadd_pd, _mm256_fmsub_pd,
        _mm256_i64gather_pd, _mm256_movemask_pd, _mm256_mul_pd, _mm256_or_si256,
        _mm256_set1_epi64x, _mm256_set1_pd, _mm256_setzero_pd, _mm256_setzero_si256,
        _mm256_slli_epi64, _mm256_srli_epi64, _mm256_sub_epi64, _mm256_sub_pd, _mm256_xor_si256,
    };
    use tables::{LN2_HI, LN2_LO, LOG_POLY};
    const OFF: u64 = 0x3fe6_9555_0000_0000;
    let all = _mm256_set1_pd;
    let int = |v: u64| _mm256_set1_epi64x(v as i64);
    let v = [_mm256_setzero_pd(); N];
    let mut off_path = [0u32; N];
    // log(x) = k ln2 + log(c) + log1p(z/c - 1) as hi + lo (`log_inline`).
    let mut z = v;
    let mut kd = v;
    let mut invc = v;
    let mut logc = v;
    let mut logctail = v;
    let table = tables::LOG_TABLE.as_ptr().cast::<f64>();
    for g in 0..N {
        let xv = load(x[g]);
        // Off the main path: the top 12 bits minus one, unsigned, at least 0x7fe.
        let top = _mm256_sub_epi64(_mm256_srli_epi64::<52>(_mm256_castpd_si256(xv)), int(1));
        let off = _mm256_or_si256(
            _mm256_cmpgt_epi64(_mm256_setzero_si256(), top),
            _mm256_cmpgt_epi64(top, int(0x7fd)),
        );
        off_path[g] = _mm256_movemask_pd(_mm256_castsi256_pd(off)) as u32;
        let ix = _mm256_castpd_si256(_mm256_blendv_pd(xv, all(1.0), _mm256_castsi256_pd(off)));
        let tmp = _mm256_sub_epi64(ix, int(OFF));
        let i = _mm256_and_si256(_mm256_srli_epi64::<45>(tmp), int(0x7f));
        z[g] = _mm256_castsi256_pd(_mm256_sub_epi64(
            ix,
            _mm256_and_si256(tmp, int(0xfff << 52)),
        ));
        // k = tmp >> 52, arithmetic: (k + 2048) is the top 12 bits with the sign bit
        // flipped; 2^52 + (k + 2048) as bits, less 2^52 + 2048, is k exactly.
        let biased = _mm256_xor_si256(_mm256_srli_epi64::<52>(tmp), int(0x800));
        let as_double = _mm256_or_si256(biased, int(0x4330_0000_0000_0000));
        kd[g] = _mm256_sub_pd(_mm256_castsi256_pd(as_double), all(4_503_599_627_372_544.0));
        let row = _mm256_add_epi64(_mm256_slli_epi64::<1>(i), i);
        // SAFETY: `i` < 128, so `3 i + 2` is within the table's 384 values.
        unsafe {
            invc[g] = _mm256_i64gather_pd::<8>(table, row);
            logc[g] = _mm256_i64gather_pd::<8>(table.add(1), row);
            logctail[g] = _mm256_i64gather_pd::<8>(table.add(2), row);
        }
    }
    let a = LOG_POLY;
    let mut log_hi = v;
    let mut log_lo = v;
    for g in 0..N {
        let (z, kd) = (z[g], kd[g]);
        let r = _mm256_fmadd_pd(z, invc[g], all(-1.0));
        let t1 = _mm256_fmadd_pd(kd, all(LN2_HI), logc[g]);
        let t2 = _mm256_add_pd(t1, r);
        let lo1 = _mm256_fmadd_pd(kd, all(LN2_LO), logctail[g]);
        let lo2 = _mm256_add_pd(_mm256_sub_pd(t1, t2), r);
        let ar = _mm256_mul_pd(all(a[0]), r);
        let ar2 = _mm256_mul_pd(r, ar);
        let ar3 = _mm256_mul_pd(r, ar2);
        let hi = _mm256_add_pd(t2, ar2);
        let lo3 = _mm256_fmsub_pd(ar, r, ar2);
        let lo4 = _mm256_add_pd(_mm256_sub_pd(t2, hi), ar2);
        let p = _mm256_fmadd_pd(
            ar2,
            _mm256_fmadd_pd(
                ar2,
                _mm256_fmadd_pd(r, all(a[6]), all(a[5])),
                _mm256_fmadd_pd(r, all(a[4]), all(a[3])),
            ),
            _mm256_fmadd_pd(r, all(a[2]), all(a[1])),
        );
        let sum = _mm256_add_pd(_mm256_add_pd(_mm256_add_pd(lo1, lo2), lo3), lo4);
        let lo = _mm256_fmadd_pd(ar3, p, sum);
        log_hi[g] = _mm256_add_pd(hi, lo);
        log_lo[g] = _mm256_add_pd(_mm256_sub_pd(hi, log_hi[g]), lo);
    }
    (log_hi, log_lo, off_path)
}

/// `exp(y (hi + lo))` of [`pow_groups`] (glibc's `exp_inline`), a lane off the main
/// path (`off_path`, bit `lane` of each group) given [`beside_main_path`]'s power of its
/// base `x`.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
#[inline]
fn exp_groups<const N: usize>(
    x: [[f64; 4]; N],
    y: f64,
    log_hi: [__m256d; N],
    log_lo: [__m256d; N],
    mut off_path: [u32; N],
) -> [[f64; 4]; N] {
    use crate::lanes::store;
    use std::arch::x86_64::{
        _mm256_add_epi64, _mm256_add_pd, _mm256_and_si256, _mm256_castpd_si256,
        _mm256_castsi256_pd, _mm256_cmpgt_epi64, _mm256_fmadd_pd, _mm256_fmsub_pd,
        _mm256_i64gather_epi64, _mm256_i64gather_pd, _mm256_movemask_pd, _mm256_mul_pd,
        _mm256_set1_epi64x, _mm256_set1_pd, _mm256_setzero_pd, _mm256_slli_epi64,
        _mm256_srli_epi64, _mm256_sub_pd,
    };
    use tables::{EXP_POLY, INV_LN2_N, NEG_LN2_HI_N, NEG_LN2_LO_N, SHIFT};
    let all = _mm256_set1_pd;
    let int = |v: u64| _mm256_set1_epi64x(v as i64);
    let v = [_mm256_setzero_pd(); N];
    // exp(y log x) (`exp_inline`).
    let yv = all(y);
    let mut ehi = v;
    let mut r = v;
    let mut shifted = v;
    for g in 0..N {
        ehi[g] = _mm256_mul_pd(yv, log_hi[g]);
        let elo = _mm256_fmadd_pd(yv, log_lo[g], _mm256_fmsub_pd(log_hi[g], yv, ehi[g]));
        shifted[g] = _mm256_fmadd_pd(ehi[g], all(INV_LN2_N), all(SHIFT));
        let kd = _mm256_sub_pd(shifted[g], all(SHIFT));
        let rg = _mm256_fmadd_pd(
            kd,
            all(NEG_LN2_LO_N),
            _mm256_fmadd_pd(kd, all(NEG_LN2_HI_N), ehi[g]),
        );
        r[g] = _mm256_add_pd(elo, rg);
    }
    // A result near overflow or underflow is beside the main path too (the top bits of
    // y log x at least 0x408); one within 2^-54 of 1 (below 0x3c9) is 1 + y log x, as
    // glibc returns it (x = 1 exactly, a junction given its full demand, is common).
    let mut near_one = [0u32; N];
    let mut tail = v;
    let mut scale = v;
    let table = tables::EXP_TABLE.as_ptr();
    for g in 0..N {
        let abstop = _mm256_and_si256(
            _mm256_srli_epi64::<52>(_mm256_castpd_si256(ehi[g])),
            int(0x7ff),
        );
        let near = _mm256_cmpgt_epi64(int(0x3c9), abstop);
        let far = _mm256_cmpgt_epi64(abstop, int(0x407));
        near_one[g] = _mm256_movemask_pd(_mm256_castsi256_pd(near)) as u32;
        off_path[g] |= _mm256_movemask_pd(_mm256_castsi256_pd(far)) as u32;
        let ki = _mm256_castpd_si256(shifted[g]);
        let idx = _mm256_slli_epi64::<1>(_mm256_and_si256(ki, int(127)));
        // SAFETY: `idx` <= 254, so `idx + 1` is within the table's 256 values.
        unsafe {
            tail[g] = _mm256_i64gather_pd::<8>(table.cast::<f64>(), idx);
            let sbits = _mm256_i64gather_epi64::<8>(table.add(1).cast::<i64>(), idx);
            scale[g] = _mm256_castsi256_pd(_mm256_add_epi64(sbits, _mm256_slli_epi64::<45>(ki)));
        }
    }
    let c = EXP_POLY;
    let mut out = [[0.0; 4]; N];
    for g in 0..N {
        let r = r[g];
        let r2 = _mm256_mul_pd(r, r);
        let tmp = _mm256_fmadd_pd(
            r2,
            _mm256_fmadd_pd(r, all(c[1]), all(c[0])),
            _mm256_add_pd(tail[g], r),
        );
        let tmp = _mm256_fmadd_pd(
            _mm256_mul_pd(r2, r2),
            _mm256_fmadd_pd(r, all(c[3]), all(c[2])),
            tmp,
        );
        out[g] = store(_mm256_fmadd_pd(tmp, scale[g], scale[g]));
    }
    for g in 0..N {
        if off_path[g] | near_one[g] == 0 {
            continue;
        }
        let ehi = store(ehi[g]);
        for lane in 0..4 {
            if off_path[g] & (1 << lane) != 0 {
                out[g][lane] = beside_main_path(x[g][lane], y);
            } else if near_one[g] & (1 << lane) != 0 {
                out[g][lane] = 1.0 + ehi[lane];
            }
        }
    }
    out
}

/// `x^y` off the port's main path: +0 for a zero base and y > 0 (C99 F.9.4.4, as the C
/// library returns it: the head losses of pipes and junctions without flow), else the C
/// library's.
#[cfg(target_arch = "x86_64")]
fn beside_main_path(x: f64, y: f64) -> f64 {
    if x.to_bits() == 0 && y > 0.0 {
        0.0
    } else {
        x.powf(y)
    }
}

/// A fixed stream of pseudo-random bits (xorshift64) for the port's check and the
/// crate's tests.
#[cfg(any(test, target_arch = "x86_64"))]
pub(crate) fn xorshift(seed: u64) -> impl FnMut() -> u64 {
    let mut seed = seed;
    move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bases over every binade the solver meets and beyond, with exponents of every
    /// kind, against the C library bit for bit (whichever path `pow` takes here).
    #[test]
    fn powers_are_the_c_librarys_bits() {
        let mut next = xorshift(0x2545_f491_4f6c_dd1d);
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

    /// x^1 is the C library's x^1 for every class of base, alone and in lanes.
    #[cfg(target_arch = "x86_64")]
    #[test]
    fn first_powers_are_the_c_librarys_bits() {
        // Every class of base: random bits of either sign (subnormals, infinities and
        // NaNs among them), subnormals alone, zeros, and the solver's usual ratios.
        let mut next = xorshift(0x1d87_2b41_a4a0_5c6f);
        let one = std::hint::black_box(1.0);
        for i in 0..2_000_000u64 {
            let x = f64::from_bits(match i % 4 {
                0 => next(),
                1 => next() >> 12,
                2 => (i & 1) << 63,
                _ => (1023 - 60 + next() % 61) << 52 | next() >> 12,
            });
            let c = std::hint::black_box(x).powf(one);
            let ours = pow(x, one);
            assert!(
                ours.to_bits() == c.to_bits() || (ours.is_nan() && c.is_nan()),
                "{x:e}^1: {ours:e} against {c:e}"
            );
            if let Some(lanes) = with_port(first_powers_in_lanes, |_| None, [[x; 4]; 2]) {
                assert_eq!(lanes[1][3].to_bits(), ours.to_bits(), "{x:e}^1 in lanes");
            }
        }
    }

    /// Two groups of bases to the first power by [`pow_groups`].
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma")]
    fn first_powers_in_lanes(x: [[f64; 4]; 2]) -> Option<[[f64; 4]; 2]> {
        Some(pow_groups(x, std::hint::black_box(1.0)))
    }

    /// Four powers in lanes are the C library's, lane for lane, over bases of every
    /// binade the solver meets, zeros, subnormals and bases near 1 included.
    #[cfg(target_arch = "x86_64")]
    #[test]
    fn powers_in_lanes_are_the_c_librarys_bits() {
        #[target_feature(enable = "avx2,fma")]
        fn lanes((x, y): ([[f64; 4]; 2], f64)) -> Option<[[f64; 4]; 2]> {
            Some(pow_groups(x, y))
        }
        let mut next = xorshift(0x5851_f42d_4c95_7f2d);
        let exponents = [1.852 - 1.0, 2.0 - 1.0, 0.5, -0.148, 1.0 / 0.75 - 1.0, 0.9];
        for round in 0..100_000 {
            let mut x = [[0.0; 4]; 2];
            for x in x.iter_mut().flatten() {
                *x = match next() % 8 {
                    0 => 0.0,
                    1 => f64::from_bits(next() >> 12),
                    2 => 1.0 + ((next() >> 11) as f64 / (1u64 << 53) as f64 - 0.5) * 1e-12,
                    3 => f64::from_bits(1f64.to_bits() + (next() % 64) - 32),
                    4 => 1.0,
                    _ => f64::from_bits((1023 - 40 + next() % 61) << 52 | next() >> 12),
                };
            }
            let y = exponents[round % exponents.len()];
            let Some(ours) = with_port(lanes, |_| None, (x, y)) else {
                return;
            };
            for (g, lane) in (0..2).flat_map(|g| (0..4).map(move |lane| (g, lane))) {
                let (x, ours) = (x[g][lane], ours[g][lane]);
                assert_eq!(ours.to_bits(), pow(x, y).to_bits(), "{x}^{y}");
            }
        }
    }
}
