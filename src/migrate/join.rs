//! Foreign keys onto the tables already read, as a merge join: the
//! referencing values are gathered while a table is read, sorted (spilling
//! runs like the other keys), and merged against the target's sorted ids
//! in one pass. A search per row would miss the cache at every step, and
//! on ids that went to disk (past `--memory`) read pages of that file at
//! random, in a small memory cgroup again and again. The same pass finds
//! each row's lookup value when the key is a lookup's, so the rewrite
//! reads them in row order instead of searching.

use std::collections::BinaryHeap;

use super::{Fk, Work};
use crate::error::DataError;
use crate::ids::IdValue;
use crate::spill::{Array, Budget, Runs};
use crate::validate::keys::{self, Reference, NO_PARENT};
use crate::validate::{row_label, MAX_ERRORS};

/// What one join found.
#[derive(Default)]
pub struct Joined {
    /// Rows whose value is not in the target, named as the row-by-row check
    /// names them.
    pub errors: Vec<DataError>,
    /// Problems beyond those in `errors`.
    pub more: usize,
    /// Each row's lookup value, when the key is the table's lookup key.
    pub looked_up: Option<Array<u32>>,
}

/// Merges the `(value, row)` pairs of `w`'s foreign key `fk` (gathered in
/// `pairs`: `id` the value, `value` the row) against `target`'s sorted ids.
pub fn join(
    w: &Work,
    fk: &Fk,
    target: &Work,
    pairs: Runs<IdValue>,
    held: &Budget,
) -> std::io::Result<Joined> {
    // The key must be the lookup's and point at the looked-up table: a
    // column can be a foreign key onto another table (its DDL says so)
    // and the lookup's key at once.
    let is_lookup = w
        .plan
        .lookup
        .as_ref()
        .is_some_and(|l| l.key == fk.field && target.plan.source == l.table);
    let index = target.index.as_ref().filter(|_| is_lookup);
    let mut looked_up = match index {
        Some(_) => Some(Array::<u32>::new(w.rows as usize, held)?),
        None => None,
    };
    let ids = &target.ids[..];
    let mut i = 0;
    // The first rows in row order, as the row-by-row check keeps them:
    // the largest kept row goes when a smaller one comes.
    let mut missing: BinaryHeap<usize> = BinaryHeap::new();
    let mut more = 0;
    let mut merged = pairs.sorted();
    for IdValue {
        id: key,
        value: row,
    } in merged.by_ref()
    {
        i = gallop(ids, i, key, |&id| id);
        if ids.get(i) == Some(&key) {
            if let (Some(index), Some(rows)) = (index, looked_up.as_mut()) {
                if let (Some(v), Some(slot)) = (index.numbered(i), rows.get_mut(row as usize)) {
                    *slot = v;
                }
            }
        } else {
            missing.push(row as usize);
            if missing.len() > MAX_ERRORS {
                missing.pop();
                more += 1;
            }
        }
    }
    if let Some(e) = merged.error() {
        return Err(e);
    }
    let missing = missing.into_sorted_vec();
    Ok(Joined {
        errors: name_rows(w, fk, &missing),
        more,
        looked_up,
    })
}

/// The first position at or after `from` whose id (`id_of`) is not below
/// `key`. Both sides ascend, so the cursor only moves forward, in steps
/// that double: the pages read are those near it, in order.
fn gallop<T>(items: &[T], from: usize, key: u128, id_of: impl Fn(&T) -> u128) -> usize {
    let (mut lo, mut step) = (from, 1);
    while lo + step < items.len() && id_of(&items[lo + step]) < key {
        lo += step;
        step *= 2;
    }
    let hi = (lo + step + 1).min(items.len());
    lo + items[lo.min(hi)..hi].partition_point(|x| id_of(x) < key)
}

/// A table's own parent links, `[id, parent]` edges sorted by id, merged
/// the same way: the parents are sorted (spilling past `share` bytes) and
/// walked once against the table's sorted `ids` and once against the
/// edges' own ids. Returns the edges whose parent is not in the table (the
/// first `MAX_ERRORS`, in edge order), and each edge's parent edge
/// (`NO_PARENT` for a parent that has no parent itself), as `cycles` reads
/// them.
pub fn parent_links(
    edges: &[[u128; 2]],
    ids: &[u128],
    held: &Budget,
    share: usize,
) -> std::io::Result<(Vec<usize>, Array<u32>)> {
    let mut by_parent = Runs::new(share, held.dir());
    for (i, e) in edges.iter().enumerate() {
        by_parent.push(IdValue {
            id: e[1],
            value: i as u32,
        })?;
    }
    let mut parent = Array::<u32>::new(edges.len(), held)?;
    let mut missing: BinaryHeap<usize> = BinaryHeap::new();
    let (mut at_id, mut at_edge) = (0, 0);
    let mut merged = by_parent.sorted();
    for IdValue { id: p, value: i } in merged.by_ref() {
        at_id = gallop(ids, at_id, p, |&id| id);
        if ids.get(at_id) != Some(&p) {
            missing.push(i as usize);
            if missing.len() > MAX_ERRORS {
                missing.pop();
            }
        }
        at_edge = gallop(edges, at_edge, p, |e| e[0]);
        let found = edges.get(at_edge).is_some_and(|e| e[0] == p);
        if let Some(slot) = parent.get_mut(i as usize) {
            *slot = if found { at_edge as u32 } else { NO_PARENT };
        }
    }
    match merged.error() {
        Some(e) => Err(e),
        None => Ok((missing.into_sorted_vec(), parent)),
    }
}

/// The errors for rows whose key `fk` points at no row, in the words and
/// with the place the row-by-row check gives.
fn name_rows(w: &Work, fk: &Fk, rows: &[usize]) -> Vec<DataError> {
    let r = Reference {
        field: fk.field,
        ids: &[],
        target: &fk.target_label,
    };
    let mut errors = Vec::new();
    w.visit_rows(rows.iter().copied(), |at, fields| {
        if fields.len() != w.plan.width {
            return;
        }
        let mut e = DataError::new(keys::dangling(&w.plan, &r, fields))
            .at(at)
            .table(w.label.clone());
        if let Some(id) = row_label(&w.plan, fields) {
            e = e.row(id);
        }
        errors.push(e.column(w.plan.input_columns[fk.field].clone()));
    });
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn galloping_finds_what_a_binary_search_finds() {
        let ids: Vec<u128> = (0..1000u128).map(|i| i * 3).collect();
        let mut keys: Vec<u128> = (0..700u128).map(|i| (i * 7919) % 3100).collect();
        keys.sort_unstable();
        let mut at = 0;
        for key in keys {
            at = gallop(&ids, at, key, |&id| id);
            assert_eq!(at, ids.partition_point(|&id| id < key), "{key}");
        }
        assert_eq!(gallop(&[], 0, 5, |&id: &u128| id), 0);
        assert_eq!(gallop(&ids, 1000, 5, |&id| id), 1000);
    }
}

#[cfg(test)]
mod parent_tests {
    use super::*;

    #[test]
    fn parent_links_merged_find_what_searches_find() {
        // Edges [id, parent], sorted by id: 5 -> 7 -> 6 -> 5 is a cycle, 9
        // hangs off it, 1's parent 2 is a root (no edge), 4's parent 99 is
        // not in the table.
        let edges: Vec<[u128; 2]> = vec![[1, 2], [4, 99], [5, 7], [6, 5], [7, 6], [9, 5]];
        let ids: Vec<u128> = vec![1, 2, 4, 5, 6, 7, 9];
        let dir = tempfile::tempdir().unwrap();
        for room in [1 << 20, 0] {
            let held = Budget::new(room, dir.path());
            let (missing, parent) = parent_links(&edges, &ids, &held, room.max(20)).unwrap();
            assert_eq!(missing, vec![1], "the edge of 4");
            assert_eq!(&parent[..], &[NO_PARENT, NO_PARENT, 4, 2, 3, 2]);
            let cycles = keys::cycles(&edges, &parent, &mut vec![0; edges.len()]);
            assert_eq!(cycles, vec![vec![5, 7, 6]]);
        }
    }
}
