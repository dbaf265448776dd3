//! Re-dispatch inside an island: moving generation up or down across generators in
//! proportion to the room each has within its limits.

/// Moves the total output of `generators` by `delta_mw` (positive: up), each in
/// proportion to its headroom `PMAX − P` (up) or footroom `P − PMIN` (down), never past a
/// limit. `p_mw`, `p_min_mw` and `p_max_mw` are indexed by generator. Returns the part of
/// `delta_mw` that did not fit (same sign as `delta_mw`, zero when all of it fitted).
pub fn redispatch(
    p_mw: &mut [f64],
    p_min_mw: &[f64],
    p_max_mw: &[f64],
    generators: &[usize],
    delta_mw: f64,
) -> f64 {
    let room: Vec<f64> = generators
        .iter()
        .map(|&g| {
            if delta_mw > 0.0 {
                (p_max_mw[g] - p_mw[g]).max(0.0)
            } else {
                (p_mw[g] - p_min_mw[g]).max(0.0)
            }
        })
        .collect();
    let total_room: f64 = room.iter().sum();
    if total_room <= 0.0 || delta_mw == 0.0 {
        return delta_mw;
    }
    let fits = delta_mw.abs() <= total_room;
    let fraction = if fits {
        delta_mw.abs() / total_room
    } else {
        1.0
    };
    for (&g, room) in generators.iter().zip(room) {
        p_mw[g] += room * fraction * delta_mw.signum();
    }
    if fits {
        0.0
    } else {
        (delta_mw.abs() - total_room) * delta_mw.signum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn up_in_proportion_to_headroom() {
        let mut p = vec![50.0, 10.0, 0.0];
        let left = redispatch(&mut p, &[0.0; 3], &[100.0, 30.0, 0.0], &[0, 1, 2], 35.0);
        assert_eq!(left, 0.0);
        assert!((p[0] - 75.0).abs() < 1e-12 && (p[1] - 20.0).abs() < 1e-12);
    }

    #[test]
    fn reports_what_does_not_fit() {
        let mut p = vec![90.0, 25.0];
        let left = redispatch(&mut p, &[0.0; 2], &[100.0, 30.0], &[0, 1], 40.0);
        assert_eq!(p, vec![100.0, 30.0]);
        assert!((left - 25.0).abs() < 1e-12);
        let left = redispatch(&mut p, &[20.0, 10.0], &[100.0, 30.0], &[0, 1], -150.0);
        assert_eq!(p, vec![20.0, 10.0]);
        assert!((left + 50.0).abs() < 1e-12);
    }
}
