//! One source table feeding several target tables (a split): each
//! `[[table]]` with the same `source` and another `target` reads its own
//! columns; a source column counts as carried over when any of them reads
//! it, so no entry has to `ignore` what its siblings take.

use super::{Description, Rule, TableDesc};

/// The source columns the other entries of `desc`'s source table read or
/// ignore: the ones `desc` may leave alone without losing data.
pub fn taken_by_siblings(mapping: &Description, desc: &TableDesc) -> Vec<String> {
    let mut out = Vec::new();
    for sibling in mapping
        .tables
        .iter()
        .filter(|t| t.source == desc.source && t.target != desc.target)
    {
        out.extend(sibling.ignore.iter().cloned());
        for c in &sibling.columns {
            if let Ok(rule) = c.rule() {
                out.extend(reads(&rule));
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The source columns a rule reads.
pub fn reads(rule: &Rule) -> Vec<String> {
    match rule {
        Rule::Copy(c) | Rule::StoragePath(c) | Rule::Map(c, _) => vec![c.clone()],
        Rule::Coalesce(cs, _) => cs.clone(),
        Rule::Lookup(l) => vec![l.key.clone()],
        Rule::Sequence(s) => {
            let mut v: Vec<String> = s.scope.iter().chain(&s.fallback_scope).cloned().collect();
            if s.order_by != "dump" {
                v.push(s.order_by.clone());
            }
            v
        }
        Rule::Value(_) | Rule::Null => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_split_tables_columns_are_taken_by_either_entry() {
        let d = Description::parse(
            "name='x'\n[[table]]\nsource='users'\ntarget='accounts'\ncolumns=[{name='id', copy='id'}, {name='email', copy='email'}]\n\
             [[table]]\nsource='users'\ntarget='profiles'\nignore=['legacy']\ncolumns=[{name='id', copy='id'}, {name='bio', coalesce=['bio', 'about']}]\n",
        )
        .unwrap();
        assert_eq!(
            taken_by_siblings(&d, &d.tables[0]),
            ["about", "bio", "id", "legacy"]
        );
        assert_eq!(taken_by_siblings(&d, &d.tables[1]), ["email", "id"]);
    }

    #[test]
    fn the_same_source_and_target_twice_is_still_refused() {
        let e = Description::parse(
            "name='x'\n[[table]]\nsource='a'\ntarget='b'\ncolumns=[{name='id', copy='id'}]\n\
             [[table]]\nsource='a'\ntarget='b'\ncolumns=[{name='id', copy='id'}]\n",
        )
        .unwrap_err();
        assert!(e.contains("table a is mapped twice to b"), "{e}");
    }
}
