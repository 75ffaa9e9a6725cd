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

/// A sorted `id -> value` index over one table's column, for lookups.
pub struct LookupIndex {
    pairs: Vec<(u128, Option<u128>)>,
}

impl LookupIndex {
    /// Builds the index (duplicate ids are reported by the key checks).
    pub fn build(mut pairs: Vec<(u128, Option<u128>)>) -> LookupIndex {
        rayon::slice::ParallelSliceMut::par_sort_unstable_by_key(&mut pairs[..], |p| p.0);
        LookupIndex { pairs }
    }

    /// `None` when `id` is not in the table; `Some(None)` when its value is NULL.
    pub fn get(&self, id: u128) -> Option<Option<u128>> {
        self.pairs
            .binary_search_by_key(&id, |p| p.0)
            .ok()
            .map(|i| self.pairs[i].1)
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
}
