//! The COPY text format's field codec, as PostgreSQL reads and writes it
//! (`copyfromparse.c`, `copyto.c`).
//!
//! Decoding: `\b \f \n \r \t \v \\`, octal `\NNN` (1-3 digits), hex `\xN`/`\xNN`,
//! and a backslash before any other byte means that byte. `\N` is NULL only
//! when it is the whole raw field; that check belongs to the caller, who sees
//! the raw field. Encoding writes what `COPY TO` writes, so a decoded value
//! re-encodes to the bytes pg_dump would have produced.

/// The raw field that means SQL NULL.
pub const NULL: &[u8] = b"\\N";

/// True when a raw field is NULL.
#[inline]
pub fn is_null(raw: &[u8]) -> bool {
    raw == NULL
}

/// Appends the value of raw field `raw` to `out`. Never fails: every byte
/// sequence is a valid COPY text field (PostgreSQL later rejects invalid
/// encodings; dumpshift checks UTF-8 where it interprets text).
pub fn decode_into(raw: &[u8], out: &mut Vec<u8>) {
    let mut i = 0;
    while i < raw.len() {
        let Some(n) = memchr::memchr(b'\\', &raw[i..]) else {
            out.extend_from_slice(&raw[i..]);
            return;
        };
        out.extend_from_slice(&raw[i..i + n]);
        i += n + 1;
        let Some(&c) = raw.get(i) else {
            // A trailing lone backslash: PostgreSQL keeps it as is.
            out.push(b'\\');
            return;
        };
        i += 1;
        match c {
            b'0'..=b'7' => {
                let mut v = u32::from(c - b'0');
                for _ in 0..2 {
                    match raw.get(i) {
                        Some(&d @ b'0'..=b'7') => {
                            v = v * 8 + u32::from(d - b'0');
                            i += 1;
                        }
                        _ => break,
                    }
                }
                out.push((v & 0xff) as u8);
            }
            b'x' => match raw.get(i).and_then(|&d| hex(d)) {
                Some(h) => {
                    i += 1;
                    let mut v = h;
                    if let Some(l) = raw.get(i).and_then(|&d| hex(d)) {
                        v = v * 16 + l;
                        i += 1;
                    }
                    out.push(v);
                }
                None => out.push(b'x'),
            },
            b'b' => out.push(0x08),
            b'f' => out.push(0x0c),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'v' => out.push(0x0b),
            other => out.push(other),
        }
    }
}

/// Decodes a raw field into a new vector; `None` for NULL.
pub fn decode(raw: &[u8]) -> Option<Vec<u8>> {
    if is_null(raw) {
        return None;
    }
    let mut out = Vec::with_capacity(raw.len());
    decode_into(raw, &mut out);
    Some(out)
}

fn hex(d: u8) -> Option<u8> {
    match d {
        b'0'..=b'9' => Some(d - b'0'),
        b'a'..=b'f' => Some(d - b'a' + 10),
        b'A'..=b'F' => Some(d - b'A' + 10),
        _ => None,
    }
}

/// Appends `value` to `out` as a COPY text field, escaped as `COPY TO` does.
pub fn encode_into(value: &[u8], out: &mut Vec<u8>) {
    let mut start = 0;
    for (i, &b) in value.iter().enumerate() {
        let esc = match b {
            b'\\' => b'\\',
            b'\n' => b'n',
            b'\r' => b'r',
            b'\t' => b't',
            0x08 => b'b',
            0x0c => b'f',
            0x0b => b'v',
            _ => continue,
        };
        out.extend_from_slice(&value[start..i]);
        out.push(b'\\');
        out.push(esc);
        start = i + 1;
    }
    out.extend_from_slice(&value[start..]);
}

/// Appends a field, `\N` for `None`.
pub fn encode_opt_into(value: Option<&[u8]>, out: &mut Vec<u8>) {
    match value {
        Some(v) => encode_into(v, out),
        None => out.extend_from_slice(NULL),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn dec(raw: &[u8]) -> Vec<u8> {
        let mut v = Vec::new();
        decode_into(raw, &mut v);
        v
    }

    #[test]
    fn every_named_escape() {
        assert_eq!(
            dec(br"a\bb\fc\nd\re\tf\vg\\h"),
            b"a\x08b\x0cc\nd\re\tf\x0bg\\h"
        );
    }

    #[test]
    fn octal_one_to_three_digits() {
        assert_eq!(dec(br"\0"), b"\0");
        assert_eq!(dec(br"\12x"), b"\nx");
        assert_eq!(dec(br"\101\1012"), b"AA2");
        // PostgreSQL keeps the low 8 bits of an out-of-range octal escape.
        assert_eq!(dec(br"\777"), b"\xff");
        assert_eq!(dec(br"\8"), b"8");
    }

    #[test]
    fn hex_one_or_two_digits() {
        assert_eq!(dec(br"\x41\x4a\xAz\x4"), b"AJ\nz\x04");
        assert_eq!(dec(br"\xg"), b"xg");
        assert_eq!(dec(br"\x"), b"x");
    }

    #[test]
    fn other_bytes_stand_for_themselves() {
        assert_eq!(dec(br"\.\a\'\N"), b".a'N");
        assert_eq!(dec("\\é".as_bytes()), "é".as_bytes());
    }

    #[test]
    fn trailing_backslash_is_kept() {
        assert_eq!(dec(b"ab\\"), b"ab\\");
    }

    #[test]
    fn null_only_as_whole_field() {
        assert_eq!(decode(br"\N"), None);
        assert_eq!(decode(br"\\N"), Some(br"\N".to_vec()));
        assert_eq!(decode(br"x\N"), Some(b"xN".to_vec()));
        assert_eq!(decode(b""), Some(Vec::new()));
    }

    #[test]
    fn encode_matches_copy_to() {
        let mut out = Vec::new();
        encode_into(b"a\tb\nc\rd\\e\x08\x0c\x0bf\0", &mut out);
        assert_eq!(
            out,
            br"a\tb\nc\rd\\e\b\f\vf"
                .iter()
                .copied()
                .chain([0u8])
                .collect::<Vec<_>>()
        );
        out.clear();
        encode_opt_into(None, &mut out);
        assert_eq!(out, b"\\N");
    }

    proptest! {
        #[test]
        fn decode_inverts_encode(v in proptest::collection::vec(any::<u8>(), 0..200)) {
            let mut enc = Vec::new();
            encode_into(&v, &mut enc);
            prop_assert!(!enc.contains(&b'\n') && !enc.contains(&b'\t') && !enc.contains(&b'\r'));
            prop_assert_eq!(dec(&enc), v);
        }

        #[test]
        fn decode_never_panics(v in proptest::collection::vec(any::<u8>(), 0..200)) {
            let out = dec(&v);
            prop_assert!(out.len() <= v.len() + 1);
        }
    }
}
