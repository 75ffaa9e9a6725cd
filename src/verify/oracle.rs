//! The oracle: for each mapped table, the SQL that makes PostgreSQL compute
//! every v2 column's expected value from the restored v1 rows, and the SQL
//! that reads the same columns of v2. Both are generated from the mapping
//! description, rule by rule, never from the Rust transforms: the two are
//! independent implementations of one mapping.
//!
//! Values are cast to the v2 column's type the way the load's COPY reads
//! them (the v1 text form into the v2 type), so both sides print typed text
//! forms that compare byte for byte. Both queries order by id in the same
//! byte order (uuid order is the order of its text form; other id types
//! are ordered by their text under the C collation).

use crate::mapping::storage_path::BUCKET;
use crate::mapping::{ColumnDesc, Rule, SequenceDesc, TableDesc};

/// A column of a table as the catalog of its database describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CatalogColumn {
    pub name: String,
    /// `format_type()` of the column's type, e.g. `timestamp with time zone`.
    pub ty: String,
    /// A type of `pg_catalog`, which exists in the v1 database too.
    pub builtin: bool,
}

/// The two queries of one mapped table.
#[derive(Clone, Debug)]
pub struct TableSql {
    /// The v2 columns compared, in query order; the first is the id.
    pub columns: Vec<String>,
    /// v2 columns copied from a v1 column the database lacks and the mapping
    /// lists in `defaults`: the load left them to their DDL default.
    pub not_compared: Vec<String>,
    /// Runs on v1: the id, then each expected value.
    pub expected: String,
    /// Runs on v2: the id, each actual value, then whether the row was
    /// written by the load (`t`) or later (`f`).
    pub actual: String,
}

/// What the SQL of a table needs besides the mapping.
pub struct Context<'a> {
    pub source_schema: &'a str,
    pub target_schema: &'a str,
    /// The columns of the v1 table.
    pub v1: &'a [CatalogColumn],
    /// The columns of the v2 table.
    pub v2: &'a [CatalogColumn],
    /// The storage root the `storage_path` rule writes under.
    pub storage_root: &'a str,
    /// The transaction id of the load (`xmin` of its rows), when known.
    pub load_xid: Option<&'a str>,
}

/// A double-quoted identifier.
pub fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A single-quoted string literal.
pub fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// `schema.table`, both quoted.
pub fn qualified(schema: &str, table: &str) -> String {
    format!("{}.{}", ident(schema), ident(table))
}

/// Builds both queries of `table`.
pub fn table_sql(table: &TableDesc, cx: &Context) -> Result<TableSql, String> {
    let id = table
        .columns
        .iter()
        .find(|c| c.name == "id")
        .ok_or_else(|| format!("table {}: the mapping writes no id column", table.target))?;
    let Ok(Rule::Copy(id_source)) = id.rule() else {
        return Err(format!("table {}: id is not copied from v1", table.target));
    };
    let mut joins = Vec::new();
    let mut columns = vec!["id".to_string()];
    let mut expected = vec![cast(&col("t", &id_source), v2_type(cx, "id", table)?)];
    let mut actual = vec![col("a", "id")];
    let mut not_compared = Vec::new();
    for c in table.columns.iter().filter(|c| c.name != "id") {
        let ty = v2_type(cx, &c.name, table)?;
        match expression(c, table, cx, ty, &mut joins)? {
            Some(e) => {
                columns.push(c.name.clone());
                expected.push(e);
                actual.push(col("a", &c.name));
            }
            None => not_compared.push(c.name.clone()),
        }
    }
    let id_ty = v2_type(cx, "id", table)?;
    let (order_v1, order_v2) = if id_ty.ty == "uuid" {
        (col("t", &id_source), col("a", "id"))
    } else {
        (
            format!("({})::text COLLATE \"C\"", expected[0]),
            "a.\"id\"::text COLLATE \"C\"".to_string(),
        )
    };
    let by_load = match cx.load_xid {
        Some(x) => format!("a.xmin = {}::xid", literal(x)),
        None => "true".into(),
    };
    actual.push(by_load);
    let expected = format!(
        "SELECT {} FROM {} t{} ORDER BY {order_v1}",
        expected.join(", "),
        qualified(cx.source_schema, &table.source),
        joins.concat()
    );
    let actual = format!(
        "SELECT {} FROM {} a ORDER BY {order_v2}",
        actual.join(", "),
        qualified(cx.target_schema, &table.target)
    );
    Ok(TableSql {
        columns,
        not_compared,
        expected,
        actual,
    })
}

fn col(alias: &str, name: &str) -> String {
    format!("{alias}.{}", ident(name))
}

fn v2_type<'a>(
    cx: &'a Context,
    name: &str,
    table: &TableDesc,
) -> Result<&'a CatalogColumn, String> {
    cx.v2.iter().find(|c| c.name == name).ok_or_else(|| {
        format!(
            "the v2 table {}.{} has no column {name}, which the mapping writes",
            cx.target_schema, table.target
        )
    })
}

/// `value` as the load's COPY would store it in a column of type `ty`:
/// its text form read by the type's input function. A type of the v2
/// database alone (an enum, a domain) is compared as text.
fn cast(value: &str, ty: &CatalogColumn) -> String {
    if ty.builtin {
        format!("({value})::text::{}", ty.ty)
    } else {
        format!("({value})::text")
    }
}

fn has_v1(cx: &Context, name: &str) -> bool {
    cx.v1.iter().any(|c| c.name == name)
}

fn need_v1(cx: &Context, table: &TableDesc, name: &str) -> Result<String, String> {
    if has_v1(cx, name) {
        Ok(col("t", name))
    } else {
        Err(format!(
            "the v1 table {}.{} has no column {name}, which the mapping reads",
            cx.source_schema, table.source
        ))
    }
}

/// The expected value of one v2 column; `None` when it is left to its
/// DDL default because v1 lacks a column listed in `defaults`.
fn expression(
    c: &ColumnDesc,
    table: &TableDesc,
    cx: &Context,
    ty: &CatalogColumn,
    joins: &mut Vec<String>,
) -> Result<Option<String>, String> {
    let e = match c.rule().map_err(|e| e.to_string())? {
        Rule::Copy(from) => {
            if !has_v1(cx, &from) && table.defaults.contains(&from) {
                return Ok(None);
            }
            cast(&need_v1(cx, table, &from)?, ty)
        }
        Rule::Value(v) => cast(&literal(&v), ty),
        Rule::Null => cast("NULL", ty),
        Rule::Sequence(s) => cast(&sequence(&s, table, cx)?, ty),
        Rule::Lookup(l) => {
            let alias = format!("l{}", joins.len());
            joins.push(format!(
                " LEFT JOIN {} {alias} ON {alias}.\"id\" = {}",
                qualified(cx.source_schema, &l.table),
                need_v1(cx, table, &l.key)?
            ));
            cast(&col(&alias, &l.column), ty)
        }
        Rule::StoragePath(from) => cast(
            &storage_path(&need_v1(cx, table, &from)?, cx.storage_root),
            ty,
        ),
        Rule::Coalesce(columns, otherwise) => {
            let mut parts: Vec<String> = columns
                .iter()
                .map(|c| need_v1(cx, table, c).map(|e| format!("({e})::text")))
                .collect::<Result<_, _>>()?;
            parts.push(otherwise.as_deref().map_or("NULL".to_string(), literal));
            cast(&format!("COALESCE({})", parts.join(", ")), ty)
        }
        Rule::Map(from, map) => {
            let arms: Vec<String> = map
                .iter()
                .map(|(a, b)| format!(" WHEN {} THEN {}", literal(a), literal(b)))
                .collect();
            let e = need_v1(cx, table, &from)?;
            cast(&format!("CASE ({e})::text{} END", arms.concat()), ty)
        }
    };
    Ok(Some(e))
}

/// 10, 20, 30 ... per scope, by the instant of `order_by`, ties by id; with
/// a fallback scope, rows whose scope columns are all NULL are grouped by
/// the fallback columns instead, apart from every other group.
fn sequence(s: &SequenceDesc, table: &TableDesc, cx: &Context) -> Result<String, String> {
    let scope: Vec<String> = s
        .scope
        .iter()
        .map(|c| need_v1(cx, table, c))
        .collect::<Result<_, _>>()?;
    let mut partition = scope.clone();
    if !s.fallback_scope.is_empty() {
        let all_null = if scope.is_empty() {
            "true".to_string()
        } else {
            let nulls: Vec<String> = scope.iter().map(|c| format!("{c} IS NULL")).collect();
            format!("({})", nulls.join(" AND "))
        };
        partition.insert(0, all_null.clone());
        for f in &s.fallback_scope {
            let f = need_v1(cx, table, f)?;
            partition.push(format!("CASE WHEN {all_null} THEN {f} END"));
        }
    }
    let order = if s.order_by == "dump" {
        // After a plain restore into an empty table, the physical order is
        // the order of the rows in the dump.
        "t.ctid".to_string()
    } else {
        // PostgreSQL's defaults (ascending, NULLs last) are left unsaid.
        let direction = match (s.descending, s.nulls_first()) {
            (false, false) => "",
            (false, true) => " NULLS FIRST",
            (true, true) => " DESC NULLS FIRST",
            (true, false) => " DESC NULLS LAST",
        };
        format!("{}{direction}, t.\"id\"", need_v1(cx, table, &s.order_by)?)
    };
    let over = if partition.is_empty() {
        format!("ORDER BY {order}")
    } else {
        format!("PARTITION BY {} ORDER BY {order}", partition.join(", "))
    };
    Ok(format!("10 * row_number() OVER ({over})"))
}

/// `<root>/<key>` where the key is what MAPPING.md says of a v1 value: a
/// bare key, `<bucket>/<key>`, or a Storage URL whose query is dropped and
/// whose key is percent-decoded (the escapes as bytes, then read as UTF-8).
fn storage_path(value: &str, root: &str) -> String {
    let bucket = regex_escape(BUCKET);
    let url = format!(
        "substring({value} FROM {})",
        literal(&format!(
            "^https?://[^/?#]+/storage/v1/object/(?:public|sign|authenticated)/{bucket}/([^?#]*)"
        ))
    );
    let decoded = format!(
        "(SELECT coalesce(convert_from(string_agg(CASE WHEN m[1] IS NOT NULL \
         THEN decode(m[1], 'hex') ELSE convert_to(m[2], 'UTF8') END, ''::bytea ORDER BY o), \
         'UTF8'), '') FROM regexp_matches({url}, '%([0-9A-Fa-f]{{2}})|([^%]+|%)', 'g') \
         WITH ORDINALITY AS r(m, o))"
    );
    let prefix = format!("{BUCKET}/");
    let key = format!(
        "CASE WHEN {value} ~ '^https?://' THEN {decoded} \
         WHEN starts_with({value}, {}) THEN substr({value}, {}) ELSE {value} END",
        literal(&prefix),
        prefix.chars().count() + 1
    );
    format!("{} || '/' || ({key})", literal(root.trim_end_matches('/')))
}

fn regex_escape(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c.to_string()
            } else {
                format!("\\{c}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mapping::Description;

    fn cols(names: &[&str], ty: &str) -> Vec<CatalogColumn> {
        names
            .iter()
            .map(|n| CatalogColumn {
                name: n.to_string(),
                ty: if *n == "id" { "uuid".into() } else { ty.into() },
                builtin: true,
            })
            .collect()
    }

    #[test]
    fn every_rule_kind_becomes_its_sql() {
        let d = Description::life_os();
        let tasks = d.table("tasks").unwrap();
        let v1 = cols(
            &["id", "project_id", "domain_id", "created_at", "title"],
            "text",
        );
        let v2 = cols(
            &tasks
                .columns
                .iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>(),
            "text",
        );
        let v1_all: Vec<CatalogColumn> = tasks
            .columns
            .iter()
            .filter_map(|c| match c.rule() {
                Ok(Rule::Copy(f)) => Some(f),
                _ => None,
            })
            .chain(v1.iter().map(|c| c.name.clone()))
            .map(|n| CatalogColumn {
                name: n,
                ty: "text".into(),
                builtin: true,
            })
            .collect();
        let cx = Context {
            source_schema: "public",
            target_schema: "public",
            v1: &v1_all,
            v2: &v2,
            storage_root: "/srv",
            load_xid: Some("42"),
        };
        let sql = table_sql(tasks, &cx).unwrap();
        assert!(
            sql.expected.contains(
                "PARTITION BY (t.\"project_id\" IS NULL), t.\"project_id\", \
             CASE WHEN (t.\"project_id\" IS NULL) THEN t.\"domain_id\" END \
             ORDER BY t.\"created_at\", t.\"id\""
            ),
            "{}",
            sql.expected
        );
        assert!(
            sql.expected.contains("('t')::text::text"),
            "{}",
            sql.expected
        );
        assert!(
            sql.actual
                .ends_with("a.xmin = '42'::xid FROM \"public\".\"tasks\" a ORDER BY a.\"id\""),
            "{}",
            sql.actual
        );
        assert_eq!(sql.columns.len(), tasks.columns.len());
    }

    #[test]
    fn a_missing_v1_column_is_skipped_only_when_listed_in_defaults() {
        let mut t = Description::life_os().table("domains").unwrap().clone();
        let v1 = cols(&["id", "name", "created_at"], "text");
        let v2 = cols(
            &t.columns
                .iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>(),
            "text",
        );
        let cx = Context {
            source_schema: "public",
            target_schema: "public",
            v1: &v1,
            v2: &v2,
            storage_root: "/srv",
            load_xid: None,
        };
        let e = table_sql(&t, &cx).unwrap_err();
        assert!(e.contains("has no column color"), "{e}");
        t.defaults.push("color".into());
        let sql = table_sql(&t, &cx).unwrap();
        assert_eq!(sql.not_compared, ["color"]);
    }
}
