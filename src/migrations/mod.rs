//! The v2 schema as numbered golang-migrate-style migrations
//! (`NNNN_name.up.sql` + `NNNN_name.down.sql`), embedded in the binary, and
//! the rules a migrations folder must follow.

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/migrations.rs"));
}

use std::collections::BTreeMap;

/// One migration: its number, name and both directions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Migration {
    pub version: i64,
    pub name: String,
    pub up: String,
    pub down: String,
}

/// A problem in a set of migration files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Finding {
    /// A file name that is not `NNNN_name.up.sql` / `.down.sql`.
    BadName(String),
    /// Two migrations claim the same number.
    Duplicate(i64, Vec<String>),
    MissingDown(String),
    MissingUp(String),
    /// Versions between the first and the last that no file claims.
    Gap(i64, i64),
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Finding::BadName(n) => {
                write!(f, "{n}: not named NNNN_name.up.sql or NNNN_name.down.sql")
            }
            Finding::Duplicate(v, names) => write!(
                f,
                "version {v} is claimed by more than one migration: {}",
                names.join(", ")
            ),
            Finding::MissingDown(n) => write!(f, "{n}: no matching .down.sql"),
            Finding::MissingUp(n) => write!(f, "{n}: no matching .up.sql"),
            Finding::Gap(a, b) => write!(f, "versions {a} to {b} are missing from the numbering"),
        }
    }
}

struct Parsed<'a> {
    version: i64,
    stem: &'a str,
    up: bool,
}

fn parse_name(name: &str) -> Option<Parsed<'_>> {
    let (stem, up) = if let Some(s) = name.strip_suffix(".up.sql") {
        (s, true)
    } else {
        (name.strip_suffix(".down.sql")?, false)
    };
    let (num, rest) = stem.split_once('_')?;
    if num.is_empty() || !num.bytes().all(|b| b.is_ascii_digit()) || rest.is_empty() {
        return None;
    }
    Some(Parsed {
        version: num.parse().ok()?,
        stem,
        up,
    })
}

/// Checks and assembles migrations from `(file name, contents)` pairs.
pub fn assemble(files: &[(&str, &str)]) -> Result<Vec<Migration>, Vec<Finding>> {
    let mut findings = Vec::new();
    let mut by_stem: BTreeMap<&str, (i64, Option<&str>, Option<&str>)> = BTreeMap::new();
    for (name, text) in files {
        let Some(p) = parse_name(name) else {
            findings.push(Finding::BadName(name.to_string()));
            continue;
        };
        let e = by_stem.entry(p.stem).or_insert((p.version, None, None));
        if p.up {
            e.1 = Some(text);
        } else {
            e.2 = Some(text);
        }
    }
    let mut by_version: BTreeMap<i64, Vec<&str>> = BTreeMap::new();
    for (stem, (v, up, down)) in &by_stem {
        by_version.entry(*v).or_default().push(stem);
        match (up, down) {
            (Some(_), None) => findings.push(Finding::MissingDown(format!("{stem}.up.sql"))),
            (None, Some(_)) => findings.push(Finding::MissingUp(format!("{stem}.down.sql"))),
            _ => {}
        }
    }
    let mut prev: Option<i64> = None;
    for (v, stems) in &by_version {
        if stems.len() > 1 {
            findings.push(Finding::Duplicate(
                *v,
                stems.iter().map(|s| s.to_string()).collect(),
            ));
        }
        if let Some(p) = prev {
            if *v > p + 1 {
                findings.push(Finding::Gap(p + 1, v - 1));
            }
        }
        prev = Some(*v);
    }
    if !findings.is_empty() {
        return Err(findings);
    }
    let mut out: Vec<Migration> = by_stem
        .into_iter()
        .map(|(stem, (version, up, down))| Migration {
            version,
            name: stem.split_once('_').map_or(stem, |(_, n)| n).to_string(),
            up: up.unwrap_or_default().to_string(),
            down: down.unwrap_or_default().to_string(),
        })
        .collect();
    out.sort_by_key(|m| m.version);
    Ok(out)
}

/// The v2 schema's migrations, in order.
pub fn embedded() -> Vec<Migration> {
    assemble(embedded::FILES).expect("the embedded migrations are well-formed (tested)")
}

/// The version the v2 schema is at after every migration.
pub fn latest_version() -> i64 {
    embedded().last().map_or(0, |m| m.version)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_migrations_are_complete_and_ordered() {
        let m = embedded();
        assert!(!m.is_empty());
        for (i, mig) in m.iter().enumerate() {
            assert_eq!(mig.version, i as i64 + 1);
            assert!(
                !mig.up.trim().is_empty() && !mig.down.trim().is_empty(),
                "{}",
                mig.name
            );
        }
    }

    #[test]
    fn duplicate_numbers_are_rejected() {
        let files = [
            ("0001_a.up.sql", "x"),
            ("0001_a.down.sql", "x"),
            ("0001_b.up.sql", "x"),
            ("0001_b.down.sql", "x"),
        ];
        assert_eq!(
            assemble(&files).unwrap_err(),
            vec![Finding::Duplicate(
                1,
                vec!["0001_a".into(), "0001_b".into()]
            )]
        );
    }

    #[test]
    fn missing_down_and_up_files_are_rejected() {
        let files = [("0001_a.up.sql", "x"), ("0002_b.down.sql", "x")];
        assert_eq!(
            assemble(&files).unwrap_err(),
            vec![
                Finding::MissingDown("0001_a.up.sql".into()),
                Finding::MissingUp("0002_b.down.sql".into())
            ]
        );
    }

    #[test]
    fn gaps_and_bad_names_are_rejected() {
        let files = [
            ("0001_a.up.sql", ""),
            ("0001_a.down.sql", ""),
            ("0004_d.up.sql", ""),
            ("0004_d.down.sql", ""),
            ("notes.sql", ""),
        ];
        assert_eq!(
            assemble(&files).unwrap_err(),
            vec![Finding::BadName("notes.sql".into()), Finding::Gap(2, 3)]
        );
    }
}
