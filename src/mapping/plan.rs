//! Compiling a table's description against the column list of its COPY
//! header: every rule becomes an index-based `Op`, once per dump.

use std::collections::HashMap;

use super::derive::{Coalesce, ValueMap};
use super::sequence::MAX_SCOPE;
use super::{ColumnDesc, Rule, SequenceDesc, TableDesc};
use crate::copy::codec;

/// What one output field is made of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Op {
    /// The raw bytes of input field N, untouched.
    Field(usize),
    /// Fixed bytes, already COPY-encoded (`\N` for NULL).
    Const(Vec<u8>),
    /// This row's sequential sort order.
    Sequence,
    /// The value found by looking up input field N in the lookup index.
    Lookup(usize),
    /// Input field N rewritten as a storage path.
    StoragePath(usize),
    /// The first non-NULL of some input fields, else a constant.
    Coalesce(Box<Coalesce>),
    /// Input field N's value renamed.
    Map(Box<ValueMap>),
}

/// How to order a sequence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Order {
    /// By the instant of this timestamptz field, ties by id.
    Instant(usize),
    /// In the order rows appear in the dump.
    Dump,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SequencePlan {
    pub scope: Vec<usize>,
    pub fallback: Vec<usize>,
    pub order: Order,
    /// Latest first.
    pub descending: bool,
    /// Rows whose instant is NULL come first (else last).
    pub nulls_first: bool,
}

impl SequencePlan {
    /// The number a row's instant (`None`: NULL) sorts by, ascending: the
    /// direction and the place of NULLs folded in. PostgreSQL's instants
    /// stay far inside i64 (±infinity aside), so the infinities move one
    /// step in and NULL takes the very end.
    pub fn instant_key(&self, instant: Option<i64>) -> i64 {
        let Some(t) = instant else {
            return if self.nulls_first { i64::MIN } else { i64::MAX };
        };
        let t = if self.descending { !t } else { t };
        t.clamp(i64::MIN + 1, i64::MAX - 1)
    }
}

/// A lookup this table makes into another table's index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LookupPlan {
    pub key: usize,
    /// The source table looked up (its plan must provide the index).
    pub table: String,
    pub column: String,
}

/// A table's compiled plan.
#[derive(Clone, Debug)]
pub struct TablePlan {
    pub source: String,
    pub target: String,
    /// v2 columns written, in COPY order.
    pub columns: Vec<String>,
    pub ops: Vec<Op>,
    /// The input's field count per row.
    pub width: usize,
    pub input_columns: Vec<String>,
    pub id: Option<usize>,
    pub sequence: Option<SequencePlan>,
    pub lookup: Option<LookupPlan>,
    /// Set when another table looks up `column` of this one by id: the field
    /// whose value the index holds.
    pub provides: Option<usize>,
    /// Fields interpreted as UUIDs (keys and scopes): checked before output.
    pub uuid_fields: Vec<usize>,
    /// (v2 column, input field) pairs whose content is proven by digest.
    pub digests: Vec<(String, usize)>,
}

impl TablePlan {
    pub fn field(&self, name: &str) -> Option<usize> {
        self.input_columns.iter().position(|c| c == name)
    }

    /// Whether anything in the plan reads input field `f`.
    pub fn reads(&self, f: usize) -> bool {
        let in_op = self.ops.iter().any(|op| match op {
            Op::Field(i) | Op::Lookup(i) | Op::StoragePath(i) => *i == f,
            Op::Coalesce(c) => c.fields.contains(&f),
            Op::Map(m) => m.field == f,
            Op::Const(_) | Op::Sequence => false,
        });
        let in_sequence = self.sequence.as_ref().is_some_and(|s| {
            s.scope.contains(&f) || s.fallback.contains(&f) || s.order == Order::Instant(f)
        });
        in_op || in_sequence || self.id == Some(f) || self.uuid_fields.contains(&f)
    }
}

/// Why a table cannot be compiled.
#[derive(Debug, PartialEq, Eq)]
pub enum PlanError {
    /// A v1 column the mapping needs is not in the dump.
    Missing(String),
    /// A v1 column in the dump that the mapping would drop.
    Unmapped(String),
    Invalid(String),
}

/// Compiles `desc` against `columns`, the dump's column list for the table.
/// `allow_drop` names v1 columns the user agreed to lose.
pub fn compile(
    desc: &TableDesc,
    columns: &[String],
    allow_drop: &[String],
) -> Result<TablePlan, Vec<PlanError>> {
    let mut c = Compiler::new(desc, columns);
    for col in &desc.columns {
        if let Some(op) = c.op(col) {
            c.plan.columns.push(col.name.clone());
            c.plan.ops.push(op);
        }
    }
    c.unmapped(columns, allow_drop);
    c.digests();
    if c.errors.is_empty() {
        Ok(c.plan)
    } else {
        Err(c.errors)
    }
}

/// One table's compilation under way: the plan so far, which input fields
/// are used, and the problems found (all of them, in rule order).
struct Compiler<'a> {
    desc: &'a TableDesc,
    index: HashMap<&'a str, usize>,
    used: Vec<bool>,
    errors: Vec<PlanError>,
    plan: TablePlan,
}

impl<'a> Compiler<'a> {
    fn new(desc: &'a TableDesc, columns: &'a [String]) -> Self {
        let index: HashMap<&str, usize> = columns
            .iter()
            .enumerate()
            .map(|(i, c)| (c.as_str(), i))
            .collect();
        let plan = TablePlan {
            source: desc.source.clone(),
            target: desc.target.clone(),
            columns: Vec::new(),
            ops: Vec::new(),
            width: columns.len(),
            input_columns: columns.to_vec(),
            id: index.get("id").copied(),
            sequence: None,
            lookup: None,
            provides: None,
            uuid_fields: Vec::new(),
            digests: Vec::new(),
        };
        Compiler {
            desc,
            index,
            used: vec![false; columns.len()],
            errors: Vec::new(),
            plan,
        }
    }

    /// The input field of v1 column `name`, marked used; a missing column is
    /// an error (once) unless the table gives it a default.
    fn need(&mut self, name: &str) -> Option<usize> {
        if let Some(&i) = self.index.get(name) {
            self.used[i] = true;
            return Some(i);
        }
        let missing = PlanError::Missing(name.to_string());
        if !self.desc.defaults.iter().any(|d| d == name) && !self.errors.contains(&missing) {
            self.errors.push(missing);
        }
        None
    }

    /// The op for one v2 column; `None` when its rule cannot be compiled.
    fn op(&mut self, col: &ColumnDesc) -> Option<Op> {
        let rule = match col.rule() {
            Ok(r) => r,
            Err(e) => {
                self.errors.push(PlanError::Invalid(e.to_string()));
                return None;
            }
        };
        Some(match rule {
            Rule::Copy(c) => Op::Field(self.need(&c)?),
            Rule::Value(v) => {
                let mut enc = Vec::new();
                codec::encode_into(v.as_bytes(), &mut enc);
                Op::Const(enc)
            }
            Rule::Null => Op::Const(codec::NULL.to_vec()),
            Rule::StoragePath(c) => Op::StoragePath(self.need(&c)?),
            Rule::Lookup(l) => {
                let i = self.need(&l.key)?;
                self.plan.uuid_fields.push(i);
                self.plan.lookup = Some(LookupPlan {
                    key: i,
                    table: l.table,
                    column: l.column,
                });
                Op::Lookup(i)
            }
            Rule::Sequence(s) => return self.sequence(&col.name, &s),
            Rule::Coalesce(columns, otherwise) => {
                let fields: Vec<usize> = columns.iter().filter_map(|c| self.need(c)).collect();
                if fields.len() < columns.len() {
                    return None;
                }
                let otherwise = match otherwise {
                    Some(v) => {
                        let mut enc = Vec::new();
                        codec::encode_into(v.as_bytes(), &mut enc);
                        enc
                    }
                    None => codec::NULL.to_vec(),
                };
                Op::Coalesce(Box::new(Coalesce { fields, otherwise }))
            }
            Rule::Map(c, map) => {
                let i = self.need(&c)?;
                Op::Map(Box::new(ValueMap::new(
                    i,
                    map.iter().map(|(a, b)| (a.as_str(), b.as_str())),
                )))
            }
        })
    }

    fn sequence(&mut self, name: &str, s: &SequenceDesc) -> Option<Op> {
        if s.scope.len() > MAX_SCOPE || s.fallback_scope.len() > MAX_SCOPE {
            self.errors.push(PlanError::Invalid(format!(
                "{name}: a sequence scope has at most {MAX_SCOPE} columns"
            )));
            return None;
        }
        let scope: Vec<usize> = s.scope.iter().filter_map(|n| self.need(n)).collect();
        let fallback: Vec<usize> = s
            .fallback_scope
            .iter()
            .filter_map(|n| self.need(n))
            .collect();
        self.plan.uuid_fields.extend(scope.iter().chain(&fallback));
        let order = if s.order_by == "dump" {
            Order::Dump
        } else {
            Order::Instant(self.need(&s.order_by)?)
        };
        if matches!(order, Order::Instant(_)) && self.plan.id.is_none() {
            self.errors.push(PlanError::Missing("id".into()));
        }
        self.plan.sequence = Some(SequencePlan {
            scope,
            fallback,
            order,
            descending: s.descending,
            nulls_first: s.nulls_first(),
        });
        Some(Op::Sequence)
    }

    /// Marks the id used and reports every input column nothing reads and
    /// nobody agreed to drop.
    fn unmapped(&mut self, columns: &[String], allow_drop: &[String]) {
        if let Some(i) = self.plan.id {
            self.used[i] = true;
            self.plan.uuid_fields.push(i);
        }
        for (i, c) in columns.iter().enumerate() {
            let dropped = self.desc.ignore.contains(c) || allow_drop.contains(c);
            if !self.used[i] && !dropped {
                self.errors.push(PlanError::Unmapped(c.clone()));
            }
        }
        self.plan.uuid_fields.sort_unstable();
        self.plan.uuid_fields.dedup();
    }

    /// The columns whose content is proven by digest: copied, in a table with id.
    fn digests(&mut self) {
        let plan = &mut self.plan;
        for name in &self.desc.digest {
            match plan
                .columns
                .iter()
                .position(|c| c == name)
                .map(|k| &plan.ops[k])
            {
                Some(Op::Field(i)) if plan.id.is_some() => plan.digests.push((name.clone(), *i)),
                _ => self.errors.push(PlanError::Invalid(format!(
                    "digest column {name} must be a copied column of a table with id"
                ))),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mapping::Description;

    fn cols(s: &str) -> Vec<String> {
        s.split(',').map(str::to_string).collect()
    }

    #[test]
    fn columns_are_matched_by_name_not_position() {
        let d = Description::life_os();
        let t = d.table("reminders").unwrap();
        let plan = compile(
            t,
            &cols("note,created_at,id,task_id,is_sent,remind_at"),
            &[],
        )
        .unwrap();
        assert_eq!(
            plan.columns[..4],
            ["id", "entity_type", "entity_id", "remind_at"]
        );
        assert_eq!(plan.ops[0], Op::Field(2));
        assert_eq!(plan.ops[1], Op::Const(b"task".to_vec()));
        assert_eq!(plan.ops[2], Op::Field(3));
        assert_eq!(plan.ops[3], Op::Field(5));
        assert_eq!(plan.ops[6], Op::Const(b"\\N".to_vec()));
    }

    #[test]
    fn missing_and_unmapped_columns_are_reported_by_name() {
        let d = Description::life_os();
        let t = d.table("domains").unwrap();
        let errs = compile(t, &cols("id,name,created_at,secret"), &[]).unwrap_err();
        assert_eq!(
            errs,
            vec![
                PlanError::Missing("color".into()),
                PlanError::Unmapped("secret".into())
            ]
        );
        let errs = compile(
            t,
            &cols("id,name,color,created_at,secret"),
            &["secret".into()],
        );
        assert!(errs.is_ok());
    }

    #[test]
    fn instants_sort_with_nulls_where_postgresql_puts_them() {
        let mut s = SequencePlan {
            scope: vec![],
            fallback: vec![],
            order: Order::Instant(0),
            descending: false,
            nulls_first: false,
        };
        let keys = |s: &SequencePlan| {
            let all = [
                Some(i64::MIN),
                Some(-5),
                Some(0),
                Some(7),
                Some(i64::MAX),
                None,
            ];
            let mut v: Vec<(i64, Option<i64>)> =
                all.iter().map(|&t| (s.instant_key(t), t)).collect();
            v.sort();
            v.into_iter().map(|p| p.1).collect::<Vec<_>>()
        };
        // ORDER BY t: -infinity first, then infinity, then NULLs.
        assert_eq!(
            keys(&s),
            [
                Some(i64::MIN),
                Some(-5),
                Some(0),
                Some(7),
                Some(i64::MAX),
                None
            ]
        );
        s.nulls_first = true;
        assert_eq!(
            keys(&s),
            [
                None,
                Some(i64::MIN),
                Some(-5),
                Some(0),
                Some(7),
                Some(i64::MAX)
            ]
        );
        // ORDER BY t DESC (NULLS FIRST, PostgreSQL's default for DESC).
        s.descending = true;
        assert_eq!(
            keys(&s),
            [
                None,
                Some(i64::MAX),
                Some(7),
                Some(0),
                Some(-5),
                Some(i64::MIN)
            ]
        );
        s.nulls_first = false;
        assert_eq!(
            keys(&s),
            [
                Some(i64::MAX),
                Some(7),
                Some(0),
                Some(-5),
                Some(i64::MIN),
                None
            ]
        );
    }

    #[test]
    fn descending_puts_nulls_first_unless_told_otherwise() {
        let seq = |extra: &str| {
            let text = format!("name='x'\n[[table]]\nsource='a'\ntarget='a'\ncolumns=[{{name='s', sequence={{order_by='t'{extra}}}}}]");
            let d = Description::parse(&text).unwrap();
            let plan = compile(&d.tables[0], &cols("id,t"), &[]).unwrap();
            let s = plan.sequence.unwrap();
            (s.descending, s.nulls_first)
        };
        assert_eq!(seq(""), (false, false));
        assert_eq!(seq(", nulls='first'"), (false, true));
        assert_eq!(seq(", descending=true"), (true, true));
        assert_eq!(seq(", descending=true, nulls='last'"), (true, false));
    }

    #[test]
    fn tasks_sequence_has_a_fallback_scope() {
        let d = Description::life_os();
        let t = d.table("tasks").unwrap();
        let c = cols("id,domain_id,project_id,parent_id,title,description,priority,status,due_date,deadline,recurrence,tags,context,is_custom_context,created_at,updated_at,completed_at");
        let plan = compile(t, &c, &[]).unwrap();
        let s = plan.sequence.unwrap();
        assert_eq!(s.scope, vec![2]);
        assert_eq!(s.fallback, vec![1]);
        assert_eq!(s.order, Order::Instant(14));
        assert_eq!(plan.uuid_fields, vec![0, 1, 2]);
    }
}
