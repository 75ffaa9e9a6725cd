//! What a migration did, as data: per table the rows read and written and
//! where each v2 column's values came from (copied, generated, derived, set,
//! left to the DDL default), the staged files checked and copied, the tables
//! ignored and the warnings. Rendered as text for the summary on stderr and
//! as JSON for `--report FILE`; the README documents the JSON fields.

use serde::Serialize;

use crate::copy::codec;
pub use crate::files::copy::{Action, CopiedObject};
use crate::mapping::plan::{Op, Order, TablePlan};

/// The run's outcome, filled in by `migrate::run`.
#[derive(Debug, Default, Serialize)]
pub struct Summary {
    /// Mapped tables, in load order.
    pub tables: Vec<TableSummary>,
    /// Tables of the dump the mapping does not cover, and statements on them.
    pub ignored: Vec<Ignored>,
    /// Mapped tables the dump holds no data for, accepted with
    /// `--allow-empty`: their v2 tables stay empty.
    pub allowed_empty: Vec<String>,
    /// Present when `--files-dir` was given.
    pub files: Option<FilesSummary>,
    /// v1 columns whose data was not carried over, accepted with
    /// `--allow-drop` (`public.posts.updated_at`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dropped: Vec<String>,
    pub warnings: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct TableSummary {
    /// The v1 table, schema-qualified (`public.links`).
    pub source: String,
    /// The v2 table it loads (`bookmarks`).
    pub target: String,
    /// Rows read from the dump.
    pub rows_in: u64,
    /// Rows written to the load file's COPY block.
    pub rows_out: u64,
    /// Every v2 column the load writes, in COPY order.
    pub columns: Vec<Column>,
    /// v2 columns the load leaves to their DDL default.
    pub defaults: Vec<String>,
}

/// One written v2 column and where its values come from.
#[derive(Debug, PartialEq, Eq, Serialize)]
pub struct Column {
    pub name: String,
    pub origin: Origin,
    /// The v1 column read, for `copied` and `derived` columns.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// The constant, for `set` columns; `null` for SQL NULL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Option<String>>,
    /// How a `generated` or `derived` value is made.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// The v1 value of the column of the same name, unchanged.
    Copied,
    /// Made from other values: another column's value, a lookup, a storage path.
    Derived,
    /// Numbered by dumpshift (sequential `sort_order`).
    Generated,
    /// The same constant for every row.
    Set,
}

#[derive(Debug, Serialize)]
pub struct Ignored {
    pub table: String,
    /// How much data it holds, e.g. `3 rows` or `2 INSERT statements`, or
    /// the statements psql would run on it (`1 UPDATE statement`).
    pub data: String,
}

/// `--files-dir` and `--copy-files-to`.
#[derive(Debug, Default, Serialize)]
pub struct FilesSummary {
    /// The v1 table whose rows name the objects.
    pub table: String,
    /// The staged bucket directory.
    pub files_dir: String,
    /// Objects checked: each exists, with the size its row states.
    pub checked: u64,
    /// Present with `--copy-files-to`.
    pub copy: Option<CopySummary>,
}

#[derive(Debug, Default, Serialize)]
pub struct CopySummary {
    pub destination: String,
    /// Objects copied by this run.
    pub copied: u64,
    /// Objects already at their destination with the same content.
    pub present: u64,
    pub objects: Vec<CopiedObject>,
}

/// The JSON document `--report FILE` writes.
#[derive(Debug, Serialize)]
pub struct RunReport<'a> {
    /// dumpshift's version.
    pub dumpshift: &'a str,
    pub input: String,
    pub output: String,
    pub mapping: &'a str,
    /// The v2 schema version the load creates (or, with `data_only`, requires).
    pub schema_version: i64,
    pub data_only: bool,
    /// Absent when the mapping writes no storage path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub storage_root: Option<&'a str>,
    pub rows_in: u64,
    pub rows_out: u64,
    #[serde(flatten)]
    pub summary: &'a Summary,
}

/// What the report says about the run besides its summary: plain data,
/// filled in by whoever ran it (see `migrate::Options::run_facts`).
#[derive(Debug)]
pub struct RunFacts<'a> {
    pub input: String,
    pub output: String,
    /// The mapping's name.
    pub mapping: &'a str,
    /// The v2 schema version the load creates (or, with `data_only`, requires).
    pub schema_version: i64,
    pub data_only: bool,
    /// `None` when the mapping writes no storage path.
    pub storage_root: Option<&'a str>,
}

impl<'a> RunReport<'a> {
    pub fn new(run: RunFacts<'a>, summary: &'a Summary) -> RunReport<'a> {
        RunReport {
            dumpshift: env!("CARGO_PKG_VERSION"),
            input: run.input,
            output: run.output,
            mapping: run.mapping,
            schema_version: run.schema_version,
            data_only: run.data_only,
            storage_root: run.storage_root,
            rows_in: summary.tables.iter().map(|t| t.rows_in).sum(),
            rows_out: summary.tables.iter().map(|t| t.rows_out).sum(),
            summary,
        }
    }

    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("the report serializes");
        s.push('\n');
        s
    }
}

/// Where each written column of `plan` comes from, and which of the v2
/// table's `v2_columns` are left to their defaults.
pub fn columns(plan: &TablePlan, v2_columns: &[String]) -> (Vec<Column>, Vec<String>) {
    let written = plan
        .columns
        .iter()
        .zip(&plan.ops)
        .map(|(name, op)| column(plan, name, op))
        .collect();
    let defaults = v2_columns
        .iter()
        .filter(|c| !plan.columns.contains(c))
        .cloned()
        .collect();
    (written, defaults)
}

fn column(plan: &TablePlan, name: &str, op: &Op) -> Column {
    let input = |i: &usize| plan.input_columns.get(*i).cloned();
    let mut c = Column {
        name: name.to_string(),
        origin: Origin::Derived,
        from: None,
        value: None,
        rule: None,
    };
    match op {
        Op::Field(i) => {
            c.from = input(i);
            if c.from.as_deref() == Some(name) {
                c.origin = Origin::Copied;
            } else {
                c.rule = c.from.as_ref().map(|f| format!("the value of {f}"));
            }
        }
        Op::Const(raw) => {
            c.origin = Origin::Set;
            c.value = Some(codec::decode(raw).map(|v| String::from_utf8_lossy(&v).into_owned()));
        }
        Op::Sequence => {
            c.origin = Origin::Generated;
            c.rule = Some(sequence_rule(plan));
        }
        Op::Lookup(i) => {
            c.from = input(i);
            c.rule = plan.lookup.as_ref().map(|l| {
                format!(
                    "{}.{} of the row whose id is {}",
                    l.table,
                    l.column,
                    c.from.as_deref().unwrap_or("?")
                )
            });
        }
        Op::Coalesce(k) => {
            let names: Vec<String> = k.fields.iter().filter_map(input).collect();
            let otherwise = codec::decode(&k.otherwise).map_or("NULL".to_string(), |v| {
                format!("{:?}", String::from_utf8_lossy(&v))
            });
            c.from = names.first().cloned();
            c.rule = Some(format!(
                "the first non-NULL of {}, else {otherwise}",
                names.join(", ")
            ));
        }
        Op::Map(m) => {
            c.from = input(&m.field);
            let pairs: Vec<String> = m
                .pairs
                .iter()
                .map(|(a, b)| {
                    format!(
                        "{} -> {}",
                        crate::copy::show::value(a),
                        crate::copy::show::value(b)
                    )
                })
                .collect();
            c.rule = Some(format!(
                "{} mapped: {}",
                c.from.as_deref().unwrap_or("?"),
                pairs.join(", ")
            ));
        }
        Op::StoragePath(i) => {
            c.from = input(i);
            c.rule = Some(format!(
                "<storage root>/<bucket key of {}>",
                c.from.as_deref().unwrap_or("?")
            ));
        }
    }
    c
}

fn sequence_rule(plan: &TablePlan) -> String {
    let Some(s) = &plan.sequence else {
        return "10, 20, 30 …".to_string();
    };
    let names = |fields: &[usize]| {
        fields
            .iter()
            .filter_map(|i| plan.input_columns.get(*i).map(String::as_str))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut rule = "10, 20, 30 …".to_string();
    if s.scope.is_empty() {
        rule.push_str(" over all rows");
    } else {
        rule.push_str(&format!(" per {}", names(&s.scope)));
        if !s.fallback.is_empty() {
            rule.push_str(&format!(" (rows without one: per {})", names(&s.fallback)));
        }
    }
    match s.order {
        Order::Instant(i) => {
            // The defaults (ascending, NULLs last) are left unsaid.
            let direction = match (s.descending, s.nulls_first) {
                (false, false) => "",
                (false, true) => " (NULLs first)",
                (true, true) => " descending (NULLs first)",
                (true, false) => " descending (NULLs last)",
            };
            rule.push_str(&format!(
                ", in order of {}{direction}, ties by id",
                names(&[i])
            ))
        }
        Order::Dump => rule.push_str(", in dump order"),
    }
    rule
}

/// The summary as the lines printed on stderr after a run.
pub fn render_text(output: &str, s: &Summary) -> String {
    let rows_in: u64 = s.tables.iter().map(|t| t.rows_in).sum();
    let rows_out: u64 = s.tables.iter().map(|t| t.rows_out).sum();
    let mut out = format!(
        "dumpshift: wrote {output}: {} tables, {rows_in} rows in -> {rows_out} rows out\n",
        s.tables.len()
    );
    for t in &s.tables {
        out.push_str(&format!(
            "  {:<22} -> {:<16} {:>9} -> {:>9} rows\n",
            t.source, t.target, t.rows_in, t.rows_out
        ));
        for (label, origin) in [
            ("generated", Origin::Generated),
            ("derived", Origin::Derived),
        ] {
            let parts: Vec<String> = t
                .columns
                .iter()
                .filter(|c| c.origin == origin)
                .map(|c| format!("{} ({})", c.name, c.rule.as_deref().unwrap_or("")))
                .collect();
            if !parts.is_empty() {
                out.push_str(&format!("      {label}: {}\n", parts.join("; ")));
            }
        }
    }
    if let Some(f) = &s.files {
        out.push_str(&files_text(f));
    }
    for i in &s.ignored {
        out.push_str(&format!(
            "  ignored: {} ({}; not part of the mapping)\n",
            i.table, i.data
        ));
    }
    for t in &s.allowed_empty {
        out.push_str(&format!(
            "  empty: {t} (no data in the dump; accepted with --allow-empty)\n"
        ));
    }
    for d in &s.dropped {
        out.push_str(&format!(
            "  dropped: {d} (its data is not carried over; accepted with --allow-drop)\n"
        ));
    }
    for w in &s.warnings {
        out.push_str(&format!("  warning: {w}\n"));
    }
    out
}

fn files_text(f: &FilesSummary) -> String {
    let mut out = format!(
        "  files: {} objects named by {} found in {}, sizes as recorded\n",
        f.checked, f.table, f.files_dir
    );
    if let Some(c) = &f.copy {
        out.push_str(&format!(
            "  files: {} copied to {}, {} already there with the same content\n",
            c.copied, c.destination, c.present
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mapping::{plan, Description};

    fn plan_of(table: &str, cols: &str) -> TablePlan {
        let d = Description::life_os();
        let cols: Vec<String> = cols.split(',').map(str::to_string).collect();
        plan::compile(d.table(table).unwrap(), &cols, &[]).unwrap()
    }

    #[test]
    fn every_written_column_has_its_origin() {
        let p = plan_of(
            "daily_focus",
            "id,focus_date,task_id,slot,completed,note,created_at",
        );
        let v2: Vec<String> = p.columns.iter().cloned().chain(["extra".into()]).collect();
        let (cols, defaults) = columns(&p, &v2);
        let find = |n: &str| cols.iter().find(|c| c.name == n).unwrap();
        assert_eq!(find("id").origin, Origin::Copied);
        let domain = find("domain_id");
        assert_eq!(domain.origin, Origin::Derived);
        assert_eq!(domain.from.as_deref(), Some("task_id"));
        assert_eq!(
            domain.rule.as_deref(),
            Some("tasks.domain_id of the row whose id is task_id")
        );
        let updated = find("updated_at");
        assert_eq!(updated.origin, Origin::Derived);
        assert_eq!(updated.from.as_deref(), Some("created_at"));
        assert_eq!(find("is_active").value, Some(Some("t".to_string())));
        assert_eq!(defaults, vec!["extra".to_string()]);
    }

    #[test]
    fn sequences_say_their_scope_and_order() {
        let p = plan_of("tasks", "id,domain_id,project_id,parent_id,title,description,priority,status,due_date,deadline,recurrence,tags,context,is_custom_context,created_at,updated_at,completed_at");
        let (cols, _) = columns(&p, &[]);
        let sort = cols.iter().find(|c| c.name == "sort_order").unwrap();
        assert_eq!(sort.origin, Origin::Generated);
        assert_eq!(
            sort.rule.as_deref(),
            Some("10, 20, 30 … per project_id (rows without one: per domain_id), in order of created_at, ties by id")
        );
        let nulls: Vec<&str> = cols
            .iter()
            .filter(|c| c.value == Some(None))
            .map(|c| c.name.as_str())
            .collect();
        assert!(nulls.contains(&"assigned_to"), "{nulls:?}");
    }
}
