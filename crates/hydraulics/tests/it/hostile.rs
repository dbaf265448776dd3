//! Hostile input: a network file damaged at random (a character dropped or doubled, a
//! number made NaN, huge, negative or zero, a word replaced, lines swapped, dropped or
//! repeated) never makes the reader or the solver panic: it is read or refused, and a
//! network that is read runs to the end or stops with an error.

use crate::support::data_dir;
use lifeline_hydraulics::inp::read_network;
use lifeline_hydraulics::results::run_to_end;
use proptest::prelude::*;
use std::sync::Arc;

const WORDS: [&str; 12] = [
    "NaN", "1e300", "-1", "0", "inf", "OPEN", "CLOSED", "PRV", "xyz", ";", "[PIPES]", "99:99",
];

fn damage(text: &str, edits: &[(u8, usize, usize)]) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    for &(kind, a, b) in edits {
        if lines.is_empty() {
            break;
        }
        let i = a % lines.len();
        match kind % 6 {
            0 => {
                let line = &mut lines[i];
                if !line.is_empty() {
                    let at = line
                        .char_indices()
                        .nth(b % line.chars().count())
                        .map_or(0, |(p, _)| p);
                    line.remove(at);
                }
            }
            1 => {
                let mut tokens: Vec<String> =
                    lines[i].split_whitespace().map(str::to_string).collect();
                if !tokens.is_empty() {
                    let at = b % tokens.len();
                    tokens[at] = WORDS[b % WORDS.len()].to_string();
                    lines[i] = tokens.join(" ");
                }
            }
            2 => {
                let j = b % lines.len();
                lines.swap(i, j);
            }
            3 => {
                lines.remove(i);
            }
            4 => {
                let copy = lines[i].clone();
                lines.insert(i, copy);
            }
            _ => {
                let mut tokens: Vec<String> =
                    lines[i].split_whitespace().map(str::to_string).collect();
                tokens.truncate(b % (tokens.len() + 1));
                lines[i] = tokens.join(" ");
            }
        }
    }
    lines.join("\n")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn a_damaged_network_is_refused_or_run_never_a_panic(
        edits in prop::collection::vec((any::<u8>(), any::<usize>(), any::<usize>()), 1..6),
        net3 in any::<bool>(),
    ) {
        let name = if net3 { "Net3.inp" } else { "Net1.inp" };
        let text = std::fs::read_to_string(data_dir().join(name)).expect("network file");
        let damaged = damage(&text, &edits);
        if let Ok(network) = read_network(&damaged, name) {
            let _ = run_to_end(Arc::new(network), name);
        }
    }
}
