//! Writers of cascade results: CSV per district and time, asset state changes, tank
//! levels, and GeoJSON of the districts with their state at each reported time.
//!
//! Numbers are written with the fewest digits that read back exactly.

use crate::city::City;
use crate::result::{AssetTimeline, CascadeResult};
use lifeline_core::csv::field;
use lifeline_core::number::shortest;
use serde_json::{Value, json};
use std::io::{self, Write};

/// `t_h,district,population,customers,customers_without_power,people_without_water,
/// load_mw,served_mw,shed_mw,water_required_lps,water_delivered_lps`: one row per reported
/// time and district; the counts of people and customers are those beyond the normal day.
pub fn write_districts(out: &mut impl Write, result: &CascadeResult) -> io::Result<()> {
    writeln!(
        out,
        "t_h,district,population,customers,customers_without_power,people_without_water,load_mw,served_mw,shed_mw,water_required_lps,water_delivered_lps"
    )?;
    for k in 0..result.times_h.len() {
        for d in &result.districts {
            let s = &d.timeline[k];
            writeln!(
                out,
                "{},{},{},{},{},{},{},{},{},{},{}",
                shortest(s.t_h),
                field(&d.name),
                d.population,
                d.customers,
                s.customers_without_power,
                s.people_without_water,
                shortest(s.load_mw),
                shortest(s.served_mw),
                shortest(s.shed_mw),
                shortest(s.water_required_lps),
                shortest(s.water_delivered_lps)
            )?;
        }
    }
    Ok(())
}

/// `asset,name,t_h,state`: one row per state change (the first row of each asset is its
/// state at time 0).
pub fn write_assets(out: &mut impl Write, result: &CascadeResult) -> io::Result<()> {
    writeln!(out, "asset,name,t_h,state")?;
    for asset in &result.assets {
        for change in &asset.changes {
            writeln!(
                out,
                "{},{},{},{}",
                field(&asset.asset),
                field(&asset.name),
                shortest(change.t_h),
                change.state
            )?;
        }
    }
    Ok(())
}

/// `t_h,tank,level_m,volume_m3`: one row per reported time and tank.
pub fn write_tanks(out: &mut impl Write, result: &CascadeResult) -> io::Result<()> {
    writeln!(out, "t_h,tank,level_m,volume_m3")?;
    for (k, t_h) in result.times_h.iter().enumerate() {
        for tank in &result.tanks {
            writeln!(
                out,
                "{},{},{},{}",
                shortest(*t_h),
                field(&tank.id),
                shortest(tank.level_m[k]),
                shortest(tank.volume_m3[k])
            )?;
        }
    }
    Ok(())
}

/// A GeoJSON FeatureCollection with one feature per district and reported time (its
/// outline, and `district`, `t_h`, `customers_without_power`, `people_without_water`,
/// `share_without_power`, `share_without_water` as properties), for map tools that
/// animate over a time property. `None` when the city has no map.
pub fn districts_geojson(city: &City, result: &CascadeResult) -> Option<Value> {
    if city.districts.iter().all(|d| d.outline.is_none()) {
        return None;
    }
    let mut features = Vec::new();
    for (k, t_h) in result.times_h.iter().enumerate() {
        for (district, outcome) in city.districts.iter().zip(&result.districts) {
            let Some(outline) = &district.outline else {
                continue;
            };
            let s = &outcome.timeline[k];
            features.push(json!({
                "type": "Feature",
                "geometry": outline,
                "properties": {
                    "district": outcome.name,
                    "t_h": t_h,
                    "population": outcome.population,
                    "customers": outcome.customers,
                    "customers_without_power": s.customers_without_power,
                    "people_without_water": s.people_without_water,
                    "share_without_power": s.customers_without_power as f64 / outcome.customers as f64,
                    "share_without_water": s.people_without_water as f64 / outcome.population as f64,
                }
            }));
        }
    }
    Some(json!({ "type": "FeatureCollection", "features": features }))
}

/// A GeoJSON FeatureCollection of every asset the city places (substations, lines,
/// pipes, pumps, valves, tanks, reservoirs, pump stations, facilities: LineStrings and
/// points), each with `asset`, `kind` and, for the assets the run followed, `changes`
/// (its states with the time each began, h) and `hours_out` (hours hit or without
/// supply). `None` when the city places nothing.
pub fn assets_geojson(city: &City, result: &CascadeResult) -> Option<Value> {
    use crate::city::geometry;
    let mut features = geometry::grid_features(city);
    features.extend(geometry::water_features(city));
    features.extend(geometry::asset_features(city));
    if features.is_empty() {
        return None;
    }
    for feature in &mut features {
        let asset = feature["properties"]["asset"]
            .as_str()
            .unwrap_or("")
            .to_string();
        if let Some(timeline) = result.asset(&asset) {
            let out = timeline.hours_where(result.horizon_h, AssetTimeline::is_out);
            feature["properties"]["changes"] = json!(timeline.changes);
            feature["properties"]["hours_out"] = json!(out);
        }
    }
    Some(json!({ "type": "FeatureCollection", "features": features }))
}
