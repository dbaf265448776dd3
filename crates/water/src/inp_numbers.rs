//! Numbers in an EPANET input file that EPANET would take but no network has: `NaN`,
//! infinities and, in data columns, magnitudes beyond [`MAX_MAGNITUDE`]. EPANET reads numbers with C's
//! `atof`, so a `NaN` pipe length or an `Inf` elevation opens without a word and gives NaN
//! heads; these are refused before EPANET reads the file, each at its line, with the
//! section, the element and the column.

/// The largest magnitude accepted for any number of an input file (elevations, lengths,
/// demands, coordinates in any map projection, in any unit system).
pub const MAX_MAGNITUDE: f64 = 1e9;

/// The numeric columns of a section's data rows: (position on the row, column name).
/// Positions past the list (pattern multipliers) use `rest`.
struct Columns {
    numeric: &'static [(usize, &'static str)],
    /// Name of every further column from this position on, if they are all numbers.
    rest: Option<(usize, &'static str)>,
}

/// Sections of settings and keyword-value rows, checked for NaN and infinities only.
const SETTINGS: &[&str] = &["OPTIONS", "TIMES", "ENERGY", "REACTIONS", "PUMPS"];

fn columns(section: &str) -> Option<Columns> {
    let (numeric, rest): (&'static [(usize, &'static str)], _) = match section {
        "JUNCTIONS" => (&[(1, "elevation"), (2, "demand")], None),
        "RESERVOIRS" => (&[(1, "head")], None),
        "TANKS" => (
            &[
                (1, "elevation"),
                (2, "initial level"),
                (3, "minimum level"),
                (4, "maximum level"),
                (5, "diameter"),
                (6, "minimum volume"),
            ],
            None,
        ),
        "PIPES" => (
            &[
                (3, "length"),
                (4, "diameter"),
                (5, "roughness"),
                (6, "minor loss"),
            ],
            None,
        ),
        "VALVES" => (&[(3, "diameter"), (6, "minor loss")], None),
        "DEMANDS" => (&[(1, "demand")], None),
        "EMITTERS" => (&[(1, "coefficient")], None),
        "QUALITY" => (&[(1, "initial quality")], None),
        "COORDINATES" => (&[(1, "x"), (2, "y")], None),
        "VERTICES" => (&[(1, "x"), (2, "y")], None),
        "CURVES" => (&[(1, "x"), (2, "y")], None),
        "PATTERNS" => (&[], Some((1, "multiplier"))),
        _ => return None,
    };
    Some(Columns { numeric, rest })
}

/// Every number of `text` (an .inp file) that is not finite or is beyond
/// [`MAX_MAGNITUDE`], as `line: message` (1-based lines).
pub fn problems(text: &str) -> Vec<(u32, String)> {
    let mut found = Vec::new();
    let mut section: Option<Columns> = None;
    let mut section_name = String::new();
    for (n, line) in text.lines().enumerate() {
        let data = line.split(';').next().unwrap_or_default().trim();
        if data.starts_with('[') {
            section_name = data.trim_matches(['[', ']']).trim().to_ascii_uppercase();
            section = columns(&section_name);
            continue;
        }
        let tokens: Vec<&str> = data.split_whitespace().collect();
        let Some(id) = tokens.first() else { continue };
        let Some(columns) = &section else {
            // Settings ([OPTIONS], [ENERGY], [REACTIONS], [PUMPS]' keyword values, ...):
            // no magnitude fits all of them, but none may be NaN or infinite.
            if SETTINGS.contains(&section_name.as_str()) {
                for token in &tokens[1..] {
                    if token.parse::<f64>().is_ok_and(|v| !v.is_finite()) {
                        found.push((
                            n as u32 + 1,
                            format!("[{section_name}] {id}: expected a finite number, got {token}"),
                        ));
                    }
                }
            }
            continue;
        };
        for (position, token) in tokens.iter().enumerate().skip(1) {
            let name = columns
                .numeric
                .iter()
                .find(|(p, _)| *p == position)
                .map(|(_, name)| *name)
                .or_else(|| {
                    columns
                        .rest
                        .filter(|(from, _)| position >= *from)
                        .map(|(_, name)| name)
                });
            let Some(name) = name else { continue };
            let Ok(value) = token.parse::<f64>() else {
                continue;
            };
            if !value.is_finite() || value.abs() > MAX_MAGNITUDE {
                found.push((
                    n as u32 + 1,
                    format!(
                        "[{section_name}] {id}: {name} must be a finite number of at most {MAX_MAGNITUDE:e} in size, got {token}"
                    ),
                ));
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nan_infinite_and_absurd_numbers_are_found_at_their_line() {
        let text = "[JUNCTIONS]\n;ID Elev Demand\nJ1 10 5\nJ2 inf 5 ; comment\n\n[PIPES]\nP1 J1 J2 NaN 300 100 0 Open\n[PATTERNS]\nDAY 1 1e308 1\n[OPTIONS]\nUnits LPS\n[COORDINATES]\nJ1 5500000.5 -1e12\n";
        let found = problems(text);
        assert_eq!(
            found,
            [
                (4, "[JUNCTIONS] J2: elevation must be a finite number of at most 1e9 in size, got inf".to_string()),
                (7, "[PIPES] P1: length must be a finite number of at most 1e9 in size, got NaN".to_string()),
                (9, "[PATTERNS] DAY: multiplier must be a finite number of at most 1e9 in size, got 1e308".to_string()),
                (13, "[COORDINATES] J1: y must be a finite number of at most 1e9 in size, got -1e12".to_string()),
            ]
        );
    }

    #[test]
    fn settings_may_be_large_but_never_nan_or_infinite() {
        let text =
            "[OPTIONS]\nAccuracy 1e20\nDemand Multiplier inf\n[PUMPS]\nPU1 N1 N2 POWER NaN\n";
        let found = problems(text);
        assert_eq!(
            found,
            [
                (
                    3,
                    "[OPTIONS] Demand: expected a finite number, got inf".to_string()
                ),
                (
                    5,
                    "[PUMPS] PU1: expected a finite number, got NaN".to_string()
                ),
            ]
        );
    }

    #[test]
    fn ids_that_read_as_numbers_and_other_sections_are_left_alone() {
        let text = "[JUNCTIONS]\nnan 10 5\n[OPTIONS]\nAccuracy 1e20\n[PIPES]\ninf nan 2 100 300 100 0 Open\n";
        assert!(problems(text).is_empty(), "{:?}", problems(text));
    }
}
