//! Pipes or junctions in groups of four: EPANET's per-element arithmetic of the head
//! losses, in AVX2 lanes (x86-64 only, called only where [`crate::pow::with_port`] has
//! found FMA and AVX2).
//!
//! Each lane does exactly the scalar operations of EPANET's expression, in its order,
//! each rounded once (no fused multiply-add where the C has none), so a lane's result is
//! the scalar code's bits; what is gained is that the divisions and square roots, which
//! bound a trial's time, go four to an instruction. Branches become selects: both sides
//! are computed and the one EPANET takes is kept. The powers come from
//! [`crate::pow::pow_groups`]. Each step is made for every group before the next, so
//! that the groups' chains of dependent operations (a power, then divisions) overlap.

use crate::pow::pow_groups;
use std::arch::x86_64::{
    __m256d, _CMP_GT_OQ, _CMP_LT_OQ, _mm_cvtsd_f64, _mm_unpackhi_pd, _mm256_add_pd,
    _mm256_andnot_pd, _mm256_blendv_pd, _mm256_castpd256_pd128, _mm256_cmp_pd, _mm256_div_pd,
    _mm256_extractf128_pd, _mm256_mul_pd, _mm256_set_pd, _mm256_set1_pd, _mm256_sqrt_pd,
    _mm256_sub_pd,
};

/// Four values, one per lane.
#[target_feature(enable = "avx2,fma")]
#[inline]
pub(crate) fn load(v: [f64; 4]) -> __m256d {
    _mm256_set_pd(v[3], v[2], v[1], v[0])
}

/// The four lanes as values.
#[target_feature(enable = "avx2,fma")]
#[inline]
pub(crate) fn store(v: __m256d) -> [f64; 4] {
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

/// EPANET's `pipecoeff` for `N` groups of four open H-W pipes from their flows (cfs),
/// resistances and minor-loss coefficients: `(P, Y)` per pipe. The groups' steps are
/// made together, so that their chains of dependent operations overlap.
#[target_feature(enable = "avx2,fma")]
#[inline]
pub(crate) fn hw_pipes<const N: usize>(
    hexp: f64,
    rqtol: f64,
    flow: [[f64; 4]; N],
    r: [[f64; 4]; N],
    ml: [[f64; 4]; N],
) -> ([[f64; 4]; N], [[f64; 4]; N]) {
    let q = flow.map(|flow| flow.map(f64::abs));
    let power = pow_groups(q, hexp - 1.0);
    let zero = _mm256_set1_pd(0.0);
    let hexp = _mm256_set1_pd(hexp);
    let rqtol = _mm256_set1_pd(rqtol);
    let floor = _mm256_div_pd(rqtol, hexp);
    let mut p = [[0.0; 4]; N];
    let mut y = [[0.0; 4]; N];
    for g in 0..N {
        let flow = load(flow[g]);
        let ml = load(ml[g]);
        let q = load(q[g]);
        // hgrad = hexp * r * q^(hexp-1); below RQtol, RQtol/hexp and a linear head loss.
        let hgrad = _mm256_mul_pd(_mm256_mul_pd(hexp, load(r[g])), load(power[g]));
        let small = _mm256_cmp_pd::<_CMP_LT_OQ>(hgrad, rqtol);
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
        p[g] = store(_mm256_div_pd(_mm256_set1_pd(1.0), hgrad));
        y[g] = store(_mm256_div_pd(hloss, hgrad));
    }
    (p, y)
}

/// The four values of each junction that [`pda_demands`] gives: `(hloss, hgrad,
/// 1/hgrad, (hloss + elevation + p_min)/hgrad)`, each per lane of each group.
pub(crate) type DemandLanes<const N: usize> =
    ([[f64; 4]; N], [[f64; 4]; N], [[f64; 4]; N], [[f64; 4]; N]);

/// EPANET's `demandheadloss` for `N` groups of four junctions from their demand flows
/// `d` and full demands `dfull` (cfs), with what `demandcoeffs` adds to the matrix
/// (see [`DemandLanes`]). The groups' steps are made together, as in [`hw_pipes`].
#[target_feature(enable = "avx2,fma")]
#[inline]
pub(crate) fn pda_demands<const N: usize>(
    dp: f64,
    n: f64,
    p_min: f64,
    d: [[f64; 4]; N],
    dfull: [[f64; 4]; N],
    elevation: [[f64; 4]; N],
) -> DemandLanes<N> {
    let n_v = _mm256_set1_pd(n);
    // (|d| / dfull)^(n - 1).
    let mut ratio = [[0.0; 4]; N];
    for g in 0..N {
        let d = load(d[g]);
        let abs_d = _mm256_andnot_pd(_mm256_set1_pd(-0.0), d);
        ratio[g] = store(_mm256_div_pd(abs_d, load(dfull[g])));
    }
    let power = pow_groups(ratio, n - 1.0);
    let mut out = ([[0.0; 4]; N], [[0.0; 4]; N], [[0.0; 4]; N], [[0.0; 4]; N]);
    for g in 0..N {
        let d = load(d[g]);
        let dfull = load(dfull[g]);
        let hgrad = _mm256_div_pd(
            _mm256_mul_pd(_mm256_mul_pd(n_v, _mm256_set1_pd(dp)), load(power[g])),
            dfull,
        );
        let hloss = _mm256_div_pd(_mm256_mul_pd(hgrad, d), n_v);
        let (hloss, hgrad) = barrier(d, hloss, hgrad, false);
        let (hloss, hgrad) = barrier(_mm256_sub_pd(d, dfull), hloss, hgrad, true);
        let one = _mm256_set1_pd(1.0);
        let diagonal = _mm256_div_pd(one, hgrad);
        let rhs = _mm256_div_pd(
            _mm256_add_pd(
                _mm256_add_pd(hloss, load(elevation[g])),
                _mm256_set1_pd(p_min),
            ),
            hgrad,
        );
        out.0[g] = store(hloss);
        out.1[g] = store(hgrad);
        out.2[g] = store(diagonal);
        out.3[g] = store(rhs);
    }
    out
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
