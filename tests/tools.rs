//! The commands around the migration, end to end against a real
//! PostgreSQL: `schema` and `migrations write` (both layouts) load and
//! unload cleanly and give the same schema; `migrations check` passes what
//! dumpshift writes and finds each defect of folders broken in the test;
//! `baseline` turns a real `pg_dump --schema-only` (of the restored Supabase
//! fixture) into a migration whose up rebuilds the same schema, whose down
//! empties the database, and whose mark-applied script satisfies each
//! tool's `schema_migrations`; `completions` and every `--help`.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Once;

use common::{assert_success, catalog_snapshot, dumpshift, stderr, Cluster};
use pretty_assertions::assert_eq;

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn run_ok(args: &[&str]) -> Output {
    let out = dumpshift(args);
    assert_success(&out, &format!("dumpshift {args:?}"));
    out
}

fn path(p: &Path) -> &str {
    p.to_str().expect("temporary paths are UTF-8")
}

/// Runs `file` in `db` in one transaction, as the migration tools run a
/// migration, and panics with psql's messages if it fails.
fn apply(cluster: &Cluster, db: &str, file: &Path) {
    let out = cluster
        .psql(db)
        .arg("-1")
        .arg("-f")
        .arg(file)
        .output()
        .unwrap();
    assert_success(&out, &format!("psql -1 -f {} ({db})", file.display()));
}

/// `pg_dump --schema-only` of `db` (extra arguments appended), with the
/// `\restrict` key lines, which differ on every run, taken out.
fn schema_of(cluster: &Cluster, db: &str, extra: &[&str]) -> String {
    let psql = cluster.psql(db);
    let pg_dump = Path::new(psql.get_program()).with_file_name("pg_dump");
    let out = Command::new(pg_dump)
        .arg("-h")
        .arg(cluster.socket_dir())
        .args(["-U", "postgres", "--schema-only", "-d", db])
        .args(extra)
        .env_remove("PGOPTIONS")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_success(&out, &format!("pg_dump --schema-only {db}"));
    stdout(&out)
        .lines()
        .filter(|l| !l.starts_with("\\restrict ") && !l.starts_with("\\unrestrict "))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// The catalog of a database nothing was ever loaded into.
fn empty_catalog(cluster: &Cluster) -> String {
    let db = cluster.fresh_db("tools_empty");
    catalog_snapshot(cluster, &db)
}

fn sorted_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

/// A dbmate file's two sections, split by the markers as dbmate reads them,
/// written beside it as `<stem>.up.sql` / `<stem>.down.sql` for psql.
fn dbmate_sections(file: &Path, scratch: &Path) -> (PathBuf, PathBuf) {
    let text = std::fs::read_to_string(file).unwrap();
    let body = text
        .strip_prefix("-- migrate:up\n")
        .unwrap_or_else(|| panic!("{} starts with -- migrate:up", file.display()));
    let (up, down) = body
        .split_once("\n-- migrate:down\n")
        .unwrap_or_else(|| panic!("{} has a -- migrate:down line", file.display()));
    let stem = file.file_stem().unwrap().to_str().unwrap();
    let (u, d) = (
        scratch.join(format!("{stem}.up.sql")),
        scratch.join(format!("{stem}.down.sql")),
    );
    std::fs::write(&u, up).unwrap();
    std::fs::write(&d, down).unwrap();
    (u, d)
}

/// Up files and down files of a written folder, in the order to run them:
/// ups by number, downs in reverse.
fn ups_and_downs(dir: &Path, dbmate: bool, scratch: &Path) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let (mut ups, mut downs) = (Vec::new(), Vec::new());
    for name in sorted_files(dir) {
        if !name.starts_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        let file = dir.join(&name);
        if dbmate {
            let (u, d) = dbmate_sections(&file, scratch);
            ups.push(u);
            downs.push(d);
        } else if name.ends_with(".up.sql") {
            ups.push(file);
        } else if name.ends_with(".down.sql") {
            downs.push(file);
        }
    }
    downs.reverse();
    (ups, downs)
}

/// The schema `dumpshift schema` prints, loaded into a fresh database.
fn schema_database(cluster: &Cluster, tmp: &Path) -> String {
    let out = run_ok(&["schema"]);
    let file = tmp.join("v2_schema.sql");
    std::fs::write(&file, &out.stdout).unwrap();
    let db = cluster.fresh_db("tools_schema");
    apply(cluster, &db, &file);
    let tables = cluster.query(
        &db,
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'",
    );
    assert_eq!(tables, "31", "the v2 schema has 31 tables");
    db
}

/// `migrations write` in `format`: the folder passes `migrations check`,
/// its ups in order build the schema `dumpshift schema` builds, and its
/// downs in reverse leave the database as empty as a new one.
fn write_round_trip(format: &str) {
    let cluster = Cluster::shared();
    let tmp = tempfile::tempdir().unwrap();
    let reference = schema_of(cluster, &schema_database(cluster, tmp.path()), &[]);
    let dir = tmp.path().join("migrations");
    let out = run_ok(&["migrations", "write", path(&dir), "--format", format]);
    assert!(stdout(&out).is_empty(), "stdout carries no diagnostics");
    assert!(
        stderr(&out).contains("wrote 9 migrations"),
        "{}",
        stderr(&out)
    );
    let check = run_ok(&["migrations", "check", path(&dir)]);
    assert_eq!(stdout(&check), "", "no findings");
    assert!(stderr(&check).contains(&format!("9 migrations ({format}), no findings")));

    let scratch = tempfile::tempdir().unwrap();
    let (ups, downs) = ups_and_downs(&dir, format == "dbmate", scratch.path());
    assert_eq!((ups.len(), downs.len()), (9, 9));
    let db = cluster.fresh_db("tools_write");
    for up in &ups {
        apply(cluster, &db, up);
    }
    assert_eq!(schema_of(cluster, &db, &[]), reference);
    for down in &downs {
        apply(cluster, &db, down);
    }
    assert_eq!(catalog_snapshot(cluster, &db), empty_catalog(cluster));
}

#[test]
fn golang_migrate_files_are_the_embedded_migrations_and_round_trip() {
    write_round_trip("golang-migrate");
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("m");
    run_ok(&["migrations", "write", path(&dir)]);
    let repo = common::repo_root().join("migrations");
    assert_eq!(sorted_files(&dir), sorted_files(&repo));
    for name in sorted_files(&repo) {
        assert_eq!(
            std::fs::read(dir.join(&name)).unwrap(),
            std::fs::read(repo.join(&name)).unwrap(),
            "{name} is written byte for byte"
        );
    }
}

#[test]
fn dbmate_files_round_trip() {
    write_round_trip("dbmate");
}

#[test]
fn write_refuses_existing_files_and_force_replaces_them() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(dir.join("0003_tasks.up.sql"), "-- mine\n").unwrap();
    let out = dumpshift(["migrations", "write", path(dir)]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("0003_tasks.up.sql already exists; pass --force"));
    assert_eq!(
        sorted_files(dir),
        vec!["0003_tasks.up.sql"],
        "nothing else written"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("0003_tasks.up.sql")).unwrap(),
        "-- mine\n"
    );
    run_ok(&["migrations", "write", path(dir), "--force"]);
    assert_eq!(sorted_files(dir).len(), 18);
}

#[test]
fn the_repository_migrations_folder_passes_the_check() {
    let dir = common::repo_root().join("migrations");
    let out = run_ok(&["migrations", "check", path(&dir)]);
    assert_eq!(stdout(&out), "");
}

/// A folder written by dumpshift in `format`, then broken by `damage`;
/// `migrations check` must exit 1 and print exactly `want` (paths relative
/// to the folder), with the count on stderr.
fn check_finds(format: &str, damage: impl FnOnce(&Path), want: &[&str]) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("m");
    run_ok(&["migrations", "write", path(&dir), "--format", format]);
    damage(&dir);
    let out = dumpshift(["migrations", "check", path(&dir)]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let prefix = format!("{}/", dir.display());
    let found: Vec<String> = stdout(&out)
        .lines()
        .map(|l| l.replace(&prefix, "").replace(path(&dir), "DIR"))
        .collect();
    assert_eq!(found, want);
    let count = format!("{} finding", want.len());
    assert!(stderr(&out).contains(&count), "{}", stderr(&out));
}

fn copy(dir: &Path, from: &str, to: &str) {
    std::fs::copy(dir.join(from), dir.join(to)).unwrap();
}

fn remove(dir: &Path, name: &str) {
    std::fs::remove_file(dir.join(name)).unwrap();
}

/// Replaces the first `from` in `name` and returns the 1-based line it was on.
fn edit(dir: &Path, name: &str, from: &str, to: &str) -> usize {
    let text = std::fs::read_to_string(dir.join(name)).unwrap();
    let at = text
        .find(from)
        .unwrap_or_else(|| panic!("{from} in {name}"));
    std::fs::write(dir.join(name), text.replacen(from, to, 1)).unwrap();
    text[..at].matches('\n').count() + 1
}

#[test]
fn check_finds_duplicates_missing_directions_and_gaps() {
    check_finds(
        "golang-migrate",
        |d| {
            copy(d, "0003_tasks.up.sql", "0003_tasks_again.up.sql");
            copy(d, "0003_tasks.down.sql", "0003_tasks_again.down.sql");
        },
        &["DIR: version 3 is claimed by more than one migration: 0003_tasks, 0003_tasks_again"],
    );
    check_finds(
        "golang-migrate",
        |d| {
            remove(d, "0004_knowledge.down.sql");
            remove(d, "0005_focus_and_reminders.up.sql");
        },
        &[
            "0004_knowledge.up.sql: no matching .down.sql",
            "0005_focus_and_reminders.down.sql: no matching .up.sql",
        ],
    );
    check_finds(
        "golang-migrate",
        |d| {
            for n in ["0006_time", "0007_lists_and_tags"] {
                remove(d, &format!("{n}.up.sql"));
                remove(d, &format!("{n}.down.sql"));
            }
            std::fs::write(d.join("0008-system.sql"), "SELECT 1;\n").unwrap();
            std::fs::write(d.join("README.md"), "not a migration\n").unwrap();
        },
        &[
            "0008-system.sql: not named NNNN_name.up.sql or NNNN_name.down.sql (the tool would skip it)",
            "DIR: versions 6 to 7 are missing from the numbering",
        ],
    );
}

#[test]
fn check_reports_bad_sql_empty_sections_and_meta_commands() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("m");
    run_ok(&["migrations", "write", path(&dir)]);
    let line = edit(
        &dir,
        "0002_contacts.up.sql",
        "CREATE TABLE contacts",
        "CREATE TABEL contacts",
    );
    std::fs::write(
        dir.join("0009_search_index.down.sql"),
        "-- nothing to undo\n",
    )
    .unwrap();
    edit(
        &dir,
        "0001_core.down.sql",
        "DROP TABLE IF EXISTS domains;",
        "\\restrict k\nDROP TABLE IF EXISTS domains;",
    );
    let out = dumpshift(["migrations", "check", path(&dir)]);
    assert_eq!(out.status.code(), Some(1));
    let d = dir.display();
    let down_line = std::fs::read_to_string(dir.join("0001_core.down.sql"))
        .unwrap()
        .lines()
        .position(|l| l == "\\restrict k")
        .unwrap()
        + 1;
    assert_eq!(
        stdout(&out),
        format!(
            "{d}/0001_core.down.sql:{down_line}: psql meta-command `\\restrict k`: migration tools send SQL to the server, which cannot run it\n\
             {d}/0002_contacts.up.sql:{line}: SQL does not parse: syntax error at or near \"TABEL\"\n\
             {d}/0009_search_index.down.sql: the down migration holds no SQL\n"
        )
    );
}

#[test]
fn check_finds_dbmate_defects() {
    check_finds(
        "dbmate",
        |d| {
            let name = "0004_knowledge.sql";
            let text = std::fs::read_to_string(d.join(name)).unwrap();
            let up_only = text.split("\n-- migrate:down\n").next().unwrap().to_string();
            std::fs::write(d.join(name), up_only).unwrap();
            copy(d, "0002_contacts.sql", "0002_people.sql");
            let text = std::fs::read_to_string(d.join("0006_time.sql")).unwrap();
            std::fs::write(d.join("0006_time.sql"), format!("SELECT 1;\n{text}")).unwrap();
        },
        &[
            "0006_time.sql:1: SQL before `-- migrate:up`: dbmate runs only what is inside a section",
            "0004_knowledge.sql: no `-- migrate:down` section",
            "DIR: version 2 is claimed by more than one migration: 0002_contacts, 0002_people",
        ],
    );
}

#[test]
fn check_of_a_folder_without_migrations_or_that_is_missing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = dumpshift(["migrations", "check", path(tmp.path())]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out),
        format!(
            "{}: no migration files (NNNN_name...sql)\n",
            tmp.path().display()
        )
    );
    let missing = tmp.path().join("nope");
    let out = dumpshift(["migrations", "check", path(&missing)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("cannot read the folder"),
        "{}",
        stderr(&out)
    );
}

/// The Supabase roles the fixture's `OWNER TO` and `GRANT` lines name:
/// roles belong to the cluster, so they are made once.
fn ensure_supabase_roles(cluster: &Cluster) {
    static ROLES: Once = Once::new();
    ROLES.call_once(|| {
        let roles = common::repo_root().join("scripts/fixtures/supabase_roles.sql");
        cluster.exec_file("postgres", &roles);
    });
}

/// A database restored from the Supabase fixture (schemas, extensions,
/// enums, functions, triggers, policies, views, identity columns, a
/// publication, default privileges) that was once under golang-migrate:
/// it has a `schema_migrations` table at version 17. Returns the database
/// and its `pg_dump --schema-only`, written to `tmp/schema.sql`.
fn untracked_database(cluster: &Cluster, tmp: &Path) -> (String, PathBuf) {
    ensure_supabase_roles(cluster);
    let db = cluster.fresh_db("tools_baseline_source");
    cluster.exec_file(&db, &common::fixture("supabase/full.sql"));
    cluster.exec(
        &db,
        "CREATE TABLE public.schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL); \
         INSERT INTO public.schema_migrations VALUES (17, false);",
    );
    let dump = tmp.join("schema.sql");
    std::fs::write(&dump, schema_of(cluster, &db, &[])).unwrap();
    (db, dump)
}

/// The baseline of a real schema dump in `format`: it passes the check;
/// its up section rebuilds exactly the dumped schema (less the tool's own
/// table); its down section leaves a database as empty as a new one and
/// the up runs again after it. Returns the folder and the source database.
fn baseline_round_trip(format: &str, tmp: &Path) -> (PathBuf, String) {
    let cluster = Cluster::shared();
    let (source, dump) = untracked_database(cluster, tmp);
    let dir = tmp.join("migrations");
    let out = run_ok(&[
        "baseline",
        path(&dump),
        "-o",
        path(&dir),
        "--format",
        format,
    ]);
    assert!(stdout(&out).is_empty());
    assert!(
        stderr(&out).contains("public.schema_migrations is the migration tool's own table"),
        "{}",
        stderr(&out)
    );
    assert!(!stderr(&out).contains("does not drop"), "{}", stderr(&out));
    assert_eq!(run_ok(&["migrations", "check", path(&dir)]).stdout, b"");

    let scratch = tempfile::tempdir().unwrap();
    let (ups, downs) = ups_and_downs(&dir, format == "dbmate", scratch.path());
    let (up, down) = (&ups[0], &downs[0]);
    assert!(!std::fs::read_to_string(up).unwrap().contains("\\restrict"));
    let target = cluster.fresh_db("tools_baseline_target");
    apply(cluster, &target, up);
    let want = schema_of(
        cluster,
        &source,
        &["--exclude-table=public.schema_migrations"],
    );
    assert_eq!(
        schema_of(cluster, &target, &[]),
        want,
        "the up section rebuilds the schema"
    );
    apply(cluster, &target, down);
    assert_eq!(catalog_snapshot(cluster, &target), empty_catalog(cluster));
    assert_eq!(
        cluster.query(&target, "SELECT count(*) FROM pg_publication"),
        "0"
    );
    apply(cluster, &target, up);
    assert_eq!(
        schema_of(cluster, &target, &[]),
        want,
        "up again after down"
    );
    (dir, source)
}

#[test]
fn golang_migrate_baseline_of_a_real_schema_dump() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, source) = baseline_round_trip("golang-migrate", tmp.path());
    assert_eq!(
        sorted_files(&dir),
        vec![
            "0001_baseline.down.sql",
            "0001_baseline.up.sql",
            "mark_applied_0001_baseline.sql"
        ]
    );
    let cluster = Cluster::shared();
    apply(
        cluster,
        &source,
        &dir.join("mark_applied_0001_baseline.sql"),
    );
    assert_eq!(
        cluster.query(&source, "SELECT version, dirty FROM schema_migrations"),
        "1|f"
    );
    assert_eq!(
        cluster.query(&source, "SELECT version FROM schema_migrations_legacy"),
        "17",
        "the old history is kept"
    );
    assert_eq!(
        cluster.query(
            &source,
            "SELECT string_agg(column_name || ' ' || data_type || ' ' || is_nullable, ', ' ORDER BY ordinal_position) \
             FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'schema_migrations'"
        ),
        "version bigint NO, dirty boolean NO",
        "golang-migrate's table"
    );
}

#[test]
fn dbmate_baseline_from_stdin_with_a_timestamp_version() {
    let tmp = tempfile::tempdir().unwrap();
    let cluster = Cluster::shared();
    let (_, dump) = untracked_database(cluster, tmp.path());
    let dir = tmp.path().join("db");
    let out = Command::new(env!("CARGO_BIN_EXE_dumpshift"))
        .args(["baseline", "-", "-o", path(&dir), "--format", "dbmate"])
        .args(["--version", "20260301120000", "--name", "lifeos_baseline"])
        .stdin(std::fs::File::open(&dump).unwrap())
        .output()
        .unwrap();
    assert_success(&out, "dumpshift baseline - (stdin)");
    assert_eq!(
        sorted_files(&dir),
        vec![
            "20260301120000_lifeos_baseline.sql",
            "mark_applied_20260301120000_lifeos_baseline.sql"
        ]
    );
    let scratch = tempfile::tempdir().unwrap();
    let (ups, _) = ups_and_downs(&dir, true, scratch.path());
    let db = cluster.fresh_db("tools_dbmate_baseline");
    apply(cluster, &db, &ups[0]);
    apply(
        cluster,
        &db,
        &dir.join("mark_applied_20260301120000_lifeos_baseline.sql"),
    );
    assert_eq!(
        cluster.query(
            &db,
            "SELECT version, pg_typeof(version), character_maximum_length FROM schema_migrations, \
             information_schema.columns WHERE table_schema = 'public' AND table_name = 'schema_migrations' AND column_name = 'version'"
        ),
        "20260301120000|character varying|128",
        "dbmate's table"
    );
}

#[test]
fn dbmate_baseline_round_trips() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, _) = baseline_round_trip("dbmate", tmp.path());
    assert_eq!(
        sorted_files(&dir),
        vec!["0001_baseline.sql", "mark_applied_0001_baseline.sql"]
    );
}

#[test]
fn baseline_refuses_a_dump_with_data_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    let dump = common::fixture("example/life_os_v1_backup.sql");
    let out = dumpshift(["baseline", path(&dump), "-o", path(&dir)]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = std::fs::read_to_string(&dump).unwrap();
    let copy_at = text.find("\nCOPY ").unwrap() + 1;
    let line = text[..copy_at].matches('\n').count() + 1;
    assert_eq!(
        stderr(&out),
        format!(
            "dumpshift: {}:{line} (byte {copy_at}): COPY: this dump holds data; a baseline takes `pg_dump --schema-only` output\n",
            dump.display()
        )
    );
    assert!(!dir.exists(), "nothing is written");
}

#[test]
fn completions_for_bash_complete_the_commands() {
    let script = run_ok(&["completions", "bash"]).stdout;
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("dumpshift.bash");
    std::fs::write(&file, &script).unwrap();
    let probe = format!(
        "source {}; complete -p dumpshift; COMP_WORDS=(dumpshift migrations ''); COMP_CWORD=2; \
         COMP_LINE='dumpshift migrations '; COMP_POINT=${{#COMP_LINE}}; _dumpshift dumpshift '' migrations; \
         printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        file.display()
    );
    let out = Command::new("bash")
        .args(["--norc", "-c", &probe])
        .output()
        .unwrap();
    assert_success(&out, "bash completion probe");
    let text = stdout(&out);
    assert!(text.contains(" -F _dumpshift dumpshift"), "{text}");
    let words: Vec<&str> = text.lines().skip(1).collect();
    for w in ["write", "check"] {
        assert!(words.contains(&w), "{w} in {words:?}");
    }
}

#[test]
fn completions_for_zsh_and_fish_name_every_command() {
    for shell in ["zsh", "fish"] {
        let script = stdout(&run_ok(&["completions", shell]));
        for cmd in [
            "schema",
            "migrations",
            "baseline",
            "completions",
            "golang-migrate",
        ] {
            assert!(script.contains(cmd), "{shell} completion names {cmd}");
        }
    }
    let out = dumpshift(["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn every_command_has_help_with_examples() {
    for args in [
        &["schema", "--help"][..],
        &["migrations", "write", "--help"],
        &["migrations", "check", "--help"],
        &["baseline", "--help"],
        &["completions", "--help"],
    ] {
        let out = run_ok(args);
        let help = stdout(&out);
        let examples = help.split_once("Examples:\n").map_or("", |(_, e)| e);
        assert!(examples.contains("  dumpshift "), "{args:?}: {help}");
    }
    let out = dumpshift(["baseline", "x.sql", "-o", "d", "--name", "has space"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("use letters, digits and `_` only"));
}
