//! What a run checks of the mapping and the command line against this
//! dump before any row is read: the mapping's source-side findings with the
//! dump's own DDL, the `--allow-drop` names against the dump's columns, and
//! the tables whose foreign keys no DDL declares.

use super::{Options, Summary, Work};
use crate::dump::{Catalog, TableDef, TableName};
use crate::error::{DataError, Error};
use crate::mapping::check as mapping_check;

/// The mapping's checks that need the source schema, run once more with
/// the dump's DDL for the tables the mapping's own source schema lacks: a
/// sequence ordered by a text column is one finding at the mapping's line,
/// not an error in every row.
pub(super) fn refuse_mapping_findings(opts: &Options, dump: &Catalog) -> Result<(), Error> {
    let findings = mapping_check::source(
        &opts.mapping,
        &[&opts.reference, dump],
        mapping_check::Source::Partial,
    );
    if findings.is_empty() {
        return Ok(());
    }
    let file = opts.mapping.lines.file();
    let all: Vec<String> = findings.iter().map(|f| f.render(file)).collect();
    Err(Error::Refused(all.join("\n")))
}

/// Each `--allow-drop` column (`table.column`) must be a column of the
/// table's data; those the mapping does not read are listed as dropped.
pub(super) fn dropped_columns(
    opts: &Options,
    works: &[Work],
    summary: &mut Summary,
    errors: &mut Vec<DataError>,
) {
    for d in &opts.allow_drop {
        let Some((table, column)) = d.split_once('.') else {
            continue;
        };
        let Some(w) = works.iter().find(|w| w.plan.source == table) else {
            continue;
        };
        // In a split, a column any entry of the table reads is not lost.
        let read = |column: &str| {
            works
                .iter()
                .filter(|o| o.plan.source == table)
                .any(|o| o.plan.field(column).is_some_and(|f| o.plan.reads(f)))
        };
        match w.plan.field(column) {
            Some(_) if !read(column) => summary.dropped.push(format!("{}.{column}", w.label)),
            Some(_) => {}
            None => errors.push(
                DataError::new(format!(
                    "--allow-drop {d}: the dump's {} has no column {column} (its columns: {})",
                    w.label,
                    w.plan.input_columns.join(", ")
                ))
                .table(w.label.clone()),
            ),
        }
    }
}

/// A warning per mapped table that neither the dump nor `source_ddl`
/// declares: its foreign keys cannot be known, so none is checked.
pub(super) fn warn_unchecked_keys<'c>(
    works: &[Work],
    schema: &str,
    catalog: &dyn Fn(&TableName) -> Option<&'c TableDef>,
    summary: &mut Summary,
) {
    for w in works {
        if catalog(&TableName::new(schema, &w.plan.source)).is_none() {
            summary.warnings.push(format!(
                "{}: neither the dump nor the mapping (source_ddl) declares this table: its foreign keys are not checked before the load (psql checks them when it loads)",
                w.label
            ));
        }
    }
}
