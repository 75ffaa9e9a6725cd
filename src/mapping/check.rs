//! What can be known wrong with a mapping before any dump is read, as
//! findings at the line of the mapping file that causes them: its shape
//! (one rule per column, each table mapped once), its target (tables and
//! columns the target schema creates, constants its types accept, NOT NULL
//! columns that get a value) and its source (columns of the right kind for
//! a sequence's scope and order, a lookup's key). `dumpshift mapping check`
//! prints them all; a run with `--mapping` refuses the mapping on any.

use std::collections::BTreeSet;

use super::{Description, Rule, TableDesc};
use crate::copy::codec;
use crate::dump::{Catalog, ColumnDef, TableDef, TableName};
use crate::validate::values;

/// One thing wrong with a mapping, at a line of its file when known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub line: Option<usize>,
    pub message: String,
    pub kind: Kind,
}

/// What a finding means for a run: the exit codes differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// The file is not a usable mapping: its shape, a table or column its
    /// target does not have, a cycle of keys (a usage error, exit 2).
    Invalid,
    /// A valid mapping whose rows the schemas would refuse: a constant the
    /// target column refuses, a NOT NULL column left empty, a rule reading
    /// a column of the wrong kind (the migration is refused, exit 1).
    Refused,
}

impl Finding {
    pub fn new(line: Option<usize>, message: impl Into<String>) -> Finding {
        Finding {
            line,
            message: message.into(),
            kind: Kind::Invalid,
        }
    }

    fn refused(line: Option<usize>, message: impl Into<String>) -> Finding {
        Finding {
            kind: Kind::Refused,
            ..Finding::new(line, message)
        }
    }

    /// `FILE:LINE: message`, or `FILE: message` without a line.
    pub fn render(&self, file: &str) -> String {
        match self.line {
            Some(n) => format!("{file}:{n}: {}", self.message),
            None => format!("{file}: {}", self.message),
        }
    }
}

/// The description's own shape: each column one rule, each table mapped
/// once, each v2 column written once, lookups into mapped tables.
pub fn shape(d: &Description) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for (t, table) in d.tables.iter().enumerate() {
        if !seen.insert((&table.source, &table.target)) {
            let m = super::InvalidMapping::MappedTwice(table.source.clone(), table.target.clone());
            out.push(Finding::new(d.lines.source(t), m.to_string()));
        }
        let mut written = BTreeSet::new();
        for (c, col) in table.columns.iter().enumerate() {
            let line = d.lines.column(t, c);
            if !written.insert(&col.name) {
                out.push(Finding::new(
                    line,
                    format!(
                        "table {}: column {} is written twice",
                        table.source, col.name
                    ),
                ));
            }
            match col.rule() {
                Err(e) => out.push(Finding::new(line, format!("table {}: {e}", table.source))),
                Ok(Rule::Lookup(l)) if d.table(&l.table).is_none() => {
                    let m = super::InvalidMapping::LookupNotMapped {
                        table: table.source.clone(),
                        column: col.name.clone(),
                        lookup: l.table,
                    };
                    out.push(Finding::new(line, m.to_string()));
                }
                Ok(_) => {}
            }
        }
    }
    out
}

/// Checks every table against the target schema's catalog.
pub fn target(d: &Description, catalog: &Catalog) -> Vec<Finding> {
    let mut out = Vec::new();
    for (t, table) in d.tables.iter().enumerate() {
        let Some(def) = catalog.get(&TableName::new("public", &table.target)) else {
            out.push(Finding::new(
                d.lines.target(t),
                format!(
                    "table {}: its target {} is not created by the target schema's migrations",
                    table.source, table.target
                ),
            ));
            continue;
        };
        target_table(d, t, table, def, &mut out);
    }
    out
}

fn target_table(
    d: &Description,
    t: usize,
    table: &TableDesc,
    def: &TableDef,
    out: &mut Vec<Finding>,
) {
    // Named as a run names them: the source table, the v2 column.
    let name = format!("{}.{}", d.source_schema, table.source);
    for (c, col) in table.columns.iter().enumerate() {
        let line = d.lines.column(t, c);
        let Some(column) = def.columns.iter().find(|x| x.name == col.name) else {
            let have: Vec<&str> = def.columns.iter().map(|x| x.name.as_str()).collect();
            out.push(Finding::new(
                line,
                format!(
                    "{name} column {c}: v2 {} has no column {c} (its columns: {})",
                    table.target,
                    have.join(", "),
                    c = col.name,
                ),
            ));
            continue;
        };
        if let Some(m) = column_problem(col, column, def) {
            out.push(Finding::refused(
                line,
                format!("{name} column {}: {m}", col.name),
            ));
        }
    }
    for column in &def.columns {
        let written = table.columns.iter().any(|c| c.name == column.name);
        if !written && column.not_null && column.default.is_none() && !column.generated {
            out.push(Finding::refused(
                d.lines.target(t),
                format!(
                    "{name} column {c}: v2 {c} is NOT NULL without a default, and the mapping writes nothing to it: every row would be refused",
                    c = column.name
                ),
            ));
        }
    }
}

/// What the v2 column `column` refuses of the rule of `col`.
fn column_problem(col: &super::ColumnDesc, column: &ColumnDef, def: &TableDef) -> Option<String> {
    match col.rule().ok()? {
        Rule::Value(v) => refuses(column, def, Some(&v))
            .map(|m| format!("the mapping writes this value in every row, and v2 refuses it: {m}")),
        Rule::Null => refuses(column, def, None)
            .map(|m| format!("the mapping writes this value in every row, and v2 refuses it: {m}")),
        Rule::Coalesce(_, Some(v)) => refuses(column, def, Some(&v))
            .map(|m| format!("value_if_null {v:?}: v2 refuses it: {m}")),
        Rule::Map(_, map) => map.iter().find_map(|(old, new)| {
            refuses(column, def, Some(new))
                .map(|m| format!("map {old:?} = {new:?}: v2 refuses it: {m}"))
        }),
        Rule::Sequence(_) if !is_integer(&column.type_name) => Some(format!(
            "a sequence writes 10, 20, 30 ..., but v2 {} is {}, not an integer",
            column.name, column.type_name
        )),
        _ => None,
    }
}

/// Why the v2 column refuses the constant `value` (`None`: NULL).
fn refuses(column: &ColumnDef, def: &TableDef, value: Option<&str>) -> Option<String> {
    let mut enc = Vec::new();
    match value {
        Some(v) => codec::encode_into(v.as_bytes(), &mut enc),
        None => enc.extend_from_slice(codec::NULL),
    }
    values::refuses_constant(column, &def.checks, &enc)
}

fn is_integer(ty: &str) -> bool {
    matches!(ty, "int2" | "int4" | "int8" | "numeric")
}

/// How strictly the source side is checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// The source schema is the whole truth (`source_ddl` in `mapping
    /// check`): a table or column it lacks is a finding.
    Complete,
    /// Only what it has is checked (a run: a column the dump lacks is drift,
    /// reported against the dump).
    Partial,
}

/// Checks the kinds of the source columns rules read: a sequence's scope
/// (uuid) and order (a timestamp), a lookup's key (uuid), and, when the
/// source is `Complete`, that every column named exists. A table's
/// definition is taken from the first of `catalogs` that has it.
pub fn source(d: &Description, catalogs: &[&Catalog], how: Source) -> Vec<Finding> {
    let schema = |t: &str| {
        let name = TableName::new(&d.source_schema, t);
        catalogs.iter().find_map(|c| c.get(&name))
    };
    let mut out = Vec::new();
    for (t, table) in d.tables.iter().enumerate() {
        let Some(def) = schema(&table.source) else {
            if how == Source::Complete {
                out.push(Finding::refused(
                    d.lines.source(t),
                    format!(
                        "table {}: not in the source schema (source_ddl)",
                        table.source
                    ),
                ));
            }
            continue;
        };
        for (c, col) in table.columns.iter().enumerate() {
            let Ok(rule) = col.rule() else { continue };
            let mut say = |m: String| {
                out.push(Finding::refused(
                    d.lines.column(t, c),
                    format!(
                        "{}.{} column {}: {m}",
                        d.source_schema, table.source, col.name
                    ),
                ))
            };
            for (role, name, kinds) in reads(&rule) {
                match def.columns.iter().find(|x| x.name == name) {
                    None if how == Source::Complete && !table.defaults.contains(&name) => {
                        say(format!(
                            "{role} {name} is not a column of source table {}",
                            table.source
                        ))
                    }
                    Some(x) if !kinds.is_empty() && !kinds.contains(&x.type_name.as_str()) => {
                        say(format!(
                            "{role} {name} is {}, but it must be {}",
                            x.type_name,
                            kinds.join(" or ")
                        ))
                    }
                    _ => {}
                }
            }
            if let (Rule::Lookup(l), Source::Complete) = (&rule, how) {
                if let Some(other) = schema(&l.table) {
                    if !other.columns.iter().any(|x| x.name == l.column) {
                        say(format!(
                            "lookup column {} is not a column of source table {}",
                            l.column, l.table
                        ));
                    }
                }
            }
        }
    }
    out
}

/// The source columns a rule reads, each with its role in messages and
/// the types it may have (empty: any).
fn reads(rule: &Rule) -> Vec<(&'static str, String, &'static [&'static str])> {
    const UUID: &[&str] = &["uuid"];
    const INSTANT: &[&str] = &["timestamptz", "timestamp"];
    match rule {
        Rule::Copy(c) => vec![("copied column", c.clone(), &[])],
        Rule::StoragePath(c) => vec![("storage_path column", c.clone(), &[])],
        Rule::Lookup(l) => vec![("lookup key", l.key.clone(), UUID)],
        Rule::Sequence(s) => {
            let mut v: Vec<_> = s
                .scope
                .iter()
                .chain(&s.fallback_scope)
                .map(|c| ("sequence scope", c.clone(), UUID))
                .collect();
            if s.order_by != "dump" {
                v.push(("sequence order_by", s.order_by.clone(), INSTANT));
            }
            v
        }
        Rule::Coalesce(columns, _) => columns
            .iter()
            .map(|c| ("coalesce column", c.clone(), &[][..]))
            .collect(),
        Rule::Map(c, _) => vec![("mapped column", c.clone(), &[])],
        Rule::Value(_) | Rule::Null => Vec::new(),
    }
}

/// The order the tables load in: every table after the tables its target's
/// foreign keys point at (deferred keys aside: they are checked at COMMIT),
/// the file's order among tables free to go. A cycle is a finding naming
/// its tables.
pub fn load_order(d: &Description, catalog: &Catalog) -> Result<Vec<usize>, Finding> {
    let n = d.tables.len();
    let index_of = |target: &str| d.tables.iter().position(|t| t.target == target);
    let needs: Vec<Vec<usize>> = d
        .tables
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let def = catalog.get(&TableName::new("public", &t.target));
            let mut v: Vec<usize> = def
                .iter()
                .flat_map(|def| &def.foreign_keys)
                .filter(|fk| !fk.deferred && fk.ref_table.schema == "public")
                .filter_map(|fk| index_of(&fk.ref_table.name))
                .filter(|&j| j != i)
                .collect();
            v.sort_unstable();
            v.dedup();
            v
        })
        .collect();
    let mut placed = vec![false; n];
    let mut order = Vec::with_capacity(n);
    while order.len() < n {
        let ready = (0..n).find(|&i| !placed[i] && needs[i].iter().all(|&j| placed[j]));
        match ready {
            Some(i) => {
                placed[i] = true;
                order.push(i);
            }
            None => return Err(cycle(d, &needs, &placed)),
        }
    }
    Ok(order)
}

/// A finding naming one cycle among the tables not yet placed.
fn cycle(d: &Description, needs: &[Vec<usize>], placed: &[bool]) -> Finding {
    let start = (0..needs.len()).find(|&i| !placed[i]).unwrap_or(0);
    let mut path = vec![start];
    let mut at = start;
    while let Some(&next) = needs[at].iter().find(|&&j| !placed[j]) {
        if let Some(k) = path.iter().position(|&p| p == next) {
            path.drain(..k);
            path.push(next);
            break;
        }
        path.push(next);
        at = next;
    }
    let names: Vec<&str> = path.iter().map(|&i| d.tables[i].target.as_str()).collect();
    Finding::new(
        d.lines.target(path[0]),
        format!(
            "the target tables' foreign keys form a cycle ({}): no load order satisfies them \
             (make one of these keys DEFERRABLE INITIALLY DEFERRED in the target schema)",
            names.join(" → ")
        ),
    )
}

#[cfg(test)]
#[path = "check_tests.rs"]
mod tests;
