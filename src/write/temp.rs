//! Temporary files beside a destination, for every file dumpshift writes
//! (the load file, the report, migration files, copied objects): created
//! with mode 0666 & ~umask like a shell redirection or pg_dump (not 0600),
//! entered in the cleanup table before they exist so a signal removes them,
//! and removed again when dropped unpersisted.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::cleanup;

/// An open temporary file and its cleanup entry.
#[derive(Debug)]
pub struct Temp {
    file: File,
    _entry: cleanup::Entry,
}

impl Temp {
    pub fn file(&self) -> &File {
        &self.file
    }
}

impl Write for Temp {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file.write(buf)
    }
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.file.write_all(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

/// Creates `.dumpshift-XXXXXX.tmp` in `dir`.
pub fn create_in(dir: &Path) -> io::Result<NamedTempFile<Temp>> {
    tempfile::Builder::new()
        .prefix(".dumpshift-")
        .suffix(".tmp")
        .make_in(dir, |path| {
            if path.symlink_metadata().is_ok() {
                // Never enter a path that is someone else's file.
                return Err(io::ErrorKind::AlreadyExists.into());
            }
            let entry = cleanup::file(path);
            let file = OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o666)
                .open(path)?;
            Ok(Temp {
                file,
                _entry: entry,
            })
        })
}

/// The folders a step created, removed again (while empty) when dropped
/// unless kept: a failed or interrupted run leaves no empty folder behind.
#[derive(Debug, Default)]
pub struct NewDirs(Vec<(PathBuf, cleanup::Entry)>);

impl NewDirs {
    /// The step succeeded: the folders stay.
    pub fn keep(mut self) {
        self.0.clear();
    }
}

impl Drop for NewDirs {
    fn drop(&mut self) {
        for (dir, _) in self.0.iter().rev() {
            let _ = std::fs::remove_dir(dir);
        }
    }
}

/// Creates `dir` and its missing parents (mode 0777 & ~umask), each entered
/// in the cleanup table before it exists.
pub fn create_dirs(dir: &Path) -> io::Result<NewDirs> {
    let mut missing = Vec::new();
    let mut d = dir;
    loop {
        match d.symlink_metadata() {
            Ok(_) => break,
            Err(e) if e.kind() == io::ErrorKind::NotFound => missing.push(d),
            Err(e) => return Err(e),
        }
        match d.parent() {
            Some(p) if !p.as_os_str().is_empty() => d = p,
            _ => break,
        }
    }
    let mut made = NewDirs::default();
    for d in missing.into_iter().rev() {
        let entry = cleanup::dir(d);
        match std::fs::create_dir(d) {
            Ok(()) => made.0.push((d.to_path_buf(), entry)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && d.is_dir() => {}
            Err(e) => return Err(e),
        }
    }
    Ok(made)
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    #[test]
    fn a_temp_file_gets_the_umask_mode_and_goes_when_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let t = create_in(dir.path()).unwrap();
        let mode = t.as_file().file().metadata().unwrap().permissions().mode() & 0o777;
        let status = std::fs::read_to_string("/proc/self/status").unwrap();
        let umask = status
            .lines()
            .find_map(|l| l.strip_prefix("Umask:"))
            .map(|v| u32::from_str_radix(v.trim(), 8).unwrap())
            .unwrap();
        assert_eq!(mode, 0o666 & !umask, "mode {mode:o}, umask {umask:o}");
        drop(t);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn new_folders_go_unless_kept_and_old_ones_stay() {
        let dir = tempfile::tempdir().unwrap();
        let deep = dir.path().join("a/b/c");
        drop(create_dirs(&deep).unwrap());
        assert!(!dir.path().join("a").exists());
        create_dirs(&deep).unwrap().keep();
        assert!(deep.is_dir());
        drop(create_dirs(&deep.join("d")).unwrap());
        assert!(deep.is_dir() && !deep.join("d").exists());
    }
}
