//! The tools around a migration run, end to end: the staged Storage files
//! (`--files-dir`, `--copy-files-to`), the `--report` JSON checked against
//! the load in PostgreSQL, the progress bar (only on a terminal, never with
//! `--quiet`), and `--data-only` loads into a v2 schema that golang-migrate
//! or dbmate applied, with every refusal leaving the database unchanged.
//!
//! The staged bucket is built in a temporary directory from the `files` rows
//! of the example fixture: one object per row, at its bucket key, of the size
//! the row states, with content made from its id.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use common::{assert_success, catalog_snapshot, dumpshift, fixture, repo_root, stderr, Cluster};
use pretty_assertions::assert_eq;
use sha2::{Digest, Sha256};

const EXAMPLE: &str = "example/life_os_v1_backup.sql";

/// A `files` row of the fixture and the object it names.
struct Row {
    id: String,
    key: String,
    size: u64,
    line: usize,
    byte: usize,
}

/// The `files` rows of `fixtures/<dump>`, read from its COPY block.
fn files_rows(dump: &str) -> Vec<Row> {
    let text = std::fs::read_to_string(fixture(dump)).unwrap();
    let header = text
        .find("COPY public.files (")
        .expect("a files COPY block");
    let cols: Vec<&str> = text[header..]
        .split_once('(')
        .and_then(|(_, r)| r.split_once(')'))
        .map(|(c, _)| c.split(", ").collect())
        .unwrap();
    let col = |name: &str| cols.iter().position(|c| *c == name).unwrap();
    let mut at = header + text[header..].find('\n').unwrap() + 1;
    let mut rows = Vec::new();
    for line in text[at..].split_inclusive('\n') {
        if line == "\\.\n" {
            break;
        }
        let f: Vec<&str> = line.trim_end_matches('\n').split('\t').collect();
        rows.push(Row {
            id: f[col("id")].to_string(),
            key: bucket_key(f[col("storage_path")]),
            size: f[col("size_bytes")].parse().unwrap(),
            line: text[..at].matches('\n').count() + 1,
            byte: at,
        });
        at += line.len();
    }
    assert!(rows.len() >= 3, "the fixture names several objects");
    rows
}

/// The bucket key of the storage path forms the example fixture uses,
/// decoded here on its own terms rather than by dumpshift's code.
fn bucket_key(path: &str) -> String {
    let key = match path.split_once("/object/public/life-os-files/") {
        Some((_, k)) => k.replace("%20", " "),
        None => path.trim_start_matches("life-os-files/").to_string(),
    };
    assert!(!key.contains('%') && !key.contains("://"), "{path}");
    key
}

fn content(row: &Row) -> Vec<u8> {
    let seed = row.id.as_bytes();
    (0..row.size as usize)
        .map(|i| seed[i % seed.len()] ^ (i / 7) as u8)
        .collect()
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Stages every object of the example's `files` rows under `dir`.
fn stage(dir: &Path) -> Vec<Row> {
    let rows = files_rows(EXAMPLE);
    for r in &rows {
        let path = dir.join(&r.key);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, content(r)).unwrap();
    }
    rows
}

fn run(args: &[&dyn AsRef<std::ffi::OsStr>]) -> Output {
    dumpshift(args.iter().map(|a| a.as_ref()))
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).expect("the report is JSON")
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Migrates the example with the staged files at `staged` copied to
/// `store` (also the storage root), the load at `load`; returns the report.
fn migrate_with_files(staged: &Path, store: &Path, load: &Path) -> serde_json::Value {
    let report = load.with_extension("json");
    let o = run(&[
        &fixture(EXAMPLE),
        &"-o",
        &load,
        &"--files-dir",
        &staged,
        &"--copy-files-to",
        &store,
        &"--storage-root",
        &store,
        &"--report",
        &report,
    ]);
    assert_success(&o, "migrate with --files-dir and --copy-files-to");
    let r = json(&report);
    let line = format!("files: {} copied to", r["files"]["copy"]["copied"]);
    assert!(stderr(&o).contains(&line), "{line:?} in {}", stderr(&o));
    r
}

fn copied_objects(report: &serde_json::Value) -> &Vec<serde_json::Value> {
    report["files"]["copy"]["objects"].as_array().unwrap()
}

fn modified(store: &Path, rows: &[Row]) -> Vec<std::time::SystemTime> {
    let at = |r: &Row| {
        std::fs::metadata(store.join(&r.key))
            .unwrap()
            .modified()
            .unwrap()
    };
    rows.iter().map(at).collect()
}

/// The plan's check 5.4.4 after loading `load`: every v2 files row can be
/// served from storage under `store`, at the size the row records.
fn assert_served(load: &Path, store: &Path, n: usize) {
    let cluster = Cluster::shared();
    let db = cluster.fresh_db("files_served");
    cluster.exec_file(&db, load);
    let served = cluster.query(
        &db,
        "SELECT storage_path || '|' || size_bytes FROM files ORDER BY id",
    );
    assert_eq!(served.lines().count(), n);
    for line in served.lines() {
        let (path, size) = line.rsplit_once('|').unwrap();
        assert!(path.starts_with(store.to_str().unwrap()), "{path}");
        assert_eq!(
            std::fs::metadata(path).unwrap().len().to_string(),
            size,
            "{path}"
        );
    }
}

#[test]
fn staged_files_are_checked_copied_once_and_served_after_the_load() {
    let tmp = tempfile::tempdir().unwrap();
    let (staged, store) = (tmp.path().join("staged"), tmp.path().join("store"));
    let rows = stage(&staged);
    let load = tmp.path().join("v2_load.sql");
    let first = migrate_with_files(&staged, &store, &load);
    let n = rows.len() as u64;
    assert_eq!(first["files"]["checked"], n);
    assert_eq!(first["files"]["copy"]["copied"], n);
    assert_eq!(first["files"]["copy"]["present"], 0);
    for (r, o) in rows.iter().zip(copied_objects(&first)) {
        let want = content(r);
        assert_eq!(
            std::fs::read(store.join(&r.key)).unwrap(),
            want,
            "{}",
            r.key
        );
        assert_eq!(o["sha256"], sha256_hex(&want));
        assert_eq!(
            (o["id"].as_str(), o["key"].as_str()),
            (Some(&r.id[..]), Some(&r.key[..]))
        );
        assert_eq!(o["action"], "copied");
    }
    let before = modified(&store, &rows);

    let second = migrate_with_files(&staged, &store, &tmp.path().join("again.sql"));
    assert_eq!(second["files"]["copy"]["copied"], 0);
    assert_eq!(second["files"]["copy"]["present"], n);
    assert_eq!(
        modified(&store, &rows),
        before,
        "the second run rewrote no object"
    );
    let sums = |r: &serde_json::Value| {
        copied_objects(r)
            .iter()
            .map(|o| o["sha256"].clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(sums(&first), sums(&second));

    assert_served(&load, &store, rows.len());
}

/// Runs dumpshift on the example with `--files-dir` (and a copy target) and
/// expects the refusal `want` about `row`'s `column`: exit 1, the place
/// named, no load file, nothing copied.
fn assert_files_refused(staged: &Path, row: &Row, column: &str, want: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let (load, store) = (tmp.path().join("v2_load.sql"), tmp.path().join("store"));
    let o = run(&[
        &fixture(EXAMPLE),
        &"-o",
        &load,
        &"-q",
        &"--files-dir",
        &staged,
        &"--copy-files-to",
        &store,
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    let place = format!(
        "life_os_v1_backup.sql:{} (byte {}): public.files id {}, column {column}: ",
        row.line, row.byte, row.id
    );
    assert!(err.contains(&place), "wanted {place:?} in:\n{err}");
    assert!(err.contains(want), "wanted {want:?} in:\n{err}");
    assert!(
        !load.exists() && !store.exists(),
        "nothing is written or copied"
    );
    assert!(names_in(tmp.path()).is_empty());
}

#[test]
fn a_missing_object_is_refused_naming_the_row() {
    let tmp = tempfile::tempdir().unwrap();
    let rows = stage(tmp.path());
    let gone = &rows[2];
    std::fs::remove_file(tmp.path().join(&gone.key)).unwrap();
    let want = format!("object {} is missing from --files-dir", gone.key);
    assert_files_refused(tmp.path(), gone, "storage_path", &want);
}

#[test]
fn an_object_of_another_size_is_refused_naming_the_row() {
    let tmp = tempfile::tempdir().unwrap();
    let rows = stage(tmp.path());
    let short = &rows[1];
    std::fs::write(tmp.path().join(&short.key), b"cut").unwrap();
    let want = format!("the row says {} bytes", short.size);
    assert_files_refused(tmp.path(), short, "size_bytes", &want);
}

#[test]
fn a_failed_copy_leaves_no_load_file() {
    let tmp = tempfile::tempdir().unwrap();
    let staged = tmp.path().join("staged");
    let store = tmp.path().join("store");
    let rows = stage(&staged);
    let taken = store.join(&rows[3].key);
    std::fs::create_dir_all(taken.parent().unwrap()).unwrap();
    std::fs::write(&taken, b"someone else's file").unwrap();
    let load = tmp.path().join("v2_load.sql");
    let o = run(&[
        &fixture(EXAMPLE),
        &"-o",
        &load,
        &"-q",
        &"--files-dir",
        &staged,
        &"--copy-files-to",
        &store,
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("already exists with other content"),
        "{}",
        stderr(&o)
    );
    assert!(
        !load.exists(),
        "no load may point at files that were not copied"
    );
    assert_eq!(std::fs::read(&taken).unwrap(), b"someone else's file");
}

/// Every file and folder `--copy-files-to` creates gets the mode the umask
/// gives (0640 and 0750 under 027), as `cp` would make them; a folder
/// where an object goes is never replaced, even with --force.
#[test]
fn copied_objects_get_the_umask_mode_and_a_folder_in_their_place_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let staged = tmp.path().join("staged");
    let store = tmp.path().join("store");
    let rows = stage(&staged);
    let load = tmp.path().join("v2_load.sql");
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let o = std::process::Command::new("sh")
        .arg("-c")
        .arg("umask 027 && exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_dumpshift"))
        .arg(fixture(EXAMPLE))
        .arg("-o")
        .arg(&load)
        .args(["-q", "--files-dir"])
        .arg(&staged)
        .arg("--copy-files-to")
        .arg(&store)
        .output()
        .unwrap();
    assert_success(&o, "migrate with --copy-files-to under umask 027");
    assert_eq!(mode(&store), 0o750);
    for r in &rows {
        let object = store.join(&r.key);
        assert_eq!(mode(&object), 0o640, "{}", r.key);
        assert_eq!(mode(object.parent().unwrap()), 0o750, "{}", r.key);
    }

    let other = tmp.path().join("other");
    let taken = other.join(&rows[0].key);
    std::fs::create_dir_all(&taken).unwrap();
    let again = tmp.path().join("again.sql");
    let o = run(&[
        &fixture(EXAMPLE),
        &"-o",
        &again,
        &"-q",
        &"--force",
        &"--files-dir",
        &staged,
        &"--copy-files-to",
        &other,
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("is a directory"), "{}", stderr(&o));
    assert!(taken.is_dir() && names_in(&taken).is_empty());
    assert!(!again.exists());
    assert!(
        !names_in(taken.parent().unwrap())
            .iter()
            .any(|n| n.starts_with(".dumpshift-")),
        "no temporary file is left"
    );
}

#[test]
fn copy_files_to_needs_files_dir() {
    let tmp = tempfile::tempdir().unwrap();
    let load = tmp.path().join("v2_load.sql");
    let o = run(&[
        &fixture(EXAMPLE),
        &"-o",
        &load,
        &"--copy-files-to",
        &tmp.path(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--files-dir"), "{}", stderr(&o));
    let o = run(&[
        &fixture(EXAMPLE),
        &"-o",
        &load,
        &"--files-dir",
        &tmp.path().join("nowhere"),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("nowhere"), "{}", stderr(&o));
    assert!(!load.exists());
}

/// Checks one table of the report against the loaded database (v1 in
/// schema `v1`, v2 in `public`); returns its v2 row count.
fn assert_table_matches(cluster: &Cluster, db: &str, t: &serde_json::Value) -> u64 {
    let (source, target) = (t["source"].as_str().unwrap(), t["target"].as_str().unwrap());
    let v1 = cluster.query(
        db,
        &format!(
            "SELECT count(*) FROM v1.{}",
            source.trim_start_matches("public.")
        ),
    );
    let v2 = cluster.query(db, &format!("SELECT count(*) FROM public.{target}"));
    assert_eq!(
        (t["rows_in"].to_string(), t["rows_out"].to_string()),
        (v1, v2.clone()),
        "{source}"
    );
    let names = |k: &str, name: &dyn Fn(&serde_json::Value) -> String| -> Vec<String> {
        t[k].as_array().unwrap().iter().map(name).collect()
    };
    let mut listed = names("columns", &|c| c["name"].as_str().unwrap().to_string());
    listed.extend(names("defaults", &|c| c.as_str().unwrap().to_string()));
    listed.sort();
    let actual = cluster.query(
        db,
        &format!(
        "SELECT string_agg(column_name, ',' ORDER BY column_name) FROM information_schema.columns \
         WHERE table_schema = 'public' AND table_name = '{target}'"
    ),
    );
    assert_eq!(
        listed.join(","),
        actual,
        "{target}: written + defaults = the v2 columns"
    );
    v2.parse().unwrap()
}

#[test]
fn the_report_matches_the_load_in_postgres() {
    let tmp = tempfile::tempdir().unwrap();
    let (load, report) = (
        tmp.path().join("v2_load.sql"),
        tmp.path().join("report.json"),
    );
    let o = run(&[&fixture(EXAMPLE), &"-o", &load, &"--report", &report]);
    assert_success(&o, "migrate with --report");
    let r = json(&report);
    assert_eq!(r["output"], load.to_str().unwrap());
    assert_eq!(r["schema_version"], common::latest_migration_version());
    assert_eq!(r["data_only"], false);
    let cluster = Cluster::shared();
    let db = common::v1_database(cluster, "report", &[fixture(EXAMPLE)]);
    cluster.exec_file(&db, &load);
    let tables = r["tables"].as_array().unwrap();
    assert_eq!(tables.len(), 11);
    let total: u64 = tables
        .iter()
        .map(|t| assert_table_matches(cluster, &db, t))
        .sum();
    assert_eq!(r["rows_out"], total);
    assert_eq!(r["rows_in"], total);
    let origin = |table: &str, column: &str| {
        let t = tables.iter().find(|t| t["target"] == table).unwrap();
        let cols = t["columns"].as_array().unwrap();
        cols.iter().find(|c| c["name"] == column).unwrap().clone()
    };
    assert_eq!(origin("daily_focus", "domain_id")["origin"], "derived");
    assert_eq!(origin("tasks", "sort_order")["origin"], "generated");
    assert_eq!(origin("bookmarks", "label")["origin"], "copied");
    assert_eq!(origin("projects", "target_date")["from"], "due_date");
    assert_eq!(origin("notes", "is_pinned")["value"], "f");
}

#[test]
fn the_report_goes_to_stdout_with_dash_and_is_never_overwritten_silently() {
    let tmp = tempfile::tempdir().unwrap();
    let load = tmp.path().join("v2_load.sql");
    let o = run(&[&fixture(EXAMPLE), &"-o", &load, &"-q", &"--report", &"-"]);
    assert_success(&o, "--report -");
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).expect("stdout is the JSON");
    assert_eq!(r["tables"].as_array().unwrap().len(), 11);
    assert!(o.stderr.is_empty());

    let report = tmp.path().join("report.json");
    std::fs::write(&report, "keep").unwrap();
    let o = run(&[
        &fixture(EXAMPLE),
        &"-o",
        &tmp.path().join("b.sql"),
        &"--report",
        &report,
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("pass --force"), "{}", stderr(&o));
    assert_eq!(std::fs::read(&report).unwrap(), b"keep");
    let o = run(&[&fixture(EXAMPLE), &"-o", &"-", &"--report", &"-"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

/// Runs dumpshift on the example under a pseudo-terminal (`script`), so
/// stderr is a terminal; returns everything written to it.
fn under_terminal(out: &Path, extra: &str) -> String {
    let cmd = format!(
        "'{}' '{}' -o '{}' {extra}",
        env!("CARGO_BIN_EXE_dumpshift"),
        fixture("life_os_v1_plain.sql").display(),
        out.display()
    );
    let o = Command::new("script")
        .args(["-qec", &cmd, "/dev/null"])
        .stdin(Stdio::null())
        .output()
        .expect("run script(1) from util-linux to get a terminal");
    assert_success(&o, &cmd);
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn progress_is_drawn_only_on_a_terminal_and_never_with_quiet() {
    let tmp = tempfile::tempdir().unwrap();
    let o = run(&[
        &fixture("life_os_v1_plain.sql"),
        &"-o",
        &tmp.path().join("a.sql"),
    ]);
    assert_success(&o, "migrate with stderr a pipe");
    let err = stderr(&o);
    assert!(
        !err.contains('\r') && !err.contains('\u{1b}'),
        "no bar on a pipe:\n{err:?}"
    );
    assert!(err.contains("rows in ->"), "the summary is there: {err}");

    let tty = under_terminal(&tmp.path().join("b.sql"), "");
    assert!(
        tty.contains('\u{1b}') && tty.contains("writing tasks"),
        "a bar on a terminal:\n{tty:?}"
    );
    let quiet = under_terminal(&tmp.path().join("c.sql"), "--quiet");
    assert!(quiet.is_empty(), "--quiet prints nothing: {quiet:?}");
}

/// A database with the v2 schema applied and no bookkeeping; copied from a
/// template made once per test process.
fn migrated_db(prefix: &str) -> String {
    static TEMPLATE: OnceLock<String> = OnceLock::new();
    let cluster = Cluster::shared();
    let template = TEMPLATE.get_or_init(|| {
        let db = cluster.fresh_db("v2_migrated");
        cluster.apply_migrations(&db, &repo_root().join("migrations"));
        db
    });
    let name = format!("{prefix}_{}", cluster.fresh_db("slot"));
    cluster.exec(
        "postgres",
        &format!("CREATE DATABASE \"{name}\" TEMPLATE \"{template}\""),
    );
    name
}

const GOLANG: &str =
    "CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);";
const DBMATE: &str = "CREATE TABLE schema_migrations (version varchar(128) NOT NULL PRIMARY KEY);";

fn dbmate_rows(last: i64) -> String {
    let rows: Vec<String> = (1..=last).map(|v| format!("('{v:04}')")).collect();
    format!(
        "INSERT INTO schema_migrations (version) VALUES {};",
        rows.join(", ")
    )
}

/// The example's `--data-only` load file, made once.
fn data_only_load() -> &'static Path {
    static LOAD: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = LOAD.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let load = common::convert(&fixture(EXAMPLE), dir.path(), &["-q", "--data-only"]);
        (dir, load)
    });
    path
}

#[test]
fn data_only_load_equals_the_full_load_on_a_golang_migrate_schema() {
    let text = std::fs::read_to_string(data_only_load()).unwrap();
    assert!(
        !text.contains("CREATE TABLE") && !text.contains("INSERT INTO schema_migrations"),
        "no DDL"
    );
    let cluster = Cluster::shared();
    let db = cluster.fresh_db("data_only_vs_full");
    let tmp = tempfile::tempdir().unwrap();
    let full = common::convert(&fixture(EXAMPLE), tmp.path(), &["-q"]);
    cluster.exec_file(&db, &full);
    cluster.exec(
        &db,
        "ALTER SCHEMA public RENAME TO expected; CREATE SCHEMA public;",
    );
    cluster.apply_migrations(&db, &repo_root().join("migrations"));
    let v = common::latest_migration_version();
    cluster.exec(
        &db,
        &format!("{GOLANG} INSERT INTO schema_migrations VALUES ({v}, false);"),
    );
    cluster.exec_file(&db, data_only_load());
    let out = cluster
        .psql(&db)
        .arg("-f")
        .arg(common::sql_file("same_v2_tables.sql"))
        .output()
        .unwrap();
    assert_success(&out, "the data-only load holds the rows of the full load");
}

#[test]
fn data_only_load_runs_on_a_dbmate_schema() {
    let cluster = Cluster::shared();
    let db = migrated_db("dbmate_ok");
    cluster.exec(
        &db,
        &format!(
            "{DBMATE} {}",
            dbmate_rows(common::latest_migration_version())
        ),
    );
    cluster.exec_file(&db, data_only_load());
    assert_eq!(cluster.query(&db, "SELECT count(*) FROM tasks"), "40");
    assert_eq!(
        cluster.query(&db, "SELECT max(version) FROM schema_migrations"),
        "0009"
    );
}

/// Prepares a migrated database with `setup`, runs the data-only load, and
/// expects it to stop with `want` and change nothing.
fn assert_data_only_refused(prefix: &str, setup: &str, want: &str) {
    let cluster = Cluster::shared();
    let db = migrated_db(prefix);
    if !setup.is_empty() {
        cluster.exec(&db, setup);
    }
    let rows_before = cluster.query(
        &db,
        "SELECT (SELECT count(*) FROM domains) + (SELECT count(*) FROM tasks)",
    );
    let before = catalog_snapshot(cluster, &db);
    let out = cluster.psql_file(&db, data_only_load()).unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{prefix}: the load must stop");
    assert!(err.contains(want), "{prefix}: wanted {want:?} in:\n{err}");
    assert_eq!(
        catalog_snapshot(cluster, &db),
        before,
        "{prefix}: catalog unchanged"
    );
    let rows_after = cluster.query(
        &db,
        "SELECT (SELECT count(*) FROM domains) + (SELECT count(*) FROM tasks)",
    );
    assert_eq!(rows_after, rows_before, "{prefix}: no row added");
}

#[test]
fn data_only_load_refuses_a_schema_it_was_not_made_for() {
    let v = common::latest_migration_version();
    let cases: Vec<(&str, String, String)> = vec![
        ("no_bookkeeping", String::new(), "has no public.schema_migrations".into()),
        ("golang_older", format!("{GOLANG} INSERT INTO schema_migrations VALUES ({}, false);", v - 1),
         format!("the v2 schema is at version {} (golang-migrate), the load needs version {v}", v - 1)),
        ("golang_dirty", format!("{GOLANG} INSERT INTO schema_migrations VALUES ({v}, true);"),
         format!("schema_migrations marks version {v} dirty")),
        ("golang_two_rows", format!("{GOLANG} INSERT INTO schema_migrations VALUES ({v}, false), ({}, false);", v - 1),
         "must hold one row, it holds 2".into()),
        ("dbmate_older", format!("{DBMATE} {}", dbmate_rows(v - 1)),
         format!("has no version {v:04} (the newest applied is {:04})", v - 1)),
        ("dbmate_newer", format!("{DBMATE} {} INSERT INTO schema_migrations VALUES ('{:04}');", dbmate_rows(v), v + 1),
         format!("holds versions after {v:04} ({:04})", v + 1)),
        ("dbmate_unpadded", format!("{DBMATE} INSERT INTO schema_migrations VALUES ('{v}');"),
         format!("has no version {v:04}")),
        ("unknown_form", "CREATE TABLE schema_migrations (version bigint PRIMARY KEY); INSERT INTO schema_migrations VALUES (9);".into(),
         "is neither golang-migrate's".into()),
        ("missing_table", format!("{GOLANG} INSERT INTO schema_migrations VALUES ({v}, false); DROP TABLE reminders;"),
         "table reminders does not exist".into()),
        ("rows_present", format!("{GOLANG} INSERT INTO schema_migrations VALUES ({v}, false); \
            INSERT INTO domains (id, name, color, created_at) VALUES (gen_random_uuid(), 'x', '#000000', now());"),
         "table domains already holds rows".into()),
    ];
    for (prefix, setup, want) in &cases {
        assert_data_only_refused(prefix, setup, want);
    }
}

#[test]
fn help_names_every_run_flag_with_examples() {
    let o = dumpshift(["--help"]);
    assert_success(&o, "dumpshift --help");
    let help = String::from_utf8_lossy(&o.stdout);
    for flag in [
        "--report <FILE>",
        "--files-dir <DIR>",
        "--copy-files-to <DIR>",
        "--data-only",
        "--quiet",
        "--files-dir staged/life-os-files",
        "-o v2_data.sql --data-only",
    ] {
        assert!(help.contains(flag), "--help lacks {flag:?}:\n{help}");
    }
}
