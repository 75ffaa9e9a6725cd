//! "Sequential" `sort_order`: 10, 20, 30 ... within a scope, ordered by the
//! instant of a timestamp column, ties by id; or in dump order.
//!
//! The work needs the whole table, so it runs on compact keys (UUIDs as u128,
//! instants as i64), never on copies of rows: one 32-byte `SeqKey` per row,
//! sorted, then numbered. A row's scope (up to two UUIDs and a NULL mask) is
//! replaced by a dense `u32` index into the table's distinct scopes, which
//! are few: the keys of a 1.5M-row table then fit in 48 MB.

use std::collections::HashMap;

use rayon::slice::ParallelSliceMut;

/// How many scope columns a sequence may have.
pub const MAX_SCOPE: usize = 2;

/// The group a row is numbered in. NULL is a value of its own (MAPPING.md:
/// "a NULL scope key is its own group"); `fallback` marks a group formed from
/// the fallback columns (tasks without a project, grouped per domain), so it
/// can never merge with a group of the primary columns.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Scope {
    pub fallback: bool,
    pub nulls: u8,
    pub values: [u128; MAX_SCOPE],
}

impl Scope {
    /// Builds a scope from parsed UUID values (`None` = NULL).
    pub fn new(fallback: bool, vals: &[Option<u128>]) -> Scope {
        let mut s = Scope {
            fallback,
            ..Scope::default()
        };
        for (i, v) in vals.iter().enumerate().take(MAX_SCOPE) {
            match v {
                Some(v) => s.values[i] = *v,
                None => s.nulls |= 1 << i,
            }
        }
        s
    }
}

/// One row's ordering facts. Field order is sort order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct SeqKey {
    /// Index of the row's `Scope` among the distinct scopes: of its chunk
    /// while rows are read, of its table once gathered.
    pub scope: u32,
    pub instant: i64,
    pub id: u128,
    /// The row's index in its table (dump order); also the final tie-break,
    /// so the order is total and the result deterministic.
    pub row: u32,
}

/// Distinct scopes numbered in order of first sight: per chunk while rows
/// are read, then per table as the chunks are gathered in order.
#[derive(Debug, Default)]
pub struct Scopes {
    /// foldhash: SipHash showed in profiles at one lookup per row; foldhash
    /// is seeded per process too, so a crafted dump cannot aim at it, and
    /// the numbering never depends on the hash (first sight decides).
    seen: HashMap<Scope, u32, foldhash::fast::RandomState>,
    list: Vec<Scope>,
}

impl Scopes {
    /// The dense index of `scope`, adding it when new.
    pub fn index(&mut self, scope: Scope) -> u32 {
        let next = self.list.len() as u32;
        let list = &mut self.list;
        *self.seen.entry(scope).or_insert_with(|| {
            list.push(scope);
            next
        })
    }

    /// The scopes in index order; drops the lookup table.
    pub fn into_list(self) -> Vec<Scope> {
        self.list
    }
}

/// Numbers the rows: `result[row]` is the row's `sort_order`.
pub fn number(mut keys: Vec<SeqKey>, rows: usize) -> Vec<u32> {
    keys.par_sort_unstable();
    number_sorted(keys, rows)
}

/// `number`, for keys that come already sorted (merged from runs that
/// went to disk past the memory budget).
pub fn number_sorted(keys: impl IntoIterator<Item = SeqKey>, rows: usize) -> Vec<u32> {
    let mut out = vec![0u32; rows];
    number_into(keys, &mut out);
    out
}

/// `number_sorted` into `out`, one slot a row (which may be a mapped
/// array: the keys' rows are random, so only the touched pages are
/// written).
pub fn number_into(keys: impl IntoIterator<Item = SeqKey>, out: &mut [u32]) {
    let mut current: Option<u32> = None;
    let mut k = 0u32;
    for key in keys {
        let Some(slot) = out.get_mut(key.row as usize) else {
            continue;
        };
        if current != Some(key.scope) {
            current = Some(key.scope);
            k = 0;
        }
        k += 1;
        *slot = k.saturating_mul(10);
    }
}

/// A key in a spilled run: 32 little-endian bytes, field after field.
impl crate::spill::Record for SeqKey {
    const BYTES: usize = 32;

    fn put(&self, out: &mut [u8]) {
        out[..4].copy_from_slice(&self.scope.to_le_bytes());
        out[4..12].copy_from_slice(&self.instant.to_le_bytes());
        out[12..28].copy_from_slice(&self.id.to_le_bytes());
        out[28..32].copy_from_slice(&self.row.to_le_bytes());
    }

    fn get(raw: &[u8]) -> SeqKey {
        let b = |r: std::ops::Range<usize>| &raw[r];
        SeqKey {
            scope: u32::from_le_bytes(b(0..4).try_into().unwrap_or_default()),
            instant: i64::from_le_bytes(b(4..12).try_into().unwrap_or_default()),
            id: u128::from_le_bytes(b(12..28).try_into().unwrap_or_default()),
            row: u32::from_le_bytes(b(28..32).try_into().unwrap_or_default()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Keys of one chunk, numbered the way the check pass does it.
    fn keys(rows: &[(Scope, i64, u128)]) -> Vec<SeqKey> {
        let mut scopes = Scopes::default();
        rows.iter()
            .enumerate()
            .map(|(row, &(scope, instant, id))| SeqKey {
                scope: scopes.index(scope),
                instant,
                id,
                row: row as u32,
            })
            .collect()
    }

    fn one(v: Option<u128>) -> Scope {
        Scope::new(false, &[v])
    }

    #[test]
    fn numbers_per_scope_by_instant_then_id() {
        let k = keys(&[
            (one(Some(1)), 50, 9),
            (one(Some(1)), 10, 9),
            (one(Some(2)), 10, 1),
            (one(Some(1)), 50, 3),
            (one(None), 99, 1),
            (one(None), 1, 1),
        ]);
        assert_eq!(number(k, 6), vec![30, 10, 10, 20, 20, 10]);
    }

    #[test]
    fn fallback_groups_never_merge_with_primary_groups() {
        let k = keys(&[
            (Scope::new(false, &[Some(7)]), 0, 1),
            (Scope::new(true, &[Some(7)]), 0, 2),
        ]);
        assert_eq!(number(k, 2), vec![10, 10]);
    }

    #[test]
    fn null_is_its_own_group_in_any_position() {
        let k = keys(&[
            (Scope::new(false, &[Some(1), None]), 0, 0),
            (Scope::new(false, &[Some(1), Some(0)]), 0, 0),
            (Scope::new(false, &[Some(1), None]), 0, 0),
        ]);
        assert_eq!(number(k, 3), vec![10, 10, 20]);
    }

    #[test]
    fn chunk_scopes_renumber_into_one_numbering() {
        // Chunk A sees scopes 5 then 9, chunk B sees 9 then 5: renumbered
        // through one table-wide `Scopes`, equal scopes share an index.
        let mut a = Scopes::default();
        let mut b = Scopes::default();
        let (a5, a9) = (a.index(one(Some(5))), a.index(one(Some(9))));
        let (b9, b5) = (b.index(one(Some(9))), b.index(one(Some(5))));
        assert_eq!((a5, a9, b9, b5), (0, 1, 0, 1));
        let mut table = Scopes::default();
        let ra: Vec<u32> = a.into_list().into_iter().map(|s| table.index(s)).collect();
        let rb: Vec<u32> = b.into_list().into_iter().map(|s| table.index(s)).collect();
        assert_eq!(ra[a5 as usize], rb[b5 as usize]);
        assert_eq!(ra[a9 as usize], rb[b9 as usize]);
        assert_ne!(ra[a5 as usize], ra[a9 as usize]);
    }

    #[test]
    fn keys_merged_from_spilled_runs_are_numbered_as_one_sort_numbers_them() {
        use crate::spill::{Record, Runs};
        let rows: Vec<(Scope, i64, u128)> = (0..5000u128)
            .map(|i| {
                let h = i.wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835);
                let scope = one((h % 7 != 0).then_some(h % 5));
                (scope, (h >> 64) as i64 % 100, h >> 3)
            })
            .collect();
        let dir = tempfile::tempdir().unwrap();
        let mut runs = Runs::new(300 * std::mem::size_of::<SeqKey>(), dir.path());
        for k in keys(&rows) {
            let mut raw = [0u8; 32];
            k.put(&mut raw);
            assert_eq!(SeqKey::get(&raw), k);
            runs.push(k).unwrap();
        }
        assert!(runs.spilled());
        let mut merged = runs.sorted();
        let got = number_sorted(merged.by_ref(), rows.len());
        assert!(merged.error().is_none());
        assert_eq!(got, number(keys(&rows), rows.len()));
    }

    #[test]
    fn a_key_is_32_bytes() {
        assert_eq!(std::mem::size_of::<SeqKey>(), 32);
    }
}
