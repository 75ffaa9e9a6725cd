//! `pg_dump -Fc` archives, read without pg_restore: the header and table of
//! contents (`toc`), the data blocks (`data`), and the SQL text pg_restore
//! would print for them (`render`), written to `out` in pg_restore's order.
//! The `-Fd` and `-Ft` archives share the header and TOC (their `toc.dat`)
//! and keep each table's data in a file of its own (`files`).
//!
//! The data blocks of different tables are independent compressed streams,
//! so they are decompressed by several threads at once. Each table's bytes
//! travel through a small bounded channel to the one thread that writes, in
//! TOC order, so memory stays bounded by threads x channel depth x piece
//! size, whatever the size of a table. The workers are plain scoped threads
//! rather than rayon tasks: the writer blocks on a channel, and a blocked
//! task in a one-thread rayon pool would wait forever for the task that
//! feeds it.

pub mod data;
pub mod files;
pub mod read;
pub mod render;
pub mod tar;
pub mod toc;

#[cfg(test)]
mod tests;

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};

use data::{Chunks, DecodeError};
use files::Job;
pub use files::Source;
pub use read::ArchiveError;
use read::DataPos;
use render::{Pass, State};
use toc::{Compression, Entry, Layout, Toc};

/// What the archive said about itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Info {
    pub version: String,
    pub compression: Compression,
}

/// Why restoring stopped.
#[derive(Debug)]
pub enum RestoreError {
    Archive(ArchiveError),
    Write(io::Error),
}

impl From<ArchiveError> for RestoreError {
    fn from(e: ArchiveError) -> Self {
        RestoreError::Archive(e)
    }
}

/// How many decompressed pieces of one table may wait for the writer.
const DEPTH: usize = 4;

enum Msg {
    Bytes(Vec<u8>),
    Done,
    Failed(ArchiveError),
}

/// Writes the SQL text of the `pg_dump -Fc` archive `archive` to `out`.
pub fn restore(archive: &[u8], out: &mut dyn Write) -> Result<Info, RestoreError> {
    // Told from the format byte before the entries, which it changes.
    let files = archive.starts_with(toc::MAGIC) && matches!(archive.get(10), Some(3 | 5));
    let toc = if files {
        None
    } else {
        Some(toc::read(archive)?)
    };
    let Some(toc) = toc.filter(|t| t.header.layout == Layout::Custom) else {
        return Err(ArchiveError::new(
            10,
            "this is the toc.dat of a pg_dump -Fd (directory) or -Ft (tar) archive, which \
             names data files of its own: give dumpshift the directory or the tar",
        )
        .into());
    };
    let blocks = data::locate_blocks(archive, &toc)?;
    let order = print_order(&toc);
    let mut jobs = Vec::new();
    for &i in &order {
        let e = &toc.entries[i];
        if render::has_table_data(e) && e.data != DataPos::NoData {
            let pos = blocks.get(&e.dump_id).copied().ok_or_else(|| {
                ArchiveError::new(
                    archive.len(),
                    format!(
                        "the data of {} is missing: the archive is truncated",
                        describe(e)
                    ),
                )
            })?;
            jobs.push((i, Job::Block(pos)));
        }
    }
    run(archive, &toc, &order, &jobs, out)
}

/// Writes the SQL text of a `pg_dump -Fd` or `-Ft` archive to `out`: its
/// `toc.dat` is `toc_bytes`, at byte `toc_at` of the tar (0 for a
/// directory); `source` holds the data files it names.
pub fn restore_files(
    toc_bytes: &[u8],
    toc_at: usize,
    source: &Source<'_>,
    out: &mut dyn Write,
) -> Result<Info, RestoreError> {
    let shift = |mut a: ArchiveError| {
        a.byte += toc_at as u64;
        a
    };
    let toc = toc::read(toc_bytes).map_err(shift)?;
    if toc.header.layout != Layout::Files {
        return Err(ArchiveError::new(
            toc_at + 10,
            "this toc.dat has the header of a pg_dump -Fc archive, not of a -Fd or -Ft one: \
             the archive is corrupt",
        )
        .into());
    }
    let order = print_order(&toc);
    let mut jobs = Vec::new();
    for &i in &order {
        let e = &toc.entries[i];
        if render::has_table_data(e) && e.data != DataPos::NoData {
            let name = e.filename.unwrap_or_default();
            jobs.push((i, source.locate(e, name, &describe(e)).map_err(shift)?));
        }
    }
    run(toc_bytes, &toc, &order, &jobs, out)
}

/// Decompresses the jobs on worker threads and writes everything in order.
fn run(
    archive: &[u8],
    toc: &Toc<'_>,
    order: &[usize],
    jobs: &[(usize, Job<'_>)],
    out: &mut dyn Write,
) -> Result<Info, RestoreError> {
    let threads = rayon::current_num_threads()
        .clamp(1, 16)
        .min(jobs.len().max(1));
    let stop = AtomicBool::new(false);
    let next = AtomicUsize::new(0);
    let (txs, rxs): (Vec<_>, Vec<_>) = jobs.iter().map(|_| sync_channel::<Msg>(DEPTH)).unzip();
    let result = std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| work(archive, toc, jobs, &txs, &next, &stop));
        }
        let r = write_all(out, toc, order, rxs);
        stop.store(true, Ordering::Relaxed);
        r
    });
    result?;
    Ok(Info {
        version: toc.header.version_string(),
        compression: toc.header.compression,
    })
}

/// The entries pg_restore prints, in the order it prints them.
fn print_order(toc: &Toc<'_>) -> Vec<usize> {
    let mut order = Vec::with_capacity(toc.entries.len());
    for p in [Pass::Main, Pass::Acl, Pass::PostAcl] {
        for (i, e) in toc.entries.iter().enumerate() {
            if render::printed(e) && render::pass(e) == p && !render::is_large_object_data(e) {
                order.push(i);
            }
        }
    }
    order
}

fn describe(e: &Entry<'_>) -> String {
    let ns = String::from_utf8_lossy(e.namespace.unwrap_or_default());
    let tag = String::from_utf8_lossy(e.tag.unwrap_or_default());
    let name = if ns.is_empty() {
        tag.into_owned()
    } else {
        format!("{ns}.{tag}")
    };
    format!("{name} (TOC entry {})", e.dump_id)
}

/// One worker: takes tables in order and streams each into its channel.
fn work(
    archive: &[u8],
    toc: &Toc<'_>,
    jobs: &[(usize, Job<'_>)],
    txs: &[SyncSender<Msg>],
    next: &AtomicUsize,
    stop: &AtomicBool,
) {
    while !stop.load(Ordering::Relaxed) {
        let j = next.fetch_add(1, Ordering::Relaxed);
        let Some((i, job)) = jobs.get(j) else { return };
        let e = &toc.entries[*i];
        let tx = &txs[j];
        let mut send = |b: &[u8]| {
            tx.send(Msg::Bytes(b.to_vec()))
                .map_err(|_| io::Error::other("the writer stopped"))
        };
        let r = match job {
            Job::Block(pos) => Chunks::open(archive, toc, *pos, e.dump_id)
                .map_err(DecodeError::Archive)
                .and_then(|c| data::decode(c, toc.header.compression, &mut send)),
            Job::File(f) => files::stream(f, e, &mut send),
        };
        let msg = match r {
            Ok(()) => Msg::Done,
            Err(DecodeError::Archive(a)) => Msg::Failed(ArchiveError {
                message: format!("the data of {}: {}", describe(e), a.message),
                ..a
            }),
            Err(DecodeError::Write(_)) => return,
        };
        if tx.send(msg).is_err() {
            return;
        }
    }
}

/// The writer: every printed entry in order, table data from the channels.
fn write_all(
    out: &mut dyn Write,
    toc: &Toc<'_>,
    order: &[usize],
    rxs: Vec<Receiver<Msg>>,
) -> Result<(), RestoreError> {
    let mut state = State::new(&toc.header, &toc.entries);
    let w = RestoreError::Write;
    render::preamble(out, &toc.header, &state).map_err(w)?;
    let mut rxs = rxs.into_iter();
    for &i in order {
        let e = &toc.entries[i];
        if !render::has_table_data(e) {
            state.entry(out, e, false).map_err(w)?;
            continue;
        }
        if e.data == DataPos::NoData {
            continue;
        }
        let rx = rxs.next().expect("one channel per table with data");
        state.entry(out, e, true).map_err(w)?;
        if let Some(c) = e.copy_stmt {
            out.write_all(c).map_err(w)?;
        }
        loop {
            match rx.recv() {
                Ok(Msg::Bytes(b)) => out.write_all(&b).map_err(w)?,
                Ok(Msg::Done) => break,
                Ok(Msg::Failed(a)) => return Err(RestoreError::Archive(a)),
                Err(_) => {
                    return Err(RestoreError::Write(io::Error::other(
                        "a decompression thread stopped",
                    )))
                }
            }
        }
    }
    render::epilogue(out).map_err(w)
}
