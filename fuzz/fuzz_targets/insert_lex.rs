//! The INSERT header parser and the VALUES lexer on arbitrary bytes.
//!
//! `parse_header` must not panic; on success the tuples after `values_at`
//! are lexed with both settings of `standard_conforming_strings`. The input
//! is also lexed as the VALUES list of a fixed, valid header
//! (`INSERT INTO public.t (a, b) VALUES `). `next_tuple`
//! must end (`None` or an error) within `len + 2` calls: a lexer that stops
//! advancing is a bug. Each tuple must start at a `(` and give its values
//! as contiguous COPY text fields with no raw tab, newline or carriage
//! return; after an error, asking again must give the same error.

#![no_main]

use std::sync::Once;

use dumpshift::dump::insert::{parse_header, Tuples};
use libfuzzer_sys::fuzz_target;

const HEADER: &[u8] = b"INSERT INTO public.t (a, b) VALUES ";

fn lex(stmt: &[u8], values_at: usize, std_strings: bool) {
    let mut tuples = Tuples::new(stmt, values_at, std_strings);
    let mut buf = Vec::new();
    let mut ranges = Vec::new();
    let limit = stmt.len() + 2;
    for _ in 0..limit {
        match tuples.next_tuple(&mut buf, &mut ranges) {
            Ok(Some(open)) => {
                assert!(open >= values_at.min(stmt.len()) && open < stmt.len());
                assert_eq!(stmt[open], b'(', "a tuple does not start at `(`");
                assert!(!ranges.is_empty(), "a tuple with no values");
                let mut at = 0;
                for r in &ranges {
                    assert_eq!(r.start, at, "value ranges are not contiguous");
                    assert!(r.start <= r.end);
                    at = r.end;
                }
                assert_eq!(at, buf.len(), "value ranges do not cover the buffer");
                assert!(
                    !buf.iter().any(|b| matches!(b, b'\t' | b'\n' | b'\r')),
                    "a COPY field holds a raw separator: {buf:?}"
                );
            }
            Ok(None) => {
                // Finished for good.
                assert_eq!(tuples.next_tuple(&mut buf, &mut ranges).ok(), Some(None));
                return;
            }
            Err(e) => {
                let again = tuples.next_tuple(&mut buf, &mut ranges);
                assert_eq!(
                    again.err(),
                    Some(e),
                    "a second call gave a different result"
                );
                return;
            }
        }
    }
    panic!(
        "next_tuple neither finished nor failed within {limit} calls on a {}-byte statement",
        stmt.len()
    );
}

fuzz_target!(|data: &[u8]| {
    if let Ok(h) = parse_header(data) {
        assert!(h.values_at <= data.len());
        lex(data, h.values_at, true);
        lex(data, h.values_at, false);
    }

    // The fixed header is parsed once; each input is lexed as its VALUES list.
    static CHECKED: Once = Once::new();
    CHECKED.call_once(|| {
        let h = parse_header(b"INSERT INTO public.t (a, b) VALUES (1, 2);").unwrap();
        assert_eq!(h.values_at, HEADER.len());
    });
    let mut stmt = Vec::with_capacity(HEADER.len() + data.len());
    stmt.extend_from_slice(HEADER);
    stmt.extend_from_slice(data);
    lex(&stmt, HEADER.len(), true);
    lex(&stmt, HEADER.len(), false);
});
