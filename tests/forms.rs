//! Every real-world form of one v1 database loads the same v2 tables.
//!
//! Owns the promise that the form of the input does not matter: each dump of
//! the hostile database `lifeos_v1` (or of `lifeos_supabase`, which holds
//! the same Life OS rows; see fixtures/README.md) that pg_dump, pg_dumpall,
//! the Supabase CLI or an editor makes of it is converted, loaded into a real
//! PostgreSQL beside the load of the plain fixture, and every v2 table must
//! hold the same typed rows (`tests/sql/same_v2_tables.sql` decides). Also
//! owns the oracle check of the Supabase full dump and of the LATIN1 dump,
//! and the refusals of the forms dumpshift cannot read alone
//! (`--inserts --data-only`, a pg_dumpall file without `--database`).

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Once, OnceLock};
use std::time::Instant;

use common::{check_v2, convert, fixture, sql_file, Cluster};
use pretty_assertions::assert_eq;

/// The dump every other form is compared with.
const PLAIN: &str = "life_os_v1_plain.sql";

/// A fresh database holding the plain fixture's v2 load in schema
/// `expected` and an empty schema `public` for the form under test.
///
/// The plain load is converted and loaded once per test process into a
/// template database; each test clones it, which costs a file copy instead
/// of a conversion and a load.
fn expected_db(prefix: &str) -> String {
    static TEMPLATE: OnceLock<String> = OnceLock::new();
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let cluster = Cluster::shared();
    let template = TEMPLATE.get_or_init(|| {
        let db = cluster.fresh_db("forms_expected");
        let dir = tempfile::tempdir().expect("temporary directory");
        let load = convert(&fixture(PLAIN), dir.path(), &["-q"]);
        cluster.exec_file(&db, &load);
        cluster.exec(
            &db,
            "ALTER SCHEMA public RENAME TO expected; CREATE SCHEMA public;",
        );
        db
    });
    let name = format!("{prefix}_{}", COUNTER.fetch_add(1, Ordering::Relaxed));
    cluster.exec(
        "postgres",
        &format!("CREATE DATABASE \"{name}\" TEMPLATE \"{template}\""),
    );
    name
}

/// Runs the comparison of schemas `expected` and `public` in `db`; the
/// caller judges the outcome. Its stdout is the report.
fn compare(cluster: &Cluster, db: &str) -> Output {
    cluster
        .psql(db)
        .arg("-f")
        .arg(sql_file("same_v2_tables.sql"))
        .output()
        .expect("run psql")
}

/// A database name made of the fixture's path.
fn prefix_of(dump: &str) -> String {
    let stem = dump.trim_end_matches(".sql");
    stem.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// Converts `fixtures/<dump>` with `args`, loads it beside the plain
/// fixture's load, lets `adjust_expected` change the expected rows where
/// the form legitimately says something else (see `assert_note_rewritten`)
/// and asserts that every v2 table holds the same rows.
fn assert_same_as_plain(dump: &str, args: &[&str], adjust_expected: Option<fn(&Cluster, &str)>) {
    let started = Instant::now();
    let cluster = Cluster::shared();
    let dir = tempfile::tempdir().expect("temporary directory");
    let mut argv = vec!["-q"];
    argv.extend_from_slice(args);
    let load = convert(&fixture(dump), dir.path(), &argv);
    let db = expected_db(&format!("form_{}", prefix_of(dump)));
    cluster.exec_file(&db, &load);
    if let Some(adjust) = adjust_expected {
        adjust(cluster, &db);
    }
    let out = compare(cluster, &db);
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the v2 load of {dump} {args:?} differs from the load of {PLAIN}:\n{report}\n{}",
        String::from_utf8_lossy(&out.stderr),
    );
    let summary = report.lines().find(|l| l.contains("same_v2_tables:"));
    eprintln!(
        "{dump} {args:?}: {} ({:.1?})",
        summary.unwrap_or("").trim(),
        started.elapsed()
    );
}

// ---------------------------------------------------------------------------
// pg_dump forms of lifeos_v1.
// ---------------------------------------------------------------------------

#[test]
fn rows_per_insert_dump_loads_like_the_plain_dump() {
    assert_same_as_plain("life_os_v1_rows_per_insert.sql", &[], None);
}

#[test]
fn crlf_dump_loads_like_the_plain_dump() {
    assert_same_as_plain("life_os_v1_crlf.sql", &[], None);
}

#[test]
fn bom_dump_loads_like_the_plain_dump() {
    assert_same_as_plain("life_os_v1_bom.sql", &[], None);
}

/// Taken with the session TimeZone UTC: other text for every timestamp,
/// the same instants.
#[test]
fn utc_dump_loads_like_the_plain_dump() {
    assert_same_as_plain("life_os_v1_utc.sql", &[], None);
}

#[test]
fn pg17_header_dump_loads_like_the_plain_dump() {
    assert_same_as_plain("handmade/pg17_header.sql", &[], None);
}

#[test]
fn pg18_statistics_dump_loads_like_the_plain_dump() {
    assert_same_as_plain("handmade/pg18_statistics.sql", &[], None);
}

// ---------------------------------------------------------------------------
// pg_dumpall: one database of several.
// ---------------------------------------------------------------------------

#[test]
fn pg_dumpall_database_lifeos_v1_loads_like_the_plain_dump() {
    assert_same_as_plain("pg_dumpall.sql", &["--database", "lifeos_v1"], None);
}

/// The second Life OS database of the file: its data follows the first
/// one's, which must be passed over, not mixed in.
#[test]
fn pg_dumpall_database_lifeos_v1_copy_loads_like_the_plain_dump() {
    assert_same_as_plain("pg_dumpall.sql", &["--database", "lifeos_v1_copy"], None);
}

// ---------------------------------------------------------------------------
// Supabase forms of lifeos_supabase.
// ---------------------------------------------------------------------------

#[test]
fn supabase_full_dump_loads_like_the_plain_dump() {
    assert_same_as_plain("supabase/full.sql", &[], None);
}

#[test]
fn supabase_data_only_use_copy_dump_loads_like_the_plain_dump() {
    assert_same_as_plain("supabase/db_dump_data_only_use_copy.sql", &[], None);
}

#[test]
fn supabase_data_only_dump_loads_like_the_plain_dump_but_for_the_cli_rewrite() {
    assert_same_as_plain(
        "supabase/db_dump_data_only.sql",
        &[],
        Some(assert_note_rewritten),
    );
}

#[test]
fn supabase_data_only_all_schemas_dump_loads_like_the_plain_dump_but_for_the_cli_rewrite() {
    assert_same_as_plain(
        "supabase/db_dump_data_only_all_schemas.sql",
        &[],
        Some(assert_note_rewritten),
    );
}

/// The Supabase CLI pipes pg_dump's output through
/// `sed -E 's/^\\(un)?restrict .*$/-- &/'`, which also rewrites lines inside
/// a multi-line string literal: in its two `--column-inserts` files the note
/// "looks like a dump" reads `-- \unrestrict fake` where the database holds
/// `\unrestrict fake`. That is what the file says, and dumpshift copies data
/// as the file says it, so the expected body gets the same rewrite: `-- `
/// after every newline that a line `\restrict ` or `\unrestrict ` follows
/// (a value's first line never starts a file line: the row's `\t(` and
/// earlier values stand before it). Exactly that one note may change; any
/// other difference is still a failure.
fn assert_note_rewritten(cluster: &Cluster, db: &str) {
    let changed = cluster.query(
        db,
        r"WITH rewritten AS (
              UPDATE expected.notes
                 SET body = regexp_replace(body, E'\n(\\\\(un)?restrict )', E'\n-- \\1', 'g')
               WHERE body ~ E'\n\\\\(un)?restrict '
           RETURNING title)
          SELECT title FROM rewritten",
    );
    assert_eq!(
        changed, "looks like a dump",
        "the notes the CLI's sed rewrites"
    );
}

/// The Supabase roles the full dump's `OWNER TO` and `GRANT` lines name,
/// made the way scripts/make-fixtures.sh makes them: roles belong to the
/// cluster, so only once, and only if no earlier restore made them.
fn ensure_supabase_roles(cluster: &Cluster) {
    static ROLES: Once = Once::new();
    ROLES.call_once(|| {
        let present = cluster.query(
            "postgres",
            "SELECT count(*) FROM pg_roles WHERE rolname IN ('anon', 'authenticated', \
             'service_role', 'authenticator', 'supabase_auth_admin', 'supabase_storage_admin')",
        );
        match present.as_str() {
            "0" => {
                let roles = common::repo_root().join("scripts/fixtures/supabase_roles.sql");
                cluster.exec_file("postgres", &roles);
            }
            "6" => {}
            n => panic!("the cluster holds {n} of the 6 Supabase roles"),
        }
    });
}

/// The full Supabase dump, restored as v1 with all its Supabase schemas
/// beside it, and its load judged by the oracle.
#[test]
fn supabase_full_dump_passes_the_oracle() {
    let started = Instant::now();
    let cluster = Cluster::shared();
    ensure_supabase_roles(cluster);
    let dump = fixture("supabase/full.sql");
    let dir = tempfile::tempdir().expect("temporary directory");
    let load = convert(&dump, dir.path(), &["-q"]);
    let db = common::v1_database(cluster, "supabase_full_oracle", &[dump]);
    cluster.exec_file(&db, &load);
    let report = check_v2(cluster, &db, None);
    let summary = report.lines().find(|l| l.contains("oracle:"));
    eprintln!(
        "supabase/full.sql oracle: {} ({:.1?})",
        summary.unwrap_or("").trim(),
        started.elapsed()
    );
}

// ---------------------------------------------------------------------------
// LATIN1.
// ---------------------------------------------------------------------------

/// A LATIN1 dump loads with its accented text intact: the oracle compares
/// the load with the dump restored by psql, which transcodes through the
/// dump's `SET client_encoding`, into a UTF8 database.
#[test]
fn latin1_dump_loads_with_its_accents_intact() {
    let cluster = Cluster::shared();
    let dump = fixture("life_os_v1_latin1.sql");
    let dir = tempfile::tempdir().expect("temporary directory");
    let load = convert(&dump, dir.path(), &["-q"]);
    let db = common::v1_database(cluster, "latin1", &[dump]);
    cluster.exec_file(&db, &load);
    check_v2(cluster, &db, None);
    // The oracle would pass a load and a restore mangled alike; the text the
    // fixture script put in is spelled out here.
    let cafe = cluster.query(
        &db,
        "SELECT count(*) FROM public.domains WHERE name = 'Café «Noir»'",
    );
    assert_eq!(cafe, "1", "the domain 'Café «Noir»' after the load");
}

// ---------------------------------------------------------------------------
// Forms dumpshift refuses.
// ---------------------------------------------------------------------------

/// Runs dumpshift on `fixtures/<dump>` into a fresh directory and asserts
/// exit 1 and that nothing is left there. Returns stderr.
fn refused(dump: &str) -> String {
    let dir = tempfile::tempdir().expect("temporary directory");
    let out_path = dir.path().join("v2_load.sql");
    let input: PathBuf = fixture(dump);
    let out = common::dumpshift([input.as_os_str(), "-o".as_ref(), out_path.as_os_str()]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{dump}: {stderr}");
    assert_eq!(
        leftovers(dir.path()),
        Vec::<String>::new(),
        "{dump}: the refusal left files behind"
    );
    stderr
}

fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("read the output directory")
        .map(|e| {
            e.expect("directory entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect()
}

/// `--inserts --data-only` names no columns and has no CREATE TABLE to
/// learn their order from: the values cannot be placed.
#[test]
fn inserts_data_only_dump_is_refused_asking_for_column_inserts() {
    let stderr = refused("life_os_v1_inserts_data_only.sql");
    assert!(stderr.contains("--column-inserts"), "{stderr}");
}

/// Two databases of the file hold Life OS tables: guessing one would
/// migrate the wrong data, so the user is told which exist and how to pick.
#[test]
fn pg_dumpall_without_database_is_refused_listing_the_databases() {
    let stderr = refused("pg_dumpall.sql");
    let words: Vec<&str> = stderr
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .collect();
    for db in ["lifeos_v1", "lifeos_v1_copy"] {
        assert!(words.contains(&db), "the message names no {db}: {stderr}");
    }
    assert!(stderr.contains("--database"), "{stderr}");
}

// ---------------------------------------------------------------------------
// The comparison itself.
// ---------------------------------------------------------------------------

/// The comparison is not vacuous: the plain load beside itself passes
/// (load-time columns aside), and one timestamp moved by a microsecond and
/// one lost row each fail it, naming their table.
#[test]
fn comparison_names_every_table_that_differs() {
    let cluster = Cluster::shared();
    let dir = tempfile::tempdir().expect("temporary directory");
    let load = convert(&fixture(PLAIN), dir.path(), &["-q"]);
    let db = expected_db("form_tampered");
    cluster.exec_file(&db, &load);
    let same = compare(cluster, &db);
    common::assert_success(&same, "comparing the plain load with itself");

    cluster.exec(
        &db,
        "UPDATE public.tasks SET deadline = deadline + interval '1 microsecond'
          WHERE id = (SELECT min(id::text)::uuid FROM public.tasks WHERE deadline IS NOT NULL);
         DELETE FROM public.reminders
          WHERE id = (SELECT min(id::text)::uuid FROM public.reminders);",
    );
    let out = compare(cluster, &db);
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "the comparison passed:\n{report}");
    for (table, side) in [
        ("tasks", "rows only in expected"),
        ("tasks", "rows only in public"),
        ("reminders", "rows only in expected"),
    ] {
        let named = report.lines().any(|line| {
            let fields: Vec<&str> = line.split('|').map(str::trim).collect();
            fields.get(..3) == Some(&[table, side, "1"][..])
        });
        assert!(named, "no line `{table} | {side} | 1`:\n{report}");
    }
}

/// dumpshift on `input` (a path, or `-` with `stdin`), into a folder of its
/// own: the exit code, stderr, and whether a load was left.
fn refused_with(input: &Path, stdin: std::process::Stdio) -> (Option<i32>, String, bool) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("v2_load.sql");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_dumpshift"))
        .arg(input)
        .arg("-o")
        .arg(&out)
        .stdin(stdin)
        .output()
        .unwrap();
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
        out.exists(),
    )
}

#[test]
fn files_that_are_no_lines_of_utf8_text_say_what_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let plain = std::fs::read_to_string(fixture("example/life_os_v1_backup.sql")).unwrap();
    let utf16: Vec<u8> = std::iter::once(0xfeff_u16)
        .chain(plain.encode_utf16())
        .flat_map(u16::to_le_bytes)
        .collect();
    let cases = [
        ("utf16.sql", utf16, "the dump is UTF-16"),
        (
            "utf16_no_bom.sql",
            plain.encode_utf16().flat_map(u16::to_le_bytes).collect(),
            "the dump is UTF-16",
        ),
        (
            "cr_only.sql",
            plain.replace('\n', "\r").into_bytes(),
            "end in a carriage return alone",
        ),
    ];
    for (name, bytes, why) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let (code, err, left) = refused_with(&path, std::process::Stdio::null());
        assert_eq!(code, Some(1), "{name}: {err}");
        assert!(
            err.contains(&format!("{name}:1 (byte 0)")) && err.contains(why),
            "{name}: {err}"
        );
        assert!(!left, "{name}");
    }
    // A file whose size says 0 but which has text (`/proc`) is read.
    let (code, err, _) = refused_with(Path::new("/proc/self/status"), std::process::Stdio::null());
    assert_eq!(code, Some(1), "{err}");
    assert!(!err.contains("empty"), "{err}");
    // Nothing on stdin.
    let (code, err, _) = refused_with(Path::new("-"), std::process::Stdio::null());
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("stdin gave no bytes"), "{err}");
}
