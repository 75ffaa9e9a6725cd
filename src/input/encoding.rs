//! The dump's client encoding. pg_dump writes `SET client_encoding = '...'`
//! in its header; every byte after it is in that encoding. dumpshift works in
//! UTF-8: LATIN1 and WIN1252 dumps are transcoded up front (every byte maps
//! to one character, and newlines stay where they were, so line numbers in
//! messages stay true); SQL_ASCII is taken only when it is valid UTF-8; any
//! other encoding is refused rather than risk writing mis-encoded text.

use std::borrow::Cow;

use crate::dump::split::find_ci;
use crate::error::DataError;

/// How far into the file pg_dump's header reaches.
const HEADER: usize = 64 * 1024;

/// What to do with a dump's bytes before reading it.
#[derive(Debug, PartialEq, Eq)]
pub enum Plan {
    /// Already UTF-8 (or says nothing, which pg_dump never does).
    AsIs,
    /// Transcode from this single-byte encoding.
    Transcode(&'static str),
    /// Refuse, with the message and the offset of the `SET` statement.
    Refuse(String, usize),
}

/// The value of the first `SET client_encoding` in the header and its offset.
pub fn declared(data: &[u8]) -> Option<(String, usize)> {
    let head = &data[..data.len().min(HEADER)];
    let at = find_ci(head, b"set client_encoding")?;
    let line_end = memchr::memchr(b'\n', &head[at..]).map_or(head.len(), |n| at + n);
    let line = String::from_utf8_lossy(&head[at..line_end]);
    let value = line
        .split_once('=')
        .or_else(|| line.split_once(" TO ").or_else(|| line.split_once(" to ")))?
        .1;
    let value = value.trim().trim_end_matches(';').trim().trim_matches('\'');
    Some((value.to_string(), at))
}

pub fn plan(data: &[u8]) -> Plan {
    if let Some(why) = not_lines_of_text(data) {
        return Plan::Refuse(why.into(), 0);
    }
    let Some((enc, at)) = declared(data) else {
        return Plan::AsIs;
    };
    match enc.to_ascii_uppercase().replace(['-', '_'], "").as_str() {
        "UTF8" | "UNICODE" => Plan::AsIs,
        "LATIN1" | "ISO88591" => Plan::Transcode("LATIN1"),
        "WIN1252" | "WINDOWS1252" => Plan::Transcode("WIN1252"),
        "SQLASCII" if std::str::from_utf8(data).is_ok() => Plan::AsIs,
        _ => Plan::Refuse(
            format!("the dump was written with client_encoding {enc}, which dumpshift does not transcode: re-run pg_dump with --encoding=UTF8"),
            at,
        ),
    }
}

/// Files that are no lines of 8-bit text, told by their start: UTF-16
/// (PowerShell's `>` writes it, with a byte order mark), or lines ended by
/// a carriage return alone (old Mac files), which psql reads as one line.
fn not_lines_of_text(data: &[u8]) -> Option<&'static str> {
    let head = &data[..data.len().min(HEADER)];
    if head.starts_with(&[0xff, 0xfe]) || head.starts_with(&[0xfe, 0xff]) {
        return Some("the dump is UTF-16 (it starts with a UTF-16 byte order mark, as PowerShell's > writes files): convert it to UTF-8, e.g. iconv -f UTF-16 -t UTF-8, or redirect pg_dump's output with -f FILE");
    }
    if head.len() >= 2
        && head[..head.len().min(64)]
            .iter()
            .skip(1)
            .step_by(2)
            .all(|&b| b == 0)
    {
        return Some("the dump is UTF-16 (every other byte of its start is NUL): convert it to UTF-8, e.g. iconv -f UTF-16LE -t UTF-8");
    }
    if !head.contains(&b'\n') && head.contains(&b'\r') {
        return Some("the dump's lines end in a carriage return alone (old Mac line endings), which psql does not read as line ends: convert them to LF");
    }
    None
}

/// The dump as UTF-8: borrowed when it already is, transcoded when its
/// header names LATIN1 or WIN1252 (that name comes back too), refused
/// otherwise, at the byte that does not fit or at the `SET` statement.
pub fn utf8_text(raw: &[u8]) -> Result<(Cow<'_, [u8]>, Option<&'static str>), DataError> {
    match plan(raw) {
        Plan::AsIs => Ok((Cow::Borrowed(raw), None)),
        Plan::Transcode(from) => match to_utf8(raw, from) {
            Ok(text) => Ok((Cow::Owned(text), Some(from))),
            Err(at) => Err(DataError::new(format!(
                "byte 0x{:02x} is not a {from} character",
                raw[at]
            ))
            .at(at)),
        },
        Plan::Refuse(m, at) => Err(DataError::new(m).at(at)),
    }
}

/// Refuses any dump that is not UTF-8 already; for callers that hand over
/// bytes without transcoding them first.
pub fn require_utf8(data: &[u8]) -> Result<(), DataError> {
    match plan(data) {
        Plan::AsIs => Ok(()),
        Plan::Transcode(from) => Err(DataError::new(format!(
            "the dump is in {from}: transcode it to UTF-8 first"
        ))),
        Plan::Refuse(m, at) => Err(DataError::new(m).at(at)),
    }
}

/// WIN1252's characters for 0x80..=0x9F (`None` where it defines none).
const WIN1252_HIGH: [Option<char>; 32] = [
    Some('€'),
    None,
    Some('‚'),
    Some('ƒ'),
    Some('„'),
    Some('…'),
    Some('†'),
    Some('‡'),
    Some('ˆ'),
    Some('‰'),
    Some('Š'),
    Some('‹'),
    Some('Œ'),
    None,
    Some('Ž'),
    None,
    None,
    Some('‘'),
    Some('’'),
    Some('“'),
    Some('”'),
    Some('•'),
    Some('–'),
    Some('—'),
    Some('˜'),
    Some('™'),
    Some('š'),
    Some('›'),
    Some('œ'),
    None,
    Some('ž'),
    Some('Ÿ'),
];

/// Transcodes `data` to UTF-8. The `SET client_encoding` line is rewritten to
/// UTF8 so the text says what it is. Fails at the first byte WIN1252 leaves
/// undefined, with its offset.
pub fn to_utf8(data: &[u8], from: &str) -> Result<Vec<u8>, usize> {
    let mut out = String::with_capacity(data.len() + data.len() / 8);
    for (i, &b) in data.iter().enumerate() {
        let c = match (from, b) {
            ("WIN1252", 0x80..=0x9f) => WIN1252_HIGH[usize::from(b - 0x80)].ok_or(i)?,
            _ => char::from(b),
        };
        out.push(c);
    }
    let mut bytes = out.into_bytes();
    relabel(&mut bytes, from);
    Ok(bytes)
}

/// Rewrites `SET client_encoding = 'FROM';` to `'UTF8'` in the header.
fn relabel(bytes: &mut Vec<u8>, from: &str) {
    let head = bytes.len().min(HEADER);
    let Some(at) = find_ci(&bytes[..head], b"set client_encoding") else {
        return;
    };
    let Some(q) = find_ci(&bytes[at..head], from.as_bytes()).map(|n| at + n) else {
        return;
    };
    bytes.splice(q..q + from.len(), b"UTF8".iter().copied());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_encodings() {
        assert_eq!(plan(b"--\nSET client_encoding = 'UTF8';\n"), Plan::AsIs);
        assert_eq!(
            plan(b"SET client_encoding = 'LATIN1';\n"),
            Plan::Transcode("LATIN1")
        );
        assert_eq!(
            plan(b"SET client_encoding TO 'win1252';\n"),
            Plan::Transcode("WIN1252")
        );
        assert_eq!(plan(b"SET client_encoding = 'SQL_ASCII';\nok"), Plan::AsIs);
        assert!(matches!(
            plan(b"SET client_encoding = 'SQL_ASCII';\n\xff"),
            Plan::Refuse(..)
        ));
        assert!(
            matches!(plan(b"SET client_encoding = 'EUC_JP';\n"), Plan::Refuse(m, 0) if m.contains("EUC_JP"))
        );
        assert_eq!(plan(b"SELECT 1;"), Plan::AsIs);
    }

    #[test]
    fn latin1_and_win1252_become_utf8_keeping_lines() {
        let src = b"SET client_encoding = 'LATIN1';\ncaf\xe9\n\xabna\xefve\xbb\n";
        let out = to_utf8(src, "LATIN1").unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "SET client_encoding = 'UTF8';\ncafé\n«naïve»\n"
        );
        let out = to_utf8(b"\x80 \x93q\x94", "WIN1252").unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "€ “q”");
        assert_eq!(to_utf8(b"ok\x81", "WIN1252"), Err(2));
        // LATIN1 maps 0x80..0x9F to the C1 controls, as PostgreSQL does.
        assert_eq!(to_utf8(b"\x85", "LATIN1").unwrap(), "\u{85}".as_bytes());
    }
}
