//! EPANET 2.3's `linsolve` (`smatrix.c`, after George and Liu's GSFCT and GSSLV): the
//! column-by-column numeric Cholesky factorisation into the symbolic structure, then the
//! forward and backward substitutions, with every loop, and so every floating-point sum,
//! in EPANET's order. Arrays are 1-based as in the C.

/// The symbolic structure of the factor and the work arrays of `linsolve`.
pub(super) struct Factor<'a> {
    /// Start of each column in `nzsub` (`XLNZ`).
    pub xlnz: &'a [usize],
    /// Row of each non-zero of each column, ascending (`NZSUB`).
    pub nzsub: &'a [usize],
    /// Slot in `aij` of each non-zero (`LNZ`).
    pub lnz: &'a [usize],
    /// Work: accumulated column modifications (`temp`).
    pub temp: &'a mut [f64],
    /// Work: linked lists of the columns modifying each column (`link`).
    pub link: &'a mut [usize],
    /// Work: next non-zero of each column still to be used (`first`).
    pub first: &'a mut [usize],
}

/// `linsolve(sm, n)`: factorises `aii`/`aij` in place and overwrites `b` (`F`) with the
/// solution. `Err(j)` (1-based row) when the pivot of row `j` is not positive.
pub(super) fn linsolve(
    f: Factor<'_>,
    n: usize,
    aii: &mut [f64],
    aij: &mut [f64],
    b: &mut [f64],
) -> Result<(), usize> {
    let Factor {
        xlnz,
        nzsub,
        lnz,
        temp,
        link,
        first,
    } = f;
    temp[..=n].fill(0.0);
    link[..=n].fill(0);
    first[..=n].fill(0);
    // Numerical factorisation of A into L: column L(*,j) for j = 1..n.
    for j in 1..=n {
        // For each column L(*,k) that affects L(*,j).
        let mut diagj = 0.0;
        let mut k = link[j];
        while k != 0 {
            // Outer product modification of L(*,j) by L(*,k) starting at first[k].
            let newk = link[k];
            let kfirst = first[k];
            let ljk = aij[lnz[kfirst]];
            diagj += ljk * ljk;
            let istrt = kfirst + 1;
            let istop = xlnz[k + 1] - 1;
            if istop >= istrt {
                // Before the modification, update `first` and `link` for future steps.
                first[k] = istrt;
                let isub = nzsub[istrt];
                link[k] = link[isub];
                link[isub] = k;
                // The modification is saved in `temp`.
                for i in istrt..=istop {
                    let isub = nzsub[i];
                    temp[isub] += aij[lnz[i]] * ljk;
                }
            }
            k = newk;
        }
        // Apply the modifications accumulated in `temp` to column L(*,j).
        let mut diagj = aii[j] - diagj;
        if diagj <= 0.0 {
            return Err(j);
        }
        diagj = diagj.sqrt();
        aii[j] = diagj;
        let istrt = xlnz[j];
        let istop = xlnz[j + 1] - 1;
        if istop >= istrt {
            first[j] = istrt;
            let isub = nzsub[istrt];
            link[j] = link[isub];
            link[isub] = j;
            for i in istrt..=istop {
                let isub = nzsub[i];
                let bj = (aij[lnz[i]] - temp[isub]) / diagj;
                aij[lnz[i]] = bj;
                temp[isub] = 0.0;
            }
        }
    }
    substitute(xlnz, nzsub, lnz, n, aii, aij, b);
    Ok(())
}

/// The forward and backward substitutions of `linsolve`.
fn substitute(
    xlnz: &[usize],
    nzsub: &[usize],
    lnz: &[usize],
    n: usize,
    aii: &[f64],
    aij: &[f64],
    b: &mut [f64],
) {
    // Forward substitution.
    for j in 1..=n {
        let bj = b[j] / aii[j];
        b[j] = bj;
        for i in xlnz[j]..xlnz[j + 1] {
            let isub = nzsub[i];
            b[isub] -= aij[lnz[i]] * bj;
        }
    }
    // Backward substitution.
    for j in (1..=n).rev() {
        let mut bj = b[j];
        for i in xlnz[j]..xlnz[j + 1] {
            let isub = nzsub[i];
            bj -= aij[lnz[i]] * b[isub];
        }
        b[j] = bj / aii[j];
    }
}
