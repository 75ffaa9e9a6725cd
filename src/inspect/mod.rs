//! `dumpshift inspect`: what a dump holds (its form, the pg_dump and server
//! versions, schemas, every table with its row count and columns, and which
//! tables the mapping covers) and how it drifts from the mapping.
//!
//! It indexes the dump and counts rows (memchr over COPY payloads, the tuple
//! lexer over INSERT statements); it never decodes a field or rewrites a row.

mod drift;
mod render;

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;

pub use drift::Drift;

use crate::copy::scan;
use crate::dump::insert::{HeaderCache, Tuples};
use crate::dump::{self, Catalog, DumpIndex, InsertBlock, TableName};
use crate::error::{DataError, Error};
use crate::input::{encoding, ArchiveKind, Form, Input};
use crate::mapping::load::Mapping;
use crate::mapping::Description;

/// What `inspect` found, as printed (text) or serialised (`--json`).
#[derive(Debug, Serialize)]
pub struct Inspection {
    pub file: String,
    pub bytes: u64,
    /// How the file is stored: "plain SQL", "gzip-compressed SQL", ...
    pub form: String,
    /// How the rows are written: "COPY", "INSERT", "COPY and INSERT" or "none".
    pub data: String,
    /// The `client_encoding` the dump declares.
    pub encoding: Option<String>,
    pub pg_dump_version: Option<String>,
    pub server_version: Option<String>,
    /// Schemas the dump creates or holds tables in, sorted.
    pub schemas: Vec<String>,
    pub mapping: MappingInfo,
    /// The whole dump, or one entry per database of a pg_dumpall file.
    pub databases: Vec<Database>,
}

/// The mapping the dump was compared with.
#[derive(Debug, Serialize)]
pub struct MappingInfo {
    pub name: String,
    pub source_schema: String,
    pub tables: usize,
}

/// One database's tables and drift.
#[derive(Debug, Serialize)]
pub struct Database {
    /// The database's name in a pg_dumpall file; `None` for a pg_dump file.
    pub name: Option<String>,
    pub tables: Vec<Table>,
    pub drift: Vec<Drift>,
}

/// One table of the dump.
#[derive(Debug, Serialize)]
pub struct Table {
    pub schema: String,
    pub name: String,
    /// "COPY" or "INSERT"; `None` when the dump has only the table's DDL.
    pub data: Option<&'static str>,
    pub rows: u64,
    /// The columns the data carries, or those of the DDL when there is no data.
    pub columns: Vec<String>,
    /// The target table, when the mapping covers this one.
    pub target: Option<String>,
}

impl Table {
    pub fn qualified(&self) -> String {
        format!("{}.{}", self.schema, self.name)
    }
}

/// What `dumpshift inspect` is asked for.
pub struct Options {
    /// The dump, or `-` for stdin.
    pub dump: PathBuf,
    /// A mapping file instead of the built-in mapping.
    pub mapping: Option<PathBuf>,
    /// The report as JSON rather than text.
    pub json: bool,
}

/// Runs `dumpshift inspect`: the report, rendered as asked, for stdout.
pub fn run(opts: &Options) -> Result<Vec<u8>, Error> {
    let mapping = Mapping::choose(opts.mapping.as_deref())?;
    let input = Input::open(&opts.dump)?;
    let file = opts.dump.display().to_string();
    let report = inspect(&file, &input, &mapping)?;
    input.unchanged()?;
    let mut out = Vec::new();
    if opts.json {
        serde_json::to_writer_pretty(&mut out, &report)
            .map_err(|e| Error::io("-", "write", e.into()))?;
        out.push(b'\n');
    } else {
        render::text(&mut out, &report).map_err(|e| Error::io("-", "write", e))?;
    }
    Ok(out)
}

/// Looks into the dump `input` (named `file` in messages).
pub fn inspect(file: &str, input: &Input, full: &Mapping) -> Result<Inspection, Error> {
    let mapping = &full.description;
    let raw = input.bytes();
    let (data, _) = encoding::utf8_text(raw).map_err(|e| Error::data(file, raw, e))?;
    let fail = |e: DataError| Error::data(file, &data, e);
    let idx = dump::index(&data).map_err(fail)?;
    let data_kind = match (idx.copies.is_empty(), idx.inserts.is_empty()) {
        (false, false) => "COPY and INSERT",
        (false, true) => "COPY",
        (true, false) => "INSERT",
        (true, true) => "none",
    };
    let mut header = Header::default();
    let mut databases = Vec::new();
    for (name, range, section) in sections(&data, idx).map_err(fail)? {
        header.read(&data[range.start..first_data(&section).unwrap_or(range.end)]);
        let declared = mapping.source_ddl.as_ref().map(|_| &full.reference);
        let tables = tables(&data, &section, mapping, declared).map_err(fail)?;
        let has_mapped = tables.iter().any(|t| t.target.is_some());
        let drift = if name.is_none() || has_mapped {
            let mut found = drift::find(mapping, &tables);
            found.extend(drift::types(mapping, &section.catalog, &full.reference));
            found
        } else {
            Vec::new()
        };
        databases.push(Database {
            name,
            tables,
            drift,
        });
    }
    let mut schemas = header.schemas;
    schemas.extend(
        databases
            .iter()
            .flat_map(|d| d.tables.iter().map(|t| t.schema.clone())),
    );
    schemas.sort();
    schemas.dedup();
    Ok(Inspection {
        file: file.to_string(),
        bytes: raw.len() as u64,
        form: form_name(&input.form()),
        data: data_kind.to_string(),
        encoding: encoding::declared(raw).map(|(e, _)| e),
        pg_dump_version: header.pg_dump,
        server_version: header.server,
        schemas,
        mapping: MappingInfo {
            name: mapping.name.clone(),
            source_schema: mapping.source_schema.clone(),
            tables: mapping.tables.len(),
        },
        databases,
    })
}

fn form_name(form: &Form) -> String {
    match form {
        Form::Plain => "plain SQL".into(),
        Form::Compressed(codec) => format!("{}-compressed SQL", codec.name()),
        Form::Archive {
            kind,
            version,
            compression,
            outer,
        } => {
            let kind = match kind {
                ArchiveKind::Custom => "custom-format (-Fc)",
                ArchiveKind::Directory => "directory-format (-Fd)",
                ArchiveKind::Tar => "tar-format (-Ft)",
            };
            let whole = outer.map_or(String::new(), |c| {
                format!(", the whole archive {}-compressed", c.name())
            });
            format!("{kind} archive {version} (data: {compression}){whole}")
        }
    }
}

/// One database of the dump: its name in a pg_dumpall file, its range of
/// the file, and its index.
type Section = (Option<String>, Range<usize>, DumpIndex);

/// The dump's databases: the whole file, or each `\connect` section of a
/// pg_dumpall file, indexed on its own so that its tables are its own.
fn sections(data: &[u8], idx: DumpIndex) -> Result<Vec<Section>, DataError> {
    if idx.databases.is_empty() {
        return Ok(vec![(None, 0..data.len(), idx)]);
    }
    let starts = &idx.databases;
    let mut out = Vec::new();
    for (i, (name, start)) in starts.iter().enumerate() {
        let range = *start..starts.get(i + 1).map_or(data.len(), |d| d.1);
        let section = dump::index_range(data, range.clone())?;
        out.push((Some(name.clone()), range, section));
    }
    Ok(out)
}

/// Where the first row of a section is: pg_dump writes its header and the
/// schema before any data.
fn first_data(idx: &DumpIndex) -> Option<usize> {
    let copies = idx.copies.iter().map(|c| c.header_at);
    let inserts = idx.inserts.iter().map(|b| b.statements[0].start);
    copies.chain(inserts).min()
}

/// What the text before the data says: versions and created schemas.
#[derive(Default)]
struct Header {
    pg_dump: Option<String>,
    server: Option<String>,
    schemas: Vec<String>,
}

impl Header {
    fn read(&mut self, head: &[u8]) {
        let line_after = |prefix: &[u8]| {
            let at = memchr::memmem::find(head, prefix)? + prefix.len();
            let end = memchr::memchr(b'\n', &head[at..]).map_or(head.len(), |n| at + n);
            Some(String::from_utf8_lossy(&head[at..end]).trim().to_string())
        };
        if self.server.is_none() {
            self.server = line_after(b"\n-- Dumped from database version ");
        }
        if self.pg_dump.is_none() {
            self.pg_dump = line_after(b"\n-- Dumped by pg_dump version ");
        }
        const CREATE: &[u8] = b"\nCREATE SCHEMA ";
        for at in memchr::memmem::find_iter(head, CREATE) {
            self.schemas.push(identifier(&head[at + CREATE.len()..]));
        }
    }
}

/// The identifier at the start of `text`: `"quoted"` (with `""` inside) or
/// bare up to a space or `;`.
fn identifier(text: &[u8]) -> String {
    if let Some(quoted) = text.strip_prefix(b"\"") {
        let mut name = Vec::new();
        let mut i = 0;
        while i < quoted.len() {
            match (quoted[i], quoted.get(i + 1)) {
                (b'"', Some(b'"')) => i += 1,
                (b'"', _) => break,
                _ => {}
            }
            name.push(quoted[i]);
            i += 1;
        }
        return String::from_utf8_lossy(&name).into_owned();
    }
    let end = memchr::memchr3(b';', b' ', b'\n', text).unwrap_or(text.len());
    String::from_utf8_lossy(&text[..end]).into_owned()
}

/// Every table of one database: from its DDL, its COPY blocks and its
/// INSERT statements, sorted by name, with rows counted in parallel.
/// INSERTs without column names take their columns from the dump's DDL,
/// else from the mapping's `source_ddl` (`declared`), as the migration does.
fn tables(
    data: &[u8],
    idx: &DumpIndex,
    mapping: &Description,
    declared: Option<&Catalog>,
) -> Result<Vec<Table>, DataError> {
    let mut by_name: BTreeMap<TableName, Table> = BTreeMap::new();
    for (name, def) in &idx.catalog.tables {
        let cols = def.columns.iter().filter(|c| !c.generated);
        entry(&mut by_name, name).columns = cols.map(|c| c.name.clone()).collect();
    }
    let copy_rows: Vec<u64> = idx
        .copies
        .par_iter()
        .map(|c| scan::Rows::new(&data[c.payload.clone()]).count() as u64)
        .collect();
    for (c, rows) in idx.copies.iter().zip(copy_rows) {
        let t = entry(&mut by_name, &c.table);
        t.data = Some("COPY");
        t.rows += rows;
        t.columns = c.columns.clone();
    }
    for b in &idx.inserts {
        let rows = count_tuples(data, b)?;
        let t = entry(&mut by_name, &b.table);
        t.data = Some("INSERT");
        t.rows += rows;
        if let Some(cols) = &b.columns {
            t.columns = cols.clone();
        }
    }
    for (name, t) in &mut by_name {
        if let (true, Some(def)) = (t.columns.is_empty(), declared.and_then(|c| c.get(name))) {
            let cols = def.columns.iter().filter(|c| !c.generated);
            t.columns = cols.map(|c| c.name.clone()).collect();
        }
    }
    let mut tables: Vec<Table> = by_name.into_values().collect();
    for t in &mut tables {
        if t.schema == mapping.source_schema {
            t.target = mapping.table(&t.name).map(|d| d.target.clone());
        }
    }
    Ok(tables)
}

fn entry<'m>(by_name: &'m mut BTreeMap<TableName, Table>, name: &TableName) -> &'m mut Table {
    by_name.entry(name.clone()).or_insert_with(|| Table {
        schema: name.schema.clone(),
        name: name.name.clone(),
        data: None,
        rows: 0,
        columns: Vec::new(),
        target: None,
    })
}

/// The rows of one run of INSERT statements: their VALUES tuples, lexed in
/// parallel, statement by statement.
fn count_tuples(data: &[u8], block: &InsertBlock) -> Result<u64, DataError> {
    let counts: Result<Vec<u64>, DataError> = block
        .statements
        .par_iter()
        .map_init(
            || (HeaderCache::default(), Vec::new(), Vec::new()),
            |(headers, buf, ranges), r| {
                let stmt = &data[r.clone()];
                let relocate = |e: DataError| {
                    let b = e.byte().unwrap_or(0);
                    e.at(r.start + b)
                };
                let values_at = headers.parse(stmt).map_err(relocate)?.values_at;
                let mut tuples = Tuples::new(stmt, values_at, block.std_strings);
                let mut n = 0;
                while tuples.next_tuple(buf, ranges).map_err(relocate)?.is_some() {
                    n += 1;
                }
                Ok(n)
            },
        )
        .collect();
    Ok(counts?.iter().sum())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::compressed::Codec;

    #[test]
    fn header_gives_versions_and_created_schemas_quoted_or_not() {
        let head = b"--\n-- Dumped from database version 15.18 (Debian)\n\
            -- Dumped by pg_dump version 16.2\n\nCREATE SCHEMA auth;\n\n\
            CREATE SCHEMA \"My \"\"odd\"\" schema\";\n";
        let mut h = Header::default();
        h.read(head);
        assert_eq!(h.server.as_deref(), Some("15.18 (Debian)"));
        assert_eq!(h.pg_dump.as_deref(), Some("16.2"));
        assert_eq!(h.schemas, ["auth", "My \"odd\" schema"]);
        // A later section (pg_dumpall) does not replace the first versions.
        h.read(b"\n-- Dumped by pg_dump version 17.0\n");
        assert_eq!(h.pg_dump.as_deref(), Some("16.2"));
    }

    #[test]
    fn every_form_has_a_name() {
        let custom = Form::Archive {
            kind: ArchiveKind::Custom,
            version: "1.14".into(),
            compression: "gzip".into(),
            outer: None,
        };
        assert_eq!(
            form_name(&custom),
            "custom-format (-Fc) archive 1.14 (data: gzip)"
        );
        let tar = Form::Archive {
            kind: ArchiveKind::Tar,
            version: "1.14".into(),
            compression: "none".into(),
            outer: Some(Codec::Xz),
        };
        assert_eq!(
            form_name(&tar),
            "tar-format (-Ft) archive 1.14 (data: none), the whole archive xz-compressed"
        );
        assert_eq!(
            form_name(&Form::Compressed(Codec::Zstd)),
            "zstd-compressed SQL"
        );
    }
}
