//! EPANET 2.3's `linsolve` (`smatrix.c`, after George and Liu's GSFCT and GSSLV): the
//! column-by-column numeric Cholesky factorisation into the symbolic structure, then the
//! forward and backward substitutions, with every loop, and so every floating-point sum,
//! in EPANET's order. Arrays are 1-based as in the C.

/// The symbolic structure of the factor.
#[derive(Clone, Copy)]
pub(super) struct Factor<'a> {
    /// Start of each column in `nzsub` (`XLNZ`).
    pub xlnz: &'a [usize],
    /// Row of each non-zero of each column, ascending (`NZSUB`).
    pub nzsub: &'a [usize],
    /// Start of each column's updates in `updates`.
    pub xupdates: &'a [usize],
    /// The updates of each column, in `linsolve`'s order (see [`update_schedule`]).
    pub updates: &'a [Update],
    /// The columns in the order the solve visits them (see [`visit_order`]).
    pub visit: &'a [u32],
    /// Start of each row's entries in `row_entries` (1-based rows, `n + 2` entries).
    pub xrows: &'a [usize],
    /// The off-diagonals of each row, by ascending column (see [`row_entries`]).
    pub row_entries: &'a [RowEntry],
}

/// An off-diagonal `L(r,j)` seen from its row `r`.
#[derive(Debug, Clone, Copy)]
pub(super) struct RowEntry {
    /// Its factor position.
    pub position: u32,
    /// Its column `j`.
    pub column: u32,
}

/// The columns (1-based) by level of the elimination tree, leaves first, ascending
/// within a level: every column after all the columns below it in the tree, which are
/// the only ones it reads. `linsolve` visits the columns in their own order, where
/// each is most often the parent of the one before (58 % of Net6's) and waits for its
/// square root and divisions; in this order the columns next to each other are
/// independent, and the processor overlaps their divisions. Every column is still
/// made from the same values by the same operations, so the bits are `linsolve`'s.
pub(super) fn visit_order(n: usize, xlnz: &[usize], nzsub: &[usize]) -> Vec<u32> {
    let mut level = vec![0usize; n + 1];
    for j in 1..=n {
        if xlnz[j + 1] > xlnz[j] {
            let parent = nzsub[xlnz[j]];
            level[parent] = level[parent].max(level[j] + 1);
        }
    }
    let mut visit: Vec<u32> = (1..=n as u32).collect();
    visit.sort_by_key(|&j| level[j as usize]);
    visit
}

/// The factor's off-diagonals row by row, each row's in ascending column order: the
/// order in which `linsolve`'s forward substitution, column by column, subtracts
/// from each row. Returns the start of each row (1-based rows, `n + 2` entries) and
/// the entries.
pub(super) fn row_entries(
    n: usize,
    xlnz: &[usize],
    nzsub: &[usize],
) -> (Vec<usize>, Vec<RowEntry>) {
    let mut count = vec![0usize; n + 2];
    for &r in &nzsub[xlnz[1]..xlnz[n + 1]] {
        count[r] += 1;
    }
    let mut xrows = vec![0usize; n + 2];
    for r in 1..=n {
        xrows[r + 1] = xrows[r] + count[r];
    }
    let mut next = xrows.clone();
    let mut entries = vec![
        RowEntry {
            position: 0,
            column: 0
        };
        xrows[n + 1]
    ];
    for j in 1..=n {
        for p in xlnz[j]..xlnz[j + 1] {
            let r = nzsub[p];
            entries[next[r]] = RowEntry {
                position: p as u32,
                column: j as u32,
            };
            next[r] += 1;
        }
    }
    (xrows, entries)
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
pub(super) fn update_schedule(
    n: usize,
    xlnz: &[usize],
    nzsub: &[usize],
) -> (Vec<usize>, Vec<Update>) {
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
/// overwrites `b` (`F`) with the solution. `Err(j)` (1-based row) when the pivot of row
/// `j` is not positive. `l[i]` is EPANET's `Aij[LNZ[i]]`: the same values in the order
/// the factorisation visits them, so that the inner loops run over contiguous slices.
pub(super) fn linsolve(f: Factor<'_>, n: usize, v: Values<'_, f64>) -> Result<(), usize> {
    let mut failed = [0usize; 1];
    if !factorise(f, n, v.temp, v.aii, v.l, 1, &mut failed) {
        return Err(failed[0]);
    }
    substitute(f, v.aii, v.l, v.b);
    Ok(())
}

/// The values a solve works on, 1-based: the diagonal `aii`, the off-diagonals `l` by
/// factor position, the right-hand side `b` (overwritten by the solution) and the work
/// array `temp`.
pub(super) struct Values<'a, V> {
    pub aii: &'a mut [V],
    pub l: &'a mut [V],
    pub b: &'a mut [V],
    pub temp: &'a mut [V],
}

/// [`linsolve`] of four systems of one structure side by side: lane `i` of every
/// value is system `i`'s, and gets the scalar solve's bits. Returns, for each system,
/// the row of its first pivot that is not positive (then its lane of `b` means
/// nothing), or 0 when its solve succeeded. Only the lanes of `used` (bits) are
/// watched: the others may be padding.
pub(super) fn linsolve_x4(f: Factor<'_>, n: usize, v: Values<'_, F64x4>, used: u32) -> [usize; 4] {
    #[cfg(target_arch = "x86_64")]
    let fast = linsolve_x4_avx;
    #[cfg(not(target_arch = "x86_64"))]
    let fast = linsolve_x4_plain;
    crate::pow::with_port(fast, linsolve_x4_plain, (f, n, v, used))
}

/// The arguments of [`linsolve_x4`].
type FourSolve<'a, 'b> = (Factor<'a>, usize, Values<'b, F64x4>, u32);

/// [`linsolve_x4`] compiled for AVX2, each lane operation one instruction for the four.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "fma,avx2")]
fn linsolve_x4_avx(args: FourSolve<'_, '_>) -> [usize; 4] {
    linsolve_x4_plain(args)
}

#[inline(always)]
fn linsolve_x4_plain((f, n, v, used): FourSolve<'_, '_>) -> [usize; 4] {
    let mut failed = [0; 4];
    if factorise(f, n, v.temp, v.aii, v.l, used, &mut failed) {
        substitute(f, v.aii, v.l, v.b);
    }
    failed
}

/// The numeric factorisation of `linsolve`, column by column in the [`visit_order`].
/// A lane whose pivot of row `j` is not positive gets `failed[lane] = j`, its first
/// such row in `linsolve`'s order (the smallest: the columns before it are made as
/// `linsolve` makes them, whatever the columns after it give). Returns whether any
/// lane of `used` is left without a failed pivot.
#[inline(always)]
fn factorise<V: Value>(
    s: Factor<'_>,
    n: usize,
    temp: &mut [V],
    aii: &mut [V],
    l: &mut [V],
    used: u32,
    failed: &mut [usize],
) -> bool {
    let Factor {
        xlnz,
        nzsub,
        xupdates,
        updates,
        visit,
        ..
    } = s;
    let mut failing = 0u32;
    temp[..=n].fill(V::ZERO);
    // Numerical factorisation of A into L: column L(*,j) for each j, every column after
    // the columns that modify it.
    for &j in visit {
        let j = j as usize;
        // For each column L(*,k) that affects L(*,j), in EPANET's order: the outer
        // product modification of L(*,j) by L(*,k) from L(j,k) on, saved in `temp`.
        let mut diagj = V::ZERO;
        for update in &updates[xupdates[j]..xupdates[j + 1]] {
            let ljk = l[update.first];
            diagj = diagj + ljk * ljk;
            let rest = update.first + 1..update.end;
            for (&isub, &lik) in nzsub[rest.clone()].iter().zip(&l[rest]) {
                temp[isub] = temp[isub] + lik * ljk;
            }
        }
        // Apply the modifications accumulated in `temp` to column L(*,j).
        let mut diagj = aii[j] - diagj;
        let not_positive = diagj.not_positive() & used;
        if not_positive != 0 {
            for (lane, row) in failed.iter_mut().enumerate().take(V::LANES) {
                if not_positive & (1 << lane) != 0 && (*row == 0 || j < *row) {
                    *row = j;
                }
            }
            failing |= not_positive;
        }
        diagj = diagj.sqrt();
        aii[j] = diagj;
        let column = xlnz[j]..xlnz[j + 1];
        for (&isub, lij) in nzsub[column.clone()].iter().zip(&mut l[column]) {
            *lij = (*lij - temp[isub]) / diagj;
            temp[isub] = V::ZERO;
        }
    }
    failing != used
}

/// The forward and backward substitutions of `linsolve`. The forward one is made row
/// by row in the [`visit_order`]: each row subtracts the products of the columns
/// before it in ascending column order, which is the order in which `linsolve`'s
/// column-by-column substitution subtracts them, so its bits are unchanged.
#[inline(always)]
fn substitute<V: Value>(s: Factor<'_>, aii: &[V], l: &[V], b: &mut [V]) {
    let Factor {
        xlnz,
        nzsub,
        visit,
        xrows,
        row_entries,
        ..
    } = s;
    // Forward substitution.
    for &r in visit {
        let r = r as usize;
        let mut br = b[r];
        for entry in &row_entries[xrows[r]..xrows[r + 1]] {
            br = br - l[entry.position as usize] * b[entry.column as usize];
        }
        b[r] = br / aii[r];
    }
    // Backward substitution.
    for &j in visit.iter().rev() {
        let j = j as usize;
        let mut bj = b[j];
        let column = xlnz[j]..xlnz[j + 1];
        for (&isub, &lij) in nzsub[column.clone()].iter().zip(&l[column]) {
            bj = bj - lij * b[isub];
        }
        b[j] = bj / aii[j];
    }
}
