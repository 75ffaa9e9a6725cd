//! Every mapped table's data is there: a mapped table the dump holds no
//! rows for is told apart as an empty table (pg_dump's table of contents
//! names its data and none follows, as in `--inserts` dumps), a dump without
//! any data (`--schema-only`), or data left out (`--exclude-table-data`,
//! `--table`, a partial data-only dump). The last is refused, naming the
//! tables, unless `--allow-empty` accepts them; so is a table of contents
//! entry without its COPY in a dump of COPYs (pg_dump writes a COPY for an
//! empty table too: the block was deleted or renamed by hand).

use crate::dump::classify::Effect;
use crate::dump::{DumpIndex, TableName};
use crate::error::DataError;
use crate::report::Summary;

/// What to do with a mapped table the dump has no COPY or INSERT for.
#[derive(Debug, PartialEq, Eq)]
pub enum Absent {
    /// pg_dump wrote its table of contents entry for the data: the table
    /// was empty. The offset of the entry.
    Empty(usize),
    /// Accepted with `--allow-empty`, or refused (already reported).
    Handled,
}

/// Judges the mapped tables in `missing` (names and v2 targets), out of
/// `mapped_count` mapped tables. Refusals go
/// to `errors`; accepted ones to `summary`. Returns, per table, whether it is
/// an empty table to migrate as such.
pub fn judge(
    idx: &DumpIndex,
    missing: &[(TableName, String)],
    mapped_count: usize,
    allow_empty: &[String],
    summary: &mut Summary,
    errors: &mut Vec<DataError>,
) -> Vec<Absent> {
    let created_at = |t: &TableName| {
        idx.notes.iter().find_map(|n| match &n.effect {
            Effect::Creates { table, .. }
                if table.name == t.name
                    && table.schema.as_deref().is_none_or(|s| s == t.schema) =>
            {
                Some(n.at)
            }
            _ => None,
        })
    };
    let schema_only =
        idx.copies.is_empty() && idx.inserts.is_empty() && idx.data_entries.is_empty();
    let created: Vec<&TableName> = missing
        .iter()
        .map(|(t, _)| t)
        .filter(|t| idx.catalog.get(t).is_some())
        .collect();
    let entries = |t: &TableName| idx.data_entries.iter().any(|(d, _)| d == t);
    if missing.len() == mapped_count
        && created.is_empty()
        && !missing.iter().any(|(t, _)| entries(t))
    {
        // Nothing of the mapping at all: not a dump of this schema, which
        // the caller says as such.
        return missing.iter().map(|_| Absent::Handled).collect();
    }
    if schema_only && !created.is_empty() {
        let mut e = DataError::new(format!(
            "the dump holds no data, only the schema ({} mapped tables are created, none is filled): it was made with pg_dump --schema-only, or by supabase db dump without --data-only. \
             Make a dump with the data: pg_dump -Fp DBNAME > backup.sql, or supabase db dump --data-only -f data.sql",
            created.len()
        ));
        if let Some(at) = created_at(created[0]) {
            e = e.at(at);
        }
        errors.push(e);
        return missing.iter().map(|_| Absent::Handled).collect();
    }
    // pg_dump writes a COPY even for an empty table; only INSERT dumps
    // write no statement for one. In a dump of COPYs, an entry without its
    // COPY is a block deleted or renamed by hand.
    let copy_dump = !idx.copies.is_empty();
    missing
        .iter()
        .map(|(t, target)| {
            let entry = idx.data_entries.iter().find(|(d, _)| d == t).map(|e| e.1);
            if let (Some(at), false) = (entry, copy_dump) {
                return Absent::Empty(at);
            }
            if allow_empty.contains(&t.name) {
                summary.allowed_empty.push(t.to_string());
                summary.warnings.push(format!(
                    "{t}: no data in the dump (accepted with --allow-empty): v2 {target} stays empty"
                ));
                return Absent::Handled;
            }
            let e = match entry {
                Some(at) => DataError::new(format!(
                    "no data for mapped table {t}: pg_dump's table of contents names its data here, but no COPY of it follows, and pg_dump writes one even for an empty table: \
                     the dump was edited (its COPY deleted, or renamed to another table), so v2 {target} would be empty. \
                     Use the dump as pg_dump wrote it, or pass --allow-empty {t} if the table is meant to be empty"
                ))
                .at(at),
                None => {
                    let place = match created_at(t) {
                        Some(_) => "the dump creates it but holds none of its rows",
                        None => "the dump neither creates it nor holds its rows",
                    };
                    let e = DataError::new(format!(
                        "no data for mapped table {t}: {place} (pg_dump --exclude-table-data or --table, or a partial data-only dump?), so v2 {target} would be empty. \
                         Dump the table's data too, or pass --allow-empty {t} if it is meant to be empty"
                    ));
                    match created_at(t) {
                        Some(at) => e.at(at),
                        None => e,
                    }
                }
            }
            .table(t.to_string());
            errors.push(e);
            Absent::Handled
        })
        .collect()
}
