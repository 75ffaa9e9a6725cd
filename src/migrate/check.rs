//! The checking phase: every row is read once in parallel to validate it and
//! collect compact keys; then whole-table work runs on those keys (sort
//! orders, the lookup index, duplicate keys, cycles) and a second parallel
//! pass checks every foreign key. Nothing is written before this passes.

use rayon::prelude::*;

use super::Work;
use crate::error::DataError;
use crate::mapping::sequence;
use crate::progress::Progress;
use crate::validate::keys::{self, Reference};
use crate::validate::{self, ChunkFacts, LookupIndex, MAX_ERRORS};

/// Problems found, and how many more were not kept.
pub type Problems = (Vec<DataError>, usize);

/// Checks every row, then builds the whole-table structures.
pub fn check_rows(works: &mut [Work], progress: &Progress) -> Result<(), Problems> {
    let jobs: Vec<(usize, usize)> = works
        .iter()
        .enumerate()
        .flat_map(|(t, w)| (0..w.chunks.len()).map(move |c| (t, c)))
        .collect();
    let facts: Vec<ChunkFacts> = jobs
        .par_iter()
        .map(|&(t, c)| {
            let w = &works[t];
            let r = w.chunks[c].clone();
            let facts = validate::scan_chunk(
                &w.plan,
                &w.label,
                w.self_fk,
                &w.values,
                &w.source.chunk(r.clone()),
            );
            progress.inc(w.source.bytes(&r));
            facts
        })
        .collect();
    let mut errors = Vec::new();
    let mut more = 0;
    let mut per_table: Vec<Vec<ChunkFacts>> = works.iter().map(|_| Vec::new()).collect();
    for ((t, _), mut f) in jobs.into_iter().zip(facts) {
        errors.append(&mut f.errors);
        more += f.more_errors;
        per_table[t].push(f);
    }
    for (w, facts) in works.iter_mut().zip(per_table) {
        gather(w, facts, &mut errors);
    }
    if errors.is_empty() {
        let (mut e, m) = check_references(works);
        errors.append(&mut e);
        more += m;
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err((errors, more))
    }
}

/// Turns a table's chunk facts into row offsets, sort orders, its sorted ids,
/// its lookup index, and reports duplicate ids and parent cycles.
fn gather(w: &mut Work, facts: Vec<ChunkFacts>, errors: &mut Vec<DataError>) {
    let mut seq = Vec::new();
    let mut pairs = Vec::new();
    let mut edges = Vec::new();
    let mut row = 0usize;
    w.first_rows.clear();
    for f in facts {
        w.first_rows.push(row);
        seq.extend(f.seq.into_iter().map(|mut k| {
            k.row += row as u32;
            k
        }));
        pairs.extend(f.index);
        w.ids.extend(f.ids);
        edges.extend(f.parents);
        row += f.rows as usize;
    }
    w.rows = row as u64;
    if w.plan.sequence.is_some() {
        if row > (i32::MAX / 10) as usize {
            errors.push(
                DataError::new("too many rows for a sequential sort_order (integer)")
                    .table(w.label.clone()),
            );
        }
        w.numbers = Some(sequence::number(seq, row));
    }
    if w.plan.provides.is_some() {
        w.index = Some(LookupIndex::build(pairs));
    }
    w.ids.par_sort_unstable();
    for d in keys::duplicates(&w.ids).into_iter().take(MAX_ERRORS) {
        let e = DataError::new("duplicate primary key: the id appears more than once")
            .table(w.label.clone())
            .row(uuid::Uuid::from_u128(d).to_string())
            .column("id");
        errors.push(locate(w, d, e));
    }
    if w.self_fk.is_some() {
        report_cycles(w, edges, errors);
    }
}

fn report_cycles(w: &Work, edges: Vec<(u128, u128)>, errors: &mut Vec<DataError>) {
    let column = w
        .self_fk
        .map(|f| w.plan.input_columns[f].clone())
        .unwrap_or_default();
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

/// The second pass: every foreign key of every row must find its row.
fn check_references(works: &[Work]) -> Problems {
    let mut errors = Vec::new();
    let mut more = 0;
    for w in works {
        let refs: Vec<Reference> = w
            .fks
            .iter()
            .map(|fk| Reference {
                field: fk.field,
                ids: fk.target.map_or(&[][..], |t| &works[t].ids[..]),
                target: &fk.target_label,
            })
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
