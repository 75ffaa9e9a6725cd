//! The comparison: both sides of one mapped table streamed by `COPY (query)
//! TO STDOUT`, sorted by id, merged like a sorted-merge join. Fields are
//! compared as the bytes of their typed text forms; nothing holds more than
//! the current row of each side.

use std::cmp::Ordering;
use std::io::{self, BufRead, BufReader, Read};

use super::oracle::TableSql;
use super::report::{Diff, TableOutcome};
use crate::progress::Progress;

/// How many examples of each kind a table keeps.
pub const EXAMPLES: usize = 5;

/// One side's rows: COPY text format, one row per line, fields split by tabs
/// (tabs and newlines inside values are escaped by COPY).
struct Rows<R> {
    reader: R,
    line: Vec<u8>,
    fields: Vec<(usize, usize)>,
    done: bool,
}

impl<R: BufRead> Rows<R> {
    fn new(reader: R) -> Self {
        Rows {
            reader,
            line: Vec::new(),
            fields: Vec::new(),
            done: false,
        }
    }

    /// Moves to the next row; false at the end.
    fn advance(&mut self) -> io::Result<bool> {
        self.line.clear();
        self.fields.clear();
        if self.done || self.reader.read_until(b'\n', &mut self.line)? == 0 {
            self.done = true;
            return Ok(false);
        }
        if self.line.last() == Some(&b'\n') {
            self.line.pop();
        }
        let mut start = 0;
        for i in memchr::memchr_iter(b'\t', &self.line) {
            self.fields.push((start, i));
            start = i + 1;
        }
        self.fields.push((start, self.line.len()));
        Ok(true)
    }

    fn field(&self, i: usize) -> &[u8] {
        let (s, e) = self.fields[i];
        &self.line[s..e]
    }

    fn current(&self) -> Option<&[u8]> {
        (!self.done).then(|| self.field(0))
    }
}

/// The two streams of one table.
pub struct Sides<E, A> {
    pub expected: E,
    pub actual: A,
}

/// Compares the table; `out` already names it. `actual`'s last field is
/// `t` for a row the load wrote, `f` for one written later.
pub fn compare<E: Read, A: Read>(
    sql: &TableSql,
    sides: Sides<E, A>,
    out: &mut TableOutcome,
    progress: &Progress,
) -> io::Result<()> {
    let mut e = Rows::new(BufReader::with_capacity(1 << 16, sides.expected));
    let mut a = Rows::new(BufReader::with_capacity(1 << 16, sides.actual));
    e.advance()?;
    a.advance()?;
    let later_field = sql.columns.len();
    loop {
        let order = match (e.current(), a.current()) {
            (None, None) => break,
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (Some(x), Some(y)) => x.cmp(y),
        };
        match order {
            Ordering::Less => {
                out.v1_rows += 1;
                out.missing += 1;
                keep(&mut out.missing_ids, text(e.field(0)));
                e.advance()?;
                progress.inc(1);
            }
            Ordering::Greater => {
                out.v2_rows += 1;
                if a.field(later_field) == b"f" {
                    out.added_later += 1;
                    keep(&mut out.added_later_ids, text(a.field(0)));
                } else {
                    out.extra += 1;
                    keep(&mut out.extra_ids, text(a.field(0)));
                }
                a.advance()?;
            }
            Ordering::Equal => {
                out.v1_rows += 1;
                out.v2_rows += 1;
                let later = a.field(later_field) == b"f";
                same_row(sql, &e, &a, later, out);
                e.advance()?;
                a.advance()?;
                progress.inc(1);
            }
        }
    }
    Ok(())
}

fn same_row<R: BufRead, S: BufRead>(
    sql: &TableSql,
    e: &Rows<R>,
    a: &Rows<S>,
    later: bool,
    out: &mut TableOutcome,
) {
    let differ: Vec<usize> = (1..sql.columns.len())
        .filter(|&i| e.field(i) != a.field(i))
        .collect();
    if differ.is_empty() {
        return;
    }
    let (count, examples) = if later {
        (&mut out.changed_later, &mut out.changed_later_examples)
    } else {
        (&mut out.differing, &mut out.differences)
    };
    *count += 1;
    if *count as usize > EXAMPLES {
        return;
    }
    for i in differ {
        examples.push(Diff {
            id: text(e.field(0)).unwrap_or_default(),
            column: sql.columns[i].clone(),
            want: text(e.field(i)),
            got: text(a.field(i)),
        });
    }
}

fn keep(list: &mut Vec<String>, id: Option<String>) {
    if list.len() < EXAMPLES {
        list.push(id.unwrap_or_else(|| "NULL".into()));
    }
}

/// The value a COPY text field stands for (`None`: NULL), cut at 200
/// characters for display.
pub fn text(field: &[u8]) -> Option<String> {
    if field == b"\\N" {
        return None;
    }
    let bytes = unescape(field);
    let s = String::from_utf8_lossy(&bytes);
    Some(match s.char_indices().nth(200) {
        Some((at, _)) => format!("{}...", &s[..at]),
        None => s.into_owned(),
    })
}

/// COPY text escapes: `\\`, `\t` and friends, octal `\NNN`, hex `\xHH`.
fn unescape(f: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(f.len());
    let mut i = 0;
    while i < f.len() {
        if f[i] != b'\\' || i + 1 == f.len() {
            out.push(f[i]);
            i += 1;
            continue;
        }
        let c = f[i + 1];
        i += 2;
        match c {
            b'b' => out.push(8),
            b'f' => out.push(12),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'v' => out.push(11),
            b'0'..=b'7' => {
                let mut v = u32::from(c - b'0');
                while i < f.len() && (b'0'..=b'7').contains(&f[i]) && v < 32 {
                    v = v * 8 + u32::from(f[i] - b'0');
                    i += 1;
                }
                out.push(v as u8);
            }
            b'x' => {
                let hex = f[i..].iter().take(2).take_while(|b| b.is_ascii_hexdigit());
                let digits: Vec<u8> = hex.copied().collect();
                i += digits.len();
                let v = std::str::from_utf8(&digits)
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                out.push(v.unwrap_or(b'x'));
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(columns: &[&str]) -> TableSql {
        TableSql {
            columns: columns.iter().map(|c| c.to_string()).collect(),
            not_compared: vec![],
            expected: String::new(),
            actual: String::new(),
        }
    }

    fn run(expected: &str, actual: &str) -> TableOutcome {
        let mut out = TableOutcome::new("t", "t");
        let sides = Sides {
            expected: expected.as_bytes(),
            actual: actual.as_bytes(),
        };
        compare(
            &table(&["id", "v"]),
            sides,
            &mut out,
            &Progress::rows(0, "", true),
        )
        .unwrap();
        out
    }

    #[test]
    fn missing_extra_and_differing_rows_are_told_apart() {
        let o = run("1\ta\n2\tb\n4\td\n", "1\ta\tt\n3\tc\tt\n4\tx\tt\n5\te\tf\n");
        assert_eq!((o.v1_rows, o.v2_rows), (3, 4));
        assert_eq!(o.missing_ids, ["2"]);
        assert_eq!(o.extra_ids, ["3"]);
        assert_eq!(o.added_later_ids, ["5"]);
        assert_eq!(o.differing, 1);
        assert_eq!(o.differences[0].column, "v");
        assert_eq!(o.differences[0].want.as_deref(), Some("d"));
        assert_eq!(o.differences[0].got.as_deref(), Some("x"));
    }

    #[test]
    fn a_row_written_after_the_load_is_counted_apart() {
        let o = run("1\ta\n", "1\tz\tf\n");
        assert_eq!((o.differing, o.changed_later), (0, 1));
        assert_eq!(o.changed_later_examples[0].got.as_deref(), Some("z"));
    }

    #[test]
    fn copy_escapes_are_read_back_for_display() {
        assert_eq!(
            text(b"a\\tb\\\\c\\nd\\101\\x41"),
            Some("a\tb\\c\nd\u{41}A".into())
        );
        assert_eq!(text(b"\\N"), None);
    }
}
