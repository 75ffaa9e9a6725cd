//! Every mapped table's data is there, and valid dumps are read as psql
//! reads them. Inputs are made at test time by the real pg_dump and
//! pg_dumpall from a database restored from the example fixture:
//! `--exclude-table-data`, `--table`, `--schema-only`, data-only subsets,
//! an empty table in an `--inserts` dump, a generated column in an
//! `--inserts` dump, and pg_dumpall database names with quotes and spaces.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{check_v2, dumpshift, pg_dump_to, pg_dumpall_to, v1_example_db, Cluster};

/// Runs dumpshift on `dump` into `<dir>/v2_load.sql` with `args`.
fn run(dump: &Path, dir: &Path, args: &[&str]) -> (Output, String) {
    let out = dir.join("v2_load.sql");
    let mut argv: Vec<&std::ffi::OsStr> = vec![dump.as_os_str(), "-o".as_ref(), out.as_os_str()];
    argv.extend(args.iter().map(std::ffi::OsStr::new));
    let o = dumpshift(&argv);
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    (o, stderr)
}

/// A refusal: exit 1, no load file, the dump unchanged.
fn assert_refused(dump: &Path, dir: &Path, args: &[&str]) -> String {
    let before = std::fs::read(dump).unwrap();
    let (o, stderr) = run(dump, dir, args);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(!dir.join("v2_load.sql").exists(), "a load file was left");
    let left: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n != dump.file_name().unwrap())
        .collect();
    assert!(left.is_empty(), "files left behind: {left:?}");
    assert_eq!(std::fs::read(dump).unwrap(), before, "the dump changed");
    stderr
}

/// Loads `<dir>/v2_load.sql` beside what psql restores from `restore`, and
/// runs the oracle.
fn load_and_check(dir: &Path, prefix: &str, restore: &[PathBuf]) {
    let cluster = Cluster::shared();
    let db = common::v1_database(cluster, prefix, restore);
    cluster.exec_file(&db, &dir.join("v2_load.sql"));
    check_v2(cluster, &db, None);
}

fn line_of(file: &Path, needle: &str) -> usize {
    let text = std::fs::read_to_string(file).unwrap();
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not in dump"));
    text[..at].matches('\n').count() + 1
}

#[test]
fn excluded_table_data_is_refused_naming_the_table_unless_allowed() {
    let cluster = Cluster::shared();
    let db = v1_example_db(cluster, "cov_exclude");
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("dump.sql");
    pg_dump_to(cluster, &db, &["--exclude-table-data=public.notes"], &dump);
    let line = line_of(&dump, "CREATE TABLE public.notes");
    let e = assert_refused(&dump, dir.path(), &[]);
    assert!(
        e.contains(&format!("dump.sql:{line} (byte ")),
        "want the CREATE TABLE's line {line}: {e}"
    );
    for want in [
        "no data for mapped table public.notes",
        "creates it but holds none of its rows",
        "--allow-empty public.notes",
    ] {
        assert!(e.contains(want), "want {want:?}: {e}");
    }
    assert_eq!(e.matches("no data for mapped table").count(), 1, "{e}");

    for name in ["public.notes", "notes"] {
        let report = dir.path().join("report.json");
        let (o, stderr) = run(
            &dump,
            dir.path(),
            &[
                "--allow-empty",
                name,
                "--report",
                report.to_str().unwrap(),
                "--force",
            ],
        );
        assert_eq!(o.status.code(), Some(0), "{stderr}");
        assert!(
            stderr
                .contains("empty: public.notes (no data in the dump; accepted with --allow-empty)"),
            "{stderr}"
        );
        let json: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
        assert_eq!(json["allowed_empty"], serde_json::json!(["public.notes"]));
        std::fs::remove_file(&report).unwrap();
    }
    load_and_check(dir.path(), "cov_exclude_load", &[dump]);
}

#[test]
fn a_table_subset_and_a_partial_data_only_dump_are_refused_naming_every_missing_table() {
    let cluster = Cluster::shared();
    let db = v1_example_db(cluster, "cov_subset");
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("subset.sql");
    pg_dump_to(
        cluster,
        &db,
        &["--table=public.domains", "--table=public.areas"],
        &dump,
    );
    let e = assert_refused(&dump, dir.path(), &[]);
    assert_eq!(e.matches("no data for mapped table").count(), 9, "{e}");
    for t in [
        "public.tasks",
        "public.notes",
        "public.reminders",
        "public.links",
    ] {
        assert!(
            e.contains(&format!(
                "no data for mapped table {t}: the dump neither creates it"
            )),
            "{t}: {e}"
        );
    }
    std::fs::remove_file(&dump).unwrap();

    let dump = dir.path().join("data_only.sql");
    pg_dump_to(
        cluster,
        &db,
        &[
            "--data-only",
            "--column-inserts",
            "--exclude-table-data=public.links",
        ],
        &dump,
    );
    let e = assert_refused(&dump, dir.path(), &[]);
    assert_eq!(e.matches("no data for mapped table").count(), 1, "{e}");
    assert!(e.contains("public.links"), "{e}");
    let (o, stderr) = run(&dump, dir.path(), &["--allow-empty", "public.links"]);
    assert_eq!(o.status.code(), Some(0), "{stderr}");
}

#[test]
fn an_empty_table_in_an_inserts_dump_is_no_warning_and_loads_empty() {
    let cluster = Cluster::shared();
    let db = v1_example_db(cluster, "cov_empty");
    cluster.exec(&db, "DELETE FROM public.reminders");
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("inserts.sql");
    pg_dump_to(cluster, &db, &["--inserts"], &dump);
    let text = std::fs::read_to_string(&dump).unwrap();
    assert!(text.contains("-- Data for Name: reminders; Type: TABLE DATA"));
    assert!(!text.contains("INSERT INTO public.reminders"));
    let (o, stderr) = run(&dump, dir.path(), &[]);
    assert_eq!(o.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
    assert!(stderr.contains("public.reminders"), "{stderr}");
    load_and_check(dir.path(), "cov_empty_load", &[dump]);
}

#[test]
fn a_schema_only_dump_gets_its_own_message() {
    let cluster = Cluster::shared();
    let db = v1_example_db(cluster, "cov_schema");
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("schema.sql");
    pg_dump_to(cluster, &db, &["--schema-only"], &dump);
    let e = assert_refused(&dump, dir.path(), &[]);
    assert!(
        e.contains("the dump holds no data, only the schema (11 mapped tables"),
        "{e}"
    );
    assert!(e.contains("pg_dump -Fp DBNAME > backup.sql"), "{e}");
    assert!(e.contains("supabase db dump --data-only"), "{e}");
    assert!(!e.contains("no table of the"), "{e}");
    assert_eq!(e.lines().count(), 1, "{e}");
}

#[test]
fn allow_empty_naming_no_mapped_table_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let dump = common::fixture("example/life_os_v1_backup.sql");
    for bad in ["public.nope", "other.notes", "nope"] {
        let (o, stderr) = run(&dump, dir.path(), &["--allow-empty", bad]);
        assert_eq!(o.status.code(), Some(2), "{bad}: {stderr}");
        assert!(
            stderr.contains(&format!(
                "--allow-empty {bad}: not a table of the life-os mapping"
            )),
            "{stderr}"
        );
        assert!(!dir.path().join("v2_load.sql").exists());
    }
}

#[test]
fn generated_columns_in_an_inserts_dump_are_read_as_default() {
    let cluster = Cluster::shared();
    let db = v1_example_db(cluster, "cov_generated");
    cluster.exec(
        &db,
        "ALTER TABLE public.notes ADD COLUMN title_length integer GENERATED ALWAYS AS (length(title)) STORED",
    );
    let dir = tempfile::tempdir().unwrap();
    for form in ["--inserts", "--column-inserts"] {
        let dump = dir.path().join("generated.sql");
        pg_dump_to(cluster, &db, &[form], &dump);
        if form == "--inserts" {
            let text = std::fs::read_to_string(&dump).unwrap();
            assert!(text.contains(", DEFAULT);"), "pg_dump wrote no DEFAULT");
        }
        let (o, stderr) = run(&dump, dir.path(), &["--force"]);
        assert_eq!(o.status.code(), Some(0), "{form}: {stderr}");
        load_and_check(dir.path(), "cov_generated_load", &[dump]);
    }
}

#[test]
fn pg_dumpall_database_names_are_decoded_as_psql_reads_them() {
    // A cluster of its own: pg_dumpall dumps every database in it.
    let cluster = Cluster::start();
    let names = ["Bob's Life OS", "back\\slash \"quoted\""];
    for name in names {
        cluster.createdb(&name.replace('"', "\"\""));
        cluster.exec_file(name, &common::fixture("example/life_os_v1_backup.sql"));
    }
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("all.sql");
    pg_dumpall_to(&cluster, &[], &dump);
    let e = assert_refused(&dump, dir.path(), &[]);
    assert!(
        e.contains("several databases (Bob's Life OS, back\\slash \"quoted\")"),
        "{e}"
    );
    for name in names {
        let (o, stderr) = run(&dump, dir.path(), &["--database", name, "--force"]);
        assert_eq!(o.status.code(), Some(0), "{name}: {stderr}");
        load_and_check(
            dir.path(),
            "cov_dumpall_load",
            &[common::fixture("example/life_os_v1_backup.sql")],
        );
    }
}

#[test]
fn a_copy_deleted_or_renamed_by_hand_is_refused_where_its_table_of_contents_entry_is() {
    let dir = tempfile::tempdir().unwrap();
    let plain = std::fs::read_to_string(common::fixture("life_os_v1_plain.sql")).unwrap();
    let header = "COPY public.context_types (";
    let start = plain
        .find(header)
        .expect("the fixture has context_types data");
    let end = start + plain[start..].find("\n\\.\n").unwrap() + "\n\\.\n".len();
    let deleted = format!("{}{}", &plain[..start], &plain[end..]);
    let renamed = plain.replacen(header, "COPY public.contex_types (", 1);
    for (name, text) in [("deleted.sql", deleted), ("renamed.sql", renamed)] {
        let dump = dir.path().join(name);
        std::fs::write(&dump, &text).unwrap();
        let err = assert_refused(&dump, dir.path(), &["-q"]);
        let entry = line_of(&dump, "-- Data for Name: context_types; Type: TABLE DATA");
        assert!(
            err.contains(&format!("{name}:{entry} "))
                && err.contains("public.context_types")
                && err.contains("no COPY of it follows"),
            "{name}: {err}"
        );
        // Meant to be empty: the user says so.
        let (o, err) = run(&dump, dir.path(), &["-q", "--allow-empty", "context_types"]);
        assert!(o.status.success(), "{name}: {err}");
        std::fs::remove_file(dir.path().join("v2_load.sql")).unwrap();
        std::fs::remove_file(&dump).unwrap();
    }
}
