//! Each value form, tuple layouts, and malformed input.

use super::*;

#[test]
fn null_in_any_case() {
    assert_eq!(rows("(NULL, null, Null)"), vec![vec![r"\N"; 3]]);
    // The text `\N` and the text `NULL` are not NULL.
    assert_eq!(rows(r"('\N', 'NULL')"), vec![vec![r"\\N", "NULL"]]);
}

#[test]
fn plain_strings_double_quotes_and_escape_controls() {
    assert_eq!(one("''"), "");
    assert_eq!(one("'it''s'"), "it's");
    assert_eq!(one("''''''"), "''");
    assert_eq!(one("'a\nb\r\nc\td'"), r"a\nb\r\nc\td");
    assert_eq!(one("'\x08\x0c\x0b'"), r"\b\f\v");
    // Standard strings keep backslashes; COPY doubles them.
    assert_eq!(one(r"'C:\dir\'"), r"C:\\dir\\");
    // Other control bytes are raw in COPY text too.
    assert_eq!(one("'\x07\x1b\x7f'"), "\x07\x1b\x7f");
}

#[test]
fn e_strings_take_every_backslash_escape() {
    assert_eq!(one(r"E'\b\f\n\r\t\\\''"), r"\b\f\n\r\t\\'");
    assert_eq!(one(r"e'a''b'"), "a'b");
    assert_eq!(one(r"E'\101\60\7'"), "A0\x07");
    assert_eq!(one(r"E'\1012'"), "A2");
    // PostgreSQL keeps the low 8 bits of an octal escape: `\777` is 0xff,
    // which alone is not UTF-8; `\303\251` is é.
    assert_eq!(one(r"E'\303\251'"), "é");
    assert_eq!(one(r"E'\x41\x4a\xA'"), "AJ\\n");
    assert_eq!(one(r"E'\xg'"), "xg");
    assert_eq!(one(r"E'\u00e9\U0001F600'"), "é😀");
    assert_eq!(one(r"E'\u000A'"), r"\n");
    // A surrogate pair is one character.
    assert_eq!(one(r"E'\uD83D\uDE00'"), "😀");
    // Anything else stands for itself; `\v` is not an escape in PostgreSQL.
    assert_eq!(one(r"E'\v\q\.\N\é'"), r"vq.Né");
    assert_eq!(one("E'a\\\nb'"), r"a\nb");
}

#[test]
fn bad_escapes_are_refused() {
    let cases = [
        (r"(E'\uD83D')", "surrogate"),
        (r"(E'\uDE00')", "surrogate"),
        (r"(E'\uD83Dx')", "surrogate"),
        (r"(E'\u0000')", "escape value"),
        (r"(E'\U00110000')", "escape value"),
        (r"(E'\u12')", "\\uXXXX"),
        (r"(E'\777')", "UTF-8"),
        (r"(E'\xff')", "UTF-8"),
        (r"(E'\0')", "NUL"),
    ];
    for (v, want) in cases {
        let (msg, _) = err(v);
        assert!(msg.contains(want), "{v}: {msg}");
    }
}

#[test]
fn standard_conforming_strings_off_makes_plain_strings_escaped() {
    let r = rows_with(r"('a\tb\\c\'d''e')", false).unwrap();
    assert_eq!(r, vec![vec![r"a\tb\\c'd'e"]]);
    let r = rows_with(r"('a\tb')", true).unwrap();
    assert_eq!(r, vec![vec![r"a\\tb"]]);
}

#[test]
fn unicode_escape_strings_are_refused_clearly() {
    let (msg, at) = err(r"(1, U&'d\0061t\+000061')");
    assert!(msg.contains("U&"), "{msg}");
    assert_eq!(at, 4);
}

#[test]
fn numbers_are_copied_as_written() {
    assert_eq!(
        rows("(42, -7, -1.5e-3, 1E+10, .5, 5., +3, 0, 5368709120)"),
        vec![vec![
            "42",
            "-7",
            "-1.5e-3",
            "1E+10",
            ".5",
            "5.",
            "3",
            "0",
            "5368709120"
        ]]
    );
    for bad in ["(1e)", "(12abc)", "(-)", "(1.2.3)", "(.)", "(- 1)"] {
        err(bad);
    }
}

#[test]
fn booleans_and_special_floats() {
    assert_eq!(
        rows("(true, false, TRUE, False)"),
        vec![vec!["t", "f", "t", "f"]]
    );
    assert_eq!(
        rows("('NaN', 'Infinity', '-Infinity', 'infinity')"),
        vec![vec!["NaN", "Infinity", "-Infinity", "infinity"]]
    );
}

#[test]
fn bit_strings_become_binary_digits() {
    assert_eq!(one("B'0101'"), "0101");
    assert_eq!(one("b''"), "");
    assert_eq!(one("X'1F'"), "00011111");
    assert_eq!(one("x'a0'"), "10100000");
    assert!(err("(B'012')").0.contains("binary"));
    assert_eq!(err("(X'1G')").1, 4);
}

#[test]
fn casts_after_a_literal_are_skipped() {
    assert_eq!(one("'{a,b}'::text[]"), "{a,b}");
    assert_eq!(one(r#"'{"k": 1}'::jsonb"#), r#"{"k": 1}"#);
    assert_eq!(one("'x'::character varying(10)"), "x");
    assert_eq!(
        one("'2024-01-01 00:00:00+00'::timestamp with time zone"),
        "2024-01-01 00:00:00+00"
    );
    assert_eq!(one(r#"'x'::"public"."my type""#), "x");
    assert_eq!(one("NULL::uuid"), r"\N");
    assert_eq!(one("'1'::int::text"), "1");
    assert_eq!(one("'x' :: text /* c */"), "x");
    assert_eq!(one("5::numeric(10, 2)"), "5");
    assert_eq!(one("'{}'::int[3][]"), "{}");
    assert_eq!(one("'{}'::pg_catalog.int4 []"), "{}");
    assert!(err("('x'::)").0.contains("type name"));
    assert!(err("('x'::numeric(a))").0.contains("type name"));
}

#[test]
fn comments_and_whitespace_between_tokens() {
    assert_eq!(
        rows("( /* c /* nested */ ; */ 1 -- note ,\n , 'a'\n)\n-- end\n"),
        vec![vec!["1", "a"]]
    );
    assert_eq!(rows("(1)/**/,/**/(2)"), vec![vec!["1"], vec!["2"]]);
}

#[test]
fn rows_per_insert_layout_and_tuple_offsets() {
    let stmt = b"INSERT INTO public.t VALUES\n\t(1, 'a'),\n\t(2, 'b');";
    let h = parse_header(stmt).unwrap();
    assert_eq!(h.values_at, 29);
    let mut t = Tuples::new(stmt, h.values_at, true);
    let (mut buf, mut ranges) = (Vec::new(), Vec::new());
    assert_eq!(t.next_tuple(&mut buf, &mut ranges).unwrap(), Some(29));
    assert_eq!((&buf[..], &ranges[..]), (&b"1a"[..], &[0..1, 1..2][..]));
    assert_eq!(t.next_tuple(&mut buf, &mut ranges).unwrap(), Some(40));
    assert_eq!(buf, b"2b");
    assert_eq!(t.next_tuple(&mut buf, &mut ranges).unwrap(), None);
    assert!(buf.is_empty() && ranges.is_empty());
    assert_eq!(t.next_tuple(&mut buf, &mut ranges).unwrap(), None);
}

#[test]
fn tuple_punctuation_inside_strings_is_text() {
    assert_eq!(
        rows("('a),(b', '),('), ('''', ');--')"),
        vec![vec!["a),(b", "),("], vec!["'", ");--"]]
    );
}

#[test]
fn a_line_that_is_exactly_backslash_dot() {
    assert_eq!(one("'first\n\\.\nlast'"), r"first\n\\.\nlast");
    assert_eq!(one("'\\.'"), r"\\.");
    assert_eq!(one("E'first\\n\\\\.\\nlast'"), r"first\n\\.\nlast");
}

#[test]
fn emoji_and_right_to_left_text() {
    let family = "👨‍👩‍👧‍👦 🏳️‍🌈 🏃‍♀️ 👍🏽 1️⃣ 🇮🇱";
    let rtl = "רשימת קניות \u{200f}مرحبا\u{200e} \u{202b}x\u{202c}";
    assert_eq!(
        rows(&format!("('{family}', '{rtl}')")),
        vec![vec![family, rtl]]
    );
    assert_eq!(
        one("'\u{feff}a\u{2028}b\u{2029}\u{85}'"),
        "\u{feff}a\u{2028}b\u{2029}\u{85}"
    );
}

#[test]
fn dollar_quoted_strings() {
    assert_eq!(one("$$it's \\ raw$$"), r"it's \\ raw");
    assert_eq!(one("$t$a$$b\n$t$"), r"a$$b\n");
    assert!(err("($1)").0.contains('$'));
    assert!(err("($t$abc)").0.contains("not terminated"));
}

#[test]
fn adjacent_strings_join_only_across_a_newline() {
    assert_eq!(one("'a'\n'b'"), "ab");
    assert_eq!(one("E'a\\n' -- c\n  'b\\n'"), r"a\nb\n");
    assert_eq!(one("B'01'\n'1'"), "011");
    assert!(err("('a' 'b')").0.contains("expected `,` or `)`"));
}

#[test]
fn on_conflict_do_nothing_may_end_the_list() {
    assert_eq!(
        rows("(1), (2) ON CONFLICT DO NOTHING"),
        vec![vec!["1"], vec!["2"]]
    );
    assert_eq!(rows("(1) on conflict\n do  nothing"), vec![vec!["1"]]);
    assert!(err("(1) ON CONFLICT (id) DO NOTHING")
        .0
        .contains("ON CONFLICT"));
}

#[test]
fn malformed_input_is_refused_with_its_offset() {
    let cases = [
        ("(1, 'abc", 4, "not terminated"),
        ("(1 2)", 3, "expected `,` or `)`"),
        ("(1, 2", 5, "expected `,` or `)`"),
        ("(1, now())", 4, "not a constant"),
        ("(DEFAULT)", 1, "DEFAULT"),
        ("()", 1, "expected a value"),
        ("(1,)", 3, "expected a value"),
        ("(1), 2", 5, "expected `(`"),
        ("(1) RETURNING id", 4, "expected `,` or `;`"),
        ("(1) (2)", 4, "expected `,` or `;`"),
        ("(1, @)", 4, "unexpected character"),
        ("(1, /* open", 4, "comment"),
        ("(1, \"x\")", 4, "unexpected character"),
    ];
    for (values, at, want) in cases {
        let (msg, got) = err(values);
        assert!(msg.contains(want), "{values}: {msg}");
        assert_eq!(got, at, "{values}: {msg}");
    }
}

#[test]
fn text_after_the_semicolon_and_a_missing_semicolon() {
    let stmt = b"INSERT INTO t VALUES (1); DROP TABLE t;";
    let e = lex_stmt(stmt, true).unwrap_err();
    assert_eq!(e.byte(), Some(26));
    assert_eq!(
        lex_stmt(b"INSERT INTO t VALUES (1);\n-- c\n", true)
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        lex_stmt(b"INSERT INTO t VALUES (1)", true).unwrap().len(),
        1
    );
    let e = lex_stmt(b"INSERT INTO t VALUES (1, 2", true).unwrap_err();
    assert!(
        e.message().contains("not closed") && e.byte() == Some(26),
        "{e}"
    );
}

#[test]
fn an_error_repeats_and_never_moves_on() {
    let stmt = b"INSERT INTO t VALUES (1), (2 3), (4);";
    let mut t = Tuples::new(stmt, 21, true);
    let (mut buf, mut ranges) = (Vec::new(), Vec::new());
    assert_eq!(t.next_tuple(&mut buf, &mut ranges).unwrap(), Some(21));
    let e1 = t.next_tuple(&mut buf, &mut ranges).unwrap_err();
    let e2 = t.next_tuple(&mut buf, &mut ranges).unwrap_err();
    assert_eq!(e1, e2);
    assert_eq!(e1.byte(), Some(29));
}

#[test]
fn out_of_range_start_is_an_error_not_a_panic() {
    let mut t = Tuples::new(b"INSERT", 1000, true);
    let (mut buf, mut ranges) = (Vec::new(), Vec::new());
    assert_eq!(
        t.next_tuple(&mut buf, &mut ranges).unwrap_err().byte(),
        Some(6)
    );
}

#[test]
fn a_large_statement_is_one_pass_with_warm_buffers() {
    let count = 100_000;
    let mut stmt =
        b"INSERT INTO \"public\".\"tasks\" (\"id\", \"title\", \"done\") VALUES\n".to_vec();
    for i in 0..count {
        let sep = if i + 1 == count { ";" } else { ",\n" };
        stmt.extend_from_slice(format!("\t({i:06}, 'title ''{i:06}''\tx', NULL){sep}").as_bytes());
    }
    let h = parse_header(&stmt).unwrap();
    let mut t = Tuples::new(&stmt, h.values_at, true);
    let (mut buf, mut ranges) = (Vec::new(), Vec::new());
    t.next_tuple(&mut buf, &mut ranges).unwrap();
    let caps = (buf.capacity(), ranges.capacity());
    let mut n = 1;
    let last = format!("{:06}title '{:06}'\\tx\\N", count - 1, count - 1);
    while t.next_tuple(&mut buf, &mut ranges).unwrap().is_some() {
        n += 1;
        assert_eq!((buf.capacity(), ranges.capacity()), caps);
        if n == count {
            assert_eq!(String::from_utf8_lossy(&buf), last);
        }
    }
    assert_eq!(n, count);
}
