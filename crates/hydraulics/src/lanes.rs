//! Four pipes or four junctions at once: EPANET's per-element arithmetic of the head
//! losses, in AVX2 lanes (x86-64 only, called only where [`crate::pow::with_port`] has
//! found FMA and AVX2).
//!
//! Each lane does exactly the scalar operations of EPANET's expression, in its order,
//! each rounded once (no fused multiply-add where the C has none), so a lane's result is
//! the scalar code's bits; what is gained is that the divisions and square roots, which
//! bound a trial's time, go four to an instruction. Branches become selects: both sides
//! are computed and the one EPANET takes is kept. The powers ([`pow4`]) are the port of
//! the C library's `pow` the same way: its floating-point operations, fused where it
//! fuses them, in lanes; its table look-ups per lane.

use std::arch::x86_64::{
    __m256d, _CMP_GT_OQ, _CMP_LT_OQ, _mm_cvtsd_f64, _mm_unpackhi_pd, _mm256_add_pd,
    _mm256_andnot_pd, _mm256_blendv_pd, _mm256_castpd256_pd128, _mm256_cmp_pd, _mm256_div_pd,
    _mm256_extractf128_pd, _mm256_mul_pd, _mm256_set_pd, _mm256_set1_pd, _mm256_sqrt_pd,
    _mm256_sub_pd,
};

/// Four values, one per lane.
#[target_feature(enable = "avx2,fma")]
#[inline]
fn load(v: [f64; 4]) -> __m256d {
    _mm256_set_pd(v[3], v[2], v[1], v[0])
}

/// The four lanes as values.
#[target_feature(enable = "avx2,fma")]
#[inline]
fn store(v: __m256d) -> [f64; 4] {
    let lo = _mm256_castpd256_pd128(v);
    let hi = _mm256_extractf128_pd::<1>(v);
    [
        _mm_cvtsd_f64(lo),
        _mm_cvtsd_f64(_mm_unpackhi_pd(lo, lo)),
        _mm_cvtsd_f64(hi),
        _mm_cvtsd_f64(_mm_unpackhi_pd(hi, hi)),
    ]
}

/// `if test { a } else { b }` per lane (`test` from a comparison).
#[target_feature(enable = "avx2,fma")]
#[inline]
fn select(test: __m256d, a: __m256d, b: __m256d) -> __m256d {
    _mm256_blendv_pd(b, a, test)
}

/// The rest of EPANET's `pipecoeff` for four open H-W pipes from their flows (cfs),
/// resistances, minor-loss coefficients and `|flow|^(hexp - 1)`: `(P, Y)` per pipe.
#[target_feature(enable = "avx2,fma")]
#[inline]
pub(crate) fn hw_pipe(
    hexp: f64,
    rqtol: f64,
    flow: [f64; 4],
    r: [f64; 4],
    ml: [f64; 4],
    power: [f64; 4],
) -> ([f64; 4], [f64; 4]) {
    let zero = _mm256_set1_pd(0.0);
    let hexp = _mm256_set1_pd(hexp);
    let rqtol = _mm256_set1_pd(rqtol);
    let flow = load(flow);
    let ml = load(ml);
    let q = _mm256_andnot_pd(_mm256_set1_pd(-0.0), flow);
    // hgrad = hexp * r * q^(hexp-1); below RQtol, RQtol/hexp and a linear head loss.
    let hgrad = _mm256_mul_pd(_mm256_mul_pd(hexp, load(r)), load(power));
    let small = _mm256_cmp_pd::<_CMP_LT_OQ>(hgrad, rqtol);
    let floor = _mm256_div_pd(rqtol, hexp);
    let hloss = select(
        small,
        _mm256_mul_pd(floor, q),
        _mm256_div_pd(_mm256_mul_pd(hgrad, q), hexp),
    );
    let hgrad = select(small, floor, hgrad);
    // Minor losses: hloss += ml*q*q, hgrad += 2*ml*q.
    let minor = _mm256_cmp_pd::<_CMP_GT_OQ>(ml, zero);
    let hloss = select(
        minor,
        _mm256_add_pd(hloss, _mm256_mul_pd(_mm256_mul_pd(ml, q), q)),
        hloss,
    );
    let two_ml = _mm256_mul_pd(_mm256_set1_pd(2.0), ml);
    let hgrad = select(minor, _mm256_add_pd(hgrad, _mm256_mul_pd(two_ml, q)), hgrad);
    // hloss *= SGN(flow).
    let negative = _mm256_cmp_pd::<_CMP_LT_OQ>(flow, zero);
    let sign = select(negative, _mm256_set1_pd(-1.0), _mm256_set1_pd(1.0));
    let hloss = _mm256_mul_pd(hloss, sign);
    let p = _mm256_div_pd(_mm256_set1_pd(1.0), hgrad);
    let y = _mm256_div_pd(hloss, hgrad);
    (store(p), store(y))
}

/// `|d| / dfull` for four junctions: the ratio whose power EPANET's `demandheadloss`
/// takes.
#[target_feature(enable = "avx2,fma")]
#[inline]
pub(crate) fn demand_ratio(d: [f64; 4], dfull: [f64; 4]) -> [f64; 4] {
    let d = _mm256_andnot_pd(_mm256_set1_pd(-0.0), load(d));
    store(_mm256_div_pd(d, load(dfull)))
}

/// EPANET's `demandheadloss` for four junctions from their demand flows `d` and full
/// demands `dfull` (cfs) and `power` = `(|d|/dfull)^(n-1)`, with what `demandcoeffs`
/// adds to the matrix: `(hloss, hgrad, 1/hgrad, (hloss + elevation + p_min)/hgrad)`.
#[target_feature(enable = "avx2,fma")]
#[inline]
#[allow(clippy::too_many_arguments)]
pub(crate) fn pda_demand(
    dp: f64,
    n: f64,
    p_min: f64,
    d: [f64; 4],
    dfull: [f64; 4],
    power: [f64; 4],
    elevation: [f64; 4],
) -> ([f64; 4], [f64; 4], [f64; 4], [f64; 4]) {
    let n_v = _mm256_set1_pd(n);
    let d = load(d);
    let dfull = load(dfull);
    let hgrad = _mm256_div_pd(
        _mm256_mul_pd(_mm256_mul_pd(n_v, _mm256_set1_pd(dp)), load(power)),
        dfull,
    );
    let hloss = _mm256_div_pd(_mm256_mul_pd(hgrad, d), n_v);
    let (hloss, hgrad) = barrier(d, hloss, hgrad, false);
    let (hloss, hgrad) = barrier(_mm256_sub_pd(d, dfull), hloss, hgrad, true);
    let one = _mm256_set1_pd(1.0);
    let diagonal = _mm256_div_pd(one, hgrad);
    let rhs = _mm256_div_pd(
        _mm256_add_pd(_mm256_add_pd(hloss, load(elevation)), _mm256_set1_pd(p_min)),
        hgrad,
    );
    (store(hloss), store(hgrad), store(diagonal), store(rhs))
}

/// EPANET's `addlowerbarrier` (`upper` false) or `addupperbarrier` on four lanes.
#[target_feature(enable = "avx2,fma")]
#[inline]
fn barrier(dq: __m256d, hloss: __m256d, hgrad: __m256d, upper: bool) -> (__m256d, __m256d) {
    let a = _mm256_mul_pd(_mm256_set1_pd(1.0e9), dq);
    let b = _mm256_sqrt_pd(_mm256_add_pd(_mm256_mul_pd(a, a), _mm256_set1_pd(1.0e-6)));
    // x/2 and x*0.5 are the same number, without a division.
    let half = _mm256_set1_pd(0.5);
    let one = _mm256_set1_pd(1.0);
    let a_over_b = _mm256_div_pd(a, b);
    let (loss, slope) = if upper {
        (_mm256_add_pd(a, b), _mm256_add_pd(one, a_over_b))
    } else {
        (_mm256_sub_pd(a, b), _mm256_sub_pd(one, a_over_b))
    };
    (
        _mm256_add_pd(hloss, _mm256_mul_pd(loss, half)),
        _mm256_add_pd(hgrad, _mm256_mul_pd(_mm256_set1_pd(1.0e9 / 2.0), slope)),
    )
}

/// `x^y` for four bases: [`crate::pow::pow_port`]'s operations with the floating-point
/// ones in lanes (the table look-ups and integer steps stay per lane), so each result
/// is the C library's bits. A lane off the main path is computed by `pow_port` alone.
#[target_feature(enable = "avx2,fma")]
#[inline]
pub(crate) fn pow4(x: [f64; 4], y: f64) -> [f64; 4] {
    use crate::pow::pow_port;
    use crate::pow::tables::{
        EXP_POLY, EXP_TABLE, INV_LN2_N, LN2_HI, LN2_LO, LOG_POLY, LOG_TABLE, NEG_LN2_HI_N,
        NEG_LN2_LO_N, SHIFT,
    };
    use std::arch::x86_64::{_mm256_fmadd_pd, _mm256_fmsub_pd};
    const OFF: u64 = 0x3fe6_9555_0000_0000;
    if ((y.to_bits() >> 52) & 0x7ff).wrapping_sub(0x3be) >= 0x80 {
        let mut out = [0.0; 4];
        for lane in 0..4 {
            out[lane] = pow_port(x[lane], y);
        }
        return out;
    }
    // A lane off the main path (a zero flow, say) computes 1^y in the lanes and is
    // taken by `pow_port` at the end.
    let mut off_path = [false; 4];
    let mut base = x;
    for lane in 0..4 {
        off_path[lane] = (x[lane].to_bits() >> 52).wrapping_sub(1) >= 0x7fe;
        if off_path[lane] {
            base[lane] = 1.0;
        }
    }
    let x_in = x;
    let x = base;
    // log(x) = k ln2 + log(c) + log1p(z/c - 1) as hi + lo (`log_inline`).
    let mut z = [0.0; 4];
    let mut kd = [0.0; 4];
    let mut invc = [0.0; 4];
    let mut logc = [0.0; 4];
    let mut logctail = [0.0; 4];
    for lane in 0..4 {
        let ix = x[lane].to_bits();
        let tmp = ix.wrapping_sub(OFF);
        let i = ((tmp >> 45) & 0x7f) as usize;
        z[lane] = f64::from_bits(ix.wrapping_sub(tmp & (0xfff << 52)));
        kd[lane] = ((tmp as i64) >> 52) as f64;
        [invc[lane], logc[lane], logctail[lane]] = LOG_TABLE[i];
    }
    let all = _mm256_set1_pd;
    let a = LOG_POLY;
    let (z, kd) = (load(z), load(kd));
    let r = _mm256_fmadd_pd(z, load(invc), all(-1.0));
    let t1 = _mm256_fmadd_pd(kd, all(LN2_HI), load(logc));
    let t2 = _mm256_add_pd(t1, r);
    let lo1 = _mm256_fmadd_pd(kd, all(LN2_LO), load(logctail));
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
    let log_hi = _mm256_add_pd(hi, lo);
    let log_lo = _mm256_add_pd(_mm256_sub_pd(hi, log_hi), lo);
    // exp(y log x) (`exp_inline`).
    let yv = all(y);
    let ehi = _mm256_mul_pd(yv, log_hi);
    let elo = _mm256_fmadd_pd(yv, log_lo, _mm256_fmsub_pd(log_hi, yv, ehi));
    // A result near overflow or underflow is `pow_port`'s too; one within 2^-54 of 1 is
    // 1 + y log x, as glibc returns it.
    let ehi_lanes = store(ehi);
    let mut near_one = [false; 4];
    for lane in 0..4 {
        let abstop = (ehi_lanes[lane].to_bits() >> 52) & 0x7ff;
        if abstop < 0x3c9 {
            near_one[lane] = true;
        } else if abstop.wrapping_sub(0x3c9) >= 0x3f {
            off_path[lane] = true;
        }
    }
    let shifted = _mm256_fmadd_pd(ehi, all(INV_LN2_N), all(SHIFT));
    let kd = _mm256_sub_pd(shifted, all(SHIFT));
    let r = _mm256_fmadd_pd(
        kd,
        all(NEG_LN2_LO_N),
        _mm256_fmadd_pd(kd, all(NEG_LN2_HI_N), ehi),
    );
    let r = _mm256_add_pd(elo, r);
    let ki = store(shifted).map(f64::to_bits);
    let mut tail = [0.0; 4];
    let mut scale = [0.0; 4];
    for lane in 0..4 {
        let idx = 2 * (ki[lane] % 128) as usize;
        tail[lane] = f64::from_bits(EXP_TABLE[idx]);
        scale[lane] = f64::from_bits(EXP_TABLE[idx + 1].wrapping_add(ki[lane] << 45));
    }
    let c = EXP_POLY;
    let r2 = _mm256_mul_pd(r, r);
    let tmp = _mm256_fmadd_pd(
        r2,
        _mm256_fmadd_pd(r, all(c[1]), all(c[0])),
        _mm256_add_pd(load(tail), r),
    );
    let tmp = _mm256_fmadd_pd(
        _mm256_mul_pd(r2, r2),
        _mm256_fmadd_pd(r, all(c[3]), all(c[2])),
        tmp,
    );
    let scale = load(scale);
    let mut out = store(_mm256_fmadd_pd(tmp, scale, scale));
    for lane in 0..4 {
        if off_path[lane] {
            out[lane] = pow_port(x_in[lane], y);
        } else if near_one[lane] {
            out[lane] = 1.0 + ehi_lanes[lane];
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pow::{pow, with_port};

    /// Four powers in lanes are the C library's, lane for lane, over bases of every
    /// binade the solver meets, zeros, subnormals and bases near 1 included.
    #[test]
    fn powers_in_lanes_are_the_c_librarys_bits() {
        #[target_feature(enable = "avx2,fma")]
        fn lanes((x, y): ([f64; 4], f64)) -> Option<[f64; 4]> {
            Some(pow4(x, y))
        }
        let mut seed = 0x5851_f42d_4c95_7f2d_u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let exponents = [1.852 - 1.0, 2.0 - 1.0, 0.5, -0.148, 1.0 / 0.75 - 1.0, 0.9];
        for round in 0..100_000 {
            let mut x = [0.0; 4];
            for lane in 0..4 {
                x[lane] = match next() % 8 {
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
            for lane in 0..4 {
                assert_eq!(ours[lane].to_bits(), pow(x[lane], y).to_bits(), "{x:?}^{y}");
            }
        }
    }
}
