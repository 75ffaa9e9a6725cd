//! Checking rows before anything is written, and collecting the compact keys
//! that whole-table work needs (sequence keys, the lookup index).
//!
//! Runs per chunk, in parallel. A problem becomes a `DataError` naming the
//! table, the row's id, the column and the byte offset; the run goes on so
//! that one report can list many problems.

pub mod drift;
pub mod input;
pub mod keys;
pub mod unique;
pub mod values;

use crate::copy::{check, codec, show};
use crate::error::DataError;
use crate::ids::uuid_field;
use crate::mapping::derive as derive_check;
use crate::mapping::plan::{Op, Order, SequencePlan, TablePlan};
use crate::mapping::sequence::{Scope, Scopes, SeqKey, MAX_SCOPE};
use crate::mapping::storage_path::{self, BadStoragePath};
use crate::mapping::timestamp;
use crate::rows::{Chunk, Defect};

/// How many problems one run keeps; more are counted, not kept.
pub const MAX_ERRORS: usize = 50;

/// What one chunk of a table taught us.
#[derive(Default)]
pub struct ChunkFacts {
    pub rows: u32,
    /// The chunk's size in the source, for progress and estimates.
    pub bytes: u64,
    /// Sequence keys with `row` relative to the chunk's first row, and
    /// `scope` an index into `scopes`.
    pub seq: Vec<SeqKey>,
    pub scopes: Vec<Scope>,
    /// For a table that lookups read: the lookup column's value of each
    /// row in `ids`, in the same order.
    pub index: Vec<Option<u128>>,
    /// Every row's id.
    pub ids: Vec<u128>,
    /// `(id, parent)` for rows whose self-referencing key is set.
    pub parents: Vec<(u128, u128)>,
    /// Per unique key of `values.uniques`: `(hash, row)` with `row`
    /// relative to the chunk's first row.
    pub uniques: Vec<Vec<(u64, u32)>>,
    /// Per field of `TableCheck::joins`: `(value, row)` of the rows where
    /// it is set, `row` relative to the chunk's first row.
    pub joined: Vec<Vec<(u128, u32)>>,
    pub errors: Vec<DataError>,
    /// Problems beyond those kept in `errors`.
    pub more_errors: usize,
}

impl ChunkFacts {
    fn fail(&mut self, e: DataError) {
        if self.errors.len() < MAX_ERRORS {
            self.errors.push(e);
        } else {
            self.more_errors += 1;
        }
    }
}

/// The text to name a row by in messages: its raw id, shortened.
pub fn row_label(plan: &TablePlan, fields: &[&[u8]]) -> Option<String> {
    let raw = fields.get(plan.id?)?;
    let s = String::from_utf8_lossy(&raw[..raw.len().min(40)]);
    Some(s.into_owned())
}

/// What checking one table's rows needs besides the rows.
pub struct TableCheck<'a> {
    pub plan: &'a TablePlan,
    pub label: &'a str,
    /// The field of a key that references this same table
    /// (`tasks.parent_id`): its edges are collected to find cycles and
    /// dangling parents once the table's ids are known.
    pub self_fk: Option<usize>,
    pub values: &'a values::ValueChecks,
    /// Foreign keys onto tables already checked, tested row by row.
    pub refs: &'a [keys::Reference<'a>],
    /// Fields whose values are gathered instead, to be joined against
    /// their target's sorted ids once the table is read.
    pub joins: &'a [usize],
}

/// Validates the rows of one chunk and collects their keys.
pub fn scan_chunk(tc: &TableCheck, chunk: &Chunk) -> ChunkFacts {
    let plan = tc.plan;
    let mut facts = ChunkFacts {
        uniques: vec![Vec::new(); tc.values.uniques.len()],
        joined: vec![Vec::new(); tc.joins.len()],
        ..ChunkFacts::default()
    };
    let mut scopes = Scopes::default();
    let mut scratch = Vec::new();
    let mut uuids = vec![None; plan.width];
    let (raw_utf8, stop) = sweep(tc, chunk, &mut facts);
    let read = chunk.for_each(|at, fields| {
        if at >= stop || !cut_as_postgres_cuts(tc, at, fields, &mut facts) {
            return false;
        }
        let row_no = facts.rows;
        facts.rows += 1;
        if fields.len() != plan.width {
            facts.fail(
                DataError::new(format!(
                    "row has {} fields, the table's column list names {} ({})",
                    fields.len(),
                    plan.width,
                    plan.input_columns.join(", ")
                ))
                .at(at)
                .table(tc.label),
            );
            return true;
        }
        let mut row = Row {
            fields,
            number: row_no,
            uuids: &mut uuids,
            scopes: &mut scopes,
        };
        if let Err((f, m)) = check_row(tc, &mut row, &mut facts, &mut scratch)
            .and_then(|()| tc.values.check(fields, raw_utf8, &mut scratch))
        {
            // Labels are made only for errors: the good rows allocate nothing.
            let mut e = DataError::new(m).at(at).table(tc.label);
            if let Some(id) = row_label(plan, fields) {
                e = e.row(id);
            }
            facts.fail(e.column(plan.input_columns[f].clone()));
            return true;
        }
        for (u, hashes) in tc.values.uniques.iter().zip(&mut facts.uniques) {
            if u.key(fields, &mut scratch) {
                hashes.push((unique::UniqueCheck::hash(&scratch), row_no));
            }
        }
        true
    });
    if let Err(e) = read {
        facts.fail(e.table(tc.label));
    }
    facts.scopes = scopes.into_list();
    facts
}

/// A place where the chunk breaks COPY's text format, named by its table,
/// row and, when it is inside a value, column.
fn defect_error(tc: &TableCheck, d: Defect) -> DataError {
    let plan = tc.plan;
    let mut e = DataError::new(d.kind.message()).at(d.at).table(tc.label);
    // The id is named only from a whole field before the defect.
    if plan.id.is_some_and(|i| i < d.field()) {
        if let Some(id) = row_label(plan, &d.fields) {
            e = e.row(id);
        }
    }
    match plan.input_columns.get(d.field()) {
        Some(c) if d.kind.in_value() => e.column(c.clone()),
        _ => e,
    }
}

/// Sweeps the chunk's raw bytes (see `Chunk::raw`): whether they are UTF-8
/// without NUL, and the offset of the row holding the first defect, kept as
/// an error. Rows from there on are cut otherwise than PostgreSQL would cut
/// them: only the defect is said, not what the wrong cut makes of them.
fn sweep(tc: &TableCheck, chunk: &Chunk, facts: &mut ChunkFacts) -> (bool, usize) {
    let raw = chunk.raw();
    let stop = raw.defect.map_or(usize::MAX, |d| {
        let at = d.row_at;
        facts.fail(defect_error(tc, d));
        at
    });
    (raw.utf8, stop)
}

/// False, with the error kept, when a field of the row at `at` ends in a
/// backslash escaping the delimiter after it.
fn cut_as_postgres_cuts(
    tc: &TableCheck,
    at: usize,
    fields: &[&[u8]],
    facts: &mut ChunkFacts,
) -> bool {
    match escaped_delimiter(at, fields) {
        Some(d) => {
            facts.fail(defect_error(tc, d));
            false
        }
        None => true,
    }
}

/// A field of the row at `at` that ends in a backslash escaping the raw
/// tab or line ending after it: PostgreSQL would not cut the row there. A
/// check of each field's last byte, so the cutter stays one memchr sweep.
fn escaped_delimiter<'f>(at: usize, fields: &[&'f [u8]]) -> Option<Defect<'f>> {
    let i = fields.iter().position(|f| check::ends_escaped(f))?;
    let kind = if i + 1 == fields.len() {
        check::Defect::EscapedNewline
    } else {
        check::Defect::EscapedTab
    };
    // Fields are slices of one row, so their addresses give the offset.
    let offset = (fields[i].as_ptr() as usize).saturating_sub(fields[0].as_ptr() as usize);
    Some(Defect {
        kind,
        at: at + offset + fields[i].len() - 1,
        row_at: at,
        fields: fields[..=i].to_vec(),
    })
}

/// One row being checked, with the chunk's scratch state.
struct Row<'r, 'f> {
    fields: &'r [&'f [u8]],
    /// The row's index in its chunk.
    number: u32,
    /// Parsed UUID fields, indexed by field.
    uuids: &'r mut [Option<u128>],
    scopes: &'r mut Scopes,
}

/// Checks one row and records its keys. Every UUID field is parsed once;
/// the error names the field.
fn check_row(
    tc: &TableCheck,
    row: &mut Row,
    facts: &mut ChunkFacts,
    scratch: &mut Vec<u8>,
) -> Result<(), (usize, String)> {
    let (plan, fields) = (tc.plan, row.fields);
    for &i in &plan.uuid_fields {
        row.uuids[i] = uuid_field(fields[i])
            .map_err(|_| (i, format!("not a valid UUID: {}", show::value(fields[i]))))?;
    }
    let uuids = &*row.uuids;
    for r in tc.refs {
        if let Some(key) = uuids[r.field] {
            if r.ids.binary_search(&key).is_err() {
                return Err((r.field, keys::dangling(plan, r, fields)));
            }
        }
    }
    for (&f, pairs) in tc.joins.iter().zip(&mut facts.joined) {
        if let Some(key) = uuids[f] {
            pairs.push((key, row.number));
        }
    }
    let id = plan.id.and_then(|i| uuids[i]);
    if let Some(id) = id {
        facts.ids.push(id);
        if let Some(v) = plan.provides {
            facts.index.push(row.uuids[v]);
        }
        if let Some(parent) = tc.self_fk.and_then(|f| uuids[f]) {
            facts.parents.push((id, parent));
        }
    }
    if let Some(seq) = &plan.sequence {
        let key = sequence_key(seq, row, id)?;
        facts.seq.push(key);
    }
    for op in &plan.ops {
        match op {
            Op::StoragePath(i) => {
                check_storage_path(fields[*i], scratch).map_err(|e| (*i, e.to_string()))?
            }
            Op::Map(m) if m.get(fields[m.field]).is_none() => {
                return Err((m.field, derive_check::unmapped(m, fields[m.field])))
            }
            _ => {}
        }
    }
    Ok(())
}

/// The row's sequence key: its scope, and its instant when the sequence is
/// ordered by a timestamp.
fn sequence_key(
    seq: &SequencePlan,
    row: &mut Row,
    id: Option<u128>,
) -> Result<SeqKey, (usize, String)> {
    let (fields, uuids) = (row.fields, &*row.uuids);
    let scope = row.scopes.index(scope_of(seq, uuids));
    let (instant, id) = match seq.order {
        Order::Dump => (0, 0),
        Order::Instant(i) if codec::is_null(fields[i]) => (seq.instant_key(None), id.unwrap_or(0)),
        Order::Instant(i) => {
            let t = timestamp::parse(fields[i])
                .ok_or_else(|| (i, format!("not a timestamptz: {}", show::value(fields[i]))))?;
            (seq.instant_key(Some(t)), id.unwrap_or(0))
        }
    };
    Ok(SeqKey {
        scope,
        instant,
        id,
        row: row.number,
    })
}

/// The row's sequence scope: the primary columns, or the fallback columns
/// when every primary one is NULL.
fn scope_of(seq: &SequencePlan, uuids: &[Option<u128>]) -> Scope {
    let mut vals = [None; MAX_SCOPE];
    for (v, &f) in vals.iter_mut().zip(&seq.scope) {
        *v = uuids[f];
    }
    let fallback = !seq.fallback.is_empty() && vals[..seq.scope.len()].iter().all(Option::is_none);
    if fallback {
        for (v, &f) in vals.iter_mut().zip(&seq.fallback) {
            *v = uuids[f];
        }
        return Scope::new(true, &vals[..seq.fallback.len()]);
    }
    Scope::new(false, &vals[..seq.scope.len()])
}

fn check_storage_path(raw: &[u8], scratch: &mut Vec<u8>) -> Result<(), BadStoragePath> {
    if codec::is_null(raw) {
        return Err(BadStoragePath::Null);
    }
    scratch.clear();
    codec::decode_into(raw, scratch);
    storage_path::key(scratch).map(|_| ())
}
