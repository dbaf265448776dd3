//! Near-miss suggestions: "unknown bus 1O1; did you mean 101?".

/// Edit distance between `a` and `b`, on characters: insertions, deletions,
/// substitutions and swaps of two neighbours each count 1 (optimal string alignment), so
/// the common typo `MIAN` for `MAIN` is one edit away.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for i in 0..a.len() {
        current[0] = i + 1;
        for j in 0..b.len() {
            let substitution = previous[j] + usize::from(a[i] != b[j]);
            let mut best = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
            if i > 0 && j > 0 && a[i] == b[j - 1] && a[i - 1] == b[j] {
                best = best.min(before[j - 1] + 1);
            }
            current[j + 1] = best;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

/// The candidates closest to `unknown`, at most `limit` of them, closest first (ties keep
/// the candidates' order). Only candidates within a quarter of the longer length (at least
/// 1 edit) are suggested, so unrelated names are never offered.
pub fn nearest<'a, I>(unknown: &str, candidates: I, limit: usize) -> Vec<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let mut scored: Vec<(usize, usize, &'a str)> = candidates
        .into_iter()
        .enumerate()
        .filter_map(|(order, candidate)| {
            let distance = edit_distance(unknown, candidate);
            let longer = unknown.chars().count().max(candidate.chars().count());
            let allowed = (longer / 4).max(1);
            (distance <= allowed).then_some((distance, order, candidate))
        })
        .collect();
    scored.sort_unstable();
    scored.dedup_by(|a, b| a.2 == b.2);
    scored.into_iter().take(limit).map(|(_, _, c)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_counts_single_edits() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("bus", "bus"), 0);
        assert_eq!(edit_distance("MIAN", "MAIN"), 1);
        assert_eq!(edit_distance("ab", "ba"), 1);
        assert_eq!(edit_distance("ca", "abc"), 3);
    }

    #[test]
    fn nearest_offers_close_names_only() {
        let names = ["pump-north", "pump-south", "hospital-3"];
        assert_eq!(nearest("pump-nrth", names, 3), vec!["pump-north"]);
        assert!(nearest("reservoir", names, 3).is_empty());
        assert_eq!(nearest("102", ["101", "120", "999"], 2), vec!["101", "120"]);
        assert_eq!(nearest("6", ["1", "2", "3", "4"], 3), vec!["1", "2", "3"]);
    }
}
