//! Properties: any text written as a pg_dump literal lexes to what COPY
//! would write for it, and no input makes the lexer panic.

use proptest::prelude::*;

use super::*;
use crate::copy::codec::encode_into;

/// The COPY field for `v`.
fn copy_field(v: &str) -> Vec<u8> {
    let mut out = Vec::new();
    encode_into(v.as_bytes(), &mut out);
    out
}

/// `v` as pg_dump's appendStringLiteral writes it with
/// standard_conforming_strings on: quotes doubled, all else raw.
fn standard_literal(v: &str) -> String {
    format!("'{}'", v.replace('\'', "''"))
}

/// `v` with backslash escapes, each character in the style its `u8` picks.
fn escaped_body(v: &[(char, u8)]) -> String {
    let mut out = String::new();
    for &(c, style) in v {
        let mut utf8 = [0u8; 4];
        let bytes = c.encode_utf8(&mut utf8).as_bytes();
        let named = match c {
            '\u{8}' => Some('b'),
            '\u{c}' => Some('f'),
            '\n' => Some('n'),
            '\r' => Some('r'),
            '\t' => Some('t'),
            _ => None,
        };
        match (style % 6, named) {
            (1, Some(n)) => {
                out.push('\\');
                out.push(n);
            }
            (2, _) => bytes
                .iter()
                .for_each(|b| out.push_str(&format!("\\{b:03o}"))),
            (3, _) => bytes
                .iter()
                .for_each(|b| out.push_str(&format!("\\x{b:02x}"))),
            (4, _) if u32::from(c) > 0xffff && style > 100 => {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{u:04X}"));
                }
            }
            (4, _) if u32::from(c) <= 0xffff => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            (4, _) => out.push_str(&format!("\\U{:08X}", u32::from(c))),
            // A backslash before a byte that starts no escape stands for it.
            (5, _) if !"bfnrtxuU01234567".contains(c) => {
                out.push('\\');
                out.push(c);
            }
            _ if c == '\'' => out.push_str(if style % 2 == 0 { "''" } else { "\\'" }),
            _ if c == '\\' => out.push_str("\\\\"),
            _ => out.push(c),
        }
    }
    out
}

fn text() -> impl Strategy<Value = String> {
    any::<String>().prop_map(|s| s.replace('\0', ""))
}

fn styled() -> impl Strategy<Value = Vec<(char, u8)>> {
    proptest::collection::vec(
        (
            any::<char>().prop_filter("no NUL", |&c| c != '\0'),
            any::<u8>(),
        ),
        0..48,
    )
}

/// Lexes `stmt` to the end or the first error, checking the invariants of
/// every tuple it yields. Never more than `stmt.len()` tuples: each takes
/// at least `()`.
fn drain(stmt: &[u8], values_at: usize, std_strings: bool) {
    let mut t = Tuples::new(stmt, values_at, std_strings);
    let (mut buf, mut ranges) = (Vec::new(), Vec::new());
    for _ in 0..=stmt.len() {
        match t.next_tuple(&mut buf, &mut ranges) {
            Ok(Some(at)) => {
                assert_eq!(stmt[at], b'(');
                let mut end = 0;
                for r in &ranges {
                    assert_eq!(r.start, end);
                    end = r.end;
                }
                assert_eq!(end, buf.len());
            }
            Ok(None) => return,
            Err(e) => {
                assert!(e.byte().is_some_and(|b| b <= stmt.len()));
                return;
            }
        }
    }
    panic!("more tuples than bytes");
}

/// Token soup: the pieces that drive the lexer's states, in any order.
fn soup() -> impl Strategy<Value = Vec<u8>> {
    let pieces: Vec<&'static [u8]> = vec![
        b"'",
        b"''",
        b"E'",
        b"\\",
        b"\\u",
        b"\\x",
        b"\\0",
        b"(",
        b")",
        b",",
        b";",
        b"--",
        b"\n",
        b"/*",
        b"*/",
        b"::",
        b"[",
        b"]",
        b"$$",
        b"$a$",
        b"\"",
        b"B'",
        b"X'",
        b"U&'",
        b"NULL",
        b"true",
        b"values",
        b"VALUES",
        b"on conflict do nothing",
        b"1",
        b"-",
        b".",
        b"e",
        b"D83D",
        b" ",
        b"\xff",
        "é".as_bytes(),
        b"\0",
    ];
    proptest::collection::vec(proptest::sample::select(pieces), 0..40).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn standard_literals_round_trip(v in text(), w in text()) {
        let stmt = format!("INSERT INTO t VALUES ({}, {}),\n\t({});", standard_literal(&v), standard_literal(&w), standard_literal(&w));
        let rows = lex_stmt(stmt.as_bytes(), true).unwrap();
        prop_assert_eq!(rows, vec![vec![copy_field(&v), copy_field(&w)], vec![copy_field(&w)]]);
    }

    #[test]
    fn e_literals_round_trip(v in styled()) {
        let text: String = v.iter().map(|&(c, _)| c).collect();
        let body = escaped_body(&v);
        let stmt = format!("INSERT INTO t VALUES (E'{body}', e'{body}'::text);");
        let rows = lex_stmt(stmt.as_bytes(), true).unwrap();
        prop_assert_eq!(rows, vec![vec![copy_field(&text), copy_field(&text)]]);
    }

    #[test]
    fn escaped_plain_literals_round_trip_without_standard_strings(v in styled()) {
        let text: String = v.iter().map(|&(c, _)| c).collect();
        let stmt = format!("INSERT INTO t VALUES ('{}');", escaped_body(&v));
        let rows = lex_stmt(stmt.as_bytes(), false).unwrap();
        prop_assert_eq!(rows, vec![vec![copy_field(&text)]]);
    }

    #[test]
    fn arbitrary_values_never_panic(tail in proptest::collection::vec(any::<u8>(), 0..200), std_strings: bool) {
        let mut stmt = b"INSERT INTO t VALUES ".to_vec();
        stmt.extend_from_slice(&tail);
        drain(&stmt, 21, std_strings);
        let _ = parse_header(&stmt);
    }

    #[test]
    fn token_soup_never_panics(body in soup(), std_strings: bool, at in 0usize..64) {
        let mut stmt = b"INSERT INTO t ".to_vec();
        stmt.extend_from_slice(&body);
        if let Ok(h) = parse_header(&stmt) {
            prop_assert_eq!(stmt[h.values_at], b'(');
            drain(&stmt, h.values_at, std_strings);
        }
        drain(&body, at, std_strings);
        drain(&body, 0, std_strings);
    }
}
