//! Tests of the INSERT reader: every value form, the errors, round trips
//! against the COPY codec, the headers, and the fixture dumps against their
//! COPY twin.

mod fixtures;
mod headers;
mod props;
mod values;

use std::ops::Range;

use super::{parse_header, Tuples};
use crate::error::DataError;

/// Every tuple of `stmt`, each as its raw COPY fields.
fn lex_stmt(stmt: &[u8], std_strings: bool) -> Result<Vec<Vec<Vec<u8>>>, DataError> {
    let h = parse_header(stmt)?;
    let mut t = Tuples::new(stmt, h.values_at, std_strings);
    let mut buf = Vec::new();
    let mut ranges: Vec<Range<usize>> = Vec::new();
    let mut rows = Vec::new();
    while t.next_tuple(&mut buf, &mut ranges)?.is_some() {
        rows.push(ranges.iter().map(|r| buf[r.clone()].to_vec()).collect());
    }
    Ok(rows)
}

/// Lexes `INSERT INTO t VALUES <values>;` into text fields.
fn rows_with(values: &str, std_strings: bool) -> Result<Vec<Vec<String>>, DataError> {
    let stmt = format!("INSERT INTO t VALUES {values};");
    let rows = lex_stmt(stmt.as_bytes(), std_strings)?;
    Ok(rows
        .into_iter()
        .map(|r| {
            r.into_iter()
                .map(|f| String::from_utf8(f).expect("UTF-8 field"))
                .collect()
        })
        .collect())
}

fn rows(values: &str) -> Vec<Vec<String>> {
    rows_with(values, true).unwrap_or_else(|e| panic!("{values}: {e} at {:?}", e.byte()))
}

/// The single field of `INSERT INTO t VALUES (<value>);`.
fn one(value: &str) -> String {
    let r = rows(&format!("({value})"));
    assert_eq!(r.len(), 1, "{value}");
    assert_eq!(r[0].len(), 1, "{value}");
    r[0][0].clone()
}

/// The error for `INSERT INTO t VALUES <values>;`, with its offset counted
/// from the start of `values`.
fn err(values: &str) -> (String, usize) {
    let e = rows_with(values, true).expect_err(values);
    let prefix = "INSERT INTO t VALUES ".len();
    let at = e.byte().expect("an offset");
    assert!(at >= prefix, "{values}: error before the values: {e}");
    (e.message().to_string(), at - prefix)
}
