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
