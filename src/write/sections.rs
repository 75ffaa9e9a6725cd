//! The sectioned schema: the migrations split, through PostgreSQL's own
//! parser (pg_query, with deparse), into what runs before the COPYs and what
//! runs after them, the way pg_dump orders a restore.
//!
//! - before the data: every CREATE TABLE without its PRIMARY KEY, UNIQUE and
//!   FOREIGN KEY constraints (columns, defaults, NOT NULLs and CHECKs stay),
//!   and every statement dumpshift does not take apart, where it was;
//! - after the data, first the keys and indexes (`ALTER TABLE ... ADD
//!   CONSTRAINT` under the name PostgreSQL would have chosen, CREATE INDEX),
//!   then the foreign keys, each validated in one pass over its table.
//!
//! The catalog comes out as applying the migrations makes it. Where
//! dumpshift cannot be sure of that, it keeps the statement as written: a
//! statement of another kind, or a table or index with a feature the
//! splitting does not model (inheritance, LIKE, exclusion constraints,
//! expression indexes without a name, constraint attributes written apart,
//! names PostgreSQL would number or shorten) stays in place, and the keys
//! and indexes deferred so far are put before it, so that it runs in the
//! same catalog state as it does when the migrations are applied. Nothing is
//! ever dropped.

use pg_query::protobuf::{self, node::Node as N, AlterTableType, ConstrType, ObjectType};
use pg_query::{DeparseOptions, NodeEnum};

use super::names::{self, Namespace};

mod record;
use crate::migrations::Migration;

/// The migrations in load order.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Sections {
    /// Before the data: SQL text, each migration's under a comment naming it.
    pub schema: String,
    /// After the data: primary keys, unique constraints and indexes.
    pub indexes: Vec<String>,
    /// After those: foreign keys.
    pub foreign_keys: Vec<String>,
    /// The tables split here: plain tables, created by this schema.
    pub plain: std::collections::BTreeSet<String>,
}

/// Splits `migrations` into sections.
pub fn split(migrations: &[Migration]) -> Sections {
    let mut s = Splitter::default();
    for m in migrations {
        s.out.schema.push_str(&format!(
            "-- migration {:04}_{}.up.sql\n",
            m.version, m.name
        ));
        s.migration(&m.up);
        s.out.schema.push('\n');
    }
    s.out
}

#[derive(Default)]
struct Splitter {
    out: Sections,
    names: Namespace,
}

/// What a CREATE TABLE becomes: the table alone, its keys after the data.
struct Table {
    name: String,
    create: String,
    indexes: Vec<String>,
    foreign_keys: Vec<String>,
}

impl Splitter {
    fn migration(&mut self, sql: &str) {
        let Ok(parsed) = pg_query::parse(sql, 0) else {
            // Checked when the migrations are linted; kept whole if not.
            self.keep(sql, None);
            return;
        };
        for raw in &parsed.protobuf.stmts {
            let start = usize::try_from(raw.stmt_location).unwrap_or(0);
            let end = match usize::try_from(raw.stmt_len) {
                Ok(0) | Err(_) => sql.len(),
                Ok(len) => start + len,
            };
            let text = sql.get(start..end).unwrap_or(sql);
            let node = raw.stmt.as_ref().and_then(|n| n.node.as_ref());
            self.statement(text, node);
        }
    }

    fn statement(&mut self, text: &str, node: Option<&NodeEnum>) {
        let split = match node {
            Some(N::CreateStmt(c)) => table(c, &mut self.names).map(|t| {
                self.out.plain.insert(t.name);
                self.push_text(&leading_comments(text));
                self.push_text(&format!("{};", t.create));
                self.out.indexes.extend(t.indexes);
                self.out.foreign_keys.extend(t.foreign_keys);
            }),
            Some(N::IndexStmt(i)) => {
                index(i, text, &mut self.names).map(|sql| self.out.indexes.push(sql))
            }
            _ => None,
        };
        if split.is_none() {
            self.keep(text, node);
        }
    }

    /// Keeps `text` in place, after everything deferred so far: it may use
    /// any of it (a comment on a constraint, a view grouped by a key).
    fn keep(&mut self, text: &str, node: Option<&NodeEnum>) {
        for sql in std::mem::take(&mut self.out.indexes)
            .into_iter()
            .chain(std::mem::take(&mut self.out.foreign_keys))
        {
            self.push_text(&sql);
        }
        let text = text.trim();
        if !text.is_empty() {
            let semi = if text.ends_with(';') { "" } else { ";" };
            self.push_text(&format!("{text}{semi}"));
        }
        match node {
            Some(node) => record::kept(node, &mut self.names),
            None => self.names.blind(),
        }
    }

    fn push_text(&mut self, text: &str) {
        let text = text.trim_end();
        if !text.is_empty() {
            self.out.schema.push_str(text);
            self.out.schema.push_str("\n\n");
        }
    }
}

/// The `--` comment lines before a statement's first keyword, kept with it.
fn leading_comments(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .take_while(|l| l.is_empty() || l.starts_with("--"))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

fn pretty() -> DeparseOptions {
    DeparseOptions {
        pretty_print: true,
        ..DeparseOptions::default()
    }
}

fn is(con: &protobuf::Constraint, kind: ConstrType) -> bool {
    con.contype == kind as i32
}

/// The table's relation, if dumpshift models how PostgreSQL names what it
/// creates: a plain permanent table in the default schema.
fn plain_relation(r: Option<&protobuf::RangeVar>) -> Option<&protobuf::RangeVar> {
    let r = r?;
    let schema_ok = r.schemaname.is_empty() || r.schemaname == "public";
    (schema_ok && r.catalogname.is_empty() && r.relpersistence == "p" && names::fits(&r.relname))
        .then_some(r)
}

/// Splits a CREATE TABLE, or `None` to keep it whole.
fn table(c: &protobuf::CreateStmt, ns: &mut Namespace) -> Option<Table> {
    let rel = plain_relation(c.relation.as_ref())?;
    let plain = c.inh_relations.is_empty()
        && c.partbound.is_none()
        && c.partspec.is_none()
        && c.of_typename.is_none()
        && !c.if_not_exists
        && c.constraints.is_empty();
    if !plain {
        return None;
    }
    let mut stripped = c.clone();
    let mut keys = take_keys(&mut stripped)?;
    // PostgreSQL makes the primary key first, then the unique constraints,
    // then the foreign keys: the order the names are chosen in.
    keys.sort_by_key(key_rank);
    name_keys(&rel.relname, &mut keys, ns)?;
    let create = NodeEnum::CreateStmt(stripped).deparse(pretty()).ok()?;
    let mut t = Table {
        name: rel.relname.clone(),
        create,
        indexes: Vec::new(),
        foreign_keys: Vec::new(),
    };
    for k in keys {
        let foreign = key_rank(&k) == 2;
        let sql = add_constraint(rel, k)?;
        if foreign {
            t.foreign_keys.push(sql);
        } else {
            t.indexes.push(sql);
        }
    }
    Some(t)
}

/// Takes the primary key, unique and foreign key constraints out of a
/// CREATE TABLE, column-level ones given their column; `None` if it holds
/// anything not modelled.
fn take_keys(stripped: &mut protobuf::CreateStmt) -> Option<Vec<protobuf::Constraint>> {
    let mut keys = Vec::new();
    for elt in &mut stripped.table_elts {
        match &mut elt.node {
            Some(N::ColumnDef(col)) => keys.extend(column_keys(col)?),
            Some(N::Constraint(_)) => {}
            _ => return None,
        }
    }
    let mut table_keys = Vec::new();
    stripped.table_elts.retain(|elt| match &elt.node {
        Some(N::Constraint(k)) if deferred(k) == Some(true) => {
            table_keys.push((**k).clone());
            false
        }
        _ => true,
    });
    let unknown =
        |e: &protobuf::Node| matches!(&e.node, Some(N::Constraint(k)) if deferred(k).is_none());
    if stripped.table_elts.iter().any(unknown) {
        return None;
    }
    keys.extend(table_keys);
    Some(keys)
}

/// Takes the keys written on a column out of it, naming the column in them.
fn column_keys(col: &mut protobuf::ColumnDef) -> Option<Vec<protobuf::Constraint>> {
    if !names::fits(&col.colname) {
        return None;
    }
    let own = vec![string(&col.colname)];
    let (mut kept, mut keys) = (Vec::new(), Vec::new());
    for con in std::mem::take(&mut col.constraints) {
        let Some(N::Constraint(k)) = &con.node else {
            return None;
        };
        if !deferred(k)? {
            kept.push(con);
            continue;
        }
        let mut k = (**k).clone();
        if is(&k, ConstrType::ConstrForeign) {
            k.fk_attrs = own.clone();
        } else {
            k.keys = own.clone();
        }
        keys.push(k);
    }
    col.constraints = kept;
    Some(keys)
}

pub(super) fn key_rank(k: &protobuf::Constraint) -> u8 {
    if is(k, ConstrType::ConstrPrimary) {
        0
    } else if is(k, ConstrType::ConstrUnique) {
        1
    } else {
        2
    }
}

/// `Some(true)` for a key the load adds after the data, `Some(false)` for a
/// constraint that stays in CREATE TABLE, `None` for one not modelled.
fn deferred(k: &protobuf::Constraint) -> Option<bool> {
    use ConstrType::*;
    match ConstrType::try_from(k.contype).ok()? {
        ConstrNull | ConstrNotnull | ConstrDefault | ConstrGenerated | ConstrCheck => Some(false),
        ConstrIdentity => None,
        ConstrPrimary | ConstrUnique => {
            let plain = k.indexname.is_empty() && !k.without_overlaps;
            plain.then_some(true)
        }
        ConstrForeign => {
            let plain = k.is_enforced && !k.skip_validation && !k.fk_with_period;
            plain.then_some(true)
        }
        _ => None,
    }
}

/// Gives every key the name PostgreSQL would, in the order it would choose
/// them; `None` if a name is not certain.
fn name_keys(table: &str, keys: &mut [protobuf::Constraint], ns: &mut Namespace) -> Option<()> {
    ns.take(table);
    // Two keys on the same columns are merged by PostgreSQL; not modelled.
    let mut seen = std::collections::HashSet::new();
    for k in keys.iter().filter(|k| key_rank(k) < 2) {
        if !seen.insert(strings(&k.keys)) {
            return None;
        }
    }
    for k in keys.iter_mut() {
        if !k.conname.is_empty() {
            if !names::fits(&k.conname) || explicit_name_clashes(&k.conname) {
                return None;
            }
            ns.take(&k.conname);
            continue;
        }
        k.conname = match key_rank(k) {
            0 => ns.choose(table, None, "pkey")?,
            1 => {
                let mut cols = strings(&k.keys);
                cols.extend(strings(&k.including));
                ns.choose(table, Some(&cols), "key")?
            }
            _ => ns.choose(table, Some(&strings(&k.fk_attrs)), "fkey")?,
        };
    }
    Some(())
}

/// A deferred name that one left in place (a CHECK's, a serial column's
/// sequence) could have been numbered around: not modelled.
fn explicit_name_clashes(name: &str) -> bool {
    let stem = name.trim_end_matches(|c: char| c.is_ascii_digit());
    stem.ends_with("check") || stem.ends_with("seq")
}

fn add_constraint(rel: &protobuf::RangeVar, k: protobuf::Constraint) -> Option<String> {
    let cmd = protobuf::AlterTableCmd {
        subtype: AlterTableType::AtAddConstraint as i32,
        def: Some(Box::new(protobuf::Node {
            node: Some(N::Constraint(Box::new(k))),
        })),
        behavior: protobuf::DropBehavior::DropRestrict as i32,
        ..Default::default()
    };
    let stmt = protobuf::AlterTableStmt {
        relation: Some(rel.clone()),
        cmds: vec![protobuf::Node {
            node: Some(N::AlterTableCmd(Box::new(cmd))),
        }],
        objtype: ObjectType::ObjectTable as i32,
        missing_ok: false,
    };
    let sql = NodeEnum::AlterTableStmt(stmt).deparse(pretty()).ok()?;
    Some(format!("{sql};"))
}

/// A CREATE INDEX for after the data, named as PostgreSQL would name it, or
/// `None` to keep it in place.
fn index(i: &protobuf::IndexStmt, text: &str, ns: &mut Namespace) -> Option<String> {
    let rel = plain_relation(i.relation.as_ref())?;
    if i.concurrent || i.if_not_exists || !i.exclude_op_names.is_empty() {
        return None;
    }
    if !i.idxname.is_empty() {
        if !names::fits(&i.idxname) || explicit_name_clashes(&i.idxname) {
            return None;
        }
        ns.take(&i.idxname);
        let text = text.trim();
        let body = text.lines().skip_while(|l| {
            let l = l.trim();
            l.is_empty() || l.starts_with("--")
        });
        let body = body.collect::<Vec<_>>().join("\n");
        let semi = if body.ends_with(';') { "" } else { ";" };
        return Some(format!("{body}{semi}"));
    }
    let mut cols = Vec::new();
    for p in i.index_params.iter().chain(&i.index_including_params) {
        match &p.node {
            Some(N::IndexElem(e)) if e.expr.is_none() && !e.name.is_empty() => {
                if cols.contains(&e.name) {
                    return None;
                }
                cols.push(e.name.clone());
            }
            _ => return None,
        }
    }
    let mut named = i.clone();
    named.idxname = ns.choose(&rel.relname, Some(&cols), "idx")?;
    let sql = NodeEnum::IndexStmt(Box::new(named))
        .deparse(pretty())
        .ok()?;
    Some(format!("{sql};"))
}

fn string(s: &str) -> protobuf::Node {
    protobuf::Node {
        node: Some(N::String(protobuf::String {
            sval: s.to_string(),
        })),
    }
}

fn strings(nodes: &[protobuf::Node]) -> Vec<String> {
    crate::dump::sql::strings(nodes)
}

#[cfg(test)]
#[path = "sections_tests.rs"]
mod tests;
