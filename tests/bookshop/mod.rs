//! The bookshop example of a schema other than Life OS
//! (`mappings/examples/bookshop/`): its v1 database built in the test
//! cluster from the example's DDL and sample rows, dumped with the real
//! `pg_dump`, and the SQL that says what its v2 tables must hold.

// Each test binary uses its own part of this module.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{assert_success, repo_root, v1_database, Cluster};

pub fn dir() -> PathBuf {
    repo_root().join("mappings/examples/bookshop")
}

/// The example's mapping file.
pub fn mapping() -> PathBuf {
    dir().join("bookshop.toml")
}

/// The v1 DDL, then the sample rows.
pub fn v1_files() -> [PathBuf; 2] {
    [dir().join("v1.sql"), dir().join("sample_data.sql")]
}

/// A fresh database holding the v1 bookshop in `public`.
pub fn v1_db(cluster: &Cluster) -> String {
    let db = cluster.fresh_db("bookshop_v1");
    for f in v1_files() {
        cluster.exec_file(&db, &f);
    }
    db
}

/// Dumps `db` with the cluster's `pg_dump` and `args` into `out`.
pub fn pg_dump(cluster: &Cluster, db: &str, args: &[&str], out: &Path) {
    let psql = PathBuf::from(cluster.psql("postgres").get_program());
    let beside = psql.with_file_name("pg_dump");
    let program = if beside.is_file() {
        beside
    } else {
        PathBuf::from("pg_dump")
    };
    let o = Command::new(program)
        .arg("-h")
        .arg(cluster.socket_dir())
        .args(["-U", "postgres", "-f"])
        .arg(out)
        .args(args)
        .arg(db)
        .env_remove("PGOPTIONS")
        .output()
        .expect("run pg_dump");
    assert_success(&o, &format!("pg_dump {args:?} {db}"));
}

/// A fresh database with the v1 bookshop in schema `v1` and `public` empty
/// for a v2 load, so SQL can compare the two.
pub fn compare_db(cluster: &Cluster) -> String {
    v1_database(cluster, "bookshop_v2", &v1_files())
}

/// Each v2 table's rows as the mapping says they must be, computed in SQL
/// from the v1 rows, beside the query reading what the load wrote.
pub const EXPECTED: &[(&str, &str, &str)] = &[
    (
        "writers",
        "SELECT id, full_name, country, created_at,
                (10 * row_number() OVER (ORDER BY created_at, id))::int
         FROM v1.authors",
        "SELECT id, name, country, created_at, sort_order FROM public.writers",
    ),
    (
        "titles",
        "SELECT id, author_id, title, price_cents, 'EUR'::text, tags, created_at,
                (10 * row_number() OVER (PARTITION BY author_id ORDER BY created_at, id))::int
         FROM v1.books",
        "SELECT id, writer_id, title, price_cents, currency, tags, created_at, sort_order
         FROM public.titles",
    ),
    (
        "reviews",
        "SELECT r.id, r.book_id, b.author_id, r.stars, r.body, r.created_at, false
         FROM v1.reviews r JOIN v1.books b ON b.id = r.book_id",
        "SELECT id, title_id, writer_id, stars, body, created_at, moderated FROM public.reviews",
    ),
];

/// Panics, listing the differing rows, unless every v2 table of `db` holds
/// exactly what `EXPECTED` computes from v1 (and v1 is not empty).
pub fn assert_loaded_as_mapped(cluster: &Cluster, db: &str) {
    for (table, expected, actual) in EXPECTED {
        let rows = cluster.query(db, &format!("SELECT count(*) FROM ({expected}) e"));
        assert_ne!(rows, "0", "{table}: the v1 sample has rows");
        let diff = cluster.query(
            db,
            &format!(
                "(({expected}) EXCEPT ALL ({actual})) UNION ALL (({actual}) EXCEPT ALL ({expected}))"
            ),
        );
        assert!(diff.is_empty(), "{table} differs from the mapping:\n{diff}");
    }
}
