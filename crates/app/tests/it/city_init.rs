//! `city init` on networks with coordinates: district polygons generated in the network's
//! own coordinate system, every junction assigned as a hand point-in-rectangle says,
//! every pump in a station, the written city clean and simulated; the reference networks
//! when `../shared` is there; bad input named by its field.

use lifeline_app::city_init::{InitRequest, init};
use lifeline_cascade::{City, Scenario, simulate};
use std::path::{Path, PathBuf};

fn data(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../data")
        .join(path)
}

/// The `[COORDINATES]` of an .inp: (node id, x, y).
fn coordinates(inp: &Path) -> Vec<(String, f64, f64)> {
    let text = std::fs::read_to_string(inp).unwrap();
    let mut section = String::new();
    let mut points = Vec::new();
    for line in text.lines() {
        let line = line.split(';').next().unwrap_or("").trim();
        if line.starts_with('[') {
            section = line.to_ascii_uppercase();
            continue;
        }
        let fields: Vec<&str> = line.split_whitespace().collect();
        if section == "[COORDINATES]" && fields.len() >= 3 {
            points.push((
                fields[0].to_string(),
                fields[1].parse().unwrap(),
                fields[2].parse().unwrap(),
            ));
        }
    }
    points
}

/// `n` × `n` rectangles over the coordinates' extent (a margin beyond it), named
/// `D{row}{col}`, each with a population: a GeoJSON text with `crs` as its legacy member
/// if given.
fn grid_districts(
    points: &[(String, f64, f64)],
    n: usize,
    crs: Option<&str>,
) -> (String, Vec<(f64, f64)>) {
    let (x0, x1) = points
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| {
            (a.min(p.1), b.max(p.1))
        });
    let (y0, y1) = points
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| {
            (a.min(p.2), b.max(p.2))
        });
    let (mx, my) = ((x1 - x0) * 0.01 + 1e-6, (y1 - y0) * 0.01 + 1e-6);
    let xs: Vec<f64> = (0..=n)
        .map(|i| x0 - mx + (x1 - x0 + 2.0 * mx) * i as f64 / n as f64)
        .collect();
    let ys: Vec<f64> = (0..=n)
        .map(|i| y0 - my + (y1 - y0 + 2.0 * my) * i as f64 / n as f64)
        .collect();
    let mut features = Vec::new();
    for r in 0..n {
        for c in 0..n {
            let (a, b, lo, hi) = (xs[c], xs[c + 1], ys[r], ys[r + 1]);
            features.push(serde_json::json!({
                "type": "Feature",
                "properties": {"name": format!("D{r}{c}"), "population": 1000 * (1 + r * n + c)},
                "geometry": {"type": "Polygon", "coordinates": [[[a, lo], [b, lo], [b, hi], [a, hi], [a, lo]]]},
            }));
        }
    }
    let mut document = serde_json::json!({"type": "FeatureCollection", "features": features});
    if let Some(crs) = crs {
        document["crs"] = serde_json::json!({"type": "name", "properties": {"name": crs}});
    }
    let bounds = vec![(xs[0], xs[n]), (ys[0], ys[n])];
    (document.to_string(), bounds)
}

/// The district a hand point-in-rectangle check gives (x, y) in an `n` × `n` grid.
fn hand_district(bounds: &[(f64, f64)], n: usize, x: f64, y: f64) -> String {
    let col = (((x - bounds[0].0) / (bounds[0].1 - bounds[0].0)) * n as f64).floor() as usize;
    let row = (((y - bounds[1].0) / (bounds[1].1 - bounds[1].0)) * n as f64).floor() as usize;
    format!("D{}{}", row.min(n - 1), col.min(n - 1))
}

/// Bus positions for every bus of a case with `buses` buses, spread over the extent.
fn bus_positions(dir: &Path, buses: u32, bounds: &[(f64, f64)]) -> PathBuf {
    let mut text = String::from("bus,x,y\n");
    for b in 1..=buses {
        let (fx, fy) = (
            ((b * 37) % 101) as f64 / 101.0,
            ((b * 53) % 97) as f64 / 97.0,
        );
        let x = bounds[0].0 + fx * (bounds[0].1 - bounds[0].0);
        let y = bounds[1].0 + fy * (bounds[1].1 - bounds[1].0);
        text.push_str(&format!("{b},{x},{y}\n"));
    }
    let path = dir.join("buses.csv");
    std::fs::write(&path, text).unwrap();
    path
}

fn request(water: &Path, grid: &Path, districts: &Path, out: &Path) -> InitRequest {
    InitRequest {
        water: water.to_path_buf(),
        water_crs: None,
        grid: grid.to_path_buf(),
        bus_positions: None,
        bus_crs: None,
        districts: districts.to_path_buf(),
        districts_crs: None,
        name_field: "name".into(),
        population_field: "population".into(),
        customers_field: None,
        facilities: None,
        stations: None,
        operations: None,
        name: Some("Test city".into()),
        station_radius_m: 50.0,
        out: out.to_path_buf(),
    }
}

/// Runs `city init` on `inp` with an `n` × `n` district grid in `crs`, and checks that
/// every junction is where a hand check puts it, every pump is in a station, the city
/// loads without a problem and a strike on a station simulates.
fn init_and_check(
    inp: &Path,
    n: usize,
    crs: &str,
    legacy_crs: bool,
) -> lifeline_app::city_init::InitReport {
    let dir = tempfile::tempdir().unwrap();
    let points = coordinates(inp);
    let (text, bounds) = grid_districts(&points, n, legacy_crs.then_some(crs));
    let districts = dir.path().join("districts.geojson");
    std::fs::write(&districts, text).unwrap();
    let out = dir.path().join("city");
    let mut req = request(inp, &data("matpower/case30.m"), &districts, &out);
    if !legacy_crs {
        req.districts_crs = Some(crs.to_string());
    }
    req.bus_positions = Some(bus_positions(dir.path(), 30, &bounds));
    req.bus_crs = Some(crs.to_string());
    let started = std::time::Instant::now();
    let report = init(&req).unwrap();
    println!(
        "{}: {} junctions, {} stations in {:.2} s; guesses: {}",
        inp.display(),
        report.junctions,
        report.pump_stations,
        started.elapsed().as_secs_f64(),
        report.guesses.len()
    );
    assert!(report.errors.is_empty(), "{:#?}", report.errors);
    assert!(report.warnings.is_empty(), "{:#?}", report.warnings);
    let city = City::load(&out.join("city.toml")).unwrap();
    // Every junction assigned, and where the hand check puts it.
    let areas = std::fs::read_to_string(out.join("service-areas.csv")).unwrap();
    let placed: std::collections::HashMap<&str, &str> = areas
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once(','))
        .collect();
    let junctions = city
        .network
        .node_kinds
        .iter()
        .filter(|k| **k == lifeline_water::NodeKind::Junction)
        .count();
    assert_eq!(placed.len(), junctions);
    assert_eq!(report.junctions, junctions);
    // (A junction moved into a district with none is reported as a guess.)
    let moved = |id: &str| {
        report
            .guesses
            .iter()
            .any(|g| g.contains(&format!("given junction {id},")))
    };
    for (id, x, y) in &points {
        if let Some(district) = placed.get(id.as_str()).filter(|_| !moved(id)) {
            assert_eq!(
                *district,
                hand_district(&bounds, n, *x, *y),
                "junction {id} at ({x}, {y})"
            );
        }
    }
    // The grid and the network are placed on the map: every bus given, every node with
    // coordinates, every station where its pumps are.
    assert_eq!(city.bus_positions.iter().flatten().count(), 30);
    let with_coordinates = city.network.coordinates.iter().flatten().count();
    assert_eq!(
        city.node_positions.iter().flatten().count(),
        with_coordinates
    );
    assert!(city.pump_stations.iter().all(|s| s.position.is_some()));
    // The map draws the placed network, whatever the systems it came in.
    let map = lifeline_app::city_map::svg(&city, None).unwrap();
    let placed_links = city
        .network
        .link_ends
        .iter()
        .filter(|(a, b)| city.node_positions[*a].is_some() && city.node_positions[*b].is_some())
        .count();
    assert_eq!(
        map.matches("<line class=\"pipe").count() + map.matches("<line class=\"link").count(),
        placed_links
    );
    assert_eq!(map.matches("<path class=\"d\"").count(), n * n);
    // Every pump in a station.
    let pumps = city
        .network
        .link_kinds
        .iter()
        .filter(|k| **k == lifeline_water::LinkKind::Pump)
        .count();
    let in_stations: usize = city.pump_stations.iter().map(|s| s.pump_links.len()).sum();
    assert_eq!(in_stations, pumps);
    // A strike on the first station simulates.
    if let Some(station) = city.pump_stations.first() {
        let scenario = Scenario::parse(
            &lifeline_cascade::source::Source::new(
                "strike.toml",
                format!("name = \"strike\"\nhorizon_h = 4\n[[strike]]\nat = \"01:00\"\nasset = \"pump_station:{}\"\nrepair_h = 2\n", station.id),
            ),
            &city,
        )
        .unwrap();
        let result = simulate(&city, &scenario, &mut |_, _| {}).unwrap();
        assert_eq!(result.districts.len(), n * n);
    }
    report
}

#[test]
fn net3_in_a_local_plane_every_junction_where_a_hand_check_puts_it() {
    let report = init_and_check(
        &data("epanet/Net3.inp"),
        2,
        "+proj=tmerc +lat_0=50 +lon_0=30 +k=1 +x_0=0 +y_0=0 +ellps=WGS84 +to_meter=200",
        false,
    );
    assert_eq!(report.districts, 4);
    assert_eq!(report.junctions_outside, 0);
    assert_eq!(report.pump_stations, 2);
    assert!(
        report
            .guesses
            .iter()
            .any(|g| g.contains("40 % of their population"))
    );
}

#[test]
fn a_map_with_a_legacy_crs_member_in_utm_is_honoured() {
    // Net3's plane moved into UTM zone 36N (metres near Kyiv), the districts naming the
    // system in their `crs` member only.
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(data("epanet/Net3.inp")).unwrap();
    let (head, tail) = text.split_at(text.find("[COORDINATES]").unwrap());
    let mut moved = String::from(head);
    let mut section = true;
    for line in tail.lines() {
        if line.starts_with('[') && !line.starts_with("[COORDINATES]") {
            section = false;
        }
        let fields: Vec<&str> = line.split_whitespace().collect();
        match (section, fields.as_slice()) {
            (true, [id, x, y, ..]) if x.parse::<f64>().is_ok() => {
                let (x, y): (f64, f64) = (x.parse().unwrap(), y.parse().unwrap());
                moved.push_str(&format!(
                    "{id} {} {}\n",
                    320_000.0 + 200.0 * x,
                    5_590_000.0 + 200.0 * y
                ));
            }
            _ => {
                moved.push_str(line);
                moved.push('\n');
            }
        }
    }
    let inp = dir.path().join("Net3-utm.inp");
    std::fs::write(&inp, moved).unwrap();
    let report = init_and_check(&inp, 3, "urn:ogc:def:crs:EPSG::32636", true);
    assert_eq!(report.districts, 9);
}

#[test]
fn the_reference_networks_become_cities_that_check_clean() {
    let Some(networks) = lifeline_testkit::require_shared(
        env!("CARGO_MANIFEST_DIR"),
        "water/networks",
        "city init on the reference networks",
    ) else {
        return;
    };
    for (name, crs) in [
        (
            "ky10.inp",
            "+proj=tmerc +lat_0=38 +lon_0=-85 +k=1 +x_0=0 +y_0=0 +datum=WGS84 +units=us-ft",
        ),
        (
            "L-TOWN.inp",
            "+proj=tmerc +lat_0=46 +lon_0=8 +k=1 +x_0=0 +y_0=0 +datum=WGS84 +units=m",
        ),
        (
            "BWSN_Network_2.inp",
            "+proj=tmerc +lat_0=40 +lon_0=-80 +k=1 +x_0=0 +y_0=0 +datum=WGS84 +units=us-ft",
        ),
    ] {
        init_and_check(&networks.join(name), 3, crs, false);
    }
}

#[test]
fn bad_input_names_its_field() {
    let dir = tempfile::tempdir().unwrap();
    let points = coordinates(&data("epanet/Net3.inp"));
    let (text, _) = grid_districts(&points, 2, None);
    let districts = dir.path().join("districts.geojson");
    std::fs::write(&districts, &text).unwrap();
    let out = dir.path().join("city");
    let base = request(
        &data("epanet/Net3.inp"),
        &data("matpower/case30.m"),
        &districts,
        &out,
    );
    let field = |req: &InitRequest| {
        let error = init(req).unwrap_err();
        (
            error.field_name().unwrap_or("-").to_string(),
            error.message(),
        )
    };
    // Net3's plane read as longitude/latitude lands inside the ranges, so give it a
    // system it cannot be in.
    let unknown = InitRequest {
        water_crs: Some("EPSG:0".into()),
        ..base.clone()
    };
    assert_eq!(field(&unknown).0, "water_crs");
    let mut no_population = base.clone();
    let without = dir.path().join("nopop.geojson");
    std::fs::write(&without, text.replace("\"population\"", "\"people\"")).unwrap();
    no_population.districts = without;
    let (name, message) = field(&no_population);
    assert_eq!(name, "districts");
    assert!(
        message.contains("feature 1: 'population' must give the district's population"),
        "{message}"
    );
    let radius = InitRequest {
        station_radius_m: f64::NAN,
        ..base.clone()
    };
    assert_eq!(field(&radius).0, "station_radius_m");
    // Feet read as degrees.
    let feet = dir.path().join("feet.geojson");
    std::fs::write(
        &feet,
        text.replace("[[[", "[[[900000").replace("], [", "], [9"),
    )
    .unwrap();
    let in_feet = InitRequest {
        districts: feet,
        ..base
    };
    let (name, message) = field(&in_feet);
    assert_eq!(name, "districts", "{message}");
}

#[test]
fn a_bus_is_split_between_districts_by_the_demand_nearest_to_it() {
    // Six junctions in a row at x = 0..5 (degrees on the equator) with base demands 1..6
    // L/s; West is x < 2.5, East x > 2.5. Bus 2 stands at x = 0.5 and bus 3 at x = 3,
    // the other loaded buses of case14 far to the north. By hand: junctions 0 and 1 are
    // nearest bus 2 (West 1 + 2), junctions 2 to 5 nearest bus 3 (West 3, East
    // 4 + 5 + 6 = 15): bus 2 is all West's, bus 3 is 3/18 = 0.17 West's and 0.83 East's.
    let dir = tempfile::tempdir().unwrap();
    let mut inp = String::from("[JUNCTIONS]\n");
    for j in 0..6 {
        inp.push_str(&format!("J{j} 0 {}\n", j + 1));
    }
    inp.push_str("[RESERVOIRS]\nR 50\n[PIPES]\nP0 R J0 100 300 100 0 Open\n");
    for j in 1..6 {
        inp.push_str(&format!("P{j} J{} J{j} 100 300 100 0 Open\n", j - 1));
    }
    inp.push_str("[OPTIONS]\nUnits LPS\n[COORDINATES]\nR -1 0\n");
    for j in 0..6 {
        inp.push_str(&format!("J{j} {j} 0\n"));
    }
    inp.push_str("[END]\n");
    let water = dir.path().join("row.inp");
    std::fs::write(&water, inp).unwrap();
    let district = |name: &str, x0: f64, x1: f64| {
        format!(
            r#"{{"type": "Feature", "properties": {{"name": "{name}", "population": 1000}}, "geometry": {{"type": "Polygon", "coordinates": [[[{x0}, -1], [{x1}, -1], [{x1}, 1], [{x0}, 1], [{x0}, -1]]]}}}}"#
        )
    };
    let districts = dir.path().join("districts.geojson");
    std::fs::write(
        &districts,
        format!(
            r#"{{"type": "FeatureCollection", "features": [{}, {}]}}"#,
            district("West", -2.0, 2.5),
            district("East", 2.5, 6.0)
        ),
    )
    .unwrap();
    let mut buses = String::from("bus,lon,lat\n2,0.5,0\n3,3,0\n");
    for b in [1, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14] {
        buses.push_str(&format!("{b},{},{}\n", f64::from(b) * 0.3, 40.0));
    }
    let positions = dir.path().join("buses.csv");
    std::fs::write(&positions, buses).unwrap();
    let out = dir.path().join("city");
    let mut req = request(&water, &data("matpower/case14.m"), &districts, &out);
    req.bus_positions = Some(positions);
    let report = init(&req).unwrap();
    assert!(report.errors.is_empty(), "{:#?}", report.errors);
    let city = City::load(&out.join("city.toml")).unwrap();
    let shares = |name: &str| -> Vec<(u32, f64)> {
        let d = city.districts.iter().find(|d| d.name == name).unwrap();
        let mut shares: Vec<(u32, f64)> = d.buses.iter().map(|b| (b.bus, b.share)).collect();
        shares.sort_by_key(|s| s.0);
        shares
    };
    let west = shares("West");
    let east = shares("East");
    assert!(west.contains(&(2, 1.0)), "{west:?}");
    assert!(west.contains(&(3, 0.17)), "{west:?}");
    assert_eq!(east.iter().find(|s| s.0 == 3), Some(&(3, 0.83)), "{east:?}");
    assert!(!east.iter().any(|s| s.0 == 2), "{east:?}");
    assert!(
        report
            .guesses
            .iter()
            .any(|g| g.contains("1 buses are shared")),
        "{:#?}",
        report.guesses
    );
}

/// Net3 in a plane of 200 m units with a station register and a facility in that plane
/// (x,y), and an operations file with the utility's own time zone, service threshold and
/// crew; written in `dir`.
fn net3_with_registers(dir: &Path) -> InitRequest {
    // Net3 in a plane of 200 m units; a station register and a facility in that plane
    // (x,y), the operations file with the utility's own time zone, service threshold
    // and crew.
    let crs = "+proj=tmerc +lat_0=50 +lon_0=30 +k=1 +x_0=0 +y_0=0 +ellps=WGS84 +to_meter=200";
    let points = coordinates(&data("epanet/Net3.inp"));
    let (text, _) = grid_districts(&points, 2, None);
    let districts = dir.join("districts.geojson");
    std::fs::write(&districts, text).unwrap();
    let at = |id: &str| {
        let p = points.iter().find(|p| p.0 == id).unwrap();
        (p.1, p.2)
    };
    let (lake, node10) = (at("Lake"), at("10"));
    // 0.1 unit (20 m) off pump 10's middle; a station with no pump near it.
    let (mx, my) = ((lake.0 + node10.0) / 2.0 + 0.1, (lake.1 + node10.1) / 2.0);
    let stations = dir.join("stations.csv");
    std::fs::write(
        &stations,
        format!(
            "id,name,x,y,bus,power_kw,backup_kw,fuel_hours,serves\n\
             LAKE,\"Lake pumps, main\",{mx},{my},5,250,250,12,D00; D11\n\
             GHOST,Nowhere,{},{},,,,,\n",
            mx + 500.0,
            my + 500.0
        ),
    )
    .unwrap();
    let (hx, hy) = at("15");
    let facilities = dir.join("facilities.csv");
    std::fs::write(
        &facilities,
        format!(
            "id,kind,name,x,y,bus,junction,priority\nH-9,hospital,Hill clinic,{hx},{hy},7,none,2\n"
        ),
    )
    .unwrap();
    let operations = dir.join("operations.toml");
    std::fs::write(
        &operations,
        "timezone = \"America/New_York\"\n[water]\nwithout_water_below = 0.3\n\
         [[crew]]\nid = \"A\"\nskills = [\"power\", \"water\"]\ndepot = \"D00\"\n",
    )
    .unwrap();
    let out = dir.join("city");
    let mut req = request(
        &data("epanet/Net3.inp"),
        &data("matpower/case30.m"),
        &districts,
        &out,
    );
    req.districts_crs = Some(crs.into());
    req.stations = Some(stations.clone());
    req.facilities = Some(facilities);
    req.operations = Some(operations);
    req
}

#[test]
fn registers_and_operations_are_kept_as_the_utility_gives_them() {
    let dir = tempfile::tempdir().unwrap();
    let req = net3_with_registers(dir.path());
    let out = req.out.clone();
    let report = init(&req).unwrap();
    assert!(report.errors.is_empty(), "{:#?}", report.errors);
    let city = City::load(&out.join("city.toml")).unwrap();
    let lake_station = city.pump_stations.iter().find(|s| s.id == "LAKE").unwrap();
    assert_eq!(lake_station.name, "Lake pumps, main");
    assert_eq!(lake_station.pumps, vec!["10".to_string()]);
    assert_eq!(lake_station.bus, 5);
    assert_eq!(lake_station.power_kw, 250.0);
    let backup = lake_station.backup.unwrap();
    assert_eq!((backup.kw, backup.fuel_hours), (250.0, 12.0));
    let served: Vec<&str> = lake_station
        .serves
        .iter()
        .map(|&d| city.districts[d].name.as_str())
        .collect();
    assert_eq!(served, ["D00", "D11"]);
    // Pump 335 is far from every listed station: a station of its own.
    let other = city.pump_stations.iter().find(|s| s.id != "LAKE").unwrap();
    assert_eq!(
        (other.id.as_str(), other.pumps.as_slice()),
        ("PS-1", &["335".to_string()][..])
    );
    let guessed = |text: &str| report.guesses.iter().any(|g| g.contains(text));
    assert!(
        guessed("pump station GHOST of the register has no pump"),
        "{:#?}",
        report.guesses
    );
    assert!(
        guessed("1 pumps are more than 1000 m from every station"),
        "{:#?}",
        report.guesses
    );
    let clinic = &city.facilities[0];
    assert_eq!(
        (clinic.id.as_str(), clinic.bus, clinic.junction),
        ("H-9", 7, None)
    );
    assert_eq!(city.timezone, "America/New_York");
    assert_eq!(city.water.without_water_below, 0.3);
    assert_eq!(city.crews.len(), 1);
    assert_eq!(city.outage_groups.len(), 12, "default outage groups");

    // Re-run in the folder that holds the network: it is not emptied by copying it
    // onto itself.
    let mut again = req.clone();
    again.water = out.join("water.inp");
    again.grid = out.join("grid.m");
    let report = init(&again).unwrap();
    assert!(report.errors.is_empty(), "{:#?}", report.errors);
    assert!(std::fs::metadata(out.join("water.inp")).unwrap().len() > 10_000);
}

#[test]
fn bad_registers_and_operations_are_named_by_field_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let req = net3_with_registers(dir.path());
    let field = |req: &InitRequest| {
        let error = init(req).unwrap_err();
        (
            error.field_name().unwrap_or("-").to_string(),
            error.message(),
        )
    };
    let bad = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    for (text, expected) in [
        (
            "id,name,x,y,feeder\nA,B,1,2,5\n",
            "stations.bad.csv:1: unknown column 'feeder'",
        ),
        (
            "id,name,x,y,serves\nA,B,1,2,Hill\n",
            "stations.bad.csv:2: 'serves' names district 'Hill'",
        ),
        (
            "id,name,x,y,bus\nA,B,1,2,999\n",
            "'bus' must be a bus number of the grid, got '999'",
        ),
        (
            "id,name,x,y,backup_kw\nA,B,1,2,100\n",
            "needs both 'backup_kw' and 'fuel_hours'",
        ),
        (
            "id,name,x,y,power_kw\nA,B,1,2,NaN\n",
            "'power_kw' must be a number from 0 to 1000000",
        ),
        (
            "id,name,lon\nA,B,1\n",
            "the header must name the position as lon,lat",
        ),
    ] {
        let mut r = req.clone();
        r.stations = Some(bad("stations.bad.csv", text));
        let (name, message) = field(&r);
        assert_eq!(name, "stations", "{message}");
        assert!(message.contains(expected), "{message}");
    }
    let mut r = req.clone();
    r.operations = Some(bad(
        "operations.bad.toml",
        "timezone = \"UTC\"\n\n[crews]\nid = 1\n",
    ));
    let (name, message) = field(&r);
    assert_eq!(name, "operations");
    assert!(
        message.contains("operations.bad.toml:3:2: unknown field `crews`"),
        "{message}"
    );
}

/// Whether two texts are the same but for numbers within `tolerance` of each other
/// (positions taken through map projections may differ in their last digits between
/// machines' maths libraries).
fn same_but_for_rounding(a: &str, b: &str, tolerance: f64) -> Result<(), String> {
    let (la, lb): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    if la.len() != lb.len() {
        return Err(format!("{} lines against {}", la.len(), lb.len()));
    }
    let split = |line: &str| -> Vec<String> {
        line.split(|c: char| " ,[]{}=:\"".contains(c))
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect()
    };
    for (k, (x, y)) in la.iter().zip(&lb).enumerate() {
        if x == y {
            continue;
        }
        let (tx, ty) = (split(x), split(y));
        let same = tx.len() == ty.len()
            && tx.iter().zip(&ty).all(|(p, q)| {
                p == q
                    || p.parse::<f64>()
                        .ok()
                        .zip(q.parse::<f64>().ok())
                        .is_some_and(|(p, q)| (p - q).abs() <= tolerance)
            });
        if !same {
            return Err(format!("line {}: '{x}' against '{y}'", k + 1));
        }
    }
    Ok(())
}

#[test]
fn the_demo_city_is_what_city_init_makes_of_its_inputs() {
    // The arguments of data/demo-city/regenerate: change both together.
    let demo = data("demo-city");
    let dir = tempfile::tempdir().unwrap();
    let request = InitRequest {
        water: demo.join("water.inp"),
        water_crs: Some(
            "+proj=tmerc +lat_0=48.9 +lon_0=34.1 +k=1 +x_0=9740 +y_0=6960 +ellps=WGS84 +to_meter=55.659745"
                .into(),
        ),
        grid: demo.join("grid.m"),
        bus_positions: Some(demo.join("inputs/substations.csv")),
        bus_crs: Some("EPSG:32636".into()),
        districts: demo.join("inputs/districts.geojson"),
        districts_crs: None,
        name_field: "name".into(),
        population_field: "population".into(),
        customers_field: Some("customers".into()),
        facilities: Some(demo.join("inputs/facilities.csv")),
        stations: Some(demo.join("inputs/pump-stations.csv")),
        operations: Some(demo.join("inputs/operations.toml")),
        name: Some("Demo city".into()),
        station_radius_m: 50.0,
        out: dir.path().to_path_buf(),
    };
    let report = init(&request).unwrap();
    assert!(report.errors.is_empty(), "{:#?}", report.errors);
    assert!(report.warnings.is_empty(), "{:#?}", report.warnings);
    assert_eq!(report.junctions_outside, 0);
    assert_eq!(report.pump_stations, 21);
    for file in [
        "city.toml",
        "service-areas.csv",
        "districts.geojson",
        "bus-positions.csv",
    ] {
        let made = std::fs::read_to_string(dir.path().join(file)).unwrap();
        let kept = std::fs::read_to_string(demo.join(file)).unwrap();
        if let Err(difference) = same_but_for_rounding(&made, &kept, 2e-7) {
            panic!(
                "data/demo-city/{file} is not what data/demo-city/regenerate makes of the inputs ({difference}): run it"
            );
        }
    }
}
