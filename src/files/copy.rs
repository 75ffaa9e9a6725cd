//! `--copy-files-to DIR`: each staged object is copied to `DIR/<key>`, the
//! storage-root layout the load's `storage_path` values point into.
//!
//! One atomic copy per object: a temporary file in the destination's
//! directory, fsynced, then renamed into place, so a destination path holds
//! either nothing or the whole object. An object already at its destination
//! with the same content (sha256) is left alone, which makes a second run
//! copy nothing. A destination holding other content is refused unless
//! `--force` allows replacing it.

use std::fs::{File, Permissions};
use std::io::{self, Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::Objects;
use crate::error::Error;
use crate::write::atomic::{self, Dest};
use crate::write::{digest, temp};

/// One object of `--copy-files-to`, as the report lists it.
#[derive(Debug, Serialize)]
pub struct CopiedObject {
    /// The `files` row's id.
    pub id: String,
    /// The object's key in the bucket.
    pub key: String,
    pub path: String,
    pub size: u64,
    /// Lower-case hex sha256 of the object's content.
    pub sha256: String,
    pub action: Action,
}

/// What this run did with an object; `copied` or `present` in the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Copied by this run.
    Copied,
    /// Already at its destination with the same content; left alone.
    Present,
}

/// Copies every object of `set` from `from` to `to`; returns one entry per
/// object, in row order, with its sha256 and whether it was copied.
pub fn copy_all(
    from: &Path,
    to: &Path,
    set: &Objects,
    force: bool,
) -> Result<Vec<CopiedObject>, Error> {
    let mut done = Vec::with_capacity(set.objects.len());
    for o in &set.objects {
        let src = from.join(&o.key);
        let dest = to.join(&o.key);
        let (size, sha, copied) = copy_one(&src, &dest, force)?;
        if let Some(want) = o.size.filter(|w| *w != size) {
            return Err(Error::Refused(format!(
                "{}: {} id {}: the row says {want} bytes but {size} were read; the staged object changed during the run",
                src.display(),
                set.table,
                o.id
            )));
        }
        done.push(CopiedObject {
            id: o.id.clone(),
            key: o.key.clone(),
            path: dest.display().to_string(),
            size,
            sha256: digest::hex(&sha),
            action: if copied {
                Action::Copied
            } else {
                Action::Present
            },
        });
    }
    Ok(done)
}

/// Copies `src` to `dest` unless `dest` already holds the same bytes.
/// Returns the size, the sha256, and whether a copy was made. `dest`
/// follows the rules of `write::atomic`: a link to a regular file is
/// followed, a FIFO or a character device is written straight into,
/// anything else that is not a regular file is refused even with `force`.
fn copy_one(src: &Path, dest: &Path, force: bool) -> Result<(u64, [u8; 32], bool), Error> {
    if let Some(meta) = std::fs::metadata(dest).ok().filter(|m| m.is_file()) {
        let (size, sha) = hash_file(src)?;
        if meta.len() == size && hash_file(dest)?.1 == sha {
            return Ok((size, sha, false));
        }
        if !force {
            return Err(Error::Refused(format!(
                "{} already exists with other content than {}; pass --force to replace it",
                dest.display(),
                src.display()
            )));
        }
    }
    let dir = atomic::folder_of(dest);
    let made = temp::create_dirs(&dir).map_err(|e| Error::io(&dir, "create the directory", e))?;
    let target = atomic::classify(dest, force)?;
    let mut input = File::open(src).map_err(|e| Error::io(src, "open", e))?;
    let mut hasher = Sha256::new();
    let size = match target {
        Dest::File { path, keep } => {
            copy_atomically(&mut input, &mut hasher, src, &path, keep, force)?
        }
        Dest::Stream(path) => {
            let mut out = atomic::open_stream(&path)?;
            stream(&mut input, &mut hasher, Some(&mut out))
                .map_err(|e| Error::io(&path, "write", e))?
        }
        Dest::Stdout => return Err(Error::Usage(format!("{}: not a file name", dest.display()))),
    };
    made.keep();
    Ok((size, hasher.finalize().into(), true))
}

/// Copies `input` into a temporary file beside `path` (with the mode
/// `keep` of the file it replaces), syncs it and renames it into place.
fn copy_atomically(
    input: &mut File,
    hasher: &mut Sha256,
    src: &Path,
    path: &Path,
    keep: Option<u32>,
    force: bool,
) -> Result<u64, Error> {
    let folder = atomic::folder_of(path);
    let tmp = temp::create_in(&folder).map_err(|e| Error::io(&folder, "create files in", e))?;
    if let Some(mode) = keep {
        let _ = tmp
            .as_file()
            .file()
            .set_permissions(Permissions::from_mode(mode));
    }
    let size = {
        let mut out = io::BufWriter::with_capacity(1 << 16, tmp.as_file().file());
        let n = stream(input, hasher, Some(&mut out)).map_err(|e| Error::io(src, "copy", e))?;
        out.flush().map_err(|e| Error::io(path, "write", e))?;
        n
    };
    tmp.as_file()
        .file()
        .sync_all()
        .map_err(|e| Error::io(path, "sync", e))?;
    atomic::place(tmp, path, force)?;
    if let Ok(d) = File::open(&folder) {
        // Makes the rename durable; some filesystems refuse to sync a directory.
        let _ = d.sync_all();
    }
    Ok(size)
}

fn hash_file(path: &Path) -> Result<(u64, [u8; 32]), Error> {
    let mut f = File::open(path).map_err(|e| Error::io(path, "open", e))?;
    let mut hasher = Sha256::new();
    let n = stream(&mut f, &mut hasher, None).map_err(|e| Error::io(path, "read", e))?;
    Ok((n, hasher.finalize().into()))
}

/// Reads `input` to its end into the hasher (and `out`); returns the bytes read.
fn stream(
    input: &mut File,
    hasher: &mut Sha256,
    mut out: Option<&mut dyn Write>,
) -> io::Result<u64> {
    let mut buf = vec![0u8; 1 << 16];
    let mut total = 0u64;
    loop {
        let n = match input.read(&mut buf) {
            Ok(0) => return Ok(total),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        hasher.update(&buf[..n]);
        if let Some(w) = out.as_mut() {
            w.write_all(&buf[..n])?;
        }
        total += n as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::files::Object;

    fn set(keys: &[(&str, Option<u64>)]) -> Objects {
        Objects {
            table: "public.files".into(),
            path_column: "storage_path".into(),
            objects: keys
                .iter()
                .enumerate()
                .map(|(i, (k, s))| Object {
                    id: i.to_string(),
                    at: 0,
                    key: k.to_string(),
                    size: *s,
                })
                .collect(),
        }
    }

    #[test]
    fn copies_once_then_finds_them_present() {
        let from = tempfile::tempdir().unwrap();
        let to = tempfile::tempdir().unwrap();
        std::fs::create_dir(from.path().join("d")).unwrap();
        std::fs::write(from.path().join("d/a.txt"), "abc").unwrap();
        let objects = set(&[("d/a.txt", Some(3))]);
        let first = copy_all(from.path(), to.path(), &objects, false).unwrap();
        assert_eq!(first[0].action, Action::Copied);
        assert_eq!(
            first[0].sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(std::fs::read(to.path().join("d/a.txt")).unwrap(), b"abc");
        let second = copy_all(from.path(), to.path(), &objects, false).unwrap();
        assert_eq!(second[0].action, Action::Present);
        assert_eq!(second[0].sha256, first[0].sha256);
        let left: Vec<_> = std::fs::read_dir(to.path().join("d")).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary file remains");
    }

    #[test]
    fn other_content_at_the_destination_needs_force() {
        let from = tempfile::tempdir().unwrap();
        let to = tempfile::tempdir().unwrap();
        std::fs::write(from.path().join("a"), "new").unwrap();
        std::fs::write(to.path().join("a"), "old").unwrap();
        let objects = set(&[("a", None)]);
        let e = copy_all(from.path(), to.path(), &objects, false).unwrap_err();
        assert!(e.to_string().contains("pass --force"), "{e}");
        assert_eq!(std::fs::read(to.path().join("a")).unwrap(), b"old");
        let done = copy_all(from.path(), to.path(), &objects, true).unwrap();
        assert_eq!(done[0].action, Action::Copied);
        assert_eq!(std::fs::read(to.path().join("a")).unwrap(), b"new");
    }
}
