//! CSV fields as RFC 4180 writes them: quoted only when they hold a comma, a quote or a
//! line break, with quotes doubled.

use std::borrow::Cow;

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
    use super::field;

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
