//! Row ids as data, shared by the mapping and the checks below both: a UUID
//! read as PostgreSQL's `uuid_in` reads it, a raw COPY field read as a UUID,
//! and the sorted `id -> value` index that lookups go through.

use crate::copy::codec;
use crate::spill::{Array, Budget, Record};

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
/// is 4 bytes a row instead of 48 beside the ids, and past the memory budget
/// those 4 bytes are in a mapped temporary file.
#[derive(Debug, Default)]
pub struct LookupIndex {
    /// Per row, in sorted-id order: an index into `distinct`, or `NULL`.
    values: Array<u32>,
    distinct: Vec<u128>,
}

/// The `values` entry of a NULL value.
const NULL: u32 = u32::MAX;

/// A row's id and the index of its lookup value, ordered by id: what the
/// table's keys gather (and spill) for a table that lookups read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct IdValue {
    pub id: u128,
    pub value: u32,
}

impl Record for IdValue {
    const BYTES: usize = 20;
    fn put(&self, out: &mut [u8]) {
        out[..16].copy_from_slice(&self.id.to_le_bytes());
        out[16..].copy_from_slice(&self.value.to_le_bytes());
    }
    fn get(raw: &[u8]) -> Self {
        IdValue {
            id: u128::get(&raw[..16]),
            value: u32::from_le_bytes(raw[16..20].try_into().unwrap_or_default()),
        }
    }
}

/// Numbers one table's distinct lookup values in order of first sight.
#[derive(Debug, Default)]
pub struct LookupValues {
    /// foldhash, as for the sequence scopes: a lookup per row, seeded per
    /// process; the numbering depends on first sight only.
    seen: std::collections::HashMap<u128, u32, foldhash::fast::RandomState>,
    distinct: Vec<u128>,
    /// More distinct values than a `u32` holds (never with real data).
    overflow: bool,
}

impl LookupValues {
    /// The number of `value` (`NULL` for NULL).
    pub fn index(&mut self, value: Option<u128>) -> u32 {
        let Some(v) = value else {
            return NULL;
        };
        let next = self.distinct.len() as u32;
        let distinct = &mut self.distinct;
        let overflow = &mut self.overflow;
        *self.seen.entry(v).or_insert_with(|| {
            *overflow |= next == NULL;
            distinct.push(v);
            next
        })
    }

    /// Splits `len` pairs in id order into the table's sorted ids and the
    /// index that goes with them, both placed by `budget`. The index is
    /// `None` when the values overflow.
    pub fn build(
        self,
        pairs: impl Iterator<Item = IdValue>,
        len: usize,
        budget: &Budget,
    ) -> std::io::Result<(Array<u128>, Option<LookupIndex>)> {
        let mut ids = Array::new(len, budget)?;
        let mut values = Array::new(len, budget)?;
        for ((id, value), p) in ids.iter_mut().zip(values.iter_mut()).zip(pairs) {
            *id = p.id;
            *value = p.value;
        }
        let index = (!self.overflow).then_some(LookupIndex {
            values,
            distinct: self.distinct,
        });
        Ok((ids, index))
    }
}

impl LookupIndex {
    /// The value of the row at `i` in sorted-id order, as a per-row number
    /// (`join`'s form): 0 for NULL, else the distinct value's number + 1.
    pub fn numbered(&self, i: usize) -> Option<u32> {
        self.values.get(i).map(|&k| k.wrapping_add(1))
    }

    /// The value a per-row number stands for (`None`: NULL).
    pub fn value_of(&self, numbered: u32) -> Option<u128> {
        numbered
            .checked_sub(1)
            .and_then(|k| self.distinct.get(k as usize).copied())
    }

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
        let mut pairs: Vec<IdValue> = rows
            .iter()
            .map(|&(id, v)| IdValue {
                id,
                value: values.index(v),
            })
            .collect();
        pairs.sort_unstable();
        let dir = tempfile::tempdir().unwrap();
        for room in [1 << 20, 0] {
            let budget = Budget::new(room, dir.path());
            let values = LookupValues {
                seen: values.seen.clone(),
                distinct: values.distinct.clone(),
                overflow: false,
            };
            let (ids, index) = values.build(pairs.iter().copied(), 4, &budget).unwrap();
            let index = index.unwrap();
            assert_eq!(&ids[..], &[10, 20, 30, 40]);
            assert_eq!(ids.on_disk(), room == 0);
            for (id, v) in rows {
                assert_eq!(index.get(&ids, id), Some(v), "{id}");
            }
            assert_eq!(index.get(&ids, 25), None);
        }
    }

    #[test]
    fn an_id_and_value_pair_reads_back_as_written() {
        let p = IdValue {
            id: u128::MAX - 3,
            value: NULL,
        };
        let mut raw = [0u8; 20];
        p.put(&mut raw);
        assert_eq!(IdValue::get(&raw), p);
    }
}
