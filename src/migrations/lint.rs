//! The lint of a migrations folder on disk, in golang-migrate or dbmate
//! layout: the numbering and pairing rules of `structure`, empty
//! directions, and every statement through PostgreSQL's grammar (pg_query),
//! reported with the file and the line the statement starts on.
//!
//! Only files named like migrations are read: `.sql` files whose name starts
//! with a digit, as both tools select them; a README or a `mark_applied_*`
//! script beside them is not a migration.

use std::collections::BTreeMap;
use std::path::Path;

use super::{dbmate, golang_entries, golang_label, structure, version_of, Entry, Finding, Format};
use crate::dump::split::{Kind, Splitter};
use crate::dump::sql::undo::parse_error;
use crate::error::Error;

/// A migration file's name and its text, or the finding that it is not text.
type File = (String, Result<String, Finding>);

/// One direction of one migration, as found on disk.
#[derive(Clone, Debug)]
pub struct Source {
    pub file: String,
    /// The 1-based line of the file the text starts on.
    pub line: usize,
    pub text: String,
}

/// What the lint found in a folder.
#[derive(Debug)]
pub struct Lint {
    pub format: Format,
    pub migrations: usize,
    pub findings: Vec<Finding>,
}

/// Reads `dir` and lints it. `format` None: golang-migrate when any file is
/// named `*.up.sql` or `*.down.sql`, dbmate otherwise.
pub fn check_dir(dir: &Path, format: Option<Format>) -> Result<Lint, Error> {
    let files = read_dir(dir)?;
    let format = format.unwrap_or_else(|| detect(&files));
    let mut findings = Vec::new();
    let entries = match format {
        Format::GolangMigrate => golang(&files, &mut findings),
        Format::Dbmate => dbmate_entries(&files, &mut findings),
    };
    if entries.is_empty() && findings.is_empty() {
        findings.push(Finding::NoMigrations);
    }
    let label = |stem: &str, up_exists: bool| match format {
        Format::GolangMigrate => golang_label(stem, up_exists),
        Format::Dbmate => format!("{stem}.sql"),
    };
    findings.extend(structure(&entries, label));
    for e in entries.values() {
        for (source, section) in [(&e.up, "up"), (&e.down, "down")] {
            if let Some(s) = source {
                check_sql(s, section, &mut findings);
            }
        }
    }
    Ok(Lint {
        format,
        migrations: entries.len(),
        findings,
    })
}

/// The migration files of `dir`, sorted by name: (name, contents or the
/// line-1 finding that it is not UTF-8).
fn read_dir(dir: &Path) -> Result<Vec<File>, Error> {
    let listing = std::fs::read_dir(dir).map_err(|e| Error::io(dir, "read the folder", e))?;
    let mut files = Vec::new();
    for entry in listing {
        let entry = entry.map_err(|e| Error::io(dir, "read the folder", e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if !name.ends_with(".sql")
            || !name.starts_with(|c: char| c.is_ascii_digit())
            || !path.is_file()
        {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, "read", e))?;
        let text = String::from_utf8(bytes).map_err(|e| Finding::Layout {
            line: e.as_bytes()[..e.utf8_error().valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count()
                + 1,
            file: name.clone(),
            message: "not UTF-8 text".into(),
        });
        files.push((name, text));
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(files)
}

fn detect(files: &[File]) -> Format {
    if files
        .iter()
        .any(|(n, _)| n.ends_with(".up.sql") || n.ends_with(".down.sql"))
    {
        Format::GolangMigrate
    } else {
        Format::Dbmate
    }
}

fn golang(files: &[File], findings: &mut Vec<Finding>) -> BTreeMap<String, Entry<Source>> {
    let readable = files.iter().filter_map(|(name, text)| match text {
        Ok(t) => Some((
            name.as_str(),
            Source {
                file: name.clone(),
                line: 1,
                text: t.clone(),
            },
        )),
        Err(f) => {
            findings.push(f.clone());
            None
        }
    });
    let (entries, bad) = golang_entries(readable.collect::<Vec<_>>());
    findings.extend(bad);
    entries
}

fn dbmate_entries(files: &[File], findings: &mut Vec<Finding>) -> BTreeMap<String, Entry<Source>> {
    let mut entries = BTreeMap::new();
    for (name, text) in files {
        let stem = name.strip_suffix(".sql").unwrap_or(name);
        // dbmate takes the leading digits as the version, whatever follows.
        let digits: String = stem.chars().take_while(char::is_ascii_digit).collect();
        let Some(version) = version_of(stem).or_else(|| digits.parse().ok()) else {
            findings.push(Finding::BadName(name.clone()));
            continue;
        };
        let text = match text {
            Ok(t) => t,
            Err(f) => {
                findings.push(f.clone());
                continue;
            }
        };
        let parsed = dbmate::parse(text);
        for (line, message) in parsed.problems {
            findings.push(Finding::Layout {
                file: name.clone(),
                line,
                message,
            });
        }
        let source = |s: dbmate::Section| Source {
            file: name.clone(),
            line: s.line,
            text: s.text,
        };
        entries.insert(
            stem.to_string(),
            Entry {
                version,
                up: parsed.up.map(source),
                down: parsed.down.map(source),
            },
        );
    }
    entries
}

/// Empty directions, meta-commands, COPY from stdin and statements that do
/// not parse, each at the line its statement starts on.
fn check_sql(src: &Source, section: &'static str, findings: &mut Vec<Finding>) {
    let data = src.text.as_bytes();
    let line_at = |byte: usize| src.line + data[..byte].iter().filter(|b| **b == b'\n').count();
    let whole = parse_error(&src.text);
    let before = findings.len();
    let mut statements = 0;
    for piece in Splitter::new(data) {
        let st = match piece {
            Ok(st) => st,
            Err(e) => {
                // An unterminated last statement: let the grammar judge the rest.
                let at = e.byte().unwrap_or(0).min(data.len());
                statements += 1;
                if let Some(message) = parse_error(&src.text[at..]) {
                    findings.push(sql(src, line_at(at), message));
                }
                break;
            }
        };
        statements += 1;
        let text = &src.text[st.start..st.end];
        let problem = match st.kind {
            Kind::Meta => Some(format!(
                "psql meta-command `{}`: migration tools send SQL to the server, which cannot run it",
                text.trim_end()
            )),
            Kind::Copy { .. } => Some(
                "COPY ... FROM stdin needs psql to send the data; migration tools cannot".into(),
            ),
            Kind::Sql { .. } => {
                if let Some(message) = whole.as_ref().and_then(|_| parse_error(text)) {
                    findings.push(sql(src, line_at(st.start), message));
                }
                None
            }
        };
        if let Some(message) = problem {
            findings.push(Finding::Layout {
                file: src.file.clone(),
                line: line_at(st.start),
                message,
            });
        }
    }
    if statements == 0 {
        findings.push(Finding::Empty {
            file: src.file.clone(),
            section,
        });
    } else if let (Some(message), true) = (whole, findings.len() == before) {
        // The statements parse one by one but not together: report it whole.
        findings.push(sql(src, src.line, message));
    }
}

fn sql(src: &Source, line: usize, message: String) -> Finding {
    Finding::Sql {
        file: src.file.clone(),
        line,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(text: &str) -> Source {
        Source {
            file: "0001_a.up.sql".into(),
            line: 3,
            text: text.into(),
        }
    }

    fn lint(text: &str) -> Vec<String> {
        let mut findings = Vec::new();
        check_sql(&source(text), "up", &mut findings);
        findings.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn bad_statements_are_found_at_their_line() {
        let found =
            lint("-- fine\nCREATE TABLE a (x int);\n\nCREATE TABEL b (y int);\nSELECT 1;\n");
        assert_eq!(found.len(), 1);
        assert!(
            found[0].starts_with(
                "0001_a.up.sql:6: SQL does not parse: syntax error at or near \"TABEL\""
            ),
            "{found:?}"
        );
    }

    #[test]
    fn a_last_statement_without_semicolon_is_fine_and_a_broken_one_is_not() {
        assert!(lint("CREATE TABLE a (x int);\nSELECT 1\n").is_empty());
        let found = lint("CREATE TABLE a (x int);\nSELECT 'open\n");
        assert_eq!(found.len(), 1);
        assert!(
            found[0].starts_with("0001_a.up.sql:4: SQL does not parse"),
            "{found:?}"
        );
    }

    #[test]
    fn meta_commands_copy_and_empty_sections() {
        let found = lint("\\restrict abc\nCREATE TABLE a (x int);\n");
        assert_eq!(found.len(), 1);
        assert!(found[0].starts_with("0001_a.up.sql:3: psql meta-command `\\restrict abc`"));
        let found = lint("COPY a (x) FROM stdin;\n1\n\\.\n");
        assert!(found[0].contains("COPY ... FROM stdin"), "{found:?}");
        assert_eq!(
            lint("-- nothing yet\n\n"),
            vec!["0001_a.up.sql: the up migration holds no SQL"]
        );
    }
}
