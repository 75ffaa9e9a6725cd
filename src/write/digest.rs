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

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn uuid_text(id: u128) -> String {
    uuid::Uuid::from_u128(id).hyphenated().to_string()
}

/// The digest of sorted `ids`.
pub fn ids(sorted: &[u128]) -> String {
    let mut h = Sha256::new();
    for (i, id) in sorted.iter().enumerate() {
        if i > 0 {
            h.update(b"\n");
        }
        h.update(uuid_text(*id).as_bytes());
    }
    hex(&h.finalize())
}

/// The digest of a column from per-row `(id, sha256 of value)` pairs.
pub fn values(mut rows: Vec<(u128, Option<[u8; 32]>)>) -> String {
    rows.sort_unstable_by_key(|r| r.0);
    let mut h = Sha256::new();
    for (i, (id, v)) in rows.iter().enumerate() {
        if i > 0 {
            h.update(b"\n");
        }
        h.update(uuid_text(*id).as_bytes());
        h.update(b":");
        match v {
            Some(v) => h.update(hex(v).as_bytes()),
            None => h.update(b"NULL"),
        }
    }
    hex(&h.finalize())
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
        assert_eq!(values(Vec::new()), empty);
    }

    #[test]
    fn ids_digest_is_over_canonical_sorted_text() {
        let one = uuid::Uuid::parse_str("00000000-0000-4000-8000-000000000001")
            .unwrap()
            .as_u128();
        let want = hex(&Sha256::digest(b"00000000-0000-4000-8000-000000000001"));
        assert_eq!(ids(&[one]), want);
    }
}
