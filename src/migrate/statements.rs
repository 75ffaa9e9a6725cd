//! Every statement psql would run, weighed against the mapping: a statement
//! that changes the rows or columns of a mapped table is refused (dumpshift
//! reads the dump's data, it does not run SQL), one on a table outside the
//! mapping is ignored and listed, a harmless one is skipped.
//!
//! Some effects depend on order: a trigger or rule fires only on writes
//! after it, `DROP TABLE` before the table's `CREATE TABLE` is
//! `pg_dump --clean`, `ADD COLUMN` before the data is how a schema script
//! builds a table, and `BEGIN` needs its `COMMIT`.

use crate::dump::classify::{Effect, Rel, Verb};
use crate::dump::{DumpIndex, Note, TableName};
use crate::error::DataError;
use crate::report::Ignored;

/// What the mapping covers, for judging statements.
pub struct Scope<'a> {
    pub schema: &'a str,
    pub mapping: &'a crate::mapping::Description,
    /// Foreign keys of mapped tables onto other tables: (mapped, referenced).
    pub references: Vec<(TableName, TableName)>,
    /// The encoding the dump was transcoded from to UTF-8, if it was: a
    /// `SET client_encoding` naming it (a pg_dumpall section's) says what
    /// the header said.
    pub transcoded_from: Option<&'static str>,
}

impl Scope<'_> {
    /// A mapped table `rel` may name; an unqualified name counts, since
    /// `search_path` may resolve it to the source schema.
    fn mapped(&self, rel: &Rel) -> Option<TableName> {
        let schema_ok = rel.schema.as_deref().is_none_or(|s| s == self.schema);
        (schema_ok && self.is_mapped(&rel.name)).then(|| TableName::new(self.schema, &rel.name))
    }
}

impl Scope<'_> {
    fn is_mapped(&self, table: &str) -> bool {
        self.mapping.table(table).is_some()
    }
}

fn names(rel: &Rel, t: &TableName) -> bool {
    rel.name == t.name && rel.schema.as_deref().is_none_or(|s| s == t.schema)
}

/// Where each table's data (COPY or INSERT) starts and ends in the dump.
fn data_spans(idx: &DumpIndex) -> Vec<(TableName, usize, usize)> {
    let copies = idx
        .copies
        .iter()
        .map(|c| (c.table.clone(), c.header_at, c.payload.end));
    let inserts = idx.inserts.iter().map(|b| {
        let first = b.statements.first().map_or(0, |s| s.start);
        let last = b.statements.last().map_or(0, |s| s.start);
        (b.table.clone(), first, last)
    });
    copies.chain(inserts).collect()
}

/// Judges every noted statement; returns the refusals and, for the
/// statements on tables outside the mapping, what is ignored.
pub fn account(idx: &DumpIndex, scope: &Scope) -> (Vec<DataError>, Vec<Ignored>) {
    let mut j = Judge {
        idx,
        scope,
        spans: data_spans(idx),
        errors: Vec::new(),
        counts: Vec::new(),
        open_begin: None,
        seen_encoding: false,
    };
    for note in &idx.notes {
        j.note(note);
    }
    if let Some(at) = j.open_begin {
        j.errors.push(DataError::new(
            "`BEGIN` has no COMMIT after it: psql ends the session without committing, so the statements after it are rolled back, while dumpshift would keep them",
        ).at(at));
    }
    let ignored = j
        .counts
        .iter()
        .map(|(table, verb, n)| Ignored {
            table: table.clone(),
            data: format!(
                "{n} {} statement{}",
                verb.keyword(),
                if *n == 1 { "" } else { "s" }
            ),
        })
        .collect();
    (j.errors, ignored)
}

struct Judge<'a> {
    idx: &'a DumpIndex,
    scope: &'a Scope<'a>,
    spans: Vec<(TableName, usize, usize)>,
    errors: Vec<DataError>,
    /// Statements on tables outside the mapping: table, kind, how many.
    counts: Vec<(String, Verb, usize)>,
    open_begin: Option<usize>,
    /// Whether a `SET client_encoding` was met (the first is the header's).
    seen_encoding: bool,
}

impl Judge<'_> {
    /// Whether offsets `a` and `b` are in the same database's section of a
    /// pg_dumpall file (`\connect` switches databases); always, elsewhere.
    fn same_db(&self, a: usize, b: usize) -> bool {
        let section = |at: usize| self.idx.databases.iter().filter(|d| d.1 <= at).count();
        section(a) == section(b)
    }

    fn refuse(&mut self, n: &Note, why: String, table: Option<&TableName>) {
        let mut e = DataError::new(format!("`{}`: {why}", n.words)).at(n.at);
        if let Some(t) = table {
            e = e.table(t.to_string());
        }
        self.errors.push(e);
    }

    fn note(&mut self, n: &Note) {
        match &n.effect {
            Effect::Harmless => {}
            Effect::Refused(why) => self.refuse(n, why.clone(), None),
            // Every SET counts, so the header's is known as the first.
            Effect::Encoding(enc) => {
                if self.data_after(n.at) {
                    self.encoding(n, enc)
                } else {
                    self.seen_encoding = true;
                }
            }
            Effect::TextSetting(why) if self.read_after(n.at) => self.refuse(n, why.clone(), None),
            Effect::TextSetting(_) => {}
            Effect::Begin => {
                self.open_begin.get_or_insert(n.at);
            }
            Effect::Commit => self.open_begin = None,
            Effect::Writes {
                tables,
                verb,
                cascade,
            } => self.writes(n, tables, *verb, *cascade),
            Effect::Reshapes {
                table,
                why,
                before_data,
            } => self.reshapes(n, table, why, *before_data),
            Effect::Creates { table, feeds } => self.creates(n, table, feeds),
            Effect::Hook { table, what } => self.hook(n, table, what),
            Effect::Drops {
                tables,
                schemas,
                risky_cascade,
            } => self.drops(n, tables, schemas, *risky_cascade),
        }
    }

    /// Whether rows of a mapped table come after byte `at`: a setting that
    /// changes how text is read matters only to what follows it.
    fn data_after(&self, at: usize) -> bool {
        self.mapped_rows_between(at, usize::MAX)
    }

    /// Whether rows of a mapped table come after byte `at` before a
    /// pg_dump header sets the text settings again (`cat schema.sql
    /// data.sql` of two Supabase dumps: the first ends in `RESET ALL`, the
    /// second starts with `SET client_encoding` and
    /// `standard_conforming_strings`).
    fn read_after(&self, at: usize) -> bool {
        let header =
            self.idx.notes.iter().find_map(|o| {
                (o.at > at && matches!(o.effect, Effect::Encoding(_))).then_some(o.at)
            });
        self.mapped_rows_between(at, header.unwrap_or(usize::MAX))
    }

    /// Whether rows of a mapped table start after byte `from`, before `to`.
    fn mapped_rows_between(&self, from: usize, to: usize) -> bool {
        self.spans.iter().any(|(t, first, _)| {
            (from + 1..to).contains(first)
                && t.schema == self.scope.schema
                && self.scope.is_mapped(&t.name)
        })
    }

    /// dumpshift reads the dump as UTF-8 (transcoded, when its header named
    /// LATIN1 or WIN1252): a `SET client_encoding` to anything else would
    /// make psql read the rest otherwise. Transcoded, only the header's own
    /// SET says UTF8 (relabelled): a later section that says UTF8 holds
    /// bytes that were read as LATIN1 or WIN1252.
    fn encoding(&mut self, n: &Note, enc: &str) {
        let first = !std::mem::replace(&mut self.seen_encoding, true);
        let name = match enc.to_ascii_uppercase().replace(['-', '_'], "").as_str() {
            "UTF8" | "UNICODE" => "UTF8",
            // Taken as it is when its bytes are UTF-8 (`encoding::plan`).
            "SQLASCII" => "SQL_ASCII",
            "ISO88591" | "LATIN1" => "LATIN1",
            "WINDOWS1252" | "WIN1252" => "WIN1252",
            _ => "",
        };
        let fine = match self.scope.transcoded_from {
            None => matches!(name, "UTF8" | "SQL_ASCII"),
            Some(from) => name == from || (first && name == "UTF8"),
        };
        if fine {
            return;
        }
        let why = format!(
            "psql would read the rest of the dump as {enc}, while dumpshift reads it as {}: remove the statement, or dump again with --encoding=UTF8",
            self.scope.transcoded_from.unwrap_or("UTF-8")
        );
        self.refuse(n, why, None);
    }

    fn writes(&mut self, n: &Note, tables: &[Rel], verb: Verb, cascade: bool) {
        for rel in tables {
            if let Some(t) = self.scope.mapped(rel) {
                let why = format!(
                    "{} of mapped table {t}: psql would apply it when restoring the dump, dumpshift reads only the dump's data. Make the change in the v1 database and dump it again, or remove the statement",
                    verb.describe()
                );
                return self.refuse(n, why, Some(&t));
            }
            let referenced = self
                .scope
                .references
                .iter()
                .find(|(_, onto)| names(rel, onto))
                .map(|(from, _)| from.clone());
            if let Some(from) = referenced {
                let why = format!(
                    "{} of {rel}, which rows of mapped table {from} reference: a cascading foreign key would change them",
                    verb.describe()
                );
                return self.refuse(n, why, Some(&from));
            }
        }
        if cascade {
            return self.refuse(
                n,
                "TRUNCATE ... CASCADE also empties every table whose foreign keys point at these, mapped ones included".into(),
                None,
            );
        }
        for rel in tables {
            let table = rel.to_string();
            match self
                .counts
                .iter_mut()
                .find(|(t, v, _)| *t == table && *v == verb)
            {
                Some((_, _, n)) => *n += 1,
                None => self.counts.push((table, verb, 1)),
            }
        }
    }

    fn reshapes(&mut self, n: &Note, table: &Rel, why: &str, before_data: bool) {
        let Some(t) = self.scope.mapped(table) else {
            return;
        };
        let data_before = self
            .spans
            .iter()
            .any(|(d, start, _)| *d == t && *start < n.at && self.same_db(*start, n.at));
        if before_data && !data_before {
            return;
        }
        let why = format!(
            "{why}, in mapped table {t}{}: dumpshift reads the columns of the dump's data and its CREATE TABLE, not what later statements make of them",
            if data_before { " after its data" } else { "" }
        );
        self.refuse(n, why, Some(&t));
    }

    fn creates(&mut self, n: &Note, table: &Rel, feeds: &[Rel]) {
        if let Some(parent) = feeds.iter().find_map(|f| self.scope.mapped(f)) {
            let why = format!("the new table's rows would also be rows of mapped table {parent}");
            return self.refuse(n, why, Some(&parent));
        }
        let Some(t) = self.scope.mapped(table) else {
            return;
        };
        let earlier = self
            .idx
            .notes
            .iter()
            .take_while(|o| o.at < n.at)
            .filter(|o| self.same_db(o.at, n.at));
        let mut created = false;
        for o in earlier {
            match &o.effect {
                Effect::Creates { table: r, .. } if names(r, &t) => created = true,
                Effect::Drops { tables, .. } if tables.iter().any(|r| names(r, &t)) => {
                    created = false
                }
                _ => {}
            }
        }
        if created {
            let why = format!("a second CREATE TABLE of mapped table {t}: psql would fail on it or, after a DROP, make another table than the one dumpshift reads");
            self.refuse(n, why, Some(&t));
        }
    }

    fn hook(&mut self, n: &Note, table: &Rel, what: &str) {
        let later_data = self
            .spans
            .iter()
            .any(|(d, start, end)| names(table, d) && *end > n.at && self.same_db(*start, n.at));
        let later_write = self.idx.notes.iter().any(|o| {
            o.at > n.at
                && self.same_db(o.at, n.at)
                && matches!(&o.effect, Effect::Writes { tables, .. } if tables.iter().any(|r| r == table || r.name == table.name))
        });
        if later_data || later_write {
            let why = format!(
                "{what} on {table} comes before rows are written to it, so it would fire when psql restores them (pg_dump creates triggers and rules after the data), while dumpshift copies the rows as the dump holds them"
            );
            self.refuse(n, why, None);
        }
    }

    fn drops(&mut self, n: &Note, tables: &[Rel], schemas: &[String], risky_cascade: bool) {
        let made_before = |t: &TableName| {
            self.spans
                .iter()
                .any(|(d, s, _)| d == t && *s < n.at && self.same_db(*s, n.at))
                || self.idx.notes.iter().any(|o| {
                    o.at < n.at
                        && self.same_db(o.at, n.at)
                        && matches!(&o.effect, Effect::Creates { table, .. } if names(table, t))
                })
        };
        let any_mapped_made = || {
            self.idx.catalog.tables.iter().any(|(t, _)| {
                t.schema == self.scope.schema && self.scope.is_mapped(&t.name) && made_before(t)
            })
        };
        for rel in tables {
            if let Some(t) = self.scope.mapped(rel) {
                if made_before(&t) {
                    let why = format!("it drops mapped table {t} after the dump created it (pg_dump --clean drops before creating)");
                    return self.refuse(n, why, Some(&t));
                }
            }
        }
        if schemas.iter().any(|s| s == self.scope.schema) && any_mapped_made() {
            let why = format!(
                "it drops or renames schema {}, which holds the mapped tables",
                self.scope.schema
            );
            return self.refuse(n, why, None);
        }
        if risky_cascade && any_mapped_made() {
            self.refuse(
                n,
                "DROP ... CASCADE of a type, domain, function, extension or schema also drops the columns of mapped tables that use it".into(),
                None,
            );
        }
    }
}

/// INSERT rows of tables outside the mapping are not migrated, but a
/// function called in them runs when psql restores them and may change any
/// table. Their VALUES lists are lexed; a statement the lexer cannot read
/// (a call, or another expression) is parsed, and refused if it calls a
/// function that is not a harmless built-in.
pub fn calls_in_unmapped_inserts(data: &[u8], idx: &DumpIndex, scope: &Scope) -> Vec<DataError> {
    let mut errors = Vec::new();
    let mut headers = crate::dump::insert::HeaderCache::default();
    let (mut buf, mut ranges) = (Vec::new(), Vec::new());
    for b in &idx.inserts {
        let rel = Rel {
            schema: Some(b.table.schema.clone()),
            name: b.table.name.clone(),
        };
        if scope.mapped(&rel).is_some() {
            continue;
        }
        for r in &b.statements {
            let stmt = &data[r.clone()];
            let Ok(h) = headers.parse(stmt) else { continue };
            let mut tuples = crate::dump::insert::Tuples::new(stmt, h.values_at, b.std_strings);
            let lexed = loop {
                match tuples.next_tuple(&mut buf, &mut ranges) {
                    Ok(Some(_)) => {}
                    Ok(None) => break true,
                    Err(_) => break false,
                }
            };
            let parsed = (!lexed)
                .then(|| std::str::from_utf8(stmt).ok())
                .flatten()
                .and_then(|sql| crate::dump::classify::classify(sql).ok());
            if let Some(Effect::Refused(why)) = parsed {
                let words = crate::dump::classify::first_words(stmt);
                errors.push(
                    DataError::new(format!("`{words}`: a row of {}: {why}", b.table))
                        .at(r.start)
                        .table(b.table.to_string()),
                );
            }
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dump;
    use crate::input::{encoding, Input};
    use crate::mapping::Description;
    use std::path::{Path, PathBuf};

    fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.join("toc.dat").is_file() {
                // A pg_dump -Fd directory is one dump; its files are not.
                out.push(path);
            } else if path.is_dir() {
                files_under(&path, out);
            } else if path.extension().is_none_or(|e| e != "md") {
                out.push(path);
            }
        }
    }

    fn refusals(path: &Path, mapping: &Description) -> Vec<String> {
        let input = Input::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let (data, from) = encoding::utf8_text(input.bytes()).unwrap();
        let idx = dump::index(&data).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let scope = Scope {
            schema: &mapping.source_schema,
            mapping,
            references: Vec::new(),
            transcoded_from: from,
        };
        let (errors, _) = account(&idx, &scope);
        errors.iter().map(|e| e.to_string()).collect()
    }

    /// Every committed dump (plain, compressed, archives, pg_dumpall,
    /// Supabase) and the schema scripts the fixtures are built from hold no
    /// statement dumpshift refuses.
    #[test]
    fn every_committed_fixture_is_accepted_statement_by_statement() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        files_under(&root.join("fixtures"), &mut files);
        for schema in [
            "v1_schema.sql",
            "v1_schema_permuted.sql",
            "supabase_schema.sql",
            "supabase_roles.sql",
            "crm.sql",
        ] {
            files.push(root.join("scripts/fixtures").join(schema));
        }
        assert!(files.len() > 25, "{files:?}");
        let mapping = Description::life_os();
        for f in &files {
            let refused = refusals(f, &mapping);
            assert!(refused.is_empty(), "{}: {refused:#?}", f.display());
        }
    }
}
