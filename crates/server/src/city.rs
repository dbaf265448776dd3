//! `GET /api/city`: the city's districts and assets as GeoJSON.

use crate::{ApiError, Shared};
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use lifeline_cascade::City;
use lifeline_cascade::city::geometry;
use serde_json::{Value, json};
use std::sync::Arc;

/// The served city, or 404 when the server has none.
pub fn city(state: &crate::AppState) -> Result<&Arc<City>, ApiError> {
    state.city.as_ref().ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "the server was started without a city",
        )
    })
}

/// A point at district `d`'s centre, if it has an outline.
/// A point at `position` if the city gives one, else at district `d`'s centre, with which
/// of the two it is (`"placed"`: its own or its pumps' position, or `"district centre"`); null geometry without either.
fn placed(city: &City, position: Option<(f64, f64)>, d: Option<usize>) -> (Value, &'static str) {
    match position {
        Some((lon, lat)) => (
            json!({"type": "Point", "coordinates": [lon, lat]}),
            "placed",
        ),
        None => (at_district(city, d), "district centre"),
    }
}

fn at_district(city: &City, d: Option<usize>) -> Value {
    d.and_then(|d| city.districts.get(d))
        .and_then(|d| d.centre())
        .map_or(
            Value::Null,
            |(lon, lat)| json!({"type": "Point", "coordinates": [lon, lat]}),
        )
}

/// `GET /api/city`: name, people, districts as a GeoJSON feature collection, and pump
/// stations and facilities as one (points at their `position`, or at their district's
/// centre when the city gives none), with the lists of both.
pub async fn show(State(state): State<Shared>) -> Result<Response, ApiError> {
    city(&state)?;
    // Made once when the city was given: the city never changes, and a network of
    // thousands of pipes is no work for an async worker on every request.
    let body = state.city_document.clone().unwrap_or_default();
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// The document `GET /api/city` gives (see [`show`]).
pub fn document(city: &City) -> axum::body::Bytes {
    let districts: Vec<Value> = city
        .districts
        .iter()
        .map(|d| {
            json!({
                "type": "Feature",
                "geometry": d.outline.clone().unwrap_or(Value::Null),
                "properties": {"name": d.name, "population": d.population, "customers": d.customers},
            })
        })
        .collect();
    let stations = city.pump_stations.iter().map(|s| {
        let (geometry, position) = placed(city, s.position, s.serves.first().copied());
        json!({
            "type": "Feature",
            "geometry": geometry,
            "properties": {
                "kind": "pump_station", "id": s.id, "name": s.name, "bus": s.bus,
                "power_kw": s.power_kw, "backup": s.backup.is_some(),
                "serves": s.serves.iter().filter_map(|&d| city.districts.get(d)).map(|d| &d.name).collect::<Vec<_>>(),
                "position": position,
            },
        })
    });
    let facilities = city.facilities.iter().map(|f| {
        let (geometry, position) = placed(city, f.position, f.district);
        json!({
            "type": "Feature",
            "geometry": geometry,
            "properties": {
                "kind": f.kind, "id": f.id, "name": f.name, "bus": f.bus,
                "district": f.district.and_then(|d| city.districts.get(d)).map(|d| &d.name),
                "position": position,
            },
        })
    });
    let assets: Vec<Value> = stations.chain(facilities).collect();
    let document = json!({
        "name": city.name,
        "timezone": city.timezone,
        "population": city.population(),
        "districts": {"type": "FeatureCollection", "features": districts},
        "assets": {"type": "FeatureCollection", "features": assets},
        "grid": {"type": "FeatureCollection", "features": geometry::grid_features(city)},
        "water": {"type": "FeatureCollection", "features": geometry::water_features(city)},
        "crews": city.crews.iter().map(|c| &c.id).collect::<Vec<_>>(),
        "outage_groups": city.outage_groups.iter().map(|g| &g.id).collect::<Vec<_>>(),
    });
    axum::body::Bytes::from(serde_json::to_vec(&document).unwrap_or_default())
}
