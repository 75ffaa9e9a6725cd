//! The migration, end to end: index the dump, compile the mapping against it,
//! check every row and gather whole-table keys (in parallel), then rewrite the
//! rows chunk by chunk (in parallel, written in order) into the load file.
//!
//! Nothing is written before every check has passed.

use std::path::PathBuf;

mod check;
mod coverage;
mod created;
mod join;
mod output;
mod preflight;
mod statements;
#[cfg(test)]
mod tests;
mod work;

pub use output::Out;
use work::{work, Fk, Work};

use crate::copy::check::marker_mismatch;
use crate::copy::scan;
use crate::dump::{self, Catalog, CopyBlock, DumpIndex, InsertBlock, TableName};
use crate::error::{DataError, Error, Report};
use crate::files::{self, Objects};
use crate::input::{encoding, Input};
use crate::mapping::plan::{self, PlanError};
use crate::mapping::{split, Description};
use crate::migrations;
use crate::progress::Progress;
pub use crate::report::Summary;
use crate::report::{self, FilesSummary, Ignored, TableSummary};
use crate::rows::Source;
use crate::validate::drift;
use crate::validate::values::{self, ValueChecks};
use crate::validate::MAX_ERRORS;
use crate::write::atomic;

/// How big a piece of a table one worker takes at a time.
pub const CHUNK_BYTES: usize = 1 << 20;

pub struct Options {
    pub input: PathBuf,
    pub output: PathBuf,
    pub storage_root: String,
    pub force: bool,
    pub quiet: bool,
    /// `table.column` pairs the user agreed to drop.
    pub allow_drop: Vec<String>,
    /// Mapped source tables (names without schema) the user agreed may
    /// have no data in the dump.
    pub allow_empty: Vec<String>,
    pub mapping: Description,
    /// The source schema's DDL, for foreign keys when a dump has none
    /// (data-only dumps).
    pub reference: Catalog,
    /// The target schema's migrations, which the load file applies.
    pub target: Vec<migrations::Migration>,
    /// Which database of a `pg_dumpall` file to read.
    pub database: Option<String>,
    pub extras: Extras,
}

impl Options {
    /// What the `--report` says about this run besides its summary.
    pub fn run_facts(&self) -> report::RunFacts<'_> {
        report::RunFacts {
            input: self.input.display().to_string(),
            output: self.output.display().to_string(),
            mapping: &self.mapping.name,
            schema_version: self.target.last().map_or(0, |m| m.version),
            data_only: self.extras.data_only,
            storage_root: self
                .mapping
                .tables
                .iter()
                .flat_map(|t| &t.columns)
                .any(|c| c.storage_path.is_some())
                .then_some(self.storage_root.as_str()),
        }
    }
}

/// What a run does beyond writing a full load file.
#[derive(Clone, Debug, Default)]
pub struct Extras {
    /// Write no DDL: the load checks that the v2 schema is already there.
    pub data_only: bool,
    /// The staged bucket: every object a row names must be there, same size.
    pub files_dir: Option<PathBuf>,
    /// Copy the staged objects here, in the storage-root layout.
    pub copy_files_to: Option<PathBuf>,
    /// Skip the fsync of the load file (the rename stays atomic).
    pub no_sync: bool,
    /// The memory budget for whole-table sort keys (`--memory`; `None`:
    /// `spill::DEFAULT_MEMORY`). Past it they go to sorted runs on disk.
    pub memory: Option<usize>,
}

pub fn run(opts: &Options) -> Result<Summary, Error> {
    run_with(opts, |_| Ok(None))
}

/// `run`, with `report` called on the summary once the load is written but
/// before it is put in place; the sink it returns (the `--report` file) is
/// put in place right after the load, so a report that cannot be written
/// leaves no load file either.
pub fn run_with(
    opts: &Options,
    report: impl FnOnce(&Summary) -> Result<Option<atomic::Sink>, Error>,
) -> Result<Summary, Error> {
    atomic::check_destination(&opts.output, &opts.input, opts.force)?;
    // A file's temporary twin is made before the work, so an unwritable
    // folder fails at once and a signal during the read has it to remove; a
    // FIFO or a device is opened only once the load is ready.
    let early = match atomic::classify(&opts.output, opts.force)? {
        atomic::Dest::Stream(_) => None,
        _ => Some(atomic::Sink::create(&opts.output, opts.force)?),
    };
    let input = Input::open(&opts.input)?;
    let file = input.describe(&opts.input);
    let raw = input.bytes();
    let (data, transcoded_from) =
        encoding::utf8_text(raw).map_err(|e| Error::data(&file, raw, e))?;
    let mut prepared = prepare(&file, &data, opts, transcoded_from)?;
    // Objects are copied before the load is written: a load file appears
    // only once every file it points to is in place.
    prepared.copy_files()?;
    let sink = match early {
        Some(sink) => sink,
        None => atomic::Sink::create(&opts.output, opts.force)?,
    };
    let mut sink = sink.durable(!opts.extras.no_sync);
    let mut summary = prepared.write(sink.writer())?;
    // The rows were read from the map until now: a dump rewritten in the
    // meantime is refused before the load file is put in place.
    input.unchanged()?;
    if let Some(from) = transcoded_from {
        summary.warnings.push(format!("the dump was transcoded from {from} to UTF-8 (byte offsets in messages count UTF-8 bytes)"));
    }
    let report = report(&summary)?;
    sink.commit()?;
    if let Some(report) = report {
        report.commit()?;
    }
    Ok(summary)
}

/// A dump that passed every check, ready to be written.
pub struct Prepared<'a> {
    file: &'a str,
    data: &'a [u8],
    opts: &'a Options,
    works: Vec<Work<'a>>,
    summary: Summary,
    /// The objects the rows name, with `--files-dir`.
    objects: Option<Objects>,
}

/// Indexes the dump `data` (named `file` in messages), compiles the mapping
/// and checks every row. Nothing is written. `transcoded_from` names the
/// encoding `data` was transcoded from, if it was.
pub fn prepare<'a>(
    file: &'a str,
    data: &'a [u8],
    opts: &'a Options,
    transcoded_from: Option<&'static str>,
) -> Result<Prepared<'a>, Error> {
    let fail = |e: DataError| Error::data(file, data, e);
    if data.iter().all(u8::is_ascii_whitespace) {
        // A closed stdin reads as /dev/null: empty too.
        let what = match file {
            "-" => "stdin gave no bytes (nothing was piped in, or stdin is closed)",
            _ => "the file is empty",
        };
        return Err(fail(DataError::new(format!("{what}: no dump to migrate"))));
    }
    encoding::require_utf8(data).map_err(fail)?;
    let idx = dump::index(data).map_err(fail)?;
    let schema = &opts.mapping.source_schema;
    let mapped = |t: &TableName| t.schema == *schema && opts.mapping.table(&t.name).is_some();
    let idx = choose_database(data, idx, opts.database.as_deref(), &mapped).map_err(fail)?;
    preflight::refuse_mapping_findings(opts, &idx.catalog)?;
    let mut summary = Summary::default();
    let mut works = select(opts, data, &idx, &mut summary, transcoded_from)
        .map_err(|errs| report(file, data, errs, 0))?;
    let scanned: u64 = works.iter().map(|w| w.source.total_bytes()).sum();
    let progress = Progress::bytes(scanned, "checking", opts.quiet);
    let memory = opts.extras.memory.unwrap_or(crate::spill::DEFAULT_MEMORY);
    let checked = check::check_rows(&mut works, memory, &progress);
    progress.finish();
    // Staged files are checked even when rows failed, so one run reports
    // every problem; rows with an invalid storage path are left to the checks.
    let (objects, mut file_errors) = match &opts.extras.files_dir {
        Some(dir) => check_files(&works, dir),
        None => (None, Vec::new()),
    };
    match checked {
        Err((mut errs, more)) => {
            errs.append(&mut file_errors);
            return Err(report(file, data, errs, more));
        }
        Ok(()) if !file_errors.is_empty() => return Err(report(file, data, file_errors, 0)),
        Ok(()) => {}
    }
    if objects.is_none() && opts.extras.files_dir.is_some() {
        summary.warnings.push(
            "--files-dir: the dump holds no rows of a table with storage paths; no file was checked"
                .to_string(),
        );
    }
    if let (Some(set), Some(dir)) = (&objects, &opts.extras.files_dir) {
        summary.files = Some(FilesSummary {
            table: set.table.clone(),
            files_dir: dir.display().to_string(),
            checked: set.objects.len() as u64,
            copy: None,
        });
    }
    Ok(Prepared {
        file,
        data,
        opts,
        works,
        summary,
        objects,
    })
}

/// Reads the objects the rows name and checks them in the staged `dir`.
fn check_files(works: &[Work], dir: &std::path::Path) -> (Option<Objects>, Vec<DataError>) {
    let Some(w) = works.iter().find(|w| files::path_field(&w.plan).is_some()) else {
        return (None, Vec::new());
    };
    match files::objects(&w.plan, &w.label, &w.source, &w.chunks) {
        Ok(set) => {
            let errors = files::check(dir, &set);
            (Some(set), errors)
        }
        Err(e) => (None, vec![e]),
    }
}

impl Prepared<'_> {
    /// With `--copy-files-to`, copies the staged objects into place.
    pub fn copy_files(&mut self) -> Result<(), Error> {
        let extras = &self.opts.extras;
        let (Some(from), Some(to), Some(set)) =
            (&extras.files_dir, &extras.copy_files_to, &self.objects)
        else {
            return Ok(());
        };
        let objects = files::copy::copy_all(from, to, set, self.opts.force)?;
        let copied = objects
            .iter()
            .filter(|o| o.action == files::copy::Action::Copied)
            .count() as u64;
        if let Some(f) = &mut self.summary.files {
            f.copy = Some(report::CopySummary {
                destination: to.display().to_string(),
                copied,
                present: objects.len() as u64 - copied,
                objects,
            });
        }
        Ok(())
    }

    /// Writes the load file to `out`.
    pub fn write(mut self, out: &mut Out<'_>) -> Result<Summary, Error> {
        let rows_out = output::write_load(self.opts, &self.works, out).map_err(|e| match e {
            output::WriteError::Io(e) => Error::io(&self.opts.output, "write", e),
            output::WriteError::Data(d) => Error::data(self.file, self.data, d),
        })?;
        for (w, rows_out) in self.works.iter().zip(rows_out) {
            let (columns, defaults) = report::columns(&w.plan, &w.v2_columns);
            self.summary.tables.push(TableSummary {
                source: w.label.clone(),
                target: w.plan.target.clone(),
                rows_in: w.rows,
                rows_out,
                columns,
                defaults,
            });
        }
        Ok(self.summary)
    }
}

fn report(file: &str, data: &[u8], mut errors: Vec<DataError>, more: usize) -> Error {
    errors.sort_by_key(|e| e.byte().unwrap_or(usize::MAX));
    let truncated = more > 0 || errors.len() > MAX_ERRORS;
    errors.truncate(MAX_ERRORS);
    Error::Data(
        Report {
            file: file.to_string(),
            errors,
            truncated,
        }
        .locate(data),
    )
}

/// Matches the dump's COPY blocks to the mapping and compiles each table.
fn select<'a>(
    opts: &Options,
    data: &'a [u8],
    idx: &DumpIndex,
    summary: &mut Summary,
    transcoded_from: Option<&'static str>,
) -> Result<Vec<Work<'a>>, Vec<DataError>> {
    let schema = &opts.mapping.source_schema;
    let mapped = |t: &TableName| t.schema == *schema && opts.mapping.table(&t.name).is_some();
    for c in idx.copies.iter().filter(|c| !mapped(&c.table)) {
        let rows = scan::Rows::new(&data[c.payload.clone()]).count();
        summary.ignored.push(Ignored {
            table: c.table.to_string(),
            data: format!("{rows} rows"),
        });
    }
    for b in idx.inserts.iter().filter(|b| !mapped(&b.table)) {
        summary.ignored.push(Ignored {
            table: b.table.to_string(),
            data: format!("{} INSERT statements", b.statements.len()),
        });
    }
    let mut errors = Vec::new();
    let mut works = Vec::new();
    let mut failed = Vec::new();
    let mut missing = Vec::new();
    for desc in &opts.mapping.tables {
        let name = TableName::new(schema, &desc.source);
        let declared = opts.mapping.source_ddl.as_ref().map(|_| &opts.reference);
        if let Some(e) = created::refuse_undefined(idx, &name) {
            // A table split into several targets is refused once.
            if !failed.contains(&desc.source) {
                failed.push(desc.source.clone());
                errors.push(e);
            }
            continue;
        }
        match source_in(data, idx, declared, &name) {
            Ok(Some(found)) => match compile(opts, &idx.catalog, desc, name, found) {
                Ok(w) => works.push(w),
                Err(errs) => {
                    failed.push(desc.source.clone());
                    errors.extend(errs);
                }
            },
            Ok(None) => missing.push((name, desc.target.clone())),
            Err(e) => errors.push(e.table(name.to_string())),
        }
    }
    let absent = coverage::judge(
        idx,
        &missing,
        opts.mapping.tables.len(),
        &opts.allow_empty,
        summary,
        &mut errors,
    );
    for ((name, target), absent) in missing.into_iter().zip(absent) {
        let desc = opts
            .mapping
            .tables
            .iter()
            .find(|d| d.source == name.name && d.target == target);
        if let (coverage::Absent::Empty(at), Some(desc)) = (absent, desc) {
            let found = empty_source(data, idx, opts, &name, at);
            match compile(opts, &idx.catalog, desc, name, found) {
                Ok(w) => works.push(w),
                Err(errs) => {
                    failed.push(desc.source.clone());
                    errors.extend(errs);
                }
            }
        }
    }
    works.sort_by_key(|w| {
        opts.mapping
            .tables
            .iter()
            .position(|t| t.source == w.plan.source && t.target == w.plan.target)
    });
    let mut scope = statements_scope(opts, idx);
    scope.transcoded_from = transcoded_from;
    let (refused, ignored) = statements::account(idx, &scope);
    errors.extend(refused);
    errors.extend(statements::calls_in_unmapped_inserts(data, idx, &scope));
    summary.ignored.extend(ignored);
    if works.is_empty() && errors.is_empty() {
        errors.push(DataError::new(format!(
            "no table of the {} mapping was found in the dump (looked for {schema}.{}): refusing to write an empty load",
            opts.mapping.name,
            opts.mapping.tables.iter().map(|t| t.source.as_str()).collect::<Vec<_>>().join(", ")
        )));
    }
    link_lookups(&mut works, &failed, &mut errors);
    let catalog = |n: &TableName| idx.catalog.get(n).or_else(|| opts.reference.get(n));
    resolve_keys(&mut works, schema, &catalog);
    preflight::dropped_columns(opts, &works, summary, &mut errors);
    preflight::warn_unchecked_keys(&works, schema, &catalog, summary);
    let v2 = v2_catalog(&opts.target);
    for w in &mut works {
        if let Some(def) = v2.get(&TableName::new("public", &w.plan.target)) {
            w.values = ValueChecks::compile(&w.plan, def);
            for (column, m) in values::mapping_problems(&w.plan, def) {
                errors.push(DataError::new(m).table(w.label.clone()).column(column));
            }
            w.v2_columns = def.columns.iter().map(|c| c.name.clone()).collect();
        }
    }
    if errors.is_empty() {
        Ok(works)
    } else {
        Err(errors)
    }
}

/// Compiles one mapped table's plan against the columns its data has.
fn compile<'a>(
    opts: &Options,
    catalog: &Catalog,
    desc: &crate::mapping::TableDesc,
    name: TableName,
    (columns, at, src): (Vec<String>, usize, Source<'a>),
) -> Result<Work<'a>, Vec<DataError>> {
    let mut allow: Vec<String> = opts
        .allow_drop
        .iter()
        .filter_map(|d| d.strip_prefix(&format!("{}.", desc.source)))
        .map(str::to_string)
        .collect();
    allow.extend(split::taken_by_siblings(&opts.mapping, desc));
    let plan = plan::compile(desc, &columns, &allow).map_err(|errs| {
        errs.into_iter()
            .map(|e| plan_error(e, &name, at))
            .collect::<Vec<_>>()
    })?;
    let (dump, want) = (catalog.get(&name), opts.reference.get(&name));
    let drift = drift::refuse(&plan, dump, want, &name.to_string());
    if drift.is_empty() {
        Ok(work(plan, name, src))
    } else {
        Err(drift)
    }
}

/// An empty table (pg_dump's table of contents names its data, none
/// follows): no rows, the columns its CREATE TABLE gives.
fn empty_source<'a>(
    data: &'a [u8],
    idx: &DumpIndex,
    opts: &Options,
    name: &TableName,
    at: usize,
) -> (Vec<String>, usize, Source<'a>) {
    let def = idx.catalog.get(name).or_else(|| opts.reference.get(name));
    let columns = def.map_or_else(Vec::new, |d| {
        d.columns
            .iter()
            .filter(|c| !c.generated)
            .map(|c| c.name.clone())
            .collect()
    });
    let source = Source::Insert {
        data,
        statements: Vec::new(),
        columns: columns.clone(),
        generated: Vec::new(),
        std_strings: true,
    };
    (columns, at, source)
}

/// What the statement accounting needs of the mapping: the source schema,
/// which tables are mapped, and the tables mapped tables reference.
fn statements_scope<'a>(opts: &'a Options, idx: &DumpIndex) -> statements::Scope<'a> {
    let schema = opts.mapping.source_schema.as_str();
    let mut references = Vec::new();
    for t in &opts.mapping.tables {
        let name = TableName::new(schema, &t.source);
        let def = idx.catalog.get(&name).or_else(|| opts.reference.get(&name));
        for fk in def.iter().flat_map(|d| &d.foreign_keys) {
            let onto_mapped =
                fk.ref_table.schema == schema && opts.mapping.table(&fk.ref_table.name).is_some();
            if !onto_mapped {
                references.push((name.clone(), fk.ref_table.clone()));
            }
        }
    }
    statements::Scope {
        schema,
        mapping: &opts.mapping,
        references,
        transcoded_from: None,
    }
}

/// `source_in` with the dump's own DDL only.
#[cfg(test)]
fn source<'a>(data: &'a [u8], idx: &DumpIndex, name: &TableName) -> Result<Found<'a>, DataError> {
    source_in(data, idx, None, name)
}

/// Why a table's INSERTs without column names cannot be placed.
pub const NO_COLUMN_ORDER: &str =
    "INSERT statements without column names, and no CREATE TABLE in the dump \
    or the mapping's source_ddl to tell the column order: re-run pg_dump with --column-inserts, \
    include the schema (no --data-only), or name the source DDL in the mapping (source_ddl)";

/// A table's rows in the dump: its column list, where its data starts, and
/// the source. `None` when the dump has no data for it.
type Found<'a> = Option<(Vec<String>, usize, Source<'a>)>;

/// INSERTs without column names take their order from the dump's CREATE
/// TABLE, else from the `source_ddl` the mapping names (`declared`). The
/// built-in Life OS v1 schema is not used for this: a database that grew
/// by ALTER TABLE may order its columns otherwise, and a wrong order would
/// swap values silently.
fn source_in<'a>(
    data: &'a [u8],
    idx: &DumpIndex,
    declared: Option<&Catalog>,
    name: &TableName,
) -> Result<Found<'a>, DataError> {
    let copies: Vec<&CopyBlock> = idx.copies.iter().filter(|c| c.table == *name).collect();
    let inserts: Vec<&InsertBlock> = idx.inserts.iter().filter(|b| b.table == *name).collect();
    if let Some(second) = copies.get(1) {
        return Err(
            DataError::new("the table's data appears more than once in the dump")
                .at(second.header_at),
        );
    }
    if let (Some(c), Some(i)) = (copies.first(), inserts.first()) {
        return Err(
            DataError::new("the table has both COPY and INSERT data in the dump")
                .at(c.header_at.max(i.statements[0].start)),
        );
    }
    if let Some(c) = copies.first() {
        let payload = &data[c.payload.clone()];
        if let Some(why) = marker_mismatch(payload, &data[c.payload.end..]) {
            return Err(DataError::new(why).at(c.payload.end));
        }
        return Ok(Some((
            c.columns.clone(),
            c.header_at,
            Source::Copy {
                payload,
                offset: c.payload.start,
            },
        )));
    }
    let Some(first) = inserts.first() else {
        return Ok(None);
    };
    let at = first.statements[0].start;
    let mut generated = Vec::new();
    let def = idx
        .catalog
        .get(name)
        .or_else(|| declared.and_then(|c| c.get(name)));
    let columns = match (&first.columns, def) {
        (Some(cols), _) => cols.clone(),
        (None, Some(def)) => {
            // `--inserts` writes DEFAULT in a generated column's place.
            if def.columns.iter().any(|c| c.generated) {
                generated = def.columns.iter().map(|c| c.generated).collect();
            }
            def.columns
                .iter()
                .filter(|c| !c.generated)
                .map(|c| c.name.clone())
                .collect()
        }
        (None, None) => return Err(DataError::new(NO_COLUMN_ORDER).at(at)),
    };
    let statements = inserts
        .iter()
        .flat_map(|b| b.statements.iter().cloned())
        .collect();
    Ok(Some((
        columns.clone(),
        at,
        Source::Insert {
            data,
            statements,
            columns,
            generated,
            std_strings: first.std_strings,
        },
    )))
}

fn plan_error(e: PlanError, table: &TableName, at: usize) -> DataError {
    let d = match e {
        PlanError::Missing(c) => DataError::new("the mapping needs this column and the dump does not have it").column(c),
        PlanError::Unmapped(c) => DataError::new(format!(
            "the mapping does not carry this column over: its data would be lost (pass --allow-drop {}.{c} to accept that)",
            table.name
        ))
        .column(c),
        PlanError::Invalid(m) => DataError::new(format!("the mapping is invalid: {m}")),
    };
    d.at(at).table(table.to_string())
}

/// Points each table that looks up into another at the field it reads there.
/// `failed` names the tables already refused: a lookup into one of them
/// is not reported again as a missing table.
fn link_lookups(works: &mut [Work], failed: &[String], errors: &mut Vec<DataError>) {
    let wanted: Vec<(String, String)> = works
        .iter()
        .filter_map(|w| {
            w.plan
                .lookup
                .as_ref()
                .map(|l| (l.table.clone(), l.column.clone()))
        })
        .collect();
    for (table, column) in wanted {
        match works.iter_mut().find(|w| w.plan.source == table) {
            Some(t) => match (t.plan.field(&column), t.plan.id) {
                (Some(f), Some(_)) => {
                    t.plan.provides = Some(f);
                    t.plan.uuid_fields.push(f);
                }
                _ => errors.push(
                    DataError::new(format!("lookup needs columns id and {column}"))
                        .table(t.label.clone()),
                ),
            },
            None if failed.contains(&table) => {}
            None => errors.push(DataError::new(format!(
                "a lookup needs table {table}, which is not in the dump"
            ))),
        }
    }
}

/// Finds each table's single-column foreign keys onto mapped tables, from the
/// dump's DDL or the reference schema. A lookup key counts as one too: the
/// value it derives must exist.
fn resolve_keys<'c>(
    works: &mut [Work],
    schema: &str,
    catalog: &dyn Fn(&TableName) -> Option<&'c dump::TableDef>,
) {
    let names: Vec<String> = works.iter().map(|w| w.plan.source.clone()).collect();
    for (me, w) in works.iter_mut().enumerate() {
        let mut wanted: Vec<(String, String)> = Vec::new();
        if let Some(def) = catalog(&TableName::new(schema, &w.plan.source)) {
            for fk in &def.foreign_keys {
                let onto_id = fk.ref_columns.is_empty() || fk.ref_columns == ["id"];
                if fk.columns.len() == 1 && onto_id && fk.ref_table.schema == schema {
                    wanted.push((fk.columns[0].clone(), fk.ref_table.name.clone()));
                }
            }
        }
        if let Some(l) = &w.plan.lookup {
            wanted.push((w.plan.input_columns[l.key].clone(), l.table.clone()));
        }
        for (column, table) in wanted {
            let Some(field) = w.plan.field(&column) else {
                continue;
            };
            if w.fks.iter().any(|f| f.field == field) {
                continue;
            }
            let target = names.iter().position(|n| *n == table);
            if target == Some(me) {
                w.self_fk = Some(field);
            }
            w.plan.uuid_fields.push(field);
            w.fks.push(Fk {
                field,
                target,
                target_label: format!("{schema}.{table}"),
            });
        }
        w.plan.uuid_fields.sort_unstable();
        w.plan.uuid_fields.dedup();
    }
}

/// The target schema's catalog, read from its migrations.
fn v2_catalog(target: &[migrations::Migration]) -> Catalog {
    crate::mapping::load::target_catalog(target)
        .expect("the target migrations parse (checked when the mapping is loaded)")
}

/// How the summary names the part of a file before its first `\connect`.
const BEFORE_CONNECT: &str = "(the database psql starts on, before the first \\connect)";

/// For a `pg_dumpall` file (several `\connect` sections), picks the database
/// to read and indexes only its section: the one named, or the only one that
/// holds mapped data. An ambiguous choice is refused, listing the candidates.
fn choose_database(
    data: &[u8],
    idx: DumpIndex,
    wanted: Option<&str>,
    mapped: &dyn Fn(&TableName) -> bool,
) -> Result<DumpIndex, DataError> {
    if idx.databases.is_empty() {
        return match wanted {
            None => Ok(idx),
            Some(w) => Err(DataError::new(format!(
                "--database {w}: the dump has no \\connect sections (it is not a pg_dumpall file)"
            ))),
        };
    }
    let mut sections: Vec<(String, std::ops::Range<usize>)> = idx
        .databases
        .iter()
        .enumerate()
        .map(|(i, (name, start))| {
            (
                name.clone(),
                *start..idx.databases.get(i + 1).map_or(data.len(), |d| d.1),
            )
        })
        .collect();
    let has_data = |r: &std::ops::Range<usize>| {
        idx.copies
            .iter()
            .any(|c| mapped(&c.table) && r.contains(&c.header_at))
            || idx
                .inserts
                .iter()
                .any(|b| mapped(&b.table) && r.contains(&b.statements[0].start))
    };
    // Rows before the first `\connect` go to the database psql was started
    // on (a plain dump with a `\connect` added): a candidate too.
    let before = 0..idx.databases[0].1;
    if has_data(&before) {
        sections.insert(0, (BEFORE_CONNECT.to_string(), before));
    }
    let creates = |r: &std::ops::Range<usize>| {
        idx.notes.iter().any(|n| {
            r.contains(&n.at)
                && matches!(&n.effect, dump::classify::Effect::Creates { table, .. }
                    if mapped(&TableName::new(table.schema.as_deref().unwrap_or("public"), &table.name)))
        })
    };
    let names = |pred: &dyn Fn(&std::ops::Range<usize>) -> bool| {
        sections
            .iter()
            .filter(|s| pred(&s.1))
            .map(|s| s.0.clone())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let chosen = match wanted {
        Some(w) => sections.iter().find(|s| s.0 == w).ok_or_else(|| {
            DataError::new(format!(
                "--database {w}: the dump holds the databases {}",
                names(&|_| true)
            ))
        })?,
        None => {
            let with: Vec<_> = sections.iter().filter(|s| has_data(&s.1)).collect();
            let created: Vec<_> = sections.iter().filter(|s| creates(&s.1)).collect();
            match (with.as_slice(), created.as_slice()) {
                ([one], _) | ([], [one]) => *one,
                ([], _) => return Err(DataError::new(format!(
                    "no database of this pg_dumpall file holds data of a mapped table (it holds {})",
                    names(&|_| true)
                ))),
                _ => return Err(DataError::new(format!(
                    "this pg_dumpall file holds data of mapped tables in several databases ({}): pick one with --database NAME",
                    names(&has_data)
                ))),
            }
        }
    };
    dump::index_range(data, chosen.1.clone())
}
