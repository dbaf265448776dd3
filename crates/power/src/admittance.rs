//! Branch admittances and the bus admittance matrix, exactly as MATPOWER's `makeYbus`.
//!
//! Pi model with the ideal transformer on the from side: `ys = 1/(r + jx)`,
//! `tau = m·e^{j·shift}`, `Yff = (ys + j·b/2)/|tau|²`, `Yft = -ys/conj(tau)`,
//! `Ytf = -ys/tau`, `Ytt = ys + j·b/2`. Bus shunts `(GS + j·BS)/baseMVA` join the diagonal.
//! All values in p.u. on the case's base.

use crate::branch::Branch;
use num_complex::Complex64;

/// The four entries a branch adds to the bus admittance matrix, p.u.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BranchAdmittance {
    /// From-from entry.
    pub yff: Complex64,
    /// From-to entry.
    pub yft: Complex64,
    /// To-from entry.
    pub ytf: Complex64,
    /// To-to entry.
    pub ytt: Complex64,
}

impl BranchAdmittance {
    /// The admittances of `branch` in its pi model.
    pub fn of(branch: &Branch) -> Self {
        let ys = Complex64::new(branch.r_pu, branch.x_pu).inv();
        let charging = Complex64::new(0.0, branch.b_pu / 2.0);
        let tau = Complex64::from_polar(branch.effective_ratio(), branch.shift_deg.to_radians());
        let ytt = ys + charging;
        Self {
            yff: ytt / tau.norm_sqr(),
            yft: -ys / tau.conj(),
            ytf: -ys / tau,
            ytt,
        }
    }
}

/// A square complex sparse matrix in compressed sparse row form with sorted columns and
/// an explicit diagonal in every row (the bus admittance matrix, p.u.).
#[derive(Debug, Clone)]
pub struct Ybus {
    /// Row `i` occupies `row_start[i]..row_start[i + 1]`.
    pub row_start: Vec<usize>,
    /// Column of each stored entry.
    pub column: Vec<usize>,
    /// Value of each stored entry.
    pub value: Vec<Complex64>,
    /// Position of the diagonal entry of each row.
    pub diagonal: Vec<usize>,
    /// For each stored entry `(i, k)`, the position of `(k, i)` (the pattern is symmetric).
    pub transpose: Vec<usize>,
}

/// Where a branch's four entries sit in [`Ybus::value`]: `[ff, ft, tf, tt]`.
pub type BranchSlots = [usize; 4];

impl Ybus {
    /// Builds the matrix for `bus_count` buses, branches given as `(from, to, admittance)`
    /// in local bus indices, and a shunt admittance per bus. Returns the matrix and the
    /// slots of each branch's entries, in the order given.
    pub fn build(
        bus_count: usize,
        branches: &[(usize, usize, BranchAdmittance)],
        shunts: &[Complex64],
    ) -> (Self, Vec<BranchSlots>) {
        // Pattern: diagonal plus both off-diagonals of every branch, sorted, deduplicated.
        let mut neighbours: Vec<Vec<usize>> = (0..bus_count).map(|i| vec![i]).collect();
        for &(f, t, _) in branches {
            neighbours[f].push(t);
            neighbours[t].push(f);
        }
        let mut row_start = Vec::with_capacity(bus_count + 1);
        let mut column = Vec::new();
        let mut diagonal = Vec::with_capacity(bus_count);
        row_start.push(0);
        for (i, row) in neighbours.iter_mut().enumerate() {
            row.sort_unstable();
            row.dedup();
            diagonal.push(column.len() + row.partition_point(|&k| k < i));
            column.extend_from_slice(row);
            row_start.push(column.len());
        }
        let slot = |i: usize, k: usize| -> usize {
            let row = &column[row_start[i]..row_start[i + 1]];
            row_start[i] + row.partition_point(|&c| c < k)
        };
        let mut value = vec![Complex64::new(0.0, 0.0); column.len()];
        let mut slots = Vec::with_capacity(branches.len());
        for &(f, t, y) in branches {
            let s = [slot(f, f), slot(f, t), slot(t, f), slot(t, t)];
            value[s[0]] += y.yff;
            value[s[1]] += y.yft;
            value[s[2]] += y.ytf;
            value[s[3]] += y.ytt;
            slots.push(s);
        }
        for (i, shunt) in shunts.iter().enumerate() {
            value[diagonal[i]] += shunt;
        }
        let transpose = (0..bus_count)
            .flat_map(|i| (row_start[i]..row_start[i + 1]).map(move |s| (i, s)))
            .map(|(i, s)| slot(column[s], i))
            .collect();
        (
            Self {
                row_start,
                column,
                value,
                diagonal,
                transpose,
            },
            slots,
        )
    }

    /// Number of buses (rows).
    pub fn bus_count(&self) -> usize {
        self.row_start.len() - 1
    }

    /// Removes a branch's contribution (for an outage), keeping the pattern, so that
    /// factorisations of matrices built on this pattern stay valid.
    pub fn remove_branch(&mut self, slots: &BranchSlots, y: &BranchAdmittance) {
        self.value[slots[0]] -= y.yff;
        self.value[slots[1]] -= y.yft;
        self.value[slots[2]] -= y.ytf;
        self.value[slots[3]] -= y.ytt;
    }

    /// `I = Ybus·V`, p.u.
    pub fn multiply(&self, v: &[Complex64], current: &mut [Complex64]) {
        for (i, out) in current.iter_mut().enumerate() {
            let mut sum = Complex64::new(0.0, 0.0);
            for s in self.row_start[i]..self.row_start[i + 1] {
                sum += self.value[s] * v[self.column[s]];
            }
            *out = sum;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(r: f64, x: f64, b: f64, tap: f64, shift: f64) -> Branch {
        Branch {
            from: 1,
            to: 2,
            r_pu: r,
            x_pu: x,
            b_pu: b,
            rate_a_mva: 0.0,
            rate_b_mva: 0.0,
            rate_c_mva: 0.0,
            tap_ratio: tap,
            shift_deg: shift,
            in_service: true,
            angle_min_deg: -360.0,
            angle_max_deg: 360.0,
        }
    }

    #[test]
    fn plain_line_is_symmetric() {
        let y = BranchAdmittance::of(&line(0.01, 0.1, 0.02, 0.0, 0.0));
        assert_eq!(y.yft, y.ytf);
        assert!((y.yff - y.ytt).norm() < 1e-15);
        let ys = Complex64::new(0.01, 0.1).inv();
        assert!((y.yff - (ys + Complex64::new(0.0, 0.01))).norm() < 1e-12);
    }

    #[test]
    fn phase_shifter_makes_transfer_admittances_differ() {
        let y = BranchAdmittance::of(&line(0.0, 0.1, 0.0, 1.05, 10.0));
        let ys = Complex64::new(0.0, 0.1).inv();
        let tau = Complex64::from_polar(1.05, 10f64.to_radians());
        assert!((y.yft - (-ys / tau.conj())).norm() < 1e-12);
        assert!((y.ytf - (-ys / tau)).norm() < 1e-12);
        assert!((y.yff - ys / (1.05 * 1.05)).norm() < 1e-12);
    }

    #[test]
    fn ybus_accumulates_parallel_branches_and_shunts() {
        let y = BranchAdmittance::of(&line(0.0, 0.2, 0.0, 0.0, 0.0));
        let shunts = [
            Complex64::new(0.0, 0.5),
            Complex64::new(0.0, 0.0),
            Complex64::new(0.1, 0.0),
        ];
        let (ybus, slots) = Ybus::build(3, &[(0, 1, y), (1, 0, y), (1, 2, y)], &shunts);
        assert_eq!(ybus.row_start, vec![0, 2, 5, 7]);
        let mut reversed = slots[1];
        reversed.reverse();
        assert_eq!(slots[0], reversed);
        assert!((ybus.value[ybus.diagonal[0]] - (y.yff * 2.0 + shunts[0])).norm() < 1e-12);
        for (s, &t) in ybus.transpose.iter().enumerate() {
            assert_eq!(ybus.transpose[t], s);
        }
    }
}
