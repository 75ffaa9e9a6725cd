//! `dumpshift inspect`, end to end: its row counts and columns are those
//! PostgreSQL has after restoring the same dump, for every data form; its
//! versions are those of the pg_dump and server that wrote the dump; drift in
//! a real pg_dump of a changed database is named column by column, as the
//! migration then refuses it; other schemas' mappings, pg_dumpall files,
//! stdin and bad input.

mod bookshop;
mod common;

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

use common::{assert_success, dumpshift, fixture, Cluster};

fn inspect_json(dump: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["inspect", dump.to_str().unwrap(), "--json"];
    args.extend(extra);
    let out = dumpshift(&args);
    assert_success(&out, &format!("dumpshift {args:?}"));
    serde_json::from_slice(&out.stdout).expect("inspect --json prints JSON")
}

fn only_database(report: &Value) -> &Value {
    let dbs = report["databases"].as_array().unwrap();
    assert_eq!(dbs.len(), 1, "a pg_dump file is one database");
    &dbs[0]
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

/// (table, column) of every drift entry.
fn drift(db: &Value) -> BTreeSet<(String, Option<String>)> {
    db["drift"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let column = d["column"].as_str().map(str::to_string);
            (d["table"].as_str().unwrap().to_string(), column)
        })
        .collect()
}

/// Asserts that every table inspect reports has the rows and columns
/// PostgreSQL has in `db`, where the same dump was restored.
fn assert_matches_postgresql(cluster: &Cluster, db: &str, report: &Value) {
    let tables = only_database(report)["tables"].as_array().unwrap();
    assert!(!tables.is_empty());
    for t in tables {
        let (schema, name) = (t["schema"].as_str().unwrap(), t["name"].as_str().unwrap());
        let rows = cluster.query(db, &format!("SELECT count(*) FROM \"{schema}\".\"{name}\""));
        assert_eq!(
            t["rows"].as_u64().unwrap().to_string(),
            rows,
            "{schema}.{name}"
        );
        let columns = cluster.query(
            db,
            &format!(
                "SELECT string_agg(column_name, ',' ORDER BY ordinal_position)
                 FROM information_schema.columns
                 WHERE table_schema = '{schema}' AND table_name = '{name}' AND is_generated = 'NEVER'"
            ),
        );
        assert_eq!(strings(&t["columns"]).join(","), columns, "{schema}.{name}");
    }
}

#[test]
fn counts_and_columns_are_postgresqls_for_every_data_form() {
    let cluster = Cluster::shared();
    let v1_ddl = common::repo_root().join("mappings/life_os_v1.sql");
    let cases: [(&str, &str, Vec<PathBuf>); 5] = [
        ("life_os_v1_plain.sql", "COPY", vec![]),
        ("life_os_v1_inserts.sql", "INSERT", vec![]),
        ("life_os_v1_column_inserts.sql", "INSERT", vec![]),
        ("life_os_v1_rows_per_insert.sql", "INSERT", vec![]),
        ("life_os_v1_data_only.sql", "COPY", vec![v1_ddl.clone()]),
    ];
    for (name, data, mut restore) in cases {
        let dump = fixture(name);
        restore.push(dump.clone());
        let db = cluster.fresh_db("inspect");
        for f in &restore {
            cluster.exec_file(&db, f);
        }
        let report = inspect_json(&dump, &[]);
        assert_eq!(report["form"], "plain SQL", "{name}");
        assert_eq!(report["data"], data, "{name}");
        assert_eq!(report["bytes"], std::fs::metadata(&dump).unwrap().len());
        assert_matches_postgresql(cluster, &db, &report);
        assert!(drift(only_database(&report)).is_empty(), "{name}: {report}");
    }
}

#[test]
fn versions_are_those_of_the_pg_dump_and_server_that_wrote_the_dump() {
    let cluster = Cluster::shared();
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("bookshop.sql");
    let db = bookshop::v1_db(cluster);
    bookshop::pg_dump(cluster, &db, &[], &dump);
    let report = inspect_json(&dump, &["--mapping", bookshop::mapping().to_str().unwrap()]);

    let server = cluster.query(&db, "SHOW server_version");
    assert_eq!(report["server_version"], server.as_str());
    let pg_dump = report["pg_dump_version"].as_str().unwrap();
    assert!(
        server.starts_with(pg_dump.split(' ').next().unwrap()),
        "pg_dump {pg_dump} is the server's release {server}"
    );
    assert_eq!(report["encoding"], "UTF8");
    assert_eq!(report["mapping"]["name"], "bookshop");
    let targets: Vec<(String, String)> = only_database(&report)["tables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["name"].as_str().unwrap().into(),
                t["target"].as_str().unwrap().into(),
            )
        })
        .collect();
    let want = [
        ("authors", "writers"),
        ("books", "titles"),
        ("reviews", "reviews"),
    ];
    assert_eq!(targets, want.map(|(a, b)| (a.to_string(), b.to_string())));
    assert!(drift(only_database(&report)).is_empty(), "{report}");

    // Against the built-in Life OS mapping the same dump drifts entirely.
    let life_os = inspect_json(&dump, &[]);
    let found = drift(only_database(&life_os));
    assert_eq!(found.len(), 11 + 3, "{found:?}");
    assert!(found.contains(&("public.tasks".into(), None)));
    assert!(found.contains(&("public.books".into(), None)));
}

#[test]
fn drift_in_a_changed_database_is_named_as_the_migration_refuses_it() {
    let cluster = Cluster::shared();
    let db = cluster.fresh_db("drifted");
    cluster.exec_file(&db, &fixture("life_os_v1_plain.sql"));
    cluster.exec(
        &db,
        "ALTER TABLE public.domains DROP COLUMN color;
         ALTER TABLE public.tasks ADD COLUMN secret text DEFAULT 'kept';
         DROP TABLE public.reminders;
         CREATE TABLE public.habits (id uuid PRIMARY KEY, name text);
         INSERT INTO public.habits VALUES (gen_random_uuid(), 'run'), (gen_random_uuid(), 'read');",
    );
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("drifted.sql");
    bookshop::pg_dump(cluster, &db, &[], &dump);

    let report = inspect_json(&dump, &[]);
    let entry = |t: &str, c: Option<&str>| (t.to_string(), c.map(str::to_string));
    let want: BTreeSet<_> = [
        entry("public.domains", Some("color")),
        entry("public.tasks", Some("secret")),
        entry("public.reminders", None),
        entry("public.habits", None),
    ]
    .into();
    assert_eq!(drift(only_database(&report)), want);
    let habits = only_database(&report)["drift"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["table"] == "public.habits")
        .unwrap();
    assert!(habits["problem"].as_str().unwrap().contains("its 2 rows"));

    let text = dumpshift(["inspect", dump.to_str().unwrap()]);
    assert_success(&text, "dumpshift inspect (text)");
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("drift (4):"), "{text}");
    assert!(
        text.contains("public.domains column color: the mapping needs this column"),
        "{text}"
    );

    // The migration refuses the same two columns and no other, and, as
    // the drift says, the mapped table the dump lacks.
    let out = dumpshift([
        dump.to_str().unwrap(),
        "-o",
        dir.path().join("load.sql").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let msg = String::from_utf8_lossy(&out.stderr);
    assert!(msg.contains("public.domains column color"), "{msg}");
    assert!(msg.contains("public.tasks column secret"), "{msg}");
    let columns = msg.lines().filter(|l| l.contains(" column ")).count();
    assert_eq!(columns, 2, "{msg}");
    assert!(
        msg.contains("no data for mapped table public.reminders"),
        "{msg}"
    );
    assert_eq!(msg.lines().filter(|l| l.contains(": public.")).count(), 3);
}

#[test]
fn pg_dumpall_files_are_shown_database_by_database() {
    let report = inspect_json(&fixture("pg_dumpall.sql"), &[]);
    let dbs = report["databases"].as_array().unwrap();
    let lifeos: Vec<&Value> = dbs
        .iter()
        .filter(|d| {
            d["tables"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| !t["target"].is_null())
        })
        .collect();
    assert!(lifeos.len() >= 2, "two databases hold Life OS data");
    for d in &lifeos {
        assert_eq!(d["tables"].as_array().unwrap().len(), 11, "{}", d["name"]);
        assert!(drift(d).is_empty(), "{}", d["name"]);
    }
    let crm = dbs
        .iter()
        .find(|d| d["name"] == "crm")
        .expect("the crm database");
    assert_eq!(crm["tables"][0]["name"], "contacts");
    assert!(crm["tables"][0]["target"].is_null());
}

#[test]
fn a_supabase_dump_lists_every_schema_and_the_tables_the_mapping_leaves_out() {
    let report = inspect_json(&fixture("supabase/full.sql"), &[]);
    let schemas = strings(&report["schemas"]);
    for s in ["auth", "extensions", "public", "storage"] {
        assert!(schemas.iter().any(|x| x == s), "{s} in {schemas:?}");
    }
    let db = only_database(&report);
    let tables = db["tables"].as_array().unwrap();
    let mapped = tables.iter().filter(|t| !t["target"].is_null()).count();
    assert_eq!(mapped, 11);
    let uncovered: BTreeSet<_> = tables
        .iter()
        .filter(|t| t["schema"] == "public" && t["target"].is_null())
        .map(|t| (format!("public.{}", t["name"].as_str().unwrap()), None))
        .collect();
    assert!(!uncovered.is_empty());
    assert_eq!(drift(db), uncovered, "only the extra public tables drift");
}

#[test]
fn stdin_gives_the_same_report() {
    let dump = fixture("life_os_v1_inserts.sql");
    let from_file = inspect_json(&dump, &[]);
    let mut child = Command::new(env!("CARGO_BIN_EXE_dumpshift"))
        .args(["inspect", "-", "--json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let bytes = std::fs::read(&dump).unwrap();
    child.stdin.take().unwrap().write_all(&bytes).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_success(&out, "dumpshift inspect -");
    let mut from_stdin: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(from_stdin["file"], "-");
    from_stdin["file"] = from_file["file"].clone();
    assert_eq!(from_stdin, from_file);
}

fn refused(args: &[&str], code: i32) -> String {
    let out: Output = dumpshift(args);
    assert_eq!(
        out.status.code(),
        Some(code),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty(), "no report on stdout");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn bad_input_is_refused_with_where_it_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    // Deliberately bad input: the plain dump cut inside the tasks COPY block.
    let text = std::fs::read_to_string(fixture("life_os_v1_plain.sql")).unwrap();
    let cut = text.find("COPY public.tasks").unwrap() + 200;
    let truncated = dir.path().join("truncated.sql");
    std::fs::write(&truncated, &text[..cut]).unwrap();
    let msg = refused(&["inspect", truncated.to_str().unwrap()], 1);
    assert!(msg.starts_with("dumpshift: "), "{msg}");
    assert!(msg.contains("truncated.sql:"), "{msg}");
    assert!(msg.contains("(byte "), "{msg}");

    let missing = dir.path().join("missing.sql");
    let msg = refused(&["inspect", missing.to_str().unwrap()], 1);
    assert!(msg.contains("missing.sql"), "{msg}");

    let bad_mapping = dir.path().join("bad.toml");
    let toml = "name = 'x'\nsource_schema = 'public'\ntables = []\n";
    std::fs::write(&bad_mapping, toml).unwrap();
    let plain = fixture("life_os_v1_plain.sql");
    let msg = refused(
        &[
            "inspect",
            plain.to_str().unwrap(),
            "--mapping",
            bad_mapping.to_str().unwrap(),
        ],
        2,
    );
    let at = format!(
        "bad.toml:3 (byte {}): unknown field `tables`",
        toml.find("tables").unwrap()
    );
    assert!(msg.contains(&at), "{msg}");
}
