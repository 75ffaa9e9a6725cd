//! The rest of the plan's checklist, on v2 alone: no orphan behind any
//! foreign key, self-references (`parent_id`) without cycles, and with
//! `--files-root` every stored file present, of its `size_bytes`, and of the
//! sha256 the migration report recorded.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use postgres::Transaction;
use sha2::{Digest, Sha256};

use super::oracle::ident;
use super::report::{Cycles, FileProblem, FilesOutcome, Orphans, Problem};

/// How many file problems the report lists.
const PROBLEMS_KEPT: usize = 20;

/// Every foreign key of `schema` in v2 with rows referencing nothing
/// (MATCH SIMPLE: a key with a NULL column references nothing).
pub fn orphans(tx: &mut Transaction, schema: &str) -> Result<Vec<Orphans>, postgres::Error> {
    let fks = tx.query(
        "SELECT c.conname::text, c.conrelid::regclass::text, c.confrelid::regclass::text,
                string_agg(quote_ident(ca.attname), ', ' ORDER BY k.i),
                string_agg(format('c.%I IS NOT NULL', ca.attname), ' AND '),
                string_agg(format('p.%I = c.%I', pa.attname, ca.attname), ' AND ')
         FROM pg_constraint c
         CROSS JOIN LATERAL unnest(c.conkey, c.confkey) WITH ORDINALITY AS k(ck, pk, i)
         JOIN pg_attribute ca ON ca.attrelid = c.conrelid AND ca.attnum = k.ck
         JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = k.pk
         WHERE c.contype = 'f' AND c.connamespace = to_regnamespace($1)
         GROUP BY c.oid, c.conname, c.conrelid, c.confrelid
         ORDER BY 2, 1",
        &[&schema],
    )?;
    let mut out = Vec::new();
    for fk in fks {
        let (name, child, parent): (String, String, String) = (fk.get(0), fk.get(1), fk.get(2));
        let (cols, present, matches): (String, String, String) = (fk.get(3), fk.get(4), fk.get(5));
        let sql = format!(
            "SELECT count(*) FROM {child} c WHERE {present} \
             AND NOT EXISTS (SELECT 1 FROM {parent} p WHERE {matches})"
        );
        let rows: i64 = tx.query_one(&sql, &[])?.get(0);
        if rows > 0 {
            out.push(Orphans {
                table: child,
                columns: cols,
                references: parent,
                constraint: name,
                rows: rows as u64,
            });
        }
    }
    Ok(out)
}

/// Single-column foreign keys of a table to itself whose chains never
/// reach a row without a parent: a cycle, or a chain into one. Walking down
/// from the roots is linear, and terminates because a row reached from a
/// root has a chain that ends there. NOT EXISTS, not NOT IN: an anti join
/// stays linear where a NOT IN list too big for memory is searched per row.
pub fn cycles(tx: &mut Transaction, schema: &str) -> Result<Vec<Cycles>, postgres::Error> {
    let selfs = tx.query(
        "SELECT c.conrelid::regclass::text, ca.attname::text, pa.attname::text
         FROM pg_constraint c
         JOIN pg_attribute ca ON ca.attrelid = c.conrelid AND ca.attnum = c.conkey[1]
         JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = c.confkey[1]
         WHERE c.contype = 'f' AND c.conrelid = c.confrelid
           AND cardinality(c.conkey) = 1 AND c.connamespace = to_regnamespace($1)
         ORDER BY 1, 2",
        &[&schema],
    )?;
    let mut out = Vec::new();
    for s in selfs {
        let (table, col, key): (String, String, String) = (s.get(0), s.get(1), s.get(2));
        let (c, k) = (ident(&col), ident(&key));
        let sql = format!(
            "WITH RECURSIVE reached AS (
                 SELECT {k} AS k FROM {table} WHERE {c} IS NULL
                 UNION ALL
                 SELECT t.{k} FROM {table} t JOIN reached r ON t.{c} = r.k)
             SELECT count(*), min(t.{k}::text) FROM {table} t
             WHERE t.{c} IS NOT NULL
               AND EXISTS (SELECT 1 FROM {table} p WHERE p.{k} = t.{c})
               AND NOT EXISTS (SELECT 1 FROM reached r WHERE r.k = t.{k})"
        );
        let row = tx.query_one(&sql, &[])?;
        let rows: i64 = row.get(0);
        if rows > 0 {
            out.push(Cycles {
                table,
                column: col,
                rows: rows as u64,
                example: row.get(1),
            });
        }
    }
    Ok(out)
}

/// Where the files are and what to compare them with.
pub struct FilesCheck<'a> {
    pub schema: &'a str,
    pub table: &'a str,
    pub column: &'a str,
    pub storage_root: &'a str,
    pub files_root: &'a Path,
    /// sha256 by `files` row id, from the migration report.
    pub sha256: &'a HashMap<String, String>,
}

/// Checks every stored path of the v2 table: under the storage root, a
/// regular file below `files_root` at the same relative path, of the size
/// in `size_bytes` (when the table has that column), and of the recorded
/// sha256 (when the migration report has one for the row).
pub fn files(tx: &mut Transaction, f: &FilesCheck) -> Result<FilesOutcome, postgres::Error> {
    let table = format!("{}.{}", ident(f.schema), ident(f.table));
    let has_size: bool = tx
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass($1)
                            AND attname = 'size_bytes' AND NOT attisdropped)",
            &[&table],
        )?
        .get(0);
    let size = if has_size {
        "size_bytes::text"
    } else {
        "NULL::text"
    };
    let rows = tx.query(
        &format!(
            "SELECT id::text, {}, {size} FROM {table} ORDER BY id",
            ident(f.column)
        ),
        &[],
    )?;
    let mut out = FilesOutcome {
        table: f.table.into(),
        column: f.column.into(),
        files_root: f.files_root.display().to_string(),
        storage_root: f.storage_root.into(),
        ..FilesOutcome::default()
    };
    let prefix = format!("{}/", f.storage_root.trim_end_matches('/'));
    for row in rows {
        let (id, path, size): (String, Option<String>, Option<String>) =
            (row.get(0), row.get(1), row.get(2));
        let Some(path) = path else { continue };
        out.checked += 1;
        let problem = match path.strip_prefix(&prefix) {
            None => Some(Problem::OutsideRoot),
            Some(rel) => check_file(&f.files_root.join(rel), size, f.sha256.get(&id), &mut out),
        };
        if let Some(problem) = problem {
            out.problem_count += 1;
            if out.problems.len() < PROBLEMS_KEPT {
                out.problems.push(FileProblem { id, path, problem });
            }
        }
    }
    Ok(out)
}

fn check_file(
    local: &Path,
    size: Option<String>,
    sha: Option<&String>,
    out: &mut FilesOutcome,
) -> Option<Problem> {
    let meta = match std::fs::metadata(local) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Some(Problem::Missing),
        Err(e) => {
            return Some(Problem::Unreadable {
                error: e.to_string(),
            })
        }
    };
    if !meta.is_file() {
        return Some(Problem::NotAFile);
    }
    if let Some(want) = size {
        if want.parse::<u64>().ok() != Some(meta.len()) {
            return Some(Problem::Size {
                want,
                got: meta.len(),
            });
        }
    }
    let want = sha?;
    out.hashed += 1;
    match sha256_of(local) {
        Ok(got) if got.eq_ignore_ascii_case(want) => None,
        Ok(got) => Some(Problem::Sha256 {
            want: want.clone(),
            got,
        }),
        Err(e) => Some(Problem::Unreadable {
            error: e.to_string(),
        }),
    }
}

fn sha256_of(path: &Path) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// The sha256 of each copied object in a migration report (`--report` of
/// the migration with `--copy-files-to`), by row id.
pub fn report_sha256(json: &str) -> Result<HashMap<String, String>, String> {
    let doc: serde_json::Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let mut out = HashMap::new();
    let objects = doc
        .pointer("/files/copy/objects")
        .and_then(|o| o.as_array())
        .cloned()
        .unwrap_or_default();
    for o in objects {
        if let (Some(id), Some(sha)) = (o["id"].as_str(), o["sha256"].as_str()) {
            out.insert(id.to_string(), sha.to_string());
        }
    }
    Ok(out)
}

/// The storage root a migration report records.
pub fn report_storage_root(json: &str) -> Option<String> {
    let doc: serde_json::Value = serde_json::from_str(json).ok()?;
    doc["storage_root"].as_str().map(str::to_string)
}
