//! Small dense blocks (`B`×`B`, row-major) and the operations the block LU needs.
//! `B` is 1 for scalar matrices (DC power flow) and 2 for the AC Jacobian (θ, |V| per bus).

/// A `B`×`B` block, row-major: `block[row][column]`.
pub type Block<const B: usize> = [[f64; B]; B];

/// The zero block.
pub fn zero<const B: usize>() -> Block<B> {
    [[0.0; B]; B]
}

/// `x -= a·b`.
#[inline(always)]
pub fn multiply_subtract<const B: usize>(x: &mut Block<B>, a: &Block<B>, b: &Block<B>) {
    for r in 0..B {
        for c in 0..B {
            let mut sum = 0.0;
            for m in 0..B {
                sum += a[r][m] * b[m][c];
            }
            x[r][c] -= sum;
        }
    }
}

/// `a·b`.
#[inline(always)]
pub fn multiply<const B: usize>(a: &Block<B>, b: &Block<B>) -> Block<B> {
    let mut out = zero::<B>();
    for r in 0..B {
        for c in 0..B {
            for m in 0..B {
                out[r][c] += a[r][m] * b[m][c];
            }
        }
    }
    out
}

/// `y -= a·x`.
#[inline(always)]
pub fn multiply_subtract_vector<const B: usize>(y: &mut [f64; B], a: &Block<B>, x: &[f64; B]) {
    for r in 0..B {
        let mut sum = 0.0;
        for c in 0..B {
            sum += a[r][c] * x[c];
        }
        y[r] -= sum;
    }
}

/// `a·x`.
#[inline(always)]
pub fn multiply_vector<const B: usize>(a: &Block<B>, x: &[f64; B]) -> [f64; B] {
    let mut out = [0.0; B];
    for r in 0..B {
        for c in 0..B {
            out[r] += a[r][c] * x[c];
        }
    }
    out
}

/// Largest absolute row sum (the ∞-norm).
#[inline(always)]
pub fn norm<const B: usize>(a: &Block<B>) -> f64 {
    let mut largest: f64 = 0.0;
    for row in a {
        largest = largest.max(row.iter().map(|v| v.abs()).sum());
    }
    largest
}

/// Largest absolute entry.
#[inline(always)]
pub fn largest_entry<const B: usize>(a: &Block<B>) -> f64 {
    a.iter().flatten().fold(0.0, |m: f64, v| m.max(v.abs()))
}

/// Whether every entry is zero.
#[inline(always)]
pub fn is_zero<const B: usize>(a: &Block<B>) -> bool {
    a.iter().all(|row| row.iter().all(|&v| v == 0.0))
}

/// The inverse: closed form for 1×1 and 2×2, Gauss–Jordan elimination with partial
/// pivoting otherwise; `None` if singular.
#[inline(always)]
pub fn inverse<const B: usize>(a: &Block<B>) -> Option<Block<B>> {
    let mut out = zero::<B>();
    if B == 1 {
        let value = 1.0 / a[0][0];
        out[0][0] = value;
        return (a[0][0] != 0.0 && value.is_finite()).then_some(out);
    }
    if B == 2 {
        let determinant = a[0][0] * a[1][1] - a[0][1] * a[1][0];
        let scale = 1.0 / determinant;
        out[0][0] = a[1][1] * scale;
        out[0][1] = -a[0][1] * scale;
        out[1][0] = -a[1][0] * scale;
        out[1][1] = a[0][0] * scale;
        return (determinant != 0.0 && scale.is_finite()).then_some(out);
    }
    gauss_jordan_inverse(a)
}

fn gauss_jordan_inverse<const B: usize>(a: &Block<B>) -> Option<Block<B>> {
    let mut m = *a;
    let mut inv = zero::<B>();
    for (i, row) in inv.iter_mut().enumerate() {
        row[i] = 1.0;
    }
    for col in 0..B {
        let pivot_row = (col..B).max_by(|&x, &y| m[x][col].abs().total_cmp(&m[y][col].abs()))?;
        if m[pivot_row][col] == 0.0 || !m[pivot_row][col].is_finite() {
            return None;
        }
        m.swap(col, pivot_row);
        inv.swap(col, pivot_row);
        let scale = 1.0 / m[col][col];
        for c in 0..B {
            m[col][c] *= scale;
            inv[col][c] *= scale;
        }
        for r in 0..B {
            if r != col {
                let factor = m[r][col];
                if factor != 0.0 {
                    for c in 0..B {
                        m[r][c] -= factor * m[col][c];
                        inv[r][c] -= factor * inv[col][c];
                    }
                }
            }
        }
    }
    Some(inv)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inverse_of_a_two_by_two() {
        let a = [[0.0, 2.0], [4.0, 1.0]];
        let inv = inverse(&a).unwrap();
        let product = multiply(&a, &inv);
        assert!((product[0][0] - 1.0).abs() < 1e-15 && product[0][1].abs() < 1e-15);
        assert!(product[1][0].abs() < 1e-15 && (product[1][1] - 1.0).abs() < 1e-15);
        assert!(inverse(&[[1.0, 2.0], [2.0, 4.0]]).is_none());
        assert_eq!(inverse(&[[4.0]]), Some([[0.25]]));
        let a3 = [[0.0, 2.0, 1.0], [4.0, 1.0, 0.0], [1.0, 0.0, 3.0]];
        let product = multiply(&a3, &inverse(&a3).unwrap());
        for (r, row) in product.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                assert!((v - if r == c { 1.0 } else { 0.0 }).abs() < 1e-14);
            }
        }
    }
}
