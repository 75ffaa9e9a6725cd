//! Type drift: a dump whose DDL declares a column with another type than
//! the mapping's source schema (`tasks.tags jsonb` where v1 says `text[]`).
//! Its values were written for that other type, so the load would fail or
//! mean something else; it is refused like a column the mapping lacks.
//! Types are compared by the name PostgreSQL resolves them to: pg_query
//! already turns `integer` into `int4` and `timestamp with time zone` into
//! `timestamptz`; the serial pseudo-types are their integers; modifiers
//! (`varchar(20)`) count; array dimensions do not, as in PostgreSQL.

use crate::dump::{ColumnDef, TableDef};
use crate::error::DataError;
use crate::mapping::plan::{Op, Order, TablePlan};

/// A column whose declared type differs from the expected one.
#[derive(Debug, PartialEq, Eq)]
pub struct TypeDrift {
    pub column: String,
    pub found: String,
    pub expected: String,
    /// Where the column's definition starts in the dump.
    pub at: Option<usize>,
}

/// The type as PostgreSQL resolves it, for comparing and for messages.
pub fn resolved(c: &ColumnDef) -> String {
    let (base, array) = match c.type_name.strip_suffix("[]") {
        Some(b) => (b, "[]"),
        None => (c.type_name.as_str(), ""),
    };
    let base = match base {
        "serial" | "serial4" => "int4",
        "bigserial" | "serial8" => "int8",
        "smallserial" | "serial2" => "int2",
        b => b,
    };
    let mods = if c.typmods.is_empty() {
        String::new()
    } else {
        let m: Vec<String> = c.typmods.iter().map(i64::to_string).collect();
        format!("({})", m.join(","))
    };
    format!("{base}{mods}{array}")
}

/// The columns the plan reads whose type in the dump's DDL (`dump`) is not
/// the one in the mapping's source DDL (`expected`).
pub fn drift(plan: &TablePlan, dump: &TableDef, expected: &TableDef) -> Vec<TypeDrift> {
    columns(&read_columns(plan), dump, expected)
}

/// The dump columns whose values the plan reads (an ignored or dropped
/// column's type does not matter).
fn read_columns(plan: &TablePlan) -> Vec<String> {
    let mut fields: Vec<usize> = plan
        .ops
        .iter()
        .flat_map(|op| match op {
            Op::Field(i) | Op::Lookup(i) | Op::StoragePath(i) => vec![*i],
            Op::Coalesce(c) => c.fields.clone(),
            Op::Map(m) => vec![m.field],
            _ => Vec::new(),
        })
        .chain(plan.uuid_fields.iter().copied())
        .chain(plan.id)
        .collect();
    if let Some(Order::Instant(i)) = plan.sequence.as_ref().map(|s| s.order.clone()) {
        fields.push(i);
    }
    fields.sort_unstable();
    fields.dedup();
    fields
        .into_iter()
        .map(|i| plan.input_columns[i].clone())
        .collect()
}

/// The drift of the columns named `names`.
pub fn columns(names: &[String], dump: &TableDef, expected: &TableDef) -> Vec<TypeDrift> {
    let mut out = Vec::new();
    for col in names {
        let found = dump.columns.iter().find(|c| c.name == *col);
        let want = expected.columns.iter().find(|c| c.name == *col);
        let (Some(found), Some(want)) = (found, want) else {
            continue;
        };
        let (f, w) = (resolved(found), resolved(want));
        if f != w {
            out.push(TypeDrift {
                column: col.clone(),
                found: f,
                expected: w,
                at: dump.at.map(|a| a + found.at),
            });
        }
    }
    out
}

/// The drift of one table as errors at each column's definition in the dump.
pub fn refuse(
    plan: &TablePlan,
    dump: Option<&TableDef>,
    expected: Option<&TableDef>,
    table: &str,
) -> Vec<DataError> {
    let (Some(dump), Some(expected)) = (dump, expected) else {
        return Vec::new();
    };
    drift(plan, dump, expected)
        .into_iter()
        .map(|d| {
            let e = DataError::new(format!(
                "type drift: the dump declares {} as {}, the mapping's source schema as {}; \
                 its values were written for another type than the mapping expects \
                 (restore the dump into a database with the expected type, or use a mapping \
                 whose source_ddl declares {})",
                d.column, d.found, d.expected, d.found
            ))
            .table(table)
            .column(d.column);
            match d.at {
                Some(at) => e.at(at),
                None => e,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dump::Catalog;
    use crate::dump::TableName;

    fn table(sql: &str) -> TableDef {
        let c = Catalog::from_sql(sql).unwrap();
        c.get(&TableName::new("public", "t")).unwrap().clone()
    }

    fn plan(cols: &[&str]) -> TablePlan {
        let d = crate::mapping::Description::life_os();
        let mut p = crate::mapping::plan::compile(
            d.table("context_types").unwrap(),
            &["id", "value", "label", "is_system"].map(String::from),
            &[],
        )
        .unwrap();
        p.input_columns = cols.iter().map(|c| c.to_string()).collect();
        p.ops = (0..cols.len()).map(Op::Field).collect();
        p
    }

    #[test]
    fn spellings_of_one_type_are_not_drift() {
        let a = table(
            "CREATE TABLE t (a integer, b timestamp with time zone, c character varying(20), \
             d text[], e bigserial, f \"numeric\"(10,2), g boolean);",
        );
        let b = table(
            "CREATE TABLE public.t (a int4, b timestamptz, c varchar(20), d text[][], e bigint, \
             f numeric(10, 2), g bool);",
        );
        let p = plan(&["a", "b", "c", "d", "e", "f", "g"]);
        assert_eq!(drift(&p, &a, &b), vec![]);
    }

    #[test]
    fn another_type_or_modifier_is_drift() {
        let dump = table("CREATE TABLE t (\n  tags jsonb,\n  v varchar(30),\n  n int8\n);");
        let want = table("CREATE TABLE t (tags text[], v varchar(20), n int4);");
        let got = drift(&plan(&["tags", "v", "n"]), &dump, &want);
        let cols: Vec<(&str, &str, &str)> = got
            .iter()
            .map(|d| (d.column.as_str(), d.found.as_str(), d.expected.as_str()))
            .collect();
        assert_eq!(
            cols,
            vec![
                ("tags", "jsonb", "text[]"),
                ("v", "varchar(30)", "varchar(20)"),
                ("n", "int8", "int4")
            ]
        );
        assert_eq!(got[0].at, Some(19));
        let mut only_tags = plan(&["tags", "v", "n"]);
        only_tags.ops.truncate(1);
        let read = drift(&only_tags, &dump, &want);
        assert_eq!(read.len(), 1, "an unread column's type does not matter");
    }
}
