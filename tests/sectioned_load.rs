//! The sectioned load: tables first, then the rows, then keys, indexes and
//! foreign keys. PostgreSQL is the judge: `pg_dump --schema-only` of a
//! database loaded from dumpshift's file equals the same dump of a database
//! where the migrations ran as written, and a cut stream changes nothing.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use common::{assert_success, catalog_snapshot, convert, fixture, repo_root, Cluster};
use dumpshift::migrations::Migration;
use dumpshift::write::sections;

const EXAMPLE: &str = "example/life_os_v1_backup.sql";

/// `pg_dump --schema-only` of `db`, without the `\restrict` lines that
/// differ on every run.
fn schema_of(cluster: &Cluster, db: &str) -> String {
    let psql = cluster.psql(db);
    let pg_dump = Path::new(psql.get_program()).with_file_name("pg_dump");
    let program = if pg_dump.is_file() {
        pg_dump
    } else {
        "pg_dump".into()
    };
    let out = Command::new(program)
        .arg("-h")
        .arg(cluster.socket_dir())
        .args(["-U", "postgres", "--schema-only", "-d", db])
        .env_remove("PGOPTIONS")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_success(&out, &format!("pg_dump --schema-only {db}"));
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("\\restrict ") && !l.starts_with("\\unrestrict "))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// Runs `sql` in `db` as one transaction, stopping at the first error.
fn run_sql(cluster: &Cluster, db: &str, sql: &str, what: &str) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("run.sql");
    std::fs::write(&file, sql).unwrap();
    let out = cluster
        .psql(db)
        .arg("-1")
        .arg("-f")
        .arg(&file)
        .output()
        .unwrap();
    assert_success(&out, what);
}

#[test]
fn the_catalog_after_a_full_load_is_the_one_the_migrations_make() {
    let cluster = Cluster::shared();
    let tmp = tempfile::tempdir().unwrap();
    let load = convert(&fixture(EXAMPLE), tmp.path(), &["-q"]);
    let text = std::fs::read_to_string(&load).unwrap();
    let first_copy = text.find("\nCOPY ").unwrap();
    assert!(
        text.find("PRIMARY KEY (id);").unwrap() > first_copy
            && text.find("FOREIGN KEY").unwrap() > first_copy
            && text.find("CREATE INDEX").unwrap() > first_copy,
        "keys, indexes and foreign keys come after the rows"
    );
    let loaded = cluster.fresh_db("sectioned_full");
    cluster.exec_file(&loaded, &load);

    let migrated = cluster.fresh_db("sectioned_migrated");
    cluster.apply_migrations(&migrated, &repo_root().join("migrations"));
    let v = common::latest_migration_version();
    cluster.exec(
        &migrated,
        &format!(
            "CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);\
             INSERT INTO schema_migrations VALUES ({v}, false);"
        ),
    );
    let (got, want) = (schema_of(cluster, &loaded), schema_of(cluster, &migrated));
    assert!(got.contains("tasks_domain_id_fkey"), "{got}");
    assert_eq!(got, want, "pg_dump --schema-only differs");
}

/// Migrations written to trip the splitting: names PostgreSQL shortens or
/// numbers, unnamed indexes, keys on several columns, a comment on a
/// constraint, a view, a DO block, serial columns, deferrable keys.
const TRICKY: &[&str] = &[
    "CREATE TABLE parent (id integer PRIMARY KEY, code text UNIQUE, a int, b int,\n\
         UNIQUE (a, b) INCLUDE (code), UNIQUE NULLS NOT DISTINCT (b));\n\
     CREATE TABLE child (id serial PRIMARY KEY,\n\
         parent_id integer REFERENCES parent ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,\n\
         code text REFERENCES parent (code) MATCH FULL ON UPDATE SET NULL,\n\
         a int, b int, CHECK (a > 0), FOREIGN KEY (a, b) REFERENCES parent (a, b));\n\
     CREATE INDEX ON child (a);\nCREATE INDEX ON child (a, b) WHERE b > 1;\n\
     CREATE UNIQUE INDEX child_code_uq ON child (lower(code));\n\
     CREATE INDEX ON child ((a + b));",
    "CREATE TABLE x (id int PRIMARY KEY, CONSTRAINT x_pkey2 CHECK (id > 0));\n\
     CREATE TABLE y_pkey_holder (id int);\nCREATE INDEX y_pkey ON y_pkey_holder (id);\n\
     CREATE TABLE y (id int PRIMARY KEY, x_id int REFERENCES x);\n\
     COMMENT ON CONSTRAINT x_pkey ON x IS 'the key';\n\
     CREATE VIEW x_count AS SELECT x.id, count(*) FROM x JOIN y ON y.x_id = x.id GROUP BY x.id;\n\
     CREATE TABLE z (id int PRIMARY KEY, x_id int);\n\
     ALTER TABLE z ADD FOREIGN KEY (x_id) REFERENCES x;",
    "CREATE TABLE \"a_long_table_name_that_goes_on_and_on_to_fifty_bytes\" (\n\
         \"a_long_column_name_that_also_goes_on_for_forty\" int PRIMARY KEY,\n\
         \"ünïcödé_çølümñ_ñåmé_thåt_is_quïté_løñg\" text UNIQUE,\n\
         \"zed\" int REFERENCES z ON DELETE SET NULL);\n\
     CREATE INDEX ON \"a_long_table_name_that_goes_on_and_on_to_fifty_bytes\" (zed, \"ünïcödé_çølümñ_ñåmé_thåt_is_quïté_løñg\");\n\
     CREATE TABLE self (id int PRIMARY KEY, parent int REFERENCES self, n int, m int,\n\
         CONSTRAINT self_nm UNIQUE (n, m), FOREIGN KEY (m, n) REFERENCES self (n, m));\n\
     CREATE INDEX ON self (n) INCLUDE (m);",
    "DO $$ BEGIN EXECUTE 'CREATE TABLE w (id int PRIMARY KEY)'; END $$;\n\
     CREATE TABLE v (id int PRIMARY KEY, w_id int REFERENCES w);\n\
     CREATE TABLE u (id int CONSTRAINT u_key_named PRIMARY KEY, v_id int CONSTRAINT u_v_fk REFERENCES v);",
];

#[test]
fn tricky_migrations_give_the_same_catalog_sectioned_as_applied() {
    let cluster = Cluster::shared();
    let migrations: Vec<Migration> = TRICKY
        .iter()
        .enumerate()
        .map(|(i, up)| Migration {
            version: i as i64 + 1,
            name: format!("tricky{i}"),
            up: up.to_string(),
            down: String::new(),
        })
        .collect();
    let s = sections::split(&migrations);
    // Split, named by dumpshift: the shortened names, and the keys after the
    // DO block (whose names it cannot know, so it keeps v whole).
    let named = [
        "a_long_table_name_that_goes_o_zed_",
        "self_m_n_fkey",
        "self_n_m_idx",
    ];
    assert!(named.iter().all(|n| s.schema.contains(n)), "{s:?}");
    assert!(s.schema.contains("w_id int REFERENCES w"), "{s:?}");
    assert!(s.indexes.iter().any(|i| i.contains("u_key_named")), "{s:?}");
    assert!(s.foreign_keys.iter().any(|i| i.contains("u_v_fk")), "{s:?}");
    let sectioned = cluster.fresh_db("tricky_sectioned");
    let mut sql = s.schema.clone();
    for stmt in s.indexes.iter().chain(&s.foreign_keys) {
        sql.push_str(stmt);
        sql.push('\n');
    }
    run_sql(
        cluster,
        &sectioned,
        &sql,
        &format!("the sectioned schema:\n{sql}"),
    );

    let applied = cluster.fresh_db("tricky_applied");
    for m in &migrations {
        run_sql(cluster, &applied, &m.up, &m.name);
    }
    assert_eq!(
        schema_of(cluster, &sectioned),
        schema_of(cluster, &applied),
        "sectioned as:\n{sql}"
    );
}

#[test]
fn a_cut_stream_into_psql_leaves_the_database_as_it_was() {
    let cluster = Cluster::shared();
    let tmp = tempfile::tempdir().unwrap();
    let load = convert(&fixture(EXAMPLE), tmp.path(), &["-q"]);
    let text = std::fs::read(&load).unwrap();
    let empty = catalog_snapshot(cluster, &cluster.fresh_db("cut_empty"));
    // Cut in the tables, in a COPY, in the keys, in the proof, in COMMIT.
    // A cut after `COMMIT` is no cut: psql runs the unterminated last line.
    let marks = [
        "CREATE TABLE tasks",
        "COPY \"tasks\"",
        "ADD CONSTRAINT tasks_pkey",
        "FOREIGN KEY",
        "DO $dumpshift$",
        "COMMIT;",
    ];
    let commit = text.len() - "COMMIT;\n".len();
    assert!(text.ends_with(b"\nCOMMIT;\n"));
    for mark in marks {
        let at = text
            .windows(mark.len())
            .rposition(|w| w == mark.as_bytes())
            .unwrap_or_else(|| panic!("{mark} in the load file"));
        for cut in [at + mark.len() / 2, at + mark.len() + 200] {
            let cut = cut.min(commit + 3);
            let db = cluster.fresh_db("cut");
            let mut child = cluster
                .psql(&db)
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            child.stdin.take().unwrap().write_all(&text[..cut]).unwrap();
            let out = child.wait_with_output().unwrap();
            assert_eq!(
                catalog_snapshot(cluster, &db),
                empty,
                "cut at byte {cut} (in {mark}) changed the database; psql said {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}

/// A database where the migrations ran, with golang-migrate's bookkeeping,
/// then `extra`.
fn migrated_db(cluster: &Cluster, prefix: &str, extra: &str) -> String {
    let db = cluster.fresh_db(prefix);
    cluster.apply_migrations(&db, &repo_root().join("migrations"));
    let v = common::latest_migration_version();
    cluster.exec(
        &db,
        &format!(
            "CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);\
             INSERT INTO schema_migrations VALUES ({v}, false); {extra}"
        ),
    );
    db
}

#[test]
fn a_data_only_load_leaves_the_schema_as_it_found_it() {
    let cluster = Cluster::shared();
    let tmp = tempfile::tempdir().unwrap();
    let load = convert(&fixture(EXAMPLE), tmp.path(), &["-q", "--data-only"]);
    // The stock schema, and one with what cannot be rebuilt from its
    // definition alone: comments, storage options, statistics, CLUSTER, a
    // view grouped by a primary key, an index of the user's own.
    let extras = [
        "",
        "COMMENT ON INDEX idx_tasks_domain_id IS 'by domain';\
         COMMENT ON CONSTRAINT notes_domain_id_fkey ON notes IS 'fk';\
         CREATE INDEX tasks_title_lower ON tasks (lower(title)) WITH (fillfactor = 70);\
         CREATE INDEX tasks_due ON tasks (due_date) WHERE status <> 'done';\
         CREATE INDEX notes_title_lower ON notes (lower(title));\
         ALTER INDEX notes_title_lower ALTER COLUMN 1 SET STATISTICS 500;\
         CLUSTER domains USING domains_pkey;\
         CREATE VIEW domain_names AS SELECT d.id, d.name, count(*) FROM domains d JOIN areas a ON a.domain_id = d.id GROUP BY d.id;",
    ];
    let text = std::fs::read_to_string(&load).unwrap();
    let filled: Vec<String> = text
        .lines()
        .filter_map(|l| l.strip_prefix("COPY \"")?.split('"').next())
        .map(|t| format!("'{t}'"))
        .collect();
    let db = migrated_db(cluster, "data_only_dropped", "");
    let expected = cluster.query(
        &db,
        &format!(
            "SELECT (SELECT count(*) FROM pg_index WHERE indrelid::regclass::text IN ({t}))
                  + (SELECT count(*) FROM pg_constraint WHERE contype = 'f'
                     AND (conrelid::regclass::text IN ({t}) OR confrelid::regclass::text IN ({t})))",
            t = filled.join(", ")
        ),
    );
    let peek = tmp.path().join("peek.sql");
    let commit = text.rfind("COMMIT;").unwrap();
    std::fs::write(
        &peek,
        format!(
            "{}SELECT 'rebuilt ' || array_length(current_setting('dumpshift.rebuild')::text[], 1);\nROLLBACK;\n",
            &text[..commit]
        ),
    )
    .unwrap();
    let out = cluster
        .psql(&db)
        .arg("-At")
        .arg("-f")
        .arg(&peek)
        .output()
        .unwrap();
    assert_success(&out, "the data-only load, rolled back");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains(&format!("rebuilt {expected}")),
        "{expected} expected: {said}"
    );

    for (i, extra) in extras.iter().enumerate() {
        let db = migrated_db(cluster, &format!("data_only_same_{i}"), extra);
        let before = schema_of(cluster, &db);
        let out = cluster.psql_file(&db, &load).unwrap();
        assert_success(&out, "the data-only load");
        assert_eq!(cluster.query(&db, "SELECT count(*) FROM tasks"), "40");
        assert_eq!(
            schema_of(cluster, &db),
            before,
            "pg_dump --schema-only changed ({extra})"
        );
    }
}

#[test]
fn a_failing_data_only_load_keeps_every_key_and_index() {
    let cluster = Cluster::shared();
    let tmp = tempfile::tempdir().unwrap();
    let load = convert(&fixture(EXAMPLE), tmp.path(), &["-q", "--data-only"]);
    // Deliberately bad: the load file with an error put between the rows and
    // the rebuild, when every key and index is dropped.
    let text = std::fs::read_to_string(&load).unwrap();
    let cut = text.rfind("DO $dumpshift$").unwrap();
    let failing = format!("{}SELECT 1/0;\n{}", &text[..cut], &text[cut..]);
    let bad = tmp.path().join("failing.sql");
    std::fs::write(&bad, failing).unwrap();
    let db = migrated_db(cluster, "data_only_fails", "");
    let before = schema_of(cluster, &db);
    let out = cluster.psql_file(&db, &bad).unwrap();
    assert!(!out.status.success());
    assert_eq!(schema_of(cluster, &db), before);
    assert_eq!(cluster.query(&db, "SELECT count(*) FROM tasks"), "0");
}
