//! Writing a set of files into a folder, for `migrations write` and
//! `baseline`: every file is written and synced under a temporary name
//! first and only then renamed into place, so a failure while writing
//! leaves none of them behind. Existing files are refused unless `force`.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::Error;

/// Writes `files` (name, contents) into `dir`, creating `dir` if needed.
/// Returns the paths written, in order.
pub fn write_all(
    dir: &Path,
    files: &[(String, String)],
    force: bool,
) -> Result<Vec<PathBuf>, Error> {
    if dir.as_os_str() == "-" {
        return Err(Error::Usage(
            "these files go into a folder; `-` (stdout) cannot hold them".into(),
        ));
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, "create the folder", e))?;
    if !force {
        if let Some((name, _)) = files
            .iter()
            .find(|(n, _)| dir.join(n).symlink_metadata().is_ok())
        {
            return Err(Error::Refused(format!(
                "{} already exists; pass --force to replace it",
                dir.join(name).display()
            )));
        }
    }
    let mut staged = Vec::with_capacity(files.len());
    for (name, text) in files {
        let dest = dir.join(name);
        let mut tmp = tempfile::Builder::new()
            .prefix(".dumpshift-")
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(|e| Error::io(dir, "create a temporary file in", e))?;
        tmp.write_all(text.as_bytes())
            .and_then(|()| tmp.as_file().sync_all())
            .map_err(|e| Error::io(&dest, "write", e))?;
        staged.push((tmp, dest));
    }
    let mut written = Vec::with_capacity(staged.len());
    for (tmp, dest) in staged {
        let moved = if force {
            tmp.persist(&dest)
        } else {
            tmp.persist_noclobber(&dest)
        };
        if let Err(e) = moved {
            // Without --force nothing was replaced, so what this run put in
            // place can go again and the folder is as it was.
            if !force {
                for path in &written {
                    let _ = std::fs::remove_file(path);
                }
            }
            return Err(Error::io(&dest, "move the finished file to", e.error));
        }
        written.push(dest);
    }
    if let Ok(d) = std::fs::File::open(dir) {
        // Makes the renames durable; best effort, as some filesystems refuse it.
        let _ = d.sync_all();
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Vec<(String, String)> {
        vec![("a.sql".into(), "A".into()), ("b.sql".into(), "B".into())]
    }

    #[test]
    fn writes_every_file_and_creates_the_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("new/migrations");
        let written = write_all(&dir, &files(), false).unwrap();
        assert_eq!(written, vec![dir.join("a.sql"), dir.join("b.sql")]);
        assert_eq!(std::fs::read_to_string(dir.join("b.sql")).unwrap(), "B");
        assert_eq!(
            std::fs::read_dir(&dir).unwrap().count(),
            2,
            "no temporary file is left"
        );
    }

    #[test]
    fn existing_files_are_refused_without_force_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("b.sql"), "mine").unwrap();
        let err = write_all(dir.path(), &files(), false).unwrap_err();
        assert!(err.to_string().contains("b.sql already exists"), "{err}");
        assert!(!dir.path().join("a.sql").exists());
        assert_eq!(
            std::fs::read_to_string(dir.path().join("b.sql")).unwrap(),
            "mine"
        );
        write_all(dir.path(), &files(), true).unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.path().join("b.sql")).unwrap(),
            "B"
        );
    }
}
