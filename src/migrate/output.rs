//! The writing phase: the load file's preamble and schema, then each table's
//! chunks rewritten in parallel and written in order, then the proof.

use std::sync::Mutex;

use rayon::prelude::*;

/// Where the load file goes; `Send` so writing can overlap rewriting.
pub type Out<'a> = dyn std::io::Write + Send + 'a;

use super::{Options, Work};
use crate::error::DataError;
use crate::mapping::apply::{self, Context, Lookup, RowHashes};
use crate::progress::Progress;
use crate::spill::{self, Runs, Shares};
use crate::write::digest;
use crate::write::{self, TableOut};

pub enum WriteError {
    Io(std::io::Error),
    Data(DataError),
}

impl From<std::io::Error> for WriteError {
    fn from(e: std::io::Error) -> Self {
        WriteError::Io(e)
    }
}

/// Writes the whole load file; returns the rows written per table.
pub fn write_load(
    opts: &Options,
    works: &[Work],
    out: &mut Out<'_>,
) -> Result<Vec<u64>, WriteError> {
    let targets: Vec<&str> = works.iter().map(|w| w.plan.target.as_str()).collect();
    let existing = opts.extras.data_only.then_some(&targets[..]);
    let sections = write::sections::split(&opts.target);
    write::preamble(out, &opts.mapping.name, &opts.target, &sections, existing)?;
    let mut tables = Vec::new();
    let mut written = Vec::new();
    for w in works {
        let progress = Progress::rows(w.rows, &format!("writing {}", w.plan.target), opts.quiet);
        // COPY FREEZE: the table was created in this transaction, so its rows
        // are written frozen, and no later pass has to set their hint bits.
        let mut head = table_out(w);
        head.freeze = existing.is_none() && sections.plain.contains(head.target);
        write::copy_start(out, &head)?;
        // The ids' digest is one thread's work: it runs beside the rewrite.
        let has_id = w.plan.columns.iter().any(|c| c == "id");
        let (table, id_digest) = rayon::join(
            || write_table(opts, works, w, out, &progress),
            || has_id.then(|| digest::ids(&w.ids)),
        );
        let (hashes, rows) = table?;
        progress.finish();
        if rows != w.rows {
            return Err(WriteError::Data(
                DataError::new(format!("{} rows were read but {rows} written", w.rows))
                    .table(w.label.clone()),
            ));
        }
        written.push(rows);
        let mut t = table_out(w);
        if let Some(d) = id_digest {
            t.digests.push(("id".to_string(), d));
        }
        for ((column, _), digest) in w.plan.digests.iter().zip(hashes) {
            t.digests.push((column.clone(), digest));
        }
        tables.push(t);
    }
    match existing {
        None => write::after_data(out, &sections)?,
        Some(_) => write::rebuild::rebuild_keys(out)?,
    }
    write::proof_and_commit(out, &tables)?;
    Ok(written)
}

/// One rewritten chunk: its COPY rows, its digest-column hashes, and how
/// many rows it holds.
type Piece = Result<(Vec<u8>, RowHashes, u64), DataError>;

/// Writes one table's COPY block; returns its digest columns' digests and
/// how many rows it wrote.
fn write_table(
    opts: &Options,
    works: &[Work],
    w: &Work,
    out: &mut Out<'_>,
    progress: &Progress,
) -> Result<(Vec<String>, u64), WriteError> {
    let lookup = w
        .plan
        .lookup
        .as_ref()
        .and_then(|l| works.iter().find(|t| t.plan.source == l.table));
    let ctx = Context {
        sequence: w.numbers.as_deref(),
        lookup: lookup.and_then(|t| {
            let index = t.index.as_ref()?;
            Some(match &w.looked_up {
                Some(rows) => Lookup::ByRow(index, rows),
                None => Lookup::ByKey(index, &t.ids),
            })
        }),
        storage_root: &opts.storage_root,
    };
    let buffers = Buffers::default();
    // The digest columns' (id, hash) pairs, in memory up to their share of
    // `--memory`, then in sorted runs on disk.
    let memory = opts.extras.memory.unwrap_or(spill::DEFAULT_MEMORY);
    let share = Shares::new(memory).digests() / w.plan.digests.len().max(1);
    let mut hashes: Vec<Runs<(u128, Option<[u8; 32]>)>> = (0..w.plan.digests.len())
        .map(|_| Runs::new(share, &std::env::temp_dir()))
        .collect();
    let mut rows = 0u64;
    let mut emit = |pieces: Vec<Piece>, out: &mut Out<'_>| -> Result<(), WriteError> {
        for piece in pieces {
            let (bytes, h, n) = piece.map_err(WriteError::Data)?;
            out.write_all(&bytes)?;
            buffers.give(bytes);
            for (all, part) in hashes.iter_mut().zip(h) {
                for pair in part {
                    all.push(pair).map_err(|e| spill_failed(w, e))?;
                }
            }
            rows += n;
            progress.inc(n);
        }
        Ok(())
    };
    // Window k is written while window k + 1 is rewritten, so the disk and
    // the cores work at the same time; the order of the output never changes.
    let window = rayon::current_num_threads() * 4;
    let indexes: Vec<usize> = (0..w.chunks.len()).collect();
    let mut pending: Vec<Piece> = Vec::new();
    for group in indexes.chunks(window) {
        let ready = std::mem::take(&mut pending);
        let (next, written) = rayon::join(
            || {
                group
                    .par_iter()
                    .map(|&c| rewrite_piece(w, &ctx, &buffers, c))
                    .collect::<Vec<_>>()
            },
            || emit(ready, out),
        );
        written?;
        pending = next;
    }
    emit(pending, out)?;
    write::copy_end(out)?;
    let mut digests = Vec::new();
    for runs in hashes {
        let mut merged = runs.sorted();
        digests.push(digest::values_sorted(merged.by_ref()));
        if let Some(e) = merged.error() {
            return Err(spill_failed(w, e));
        }
    }
    Ok((digests, rows))
}

/// A spill file of the digest hashes could not be written or read back.
fn spill_failed(w: &Work, e: std::io::Error) -> WriteError {
    WriteError::Data(
        DataError::new(format!(
            "could not keep the digest hashes in a temporary file in {} (set TMPDIR to a folder with room, or raise --memory): {e}",
            std::env::temp_dir().display()
        ))
        .table(w.label.clone()),
    )
}

/// Rewrites chunk `c` of `w` into a buffer from `buffers`.
fn rewrite_piece(w: &Work, ctx: &Context, buffers: &Buffers, c: usize) -> Piece {
    let r = w.chunks[c].clone();
    let bytes = w.source.bytes(&r) as usize;
    let mut buf = buffers.take(bytes + bytes / 4);
    let mut h = RowHashes::new();
    let n = apply::rewrite_chunk(
        &w.plan,
        ctx,
        &w.source.chunk(r),
        w.first_rows[c],
        &mut buf,
        &mut h,
    )?;
    Ok((buf, h, n as u64))
}

/// Output buffers, handed back once written: fresh ones would be fresh
/// pages, faulted in by the kernel again for every chunk.
#[derive(Default)]
struct Buffers(Mutex<Vec<Vec<u8>>>);

impl Buffers {
    /// An empty buffer with room for `bytes`.
    fn take(&self, bytes: usize) -> Vec<u8> {
        let mut buf = self
            .0
            .lock()
            .ok()
            .and_then(|mut p| p.pop())
            .unwrap_or_default();
        buf.clear();
        buf.reserve(bytes);
        buf
    }

    fn give(&self, buf: Vec<u8>) {
        if let Ok(mut p) = self.0.lock() {
            p.push(buf);
        }
    }
}

fn table_out<'a>(w: &'a Work) -> TableOut<'a> {
    TableOut {
        target: &w.plan.target,
        source: w.label.clone(),
        columns: &w.plan.columns,
        rows: w.rows,
        digests: Vec::new(),
        freeze: false,
    }
}
