//! The sparse symmetric positive-definite system of the junction heads (EPANET's
//! `smatrix.c`): one row per junction, one off-diagonal slot per pair of junctions joined
//! by a link (parallel links share it). Tanks and reservoirs are fixed heads and have no
//! row; a link touching one only adds to its other end's diagonal and right-hand side.
//!
//! The structure is analysed once per network in [`NodalSystem::new`]: faer's approximate
//! minimum degree ordering (EPANET uses its own multiple minimum degree ordering, so
//! rounding differs in the last digits), the elimination tree and the pattern of the
//! Cholesky factor. [`NodalSystem::solve`] then refactorises numerically with an
//! up-looking sparse Cholesky (`L·Lᵀ`) into that fixed pattern and substitutes.
//!
//! Units: whatever the caller assembles; the solver assembles ft²/s-ish gradients and
//! solves for heads in ft.

use faer::dyn_stack::{MemBuffer, MemStack};
use faer::sparse::SymbolicSparseColMatRef;
use faer::sparse::linalg::amd;

/// The nodal system `A·H = F` of the junction heads, with its structure analysed once.
#[derive(Debug, Clone)]
pub struct NodalSystem {
    /// Number of junctions (rows).
    n: usize,
    /// `perm[new] = old`: the junction at elimination step `new`.
    perm: Vec<usize>,
    /// `pinv[old] = new`.
    pinv: Vec<usize>,
    /// Upper triangle of the permuted matrix, by column: column pointers.
    a_p: Vec<usize>,
    /// Row indices (permuted), sorted in each column, diagonal last.
    a_i: Vec<usize>,
    /// Values (assembled each trial).
    a_x: Vec<f64>,
    /// Slot in `a_x` of each junction's diagonal.
    diag_slot: Vec<usize>,
    /// Slot in `a_x` of each link's off-diagonal, `None` when an end is fixed-head or
    /// both ends are the same node.
    link_slot: Vec<Option<usize>>,
    /// Right-hand side, by original junction.
    rhs: Vec<f64>,
    /// Elimination tree parent (permuted), `usize::MAX` at a root.
    parent: Vec<usize>,
    /// Column pointers of the factor `L` (permuted; diagonal first in each column).
    l_p: Vec<usize>,
    /// Row indices of `L`.
    l_i: Vec<usize>,
    /// Values of `L`.
    l_x: Vec<f64>,
    /// Pattern of each row of `L` (strictly lower part), in topological order, flattened.
    row_p: Vec<usize>,
    /// Columns of each row's pattern.
    row_j: Vec<usize>,
    /// Work: dense column.
    work: Vec<f64>,
    /// Work: next free position in each column of `L`.
    next: Vec<usize>,
}

impl NodalSystem {
    /// Structure from the junction count and each link's (from, to) nodes; nodes >=
    /// `n_junctions` are fixed-head.
    pub fn new(n_junctions: usize, links: &[(usize, usize)]) -> NodalSystem {
        let n = n_junctions;
        // Neighbours (original indices) of each junction.
        let mut adj: Vec<Vec<usize>> = vec![Vec::new(); n];
        for &(a, b) in links {
            if a < n && b < n && a != b {
                adj[a].push(b);
                adj[b].push(a);
            }
        }
        for list in &mut adj {
            list.sort_unstable();
            list.dedup();
        }
        let (perm, pinv) = order(n, &adj);
        // Upper triangle of the permuted matrix: column j holds rows i < j adjacent to it.
        let mut cols: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (old, list) in adj.iter().enumerate() {
            let j = pinv[old];
            for &nb in list {
                let i = pinv[nb];
                if i < j {
                    cols[j].push(i);
                }
            }
        }
        let mut a_p = Vec::with_capacity(n + 1);
        let mut a_i = Vec::new();
        let mut diag_slot = vec![0; n];
        a_p.push(0);
        for (j, col) in cols.iter_mut().enumerate() {
            col.sort_unstable();
            a_i.extend_from_slice(col);
            diag_slot[perm[j]] = a_i.len();
            a_i.push(j);
            a_p.push(a_i.len());
        }
        let link_slot = links
            .iter()
            .map(|&(a, b)| {
                if a >= n || b >= n || a == b {
                    return None;
                }
                let (i, j) = (pinv[a].min(pinv[b]), pinv[a].max(pinv[b]));
                let col = &a_i[a_p[j]..a_p[j + 1]];
                col.binary_search(&i).ok().map(|pos| a_p[j] + pos)
            })
            .collect();
        let mut sys = NodalSystem {
            n,
            perm,
            pinv,
            a_x: vec![0.0; a_i.len()],
            a_p,
            a_i,
            diag_slot,
            link_slot,
            rhs: vec![0.0; n],
            parent: Vec::new(),
            l_p: Vec::new(),
            l_i: Vec::new(),
            l_x: Vec::new(),
            row_p: Vec::new(),
            row_j: Vec::new(),
            work: vec![0.0; n],
            next: vec![0; n],
        };
        sys.analyse();
        sys
    }

    /// Elimination tree, row patterns and the factor's fixed structure (cs_etree,
    /// cs_ereach, cs_schol of CSparse).
    fn analyse(&mut self) {
        let n = self.n;
        let none = usize::MAX;
        let mut parent = vec![none; n];
        let mut ancestor = vec![none; n];
        for k in 0..n {
            for p in self.a_p[k]..self.a_p[k + 1] {
                let mut i = self.a_i[p];
                while i != none && i < k {
                    let inext = ancestor[i];
                    ancestor[i] = k;
                    if inext == none {
                        parent[i] = k;
                    }
                    i = inext;
                }
            }
        }
        // Row patterns via ereach; column counts follow.
        let mut mark = vec![none; n];
        let mut counts = vec![1usize; n];
        let mut row_p = Vec::with_capacity(n + 1);
        let mut row_j = Vec::new();
        let mut stack = Vec::new();
        row_p.push(0);
        for k in 0..n {
            mark[k] = k;
            let start = row_j.len();
            for p in self.a_p[k]..self.a_p[k + 1] {
                let mut i = self.a_i[p];
                if i > k {
                    continue;
                }
                stack.clear();
                while mark[i] != k {
                    stack.push(i);
                    mark[i] = k;
                    i = parent[i];
                }
                // Path from the bottom up; pushing it reversed keeps topological order
                // once the whole row is reversed below.
                row_j.extend(stack.iter().rev());
            }
            row_j[start..].reverse();
            for &j in &row_j[start..] {
                counts[j] += 1;
            }
            row_p.push(row_j.len());
        }
        let mut l_p = Vec::with_capacity(n + 1);
        l_p.push(0);
        for k in 0..n {
            l_p.push(l_p[k] + counts[k]);
        }
        // The factor's row indices are fixed: fill them once.
        let nnz = l_p[n];
        let mut l_i = vec![0; nnz];
        let mut next: Vec<usize> = l_p[..n].to_vec();
        for k in 0..n {
            for &j in &row_j[row_p[k]..row_p[k + 1]] {
                l_i[next[j]] = k;
                next[j] += 1;
            }
            l_i[next[k]] = k;
            next[k] += 1;
        }
        self.parent = parent;
        self.l_p = l_p;
        self.l_i = l_i;
        self.l_x = vec![0.0; nnz];
        self.row_p = row_p;
        self.row_j = row_j;
    }

    /// Number of junctions (rows).
    pub fn size(&self) -> usize {
        self.n
    }

    /// Number of stored entries of the Cholesky factor (fill-in included).
    pub fn factor_nonzeros(&self) -> usize {
        self.l_i.len()
    }

    /// Zero the diagonal, off-diagonal and right-hand side (EPANET's `Aii`, `Aij`, `F`).
    pub fn clear(&mut self) {
        self.a_x.fill(0.0);
        self.rhs.fill(0.0);
    }

    /// Add `v` to the diagonal of `junction` (`Aii`).
    pub fn add_diagonal(&mut self, junction: usize, v: f64) {
        self.a_x[self.diag_slot[junction]] += v;
    }

    /// Add `v` to the off-diagonal of `link` (`Aij`); parallel links share a slot; no-op
    /// when an end of the link is fixed-head.
    pub fn add_off_diagonal(&mut self, link: usize, v: f64) {
        if let Some(s) = self.link_slot[link] {
            self.a_x[s] += v;
        }
    }

    /// Add `v` to the right-hand side of `junction` (`F`).
    pub fn add_rhs(&mut self, junction: usize, v: f64) {
        self.rhs[junction] += v;
    }

    /// Factorises and solves; writes junction heads into `heads[0..n_junctions]`.
    /// `Err(junction)` when the factorisation meets a non-positive pivot at that
    /// junction's row (EPANET's `linsolve` error); `heads` is then untouched.
    pub fn solve(&mut self, heads: &mut [f64]) -> Result<(), usize> {
        self.factorise().map_err(|k| self.perm[k])?;
        let n = self.n;
        let x = &mut self.work;
        for k in 0..n {
            x[k] = self.rhs[self.perm[k]];
        }
        // Forward: L y = b (column oriented, diagonal first in each column).
        for j in 0..n {
            let (p0, p1) = (self.l_p[j], self.l_p[j + 1]);
            let xj = x[j] / self.l_x[p0];
            x[j] = xj;
            for p in p0 + 1..p1 {
                x[self.l_i[p]] -= self.l_x[p] * xj;
            }
        }
        // Backward: Lᵀ x = y.
        for j in (0..n).rev() {
            let (p0, p1) = (self.l_p[j], self.l_p[j + 1]);
            let mut s = x[j];
            for p in p0 + 1..p1 {
                s -= self.l_x[p] * x[self.l_i[p]];
            }
            x[j] = s / self.l_x[p0];
        }
        for k in 0..n {
            heads[self.perm[k]] = x[k];
        }
        Ok(())
    }

    /// Up-looking numeric Cholesky into the fixed pattern; `Err(step)` at a
    /// non-positive pivot.
    fn factorise(&mut self) -> Result<(), usize> {
        let n = self.n;
        let x = &mut self.work;
        self.next.copy_from_slice(&self.l_p[..n]);
        for k in 0..n {
            // Scatter column k of the upper triangle (row k of the lower one).
            for p in self.a_p[k]..self.a_p[k + 1] {
                x[self.a_i[p]] = self.a_x[p];
            }
            let mut d = x[k];
            x[k] = 0.0;
            for &i in &self.row_j[self.row_p[k]..self.row_p[k + 1]] {
                let lki = x[i] / self.l_x[self.l_p[i]];
                x[i] = 0.0;
                for p in self.l_p[i] + 1..self.next[i] {
                    x[self.l_i[p]] -= self.l_x[p] * lki;
                }
                d -= lki * lki;
                let p = self.next[i];
                self.next[i] += 1;
                self.l_x[p] = lki;
            }
            if d <= 0.0 || d.is_nan() {
                x[..n].fill(0.0);
                return Err(k);
            }
            let p = self.next[k];
            self.next[k] += 1;
            self.l_x[p] = d.sqrt();
        }
        Ok(())
    }

    /// The junction eliminated at each step (the fill-reducing order).
    pub fn ordering(&self) -> &[usize] {
        &self.perm
    }

    /// Step at which each junction is eliminated.
    pub fn position(&self, junction: usize) -> usize {
        self.pinv[junction]
    }

    /// Elimination-tree parent of each step (`usize::MAX` at a root).
    pub fn etree(&self) -> &[usize] {
        &self.parent
    }
}

/// Approximate minimum degree ordering of the graph; identity if faer refuses.
fn order(n: usize, adj: &[Vec<usize>]) -> (Vec<usize>, Vec<usize>) {
    let identity: Vec<usize> = (0..n).collect();
    if n == 0 {
        return (identity.clone(), identity);
    }
    // Upper triangle with diagonal, sorted, original indices.
    let mut col_ptr = Vec::with_capacity(n + 1);
    let mut row_idx = Vec::new();
    col_ptr.push(0usize);
    for (j, list) in adj.iter().enumerate() {
        row_idx.extend(list.iter().copied().filter(|&i| i < j));
        row_idx.push(j);
        col_ptr.push(row_idx.len());
    }
    let a = SymbolicSparseColMatRef::new_checked(n, n, &col_ptr, None, &row_idx);
    let mut perm = vec![0usize; n];
    let mut perm_inv = vec![0usize; n];
    let mut mem = MemBuffer::new(amd::order_scratch::<usize>(n, row_idx.len()));
    let stack = MemStack::new(&mut mem);
    match amd::order(&mut perm, &mut perm_inv, a, amd::Control::default(), stack) {
        Ok(_) => (perm, perm_inv),
        Err(_) => (identity.clone(), identity),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Small deterministic generator (xorshift).
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, m: usize) -> usize {
            (self.next() % m as u64) as usize
        }
        fn unit(&mut self) -> f64 {
            (self.next() >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    fn dense_solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Vec<f64> {
        let n = b.len();
        for c in 0..n {
            let piv = (c..n)
                .max_by(|&i, &j| a[i][c].abs().total_cmp(&a[j][c].abs()))
                .unwrap();
            a.swap(c, piv);
            b.swap(c, piv);
            for r in c + 1..n {
                let f = a[r][c] / a[c][c];
                for k in c..n {
                    a[r][k] -= f * a[c][k];
                }
                b[r] -= f * b[c];
            }
        }
        let mut x = vec![0.0; n];
        for r in (0..n).rev() {
            let s: f64 = (r + 1..n).map(|k| a[r][k] * x[k]).sum();
            x[r] = (b[r] - s) / a[r][r];
        }
        x
    }

    #[test]
    fn random_laplacians_match_dense_solve() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for trial in 0..40 {
            let nj = 1 + rng.below(60);
            let nf = 1 + rng.below(3);
            let nlinks = nj + rng.below(2 * nj + 1);
            let mut links = Vec::new();
            // A spanning chain to keep most things connected, then random links.
            for j in 1..nj {
                links.push((rng.below(j), j));
            }
            links.push((nj + rng.below(nf), rng.below(nj)));
            for _ in 0..nlinks {
                links.push((rng.below(nj + nf), rng.below(nj + nf)));
            }
            let mut sys = NodalSystem::new(nj, &links);
            let mut dense = vec![vec![0.0; nj]; nj];
            let mut b = vec![0.0; nj];
            for round in 0..2 {
                sys.clear();
                for row in dense.iter_mut() {
                    row.fill(0.0);
                }
                for (k, &(a, c)) in links.iter().enumerate() {
                    let p = 0.1 + rng.unit();
                    for &e in &[a, c] {
                        if e < nj && a != c {
                            sys.add_diagonal(e, p);
                            dense[e][e] += p;
                        }
                    }
                    if a < nj && c < nj && a != c {
                        sys.add_off_diagonal(k, -p);
                        dense[a][c] -= p;
                        dense[c][a] -= p;
                    }
                }
                for j in 0..nj {
                    let v = rng.unit() * 10.0 - 5.0;
                    sys.add_rhs(j, v);
                    b[j] = v;
                    if j == 0 {
                        sys.add_diagonal(0, 1.0);
                        dense[0][0] += 1.0;
                    }
                }
                let want = dense_solve(dense.clone(), b.clone());
                let mut got = vec![f64::NAN; nj];
                sys.solve(&mut got).unwrap();
                for j in 0..nj {
                    assert!(
                        (got[j] - want[j]).abs() < 1e-8 * (1.0 + want[j].abs()),
                        "trial {trial} round {round} junction {j}: {} vs {}",
                        got[j],
                        want[j]
                    );
                }
            }
        }
    }

    #[test]
    fn isolated_junction_gives_its_index() {
        // Junctions 0-1 fed by fixed node 3; junction 2 connected to nothing.
        let links = [(3, 0), (0, 1)];
        let mut sys = NodalSystem::new(3, &links);
        sys.clear();
        sys.add_diagonal(0, 2.0);
        sys.add_diagonal(1, 1.0);
        sys.add_off_diagonal(1, -1.0);
        sys.add_off_diagonal(0, 5.0); // fixed-head end: no-op
        sys.add_rhs(0, 1.0);
        let mut h = vec![0.0; 3];
        assert_eq!(sys.solve(&mut h), Err(2));
        // A floating pair (no fixed head) fails at one of its junctions.
        let links = [(0, 1)];
        let mut sys = NodalSystem::new(2, &links);
        sys.add_diagonal(0, 1.0);
        sys.add_diagonal(1, 1.0);
        sys.add_off_diagonal(0, -1.0);
        let err = sys.solve(&mut h).unwrap_err();
        assert!(err < 2);
    }

    #[test]
    fn parallel_links_share_a_slot() {
        let links = [(0, 1), (1, 0), (2, 0)];
        let mut sys = NodalSystem::new(2, &links);
        sys.add_diagonal(0, 3.0);
        sys.add_diagonal(1, 2.0);
        sys.add_off_diagonal(0, -1.0);
        sys.add_off_diagonal(1, -1.0);
        sys.add_rhs(0, 1.0);
        let mut h = vec![0.0; 2];
        sys.solve(&mut h).unwrap();
        // [[3,-2],[-2,2]] h = [1,0] → h0 = 1, h1 = 1.
        assert!((h[0] - 1.0).abs() < 1e-12 && (h[1] - 1.0).abs() < 1e-12);
    }
}
