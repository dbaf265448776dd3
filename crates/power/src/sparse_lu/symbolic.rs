//! Symbolic analysis for LU with diagonal pivots on a structurally symmetric pattern:
//! an approximate-minimum-degree ordering of `A + Aᵀ` (faer's AMD), the elimination tree
//! of the permuted pattern, and the exact patterns of `L` and `U = Lᵀ-pattern`.
//!
//! With pivots on the diagonal, the factors of `P·A·Pᵀ` have the pattern of the Cholesky
//! factor of `P·(A + Aᵀ)·Pᵀ`, as in KLU and in the symmetric mode of UMFPACK.

use faer::dyn_stack::{MemBuffer, MemStack};
use faer::sparse::SymbolicSparseColMatRef;
use faer::sparse::linalg::amd;

/// Static structure of the factors of one pattern.
#[derive(Debug, Clone)]
pub(super) struct Structure {
    /// `permutation[new] = old`.
    pub permutation: Vec<usize>,
    /// Entries of the permuted matrix `B = P·A·Pᵀ` that carry a value (A's own entries,
    /// not the zeros of the symmetrised pattern): column starts.
    pub scatter_start: Vec<usize>,
    /// Row (in B) of each such entry.
    pub scatter_row: Vec<usize>,
    /// Position of each such entry's value in the caller's value array.
    pub scatter_source: Vec<usize>,
    /// Strictly lower part of L, unit diagonal implied: column starts.
    pub l_column_start: Vec<usize>,
    /// Rows of L, ascending within each column.
    pub l_row: Vec<usize>,
    /// Strictly upper part of U: column starts (the diagonal is kept apart).
    pub u_column_start: Vec<usize>,
    /// Rows of U, ascending within each column.
    pub u_row: Vec<usize>,
}

/// Builds the structure for the `size`×`size` pattern in compressed columns.
/// Returns `None` if faer's AMD fails (out of memory).
pub(super) fn analyse(size: usize, column_start: &[usize], row: &[usize]) -> Option<Structure> {
    let (permutation, inverse) = amd_ordering(size, column_start, row)?;
    let b = Permuted::new(column_start, row, &inverse);
    let parent = b.elimination_tree();
    let (l_column_start, l_row) = b.l_pattern(&parent);
    let (u_column_start, u_row) = transpose(&l_column_start, &l_row);
    let (scatter_start, scatter_row, scatter_source) = b.scatter(row.len());
    Some(Structure {
        permutation,
        scatter_start,
        scatter_row,
        scatter_source,
        l_column_start,
        l_row,
        u_column_start,
        u_row,
    })
}

/// faer's AMD ordering of `A + Aᵀ`: (`permutation[new] = old`, `inverse[old] = new`).
/// `None` when its scratch memory cannot be had.
fn amd_ordering(
    n: usize,
    column_start: &[usize],
    row: &[usize],
) -> Option<(Vec<usize>, Vec<usize>)> {
    let mut permutation = vec![0usize; n];
    let mut inverse = vec![0usize; n];
    if n > 0 {
        let pattern = SymbolicSparseColMatRef::new_checked(n, n, column_start, None, row);
        let mut memory = MemBuffer::try_new(amd::order_scratch::<usize>(n, row.len())).ok()?;
        amd::order(
            &mut permutation,
            &mut inverse,
            pattern,
            amd::Control::default(),
            MemStack::new(&mut memory),
        )
        .ok()?;
    }
    Some((permutation, inverse))
}

/// The symmetrised, permuted pattern `B = P·(A + Aᵀ)·Pᵀ` with every diagonal entry, in
/// compressed columns, rows ascending.
struct Permuted {
    column_start: Vec<usize>,
    row: Vec<usize>,
    /// Position of each entry's value in A's value array; `usize::MAX` for entries that
    /// exist only in Aᵀ or on a missing diagonal (their value is zero).
    source: Vec<usize>,
}

impl Permuted {
    /// B from A's pattern and the ordering's `inverse`.
    fn new(column_start: &[usize], row: &[usize], inverse: &[usize]) -> Self {
        let n = inverse.len();
        let mut counts = vec![0usize; n + 1];
        for j in 0..n {
            for &i in &row[column_start[j]..column_start[j + 1]] {
                counts[inverse[j] + 1] += 1;
                if i != j {
                    counts[inverse[i] + 1] += 1;
                }
            }
            counts[inverse[j] + 1] += 1; // room for a diagonal
        }
        for j in 0..n {
            counts[j + 1] += counts[j];
        }
        let mut fill = counts.clone();
        let mut entries: Vec<(usize, usize)> = vec![(0, usize::MAX); counts[n]];
        for j in 0..n {
            let new_j = inverse[j];
            for p in column_start[j]..column_start[j + 1] {
                let i = row[p];
                let new_i = inverse[i];
                entries[fill[new_j]] = (new_i, p);
                fill[new_j] += 1;
                if i != j {
                    entries[fill[new_i]] = (new_j, usize::MAX);
                    fill[new_i] += 1;
                }
            }
            entries[fill[new_j]] = (new_j, usize::MAX);
            fill[new_j] += 1;
        }
        let mut b = Self {
            column_start: Vec::with_capacity(n + 1),
            row: Vec::with_capacity(entries.len()),
            source: Vec::with_capacity(entries.len()),
        };
        b.column_start.push(0);
        for j in 0..n {
            let column = &mut entries[counts[j]..counts[j + 1]];
            // Sort by row, real entries (finite source) before structural ones.
            column.sort_unstable();
            let mut last_row = usize::MAX;
            for &(i, source) in column.iter() {
                if i == last_row {
                    continue; // a duplicate: the first (with a real source, if any) wins
                }
                last_row = i;
                b.row.push(i);
                b.source.push(source);
            }
            b.column_start.push(b.row.len());
        }
        b
    }

    fn size(&self) -> usize {
        self.column_start.len() - 1
    }

    /// Rows of column `k`.
    fn column(&self, k: usize) -> &[usize] {
        &self.row[self.column_start[k]..self.column_start[k + 1]]
    }

    /// The elimination tree (Liu's algorithm with path compression): `parent[j]`, or
    /// `usize::MAX` at a root.
    fn elimination_tree(&self) -> Vec<usize> {
        let n = self.size();
        let mut parent = vec![usize::MAX; n];
        let mut ancestor = vec![usize::MAX; n];
        for k in 0..n {
            for &i in self.column(k) {
                let mut node = i;
                while node < k {
                    let next = ancestor[node];
                    ancestor[node] = k;
                    if next == usize::MAX {
                        parent[node] = k;
                        break;
                    }
                    node = next;
                }
            }
        }
        parent
    }

    /// The strictly lower pattern of L (column starts, rows ascending) from row subtrees:
    /// L(k, j) ≠ 0 for every j on the etree paths from the entries B(i, k), i < k, up to
    /// k. Two passes: count, then fill in row order.
    fn l_pattern(&self, parent: &[usize]) -> (Vec<usize>, Vec<usize>) {
        let n = self.size();
        let mut mark = vec![usize::MAX; n];
        let mut l_counts = vec![0usize; n + 1];
        let visit = |k: usize, mark: &mut [usize], each: &mut dyn FnMut(usize)| {
            mark[k] = k;
            for &i in self.column(k) {
                let mut node = i;
                while node < k && mark[node] != k {
                    each(node);
                    mark[node] = k;
                    node = parent[node];
                }
            }
        };
        for k in 0..n {
            visit(k, &mut mark, &mut |j| l_counts[j + 1] += 1);
        }
        for j in 0..n {
            l_counts[j + 1] += l_counts[j];
        }
        let l_column_start = l_counts.clone();
        let mut l_fill = l_counts;
        let mut l_row = vec![0usize; l_column_start[n]];
        mark.fill(usize::MAX);
        for k in 0..n {
            visit(k, &mut mark, &mut |j| {
                l_row[l_fill[j]] = k;
                l_fill[j] += 1;
            });
        }
        (l_column_start, l_row)
    }

    /// The entries with a value in A, which the numeric phase scatters (its work vector
    /// is zero elsewhere): column starts, rows and value positions; `capacity` is A's
    /// entry count.
    fn scatter(&self, capacity: usize) -> (Vec<usize>, Vec<usize>, Vec<usize>) {
        let mut scatter_start = Vec::with_capacity(self.size() + 1);
        let mut scatter_row = Vec::with_capacity(capacity);
        let mut scatter_source = Vec::with_capacity(capacity);
        scatter_start.push(0);
        for j in 0..self.size() {
            for p in self.column_start[j]..self.column_start[j + 1] {
                if self.source[p] != usize::MAX {
                    scatter_row.push(self.row[p]);
                    scatter_source.push(self.source[p]);
                }
            }
            scatter_start.push(scatter_row.len());
        }
        (scatter_start, scatter_row, scatter_source)
    }
}

/// The transposed pattern (U's from L's: column k of U = row k of L), rows ascending.
fn transpose(l_column_start: &[usize], l_row: &[usize]) -> (Vec<usize>, Vec<usize>) {
    let n = l_column_start.len() - 1;
    let mut u_column_start = vec![0usize; n + 1];
    for &i in l_row {
        u_column_start[i + 1] += 1;
    }
    for j in 0..n {
        u_column_start[j + 1] += u_column_start[j];
    }
    let mut u_fill = u_column_start.clone();
    let mut u_row = vec![0usize; l_row.len()];
    for k in 0..n {
        for &i in &l_row[l_column_start[k]..l_column_start[k + 1]] {
            u_row[u_fill[i]] = k;
            u_fill[i] += 1;
        }
    }
    (u_column_start, u_row)
}
