//! The data files of `pg_dump -Fd` and `-Ft` archives: each TOC entry with
//! data names a file (`3461.dat`), which is a file of the directory, maybe
//! compressed (`3461.dat.gz`, `.lz4`, `.zst`, found as pg_restore finds
//! them), or a member of the tar (never compressed: pg_dump refuses `-Ft`
//! with compression). A file's bytes are the entry's data exactly as a
//! `-Fc` data block holds it once decompressed.
//!
//! Each file is located before any is read, so a missing one is refused
//! at once, naming the place in `toc.dat` that names it. A COPY's data must
//! end with its `\.` line: a data file cut short at a line's end would
//! otherwise read as a table with fewer rows. A data file whose size or
//! modification time changed while it was read is refused too: its bytes
//! may mix two versions (the archive's `toc.dat`, like any input file, is
//! watched by `Input::unchanged`).

use std::collections::HashMap;
use std::io::{self, BufReader, Read, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use super::data::DecodeError;
use super::read::{ArchiveError, DataFile};
use super::toc::Entry;
use crate::input::compressed::{self, Codec, InflateError};
use crate::input::Stamp;

/// Where the data files of a `-Fd` or `-Ft` archive are.
pub enum Source<'a> {
    /// The archive's directory.
    Directory(&'a Path),
    /// The members of the tar, by name, with where their bytes start in it.
    Tar(&'a HashMap<&'a [u8], (usize, &'a [u8])>),
}

/// One table's data, located.
pub enum Job<'a> {
    /// A data block of a `-Fc` archive, at this offset.
    Block(usize),
    File(Located<'a>),
}

pub enum Located<'a> {
    Path {
        path: PathBuf,
        codec: Option<Codec>,
    },
    Member {
        name: &'a [u8],
        at: usize,
        bytes: &'a [u8],
    },
}

/// The suffixes pg_restore tries after the name itself, in its order.
const SUFFIXES: [(&str, Codec); 3] = [
    (".gz", Codec::Gzip),
    (".lz4", Codec::Lz4),
    (".zst", Codec::Zstd),
];

impl Source<'_> {
    /// Finds the data file `name` that entry `e` (`what`) names.
    pub fn locate<'s>(
        &'s self,
        e: &Entry<'_>,
        name: &[u8],
        what: &str,
    ) -> Result<Job<'s>, ArchiveError> {
        let shown = String::from_utf8_lossy(name);
        let at = e.data_at;
        match self {
            Source::Tar(members) => match members.get_key_value(name) {
                Some((n, &(start, bytes))) => Ok(Job::File(Located::Member { name: n, at: start, bytes })),
                None => Err(ArchiveError::new(
                    at,
                    format!("the table of contents names the tar member {shown} for the data of {what}, but the tar holds no such member: it is truncated or not the tar pg_dump wrote"),
                )),
            },
            Source::Directory(dir) => {
                let plain = std::str::from_utf8(name)
                    .ok()
                    .filter(|n| !n.is_empty() && !n.contains('/') && *n != "." && *n != "..")
                    .ok_or_else(|| {
                        ArchiveError::new(
                            at,
                            format!("the data file name {shown:?} of {what} is no file name within the directory: the table of contents is corrupt"),
                        )
                    })?;
                let tries = std::iter::once((plain.to_string(), None))
                    .chain(SUFFIXES.iter().map(|(s, c)| (format!("{plain}{s}"), Some(*c))));
                for (file, codec) in tries {
                    let path = dir.join(&file);
                    match std::fs::metadata(&path) {
                        Ok(m) if m.is_file() => return Ok(Job::File(Located::Path { path, codec })),
                        Ok(_) => {
                            return Err(ArchiveError::new(
                                at,
                                format!("the data file {} of {what} is not a regular file", path.display()),
                            ))
                        }
                        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                        Err(e) => {
                            return Err(ArchiveError::new(
                                at,
                                format!("the data file {} of {what} cannot be read: {e}", path.display()),
                            ))
                        }
                    }
                }
                Err(ArchiveError::new(
                    at,
                    format!(
                        "the table of contents names the data file {plain} for the data of {what}, but {} is missing (nor is there {plain}.gz, .lz4 or .zst)",
                        dir.join(plain).display()
                    ),
                ))
            }
        }
    }
}

/// Streams the bytes of one located data file to `send`.
pub fn stream(
    f: &Located<'_>,
    e: &Entry<'_>,
    send: &mut dyn FnMut(&[u8]) -> io::Result<()>,
) -> Result<(), DecodeError> {
    let mut sink = Sink::new(send);
    match f {
        Located::Member { name, at, bytes } => {
            sink.write_all(bytes).map_err(DecodeError::Write)?;
            sink.flush().map_err(DecodeError::Write)?;
            if e.copy_stmt.is_some() && !sink.ends_copy() {
                return Err(DecodeError::Archive(ArchiveError::new(
                    at + bytes.len(),
                    format!(
                        "the tar member {} ends without COPY's end marker \\.: it is cut short",
                        String::from_utf8_lossy(name)
                    ),
                )));
            }
            Ok(())
        }
        Located::Path { path, codec } => {
            stream_path(path, *codec, e.copy_stmt.is_some(), &mut sink)
        }
    }
}

/// Streams one data file of a directory archive; `copy` says its data must
/// end with COPY's end marker.
fn stream_path(
    path: &Path,
    codec: Option<Codec>,
    copy: bool,
    sink: &mut Sink<'_>,
) -> Result<(), DecodeError> {
    let place = |unit| {
        Some(DataFile {
            path: path.display().to_string(),
            unit,
        })
    };
    let fail = |byte: u64, unit, message: String| {
        DecodeError::Archive(ArchiveError {
            byte,
            message,
            file: place(unit),
        })
    };
    // Non-blocking, and checked again once open: a FIFO put in the file's
    // place after it was located must not make the read wait for a writer.
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(|err| fail(0, "byte", format!("cannot open it: {err}")))?;
    if !file.metadata().is_ok_and(|m| m.is_file()) {
        return Err(fail(0, "byte", "it is not a regular file".into()));
    }
    let opened = Stamp::of(&file);
    let mut r = BufReader::with_capacity(256 * 1024, &file);
    let read = match codec {
        Some(c) => compressed::inflate(c, &mut r, sink).map(|_| ()),
        None => copy_all(&mut r, sink),
    };
    // A file written while it was read may have given bytes of two
    // versions, or a cut-short stream: that is said first, whatever the
    // bytes looked like.
    if let Some(how) = opened.changed(&file) {
        return Err(fail(
            0,
            "byte",
            format!("the file changed while it was read ({how}): run again once nothing writes the archive"),
        ));
    }
    match read {
        Ok(()) => {}
        Err(InflateError::Write(err)) => return Err(DecodeError::Write(err)),
        Err(InflateError::Read(err)) => {
            return Err(fail(0, "byte", format!("cannot read it: {err}")))
        }
        Err(InflateError::Corrupt { byte, message }) => {
            return Err(fail(byte, "compressed byte", message))
        }
    }
    sink.flush().map_err(DecodeError::Write)?;
    if copy && !sink.ends_copy() {
        let unit = if codec.is_some() {
            "decompressed byte"
        } else {
            "byte"
        };
        return Err(fail(
            sink.total,
            unit,
            "the data ends without COPY's end marker \\.: the file is cut short".into(),
        ));
    }
    Ok(())
}

fn copy_all(r: &mut dyn Read, w: &mut dyn Write) -> Result<(), InflateError> {
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = match r.read(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(InflateError::Read(e)),
        };
        w.write_all(&buf[..n]).map_err(InflateError::Write)?;
    }
}

const PIECE: usize = 256 * 1024;

/// Gathers bytes into pieces for the writer's channel and keeps the last
/// few, to see the COPY end marker.
struct Sink<'s> {
    send: &'s mut dyn FnMut(&[u8]) -> io::Result<()>,
    pending: Vec<u8>,
    tail: Vec<u8>,
    total: u64,
}

impl<'s> Sink<'s> {
    fn new(send: &'s mut dyn FnMut(&[u8]) -> io::Result<()>) -> Self {
        Sink {
            send,
            pending: Vec::with_capacity(PIECE),
            tail: Vec::new(),
            total: 0,
        }
    }

    /// Whether the data ends with a line `\.` and nothing but line ends
    /// after it, as pg_dump ends every COPY's data.
    fn ends_copy(&self) -> bool {
        let end = self
            .tail
            .iter()
            .rposition(|&b| b != b'\n')
            .map_or(0, |p| p + 1);
        let body = &self.tail[..end];
        end < self.tail.len()
            && body.ends_with(b"\\.")
            && (body.len() == 2 && self.total as usize == self.tail.len()
                || body[..body.len() - 2].ends_with(b"\n"))
    }
}

/// How many last bytes are kept: `\n\.` and a few line ends.
const TAIL: usize = 16;

impl Write for Sink<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.total += buf.len() as u64;
        let keep = buf.len().min(TAIL);
        self.tail.extend_from_slice(&buf[buf.len() - keep..]);
        let excess = self.tail.len().saturating_sub(TAIL);
        self.tail.drain(..excess);
        if self.pending.len() + buf.len() > PIECE {
            self.flush()?;
        }
        if buf.len() >= PIECE {
            (self.send)(buf)?;
        } else {
            self.pending.extend_from_slice(buf);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.pending.is_empty() {
            (self.send)(&self.pending)?;
            self.pending.clear();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs::File;
    use std::time::SystemTime;

    fn ends(parts: &[&[u8]]) -> bool {
        let mut sent = Vec::new();
        let mut send = |b: &[u8]| {
            sent.extend_from_slice(b);
            Ok(())
        };
        let mut s = Sink::new(&mut send);
        for p in parts {
            s.write_all(p).unwrap();
        }
        s.flush().unwrap();
        let r = s.ends_copy();
        assert_eq!(sent, parts.concat());
        r
    }

    /// How a second process writes a data file while it is being read.
    #[derive(Clone, Copy, Debug)]
    enum Writer {
        Appends,
        CutsShort,
        RewritesInPlace,
    }

    /// COPY data of about 1 MiB, ending with its end marker.
    fn copy_data() -> Vec<u8> {
        let mut data = Vec::new();
        for i in 0..40_000 {
            data.extend_from_slice(format!("{i}\tsome text of row {i}\n").as_bytes());
        }
        data.extend_from_slice(b"\\.\n\n\n");
        data
    }

    /// Streams `bytes`, stored in a data file (gzip-compressed with `gzip`),
    /// while `writer` writes the file once the first piece has been sent.
    fn read_while(writer: Option<Writer>, gzip: bool) -> Result<Vec<u8>, DecodeError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir
            .path()
            .join(if gzip { "3461.dat.gz" } else { "3461.dat" });
        let bytes = if gzip {
            let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            z.write_all(&copy_data()).unwrap();
            z.finish().unwrap()
        } else {
            copy_data()
        };
        std::fs::write(&path, &bytes).unwrap();
        // An hour old, as a finished dump is: a write now shows in its time
        // even on a clock as coarse as the file system's.
        let old = SystemTime::now() - std::time::Duration::from_secs(3600);
        File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(old)
            .unwrap();
        let mut sent = Vec::new();
        let mut touched = false;
        let mut send = |b: &[u8]| {
            if let (Some(w), false) = (writer, touched) {
                touched = true;
                let f = File::options().write(true).open(&path).unwrap();
                match w {
                    Writer::Appends => (&f).write_all_at_end(b"99\tlate row\n"),
                    Writer::CutsShort => f.set_len(bytes.len() as u64 / 2).unwrap(),
                    Writer::RewritesInPlace => {
                        use std::os::unix::fs::FileExt;
                        f.write_all_at(&bytes[..64], 0).unwrap();
                    }
                }
            }
            sent.extend_from_slice(b);
            Ok(())
        };
        let codec = gzip.then_some(Codec::Gzip);
        stream_path(&path, codec, true, &mut Sink::new(&mut send)).map(|()| sent)
    }

    trait AtEnd {
        fn write_all_at_end(self, b: &[u8]);
    }

    impl AtEnd for &File {
        fn write_all_at_end(self, b: &[u8]) {
            use std::os::unix::fs::FileExt;
            let len = self.metadata().unwrap().len();
            self.write_all_at(b, len).unwrap();
        }
    }

    #[test]
    fn a_data_file_written_while_it_is_read_is_refused_naming_it() {
        for gzip in [false, true] {
            assert_eq!(
                read_while(None, gzip).ok(),
                Some(copy_data()),
                "gzip {gzip}"
            );
            for w in [Writer::Appends, Writer::CutsShort, Writer::RewritesInPlace] {
                let Err(DecodeError::Archive(e)) = read_while(Some(w), gzip) else {
                    panic!("{w:?}, gzip {gzip}: the change was not seen");
                };
                assert!(
                    e.message.contains("the file changed while it was read"),
                    "{w:?}: {}",
                    e.message
                );
                let file = e.file.expect("the message names the data file");
                assert!(
                    file.path
                        .ends_with(if gzip { "3461.dat.gz" } else { "3461.dat" }),
                    "{}",
                    file.path
                );
            }
        }
    }

    #[test]
    fn copy_data_must_end_with_its_end_marker_line() {
        assert!(ends(&[b"1\tx\n\\.\n\n\n"]));
        assert!(ends(&[b"\\.\n\n\n"]));
        assert!(ends(&[b"1\tx\n", b"\\", b".\n", b"\n\n"]));
        assert!(!ends(&[b"1\tx\n2\ty\n"]));
        assert!(!ends(&[b"1\tx\\.\n"]));
        assert!(!ends(&[b"1\tx\n\\."]));
        assert!(!ends(&[b""]));
    }
}
