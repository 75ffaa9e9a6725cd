//! "Sequential" `sort_order`: 10, 20, 30 ... within a scope, ordered by the
//! instant of a timestamp column, ties by id; or in dump order.
//!
//! The work needs the whole table, so it runs on compact keys (UUIDs as u128,
//! instants as i64), never on copies of rows: one `SeqKey` per row, sorted,
//! then numbered.

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
    pub scope: Scope,
    pub instant: i64,
    pub id: u128,
    /// The row's index in its table (dump order); also the final tie-break,
    /// so the order is total and the result deterministic.
    pub row: u32,
}

/// Numbers the rows: `result[row]` is the row's `sort_order`.
pub fn number(mut keys: Vec<SeqKey>, rows: usize) -> Vec<u32> {
    keys.par_sort_unstable();
    let mut out = vec![0u32; rows];
    let mut current: Option<Scope> = None;
    let mut k = 0u32;
    for key in keys {
        if current != Some(key.scope) {
            current = Some(key.scope);
            k = 0;
        }
        k += 1;
        out[key.row as usize] = k.saturating_mul(10);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(scope: Option<u128>, instant: i64, id: u128, row: u32) -> SeqKey {
        SeqKey {
            scope: Scope::new(false, &[scope]),
            instant,
            id,
            row,
        }
    }

    #[test]
    fn numbers_per_scope_by_instant_then_id() {
        let keys = vec![
            key(Some(1), 50, 9, 0),
            key(Some(1), 10, 9, 1),
            key(Some(2), 10, 1, 2),
            key(Some(1), 50, 3, 3),
            key(None, 99, 1, 4),
            key(None, 1, 1, 5),
        ];
        assert_eq!(number(keys, 6), vec![30, 10, 10, 20, 20, 10]);
    }

    #[test]
    fn fallback_groups_never_merge_with_primary_groups() {
        let a = SeqKey {
            scope: Scope::new(false, &[Some(7)]),
            instant: 0,
            id: 1,
            row: 0,
        };
        let b = SeqKey {
            scope: Scope::new(true, &[Some(7)]),
            instant: 0,
            id: 2,
            row: 1,
        };
        assert_eq!(number(vec![a, b], 2), vec![10, 10]);
    }

    #[test]
    fn null_is_its_own_group_in_any_position() {
        let k = |a: Option<u128>, b: Option<u128>, row| SeqKey {
            scope: Scope::new(false, &[a, b]),
            instant: 0,
            id: 0,
            row,
        };
        let keys = vec![
            k(Some(1), None, 0),
            k(Some(1), Some(0), 1),
            k(Some(1), None, 2),
        ];
        assert_eq!(number(keys, 3), vec![10, 10, 20]);
    }
}
