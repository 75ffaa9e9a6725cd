//! The VALUES lexer: walks the tuples of one INSERT statement, left to right
//! and once, and turns each value into its COPY text field.
//!
//! It reads what pg_dump writes (`NULL`, quoted strings, bare numbers,
//! `true`/`false`) and what a hand-edited dump may add (`E''` and dollar
//! strings, bit strings, `::type` casts, comments). Anything else, such as a
//! function call or `DEFAULT`, is refused with the offset of the token: COPY
//! cannot express it, and guessing would change the data.
//!
//! A tuple's values go into the caller's buffers, which are cleared per
//! tuple; nothing else is kept, so memory does not grow with the statement.

use std::ops::Range;

use crate::copy::codec::NULL;
use crate::dump::lex;
// Identifiers, whitespace and comments are lexed exactly as the statement
// splitter lexes them.
use crate::dump::lex::{is_ident_byte, is_ident_start, skip_ident, skip_trivia};
use crate::error::DataError;

use super::literal;

const UNCLOSED: &str = "the row is not closed: the statement ends inside it";

/// Iterates over the tuples of `stmt[values_at..]`.
pub struct Tuples<'a> {
    stmt: &'a [u8],
    pos: usize,
    /// `standard_conforming_strings`: when off, `'...'` takes backslash
    /// escapes like `E'...'`.
    std_strings: bool,
    /// Value positions of generated columns, where `DEFAULT` stands and is
    /// skipped (pg_dump `--inserts` writes it there).
    generated: &'a [bool],
    state: State,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    First,
    AfterTuple,
    Done,
}

impl<'a> Tuples<'a> {
    pub fn new(stmt: &'a [u8], values_at: usize, std_strings: bool) -> Self {
        Tuples {
            stmt,
            pos: values_at.min(stmt.len()),
            std_strings,
            generated: &[],
            state: State::First,
        }
    }

    /// Marks the value positions of generated columns: `DEFAULT` there is
    /// read as no value, anything else is refused as psql's server would.
    pub fn generated(self, generated: &'a [bool]) -> Self {
        Tuples { generated, ..self }
    }

    /// Lexes the next tuple: clears `buf` and `ranges`, appends each value's
    /// COPY text to `buf` and its range to `ranges`. Returns the offset of the
    /// tuple's `(` within the statement, `None` once the statement's `;` is
    /// reached. After an error the position does not move, so asking again
    /// gives the same error.
    pub fn next_tuple(
        &mut self,
        buf: &mut Vec<u8>,
        ranges: &mut Vec<Range<usize>>,
    ) -> Result<Option<usize>, DataError> {
        buf.clear();
        ranges.clear();
        let s = self.stmt;
        let open = match self.state {
            State::Done => return Ok(None),
            State::First => skip_trivia(s, self.pos)?,
            State::AfterTuple => {
                let i = skip_trivia(s, self.pos)?;
                if s.get(i) != Some(&b',') {
                    self.finish(i)?;
                    return Ok(None);
                }
                skip_trivia(s, i + 1)?
            }
        };
        if s.get(open) != Some(&b'(') {
            return Err(DataError::new("expected `(` opening a row of the VALUES list").at(open));
        }
        let end = self.tuple(open + 1, buf, ranges)?;
        self.pos = end;
        self.state = State::AfterTuple;
        Ok(Some(open))
    }

    /// Reads values up to the tuple's `)`; returns the position after it.
    fn tuple(
        &self,
        mut i: usize,
        buf: &mut Vec<u8>,
        ranges: &mut Vec<Range<usize>>,
    ) -> Result<usize, DataError> {
        let s = self.stmt;
        let mut position = 0;
        loop {
            let at = skip_trivia(s, i)?;
            let end = if self.generated.get(position) == Some(&true) {
                generated_default(s, at)?
            } else {
                let start = buf.len();
                let end = self.value(at, buf)?;
                ranges.push(start..buf.len());
                end
            };
            position += 1;
            let j = skip_trivia(s, end)?;
            match s.get(j) {
                Some(b',') => i = j + 1,
                Some(b')') => return Ok(j + 1),
                None => return Err(DataError::new(UNCLOSED).at(j)),
                Some(_) => {
                    return Err(DataError::new("expected `,` or `)` after a value").at(j));
                }
            }
        }
    }

    /// One value: a literal and any `::type` casts after it.
    fn value(&self, at: usize, buf: &mut Vec<u8>) -> Result<usize, DataError> {
        let mut end = self.literal(at, buf)?;
        loop {
            let j = skip_trivia(self.stmt, end)?;
            if self.stmt.get(j..j + 2) != Some(b"::") {
                return Ok(end);
            }
            end = skip_type(self.stmt, j + 2)?;
        }
    }

    fn literal(&self, at: usize, buf: &mut Vec<u8>) -> Result<usize, DataError> {
        let s = self.stmt;
        let Some(&c) = s.get(at) else {
            return Err(DataError::new(UNCLOSED).at(at));
        };
        match c {
            b'\'' => literal::quoted(s, at, !self.std_strings, buf),
            b'$' => literal::dollar(s, at, buf),
            b'+' | b'-' | b'.' | b'0'..=b'9' => number(s, at, buf),
            _ if is_ident_start(c) => {
                let quote_next = s.get(at + 1) == Some(&b'\'');
                match c.to_ascii_lowercase() {
                    b'e' if quote_next => literal::quoted(s, at + 1, true, buf),
                    b'b' if quote_next => literal::bits(s, at + 1, false, buf),
                    b'x' if quote_next => literal::bits(s, at + 1, true, buf),
                    b'u' if s.get(at + 1..at + 3) == Some(b"&'") => Err(DataError::new(
                        "U&'...' strings are not supported: write the value as a plain or E'...' string",
                    )
                    .at(at)),
                    _ => word(s, at, buf),
                }
            }
            b')' | b',' => Err(DataError::new("expected a value").at(at)),
            _ => Err(DataError::new("unexpected character where a value should be").at(at)),
        }
    }

    /// After the last tuple: pg_dump's optional `ON CONFLICT DO NOTHING`, the
    /// `;`, and nothing else.
    fn finish(&mut self, i: usize) -> Result<(), DataError> {
        let s = self.stmt;
        let mut j = i;
        if starts_word(s, j, b"on") {
            for w in [&b"on"[..], b"conflict", b"do", b"nothing"] {
                j = skip_trivia(s, j)?;
                if !starts_word(s, j, w) {
                    return Err(DataError::new(
                        "only ON CONFLICT DO NOTHING may follow the VALUES list",
                    )
                    .at(j));
                }
                j += w.len();
            }
            j = skip_trivia(s, j)?;
        }
        match s.get(j) {
            None => {}
            Some(b';') => {
                let k = skip_trivia(s, j + 1)?;
                if k < s.len() {
                    return Err(DataError::new("text after the statement's `;`").at(k));
                }
            }
            Some(_) => {
                return Err(DataError::new("expected `,` or `;` after a row").at(j));
            }
        }
        self.state = State::Done;
        Ok(())
    }
}

/// A generated column's place: pg_dump writes `DEFAULT`; a value there
/// is refused by PostgreSQL ("cannot insert a non-DEFAULT value into
/// column"), so it is refused here too.
fn generated_default(s: &[u8], at: usize) -> Result<usize, DataError> {
    let end = skip_ident(s, at);
    if s[at..end].eq_ignore_ascii_case(b"default") {
        return Ok(end);
    }
    Err(DataError::new(
        "a generated column takes DEFAULT, not a value: PostgreSQL refuses to insert one",
    )
    .at(at))
}

/// `NULL`, `true`, `false`; any other word is an expression COPY cannot hold.
/// Booleans come out as `t`/`f`, the bytes `COPY TO` writes, so an INSERT
/// dump and a COPY dump of one database give the same fields.
fn word(s: &[u8], at: usize, buf: &mut Vec<u8>) -> Result<usize, DataError> {
    let end = skip_ident(s, at);
    let w = &s[at..end];
    if w.eq_ignore_ascii_case(b"null") {
        buf.extend_from_slice(NULL);
    } else if w.eq_ignore_ascii_case(b"true") {
        buf.extend_from_slice(b"t");
    } else if w.eq_ignore_ascii_case(b"false") {
        buf.extend_from_slice(b"f");
    } else if w.eq_ignore_ascii_case(b"default") {
        return Err(DataError::new(
            "DEFAULT in a VALUES list has no COPY equivalent: write the value itself",
        )
        .at(at));
    } else {
        let shown = String::from_utf8_lossy(&w[..w.len().min(40)]);
        return Err(DataError::new(format!(
            "`{shown}` is not a constant: only literal values can be read from a VALUES list"
        ))
        .at(at));
    }
    Ok(end)
}

/// A numeric constant with an optional sign, copied as written: COPY reads
/// the same text (`-1.5e-3`, `.5`, `42`). A `+` sign is dropped.
fn number(s: &[u8], at: usize, buf: &mut Vec<u8>) -> Result<usize, DataError> {
    let mut i = at;
    let negative = s.get(i) == Some(&b'-');
    if matches!(s.get(i), Some(b'+' | b'-')) {
        i += 1;
    }
    let digits_at = i;
    let int_end = skip_digits(s, i);
    i = int_end;
    let mut frac_end = i;
    if s.get(i) == Some(&b'.') {
        frac_end = skip_digits(s, i + 1);
        i = frac_end;
    }
    if int_end == digits_at && frac_end <= int_end + 1 {
        return Err(DataError::new("expected a number").at(at));
    }
    if matches!(s.get(i), Some(b'e' | b'E')) {
        let mut k = i + 1;
        if matches!(s.get(k), Some(b'+' | b'-')) {
            k += 1;
        }
        let exp_end = skip_digits(s, k);
        if exp_end == k {
            return Err(DataError::new("number has an exponent without digits").at(at));
        }
        i = exp_end;
    }
    if s.get(i).is_some_and(|&b| is_ident_byte(b) || b == b'.') {
        return Err(DataError::new("unexpected characters right after a number").at(i));
    }
    if negative {
        buf.push(b'-');
    }
    buf.extend_from_slice(&s[digits_at..i]);
    Ok(i)
}

fn skip_digits(s: &[u8], mut i: usize) -> usize {
    while s.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    i
}

/// Skips the type name after `::`: words (`timestamp with time zone`),
/// quoted and qualified names, typmods `(10,2)` and array bounds `[]`. The
/// literal's text is kept as the value, which is right whenever the cast is
/// to the column's own type, the only cast a dump has reason to carry.
fn skip_type(s: &[u8], from: usize) -> Result<usize, DataError> {
    let mut j = skip_trivia(s, from)?;
    let mut end = j;
    let mut named = false;
    loop {
        let next = match s.get(j) {
            Some(&c) if is_ident_start(c) => skip_ident(s, j),
            Some(b'"') => skip_quoted_ident(s, j)?,
            Some(b'.') if named => j + 1,
            Some(b'(') if named => skip_group(s, j, b')', b"0123456789, \t\n\r")?,
            Some(b'[') if named => skip_group(s, j, b']', b"0123456789")?,
            _ => break,
        };
        named = true;
        end = next;
        j = skip_trivia(s, next)?;
    }
    if !named {
        return Err(DataError::new("expected a type name after `::`").at(j));
    }
    Ok(end)
}

/// Skips `(...)` or `[...]` holding only `allowed` bytes.
fn skip_group(s: &[u8], open: usize, close: u8, allowed: &[u8]) -> Result<usize, DataError> {
    let mut i = open + 1;
    loop {
        match s.get(i) {
            Some(&b) if b == close => return Ok(i + 1),
            Some(b) if allowed.contains(b) => i += 1,
            _ => return Err(DataError::new("unexpected text in a type name").at(i)),
        }
    }
}

/// True when `word` (lower case) starts at `i` as a whole word.
fn starts_word(s: &[u8], i: usize, word: &[u8]) -> bool {
    s.get(i..i + word.len())
        .is_some_and(|w| w.eq_ignore_ascii_case(word))
        && !s.get(i + word.len()).is_some_and(|&b| is_ident_byte(b))
}

/// A quoted identifier inside one statement: unterminated, the statement
/// ends in it.
pub(super) fn skip_quoted_ident(s: &[u8], open: usize) -> Result<usize, DataError> {
    lex::skip_quoted_ident(s, open)
        .map_err(|u| DataError::new("quoted identifier is not terminated").at(u.open))
}
