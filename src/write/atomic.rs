//! Where an output goes, and how it is put there without destroying
//! anything. `-` is stdout. A FIFO or a character device (`/dev/null`,
//! `/dev/stdout` on a pipe or a terminal) is written straight into, as
//! `-` is: it is not a file to replace, so it needs no `--force`. Anything
//! else is a regular file, written as a temporary file beside it that is
//! fsynced and renamed into place only when everything succeeded; after any
//! failure nothing is left there.
//!
//! Nothing that is not a regular file is ever replaced, even with
//! `--force`: a directory, a block device or a socket is refused. A symbolic
//! link to a regular file is followed: the file it points to is replaced
//! atomically (with `--force`) and the link stays. A dangling link, a link
//! to a directory, and a missing or unwritable folder are refused before
//! any work. A replaced file keeps its permission bits; a new one gets
//! 0666 & ~umask.

use std::fs::{File, OpenOptions, Permissions};
use std::io::{self, BufWriter, Write};
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use super::temp::{self, Temp};
use crate::error::Error;

/// What an output path names.
#[derive(Debug, PartialEq, Eq)]
pub enum Dest {
    /// `-`.
    Stdout,
    /// A FIFO or a character device, written straight into.
    Stream(PathBuf),
    /// A regular file to create or replace atomically: the path itself, or
    /// the file a symbolic link points to. `keep` is the mode of the file
    /// being replaced.
    File { path: PathBuf, keep: Option<u32> },
}

/// Tells what `out` is and refuses what must not be written: a directory,
/// a block device, a socket, a dangling link, a missing or unwritable
/// folder, and an existing regular file without `force`.
pub fn classify(out: &Path, force: bool) -> Result<Dest, Error> {
    if out.as_os_str() == "-" {
        return Ok(Dest::Stdout);
    }
    let refuse = |what: String| Err(Error::Refused(format!("{}: {what}", out.display())));
    let meta = match out.symlink_metadata() {
        Ok(m) => m,
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
            ) =>
        {
            writable_folder(out)?;
            return Ok(Dest::File {
                path: out.to_path_buf(),
                keep: None,
            });
        }
        Err(e) => return Err(Error::io(out, "look at", e)),
    };
    let (meta, path) = if meta.file_type().is_symlink() {
        follow(out)?
    } else {
        (meta, out.to_path_buf())
    };
    let kind = meta.file_type();
    if kind.is_dir() {
        return refuse("is a directory; name a file in it, e.g. -o DIR/v2_load.sql".into());
    }
    if kind.is_fifo() || kind.is_char_device() {
        return Ok(Dest::Stream(out.to_path_buf()));
    }
    if kind.is_block_device() {
        return refuse("is a block device; dumpshift does not write onto a disk".into());
    }
    if !kind.is_file() {
        return refuse(
            "is not a regular file, a FIFO or a character device; dumpshift does not write there"
                .into(),
        );
    }
    if !force {
        return Err(Error::Refused(format!(
            "{} already exists; pass --force to replace it",
            out.display()
        )));
    }
    writable_folder(&path)?;
    Ok(Dest::File {
        path,
        keep: Some(meta.permissions().mode() & 0o777),
    })
}

/// A symbolic link's target: its metadata and real path, or a refusal
/// for a dangling link and a link to a directory.
fn follow(out: &Path) -> Result<(std::fs::Metadata, PathBuf), Error> {
    let refuse = |what: String| Err(Error::Refused(format!("{}: {what}", out.display())));
    let target = std::fs::read_link(out).unwrap_or_default();
    match std::fs::metadata(out) {
        Ok(m) if m.is_dir() => refuse(format!(
            "is a symbolic link to a directory ({}); name a file",
            target.display()
        )),
        Ok(m) => Ok((m, out.canonicalize().unwrap_or_else(|_| out.to_path_buf()))),
        Err(e) if e.kind() == io::ErrorKind::NotFound => refuse(format!(
            "is a symbolic link to {}, which does not exist; remove the link or name another file",
            target.display()
        )),
        Err(e) => Err(Error::io(out, "follow the symbolic link", e)),
    }
}

/// The folder a file at `path` goes into.
pub fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Refuses a missing folder, a non-folder and a folder this process cannot
/// create files in, by creating (and removing) a temporary file there: the
/// one test that holds for permissions, ACLs and read-only mounts alike.
fn writable_folder(path: &Path) -> Result<(), Error> {
    let dir = folder_of(path);
    match std::fs::metadata(&dir) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => {
            return Err(Error::Refused(format!(
                "{}: {} is not a directory",
                path.display(),
                dir.display()
            )))
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(Error::Refused(format!(
                "{}: the directory {} does not exist",
                path.display(),
                dir.display()
            )))
        }
        Err(e) => return Err(Error::io(&dir, "look at", e)),
    }
    temp::create_in(&dir)
        .map(drop)
        .map_err(|e| Error::io(&dir, "create files in", e))
}

/// Refuses destinations that would lose data, before any work is done:
/// the input itself (same path, symlink or hard link), what `classify`
/// refuses, and, without `force`, an existing regular file.
pub fn check_destination(out: &Path, input: &Path, force: bool) -> Result<(), Error> {
    if out.as_os_str() == "-" {
        // `-o - >> dump.sql`, `-o - 1<>dump.sql`: stdout may be the input
        // file itself, which writing would change under the read.
        let stdout = regular(identity(&std::io::stdout()));
        let dump = match input.as_os_str() == "-" {
            true => regular(identity(&std::io::stdin())),
            false => regular(path_identity(&input_file(input))),
        };
        if stdout.is_some() && stdout == dump {
            let dump = match input.as_os_str() == "-" {
                true => "read from stdin".to_string(),
                false => input.display().to_string(),
            };
            return Err(Error::Refused(format!(
                "refusing to write the output over the input dump {dump}: stdout is that file"
            )));
        }
        return Ok(());
    }
    if input.as_os_str() != "-" && same_file(out, input) {
        return Err(Error::Refused(format!(
            "refusing to write the output over the input dump {}",
            input.display()
        )));
    }
    if let Some(dir) = archive_dir(input) {
        let inside = out.parent().is_some_and(|p| {
            same_file(
                if p.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    p
                },
                &dir,
            )
        });
        if inside && std::fs::symlink_metadata(out).is_ok() {
            return Err(Error::Refused(format!(
                "refusing to write the output over {}, a file of the input dump directory {}",
                out.display(),
                dir.display()
            )));
        }
    }
    classify(out, force).map(drop)
}

/// The directory of a `pg_dump -Fd` input (given as the directory or as
/// its toc.dat), whose files are all part of the dump.
fn archive_dir(input: &Path) -> Option<std::path::PathBuf> {
    if input.is_dir() {
        return Some(input.to_path_buf());
    }
    if input.file_name()? == "toc.dat" {
        let parent = input.parent()?;
        return Some(if parent.as_os_str().is_empty() {
            Path::new(".").to_path_buf()
        } else {
            parent.to_path_buf()
        });
    }
    None
}

/// What a file is, wherever it is named from: its device and inode, and
/// whether it is a regular file.
type Identity = (u64, u64, bool);

/// The identity of what a descriptor (stdin, stdout) is open on.
fn identity(fd: &impl std::os::fd::AsFd) -> Option<Identity> {
    use std::os::unix::fs::MetadataExt;
    let file = File::from(fd.as_fd().try_clone_to_owned().ok()?);
    let m = file.metadata().ok()?;
    Some((m.dev(), m.ino(), m.is_file()))
}

fn path_identity(path: &Path) -> Option<Identity> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(path).ok()?;
    Some((m.dev(), m.ino(), m.is_file()))
}

/// Only regular files: a terminal that is stdin and stdout at once is no
/// file to protect.
fn regular(id: Option<Identity>) -> Option<Identity> {
    id.filter(|i| i.2)
}

/// The file of an input that holds the dump's bytes: a `-Fd` directory's
/// `toc.dat`, else the path itself.
fn input_file(input: &Path) -> std::path::PathBuf {
    match input.is_dir() {
        true => input.join("toc.dat"),
        false => input.to_path_buf(),
    }
}

/// Whether two destinations (`-` for stdout) are the same file: the same
/// inode when both exist (a hard link, `/dev/stdout`, a redirect of
/// stdout onto the other), else the same path once its folder is resolved.
pub fn same_destination(a: &Path, b: &Path) -> bool {
    let id = |p: &Path| match p.as_os_str() == "-" {
        true => identity(&std::io::stdout()),
        false => path_identity(p),
    };
    if let (Some(x), Some(y)) = (id(a), id(b)) {
        // A terminal or /dev/null takes both without harm; a file or a
        // pipe would hold the two mixed.
        let device = |p: &Path| {
            use std::os::unix::fs::FileTypeExt;
            let meta = match p.as_os_str() == "-" {
                true => None,
                false => std::fs::metadata(p).ok(),
            };
            meta.is_some_and(|m| m.file_type().is_char_device())
        };
        return x.0 == y.0 && x.1 == y.1 && !(device(a) || device(b));
    }
    let resolved = |p: &Path| {
        let dir = p.parent().filter(|d| !d.as_os_str().is_empty());
        let dir = dir.unwrap_or(Path::new(".")).canonicalize().ok()?;
        Some(dir.join(p.file_name()?))
    };
    a.as_os_str() == b.as_os_str()
        || matches!((resolved(a), resolved(b)), (Some(x), Some(y)) if x == y)
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (path_identity(a), path_identity(b)) {
        (Some(x), Some(y)) => x.0 == y.0 && x.1 == y.1,
        _ => matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y),
    }
}

/// A stream that holds back its last bytes until `finish`: a load file
/// ends with COMMIT, so a run that fails or is stopped after streaming most
/// of it to stdout, a FIFO or a device leaves psql a transaction that never
/// commits, which it rolls back.
pub struct HoldBack<W: Write> {
    inner: W,
    held: Vec<u8>,
}

/// How many last bytes `HoldBack` keeps: more than `COMMIT;\n`.
const HELD: usize = 64;

impl<W: Write> HoldBack<W> {
    pub fn new(inner: W) -> Self {
        HoldBack {
            inner,
            held: Vec::with_capacity(HELD * 2),
        }
    }

    /// Writes the held bytes and flushes: the run succeeded.
    pub fn finish(mut self) -> io::Result<()> {
        self.inner.write_all(&self.held)?;
        self.inner.flush()
    }
}

impl<W: Write> Write for HoldBack<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.write_all(buf).map(|()| buf.len())
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        let total = self.held.len() + buf.len();
        if total <= HELD {
            self.held.extend_from_slice(buf);
            return Ok(());
        }
        let out = total - HELD;
        let from_held = out.min(self.held.len());
        self.inner.write_all(&self.held[..from_held])?;
        self.held.drain(..from_held);
        let from_buf = out - from_held;
        self.inner.write_all(&buf[..from_buf])?;
        self.held.extend_from_slice(&buf[from_buf..]);
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// An output being written.
pub enum Sink {
    Stdout(HoldBack<BufWriter<io::Stdout>>),
    /// A FIFO or a device: what was written before a failure stays written,
    /// as for stdout, except the held-back end.
    Stream {
        writer: HoldBack<BufWriter<File>>,
        dest: PathBuf,
    },
    File {
        writer: BufWriter<NamedTempFile<Temp>>,
        dest: PathBuf,
        force: bool,
        /// fsync before the rename (the default, as pg_dump does).
        sync: bool,
    },
}

impl Sink {
    pub fn create(out: &Path, force: bool) -> Result<Sink, Error> {
        let (path, keep) = match classify(out, force)? {
            Dest::Stdout => {
                crate::stdio::require_stdout()?;
                let out = BufWriter::with_capacity(1 << 20, io::stdout());
                return Ok(Sink::Stdout(HoldBack::new(out)));
            }
            Dest::Stream(path) => {
                let file = open_stream(&path)?;
                return Ok(Sink::Stream {
                    writer: HoldBack::new(BufWriter::with_capacity(1 << 20, file)),
                    dest: path,
                });
            }
            Dest::File { path, keep } => (path, keep),
        };
        let dir = folder_of(&path);
        let tmp = temp::create_in(&dir).map_err(|e| Error::io(&dir, "create files in", e))?;
        if let Some(mode) = keep {
            tmp.as_file()
                .file()
                .set_permissions(Permissions::from_mode(mode))
                .map_err(|e| Error::io(tmp.path(), "set the mode of", e))?;
        }
        Ok(Sink::File {
            writer: BufWriter::with_capacity(1 << 20, tmp),
            dest: path,
            force,
            sync: true,
        })
    }

    /// Whether `commit` waits for the file to reach the disk. Skipping it
    /// (`--no-sync`) keeps the rename atomic for a failed run, but a machine
    /// crash soon after may leave an empty file at the destination.
    pub fn durable(mut self, yes: bool) -> Sink {
        if let Sink::File { sync, .. } = &mut self {
            *sync = yes;
        }
        self
    }

    pub fn writer(&mut self) -> &mut (dyn Write + Send) {
        match self {
            Sink::Stdout(w) => w,
            Sink::Stream { writer, .. } => writer,
            Sink::File { writer, .. } => writer,
        }
    }

    /// Flushes, syncs and moves the file into place.
    pub fn commit(self) -> Result<(), Error> {
        match self {
            Sink::Stdout(w) => w.finish().map_err(|e| Error::io("-", "write", e)),
            Sink::Stream { writer, dest } => {
                writer.finish().map_err(|e| Error::io(&dest, "write", e))
            }
            Sink::File {
                writer,
                dest,
                force,
                sync,
            } => {
                let tmp = writer
                    .into_inner()
                    .map_err(|e| Error::io(&dest, "write", e.into_error()))?;
                if sync {
                    tmp.as_file()
                        .file()
                        .sync_all()
                        .map_err(|e| Error::io(&dest, "sync", e))?;
                }
                place(tmp, &dest, force)?;
                if sync {
                    sync_dir(&dest);
                }
                Ok(())
            }
        }
    }
}

/// Opens a FIFO or a character device for writing, without creating or
/// truncating anything, and checks that it still is one: a regular file
/// put there since `classify` must not be overwritten in place.
pub fn open_stream(path: &Path) -> Result<File, Error> {
    let file = OpenOptions::new()
        .write(true)
        .open(path)
        .map_err(|e| Error::io(path, "open", e))?;
    let kind = file
        .metadata()
        .map_err(|e| Error::io(path, "stat", e))?
        .file_type();
    if !(kind.is_fifo() || kind.is_char_device()) {
        return Err(Error::Refused(format!(
            "{}: is no longer a FIFO or a device (replaced while dumpshift ran); nothing was written to it",
            path.display()
        )));
    }
    Ok(file)
}

/// Renames a finished temporary file to `dest`; without `force` only if
/// nothing appeared there meanwhile. A failed rename removes the file.
pub fn place(tmp: NamedTempFile<Temp>, dest: &Path, force: bool) -> Result<(), Error> {
    let placed = if force {
        tmp.persist(dest)
    } else {
        tmp.persist_noclobber(dest)
    };
    placed
        .map(drop)
        .map_err(|e| Error::io(dest, "move the finished file to", e.error))
}

/// Makes the rename durable; best effort, as some filesystems refuse it.
fn sync_dir(dest: &Path) {
    if let Ok(d) = File::open(folder_of(dest)) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_is_left_when_a_sink_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("v2_load.sql");
        let mut s = Sink::create(&out, false).unwrap();
        s.writer().write_all(b"partial").unwrap();
        drop(s);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_stream_gets_its_last_bytes_only_when_finished() {
        let text: Vec<u8> = (0..1000u32).flat_map(|i| i.to_le_bytes()).collect();
        for piece in [1, 7, 64, 65, 333, 4000] {
            let mut out = Vec::new();
            let mut w = HoldBack::new(&mut out);
            for part in text.chunks(piece) {
                w.write_all(part).unwrap();
            }
            w.flush().unwrap();
            drop(w);
            assert_eq!(out, &text[..text.len() - HELD], "pieces of {piece}");
            let mut w = HoldBack::new(&mut out);
            w.write_all(b"COMMIT;\n").unwrap();
            w.finish().unwrap();
            assert!(out.ends_with(b"COMMIT;\n"));
        }
    }

    #[test]
    fn commit_moves_the_file_into_place() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("v2_load.sql");
        let mut s = Sink::create(&out, false).unwrap();
        s.writer().write_all(b"done").unwrap();
        s.commit().unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), b"done");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn input_and_existing_outputs_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("dump.sql");
        std::fs::write(&input, "x").unwrap();
        let link = dir.path().join("link.sql");
        std::fs::hard_link(&input, &link).unwrap();
        let sym = dir.path().join("sym.sql");
        std::os::unix::fs::symlink(&input, &sym).unwrap();
        for out in [&input, &link, &sym] {
            assert!(
                check_destination(out, &input, true).is_err(),
                "{}",
                out.display()
            );
        }
        let other = dir.path().join("other.sql");
        std::fs::write(&other, "y").unwrap();
        assert!(check_destination(&other, &input, false).is_err());
        assert!(check_destination(&other, &input, true).is_ok());
        assert!(check_destination(Path::new("-"), &input, false).is_ok());
    }
}
