//! CSV fields as RFC 4180 writes them: quoted only when they hold a comma, a quote or a
//! line break, with quotes doubled; and free text made safe for spreadsheets.

use std::borrow::Cow;

/// What spreadsheets read as the start of a formula (OWASP's list): `=`, `+`, `-`, `@`,
/// a tab or a carriage return.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Free text from outside (a record's notes, a source's quote) as a CSV field that a
/// spreadsheet shows as text and never runs: a value starting like a formula gets an
/// apostrophe in front (`=HYPERLINK(…)` → `'=HYPERLINK(…)`), as does one that already
/// starts with an apostrophe before such a character, so [`formula_unsafe`] gives every
/// value back exactly.
pub fn formula_safe(text: &str) -> Cow<'_, str> {
    let mut chars = text.chars();
    let escape = match chars.next() {
        Some(c) if FORMULA_STARTS.contains(&c) => true,
        Some('\'') => chars
            .next()
            .is_some_and(|c| c == '\'' || FORMULA_STARTS.contains(&c)),
        _ => false,
    };
    if escape {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// A field read back: the apostrophe [`formula_safe`] put in front removed.
pub fn formula_unsafe(text: &str) -> &str {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some('\''), Some(c)) if c == '\'' || FORMULA_STARTS.contains(&c) => &text[1..],
        _ => text,
    }
}

/// `text` as one CSV field.
pub fn field(text: &str) -> Cow<'_, str> {
    if text.contains([',', '"', '\n', '\r']) {
        Cow::Owned(format!("\"{}\"", text.replace('"', "\"\"")))
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::{field, formula_safe, formula_unsafe};

    #[test]
    fn formulas_are_text_and_come_back_exactly() {
        assert_eq!(formula_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(formula_safe("+1"), "'+1");
        assert_eq!(formula_safe("-2"), "'-2");
        assert_eq!(formula_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(formula_safe("\tx"), "'\tx");
        assert_eq!(formula_safe("Kharkiv"), "Kharkiv");
        assert_eq!(formula_safe("'quoted'"), "'quoted'");
        assert_eq!(formula_safe(""), "");
        for value in [
            "=1+1", "'=1+1", "''=x", "'", "''", "'a", "-", "plain", "", "\r=", "'\t",
        ] {
            assert_eq!(formula_unsafe(&formula_safe(value)), value, "{value:?}");
        }
    }

    #[test]
    fn only_fields_that_need_it_are_quoted() {
        assert_eq!(field("bus:12"), "bus:12");
        assert_eq!(field(""), "");
        assert_eq!(
            field("Glen Lyn V1, substation 12 (Centre)"),
            "\"Glen Lyn V1, substation 12 (Centre)\""
        );
        assert_eq!(field("the \"East\" lift"), "\"the \"\"East\"\" lift\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
        assert_eq!(field("cr\rlf"), "\"cr\rlf\"");
    }
}
