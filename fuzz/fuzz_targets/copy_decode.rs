//! The COPY text codec and row scanner on arbitrary bytes.
//!
//! `decode_into` must accept anything; `encode_into` then `decode_into` must
//! give the input back, through a field with no raw tab, newline or carriage
//! return. `Rows` and `split_fields` must cut any payload into pieces that
//! rebuild it exactly; `chunk_ends` must end chunks on row boundaries.

#![no_main]

use dumpshift::copy::codec::{decode_into, encode_into, is_null};
use dumpshift::copy::scan::{chunk_ends, split_fields, Rows};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Decoding never fails, and an escape never makes more bytes than it takes.
    let mut decoded = Vec::new();
    decode_into(data, &mut decoded);
    assert!(decoded.len() <= data.len());

    // Encoding round-trips.
    let mut encoded = Vec::new();
    encode_into(data, &mut encoded);
    assert!(
        !encoded.iter().any(|b| matches!(b, b'\t' | b'\n' | b'\r')),
        "encoded field holds a raw separator: {encoded:?}"
    );
    assert!(!is_null(&encoded), "a value encoded to the NULL marker");
    let mut back = Vec::new();
    decode_into(&encoded, &mut back);
    assert_eq!(back, data, "decode(encode(x)) != x");

    // Rows tile the payload: each row starts where the previous line ended,
    // holds no newline, and loses at most a `\r` before its line ending.
    let mut fields = Vec::new();
    let mut next = 0;
    let mut count = 0;
    for (off, row) in Rows::new(data) {
        count += 1;
        assert!(count <= data.len(), "more rows than bytes");
        assert_eq!(off, next, "row does not start where the previous ended");
        assert_eq!(&data[off..off + row.len()], row);
        assert!(!row.contains(&b'\n'));
        let mut end = off + row.len();
        if data.get(end) == Some(&b'\r') {
            end += 1;
            assert!(
                matches!(data.get(end), None | Some(b'\n')),
                "a `\\r` was dropped that did not end a line"
            );
        }
        if data.get(end) == Some(&b'\n') {
            end += 1;
        } else {
            assert_eq!(end, data.len(), "row ended before a newline or the end");
        }
        next = end;

        let n = split_fields(row, &mut fields);
        assert_eq!(n, fields.len());
        assert_eq!(n, row.iter().filter(|&&b| b == b'\t').count() + 1);
        assert_eq!(fields.join(&b'\t'), row, "fields do not rebuild the row");
        for f in &fields {
            let mut value = Vec::new();
            decode_into(f, &mut value);
        }
    }
    assert_eq!(next, data.len(), "rows do not cover the payload");

    // Chunks end on row boundaries.
    let target = usize::from(data.first().copied().unwrap_or(1));
    let ends = chunk_ends(data, target);
    let mut prev = 0;
    for (k, &e) in ends.iter().enumerate() {
        assert!(
            e > prev && e <= data.len(),
            "chunk ends not increasing: {ends:?}"
        );
        if k + 1 < ends.len() {
            assert_eq!(data[e - 1], b'\n', "chunk does not end on a row boundary");
        }
        prev = e;
    }
    assert_eq!(prev, data.len(), "chunks do not cover the payload");
});
