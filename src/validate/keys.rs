//! Keys across whole tables, on compact values only: duplicate primary keys,
//! foreign keys that point at no row (in a dump the rows come before the
//! constraints, and partial or hand-edited dumps happen), and `parent_id`
//! cycles. UUIDs are u128s in sorted vectors; rows are re-read only to name
//! the offending ones.

use super::{row_label, ChunkFacts};
use crate::error::DataError;
use crate::ids::uuid_field;
use crate::mapping::plan::TablePlan;
use crate::rows::Chunk;

/// A foreign key of a table, resolved to the sorted ids of its target.
pub struct Reference<'a> {
    /// The referencing field of this table's rows.
    pub field: usize,
    /// The referenced table's ids, sorted; empty when that table is absent.
    pub ids: &'a [u128],
    /// The referenced table, for messages (`public.tasks`).
    pub target: &'a str,
}

/// The ids that occur more than once in `sorted`.
pub fn duplicates(sorted: &[u128]) -> Vec<u128> {
    let mut out: Vec<u128> = sorted
        .windows(2)
        .filter(|w| w[0] == w[1])
        .map(|w| w[0])
        .collect();
    out.dedup();
    out
}

/// The message for a row whose reference `r` finds no row.
pub fn dangling(plan: &TablePlan, r: &Reference, fields: &[&[u8]]) -> String {
    format!(
        "{} {} is not in {}: the foreign key has no row to point at",
        plan.input_columns[r.field],
        String::from_utf8_lossy(fields[r.field]),
        r.target
    )
}

/// Checks every reference of every row of one chunk: the second pass, for
/// keys onto a table that could not be checked first (tables whose keys
/// point at each other).
pub fn check_references(
    plan: &TablePlan,
    label: &str,
    refs: &[Reference],
    chunk: &Chunk,
) -> ChunkFacts {
    let mut facts = ChunkFacts::default();
    let read = chunk.for_each(|at, fields| {
        if fields.len() != plan.width {
            return true;
        }
        for r in refs {
            let Ok(Some(key)) = uuid_field(fields[r.field]) else {
                continue;
            };
            if r.ids.binary_search(&key).is_err() {
                let mut e = DataError::new(dangling(plan, r, fields))
                    .at(at)
                    .table(label)
                    .column(plan.input_columns[r.field].clone());
                if let Some(id) = row_label(plan, fields) {
                    e = e.row(id);
                }
                facts.fail(e);
            }
        }
        true
    });
    if let Err(e) = read {
        facts.fail(e.table(label));
    }
    facts
}

/// An edge whose parent has no edge of its own (a root's child).
pub const NO_PARENT: u32 = u32::MAX;

/// Finds the cycles among `[id, parent]` edges sorted by id; each cycle
/// once, starting at its smallest id, in the order the parent links run.
/// `parent` gives each edge's parent edge (or `NO_PARENT`), and `state`
/// holds one zero byte per edge for the walk's marks; either may be a
/// mapped array, as the edges may be. The walk is a chase through `parent`.
pub fn cycles(edges: &[[u128; 2]], parent: &[u32], state: &mut [u8]) -> Vec<Vec<u128>> {
    // 0 = not seen, 1 = on the current walk, 2 = known to end outside a cycle
    // or already reported.
    let mut found = Vec::new();
    for start in 0..edges.len() {
        let mut walk = Vec::new();
        let mut cur = Some(start);
        while let Some(i) = cur {
            match state[i] {
                0 => {
                    state[i] = 1;
                    walk.push(i);
                    cur = (parent[i] != NO_PARENT).then_some(parent[i] as usize);
                }
                1 => {
                    let from = walk.iter().position(|&w| w == i).unwrap_or(0);
                    let mut cycle: Vec<u128> = walk[from..].iter().map(|&w| edges[w][0]).collect();
                    let min = (0..cycle.len()).min_by_key(|&k| cycle[k]).unwrap_or(0);
                    cycle.rotate_left(min);
                    found.push(cycle);
                    break;
                }
                _ => break,
            }
        }
        for w in walk {
            state[w] = 2;
        }
    }
    found
}

/// Finds the byte offset of the row whose id is `id` in a chunk; used only
/// to name a row in a message.
pub fn find_row(plan: &TablePlan, chunk: &Chunk, id: u128) -> Option<usize> {
    let idf = plan.id?;
    let mut found = None;
    let _ = chunk.for_each(|at, fields| {
        if fields.len() == plan.width && uuid_field(fields[idf]).ok().flatten() == Some(id) {
            found = Some(at);
        }
        found.is_none()
    });
    found
}

/// A UUID shortened for messages: its first 8 hex digits and an ellipsis.
pub fn short(id: u128) -> String {
    let s = uuid::Uuid::from_u128(id).to_string();
    format!("{}…", &s[..8])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_are_listed_once() {
        assert_eq!(duplicates(&[1, 2, 2, 2, 3, 4, 4]), vec![2, 4]);
        assert!(duplicates(&[]).is_empty());
    }

    fn cycles_of(mut edges: Vec<[u128; 2]>) -> Vec<Vec<u128>> {
        edges.sort_unstable();
        let parent: Vec<u32> = edges
            .iter()
            .map(|e| {
                edges
                    .binary_search_by_key(&e[1], |x| x[0])
                    .map_or(NO_PARENT, |i| i as u32)
            })
            .collect();
        cycles(&edges, &parent, &mut vec![0; edges.len()])
    }

    #[test]
    fn chains_are_not_cycles() {
        assert!(cycles_of(vec![[1, 2], [2, 3], [4, 3], [5, 99]]).is_empty());
    }

    #[test]
    fn each_cycle_is_found_once_from_its_smallest_id() {
        let got = cycles_of(vec![[5, 7], [7, 6], [6, 5], [9, 5], [3, 3], [1, 2]]);
        assert_eq!(got, vec![vec![3], vec![5, 7, 6]]);
    }
}
