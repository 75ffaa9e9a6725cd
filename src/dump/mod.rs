//! Reading a plain-format dump: split it into statements, read the COPY
//! headers and the DDL, and index where each table's rows are.
//!
//! The result, `DumpIndex`, holds only byte ranges and names; rows stay in the
//! mapped input until the rewrite reads them.

pub mod classify;
pub mod insert;
pub mod lex;
pub mod meta;
mod reshape;
pub mod search_path;
pub mod split;
pub mod sql;

use std::ops::Range;

use crate::error::DataError;
use classify::Effect;
use meta::MetaEffect;
use search_path::SearchPath;
use split::{Kind, Splitter};
pub use sql::{Check, ColumnDef, ColumnDefault, ForeignKey, TableName, UniqueKey};

/// A `COPY ... FROM stdin` block of the dump.
#[derive(Clone, Debug)]
pub struct CopyBlock {
    pub table: TableName,
    pub columns: Vec<String>,
    /// Byte offset of the `COPY` keyword.
    pub header_at: usize,
    /// The rows, without the `\.` line.
    pub payload: Range<usize>,
    /// The table as the dump's DDL has created it where the data starts.
    pub defined: Option<Defined>,
}

/// A table's columns as the CREATE TABLE before its data, and the ALTERs
/// between them, leave them: the columns psql would let its data name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Defined {
    pub columns: Vec<String>,
    /// `INHERITS`, `PARTITION OF`, `OF type` or `LIKE` add columns not listed.
    pub open: bool,
    /// Where its CREATE TABLE starts.
    pub at: usize,
}

/// The INSERT statements that fill one table.
#[derive(Clone, Debug)]
pub struct InsertBlock {
    pub table: TableName,
    /// Absolute byte ranges of the statements, `INSERT` to `;`.
    pub statements: Vec<Range<usize>>,
    /// The first statement's column list; `None` for `--inserts`.
    pub columns: Option<Vec<String>>,
    /// `standard_conforming_strings` where the statements are.
    pub std_strings: bool,
    /// The table as the dump's DDL has created it where the first statement is.
    pub defined: Option<Defined>,
}

/// What the dump's DDL says about one table.
#[derive(Clone, Debug, Default)]
pub struct TableDef {
    pub columns: Vec<ColumnDef>,
    pub primary_key: Vec<String>,
    pub foreign_keys: Vec<ForeignKey>,
    pub checks: Vec<Check>,
    /// UNIQUE constraints and unique indexes (the primary key is apart).
    pub uniques: Vec<UniqueKey>,
    /// Where its CREATE TABLE starts.
    pub at: Option<usize>,
    /// Its CREATE TABLE takes columns from elsewhere too (`INHERITS`...).
    pub open: bool,
}

/// The v1 catalog as far as the dump's DDL tells it (empty for data-only dumps).
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    pub tables: Vec<(TableName, TableDef)>,
}

impl Catalog {
    /// The catalog of a schema-only SQL text, such as a reference schema.
    pub fn from_sql(sql: &str) -> Result<Catalog, DataError> {
        index(sql.as_bytes()).map(|i| i.catalog)
    }

    pub fn get(&self, name: &TableName) -> Option<&TableDef> {
        self.tables.iter().find(|(n, _)| n == name).map(|(_, d)| d)
    }

    /// The table as a CREATE TABLE has defined it so far; `None` when no
    /// CREATE TABLE has (an ALTER alone makes an entry too).
    pub fn defined(&self, name: &TableName) -> Option<Defined> {
        let def = self.get(name)?;
        Some(Defined {
            columns: def.columns.iter().map(|c| c.name.clone()).collect(),
            open: def.open,
            at: def.at?,
        })
    }

    fn entry(&mut self, name: TableName) -> &mut TableDef {
        let i = match self.tables.iter().position(|(n, _)| *n == name) {
            Some(i) => i,
            None => {
                self.tables.push((name, TableDef::default()));
                self.tables.len() - 1
            }
        };
        &mut self.tables[i].1
    }
}

/// Everything dumpshift needs to know about a dump before it rewrites rows.
#[derive(Debug, Default)]
pub struct DumpIndex {
    pub copies: Vec<CopyBlock>,
    pub catalog: Catalog,
    /// `INSERT INTO` statements, grouped by table in order of appearance.
    pub inserts: Vec<InsertBlock>,
    /// Number of statements (SQL, meta-commands and COPY blocks).
    pub statements: usize,
    /// `\connect NAME` meta-commands (pg_dumpall files): each database's name
    /// and where its section starts.
    pub databases: Vec<(String, usize)>,
    /// Every statement that is not harmless, in order (see `classify`).
    pub notes: Vec<Note>,
    /// pg_dump's table of contents comments `-- Data for Name: T; Type:
    /// TABLE DATA; Schema: S`: the tables whose data the dump meant to hold,
    /// and where each comment is.
    pub data_entries: Vec<(TableName, usize)>,
    /// Every CREATE TABLE: its table and where it starts. None in a
    /// data-only dump.
    pub creates: Vec<(TableName, usize)>,
}

/// A statement whose effect the migration must weigh against the mapping.
#[derive(Clone, Debug)]
pub struct Note {
    /// Byte offset of the statement.
    pub at: usize,
    /// Its first words, for messages.
    pub words: String,
    pub effect: Effect,
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Splits `data` and indexes it.
pub fn index(data: &[u8]) -> Result<DumpIndex, DataError> {
    let body_start = if data.starts_with(BOM) { BOM.len() } else { 0 };
    index_range(data, body_start..data.len())
}

/// Indexes the statements in `range` of `data` (one database's section of a
/// pg_dumpall file, say). Offsets stay those of `data`.
pub fn index_range(data: &[u8], range: Range<usize>) -> Result<DumpIndex, DataError> {
    let mut idx = DumpIndex::default();
    let mut splitter = Splitter::starting_at(&data[..range.end], range.start);
    let mut headers = insert::HeaderCache::default();
    let mut path = SearchPath::default();
    while let Some(stmt) = splitter.next() {
        let stmt = stmt?;
        idx.statements += 1;
        note_toc(&mut idx, data, stmt.lead..stmt.start);
        let r = stmt.start..stmt.end;
        match stmt.kind {
            Kind::Copy { header, payload } => note_copy(&mut idx, &path, data, header, payload)?,
            Kind::Sql { word } if data[word.clone()].eq_ignore_ascii_case(b"insert") => {
                let std_strings = splitter.std_strings();
                note_insert(&mut idx, &mut headers, &path, data, r, std_strings)?
            }
            Kind::Sql { word } => {
                path.follow(&data[r.clone()], &data[word.clone()], r.start);
                note_sql(&mut idx, data, r, &data[word])?
            }
            Kind::Meta => {
                let before = idx.databases.len();
                note_meta(&mut idx, data, r);
                if idx.databases.len() > before {
                    // `\connect` opens a new session, with the default path.
                    path = SearchPath::default();
                }
            }
        }
    }
    note_toc(&mut idx, data, splitter.position()..range.end);
    Ok(idx)
}

fn note_copy(
    idx: &mut DumpIndex,
    path: &SearchPath,
    data: &[u8],
    header: Range<usize>,
    payload: Range<usize>,
) -> Result<(), DataError> {
    let sql = utf8(data, header.clone())?;
    let at = header.start;
    let h = sql::parse_copy(sql)
        .map_err(|e| DataError::new(format!("cannot read COPY header: {e}")).at(at))?;
    if h.has_options {
        return Err(DataError::new("COPY with options (e.g. CSV format) is not what pg_dump writes; only text format is supported")
            .at(at)
            .table(h.table.to_string()));
    }
    if h.has_where {
        return Err(DataError::new("COPY ... FROM stdin WHERE: psql would load only the rows the condition keeps, and pg_dump never writes one; remove the WHERE clause (or the rows it would skip) and run again")
            .at(at)
            .table(h.table.to_string()));
    }
    let table = resolve(&idx.catalog, path, h.table, h.qualified, at)?;
    idx.copies.push(CopyBlock {
        defined: idx.catalog.defined(&table),
        table,
        columns: h.columns,
        header_at: at,
        payload,
    });
    Ok(())
}

/// The table an unqualified name in the statement at `at` means under
/// `path`, as PostgreSQL resolves it against the tables created so far.
fn resolve(
    catalog: &Catalog,
    path: &SearchPath,
    table: TableName,
    qualified: bool,
    at: usize,
) -> Result<TableName, DataError> {
    if qualified {
        return Ok(table);
    }
    let exists = |t: &TableName| catalog.defined(t).is_some();
    match path.resolve(&table.name, exists) {
        Ok(schema) => Ok(TableName::new(&schema, &table.name)),
        Err(why) => Err(DataError::new(why).at(at).table(table.name)),
    }
}

fn note_meta(idx: &mut DumpIndex, data: &[u8], r: Range<usize>) {
    match meta::classify(&data[r.clone()]) {
        MetaEffect::Harmless => {}
        MetaEffect::Connect(db) => idx.databases.push((db, r.start)),
        MetaEffect::Refused { command, why } => idx.notes.push(Note {
            at: r.start,
            words: command,
            effect: Effect::Refused(why),
        }),
    }
}

/// Records the `-- Data for Name: ...; Type: TABLE DATA; ...` comments in
/// the trivia `r` between two statements.
fn note_toc(idx: &mut DumpIndex, data: &[u8], r: Range<usize>) {
    const TAG: &[u8] = b"-- Data for Name: ";
    let lead = &data[r.clone()];
    if lead.len() < TAG.len() {
        // Between INSERTs of one table: a newline. Kept off the hot path.
        return;
    }
    let mut from = 0;
    while let Some(n) = memchr::memmem::find(&lead[from..], TAG) {
        let at = from + n;
        let line_end = memchr::memchr(b'\n', &lead[at..]).map_or(lead.len(), |e| at + e);
        from = line_end;
        let line = String::from_utf8_lossy(&lead[at + TAG.len()..line_end]);
        let fields: Vec<&str> = line.trim_end_matches('\r').split("; ").collect();
        let field = |key: &str| fields.iter().find_map(|f| f.strip_prefix(key));
        if let (Some(name), Some("TABLE DATA"), Some(schema)) =
            (fields.first(), field("Type: "), field("Schema: "))
        {
            let schema = if schema == "-" { "public" } else { schema };
            idx.data_entries
                .push((TableName::new(schema, name), r.start + at));
        }
    }
}

fn note_sql(
    idx: &mut DumpIndex,
    data: &[u8],
    r: Range<usize>,
    word: &[u8],
) -> Result<(), DataError> {
    let text = &data[r.clone()];
    let ddl_word = [&b"create"[..], b"alter", b"drop"]
        .iter()
        .any(|w| word.eq_ignore_ascii_case(w));
    if ddl_word && second_word_is_table(text) {
        let sql = utf8(data, r.clone())?;
        let ddl = sql::parse_ddl(sql)
            .map_err(|e| DataError::new(format!("cannot parse DDL: {e}")).at(r.start))?;
        for d in ddl {
            if let sql::Ddl::CreateTable { table, columns, .. } = &d {
                refuse_repeated_column(table, columns, r.start)?;
                idx.creates.push((table.clone(), r.start));
            }
            idx.catalog.apply(d, r.start);
        }
    }
    note_effect(idx, data, r);
    Ok(())
}

/// PostgreSQL refuses a CREATE TABLE that names a column twice ("column
/// specified more than once"): the table is never created, so its data
/// never loads, whatever dumpshift would make of it.
fn refuse_repeated_column(
    table: &TableName,
    columns: &[ColumnDef],
    at: usize,
) -> Result<(), DataError> {
    for (i, c) in columns.iter().enumerate() {
        if columns[..i].iter().any(|p| p.name == c.name) {
            return Err(DataError::new(format!(
                "CREATE TABLE names column {} more than once: PostgreSQL refuses it (column \"{}\" specified more than once) and never creates the table, so psql would load none of its rows",
                c.name, c.name
            ))
            .at(at + c.at)
            .table(table.to_string())
            .column(c.name.clone()));
        }
    }
    Ok(())
}

/// Classifies a statement and keeps it if it is not harmless.
fn note_effect(idx: &mut DumpIndex, data: &[u8], r: Range<usize>) {
    let text = &data[r.clone()];
    let effect = match std::str::from_utf8(text) {
        Err(_) => Effect::Refused("the statement is not valid UTF-8".into()),
        Ok(sql) => classify::classify(sql).unwrap_or_else(|e| {
            Effect::Refused(format!(
                "it is not SQL PostgreSQL can parse ({e}); psql may still run it (a `:variable` or a \\ meta-command inside it), so what it does is unknown"
            ))
        }),
    };
    if effect != Effect::Harmless {
        idx.notes.push(Note {
            at: r.start,
            words: classify::first_words(text),
            effect,
        });
    }
}

/// Records which table an INSERT fills; its rows are read later, in parallel.
fn note_insert(
    idx: &mut DumpIndex,
    headers: &mut insert::HeaderCache,
    path: &SearchPath,
    data: &[u8],
    r: Range<usize>,
    std_strings: bool,
) -> Result<(), DataError> {
    let h = match headers.parse(&data[r.clone()]) {
        Ok(h) => h,
        Err(e) => {
            // Not a plain VALUES list: INSERT ... SELECT, DEFAULT VALUES.
            // Weighed like any other statement when it parses as SQL.
            let parsed = std::str::from_utf8(&data[r.clone()])
                .ok()
                .and_then(|sql| classify::classify(sql).ok());
            if let Some(effect @ Effect::Writes { .. }) = parsed {
                idx.notes.push(Note {
                    at: r.start,
                    words: classify::first_words(&data[r.clone()]),
                    effect,
                });
                return Ok(());
            }
            let at = r.start + e.byte().unwrap_or(0);
            return Err(e.at(at));
        }
    };
    let table = resolve(&idx.catalog, path, h.table.clone(), h.qualified, r.start)?;
    match idx.inserts.last_mut() {
        Some(b) if b.table == table => b.statements.push(r),
        _ => idx.inserts.push(InsertBlock {
            defined: idx.catalog.defined(&table),
            table,
            statements: vec![r],
            columns: h.columns.clone(),
            std_strings,
        }),
    }
    Ok(())
}

/// `CREATE TABLE`, `CREATE UNLOGGED TABLE`, `ALTER TABLE`, `CREATE UNIQUE
/// INDEX`: the statements whose catalog facts matter. Other DDL (functions,
/// policies...) is never parsed.
fn second_word_is_table(text: &[u8]) -> bool {
    let mut words = text
        .split(|&b| lex::is_space(b))
        .filter(|w| !w.is_empty())
        .skip(1);
    match words.next() {
        Some(w) if w.eq_ignore_ascii_case(b"table") => true,
        Some(w) if w.eq_ignore_ascii_case(b"unlogged") => true,
        Some(w) if w.eq_ignore_ascii_case(b"unique") => true,
        _ => false,
    }
}

fn utf8(data: &[u8], r: Range<usize>) -> Result<&str, DataError> {
    let at = r.start;
    std::str::from_utf8(&data[r]).map_err(|_| DataError::new("statement is not valid UTF-8").at(at))
}
