//! The Newton–Raphson Jacobian in polar form, as a matrix of 2×2 blocks on the pattern
//! of Ybus: block (i, k) = [[∂P_i/∂θ_k, ∂P_i/∂|V_k|], [∂Q_i/∂θ_k, ∂Q_i/∂|V_k|]].
//!
//! MATPOWER's `newtonpf` drops the rows and columns of quantities that are fixed (Q at PV
//! buses; P and Q at the slack); we keep them as identity rows with a zero right-hand side
//! instead, so the pattern depends on the branches alone. The same symbolic analysis
//! then serves every solve on that topology, whatever the bus kinds: a PV bus turned PQ
//! by a generator outage or a reactive limit, a new slack in an island, a de-energised
//! bus held at zero. The solution is identical to MATPOWER's: the extra rows say "this
//! quantity does not change".

use crate::admittance::Ybus;
use crate::bus::BusKind;
use crate::sparse_lu::block::Block;
use crate::sparse_lu::{LuFailure, LuPattern};
use num_complex::Complex64;

/// Which equations and unknowns of a bus are active: `[P or θ, Q or |V|]` as 1.0 / 0.0.
pub fn active_parts(kind: BusKind) -> [f64; 2] {
    match kind {
        BusKind::Pq => [1.0, 1.0],
        BusKind::Pv => [1.0, 0.0],
        BusKind::Slack | BusKind::Isolated => [0.0, 0.0],
    }
}

/// The Jacobian's block pattern (that of Ybus) and its symbolic LU analysis.
#[derive(Debug, Clone)]
pub struct JacobianLayout {
    /// The pattern and its analysis.
    pub lu: LuPattern<2>,
}

impl JacobianLayout {
    /// Lays out the Jacobian on the pattern of `ybus` and analyses it symbolically.
    /// Block column k holds the blocks (i, k) for the neighbours i of k, which is Ybus's
    /// row k by structural symmetry.
    pub fn new(ybus: &Ybus) -> Result<Self, LuFailure> {
        let lu = LuPattern::analyse(
            ybus.bus_count(),
            ybus.row_start.clone(),
            ybus.column.clone(),
        )?;
        Ok(Self { lu })
    }

    /// Writes the Jacobian at voltages `v` into `values` (one block per Ybus entry, in
    /// compressed-column order), given `inverse_vm = 1/|V|` (0 where |V| = 0), the
    /// computed injections `power = V·conj(Ybus·V)` and each bus's active parts.
    pub fn fill(
        ybus: &Ybus,
        v: &[Complex64],
        inverse_vm: &[f64],
        power: &[Complex64],
        active: &[[f64; 2]],
        values: &mut [Block<2>],
    ) {
        for i in 0..ybus.bus_count() {
            let vi = v[i];
            let row = active[i];
            for s in ybus.row_start[i]..ybus.row_start[i + 1] {
                let k = ybus.column[s];
                let y = ybus.value[s];
                let column = active[k];
                let raw = if k != i {
                    let w = vi * (y * v[k]).conj();
                    [[w.im, w.re * inverse_vm[k]], [-w.re, w.im * inverse_vm[k]]]
                } else {
                    let w = y.conj() * vi.norm_sqr();
                    let s_i = power[i];
                    [
                        [w.im - s_i.im, (w.re + s_i.re) * inverse_vm[i]],
                        [s_i.re - w.re, (w.im + s_i.im) * inverse_vm[i]],
                    ]
                };
                let mut block = [
                    [
                        raw[0][0] * row[0] * column[0],
                        raw[0][1] * row[0] * column[1],
                    ],
                    [
                        raw[1][0] * row[1] * column[0],
                        raw[1][1] * row[1] * column[1],
                    ],
                ];
                if i == k {
                    // A fixed quantity's row: "this unknown does not change", scaled like
                    // the rest of the block so that the diagonal pivot stays acceptable.
                    for r in 0..2 {
                        if row[r] == 0.0 {
                            let scale = raw[r][r].abs();
                            block[r][r] = if scale > 0.0 && scale.is_finite() {
                                scale
                            } else {
                                1.0
                            };
                        }
                    }
                }
                values[ybus.transpose[s]] = block;
            }
        }
    }
}
