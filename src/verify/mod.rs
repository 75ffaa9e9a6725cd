//! `dumpshift verify`: PostgreSQL recomputes the mapping from a restored v1
//! database and every row of a loaded v2 database is checked against it.
//!
//! `connect` opens the two read-only sessions, `oracle` generates the SQL
//! from the mapping description, `compare` streams both sides by id and
//! merges them, `checks` runs the rest of the plan's checklist on v2, and
//! `report` holds the outcome and its summary and JSON forms. The library
//! takes plain `Options` and returns an `Outcome`; `command` adds what the
//! command line needs (summary, report file, exit status).

pub mod checks;
pub mod compare;
pub mod connect;
pub mod oracle;
pub mod report;

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::PathBuf;

use postgres::{Client, Config, Transaction};

use crate::error::Error;
use crate::mapping::{Description, Rule};
use crate::progress::Progress;
use crate::write::atomic;
use oracle::{qualified, CatalogColumn, Context};
pub use report::Outcome;

/// Everything a verification needs.
#[derive(Clone, Debug)]
pub struct Options {
    /// Connection strings as psql takes them.
    pub v1: String,
    pub v2: String,
    pub mapping: Description,
    /// The root the load rewrote storage paths under; `None`: the migration
    /// report's, else the default.
    pub storage_root: Option<String>,
    /// Where the stored files are on this machine.
    pub files_root: Option<PathBuf>,
    /// The migration's `--report` JSON: sha256 of the copied files.
    pub migration_report: Option<PathBuf>,
    /// Where to write this verification's JSON.
    pub report: Option<PathBuf>,
    pub force: bool,
    pub strict: bool,
    pub quiet: bool,
}

/// The schema v2 lives in.
const TARGET_SCHEMA: &str = "public";

/// A problem reaching or reading a database: exit status 2, like a usage error.
fn db_error(side: &str, what: &str, e: impl std::fmt::Display) -> Error {
    Error::Usage(format!("--{side} {what}: {e}"))
}

/// One database being read: which flag named it, what it is, its snapshot.
struct Side<'a> {
    flag: &'static str,
    described: String,
    tx: Transaction<'a>,
}

impl Side<'_> {
    fn fail(&self, e: impl std::fmt::Display) -> Error {
        db_error(self.flag, &self.described, e)
    }
}

/// Runs the verification.
pub fn run(opts: &Options) -> Result<Outcome, Error> {
    let report_json = match &opts.migration_report {
        Some(p) => Some(std::fs::read_to_string(p).map_err(|e| Error::io(p, "read", e))?),
        None => None,
    };
    let storage_root = opts
        .storage_root
        .clone()
        .or_else(|| report_json.as_deref().and_then(checks::report_storage_root))
        .unwrap_or_else(|| crate::mapping::storage_path::DEFAULT_ROOT.to_string());
    let env = connect::process_env;
    let c1 = connect::config(&opts.v1, &env)
        .map_err(|e| db_error("v1", "is not a connection string", e))?;
    let c2 = connect::config(&opts.v2, &env)
        .map_err(|e| db_error("v2", "is not a connection string", e))?;
    let (d1, d2) = (connect::describe(&c1), connect::describe(&c2));
    refuse_targets(&c1, &c2, &d1, &d2)?;
    let mut k1 = open("v1", &c1, &d1)?;
    let mut k2 = open("v2", &c2, &d2)?;
    let mut v1 = Side {
        flag: "v1",
        tx: connect::read_only(&mut k1).map_err(|e| db_error("v1", &d1, e))?,
        described: d1,
    };
    let mut v2 = Side {
        flag: "v2",
        tx: connect::read_only(&mut k2).map_err(|e| db_error("v2", &d2, e))?,
        described: d2,
    };
    let mut outcome = Outcome {
        v1: v1.described.clone(),
        v2: v2.described.clone(),
        mapping: opts.mapping.name.clone(),
        strict: opts.strict,
        load_xid: load_xid(&mut v2.tx, &opts.mapping).map_err(|e| v2.fail(e))?,
        ..Outcome::default()
    };
    let total = if std::io::stderr().is_terminal() && !opts.quiet {
        v1_rows(&mut v1.tx, &opts.mapping).map_err(|e| v1.fail(e))?
    } else {
        0
    };
    let progress = Progress::rows(total, "verify", opts.quiet);
    for table in &opts.mapping.tables {
        let place = Place {
            mapping: &opts.mapping,
            storage_root: &storage_root,
            load_xid: outcome.load_xid.as_deref(),
        };
        let out = compare_table(table, &place, &mut v1, &mut v2, &progress)?;
        outcome.tables.push(out);
    }
    progress.finish();
    outcome.orphans = checks::orphans(&mut v2.tx, TARGET_SCHEMA).map_err(|e| v2.fail(e))?;
    outcome.cycles = checks::cycles(&mut v2.tx, TARGET_SCHEMA).map_err(|e| v2.fail(e))?;
    if let Some(root) = &opts.files_root {
        let found = files(
            &mut v2.tx,
            opts,
            root,
            &storage_root,
            report_json.as_deref(),
        );
        outcome.files = found.map_err(|e| match e {
            FilesError::Db(e) => v2.fail(e),
            FilesError::Other(e) => e,
        })?;
    }
    v1.tx.commit().map_err(|e| db_error("v1", &outcome.v1, e))?;
    v2.tx.commit().map_err(|e| db_error("v2", &outcome.v2, e))?;
    Ok(outcome)
}

/// What every table's SQL shares.
struct Place<'a> {
    mapping: &'a Description,
    storage_root: &'a str,
    load_xid: Option<&'a str>,
}

/// Generates the table's two queries, streams both and merges them.
fn compare_table(
    table: &crate::mapping::TableDesc,
    place: &Place,
    v1: &mut Side,
    v2: &mut Side,
    progress: &Progress,
) -> Result<report::TableOutcome, Error> {
    let schema = &place.mapping.source_schema;
    let c1 = columns(&mut v1.tx, schema, &table.source).map_err(|e| v1.fail(e))?;
    let c2 = columns(&mut v2.tx, TARGET_SCHEMA, &table.target).map_err(|e| v2.fail(e))?;
    if c1.is_empty() {
        return Err(v1.fail(format!("no table {schema}.{}", table.source)));
    }
    if c2.is_empty() {
        return Err(v2.fail(format!("no table {TARGET_SCHEMA}.{}", table.target)));
    }
    let cx = Context {
        source_schema: schema,
        target_schema: TARGET_SCHEMA,
        v1: &c1,
        v2: &c2,
        storage_root: place.storage_root,
        load_xid: place.load_xid,
    };
    let sql = oracle::table_sql(table, &cx).map_err(Error::Usage)?;
    let mut out = report::TableOutcome::new(&table.source, &table.target);
    out.not_compared = sql.not_compared.clone();
    let (d1, d2) = (&v1.described, &v2.described);
    let expected = v1
        .tx
        .copy_out(&format!("COPY ({}) TO STDOUT", sql.expected))
        .map_err(|e| db_error("v1", d1, e))?;
    let actual = v2
        .tx
        .copy_out(&format!("COPY ({}) TO STDOUT", sql.actual))
        .map_err(|e| db_error("v2", d2, e))?;
    let sides = compare::Sides { expected, actual };
    compare::compare(&sql, sides, &mut out, progress)
        .map_err(|e| db_error("v1/--v2", "while reading rows", e))?;
    Ok(out)
}

enum FilesError {
    Db(postgres::Error),
    Other(Error),
}

fn files(
    tx: &mut Transaction,
    opts: &Options,
    root: &std::path::Path,
    storage_root: &str,
    report_json: Option<&str>,
) -> Result<Option<report::FilesOutcome>, FilesError> {
    if !root.is_dir() {
        return Err(FilesError::Other(Error::Usage(format!(
            "--files-root {}: not a directory",
            root.display()
        ))));
    }
    let sha = match report_json {
        Some(j) => checks::report_sha256(j).map_err(|e| {
            let p = opts
                .migration_report
                .as_deref()
                .unwrap_or(std::path::Path::new("?"));
            FilesError::Other(Error::Usage(format!(
                "--migration-report {}: {e}",
                p.display()
            )))
        })?,
        None => HashMap::new(),
    };
    let stored = opts.mapping.tables.iter().find_map(|t| {
        t.columns.iter().find_map(|c| match c.rule() {
            Ok(Rule::StoragePath(_)) => Some((t.target.clone(), c.name.clone())),
            _ => None,
        })
    });
    let Some((table, column)) = stored else {
        return Ok(None);
    };
    let check = checks::FilesCheck {
        schema: TARGET_SCHEMA,
        table: &table,
        column: &column,
        storage_root,
        files_root: root,
        sha256: &sha,
    };
    checks::files(tx, &check).map(Some).map_err(FilesError::Db)
}

/// Only two different databases, and never a hosted Supabase one: verify
/// reads a restored copy of v1, not production.
fn refuse_targets(c1: &Config, c2: &Config, d1: &str, d2: &str) -> Result<(), Error> {
    for (side, c) in [("v1", c1), ("v2", c2)] {
        for h in c.get_hosts() {
            if let postgres::config::Host::Tcp(h) = h {
                if h.contains("supabase.co") || h.contains("supabase.com") {
                    return Err(Error::Usage(format!(
                        "--{side} names a Supabase host ({h}); verify reads a restored copy of v1 and the local v2 only"
                    )));
                }
            }
        }
    }
    if d1 == d2 && c1.get_user() == c2.get_user() {
        return Err(Error::Usage(format!(
            "--v1 and --v2 name the same database ({d1})"
        )));
    }
    Ok(())
}

fn open(side: &str, cfg: &Config, described: &str) -> Result<Client, Error> {
    connect::connect(cfg).map_err(|e| db_error(side, &format!("cannot connect to {described}"), e))
}

/// The columns of `schema.table` (none when it does not exist).
fn columns(
    tx: &mut Transaction,
    schema: &str,
    table: &str,
) -> Result<Vec<CatalogColumn>, postgres::Error> {
    let rows = tx.query(
        "SELECT a.attname::text, format_type(a.atttypid, a.atttypmod),
                t.typnamespace = 'pg_catalog'::regnamespace
         FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
         WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped
         ORDER BY a.attnum",
        &[&qualified(schema, table)],
    )?;
    Ok(rows
        .iter()
        .map(|r| CatalogColumn {
            name: r.get(0),
            ty: r.get(1),
            builtin: r.get(2),
        })
        .collect())
}

/// The transaction that wrote the load: the one that wrote its
/// `schema_migrations` row when mapped rows share it (a full load), else
/// the one that wrote most mapped rows (a `--data-only` load, whose
/// `schema_migrations` was written by the migration tool).
fn load_xid(
    tx: &mut Transaction,
    mapping: &Description,
) -> Result<Option<String>, postgres::Error> {
    let tables: Vec<String> = mapping
        .tables
        .iter()
        .map(|t| qualified(TARGET_SCHEMA, &t.target))
        .collect();
    let has_migrations: bool = tx
        .query_one(
            "SELECT to_regclass('public.schema_migrations') IS NOT NULL",
            &[],
        )?
        .get(0);
    if has_migrations {
        let any = tables
            .iter()
            .map(|t| format!("EXISTS (SELECT 1 FROM {t} WHERE xmin = m.xmin)"))
            .collect::<Vec<_>>()
            .join(" OR ");
        let sql =
            format!("SELECT m.xmin::text FROM public.schema_migrations m WHERE {any} LIMIT 1");
        if let Some(row) = tx.query_opt(&sql, &[])? {
            return Ok(Some(row.get(0)));
        }
    }
    let counts = tables
        .iter()
        .map(|t| format!("SELECT xmin::text AS x FROM {t}"))
        .collect::<Vec<_>>()
        .join(" UNION ALL ");
    let sql = format!("SELECT x FROM ({counts}) s GROUP BY x ORDER BY count(*) DESC, x LIMIT 1");
    Ok(tx.query_opt(&sql, &[])?.map(|r| r.get(0)))
}

fn v1_rows(tx: &mut Transaction, mapping: &Description) -> Result<u64, postgres::Error> {
    let mut n = 0u64;
    for t in &mapping.tables {
        let sql = format!(
            "SELECT count(*) FROM {}",
            qualified(&mapping.source_schema, &t.source)
        );
        if let Ok(row) = tx.query_one(&sql, &[]) {
            n += row.get::<_, i64>(0) as u64;
        } else {
            return Ok(0);
        }
    }
    Ok(n)
}

/// The command: runs, prints the summary on stderr (unless quiet), writes
/// the JSON report, and fails with exit status 1 on any difference.
pub fn command(opts: &Options) -> Result<(), Error> {
    if let Some(report) = &opts.report {
        // Never over the migration report it reads.
        let input = opts.migration_report.as_deref();
        atomic::check_destination(
            report,
            input.unwrap_or(std::path::Path::new("-")),
            opts.force,
        )?;
    }
    let outcome = run(opts)?;
    if !opts.quiet {
        crate::stdio::say(&report::render_text(&outcome));
    }
    if let Some(path) = &opts.report {
        let mut sink = atomic::Sink::create(path, opts.force)?;
        sink.writer()
            .write_all(outcome.to_json().as_bytes())
            .map_err(|e| Error::io(path, "write", e))?;
        sink.commit()?;
    }
    match outcome.differences() {
        0 => Ok(()),
        n => Err(Error::Refused(format!(
            "verify: v2 differs from what the mapping makes of v1 in {n} place(s)"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(s: &str) -> Config {
        connect::config(s, &|_| None).unwrap()
    }

    #[test]
    fn a_supabase_host_or_the_same_database_twice_is_refused() {
        let v2 = cfg("host=/s dbname=lifeos");
        let hosted = cfg("postgresql://postgres@db.abcdefgh.supabase.co:5432/postgres");
        let pooler = cfg("host=aws-0-eu-central-1.pooler.supabase.com dbname=postgres");
        for v1 in [hosted, pooler] {
            let d = connect::describe(&v1);
            let e = refuse_targets(&v1, &v2, &d, &connect::describe(&v2)).unwrap_err();
            assert!(e.to_string().contains("Supabase"), "{e}");
        }
        let d = connect::describe(&v2);
        let e = refuse_targets(&v2, &v2, &d, &d).unwrap_err();
        assert!(e.to_string().contains("the same database"), "{e}");
        let v1 = cfg("host=/s dbname=lifeos_v1_check");
        refuse_targets(&v1, &v2, &connect::describe(&v1), &d).unwrap();
    }
}
