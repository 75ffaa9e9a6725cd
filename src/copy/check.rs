//! What PostgreSQL's COPY FROM refuses in text-format data that the row
//! cutter (`scan`) cannot see: a backslash before a raw tab, newline or
//! carriage return; `\.` anywhere but alone on its line; a raw carriage
//! return that is not part of the block's line ending; a line ending that
//! differs from the one the block's first line set (`copyfromparse.c`,
//! `CopyReadLineText`).
//!
//! The cutter splits on every raw tab and newline without looking at
//! backslashes, which is right for everything pg_dump writes (it escapes a
//! tab, newline and carriage return in data as `\t`, `\n`, `\r`) and wrong
//! for a hand-edited dump: PostgreSQL reads `\` + raw tab as a tab inside
//! the value, so the two would cut the row differently. Such bytes are
//! refused here rather than read either way.
//!
//! Backslashes are too common in real data (every `\N`) to stop at each, so
//! nothing here walks the escapes: `sweep` stops only at carriage returns
//! and NULs (memchr2, as cheap as the NUL check it replaces) and at `\.`
//! (memmem), and tells whether a backslash escapes by the parity of the run
//! of backslashes it ends. A backslash before a raw tab or line ending is
//! the last byte of a field the cutter made, so `ends_escaped` checks that
//! per field.

/// A block's line ending, set by its first line as PostgreSQL sets it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Eol {
    Lf,
    CrLf,
}

impl Eol {
    /// The line ending of a block whose rows are `payload`: its first
    /// line's. A payload without a newline counts as LF.
    pub fn of(payload: &[u8]) -> Eol {
        match memchr::memchr(b'\n', payload) {
            Some(n) if n > 0 && payload[n - 1] == b'\r' => Eol::CrLf,
            _ => Eol::Lf,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Eol::Lf => "LF",
            Eol::CrLf => "CRLF",
        }
    }
}

/// One way a block's bytes break COPY's text format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Defect {
    /// `\` then a raw tab: PostgreSQL reads a tab inside the value.
    EscapedTab,
    /// `\` then a raw newline: PostgreSQL joins the row to the next line.
    EscapedNewline,
    /// `\.` inside a line.
    MarkerInLine,
    /// A carriage return that is not part of a CRLF line ending.
    RawCr,
    /// A row ending in CRLF in a block whose first line ends in LF.
    CrLfInLfBlock,
    /// A row ending in LF in a block whose first line ends in CRLF.
    LfInCrLfBlock,
}

impl Defect {
    pub fn message(self) -> &'static str {
        match self {
            Defect::EscapedTab => "a backslash before a raw tab: PostgreSQL reads it as a tab inside the value, not as the end of the column, so it would cut this row otherwise than dumpshift (pg_dump writes a tab in data as \\t)",
            Defect::EscapedNewline => "a backslash before the row's raw line ending: PostgreSQL does not end the row there but reads the line break into the value (pg_dump writes a newline in data as \\n)",
            Defect::MarkerInLine => "end-of-copy marker \\. inside a line: PostgreSQL refuses the table's COPY (end-of-copy marker corrupt); \\. must stand alone on its line",
            Defect::RawCr => "a raw carriage return in the data: PostgreSQL refuses the table's COPY (literal carriage return found in data); pg_dump writes it as \\r",
            Defect::CrLfInLfBlock => "this row ends in CRLF, but the COPY block's first line ends in LF: PostgreSQL refuses the table's COPY (literal carriage return found in data)",
            Defect::LfInCrLfBlock => "this row ends in LF, but the COPY block's first line ends in CRLF: PostgreSQL refuses the table's COPY (literal newline found in data)",
        }
    }

    /// Whether the defect sits inside a value (so a column can be named),
    /// rather than at the row's end.
    pub fn in_value(self) -> bool {
        !matches!(self, Defect::CrLfInLfBlock | Defect::LfInCrLfBlock)
    }
}

/// What one sweep over a piece of a block found.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Sweep {
    /// A NUL byte is somewhere in the piece.
    pub nul: bool,
    /// The first defect, by offset in the piece; the sweep stops there.
    pub defect: Option<(usize, Defect)>,
}

/// Sweeps `data`, whole rows of a block whose line ending is `eol`.
pub fn sweep(data: &[u8], eol: Eol) -> Sweep {
    let (nul, cr) = match eol {
        Eol::Lf => sweep_lf(data),
        Eol::CrLf => (memchr::memchr(0, data).is_some(), defect_crlf(data)),
    };
    let dot = memchr::memmem::find_iter(data, b"\\.")
        .find(|&at| escapes(data, at))
        .map(|at| (at, Defect::MarkerInLine));
    let defect = match (cr, dot) {
        (Some(a), Some(b)) => Some(if b.0 < a.0 { b } else { a }),
        (a, b) => a.or(b),
    };
    Sweep { nul, defect }
}

/// In an LF block no raw carriage return belongs anywhere, so the NUL
/// check rides along on the same memchr.
fn sweep_lf(data: &[u8]) -> (bool, Option<(usize, Defect)>) {
    let mut nul = false;
    for at in memchr::memchr2_iter(0, b'\r', data) {
        if data[at] == 0 {
            nul = true;
        } else if data.get(at + 1) == Some(&b'\n') {
            return (nul, Some((at, Defect::CrLfInLfBlock)));
        } else {
            return (nul, Some((at, Defect::RawCr)));
        }
    }
    (nul, None)
}

/// In a CRLF block every newline must follow a carriage return and every
/// carriage return come before a newline.
fn defect_crlf(data: &[u8]) -> Option<(usize, Defect)> {
    let mut i = 0;
    while let Some(n) = memchr::memchr2(b'\r', b'\n', &data[i..]) {
        let at = i + n;
        i = match data[at] {
            b'\r' if data.get(at + 1) == Some(&b'\n') => at + 2,
            b'\r' => return Some((at, Defect::RawCr)),
            _ => return Some((at, Defect::LfInCrLfBlock)),
        };
    }
    None
}

/// Whether the backslash at `at` starts an escape, so escapes the byte
/// after it: the run of backslashes it ends is odd (`\\` pairs escape
/// each other).
fn escapes(data: &[u8], at: usize) -> bool {
    let run = data[..=at]
        .iter()
        .rev()
        .take_while(|&&b| b == b'\\')
        .count();
    run % 2 == 1
}

/// Whether a raw field, as the cutter cut it, ends in a backslash that
/// escapes the raw tab or line ending after it. Looks at the last byte
/// only, unless it is a backslash.
#[inline]
pub fn ends_escaped(field: &[u8]) -> bool {
    field.last() == Some(&b'\\') && escapes(field, field.len() - 1)
}

/// The `\.` line at the end of a block of rows `payload`: why PostgreSQL
/// refuses it when its line ending is not the rows' ("end-of-copy marker
/// does not match previous newline style"); `None` when it matches, or
/// when there are no rows to set a style.
pub fn marker_mismatch(payload: &[u8], marker: &[u8]) -> Option<String> {
    if payload.is_empty() {
        return None;
    }
    let rows = Eol::of(payload);
    let own = if marker.starts_with(b"\\.\r\n") {
        Eol::CrLf
    } else if marker.starts_with(b"\\.\n") {
        Eol::Lf
    } else {
        // At the end of the file: no line ending to compare.
        return None;
    };
    (own != rows).then(|| {
        format!(
            "the end-of-copy marker \\. line ends in {}, but the block's rows end in {}: PostgreSQL refuses the table's COPY (end-of-copy marker does not match previous newline style)",
            own.name(),
            rows.name()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(d: &[u8], eol: Eol) -> Option<(usize, Defect)> {
        sweep(d, eol).defect
    }

    #[test]
    fn what_pg_dump_writes_passes_in_either_line_ending() {
        let lf = b"a\\tb\t\\N\tc\\\\\t\\\\.\tx\\r\\n\n2\t\\\\\n";
        assert_eq!(sweep(lf, Eol::Lf), Sweep::default());
        let crlf = b"a\\tb\t\\N\r\n2\t\\\\\r\n";
        assert_eq!(sweep(crlf, Eol::CrLf), Sweep::default());
        assert_eq!(sweep(b"", Eol::Lf), Sweep::default());
    }

    #[test]
    fn a_field_ending_in_an_odd_run_of_backslashes_escapes_what_follows() {
        assert!(ends_escaped(b"ab\\"));
        assert!(ends_escaped(b"\\"));
        assert!(ends_escaped(b"ab\\\\\\"));
        assert!(!ends_escaped(b"ab\\\\"));
        assert!(!ends_escaped(b"\\N"));
        assert!(!ends_escaped(b""));
    }

    #[test]
    fn an_end_marker_inside_a_line_is_a_defect_but_an_escaped_backslash_dot_is_not() {
        assert_eq!(
            first(b"1\tRunning, \\. x\n", Eol::Lf),
            Some((11, Defect::MarkerInLine))
        );
        assert_eq!(
            first(b"1\tx\\.\n", Eol::CrLf),
            Some((3, Defect::MarkerInLine))
        );
        assert_eq!(first(b"1\tx\\\\.\n", Eol::Lf), None);
        assert_eq!(
            first(b"1\tx\\\\\\.\n", Eol::Lf),
            Some((5, Defect::MarkerInLine))
        );
        // The earlier of a carriage return and a marker is the one said.
        assert_eq!(first(b"\\.\r\n", Eol::Lf), Some((0, Defect::MarkerInLine)));
        assert_eq!(first(b"\r\\.\n", Eol::Lf), Some((0, Defect::RawCr)));
    }

    #[test]
    fn a_raw_cr_is_refused_unless_it_ends_a_line_of_a_crlf_block() {
        assert_eq!(first(b"a\rb\n", Eol::Lf), Some((1, Defect::RawCr)));
        assert_eq!(first(b"a\rb\r\n", Eol::CrLf), Some((1, Defect::RawCr)));
        assert_eq!(
            first(b"a\n b\r\n", Eol::Lf),
            Some((4, Defect::CrLfInLfBlock))
        );
        assert_eq!(
            first(b"a\r\nb\nc\r\n", Eol::CrLf),
            Some((4, Defect::LfInCrLfBlock))
        );
        assert_eq!(first(b"x\r", Eol::CrLf), Some((1, Defect::RawCr)));
    }

    #[test]
    fn nul_is_noted_and_the_sweep_goes_on() {
        assert_eq!(
            sweep(b"a\0b\n\\\\c\n", Eol::Lf),
            Sweep {
                nul: true,
                defect: None
            }
        );
        let s = sweep(b"a\0b\rc\n", Eol::Lf);
        assert!(s.nul);
        assert_eq!(s.defect, Some((3, Defect::RawCr)));
        assert!(sweep(b"a\0b\r\n", Eol::CrLf).nul);
    }

    #[test]
    fn the_first_line_sets_the_block_s_line_ending() {
        assert_eq!(Eol::of(b"a\r\nb\n"), Eol::CrLf);
        assert_eq!(Eol::of(b"a\nb\r\n"), Eol::Lf);
        assert_eq!(Eol::of(b"\r\n"), Eol::CrLf);
        assert_eq!(Eol::of(b"\n"), Eol::Lf);
        assert_eq!(Eol::of(b"abc"), Eol::Lf);
    }

    #[test]
    fn the_end_marker_line_must_end_as_the_rows_do() {
        assert_eq!(marker_mismatch(b"1\n", b"\\.\n"), None);
        assert_eq!(marker_mismatch(b"1\r\n", b"\\.\r\n"), None);
        assert_eq!(marker_mismatch(b"", b"\\.\r\n"), None);
        assert_eq!(marker_mismatch(b"1\n", b"\\."), None);
        let e = marker_mismatch(b"1\n", b"\\.\r\nSELECT 1;").unwrap();
        assert!(
            e.contains("ends in CRLF, but the block's rows end in LF"),
            "{e}"
        );
        let e = marker_mismatch(b"1\r\n", b"\\.\n").unwrap();
        assert!(
            e.contains("ends in LF, but the block's rows end in CRLF"),
            "{e}"
        );
    }

    proptest::proptest! {
        /// Whatever the bytes, the sweep never panics, and a defect it
        /// reports is where it says.
        #[test]
        fn sweeping_any_bytes_never_panics(d in proptest::collection::vec(
            proptest::prop_oneof![
                proptest::strategy::Just(b'\t'),
                proptest::strategy::Just(b'\n'),
                proptest::strategy::Just(b'\r'),
                proptest::strategy::Just(b'\\'),
                proptest::strategy::Just(b'.'),
                proptest::num::u8::ANY,
            ],
            0..200,
        )) {
            for eol in [Eol::Lf, Eol::CrLf] {
                if let Some((at, d0)) = sweep(&d, eol).defect {
                    let b = d[at];
                    proptest::prop_assert!(b == b'\\' || b == b'\r' || b == b'\n', "{d0:?} at {at}");
                    proptest::prop_assert!(d0 != Defect::MarkerInLine || escapes(&d, at));
                }
            }
        }
    }
}
