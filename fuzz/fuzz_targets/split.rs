//! The statement splitter and the dump index on arbitrary bytes.
//!
//! Every statement must lie inside the input with `lead <= start <= end`,
//! and the pieces must tile the input: each `lead` is the previous `end`,
//! and what follows the last piece is the splitter's final position.
//! `dump::index` must not panic; errors are fine.
//!
//! `DUMPSHIFT_FUZZ_ALLOW_META_NEWLINE=1` tolerates one known gap: the `\n`
//! ending a psql meta-command line, which belongs to no piece (a Meta's
//! `end` stops before it, the next `lead` starts after it). Everything else
//! is still checked.

#![no_main]

use std::sync::OnceLock;

use dumpshift::dump::split::{Kind, Splitter};
use libfuzzer_sys::fuzz_target;

fn allow_meta_newline() -> bool {
    static ALLOW: OnceLock<bool> = OnceLock::new();
    *ALLOW.get_or_init(|| {
        std::env::var_os("DUMPSHIFT_FUZZ_ALLOW_META_NEWLINE").is_some_and(|v| v == "1")
    })
}

/// Where the next piece should begin, given the previous piece.
fn expected_lead(data: &[u8], prev_end: usize, prev_meta: bool) -> usize {
    if prev_meta && allow_meta_newline() && data.get(prev_end) == Some(&b'\n') {
        prev_end + 1
    } else {
        prev_end
    }
}

fuzz_target!(|data: &[u8]| {
    let mut splitter = Splitter::new(data);
    let mut prev_end = 0;
    let mut prev_meta = false;
    let mut failed = false;
    for item in splitter.by_ref() {
        let s = match item {
            Ok(s) => s,
            Err(_) => {
                failed = true;
                break;
            }
        };
        assert!(
            s.lead <= s.start && s.start <= s.end && s.end <= data.len(),
            "statement out of order or out of bounds: {s:?}, input length {}",
            data.len()
        );
        assert_eq!(
            s.lead,
            expected_lead(data, prev_end, prev_meta),
            "pieces do not tile the input: previous end {prev_end}, statement {s:?}"
        );
        match &s.kind {
            Kind::Sql { word } => assert!(
                s.start <= word.start && word.start <= word.end && word.end <= s.end,
                "first keyword outside its statement: {s:?}"
            ),
            Kind::Meta => {}
            Kind::Copy { header, payload } => assert!(
                header.start == s.start
                    && header.start <= header.end
                    && header.end <= payload.start
                    && payload.start <= payload.end
                    && payload.end <= s.end,
                "COPY header and payload out of place: {s:?}"
            ),
        }
        prev_end = s.end;
        prev_meta = matches!(s.kind, Kind::Meta);
    }
    if !failed {
        // After the last piece only trailing trivia is left, from here on.
        assert!(splitter.position() <= data.len());
        assert_eq!(
            splitter.position(),
            expected_lead(data, prev_end, prev_meta),
            "trailing trivia does not start at the last piece's end"
        );
    }
    assert!(
        splitter.next().is_none(),
        "the splitter resumed after its end"
    );

    let _ = dumpshift::dump::index(data);
});
