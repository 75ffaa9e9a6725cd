//! The splitter through every path: each quoting form, comments, bodies,
//! meta-commands, COPY payloads, and truncation at every kind of construct.

use super::*;
use proptest::prelude::*;

fn kinds(d: &str) -> Vec<(String, &'static str)> {
    Splitter::new(d.as_bytes())
        .map(|s| {
            let s = s.unwrap();
            let text = d[s.start..s.end].to_string();
            let k = match s.kind {
                Kind::Sql { .. } => "sql",
                Kind::Meta => "meta",
                Kind::Copy { .. } => "copy",
            };
            (text, k)
        })
        .collect()
}

fn err(d: &str) -> DataError {
    Splitter::new(d.as_bytes())
        .find_map(Result::err)
        .expect("an error")
}

#[test]
fn statements_meta_commands_and_trivia() {
    let d = "--\n-- PostgreSQL database dump\n--\n\n\\restrict 9abc\n\nSET a = 1;\n/* c /* nested */ ; */ SELECT 2;\n\\connect db\n\\unrestrict 9abc\n";
    assert_eq!(
        kinds(d),
        vec![
            ("\\restrict 9abc".into(), "meta"),
            ("SET a = 1;".into(), "sql"),
            ("SELECT 2;".into(), "sql"),
            ("\\connect db".into(), "meta"),
            ("\\unrestrict 9abc".into(), "meta"),
        ]
    );
}

#[test]
fn semicolons_inside_literals_comments_and_parens_do_not_split() {
    let d = "SELECT ';', E'\\';', \"a;b\", $$;$$, $t$ $$; $t$ -- ;\n , (1;2);";
    assert_eq!(kinds(d).len(), 1);
    let d = "SELECT 'it''s;'; SELECT 2;";
    assert_eq!(kinds(d).len(), 2);
}

#[test]
fn a_copy_inside_a_string_comment_or_body_is_not_a_copy() {
    let d = "COMMENT ON TABLE t IS 'COPY public.tasks (id) FROM stdin;\n\\.\n';\n\
             CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $fn$\nBEGIN\nCOPY public.tasks (id) FROM stdin;\nEND $fn$;\n\
             /* COPY public.tasks (id) FROM stdin; */\n-- COPY public.tasks (id) FROM stdin;\nSELECT 1;\n";
    let k = kinds(d);
    assert!(k.iter().all(|(_, k)| *k == "sql"), "{k:?}");
    assert_eq!(k.len(), 3);
}

#[test]
fn copy_payload_runs_to_the_exact_terminator_line() {
    let d = "COPY public.t (a, b) FROM stdin;\n1\tx\\.y\n\\\\.z\t2\n\\.\nSELECT 1;\n";
    let s: Vec<_> = Splitter::new(d.as_bytes()).map(Result::unwrap).collect();
    let Kind::Copy { header, payload } = &s[0].kind else {
        panic!("not a copy")
    };
    assert_eq!(&d[header.clone()], "COPY public.t (a, b) FROM stdin;");
    assert_eq!(&d[payload.clone()], "1\tx\\.y\n\\\\.z\t2\n");
    assert_eq!(&d[s[1].start..s[1].end], "SELECT 1;");
}

#[test]
fn empty_copy_crlf_terminator_and_terminator_at_eof() {
    let d = "COPY t (a) FROM stdin;\n\\.\nCOPY t (a) FROM stdin;\r\n1\r\n\\.\r\nCOPY t (a) FROM STDIN;\n2\n\\.";
    let payloads: Vec<_> = Splitter::new(d.as_bytes())
        .map(|s| match s.unwrap().kind {
            Kind::Copy { payload, .. } => d[payload].to_string(),
            _ => panic!("not a copy"),
        })
        .collect();
    assert_eq!(payloads, vec!["", "1\r\n", "2\n"]);
}

#[test]
fn dollar_signs_that_are_not_quotes() {
    let d = "SELECT $1, a$b, $2x; SELECT 2;";
    assert_eq!(kinds(d).len(), 2);
}

#[test]
fn begin_atomic_bodies_keep_their_semicolons() {
    let d = "CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 2 END; END;\nSELECT 3;";
    let k = kinds(d);
    assert_eq!(k.len(), 2, "{k:?}");
    // A column named begin outside a routine is an ordinary word.
    assert_eq!(kinds("CREATE TABLE t (begin int); SELECT 1;").len(), 2);
}

#[test]
fn standard_conforming_strings_off_makes_backslashes_escape() {
    let d = "SET standard_conforming_strings = off;\nINSERT INTO t VALUES ('a\\';b');\nSELECT 1;";
    assert_eq!(kinds(d).len(), 3);
    let d = "SET standard_conforming_strings = on;\nINSERT INTO t VALUES ('a\\');\nSELECT 1;";
    assert_eq!(kinds(d).len(), 3);
}

#[test]
fn first_word_is_reported() {
    let d = "  /* x */ insert into t values (1);";
    let s = Splitter::new(d.as_bytes()).next().unwrap().unwrap();
    let Kind::Sql { word } = s.kind else { panic!() };
    assert_eq!(&d[word], "insert");
}

#[test]
fn truncation_is_an_error_at_the_construct() {
    assert!(err("SELECT 'abc").message().contains("string literal"));
    assert!(err("SELECT E'abc\\").message().contains("string literal"));
    assert!(err("SELECT \"abc").message().contains("quoted identifier"));
    assert!(err("SELECT $$abc").message().contains("dollar-quoted"));
    assert!(err("/* abc").message().contains("comment"));
    assert!(err("SELECT 1").message().contains("no terminating `;`"));
    let e = err("SELECT 1;\nCOPY t (a) FROM stdin;\n1\n");
    assert!(e.message().contains("`\\.`"));
    assert_eq!(e.byte(), Some(10));
}

#[test]
fn meta_commands_tile_with_their_neighbours() {
    // Found by fuzzing: the newline after a meta-command fell between pieces.
    for d in ["\\\n", "\\restrict k\nSELECT 1;\n", "\\n\nULL;\nredba\n\n"] {
        let mut prev = 0;
        let mut sp = Splitter::new(d.as_bytes());
        for s in sp.by_ref() {
            let Ok(s) = s else { break };
            assert_eq!(s.lead, prev, "{d:?}");
            prev = s.end;
        }
        assert!(sp.position() >= prev);
    }
}

#[test]
fn the_stream_stops_after_an_error() {
    let mut s = Splitter::new(b"SELECT 'x");
    assert!(s.next().unwrap().is_err());
    assert!(s.next().is_none());
}

proptest! {
    #[test]
    fn scanning_arbitrary_bytes_never_panics(v in proptest::collection::vec(any::<u8>(), 0..400)) {
        for s in Splitter::new(&v).flatten() {
            prop_assert!(s.lead <= s.start && s.start <= s.end && s.end <= v.len());
        }
    }

    #[test]
    fn pieces_rejoin_to_the_input(stmts in proptest::collection::vec("[a-z ;'\"$()\\\\.\\-\\n]{0,30}", 0..8)) {
        let text: String = stmts.iter().map(|s| format!("{s};\n")).collect();
        let mut rebuilt = Vec::new();
        let mut sp = Splitter::new(text.as_bytes());
        let mut ok = true;
        for s in sp.by_ref() {
            match s {
                Ok(s) => rebuilt.extend_from_slice(&text.as_bytes()[s.lead..s.end]),
                Err(_) => { ok = false; break; }
            }
        }
        if ok {
            rebuilt.extend_from_slice(&text.as_bytes()[sp.position()..]);
            prop_assert_eq!(rebuilt, text.as_bytes());
        }
    }
}

#[test]
fn a_terminator_is_found_where_one_search_finds_it_whatever_the_threads() {
    // Rows of 64 bytes past several 4 MiB pieces, then the first line that
    // begins with `\.` (a corrupt one, `\.x`, or the real one) placed across
    // piece borders; a real one after a corrupt one does not count.
    let row = format!("{}\n", "a".repeat(63));
    for border in [4usize << 20, 8 << 20, 12 << 20] {
        for shift in [0usize, 1, 2, 3, 64] {
            for corrupt in [false, true] {
                let mut data = b"COPY t (a) FROM stdin;\n".to_vec();
                let from = data.len();
                while data.len() < border - shift - 1 {
                    data.extend_from_slice(row.as_bytes());
                }
                data.truncate(border - shift - 1);
                data.push(b'\n');
                let line = data.len();
                let want = if corrupt {
                    data.extend_from_slice(b"\\.x\nb\n\\.\n");
                    Some(CopyEnd::Corrupt(line))
                } else {
                    data.extend_from_slice(b"\\.\n");
                    Some(CopyEnd::At(line, line + 3))
                };
                data.extend_from_slice(b"SELECT 1;\n");
                for threads in [1, 2, 3] {
                    let pool = rayon::ThreadPoolBuilder::new()
                        .num_threads(threads)
                        .build()
                        .unwrap();
                    let got = pool.install(|| find_copy_end(&data, from));
                    assert_eq!(
                        got, want,
                        "border {border}, shift {shift}, corrupt {corrupt}, {threads} threads"
                    );
                }
            }
        }
    }
    assert_eq!(find_copy_end(b"a\n", 0), None);
    assert_eq!(find_copy_end(b"\\.", 0), Some(CopyEnd::At(0, 2)));
    assert_eq!(find_copy_end(b"\\. \n", 0), Some(CopyEnd::Corrupt(0)));
}

#[test]
fn a_line_beginning_with_the_end_marker_and_more_is_an_error_at_that_line_naming_the_table() {
    for tail in [" ", "x", "\\.", "\r\r", "\t1"] {
        let d = format!("COPY public.t (a) FROM stdin;\n1\n\\.{tail}\n2\n\\.\nSELECT 1;\n");
        let e = err(&d);
        assert!(
            e.message().contains("end-of-copy marker corrupt"),
            "{tail:?}: {e:?}"
        );
        assert_eq!(e.byte(), Some(d.find("\n\\.").unwrap() + 1), "{tail:?}");
        assert_eq!(e.table_name(), Some("public.t"));
    }
    // Right after the header, too.
    let e = err("COPY public.t (a) FROM stdin;\n\\. \n");
    assert_eq!(e.byte(), Some(30));
}
