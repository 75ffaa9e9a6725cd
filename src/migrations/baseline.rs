//! `dumpshift baseline`: a `pg_dump --schema-only` file becomes the first
//! migration of a history that starts now, the recovery procedure for a
//! database whose schema changes were not tracked.
//!
//! - The up section is the dump's own text, comments included, with what a
//!   migration tool cannot run handled: `\restrict`/`\unrestrict` lines are
//!   left out; every session `SET` becomes `SET LOCAL` and pg_dump's
//!   `set_config('search_path', '', false)` becomes `..., true)`, so the
//!   settings pg_dump relies on hold for the migration's transaction and do
//!   not leak into the tool's session or the next migration;
//!   `SET client_encoding` is dropped (the files are written in UTF-8).
//!   The migration tool's own `public.schema_migrations` table is left out.
//! - The down section drops, in reverse order, every free-standing object
//!   the up section creates (`DROP ... IF EXISTS ... CASCADE`).
//! - The mark-applied script records the baseline as applied in the tool's
//!   `schema_migrations` table, keeping an older table as
//!   `schema_migrations_legacy`.

use crate::dump::split::{find_ci, Kind, Splitter};
use crate::dump::sql::undo::{table_of, undo, Undo};
use crate::dump::sql::TableName;
use crate::error::{DataError, Error};
use crate::input::{encoding, Input};
use crate::migrations::{render, stem, Format, Migration};

/// What the baseline is called and for which tool.
pub struct Options {
    pub version: i64,
    pub name: String,
    pub format: Format,
}

/// A baseline: the migration, the script that marks it applied, and what
/// the user should know (objects the down section does not drop, statements
/// left out).
pub struct Baseline {
    pub migration: Migration,
    pub mark_applied: String,
    pub notes: Vec<String>,
    pub drops: usize,
}

/// The file name of the mark-applied script. It does not start with a digit,
/// so neither golang-migrate nor dbmate takes it for a migration.
pub fn mark_applied_name(opts: &Options) -> String {
    format!("mark_applied_{}.sql", stem(opts.version, &opts.name))
}

/// Reads the schema dump at `path` (`-`: stdin) and turns it into a
/// baseline; the file must not change while it is read.
pub fn read(path: &std::path::Path, opts: &Options) -> Result<Baseline, Error> {
    let input = Input::open(path)?;
    let b = convert(&path.display().to_string(), input.bytes(), opts)?;
    input.unchanged()?;
    Ok(b)
}

/// The files to write: the migration in `opts.format`'s layout, then the
/// mark-applied script.
pub fn files(b: &Baseline, opts: &Options) -> Vec<(String, String)> {
    let mut files = render(opts.format, std::slice::from_ref(&b.migration));
    files.push((mark_applied_name(opts), b.mark_applied.clone()));
    files
}

/// Turns the schema dump `data` (read from `file`) into a baseline.
pub fn convert(file: &str, data: &[u8], opts: &Options) -> Result<Baseline, Error> {
    let (utf8, _) = encoding::utf8_text(data).map_err(|e| Error::data(file, data, e))?;
    let text = std::str::from_utf8(&utf8).map_err(|e| {
        Error::data(
            file,
            &utf8,
            DataError::new("not UTF-8 text").at(e.valid_up_to()),
        )
    })?;
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut b = Builder::default();
    let mut split = Splitter::new(body.as_bytes());
    for piece in split.by_ref() {
        let st = piece.map_err(|e| Error::data(file, body.as_bytes(), e))?;
        b.up.push_str(&body[st.lead..st.start]);
        b.statement(body, &st)
            .map_err(|e| Error::data(file, body.as_bytes(), e.at(st.start)))?;
    }
    b.up.push_str(&body[split.position()..]);
    if b.drops.is_empty() {
        return Err(Error::Refused(format!(
            "{file} creates no schema object: give the output of `pg_dump --schema-only DBNAME`"
        )));
    }
    Ok(b.finish(file, opts))
}

#[derive(Default)]
struct Builder {
    up: String,
    /// (what, DROP statement) in the order the up section creates them.
    drops: Vec<(String, String)>,
    notes: Vec<String>,
    left_out_tracking: bool,
}

const TRACKING: (&str, &str) = ("public", "schema_migrations");

impl Builder {
    fn statement(
        &mut self,
        body: &str,
        st: &crate::dump::split::Statement,
    ) -> Result<(), DataError> {
        let sql = &body[st.start..st.end];
        match st.kind {
            Kind::Meta => self.meta(sql),
            Kind::Copy { .. } => Err(data_in_schema("COPY")),
            Kind::Sql { ref word } => match body[word.clone()].to_ascii_lowercase().as_str() {
                "set" => {
                    self.up.push_str(&local_set(sql));
                    Ok(())
                }
                "select" if find_ci(sql.as_bytes(), b"set_config(").is_some() => {
                    self.up.push_str(&local_set_config(sql));
                    Ok(())
                }
                "insert" => Err(data_in_schema("INSERT")),
                _ => self.ddl(sql, body[..st.start].matches('\n').count() + 1),
            },
        }
    }

    fn meta(&mut self, sql: &str) -> Result<(), DataError> {
        let command = sql.split_whitespace().next().unwrap_or_default();
        match command {
            "\\restrict" | "\\unrestrict" => Ok(()),
            "\\connect" | "\\c" => Err(DataError::new(
                "`\\connect` switches database: a baseline is one database's schema; \
                 dump it with `pg_dump --schema-only DBNAME` (without --create)",
            )),
            _ => Err(DataError::new(format!(
                "psql meta-command `{}` cannot go into a migration",
                sql.trim_end()
            ))),
        }
    }

    fn ddl(&mut self, sql: &str, line: usize) -> Result<(), DataError> {
        if table_of(sql) == Some(TableName::new(TRACKING.0, TRACKING.1)) {
            self.left_out_tracking = true;
            return Ok(());
        }
        match undo(sql).map_err(|m| DataError::new(format!("SQL does not parse: {m}")))? {
            Undo::Drop { object, sql: drop } => self.drops.push((object, drop)),
            Undo::Nothing => {}
            Undo::Unknown(kind) => self.notes.push(format!(
                "line {line}: the down section does not drop what this {kind} creates"
            )),
            Undo::Database => return Err(DataError::new(
                "CREATE DATABASE: a baseline is one database's schema; dump it without --create",
            )),
        }
        self.up.push_str(sql);
        Ok(())
    }

    fn finish(mut self, file: &str, opts: &Options) -> Baseline {
        if self.left_out_tracking {
            self.notes.push(format!(
                "{}.{} is the migration tool's own table: left out of the up section \
                 (the mark-applied script keeps an existing one as schema_migrations_legacy)",
                TRACKING.0, TRACKING.1
            ));
        }
        // The file's name, not its path: the migration is committed and read
        // on other machines.
        let source = match std::path::Path::new(file).file_name() {
            _ if file == "-" => "standard input".into(),
            Some(name) => name.to_string_lossy(),
            None => file.into(),
        };
        let up = format!(
            "-- Baseline: the schema of {source} (pg_dump --schema-only), by dumpshift baseline.\n\
             -- Session settings are SET LOCAL: they hold for this migration's transaction\n\
             -- (run it in one, as migration tools do: psql -1 -f).\n{}",
            self.up
        );
        let mut down = String::from(
            "-- Reverts the baseline: drops what its up section creates, newest first.\n\
             -- Privileges granted on objects it did not create (such as schema public)\n\
             -- and default privileges are left as they are.\n",
        );
        for (_, drop) in self.drops.iter().rev() {
            down.push_str(drop);
            down.push('\n');
        }
        Baseline {
            migration: Migration {
                version: opts.version,
                name: opts.name.clone(),
                up,
                down,
            },
            mark_applied: mark_applied(opts),
            notes: self.notes,
            drops: self.drops.len(),
        }
    }
}

fn data_in_schema(what: &str) -> DataError {
    DataError::new(format!(
        "{what}: this dump holds data; a baseline takes `pg_dump --schema-only` output"
    ))
}

/// `SET x = v;` -> `SET LOCAL x = v;`; `SET client_encoding` goes (the
/// files are UTF-8, and a migration tool sends them over its own
/// connection's encoding).
fn local_set(sql: &str) -> String {
    let rest = sql[3..].trim_start();
    let lower = rest.to_ascii_lowercase();
    if lower.starts_with("client_encoding") {
        return format!("-- {sql} (the migration files are UTF-8)");
    }
    if lower.starts_with("local ") {
        return sql.to_string();
    }
    let rest = match lower.strip_prefix("session ") {
        Some(after) if !after.trim_start().starts_with("authorization") => &rest[8..],
        _ => rest,
    };
    format!("SET LOCAL {rest}")
}

/// pg_dump's `SELECT pg_catalog.set_config('search_path', '', false);`
/// with is_local true: the empty search_path holds for the transaction.
fn local_set_config(sql: &str) -> String {
    let trimmed = sql.trim_end_matches(';').trim_end();
    match trimmed.strip_suffix(')') {
        Some(head) if head.trim_end().to_ascii_lowercase().ends_with("false") => {
            let head = head.trim_end();
            format!("{}true);", &head[..head.len() - "false".len()])
        }
        _ => sql.to_string(),
    }
}

/// The SQL that records the baseline as applied in the tool's table.
fn mark_applied(opts: &Options) -> String {
    let stem = stem(opts.version, &opts.name);
    let (table, row) = match opts.format {
        Format::GolangMigrate => (
            "version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL",
            format!("(version, dirty) VALUES ({}, false)", opts.version),
        ),
        Format::Dbmate => (
            "version varchar(128) PRIMARY KEY",
            // dbmate records the digits of the file name as written.
            format!(
                "(version) VALUES ('{}')",
                stem.split('_').next().unwrap_or_default()
            ),
        ),
    };
    format!(
        "-- Marks {stem} as applied for {format}, in the database the schema dump was\n\
         -- taken from (there the schema exists already; do not run the up section):\n\
         --   psql -v ON_ERROR_STOP=1 -f {file} DBNAME\n\
         -- An existing schema_migrations table (an older history) is kept as\n\
         -- schema_migrations_legacy, not dropped.\n\
         BEGIN;\n\
         ALTER TABLE IF EXISTS schema_migrations RENAME TO schema_migrations_legacy;\n\
         CREATE TABLE schema_migrations ({table});\n\
         INSERT INTO schema_migrations {row};\n\
         COMMIT;\n",
        format = opts.format,
        file = mark_applied_name(opts),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(format: Format) -> Options {
        Options {
            version: 1,
            name: "baseline".into(),
            format,
        }
    }

    const DUMP: &str = "--\n-- PostgreSQL database dump\n--\n\n\\restrict abc\n\n\
        SET statement_timeout = 0;\nSET client_encoding = 'UTF8';\n\
        SELECT pg_catalog.set_config('search_path', '', false);\n\
        CREATE SCHEMA app;\nCREATE TABLE app.t (id int);\n\
        CREATE TABLE public.schema_migrations (version bigint NOT NULL, dirty boolean NOT NULL);\n\
        ALTER TABLE ONLY public.schema_migrations ADD CONSTRAINT schema_migrations_pkey PRIMARY KEY (version);\n\
        CREATE INDEX t_id ON app.t (id);\n\n\\unrestrict abc\n";

    #[test]
    fn up_keeps_the_dump_and_makes_settings_local() {
        let b = convert("s.sql", DUMP.as_bytes(), &opts(Format::GolangMigrate)).unwrap();
        let up = &b.migration.up;
        assert!(
            !up.contains("\\restrict") && !up.contains("\\unrestrict"),
            "{up}"
        );
        assert!(up.contains("SET LOCAL statement_timeout = 0;"));
        assert!(up.contains("-- SET client_encoding = 'UTF8';"));
        assert!(up.contains("set_config('search_path', '', true);"));
        assert!(up.contains("CREATE INDEX t_id ON app.t (id);"));
        assert!(!up.contains("schema_migrations"), "{up}");
        assert!(up.contains("-- PostgreSQL database dump"));
        assert_eq!(b.drops, 2);
        let drops: Vec<&str> = b
            .migration
            .down
            .lines()
            .filter(|l| !l.starts_with("--"))
            .collect();
        assert_eq!(
            drops,
            vec![
                "DROP TABLE IF EXISTS app.t CASCADE;",
                "DROP SCHEMA IF EXISTS app CASCADE;"
            ]
        );
        assert_eq!(b.notes.len(), 1, "{:?}", b.notes);
    }

    #[test]
    fn mark_applied_for_each_tool() {
        let g = mark_applied(&opts(Format::GolangMigrate));
        assert!(g.contains("INSERT INTO schema_migrations (version, dirty) VALUES (1, false);"));
        let d = mark_applied(&opts(Format::Dbmate));
        assert!(d.contains("version varchar(128) PRIMARY KEY"));
        assert!(d.contains("INSERT INTO schema_migrations (version) VALUES ('0001');"));
        assert_eq!(
            mark_applied_name(&opts(Format::Dbmate)),
            "mark_applied_0001_baseline.sql"
        );
    }

    #[test]
    fn settings_of_every_form() {
        assert_eq!(local_set("SET x = 1;"), "SET LOCAL x = 1;");
        assert_eq!(local_set("SET LOCAL x = 1;"), "SET LOCAL x = 1;");
        assert_eq!(local_set("SET SESSION x = 1;"), "SET LOCAL x = 1;");
        assert_eq!(
            local_set("SET SESSION AUTHORIZATION 'me';"),
            "SET LOCAL SESSION AUTHORIZATION 'me';"
        );
        assert_eq!(
            local_set_config("SELECT pg_catalog.set_config('search_path', '', false);"),
            "SELECT pg_catalog.set_config('search_path', '', true);"
        );
    }

    #[test]
    fn data_other_databases_and_meta_commands_are_refused_at_their_line() {
        let o = opts(Format::Dbmate);
        for (dump, want) in [
            (
                "CREATE TABLE t (a int);\nCOPY t (a) FROM stdin;\n1\n\\.\n",
                "s.sql:2 (byte 24): COPY: this dump holds data",
            ),
            (
                "CREATE TABLE t (a int);\nINSERT INTO t VALUES (1);\n",
                "s.sql:2 (byte 24): INSERT",
            ),
            (
                "CREATE DATABASE x;\n\\connect x\n",
                "s.sql:1 (byte 0): CREATE DATABASE",
            ),
            (
                "CREATE TABLE t (a int);\n\\set x 1\n",
                "s.sql:2 (byte 24): psql meta-command `\\set x 1`",
            ),
            (
                "CREATE TABLE t (a int);\nCREATE TABEL u (b int);\n",
                "s.sql:2 (byte 24): SQL does not parse",
            ),
        ] {
            let err = convert("s.sql", dump.as_bytes(), &o)
                .err()
                .unwrap()
                .to_string();
            assert!(err.starts_with(want), "{err}");
        }
        let err = convert("s.sql", b"SET x = 1;\n", &o)
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("creates no schema object"), "{err}");
    }
}
