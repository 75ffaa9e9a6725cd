//! COPY text data that PostgreSQL's COPY FROM refuses, or would cut into
//! rows otherwise than dumpshift, is refused with its place: a backslash
//! before a raw tab or newline, `\.` inside a line or with more after it on
//! its own, a raw carriage return, and a line ending that differs from the
//! block's first line's. A dump whose every line ends in CRLF stays valid.
//!
//! Each bad input is the committed plain (or CRLF) fixture with one defect,
//! made in the `public.areas` block, run through the real binary.

mod common;

use std::path::Path;

use common::{dumpshift, fixture, stderr};

/// The first row of `public.areas` in both fixtures, and its id.
const ROW: &str = "9b241df2-b756-42fa-b117-76b0934566a3\tbda47f5a-01a4-4118-991e-8a2afdd911cb\tEngineering\tCode, reviews & on-call\t2023-01-06 10:00:00-05";
const ID: &str = "9b241df2-b756-42fa-b117-76b0934566a3";
/// The second row's id.
const ID2: &str = "41d0bf5d-b02a-49dd-a980-7cf3285c07ac";

fn read(name: &str) -> String {
    std::fs::read_to_string(fixture(name)).unwrap()
}

/// Replaces the one occurrence of `old` in `text` after the `public.areas`
/// COPY header with `new`. Returns the edited text and the byte where `old`
/// began.
fn edit(text: &str, old: &str, new: &str) -> (String, usize) {
    let block = text.find("\nCOPY public.areas (").unwrap();
    let at = block + text[block..].find(old).unwrap();
    let edited = format!("{}{new}{}", &text[..at], &text[at + old.len()..]);
    (edited, at)
}

/// `name:line (byte n)` of byte `at` of `text`.
fn place(name: &str, text: &str, at: usize) -> String {
    let line = text[..at].matches('\n').count() + 1;
    format!("{name}:{line} (byte {at})")
}

/// Runs dumpshift on `text` written as `name` in `dir`, asserts exit 1 and
/// that nothing but the input is left, and returns stderr.
fn refuse(dir: &Path, name: &str, text: &str) -> String {
    let input = dir.join(name);
    std::fs::write(&input, text).unwrap();
    let out = dir.join("v2_load.sql");
    let o = dumpshift([input.as_os_str(), "-o".as_ref(), out.as_os_str()]);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{e}");
    assert!(!out.exists(), "no load file is left: {e}");
    let left = std::fs::read_dir(dir).unwrap().count();
    assert_eq!(left, 1, "only the input remains: {e}");
    e
}

/// Runs dumpshift on `text` and asserts it migrates.
fn migrates(dir: &Path, name: &str, text: &str) {
    let input = dir.join(name);
    std::fs::write(&input, text).unwrap();
    let out = dir.join("v2_load.sql");
    let o = dumpshift([
        input.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
        "-q".as_ref(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(out.exists());
}

/// Asserts stderr names the place, the row, the column and the words.
fn assert_names(e: &str, place: &str, row_and_column: &str, words: &[&str]) {
    let head = format!("{place}: public.areas{row_and_column}: ");
    assert!(e.contains(&head), "want {head:?} in:\n{e}");
    for w in words {
        assert!(e.contains(w), "want {w:?} in:\n{e}");
    }
    assert_eq!(
        e.lines().count(),
        1,
        "the defect only, not what a wrong cut makes of the rows:\n{e}"
    );
}

#[test]
fn a_backslash_before_a_raw_tab_is_refused_at_the_backslash_naming_row_and_column() {
    let plain = read("life_os_v1_plain.sql");
    let (text, at) = edit(&plain, "on-call\t2023", "on-call\\\t2023");
    let dir = tempfile::tempdir().unwrap();
    let e = refuse(dir.path(), "bs_tab.sql", &text);
    let at = at + "on-call".len();
    assert_names(
        &e,
        &place("bs_tab.sql", &text, at),
        &format!(" id {ID}, column description"),
        &["backslash before a raw tab", "tab inside the value"],
    );
}

#[test]
fn a_backslash_before_a_raw_newline_is_refused_instead_of_joining_two_lines() {
    let plain = read("life_os_v1_plain.sql");
    let (text, at) = edit(&plain, "on-call\t2023-01-06 10:00:00-05\n", "on-call\\\n");
    let dir = tempfile::tempdir().unwrap();
    let e = refuse(dir.path(), "bs_newline.sql", &text);
    assert_names(
        &e,
        &place("bs_newline.sql", &text, at + "on-call".len()),
        &format!(" id {ID}, column description"),
        &["backslash before the row's raw line ending"],
    );
}

#[test]
fn a_value_ending_in_an_escaped_backslash_before_the_tab_migrates() {
    let plain = read("life_os_v1_plain.sql");
    let (text, _) = edit(&plain, "on-call\t2023", "on-call\\\\\t2023");
    let dir = tempfile::tempdir().unwrap();
    migrates(dir.path(), "bs_bs_tab.sql", &text);
}

#[test]
fn an_end_of_copy_marker_inside_a_line_is_refused_at_its_backslash() {
    let plain = read("life_os_v1_plain.sql");
    let (text, at) = edit(&plain, "Code, reviews & on-call", "Code, \\. reviews");
    let dir = tempfile::tempdir().unwrap();
    let e = refuse(dir.path(), "dot_mid.sql", &text);
    assert_names(
        &e,
        &place("dot_mid.sql", &text, at + "Code, ".len()),
        &format!(" id {ID}, column description"),
        &[
            "end-of-copy marker \\. inside a line",
            "end-of-copy marker corrupt",
        ],
    );
}

#[test]
fn an_end_of_copy_marker_line_with_a_space_after_it_is_refused_at_its_own_line() {
    let plain = read("life_os_v1_plain.sql");
    let rows_end = plain.find(&format!("{ROW}\n")).unwrap();
    let marker = rows_end + plain[rows_end..].find("\n\\.\n").unwrap() + 1;
    let text = format!("{}\\. \n{}", &plain[..marker], &plain[marker + 3..]);
    let dir = tempfile::tempdir().unwrap();
    let e = refuse(dir.path(), "dot_sp.sql", &text);
    let head = format!("{}: public.areas: ", place("dot_sp.sql", &text, marker));
    assert!(e.contains(&head), "want {head:?} in:\n{e}");
    assert!(e.contains("has more after it on its line"), "{e}");
    assert!(e.contains("end-of-copy marker corrupt"), "{e}");
    assert!(!e.contains("no data"), "{e}");
}

#[test]
fn a_raw_carriage_return_inside_a_value_is_refused_naming_row_and_column() {
    let plain = read("life_os_v1_plain.sql");
    let (text, at) = edit(&plain, "Code, reviews", "Code,\r reviews");
    let dir = tempfile::tempdir().unwrap();
    let e = refuse(dir.path(), "raw_cr.sql", &text);
    assert_names(
        &e,
        &place("raw_cr.sql", &text, at + "Code,".len()),
        &format!(" id {ID}, column description"),
        &[
            "raw carriage return",
            "literal carriage return found in data",
        ],
    );
}

#[test]
fn one_row_ending_in_crlf_in_a_block_of_lf_rows_is_refused_at_its_carriage_return() {
    let plain = read("life_os_v1_plain.sql");
    let second = format!("{ID2}\t");
    let start = plain.find(&second).unwrap();
    let end = start + plain[start..].find('\n').unwrap();
    let text = format!("{}\r{}", &plain[..end], &plain[end..]);
    let dir = tempfile::tempdir().unwrap();
    let e = refuse(dir.path(), "crlf_one.sql", &text);
    assert_names(
        &e,
        &place("crlf_one.sql", &text, end),
        &format!(" id {ID2}"),
        &["this row ends in CRLF, but the COPY block's first line ends in LF"],
    );
    assert!(!e.contains("column"), "{e}");
}

#[test]
fn one_row_ending_in_lf_in_a_crlf_dump_is_refused_at_its_newline() {
    let crlf = read("life_os_v1_crlf.sql");
    // The second row: the first sets the block's line ending.
    let (text, at) = edit(&crlf, "10:00:00-05\r\n3df79698", "10:00:00-05\n3df79698");
    let dir = tempfile::tempdir().unwrap();
    let e = refuse(dir.path(), "lf_one.sql", &text);
    assert_names(
        &e,
        &place("lf_one.sql", &text, at + "10:00:00-05".len()),
        &format!(" id {ID2}"),
        &["this row ends in LF, but the COPY block's first line ends in CRLF"],
    );
}

#[test]
fn an_end_of_copy_line_ending_in_crlf_after_lf_rows_is_refused_at_that_line() {
    let plain = read("life_os_v1_plain.sql");
    let rows_end = plain.find(&format!("{ROW}\n")).unwrap();
    let marker = rows_end + plain[rows_end..].find("\n\\.\n").unwrap() + 1;
    let text = format!("{}\\.\r\n{}", &plain[..marker], &plain[marker + 3..]);
    let dir = tempfile::tempdir().unwrap();
    let e = refuse(dir.path(), "dot_crlf.sql", &text);
    let head = format!("{}: public.areas: ", place("dot_crlf.sql", &text, marker));
    assert!(e.contains(&head), "want {head:?} in:\n{e}");
    assert!(
        e.contains("line ends in CRLF, but the block's rows end in LF")
            && e.contains("end-of-copy marker does not match previous newline style"),
        "{e}"
    );
}

#[test]
fn a_dump_whose_every_line_ends_in_crlf_migrates_to_the_load_of_the_lf_dump() {
    let dir = tempfile::tempdir().unwrap();
    let mut loads = Vec::new();
    for name in ["life_os_v1_plain.sql", "life_os_v1_crlf.sql"] {
        let out = dir.path().join(format!("{name}.load"));
        let o = dumpshift([
            fixture(name).as_os_str(),
            "-o".as_ref(),
            out.as_os_str(),
            "-q".as_ref(),
        ]);
        assert_eq!(o.status.code(), Some(0), "{name}: {}", stderr(&o));
        loads.push(std::fs::read(&out).unwrap());
    }
    assert!(loads[0] == loads[1], "the CRLF dump's load differs");
}
