//! Numeric block LU on a fixed [`Structure`] with diagonal block pivots (left-looking,
//! block column by block column), and the triangular solves.
//!
//! A diagonal block is refused as pivot when it makes an entry of L larger than
//! `1/PIVOT_THRESHOLD` in magnitude (for 1×1 blocks this is KLU's diagonal-preference test:
//! the pivot must be at least `PIVOT_THRESHOLD` of the column's largest entry), or when it
//! is singular or badly conditioned; the caller then falls back to a factorisation with
//! row pivoting.

use super::block::{self, Block};
use super::symbolic::Structure;

/// Smallest accepted pivot size relative to the rest of its column.
pub(super) const PIVOT_THRESHOLD: f64 = 0.01;

/// Largest accepted condition number of a diagonal block (the block is inverted without
/// pivoting inside it). Power-flow blocks are near 1; anything worse goes to the fallback.
pub(super) const MAX_PIVOT_CONDITION: f64 = 1e8;

/// A diagonal pivot was refused.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct UnstablePivot;

/// Values of L (unit block-lower, strictly lower part), U (strictly upper part) and the
/// inverses of U's diagonal blocks.
#[derive(Debug, Clone)]
pub(super) struct Factors<const B: usize> {
    l_value: Vec<Block<B>>,
    u_value: Vec<Block<B>>,
    u_diagonal_inverse: Vec<Block<B>>,
    work: Vec<Block<B>>,
    vector: Vec<[f64; B]>,
}

impl<const B: usize> Factors<B> {
    pub fn new(structure: &Structure) -> Self {
        let n = structure.permutation.len();
        Self {
            l_value: vec![block::zero(); structure.l_row.len()],
            u_value: vec![block::zero(); structure.u_row.len()],
            u_diagonal_inverse: vec![block::zero(); n],
            work: vec![block::zero(); n],
            vector: vec![[0.0; B]; n],
        }
    }

    /// Factors `P·A·Pᵀ = L·U` where `values` are A's blocks in the caller's order.
    pub fn factor(&mut self, s: &Structure, values: &[Block<B>]) -> Result<(), UnstablePivot> {
        let n = s.permutation.len();
        let x = &mut self.work;
        for j in 0..n {
            let scatter = s.scatter_start[j]..s.scatter_start[j + 1];
            for (&i, &source) in s.scatter_row[scatter.clone()]
                .iter()
                .zip(&s.scatter_source[scatter])
            {
                x[i] = values[source];
            }
            let u_range = s.u_column_start[j]..s.u_column_start[j + 1];
            for q in u_range.clone() {
                let k = s.u_row[q];
                let xk = x[k];
                self.u_value[q] = xk;
                if !block::is_zero(&xk) {
                    let l_range = s.l_column_start[k]..s.l_column_start[k + 1];
                    for (&i, l) in s.l_row[l_range.clone()].iter().zip(&self.l_value[l_range]) {
                        block::multiply_subtract(&mut x[i], l, &xk);
                    }
                }
            }
            let l_range = s.l_column_start[j]..s.l_column_start[j + 1];
            let inverse = block::inverse(&x[j])
                .filter(|inverse| block::norm(&x[j]) * block::norm(inverse) < MAX_PIVOT_CONDITION);
            let mut stable = inverse.is_some();
            if let Some(inverse) = inverse {
                self.u_diagonal_inverse[j] = inverse;
                for (&i, l) in s.l_row[l_range.clone()]
                    .iter()
                    .zip(&mut self.l_value[l_range.clone()])
                {
                    *l = block::multiply(&x[i], &inverse);
                    stable &= block::largest_entry(l) <= 1.0 / PIVOT_THRESHOLD;
                    x[i] = block::zero();
                }
            }
            if !stable {
                for &i in &s.l_row[l_range] {
                    x[i] = block::zero();
                }
                for &k in &s.u_row[u_range] {
                    x[k] = block::zero();
                }
                x[j] = block::zero();
                return Err(UnstablePivot);
            }
            for &k in &s.u_row[u_range] {
                x[k] = block::zero();
            }
            x[j] = block::zero();
        }
        Ok(())
    }

    /// Solves `A·x = b` in place.
    pub fn solve_in_place(&mut self, s: &Structure, rhs: &mut [[f64; B]]) {
        let n = s.permutation.len();
        let y = &mut self.vector;
        for (new, &old) in s.permutation.iter().enumerate() {
            y[new] = rhs[old];
        }
        for j in 0..n {
            let yj = y[j];
            if yj.iter().any(|&v| v != 0.0) {
                let range = s.l_column_start[j]..s.l_column_start[j + 1];
                for (&i, l) in s.l_row[range.clone()].iter().zip(&self.l_value[range]) {
                    block::multiply_subtract_vector(&mut y[i], l, &yj);
                }
            }
        }
        for j in (0..n).rev() {
            let yj = block::multiply_vector(&self.u_diagonal_inverse[j], &y[j]);
            y[j] = yj;
            if yj.iter().any(|&v| v != 0.0) {
                let range = s.u_column_start[j]..s.u_column_start[j + 1];
                for (&k, u) in s.u_row[range.clone()].iter().zip(&self.u_value[range]) {
                    block::multiply_subtract_vector(&mut y[k], u, &yj);
                }
            }
        }
        for (new, &old) in s.permutation.iter().enumerate() {
            rhs[old] = y[new];
        }
    }
}
