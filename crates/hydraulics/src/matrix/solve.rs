//! EPANET 2.3's `linsolve` (`smatrix.c`, after George and Liu's GSFCT and GSSLV): the
//! column-by-column numeric Cholesky factorisation into the symbolic structure, then the
//! forward and backward substitutions, with every loop, and so every floating-point sum,
//! in EPANET's order. Arrays are 1-based as in the C.

/// The symbolic structure of the factor and the work array of `linsolve`.
pub(super) struct Factor<'a> {
    /// Start of each column in `nzsub` (`XLNZ`).
    pub xlnz: &'a [usize],
    /// Row of each non-zero of each column, ascending (`NZSUB`).
    pub nzsub: &'a [usize],
    /// Start of each column's updates in `updates`.
    pub xupdates: &'a [usize],
    /// The updates of each column, in `linsolve`'s order (see [`update_schedule`]).
    pub updates: &'a [Update],
    /// Work: accumulated column modifications (`temp`).
    pub temp: &'a mut [f64],
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

/// `linsolve(sm, n)`: factorises `aii` and the off-diagonals `l` in place and
/// overwrites `b` (`F`) with the solution. `Err(j)` (1-based row) when the pivot of row
/// `j` is not positive. `l[i]` is EPANET's `Aij[LNZ[i]]`: the same values in the order
/// the factorisation visits them, so that the inner loops run over contiguous slices.
pub(super) fn linsolve(
    f: Factor<'_>,
    n: usize,
    aii: &mut [f64],
    l: &mut [f64],
    b: &mut [f64],
) -> Result<(), usize> {
    let Factor {
        xlnz,
        nzsub,
        xupdates,
        updates,
        temp,
    } = f;
    temp[..=n].fill(0.0);
    // Numerical factorisation of A into L: column L(*,j) for j = 1..n.
    for j in 1..=n {
        // For each column L(*,k) that affects L(*,j), in EPANET's order: the outer
        // product modification of L(*,j) by L(*,k) from L(j,k) on, saved in `temp`.
        let mut diagj = 0.0;
        for update in &updates[xupdates[j]..xupdates[j + 1]] {
            let ljk = l[update.first];
            diagj += ljk * ljk;
            let rest = update.first + 1..update.end;
            for (&isub, &lik) in nzsub[rest.clone()].iter().zip(&l[rest]) {
                temp[isub] += lik * ljk;
            }
        }
        // Apply the modifications accumulated in `temp` to column L(*,j).
        let mut diagj = aii[j] - diagj;
        if diagj <= 0.0 {
            return Err(j);
        }
        diagj = diagj.sqrt();
        aii[j] = diagj;
        let column = xlnz[j]..xlnz[j + 1];
        for (&isub, lij) in nzsub[column.clone()].iter().zip(&mut l[column]) {
            *lij = (*lij - temp[isub]) / diagj;
            temp[isub] = 0.0;
        }
    }
    substitute(xlnz, nzsub, n, aii, l, b);
    Ok(())
}

/// The forward and backward substitutions of `linsolve`.
fn substitute(xlnz: &[usize], nzsub: &[usize], n: usize, aii: &[f64], l: &[f64], b: &mut [f64]) {
    // Forward substitution.
    for j in 1..=n {
        let bj = b[j] / aii[j];
        b[j] = bj;
        let column = xlnz[j]..xlnz[j + 1];
        for (&isub, &lij) in nzsub[column.clone()].iter().zip(&l[column]) {
            b[isub] -= lij * bj;
        }
    }
    // Backward substitution.
    for j in (1..=n).rev() {
        let mut bj = b[j];
        let column = xlnz[j]..xlnz[j + 1];
        for (&isub, &lij) in nzsub[column.clone()].iter().zip(&l[column]) {
            bj -= lij * b[isub];
        }
        b[j] = bj / aii[j];
    }
}
