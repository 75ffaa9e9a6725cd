//! A field's value as a message shows it: decoded from COPY's escapes and
//! quoted once, so a title `\.` reads `"\\."` (the quoting's escape only,
//! never COPY's on top of it), NULL reads `NULL`, and a long value is cut.

use super::codec;

/// How many characters of a value a message shows.
const SHOWN: usize = 60;

/// `raw`, a COPY-encoded field, as a message shows it.
pub fn value(raw: &[u8]) -> String {
    let Some(decoded) = codec::decode(raw) else {
        return "NULL".to_string();
    };
    let text = String::from_utf8_lossy(&decoded);
    match text.char_indices().nth(SHOWN) {
        Some((cut, _)) => format!("{:?}…", &text[..cut]),
        None => format!("{text:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_decoded_then_quoted_once() {
        assert_eq!(value(b"\\N"), "NULL");
        assert_eq!(value(b"\\\\."), r#""\\.""#);
        assert_eq!(value(b"a\\tb"), r#""a\tb""#);
        assert_eq!(value(b"maybe"), r#""maybe""#);
        assert_eq!(
            value("é".repeat(70).as_bytes()),
            format!("{:?}…", "é".repeat(60))
        );
    }
}
