//! Row ids as data, shared by the mapping and the checks below both: a UUID
//! read as PostgreSQL's `uuid_in` reads it, a raw COPY field read as a UUID,
//! and the sorted `id -> value` index that lookups go through.

use crate::copy::codec;

/// A UUID as `uuid_in` reads it: 32 hex digits in pairs, a `-` allowed
/// after any group of four but the last, the whole optionally in braces.
pub fn uuid(v: &[u8]) -> Option<u128> {
    if v.len() == 36 && v[8] == b'-' && v[13] == b'-' && v[18] == b'-' && v[23] == b'-' {
        return uuid::Uuid::try_parse_ascii(v).ok().map(|u| u.as_u128());
    }
    let body = match v.strip_prefix(b"{") {
        Some(b) => b.strip_suffix(b"}")?,
        None => v,
    };
    let mut n = 0u128;
    let mut i = 0;
    for pair in 0..16 {
        for _ in 0..2 {
            let d = (*body.get(i)? as char).to_digit(16)?;
            n = n << 4 | u128::from(d);
            i += 1;
        }
        if body.get(i) == Some(&b'-') && pair % 2 == 1 && pair < 15 {
            i += 1;
        }
    }
    (i == body.len()).then_some(n)
}

/// A field that should hold a UUID does not.
#[derive(Debug)]
pub struct NotUuid;

/// Parses a raw COPY field as a UUID; `Ok(None)` for NULL.
pub fn uuid_field(raw: &[u8]) -> Result<Option<u128>, NotUuid> {
    if codec::is_null(raw) {
        return Ok(None);
    }
    // Exactly the forms PostgreSQL's uuid_in takes (not the URN the uuid
    // crate also reads).
    uuid(raw).map(Some).ok_or(NotUuid)
}

/// An `id -> value` index over one table's column, for lookups, kept
/// compact: the ids are the table's own sorted ids (not a copy), and each
/// row holds a `u32` into the column's distinct values, which are few (a
/// task's `domain_id`). Against the former `(u128, Option<u128>)` pairs this
/// is 4 bytes a row instead of 48 beside the ids.
#[derive(Debug, Default)]
pub struct LookupIndex {
    /// Per row, in sorted-id order: an index into `distinct`, or `NULL`.
    values: Vec<u32>,
    distinct: Vec<u128>,
}

/// The `values` entry of a NULL value.
const NULL: u32 = u32::MAX;

/// Gathers one table's lookup values in row order, each distinct value once.
#[derive(Debug, Default)]
pub struct LookupValues {
    /// foldhash, as for the sequence scopes: a lookup per row, seeded per
    /// process; the numbering depends on first sight only.
    seen: std::collections::HashMap<u128, u32, foldhash::fast::RandomState>,
    distinct: Vec<u128>,
    rows: Vec<u32>,
    /// More distinct values than a `u32` holds (never with real data).
    overflow: bool,
}

impl LookupValues {
    pub fn push(&mut self, value: Option<u128>) {
        let Some(v) = value else {
            self.rows.push(NULL);
            return;
        };
        let next = self.distinct.len() as u32;
        let distinct = &mut self.distinct;
        let overflow = &mut self.overflow;
        let k = *self.seen.entry(v).or_insert_with(|| {
            *overflow |= next == NULL;
            distinct.push(v);
            next
        });
        self.rows.push(k);
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn reserve_exact(&mut self, n: usize) {
        self.rows.reserve_exact(n);
    }

    pub fn capacity(&self) -> usize {
        self.rows.capacity()
    }

    /// Sorts `ids` (the table's ids, in the same row order as the values)
    /// and returns the index that goes with them. `None`, with `ids` sorted
    /// all the same, when the two do not line up row for row (a row failed
    /// its checks, so nothing will be written) or the values overflow.
    pub fn build(self, ids: &mut Vec<u128>) -> Option<LookupIndex> {
        use rayon::slice::ParallelSliceMut;
        if self.rows.len() != ids.len() || self.overflow {
            ids.par_sort_unstable();
            return None;
        }
        let mut both: Vec<(u128, u32)> = ids.iter().copied().zip(self.rows).collect();
        *ids = Vec::new();
        both.par_sort_unstable_by_key(|p| p.0);
        *ids = both.iter().map(|p| p.0).collect();
        let values = both.iter().map(|p| p.1).collect();
        Some(LookupIndex {
            values,
            distinct: self.distinct,
        })
    }
}

impl LookupIndex {
    /// Looks `id` up among `ids`, the sorted ids the index was built with:
    /// `None` when `id` is not in the table; `Some(None)` when its value is
    /// NULL.
    pub fn get(&self, ids: &[u128], id: u128) -> Option<Option<u128>> {
        let i = ids.binary_search(&id).ok()?;
        match *self.values.get(i)? {
            NULL => Some(None),
            k => Some(Some(self.distinct[k as usize])),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_as_uuid_in_reads_them() {
        let want = uuid(b"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
        assert!(want.is_some());
        for good in [
            "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}",
            "a0eebc999c0b4ef8bb6d6bb9bd380a11",
            "a0eebc99-9c0b4ef8-bb6d6bb9-bd380a11",
            "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11",
        ] {
            assert_eq!(uuid(good.as_bytes()), want, "{good}");
        }
        for bad in [
            " a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
            "urn:uuid:a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
            "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1-",
            "a0eeb-c99-9c0b-4ef8-bb6d-6bb9bd380a11",
            "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
            "a0eebc99--9c0b-4ef8-bb6d-6bb9bd380a11",
        ] {
            assert_eq!(uuid(bad.as_bytes()), None, "{bad}");
        }
    }

    #[test]
    fn a_lookup_index_answers_as_the_pairs_it_was_built_from() {
        // Rows in dump order: (id, value); NULL values and repeated values.
        let rows = [
            (30u128, Some(7u128)),
            (10, None),
            (20, Some(9)),
            (40, Some(7)),
        ];
        let mut values = LookupValues::default();
        let mut ids = Vec::new();
        for (id, v) in rows {
            ids.push(id);
            values.push(v);
        }
        let index = values.build(&mut ids).unwrap();
        assert_eq!(ids, vec![10, 20, 30, 40]);
        for (id, v) in rows {
            assert_eq!(index.get(&ids, id), Some(v), "{id}");
        }
        assert_eq!(index.get(&ids, 25), None);
    }

    #[test]
    fn a_lookup_index_is_not_built_when_rows_and_values_do_not_line_up() {
        let mut values = LookupValues::default();
        values.push(Some(1));
        let mut ids = vec![5, 3];
        assert!(values.build(&mut ids).is_none());
        assert_eq!(ids, vec![3, 5], "the ids are sorted all the same");
    }
}
