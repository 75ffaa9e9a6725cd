//! End to end: a real v1 pg_dump through the dumpshift binary into a real
//! PostgreSQL server, judged by the independent SQL oracle.
//!
//! Owns the promises the load file makes to whoever runs it with
//! `psql -v ON_ERROR_STOP=1 -f v2_load.sql DB`: every v1 row arrives as
//! MAPPING.md says (`tests/sql/check_v2.sql` decides), `schema_migrations`
//! records the newest migration, and a load that fails anywhere, even in its
//! closing row-count assertion, leaves the database exactly as it was.

mod common;

use std::path::{Path, PathBuf};
use std::time::Instant;

use common::{catalog_snapshot, check_v2, convert, fixture, latest_migration_version, Cluster};
use pretty_assertions::assert_eq;

/// One dump to convert and check.
struct Case<'a> {
    /// Under `fixtures/`.
    dump: &'a str,
    /// A data-only dump restores into the v1 DDL, which is run first.
    data_only: bool,
    /// `--storage-root`, when not the default.
    storage_root: Option<&'a str>,
}

impl Case<'_> {
    fn of(dump: &str) -> Case<'_> {
        Case {
            dump,
            data_only: false,
            storage_root: None,
        }
    }
}

/// Converts the case's dump, loads it beside the restored v1 data and runs
/// the oracle; then checks the bookkeeping of the load.
fn load_and_check(case: Case) {
    let started = Instant::now();
    let dump = fixture(case.dump);
    assert!(dump.is_file(), "fixture {} is missing", dump.display());
    let cluster = Cluster::shared();
    let out_dir = tempfile::tempdir().expect("temporary directory");
    let args: Vec<&str> = case
        .storage_root
        .map(|root| vec!["--storage-root", root])
        .unwrap_or_default();
    let load = convert(&dump, out_dir.path(), &args);

    let mut restore = Vec::new();
    if case.data_only {
        restore.push(common::repo_root().join("scripts/fixtures/v1_schema.sql"));
    }
    restore.push(dump);
    let prefix: String = case
        .dump
        .trim_end_matches(".sql")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let db = common::v1_database(cluster, &prefix, &restore);
    cluster.exec_file(&db, &load);
    let report = check_v2(cluster, &db, case.storage_root);
    assert_migration_recorded(cluster, &db);
    let summary = report.lines().find(|l| l.contains("oracle:"));
    eprintln!(
        "{}: {} ({:.1?})",
        case.dump,
        summary.unwrap_or("").trim(),
        started.elapsed()
    );
}

/// `schema_migrations` holds one row: the newest migration, not dirty.
fn assert_migration_recorded(cluster: &Cluster, db: &str) {
    let rows = cluster.query(db, "SELECT version, dirty FROM public.schema_migrations");
    assert_eq!(rows, format!("{}|f", latest_migration_version()));
}

#[test]
fn plain_dump_loads_as_the_mapping_says() {
    load_and_check(Case::of("life_os_v1_plain.sql"));
}

#[test]
fn dump_with_quoted_identifiers_loads_as_the_mapping_says() {
    load_and_check(Case::of("life_os_v1_quoted.sql"));
}

#[test]
fn dump_taken_in_utc_loads_as_the_mapping_says() {
    load_and_check(Case::of("life_os_v1_utc.sql"));
}

#[test]
fn dump_with_permuted_columns_loads_as_the_mapping_says() {
    load_and_check(Case::of("life_os_v1_permuted.sql"));
}

#[test]
fn data_only_dump_loads_as_the_mapping_says() {
    load_and_check(Case {
        data_only: true,
        ..Case::of("life_os_v1_data_only.sql")
    });
}

#[test]
fn dump_with_inserts_loads_as_the_mapping_says() {
    load_and_check(Case::of("life_os_v1_inserts.sql"));
}

#[test]
fn dump_with_column_inserts_loads_as_the_mapping_says() {
    load_and_check(Case::of("life_os_v1_column_inserts.sql"));
}

#[test]
fn example_backup_loads_as_the_mapping_says() {
    load_and_check(Case::of("example/life_os_v1_backup.sql"));
}

#[test]
fn storage_root_option_moves_every_file_path() {
    load_and_check(Case {
        storage_root: Some("/srv/life os/files"),
        ..Case::of("life_os_v1_plain.sql")
    });
}

/// The load file does not depend on the thread count or on where it is
/// written: `-j 1 -o FILE` and `-j 3 -o -` give the same bytes.
#[test]
fn load_file_is_the_same_for_any_thread_count_and_on_stdout() {
    let dump = fixture("life_os_v1_plain.sql");
    let dir = tempfile::tempdir().expect("temporary directory");
    let load = convert(&dump, dir.path(), &["-j", "1"]);
    let mut args = vec![dump.as_os_str()];
    args.extend(["-o", "-", "-j", "3", "-q"].map(std::ffi::OsStr::new));
    let piped = common::dumpshift(&args);
    common::assert_success(&piped, "dumpshift DUMP -o - -j 3 -q");
    let file = std::fs::read(&load).expect("read the load file");
    // Not assert_eq: a diff of two 3 MB files helps nobody.
    assert!(
        file == piped.stdout,
        "the load on stdout differs from the file"
    );
}

/// The load needs nothing but an empty database, the way it is meant to
/// run: no v1 schema beside it.
#[test]
fn load_fills_an_empty_database() {
    let (cluster, _dir, load) = plain_load();
    let db = cluster.fresh_db("empty_target");
    cluster.exec_file(&db, &load);
    assert_migration_recorded(cluster, &db);
    let tables = cluster.query(
        &db,
        "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' \
         AND tablename <> 'schema_migrations'",
    );
    assert_eq!(tables, "31");
}

// ---------------------------------------------------------------------------
// One transaction: a failing load changes nothing.
// ---------------------------------------------------------------------------

/// Generates the load of the plain fixture into a temporary directory.
fn plain_load() -> (&'static Cluster, tempfile::TempDir, PathBuf) {
    let cluster = Cluster::shared();
    let dir = tempfile::tempdir().expect("temporary directory");
    let load = convert(&fixture("life_os_v1_plain.sql"), dir.path(), &[]);
    (cluster, dir, load)
}

/// Runs `load` in `db`, expects psql to fail, and asserts that the catalog
/// of `db` is what it was before. Returns psql's error output.
fn assert_failed_load_changes_nothing(cluster: &Cluster, db: &str, load: &Path) -> String {
    let before = catalog_snapshot(cluster, db);
    let out = cluster.psql_file(db, load).expect("run psql");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        !out.status.success(),
        "the tampered load succeeded:\n{stderr}"
    );
    assert_eq!(
        catalog_snapshot(cluster, db),
        before,
        "psql said:\n{stderr}"
    );
    let leftovers = cluster.query(db, "SELECT to_regclass('public.schema_migrations') IS NULL");
    assert_eq!(leftovers, "t");
    stderr
}

/// A duplicate row in the last COPY that carries data fails the load at
/// its very end; everything before it must roll back.
#[test]
fn failing_last_copy_leaves_the_database_untouched() {
    let (cluster, dir, load) = plain_load();
    let text = std::fs::read_to_string(&load).expect("read the load file");
    let block = copy_blocks(&text)
        .into_iter()
        .rfind(|b| b.first_row.is_some())
        .expect("the load has a COPY with data");
    let row = block.first_row.clone().unwrap();
    let tampered = insert_line_after(&text, &row, &row);
    let bad = write_beside(dir.path(), "duplicate_row.sql", &tampered);

    let db = cluster.fresh_db("dup_last_copy");
    let stderr = assert_failed_load_changes_nothing(cluster, &db, &bad);
    let header = line_number(&tampered, |l| {
        l.starts_with("COPY ") && l.contains(&block.table)
    });
    assert!(
        failing_line(&stderr) > header.unwrap_or(0),
        "the load failed before the COPY into {}:\n{stderr}",
        block.table
    );
}

/// One domain more than the dump holds: every COPY succeeds, so only the
/// closing row-count assertion can stop this load, before COMMIT.
#[test]
fn row_count_assertion_rejects_an_extra_row() {
    let (cluster, dir, load) = plain_load();
    let text = std::fs::read_to_string(&load).expect("read the load file");
    let (row, twin) = first_row_with(
        &text,
        "domains",
        "id",
        "ffffffff-ffff-4fff-8fff-ffffffffffff",
    );
    let tampered = insert_line_after(&text, &row, &twin);
    let bad = write_beside(dir.path(), "extra_domain.sql", &tampered);

    let db = cluster.fresh_db("extra_row");
    let stderr = assert_failed_load_changes_nothing(cluster, &db, &bad);
    let last_copy_end = tampered
        .lines()
        .enumerate()
        .filter(|(_, l)| *l == "\\.")
        .map(|(i, _)| i + 1)
        .last();
    assert!(
        failing_line(&stderr) > last_copy_end.unwrap_or(0),
        "the load failed before its row-count assertion:\n{stderr}"
    );
    assert!(
        stderr.contains("domains"),
        "the failure should name the table:\n{stderr}"
    );
}

/// The 1-based number of the first line of `text` that `pred` accepts.
fn line_number(text: &str, pred: impl Fn(&str) -> bool) -> Option<usize> {
    text.lines().position(pred).map(|i| i + 1)
}

/// The line of the load file that psql blames: `psql:FILE:LINE: ERROR: ...`.
fn failing_line(stderr: &str) -> usize {
    stderr
        .lines()
        .find_map(|line| {
            let (location, _) = line.split_once(": ERROR:")?;
            location.rsplit(':').next()?.parse().ok()
        })
        .unwrap_or_else(|| panic!("psql reported no ERROR with a line:\n{stderr}"))
}

// ---------------------------------------------------------------------------
// files.storage_path never leaves the storage root.
// ---------------------------------------------------------------------------

/// A v1 storage_path whose key is empty, absolute, climbs with `..`, holds
/// a backslash or a NUL, or names another bucket is refused: exit 1, the
/// row named, and no load file written.
#[test]
fn unsafe_storage_paths_are_refused_and_nothing_is_written() {
    const URL: &str = "https://abcdefghijklmnop.supabase.co/storage/v1/object";
    // COPY text format: `\\` is one backslash.
    let unsafe_paths = [
        "life-os-files/".to_string(),
        "/etc/passwd".to_string(),
        "reports/../../etc/passwd".to_string(),
        "life-os-files/../secrets.txt".to_string(),
        format!("{URL}/public/life-os-files/a%2F..%2F..%2Fetc%2Fpasswd"),
        "reports\\\\q1.pdf".to_string(),
        format!("{URL}/sign/life-os-files/a%00b.pdf?token=x"),
        format!("{URL}/public/other-bucket/report.pdf"),
    ];
    let dump_text =
        std::fs::read_to_string(fixture("life_os_v1_plain.sql")).expect("read the fixture");
    let dir = tempfile::tempdir().expect("temporary directory");
    for path in &unsafe_paths {
        let (row, bad_row) = first_row_with(&dump_text, "files", "storage_path", path);
        let id = row
            .split('\t')
            .next()
            .expect("id is the first column of files");
        let bad_dump = write_beside(
            dir.path(),
            "bad_dump.sql",
            &dump_text.replacen(&row, &bad_row, 1),
        );
        let load = dir.path().join("v2_load.sql");
        let out = common::dumpshift([bad_dump.as_os_str(), "-o".as_ref(), load.as_os_str()]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(1),
            "storage_path {path:?}: {stderr}"
        );
        assert!(
            stderr.contains(id),
            "storage_path {path:?}: the error names no row: {stderr}"
        );
        assert!(
            !load.exists(),
            "storage_path {path:?}: a load file was written"
        );
    }
}

// ---------------------------------------------------------------------------
// The oracle itself.
// ---------------------------------------------------------------------------

/// The oracle is not vacuous: a load that is valid SQL but breaks the
/// mapping in a few values fails the check, which names each table and
/// column concerned.
#[test]
fn oracle_names_every_wrong_value() {
    const WRONG: &[(&str, &str, &str)] = &[
        ("domains", "updated_at", "2000-01-01 00:00:00+00"),
        ("context_types", "sort_order", "15"),
        ("tasks", "sort_order", "5"),
        ("notes", "is_pinned", "t"),
        (
            "files",
            "storage_path",
            "/opt/lifeos/storage/files/elsewhere.pdf",
        ),
        ("reminders", "entity_type", "project"),
    ];
    let (cluster, dir, load) = plain_load();
    let mut text = std::fs::read_to_string(&load).expect("read the load file");
    for (table, column, value) in WRONG {
        let (row, wrong) = first_row_with(&text, table, column, value);
        text = text.replacen(&format!("\n{row}\n"), &format!("\n{wrong}\n"), 1);
    }
    let bad = write_beside(dir.path(), "wrong_values.sql", &text);
    let dump = fixture("life_os_v1_plain.sql");
    let db = common::v1_database(cluster, "wrong_values", &[dump]);
    cluster.exec_file(&db, &bad);

    let out = common::run_check_v2(cluster, &db, None);
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        !out.status.success(),
        "the oracle passed a wrong load:\n{report}"
    );
    for (table, column, _) in WRONG {
        let named = report.lines().any(|line| {
            let fields: Vec<&str> = line.split('|').map(str::trim).collect();
            fields.get(1..3) == Some(&[*table, *column][..])
        });
        assert!(named, "the oracle did not name {table}.{column}:\n{report}");
    }
}

/// A database that is not empty: the load stops at its first CREATE and
/// leaves the existing table and its row alone.
#[test]
fn existing_table_stops_the_load_untouched() {
    let (cluster, _dir, load) = plain_load();
    let db = cluster.fresh_db("occupied");
    cluster.exec(
        &db,
        "CREATE TABLE domains (x integer); INSERT INTO domains VALUES (42);",
    );
    assert_failed_load_changes_nothing(cluster, &db, &load);
    assert_eq!(cluster.query(&db, "SELECT x FROM domains"), "42");
}

// ---------------------------------------------------------------------------
// Reading and tampering with the load file.
// ---------------------------------------------------------------------------

/// One `COPY <table> (<columns>) FROM stdin;` of the load file.
struct CopyBlock {
    /// The table name without schema or quotes.
    table: String,
    columns: Vec<String>,
    /// The first data line, if the block has one.
    first_row: Option<String>,
}

fn copy_blocks(text: &str) -> Vec<CopyBlock> {
    let mut blocks = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let Some(header) = line.strip_prefix("COPY ") else {
            continue;
        };
        let Some((target, rest)) = header.split_once(" (") else {
            continue;
        };
        let Some((columns, _)) = rest.split_once(") FROM stdin") else {
            continue;
        };
        let first = lines.next().filter(|l| *l != "\\.").map(str::to_string);
        blocks.push(CopyBlock {
            table: unquote(target.rsplit('.').next().unwrap_or(target)),
            columns: columns.split(',').map(|c| unquote(c.trim())).collect(),
            first_row: first,
        });
    }
    blocks
}

fn unquote(name: &str) -> String {
    name.trim_matches('"').replace("\"\"", "\"")
}

/// The first data row of the COPY into `table`, and that row with the
/// field of `column` replaced by `value` (COPY text format).
fn first_row_with(text: &str, table: &str, column: &str, value: &str) -> (String, String) {
    let block = copy_blocks(text)
        .into_iter()
        .find(|b| b.table == table)
        .unwrap_or_else(|| panic!("no COPY into {table}"));
    let row = block
        .first_row
        .unwrap_or_else(|| panic!("the COPY into {table} has no rows"));
    let at = block
        .columns
        .iter()
        .position(|c| c == column)
        .unwrap_or_else(|| panic!("the COPY into {table} has no column {column}"));
    let mut fields: Vec<&str> = row.split('\t').collect();
    fields[at] = value;
    let changed = fields.join("\t");
    (row, changed)
}

/// `text` with `new_line` inserted after the first line equal to `after`.
fn insert_line_after(text: &str, after: &str, new_line: &str) -> String {
    let needle = format!("\n{after}\n");
    let at = text.find(&needle).expect("the line is in the load file") + needle.len();
    format!("{}{new_line}\n{}", &text[..at], &text[at..])
}

fn write_beside(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write the tampered load file");
    path
}

/// Replaces the first occurrence of `from` inside the COPY data of `table`.
fn change_in_copy(text: &str, table: &str, from: &str, to: &str) -> String {
    let header = text
        .find(&format!("COPY \"{table}\" ("))
        .expect("the table's COPY block");
    let data = header + text[header..].find('\n').expect("a header line") + 1;
    let end = data + text[data..].find("\n\\.\n").expect("the COPY terminator");
    let at = data
        + text[data..end]
            .find(from)
            .expect("the value in the COPY data");
    format!("{}{}{}", &text[..at], to, &text[at + from.len()..])
}

#[test]
fn digest_assertion_rejects_a_changed_note_body() {
    let (cluster, dir, load) = plain_load();
    let text = std::fs::read_to_string(&load).expect("read the load file");
    // Same row count, same ids: only the content proof can notice.
    let tampered = change_in_copy(&text, "notes", "todo 12000", "todo 12001");
    let bad = write_beside(dir.path(), "changed_body.sql", &tampered);
    let db = cluster.fresh_db("changed_body");
    let stderr = assert_failed_load_changes_nothing(cluster, &db, &bad);
    assert!(
        stderr.contains("table notes column body differs from the dump"),
        "the failure should name the table and column:\n{stderr}"
    );
}

#[test]
fn digest_assertion_rejects_a_changed_id() {
    let (cluster, dir, load) = plain_load();
    let text = std::fs::read_to_string(&load).expect("read the load file");
    let header = text
        .find("COPY \"context_types\" (")
        .expect("the COPY block");
    let row = header + text[header..].find('\n').unwrap() + 1;
    let id = &text[row..row + 36];
    let other = format!("{}0000{}", &id[..4], &id[8..]);
    let tampered = format!("{}{}{}", &text[..row], other, &text[row + 36..]);
    let bad = write_beside(dir.path(), "changed_id.sql", &tampered);
    let db = cluster.fresh_db("changed_id");
    let stderr = assert_failed_load_changes_nothing(cluster, &db, &bad);
    assert!(
        stderr.contains("table context_types column id differs from the dump"),
        "the failure should name the table:\n{stderr}"
    );
}
