//! Values the v2 schema would reject at load time, caught offline instead of
//! halfway through `psql`: types (uuid, date, timestamptz, integers, boolean,
//! numeric with its precision and scale, json and jsonb, arrays of these,
//! varchar(n) and char(n) lengths, text that is valid UTF-8 without NUL),
//! each refused exactly when PostgreSQL's input function refuses it;
//! NOT NULL, and the CHECK forms
//! `dump::Check` reads. Compiled once per table from the v2 DDL of the
//! embedded migrations, against the fields the plan copies.

use crate::copy::{codec, show};
use crate::dump::{Check, ColumnDef, TableDef};
use crate::ids;
use crate::mapping::plan::{Op, Order, TablePlan};
use crate::mapping::timestamp;
use crate::validate::input;
use crate::validate::unique::{self, UniqueCheck};

#[derive(Clone, Debug, PartialEq, Eq)]
enum Ty {
    Uuid,
    Date,
    Timestamptz,
    Int(i64, i64),
    Bool,
    Text,
    /// `varchar(n)`, `char(n)`: at most n characters.
    Chars(usize),
    /// `numeric`, with `(precision, scale)` when declared.
    Numeric(Option<(i64, i64)>),
    /// `json` (false) or `jsonb` (true).
    Json(bool),
    Array(Box<Ty>),
    Other,
    /// Validated elsewhere (UUID keys, the sequence's timestamp); only NOT
    /// NULL applies here.
    Checked,
}

fn ty(def: &ColumnDef) -> Ty {
    if let Some(elem) = def.type_name.strip_suffix("[]") {
        let inner = ColumnDef {
            type_name: elem.to_string(),
            ..def.clone()
        };
        return Ty::Array(Box::new(ty(&inner)));
    }
    let mods = &def.typmods;
    match def.type_name.as_str() {
        "varchar" | "bpchar" if !mods.is_empty() => {
            Ty::Chars(usize::try_from(mods[0]).unwrap_or(usize::MAX))
        }
        "numeric" => Ty::Numeric(match mods[..] {
            [p] => Some((p, 0)),
            [p, s] => Some((p, s)),
            _ => None,
        }),
        "json" => Ty::Json(false),
        "jsonb" => Ty::Json(true),
        "uuid" => Ty::Uuid,
        "date" => Ty::Date,
        "timestamptz" => Ty::Timestamptz,
        "int2" => Ty::Int(i16::MIN.into(), i16::MAX.into()),
        "int4" => Ty::Int(i32::MIN.into(), i32::MAX.into()),
        "int8" => Ty::Int(i64::MIN, i64::MAX),
        "bool" => Ty::Bool,
        "text" | "varchar" | "bpchar" => Ty::Text,
        _ => Ty::Other,
    }
}

#[derive(Clone, Debug)]
struct FieldCheck {
    field: usize,
    /// The v2 column, for messages.
    column: String,
    ty: Ty,
    not_null: bool,
    /// Allowed values (COPY-encoded), when a CHECK lists them.
    allowed: Option<Vec<Vec<u8>>>,
    /// Values a CHECK (`col <> ''`) refuses, COPY-encoded.
    refused: Vec<Vec<u8>>,
    range: (i64, i64),
}

/// A table's compiled value checks.
#[derive(Clone, Debug, Default)]
pub struct ValueChecks {
    fields: Vec<FieldCheck>,
    /// Pairs of fields that must differ (`CHECK (parent_id <> id)`).
    differ: Vec<(usize, usize, String)>,
    /// Pairs of fields in order (`CHECK (ends_at >= starts_at)`), of one
    /// type that orders: `(a, op, b, type, what)`.
    order: Vec<(usize, String, usize, Ty, String)>,
    /// The target's unique keys over these rows.
    pub uniques: Vec<UniqueCheck>,
    /// `coalesce` into a NOT NULL column without `value_if_null`: the
    /// fields, one of which must not be NULL, and the v2 column.
    one_of: Vec<(Vec<usize>, String)>,
}

impl ValueChecks {
    /// Compiles checks for the copied fields of `plan` against `v2`, the
    /// target table's DDL.
    /// UUID fields the plan already validates as keys, and the timestamp a
    /// sequence orders by, are not parsed again: the key checks run first
    /// and refuse the same values.
    pub fn compile(plan: &TablePlan, v2: &TableDef) -> ValueChecks {
        let order_by = plan.sequence.as_ref().map(|s| s.order.clone());
        let field_of = |col: &str| match plan
            .columns
            .iter()
            .position(|c| c == col)
            .map(|k| &plan.ops[k])
        {
            Some(Op::Field(i)) => Some(*i),
            _ => None,
        };
        let mut out = ValueChecks::default();
        for def in &v2.columns {
            let Some(field) = field_of(&def.name) else {
                continue;
            };
            let mut fc = field_check(def, field, &v2.checks);
            let keyed = fc.ty == Ty::Uuid && plan.uuid_fields.contains(&field);
            let orders = fc.ty == Ty::Timestamptz && order_by == Some(Order::Instant(field));
            if keyed || orders {
                fc.ty = Ty::Checked;
            }
            out.fields.push(fc);
        }
        out.coalesced(plan, v2);
        let ty_of = |col: &str| v2.columns.iter().find(|c| c.name == col).map(ty);
        for c in &v2.checks {
            match c {
                Check::Differ { a, b } => {
                    if let (Some(x), Some(y)) = (field_of(a), field_of(b)) {
                        out.differ.push((x, y, format!("{a} <> {b}")));
                    }
                }
                Check::Order { a, op, b } => {
                    let (Some(x), Some(y)) = (field_of(a), field_of(b)) else {
                        continue;
                    };
                    if let (Some(t), Some(u)) = (ty_of(a), ty_of(b)) {
                        let same = matches!(
                            (&t, &u),
                            (Ty::Date, Ty::Date)
                                | (Ty::Timestamptz, Ty::Timestamptz)
                                | (Ty::Int(..), Ty::Int(..))
                        );
                        if same {
                            out.order
                                .push((x, op.clone(), y, t, format!("{a} {op} {b}")));
                        }
                    }
                }
                _ => {}
            }
        }
        out.uniques = unique::compile(plan, v2);
        out
    }

    /// The fields a `coalesce` reads are checked as the v2 column's type;
    /// into a NOT NULL column without a fallback, one of them must be set.
    fn coalesced(&mut self, plan: &TablePlan, v2: &TableDef) {
        for (name, op) in plan.columns.iter().zip(&plan.ops) {
            let (Op::Coalesce(c), Some(def)) = (op, v2.columns.iter().find(|d| d.name == *name))
            else {
                continue;
            };
            for &f in &c.fields {
                let mut fc = field_check(def, f, &v2.checks);
                fc.not_null = false;
                self.fields.push(fc);
            }
            if def.not_null && codec::is_null(&c.otherwise) {
                self.one_of.push((c.fields.clone(), def.name.clone()));
            }
        }
    }

    /// Checks one row; the error names the offending field.
    /// `raw_utf8` says the row's raw bytes are already known to be valid
    /// UTF-8 without NUL (checked once for a whole COPY chunk).
    pub fn check(
        &self,
        fields: &[&[u8]],
        raw_utf8: bool,
        scratch: &mut Vec<u8>,
    ) -> Result<(), (usize, String)> {
        for fc in &self.fields {
            let raw = fields[fc.field];
            if codec::is_null(raw) {
                if fc.not_null {
                    return Err((fc.field, format!("NULL, but v2 {} is NOT NULL", fc.column)));
                }
                continue;
            }
            check_value(fc, raw, raw_utf8, scratch).map_err(|m| (fc.field, m.to_string()))?;
        }
        for (all, column) in &self.one_of {
            if all.iter().all(|&f| codec::is_null(fields[f])) {
                return Err((
                    all[0],
                    format!("NULL in every coalesced column, but v2 {column} is NOT NULL"),
                ));
            }
        }
        for (a, b, what) in &self.differ {
            let (x, y) = (fields[*a], fields[*b]);
            if codec::is_null(x) || codec::is_null(y) {
                continue;
            }
            // UUIDs are compared as values: case and hyphens do not count.
            let same = x == y || ids::uuid(x).is_some_and(|u| ids::uuid(y) == Some(u));
            if same {
                return Err((*a, format!("violates v2 CHECK ({what})")));
            }
        }
        for (a, op, b, t, what) in &self.order {
            let (Some(x), Some(y)) = (ordered(t, fields[*a]), ordered(t, fields[*b])) else {
                continue;
            };
            let holds = match op.as_str() {
                ">=" => x >= y,
                ">" => x > y,
                "<=" => x <= y,
                _ => x < y,
            };
            if !holds {
                return Err((*a, format!("violates v2 CHECK ({what})")));
            }
        }
        Ok(())
    }
}

/// A date, timestamptz or integer field as a number that orders like the
/// value; `None` for NULL or a value the type checks refuse.
fn ordered(t: &Ty, raw: &[u8]) -> Option<i64> {
    if codec::is_null(raw) {
        return None;
    }
    match t {
        Ty::Date => timestamp::parse_date(raw),
        Ty::Timestamptz => timestamp::parse(raw),
        Ty::Int(..) => int(raw),
        _ => None,
    }
}

/// What the v2 column `def` demands of the value in `field`.
fn field_check(def: &ColumnDef, field: usize, checks: &[Check]) -> FieldCheck {
    let mut fc = FieldCheck {
        field,
        column: def.name.clone(),
        ty: ty(def),
        not_null: def.not_null,
        allowed: None,
        refused: Vec::new(),
        range: (i64::MIN, i64::MAX),
    };
    if let Ty::Int(lo, hi) = fc.ty {
        fc.range = (lo, hi);
    }
    for c in checks {
        narrow(&mut fc, c);
    }
    fc
}

/// What the mapping itself would make every row of the table fail on,
/// as `(v2 column, message)`: a constant the column refuses (its type, NOT
/// NULL, a CHECK), and a NOT NULL column without a default that the
/// mapping writes nothing to.
pub fn mapping_problems(plan: &TablePlan, v2: &TableDef) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for def in &v2.columns {
        let op = plan
            .columns
            .iter()
            .position(|c| *c == def.name)
            .map(|k| &plan.ops[k]);
        match op {
            Some(Op::Const(v)) => {
                if let Some(m) = refuses_constant(def, &v2.checks, v) {
                    out.push((
                        def.name.clone(),
                        format!(
                            "the mapping writes this value in every row, and v2 refuses it: {m}"
                        ),
                    ));
                }
            }
            None if def.not_null && def.default.is_none() && !def.generated => out.push((
                def.name.clone(),
                format!(
                    "v2 {} is NOT NULL without a default, and the mapping writes nothing to it: \
                     every row would be refused",
                    def.name
                ),
            )),
            _ => {}
        }
    }
    out
}

/// Why the v2 column `def` (under the table's `checks`) refuses `value`,
/// COPY-encoded (`\N` for NULL), if it does: its type, NOT NULL, a CHECK.
pub fn refuses_constant(def: &ColumnDef, checks: &[Check], value: &[u8]) -> Option<String> {
    let fc = field_check(def, 0, checks);
    if codec::is_null(value) {
        fc.not_null
            .then(|| format!("NULL, but v2 {} is NOT NULL", def.name))
    } else {
        check_value(&fc, value, false, &mut Vec::new())
            .err()
            .map(|e| e.to_string())
    }
}

fn narrow(fc: &mut FieldCheck, c: &Check) {
    match c {
        Check::In { column, values } if *column == fc.column => {
            fc.allowed = Some(
                values
                    .iter()
                    .map(|v| {
                        let mut e = Vec::new();
                        codec::encode_into(v.as_bytes(), &mut e);
                        e
                    })
                    .collect(),
            );
        }
        Check::NotValue { column, value } if *column == fc.column => {
            let mut e = Vec::new();
            codec::encode_into(value.as_bytes(), &mut e);
            fc.refused.push(e);
        }
        Check::Between { column, low, high } if *column == fc.column => {
            fc.range = (fc.range.0.max(*low), fc.range.1.min(*high))
        }
        Check::Compare { column, op, value } if *column == fc.column => match op.as_str() {
            ">=" => fc.range.0 = fc.range.0.max(*value),
            ">" => fc.range.0 = fc.range.0.max(value.saturating_add(1)),
            "<=" => fc.range.1 = fc.range.1.min(*value),
            "<" => fc.range.1 = fc.range.1.min(value.saturating_sub(1)),
            _ => {}
        },
        _ => {}
    }
}

/// Why v2 would refuse a value (`value` as shown: at most 60 bytes).
#[derive(Debug)]
enum BadValue {
    OutOfRange {
        value: String,
        column: String,
        range: (i64, i64),
    },
    NotInteger {
        value: String,
        column: String,
    },
    /// The type's input function refuses it.
    Input {
        value: String,
        refusal: Refusal,
        column: String,
    },
    /// A CHECK (`col <> ''`) refuses it.
    CheckRefuses {
        value: String,
        column: String,
    },
    /// A CHECK lists the values allowed, and this is not one.
    NotAllowed {
        value: String,
        column: String,
    },
    /// NUL or invalid UTF-8 in text.
    Text {
        problem: &'static str,
        column: String,
    },
}

impl std::fmt::Display for BadValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BadValue::OutOfRange {
                value,
                column,
                range: (lo, hi),
            } => write!(
                f,
                "{value} is outside the range v2 {column} allows ({lo}..={hi})"
            ),
            BadValue::NotInteger { value, column } => {
                write!(f, "{value} is not an integer (v2 {column})")
            }
            BadValue::Input {
                value,
                refusal,
                column,
            } => write!(f, "{value} {refusal} (v2 {column})"),
            BadValue::CheckRefuses { value, column } => {
                write!(f, "{value} is a value a v2 CHECK on {column} refuses")
            }
            BadValue::NotAllowed { value, column } => {
                write!(f, "{value} is not one of the values v2 {column} allows")
            }
            BadValue::Text { problem, column } => write!(f, "{problem} (v2 {column})"),
        }
    }
}

/// Why a type's input function refuses a value; its Display completes
/// "<value> ...".
#[derive(Debug)]
enum Refusal {
    Uuid,
    Date,
    Timestamptz,
    Bool,
    Int,
    /// Longer than `varchar(n)` / `char(n)` allows.
    TooLong(usize),
    Json {
        jsonb: bool,
    },
    Numeric(&'static str),
    Array(input::BadArray),
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Uuid => f.write_str("is not a uuid"),
            Refusal::Date => f.write_str("is not a date"),
            Refusal::Timestamptz => f.write_str("is not a timestamptz"),
            Refusal::Bool => f.write_str("is not a boolean"),
            Refusal::Int => f.write_str("is not an integer in the type's range"),
            Refusal::TooLong(n) => write!(f, "is longer than {n} characters"),
            Refusal::Json { jsonb: true } => f.write_str("is not valid jsonb"),
            Refusal::Json { jsonb: false } => f.write_str("is not valid json"),
            Refusal::Numeric(e) => write!(f, "is refused by numeric: {e}"),
            Refusal::Array(e) => write!(f, "is not a valid array: {e}"),
        }
    }
}

fn check_value(
    fc: &FieldCheck,
    raw: &[u8],
    raw_utf8: bool,
    scratch: &mut Vec<u8>,
) -> Result<(), BadValue> {
    let show = || show::value(raw);
    let plain = matches!(fc.ty, Ty::Text | Ty::Other | Ty::Checked);
    let decoded;
    let v: &[u8] = if !plain && memchr::memchr(b'\\', raw).is_some() {
        decoded = codec::decode(raw).unwrap_or_default();
        &decoded
    } else {
        raw
    };
    match &fc.ty {
        Ty::Int(..) => match int(v) {
            Some(n) if n >= fc.range.0 && n <= fc.range.1 => {}
            Some(n) => {
                return Err(BadValue::OutOfRange {
                    value: n.to_string(),
                    column: fc.column.clone(),
                    range: fc.range,
                })
            }
            None => {
                return Err(BadValue::NotInteger {
                    value: show(),
                    column: fc.column.clone(),
                })
            }
        },
        t => {
            if let Err(refusal) = accepts(t, v, scratch) {
                return Err(BadValue::Input {
                    value: show(),
                    refusal,
                    column: fc.column.clone(),
                });
            }
        }
    }
    if fc.refused.iter().any(|r| r == raw) {
        return Err(BadValue::CheckRefuses {
            value: show(),
            column: fc.column.clone(),
        });
    }
    if let Some(allowed) = &fc.allowed {
        if !allowed.iter().any(|a| a == raw) {
            return Err(BadValue::NotAllowed {
                value: show(),
                column: fc.column.clone(),
            });
        }
    }
    let parsed = matches!(
        fc.ty,
        Ty::Uuid | Ty::Date | Ty::Timestamptz | Ty::Bool | Ty::Int(..) | Ty::Checked
    );
    if !parsed {
        text_ok(raw, raw_utf8, scratch).map_err(|problem| BadValue::Text {
            problem,
            column: fc.column.clone(),
        })?;
    }
    Ok(())
}

/// Whether a column declared as `def` takes `text` (a value's text, COPY
/// escapes decoded) when PostgreSQL reads it with the column's input
/// function and modifiers: what the load's COPY does with it.
pub fn input_accepts(def: &ColumnDef, text: &[u8]) -> bool {
    let t = ty(def);
    accepts(&t, text, &mut Vec::new()).is_ok()
        && (matches!(t, Ty::Int(..)) || std::str::from_utf8(text).is_ok())
}

/// An integer as `int2in`/`int4in`/`int8in` read it: blanks around, a sign,
/// decimal digits.
fn int(v: &[u8]) -> Option<i64> {
    let t = v.trim_ascii();
    let digits = t
        .strip_prefix(b"-")
        .or_else(|| t.strip_prefix(b"+"))
        .unwrap_or(t);
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(t).ok()?.parse().ok()
}

/// Whether the type's input function takes the text `v` (COPY escapes
/// decoded); the error completes "<value> ...".
fn accepts(ty: &Ty, v: &[u8], scratch: &mut Vec<u8>) -> Result<(), Refusal> {
    let ok = match ty {
        Ty::Uuid => ids::uuid(v).is_some(),
        Ty::Date => timestamp::parse_date(v).is_some(),
        Ty::Timestamptz => timestamp::parse(v).is_some(),
        Ty::Bool => input::parse_bool(v).is_some(),
        Ty::Int(lo, hi) => int(v).is_some_and(|n| n >= *lo && n <= *hi),
        Ty::Chars(n) => std::str::from_utf8(v).map_or(true, |s| input::fits_length(s, *n)),
        Ty::Numeric(m) => return input::numeric(v, *m).map_err(Refusal::Numeric),
        Ty::Json(b) => input::json(v, *b),
        Ty::Array(elem) => {
            let each = |e: &[u8]| accepts(elem, e, &mut Vec::new()).is_ok();
            return input::array(v, &each, scratch).map_err(Refusal::Array);
        }
        Ty::Text | Ty::Other | Ty::Checked => true,
    };
    if ok {
        return Ok(());
    }
    Err(match ty {
        Ty::Uuid => Refusal::Uuid,
        Ty::Date => Refusal::Date,
        Ty::Timestamptz => Refusal::Timestamptz,
        Ty::Bool => Refusal::Bool,
        Ty::Int(..) => Refusal::Int,
        Ty::Chars(n) => Refusal::TooLong(*n),
        Ty::Json(true) => Refusal::Json { jsonb: true },
        _ => Refusal::Json { jsonb: false },
    })
}

/// PostgreSQL rejects text with NUL or invalid UTF-8. When the raw bytes are
/// known good, only octal and hex escapes can make a bad byte, so only a field
/// with one is decoded; otherwise the field is checked in full.
fn text_ok(raw: &[u8], raw_utf8: bool, scratch: &mut Vec<u8>) -> Result<(), &'static str> {
    if raw_utf8 && !has_byte_escape(raw) {
        return Ok(());
    }
    let bytes = if memchr::memchr(b'\\', raw).is_some() {
        scratch.clear();
        codec::decode_into(raw, scratch);
        &scratch[..]
    } else {
        raw
    };
    if memchr::memchr(0, bytes).is_some() {
        return Err("text contains a NUL byte");
    }
    std::str::from_utf8(bytes)
        .map(|_| ())
        .map_err(|_| "text is not valid UTF-8")
}

/// True when `raw` holds an escape that spells a byte (`\\0`..`\\7`, `\\x`).
fn has_byte_escape(raw: &[u8]) -> bool {
    let mut i = 0;
    while let Some(n) = memchr::memchr(b'\\', &raw[i..]) {
        let j = i + n;
        if matches!(raw.get(j + 1), Some(b'0'..=b'7' | b'x')) {
            return true;
        }
        i = j + 2;
        if i >= raw.len() {
            return false;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fc(ty: Ty) -> FieldCheck {
        let range = if let Ty::Int(lo, hi) = ty {
            (lo, hi)
        } else {
            (i64::MIN, i64::MAX)
        };
        FieldCheck {
            field: 0,
            column: "c".into(),
            ty,
            not_null: true,
            allowed: None,
            refused: Vec::new(),
            range,
        }
    }

    fn ok(f: &FieldCheck, raw: &[u8]) -> bool {
        let full = check_value(f, raw, false, &mut Vec::new()).is_ok();
        // With the raw bytes known good, only byte escapes can still fail.
        if std::str::from_utf8(raw).is_ok() && !raw.contains(&0) {
            assert_eq!(
                check_value(f, raw, true, &mut Vec::new()).is_ok(),
                full,
                "{raw:?}"
            );
        }
        full
    }

    #[test]
    fn types() {
        assert!(
            ok(&fc(Ty::Date), b"2024-02-29")
                && ok(&fc(Ty::Date), b"0044-03-15 BC")
                && ok(&fc(Ty::Date), b"infinity")
        );
        assert!(!ok(&fc(Ty::Date), b"2023-02-29") && !ok(&fc(Ty::Date), b"2024-001-01"));
        assert!(
            ok(&fc(Ty::Int(-32768, 32767)), b"-32768")
                && !ok(&fc(Ty::Int(-32768, 32767)), b"40000")
        );
        assert!(!ok(&fc(Ty::Int(0, 9)), b"1.5"));
        for good in [
            "t", "TRUE", " yes ", "y", "on", "1", "f", "fal", "No", "off", "of", "0",
        ] {
            assert!(ok(&fc(Ty::Bool), good.as_bytes()), "{good}");
        }
        for bad in ["maybe", "o", "", "2", "truee", "onn", "10"] {
            assert!(!ok(&fc(Ty::Bool), bad.as_bytes()), "{bad}");
        }
        assert!(ok(&fc(Ty::Text), "héllo\\n".as_bytes()));
        assert!(
            !ok(&fc(Ty::Text), b"a\\0b")
                && !ok(&fc(Ty::Text), b"\xff")
                && !ok(&fc(Ty::Text), b"\\377")
        );
    }

    #[test]
    fn checks_narrow_ranges_and_sets() {
        let mut f = fc(Ty::Int(i32::MIN.into(), i32::MAX.into()));
        narrow(
            &mut f,
            &Check::Between {
                column: "c".into(),
                low: 1,
                high: 4,
            },
        );
        assert!(ok(&f, b"4") && !ok(&f, b"5") && !ok(&f, b"0"));
        let mut f = fc(Ty::Text);
        narrow(
            &mut f,
            &Check::In {
                column: "c".into(),
                values: vec!["open".into(), "done".into()],
            },
        );
        assert!(ok(&f, b"open") && !ok(&f, b"archived"));
    }

    #[test]
    fn what_the_mapping_writes_in_every_row_is_checked_once() {
        let v2 = crate::dump::Catalog::from_sql(
            "CREATE TABLE t (id uuid PRIMARY KEY, title text NOT NULL, n int CHECK (n BETWEEN 1 AND 4), \
             kind text NOT NULL CHECK (kind IN ('a', 'b')), must text NOT NULL, later text NOT NULL DEFAULT 'x', \
             seq bigserial NOT NULL);",
        )
        .unwrap();
        let v2 = v2.get(&crate::dump::TableName::new("public", "t")).unwrap();
        let desc: crate::mapping::Description = toml::from_str(
            "name = 'm'\n[[table]]\nsource = 't'\ntarget = 't'\ncolumns = [\
             { name = 'id', copy = 'id' }, { name = 'title', null = true }, { name = 'n', value = '7' }, \
             { name = 'kind', value = 'c' }]\n",
        )
        .unwrap();
        let plan =
            crate::mapping::plan::compile(&desc.tables[0], &["id".to_string()], &[]).unwrap();
        let got: Vec<String> = mapping_problems(&plan, v2)
            .into_iter()
            .map(|(c, m)| format!("{c}: {m}"))
            .collect();
        assert_eq!(
            got,
            [
                "title: the mapping writes this value in every row, and v2 refuses it: NULL, but v2 title is NOT NULL",
                "n: the mapping writes this value in every row, and v2 refuses it: 7 is outside the range v2 n allows (1..=4)",
                "kind: the mapping writes this value in every row, and v2 refuses it: \"c\" is not one of the values v2 kind allows",
                "must: v2 must is NOT NULL without a default, and the mapping writes nothing to it: every row would be refused",
            ]
        );
    }

    #[test]
    fn checks_between_two_columns_and_against_a_text() {
        let v2 = crate::dump::Catalog::from_sql(
            "CREATE TABLE t (id uuid PRIMARY KEY, s timestamptz, e timestamptz, name text CHECK (name <> ''), \
             CONSTRAINT o CHECK (e >= s));",
        )
        .unwrap();
        let v2 = v2.get(&crate::dump::TableName::new("public", "t")).unwrap();
        let desc: crate::mapping::Description = toml::from_str(
            "name = 'm'\n[[table]]\nsource = 't'\ntarget = 't'\ncolumns = [\
             { name = 'id', copy = 'id' }, { name = 's', copy = 's' }, { name = 'e', copy = 'e' }, \
             { name = 'name', copy = 'name' }]\n",
        )
        .unwrap();
        let cols = ["id", "s", "e", "name"].map(String::from);
        let plan = crate::mapping::plan::compile(&desc.tables[0], &cols, &[]).unwrap();
        let vc = ValueChecks::compile(&plan, v2);
        let id: &[u8] = b"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11";
        let row = |s: &'static str, e: &'static str, n: &'static str| {
            vc.check(
                &[id, s.as_bytes(), e.as_bytes(), n.as_bytes()],
                false,
                &mut Vec::new(),
            )
        };
        // 10:00+02 is 08:00 UTC: before 09:00+00 although its text is later.
        assert!(row("2024-01-01 09:00:00+00", "2024-01-01 10:00:00+02", "x")
            .unwrap_err()
            .1
            .contains("violates v2 CHECK (e >= s)"));
        assert!(row("2024-01-01 09:00:00+00", "2024-01-01 09:00:00+00", "x").is_ok());
        assert!(row("2024-01-01 09:00:00+00", "\\N", "x").is_ok());
        assert!(row("-infinity", "infinity", "")
            .unwrap_err()
            .1
            .contains("a v2 CHECK on name refuses"));
    }
}
