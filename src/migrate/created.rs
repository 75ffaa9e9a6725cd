//! A mapped table's data against the dump's own CREATE TABLE: psql loads
//! rows only into a table the dump has created, and only into columns that
//! table has. A dump that creates tables of the source schema but not this
//! one, or another shape of it, would fail in psql where its rows load here.
//!
//! A data-only dump (no CREATE TABLE of the source schema) creates nothing:
//! the tables are already there, and nothing is checked.

use crate::dump::{Defined, DumpIndex, TableName};
use crate::error::DataError;

/// Why psql would not load `name`'s data as the dump defines the table;
/// `None` when it would (or the dump has no data for it).
pub(super) fn refuse_undefined(idx: &DumpIndex, name: &TableName) -> Option<DataError> {
    let (at, defined, columns) = data_of(idx, name)?;
    let fail = |m: String| Some(DataError::new(m).at(at).table(name.to_string()));
    let Some(defined) = defined else {
        let (other, created_at) = idx.creates.iter().find(|(t, _)| t.schema == name.schema)?;
        let later = idx.creates.iter().any(|(t, c)| t == name && *c > at);
        let where_ = if later {
            "creates it only after its data"
        } else {
            "never creates it"
        };
        return fail(format!(
            "the dump creates tables of schema {} ({other} at byte {created_at}) but {where_}: psql would fail with relation \"{name}\" does not exist and load none of these rows",
            name.schema
        ));
    };
    if defined.open {
        return None;
    }
    let missing = columns.iter().find(|c| !defined.columns.contains(c))?;
    fail(format!(
        "the data names column {missing}, which the dump's CREATE TABLE {name} (byte {}) does not define (its columns: {}): psql would fail with column \"{missing}\" of relation \"{}\" does not exist and load none of these rows",
        defined.at,
        defined.columns.join(", "),
        name.name
    ))
    .map(|e| e.column(missing.clone()))
}

/// Where the table's data starts, the table as defined there, and the
/// columns its data names (none for INSERTs that follow the table's order).
fn data_of<'i>(
    idx: &'i DumpIndex,
    name: &TableName,
) -> Option<(usize, Option<&'i Defined>, &'i [String])> {
    let copy = idx.copies.iter().find(|c| c.table == *name);
    let insert = idx.inserts.iter().find(|b| b.table == *name);
    match (copy, insert) {
        (Some(c), _) => Some((c.header_at, c.defined.as_ref(), &c.columns)),
        (None, Some(b)) => Some((
            b.statements[0].start,
            b.defined.as_ref(),
            b.columns.as_deref().unwrap_or_default(),
        )),
        (None, None) => None,
    }
}
