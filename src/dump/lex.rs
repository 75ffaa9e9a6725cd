//! The SQL lexemes both readers of the dump share: identifiers, quoted
//! identifiers, whitespace and comments, string literals and dollar quotes.
//! The statement splitter (`split`) uses them to find where statements end;
//! the INSERT reader (`insert`) to walk a statement's header and tuples. One
//! definition, so the two never disagree on where a lexeme ends.
//!
//! Whitespace is PostgreSQL's lexer set (`scan.l` and psql's `psqlscan.l`
//! since PostgreSQL 17): space, `\t`, `\n`, `\r`, `\f` and `\v`. Older
//! servers reject a `\v` outside a literal as a syntax error, so taking it
//! for whitespace never reads a statement they would run differently.
//! Comments are `--` to the end of the line and `/* */`, which nests.
//! Each function takes the whole text and a start index and returns the
//! index after the lexeme; nothing allocates.

use std::fmt;
use std::ops::Range;

use memchr::memmem;

use crate::error::DataError;

/// `[ \t\n\r\f\v]`: what PostgreSQL's lexer skips between tokens.
pub const fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0b' | b'\x0c')
}

/// A byte that can start an unquoted identifier or keyword (every byte of a
/// multi-byte character counts, as in `scan.l`'s `ident_start`).
pub const fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

/// A byte that can continue an unquoted identifier (`ident_cont`).
pub const fn is_ident_byte(b: u8) -> bool {
    is_ident_start(b) || b.is_ascii_digit() || b == b'$'
}

/// The end of the identifier (or number) whose bytes start at `i`.
pub fn skip_ident(s: &[u8], mut i: usize) -> usize {
    while i < s.len() && is_ident_byte(s[i]) {
        i += 1;
    }
    i
}

/// The position of the `\n` ending the line that holds `i`, or `s.len()`.
pub fn line_end(s: &[u8], i: usize) -> usize {
    s.get(i..)
        .and_then(|r| memchr::memchr(b'\n', r))
        .map_or(s.len(), |n| i + n)
}

/// Which lexeme the text ended inside.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lexeme {
    String,
    QuotedIdent,
    DollarBody,
    Comment,
}

impl fmt::Display for Lexeme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Lexeme::String => "string literal",
            Lexeme::QuotedIdent => "quoted identifier",
            Lexeme::DollarBody => "dollar-quoted body",
            Lexeme::Comment => "comment",
        })
    }
}

/// The text ends inside a lexeme that opens at `open`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unterminated {
    pub lexeme: Lexeme,
    pub open: usize,
}

impl From<Unterminated> for DataError {
    fn from(u: Unterminated) -> DataError {
        DataError::new(format!(
            "{} is not terminated (the dump is truncated)",
            u.lexeme
        ))
        .at(u.open)
    }
}

/// Skips whitespace and comments; returns the first byte of a token or
/// `s.len()`.
pub fn skip_trivia(s: &[u8], mut i: usize) -> Result<usize, Unterminated> {
    while i < s.len() {
        match s[i] {
            b if is_space(b) => i += 1,
            b'-' if s.get(i + 1) == Some(&b'-') => i = line_end(s, i),
            b'/' if s.get(i + 1) == Some(&b'*') => i = skip_block_comment(s, i)?,
            _ => return Ok(i),
        }
    }
    Ok(i)
}

/// Skips a `/* */` comment, which nests in PostgreSQL.
pub fn skip_block_comment(s: &[u8], open: usize) -> Result<usize, Unterminated> {
    let mut depth = 0usize;
    let mut i = open;
    while i + 1 < s.len() {
        match (s[i], s[i + 1]) {
            (b'/', b'*') => {
                depth += 1;
                i += 2;
            }
            (b'*', b'/') => {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    return Ok(i);
                }
            }
            _ => i += 1,
        }
    }
    Err(Unterminated {
        lexeme: Lexeme::Comment,
        open,
    })
}

/// Skips `"..."` starting at the quote; `""` is a quote inside it.
pub fn skip_quoted_ident(s: &[u8], open: usize) -> Result<usize, Unterminated> {
    let mut i = open + 1;
    loop {
        let Some(n) = s.get(i..).and_then(|r| memchr::memchr(b'"', r)) else {
            return Err(Unterminated {
                lexeme: Lexeme::QuotedIdent,
                open,
            });
        };
        i += n + 1;
        if s.get(i) != Some(&b'"') {
            return Ok(i);
        }
        i += 1;
    }
}

/// Skips `'...'` starting at the quote. With `escapes`, a backslash escapes
/// the next byte (E'' strings, or any string when standard_conforming_strings
/// is off); `''` is a quote either way.
pub fn skip_string(s: &[u8], open: usize, escapes: bool) -> Result<usize, Unterminated> {
    let unterminated = Unterminated {
        lexeme: Lexeme::String,
        open,
    };
    let mut i = open + 1;
    loop {
        let rest = s.get(i..).unwrap_or_default();
        let hit = if escapes {
            memchr::memchr2(b'\'', b'\\', rest)
        } else {
            memchr::memchr(b'\'', rest)
        };
        let Some(n) = hit else {
            return Err(unterminated);
        };
        i += n;
        if s[i] == b'\\' {
            i += 2;
            if i > s.len() {
                return Err(unterminated);
            }
            continue;
        }
        if s.get(i + 1) == Some(&b'\'') {
            i += 2;
            continue;
        }
        return Ok(i + 1);
    }
}

/// If a `$tag$` (or `$$`) opens at `open`, the index of its closing `$`.
pub fn dollar_tag_end(s: &[u8], open: usize) -> Option<usize> {
    let mut j = open + 1;
    if s.get(j).is_some_and(|&b| is_ident_start(b)) {
        while s.get(j).is_some_and(|&b| is_ident_byte(b) && b != b'$') {
            j += 1;
        }
    }
    (s.get(j) == Some(&b'$')).then_some(j)
}

/// The body of the dollar quote whose tag is `s[open..=tag_end]`, and the
/// index after its closing tag.
pub fn dollar_body(
    s: &[u8],
    open: usize,
    tag_end: usize,
) -> Result<(Range<usize>, usize), Unterminated> {
    let tag = &s[open..=tag_end];
    let body = tag_end + 1;
    match s.get(body..).and_then(|r| memmem::find(r, tag)) {
        Some(n) => Ok((body..body + n, body + n + tag.len())),
        None => Err(Unterminated {
            lexeme: Lexeme::DollarBody,
            open,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_is_the_set_postgresql_lexes_as_space() {
        for b in [b' ', b'\t', b'\n', b'\r', 0x0b, 0x0c] {
            assert!(is_space(b), "{b:#x}");
        }
        for b in [0u8, 0x1c, 0x85, 0xa0, b'a'] {
            assert!(!is_space(b), "{b:#x}");
        }
        assert_eq!(
            skip_trivia(b" \t\x0b\x0c\r\n-- c\n/* a /* b */ */x", 0),
            Ok(26)
        );
    }

    #[test]
    fn identifiers_take_underscores_digits_dollars_and_high_bytes() {
        assert_eq!(skip_ident(b"ab_1$c d", 0), 6);
        assert_eq!(skip_ident("été,".as_bytes(), 0), 5);
        assert!(!is_ident_start(b'1') && !is_ident_start(b'$'));
        assert_eq!(skip_quoted_ident(b"\"a\"\"b\" x", 0), Ok(6));
        assert_eq!(
            skip_quoted_ident(b"x \"ab", 2),
            Err(Unterminated {
                lexeme: Lexeme::QuotedIdent,
                open: 2
            })
        );
    }

    #[test]
    fn strings_end_at_their_quote_with_or_without_backslash_escapes() {
        assert_eq!(skip_string(b"'a''b' x", 0, false), Ok(6));
        assert_eq!(skip_string(br"'a\' x", 0, false), Ok(4));
        assert_eq!(skip_string(br"'a\'b' x", 0, true), Ok(6));
        assert_eq!(skip_string(br"'a\", 0, true).unwrap_err().open, 0);
        assert_eq!(
            skip_string(b"'abc", 0, false).unwrap_err().lexeme,
            Lexeme::String
        );
    }

    #[test]
    fn dollar_quotes_match_their_own_tag_and_comments_nest() {
        let s = b"$a$ x $b$ y $a$;";
        let tag_end = dollar_tag_end(s, 0).unwrap();
        assert_eq!(tag_end, 2);
        assert_eq!(dollar_body(s, 0, tag_end), Ok((3..12, 15)));
        assert_eq!(dollar_tag_end(b"$$x$$", 0), Some(1));
        assert_eq!(dollar_tag_end(b"$1", 0), None);
        assert_eq!(
            dollar_body(b"$$ abc", 0, 1).unwrap_err().lexeme,
            Lexeme::DollarBody
        );
        assert_eq!(skip_block_comment(b"/* /* */ */x", 0), Ok(11));
        let e = DataError::from(skip_block_comment(b"a /* /* */", 2).unwrap_err());
        assert_eq!(
            e.to_string(),
            "comment is not terminated (the dump is truncated)"
        );
        assert_eq!(e.byte(), Some(2));
    }

    #[test]
    fn the_splitter_and_the_insert_reader_read_the_same_trivia_and_literals() {
        let dump = b"\x0b/* a /* b */ */ -- c\nINSERT INTO t\x0bVALUES\x0c(1, $q$x;$q$, 'y''');\n";
        let st = crate::dump::split::Splitter::new(dump)
            .next()
            .unwrap()
            .unwrap();
        assert_eq!((st.start, st.end), (22, dump.len() - 1));
        let stmt = &dump[st.start..st.end];
        let header = crate::dump::insert::parse_header(stmt).unwrap();
        let mut tuples = crate::dump::insert::Tuples::new(stmt, header.values_at, true);
        let (mut buf, mut ranges) = (Vec::new(), Vec::new());
        assert!(tuples.next_tuple(&mut buf, &mut ranges).unwrap().is_some());
        let fields: Vec<&[u8]> = ranges.iter().map(|r| &buf[r.clone()]).collect();
        assert_eq!(fields, [&b"1"[..], b"x;", b"y'"]);
    }
}
