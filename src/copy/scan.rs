//! The COPY row scanner: cuts a payload into rows and rows into raw fields.
//!
//! In COPY text a raw newline always ends a row and a raw tab always ends a
//! field, because both are escaped inside values; so memchr can jump straight
//! to them. A row ending in `\r\n` (a dump that passed through Windows) has
//! its `\r` dropped: COPY TO escapes a carriage return in data as `\r`, so a
//! raw one can only be part of the line ending. Nothing here allocates.
//! Hand-edited bytes that break these rules, which PostgreSQL would cut
//! otherwise or refuse, are found by `copy::check`, not read here.

/// Iterates over the rows of a payload slice. Each item is the row's bytes
/// without its line ending, and its offset within the slice.
pub struct Rows<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Rows<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Rows { data, pos: 0 }
    }
}

impl<'a> Iterator for Rows<'a> {
    type Item = (usize, &'a [u8]);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.data.len() {
            return None;
        }
        let start = self.pos;
        let rest = &self.data[start..];
        let (line, advance) = match memchr::memchr(b'\n', rest) {
            Some(n) => (&rest[..n], n + 1),
            None => (rest, rest.len()),
        };
        self.pos += advance;
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        Some((start, line))
    }
}

/// Splits `row` on tabs into `out` (cleared first). Returns the field count.
#[inline]
pub fn split_fields<'a>(row: &'a [u8], out: &mut Vec<&'a [u8]>) -> usize {
    out.clear();
    let mut start = 0;
    for tab in memchr::memchr_iter(b'\t', row) {
        out.push(&row[start..tab]);
        start = tab + 1;
    }
    out.push(&row[start..]);
    out.len()
}

/// Calls `f(offset, fields)` for each row of `data` with its fields, as
/// `Rows` and `split_fields` would cut them, in one sweep: memchr2 finds
/// tabs and newlines together, so each byte is looked at once instead of
/// once for the row and again for its fields. `f` returns false to stop.
/// `fields` is scratch space, reused from row to row.
#[inline]
pub fn for_each_row<'a>(
    data: &'a [u8],
    fields: &mut Vec<&'a [u8]>,
    mut f: impl FnMut(usize, &[&'a [u8]]) -> bool,
) {
    fields.clear();
    let (mut row, mut field) = (0, 0);
    for pos in memchr::memchr2_iter(b'\t', b'\n', data) {
        if data[pos] == b'\t' {
            fields.push(&data[field..pos]);
        } else {
            let last = &data[field..pos];
            fields.push(last.strip_suffix(b"\r").unwrap_or(last));
            if !f(row, fields) {
                return;
            }
            fields.clear();
            row = pos + 1;
        }
        field = pos + 1;
    }
    if row < data.len() {
        let last = &data[field..];
        fields.push(last.strip_suffix(b"\r").unwrap_or(last));
        f(row, fields);
    }
}

/// Cuts `data` into pieces of about `target` bytes that end on row
/// boundaries, so they can be processed independently. Returns the end
/// offset of each piece; the last is `data.len()`.
pub fn chunk_ends(data: &[u8], target: usize) -> Vec<usize> {
    let mut ends = Vec::new();
    let mut pos = 0;
    while pos < data.len() {
        let want = pos.saturating_add(target.max(1));
        if want >= data.len() {
            ends.push(data.len());
            break;
        }
        let end = match memchr::memchr(b'\n', &data[want..]) {
            Some(n) => want + n + 1,
            None => data.len(),
        };
        ends.push(end);
        pos = end;
    }
    ends
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(d: &[u8]) -> Vec<(usize, &[u8])> {
        Rows::new(d).collect()
    }

    #[test]
    fn rows_with_lf_crlf_and_no_final_newline() {
        assert_eq!(
            rows(b"a\tb\nc\r\nd"),
            vec![(0, &b"a\tb"[..]), (4, b"c"), (7, b"d")]
        );
        assert_eq!(rows(b""), Vec::<(usize, &[u8])>::new());
        assert_eq!(rows(b"\n\n"), vec![(0, &b""[..]), (1, b"")]);
    }

    #[test]
    fn escaped_newlines_and_tabs_do_not_split() {
        let d = br"one\ttwo\nthree	x";
        let r = rows(d);
        assert_eq!(r.len(), 1);
        let mut f = Vec::new();
        assert_eq!(split_fields(r[0].1, &mut f), 2);
        assert_eq!(f[0], br"one\ttwo\nthree");
    }

    #[test]
    fn fields_keep_empties() {
        let mut f = Vec::new();
        assert_eq!(split_fields(b"\t\t", &mut f), 3);
        assert!(f.iter().all(|x| x.is_empty()));
        assert_eq!(split_fields(b"", &mut f), 1);
    }

    /// `for_each_row` against `Rows` + `split_fields`, the two-sweep
    /// reference.
    fn both_ways(d: &[u8]) {
        let mut want = Vec::new();
        let mut f = Vec::new();
        for (at, line) in Rows::new(d) {
            split_fields(line, &mut f);
            want.push((at, f.clone()));
        }
        let mut got = Vec::new();
        let mut scratch = Vec::new();
        for_each_row(d, &mut scratch, |at, fields| {
            got.push((at, fields.to_vec()));
            true
        });
        assert_eq!(got, want, "{:?}", String::from_utf8_lossy(d));
    }

    #[test]
    fn one_sweep_cuts_like_rows_then_fields() {
        for d in [
            &b""[..],
            b"\n",
            b"\n\n",
            b"a",
            b"a\tb",
            b"a\tb\n",
            b"a\tb\r\nc\td\r\n",
            b"\t\t\n\t",
            b"x\r",
            b"x\ty\r\n\r\n",
            b"one\\ttwo\\n\tthree\nlast\tno newline",
            b"\r\n\t\r\n",
        ] {
            both_ways(d);
        }
    }

    #[test]
    fn one_sweep_stops_when_asked() {
        let mut seen = 0;
        for_each_row(b"a\nb\nc\n", &mut Vec::new(), |_, _| {
            seen += 1;
            seen < 2
        });
        assert_eq!(seen, 2);
    }

    proptest::proptest! {
        #[test]
        fn one_sweep_matches_on_any_bytes(d in proptest::collection::vec(
            proptest::prop_oneof![
                proptest::strategy::Just(b'\t'),
                proptest::strategy::Just(b'\n'),
                proptest::strategy::Just(b'\r'),
                proptest::strategy::Just(b'\\'),
                proptest::num::u8::ANY,
            ],
            0..200,
        )) {
            both_ways(&d);
        }
    }

    #[test]
    fn chunks_end_on_row_boundaries() {
        let d = b"aaaa\nbb\ncccccc\nd\n";
        let ends = chunk_ends(d, 3);
        // A chunk runs to the end of the row holding its target byte.
        assert_eq!(ends, vec![5, 15, 17]);
        assert_eq!(chunk_ends(d, 1000), vec![d.len()]);
        assert_eq!(chunk_ends(b"", 10), Vec::<usize>::new());
        assert_eq!(chunk_ends(b"abc", 1), vec![3]);
    }
}
