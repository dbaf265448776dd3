//! Incidents as CSV (RFC 4180: fields with commas, quotes or line breaks in double
//! quotes), one row per incident, for spreadsheets; `export` writes it and `import`
//! reads it back to the same records: nothing is lost on the way.
//!
//! Columns ([`COLUMNS`]): every field of the record. Weapons, targets and sources, which
//! are lists of several fields each, are JSON arrays in their cells
//! (`[{"class":"missile","launched":40,"intercepted":35}]`); `effects` are separated by
//! `;`. An empty cell is a field not given. Free text that a spreadsheet would run as a
//! formula (`=`, `+`, `-`, `@` first) is written with an apostrophe in front, removed on
//! import; text with spaces at either end is quoted so they are kept. A byte-order mark
//! at the start (spreadsheets write one) is ignored.
//!
//! Files of earlier versions (one weapon in `weapon,launched,intercepted`, one source in
//! `publisher,url,published,quote`, target categories in `targets` separated by `;`) still
//! import.

use crate::error::IncidentError;
use crate::record::{Incident, Place, Source, Target, Weapon, wire_name as name};
use lifeline_core::csv::{field, formula_safe, formula_unsafe};
use serde::de::DeserializeOwned;

/// The header export writes.
pub const COLUMNS: [&str; 26] = [
    "id",
    "external_id",
    "status",
    "start",
    "end",
    "time_precision",
    "settlement",
    "admin1",
    "country",
    "lat",
    "lon",
    "geo_precision",
    "geonames_id",
    "katottg",
    "event_type",
    "sub_event_type",
    "actor",
    "weapons",
    "explosions",
    "killed",
    "injured",
    "targets",
    "effects",
    "sources",
    "confidence",
    "notes",
];

/// Columns of files written by earlier versions, still read: one weapon and one source.
pub const EARLIER_COLUMNS: [&str; 7] = [
    "weapon",
    "launched",
    "intercepted",
    "publisher",
    "url",
    "published",
    "quote",
];

/// A text cell: safe from spreadsheet formulas, and quoted when it has a comma, quote,
/// line break or space at either end.
fn text_cell(text: &str) -> String {
    let safe = formula_safe(text);
    if safe != safe.trim() {
        format!("\"{}\"", safe.replace('"', "\"\""))
    } else {
        field(&safe).into_owned()
    }
}

/// A JSON array cell (empty for an empty list).
fn json_cell<T: serde::Serialize>(items: &[T]) -> String {
    if items.is_empty() {
        return String::new();
    }
    field(&serde_json::to_string(items).unwrap_or_default()).into_owned()
}

/// `incidents` as CSV text, with the header.
pub fn write(incidents: &[Incident]) -> String {
    let mut out = COLUMNS.join(",");
    let text = |v: &Option<String>| v.as_deref().map_or(String::new(), text_cell);
    let num = |v: Option<u32>| v.map_or(String::new(), |v| v.to_string());
    let degrees = |v: Option<f64>| v.map_or(String::new(), |v| v.to_string());
    for i in incidents {
        let cells = [
            text_cell(&i.id),
            text(&i.external_id),
            name(&i.status),
            text_cell(&i.start),
            text(&i.end),
            name(&i.time_precision),
            text(&i.place.settlement),
            text(&i.place.admin1),
            text(&i.place.country),
            degrees(i.place.lat),
            degrees(i.place.lon),
            name(&i.place.geo_precision),
            i.place
                .geonames_id
                .map_or(String::new(), |id| id.to_string()),
            text(&i.place.katottg),
            text_cell(&i.event_type),
            text(&i.sub_event_type),
            text(&i.actor),
            json_cell(&i.weapons),
            num(i.explosions),
            num(i.killed),
            num(i.injured),
            json_cell(&i.targets),
            i.effects.iter().map(name).collect::<Vec<_>>().join(";"),
            json_cell(&i.sources),
            name(&i.confidence),
            text(&i.notes),
        ];
        out.push('\n');
        out.push_str(&cells.join(","));
    }
    out.push('\n');
    out
}

/// A field read from a CSV file, with where it started.
struct Cell {
    text: String,
    /// Whether it was in double quotes (its spaces are then part of it).
    quoted: bool,
    line: usize,
    column: usize,
}

impl Cell {
    /// The value: spaces around an unquoted field dropped, the formula guard removed.
    fn value(&self) -> &str {
        let text = if self.quoted {
            self.text.as_str()
        } else {
            self.text.trim()
        };
        formula_unsafe(text)
    }
}

/// Splits CSV text into rows of cells (RFC 4180 quoting).
fn rows(path: &str, text: &str) -> Result<Vec<Vec<Cell>>, IncidentError> {
    let mut rows = Vec::new();
    let mut row: Vec<Cell> = Vec::new();
    let mut cell = String::new();
    let (mut line, mut column) = (1usize, 1usize);
    let (mut cell_line, mut cell_column) = (1usize, 1usize);
    let mut quoted = false;
    let mut was_quoted = false;
    let mut chars = text.chars().peekable();
    let mut at_start = true;
    while let Some(c) = chars.next() {
        if at_start {
            cell_line = line;
            cell_column = column;
            at_start = false;
            was_quoted = false;
            if c == '"' {
                quoted = true;
                was_quoted = true;
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
                    quoted: was_quoted,
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
                    quoted: was_quoted,
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
            quoted: was_quoted,
            line: cell_line,
            column: cell_column,
        });
        rows.push(row);
    }
    Ok(rows
        .into_iter()
        .filter(|r| !(r.len() == 1 && !r[0].quoted && r[0].text.trim().is_empty()))
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
    text: &str,
) -> Result<T, IncidentError> {
    serde_json::from_value(serde_json::Value::String(text.trim().to_string()))
        .map_err(|e| located(path, cell, column, e.to_string()))
}

fn parse_count(path: &str, cell: &Cell, column: &str) -> Result<Option<u32>, IncidentError> {
    let t = cell.value();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse().map(Some).map_err(|_| {
        located(
            path,
            cell,
            column,
            format!("expected a whole number (0 to 4294967295), got '{t}'"),
        )
    })
}

/// A JSON array cell: the list, or an error naming the cell and the item's field.
fn parse_list<T: DeserializeOwned>(
    path: &str,
    cell: &Cell,
    column: &str,
) -> Result<Vec<T>, IncidentError> {
    let t = cell.value();
    if t.is_empty() {
        return Ok(Vec::new());
    }
    serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_str(t)).map_err(|e| {
        let inner = e.inner().to_string();
        let message = inner.split(" at line ").next().unwrap_or_default();
        let at = e.path().to_string();
        let field = if at == "." {
            column.to_string()
        } else {
            format!("{column}{at}")
        };
        located(
            path,
            cell,
            &field,
            format!("{message} (expected a JSON array, as export writes it)"),
        )
    })
}

/// Reads incidents from CSV `text` with [`COLUMNS`] or, from earlier versions,
/// [`EARLIER_COLUMNS`] (any order; `start` required).
pub fn read(path: &str, text: &str) -> Result<Vec<Incident>, IncidentError> {
    let rows = rows(path, lifeline_core::text::without_bom(text))?;
    let Some((header, data)) = rows.split_first() else {
        return Err(IncidentError::Invalid {
            field: format!("{path}:1:1"),
            message: "the file is empty: expected a header line".into(),
        });
    };
    let index = |name: &str| header.iter().position(|c| c.text.trim() == name);
    for (i, cell) in header.iter().enumerate() {
        let column = cell.text.trim();
        if !COLUMNS.contains(&column) && !EARLIER_COLUMNS.contains(&column) {
            return Err(located(
                path,
                cell,
                "header",
                format!("unknown column '{column}': expected {}", COLUMNS.join(",")),
            ));
        }
        if header[..i].iter().any(|c| c.text.trim() == column) {
            return Err(located(
                path,
                cell,
                "header",
                format!("column '{column}' is given twice"),
            ));
        }
    }
    for (new, old) in [("weapons", "weapon"), ("sources", "publisher")] {
        if let (Some(_), Some(i)) = (index(new), index(old)) {
            return Err(located(
                path,
                &header[i],
                "header",
                format!("give '{new}' (a JSON array) or the earlier '{old}' columns, not both"),
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
        out.push(incident(path, row, &index)?);
    }
    Ok(out)
}

/// A GeoNames id cell.
fn geonames_id(path: &str, cell: &Cell) -> Result<u64, IncidentError> {
    let id = cell.value();
    id.parse().map_err(|_| {
        located(
            path,
            cell,
            "geonames_id",
            format!("expected a GeoNames id (a whole number), got '{id}'"),
        )
    })
}

/// One row as an incident, checked.
fn incident(
    path: &str,
    row: &[Cell],
    index: &dyn Fn(&str) -> Option<usize>,
) -> Result<Incident, IncidentError> {
    let get = |name: &str| index(name).map(|i| &row[i]);
    let text = |name: &str| {
        get(name)
            .map(|c| c.value().to_string())
            .filter(|t| !t.is_empty())
    };
    let mut incident = Incident {
        id: text("id").unwrap_or_default(),
        external_id: text("external_id"),
        start: text("start").unwrap_or_default(),
        end: text("end"),
        place: Place {
            settlement: text("settlement"),
            admin1: text("admin1"),
            country: text("country"),
            ..Place::default()
        },
        event_type: text("event_type").unwrap_or_else(|| Incident::default().event_type),
        sub_event_type: text("sub_event_type"),
        actor: text("actor"),
        notes: text("notes"),
        ..Incident::default()
    };
    for (column, slot) in [
        ("lat", &mut incident.place.lat),
        ("lon", &mut incident.place.lon),
    ] {
        if let Some(cell) = get(column).filter(|c| !c.value().is_empty()) {
            *slot = Some(cell.value().parse().map_err(|_| {
                located(
                    path,
                    cell,
                    column,
                    format!("expected degrees, got '{}'", cell.value()),
                )
            })?);
        }
    }
    if let Some(cell) = get("status").filter(|c| !c.value().is_empty()) {
        incident.status = parse_enum(path, cell, "status", cell.value())?;
    }
    if let Some(cell) = get("confidence").filter(|c| !c.value().is_empty()) {
        incident.confidence = parse_enum(path, cell, "confidence", cell.value())?;
    }
    if let Some(cell) = get("time_precision").filter(|c| !c.value().is_empty()) {
        incident.time_precision = parse_enum(path, cell, "time_precision", cell.value())?;
    }
    if let Some(cell) = get("geo_precision").filter(|c| !c.value().is_empty()) {
        incident.place.geo_precision = parse_enum(path, cell, "geo_precision", cell.value())?;
    }
    if let Some(cell) = get("katottg").filter(|c| !c.value().is_empty()) {
        incident.place.katottg = Some(cell.value().to_string());
    }
    if let Some(cell) = get("geonames_id").filter(|c| !c.value().is_empty()) {
        incident.place.geonames_id = Some(geonames_id(path, cell)?);
    }
    if let Some(cell) = get("weapons") {
        incident.weapons = parse_list(path, cell, "weapons")?;
    } else if let Some(cell) = get("weapon").filter(|c| !c.value().is_empty()) {
        incident.weapons.push(Weapon {
            class: parse_enum(path, cell, "weapon", cell.value())?,
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
        if cell.value().trim_start().starts_with('[') {
            incident.targets = parse_list(path, cell, "targets")?;
        } else {
            // Earlier versions: categories separated by `;`.
            for part in cell.value().split(';').filter(|p| !p.trim().is_empty()) {
                incident.targets.push(Target {
                    category: parse_enum(path, cell, "targets", part)?,
                    asset: None,
                    description: None,
                });
            }
        }
    }
    if let Some(cell) = get("effects") {
        for part in cell.value().split(';').filter(|p| !p.trim().is_empty()) {
            incident
                .effects
                .push(parse_enum(path, cell, "effects", part)?);
        }
    }
    if let Some(cell) = get("sources") {
        incident.sources = parse_list::<Source>(path, cell, "sources")?;
    } else if let Some(publisher) = text("publisher") {
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
    Ok(incident)
}
