//! EPANET 2.3's `linsolve` (`smatrix.c`, after George and Liu's GSFCT and GSSLV): the
//! numeric Cholesky factorisation into the symbolic structure, then the forward and
//! backward substitutions, every value made by the same operations as in EPANET, every
//! floating-point sum in EPANET's order, so every bit is EPANET's. What changes is the
//! order in which independent values are made (see [`Layout`]). Arrays are 1-based as
//! in the C.

/// One term of a sum: the product of the values at `a` and `b`.
pub(super) type Pair = [u32; 2];

/// Sums of products written out, level by level (see [`Layout`]): each target's terms
/// together and in their order, so that a target's sum is made in registers and stored
/// once, and the targets of a level grouped by how many terms they have, so that the
/// loop over a target's terms runs the same number of times throughout a group and the
/// processor predicts its end (most targets have one to three terms).
#[derive(Debug, Default)]
pub(super) struct Chains {
    /// Level `i`'s groups are `groups[levels[i]..levels[i + 1]]`.
    levels: Vec<usize>,
    groups: Vec<Group>,
    /// The targets, group after group.
    targets: Vec<u32>,
    /// The targets' terms, each target's in its order, target after target.
    pairs: Vec<Pair>,
}

/// The targets of one level that have `terms` terms each: `targets[first..end]`, their
/// terms from `pairs[pairs_start..]`.
#[derive(Debug, Clone, Copy)]
struct Group {
    terms: usize,
    first: usize,
    end: usize,
    pairs_start: usize,
}

impl Chains {
    /// Level `level`'s groups: each with its targets and their terms, `terms` to a target.
    #[inline(always)]
    fn of(&self, level: usize) -> impl Iterator<Item = (usize, &[u32], &[Pair])> {
        self.groups[self.levels[level]..self.levels[level + 1]]
            .iter()
            .map(|g| {
                let targets = &self.targets[g.first..g.end];
                let pairs = &self.pairs[g.pairs_start..g.pairs_start + g.terms * targets.len()];
                (g.terms, targets, pairs)
            })
    }

    /// Appends one level's terms, given as `(target, pair)` with each target's terms in
    /// order (the targets' terms may be interleaved). Leaves `level` empty.
    fn push_level(&mut self, level: &mut Vec<(u32, Pair)>) {
        if self.levels.is_empty() {
            self.levels.push(0);
        }
        // A stable sort: each target's terms together, in their order.
        level.sort_by_key(|&(target, _)| target);
        let mut runs: Vec<(usize, usize)> = Vec::new();
        for (i, &(target, _)) in level.iter().enumerate() {
            match runs.last_mut() {
                Some((start, end)) if level[*start].0 == target => *end = i + 1,
                _ => runs.push((i, i + 1)),
            }
        }
        runs.sort_by_key(|&(start, end)| end - start);
        for same in runs.chunk_by(|x, y| x.1 - x.0 == y.1 - y.0) {
            let first = self.targets.len();
            let pairs_start = self.pairs.len();
            for &(start, end) in same {
                self.targets.push(level[start].0);
                self.pairs
                    .extend(level[start..end].iter().map(|&(_, pair)| pair));
            }
            self.groups.push(Group {
                terms: same[0].1 - same[0].0,
                first,
                end: self.targets.len(),
                pairs_start,
            });
        }
        self.levels.push(self.groups.len());
        level.clear();
    }
}

/// For each target of a group with `terms` terms each: `combine(target, terms)`. The
/// count is a constant for the common short groups, so their loops unroll.
#[inline(always)]
fn each_target(
    terms: usize,
    targets: &[u32],
    pairs: &[Pair],
    mut combine: impl FnMut(usize, &[Pair]),
) {
    macro_rules! with {
        ($n:expr) => {
            for (&t, pairs) in targets.iter().zip(pairs.chunks_exact($n)) {
                combine(t as usize, pairs)
            }
        };
    }
    match terms {
        1 => with!(1),
        2 => with!(2),
        3 => with!(3),
        4 => with!(4),
        n => with!(n),
    }
}

/// EPANET's factor in the order the solve makes it: its columns renumbered by level of
/// the elimination tree (leaves first, EPANET's order within a level), the
/// off-diagonals stored column after column in that order, each column's rows in
/// EPANET's order, and the sums of products of `linsolve` written out as [`Chains`],
/// level by level (the off-diagonals' only up to [`Layout::MAX_PRODUCTS`] per value).
///
/// `linsolve` makes the columns in EPANET's order, where a column is most often the
/// parent of the one before (58 % of Net6's columns) and waits for its square root and
/// divisions, and its loops are a few values long, so the processor mispredicts their
/// ends. A level's columns depend only on the levels below: here a level's sums are
/// made value after value, each in registers, the values grouped by how many terms
/// they sum (so every loop's length is known to the processor), its square roots and
/// divisions then over contiguous values, four to an instruction, and the
/// substitutions likewise.
/// Each value is still made from the same values by the same operations, its sums in
/// `linsolve`'s order (a column's updates as `linsolve` walks them, each row of the
/// forward substitution in ascending EPANET column, each column of the backward one in
/// its rows' order), so the bits are `linsolve`'s.
#[derive(Debug)]
pub(super) struct Layout {
    /// The column of each of EPANET's columns (`label[j]`, `label[0] = 0`).
    pub label: Vec<usize>,
    /// EPANET's column of each column (the inverse of `label`).
    pub original: Vec<usize>,
    /// The first column of each level, then `n + 1`.
    pub levels: Vec<usize>,
    /// Start of each column's off-diagonals (`XLNZ`).
    pub xlnz: Vec<usize>,
    /// The position of each of EPANET's factor positions (`position[0] = 0`).
    pub position: Vec<usize>,
    /// The column of each off-diagonal.
    pub column: Vec<u32>,
    /// The pivots' sums: column `target` subtracts `L(target,k)²`, summed.
    pub pivots: Chains,
    /// How the off-diagonals' sums are made.
    pub products: Products,
    /// The forward substitution: row `target` subtracts each `L(target,j)·y(j)`.
    pub forward: Chains,
    /// The backward substitution: row `target` subtracts each `L(i,target)·x(i)`.
    pub backward: Chains,
}

/// How a [`Layout`] makes the off-diagonals' sums `L(i,k)·L(j,k)`.
#[derive(Debug)]
pub(super) enum Products {
    /// As chains: position `target` subtracts `L(i,k)·L(j,k)`, summed.
    Chains(Chains),
    /// Column by column through `temp`, as `linsolve` makes them, where the terms would
    /// be more than [`Layout::MAX_PRODUCTS`] per value of the factor.
    ByColumn {
        /// The row of each off-diagonal (`NZSUB`).
        nzsub: Vec<u32>,
        /// Start of each column's updates in `updates`.
        xupdates: Vec<usize>,
        /// The updates of each column, in `linsolve`'s order.
        updates: Vec<Update>,
    },
}

impl Layout {
    /// Most product terms per value of the factor (plus a million) that a layout writes
    /// out. Water networks have fewer products than values (Net6: 0.6, BWSN_Network_2:
    /// 0.6); a grid of a million junctions would have thousands, and its terms would
    /// take more memory than any machine has, so its sums are made column by column.
    pub const MAX_PRODUCTS: usize = 8;

    /// The layout of EPANET's factor structure (`XLNZ`, `NZSUB`, 1-based). Positions and
    /// columns fit 32 bits: see [`super::LinkSlots`].
    pub fn new(n: usize, xlnz: &[usize], nzsub: &[usize]) -> Layout {
        let values = n + xlnz[n + 1];
        let limit = Layout::MAX_PRODUCTS
            .saturating_mul(values)
            .saturating_add(1 << 20);
        Layout::with_products_up_to(n, xlnz, nzsub, limit)
    }

    /// [`Layout::new`] with the products written out as chains only when there are at
    /// most `limit` of them.
    pub fn with_products_up_to(n: usize, xlnz: &[usize], nzsub: &[usize], limit: usize) -> Layout {
        let (xupdates, updates) = update_schedule(n, xlnz, nzsub);
        // Level of each column: one above its highest child (the parent of a column is
        // its first row below the diagonal, always a later column).
        let mut level = vec![0usize; n + 1];
        for j in 1..=n {
            if xlnz[j + 1] > xlnz[j] {
                let parent = nzsub[xlnz[j]];
                level[parent] = level[parent].max(level[j] + 1);
            }
        }
        let mut original: Vec<usize> = (0..=n).collect();
        original[1..].sort_by_key(|&j| level[j]);
        let mut label = vec![0usize; n + 1];
        for (c, &j) in original.iter().enumerate() {
            label[j] = c;
        }
        let mut levels: Vec<usize> = (1..=n)
            .filter(|&c| c == 1 || level[original[c]] != level[original[c - 1]])
            .collect();
        levels.push(n + 1);
        // The columns in their new order, each keeping its rows' order.
        let size = xlnz[n + 1];
        let mut new_xlnz = vec![0usize; n + 2];
        new_xlnz[1] = 1;
        let mut position = vec![0usize; size];
        let mut column = vec![0u32; size];
        let mut new_nzsub = vec![0u32; size];
        for c in 1..=n {
            let j = original[c];
            new_xlnz[c + 1] = new_xlnz[c] + (xlnz[j + 1] - xlnz[j]);
            for (q, p) in (new_xlnz[c]..).zip(xlnz[j]..xlnz[j + 1]) {
                position[p] = q;
                column[q] = c as u32;
                new_nzsub[q] = label[nzsub[p]] as u32;
            }
        }
        let product_count: usize = updates.iter().map(|u| u.end - u.first - 1).sum();
        let write_products = product_count <= limit;
        let term = |target: usize, a: usize, b: usize| (target as u32, [a as u32, b as u32]);
        // Each row's off-diagonals (as forward terms) by the row's level, each row's in
        // ascending EPANET column.
        let mut level_of = vec![0usize; n + 1];
        for (i, columns) in levels.windows(2).enumerate() {
            level_of[columns[0]..columns[1]].fill(i);
        }
        let mut forward_terms: Vec<Vec<(u32, Pair)>> =
            vec![Vec::new(); levels.len().saturating_sub(1)];
        for j in 1..=n {
            for p in xlnz[j]..xlnz[j + 1] {
                let r = label[nzsub[p]];
                forward_terms[level_of[r]].push(term(r, position[p], label[j]));
            }
        }
        let (mut pivots, mut products) = (Chains::default(), Chains::default());
        let (mut forward, mut backward) = (Chains::default(), Chains::default());
        let (mut pivot_terms, mut product_terms, mut backward_terms) =
            (Vec::new(), Vec::new(), Vec::new());
        let mut new_xupdates = vec![0usize; n + 2];
        let mut new_updates = Vec::with_capacity(updates.len());
        // The position of each row of the column being read.
        let mut position_of_row = vec![0usize; n + 1];
        for (columns, forward_level) in levels.windows(2).zip(&mut forward_terms) {
            for c in columns[0]..columns[1] {
                let j = original[c];
                for p in xlnz[j]..xlnz[j + 1] {
                    position_of_row[nzsub[p]] = position[p];
                    backward_terms.push(term(c, position[p], label[nzsub[p]]));
                }
                // linsolve's updates of column j, in its order: each adds `L(j,k)²` to
                // the pivot and `L(i,k)·L(j,k)` into `temp[i]` for the rows below (a
                // column's off-diagonals stay together, so an update's range moves in
                // one piece).
                new_xupdates[c] = new_updates.len();
                for u in &updates[xupdates[j]..xupdates[j + 1]] {
                    let ljk = position[u.first];
                    pivot_terms.push(term(c, ljk, ljk));
                    new_updates.push(Update {
                        first: ljk,
                        end: ljk + (u.end - u.first),
                    });
                    if write_products {
                        for p in u.first + 1..u.end {
                            product_terms.push(term(position_of_row[nzsub[p]], position[p], ljk));
                        }
                    }
                }
            }
            pivots.push_level(&mut pivot_terms);
            products.push_level(&mut product_terms);
            forward.push_level(forward_level);
            backward.push_level(&mut backward_terms);
        }
        new_xupdates[n + 1] = new_updates.len();
        Layout {
            label,
            original,
            levels,
            xlnz: new_xlnz,
            position,
            column,
            pivots,
            products: if write_products {
                Products::Chains(products)
            } else {
                Products::ByColumn {
                    nzsub: new_nzsub,
                    xupdates: new_xupdates,
                    updates: new_updates,
                }
            },
            forward,
            backward,
        }
    }
}

/// One outer-product update of a column by an earlier column `k`: `L(*,k)` from its
/// non-zero `first` (whose value is the multiplier `L(j,k)`) to its end.
#[derive(Debug, Clone, Copy)]
pub(super) struct Update {
    /// The factor position of `L(j,k)`.
    pub first: usize,
    /// One past the end of column `k` in the factor.
    pub end: usize,
}

/// The order in which `linsolve` applies the columns that modify each column. It walks
/// linked lists (`link`, `first`) that depend on the structure only, never on the
/// values, so the walk is made once per network: the numeric factorisation then does
/// the same products and sums in the same order, bit for bit, without the lists.
/// Returns the start of each column's updates (1-based columns, `n + 2` entries) and
/// the updates.
fn update_schedule(n: usize, xlnz: &[usize], nzsub: &[usize]) -> (Vec<usize>, Vec<Update>) {
    let mut link = vec![0usize; n + 1];
    let mut first = vec![0usize; n + 1];
    let mut xupdates = vec![0usize; n + 2];
    let mut updates = Vec::with_capacity(xlnz[n + 1]);
    for j in 1..=n {
        xupdates[j] = updates.len();
        let mut k = link[j];
        while k != 0 {
            let newk = link[k];
            let kfirst = first[k];
            updates.push(Update {
                first: kfirst,
                end: xlnz[k + 1],
            });
            let istrt = kfirst + 1;
            if xlnz[k + 1] > istrt {
                first[k] = istrt;
                let isub = nzsub[istrt];
                link[k] = link[isub];
                link[isub] = k;
            }
            k = newk;
        }
        let istrt = xlnz[j];
        if xlnz[j + 1] > istrt {
            first[j] = istrt;
            let isub = nzsub[istrt];
            link[j] = link[isub];
            link[isub] = j;
        }
    }
    xupdates[n + 1] = updates.len();
    (xupdates, updates)
}

/// A value of the nodal system: one system's (`f64`) or four systems' of one
/// structure side by side ([`F64x4`]). Every operation is done lane by lane and rounded
/// once, so each lane gets the bits of the scalar solve.
pub(super) trait Value:
    Copy
    + std::ops::Add<Output = Self>
    + std::ops::Sub<Output = Self>
    + std::ops::Mul<Output = Self>
    + std::ops::Div<Output = Self>
{
    /// Systems solved side by side.
    const LANES: usize;
    /// Zero in every lane.
    const ZERO: Self;
    /// The square root of each lane.
    fn sqrt(self) -> Self;
    /// The lanes whose value is not positive (`v <= 0`, false for NaN), as bits.
    fn not_positive(self) -> u32;
}

impl Value for f64 {
    const LANES: usize = 1;
    const ZERO: f64 = 0.0;
    #[inline(always)]
    fn sqrt(self) -> f64 {
        f64::sqrt(self)
    }
    #[inline(always)]
    fn not_positive(self) -> u32 {
        u32::from(self <= 0.0)
    }
}

/// Four systems' values of one entry, lane `i` for system `i`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
#[repr(C, align(32))]
pub(crate) struct F64x4(pub [f64; 4]);

macro_rules! lanewise {
    ($trait:ident, $method:ident, $op:tt) => {
        impl std::ops::$trait for F64x4 {
            type Output = F64x4;
            #[inline(always)]
            fn $method(self, other: F64x4) -> F64x4 {
                let (a, b) = (self.0, other.0);
                F64x4([a[0] $op b[0], a[1] $op b[1], a[2] $op b[2], a[3] $op b[3]])
            }
        }
    };
}
lanewise!(Add, add, +);
lanewise!(Sub, sub, -);
lanewise!(Mul, mul, *);
lanewise!(Div, div, /);

impl Value for F64x4 {
    const LANES: usize = 4;
    const ZERO: F64x4 = F64x4([0.0; 4]);
    #[inline(always)]
    fn sqrt(self) -> F64x4 {
        let a = self.0;
        F64x4([a[0].sqrt(), a[1].sqrt(), a[2].sqrt(), a[3].sqrt()])
    }
    #[inline(always)]
    fn not_positive(self) -> u32 {
        let a = self.0;
        u32::from(a[0] <= 0.0)
            | u32::from(a[1] <= 0.0) << 1
            | u32::from(a[2] <= 0.0) << 2
            | u32::from(a[3] <= 0.0) << 3
    }
}

/// `linsolve(sm, n)`: factorises `aii` and the off-diagonals `l` in place and
/// overwrites `b` (`F`) with the solution, all in the [`Layout`]. `Err(j)` (EPANET's
/// 1-based row) when the pivot of row `j` is not positive. `l` holds EPANET's
/// `Aij[LNZ[i]]` at the [`Layout`]'s position of `i`.
pub(super) fn linsolve(f: &Layout, v: Values<'_, f64>) -> Result<(), usize> {
    #[cfg(target_arch = "x86_64")]
    let fast = linsolve_avx;
    #[cfg(not(target_arch = "x86_64"))]
    let fast = linsolve_plain;
    crate::pow::with_port(fast, linsolve_plain, (f, v))
}

/// [`linsolve`] compiled for AVX2: a level's square roots and divisions four to an
/// instruction.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "fma,avx2")]
fn linsolve_avx(args: (&Layout, Values<'_, f64>)) -> Result<(), usize> {
    linsolve_plain(args)
}

#[inline(always)]
fn linsolve_plain((f, mut v): (&Layout, Values<'_, f64>)) -> Result<(), usize> {
    let mut failed = [0usize; 1];
    if !factorise(f, &mut v, 1, &mut failed) {
        return Err(failed[0]);
    }
    substitute(f, v.aii, v.l, v.b);
    Ok(())
}

/// The values a solve works on, 1-based in the [`Layout`]: the diagonal `aii`, the
/// off-diagonals `l` by factor position, the right-hand side `b` (overwritten by the
/// solution), and work arrays: `temp` by row (the column-by-column sums of
/// [`Products::ByColumn`]), `divisors` by factor position (the pivot each off-diagonal
/// of a level is divided by).
pub(super) struct Values<'a, V> {
    pub aii: &'a mut [V],
    pub l: &'a mut [V],
    pub b: &'a mut [V],
    pub temp: &'a mut [V],
    pub divisors: &'a mut [V],
}

/// [`linsolve`] of four systems of one structure side by side: lane `i` of every
/// value is system `i`'s, and gets the scalar solve's bits. Returns, for each system,
/// the row of its first pivot that is not positive (then its lane of `b` means
/// nothing), or 0 when its solve succeeded. Only the lanes of `used` (bits) are
/// watched: the others may be padding.
pub(super) fn linsolve_x4(f: &Layout, v: Values<'_, F64x4>, used: u32) -> [usize; 4] {
    #[cfg(target_arch = "x86_64")]
    let fast = linsolve_x4_avx;
    #[cfg(not(target_arch = "x86_64"))]
    let fast = linsolve_x4_plain;
    crate::pow::with_port(fast, linsolve_x4_plain, (f, v, used))
}

/// The arguments of [`linsolve_x4`].
type FourSolve<'a, 'b> = (&'a Layout, Values<'b, F64x4>, u32);

/// [`linsolve_x4`] compiled for AVX2, each lane operation one instruction for the four.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "fma,avx2")]
fn linsolve_x4_avx(args: FourSolve<'_, '_>) -> [usize; 4] {
    linsolve_x4_plain(args)
}

#[inline(always)]
fn linsolve_x4_plain((f, mut v, used): FourSolve<'_, '_>) -> [usize; 4] {
    let mut failed = [0; 4];
    if factorise(f, &mut v, used, &mut failed) {
        substitute(f, v.aii, v.l, v.b);
    }
    failed
}

/// The numeric factorisation of `linsolve`, level by level of the [`Layout`]. A lane
/// whose pivot of EPANET's row `j` is not positive gets `failed[lane] = j`, its first
/// such row in `linsolve`'s order (the smallest: the columns before it are made as
/// `linsolve` makes them, whatever the columns after it give). Returns whether any
/// lane of `used` is left without a failed pivot.
#[inline(always)]
fn factorise<V: Value>(s: &Layout, v: &mut Values<'_, V>, used: u32, failed: &mut [usize]) -> bool {
    let Values {
        aii,
        l,
        temp,
        divisors,
        ..
    } = v;
    let mut failing = 0u32;
    if let Products::ByColumn { .. } = s.products {
        temp.fill(V::ZERO);
    }
    for (level, columns) in s.levels.windows(2).enumerate() {
        let columns = columns[0]..columns[1];
        // The pivots' outer-product modifications by the columns below, each summed from
        // zero as `linsolve`'s `diagj`, then subtracted.
        for (terms, targets, pairs) in s.pivots.of(level) {
            each_target(terms, targets, pairs, |j, pairs| {
                let mut sum = V::ZERO;
                for &[a, _] in pairs {
                    let ljk = l[a as usize];
                    sum = sum + ljk * ljk;
                }
                aii[j] = aii[j] - sum;
            });
        }
        // Pivots that are not positive are rare: the level is looked at as a whole
        // first, then column by column only when it has one.
        let level_not_positive = aii[columns.clone()]
            .iter()
            .fold(0, |bits, diagj| bits | diagj.not_positive());
        for j in columns.clone().filter(|_| level_not_positive & used != 0) {
            let diagj = aii[j];
            let not_positive = diagj.not_positive() & used;
            if not_positive != 0 {
                let row = s.original[j];
                for (lane, first_row) in failed.iter_mut().enumerate().take(V::LANES) {
                    if not_positive & (1 << lane) != 0 && (*first_row == 0 || row < *first_row) {
                        *first_row = row;
                    }
                }
                failing |= not_positive;
            }
        }
        for diagj in &mut aii[columns.clone()] {
            *diagj = diagj.sqrt();
        }
        // The off-diagonals' modifications, each summed from zero as `linsolve`'s
        // `temp[isub]`, then subtracted.
        match &s.products {
            Products::Chains(products) => {
                for (terms, targets, pairs) in products.of(level) {
                    each_target(terms, targets, pairs, |p, pairs| {
                        let mut sum = V::ZERO;
                        for &[a, b] in pairs {
                            sum = sum + l[a as usize] * l[b as usize];
                        }
                        l[p] = l[p] - sum;
                    });
                }
            }
            Products::ByColumn {
                nzsub,
                xupdates,
                updates,
            } => {
                // Column by column into `temp`, as `linsolve` does.
                for j in columns.clone() {
                    for update in &updates[xupdates[j]..xupdates[j + 1]] {
                        let ljk = l[update.first];
                        let rest = update.first + 1..update.end;
                        for (&i, &lik) in nzsub[rest.clone()].iter().zip(&l[rest]) {
                            let i = i as usize;
                            temp[i] = temp[i] + lik * ljk;
                        }
                    }
                    for p in s.xlnz[j]..s.xlnz[j + 1] {
                        let i = nzsub[p] as usize;
                        l[p] = l[p] - temp[i];
                        temp[i] = V::ZERO;
                    }
                }
            }
        }
        // The columns divided by their pivots, four to an instruction.
        let positions = s.xlnz[columns.start]..s.xlnz[columns.end];
        let pivots = &mut divisors[positions.clone()];
        for (pivot, &j) in pivots.iter_mut().zip(&s.column[positions.clone()]) {
            *pivot = aii[j as usize];
        }
        for (lij, &diagj) in l[positions].iter_mut().zip(&*pivots) {
            *lij = *lij / diagj;
        }
    }
    failing != used
}

/// The forward and backward substitutions of `linsolve`, level by level of the
/// [`Layout`].
#[inline(always)]
fn substitute<V: Value>(s: &Layout, aii: &[V], l: &[V], b: &mut [V]) {
    let levels = || s.levels.windows(2).map(|rows| rows[0]..rows[1]).enumerate();
    // Forward substitution: row `r` subtracts each `L(r,j)·y(j)`.
    for (level, rows) in levels() {
        substitute_level(&s.forward, level, rows, aii, l, b);
    }
    // Backward substitution: row `j` subtracts each `L(i,j)·x(i)`.
    for (level, rows) in levels().rev() {
        substitute_level(&s.backward, level, rows, aii, l, b);
    }
}

/// One level of a substitution: each of its rows subtracts its terms (`L` times an
/// entry of `b`) one after another, then is divided by its pivot.
#[inline(always)]
fn substitute_level<V: Value>(
    chains: &Chains,
    level: usize,
    rows: std::ops::Range<usize>,
    aii: &[V],
    l: &[V],
    b: &mut [V],
) {
    for (terms, targets, pairs) in chains.of(level) {
        each_target(terms, targets, pairs, |r, pairs| {
            let mut br = b[r];
            for &[a, j] in pairs {
                br = br - l[a as usize] * b[j as usize];
            }
            b[r] = br;
        });
    }
    for (br, &diag) in b[rows.clone()].iter_mut().zip(&aii[rows]) {
        *br = *br / diag;
    }
}
