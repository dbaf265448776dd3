//! Projections against known coordinates: the forward values come from pyproj 3.7.2
//! (PROJ 9.5.1, `Transformer.from_crs("EPSG:4326", crs, always_xy=True)`); lifeline must
//! take them back to the same longitude/latitude within 1 cm.
#![allow(clippy::unwrap_used, missing_docs)]

use lifeline_geo::{Crs, GeoError, distance_km};

/// (system, longitude, latitude, x, y) from PROJ.
const KNOWN: [(&str, f64, f64, f64, f64); 6] = [
    (
        "EPSG:3857",
        30.5234,
        50.4501,
        3397849.3452794063,
        6524593.221531113,
    ),
    (
        "EPSG:3857",
        -74.0060,
        40.7128,
        -8238310.235647004,
        4970071.579142427,
    ),
    (
        "EPSG:32636",
        30.5234,
        50.4501,
        324182.2094294755,
        5591607.607408224,
    ),
    (
        "EPSG:32636",
        33.0,
        0.5,
        499999.9999999993,
        55265.037142649104,
    ),
    // New York Long Island state plane, US survey feet (NAD83).
    (
        "EPSG:2263",
        -73.9857,
        40.7484,
        988212.237182985,
        211939.27856830935,
    ),
    (
        "EPSG:2263",
        -74.0445,
        40.6892,
        971909.0048060217,
        190373.7151159733,
    ),
];

#[test]
fn known_points_come_back_to_their_longitude_and_latitude_within_a_centimetre() {
    for (system, lon, lat, x, y) in KNOWN {
        let crs = Crs::parse(system).unwrap();
        let (got_lon, got_lat) = crs.to_lon_lat(x, y).unwrap();
        let error_m = distance_km((lon, lat), (got_lon, got_lat)) * 1000.0;
        println!("{system}: ({x}, {y}) → ({got_lon:.9}, {got_lat:.9}), {error_m:.5} m off");
        assert!(error_m < 0.01, "{system}: {error_m} m off");
    }
}

#[test]
fn a_proj_string_and_its_epsg_code_agree() {
    let by_code = Crs::parse("EPSG:32636").unwrap();
    let by_string = Crs::parse("+proj=utm +zone=36 +datum=WGS84 +units=m +no_defs").unwrap();
    let (x, y) = (324182.2094294755, 5591607.607408224);
    let a = by_code.to_lon_lat(x, y).unwrap();
    let b = by_string.to_lon_lat(x, y).unwrap();
    assert!(distance_km(a, b) * 1000.0 < 0.001);
    // Legacy GeoJSON names and longitude/latitude itself.
    assert!(Crs::parse("urn:ogc:def:crs:EPSG::3857").is_ok());
    let lon_lat = Crs::parse("urn:ogc:def:crs:OGC:1.3:CRS84").unwrap();
    assert!(lon_lat.is_lon_lat());
    assert_eq!(lon_lat.to_lon_lat(30.5, 50.4).unwrap(), (30.5, 50.4));
}

#[test]
fn unknown_systems_and_impossible_points_are_refused_with_what_was_expected() {
    for bad in ["EPSG:99999999", "EPSG:1", "Mars/Olympus", "+proj=nonsense"] {
        let error = Crs::parse(bad).unwrap_err();
        assert!(matches!(error, GeoError::Crs { .. }), "{bad}: {error}");
        assert!(
            error
                .to_string()
                .starts_with(&format!("coordinate system '{bad}'"))
        );
    }
    let lon_lat = Crs::lon_lat();
    // Feet given as degrees: outside the ranges.
    let error = lon_lat.to_lon_lat(988212.2, 211939.3).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("is it in that coordinate system?"),
        "{error}"
    );
    assert!(lon_lat.to_lon_lat(f64::NAN, 0.0).is_err());
}

#[test]
fn a_scaled_equirectangular_plane_maps_network_units_to_degrees() {
    // The demo city's network: one unit = 0.0005° from (0°, 0°), as a sphere's
    // equirectangular plane whose unit is 6378137 m × π/180 × 0.0005.
    let unit_m = 6_378_137.0 * std::f64::consts::PI / 180.0 * 0.0005;
    let crs = Crs::parse(&format!(
        "+proj=eqc +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +a=6378137 +b=6378137 +to_meter={unit_m}"
    ))
    .unwrap();
    let (lon, lat) = crs.to_lon_lat(98.88, 132.17).unwrap();
    assert!(
        (lon - 0.04944).abs() < 1e-9 && (lat - 0.066085).abs() < 1e-9,
        "{lon} {lat}"
    );
}
