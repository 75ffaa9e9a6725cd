//! The v2 target's PRIMARY KEYs, UNIQUE constraints and unique indexes,
//! checked over the values the load will write: copied fields, constants,
//! and the DDL default of columns the mapping leaves out. Each row's key is
//! normalised the way PostgreSQL compares it (a UUID in any case, `007` and
//! `7` as integers, a timestamptz at any offset, `char(n)` without trailing
//! blanks) and hashed to a u64; the check pass keeps `(hash, row)` pairs,
//! sorts them, and re-reads only rows whose hashes meet to compare their
//! keys in full. A key with a NULL never conflicts, unless the constraint
//! says NULLS NOT DISTINCT.

use std::hash::BuildHasher;

use crate::copy::codec;
use crate::dump::{ColumnDefault, TableDef, UniqueKey};
use crate::mapping::plan::{Op, TablePlan};
use crate::mapping::timestamp;

/// How a key field's text becomes the bytes that compare like PostgreSQL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Norm {
    Uuid,
    Int,
    Date,
    Timestamptz,
    Bool,
    /// `char(n)`: trailing blanks do not count.
    Bpchar,
    /// Text and every other type: the decoded bytes.
    Bytes,
}

fn norm(type_name: &str) -> Norm {
    match type_name {
        "uuid" => Norm::Uuid,
        "int2" | "int4" | "int8" => Norm::Int,
        "date" => Norm::Date,
        "timestamptz" => Norm::Timestamptz,
        "bool" => Norm::Bool,
        "bpchar" => Norm::Bpchar,
        _ => Norm::Bytes,
    }
}

/// One v2 unique key, compiled against a table's plan.
#[derive(Clone, Debug)]
pub struct UniqueCheck {
    /// The constraint's v2 columns, for messages.
    pub columns: Vec<String>,
    /// The input fields whose values vary from row to row, with their v2
    /// column names; the key's other columns hold one value in every row.
    parts: Vec<(usize, Norm, String)>,
    nulls_not_distinct: bool,
}

/// The unique keys of `v2` that the plan's rows can be checked against.
/// Left out: the single `id` key (the key checks test it), and keys with a
/// column whose value is not known offline (a sequence, a lookup, a storage
/// path, a volatile default) or is NULL in every row.
pub fn compile(plan: &TablePlan, v2: &TableDef) -> Vec<UniqueCheck> {
    let primary = (!v2.primary_key.is_empty()).then(|| UniqueKey {
        columns: v2.primary_key.clone(),
        nulls_not_distinct: false,
    });
    primary
        .iter()
        .chain(&v2.uniques)
        .filter_map(|k| compile_key(plan, v2, k))
        .collect()
}

fn compile_key(plan: &TablePlan, v2: &TableDef, key: &UniqueKey) -> Option<UniqueCheck> {
    let op_of = |col: &str| {
        let k = plan.columns.iter().position(|c| c == col)?;
        Some(&plan.ops[k])
    };
    if key.columns.len() == 1
        && plan.id.is_some()
        && op_of(&key.columns[0]) == plan.id.map(Op::Field).as_ref()
    {
        return None;
    }
    let mut parts = Vec::new();
    for col in &key.columns {
        let def = v2.columns.iter().find(|c| c.name == *col)?;
        let null = match op_of(col) {
            Some(Op::Field(i)) => {
                parts.push((*i, norm(&def.type_name), col.clone()));
                false
            }
            Some(Op::Const(v)) => codec::is_null(v),
            Some(_) => return None,
            None if def.generated => return None,
            None => match &def.default {
                None => true,
                Some(ColumnDefault::Const(_)) => false,
                Some(ColumnDefault::Expr) => return None,
            },
        };
        if null && !key.nulls_not_distinct {
            return None;
        }
    }
    Some(UniqueCheck {
        columns: key.columns.clone(),
        parts,
        nulls_not_distinct: key.nulls_not_distinct,
    })
}

impl UniqueCheck {
    /// Writes the row's key, normalised, into `out`. `false` when the row
    /// cannot conflict (a NULL in the key) or a value does not parse (the
    /// value checks report it).
    pub fn key(&self, fields: &[&[u8]], out: &mut Vec<u8>) -> bool {
        out.clear();
        for &(f, n, _) in &self.parts {
            let raw = fields[f];
            if codec::is_null(raw) {
                if !self.nulls_not_distinct {
                    return false;
                }
                out.push(0);
                continue;
            }
            out.push(1);
            if !push_value(raw, n, out) {
                return false;
            }
        }
        true
    }

    /// The key's hash, from the bytes `key` wrote.
    pub fn hash(key: &[u8]) -> u64 {
        foldhash::fast::FixedState::with_seed(0x5eed).hash_one(key)
    }

    /// The key's values in a row, as the dump spells them, for messages.
    pub fn show(&self, fields: &[&[u8]]) -> String {
        let names: Vec<&str> = self.parts.iter().map(|p| p.2.as_str()).collect();
        let values: Vec<String> = self
            .parts
            .iter()
            .map(|p| {
                let raw = fields[p.0];
                String::from_utf8_lossy(&raw[..raw.len().min(60)]).into_owned()
            })
            .collect();
        format!("({}) = ({})", names.join(", "), values.join(", "))
    }
}

fn push_value(raw: &[u8], n: Norm, out: &mut Vec<u8>) -> bool {
    let start = out.len();
    // A length prefix keeps ("ab", "c") apart from ("a", "bc").
    out.extend_from_slice(&[0; 4]);
    let ok = match n {
        Norm::Uuid => crate::ids::uuid(raw)
            .map(|u| out.extend_from_slice(&u.to_le_bytes()))
            .is_some(),
        Norm::Int => std::str::from_utf8(raw)
            .ok()
            .and_then(|s| s.trim().parse::<i64>().ok())
            .map(|v| out.extend_from_slice(&v.to_le_bytes()))
            .is_some(),
        Norm::Date => timestamp::parse_date(raw)
            .map(|v| out.extend_from_slice(&v.to_le_bytes()))
            .is_some(),
        Norm::Timestamptz => timestamp::parse(raw)
            .map(|v| out.extend_from_slice(&v.to_le_bytes()))
            .is_some(),
        Norm::Bool => super::input::parse_bool(raw)
            .map(|b| out.push(u8::from(b)))
            .is_some(),
        Norm::Bpchar => {
            codec::decode_into(raw, out);
            let keep = out[start + 4..]
                .iter()
                .rposition(|&b| b != b' ')
                .map_or(0, |p| p + 1);
            out.truncate(start + 4 + keep);
            true
        }
        Norm::Bytes => {
            codec::decode_into(raw, out);
            true
        }
    };
    let len = (out.len() - start - 4) as u32;
    out[start..start + 4].copy_from_slice(&len.to_le_bytes());
    ok
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(parts: Vec<(usize, Norm)>, nnd: bool) -> UniqueCheck {
        UniqueCheck {
            columns: vec![],
            parts: parts.into_iter().map(|(f, n)| (f, n, "c".into())).collect(),
            nulls_not_distinct: nnd,
        }
    }

    fn key(c: &UniqueCheck, fields: &[&[u8]]) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        c.key(fields, &mut out).then_some(out)
    }

    #[test]
    fn keys_compare_as_postgresql_compares_values() {
        let c = check(
            vec![(0, Norm::Int), (1, Norm::Uuid), (2, Norm::Timestamptz)],
            false,
        );
        let a = key(
            &c,
            &[
                b"7",
                b"A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11",
                b"2024-01-01 01:00:00+01",
            ],
        );
        let b = key(
            &c,
            &[
                b"007",
                b"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
                b"2024-01-01 00:00:00+00",
            ],
        );
        assert!(a.is_some() && a == b);
        let t = check(vec![(0, Norm::Bytes), (1, Norm::Bytes)], false);
        assert_ne!(key(&t, &[b"ab", b"c"]), key(&t, &[b"a", b"bc"]));
        assert_eq!(key(&t, &[b"a\\tb", b"c"]), key(&t, &[b"a\tb", b"c"]));
        let p = check(vec![(0, Norm::Bpchar)], false);
        assert_eq!(key(&p, &[b"ab  "]), key(&p, &[b"ab"]));
    }

    #[test]
    fn nulls_conflict_only_when_not_distinct() {
        let c = check(vec![(0, Norm::Bytes)], false);
        assert_eq!(key(&c, &[b"\\N"]), None);
        let c = check(vec![(0, Norm::Bytes)], true);
        assert!(key(&c, &[b"\\N"]).is_some());
        assert_ne!(key(&c, &[b"\\N"]), key(&c, &[b""]));
    }
}
