//! Digests the load proves before COMMIT, computed offline here and again in
//! SQL by the load. Both sides hash the same text:
//!
//! - ids: the table's ids as canonical text, sorted (uuid order is byte
//!   order, the same as u128 order), joined by `\n`;
//! - a column: `id:hex(sha256(value))` lines (`id:NULL` for NULL) in id
//!   order, joined by `\n`.
//!
//! Any silent change on the way (a lost row, a changed byte in a note body)
//! makes the load raise and roll back.

use sha2::{Digest, Sha256};

use super::ident;

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Lower-case hex of a sha256, on the stack: this runs once per row.
fn hex32(bytes: &[u8; 32]) -> [u8; 64] {
    let mut out = [0u8; 64];
    for (pair, b) in out.chunks_exact_mut(2).zip(bytes) {
        pair[0] = HEX[usize::from(b >> 4)];
        pair[1] = HEX[usize::from(b & 0x0f)];
    }
    out
}

/// Lower-case hex of a sha256.
pub fn hex(bytes: &[u8; 32]) -> String {
    String::from_utf8_lossy(&hex32(bytes)).into_owned()
}

/// The canonical text of a uuid, on the stack.
fn uuid_text(id: u128, buf: &mut [u8; 36]) -> &[u8] {
    uuid::Uuid::from_u128(id)
        .hyphenated()
        .encode_lower(buf)
        .as_bytes()
}

/// The digest of sorted `ids`.
pub fn ids(sorted: &[u128]) -> String {
    let mut h = Sha256::new();
    let mut buf = [0u8; 36];
    for (i, id) in sorted.iter().enumerate() {
        if i > 0 {
            h.update(b"\n");
        }
        h.update(uuid_text(*id, &mut buf));
    }
    hex(&h.finalize().into())
}

/// The digest of a column from per-row `(id, sha256 of value)` pairs in
/// id order (a merge of sorted runs).
pub fn values_sorted(rows: impl IntoIterator<Item = (u128, Option<[u8; 32]>)>) -> String {
    let mut h = Sha256::new();
    let mut buf = [0u8; 36];
    for (i, (id, v)) in rows.into_iter().enumerate() {
        if i > 0 {
            h.update(b"\n");
        }
        h.update(uuid_text(id, &mut buf));
        h.update(b":");
        match v {
            Some(v) => h.update(hex32(&v)),
            None => h.update(b"NULL"),
        }
    }
    hex(&h.finalize().into())
}

/// The SQL expression that computes the same digest over `column` of a table.
pub fn sql(column: &str) -> String {
    let lines = if column == "id" {
        "id::text".to_string()
    } else {
        format!(
            "id::text || ':' || coalesce(encode(sha256(convert_to({}, 'UTF8')), 'hex'), 'NULL')",
            ident(column)
        )
    };
    format!("encode(sha256(convert_to(coalesce(string_agg({lines}, E'\\n' ORDER BY id), ''), 'UTF8')), 'hex')")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_tables_hash_the_empty_string() {
        let empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        assert_eq!(ids(&[]), empty);
        assert_eq!(values_sorted(Vec::new()), empty);
    }

    #[test]
    fn ids_digest_is_over_canonical_sorted_text() {
        let one = uuid::Uuid::parse_str("00000000-0000-4000-8000-000000000001")
            .unwrap()
            .as_u128();
        let want = hex(&Sha256::digest(b"00000000-0000-4000-8000-000000000001").into());
        assert_eq!(ids(&[one]), want);
    }
}
