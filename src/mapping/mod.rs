//! The mapping as data: the description format (TOML), the built-in Life OS
//! description, and the transforms it names, one per file.
//!
//! A description is compiled once per dump into `plan::TablePlan`s of column
//! indexes against each COPY header, so no row ever looks anything up by name.

pub mod apply;
pub mod check;
pub mod derive;
pub mod lines;
pub mod load;
pub mod plan;
pub mod sequence;
pub mod split;
pub mod storage_path;
pub mod timestamp;

use serde::Deserialize;

/// The built-in Life OS v1 -> v2 mapping.
pub const LIFE_OS: &str = include_str!("../../mappings/life_os.toml");
/// The Life OS v1 schema: the foreign keys to check when a dump carries no DDL.
pub const LIFE_OS_V1_SCHEMA: &str = include_str!("../../mappings/life_os_v1.sql");

/// A whole mapping: which schema it reads and how each table becomes a v2 table.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Description {
    pub name: String,
    #[serde(default = "public")]
    pub source_schema: String,
    /// The migration version the target schema must be at: the load applies
    /// the migrations up to it. Defaults to the last one.
    pub migrations_version: Option<i64>,
    /// The target schema: a folder of golang-migrate migrations, relative to
    /// the mapping file. Absent: the Life OS v2 migrations built in.
    pub target_migrations: Option<String>,
    /// The source schema's DDL (foreign keys for dumps that carry none), a
    /// file relative to the mapping file. Absent: the built-in Life OS v1
    /// schema when the target is the built-in one, nothing otherwise.
    pub source_ddl: Option<String>,
    #[serde(rename = "table")]
    pub tables: Vec<TableDesc>,
    /// Where each table and column entry is in the file, for findings.
    #[serde(skip)]
    pub lines: lines::Lines,
}

fn public() -> String {
    "public".into()
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableDesc {
    pub source: String,
    pub target: String,
    pub columns: Vec<ColumnDesc>,
    /// v1 columns that may be missing from a dump: their v2 columns are then
    /// left to the DDL default instead of refusing the dump.
    #[serde(default)]
    pub defaults: Vec<String>,
    /// v1 columns deliberately not carried over.
    #[serde(default)]
    pub ignore: Vec<String>,
    /// v2 columns (copied ones) whose content the load proves by digest
    /// before COMMIT, beside the ids every table proves.
    #[serde(default)]
    pub digest: Vec<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnDesc {
    pub name: String,
    pub copy: Option<String>,
    pub value: Option<String>,
    pub null: Option<bool>,
    pub sequence: Option<SequenceDesc>,
    pub lookup: Option<LookupDesc>,
    pub storage_path: Option<String>,
    /// The first non-NULL of these v1 columns.
    pub coalesce: Option<Vec<String>>,
    /// With `copy` or `coalesce`: the value written when they give NULL.
    pub value_if_null: Option<String>,
    /// With `copy`: each v1 value (key) becomes the value given; a value
    /// the map does not list refuses its row. NULL stays NULL.
    pub map: Option<std::collections::BTreeMap<String, String>>,
}

#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct SequenceDesc {
    #[serde(default)]
    pub scope: Vec<String>,
    #[serde(default)]
    pub fallback_scope: Vec<String>,
    pub order_by: String,
    /// Latest first (`ORDER BY ... DESC`).
    #[serde(default)]
    pub descending: bool,
    /// Where rows whose `order_by` is NULL go; PostgreSQL's default when
    /// absent: last ascending, first descending.
    pub nulls: Option<Nulls>,
}

/// Where NULLs sort, as `NULLS FIRST` / `NULLS LAST` say.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Nulls {
    First,
    Last,
}

impl SequenceDesc {
    /// Whether rows with a NULL `order_by` come first in their scope.
    pub fn nulls_first(&self) -> bool {
        match self.nulls {
            Some(n) => n == Nulls::First,
            None => self.descending,
        }
    }
}

#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct LookupDesc {
    pub key: String,
    pub table: String,
    pub column: String,
}

/// One column's rule, once the description has been checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rule {
    Copy(String),
    Value(String),
    Null,
    Sequence(SequenceDesc),
    Lookup(LookupDesc),
    StoragePath(String),
    /// The first non-NULL of the columns, else the value (None: NULL).
    Coalesce(Vec<String>, Option<String>),
    /// The column's values renamed.
    Map(String, std::collections::BTreeMap<String, String>),
}

/// What makes a description unusable, found before any dump is read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InvalidMapping {
    /// The column (named) gives none of the rules.
    NoRule(String),
    /// The column (named) gives more than one rule.
    ManyRules(String),
    /// The v1 table (named) has two entries for one target (named).
    MappedTwice(String, String),
    /// The column (named) gives a key (the first) without the rule it
    /// completes (the second).
    Needs(String, &'static str, &'static str),
    /// `table.column` looks up a table the description does not map.
    LookupNotMapped {
        table: String,
        column: String,
        lookup: String,
    },
}

impl std::fmt::Display for InvalidMapping {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InvalidMapping::NoRule(c) => write!(
                f,
                "column {c} has no rule (copy, coalesce, value, null, sequence, lookup or storage_path)"
            ),
            InvalidMapping::ManyRules(c) => write!(f, "column {c} has more than one rule"),
            InvalidMapping::Needs(c, key, with) => write!(f, "column {c}: {key} goes with {with}"),
            InvalidMapping::MappedTwice(t, to) => write!(f, "table {t} is mapped twice to {to}"),
            InvalidMapping::LookupNotMapped {
                table,
                column,
                lookup,
            } => write!(f, "{table}.{column}: lookup table {lookup} is not mapped"),
        }
    }
}

impl std::error::Error for InvalidMapping {}

impl ColumnDesc {
    /// The single rule this column names.
    pub fn rule(&self) -> Result<Rule, InvalidMapping> {
        let mut rules = Vec::new();
        match (&self.copy, &self.value_if_null, &self.map) {
            (Some(c), None, None) => rules.push(Rule::Copy(c.clone())),
            (Some(c), Some(v), None) => {
                rules.push(Rule::Coalesce(vec![c.clone()], Some(v.clone())))
            }
            (Some(c), None, Some(m)) => rules.push(Rule::Map(c.clone(), m.clone())),
            (None, _, Some(_)) => {
                return Err(InvalidMapping::Needs(self.name.clone(), "map", "copy"))
            }
            (None, Some(_), None) if self.coalesce.is_none() => {
                return Err(InvalidMapping::Needs(
                    self.name.clone(),
                    "value_if_null",
                    "copy or coalesce",
                ))
            }
            (Some(_), Some(_), Some(_)) => {
                return Err(InvalidMapping::ManyRules(self.name.clone()))
            }
            _ => {}
        }
        if let Some(cs) = &self.coalesce {
            rules.push(Rule::Coalesce(cs.clone(), self.value_if_null.clone()));
        }
        if let Some(v) = &self.value {
            rules.push(Rule::Value(v.clone()));
        }
        if self.null == Some(true) {
            rules.push(Rule::Null);
        }
        if let Some(s) = &self.sequence {
            rules.push(Rule::Sequence(s.clone()));
        }
        if let Some(l) = &self.lookup {
            rules.push(Rule::Lookup(l.clone()));
        }
        if let Some(p) = &self.storage_path {
            rules.push(Rule::StoragePath(p.clone()));
        }
        match rules.len() {
            1 => Ok(rules.pop().expect("one rule")),
            0 => Err(InvalidMapping::NoRule(self.name.clone())),
            _ => Err(InvalidMapping::ManyRules(self.name.clone())),
        }
    }
}

impl Description {
    /// Parses and checks a description's shape; the findings joined.
    pub fn parse(text: &str) -> Result<Description, String> {
        let d = Description::read(text).map_err(|e| e.to_string())?;
        let findings = check::shape(&d);
        if findings.is_empty() {
            return Ok(d);
        }
        let all: Vec<String> = findings.iter().map(|f| f.render("mapping")).collect();
        Err(all.join("\n"))
    }

    /// Reads the TOML of a description and where its parts are, without
    /// checking it.
    pub fn read(text: &str) -> Result<Description, toml::de::Error> {
        let mut d: Description = toml::from_str(text)?;
        d.lines = lines::Lines::of(text);
        Ok(d)
    }

    /// The built-in Life OS mapping.
    pub fn life_os() -> Description {
        Description::parse(LIFE_OS).expect("the built-in mapping is valid (tested)")
    }

    /// Puts the tables (and their lines) in `order`, a permutation.
    pub fn reorder(&mut self, order: &[usize]) {
        let tables = order.iter().map(|&i| self.tables[i].clone()).collect();
        self.tables = tables;
        if self.lines.tables.len() == order.len() {
            let lines = order
                .iter()
                .map(|&i| self.lines.tables[i].clone())
                .collect();
            self.lines.tables = lines;
        }
    }

    pub fn table(&self, source: &str) -> Option<&TableDesc> {
        self.tables.iter().find(|t| t.source == source)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_mapping_covers_the_eleven_v1_tables() {
        let d = Description::life_os();
        let sources: Vec<_> = d.tables.iter().map(|t| t.source.as_str()).collect();
        assert_eq!(
            sources,
            [
                "domains",
                "areas",
                "projects",
                "context_types",
                "tasks",
                "notes",
                "capture",
                "links",
                "files",
                "daily_focus",
                "reminders"
            ]
        );
        assert_eq!(d.table("links").unwrap().target, "bookmarks");
        for t in &d.tables {
            for c in &t.columns {
                c.rule().unwrap();
            }
        }
    }

    #[test]
    fn a_column_needs_exactly_one_rule() {
        let two = "name='x'\n[[table]]\nsource='a'\ntarget='a'\ncolumns=[{name='id', copy='id', null=true}]";
        assert!(Description::parse(two)
            .unwrap_err()
            .contains("more than one rule"));
        let none = "name='x'\n[[table]]\nsource='a'\ntarget='a'\ncolumns=[{name='id'}]";
        assert!(Description::parse(none).unwrap_err().contains("no rule"));
        let typo = "name='x'\n[[table]]\nsource='a'\ntarget='a'\ncolumns=[{name='id', cpy='id'}]";
        assert!(Description::parse(typo).is_err());
    }
}
