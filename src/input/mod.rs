//! The input boundary. The dump's form is told by its first bytes, never by
//! its name: a plain SQL script is memory-mapped (or read, from stdin or a
//! pipe); a gzip or zstd compressed script (`compressed`) and a `pg_dump -Fc`
//! archive (`archive`) are turned into the plain SQL script they stand for,
//! in an unnamed temporary file that is then memory-mapped. A dump in
//! another client encoding is transcoded to UTF-8 later (`encoding`).
//! Everything downstream sees `&[u8]` of plain SQL.

pub mod archive;
pub mod compressed;
pub mod encoding;

use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::Path;

use memmap2::Mmap;

use crate::error::Error;
use compressed::{Codec, InflateError};

/// How the dump was stored on disk, for `inspect` and the summary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Form {
    /// A plain-format SQL script.
    Plain,
    /// A plain-format script compressed with gzip.
    Gzip,
    /// A plain-format script compressed with zstd.
    Zstd,
    /// A `pg_dump -Fc` archive: its format version (e.g. "1.14") and the
    /// compression of its data blocks ("none", "gzip", "lz4" or "zstd").
    Custom {
        version: String,
        compression: String,
    },
}

/// What the first bytes say the input is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Magic {
    Plain,
    Compressed(Codec),
    Custom,
}

/// Tells the form from the first bytes (at least 5 when there are that many).
pub fn sniff(head: &[u8]) -> Magic {
    if head.starts_with(archive::toc::MAGIC) {
        Magic::Custom
    } else if head.starts_with(&[0x1f, 0x8b]) {
        Magic::Compressed(Codec::Gzip)
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Magic::Compressed(Codec::Zstd)
    } else {
        Magic::Plain
    }
}

/// The plain SQL bytes of one input dump.
pub struct Input {
    bytes: Bytes,
    form: Form,
}

enum Bytes {
    Mapped(Mmap),
    Owned(Vec<u8>),
}

impl Input {
    /// Opens `path`, or stdin when `path` is `-`.
    pub fn open(path: &Path) -> Result<Input, Error> {
        let name = path.display().to_string();
        if path.as_os_str() == "-" {
            return from_stream(&mut std::io::stdin().lock(), &name);
        }
        let file = File::open(path).map_err(|e| Error::io(path, "open", e))?;
        let meta = file.metadata().map_err(|e| Error::io(path, "stat", e))?;
        if !meta.is_file() {
            // Pipes and devices cannot be mapped; read them like stdin.
            return from_stream(&mut &file, &name);
        }
        if meta.len() == 0 {
            return Ok(Input::plain(Bytes::Owned(Vec::new())));
        }
        let map = map_file(&file).map_err(|e| Error::io(path, "memory-map", e))?;
        match sniff(&map) {
            Magic::Plain => Ok(Input::plain(Bytes::Mapped(map))),
            Magic::Compressed(codec) => inflate(codec, &mut &map[..], &name),
            Magic::Custom => restore(&map, &name),
        }
    }

    fn plain(bytes: Bytes) -> Input {
        Input {
            bytes,
            form: Form::Plain,
        }
    }

    /// How the dump was stored.
    pub fn form(&self) -> Form {
        self.form.clone()
    }

    /// The name messages give the input: the path itself for a plain dump;
    /// for another form `PATH (as SQL)`, because lines and byte offsets then
    /// count in the SQL text the input stands for, not in the file.
    pub fn describe(&self, path: &Path) -> String {
        match self.form {
            Form::Plain => path.display().to_string(),
            _ => format!("{} (as SQL)", path.display()),
        }
    }

    pub fn bytes(&self) -> &[u8] {
        match &self.bytes {
            Bytes::Mapped(m) => m,
            Bytes::Owned(v) => v,
        }
    }
}

fn map_file(file: &File) -> std::io::Result<Mmap> {
    // SAFETY: the map is read-only and private to this process. dumpshift
    // never writes the input (the output path is checked against it), and
    // the temporary files it maps are unnamed and its own, so the only way
    // the bytes change under us is another process truncating or rewriting
    // the dump while we run; that is documented as unsupported, like for grep
    // or cp. Every read of the map goes through bounds-checked slices.
    let map = unsafe { Mmap::map(file) }?;
    #[cfg(unix)]
    let _ = map.advise(memmap2::Advice::Sequential);
    Ok(map)
}

/// Reads a stream: sniffs its first bytes, then reads the rest by its form.
fn from_stream(r: &mut dyn Read, name: &str) -> Result<Input, Error> {
    let mut head = [0u8; 5];
    let mut got = 0;
    while got < head.len() {
        match r.read(&mut head[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(Error::io(name, "read", e)),
        }
    }
    let mut whole = (&head[..got]).chain(r);
    match sniff(&head[..got]) {
        Magic::Plain => {
            let mut buf = Vec::new();
            whole
                .read_to_end(&mut buf)
                .map_err(|e| Error::io(name, "read", e))?;
            Ok(Input::plain(Bytes::Owned(buf)))
        }
        Magic::Compressed(codec) => inflate(codec, &mut whole, name),
        Magic::Custom => {
            // Data blocks are found by offset; a stream cannot seek, so the
            // (compressed) archive is kept in a temporary file first.
            let spool = temp_output(|out| {
                std::io::copy(&mut whole, out)
                    .map(|_| ())
                    .map_err(|e| Error::io(name, "read", e))
            })?;
            restore(spool.bytes(), name)
        }
    }
}

/// Runs `fill` on a buffered unnamed temporary file and maps the result.
fn temp_output(fill: impl FnOnce(&mut dyn Write) -> Result<(), Error>) -> Result<Input, Error> {
    let dir = std::env::temp_dir();
    let tmp_err = |action, e| Error::io(dir.join("(temporary file)"), action, e);
    let file = tempfile::tempfile().map_err(|e| tmp_err("create", e))?;
    let mut w = BufWriter::with_capacity(1 << 20, file);
    fill(&mut w)?;
    let file = w
        .into_inner()
        .map_err(|e| tmp_err("write", e.into_error()))?;
    let len = file.metadata().map_err(|e| tmp_err("stat", e))?.len();
    if len == 0 {
        return Ok(Input::plain(Bytes::Owned(Vec::new())));
    }
    let map = map_file(&file).map_err(|e| tmp_err("memory-map", e))?;
    Ok(Input::plain(Bytes::Mapped(map)))
}

fn write_error(e: std::io::Error) -> Error {
    Error::io(std::env::temp_dir().join("(temporary file)"), "write", e)
}

fn inflate(codec: Codec, input: &mut dyn Read, name: &str) -> Result<Input, Error> {
    let mut input = temp_output(|out| {
        compressed::inflate(codec, input, out)
            .map(|_| ())
            .map_err(|e| match e {
                InflateError::Corrupt { byte, message } => {
                    Error::Refused(format!("{name} (compressed byte {byte}): {message}"))
                }
                InflateError::Read(e) => Error::io(name, "read", e),
                InflateError::Write(e) => write_error(e),
            })
    })?;
    input.form = match codec {
        Codec::Gzip => Form::Gzip,
        Codec::Zstd => Form::Zstd,
    };
    Ok(input)
}

fn restore(archive_bytes: &[u8], name: &str) -> Result<Input, Error> {
    let mut info = None;
    let mut input = temp_output(|out| {
        let i = archive::restore(archive_bytes, out).map_err(|e| match e {
            archive::RestoreError::Archive(a) => {
                Error::Refused(format!("{name} (archive byte {}): {}", a.byte, a.message))
            }
            archive::RestoreError::Write(e) => write_error(e),
        })?;
        info = Some(i);
        Ok(())
    })?;
    let info = info.expect("set when restore succeeded");
    input.form = Form::Custom {
        version: info.version,
        compression: info.compression.name().to_string(),
    };
    Ok(input)
}
