//! Writing the load file, in pg_dump's order: the preamble, the v2 tables
//! from the embedded migrations without their keys (`sections`),
//! golang-migrate's `schema_migrations`, one COPY block per table in FK
//! order, then the primary keys, unique constraints and indexes, then the
//! foreign keys, the proof block that re-counts every table, and COMMIT.
//! Building keys and indexes once over the loaded rows costs a fraction of
//! maintaining them row by row during the COPYs. Each COPY into a table the
//! load created is `WITH (FREEZE)`: its rows are written already frozen and
//! visible, which measured about 15% off `psql -f` of the 100 MB dump's load
//! (BENCHMARKS.md). `maintenance_work_mem` (512MB against the default) and
//! `work_mem` for the proof's sorts were measured there too and did not
//! measurably help, so the load sets neither.
//!
//! A data-only load drops the keys and indexes of the tables it fills after
//! its opening check and rebuilds them after the rows (`rebuild`).
//!
//! Everything between BEGIN and COMMIT is one transaction: with
//! `ON_ERROR_STOP` any failure ends psql before COMMIT and the database is
//! left as it was.
//!
//! Beside the load file: `atomic` puts an output in place whole or not at
//! all, `temp` makes the temporary twins a signal removes, and `folder`
//! writes a set of files (migrations, a baseline) into a folder the same way.

pub mod atomic;
pub mod data_only;
pub mod digest;
pub mod folder;
pub mod names;
pub mod rebuild;
pub mod sections;
pub mod temp;

use std::io::{self, Write};

use crate::migrations::Migration;
use sections::Sections;

/// A table's block in the load file, for the header and the proof.
pub struct TableOut<'a> {
    pub target: &'a str,
    pub source: String,
    pub columns: &'a [String],
    pub rows: u64,
    /// (v2 column, expected sha256 hex) pairs the proof recomputes in SQL.
    pub digests: Vec<(String, String)>,
    /// `COPY ... WITH (FREEZE)`: only for a plain table created earlier in
    /// the same transaction (PostgreSQL refuses it otherwise).
    pub freeze: bool,
}

/// Quotes an identifier for PostgreSQL, always, so any mapping's names work.
pub fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Quotes a string literal.
pub fn literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// The preamble, then either the schema's tables (every migration, keys
/// and indexes left for [`after_data`], and the bookkeeping) or, for a
/// data-only load (`existing` names the tables it fills), the check that
/// the schema is already there.
pub fn preamble(
    w: &mut dyn Write,
    mapping: &str,
    migrations: &[Migration],
    sections: &Sections,
    existing: Option<&[&str]>,
) -> io::Result<()> {
    let version = migrations.last().map_or(0, |m| m.version);
    writeln!(
        w,
        "-- dumpshift {} load file: mapping {mapping}, v2 schema version {version}.",
        env!("CARGO_PKG_VERSION")
    )?;
    if existing.is_some() {
        writeln!(
            w,
            "-- Data only: load into a v2 database at version {version} whose tables are empty."
        )?;
        writeln!(
            w,
            "-- One transaction: the version check, every row, then a proof of the row counts."
        )?;
    } else {
        writeln!(
            w,
            "-- Load into an empty database: psql -v ON_ERROR_STOP=1 -f FILE DBNAME"
        )?;
        writeln!(
            w,
            "-- One transaction, in pg_dump's order: the tables, every row, then the keys,\n\
             -- indexes and foreign keys, then a proof of the row counts and digests."
        )?;
    }
    writeln!(w, "-- Any error leaves the database as it was.\n")?;
    writeln!(w, "\\set ON_ERROR_STOP on")?;
    for set in [
        "client_encoding = 'UTF8'",
        "standard_conforming_strings = on",
        "client_min_messages = warning",
        "check_function_bodies = false",
        "search_path = public",
    ] {
        writeln!(w, "SET {set};")?;
    }
    writeln!(w, "\nBEGIN;\n")?;
    if let Some(tables) = existing {
        data_only::require_schema(w, version, tables)?;
        return rebuild::drop_keys(w, tables);
    }
    w.write_all(sections.schema.as_bytes())?;
    writeln!(
        w,
        "-- golang-migrate's bookkeeping: the schema is at version {version}, clean."
    )?;
    writeln!(w, "CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);")?;
    writeln!(
        w,
        "INSERT INTO schema_migrations (version, dirty) VALUES ({version}, false);\n"
    )
}

/// After the COPYs: the keys and indexes the migrations define, then their
/// foreign keys, each checked in one pass over its table.
pub fn after_data(w: &mut dyn Write, sections: &Sections) -> io::Result<()> {
    if !sections.indexes.is_empty() {
        writeln!(
            w,
            "-- Primary keys, unique constraints and indexes, built over the loaded rows."
        )?;
        for sql in &sections.indexes {
            writeln!(w, "{sql}")?;
        }
        writeln!(w)?;
    }
    if !sections.foreign_keys.is_empty() {
        writeln!(w, "-- Foreign keys, each validated in one pass.")?;
        for sql in &sections.foreign_keys {
            writeln!(w, "{sql}")?;
        }
        writeln!(w)?;
    }
    Ok(())
}

pub fn copy_start(w: &mut dyn Write, t: &TableOut) -> io::Result<()> {
    let cols: Vec<String> = t.columns.iter().map(|c| ident(c)).collect();
    writeln!(w, "-- {} <- {}: {} rows", t.target, t.source, t.rows)?;
    let with = if t.freeze { " WITH (FREEZE)" } else { "" };
    writeln!(
        w,
        "COPY {} ({}) FROM stdin{with};",
        ident(t.target),
        cols.join(", ")
    )
}

pub fn copy_end(w: &mut dyn Write) -> io::Result<()> {
    writeln!(w, "\\.\n")
}

/// The proof: re-count every table inside the transaction and recompute
/// its digests, and raise, naming the table and column, on any difference,
/// so COMMIT is never reached. One scan per table computes the count and
/// every digest together.
pub fn proof_and_commit(w: &mut dyn Write, tables: &[TableOut]) -> io::Result<()> {
    writeln!(
        w,
        "-- Proof before COMMIT: every table holds exactly the rows dumpshift wrote."
    )?;
    writeln!(
        w,
        "DO $dumpshift$\nDECLARE\n    n bigint;\n    d text[];\nBEGIN"
    )?;
    for t in tables {
        let digests: Vec<String> = t.digests.iter().map(|(c, _)| digest::sql(c)).collect();
        writeln!(
            w,
            "    SELECT count(*), ARRAY[{}]::text[] INTO n, d FROM {};",
            digests.join(", "),
            ident(t.target)
        )?;
        writeln!(
            w,
            "    IF n <> {rows} THEN RAISE EXCEPTION 'dumpshift: table % holds % rows, expected %', {name}, n, {rows}; END IF;",
            rows = t.rows,
            name = literal(t.target)
        )?;
        for (i, (column, want)) in t.digests.iter().enumerate() {
            writeln!(
                w,
                "    IF d[{i}] IS DISTINCT FROM {want} THEN RAISE EXCEPTION 'dumpshift: table % column % differs from the dump (sha256 %, expected %)', {name}, {col}, d[{i}], {want}; END IF;",
                i = i + 1,
                want = literal(want),
                name = literal(t.target),
                col = literal(column)
            )?;
        }
    }
    writeln!(w, "END\n$dumpshift$;\n")?;
    writeln!(w, "COMMIT;")
}
