//! Lines, tokens, keywords, numbers and times as EPANET reads them (`gettokens`,
//! `match`, `getfloat`, `hour` of `input2.c`).

/// Largest magnitude accepted for a number in a data column (the project's policy, as
/// `lifeline-water`'s `inp_numbers`).
pub(crate) const MAX_MAGNITUDE: f64 = 1e9;

/// EPANET's `MAXTOKS`: items read from one line.
pub(crate) const MAX_TOKENS: usize = 40;

/// EPANET's `MAXID`: characters in an ID.
pub(crate) const MAX_ID: usize = 31;

/// Most nodes, and most links, a network may have (the project's policy): fifty times
/// the largest utility networks, and small enough that the solver numbers nodes, rows
/// and links in 32 bits.
pub(crate) const MAX_ELEMENTS: usize = 50_000_000;

/// The tokens of one line and its comment (the text after the first `;`), as EPANET's
/// `gettokens`: tokens are separated by spaces, tabs and line ends; a token that begins
/// with `"` runs to the next `"` (or the end of the line) and loses its quotes.
pub(crate) fn tokenize<'a>(line: &'a str, tokens: &mut Vec<&'a str>) -> &'a str {
    tokens.clear();
    let (data, comment) = match line.find(';') {
        Some(i) => (&line[..i], line[i + 1..].trim_end_matches(['\r', '\n'])),
        None => (line, ""),
    };
    // Byte by byte: separators and quotes are ASCII, so every cut is a character
    // boundary.
    let bytes = data.as_bytes();
    let is_sep = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
    let mut i = 0;
    while i < bytes.len() {
        if is_sep(bytes[i]) {
            i += 1;
        } else if bytes[i] == b'"' {
            let start = i + 1;
            let mut end = start;
            while end < bytes.len() && !matches!(bytes[end], b'"' | b'\n' | b'\r') {
                end += 1;
            }
            tokens.push(&data[start..end]);
            i = end + 1;
        } else {
            let start = i;
            while i < bytes.len() && !is_sep(bytes[i]) {
                i += 1;
            }
            tokens.push(&data[start..i]);
        }
    }
    comment
}

/// EPANET's `match`: whether `s` (after leading spaces) begins with `keyword`, ignoring
/// the case of ASCII letters.
pub(crate) fn matches(s: &str, keyword: &str) -> bool {
    if keyword.is_empty() {
        return false;
    }
    let s = s.trim_start_matches(' ').as_bytes();
    let k = keyword.as_bytes();
    s.len() >= k.len() && s[..k.len()].eq_ignore_ascii_case(k)
}

/// Index of the first keyword that `s` matches (EPANET's `findmatch`).
pub(crate) fn find_match(s: &str, keywords: &[&str]) -> Option<usize> {
    keywords.iter().position(|k| matches(s, k))
}

/// Parses a number as C's `strtod` with nothing left over (EPANET's `getfloat`);
/// `None` when it is not a number. NaN and infinities parse (the callers refuse them).
pub(crate) fn parse_float(s: &str) -> Option<f64> {
    if s.is_empty() {
        return None;
    }
    s.parse::<f64>().ok()
}

/// A number of a data column: finite and at most [`MAX_MAGNITUDE`] in size.
/// `what` names the element and field ("junction J1: elevation"), made only for an
/// error.
pub(crate) fn data_number(tok: &str, what: impl Fn() -> String) -> Result<f64, String> {
    let Some(v) = parse_float(tok) else {
        return Err(format!("{} '{tok}' is not a number", what()));
    };
    if !v.is_finite() || v.abs() > MAX_MAGNITUDE {
        return Err(format!(
            "{} must be a finite number of at most {MAX_MAGNITUDE:e} in size, got {tok}",
            what()
        ));
    }
    Ok(v)
}

/// A number of a setting: finite (settings may be large).
pub(crate) fn setting_number(tok: &str, what: impl Fn() -> String) -> Result<f64, String> {
    let Some(v) = parse_float(tok) else {
        return Err(format!("{} '{tok}' is not a number", what()));
    };
    if !v.is_finite() {
        return Err(format!("{}: expected a finite number, got {tok}", what()));
    }
    Ok(v)
}

/// EPANET's `hour`: a time in hours from `time` (`h`, `h:mm` or `h:mm:ss`) and `units`
/// (empty, `SEC`, `MIN`, `HOURS`, `DAYS`, `AM`, `PM`); `None` when it is not a time.
/// Empty fields between colons are skipped, as C's `strtok` skips them. Unlike EPANET,
/// a fourth field (which EPANET writes past its array) and non-finite numbers are refused.
pub(crate) fn hours(time: &str, units: &str) -> Option<f64> {
    let mut y = [0.0_f64; 3];
    let mut n = 0;
    for part in time.split(':').filter(|p| !p.is_empty()) {
        if n == 3 {
            return None;
        }
        let v = parse_float(part)?;
        if !v.is_finite() {
            return None;
        }
        y[n] = v;
        n += 1;
    }
    if n == 1 {
        if units.is_empty() {
            return Some(y[0]);
        }
        if matches(units, "SEC") {
            return Some(y[0] / 3600.0);
        }
        if matches(units, "MIN") {
            return Some(y[0] / 60.0);
        }
        if matches(units, "HOU") {
            return Some(y[0]);
        }
        if matches(units, "DAY") {
            return Some(y[0] * 24.0);
        }
    }
    if n > 1 {
        y[0] = y[0] + y[1] / 60.0 + y[2] / 3600.0;
    }
    if units.is_empty() {
        return (n > 0).then_some(y[0]);
    }
    if matches(units, "AM") {
        if y[0] >= 13.0 {
            return None;
        }
        return Some(if y[0] >= 12.0 { y[0] - 12.0 } else { y[0] });
    }
    if matches(units, "PM") {
        if y[0] >= 13.0 {
            return None;
        }
        return Some(if y[0] >= 12.0 { y[0] } else { y[0] + 12.0 });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_quotes_and_comments() {
        let mut t = Vec::new();
        let c = tokenize("  J1\t10 \"my node\" 5 ; a comment\r\n", &mut t);
        assert_eq!(t, ["J1", "10", "my node", "5"]);
        assert_eq!(c, " a comment");
        tokenize("\"unterminated id", &mut t);
        assert_eq!(t, ["unterminated id"]);
        tokenize(";only", &mut t);
        assert!(t.is_empty());
    }

    #[test]
    fn keyword_matching_is_a_case_blind_prefix() {
        assert!(matches("Duration", "DURA"));
        assert!(matches("timestep", "TIME"));
        assert!(!matches("DUR", "DURA"));
        assert!(!matches("x", ""));
        assert_eq!(find_match("pda", &["DDA", "PDA"]), Some(1));
    }

    #[test]
    fn times_in_every_form() {
        assert_eq!(hours("6", ""), Some(6.0));
        assert_eq!(hours("1:30", ""), Some(1.5));
        assert_eq!(hours("0:00:36", ""), Some(0.01));
        assert_eq!(hours("90", "MINUTES"), Some(1.5));
        assert_eq!(hours("2", "days"), Some(48.0));
        assert_eq!(hours("12", "AM"), Some(0.0));
        assert_eq!(hours("1:30", "PM"), Some(13.5));
        assert_eq!(hours("13", "PM"), None);
        assert_eq!(hours("1:xx", ""), None);
        assert_eq!(hours("5", "fortnights"), None);
        assert_eq!(hours("1:2:3:4", ""), None);
    }

    #[test]
    fn numbers() {
        assert_eq!(data_number("1e3", || "x".to_string()), Ok(1000.0));
        assert!(data_number("NaN", || "x".to_string()).is_err());
        assert!(data_number("2e9", || "x".to_string()).is_err());
        assert_eq!(setting_number("1e20", || "x".to_string()), Ok(1e20));
        assert!(setting_number("inf", || "x".to_string()).is_err());
        assert!(data_number("1e", || "x".to_string()).is_err());
    }
}
