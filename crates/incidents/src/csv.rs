//! Incidents as CSV (RFC 4180: fields with commas, quotes or line breaks in double
//! quotes), one row per incident, for spreadsheets; `export` writes it and `import`
//! reads it back.
//!
//! Columns: `id,external_id,status,start,end,settlement,admin1,country,lat,lon,event_type,
//! sub_event_type,actor,weapon,launched,intercepted,explosions,killed,injured,targets,
//! effects,publisher,url,published,quote,confidence`. One weapon (the first) and one
//! source (the first) per row; `targets` and `effects` separated by `;`; empty means
//! not given. On import `id` is ignored (the registry gives ids).

use crate::error::IncidentError;
use crate::record::{Incident, Place, Source, Target, Weapon, wire_name as name};
use lifeline_core::csv::field;
use serde::de::DeserializeOwned;

/// The header.
pub const COLUMNS: [&str; 26] = [
    "id",
    "external_id",
    "status",
    "start",
    "end",
    "settlement",
    "admin1",
    "country",
    "lat",
    "lon",
    "event_type",
    "sub_event_type",
    "actor",
    "weapon",
    "launched",
    "intercepted",
    "explosions",
    "killed",
    "injured",
    "targets",
    "effects",
    "publisher",
    "url",
    "published",
    "quote",
    "confidence",
];

/// `incidents` as CSV text, with the header.
pub fn write(incidents: &[Incident]) -> String {
    let mut out = COLUMNS.join(",");
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let num = |v: Option<u32>| v.map_or(String::new(), |v| v.to_string());
    for i in incidents {
        let weapon = i.weapons.first();
        let source = i.sources.first();
        let fields = [
            i.id.clone(),
            opt(&i.external_id),
            name(&i.status),
            i.start.clone(),
            opt(&i.end),
            opt(&i.place.settlement),
            opt(&i.place.admin1),
            opt(&i.place.country),
            i.place.lat.map_or(String::new(), |v| v.to_string()),
            i.place.lon.map_or(String::new(), |v| v.to_string()),
            i.event_type.clone(),
            opt(&i.sub_event_type),
            opt(&i.actor),
            weapon.map(|w| name(&w.class)).unwrap_or_default(),
            num(weapon.and_then(|w| w.launched)),
            num(weapon.and_then(|w| w.intercepted)),
            num(i.explosions),
            num(i.killed),
            num(i.injured),
            i.targets
                .iter()
                .map(|t| name(&t.category))
                .collect::<Vec<_>>()
                .join(";"),
            i.effects.iter().map(name).collect::<Vec<_>>().join(";"),
            source.map(|s| s.publisher.clone()).unwrap_or_default(),
            source.and_then(|s| s.url.clone()).unwrap_or_default(),
            source.and_then(|s| s.published.clone()).unwrap_or_default(),
            source.and_then(|s| s.quote.clone()).unwrap_or_default(),
            name(&i.confidence),
        ];
        out.push('\n');
        out.push_str(
            &fields
                .iter()
                .map(|f| field(f))
                .collect::<Vec<_>>()
                .join(","),
        );
    }
    out.push('\n');
    out
}

/// A field read from a CSV file, with where it started.
struct Cell {
    text: String,
    line: usize,
    column: usize,
}

/// Splits CSV text into rows of cells (RFC 4180 quoting).
fn rows(path: &str, text: &str) -> Result<Vec<Vec<Cell>>, IncidentError> {
    let mut rows = Vec::new();
    let mut row: Vec<Cell> = Vec::new();
    let mut cell = String::new();
    let (mut line, mut column) = (1usize, 1usize);
    let (mut cell_line, mut cell_column) = (1usize, 1usize);
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    let mut at_start = true;
    while let Some(c) = chars.next() {
        if at_start {
            cell_line = line;
            cell_column = column;
            at_start = false;
            if c == '"' {
                quoted = true;
                column += 1;
                continue;
            }
        }
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
                column += 2;
            }
            (true, '"') => {
                quoted = false;
                column += 1;
                if !matches!(chars.peek(), None | Some(',') | Some('\n') | Some('\r')) {
                    return Err(IncidentError::Invalid {
                        field: format!("{path}:{line}:{column}"),
                        message: "a closing quote must end its field".into(),
                    });
                }
            }
            (true, '\n') => {
                cell.push('\n');
                line += 1;
                column = 1;
            }
            (false, ',') => {
                row.push(Cell {
                    text: std::mem::take(&mut cell),
                    line: cell_line,
                    column: cell_column,
                });
                column += 1;
                at_start = true;
            }
            (false, '\r') => column += 1,
            (false, '\n') => {
                row.push(Cell {
                    text: std::mem::take(&mut cell),
                    line: cell_line,
                    column: cell_column,
                });
                rows.push(std::mem::take(&mut row));
                line += 1;
                column = 1;
                at_start = true;
            }
            (_, c) => {
                cell.push(c);
                column += 1;
            }
        }
    }
    if quoted {
        return Err(IncidentError::Invalid {
            field: format!("{path}:{cell_line}:{cell_column}"),
            message: "a quoted field is never closed".into(),
        });
    }
    if !at_start || !cell.is_empty() || !row.is_empty() {
        row.push(Cell {
            text: cell,
            line: cell_line,
            column: cell_column,
        });
        rows.push(row);
    }
    Ok(rows
        .into_iter()
        .filter(|r| !(r.len() == 1 && r[0].text.trim().is_empty()))
        .collect())
}

fn located(path: &str, cell: &Cell, column: &str, message: String) -> IncidentError {
    IncidentError::Invalid {
        field: format!("{path}:{}:{}: {column}", cell.line, cell.column),
        message,
    }
}

fn parse_enum<T: DeserializeOwned>(
    path: &str,
    cell: &Cell,
    column: &str,
) -> Result<T, IncidentError> {
    serde_json::from_value(serde_json::Value::String(cell.text.trim().to_string()))
        .map_err(|e| located(path, cell, column, e.to_string()))
}

fn parse_count(path: &str, cell: &Cell, column: &str) -> Result<Option<u32>, IncidentError> {
    let t = cell.text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse().map(Some).map_err(|_| {
        located(
            path,
            cell,
            column,
            format!("expected a whole number, got '{t}'"),
        )
    })
}

/// Reads incidents from CSV `text` with [`COLUMNS`] (any order; `start` required).
pub fn read(path: &str, text: &str) -> Result<Vec<Incident>, IncidentError> {
    let rows = rows(path, text)?;
    let Some((header, data)) = rows.split_first() else {
        return Err(IncidentError::Invalid {
            field: format!("{path}:1:1"),
            message: "the file is empty: expected a header line".into(),
        });
    };
    let index = |name: &str| header.iter().position(|c| c.text.trim() == name);
    for cell in header {
        if !COLUMNS.contains(&cell.text.trim()) {
            return Err(located(
                path,
                cell,
                "header",
                format!(
                    "unknown column '{}': expected {}",
                    cell.text.trim(),
                    COLUMNS.join(",")
                ),
            ));
        }
    }
    if index("start").is_none() {
        return Err(IncidentError::Invalid {
            field: format!("{path}:1:1"),
            message: "no column 'start' in the header".into(),
        });
    }
    let mut out = Vec::new();
    for row in data {
        if row.len() != header.len() {
            return Err(IncidentError::Invalid {
                field: format!("{path}:{}:1", row[0].line),
                message: format!("row has {} fields, expected {}", row.len(), header.len()),
            });
        }
        let get = |name: &str| index(name).map(|i| &row[i]);
        let text = |name: &str| {
            get(name)
                .map(|c| c.text.trim().to_string())
                .filter(|t| !t.is_empty())
        };
        let mut incident = Incident {
            external_id: text("external_id"),
            start: text("start").unwrap_or_default(),
            end: text("end"),
            place: Place {
                settlement: text("settlement"),
                admin1: text("admin1"),
                country: text("country"),
                ..Place::default()
            },
            event_type: text("event_type").unwrap_or_else(|| "Explosions/Remote violence".into()),
            sub_event_type: text("sub_event_type"),
            actor: text("actor"),
            ..Incident::default()
        };
        for (column, slot) in [
            ("lat", &mut incident.place.lat),
            ("lon", &mut incident.place.lon),
        ] {
            if let Some(cell) = get(column).filter(|c| !c.text.trim().is_empty()) {
                *slot = Some(cell.text.trim().parse().map_err(|_| {
                    located(
                        path,
                        cell,
                        column,
                        format!("expected degrees, got '{}'", cell.text.trim()),
                    )
                })?);
            }
        }
        if let Some(cell) = get("status").filter(|c| !c.text.trim().is_empty()) {
            incident.status = parse_enum(path, cell, "status")?;
        }
        if let Some(cell) = get("confidence").filter(|c| !c.text.trim().is_empty()) {
            incident.confidence = parse_enum(path, cell, "confidence")?;
        }
        if let Some(cell) = get("weapon").filter(|c| !c.text.trim().is_empty()) {
            incident.weapons.push(Weapon {
                class: parse_enum(path, cell, "weapon")?,
                model: None,
                launched: match get("launched") {
                    Some(c) => parse_count(path, c, "launched")?,
                    None => None,
                },
                intercepted: match get("intercepted") {
                    Some(c) => parse_count(path, c, "intercepted")?,
                    None => None,
                },
                hit: None,
            });
        }
        for (column, slot) in [
            ("explosions", &mut incident.explosions),
            ("killed", &mut incident.killed),
            ("injured", &mut incident.injured),
        ] {
            if let Some(cell) = get(column) {
                *slot = parse_count(path, cell, column)?;
            }
        }
        if let Some(cell) = get("targets") {
            for part in cell
                .text
                .split(';')
                .map(str::trim)
                .filter(|p| !p.is_empty())
            {
                let category = Cell {
                    text: part.into(),
                    line: cell.line,
                    column: cell.column,
                };
                incident.targets.push(Target {
                    category: parse_enum(path, &category, "targets")?,
                    asset: None,
                    description: None,
                });
            }
        }
        if let Some(cell) = get("effects") {
            for part in cell
                .text
                .split(';')
                .map(str::trim)
                .filter(|p| !p.is_empty())
            {
                let effect = Cell {
                    text: part.into(),
                    line: cell.line,
                    column: cell.column,
                };
                incident.effects.push(parse_enum(path, &effect, "effects")?);
            }
        }
        if let Some(publisher) = text("publisher") {
            incident.sources.push(Source {
                publisher,
                url: text("url"),
                published: text("published"),
                quote: text("quote"),
            });
        }
        incident.check().map_err(|e| IncidentError::Invalid {
            field: format!("{path}:{}", row[0].line),
            message: e.to_string(),
        })?;
        out.push(incident);
    }
    Ok(out)
}
