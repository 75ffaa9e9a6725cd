//! Synthesized archives: the real pg_dump 15 fixture (archive 1.14)
//! re-encoded as other archive versions, compressions and offset states
//! would lay it out, field by field as `WriteHead`/`WriteToc`/`_WriteData`
//! of pg_dump write them. Only PostgreSQL 15 is on the machine, so this is
//! how versions 1.12, 1.13, 1.15, 1.16 and lz4/zstd blocks are covered.

use std::collections::HashMap;
use std::io::Write;

use super::super::data::{self, Chunks};
use super::super::read::DataPos;
use super::super::toc::{self, Compression, Entry};

/// A parsed real archive with every data block decompressed.
pub struct Parsed<'a> {
    pub header: toc::Header<'a>,
    pub entries: Vec<Entry<'a>>,
    pub data: HashMap<i64, Vec<u8>>,
}

pub fn parse(archive: &[u8]) -> Parsed<'_> {
    let t = toc::read(archive).expect("the fixture's TOC reads");
    let blocks = data::locate_blocks(archive, &t).expect("blocks");
    let mut out = HashMap::new();
    for e in t.entries.iter().filter(|e| e.had_dumper) {
        let pos = blocks[&e.dump_id];
        let chunks = Chunks::open(archive, &t, pos, e.dump_id).expect("block");
        let mut bytes = Vec::new();
        data::decode(chunks, t.header.compression, &mut |b| {
            bytes.extend_from_slice(b);
            Ok(())
        })
        .expect("the fixture's data decodes");
        out.insert(e.dump_id, bytes);
    }
    Parsed {
        header: t.header.clone(),
        entries: t.entries.clone(),
        data: out,
    }
}

/// How to lay the synthesized archive out.
#[derive(Clone, Copy, Debug)]
pub struct Layout {
    pub minor: u8,
    pub compression: Compression,
    /// Record data offsets (a seekable output) or not (a pipe).
    pub offsets: bool,
    /// Bytes per data chunk; pg_dump writes up to its buffer size.
    pub chunk: usize,
    /// Deliberately bad: keep only the first half of each compressed
    /// stream, with the chunk framing intact.
    pub cut_streams: bool,
}

struct W {
    buf: Vec<u8>,
}

impl W {
    fn int(&mut self, v: i64) {
        self.buf.push(u8::from(v < 0));
        self.buf
            .extend_from_slice(&(v.unsigned_abs() as u32).to_le_bytes());
    }
    fn str(&mut self, s: Option<&[u8]>) {
        match s {
            None => self.int(-1),
            Some(s) => {
                self.int(s.len() as i64);
                self.buf.extend_from_slice(s);
            }
        }
    }
}

pub fn compress(c: Compression, data: &[u8]) -> Vec<u8> {
    match c {
        Compression::None => data.to_vec(),
        Compression::Gzip => {
            let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
            e.write_all(data).unwrap();
            e.finish().unwrap()
        }
        Compression::Lz4 => {
            let mut e = lz4_flex::frame::FrameEncoder::new(Vec::new());
            e.write_all(data).unwrap();
            e.finish().unwrap()
        }
        Compression::Zstd => zstd::encode_all(data, 3).unwrap(),
    }
}

/// Writes `p` as an archive of layout `l`.
pub fn write(p: &Parsed<'_>, l: Layout) -> Vec<u8> {
    let mut w = W { buf: Vec::new() };
    w.buf.extend_from_slice(b"PGDMP");
    w.buf.extend_from_slice(&[1, l.minor, 0, 4, 8, 1]);
    if l.minor >= 15 {
        w.buf.push(match l.compression {
            Compression::None => 0,
            Compression::Gzip => 1,
            Compression::Lz4 => 2,
            Compression::Zstd => 3,
        });
    } else {
        w.int(if l.compression == Compression::None {
            0
        } else {
            -1
        });
    }
    for v in [0, 0, 0, 1, 0, 100, 0] {
        w.int(v);
    }
    w.str(p.header.dbname);
    w.str(p.header.remote_version);
    w.str(p.header.dump_version);
    w.int(p.entries.len() as i64);
    let mut patch = Vec::new();
    for e in &p.entries {
        toc_entry(&mut w, e, l.minor);
        patch.push((e.dump_id, w.buf.len()));
        let flag = match (e.data, e.had_dumper) {
            (_, false) | (DataPos::NoData, _) => 3,
            _ => 1,
        };
        w.buf.push(flag);
        w.buf.extend_from_slice(&[0; 8]);
    }
    let mut at = HashMap::new();
    for e in p.entries.iter().filter(|e| e.had_dumper) {
        at.insert(e.dump_id, w.buf.len());
        w.buf.push(1);
        w.int(e.dump_id);
        let mut stream = compress(l.compression, &p.data[&e.dump_id]);
        if l.cut_streams {
            stream.truncate(stream.len() / 2);
        }
        for piece in stream.chunks(l.chunk) {
            w.int(piece.len() as i64);
            w.buf.extend_from_slice(piece);
        }
        w.int(0);
    }
    if l.offsets {
        for (id, pos) in patch {
            if let Some(&block) = at.get(&id) {
                w.buf[pos] = 2;
                w.buf[pos + 1..pos + 9].copy_from_slice(&(block as u64).to_le_bytes());
            }
        }
    }
    w.buf
}

fn toc_entry(w: &mut W, e: &Entry<'_>, minor: u8) {
    w.int(e.dump_id);
    w.int(i64::from(e.had_dumper));
    w.str(e.table_oid);
    w.str(e.oid);
    w.str(e.tag);
    w.str(Some(e.desc));
    w.int(e.section);
    w.str(e.defn);
    w.str(e.drop_stmt);
    w.str(e.copy_stmt);
    w.str(e.namespace);
    w.str(e.tablespace);
    if minor >= 14 {
        w.str(e.tableam);
    }
    if minor >= 16 {
        // relkind: 'r' for tables, 0 for the rest, as pg_dump 17 writes it.
        w.int(if e.desc == b"TABLE" {
            i64::from(b'r')
        } else {
            0
        });
    }
    w.str(e.owner);
    w.str(e.with_oids);
    for d in &e.deps {
        w.str(Some(d));
    }
    w.str(None);
}
