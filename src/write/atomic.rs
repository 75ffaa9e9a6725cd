//! Where the load file goes: stdout for `-`, otherwise a temp file beside the
//! destination that is fsynced and renamed into place only when everything
//! succeeded. After any failure nothing is left at the destination.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::Error;

/// Refuses destinations that would lose data, before any work is done:
/// the input itself (same path, symlink or hard link) and, without `force`,
/// an existing file.
pub fn check_destination(out: &Path, input: &Path, force: bool) -> Result<(), Error> {
    if out.as_os_str() == "-" {
        return Ok(());
    }
    if input.as_os_str() != "-" && same_file(out, input) {
        return Err(Error::Refused(format!(
            "refusing to write the output over the input dump {}",
            input.display()
        )));
    }
    if out.symlink_metadata().is_ok() && !force {
        return Err(Error::Refused(format!(
            "{} already exists; pass --force to replace it",
            out.display()
        )));
    }
    Ok(())
}

fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
        _ => matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y),
    }
}

/// An output being written.
pub enum Sink {
    Stdout(BufWriter<io::Stdout>),
    File {
        writer: BufWriter<tempfile::NamedTempFile>,
        dest: PathBuf,
        force: bool,
        /// fsync before the rename (the default, as pg_dump does).
        sync: bool,
    },
}

impl Sink {
    pub fn create(out: &Path, force: bool) -> Result<Sink, Error> {
        if out.as_os_str() == "-" {
            return Ok(Sink::Stdout(BufWriter::with_capacity(
                1 << 20,
                io::stdout(),
            )));
        }
        let dir = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let tmp = tempfile::Builder::new()
            .prefix(".dumpshift-")
            .suffix(".tmp")
            .tempfile_in(&dir)
            .map_err(|e| Error::io(&dir, "create a temporary file in", e))?;
        Ok(Sink::File {
            writer: BufWriter::with_capacity(1 << 20, tmp),
            dest: out.to_path_buf(),
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
            Sink::File { writer, .. } => writer,
        }
    }

    /// Flushes, syncs and moves the file into place.
    pub fn commit(self) -> Result<(), Error> {
        match self {
            Sink::Stdout(mut w) => w.flush().map_err(|e| Error::io("-", "write", e)),
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
                        .sync_all()
                        .map_err(|e| Error::io(&dest, "sync", e))?;
                }
                let persisted = if force {
                    tmp.persist(&dest)
                } else {
                    tmp.persist_noclobber(&dest)
                };
                persisted.map_err(|e| Error::io(&dest, "move the finished file to", e.error))?;
                if sync {
                    sync_dir(&dest);
                }
                Ok(())
            }
        }
    }
}

/// Makes the rename durable; best effort, as some filesystems refuse it.
fn sync_dir(dest: &Path) {
    if let Some(dir) = dest.parent().filter(|p| !p.as_os_str().is_empty()) {
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
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
