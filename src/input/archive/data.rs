//! The data blocks: a block-type byte, the dump id, then the entry's data as
//! length-prefixed chunks ending in a zero length (`_PrintData` of
//! `pg_backup_custom.c`). The chunks of one entry are one compressed stream
//! (zlib, lz4 frames or zstd frames), or the raw bytes when uncompressed.
//!
//! Blocks are found through the offsets the TOC records or, for an archive
//! pg_dump wrote to a pipe (no offsets), by one pass over the block headers
//! that skips the chunk bytes without decompressing them.

use std::collections::HashMap;
use std::io::{self, BufRead, Read};

use super::read::{ArchiveError, Cursor, DataPos};
use super::toc::{Compression, Toc};

const BLK_DATA: u8 = 1;
const BLK_BLOBS: u8 = 3;

/// Where each entry's data block starts, for entries whose block exists.
pub fn locate_blocks(archive: &[u8], toc: &Toc<'_>) -> Result<HashMap<i64, usize>, ArchiveError> {
    let mut found = HashMap::new();
    let unplaced = toc
        .entries
        .iter()
        .any(|e| e.had_dumper && e.data == DataPos::NotSet);
    if unplaced {
        found = scan_blocks(archive, toc)?;
    }
    for e in toc.entries.iter().filter(|e| e.had_dumper) {
        if let DataPos::At(pos) = e.data {
            let pos = usize::try_from(pos).unwrap_or(usize::MAX);
            found.insert(e.dump_id, pos);
        }
    }
    Ok(found)
}

/// Walks the data area block by block, as pg_restore does on a pipe.
fn scan_blocks(archive: &[u8], toc: &Toc<'_>) -> Result<HashMap<i64, usize>, ArchiveError> {
    let mut c = Cursor::new(archive, toc.data_start);
    c.int_size = toc.header.int_size;
    c.off_size = toc.header.off_size;
    let mut found = HashMap::new();
    while !c.at_end() {
        let start = c.pos;
        let (kind, id) = block_header(&mut c)?;
        found.insert(id, start);
        if kind == BLK_BLOBS {
            while c.int("a large object's oid")? != 0 {
                skip_chunks(&mut c)?;
            }
        } else {
            skip_chunks(&mut c)?;
        }
    }
    Ok(found)
}

fn block_header(c: &mut Cursor<'_>) -> Result<(u8, i64), ArchiveError> {
    let at = c.pos;
    let kind = c.byte("a data block")?;
    if kind != BLK_DATA && kind != BLK_BLOBS {
        return Err(ArchiveError::new(
            at,
            format!("unknown data block type {kind}: the archive is corrupt"),
        ));
    }
    let id = c.int("a data block's dump id")?;
    Ok((kind, id))
}

fn skip_chunks(c: &mut Cursor<'_>) -> Result<(), ArchiveError> {
    loop {
        let n = chunk_len(c)?;
        if n == 0 {
            return Ok(());
        }
        c.bytes(n, "a data chunk")?;
    }
}

fn chunk_len(c: &mut Cursor<'_>) -> Result<usize, ArchiveError> {
    let at = c.pos;
    let n = c.int("a data chunk's length")?;
    usize::try_from(n).map_err(|_| ArchiveError::new(at, format!("invalid data chunk length {n}")))
}

/// The chunks of one data block, read as one byte stream without copying.
pub struct Chunks<'a> {
    c: Cursor<'a>,
    current: &'a [u8],
    done: bool,
    /// The first problem met, kept so it can be reported with its offset.
    pub error: Option<ArchiveError>,
}

impl<'a> Chunks<'a> {
    /// Opens the block at `pos`, checking that it is a data block of `dump_id`.
    pub fn open(
        archive: &'a [u8],
        toc: &Toc<'_>,
        pos: usize,
        dump_id: i64,
    ) -> Result<Self, ArchiveError> {
        if pos >= archive.len() {
            // Reported at the end of the archive, where the bytes run out:
            // `pos` came from the table of contents and may be anything
            // when that is damaged.
            return Err(ArchiveError::new(
                archive.len(),
                format!(
                    "the data of entry {dump_id} should start at byte {pos}, past the end of \
                     the archive ({} bytes): truncated, or a damaged table of contents",
                    archive.len()
                ),
            ));
        }
        let mut c = Cursor::new(archive, pos);
        c.int_size = toc.header.int_size;
        c.off_size = toc.header.off_size;
        let (kind, id) = block_header(&mut c)?;
        if kind != BLK_DATA || id != dump_id {
            return Err(ArchiveError::new(
                pos,
                format!("expected the data block of entry {dump_id}, found a block of entry {id}: the archive is corrupt"),
            ));
        }
        Ok(Chunks {
            c,
            current: &[],
            done: false,
            error: None,
        })
    }

    /// Where reading stands in the archive, for messages.
    pub fn pos(&self) -> usize {
        self.c.pos - self.current.len()
    }
}

impl BufRead for Chunks<'_> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        while self.current.is_empty() && !self.done {
            let next = chunk_len(&mut self.c).and_then(|n| {
                if n == 0 {
                    Ok(None)
                } else {
                    self.c.bytes(n, "a data chunk").map(Some)
                }
            });
            match next {
                Ok(Some(s)) => self.current = s,
                Ok(None) => self.done = true,
                Err(e) => {
                    let msg = e.to_string();
                    self.error = Some(e);
                    return Err(io::Error::new(io::ErrorKind::UnexpectedEof, msg));
                }
            }
        }
        Ok(self.current)
    }

    fn consume(&mut self, n: usize) {
        self.current = &self.current[n.min(self.current.len())..];
    }
}

impl Read for Chunks<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let avail = self.fill_buf()?;
        let n = avail.len().min(buf.len());
        buf[..n].copy_from_slice(&avail[..n]);
        self.consume(n);
        Ok(n)
    }
}

/// Decompresses one entry's data, handing it to `sink` piece by piece.
pub fn decode(
    chunks: Chunks<'_>,
    compression: Compression,
    sink: &mut dyn FnMut(&[u8]) -> io::Result<()>,
) -> Result<(), DecodeError> {
    let mut chunks = chunks;
    let mut gather = Gather {
        pending: Vec::with_capacity(PIECE),
        sink,
    };
    let mut push = |b: &[u8]| gather.push(b);
    let result = match compression {
        Compression::None => pump(&mut chunks, &mut push),
        Compression::Gzip => inflate_zlib(&mut chunks, &mut push),
        Compression::Lz4 => pump(
            &mut lz4_flex::frame::FrameDecoder::new(&mut chunks),
            &mut push,
        ),
        Compression::Zstd => match zstd::stream::read::Decoder::with_buffer(&mut chunks) {
            Ok(mut d) => pump(&mut d, &mut push),
            Err(e) => Err(Pumped::Read(e)),
        },
    };
    let result = result.and_then(|()| gather.finish().map_err(Pumped::Write));
    match result {
        Ok(()) => Ok(()),
        Err(Pumped::Write(e)) => Err(DecodeError::Write(e)),
        Err(Pumped::Read(e)) => Err(DecodeError::Archive(chunks.error.take().unwrap_or_else(
            || {
                ArchiveError::new(
                    chunks.pos(),
                    format!(
                        "the {} data is corrupt near this byte: {e}",
                        compression.name()
                    ),
                )
            },
        ))),
    }
}

/// pg_dump writes an uncompressed table one row per chunk, and one zlib
/// call yields a few kilobytes: pieces are gathered up to `PIECE` bytes so
/// the sink (a channel to the writer) sees few, large messages.
struct Gather<'s> {
    pending: Vec<u8>,
    sink: &'s mut dyn FnMut(&[u8]) -> io::Result<()>,
}

impl Gather<'_> {
    fn push(&mut self, b: &[u8]) -> io::Result<()> {
        if self.pending.len() + b.len() > PIECE {
            self.finish()?;
        }
        if b.len() >= PIECE {
            (self.sink)(b)
        } else {
            self.pending.extend_from_slice(b);
            Ok(())
        }
    }

    fn finish(&mut self) -> io::Result<()> {
        if !self.pending.is_empty() {
            (self.sink)(&self.pending)?;
            self.pending.clear();
        }
        Ok(())
    }
}

/// Why decoding one entry stopped.
#[derive(Debug)]
pub enum DecodeError {
    Archive(ArchiveError),
    /// The sink refused the bytes (a write error or a stopped reader).
    Write(io::Error),
}

enum Pumped {
    Read(io::Error),
    Write(io::Error),
}

const PIECE: usize = 256 * 1024;

fn pump(r: &mut dyn Read, sink: &mut dyn FnMut(&[u8]) -> io::Result<()>) -> Result<(), Pumped> {
    let mut buf = vec![0u8; PIECE];
    loop {
        let n = match r.read(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Pumped::Read(e)),
        };
        sink(&buf[..n]).map_err(Pumped::Write)?;
    }
}

/// zlib by hand rather than through a `Read` adapter: the adapter reports a
/// stream cut short as a clean end, and a truncated table must be refused.
fn inflate_zlib(
    input: &mut dyn BufRead,
    sink: &mut dyn FnMut(&[u8]) -> io::Result<()>,
) -> Result<(), Pumped> {
    use flate2::{Decompress, FlushDecompress, Status};
    let mut z = Decompress::new(true);
    let mut out = vec![0u8; PIECE];
    loop {
        let avail = input.fill_buf().map_err(Pumped::Read)?;
        let eof = avail.is_empty();
        let (in0, out0) = (z.total_in(), z.total_out());
        let flush = if eof {
            FlushDecompress::Finish
        } else {
            FlushDecompress::None
        };
        let status = z
            .decompress(avail, &mut out, flush)
            .map_err(|e| Pumped::Read(io::Error::new(io::ErrorKind::InvalidData, e)))?;
        let used = (z.total_in() - in0) as usize;
        let made = (z.total_out() - out0) as usize;
        input.consume(used);
        if made > 0 {
            sink(&out[..made]).map_err(Pumped::Write)?;
        }
        match status {
            Status::StreamEnd => return Ok(()),
            _ if eof && made == 0 => {
                return Err(Pumped::Read(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the compressed stream ends before its end marker",
                )))
            }
            _ => {}
        }
    }
}
