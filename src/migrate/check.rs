//! The checking phase. Tables are read one after another, each one's chunks
//! in parallel, in an order that puts every table after the tables its
//! foreign keys point at: a row's keys are then tested against the sorted
//! ids of the tables already read, in the same single read that validates
//! the row and collects its compact keys. Whole-table work (sort orders,
//! the lookup index, duplicate ids, parent cycles and dangling parents)
//! runs on those keys. Only keys between tables that point at each other
//! need a second read. Nothing is written before this passes.

use rayon::prelude::*;

use super::{Fk, Work};
use crate::error::DataError;
use crate::ids::LookupValues;
use crate::mapping::sequence::{self, Scopes, SeqKey};
use crate::progress::Progress;
use crate::spill::Runs;
use crate::validate::keys::{self, Reference};
use crate::validate::unique::UniqueCheck;
use crate::validate::{self, ChunkFacts, TableCheck, MAX_ERRORS};

/// Problems found, and how many more were not kept.
pub type Problems = (Vec<DataError>, usize);

/// Checks every row, then builds the whole-table structures.
/// `memory` bounds the sort keys held in memory (`--memory`); past it they
/// go to sorted runs in the temporary folder.
pub fn check_rows(works: &mut [Work], memory: usize, progress: &Progress) -> Result<(), Problems> {
    let mut problems = (Vec::new(), 0);
    let mut done = vec![false; works.len()];
    // Tables read without a problem: only their ids are complete, so only
    // keys onto them are tested at once (a row whose id did not parse must
    // not make every row pointing at it an error too).
    let mut clean = vec![false; works.len()];
    // (table, foreign key) pairs left for a second read: their target was
    // not read first, or not cleanly.
    let mut later: Vec<(usize, usize)> = Vec::new();
    while let Some(t) = next_table(works, &done) {
        let before = problems.0.len() + problems.1;
        let keys = Keys::new(memory);
        let (keys, deferred) = scan_table(works, t, keys, &clean, &mut problems, progress);
        later.extend(deferred.into_iter().map(|k| (t, k)));
        finish(&mut works[t], keys, &mut problems.0);
        done[t] = true;
        clean[t] = problems.0.len() + problems.1 == before;
    }
    let (mut errors, mut more) = problems;
    if errors.is_empty() && !later.is_empty() {
        let (mut e, m) = check_later(works, &later);
        errors.append(&mut e);
        more += m;
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err((errors, more))
    }
}

/// The first unread table whose foreign keys all point at read tables (or
/// at itself); the first unread one when keys form a cycle between tables.
fn next_table(works: &[Work], done: &[bool]) -> Option<usize> {
    let ready = |t: usize| {
        works[t]
            .fks
            .iter()
            .all(|fk| fk.target.is_none_or(|x| x == t || done[x]))
    };
    let unread = || (0..works.len()).filter(|&t| !done[t]);
    unread().find(|&t| ready(t)).or_else(|| unread().next())
}

/// A table's keys, gathered chunk by chunk in order.
struct Keys {
    /// Sequence keys: in memory up to a share of the budget, then in
    /// sorted runs on disk.
    seq: Runs<SeqKey>,
    /// Why a run could not be written, if one could not.
    spill_error: Option<std::io::Error>,
    scopes: Scopes,
    /// The lookup column's values, in row order beside `ids`.
    lookup: LookupValues,
    ids: Vec<u128>,
    edges: Vec<(u128, u128)>,
    /// `(hash, row)` per unique key of the table.
    uniques: Vec<Vec<(u64, u32)>>,
    first_rows: Vec<usize>,
    rows: usize,
}

impl Keys {
    /// Keys under a budget of `memory` bytes. The sequence keys get a
    /// quarter: the table's ids, its lookup values, the sort orders and the
    /// ids of the tables already read stay in memory beside them.
    fn new(memory: usize) -> Keys {
        Keys {
            seq: Runs::new(memory / 4, &std::env::temp_dir()),
            spill_error: None,
            scopes: Scopes::default(),
            lookup: LookupValues::default(),
            ids: Vec::new(),
            edges: Vec::new(),
            uniques: Vec::new(),
            first_rows: Vec::new(),
            rows: 0,
        }
    }

    /// Reserves room for the rows still to come, estimated from the rows
    /// per byte so far, so the big vectors grow once or twice instead of
    /// doubling (a doubling holds the old and the new copy at once).
    fn expect(&mut self, done_bytes: u64, total_bytes: u64) {
        if done_bytes == 0 || self.rows == 0 {
            return;
        }
        let scale = total_bytes as f64 / done_bytes as f64 * 1.05;
        let room = |len: usize, cap: usize| {
            let want = (len as f64 * scale) as usize;
            (want > cap).then(|| want - len)
        };
        if let Some(n) = room(self.seq.len() as usize, 0) {
            self.seq.reserve(n);
        }
        if let Some(n) = room(self.ids.len(), self.ids.capacity()) {
            self.ids.reserve_exact(n);
        }
        if let Some(n) = room(self.lookup.len(), self.lookup.capacity()) {
            self.lookup.reserve_exact(n);
        }
    }

    /// Appends one chunk's facts: rows become table rows, and the chunk's
    /// scope indexes become the table's.
    fn add(&mut self, f: ChunkFacts) {
        self.first_rows.push(self.rows);
        let to: Vec<u32> = f.scopes.into_iter().map(|s| self.scopes.index(s)).collect();
        let row = self.rows as u32;
        for mut k in f.seq {
            if self.spill_error.is_some() {
                break;
            }
            k.scope = to[k.scope as usize];
            k.row += row;
            if let Err(e) = self.seq.push(k) {
                self.spill_error = Some(e);
            }
        }
        for (_, v) in f.index {
            self.lookup.push(v);
        }
        self.ids.extend(f.ids);
        self.edges.extend(f.parents);
        if self.uniques.len() < f.uniques.len() {
            self.uniques.resize_with(f.uniques.len(), Vec::new);
        }
        for (all, chunk) in self.uniques.iter_mut().zip(f.uniques) {
            all.extend(chunk.into_iter().map(|(h, r)| (h, r + row)));
        }
        self.rows += f.rows as usize;
    }
}

/// Reads table `t` once, testing its keys onto cleanly read tables row by row.
/// Chunks are read in parallel a window at a time and gathered in order,
/// so only one window's facts exist beside the table's keys. Returns the
/// keys and the foreign keys left for later.
fn scan_table(
    works: &[Work],
    t: usize,
    mut keys: Keys,
    clean: &[bool],
    problems: &mut Problems,
    progress: &Progress,
) -> (Keys, Vec<usize>) {
    let w = &works[t];
    let mut refs = Vec::new();
    let mut later = Vec::new();
    for (k, fk) in w.fks.iter().enumerate() {
        match fk.target {
            // Checked from the parent edges once the table's ids are known.
            Some(x) if x == t => {}
            Some(x) if !clean[x] => later.push(k),
            _ => refs.push(reference(works, fk)),
        }
    }
    let tc = TableCheck {
        plan: &w.plan,
        label: &w.label,
        self_fk: w.self_fk,
        values: &w.values,
        refs: &refs,
    };
    let total = w.source.total_bytes();
    let mut done_bytes = 0;
    for window in w.chunks.chunks(rayon::current_num_threads() * 4) {
        keys.expect(done_bytes, total);
        done_bytes += window.iter().map(|r| w.source.bytes(r)).sum::<u64>();
        let facts: Vec<ChunkFacts> = window
            .par_iter()
            .map(|r| {
                let facts = validate::scan_chunk(&tc, &w.source.chunk(r.clone()));
                progress.inc(w.source.bytes(r));
                facts
            })
            .collect();
        for mut f in facts {
            problems.0.append(&mut f.errors);
            problems.1 += f.more_errors;
            keys.add(f);
        }
    }
    (keys, later)
}

/// Turns a table's keys into sort orders, its sorted ids and its lookup
/// index, and reports duplicate ids, parent cycles and parents that are not
/// in the table.
fn finish(w: &mut Work, keys: Keys, errors: &mut Vec<DataError>) {
    let Keys {
        seq,
        spill_error,
        lookup,
        ids,
        edges,
        uniques,
        first_rows,
        rows,
        ..
    } = keys;
    w.first_rows = first_rows;
    w.rows = rows as u64;
    if w.plan.sequence.is_some() {
        if rows > (i32::MAX / 10) as usize {
            errors.push(
                DataError::new("too many rows for a sequential sort_order (integer)")
                    .table(w.label.clone()),
            );
        }
        let mut merged = seq.sorted();
        w.numbers = Some(sequence::number_sorted(merged.by_ref(), rows));
        if let Some(e) = spill_error.or_else(|| merged.error()) {
            errors.push(
                DataError::new(format!(
                    "could not keep the sort keys in a temporary file in {} (set TMPDIR to a folder with room, or raise --memory): {e}",
                    std::env::temp_dir().display()
                ))
                .table(w.label.clone()),
            );
        }
    }
    w.ids = ids;
    w.ids.shrink_to_fit();
    if w.plan.provides.is_some() {
        // Sorts the ids too, so the index shares them.
        w.index = lookup.build(&mut w.ids);
    } else {
        w.ids.par_sort_unstable();
    }
    for d in keys::duplicates(&w.ids).into_iter().take(MAX_ERRORS) {
        let e = DataError::new("duplicate primary key: the id appears more than once")
            .table(w.label.clone())
            .row(uuid::Uuid::from_u128(d).to_string())
            .column("id");
        errors.push(locate(w, d, e));
    }
    if w.self_fk.is_some() {
        report_dangling_parents(w, &edges, errors);
        report_cycles(w, edges, errors);
    }
    report_unique(w, uniques, errors);
}

/// Rows whose v2 unique key is already in an earlier row: each is refused
/// at its own place, naming the earlier row's. Only rows whose hashes meet
/// are re-read, and their keys compared in full.
fn report_unique(w: &Work, uniques: Vec<Vec<(u64, u32)>>, errors: &mut Vec<DataError>) {
    for (u, mut pairs) in w.values.uniques.iter().zip(uniques) {
        pairs.par_sort_unstable();
        let mut found = 0;
        for run in pairs.chunk_by(|a, b| a.0 == b.0).filter(|r| r.len() > 1) {
            if found >= MAX_ERRORS {
                break;
            }
            let rows = read_rows(w, run.iter().map(|p| p.1), u);
            for (i, b) in rows.iter().enumerate() {
                let Some(a) = rows[..i].iter().find(|a| a.key == b.key) else {
                    continue;
                };
                let mut e = DataError::new(format!(
                    "duplicate key {}: v2 {} allows one row per ({}), and the row{} has it too",
                    b.show,
                    w.plan.target,
                    u.columns.join(", "),
                    a.id.as_ref()
                        .map_or(String::new(), |id| format!(" with id {id}"))
                ))
                .at(b.at)
                .also_at(a.at)
                .table(w.label.clone())
                .column(u.columns.join(", "));
                if let Some(id) = &b.id {
                    e = e.row(id.clone());
                }
                errors.push(e);
                found += 1;
            }
        }
    }
}

/// A row re-read to name it in a message.
struct Seen {
    at: usize,
    key: Vec<u8>,
    id: Option<String>,
    show: String,
}

/// Re-reads the rows numbered `rows` (ascending) of a table (cold path).
fn read_rows(w: &Work, rows: impl Iterator<Item = u32>, u: &UniqueCheck) -> Vec<Seen> {
    let mut out = Vec::new();
    for row in rows {
        let row = row as usize;
        let k = w
            .first_rows
            .partition_point(|&f| f <= row)
            .saturating_sub(1);
        let Some(range) = w.chunks.get(k) else {
            continue;
        };
        let mut n = w.first_rows[k];
        let _ = w.source.chunk(range.clone()).for_each(|at, fields| {
            if n == row {
                let mut key = Vec::new();
                if fields.len() == w.plan.width && u.key(fields, &mut key) {
                    out.push(Seen {
                        at,
                        key,
                        id: validate::row_label(&w.plan, fields),
                        show: u.show(fields),
                    });
                }
                return false;
            }
            n += 1;
            true
        });
    }
    out
}

fn self_fk_column(w: &Work) -> String {
    w.self_fk
        .map(|f| w.plan.input_columns[f].clone())
        .unwrap_or_default()
}

/// A self-reference (`parent_id`) whose row is not in the table.
fn report_dangling_parents(w: &Work, edges: &[(u128, u128)], errors: &mut Vec<DataError>) {
    let column = self_fk_column(w);
    let target = w
        .fks
        .iter()
        .find(|fk| Some(fk.field) == w.self_fk)
        .map_or(w.label.as_str(), |fk| fk.target_label.as_str());
    let missing = edges
        .iter()
        .filter(|(_, parent)| w.ids.binary_search(parent).is_err());
    for &(id, parent) in missing.take(MAX_ERRORS) {
        let e = DataError::new(format!(
            "{column} {} is not in {target}: the foreign key has no row to point at",
            uuid::Uuid::from_u128(parent)
        ))
        .table(w.label.clone())
        .row(uuid::Uuid::from_u128(id).to_string())
        .column(column.clone());
        errors.push(locate(w, id, e));
    }
}

fn report_cycles(w: &Work, edges: Vec<(u128, u128)>, errors: &mut Vec<DataError>) {
    let column = self_fk_column(w);
    for cycle in keys::cycles(edges).into_iter().take(MAX_ERRORS) {
        let mut path: Vec<String> = cycle.iter().map(|&id| keys::short(id)).collect();
        path.push(keys::short(cycle[0]));
        let e = DataError::new(format!("{column} forms a cycle ({})", path.join(" → ")))
            .table(w.label.clone())
            .row(uuid::Uuid::from_u128(cycle[0]).to_string())
            .column(column.clone());
        errors.push(locate(w, cycle[0], e));
    }
}

/// Adds the byte offset of row `id` to `e`, re-reading the table (cold path).
fn locate(w: &Work, id: u128, e: DataError) -> DataError {
    let found = w
        .chunks
        .iter()
        .find_map(|r| keys::find_row(&w.plan, &w.source.chunk(r.clone()), id));
    match found {
        Some(at) => e.at(at),
        None => e,
    }
}

/// A foreign key resolved to its target's sorted ids (none when the target
/// is not in the dump).
fn reference<'w>(works: &'w [Work], fk: &'w Fk) -> Reference<'w> {
    Reference {
        field: fk.field,
        ids: fk.target.map_or(&[][..], |x| &works[x].ids[..]),
        target: &fk.target_label,
    }
}

/// The second read, for foreign keys whose target was read after the
/// referencing table (`later`: table and foreign key indexes).
fn check_later(works: &[Work], later: &[(usize, usize)]) -> Problems {
    let mut errors = Vec::new();
    let mut more = 0;
    for t in 0..works.len() {
        let w = &works[t];
        let refs: Vec<Reference> = later
            .iter()
            .filter(|(lt, _)| *lt == t)
            .map(|&(_, k)| reference(works, &w.fks[k]))
            .collect();
        if refs.is_empty() {
            continue;
        }
        let facts: Vec<ChunkFacts> = w
            .chunks
            .par_iter()
            .map(|r| keys::check_references(&w.plan, &w.label, &refs, &w.source.chunk(r.clone())))
            .collect();
        for mut f in facts {
            errors.append(&mut f.errors);
            more += f.more_errors;
        }
    }
    (errors, more)
}
