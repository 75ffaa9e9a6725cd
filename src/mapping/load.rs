//! A mapping ready to run: the checked description, the target schema's
//! migrations (a folder the description names, or the Life OS v2 migrations
//! built in) and the source schema's DDL. Reading a `--mapping` file, with
//! messages that name its file, line and byte, and the choice between a
//! file and the built-in mapping, live here. `dumpshift mapping show`
//! prints `mapping::LIFE_OS`.

use std::path::Path;

use super::check::{self, Finding};
use super::{Description, LIFE_OS_V1_SCHEMA};
use crate::dump::Catalog;
use crate::error::{DataError, Error, Position};
use crate::migrations::{self, Migration};

/// Everything a run takes from its mapping.
#[derive(Clone, Debug)]
pub struct Mapping {
    pub description: Description,
    /// The target schema's migrations the load file applies, in order.
    pub target: Vec<Migration>,
    /// The source schema's catalog: foreign keys for dumps without DDL.
    pub reference: Catalog,
}

impl Mapping {
    /// The built-in Life OS v1 -> v2 mapping.
    pub fn built_in() -> Mapping {
        Mapping::resolve(Description::life_os(), Path::new("."), How::Run)
            .expect("the built-in mapping resolves (tested)")
    }

    /// The one choice between a `--mapping` file and the built-in mapping,
    /// for every command that takes one.
    pub fn choose(path: Option<&Path>) -> Result<Mapping, Error> {
        match path {
            Some(path) => Mapping::from_file(path),
            None => Ok(Mapping::built_in()),
        }
    }

    /// Reads the mapping file at `path`; `source_ddl` and `target_migrations`
    /// are found relative to it. An unreadable file is an I/O error; a file
    /// that is not a valid mapping is a usage error listing every finding
    /// at its line.
    pub fn from_file(path: &Path) -> Result<Mapping, Error> {
        let examined = examine(path, How::Run)?;
        let message = examined.render().join("\n");
        match examined.mapping {
            Some(m) if examined.is_clean() => Ok(m),
            // Rows the target would refuse: the migration is refused (1);
            // anything else makes the file no usable mapping (2).
            _ if examined.syntax.is_none()
                && examined
                    .findings
                    .iter()
                    .all(|f| f.kind == check::Kind::Refused) =>
            {
                Err(Error::Refused(message))
            }
            _ => Err(Error::Usage(message)),
        }
    }

    fn resolve(
        mut description: Description,
        base: &Path,
        how: How,
    ) -> Result<Mapping, Vec<Finding>> {
        let no_line = |m: String| vec![Finding::new(None, m)];
        let all = match &description.target_migrations {
            None => migrations::embedded(),
            Some(dir) => read_migrations(&base.join(dir))
                .map_err(|m| no_line(format!("target_migrations {dir:?}: {m}")))?,
        };
        let target = up_to(all, description.migrations_version).map_err(no_line)?;
        let reference = match (&description.source_ddl, &description.target_migrations) {
            (Some(file), _) => {
                let path = base.join(file);
                let sql = std::fs::read_to_string(&path).map_err(|e| {
                    no_line(format!(
                        "source_ddl {file:?}: cannot read {}: {e}",
                        path.display()
                    ))
                })?;
                Catalog::from_sql(&sql)
                    .map_err(|e| no_line(format!("source_ddl {}", locate_data(&path, &sql, &e))))?
            }
            (None, None) => Catalog::from_sql(LIFE_OS_V1_SCHEMA)
                .expect("the built-in v1 schema parses (tested)"),
            (None, Some(_)) => Catalog::default(),
        };
        let catalog = target_catalog(&target)
            .map_err(|e| no_line(format!("the target schema cannot be read: {e}")))?;
        let mut findings = check::shape(&description);
        findings.extend(check::target(&description, &catalog));
        let complete = how == How::Check && !reference.tables.is_empty();
        let source = if complete {
            check::Source::Complete
        } else {
            check::Source::Partial
        };
        findings.extend(check::source(&description, &[&reference], source));
        match check::load_order(&description, &catalog) {
            Ok(order) => description.reorder(&order),
            Err(f) => findings.push(f),
        }
        if !findings.is_empty() {
            findings.sort_by_key(|f| f.line.unwrap_or(0));
            return Err(findings);
        }
        Ok(Mapping {
            description,
            target,
            reference,
        })
    }

    /// The version the load records in `schema_migrations`.
    pub fn version(&self) -> i64 {
        self.target.last().map_or(0, |m| m.version)
    }
}

/// How much of a mapping is checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum How {
    /// Before a run: the source side only as far as the schema at hand
    /// tells (a column the dump lacks is drift, reported against the dump).
    Run,
    /// `dumpshift mapping check`: `source_ddl` is the whole source schema.
    Check,
}

/// A mapping file examined: the mapping when it has no finding, and the
/// findings, at their lines.
pub struct Examined {
    pub file: String,
    pub mapping: Option<Mapping>,
    pub findings: Vec<Finding>,
    /// A TOML error: its message and byte offset, with the file's text.
    pub syntax: Option<String>,
}

impl Examined {
    /// Every problem, one line each: `FILE:LINE: message`.
    pub fn render(&self) -> Vec<String> {
        let mut out: Vec<String> = self.syntax.iter().cloned().collect();
        out.extend(self.findings.iter().map(|f| f.render(&self.file)));
        out
    }

    pub fn is_clean(&self) -> bool {
        self.syntax.is_none() && self.findings.is_empty()
    }
}

/// Reads and checks the mapping file at `path` (`how` says how far).
/// Only an unreadable file is an error.
pub fn examine(path: &Path, how: How) -> Result<Examined, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, "read the mapping", e))?;
    let file = path.display().to_string();
    let description = match Description::read(&text) {
        Ok(mut d) => {
            d.lines.file = file.clone();
            d
        }
        Err(e) => {
            let message = (e.message().to_string(), e.span().map(|s| s.start));
            return Ok(Examined {
                syntax: Some(locate(&file, &text, &message)),
                file,
                mapping: None,
                findings: Vec::new(),
            });
        }
    };
    let base = path.parent().unwrap_or(Path::new("."));
    let (mapping, findings) = match Mapping::resolve(description, base, how) {
        Ok(m) => (Some(m), Vec::new()),
        Err(f) => (None, f),
    };
    Ok(Examined {
        file,
        mapping,
        findings,
        syntax: None,
    })
}

fn locate(file: &str, text: &str, (message, at): &(String, Option<usize>)) -> String {
    match at {
        Some(b) => {
            let p = Position::locate(text.as_bytes(), *b);
            format!("{file}:{} (byte {}): {message}", p.line, p.byte)
        }
        None => format!("{file}: {message}"),
    }
}

fn locate_data(path: &Path, sql: &str, e: &DataError) -> String {
    locate(&path.display().to_string(), sql, &(e.to_string(), e.byte()))
}

/// The catalog the target schema's migrations build.
pub fn target_catalog(target: &[Migration]) -> Result<Catalog, DataError> {
    let sql: String = target.iter().map(|m| m.up.clone() + "\n").collect();
    Catalog::from_sql(&sql)
}

/// Keeps the migrations up to `version` (all when `None`).
fn up_to(all: Vec<Migration>, version: Option<i64>) -> Result<Vec<Migration>, String> {
    let Some(v) = version else {
        return Ok(all);
    };
    if !all.iter().any(|m| m.version == v) {
        let have: Vec<String> = all.iter().map(|m| m.version.to_string()).collect();
        return Err(format!(
            "migrations_version {v} is not one of the target migrations ({})",
            have.join(", ")
        ));
    }
    Ok(all.into_iter().filter(|m| m.version <= v).collect())
}

/// Reads a golang-migrate folder: every `*.sql` file must be one half of a
/// `NNNN_name.up.sql` / `NNNN_name.down.sql` pair.
fn read_migrations(dir: &Path) -> Result<Vec<Migration>, String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.ends_with(".sql") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path())
            .map_err(|e| format!("cannot read {}: {e}", entry.path().display()))?;
        files.push((name, text));
    }
    let pairs: Vec<(&str, &str)> = files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    let migrations = migrations::assemble(&pairs).map_err(|findings| {
        let all: Vec<String> = findings.iter().map(|f| f.to_string()).collect();
        all.join("; ")
    })?;
    if migrations.is_empty() {
        return Err(format!("{} holds no migrations", dir.display()));
    }
    Ok(migrations)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dump::TableName;

    #[test]
    fn the_built_in_mapping_targets_every_embedded_migration() {
        let m = Mapping::built_in();
        assert_eq!(m.target, migrations::embedded());
        assert_eq!(m.version(), migrations::latest_version());
        assert!(m
            .reference
            .get(&TableName::new("public", "tasks"))
            .is_some());
    }

    #[test]
    fn migrations_version_keeps_the_migrations_up_to_it() {
        let mut d = Description::life_os();
        d.migrations_version = Some(3);
        d.tables
            .retain(|t| ["domains", "areas"].contains(&t.source.as_str()));
        let m = Mapping::resolve(d.clone(), Path::new("."), How::Run).unwrap();
        assert_eq!(m.version(), 3);
        assert_eq!(m.target.len(), 3);
        d.migrations_version = Some(99);
        let e = messages(Mapping::resolve(d, Path::new("."), How::Run).unwrap_err());
        assert!(e.contains("migrations_version 99 is not one of"), "{e}");
    }

    #[test]
    fn a_target_table_the_target_schema_lacks_is_refused() {
        let mut d = Description::life_os();
        d.tables[0].target = "realms".into();
        let e = messages(Mapping::resolve(d, Path::new("."), How::Run).unwrap_err());
        assert!(
            e.contains("table domains: its target realms is not created"),
            "{e}"
        );
    }

    fn messages(findings: Vec<Finding>) -> String {
        let all: Vec<String> = findings.iter().map(|f| f.render("m.toml")).collect();
        all.join("\n")
    }

    #[test]
    fn toml_errors_name_the_line_and_byte() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.toml");
        let text = "name = 'x'\n[[table]]\nsource = 'a'\ntarget = 'a'\ncolumns = [{ name = 'id', cpy = 'id' }]\n";
        std::fs::write(&path, text).unwrap();
        let e = examine(&path, How::Check).unwrap();
        let m = e.syntax.unwrap();
        let at = format!("{}:5 (byte ", path.display());
        assert!(m.starts_with(&at), "{m}");
        assert!(m.contains("unknown field `cpy`"), "{m}");
    }
}
