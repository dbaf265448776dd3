//! The service-area file: which water junctions serve which district, one per line:
//! `junction,district` (a header line with those two words comes first).

use crate::source::{Problem, suggestion};
use lifeline_water::{NetworkInfo, NodeKind};
use std::collections::HashMap;

/// Reads `text` (from `file`) into the junction indices of each district, reporting every
/// problem with its line.
pub(crate) fn read(
    file: &str,
    text: &str,
    network: &NetworkInfo,
    districts: &[String],
    problems: &mut Vec<Problem>,
) -> Vec<Vec<usize>> {
    let mut junctions = vec![Vec::new(); districts.len()];
    let index: HashMap<&str, usize> = districts
        .iter()
        .enumerate()
        .map(|(i, d)| (d.as_str(), i))
        .collect();
    let mut seen: HashMap<usize, usize> = HashMap::new();
    let mut lines = text.lines().enumerate();
    match lines.next() {
        Some((_, header)) if header.trim().eq_ignore_ascii_case("junction,district") => {}
        Some((_, header)) => problems.push(Problem::at_line(
            file,
            1,
            format!(
                "expected the header 'junction,district', found '{}'",
                header.trim()
            ),
        )),
        None => {
            problems.push(Problem::in_file(
                file,
                "the file is empty: expected 'junction,district' and one line per junction",
            ));
            return junctions;
        }
    }
    for (number, line) in lines {
        let line_number = number + 1;
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((junction, district)) = line.split_once(',') else {
            problems.push(Problem::at_line(
                file,
                line_number,
                format!("expected 'junction,district', found '{line}'"),
            ));
            continue;
        };
        let (junction, district) = (junction.trim(), district.trim());
        let node = match network.node(junction) {
            Ok(node) if network.node_kinds[node] == NodeKind::Junction => node,
            Ok(_) => {
                problems.push(Problem::at_line(
                    file,
                    line_number,
                    format!("'{junction}' is a tank or reservoir, not a junction"),
                ));
                continue;
            }
            Err(_) => {
                problems.push(Problem::at_line(
                    file,
                    line_number,
                    format!(
                        "junction '{junction}' is not in the water network{}",
                        suggestion(junction, network.node_ids.iter().map(String::as_str))
                    ),
                ));
                continue;
            }
        };
        let Some(&d) = index.get(district) else {
            problems.push(Problem::at_line(
                file,
                line_number,
                format!(
                    "district '{district}' is not in city.toml{}",
                    suggestion(district, districts.iter().map(String::as_str))
                ),
            ));
            continue;
        };
        if let Some(first) = seen.insert(node, line_number) {
            problems.push(Problem::at_line(
                file,
                line_number,
                format!("junction '{junction}' is already assigned on line {first}: a junction serves one district"),
            ));
            continue;
        }
        junctions[d].push(node);
    }
    junctions
}
