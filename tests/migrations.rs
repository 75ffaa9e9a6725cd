//! The v2 schema's migrations against a real PostgreSQL: every up in order,
//! then every down in reverse, must leave an empty schema; each file alone in
//! its own transaction must work too, as golang-migrate runs them.

mod common;

use common::Cluster;
use dumpshift::migrations;

const OBJECTS_IN_PUBLIC: &str = "SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public') \
     + (SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public') \
     + (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public')";

fn run_sql(cluster: &Cluster, db: &str, sql: &str, what: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.sql");
    std::fs::write(&path, sql).unwrap();
    let out = cluster
        .psql(db)
        .arg("-1")
        .arg("-f")
        .arg(&path)
        .output()
        .unwrap();
    common::assert_success(&out, what);
}

#[test]
fn every_up_then_every_down_leaves_an_empty_schema() {
    let cluster = Cluster::shared();
    let db = cluster.fresh_db("migrations_all");
    let all = migrations::embedded();
    for m in &all {
        run_sql(
            cluster,
            &db,
            &m.up,
            &format!("up {:04}_{}", m.version, m.name),
        );
    }
    let tables = cluster.query(
        &db,
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'",
    );
    assert_eq!(tables, "31", "the v2 schema has 31 tables");
    for m in all.iter().rev() {
        run_sql(
            cluster,
            &db,
            &m.down,
            &format!("down {:04}_{}", m.version, m.name),
        );
    }
    assert_eq!(
        cluster.query(&db, OBJECTS_IN_PUBLIC),
        "0",
        "downs leave nothing behind"
    );
}

#[test]
fn each_step_can_be_undone_and_redone() {
    let cluster = Cluster::shared();
    let db = cluster.fresh_db("migrations_steps");
    let all = migrations::embedded();
    for m in &all {
        let before = cluster.query(&db, OBJECTS_IN_PUBLIC);
        run_sql(cluster, &db, &m.up, "up");
        run_sql(cluster, &db, &m.down, "down");
        assert_eq!(
            cluster.query(&db, OBJECTS_IN_PUBLIC),
            before,
            "{:04}_{} down undoes its up",
            m.version,
            m.name
        );
        run_sql(cluster, &db, &m.up, "up again");
    }
}

#[test]
fn every_mapped_column_exists_in_the_v2_schema() {
    let cluster = Cluster::shared();
    let db = cluster.fresh_db("migrations_columns");
    let all: String = migrations::embedded()
        .iter()
        .map(|m| m.up.clone() + "\n")
        .collect();
    run_sql(cluster, &db, &all, "all ups");
    let mapping = dumpshift::mapping::Description::life_os();
    for t in &mapping.tables {
        for c in &t.columns {
            let found = cluster.query(
                &db,
                &format!("SELECT count(*) FROM information_schema.columns WHERE table_schema='public' AND table_name='{}' AND column_name='{}'", t.target, c.name),
            );
            assert_eq!(found, "1", "{}.{} must exist in v2", t.target, c.name);
        }
    }
}

#[test]
fn the_migrations_folder_is_well_formed() {
    let dir = common::repo_root().join("migrations");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    files.sort();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    let assembled = migrations::assemble(&refs).unwrap_or_else(|f| panic!("{f:?}"));
    assert_eq!(
        assembled,
        migrations::embedded(),
        "the binary embeds exactly the folder"
    );
}
