//! The statement splitter: walks a plain-format dump's bytes and finds where
//! each SQL statement, psql meta-command and `COPY ... FROM stdin` payload
//! begins and ends.
//!
//! It follows psql's own lexer (`psqlscan.l`) closely enough for everything
//! pg_dump writes: `'...'`, `E'...'` and `"..."` quoting, `$tag$` bodies, `--`
//! and nested `/* */` comments, parentheses and `BEGIN ATOMIC ... END` bodies,
//! backslash meta-commands such as `\restrict KEY`, and COPY payloads up to the
//! exact `\.` line. Nothing inside a literal, a comment or a body is ever taken
//! for a statement. It allocates nothing; callers get byte ranges. The lexemes
//! themselves come from `lex`, shared with the INSERT reader.

use std::ops::Range;

use memchr::memmem;
use rayon::prelude::*;

use super::lex::{
    dollar_body, dollar_tag_end, is_ident_byte, is_ident_start, line_end, skip_block_comment,
    skip_ident, skip_quoted_ident, skip_string, skip_trivia,
};
use crate::error::DataError;

/// One piece of the dump.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    /// Where the whitespace and comments before this statement begin (the end
    /// of the previous statement); `lead..end` pieces tile the whole input.
    pub lead: usize,
    /// The first byte of the statement itself.
    pub start: usize,
    /// One past the last byte: after the `;`, after a meta-command's line, or
    /// after a COPY payload's `\.` line.
    pub end: usize,
    pub kind: Kind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    /// An SQL statement, `start..end` including its `;`. `word` is the range
    /// of its first keyword (e.g. `CREATE`).
    Sql { word: Range<usize> },
    /// A psql backslash command, `start..end` without the newline.
    Meta,
    /// `COPY ... FROM stdin;` with its data. `header` is the statement up to
    /// and including the `;`; `payload` the data rows without the `\.` line.
    Copy {
        header: Range<usize>,
        payload: Range<usize>,
    },
}

/// Iterates over the statements of a dump.
pub struct Splitter<'a> {
    data: &'a [u8],
    pos: usize,
    /// `standard_conforming_strings`: when off, `'...'` strings take
    /// backslash escapes too. pg_dump sets it on, but older dumps do not.
    std_strings: bool,
    failed: bool,
}

impl<'a> Splitter<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Self::starting_at(data, 0)
    }

    /// A splitter that begins at `pos` (e.g. after a byte-order mark).
    pub fn starting_at(data: &'a [u8], pos: usize) -> Self {
        Splitter {
            data,
            pos,
            std_strings: true,
            failed: false,
        }
    }

    /// `standard_conforming_strings` as the statements so far have set it.
    pub fn std_strings(&self) -> bool {
        self.std_strings
    }

    /// Where the next statement's leading trivia starts.
    pub fn position(&self) -> usize {
        self.pos
    }

    fn next_statement(&mut self) -> Result<Option<Statement>, DataError> {
        let lead = self.pos;
        let start = skip_trivia(self.data, self.pos)?;
        if start >= self.data.len() {
            // `pos` stays at the trailing trivia, so callers can account for it.
            return Ok(None);
        }
        if self.data[start] == b'\\' {
            let end = line_end(self.data, start);
            // The newline belongs to the next statement's leading trivia, so
            // the pieces keep tiling the input.
            self.pos = end;
            return Ok(Some(Statement {
                lead,
                start,
                end,
                kind: Kind::Meta,
            }));
        }
        let scan = scan_sql(self.data, start, self.std_strings)?;
        let end = scan.end;
        let word = scan.word.clone();
        if eq_word(self.data, &word, b"set") {
            self.note_setting(start, end);
        }
        if eq_word(self.data, &word, b"copy") && scan.from_stdin {
            let payload_start = next_line(self.data, end);
            let (payload_end, after) = match find_copy_end(self.data, payload_start) {
                Some(CopyEnd::At(payload_end, after)) => (payload_end, after),
                Some(CopyEnd::Corrupt(line)) => {
                    return Err(corrupt_marker(self.data, start..end, line))
                }
                None => {
                    return Err(DataError::new(
                        "COPY data has no terminating `\\.` line (the dump is truncated)",
                    )
                    .at(start))
                }
            };
            self.pos = after;
            return Ok(Some(Statement {
                lead,
                start,
                end: after,
                kind: Kind::Copy {
                    header: start..end,
                    payload: payload_start..payload_end,
                },
            }));
        }
        self.pos = end;
        Ok(Some(Statement {
            lead,
            start,
            end,
            kind: Kind::Sql { word },
        }))
    }

    /// Tracks `SET standard_conforming_strings`, which changes how the rest of
    /// the file's string literals must be read.
    fn note_setting(&mut self, start: usize, end: usize) {
        let text = &self.data[start..end];
        if find_ci(text, b"standard_conforming_strings").is_some() {
            self.std_strings = find_ci(text, b"off").is_none() && find_ci(text, b"false").is_none();
        }
    }
}

impl Iterator for Splitter<'_> {
    type Item = Result<Statement, DataError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        match self.next_statement() {
            Ok(s) => s.map(Ok),
            Err(e) => {
                self.failed = true;
                Some(Err(e))
            }
        }
    }
}

/// Byte classes for the scanning loop, so it can skip uninteresting bytes fast.
const PLAIN: u8 = 0;
const SPECIAL: u8 = 1;
const IDENT_START: u8 = 2;
const DIGIT: u8 = 3;

static CLASS: [u8; 256] = {
    let mut t = [PLAIN; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = if is_ident_start(b) {
            IDENT_START
        } else if b.is_ascii_digit() {
            DIGIT
        } else if matches!(
            b,
            b'\'' | b'"' | b'$' | b'-' | b'/' | b'(' | b')' | b';' | b'\\'
        ) {
            SPECIAL
        } else {
            PLAIN
        };
        i += 1;
    }
    t
};

/// What scanning one SQL statement found.
struct Scan {
    end: usize,
    word: Range<usize>,
    from_stdin: bool,
}

/// Tracks the keywords that matter for splitting while a statement is scanned.
#[derive(Default)]
struct Words {
    count: usize,
    first: Option<Range<usize>>,
    /// Initials of the leading `CREATE [OR REPLACE] FUNCTION|PROCEDURE` words,
    /// as psql keeps them: only such statements have `BEGIN ATOMIC` bodies.
    initials: [u8; 4],
    last_was_from: bool,
    from_stdin: bool,
    /// psql's `begin_depth`: `BEGIN ... END` and, inside it, `CASE ... END`.
    begin_depth: usize,
}

const LEAD_WORDS: [&[u8]; 5] = [b"create", b"function", b"procedure", b"or", b"replace"];

impl Words {
    fn see(&mut self, data: &[u8], r: Range<usize>, parens: usize) {
        let w = &data[r.clone()];
        if self.first.is_none() {
            self.first = Some(r);
        }
        if self.count < 4 && LEAD_WORDS.iter().any(|k| w.eq_ignore_ascii_case(k)) {
            self.initials[self.count] = w[0].to_ascii_lowercase();
        }
        self.count += 1;
        if self.in_routine() && parens == 0 {
            let opens_case = w.eq_ignore_ascii_case(b"case") && self.begin_depth > 0;
            if w.eq_ignore_ascii_case(b"begin") || opens_case {
                self.begin_depth += 1;
            } else if w.eq_ignore_ascii_case(b"end") && self.begin_depth > 0 {
                self.begin_depth -= 1;
            }
        }
        if self.last_was_from && w.eq_ignore_ascii_case(b"stdin") {
            self.from_stdin = true;
        }
        self.last_was_from = w.eq_ignore_ascii_case(b"from");
    }

    fn in_routine(&self) -> bool {
        let i = self.initials;
        i[0] == b'c'
            && (matches!(i[1], b'f' | b'p')
                || (i[1] == b'o' && i[2] == b'r' && matches!(i[3], b'f' | b'p')))
    }
}

/// Scans one SQL statement starting at `start` up to its terminating `;`.
fn scan_sql(data: &[u8], start: usize, std_strings: bool) -> Result<Scan, DataError> {
    let mut i = start;
    let mut parens = 0usize;
    let mut words = Words::default();
    while i < data.len() {
        let b = data[i];
        match CLASS[b as usize] {
            PLAIN => i += 1,
            DIGIT => i = skip_ident(data, i),
            IDENT_START => {
                let end = skip_ident(data, i);
                if end < data.len() && data[end] == b'\'' && (end - i == 1) && (b | 0x20) == b'e' {
                    i = skip_string(data, end, true)?;
                } else {
                    words.see(data, i..end, parens);
                    i = end;
                }
            }
            _ => match b {
                b'\'' => i = skip_string(data, i, !std_strings)?,
                b'"' => i = skip_quoted_ident(data, i)?,
                b'$' => i = skip_dollar(data, i)?,
                b'-' if data.get(i + 1) == Some(&b'-') => i = line_end(data, i),
                b'/' if data.get(i + 1) == Some(&b'*') => i = skip_block_comment(data, i)?,
                b'(' => {
                    parens += 1;
                    i += 1;
                }
                b')' => {
                    parens = parens.saturating_sub(1);
                    i += 1;
                }
                b'\\' => return Err(meta_in_statement(data, i)),
                b';' if parens == 0 && words.begin_depth == 0 => {
                    return Ok(Scan {
                        end: i + 1,
                        word: words.first.unwrap_or(start..start),
                        from_stdin: words.from_stdin,
                    });
                }
                _ => i += 1,
            },
        }
    }
    Err(DataError::new("statement has no terminating `;` (the dump is truncated)").at(start))
}

/// A backslash outside any literal, comment or body: psql reads it as a
/// meta-command in the middle of the statement (`\\g` runs the statement
/// so far, `\\i` reads a file...), which no SQL statement can hold.
fn meta_in_statement(data: &[u8], at: usize) -> DataError {
    let end = data[at + 1..]
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
        .map_or(data.len(), |n| at + 1 + n.max(1));
    let command = String::from_utf8_lossy(&data[at..end.min(data.len())]);
    DataError::new(format!(
        "`{command}` inside an SQL statement: psql would run it as a meta-command there, in the middle of the statement, which dumpshift does not do"
    ))
    .at(at)
}

/// Skips a `$tag$ ... $tag$` body if `$` opens one; otherwise just the `$`
/// (a `$1` parameter or a `$` inside an identifier).
fn skip_dollar(data: &[u8], open: usize) -> Result<usize, DataError> {
    if open > 0 && is_ident_byte(data[open - 1]) {
        return Ok(open + 1);
    }
    match dollar_tag_end(data, open) {
        Some(tag_end) => Ok(dollar_body(data, open, tag_end)?.1),
        None => Ok(open + 1),
    }
}

/// The start of the line after the one holding `i`.
fn next_line(data: &[u8], i: usize) -> usize {
    let e = line_end(data, i);
    (e + 1).min(data.len())
}

/// Where a COPY payload ends: the first line that begins with `\.`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CopyEnd {
    /// The `\.` line: the payload ends at `.0`, the line at `.1`.
    At(usize, usize),
    /// A line that begins with `\.` and holds more (`\. `, `\.x`), at this
    /// offset. psql takes only `\.` alone as the end, so it would send this
    /// line and the rest of the file up to the next `\.` line as data, and
    /// the server refuses it ("end-of-copy marker corrupt").
    Corrupt(usize),
}

/// Finds the line that ends a COPY payload starting at `from`.
///
/// A table's data is most of a dump, so the search is split: pieces of
/// `PIECE` bytes, one per thread, are searched at once, and the first piece
/// that holds a `\.` line decides, which is the answer one search from
/// `from` gives.
pub fn find_copy_end(data: &[u8], from: usize) -> Option<CopyEnd> {
    const PIECE: usize = 4 << 20;
    if from >= data.len() {
        return None;
    }
    if let Some(end) = marker_at(data, from) {
        return Some(end);
    }
    let threads = rayon::current_num_threads();
    let mut start = from;
    while start < data.len() {
        let end = data.len().min(start.saturating_add(PIECE * threads));
        if threads == 1 || end - start <= PIECE {
            return first_marker(data, start, data.len());
        }
        let pieces: Vec<usize> = (start..end).step_by(PIECE).collect();
        let found: Vec<Option<CopyEnd>> = pieces
            .par_iter()
            .map(|&s| first_marker(data, s, (s + PIECE).min(end)))
            .collect();
        if let Some(hit) = found.into_iter().flatten().next() {
            return Some(hit);
        }
        start = end;
    }
    None
}

/// The first line beginning with `\.` whose preceding newline is at
/// `start..end`.
fn first_marker(data: &[u8], start: usize, end: usize) -> Option<CopyEnd> {
    let finder = memmem::Finder::new(b"\n\\.");
    // The needle may run up to two bytes past `end`.
    let hay_end = data.len().min(end + 2);
    let n = finder.find(&data[start..hay_end])?;
    if start + n >= end {
        return None;
    }
    marker_at(data, start + n + 1)
}

/// What the line starting at `line` is, if it begins with `\.`.
fn marker_at(data: &[u8], line: usize) -> Option<CopyEnd> {
    let rest = &data[line..];
    if !rest.starts_with(b"\\.") {
        return None;
    }
    Some(match &rest[2..] {
        [] => CopyEnd::At(line, data.len()),
        [b'\n', ..] => CopyEnd::At(line, line + 3),
        [b'\r', b'\n', ..] => CopyEnd::At(line, line + 4),
        _ => CopyEnd::Corrupt(line),
    })
}

/// The error for a `\.` line with more on it, naming the table when the
/// COPY header `header` can be read.
fn corrupt_marker(data: &[u8], header: Range<usize>, line: usize) -> DataError {
    let e = DataError::new(
        "the end-of-copy marker \\. has more after it on its line: PostgreSQL refuses the table's COPY (end-of-copy marker corrupt), and psql would read the rest of the file, up to the next \\. line, as its data",
    )
    .at(line);
    let table = std::str::from_utf8(&data[header])
        .ok()
        .and_then(|sql| super::sql::parse_copy(sql).ok());
    match table {
        Some(h) => e.table(h.table.to_string()),
        None => e,
    }
}

fn eq_word(data: &[u8], r: &Range<usize>, word: &[u8]) -> bool {
    data[r.clone()].eq_ignore_ascii_case(word)
}

/// ASCII case-insensitive substring search; only used on short statements.
pub fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.len() > hay.len() {
        return None;
    }
    (0..=hay.len() - needle.len()).find(|&i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests;
