//! Polygons (with holes) and multipolygons in plane coordinates: whether a point is inside,
//! and how far it is from the outline, for assigning network nodes to districts.

/// A ring: closed or not, as GeoJSON gives it (the last point may repeat the first).
pub type Ring = Vec<(f64, f64)>;

/// A polygon: an outer ring and its holes.
#[derive(Debug, Clone, PartialEq)]
pub struct Polygon {
    /// The outer ring.
    pub outer: Ring,
    /// Holes.
    pub holes: Vec<Ring>,
}

/// An area of one or more polygons (a district).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Area {
    /// Its polygons.
    pub polygons: Vec<Polygon>,
}

impl Area {
    /// Whether `point` is inside (on the boundary counts as inside or not, either way).
    pub fn contains(&self, point: (f64, f64)) -> bool {
        self.polygons.iter().any(|p| {
            ring_contains(&p.outer, point) && !p.holes.iter().any(|h| ring_contains(h, point))
        })
    }

    /// Distance from `point` to the nearest edge of the area (0 inside), in the
    /// coordinates' units.
    pub fn distance(&self, point: (f64, f64)) -> f64 {
        if self.contains(point) {
            return 0.0;
        }
        self.polygons
            .iter()
            .flat_map(|p| std::iter::once(&p.outer).chain(&p.holes))
            .map(|ring| ring_distance(ring, point))
            .fold(f64::INFINITY, f64::min)
    }

    /// A point to label or place the area by: the area centroid of its largest outer
    /// ring, in the plane of its coordinates (the mean of the ring's vertices when it
    /// has no area). The vertices' mean would drift toward wherever the outline is drawn
    /// in detail.
    pub fn centre(&self) -> Option<(f64, f64)> {
        let mut best: Option<(f64, (f64, f64))> = None;
        for polygon in &self.polygons {
            let ring = &polygon.outer;
            let Some(&(x0, y0)) = ring.first() else {
                continue;
            };
            // Shoelace about the first vertex (for precision), closing the ring.
            let (mut area, mut cx, mut cy) = (0.0, 0.0, 0.0);
            for (i, a) in ring.iter().enumerate() {
                let b = ring[(i + 1) % ring.len()];
                let (ax, ay, bx, by) = (a.0 - x0, a.1 - y0, b.0 - x0, b.1 - y0);
                let cross = ax * by - bx * ay;
                area += cross;
                cx += (ax + bx) * cross;
                cy += (ay + by) * cross;
            }
            if area.abs() > 1e-18 && best.is_none_or(|(a, _)| area.abs() > a) {
                best = Some((area.abs(), (x0 + cx / (3.0 * area), y0 + cy / (3.0 * area))));
            }
        }
        if let Some((_, centre)) = best {
            return Some(centre);
        }
        let points: Vec<&(f64, f64)> = self.polygons.iter().flat_map(|p| &p.outer).collect();
        if points.is_empty() {
            return None;
        }
        let n = points.len() as f64;
        Some((
            points.iter().map(|p| p.0).sum::<f64>() / n,
            points.iter().map(|p| p.1).sum::<f64>() / n,
        ))
    }
}

/// Even-odd rule: a ray to the right of `point` crosses the ring an odd number of times.
fn ring_contains(ring: &[(f64, f64)], (x, y): (f64, f64)) -> bool {
    let mut inside = false;
    let n = ring.len();
    if n < 3 {
        return false;
    }
    let mut j = n - 1;
    for i in 0..n {
        let (xi, yi) = ring[i];
        let (xj, yj) = ring[j];
        if (yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi {
            inside = !inside;
        }
        j = i;
    }
    inside
}

/// Distance from `point` to the nearest edge of `ring`.
fn ring_distance(ring: &[(f64, f64)], point: (f64, f64)) -> f64 {
    let n = ring.len();
    if n == 0 {
        return f64::INFINITY;
    }
    if n == 1 {
        return distance(ring[0], point);
    }
    (0..n)
        .map(|i| segment_distance(ring[i], ring[(i + 1) % n], point))
        .fold(f64::INFINITY, f64::min)
}

/// Distance from `p` to the segment `a`–`b`.
fn segment_distance(a: (f64, f64), b: (f64, f64), p: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let length2 = dx * dx + dy * dy;
    let t = if length2 > 0.0 {
        (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / length2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    distance((a.0 + t * dx, a.1 + t * dy), p)
}

/// Plane distance.
pub fn distance(a: (f64, f64), b: (f64, f64)) -> f64 {
    ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt()
}

/// Great-circle distance between two (longitude, latitude) points in degrees, km.
pub fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lon1, lat1) = (a.0.to_radians(), a.1.to_radians());
    let (lon2, lat2) = (b.0.to_radians(), b.1.to_radians());
    let h = ((lat2 - lat1) / 2.0).sin().powi(2)
        + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(x0: f64, y0: f64, side: f64) -> Ring {
        vec![
            (x0, y0),
            (x0 + side, y0),
            (x0 + side, y0 + side),
            (x0, y0 + side),
            (x0, y0),
        ]
    }

    #[test]
    fn a_point_in_a_hole_is_outside_and_distances_are_to_the_nearest_edge() {
        let area = Area {
            polygons: vec![Polygon {
                outer: square(0.0, 0.0, 10.0),
                holes: vec![square(4.0, 4.0, 2.0)],
            }],
        };
        assert!(area.contains((1.0, 1.0)));
        assert!(!area.contains((5.0, 5.0)));
        assert!(!area.contains((11.0, 5.0)));
        assert_eq!(area.distance((1.0, 1.0)), 0.0);
        assert!((area.distance((5.0, 5.0)) - 1.0).abs() < 1e-12);
        assert!((area.distance((13.0, 5.0)) - 3.0).abs() < 1e-12);
        assert!((area.distance((13.0, 14.0)) - 5.0).abs() < 1e-12);
    }
}
