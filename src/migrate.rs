//! The migration, end to end: index the dump, compile the mapping against it,
//! check every row and gather whole-table keys (in parallel), then rewrite the
//! rows chunk by chunk (in parallel, written in order) into the load file.
//!
//! Nothing is written before every check has passed.

use std::ops::Range;
use std::path::PathBuf;

use rayon::prelude::*;

use crate::copy::scan;
use crate::dump::{self, CopyBlock, DumpIndex, TableName};
use crate::error::{DataError, Error, Report};
use crate::input::Input;
use crate::mapping::apply::{self, Context};
use crate::mapping::plan::{self, PlanError, TablePlan};
use crate::mapping::{sequence, Description};
use crate::migrations;
use crate::progress::Progress;
use crate::validate::{self, ChunkFacts, LookupIndex, MAX_ERRORS};
use crate::write::{self, atomic, TableOut};

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
    pub mapping: Description,
}

/// What the migration did, for the summary on stderr.
#[derive(Debug, Default)]
pub struct Summary {
    /// (source, target, rows) per mapped table, in load order.
    pub tables: Vec<(String, String, u64)>,
    /// Tables in the dump the mapping does not cover, with their row counts.
    pub ignored: Vec<(String, u64)>,
    pub warnings: Vec<String>,
}

/// One mapped table's work.
struct Work<'a> {
    plan: TablePlan,
    label: String,
    payload: &'a [u8],
    offset: usize,
    chunks: Vec<Range<usize>>,
    first_rows: Vec<usize>,
    rows: u64,
    numbers: Option<Vec<u32>>,
    index: Option<LookupIndex>,
}

pub fn run(opts: &Options) -> Result<Summary, Error> {
    atomic::check_destination(&opts.output, &opts.input, opts.force)?;
    let input = Input::open(&opts.input)?;
    let file = opts.input.display().to_string();
    let prepared = prepare(&file, input.bytes(), opts)?;
    let mut sink = atomic::Sink::create(&opts.output, opts.force)?;
    let summary = prepared.write(sink.writer())?;
    sink.commit()?;
    Ok(summary)
}

/// A dump that passed every check, ready to be written.
pub struct Prepared<'a> {
    file: &'a str,
    data: &'a [u8],
    opts: &'a Options,
    works: Vec<Work<'a>>,
    summary: Summary,
}

/// Indexes the dump `data` (named `file` in messages), compiles the mapping
/// and checks every row. Nothing is written.
pub fn prepare<'a>(
    file: &'a str,
    data: &'a [u8],
    opts: &'a Options,
) -> Result<Prepared<'a>, Error> {
    let fail = |e: DataError| Error::data(file, data, e);
    if data.iter().all(u8::is_ascii_whitespace) {
        return Err(fail(DataError::new(
            "the file is empty: no dump to migrate",
        )));
    }
    let idx = dump::index(data).map_err(fail)?;
    check_encoding(&idx).map_err(fail)?;
    let mut summary = Summary::default();
    let mut works =
        select(opts, data, &idx, &mut summary).map_err(|errs| report(file, data, errs, 0))?;
    check_rows(&mut works).map_err(|(errs, more)| report(file, data, errs, more))?;
    Ok(Prepared {
        file,
        data,
        opts,
        works,
        summary,
    })
}

impl Prepared<'_> {
    /// Writes the load file to `out`.
    pub fn write(mut self, out: &mut dyn std::io::Write) -> Result<Summary, Error> {
        write_load(self.opts, &self.works, out).map_err(|e| match e {
            WriteError::Io(e) => Error::io(&self.opts.output, "write", e),
            WriteError::Data(d) => Error::data(self.file, self.data, d),
        })?;
        for w in &self.works {
            self.summary
                .tables
                .push((w.label.clone(), w.plan.target.clone(), w.rows));
        }
        Ok(self.summary)
    }
}

fn report(file: &str, data: &[u8], mut errors: Vec<DataError>, more: usize) -> Error {
    errors.sort_by_key(|e| e.byte.unwrap_or(usize::MAX));
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

fn check_encoding(idx: &DumpIndex) -> Result<(), DataError> {
    match &idx.client_encoding {
        Some((enc, at)) if !matches!(enc.to_ascii_uppercase().replace('-', "").as_str(), "UTF8" | "UNICODE") => Err(DataError::new(format!(
            "the dump was written with client_encoding {enc}; dumpshift reads UTF8 dumps: re-run pg_dump with --encoding=UTF8"
        ))
        .at(*at)),
        _ => Ok(()),
    }
}

/// Matches the dump's COPY blocks to the mapping and compiles each table.
fn select<'a>(
    opts: &Options,
    data: &'a [u8],
    idx: &DumpIndex,
    summary: &mut Summary,
) -> Result<Vec<Work<'a>>, Vec<DataError>> {
    let schema = &opts.mapping.source_schema;
    let mut errors = Vec::new();
    let mut works = Vec::new();
    for (table, at) in &idx.inserts {
        if table.schema == *schema && opts.mapping.table(&table.name).is_some() {
            errors.push(DataError::new("INSERT-format data is not supported yet: dump with pg_dump's default COPY format (no --inserts)").at(*at).table(table.to_string()));
        }
    }
    for c in &idx.copies {
        if c.table.schema != *schema || opts.mapping.table(&c.table.name).is_none() {
            let rows = scan::Rows::new(&data[c.payload.clone()]).count() as u64;
            summary.ignored.push((c.table.to_string(), rows));
        }
    }
    for desc in &opts.mapping.tables {
        let name = TableName::new(schema, &desc.source);
        let blocks: Vec<&CopyBlock> = idx.copies.iter().filter(|c| c.table == name).collect();
        let block = match blocks.as_slice() {
            [] => {
                summary.warnings.push(format!(
                    "{name} is not in the dump: v2 {} stays empty",
                    desc.target
                ));
                continue;
            }
            [b] => *b,
            [_, second, ..] => {
                errors.push(
                    DataError::new("the table's data appears more than once in the dump")
                        .at(second.header_at)
                        .table(name.to_string()),
                );
                continue;
            }
        };
        let allow: Vec<String> = opts
            .allow_drop
            .iter()
            .filter_map(|d| d.strip_prefix(&format!("{}.", desc.source)))
            .map(str::to_string)
            .collect();
        match plan::compile(desc, &block.columns, &allow) {
            Ok(plan) => works.push(work(plan, name, data, block)),
            Err(errs) => errors.extend(
                errs.into_iter()
                    .map(|e| plan_error(e, &name, block.header_at)),
            ),
        }
    }
    if works.is_empty() && errors.is_empty() {
        errors.push(DataError::new(format!(
            "no table of the {} mapping was found in the dump (looked for {schema}.{}): refusing to write an empty load",
            opts.mapping.name,
            opts.mapping.tables.iter().map(|t| t.source.as_str()).collect::<Vec<_>>().join(", ")
        )));
    }
    link_lookups(&mut works, &mut errors);
    if errors.is_empty() {
        Ok(works)
    } else {
        Err(errors)
    }
}

fn work<'a>(plan: TablePlan, name: TableName, data: &'a [u8], block: &CopyBlock) -> Work<'a> {
    let payload = &data[block.payload.clone()];
    let mut start = 0;
    let chunks = scan::chunk_ends(payload, CHUNK_BYTES)
        .into_iter()
        .map(|end| {
            let r = start..end;
            start = end;
            r
        })
        .collect();
    Work {
        plan,
        label: name.to_string(),
        payload,
        offset: block.payload.start,
        chunks,
        first_rows: Vec::new(),
        rows: 0,
        numbers: None,
        index: None,
    }
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
fn link_lookups(works: &mut [Work], errors: &mut Vec<DataError>) {
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
                (Some(f), Some(_)) => t.plan.provides = Some(f),
                _ => errors.push(
                    DataError::new(format!("lookup needs columns id and {column}"))
                        .table(t.label.clone()),
                ),
            },
            None => errors.push(DataError::new(format!(
                "a lookup needs table {table}, which is not in the dump"
            ))),
        }
    }
}

/// Checks every row, then builds the whole-table structures.
fn check_rows(works: &mut [Work]) -> Result<(), (Vec<DataError>, usize)> {
    let jobs: Vec<(usize, usize)> = works
        .iter()
        .enumerate()
        .flat_map(|(t, w)| (0..w.chunks.len()).map(move |c| (t, c)))
        .collect();
    let facts: Vec<ChunkFacts> = jobs
        .par_iter()
        .map(|&(t, c)| {
            let w = &works[t];
            let r = w.chunks[c].clone();
            validate::scan_chunk(&w.plan, &w.label, &w.payload[r.clone()], w.offset + r.start)
        })
        .collect();
    let mut errors = Vec::new();
    let mut more = 0;
    let mut per_table: Vec<Vec<ChunkFacts>> = works.iter().map(|_| Vec::new()).collect();
    for ((t, _), mut f) in jobs.into_iter().zip(facts) {
        errors.append(&mut f.errors);
        more += f.more_errors;
        per_table[t].push(f);
    }
    for (w, facts) in works.iter_mut().zip(per_table) {
        gather(w, facts, &mut errors);
    }
    if errors.is_empty() {
        let (mut e, m) = check_all_lookups(works);
        errors.append(&mut e);
        more += m;
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err((errors, more))
    }
}

/// Turns a table's chunk facts into row offsets, sort orders and its index.
fn gather(w: &mut Work, facts: Vec<ChunkFacts>, errors: &mut Vec<DataError>) {
    let mut seq = Vec::new();
    let mut pairs = Vec::new();
    let mut row = 0usize;
    for f in facts {
        w.first_rows.push(row);
        seq.extend(f.seq.into_iter().map(|mut k| {
            k.row += row as u32;
            k
        }));
        pairs.extend(f.index);
        row += f.rows as usize;
    }
    w.rows = row as u64;
    if row > (i32::MAX / 10) as usize && w.plan.sequence.is_some() {
        errors.push(
            DataError::new("too many rows for a sequential sort_order (integer)")
                .table(w.label.clone()),
        );
    }
    if w.plan.sequence.is_some() {
        w.numbers = Some(sequence::number(seq, row));
    }
    if w.plan.provides.is_some() {
        let (index, dups) = LookupIndex::build(pairs);
        for d in dups.into_iter().take(MAX_ERRORS) {
            errors.push(
                DataError::new("duplicate primary key")
                    .table(w.label.clone())
                    .row(uuid::Uuid::from_u128(d).to_string())
                    .column("id"),
            );
        }
        w.index = Some(index);
    }
}

fn check_all_lookups(works: &[Work]) -> (Vec<DataError>, usize) {
    let mut errors = Vec::new();
    let mut more = 0;
    for w in works {
        let Some(l) = &w.plan.lookup else { continue };
        let Some(target) = works.iter().find(|t| t.plan.source == l.table) else {
            continue;
        };
        let Some(index) = &target.index else { continue };
        let facts: Vec<ChunkFacts> = w
            .chunks
            .par_iter()
            .map(|r| {
                validate::check_lookups(
                    &w.plan,
                    &w.label,
                    &target.label,
                    &w.payload[r.clone()],
                    w.offset + r.start,
                    index,
                )
            })
            .collect();
        for mut f in facts {
            errors.append(&mut f.errors);
            more += f.more_errors;
        }
    }
    (errors, more)
}

enum WriteError {
    Io(std::io::Error),
    Data(DataError),
}

impl From<std::io::Error> for WriteError {
    fn from(e: std::io::Error) -> Self {
        WriteError::Io(e)
    }
}

fn write_load(
    opts: &Options,
    works: &[Work],
    out: &mut dyn std::io::Write,
) -> Result<(), WriteError> {
    let migrations = migrations::embedded();
    write::preamble(out, &opts.mapping.name, &migrations)?;
    let total: u64 = works.iter().map(|w| w.payload.len() as u64).sum();
    let progress = Progress::bytes(total, "rewriting", opts.quiet);
    let window = rayon::current_num_threads() * 4;
    for w in works {
        let t = table_out(w);
        write::copy_start(out, &t)?;
        let ctx = Context {
            sequence: w.numbers.as_deref(),
            lookup: w
                .plan
                .lookup
                .as_ref()
                .and_then(|l| works.iter().find(|t| t.plan.source == l.table))
                .and_then(|t| t.index.as_ref()),
            storage_root: &opts.storage_root,
        };
        for group in (0..w.chunks.len()).collect::<Vec<_>>().chunks(window) {
            let outs: Vec<Result<Vec<u8>, DataError>> = group
                .par_iter()
                .map(|&c| {
                    let r = w.chunks[c].clone();
                    let mut buf = Vec::with_capacity(r.len() + r.len() / 4);
                    apply::rewrite_chunk(
                        &w.plan,
                        &ctx,
                        &w.payload[r.clone()],
                        w.offset + r.start,
                        w.first_rows[c],
                        &mut buf,
                    )?;
                    Ok(buf)
                })
                .collect();
            for (o, &c) in outs.into_iter().zip(group) {
                out.write_all(&o.map_err(WriteError::Data)?)?;
                progress.inc(w.chunks[c].len() as u64);
            }
        }
        write::copy_end(out)?;
    }
    progress.finish();
    let tables: Vec<TableOut> = works.iter().map(table_out).collect();
    write::proof_and_commit(out, &tables)?;
    Ok(())
}

fn table_out<'a>(w: &'a Work) -> TableOut<'a> {
    TableOut {
        target: &w.plan.target,
        source: w.label.clone(),
        columns: &w.plan.columns,
        rows: w.rows,
    }
}
