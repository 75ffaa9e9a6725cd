//! Support shared by dumpshift's integration tests.
//!
//! Owns the throw-away PostgreSQL cluster (`cluster`, `pgbin`), the paths of
//! the repository's fixtures, migrations and oracle SQL, running the
//! dumpshift binary, and the two-schema database the SQL oracle reads: the
//! v1 dump restored into schema `v1` beside a v2 load in `public`.

// Each test binary uses its own part of this module.
#![allow(dead_code)]

mod cluster;
mod pgbin;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub use cluster::{assert_success, Cluster};

/// The repository root, where Cargo.toml lives.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `fixtures/<name>`: a pg_dump of a v1 database.
pub fn fixture(name: &str) -> PathBuf {
    repo_root().join("fixtures").join(name)
}

/// `tests/sql/<name>`.
pub fn sql_file(name: &str) -> PathBuf {
    repo_root().join("tests").join("sql").join(name)
}

/// The version of the newest migration in `migrations/`, the number that
/// leads its file name (`0009_search_index.up.sql` -> 9): what a good load
/// records in `schema_migrations`.
pub fn latest_migration_version() -> i64 {
    let dir = repo_root().join("migrations");
    std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .filter_map(|entry| {
            let name = entry.ok()?.file_name().into_string().ok()?;
            let number = name.strip_suffix(".up.sql")?.split('_').next()?;
            number.parse::<i64>().ok()
        })
        .max()
        .unwrap_or_else(|| panic!("no NNNN_name.up.sql migration in {}", dir.display()))
}

/// Runs the dumpshift binary of this build with `args`, stdin closed.
pub fn dumpshift<I, S>(args: I) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    Command::new(env!("CARGO_BIN_EXE_dumpshift"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run the dumpshift binary")
}

/// Runs dumpshift with `args` as given (which may not be UTF-8).
pub fn run(args: &[&std::ffi::OsStr]) -> Output {
    dumpshift(args)
}

/// A finished command's stderr, as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Converts `dump` into `<out_dir>/v2_load.sql` with the extra command-line
/// `args`, asserting success.
pub fn convert(dump: &Path, out_dir: &Path, args: &[&str]) -> PathBuf {
    let load = out_dir.join("v2_load.sql");
    let mut argv: Vec<&std::ffi::OsStr> = vec![dump.as_os_str(), "-o".as_ref(), load.as_os_str()];
    argv.extend(args.iter().map(std::ffi::OsStr::new));
    let out = dumpshift(&argv);
    assert_success(&out, &format!("dumpshift {argv:?}"));
    load
}

/// A fresh database holding the v1 data in schema `v1` and an empty schema
/// `public` for the v2 load: the layout `tests/sql/check_v2.sql` reads.
/// `restore` is run in order: a full dump, or the v1 DDL then a data-only dump.
pub fn v1_database(cluster: &Cluster, prefix: &str, restore: &[PathBuf]) -> String {
    let db = cluster.fresh_db(prefix);
    for file in restore {
        cluster.exec_file(&db, file);
    }
    cluster.exec(
        &db,
        "ALTER SCHEMA public RENAME TO v1; CREATE SCHEMA public;",
    );
    db
}

/// Runs the oracle in `db` (see `v1_database`), expecting file paths under
/// `storage_root` (None: the default root); the caller judges the outcome.
/// Its stdout is the report: one row per difference, then a summary line.
pub fn run_check_v2(cluster: &Cluster, db: &str, storage_root: Option<&str>) -> Output {
    let mut cmd = cluster.psql(db);
    if let Some(root) = storage_root {
        cmd.arg("-v").arg(format!("storage_root={root}"));
    }
    cmd.arg("-f").arg(sql_file("check_v2.sql"));
    cmd.output().expect("run psql")
}

/// Runs the oracle and panics with its report of every difference if the
/// v2 tables are not what MAPPING.md says. Returns the printed report.
pub fn check_v2(cluster: &Cluster, db: &str, storage_root: Option<&str>) -> String {
    let out = run_check_v2(cluster, db, storage_root);
    let report = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "the v2 load of database {db} differs from MAPPING.md:\n{report}\n{}",
        String::from_utf8_lossy(&out.stderr),
    );
    report
}

/// The user-visible objects of `db` (schemas, relations, types, functions,
/// extensions), one per line, sorted: equal before and after a statement
/// means the statement left no trace in the catalog.
pub fn catalog_snapshot(cluster: &Cluster, db: &str) -> String {
    cluster.query(
        db,
        "SELECT kind || ' ' || name FROM (
             SELECT 'schema' AS kind, nspname::text AS name FROM pg_namespace
             UNION ALL
             SELECT 'relation ' || c.relkind::text, n.nspname || '.' || c.relname
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             UNION ALL
             SELECT 'type', n.nspname || '.' || t.typname
             FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
             UNION ALL
             SELECT 'function', n.nspname || '.' || p.proname
             FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
             UNION ALL
             SELECT 'extension', extname::text FROM pg_extension
         ) o
         WHERE name !~ '^(pg_catalog|information_schema|pg_toast|pg_temp|pg_toast_temp)'
         ORDER BY 1",
    )
}

/// The PostgreSQL client program `name` (pg_dump, pg_dumpall) beside the
/// cluster's psql, so client and server agree.
fn client_program(cluster: &Cluster, name: &str) -> PathBuf {
    let psql = PathBuf::from(cluster.psql("postgres").get_program());
    let beside = psql.with_file_name(name);
    if beside.is_file() {
        return beside;
    }
    PathBuf::from(name)
}

/// Runs the real `pg_dump` of `db` with `args` into `out`, panicking if
/// it fails: inputs for the tests made by pg_dump itself at test time.
pub fn pg_dump_to(cluster: &Cluster, db: &str, args: &[&str], out: &Path) {
    let result = Command::new(client_program(cluster, "pg_dump"))
        .arg("-h")
        .arg(cluster.socket_dir())
        .args(["-U", "postgres", "-f"])
        .arg(out)
        .args(args)
        .arg(db)
        .env_remove("PGOPTIONS")
        .env("PGCLIENTENCODING", "UTF8")
        .stdin(Stdio::null())
        .output()
        .expect("run pg_dump");
    assert_success(&result, &format!("pg_dump {args:?} {db}"));
}

/// Runs the real `pg_dumpall` of the whole `cluster` into `out`.
pub fn pg_dumpall_to(cluster: &Cluster, args: &[&str], out: &Path) {
    let result = Command::new(client_program(cluster, "pg_dumpall"))
        .arg("-h")
        .arg(cluster.socket_dir())
        .args(["-U", "postgres", "-f"])
        .arg(out)
        .args(args)
        .env_remove("PGOPTIONS")
        .env("PGCLIENTENCODING", "UTF8")
        .stdin(Stdio::null())
        .output()
        .expect("run pg_dumpall");
    assert_success(&result, &format!("pg_dumpall {args:?}"));
}

/// A fresh database holding the v1 example data (`fixtures/example`), in
/// schema `public`, as pg_dump made it: the source for test-time dumps.
pub fn v1_example_db(cluster: &Cluster, prefix: &str) -> String {
    let db = cluster.fresh_db(prefix);
    cluster.exec_file(&db, &fixture("example/life_os_v1_backup.sql"));
    db
}
