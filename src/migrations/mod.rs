//! The v2 schema as numbered golang-migrate-style migrations
//! (`NNNN_name.up.sql` + `NNNN_name.down.sql`), embedded in the binary, and
//! the rules a migrations folder must follow: the numbering and pairing
//! rules here, the dbmate file layout in `dbmate`, the lint of a folder on
//! disk (either format, SQL parsed) in `lint`, and the baseline of an
//! untracked database in `baseline`. `write::folder` puts rendered files
//! into a folder.

pub mod baseline;
pub mod dbmate;
pub mod lint;

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

/// The two file layouts of the migration tools dumpshift writes for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `NNNN_name.up.sql` and `NNNN_name.down.sql`, one file per direction.
    GolangMigrate,
    /// `NNNN_name.sql` holding `-- migrate:up` and `-- migrate:down` sections.
    Dbmate,
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Format::GolangMigrate => "golang-migrate",
            Format::Dbmate => "dbmate",
        })
    }
}

/// `NNNN_name`: at least four digits, as the embedded files are numbered.
pub fn stem(version: i64, name: &str) -> String {
    format!("{version:04}_{name}")
}

/// The files that hold `migrations` in `format`: (file name, contents).
pub fn render(format: Format, migrations: &[Migration]) -> Vec<(String, String)> {
    let mut files = Vec::new();
    for m in migrations {
        let stem = stem(m.version, &m.name);
        match format {
            Format::GolangMigrate => {
                files.push((format!("{stem}.up.sql"), m.up.clone()));
                files.push((format!("{stem}.down.sql"), m.down.clone()));
            }
            Format::Dbmate => files.push((format!("{stem}.sql"), dbmate::render(&m.up, &m.down))),
        }
    }
    files
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
    /// A section or file with no SQL statement in it (`up` or `down`).
    Empty {
        file: String,
        section: &'static str,
    },
    /// SQL that PostgreSQL's grammar (pg_query) rejects.
    Sql {
        file: String,
        line: usize,
        message: String,
    },
    /// Something a migration tool cannot run or read: a psql meta-command,
    /// COPY from stdin, a misplaced dbmate marker, bytes that are not UTF-8.
    Layout {
        file: String,
        line: usize,
        message: String,
    },
    /// The folder holds no migration at all.
    NoMigrations,
}

impl Finding {
    /// The file and line the finding is in, when it is in one file.
    pub fn place(&self) -> Option<(&str, Option<usize>)> {
        match self {
            Finding::BadName(f) | Finding::MissingDown(f) | Finding::MissingUp(f) => {
                Some((f, None))
            }
            Finding::Empty { file, .. } => Some((file, None)),
            Finding::Sql { file, line, .. } | Finding::Layout { file, line, .. } => {
                Some((file, Some(*line)))
            }
            Finding::Duplicate(..) | Finding::Gap(..) | Finding::NoMigrations => None,
        }
    }

    /// What is wrong, without the place.
    pub fn message(&self) -> String {
        match self {
            Finding::BadName(_) => {
                "not named NNNN_name.up.sql or NNNN_name.down.sql (the tool would skip it)".into()
            }
            Finding::Duplicate(v, names) => format!(
                "version {v} is claimed by more than one migration: {}",
                names.join(", ")
            ),
            Finding::MissingDown(n) if n.ends_with(".up.sql") => "no matching .down.sql".into(),
            Finding::MissingDown(_) => "no `-- migrate:down` section".into(),
            Finding::MissingUp(n) if n.ends_with(".down.sql") => "no matching .up.sql".into(),
            Finding::MissingUp(_) => "no `-- migrate:up` section".into(),
            Finding::Gap(a, b) if a == b => format!("version {a} is missing from the numbering"),
            Finding::Gap(a, b) => format!("versions {a} to {b} are missing from the numbering"),
            Finding::Empty { section, .. } => format!("the {section} migration holds no SQL"),
            Finding::Sql { message, .. } => format!("SQL does not parse: {message}"),
            Finding::Layout { message, .. } => message.clone(),
            Finding::NoMigrations => "no migration files (NNNN_name...sql)".into(),
        }
    }
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.place() {
            Some((file, Some(line))) => write!(f, "{file}:{line}: {}", self.message()),
            Some((file, None)) => write!(f, "{file}: {}", self.message()),
            None => write!(f, "{}", self.message()),
        }
    }
}

/// A migration as found in files: its number and whichever directions exist.
#[derive(Clone, Debug, Default)]
pub struct Entry<T> {
    pub version: i64,
    pub up: Option<T>,
    pub down: Option<T>,
}

/// Versions of 14 digits and more are timestamps (`YYYYMMDDhhmmss`, what
/// `migrate create` and `dbmate new` write by default), where gaps are normal.
const TIMESTAMP: i64 = 10_000_000_000_000;

/// The numbering and pairing rules: every up has a down and the other way
/// round, no number twice, and no gaps between sequence numbers. `label`
/// names the file a missing direction is reported on.
pub fn structure<T>(
    entries: &BTreeMap<String, Entry<T>>,
    label: impl Fn(&str, bool) -> String,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut by_version: BTreeMap<i64, Vec<&str>> = BTreeMap::new();
    for (stem, e) in entries {
        by_version.entry(e.version).or_default().push(stem);
        match (&e.up, &e.down) {
            (Some(_), None) => findings.push(Finding::MissingDown(label(stem, true))),
            (None, Some(_)) => findings.push(Finding::MissingUp(label(stem, false))),
            _ => {}
        }
    }
    let sequence = by_version.keys().all(|v| *v < TIMESTAMP);
    let mut prev: Option<i64> = None;
    for (v, stems) in &by_version {
        if stems.len() > 1 {
            findings.push(Finding::Duplicate(
                *v,
                stems.iter().map(|s| s.to_string()).collect(),
            ));
        }
        if let Some(p) = prev.filter(|p| sequence && *v > p + 1) {
            findings.push(Finding::Gap(p + 1, v - 1));
        }
        prev = Some(*v);
    }
    findings
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
    Some(Parsed {
        version: version_of(stem)?,
        stem,
        up,
    })
}

/// The number of `NNNN_name`: the digits before the first `_`, followed by
/// a non-empty name.
pub fn version_of(stem: &str) -> Option<i64> {
    let (num, rest) = stem.split_once('_')?;
    if num.is_empty() || !num.bytes().all(|b| b.is_ascii_digit()) || rest.is_empty() {
        return None;
    }
    num.parse().ok()
}

/// Sorts golang-migrate file names into entries; names that do not follow
/// the pattern are returned as findings.
pub fn golang_entries<'a, T: Clone>(
    files: impl IntoIterator<Item = (&'a str, T)>,
) -> (BTreeMap<String, Entry<T>>, Vec<Finding>) {
    let mut findings = Vec::new();
    let mut by_stem: BTreeMap<String, Entry<T>> = BTreeMap::new();
    for (name, text) in files {
        let Some(p) = parse_name(name) else {
            findings.push(Finding::BadName(name.to_string()));
            continue;
        };
        let e = by_stem.entry(p.stem.to_string()).or_insert(Entry {
            version: p.version,
            up: None,
            down: None,
        });
        if p.up {
            e.up = Some(text);
        } else {
            e.down = Some(text);
        }
    }
    (by_stem, findings)
}

/// The label golang-migrate findings carry: the file that exists.
pub fn golang_label(stem: &str, up_exists: bool) -> String {
    format!("{stem}.{}.sql", if up_exists { "up" } else { "down" })
}

/// Checks and assembles migrations from `(file name, contents)` pairs.
pub fn assemble(files: &[(&str, &str)]) -> Result<Vec<Migration>, Vec<Finding>> {
    let (by_stem, mut findings) = golang_entries(files.iter().map(|(n, t)| (*n, *t)));
    findings.extend(structure(&by_stem, golang_label));
    if !findings.is_empty() {
        return Err(findings);
    }
    let mut out: Vec<Migration> = by_stem
        .into_iter()
        .map(|(stem, e)| Migration {
            version: e.version,
            name: stem.split_once('_').map_or(&*stem, |(_, n)| n).to_string(),
            up: e.up.unwrap_or_default().to_string(),
            down: e.down.unwrap_or_default().to_string(),
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

/// The v2 schema: every embedded migration's up section, in order.
pub fn schema_sql(migrations: &[Migration]) -> String {
    let version = migrations.last().map_or(0, |m| m.version);
    let mut sql = format!(
        "-- Life OS v2 schema (version {version}), from dumpshift {}'s embedded migrations.\n",
        env!("CARGO_PKG_VERSION")
    );
    for m in migrations {
        sql.push_str(&format!(
            "\n-- migration {}.up.sql\n{}\n",
            stem(m.version, &m.name),
            m.up.trim_end()
        ));
    }
    sql
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

    #[test]
    fn timestamp_versions_have_no_gaps_to_report() {
        let files = [
            ("20240101120000_a.up.sql", "x"),
            ("20240101120000_a.down.sql", "x"),
            ("20250301093000_b.up.sql", "x"),
            ("20250301093000_b.down.sql", "x"),
        ];
        assert_eq!(assemble(&files).unwrap().len(), 2);
    }

    #[test]
    fn findings_name_their_file_and_line() {
        let f = Finding::Sql {
            file: "0002_b.up.sql".into(),
            line: 7,
            message: "syntax error".into(),
        };
        assert_eq!(
            f.to_string(),
            "0002_b.up.sql:7: SQL does not parse: syntax error"
        );
        assert_eq!(
            Finding::MissingDown("0001_a.sql".into()).to_string(),
            "0001_a.sql: no `-- migrate:down` section"
        );
        assert_eq!(
            Finding::Gap(3, 3).to_string(),
            "version 3 is missing from the numbering"
        );
    }

    #[test]
    fn golang_migrate_rendering_is_the_embedded_files() {
        let files = render(Format::GolangMigrate, &embedded());
        let mut want: Vec<(String, String)> = embedded::FILES
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        let mut got = files.clone();
        want.sort();
        got.sort();
        assert_eq!(got, want);
    }
}
