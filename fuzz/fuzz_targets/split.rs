//! The statement splitter and the dump index on arbitrary bytes.
//!
//! Every statement must lie inside the input with `lead <= start <= end`,
//! and the pieces must tile the input: each `lead` is the previous `end`,
//! and what follows the last piece is the splitter's final position.
//! `dump::index` must not panic; errors are fine.

#![no_main]

use dumpshift::dump::split::{Kind, Splitter};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut splitter = Splitter::new(data);
    let mut prev_end = 0;
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
            s.lead, prev_end,
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
    }
    if !failed {
        // After the last piece only trailing trivia is left, from here on.
        assert!(splitter.position() <= data.len());
        assert_eq!(
            splitter.position(),
            prev_end,
            "trailing trivia does not start at the last piece's end"
        );
    }
    assert!(
        splitter.next().is_none(),
        "the splitter resumed after its end"
    );

    let _ = dumpshift::dump::index(data);
});
