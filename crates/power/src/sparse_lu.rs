//! Sparse LU of real square matrices through faer, with the symbolic analysis (COLAMD
//! ordering, elimination tree, simplicial/supernodal choice) done once per sparsity pattern
//! and reused for every numeric factorisation on that pattern: across Newton iterations,
//! and across contingencies that keep the pattern (outaged branches are zeroed, not removed).
//!
//! Like lightsim2grid's KLU solver, and unlike pandapower (which calls SciPy's SuperLU
//! afresh each iteration), the expensive ordering is paid once.

use faer::Par;
use faer::dyn_stack::{MemBuffer, MemStack, StackReq};
use faer::sparse::SparseColMatRef;
use faer::sparse::SymbolicSparseColMatRef;
use faer::sparse::linalg::lu::{LuRef, NumericLu, SymbolicLu, factorize_symbolic_lu};
use std::sync::Arc;

/// Why a factorisation failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LuFailure {
    /// No pivot could be found: the matrix is singular.
    #[error("the matrix is singular (no pivot in column {column})")]
    Singular {
        /// Column (after ordering) without a pivot.
        column: usize,
    },
    /// Memory could not be allocated.
    #[error("out of memory in the sparse LU")]
    OutOfMemory,
}

/// A sparsity pattern (compressed columns, sorted rows) and its symbolic LU analysis.
/// Cheap to clone and share between threads.
#[derive(Debug, Clone)]
pub struct LuPattern {
    inner: Arc<PatternInner>,
}

#[derive(Debug)]
struct PatternInner {
    size: usize,
    column_start: Vec<usize>,
    row: Vec<usize>,
    symbolic: SymbolicLu<usize>,
    scratch: StackReq,
}

impl LuPattern {
    /// Analyses the pattern of a `size`×`size` matrix given in compressed columns.
    ///
    /// # Panics
    /// If the pattern is malformed (a programming error: patterns are built internally).
    pub fn analyse(
        size: usize,
        column_start: Vec<usize>,
        row: Vec<usize>,
    ) -> Result<Self, LuFailure> {
        let pattern = SymbolicSparseColMatRef::new_checked(size, size, &column_start, None, &row);
        let symbolic = factorize_symbolic_lu(pattern, Default::default())
            .map_err(|_| LuFailure::OutOfMemory)?;
        let scratch = StackReq::any_of(&[
            symbolic.factorize_numeric_lu_scratch::<f64>(Par::Seq, Default::default()),
            symbolic.solve_in_place_scratch::<f64>(1, Par::Seq),
        ]);
        Ok(Self {
            inner: Arc::new(PatternInner {
                size,
                column_start,
                row,
                symbolic,
                scratch,
            }),
        })
    }

    /// Matrix dimension.
    pub fn size(&self) -> usize {
        self.inner.size
    }

    /// Number of stored entries.
    pub fn entry_count(&self) -> usize {
        self.inner.row.len()
    }

    /// Start of each column in the entry arrays (`size + 1` values).
    pub fn column_start(&self) -> &[usize] {
        &self.inner.column_start
    }

    /// Row of each stored entry.
    pub fn rows(&self) -> &[usize] {
        &self.inner.row
    }
}

/// Numeric factors of one matrix on an [`LuPattern`], with their scratch memory; reused
/// from one factorisation to the next without reallocation.
pub struct LuFactors {
    pattern: LuPattern,
    numeric: NumericLu<usize, f64>,
    memory: MemBuffer,
    factored: bool,
}

impl LuFactors {
    /// Empty factors for matrices on `pattern`.
    pub fn new(pattern: LuPattern) -> Self {
        let memory = MemBuffer::new(pattern.inner.scratch);
        Self {
            pattern,
            numeric: NumericLu::new(),
            memory,
            factored: false,
        }
    }

    /// The pattern these factors belong to.
    pub fn pattern(&self) -> &LuPattern {
        &self.pattern
    }

    /// Factors the matrix with the given values (one per pattern entry, same order).
    pub fn factor(&mut self, values: &[f64]) -> Result<(), LuFailure> {
        let inner = &*self.pattern.inner;
        let matrix = SparseColMatRef::new(
            SymbolicSparseColMatRef::new_checked(
                inner.size,
                inner.size,
                &inner.column_start,
                None,
                &inner.row,
            ),
            values,
        );
        self.factored = false;
        inner
            .symbolic
            .factorize_numeric_lu(
                &mut self.numeric,
                matrix,
                Par::Seq,
                MemStack::new(&mut self.memory),
                Default::default(),
            )
            .map_err(|error| match error {
                faer::sparse::linalg::LuError::SymbolicSingular { index } => {
                    LuFailure::Singular { column: index }
                }
                faer::sparse::linalg::LuError::Generic(_) => LuFailure::OutOfMemory,
            })?;
        self.factored = true;
        Ok(())
    }

    /// Solves `A·x = b` in place (`b` in, `x` out) with the last factorisation.
    ///
    /// # Panics
    /// If called before a successful [`LuFactors::factor`], or with the wrong length.
    pub fn solve_in_place(&mut self, rhs: &mut [f64]) {
        assert!(self.factored, "solve before a successful factorisation");
        let inner = &*self.pattern.inner;
        let lu = LuRef::new_unchecked(&inner.symbolic, &self.numeric);
        let rhs = faer::MatMut::from_column_major_slice_mut(rhs, inner.size, 1);
        lu.solve_in_place_with_conj(
            faer::Conj::No,
            rhs,
            Par::Seq,
            MemStack::new(&mut self.memory),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solves_a_small_unsymmetric_system_twice_on_one_pattern() {
        // A = [[4, 1, 0], [2, 5, 1], [0, 3, 6]] in compressed columns.
        let pattern = LuPattern::analyse(3, vec![0, 2, 5, 7], vec![0, 1, 0, 1, 2, 1, 2]).unwrap();
        let mut factors = LuFactors::new(pattern);
        factors
            .factor(&[4.0, 2.0, 1.0, 5.0, 3.0, 1.0, 6.0])
            .unwrap();
        let mut b = [5.0, 8.0, 9.0]; // A·[1,1,1]
        factors.solve_in_place(&mut b);
        for x in b {
            assert!((x - 1.0).abs() < 1e-12);
        }
        // New values, same pattern: A' = 2A.
        factors
            .factor(&[8.0, 4.0, 2.0, 10.0, 6.0, 2.0, 12.0])
            .unwrap();
        let mut b = [5.0, 8.0, 9.0];
        factors.solve_in_place(&mut b);
        for x in b {
            assert!((x - 0.5).abs() < 1e-12);
        }
    }

    #[test]
    fn structurally_singular_matrix_is_reported() {
        // Column 1 is empty.
        let pattern = LuPattern::analyse(2, vec![0, 2, 2], vec![0, 1]).unwrap();
        let mut factors = LuFactors::new(pattern);
        assert!(factors.factor(&[1.0, 1.0]).is_err());
    }
}
