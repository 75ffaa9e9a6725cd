//! `dumpshift verify`, end to end: a real v1 pg_dump restored into one
//! database, its dumpshift load into another, and the verdict of verify on
//! the pair, clean or after an UPDATE, DELETE or INSERT on either side.

mod bookshop;
mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Once;

use common::{convert, fixture, Cluster};

/// A restored v1 database and a loaded v2 database.
struct Pair {
    cluster: &'static Cluster,
    v1: String,
    v2: String,
    dir: tempfile::TempDir,
}

impl Pair {
    /// Restores `restore` (in order) as v1 and loads `dump`'s conversion
    /// (with `args`) as v2.
    fn new(dump: &Path, restore: &[PathBuf], args: &[&str]) -> Pair {
        let cluster = Cluster::shared();
        let dir = tempfile::tempdir().expect("temporary directory");
        let mut argv = vec!["-q"];
        argv.extend_from_slice(args);
        let load = convert(dump, dir.path(), &argv);
        let v1 = cluster.fresh_db("verify_v1");
        for f in restore {
            cluster.exec_file(&v1, f);
        }
        let v2 = cluster.fresh_db("verify_v2");
        cluster.exec_file(&v2, &load);
        Pair {
            cluster,
            v1,
            v2,
            dir,
        }
    }

    /// A fixture restored as it is.
    fn of(name: &str) -> Pair {
        let dump = fixture(name);
        Pair::new(&dump, std::slice::from_ref(&dump), &[])
    }

    fn conn(&self, db: &str) -> String {
        format!(
            "postgresql:///{db}?host={}&user=postgres",
            self.cluster.socket_dir().display()
        )
    }

    fn verify(&self, extra: &[&str]) -> Output {
        let mut args = vec![
            "verify".to_string(),
            "--v1".into(),
            self.conn(&self.v1),
            "--v2".into(),
            self.conn(&self.v2),
        ];
        args.extend(extra.iter().map(|s| s.to_string()));
        run(&args)
    }

    fn sql_v1(&self, sql: &str) -> String {
        self.cluster.query(&self.v1, sql)
    }

    fn sql_v2(&self, sql: &str) -> String {
        self.cluster.query(&self.v2, sql)
    }
}

/// Runs the binary with the developer's PG* variables removed.
fn run(args: &[String]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dumpshift"));
    cmd.args(args).stdin(Stdio::null());
    for var in [
        "PGHOST",
        "PGPORT",
        "PGUSER",
        "PGDATABASE",
        "PGPASSWORD",
        "PGOPTIONS",
    ] {
        cmd.env_remove(var);
    }
    cmd.output().expect("run dumpshift verify")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[track_caller]
fn assert_exit(o: &Output, code: i32) -> String {
    let e = stderr(o);
    assert_eq!(o.status.code(), Some(code), "stderr:\n{e}");
    e
}

#[track_caller]
fn assert_clean(pair: &Pair) {
    let e = assert_exit(&pair.verify(&[]), 0);
    assert!(e.contains(": match"), "{e}");
    assert!(e.contains("11 tables"), "{e}");
}

// ---------------------------------------------------------------------------
// Every fixture family verifies clean.
// ---------------------------------------------------------------------------

#[test]
fn plain_dump_load_verifies_clean() {
    assert_clean(&Pair::of("life_os_v1_plain.sql"));
}

#[test]
fn inserts_dump_load_verifies_clean() {
    assert_clean(&Pair::of("life_os_v1_inserts.sql"));
}

#[test]
fn data_only_dump_load_verifies_clean() {
    let dump = fixture("life_os_v1_data_only.sql");
    let ddl = common::repo_root().join("scripts/fixtures/v1_schema.sql");
    assert_clean(&Pair::new(&dump, &[ddl, dump.clone()], &[]));
}

#[test]
fn quoted_identifiers_dump_load_verifies_clean() {
    assert_clean(&Pair::of("life_os_v1_quoted.sql"));
}

#[test]
fn permuted_columns_dump_load_verifies_clean() {
    assert_clean(&Pair::of("life_os_v1_permuted.sql"));
}

#[test]
fn example_backup_load_verifies_clean() {
    assert_clean(&Pair::of("example/life_os_v1_backup.sql"));
}

#[test]
fn storage_root_of_the_migration_is_the_one_verified() {
    let dump = fixture("example/life_os_v1_backup.sql");
    let pair = Pair::new(
        &dump,
        std::slice::from_ref(&dump),
        &["--storage-root", "/srv/life os"],
    );
    let e = assert_exit(&pair.verify(&[]), 1);
    assert!(e.contains("files") && e.contains("storage_path"), "{e}");
    assert_exit(&pair.verify(&["--storage-root", "/srv/life os"]), 0);
}

/// The Supabase roles the full dump names, made once per cluster.
fn ensure_supabase_roles(cluster: &Cluster) {
    static ROLES: Once = Once::new();
    ROLES.call_once(|| {
        let present = cluster.query(
            "postgres",
            "SELECT count(*) FROM pg_roles WHERE rolname = 'supabase_auth_admin'",
        );
        if present == "0" {
            let roles = common::repo_root().join("scripts/fixtures/supabase_roles.sql");
            cluster.exec_file("postgres", &roles);
        }
    });
}

#[test]
fn supabase_full_dump_load_verifies_clean() {
    ensure_supabase_roles(Cluster::shared());
    assert_clean(&Pair::of("supabase/full.sql"));
}

// ---------------------------------------------------------------------------
// Each kind of difference, made on either side, named by table, id, column.
// ---------------------------------------------------------------------------

fn example() -> Pair {
    Pair::of("example/life_os_v1_backup.sql")
}

fn first_id(pair: &Pair, db: &str, table: &str) -> String {
    pair.cluster.query(
        db,
        &format!("SELECT id FROM public.{table} ORDER BY id LIMIT 1"),
    )
}

#[test]
fn a_value_changed_in_v1_is_reported_with_table_id_and_column() {
    let pair = example();
    let id = first_id(&pair, &pair.v1, "tasks");
    let title = pair.sql_v1(&format!("SELECT title FROM tasks WHERE id = '{id}'"));
    pair.sql_v1(&format!(
        "UPDATE tasks SET title = 'renamed' WHERE id = '{id}'"
    ));
    let e = assert_exit(&pair.verify(&[]), 1);
    assert!(
        e.contains(&format!("tasks {id} title: want \"renamed\" got {title:?}")),
        "{e}"
    );
    assert!(e.contains("1 differ"), "{e}");
}

#[test]
fn a_value_changed_in_v2_after_the_load_is_counted_apart_and_fails_with_strict() {
    let pair = example();
    let id = first_id(&pair, &pair.v2, "notes");
    pair.sql_v2(&format!(
        "UPDATE notes SET body = 'new body' WHERE id = '{id}'"
    ));
    let e = assert_exit(&pair.verify(&[]), 0);
    assert!(e.contains("1 changed after the load"), "{e}");
    assert!(
        e.contains(&format!("notes {id} body: want "))
            && e.contains("got \"new body\" (changed after the load)"),
        "{e}"
    );
    let e = assert_exit(&pair.verify(&["--strict"]), 1);
    assert!(e.contains(&format!("notes {id} body")), "{e}");
}

#[test]
fn a_changed_sort_order_is_reported() {
    let pair = example();
    let id = first_id(&pair, &pair.v2, "domains");
    pair.sql_v2(&format!(
        "UPDATE domains SET sort_order = 999 WHERE id = '{id}'"
    ));
    let e = assert_exit(&pair.verify(&["--strict"]), 1);
    assert!(e.contains(&format!("domains {id} sort_order:")), "{e}");
    assert!(e.contains("got \"999\""), "{e}");
    // In v1: the first domain made last moves every domain's number.
    pair.sql_v1(&format!(
        "UPDATE domains SET created_at = '2999-01-01' WHERE id = '{id}'"
    ));
    let e = assert_exit(&pair.verify(&[]), 1);
    assert!(e.contains("sort_order: want"), "{e}");
}

#[test]
fn a_row_deleted_from_v2_is_reported_missing() {
    let pair = example();
    let id = first_id(&pair, &pair.v2, "daily_focus");
    pair.sql_v2(&format!("DELETE FROM daily_focus WHERE id = '{id}'"));
    let e = assert_exit(&pair.verify(&[]), 1);
    assert!(
        e.contains(&format!("daily_focus {id}: missing from v2")),
        "{e}"
    );
}

#[test]
fn a_row_deleted_from_v1_makes_its_v2_row_extra() {
    let pair = example();
    let id = first_id(&pair, &pair.v1, "daily_focus");
    pair.sql_v1(&format!("DELETE FROM daily_focus WHERE id = '{id}'"));
    let e = assert_exit(&pair.verify(&[]), 1);
    assert!(
        e.contains(&format!("daily_focus {id}: in v2, not in v1")),
        "{e}"
    );
}

#[test]
fn a_row_inserted_into_v2_after_the_load_is_counted_apart_and_fails_with_strict() {
    let pair = example();
    let id = "00000000-0000-4000-8000-00000000abcd";
    pair.sql_v2(&format!(
        "INSERT INTO domains (id, name, color) SELECT '{id}', 'new', color FROM domains LIMIT 1"
    ));
    let e = assert_exit(&pair.verify(&[]), 0);
    assert!(
        e.contains(&format!("domains {id}: added after the load")),
        "{e}"
    );
    let e = assert_exit(&pair.verify(&["--strict"]), 1);
    assert!(e.contains("1 added after the load"), "{e}");
}

#[test]
fn a_wrong_storage_path_is_reported() {
    let pair = example();
    let id = first_id(&pair, &pair.v1, "files");
    assert!(!id.is_empty(), "the example has files");
    pair.sql_v1(&format!(
        "UPDATE files SET storage_path = 'life-os-files/elsewhere.pdf' WHERE id = '{id}'"
    ));
    let e = assert_exit(&pair.verify(&[]), 1);
    assert!(
        e.contains(&format!(
            "files {id} storage_path: want \"/opt/lifeos/storage/files/elsewhere.pdf\""
        )),
        "{e}"
    );
}

/// Puts a file of each row's size at its path under `root`.
fn stage_files(pair: &Pair, root: &Path) -> Vec<(String, PathBuf)> {
    let rows = pair.sql_v2(
        "SELECT id, substr(storage_path, length('/opt/lifeos/storage/files/') + 1), size_bytes \
         FROM files ORDER BY id",
    );
    let mut out = Vec::new();
    for row in rows.lines() {
        let f: Vec<&str> = row.split('|').collect();
        let path = root.join(f[1]);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let size: usize = f[2].parse().unwrap();
        std::fs::write(&path, vec![b'x'; size]).unwrap();
        out.push((f[0].to_string(), path));
    }
    out
}

#[test]
fn a_missing_or_resized_file_is_reported_with_files_root() {
    let pair = example();
    let root = pair.dir.path().join("storage");
    let staged = stage_files(&pair, &root);
    let arg = root.display().to_string();
    let e = assert_exit(&pair.verify(&["--files-root", &arg]), 0);
    assert!(
        e.contains(&format!("files: {} files.storage_path", staged.len())),
        "{e}"
    );
    let (gone, path) = &staged[0];
    std::fs::remove_file(path).unwrap();
    let e = assert_exit(&pair.verify(&["--files-root", &arg]), 1);
    assert!(
        e.contains(&format!("files {gone} ")) && e.contains(": missing"),
        "{e}"
    );
    std::fs::write(path, b"short").unwrap();
    let e = assert_exit(&pair.verify(&["--files-root", &arg]), 1);
    assert!(e.contains("size: want"), "{e}");
}

#[test]
fn a_file_whose_sha256_differs_from_the_migration_report_is_reported() {
    let pair = example();
    let staged_dir = pair.dir.path().join("bucket");
    let dest = pair.dir.path().join("dest");
    stage_files(&pair, &staged_dir);
    let report = pair.dir.path().join("migration.json");
    let dump = fixture("example/life_os_v1_backup.sql");
    let out = pair.dir.path().join("again.sql");
    let o = common::dumpshift([
        dump.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
        "-q".as_ref(),
        "--files-dir".as_ref(),
        staged_dir.as_os_str(),
        "--copy-files-to".as_ref(),
        dest.as_os_str(),
        "--report".as_ref(),
        report.as_os_str(),
    ]);
    common::assert_success(&o, "dumpshift --copy-files-to --report");
    let args = [
        "--files-root",
        dest.to_str().unwrap(),
        "--migration-report",
        report.to_str().unwrap(),
    ];
    let e = assert_exit(&pair.verify(&args), 0);
    assert!(!e.contains(" 0 sha256 compared"), "{e}");
    let victim = walk(&dest).into_iter().next().expect("a copied file");
    let len = std::fs::metadata(&victim).unwrap().len() as usize;
    std::fs::write(&victim, vec![b'y'; len]).unwrap();
    let e = assert_exit(&pair.verify(&args), 1);
    assert!(e.contains("sha256: want"), "{e}");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

#[test]
fn a_parent_cycle_made_in_v2_is_reported_even_without_strict() {
    let pair = example();
    let ids: Vec<String> = pair
        .sql_v2("SELECT id FROM tasks ORDER BY id LIMIT 2")
        .lines()
        .map(str::to_string)
        .collect();
    pair.sql_v2(&format!(
        "UPDATE tasks SET parent_id = '{}' WHERE id = '{}'; \
         UPDATE tasks SET parent_id = '{}' WHERE id = '{}'",
        ids[1], ids[0], ids[0], ids[1]
    ));
    let e = assert_exit(&pair.verify(&[]), 1);
    assert!(
        e.contains("cycles: public.tasks.parent_id: 2 row(s)"),
        "{e}"
    );
}

/// v1 restored from the dump with one UPDATE appended by hand, v2 loaded
/// from the dump as it was: verify sees what dumpshift's own proof cannot.
#[test]
fn an_update_appended_to_the_restored_dump_is_reported() {
    let dump = fixture("example/life_os_v1_backup.sql");
    let dir = tempfile::tempdir().unwrap();
    let edited = dir.path().join("edited.sql");
    let mut text = std::fs::read_to_string(&dump).unwrap();
    let rows = text
        .split("COPY public.notes ")
        .nth(1)
        .expect("a COPY of notes");
    let id = rows
        .lines()
        .nth(1)
        .unwrap()
        .split('\t')
        .next()
        .unwrap()
        .to_string();
    text.push_str(&format!(
        "\nUPDATE public.notes SET body = 'edited by hand' WHERE id = '{id}';\n"
    ));
    std::fs::write(&edited, text).unwrap();
    let pair = Pair::new(&dump, &[edited], &[]);
    let e = assert_exit(&pair.verify(&[]), 1);
    assert!(
        e.contains(&format!("notes {id} body: want \"edited by hand\"")),
        "{e}"
    );
}

// ---------------------------------------------------------------------------
// Another mapping, the report, the exit codes.
// ---------------------------------------------------------------------------

fn bookshop_pair() -> Pair {
    let cluster = Cluster::shared();
    let source = bookshop::v1_db(cluster);
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("bookshop_v1.sql");
    bookshop::pg_dump(cluster, &source, &[], &dump);
    let mapping = bookshop::mapping();
    let pair = Pair::new(
        &dump,
        std::slice::from_ref(&dump),
        &["--mapping", mapping.to_str().unwrap()],
    );
    drop(dir);
    pair
}

#[test]
fn bookshop_mapping_verifies_clean_and_reports_a_planted_difference() {
    let pair = bookshop_pair();
    let mapping = bookshop::mapping();
    let m = ["--mapping", mapping.to_str().unwrap()];
    let e = assert_exit(&pair.verify(&m), 0);
    assert!(e.contains("3 tables") && e.contains(": match"), "{e}");
    let id = first_id(&pair, &pair.v1, "reviews");
    pair.sql_v1(&format!(
        "UPDATE books SET author_id = (SELECT id FROM authors ORDER BY id DESC LIMIT 1) \
         WHERE id = (SELECT book_id FROM reviews WHERE id = '{id}')"
    ));
    let e = assert_exit(&pair.verify(&m), 1);
    assert!(e.contains(&format!("reviews {id} writer_id: want")), "{e}");
    assert!(e.contains("titles "), "{e}");
}

#[test]
fn the_report_is_json_naming_every_table_and_difference() {
    let pair = example();
    let id = first_id(&pair, &pair.v1, "tasks");
    pair.sql_v1(&format!(
        "UPDATE tasks SET priority = 1 + priority WHERE id = '{id}'"
    ));
    let report = pair.dir.path().join("verify.json");
    let r = report.to_str().unwrap();
    assert_exit(&pair.verify(&["--report", r, "-q"]), 1);
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(doc["differences"], 1);
    assert_eq!(doc["tables"].as_array().unwrap().len(), 11);
    let tasks = doc["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["target"] == "tasks")
        .unwrap();
    assert_eq!(tasks["differences"][0]["id"], id.as_str());
    assert_eq!(tasks["differences"][0]["column"], "priority");
    // An existing report needs --force.
    let o = pair.verify(&["--report", r, "-q"]);
    assert_ne!(o.status.code(), Some(0));
    assert!(stderr(&o).contains("exists"), "{}", stderr(&o));
    assert_exit(&pair.verify(&["--report", r, "-q", "--force"]), 1);
}

#[test]
fn an_unreachable_database_or_a_bad_command_line_exits_2() {
    let pair = example();
    let o = run(&[
        "verify".into(),
        "--v1".into(),
        pair.conn("no_such_database"),
        "--v2".into(),
        pair.conn(&pair.v2),
    ]);
    let e = assert_exit(&o, 2);
    assert!(e.contains("--v1") && e.contains("no_such_database"), "{e}");
    assert_exit(&run(&["verify".into(), "--v1".into(), "x".into()]), 2);
    let same = pair.conn(&pair.v2);
    assert_exit(
        &run(&[
            "verify".into(),
            "--v1".into(),
            same.clone(),
            "--v2".into(),
            same,
        ]),
        2,
    );
}

#[test]
fn pg_environment_variables_fill_in_the_connection() {
    let pair = example();
    let o = Command::new(env!("CARGO_BIN_EXE_dumpshift"))
        .args([
            "verify",
            "--v1",
            &pair.v1,
            "--v2",
            &format!("dbname={}", pair.v2),
        ])
        .env("PGHOST", pair.cluster.socket_dir())
        .env("PGUSER", "postgres")
        .env_remove("PGPORT")
        .env_remove("PGDATABASE")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_exit(&o, 0);
}

#[test]
fn verify_leaves_both_databases_unchanged() {
    let pair = example();
    let snap = |db: &str| {
        common::catalog_snapshot(pair.cluster, db)
            + &pair
                .cluster
                .query(db, "SELECT count(*) FROM pg_prepared_xacts")
    };
    let (b1, b2) = (snap(&pair.v1), snap(&pair.v2));
    assert_exit(&pair.verify(&[]), 0);
    assert_eq!(snap(&pair.v1), b1);
    assert_eq!(snap(&pair.v2), b2);
}

/// A `--data-only` load into a schema applied beforehand (as golang-migrate
/// does): its `schema_migrations` row was written by another transaction,
/// so the load's own is the one most rows carry.
#[test]
fn a_data_only_load_into_a_migrated_schema_verifies_and_tells_later_rows_apart() {
    let cluster = Cluster::shared();
    let dir = tempfile::tempdir().unwrap();
    let dump = fixture("example/life_os_v1_backup.sql");
    let load = convert(&dump, dir.path(), &["-q", "--data-only"]);
    let schema = dir.path().join("schema.sql");
    let o = common::dumpshift(["schema"]);
    common::assert_success(&o, "dumpshift schema");
    std::fs::write(&schema, &o.stdout).unwrap();
    let v1 = cluster.fresh_db("verify_v1");
    cluster.exec_file(&v1, &dump);
    let v2 = cluster.fresh_db("verify_v2");
    cluster.exec_file(&v2, &schema);
    cluster.exec(
        &v2,
        &format!(
            "CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, \
             dirty boolean NOT NULL); INSERT INTO schema_migrations VALUES ({}, false)",
            common::latest_migration_version()
        ),
    );
    cluster.exec_file(&v2, &load);
    let pair = Pair {
        cluster,
        v1,
        v2,
        dir,
    };
    assert_clean(&pair);
    let id = first_id(&pair, &pair.v2, "capture");
    pair.sql_v2(&format!(
        "UPDATE capture SET processed = NOT processed WHERE id = '{id}'"
    ));
    let e = assert_exit(&pair.verify(&[]), 0);
    assert!(e.contains(&format!("capture {id} processed: want")), "{e}");
    assert!(e.contains("1 changed after the load"), "{e}");
}
