//! String-like constants of a VALUES list, decoded straight into COPY text:
//! `'...'`, `E'...'`, `$tag$...$tag$` and the bit strings `B'...'`/`X'...'`.
//!
//! Each is read as PostgreSQL's lexer (`scan.l`) reads it, and its value is
//! re-encoded with the COPY codec in the same pass, run by run between the
//! bytes that matter (found with memchr): nothing is copied twice and
//! nothing is allocated.

use crate::copy::codec::encode_into;
use crate::dump::lex::{self, line_end};
use crate::error::DataError;

const UNTERMINATED: &str = "string literal is not terminated (the statement is truncated)";

/// Decodes the quoted string whose opening quote is at `open` and returns
/// the position after its closing quote. With `escapes` (an `E''` string, or
/// any string when standard_conforming_strings is off) a backslash starts an
/// escape; `''` is a quote either way.
pub(super) fn quoted(
    s: &[u8],
    open: usize,
    escapes: bool,
    buf: &mut Vec<u8>,
) -> Result<usize, DataError> {
    let start = buf.len();
    // Escapes can make bytes that raw text cannot: PostgreSQL then checks
    // the whole value's encoding, and so does this.
    let mut verify = false;
    let mut i = open + 1;
    loop {
        let rest = s.get(i..).unwrap_or_default();
        let hit = if escapes {
            memchr::memchr2(b'\'', b'\\', rest)
        } else {
            memchr::memchr(b'\'', rest)
        };
        let Some(n) = hit else {
            return Err(DataError::new(UNTERMINATED).at(open));
        };
        encode_into(&rest[..n], buf);
        i += n;
        if rest[n] == b'\\' {
            i = escape(s, i, open, buf, &mut verify)?;
        } else if s.get(i + 1) == Some(&b'\'') {
            buf.push(b'\'');
            i += 2;
        } else if let Some(q) = continuation(s, i + 1) {
            i = q + 1;
        } else {
            if verify {
                check_encoding(&buf[start..], open)?;
            }
            return Ok(i + 1);
        }
    }
}

/// Decodes the escape whose backslash is at `i`; returns the position after it.
fn escape(
    s: &[u8],
    i: usize,
    open: usize,
    buf: &mut Vec<u8>,
    verify: &mut bool,
) -> Result<usize, DataError> {
    let Some(&c) = s.get(i + 1) else {
        return Err(DataError::new(UNTERMINATED).at(open));
    };
    let (byte, next) = match c {
        b'0'..=b'7' => {
            let (v, next) = digits(s, i + 1, 3, 8);
            // PostgreSQL keeps the low 8 bits of `\777`.
            ((v & 0xff) as u8, next)
        }
        b'x' if s.get(i + 2).is_some_and(u8::is_ascii_hexdigit) => {
            let (v, next) = digits(s, i + 2, 2, 16);
            (v as u8, next)
        }
        b'u' | b'U' => return unicode(s, i, buf),
        b'b' => (0x08, i + 2),
        b'f' => (0x0c, i + 2),
        b'n' => (b'\n', i + 2),
        b'r' => (b'\r', i + 2),
        b't' => (b'\t', i + 2),
        // Any other byte stands for itself: `\\`, `\'`, `\v` (not an escape
        // in PostgreSQL), or the lead byte of a UTF-8 character.
        other => (other, i + 2),
    };
    if byte == 0 || byte >= 0x80 {
        *verify = true;
    }
    encode_into(&[byte], buf);
    Ok(next)
}

/// Reads up to `max` digits of `radix` starting at `i`.
fn digits(s: &[u8], mut i: usize, max: usize, radix: u32) -> (u32, usize) {
    let mut v = 0u32;
    for _ in 0..max {
        match s.get(i).and_then(|&d| char::from(d).to_digit(radix)) {
            Some(d) => {
                v = v * radix + d;
                i += 1;
            }
            None => break,
        }
    }
    (v, i)
}

/// `\uXXXX` or `\UXXXXXXXX` at `i`, a UTF-16 surrogate pair written as two
/// of them joined into one character, as PostgreSQL does.
fn unicode(s: &[u8], i: usize, buf: &mut Vec<u8>) -> Result<usize, DataError> {
    let (first, next) = code_point(s, i)?;
    let (cp, next) = match first {
        0xD800..=0xDBFF => match code_point(s, next) {
            Ok((low @ 0xDC00..=0xDFFF, after)) => {
                (0x10000 + ((first - 0xD800) << 10) + (low - 0xDC00), after)
            }
            _ => return Err(DataError::new("invalid Unicode surrogate pair").at(i)),
        },
        0xDC00..=0xDFFF => return Err(DataError::new("invalid Unicode surrogate pair").at(i)),
        _ => (first, next),
    };
    let Some(ch) = char::from_u32(cp).filter(|&c| c != '\0') else {
        return Err(DataError::new("invalid Unicode escape value").at(i));
    };
    let mut utf8 = [0u8; 4];
    encode_into(ch.encode_utf8(&mut utf8).as_bytes(), buf);
    Ok(next)
}

fn code_point(s: &[u8], i: usize) -> Result<(u32, usize), DataError> {
    let width = match s.get(i..i + 2) {
        Some(b"\\u") => 4,
        Some(b"\\U") => 8,
        _ => return Err(DataError::new("invalid Unicode surrogate pair").at(i)),
    };
    let (v, next) = digits(s, i + 2, width, 16);
    if next != i + 2 + width {
        return Err(DataError::new("invalid Unicode escape: write \\uXXXX or \\UXXXXXXXX").at(i));
    }
    Ok((v, next))
}

fn check_encoding(value: &[u8], open: usize) -> Result<(), DataError> {
    // COPY escaping only rewrites ASCII bytes, so the encoded field is valid
    // UTF-8 exactly when the value is.
    if value.contains(&0) {
        return Err(DataError::new("string literal holds a NUL byte").at(open));
    }
    if std::str::from_utf8(value).is_err() {
        return Err(DataError::new("string literal's escapes make invalid UTF-8").at(open));
    }
    Ok(())
}

/// SQL's string continuation: `'a'` and `'b'` separated by whitespace that
/// holds a newline are one string. Returns the second string's quote.
fn continuation(s: &[u8], mut j: usize) -> Option<usize> {
    let mut newline = false;
    loop {
        match s.get(j)? {
            b'\n' | b'\r' => {
                newline = true;
                j += 1;
            }
            &b if lex::is_space(b) => j += 1,
            b'-' if s.get(j + 1) == Some(&b'-') => j = line_end(s, j),
            b'\'' if newline => return Some(j),
            _ => return None,
        }
    }
}

/// A `$tag$...$tag$` string: its body is the value, byte for byte.
pub(super) fn dollar(s: &[u8], open: usize, buf: &mut Vec<u8>) -> Result<usize, DataError> {
    let Some(tag_end) = lex::dollar_tag_end(s, open) else {
        return Err(DataError::new("unexpected `$` where a value should be").at(open));
    };
    let (body, end) = lex::dollar_body(s, open, tag_end)
        .map_err(|u| DataError::new("dollar-quoted string is not terminated").at(u.open))?;
    encode_into(&s[body], buf);
    Ok(end)
}

/// `B'0101'` or `X'1F'` (`hex`), whose quote is at `open`. The field is the
/// bits as `COPY TO` writes a bit string: binary digits, `X'1F'` as
/// `00011111`.
pub(super) fn bits(
    s: &[u8],
    open: usize,
    hex: bool,
    buf: &mut Vec<u8>,
) -> Result<usize, DataError> {
    let mut i = open + 1;
    loop {
        let Some(n) = s.get(i..).and_then(|r| memchr::memchr(b'\'', r)) else {
            return Err(DataError::new(UNTERMINATED).at(open));
        };
        for (k, &d) in s[i..i + n].iter().enumerate() {
            let ok = match (hex, d) {
                (true, _) => push_nibble(d, buf),
                (false, b'0' | b'1') => {
                    buf.push(d);
                    true
                }
                (false, _) => false,
            };
            if !ok {
                let what = if hex { "a hexadecimal" } else { "a binary" };
                return Err(DataError::new(format!(
                    "bit string holds a byte that is not {what} digit"
                ))
                .at(i + k));
            }
        }
        i += n;
        match continuation(s, i + 1) {
            Some(q) => i = q + 1,
            None => return Ok(i + 1),
        }
    }
}

fn push_nibble(d: u8, buf: &mut Vec<u8>) -> bool {
    let Some(v) = char::from(d).to_digit(16) else {
        return false;
    };
    for shift in [3, 2, 1, 0] {
        buf.push(if v >> shift & 1 == 1 { b'1' } else { b'0' });
    }
    true
}
