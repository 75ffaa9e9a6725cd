//! Statements psql would handle otherwise than a plain reading of their
//! rows: a COPY with a WHERE, a CREATE TABLE that repeats a column, lacks
//! one the data names or is missing, and a table named without a schema
//! under a search_path. Each bad input is a real pg_dump dump
//! (fixtures/life_os_v1_plain.sql) with one defect, named in the test; it is
//! refused with its line, byte, table and reason, and no load is left.
//! pg_dump 9.x's `SET search_path = public, pg_catalog;` with unqualified
//! names still migrates, to the same load as the qualified dump.

mod common;

use std::path::PathBuf;

use common::{dumpshift, fixture, stderr};

const BASE: &str = "life_os_v1_plain.sql";

/// A temp dir holding `dump.sql`: the base dump with one edit.
struct Case {
    dir: tempfile::TempDir,
    text: String,
}

impl Case {
    fn new(edit: impl FnOnce(&str) -> String) -> Case {
        Case::of(BASE, edit)
    }

    /// The fixture `base` with one edit.
    fn of(base: &str, edit: impl FnOnce(&str) -> String) -> Case {
        let base = std::fs::read_to_string(fixture(base)).unwrap();
        let text = edit(&base);
        assert_ne!(text, base, "the edit changed nothing");
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("dump.sql"), &text).unwrap();
        Case { dir, text }
    }

    fn out(&self) -> PathBuf {
        self.dir.path().join("v2_load.sql")
    }

    fn run(&self) -> std::process::Output {
        dumpshift([self.dir.path().join("dump.sql"), "-o".into(), self.out()])
    }

    /// Expects a refusal at the first occurrence of `at` in the dump,
    /// naming each of `words`, and no load file.
    fn refused(&self, at: &str, words: &[&str]) {
        let out = self.run();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{err}");
        let byte = self.text.find(at).expect("the marker is in the dump");
        let line = self.text[..byte].matches('\n').count() + 1;
        let place = format!("dump.sql:{line} (byte {byte})");
        assert!(err.contains(&place), "want {place}: {err}");
        for w in words {
            assert!(err.contains(w), "want {w:?}: {err}");
        }
        assert!(!self.out().exists(), "a load file was left");
        let left: Vec<_> = std::fs::read_dir(self.dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "only dump.sql is left: {left:?}");
    }
}

const AREAS_COPY: &str =
    "COPY public.areas (id, domain_id, name, description, created_at) FROM stdin;";

#[test]
fn a_copy_with_a_where_clause_is_refused_since_psql_would_skip_rows() {
    let bad = "COPY public.areas (id, domain_id, name, description, created_at) FROM stdin WHERE name <> 'Home';";
    let case = Case::new(|b| b.replacen(AREAS_COPY, bad, 1));
    case.refused(bad, &["public.areas", "WHERE", "pg_dump never writes one"]);
}

#[test]
fn a_create_table_that_repeats_a_column_is_refused_since_postgresql_never_creates_it() {
    let case = Case::new(|b| {
        b.replacen(
            "CREATE TABLE public.areas (\n    id uuid DEFAULT gen_random_uuid() NOT NULL,\n",
            "CREATE TABLE public.areas (\n    id uuid DEFAULT gen_random_uuid() NOT NULL,\n    id uuid,\n",
            1,
        )
    });
    case.refused(
        "id uuid,\n",
        &["public.areas column id", "specified more than once"],
    );
}

#[test]
fn data_naming_a_column_the_create_table_lacks_is_refused() {
    let case = Case::new(|b| {
        b.replacen(
            "CREATE TABLE public.domains (\n    id uuid DEFAULT gen_random_uuid() NOT NULL,\n",
            "CREATE TABLE public.domains (\n",
            1,
        )
    });
    case.refused(
        "COPY public.domains ",
        &[
            "public.domains column id",
            "does not define",
            "column \"id\" of relation \"domains\" does not exist",
        ],
    );
}

#[test]
fn a_column_added_by_a_later_alter_table_is_one_the_data_may_name() {
    let case = Case::new(|b| {
        b.replacen(
            "CREATE TABLE public.domains (\n    id uuid DEFAULT gen_random_uuid() NOT NULL,\n",
            "CREATE TABLE public.domains (\n",
            1,
        )
        .replacen(
            "COPY public.domains ",
            "ALTER TABLE public.domains ADD COLUMN id uuid DEFAULT gen_random_uuid() NOT NULL;\n\nCOPY public.domains ",
            1,
        )
    });
    let out = case.run();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn data_of_a_mapped_table_the_dump_never_creates_is_refused() {
    let case = Case::new(|b| {
        b.replacen(
            "CREATE TABLE public.notes (",
            "CREATE TABLE public.note (",
            1,
        )
    });
    case.refused(
        "COPY public.notes ",
        &[
            "public.notes",
            "never creates it",
            "relation \"public.notes\" does not exist",
        ],
    );
}

#[test]
fn an_unqualified_copy_under_pg_dumps_empty_search_path_is_refused() {
    let case = Case::new(|b| b.replacen("COPY public.areas (", "COPY areas (", 1));
    case.refused(
        "COPY areas (",
        &[
            "areas",
            "search_path holds no schema",
            "relation \"areas\" does not exist",
        ],
    );
}

#[test]
fn an_unqualified_insert_under_pg_dumps_empty_search_path_is_refused() {
    let case = Case::of("life_os_v1_inserts.sql", |b| {
        b.replacen(
            "INSERT INTO public.areas VALUES",
            "INSERT INTO areas VALUES",
            1,
        )
    });
    case.refused(
        "INSERT INTO areas VALUES",
        &["areas", "search_path holds no schema"],
    );
}

#[test]
fn an_unqualified_copy_goes_to_the_first_schema_of_the_path_that_holds_the_table() {
    // psql loads these rows into other.areas: public.areas, whose table of
    // contents entry is there, gets no COPY (and the projects that point at
    // its rows would have nothing to point at).
    let case = Case::new(|b| {
        b.replacen(
            "SELECT pg_catalog.set_config('search_path', '', false);\n",
            "SELECT pg_catalog.set_config('search_path', '', false);\nCREATE SCHEMA other;\n\
             CREATE TABLE other.areas (id uuid, domain_id uuid, name text, description text, created_at timestamptz);\n\
             SET search_path = other, public;\n",
            1,
        )
        .replacen("COPY public.areas (", "COPY areas (", 1)
    });
    let out = case.run();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("no data for mapped table public.areas")
            && err.contains("no COPY of it follows"),
        "{err}"
    );
    assert!(!case.out().exists());
}

#[test]
fn an_unqualified_copy_after_a_search_path_set_for_the_transaction_only_is_refused() {
    let case = Case::new(|b| {
        b.replacen(
            "SELECT pg_catalog.set_config('search_path', '', false);\n",
            "SELECT pg_catalog.set_config('search_path', '', false);\nSET LOCAL search_path = public;\n",
            1,
        )
        .replacen("COPY public.areas (", "COPY areas (", 1)
    });
    case.refused("COPY areas (", &["areas", "does not follow", "SET LOCAL"]);
}

#[test]
fn an_old_pg_dump_search_path_with_unqualified_names_migrates_like_the_qualified_dump() {
    // pg_dump 9.x: `SET search_path = public, pg_catalog;` and tables named
    // without their schema in COPY headers.
    let old = Case::new(|b| {
        b.replacen(
            "SELECT pg_catalog.set_config('search_path', '', false);",
            "SET search_path = public, pg_catalog;",
            1,
        )
        .replace("\nCOPY public.", "\nCOPY ")
    });
    let new = Case::new(|b| b.replacen("\n\n", "\n\n-- same rows\n", 1));
    for case in [&old, &new] {
        let out = case.run();
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    }
    let load = |c: &Case| std::fs::read(c.out()).unwrap();
    assert!(load(&old) == load(&new), "the loads differ");
}
