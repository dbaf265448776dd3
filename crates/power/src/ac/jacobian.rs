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

    /// The admittances in the Jacobian's compressed-column order: entry `s` of block
    /// column `k` is `Ybus(i, k)` for the `i` of Ybus entry `(k, i)`.
    pub fn column_admittances(ybus: &Ybus, out: &mut Vec<Complex64>) {
        out.clear();
        out.extend(ybus.transpose.iter().map(|&t| ybus.value[t]));
    }

    /// Writes the Jacobian at voltages `v` into `values` (one block per Ybus entry, in
    /// compressed-column order), given the admittances in that order (see
    /// [`JacobianLayout::column_admittances`]), `inverse_vm = 1/|V|` (0 where |V| = 0), the
    /// computed injections `power = V·conj(Ybus·V)` and each bus's active parts.
    pub fn fill(
        ybus: &Ybus,
        column_admittance: &[Complex64],
        v: &[Complex64],
        inverse_vm: &[f64],
        power: &[Complex64],
        active: &[[f64; 2]],
        values: &mut [Block<2>],
    ) {
        for k in 0..ybus.bus_count() {
            let vk = v[k];
            let column = active[k];
            let inverse_vmk = inverse_vm[k];
            for s in ybus.row_start[k]..ybus.row_start[k + 1] {
                let i = ybus.column[s];
                let y = column_admittance[s];
                let row = active[i];
                let raw = if i != k {
                    // w = V_i·conj(Y_ik·V_k): ∂S_i/∂θ_k = −j·w, ∂S_i/∂|V_k| = w/|V_k|.
                    let w = v[i] * (y * vk).conj();
                    [[w.im, w.re * inverse_vmk], [-w.re, w.im * inverse_vmk]]
                } else {
                    // w = |V_i|²·conj(Y_ii): ∂S_i/∂θ_i = j·(S_i − w),
                    // ∂S_i/∂|V_i| = (w + S_i)/|V_i|.
                    let w = y.conj() * vk.norm_sqr();
                    let s_i = power[i];
                    [
                        [w.im - s_i.im, (w.re + s_i.re) * inverse_vmk],
                        [s_i.re - w.re, (w.im + s_i.im) * inverse_vmk],
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
                values[s] = block;
            }
        }
    }
}
