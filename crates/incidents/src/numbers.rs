//! Numbers in text: digits or words ("five", "twenty-one", "a dozen"), with the
//! qualifier that comes before them ("approximately 15", "at least five", "all 31").

/// How a number is qualified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Qualifier {
    /// Stated as is.
    Exact,
    /// "about", "approximately", "around", "some", "nearly".
    About,
    /// "at least", "more than", "over".
    AtLeast,
    /// "up to", "at most".
    AtMost,
    /// "all".
    All,
}

/// A number found in text.
#[derive(Debug, Clone, PartialEq)]
pub struct Number {
    /// The value.
    pub value: u32,
    /// Its qualifier.
    pub qualifier: Qualifier,
    /// Byte range of the number (without the qualifier).
    pub at: std::ops::Range<usize>,
}

const UNITS: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const TENS: [&str; 10] = [
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

/// The value of one number word or hyphenated pair ("forty-two").
pub fn word_value(word: &str) -> Option<u32> {
    let w = word.to_lowercase();
    if let Some(i) = UNITS.iter().position(|u| *u == w) {
        return Some(i as u32);
    }
    if let Some(i) = TENS.iter().position(|t| !t.is_empty() && *t == w) {
        return Some(10 * i as u32);
    }
    if w == "dozen" {
        return Some(12);
    }
    if w == "hundred" {
        return Some(100);
    }
    let (tens, unit) = w.split_once('-')?;
    let t = TENS.iter().position(|x| !x.is_empty() && *x == tens)? as u32;
    let u = UNITS[1..10].iter().position(|x| *x == unit)? as u32 + 1;
    Some(10 * t + u)
}

fn qualifier_before(text: &str, at: usize) -> Qualifier {
    let before = text[..at].to_lowercase();
    let before = before.trim_end();
    for (phrase, q) in [
        ("approximately", Qualifier::About),
        ("about", Qualifier::About),
        ("around", Qualifier::About),
        ("nearly", Qualifier::About),
        ("some", Qualifier::About),
        ("roughly", Qualifier::About),
        ("at least", Qualifier::AtLeast),
        ("more than", Qualifier::AtLeast),
        ("over", Qualifier::AtLeast),
        ("up to", Qualifier::AtMost),
        ("at most", Qualifier::AtMost),
        ("all", Qualifier::All),
        ("all of the", Qualifier::All),
        ("all the", Qualifier::All),
        ("every one of the", Qualifier::All),
        ("each of the", Qualifier::All),
    ] {
        if before.ends_with(phrase)
            && before[..before.len() - phrase.len()]
                .chars()
                .last()
                .is_none_or(|c| !c.is_alphanumeric())
        {
            return q;
        }
    }
    Qualifier::Exact
}

/// Every number in `text`, in order. A 4-digit number from 1900 to 2100 and numbers
/// glued to letters ("42-year-old" counts as a number; "Su-34" does not) are told apart
/// by the caller; here "a dozen" is 12 and "a"/"an" alone are not numbers.
pub fn find(text: &str) -> Vec<Number> {
    let mut out = Vec::new();
    let mut i = 0;
    let bytes = text.as_bytes();
    while i < text.len() {
        let c = text[i..].chars().next().unwrap_or(' ');
        if c.is_ascii_digit() {
            let start = i;
            while i < text.len()
                && (bytes[i].is_ascii_digit()
                    || (bytes[i] == b',' && i + 1 < text.len() && bytes[i + 1].is_ascii_digit()))
            {
                i += 1;
            }
            let glued = text[..start]
                .chars()
                .last()
                .is_some_and(|p| p.is_alphabetic() || p == '-' || p == '/');
            if let (false, Ok(value)) = (glued, text[start..i].replace(',', "").parse::<u32>()) {
                out.push(Number {
                    value,
                    qualifier: qualifier_before(text, start),
                    at: start..i,
                });
            }
            continue;
        }
        if c.is_alphabetic() {
            let start = i;
            while i < text.len() {
                let d = text[i..].chars().next().unwrap_or(' ');
                if d.is_alphabetic() || d == '-' {
                    i += d.len_utf8();
                } else {
                    break;
                }
            }
            let word = &text[start..i];
            let word = word.split("-year").next().unwrap_or(word);
            // "both Kh-59/69 missiles": all two.
            if word.eq_ignore_ascii_case("both") {
                out.push(Number {
                    value: 2,
                    qualifier: Qualifier::All,
                    at: start..i,
                });
                continue;
            }
            if let Some(value) = word_value(word) {
                out.push(Number {
                    value,
                    qualifier: qualifier_before(text, start),
                    at: start..start + word.len(),
                });
            }
            continue;
        }
        i += c.len_utf8();
    }
    // "four dozen shells" is 48, "two hundred drones" 200: a multiplier right after a
    // number is one number with it.
    let mut merged: Vec<Number> = Vec::with_capacity(out.len());
    for n in out {
        let word = &text[n.at.clone()];
        let multiplier = word.eq_ignore_ascii_case("dozen") || word.eq_ignore_ascii_case("hundred");
        match merged.last_mut() {
            Some(last)
                if multiplier && last.value < 100 && text[last.at.end..n.at.start] == *" " =>
            {
                last.value *= n.value;
                last.at.end = n.at.end;
            }
            _ => merged.push(n),
        }
    }
    merged
}
