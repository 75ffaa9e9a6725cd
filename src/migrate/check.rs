//! The checking phase. Tables are read one after another, each one's chunks
//! in parallel, in an order that puts every table after the tables its
//! foreign keys point at. The single read that validates a row collects
//! its compact keys, its foreign-key values among them; once the table is
//! read, those are merged against the sorted ids of the tables already read
//! (`join`). Whole-table work (sort orders, the lookup index, duplicate ids,
//! parent cycles and dangling parents) runs on the keys, each kind within
//! its share of `--memory`. Only keys between tables that point at each
//! other need a second read. Nothing is written before this passes.

use std::path::Path;

use rayon::prelude::*;

use super::{join, Fk, Work};
use crate::error::DataError;
use crate::ids::{IdValue, LookupValues};
use crate::mapping::sequence::{self, Scopes, SeqKey};
use crate::progress::Progress;
use crate::spill::{Array, Budget, Record, Runs, Shares};
use crate::validate::keys::{self, Reference};
use crate::validate::unique::UniqueCheck;
use crate::validate::{self, ChunkFacts, TableCheck, MAX_ERRORS};

/// Problems found, and how many more were not kept.
pub type Problems = (Vec<DataError>, usize);

/// Checks every row, then builds the whole-table structures.
/// `memory` bounds the keys held in memory (`--memory`, shared as
/// `spill::Shares` says); past it they go to sorted runs and arrays in the
/// temporary folder.
pub fn check_rows(works: &mut [Work], memory: usize, progress: &Progress) -> Result<(), Problems> {
    let shares = Shares::new(memory);
    let held = Budget::new(shares.held(), &std::env::temp_dir());
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
        let keys = Keys::new(&works[t], shares, held.dir());
        let (mut keys, deferred) = scan_table(works, t, keys, &clean, &mut problems, progress);
        later.extend(deferred.into_iter().map(|k| (t, k)));
        let joined = std::mem::take(&mut keys.joined);
        finish(&mut works[t], keys, &held, &mut problems.0);
        run_joins(works, t, joined, &held, &mut problems);
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

/// A table's ids as they are gathered: alone, or with the number of each
/// row's lookup value when lookups read the table.
enum Ids {
    Plain(Runs<u128>),
    Valued(Runs<IdValue>),
}

/// A table's keys, gathered chunk by chunk in order. Each kind is held in
/// memory up to its share of the budget, then in sorted runs on disk.
struct Keys {
    seq: Runs<SeqKey>,
    /// Which kind of key could not be written to a run, and why.
    failed: Failed,
    scopes: Scopes,
    /// Numbers the lookup column's distinct values.
    lookup: LookupValues,
    ids: Ids,
    /// `[id, parent]` of rows whose self-reference is set.
    edges: Runs<[u128; 2]>,
    /// `(hash, row)` per unique key of the table.
    uniques: Vec<Runs<(u64, u32)>>,
    /// Per foreign key joined (its index in `fks`): `(value, row)` pairs.
    joined: Vec<(usize, Runs<IdValue>)>,
    /// The budget's shares, and the folder runs go to.
    shares: Shares,
    dir: std::path::PathBuf,
    first_rows: Vec<usize>,
    rows: usize,
}

impl Keys {
    fn new(w: &Work, shares: Shares, dir: &Path) -> Keys {
        let ids = match w.plan.provides {
            Some(_) => Ids::Valued(Runs::new(shares.ids(), dir)),
            None => Ids::Plain(Runs::new(shares.ids(), dir)),
        };
        let n = w.values.uniques.len();
        Keys {
            seq: Runs::new(shares.sort_keys(), dir),
            failed: Failed::default(),
            scopes: Scopes::default(),
            lookup: LookupValues::default(),
            ids,
            edges: Runs::new(shares.pairs(), dir),
            uniques: (0..n).map(|_| Runs::new(shares.pairs() / n, dir)).collect(),
            joined: Vec::new(),
            shares,
            dir: dir.to_path_buf(),
            first_rows: Vec::new(),
            rows: 0,
        }
    }

    /// Gathers the values of the foreign keys `fks` (indexes into the
    /// table's) for joins.
    fn join(&mut self, fks: &[usize]) {
        let share = self.shares.ids() / fks.len().max(1);
        self.joined = fks
            .iter()
            .map(|&k| (k, Runs::new(share, &self.dir)))
            .collect();
    }

    /// Reserves room for the rows still to come, estimated from the rows
    /// per byte so far, so the buffers grow once or twice instead of
    /// doubling (a doubling holds the old and the new copy at once).
    fn expect(&mut self, done_bytes: u64, total_bytes: u64) {
        if done_bytes == 0 || self.rows == 0 {
            return;
        }
        let scale = total_bytes as f64 / done_bytes as f64 * 1.05;
        let more = |len: u64| ((len as f64 * scale) as u64).saturating_sub(len) as usize;
        self.seq.reserve(more(self.seq.len()));
        match &mut self.ids {
            Ids::Plain(r) => r.reserve(more(r.len())),
            Ids::Valued(r) => r.reserve(more(r.len())),
        }
    }

    /// Appends one chunk's facts: rows become table rows, and the chunk's
    /// scope indexes become the table's.
    fn add(&mut self, f: ChunkFacts) {
        self.first_rows.push(self.rows);
        let to: Vec<u32> = f.scopes.into_iter().map(|s| self.scopes.index(s)).collect();
        let row = self.rows as u32;
        let err = &mut self.failed;
        for mut k in f.seq {
            k.scope = to[k.scope as usize];
            k.row += row;
            keep(&mut self.seq, k, SORT_KEYS, err);
        }
        match &mut self.ids {
            Ids::Plain(r) => f.ids.into_iter().for_each(|id| keep(r, id, IDS, err)),
            Ids::Valued(r) => {
                for (id, v) in f.ids.into_iter().zip(f.index) {
                    let value = self.lookup.index(v);
                    keep(r, IdValue { id, value }, IDS, err);
                }
            }
        }
        for (id, parent) in f.parents {
            keep(&mut self.edges, [id, parent], PARENTS, err);
        }
        for (all, chunk) in self.uniques.iter_mut().zip(f.uniques) {
            chunk
                .into_iter()
                .for_each(|(h, r)| keep(all, (h, r + row), UNIQUE_KEYS, err));
        }
        for ((_, all), chunk) in self.joined.iter_mut().zip(f.joined) {
            for (id, r) in chunk {
                keep(all, IdValue { id, value: r + row }, FOREIGN_KEYS, err);
            }
        }
        self.rows += f.rows as usize;
    }
}

/// The kinds of keys a table keeps, as messages name them.
const SORT_KEYS: &str = "sort keys";
const IDS: &str = "ids";
const PARENTS: &str = "parent links";
const UNIQUE_KEYS: &str = "unique keys";
const FOREIGN_KEYS: &str = "foreign keys";

/// The first error of each kind of key that could not be kept on disk.
#[derive(Default)]
struct Failed(Vec<(&'static str, std::io::Error)>);

impl Failed {
    fn has(&self, kind: &str) -> bool {
        self.0.iter().any(|f| f.0 == kind)
    }

    fn note(&mut self, kind: &'static str, e: std::io::Error) {
        if !self.has(kind) {
            self.0.push((kind, e));
        }
    }
}

/// Pushes `key`, keeping the first error of its kind; a kind that failed
/// is not pushed again.
fn keep<T: Record>(runs: &mut Runs<T>, key: T, kind: &'static str, failed: &mut Failed) {
    if !failed.has(kind) {
        if let Err(e) = runs.push(key) {
            failed.note(kind, e);
        }
    }
}

/// Reads table `t` once, gathering its keys onto cleanly read tables for
/// joins (`join`), and testing keys onto absent tables row by row.
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
    let mut joins = Vec::new();
    for (k, fk) in w.fks.iter().enumerate() {
        match fk.target {
            // Checked from the parent edges once the table's ids are known.
            Some(x) if x == t => {}
            Some(x) if !clean[x] => later.push(k),
            // Merged against the target's ids once the table is read: a
            // sort and one pass beat a cache-missing search per row, with
            // the ids in memory as on disk (BENCHMARKS.md).
            Some(_) => joins.push(k),
            // A table not in the dump: every value set points at nothing.
            None => refs.push(reference(works, fk)),
        }
    }
    keys.join(&joins);
    let fields: Vec<usize> = joins.iter().map(|&k| w.fks[k].field).collect();
    let tc = TableCheck {
        plan: &w.plan,
        label: &w.label,
        self_fk: w.self_fk,
        values: &w.values,
        refs: &refs,
        joins: &fields,
    };
    let total = w.source.total_bytes();
    let mut done_bytes = 0;
    let mut gather = |facts: Vec<ChunkFacts>, keys: &mut Keys| {
        keys.expect(done_bytes, total);
        for mut f in facts {
            problems.0.append(&mut f.errors);
            problems.1 += f.more_errors;
            done_bytes += f.bytes;
            keys.add(f);
        }
    };
    // Window k's facts are added to the table's keys (in order, on one
    // thread) while window k + 1 is read by the others, so the cores do not
    // wait for the adding.
    let mut pending: Vec<ChunkFacts> = Vec::new();
    for window in w.chunks.chunks(rayon::current_num_threads() * 4) {
        let ready = std::mem::take(&mut pending);
        let (next, ()) = rayon::join(
            || {
                window
                    .par_iter()
                    .map(|r| {
                        let mut facts = validate::scan_chunk(&tc, &w.source.chunk(r.clone()));
                        facts.bytes = w.source.bytes(r);
                        progress.inc(facts.bytes);
                        facts
                    })
                    .collect()
            },
            || gather(ready, &mut keys),
        );
        pending = next;
    }
    gather(pending, &mut keys);
    (keys, later)
}

/// Turns a table's keys into sort orders, its sorted ids and its lookup
/// index (arrays placed by `held`), and reports duplicate ids, parent
/// cycles, parents that are not in the table, and repeated unique keys.
fn finish(w: &mut Work, keys: Keys, held: &Budget, errors: &mut Vec<DataError>) {
    let Keys {
        seq,
        mut failed,
        lookup,
        ids,
        edges,
        uniques,
        first_rows,
        rows,
        shares,
        ..
    } = keys;
    w.first_rows = first_rows;
    w.rows = rows as u64;
    if w.plan.sequence.is_some() && rows > (i32::MAX / 10) as usize {
        errors.push(
            DataError::new("too many rows for a sequential sort_order (integer)")
                .table(w.label.clone()),
        );
    }
    // Numbering and sorting the ids need nothing of each other: one merge
    // each, and a merge of runs is one thread's work.
    let (numbers, sorted) = rayon::join(
        || w.plan.sequence.is_some().then(|| number(seq, rows, held)),
        || match ids {
            Ids::Plain(r) => r.into_array(held).map(|ids| (ids, None)),
            Ids::Valued(r) => {
                let len = r.len() as usize;
                let mut merged = r.sorted();
                let built = lookup.build(merged.by_ref(), len, held);
                merged.error().map_or(built, Err)
            }
        },
    );
    match numbers {
        Some(Ok(numbers)) => w.numbers = Some(numbers),
        Some(Err(e)) => failed.note(SORT_KEYS, e),
        None => {}
    }
    match sorted {
        Ok((ids, index)) => (w.ids, w.index) = (ids, index),
        Err(e) => failed.note(IDS, e),
    }
    // Without their ids, every parent and every key onto the table would
    // look dangling: only the failure is reported.
    if !failed.has(IDS) {
        for d in keys::duplicates(&w.ids).into_iter().take(MAX_ERRORS) {
            let e = DataError::new("duplicate primary key: the id appears more than once")
                .table(w.label.clone())
                .row(uuid::Uuid::from_u128(d).to_string())
                .column("id");
            errors.push(locate(w, d, e));
        }
        if w.self_fk.is_some() {
            if let Err(e) = report_parents(w, edges, held, shares.pairs(), errors) {
                failed.note(PARENTS, e);
            }
        }
    }
    if let Err(e) = report_unique(w, uniques, errors) {
        failed.note(UNIQUE_KEYS, e);
    }
    for (kind, e) in failed.0 {
        errors.push(
            DataError::new(format!(
                "could not keep the {kind} in a temporary file in {} (set TMPDIR to a folder with room, or raise --memory): {e}",
                held.dir().display()
            ))
            .table(w.label.clone()),
        );
    }
}

/// Merges table `t`'s gathered foreign-key values against their targets'
/// ids; a lookup's join also leaves each row's value.
fn run_joins(
    works: &mut [Work],
    t: usize,
    joined: Vec<(usize, Runs<IdValue>)>,
    held: &Budget,
    problems: &mut Problems,
) {
    // Each key's merge reads only its own values and its target's ids: the
    // keys are merged at once, their results taken in key order.
    let results: Vec<_> = {
        let (works, w) = (&*works, &works[t]);
        joined
            .into_par_iter()
            .filter_map(|(k, pairs)| {
                let x = w.fks[k].target?;
                Some(join::join(w, &w.fks[k], &works[x], pairs, held))
            })
            .collect()
    };
    for result in results {
        let w = &works[t];
        match result {
            Ok(mut j) => {
                problems.0.append(&mut j.errors);
                problems.1 += j.more;
                if j.looked_up.is_some() {
                    works[t].looked_up = j.looked_up;
                }
            }
            Err(e) => problems.0.push(
                DataError::new(format!(
                    "could not keep the {FOREIGN_KEYS} in a temporary file in {} (set TMPDIR to a folder with room, or raise --memory): {e}",
                    held.dir().display()
                ))
                .table(w.label.clone()),
            ),
        }
    }
}

/// The sort order of every row, from the sorted sequence keys.
fn number(seq: Runs<SeqKey>, rows: usize, held: &Budget) -> std::io::Result<Array<u32>> {
    let mut numbers = Array::new(rows, held)?;
    let mut merged = seq.sorted();
    sequence::number_into(merged.by_ref(), &mut numbers);
    merged.error().map_or(Ok(numbers), Err)
}

/// Parents that are not in the table, and parent cycles: the edges are
/// sorted by id into an array (on disk past the budget), their parents
/// merged against the ids (`join::parent_links`), and the links walked.
fn report_parents(
    w: &Work,
    edges: Runs<[u128; 2]>,
    held: &Budget,
    share: usize,
    errors: &mut Vec<DataError>,
) -> std::io::Result<()> {
    let edges = edges.into_array(held)?;
    let (missing, parent) = join::parent_links(&edges, &w.ids, held, share)?;
    report_dangling_parents(w, &edges, &missing, errors);
    let mut state = Array::<u8>::new(edges.len(), held)?;
    report_cycles(w, &edges, &parent, &mut state, errors);
    Ok(())
}

/// Rows whose v2 unique key is already in an earlier row: each is refused
/// at its own place, naming the earlier row's. Only rows whose hashes meet
/// are re-read, and their keys compared in full.
fn report_unique(
    w: &Work,
    uniques: Vec<Runs<(u64, u32)>>,
    errors: &mut Vec<DataError>,
) -> std::io::Result<()> {
    for (u, pairs) in w.values.uniques.iter().zip(uniques) {
        let mut merged = pairs.sorted();
        let mut found = 0;
        let mut run: Vec<(u64, u32)> = Vec::new();
        let mut next = merged.next();
        while let Some(p) = next {
            next = merged.next();
            run.push(p);
            if next.is_some_and(|n| n.0 == p.0) {
                continue;
            }
            if run.len() > 1 && found < MAX_ERRORS {
                found += report_run(w, u, &run, errors);
            }
            run.clear();
        }
        if let Some(e) = merged.error() {
            return Err(e);
        }
    }
    Ok(())
}

/// Reports the rows of one run of equal hashes whose keys are equal too;
/// returns how many it reported.
fn report_run(w: &Work, u: &UniqueCheck, run: &[(u64, u32)], errors: &mut Vec<DataError>) -> usize {
    let rows = read_rows(w, run.iter().map(|p| p.1), u);
    let mut found = 0;
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
    found
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
    w.visit_rows(rows.map(|r| r as usize), |at, fields| {
        let mut key = Vec::new();
        if fields.len() == w.plan.width && u.key(fields, &mut key) {
            out.push(Seen {
                at,
                key,
                id: validate::row_label(&w.plan, fields),
                show: u.show(fields),
            });
        }
    });
    out
}

fn self_fk_column(w: &Work) -> String {
    w.self_fk
        .map(|f| w.plan.input_columns[f].clone())
        .unwrap_or_default()
}

/// A self-reference (`parent_id`) whose row is not in the table.
fn report_dangling_parents(
    w: &Work,
    edges: &[[u128; 2]],
    missing: &[usize],
    errors: &mut Vec<DataError>,
) {
    let column = self_fk_column(w);
    let target = w
        .fks
        .iter()
        .find(|fk| Some(fk.field) == w.self_fk)
        .map_or(w.label.as_str(), |fk| fk.target_label.as_str());
    for &[id, parent] in missing.iter().filter_map(|&i| edges.get(i)) {
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

fn report_cycles(
    w: &Work,
    edges: &[[u128; 2]],
    parent: &[u32],
    state: &mut [u8],
    errors: &mut Vec<DataError>,
) {
    let column = self_fk_column(w);
    for cycle in keys::cycles(edges, parent, state)
        .into_iter()
        .take(MAX_ERRORS)
    {
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
