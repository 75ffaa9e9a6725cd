//! Writing a set of files into a folder (`migrations write`, `baseline`):
//! every file is written and synced under a temporary name first and only
//! then renamed into place, so a failure while writing leaves none of them
//! behind (nor the folder, when this run created it).
//! Each name follows the rules of `write::atomic`: an existing regular file
//! needs `force`, a link to one is followed, a FIFO or a character device
//! is written straight into, anything else is refused.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::write::atomic::{self, Dest};
use crate::write::temp;

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
    if let Ok(m) = std::fs::metadata(dir) {
        if !m.is_dir() {
            return Err(Error::Refused(format!(
                "{}: not a directory; name the folder the files go into",
                dir.display()
            )));
        }
    }
    let made = temp::create_dirs(dir).map_err(|e| Error::io(dir, "create the folder", e))?;
    let dests = files
        .iter()
        .map(|(name, _)| atomic::classify(&dir.join(name), force))
        .collect::<Result<Vec<_>, _>>()?;
    let mut staged = Vec::with_capacity(files.len());
    for ((name, text), dest) in files.iter().zip(dests) {
        let (path, keep) = match dest {
            Dest::File { path, keep } => (path, keep),
            Dest::Stream(path) => {
                staged.push((None, path, text));
                continue;
            }
            Dest::Stdout => {
                return Err(Error::Usage(format!("{name}: not a file name")));
            }
        };
        let folder = atomic::folder_of(&path);
        let mut tmp =
            temp::create_in(&folder).map_err(|e| Error::io(&folder, "create files in", e))?;
        if let Some(mode) = keep {
            use std::os::unix::fs::PermissionsExt;
            let _ = tmp
                .as_file()
                .file()
                .set_permissions(std::fs::Permissions::from_mode(mode));
        }
        tmp.write_all(text.as_bytes())
            .and_then(|()| tmp.as_file().file().sync_all())
            .map_err(|e| Error::io(dir.join(name), "write", e))?;
        staged.push((Some(tmp), path, text));
    }
    let mut written = Vec::with_capacity(staged.len());
    for (tmp, path, text) in staged {
        let placed = match tmp {
            Some(tmp) => atomic::place(tmp, &path, force).map(|()| path),
            None => atomic::open_stream(&path).and_then(|mut f| {
                f.write_all(text.as_bytes())
                    .map(|()| path.clone())
                    .map_err(|e| Error::io(&path, "write", e))
            }),
        };
        match placed {
            Ok(path) => written.push(path),
            Err(e) => {
                // Without --force nothing was replaced, so what this run put in
                // place can go again and the folder is as it was.
                if !force {
                    for path in &written {
                        if std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file()) {
                            let _ = std::fs::remove_file(path);
                        }
                    }
                }
                return Err(e);
            }
        }
    }
    made.keep();
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
