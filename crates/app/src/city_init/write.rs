//! Writing the city folder: `city.toml` (commented), `service-areas.csv`,
//! `districts.geojson` in longitude/latitude, copies of the network and the grid, and
//! `init-report.md` with every guess to check by hand.

use super::InitRequest;
use super::assign::Model;
use super::inputs::{BackupInput, Inputs};
use super::operations::Operations;
use crate::AppError;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Customers per resident assumed when the districts give no customers field.
const CUSTOMERS_PER_PERSON: f64 = 0.4;

/// A TOML string literal.
fn quoted(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// Writes `text` to `dir/name`.
fn put(dir: &Path, name: &str, text: &str, written: &mut Vec<PathBuf>) -> Result<(), AppError> {
    let path = dir.join(name);
    std::fs::write(&path, text)
        .map_err(|e| AppError::Document(format!("{}: {e}", path.display())))?;
    written.push(path);
    Ok(())
}

/// Writes every file; the files written and every guess (the model's and the writing's).
pub fn write(
    request: &InitRequest,
    inputs: &Inputs,
    model: &Model,
    operations: Option<&Operations>,
) -> Result<(Vec<PathBuf>, Vec<String>), AppError> {
    let dir = &request.out;
    std::fs::create_dir_all(dir)
        .map_err(|e| AppError::Document(format!("{}: {e}", dir.display())))?;
    let mut written = Vec::new();
    for (from, name) in [(&request.water, "water.inp"), (&request.grid, "grid.m")] {
        let to = dir.join(name);
        // Re-running city init in the folder that holds the network: nothing to copy (a
        // file copied onto itself would be emptied).
        let same = std::fs::canonicalize(from)
            .ok()
            .zip(std::fs::canonicalize(&to).ok())
            .is_some_and(|(a, b)| a == b);
        if !same {
            std::fs::copy(from, &to)
                .map_err(|e| AppError::Document(format!("{}: {e}", to.display())))?;
        }
        written.push(to);
    }
    let mut guesses = model.guesses.clone();
    if !inputs.bus_position.is_empty() {
        put(
            dir,
            "bus-positions.csv",
            &bus_positions(inputs),
            &mut written,
        )?;
    }
    put(
        dir,
        "service-areas.csv",
        &service_areas(inputs, model),
        &mut written,
    )?;
    put(
        dir,
        "districts.geojson",
        &districts_geojson(inputs, model),
        &mut written,
    )?;
    put(
        dir,
        "city.toml",
        &city_toml(inputs, model, operations, &mut guesses)?,
        &mut written,
    )?;
    put(
        dir,
        "init-report.md",
        &report(request, inputs, model, &guesses),
        &mut written,
    )?;
    Ok((written, guesses))
}

fn customers(inputs: &Inputs, d: usize) -> u64 {
    let district = &inputs.districts[d];
    district.customers.unwrap_or_else(|| {
        ((district.population as f64 * CUSTOMERS_PER_PERSON).round() as u64)
            .clamp(1, district.population)
    })
}

fn service_areas(inputs: &Inputs, model: &Model) -> String {
    let mut text = String::from("junction,district\n");
    for (n, district) in model.junction_district.iter().enumerate() {
        if let Some(d) = district {
            let _ = writeln!(
                text,
                "{},{}",
                inputs.network.node_ids[n], inputs.districts[*d].name
            );
        }
    }
    text
}

fn bus_positions(inputs: &Inputs) -> String {
    let mut buses: Vec<(&u32, &(f64, f64))> = inputs.bus_position.iter().collect();
    buses.sort_by_key(|(bus, _)| **bus);
    let mut text = String::from("bus,lon,lat\n");
    for (bus, (lon, lat)) in buses {
        let _ = writeln!(text, "{bus},{lon:.7},{lat:.7}");
    }
    text
}

fn districts_geojson(inputs: &Inputs, model: &Model) -> String {
    let features: Vec<serde_json::Value> = inputs
        .districts
        .iter()
        .enumerate()
        .map(|(d, district)| {
            serde_json::json!({
                "type": "Feature",
                "properties": {
                    "name": district.name,
                    "population": district.population,
                    "customers": customers(inputs, d),
                    "junctions": model.junction_district.iter().filter(|x| **x == Some(d)).count(),
                },
                "geometry": rounded(district.area.to_geojson()),
            })
        })
        .collect();
    // One feature per line: small, and a change to a district is a change to its line.
    let lines: Vec<String> = features.iter().map(ToString::to_string).collect();
    format!(
        "{{\"type\": \"FeatureCollection\", \"features\": [\n{}\n]}}\n",
        lines.join(",\n")
    )
}

/// Every number of a GeoJSON value to 7 decimals (1 cm in degrees).
fn rounded(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Number(n) => n
            .as_f64()
            .and_then(|v| serde_json::Number::from_f64((v * 1e7).round() / 1e7))
            .map_or(Value::Number(n), Value::Number),
        Value::Array(list) => Value::Array(list.into_iter().map(rounded).collect()),
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(k, v)| (k, rounded(v))).collect())
        }
        other => other,
    }
}

/// A backup generator as an inline table.
fn backup_table(backup: &BackupInput) -> String {
    format!(
        "{{ kw = {}, fuel_hours = {}, start_delay_min = {} }}",
        toml::Value::Float(backup.kw),
        toml::Value::Float(backup.fuel_hours),
        toml::Value::Float(backup.start_delay_min)
    )
}

fn city_toml(
    inputs: &Inputs,
    model: &Model,
    operations: Option<&Operations>,
    guesses: &mut Vec<String>,
) -> Result<String, AppError> {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "# Written by `lifeline city init`: check init-report.md for every guess it made,"
    );
    let _ = writeln!(
        t,
        "# then `lifeline city check city.toml`. Format: docs/city.md."
    );
    let _ = writeln!(t, "name = {}", quoted(&inputs.name));
    if let Some(description) = operations.and_then(|o| o.description.as_deref()) {
        let _ = writeln!(t, "description = {}", quoted(description));
    }
    match operations.and_then(|o| o.timezone.as_deref()) {
        Some(zone) => {
            let _ = writeln!(
                t,
                "timezone = {}   # IANA name, for outage schedules\n",
                quoted(zone)
            );
        }
        None => {
            let _ = writeln!(
                t,
                "timezone = \"{DEFAULT_TIMEZONE}\"   # IANA name, for outage schedules: a guess\n"
            );
            guesses.push(format!(
                "the city's time zone was taken to be {DEFAULT_TIMEZONE} (outage schedules are published in it)"
            ));
        }
    }
    let _ = writeln!(t, "[grid]\nfile = \"grid.m\"");
    if !inputs.bus_position.is_empty() {
        let _ = writeln!(
            t,
            "positions = \"bus-positions.csv\"   # longitude/latitude"
        );
    }
    let _ = writeln!(t);
    let _ = writeln!(
        t,
        "[water]\nfile = \"water.inp\"\nservice_areas = \"service-areas.csv\""
    );
    let _ = writeln!(
        t,
        "crs = {}   # of the network's [COORDINATES]",
        quoted(&inputs.water_crs)
    );
    for line in operations.map(Operations::water_lines).unwrap_or_default() {
        let _ = writeln!(t, "{line}");
    }
    let _ = writeln!(t);
    let _ = writeln!(
        t,
        "[map]\ndistricts = \"districts.geojson\"   # longitude/latitude\n"
    );
    if inputs.districts.iter().any(|d| d.customers.is_none()) {
        guesses.push(format!(
            "districts without a customers field were given {:.0} % of their population as customers",
            CUSTOMERS_PER_PERSON * 100.0
        ));
    }
    for (d, district) in inputs.districts.iter().enumerate() {
        let buses: Vec<String> = model.district_buses[d]
            .iter()
            .map(|(bus, share)| {
                if (*share - 1.0).abs() < 1e-12 {
                    format!("{{ bus = {bus} }}")
                } else {
                    format!("{{ bus = {bus}, share = {share:.2} }}")
                }
            })
            .collect();
        let _ = writeln!(t, "[[district]]");
        let _ = writeln!(t, "name = {}", quoted(&district.name));
        let _ = writeln!(t, "population = {}", district.population);
        let _ = writeln!(t, "customers = {}", customers(inputs, d));
        let _ = writeln!(t, "buses = [{}]\n", buses.join(", "));
    }
    stations_and_facilities(&mut t, inputs, model, guesses);
    crews_and_groups(&mut t, inputs, operations)?;
    Ok(t)
}

/// The time zone written when the operations file gives none.
const DEFAULT_TIMEZONE: &str = "Europe/Kyiv";

/// The `[[pump_station]]` and `[[facility]]` sections.
fn stations_and_facilities(
    t: &mut String,
    inputs: &Inputs,
    model: &Model,
    guesses: &mut Vec<String>,
) {
    let network = &inputs.network;
    for station in &model.stations {
        let pumps: Vec<String> = station
            .pumps
            .iter()
            .map(|&l| quoted(&network.link_ids[l]))
            .collect();
        let _ = writeln!(t, "[[pump_station]]");
        let _ = writeln!(t, "id = {}", quoted(&station.id));
        let _ = writeln!(t, "name = {}", quoted(&station.name));
        let _ = writeln!(t, "pumps = [{}]", pumps.join(", "));
        let listed = station.register.map(|r| &inputs.stations[r]);
        if listed.is_some_and(|l| l.bus.is_some()) {
            let _ = writeln!(t, "bus = {}", station.bus);
        } else {
            let _ = writeln!(
                t,
                "bus = {}                          # a guess: see init-report.md",
                station.bus
            );
        }
        if let Some(kw) = listed.and_then(|l| l.power_kw) {
            let _ = writeln!(t, "power_kw = {}", toml::Value::Float(kw));
        } else if station
            .pumps
            .iter()
            .any(|&l| network.pump_design_kw[l].is_none())
        {
            let _ = writeln!(
                t,
                "power_kw = 100                     # a guess: the .inp gives no pump curve"
            );
            guesses.push(format!("pump station {} draws a guessed 100 kW: its pumps have no curve or power in the .inp", station.id));
        }
        let serves: Vec<String> = match listed {
            Some(l) if !l.serves.is_empty() => l
                .serves
                .iter()
                .map(|&d| quoted(&inputs.districts[d].name))
                .collect(),
            _ => vec![quoted(&inputs.districts[station.district].name)],
        };
        let _ = writeln!(t, "serves = [{}]", serves.join(", "));
        if let Some(backup) = listed.and_then(|l| l.backup.as_ref()) {
            let _ = writeln!(t, "backup = {}", backup_table(backup));
        }
        if let Some((lon, lat)) = station.position {
            let _ = writeln!(t, "position = [{lon:.7}, {lat:.7}]");
        }
        let _ = writeln!(t);
    }
    for (k, facility) in model.facilities.iter().enumerate() {
        let input = &inputs.facilities[facility.input];
        let _ = writeln!(t, "[[facility]]");
        match &input.id {
            Some(id) => {
                let _ = writeln!(t, "id = {}", quoted(id));
            }
            None => {
                let _ = writeln!(t, "id = \"F-{}\"", k + 1);
            }
        }
        let _ = writeln!(t, "name = {}", quoted(&input.name));
        let _ = writeln!(t, "kind = {}", quoted(&input.kind));
        let _ = writeln!(t, "bus = {}", facility.bus);
        if let Some(junction) = facility.junction {
            let _ = writeln!(t, "junction = {}", quoted(&network.node_ids[junction]));
        }
        let _ = writeln!(
            t,
            "district = {}",
            quoted(&inputs.districts[facility.district].name)
        );
        let priority = input.priority.unwrap_or(
            if matches!(input.kind.as_str(), "hospital" | "water_treatment") {
                3
            } else {
                2
            },
        );
        let _ = writeln!(t, "priority = {priority}");
        let _ = writeln!(
            t,
            "position = [{:.7}, {:.7}]",
            input.position.0, input.position.1
        );
        if let Some(backup) = &input.backup {
            let _ = writeln!(t, "backup = {}", backup_table(backup));
        }
        let _ = writeln!(t);
    }
}

/// The operations file's restoration settings, crews and outage groups; defaults for
/// those it does not give: crews (a power crew per two districts, at least two; a water
/// crew per three, at least one; depots in turn) and outage groups (six queues of two
/// sub-queues, each a twelfth of every district's load).
fn crews_and_groups(
    t: &mut String,
    inputs: &Inputs,
    operations: Option<&Operations>,
) -> Result<(), AppError> {
    if let Some(operations) = operations {
        let _ = writeln!(
            t,
            "# The utility's own settings (from the operations file).\n"
        );
        t.push_str(&operations.sections());
        let _ = writeln!(t);
    }
    let given_crews = operations.is_some_and(|o| o.crew.is_some());
    let given_groups = operations.is_some_and(|o| o.outage_group.is_some());
    if !(given_crews && given_groups) {
        let _ = writeln!(
            t,
            "# Crews and outage groups by default: edit them to the utility's own."
        );
    }
    let count = inputs.districts.len();
    if !given_crews {
        let power = count.div_ceil(2).max(2);
        let water = count.div_ceil(3).max(1);
        for (k, (id, skill)) in (1..=power)
            .map(|i| (format!("P-{i}"), "power"))
            .chain((1..=water).map(|i| (format!("W-{i}"), "water")))
            .enumerate()
        {
            let depot = &inputs.districts[k % count].name;
            let _ = writeln!(
                t,
                "[[crew]]\nid = \"{id}\"\nskills = [\"{skill}\"]\ndepot = {}\n",
                quoted(depot)
            );
        }
    }
    if !given_groups {
        let share = 1.0 / 12.0;
        for queue in 1..=6 {
            for sub in 1..=2 {
                let shares: Vec<String> = inputs
                    .districts
                    .iter()
                    .map(|d| format!("{} = {share}", quoted(&d.name)))
                    .collect();
                let _ = writeln!(
                    t,
                    "[[outage_group]]\nid = \"{queue}.{sub}\"\nshares = {{ {} }}\n",
                    shares.join(", ")
                );
            }
        }
    }
    Ok(())
}

fn report(request: &InitRequest, inputs: &Inputs, model: &Model, guesses: &[String]) -> String {
    let mut t = String::new();
    let _ = writeln!(t, "# `lifeline city init` report: {}\n", inputs.name);
    let _ = writeln!(t, "Inputs:\n");
    for (what, path) in [
        ("network", Some(&request.water)),
        ("grid", Some(&request.grid)),
        ("districts", Some(&request.districts)),
        ("bus positions", request.bus_positions.as_ref()),
        ("pump station register", request.stations.as_ref()),
        ("facilities", request.facilities.as_ref()),
        ("operations", request.operations.as_ref()),
    ] {
        if let Some(path) = path {
            let _ = writeln!(t, "- {what}: `{}`", path.display());
        }
    }
    let _ = writeln!(t);
    let junctions = model.junction_district.iter().flatten().count();
    let _ = writeln!(
        t,
        "- {} districts, {} people",
        inputs.districts.len(),
        inputs.districts.iter().map(|d| d.population).sum::<u64>()
    );
    let _ = writeln!(
        t,
        "- {junctions} junctions assigned ({} outside every polygon, {} without coordinates)",
        model.junctions_outside, model.junctions_without_position
    );
    let _ = writeln!(
        t,
        "- {} pump stations from {} pumps",
        model.stations.len(),
        model.stations.iter().map(|s| s.pumps.len()).sum::<usize>()
    );
    let _ = writeln!(
        t,
        "- {} facilities, {} bus positions\n",
        model.facilities.len(),
        inputs.bus_position.len()
    );
    let _ = writeln!(t, "## Guesses to check by hand\n");
    if guesses.is_empty() {
        let _ = writeln!(t, "None.");
    }
    for guess in guesses {
        let _ = writeln!(t, "- {guess}");
    }
    t
}
