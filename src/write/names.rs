//! The names PostgreSQL gives the keys and indexes a migration leaves
//! unnamed, so that the sectioned load can add them later under exactly
//! those names.
//!
//! PostgreSQL (backend/commands/indexcmds.c, catalog/pg_constraint.c) builds
//! a name from the table, the key's columns and a label (`pkey`, `key`,
//! `fkey`, `idx`), shortens it to fit 63 bytes, and appends a number to the
//! label while the name is taken. dumpshift models only the first try: a
//! [`Namespace`] answers `None` when that name is already used by anything
//! it knows, and the caller then keeps the statement where the migration has
//! it, so PostgreSQL picks the name itself in the same state as always.

use std::collections::HashSet;

/// PostgreSQL's NAMEDATALEN: identifiers hold at most 63 bytes.
const NAMEDATALEN: usize = 64;

/// The longest prefix of `s` of at most `max` bytes that ends on a
/// character boundary (pg_mbcliplen in a UTF-8 database).
fn clip(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// makeObjectName: `name1_name2_label`, the longer of name1 and name2
/// shortened first until the whole fits in 63 bytes; the label is kept.
pub fn object_name(name1: &str, name2: Option<&str>, label: &str) -> String {
    let mut overhead = label.len() + 1;
    if name2.is_some() {
        overhead += 1;
    }
    let avail = NAMEDATALEN - 1 - overhead;
    let (mut n1, mut n2) = (name1.len(), name2.map_or(0, str::len));
    while n1 + n2 > avail {
        if n1 > n2 {
            n1 -= 1;
        } else {
            n2 -= 1;
        }
    }
    let mut out = clip(name1, n1).to_string();
    if let Some(name2) = name2 {
        out.push('_');
        out.push_str(clip(name2, n2));
    }
    out.push('_');
    out.push_str(label);
    out
}

/// ChooseIndexNameAddition and ChooseForeignKeyConstraintNameAddition: the
/// column names joined by `_`, stopping once 64 bytes are reached.
pub fn addition(columns: &[String]) -> String {
    let mut out = String::new();
    for c in columns {
        if !out.is_empty() {
            out.push('_');
        }
        out.push_str(clip(c, NAMEDATALEN - 1));
        if out.len() >= NAMEDATALEN {
            break;
        }
    }
    out
}

/// Whether PostgreSQL keeps `name` as written: longer identifiers are cut
/// (with a NOTICE), which dumpshift does not model.
pub fn fits(name: &str) -> bool {
    name.len() < NAMEDATALEN
}

/// The names used so far in the schema, relations and constraints together:
/// PostgreSQL checks relations for index names and constraints for key
/// names; one set for both can only make dumpshift more careful.
#[derive(Default)]
pub struct Namespace {
    taken: HashSet<String>,
    /// Set once a statement may have made names dumpshift cannot know (a DO
    /// block, a rename): from then on every choice is refused.
    blind: bool,
    /// Tables with an index PostgreSQL named in a way not modelled (an
    /// expression column): no further name is chosen for them.
    unknown: HashSet<String>,
}

impl Namespace {
    /// Records a name the migrations give explicitly (or that PostgreSQL
    /// gives something dumpshift leaves in place).
    pub fn take(&mut self, name: &str) {
        self.taken.insert(name.to_string());
    }

    /// Refuses every later choice.
    pub fn blind(&mut self) {
        self.blind = true;
    }

    /// Refuses every later choice for `table`.
    pub fn unknown_names_on(&mut self, table: &str) {
        self.unknown.insert(table.to_string());
    }

    /// The name PostgreSQL chooses for `table`'s key or index of `columns`
    /// with `label`, and records it; `None` if that first choice is taken
    /// (PostgreSQL would number it).
    pub fn choose(
        &mut self,
        table: &str,
        columns: Option<&[String]>,
        label: &str,
    ) -> Option<String> {
        let extra = columns.map(addition);
        let name = object_name(table, extra.as_deref(), label);
        if !self.taken.insert(name.clone()) || self.blind || self.unknown.contains(table) {
            return None;
        }
        Some(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cols(c: &[&str]) -> Vec<String> {
        c.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn short_names_are_table_columns_and_label() {
        assert_eq!(object_name("tasks", None, "pkey"), "tasks_pkey");
        assert_eq!(
            object_name(
                "daily_focus",
                Some(&addition(&cols(&["focus_date", "slot"]))),
                "key"
            ),
            "daily_focus_focus_date_slot_key"
        );
    }

    #[test]
    fn long_names_lose_bytes_from_the_longer_part_first() {
        let table = "t".repeat(40);
        let column = "c".repeat(40);
        let name = object_name(&table, Some(&column), "fkey");
        assert_eq!(name.len(), 63);
        assert_eq!(name, format!("{}_{}_fkey", "t".repeat(29), "c".repeat(28)));
    }

    #[test]
    fn shortening_never_splits_a_character() {
        let table = "é".repeat(40);
        let name = object_name(&table, None, "pkey");
        assert!(name.len() <= 63);
        assert!(name.ends_with("_pkey"));
        assert_eq!(name, format!("{}_pkey", "é".repeat(29)));
    }

    #[test]
    fn a_taken_first_choice_is_refused() {
        let mut ns = Namespace::default();
        ns.take("a_pkey");
        assert_eq!(ns.choose("a", None, "pkey"), None);
        assert_eq!(ns.choose("b", None, "pkey").as_deref(), Some("b_pkey"));
        assert_eq!(ns.choose("b", None, "pkey"), None);
    }
}
