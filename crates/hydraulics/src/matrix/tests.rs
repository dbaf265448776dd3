//! Unit tests of the nodal system: random systems against a dense solve, failures,
//! parallel links.

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

/// Assembles random conductances of `links` into `sys`; `broken` makes a junction's
/// diagonal negative, so that its pivot fails.
fn assemble_random(
    sys: &mut NodalSystem,
    links: &[(usize, usize)],
    nj: usize,
    rng: &mut Rng,
    broken: Option<usize>,
) {
    sys.clear();
    for (k, &(a, c)) in links.iter().enumerate() {
        let p = 0.1 + rng.unit();
        for &e in &[a, c] {
            if e < nj && a != c {
                sys.add_diagonal(e, p);
            }
        }
        if a < nj && c < nj && a != c {
            sys.add_off_diagonal(k, -p);
        }
    }
    for j in 0..nj {
        sys.add_rhs(j, rng.unit() * 10.0 - 5.0);
    }
    sys.add_diagonal(0, 1.0);
    if let Some(j) = broken {
        sys.add_diagonal(j, -1.0e3);
    }
}

#[test]
fn systems_solved_side_by_side_get_the_bits_of_each_solve_alone() {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let mut failures = 0;
    for trial in 0..60 {
        let nj = 2 + rng.below(80);
        let mut links = Vec::new();
        for j in 1..nj {
            links.push((rng.below(j), j));
        }
        links.push((nj, rng.below(nj)));
        for _ in 0..nj + rng.below(2 * nj) {
            links.push((rng.below(nj + 1), rng.below(nj + 1)));
        }
        let base = NodalSystem::new(nj, &links);
        // One to six copies of the system (groups of four, and one alone).
        let count = 1 + rng.below(6);
        let mut systems: Vec<NodalSystem> = (0..count)
            .map(|_| {
                let mut sys = base.clone();
                let broken = (rng.below(4) == 0).then(|| rng.below(nj));
                assemble_random(&mut sys, &links, nj, &mut rng, broken);
                sys
            })
            .collect();
        let alone: Vec<(Result<(), usize>, Vec<f64>)> = systems
            .iter()
            .map(|sys| {
                let mut heads = vec![f64::NAN; nj];
                let result = sys.clone().solve(&mut heads);
                (result, heads)
            })
            .collect();
        let mut heads: Vec<Vec<f64>> = vec![vec![f64::NAN; nj]; count];
        let mut lanes: Vec<(&mut NodalSystem, &mut [f64])> = systems
            .iter_mut()
            .zip(heads.iter_mut())
            .map(|(sys, h)| (sys, h.as_mut_slice()))
            .collect();
        let results = NodalSystem::solve_lanes(&mut lanes);
        for (i, (result, want)) in alone.iter().enumerate() {
            assert_eq!(results[i], *result, "trial {trial} system {i}");
            if result.is_err() {
                failures += 1;
                continue;
            }
            let same = heads[i]
                .iter()
                .zip(want)
                .all(|(a, b)| a.to_bits() == b.to_bits());
            assert!(same, "trial {trial} system {i}: {:?} vs {want:?}", heads[i]);
        }
    }
    assert!(failures > 5, "only {failures} failing systems were tried");
    let held = || FOUR_SYSTEMS.with_borrow(|w| w.lval.capacity() + w.temp.capacity());
    assert!(held() > 0);
    NodalSystem::release_lane_space();
    assert_eq!(held(), 0);
}

/// EPANET 2.3's `linsolve` as written in `smatrix.c`, its linked lists and `LNZ`
/// included, on EPANET's arrays (1-based): the reference the solve must equal in bits.
#[allow(clippy::too_many_arguments)]
fn epanet_linsolve(
    n: usize,
    xlnz: &[usize],
    nzsub: &[usize],
    lnz: &[usize],
    aii: &mut [f64],
    aij: &mut [f64],
    b: &mut [f64],
) -> usize {
    let mut temp = vec![0.0; n + 1];
    let mut link = vec![0usize; n + 1];
    let mut first = vec![0usize; n + 1];
    for j in 1..=n {
        let mut diagj = 0.0;
        let mut k = link[j];
        while k != 0 {
            let newk = link[k];
            let kfirst = first[k];
            let ljk = aij[lnz[kfirst]];
            diagj += ljk * ljk;
            let istrt = kfirst + 1;
            let istop = xlnz[k + 1] - 1;
            if istop >= istrt {
                first[k] = istrt;
                let isub = nzsub[istrt];
                link[k] = link[isub];
                link[isub] = k;
                for i in istrt..=istop {
                    temp[nzsub[i]] += aij[lnz[i]] * ljk;
                }
            }
            k = newk;
        }
        diagj = aii[j] - diagj;
        if diagj <= 0.0 {
            return j;
        }
        diagj = diagj.sqrt();
        aii[j] = diagj;
        let (istrt, istop) = (xlnz[j], xlnz[j + 1] - 1);
        if istop >= istrt {
            first[j] = istrt;
            let isub = nzsub[istrt];
            link[j] = link[isub];
            link[isub] = j;
            for i in istrt..=istop {
                let isub = nzsub[i];
                aij[lnz[i]] = (aij[lnz[i]] - temp[isub]) / diagj;
                temp[isub] = 0.0;
            }
        }
    }
    for j in 1..=n {
        let bj = b[j] / aii[j];
        b[j] = bj;
        for i in xlnz[j]..xlnz[j + 1] {
            b[nzsub[i]] -= aij[lnz[i]] * bj;
        }
    }
    for j in (1..=n).rev() {
        let mut bj = b[j];
        for i in xlnz[j]..xlnz[j + 1] {
            bj -= aij[lnz[i]] * b[nzsub[i]];
        }
        b[j] = bj / aii[j];
    }
    0
}

#[test]
fn solves_have_the_bits_of_epanets_linsolve() {
    let mut rng = Rng(0x5851_f42d_4c95_7f2d);
    let mut failures = 0;
    let mut several_failing = 0;
    for trial in 0..120 {
        let nj = 1 + rng.below(150);
        let nf = 1 + rng.below(3);
        let mut links = Vec::new();
        for j in 1..nj {
            links.push((rng.below(j), j));
        }
        links.push((nj + rng.below(nf), rng.below(nj)));
        for _ in 0..rng.below(2 * nj + 1) {
            links.push((rng.below(nj + nf), rng.below(nj + nf)));
        }
        // EPANET's structure, as `createsparse` builds it.
        let n_nodes = nj + nf;
        let (mut adj, ndx) = local_adj_lists(n_nodes, &links);
        let (row, order) = reorder_nodes(nj, n_nodes, &adj);
        let ncoeffs = factorize(nj, n_nodes, links.len(), &order, &mut adj);
        let (xlnz, mut nzsub, mut lnz) = store_sparse(nj, &order, &row, &adj);
        sort_sparse(nj, &xlnz, &mut nzsub, &mut lnz);
        // The same values into EPANET's arrays and into the system, in the same order;
        // every other system makes its off-diagonals' sums column by column.
        let mut sys = if trial % 2 == 0 {
            NodalSystem::new(nj, &links)
        } else {
            NodalSystem::with_layout(nj, &links, |n, xlnz, nzsub| {
                solve::Layout::with_products_up_to(n, xlnz, nzsub, 0)
            })
        };
        sys.clear();
        let (mut aii, mut aij, mut b) =
            (vec![0.0; nj + 1], vec![0.0; ncoeffs + 1], vec![0.0; nj + 1]);
        for (k, &(a, c)) in links.iter().enumerate() {
            let p = 0.1 + rng.unit() * if rng.below(8) == 0 { 1e7 } else { 1.0 };
            for &e in &[a, c] {
                if e < nj && a != c {
                    sys.add_diagonal(e, p);
                    aii[row[e + 1]] += p;
                }
            }
            if a < nj && c < nj && a != c {
                sys.add_off_diagonal(k, -p);
                aij[ndx[k + 1]] += -p;
            }
        }
        for j in 0..nj {
            let v = rng.unit() * 10.0 - 5.0;
            sys.add_rhs(j, v);
            b[row[j + 1]] += v;
        }
        sys.add_diagonal(0, 1.0);
        aii[row[1]] += 1.0;
        let broken = if rng.below(3) == 0 {
            1 + rng.below(3)
        } else {
            0
        };
        for _ in 0..broken {
            let j = rng.below(nj);
            sys.add_diagonal(j, -1.0e3);
            aii[row[j + 1]] += -1.0e3;
        }
        let failed = epanet_linsolve(nj, &xlnz, &nzsub, &lnz, &mut aii, &mut aij, &mut b);
        let mut heads = vec![f64::NAN; nj];
        let got = sys.solve(&mut heads);
        if failed != 0 {
            assert_eq!(got, Err(order[failed] - 1), "trial {trial}");
            failures += 1;
            several_failing += usize::from(broken > 1);
            continue;
        }
        assert_eq!(got, Ok(()), "trial {trial}");
        for j in 0..nj {
            let want = b[row[j + 1]];
            assert_eq!(
                heads[j].to_bits(),
                want.to_bits(),
                "trial {trial} junction {j}: {} vs {want}",
                heads[j]
            );
        }
    }
    assert!(
        failures > 10 && several_failing > 3,
        "{failures} failing systems, {several_failing} with several broken rows"
    );
}
