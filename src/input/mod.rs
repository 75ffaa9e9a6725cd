//! The input boundary. The dump's form is told by its first bytes, never by
//! its name: a plain SQL script is memory-mapped (or read, from stdin or a
//! pipe); a script compressed whole (`compressed`: gzip, zstd, xz, bzip2,
//! lz4) and a `pg_dump` archive (`archive`: `-Fc`, `-Fd` given as its
//! directory, `-Ft`, each also compressed whole) are turned into the plain
//! SQL script they stand for, in an unnamed temporary file that is then
//! memory-mapped (`forms`). A dump in another client encoding is transcoded
//! to UTF-8 later (`encoding`). Everything downstream sees `&[u8]` of plain
//! SQL.

pub mod archive;
pub mod compressed;
pub mod encoding;
mod forms;

use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use memmap2::Mmap;

use crate::cleanup;
use crate::error::Error;
use compressed::Codec;

/// How the dump was stored on disk, for `inspect` and the summary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Form {
    /// A plain-format SQL script.
    Plain,
    /// A plain-format script compressed whole.
    Compressed(Codec),
    /// A `pg_dump` archive: its kind, its format version (e.g. "1.14"), the
    /// compression of its data ("none", "gzip", "lz4" or "zstd"), and the
    /// compression of the whole archive file (`pg_dump -Fc | gzip`).
    Archive {
        kind: ArchiveKind,
        version: String,
        compression: String,
        outer: Option<Codec>,
    },
}

/// The three archive formats of `pg_dump`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArchiveKind {
    /// `-Fc`: one file.
    Custom,
    /// `-Fd`: a directory of `toc.dat` and a data file per table.
    Directory,
    /// `-Ft`: a tar of `toc.dat` and a data member per table.
    Tar,
}

/// What the first bytes say the input is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Magic {
    Plain,
    Compressed(Codec),
    /// A `pg_dump -Fc` archive.
    Custom,
    /// The `toc.dat` of a `-Fd` directory (or of a tar): PGDMP with the
    /// format byte 3 or 5.
    Toc,
    /// A tar archive: "ustar" at byte 257.
    Tar,
}

/// How many first bytes `sniff` wants (the tar magic ends at byte 262).
pub const HEAD: usize = 512;

/// Tells the form from the first bytes (up to `HEAD` when there are that many).
pub fn sniff(head: &[u8]) -> Magic {
    if head.starts_with(archive::toc::MAGIC) {
        if matches!(head.get(10), Some(3 | 5)) {
            Magic::Toc
        } else {
            Magic::Custom
        }
    } else if head.len() >= 262 && &head[257..262] == b"ustar" {
        Magic::Tar
    } else if let Some(c) = Codec::sniff(head) {
        Magic::Compressed(c)
    } else {
        Magic::Plain
    }
}

/// The plain SQL bytes of one input dump.
pub struct Input {
    bytes: Bytes,
    form: Form,
    /// The mapped file as it was when opened, to tell that it changed.
    origin: Option<Origin>,
}

enum Bytes {
    /// The watch goes first: it is forgotten before the map is unmapped.
    Mapped {
        _watch: Option<cleanup::MapWatch>,
        map: Mmap,
    },
    Owned(Vec<u8>),
}

/// A file's size and modification time, as tar and rsync compare them to
/// tell that a file changed while they read it.
pub(crate) struct Stamp(Option<(u64, Option<SystemTime>)>);

impl Stamp {
    pub(crate) fn of(file: &File) -> Stamp {
        Stamp(file.metadata().ok().map(|m| (m.len(), m.modified().ok())))
    }

    /// How `file` differs from this stamp, if it does.
    pub(crate) fn changed(&self, file: &File) -> Option<String> {
        let (Some((len, modified)), Stamp(Some((now_len, now_modified)))) =
            (self.0, Stamp::of(file))
        else {
            return None;
        };
        if now_len != len {
            Some(format!("{len} bytes when opened, {now_len} now"))
        } else if now_modified != modified {
            Some(format!("its modification time changed, size {len} bytes"))
        } else {
            None
        }
    }
}

/// The input file as it was when opened, to tell that it changed.
struct Origin {
    file: File,
    path: PathBuf,
    stamp: Stamp,
}

impl Origin {
    fn new(file: &File, path: &Path) -> Result<Origin, Error> {
        Ok(Origin {
            file: file.try_clone().map_err(|e| Error::io(path, "open", e))?,
            path: path.to_path_buf(),
            stamp: Stamp::of(file),
        })
    }

    fn unchanged(&self) -> Result<(), Error> {
        let Some(how) = self.stamp.changed(&self.file) else {
            return Ok(());
        };
        Err(Error::Refused(format!(
            "{}: the input changed while it was read ({how}); no output was put in place (a stream got no COMMIT). Run again once nothing writes it (e.g. after the nightly pg_dump finished).",
            self.path.display()
        )))
    }
}

impl Input {
    /// Opens `path`, or stdin when `path` is `-`.
    pub fn open(path: &Path) -> Result<Input, Error> {
        if path.as_os_str() == "-" {
            return from_stream(&mut std::io::stdin().lock(), path);
        }
        let file = File::open(path).map_err(|e| Error::io(path, "open", e))?;
        let meta = file.metadata().map_err(|e| Error::io(path, "stat", e))?;
        if meta.is_dir() {
            return forms::directory(path);
        }
        if !meta.is_file() {
            // Pipes and devices cannot be mapped; read them like stdin.
            return from_stream(&mut &file, path);
        }
        if meta.len() == 0 {
            // Empty, or a file whose size says nothing (`/proc`, `/sys`):
            // read it as a stream. One that grew meanwhile was being
            // written (`pg_dump > backup.sql` had just truncated it).
            let origin = Origin::new(&file, path)?;
            let input = from_stream(&mut &file, path)?;
            origin.unchanged()?;
            return Ok(input);
        }
        let origin = Origin::new(&file, path)?;
        let map = map_file(&file).map_err(|e| Error::io(path, "memory-map", e))?;
        let watch = cleanup::watch_map(map.as_ptr() as usize, map.len(), path);
        let input = match sniff(&map[..map.len().min(HEAD)]) {
            Magic::Plain => {
                let mut input = Input::plain(Bytes::Mapped {
                    _watch: Some(watch),
                    map,
                });
                input.origin = Some(origin);
                return Ok(input);
            }
            Magic::Compressed(codec) => forms::inflate(codec, &mut &map[..], path)?,
            Magic::Custom => forms::custom(&map, path, None)?,
            Magic::Tar => forms::tar(&map, path, None)?,
            Magic::Toc => {
                drop(watch);
                // The toc.dat itself: its directory holds the data files.
                let dir = path
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .unwrap_or(Path::new("."));
                return forms::directory(dir);
            }
        };
        origin.unchanged()?;
        Ok(input)
    }

    /// Refuses an input file that changed since it was opened (size or
    /// modification time): the bytes read may mix two versions. Called
    /// once everything was read, before anything is put in place.
    pub fn unchanged(&self) -> Result<(), Error> {
        self.origin.as_ref().map_or(Ok(()), Origin::unchanged)
    }

    fn plain(bytes: Bytes) -> Input {
        Input {
            bytes,
            form: Form::Plain,
            origin: None,
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
            Bytes::Mapped { map, .. } => map,
            Bytes::Owned(v) => v,
        }
    }
}

fn map_file(file: &File) -> std::io::Result<Mmap> {
    // SAFETY: the map is read-only and private to this process. dumpshift
    // never writes the input (the output path is checked against it), and
    // the temporary files it maps are unnamed and its own, so the only way
    // the bytes change under us is another process rewriting the dump while
    // we run. A rewrite in place is caught after the read by comparing size
    // and modification time (`Input::unchanged`); a file cut short makes
    // reads past its new end raise SIGBUS, which `cleanup` turns into an
    // exit 1 naming the file, with every temporary file removed. Every read
    // of the map goes through bounds-checked slices.
    let map = unsafe { Mmap::map(file) }?;
    #[cfg(unix)]
    let _ = map.advise(memmap2::Advice::Sequential);
    Ok(map)
}

/// Reads a stream: sniffs its first bytes, then reads the rest by its form.
fn from_stream(r: &mut dyn Read, path: &Path) -> Result<Input, Error> {
    let name = path.display().to_string();
    let name = name.as_str();
    let mut head = [0u8; HEAD];
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
    // A stream goes to an unnamed temporary file, mapped like an input
    // file: in memory it would cost its whole size (`pg_dump | dumpshift -`
    // of a large database, or `/dev/zero`, would end in the OOM killer;
    // a full TMPDIR is a clear error). Archives need it anyway: their data
    // blocks and tar members are found by offset, and a stream cannot seek.
    let spool = |whole: &mut dyn Read| temp_output(|out| copy_to(whole, out, name));
    match sniff(&head[..got]) {
        Magic::Plain => spool(&mut whole),
        Magic::Compressed(codec) => forms::inflate(codec, &mut whole, path),
        Magic::Custom => forms::custom(spool(&mut whole)?.bytes(), path, None),
        Magic::Tar => forms::tar(spool(&mut whole)?.bytes(), path, None),
        Magic::Toc => Err(forms::toc_alone(path)),
    }
}

/// Copies the stream `name` into the temporary file `out`: a read error is
/// the stream's, a write error the temporary folder's (a full TMPDIR).
fn copy_to(from: &mut dyn Read, out: &mut dyn Write, name: &str) -> Result<(), Error> {
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Error::io(name, "read", e)),
        };
        out.write_all(&buf[..n]).map_err(write_error)?;
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
    Ok(Input::plain(Bytes::Mapped { _watch: None, map }))
}

fn write_error(e: std::io::Error) -> Error {
    Error::io(std::env::temp_dir().join("(temporary file)"), "write", e)
}

#[cfg(test)]
mod tests {
    use std::io::{Seek, SeekFrom};

    use super::*;

    fn opened(text: &[u8]) -> (tempfile::TempDir, PathBuf, Input) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v1.sql");
        std::fs::write(&path, text).unwrap();
        let input = Input::open(&path).unwrap();
        (dir, path, input)
    }

    #[test]
    fn a_plain_dump_from_a_stream_is_kept_in_a_mapped_file_not_in_memory() {
        let text = b"-- a dump on stdin\nSELECT 1;\n".repeat(1000);
        let input = from_stream(&mut &text[..], Path::new("-")).unwrap();
        assert!(
            matches!(input.bytes, Bytes::Mapped { .. }),
            "held in memory"
        );
        assert_eq!(input.bytes(), &text[..]);
        let empty = from_stream(&mut &b""[..], Path::new("-")).unwrap();
        assert_eq!(empty.bytes(), b"");
    }

    #[test]
    fn an_input_rewritten_in_place_with_the_same_size_is_seen_as_changed() {
        let (_dir, path, input) = opened(b"-- one\nSELECT 1;\n");
        input.unchanged().unwrap();
        let mut f = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
        f.seek(SeekFrom::Start(3)).unwrap();
        f.write_all(b"two").unwrap();
        // A different modification time, whatever the clock's granularity.
        f.set_modified(SystemTime::UNIX_EPOCH).unwrap();
        let e = input.unchanged().unwrap_err().to_string();
        assert!(
            e.contains(
                "v1.sql: the input changed while it was read (its modification time changed"
            ),
            "{e}"
        );
    }

    #[test]
    fn an_input_that_grew_or_was_replaced_by_rename_is_judged_by_what_was_read() {
        let (_dir, path, input) = opened(b"-- one\nSELECT 1;\n");
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        f.write_all(b"SELECT 2;\n").unwrap();
        let e = input.unchanged().unwrap_err().to_string();
        assert!(e.contains("17 bytes when opened, 27 now"), "{e}");
        // A new file renamed over the path leaves the one read untouched.
        let (dir2, path2, input2) = opened(b"-- one\n");
        let new = dir2.path().join("new.sql");
        std::fs::write(&new, b"-- other\n").unwrap();
        std::fs::rename(&new, &path2).unwrap();
        input2.unchanged().unwrap();
        assert_eq!(input2.bytes(), b"-- one\n");
    }
}
