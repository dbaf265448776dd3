//! Text as files hold it.

/// `text` without a leading UTF-8 byte-order mark, which spreadsheets and some editors
/// write at the start of CSV, JSON and text files and which no lifeline format gives a
/// meaning to.
pub fn without_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// `text` without a leading byte-order mark, owned.
pub fn into_without_bom(text: String) -> String {
    match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    }
}

/// `text` safe inside XML and SVG elements and attributes (`&`, `<`, `>`, `"` escaped).
pub fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::{into_without_bom, without_bom};

    #[test]
    fn only_a_leading_mark_goes() {
        assert_eq!(without_bom("\u{feff}id,start"), "id,start");
        assert_eq!(without_bom("id,\u{feff}start"), "id,\u{feff}start");
        assert_eq!(without_bom(""), "");
        assert_eq!(into_without_bom("\u{feff}[]".into()), "[]");
        assert_eq!(into_without_bom("[]".into()), "[]");
    }
}
