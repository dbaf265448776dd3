//! Where the city places its assets, as GeoJSON features: the grid (`[grid]
//! positions`), the water network (`[water] crs`), pump stations and facilities (their
//! `position`, or a station's pumps'). Each feature's `asset` names it as scenarios and
//! timelines do.

use super::City;
use serde_json::{Value, json};

/// Pump stations and facilities that have a position, as points.
pub fn asset_features(city: &City) -> Vec<Value> {
    let point = |(lon, lat): (f64, f64)| json!({"type": "Point", "coordinates": [lon, lat]});
    let stations = city.pump_stations.iter().filter_map(|s| {
        s.position.map(|at| {
            json!({"type": "Feature", "geometry": point(at), "properties": {
                "kind": "pump_station", "asset": format!("pump_station:{}", s.id), "name": s.name}})
        })
    });
    let facilities = city.facilities.iter().filter_map(|f| {
        f.position.map(|at| {
            json!({"type": "Feature", "geometry": point(at), "properties": {
                "kind": "facility", "asset": format!("facility:{}", f.id), "name": f.name}})
        })
    });
    stations.chain(facilities).collect()
}

/// The grid where the city places it (`[grid] positions`): substations as points
/// (`bus:N`), lines and transformers between two placed buses as LineStrings
/// (`branch:N`, numbered as scenarios name them).
pub fn grid_features(city: &City) -> Vec<Value> {
    let at = |p: usize| city.bus_positions.get(p).copied().flatten();
    let positions = city.case.bus_positions();
    let mut features: Vec<Value> = city
        .case
        .buses
        .iter()
        .enumerate()
        .filter_map(|(p, bus)| {
            at(p).map(|(lon, lat)| {
                json!({
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [lon, lat]},
                    "properties": {"kind": "bus", "asset": format!("bus:{}", bus.id), "load_mw": bus.p_load_mw},
                })
            })
        })
        .collect();
    for (b, branch) in city.case.branches.iter().enumerate() {
        let ends = positions
            .get(&branch.from)
            .and_then(|&p| at(p))
            .zip(positions.get(&branch.to).and_then(|&p| at(p)));
        if let Some((a, z)) = ends {
            features.push(json!({
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": [[a.0, a.1], [z.0, z.1]]},
                "properties": {"kind": "line", "asset": format!("branch:{}", b + 1)},
            }));
        }
    }
    features
}

/// The water network where the city places it (`[water] crs`): pipes, pumps and valves
/// as LineStrings between two placed nodes, tanks and reservoirs as points.
pub fn water_features(city: &City) -> Vec<Value> {
    use lifeline_water::{LinkKind, NodeKind};
    let network = &city.network;
    let at = |n: usize| city.node_positions.get(n).copied().flatten();
    let mut features = Vec::new();
    for (l, &(a, z)) in network.link_ends.iter().enumerate() {
        let kind = match network.link_kinds[l] {
            LinkKind::Pipe | LinkKind::CvPipe => "pipe",
            LinkKind::Pump => "pump",
            LinkKind::Valve => "valve",
        };
        if let Some((p, q)) = at(a).zip(at(z)) {
            features.push(json!({
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": [[p.0, p.1], [q.0, q.1]]},
                "properties": {"kind": kind, "id": network.link_ids[l], "asset": format!("{kind}:{}", network.link_ids[l])},
            }));
        }
    }
    for (n, kind) in network.node_kinds.iter().enumerate() {
        let kind = match kind {
            NodeKind::Tank => "tank",
            NodeKind::Reservoir => "reservoir",
            NodeKind::Junction => continue,
        };
        if let Some((lon, lat)) = at(n) {
            let id = &network.node_ids[n];
            // Tanks can be struck; a reservoir (a source) is not an asset of scenarios.
            let properties = if kind == "tank" {
                json!({"kind": kind, "id": id, "asset": format!("tank:{id}")})
            } else {
                json!({"kind": kind, "id": id})
            };
            features.push(json!({
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": properties,
            }));
        }
    }
    features
}
