//! Drift between a dump and a mapping: each mapped table's description
//! compiled against the dump's columns, as the migration would compile it,
//! plus mapped tables the dump lacks and tables of the source schema the
//! mapping does not cover.

use serde::Serialize;

use super::Table;
use crate::dump::{Catalog, TableName};
use crate::mapping::plan::{self, PlanError};
use crate::mapping::Description;

/// One difference between the dump and the mapping.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Drift {
    /// The source table, schema-qualified.
    pub table: String,
    pub column: Option<String>,
    pub problem: String,
}

impl std::fmt::Display for Drift {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.column {
            Some(c) => write!(f, "{} column {}: {}", self.table, c, self.problem),
            None => write!(f, "{}: {}", self.table, self.problem),
        }
    }
}

/// The drift of one database's `tables` against `mapping`, in the
/// mapping's table order, then the uncovered tables by name.
pub fn find(mapping: &Description, tables: &[Table]) -> Vec<Drift> {
    let schema = &mapping.source_schema;
    let mut out = Vec::new();
    for desc in &mapping.tables {
        let table = format!("{schema}.{}", desc.source);
        let found = tables
            .iter()
            .find(|t| t.schema == *schema && t.name == desc.source);
        let Some(t) = found else {
            out.push(Drift {
                table,
                column: None,
                problem: format!(
                    "mapped to {}, but not in the dump: {} would stay empty",
                    desc.target, desc.target
                ),
            });
            continue;
        };
        if t.data == Some("INSERT") && t.columns.is_empty() {
            // What the migration says of it: the values cannot be placed.
            out.push(Drift {
                table,
                column: None,
                problem: crate::migrate::NO_COLUMN_ORDER.to_string(),
            });
            continue;
        }
        let taken = crate::mapping::split::taken_by_siblings(mapping, desc);
        let Err(errors) = plan::compile(desc, &t.columns, &taken) else {
            continue;
        };
        for e in errors {
            let (column, problem) = match e {
                PlanError::Missing(c) => (
                    Some(c),
                    "the mapping needs this column and the dump does not have it".to_string(),
                ),
                PlanError::Unmapped(c) => (
                    Some(c.clone()),
                    format!("the mapping does not carry this column over: migrating refuses it unless --allow-drop {}.{c}", desc.source),
                ),
                PlanError::Invalid(m) => (None, format!("the mapping is invalid: {m}")),
            };
            out.push(Drift {
                table: table.clone(),
                column,
                problem,
            });
        }
    }
    for t in tables
        .iter()
        .filter(|t| t.schema == *schema && t.target.is_none())
    {
        out.push(Drift {
            table: t.qualified(),
            column: None,
            problem: format!(
                "not covered by the mapping: its {} rows would not be migrated",
                t.rows
            ),
        });
    }
    out
}

/// Columns of mapped tables that the dump's DDL declares with another type
/// than `reference`, the mapping's source schema.
pub fn types(mapping: &Description, catalog: &Catalog, reference: &Catalog) -> Vec<Drift> {
    let mut out = Vec::new();
    for desc in &mapping.tables {
        let name = TableName::new(&mapping.source_schema, &desc.source);
        let (Some(dump), Some(want)) = (catalog.get(&name), reference.get(&name)) else {
            continue;
        };
        // An ignored column's type does not matter.
        let names: Vec<String> = dump
            .columns
            .iter()
            .map(|c| c.name.clone())
            .filter(|c| !desc.ignore.contains(c))
            .collect();
        for d in crate::validate::drift::columns(&names, dump, want) {
            out.push(Drift {
                table: name.to_string(),
                column: Some(d.column),
                problem: format!(
                    "declared {}, where the mapping's source schema has {}: migrating refuses this type drift",
                    d.found, d.expected
                ),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(name: &str, columns: &str, target: Option<&str>) -> Table {
        Table {
            schema: "public".into(),
            name: name.into(),
            data: Some("COPY"),
            rows: 2,
            columns: columns.split(',').map(str::to_string).collect(),
            target: target.map(str::to_string),
        }
    }

    #[test]
    fn drift_names_missing_and_extra_columns_and_tables() {
        let mapping = Description::parse(
            "name = 'm'\n\
             [[table]]\nsource = 'a'\ntarget = 'x'\ncolumns = [{ name = 'id', copy = 'id' }, { name = 'n', copy = 'n' }]\n\
             [[table]]\nsource = 'b'\ntarget = 'y'\ncolumns = [{ name = 'id', copy = 'id' }]\n",
        )
        .unwrap();
        let tables = [table("a", "id,extra", Some("x")), table("c", "id", None)];
        let found: Vec<String> = find(&mapping, &tables)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            found,
            [
                "public.a column n: the mapping needs this column and the dump does not have it",
                "public.a column extra: the mapping does not carry this column over: migrating refuses it unless --allow-drop a.extra",
                "public.b: mapped to y, but not in the dump: y would stay empty",
                "public.c: not covered by the mapping: its 2 rows would not be migrated",
            ]
        );
        let clean = [table("a", "n,id", Some("x")), table("b", "id", Some("y"))];
        assert!(find(&mapping, &clean).is_empty());
    }
}
