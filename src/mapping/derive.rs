//! The rules that make a value from the row's own fields rather than copy
//! one: `coalesce` (the first non-NULL of several columns, else
//! `value_if_null`) and `map` (enum-like values renamed, every value
//! listed). Compiled into `plan::Op::Coalesce` and `plan::Op::Map`; an
//! unlisted value is refused at its row by the checking pass, never here.

use crate::copy::codec;

/// The first non-NULL of `fields`, else `otherwise` (COPY-encoded).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Coalesce {
    pub fields: Vec<usize>,
    pub otherwise: Vec<u8>,
}

impl Coalesce {
    /// The raw bytes this rule writes for a row.
    #[inline]
    pub fn pick<'a>(&'a self, fields: &[&'a [u8]]) -> &'a [u8] {
        self.fields
            .iter()
            .map(|&f| fields[f])
            .find(|v| !codec::is_null(v))
            .unwrap_or(&self.otherwise)
    }
}

/// Old values to new, COPY-encoded, for one field; NULL stays NULL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValueMap {
    pub field: usize,
    pub pairs: Vec<(Vec<u8>, Vec<u8>)>,
}

impl ValueMap {
    /// `pairs` of plain text, encoded once here.
    pub fn new<'a>(field: usize, pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let enc = |s: &str| {
            let mut v = Vec::new();
            codec::encode_into(s.as_bytes(), &mut v);
            v
        };
        ValueMap {
            field,
            pairs: pairs.into_iter().map(|(a, b)| (enc(a), enc(b))).collect(),
        }
    }

    /// The new value of a row's raw field; `None` when it is not listed.
    #[inline]
    pub fn get<'a>(&'a self, raw: &'a [u8]) -> Option<&'a [u8]> {
        if codec::is_null(raw) {
            return Some(raw);
        }
        self.pairs
            .iter()
            .find(|(old, _)| old == raw)
            .map(|(_, new)| new.as_slice())
    }
}

/// The message for a row whose value `raw` the map `m` does not list.
pub fn unmapped(m: &ValueMap, raw: &[u8]) -> String {
    let listed: Vec<String> = m
        .pairs
        .iter()
        .map(|(old, _)| crate::copy::show::value(old))
        .collect();
    format!(
        "{} is not a value the mapping's map lists ({})",
        crate::copy::show::value(raw),
        listed.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coalesce_takes_the_first_non_null_else_the_fallback() {
        let c = Coalesce {
            fields: vec![2, 0],
            otherwise: b"none".to_vec(),
        };
        assert_eq!(c.pick(&[b"a", b"x", b"\\N"]), b"a");
        assert_eq!(c.pick(&[b"a", b"x", b"b"]), b"b");
        assert_eq!(c.pick(&[b"\\N", b"x", b"\\N"]), b"none");
    }

    #[test]
    fn map_renames_listed_values_and_keeps_null() {
        let m = ValueMap::new(0, [("live", "published"), ("a\tb", "tab")]);
        assert_eq!(m.get(b"live"), Some(&b"published"[..]));
        assert_eq!(m.get(b"a\\tb"), Some(&b"tab"[..]));
        assert_eq!(m.get(b"\\N"), Some(&b"\\N"[..]));
        assert_eq!(m.get(b"draft"), None);
    }
}
