//! Each form that is not plain SQL, turned into the plain SQL it stands
//! for in a temporary file: a script compressed whole, the three `pg_dump`
//! archive formats, and an archive compressed whole (`pg_dump -Fc | gzip`),
//! which is decompressed first and then read as the archive it holds.
//!
//! Errors name the place where the bytes are wrong: the file and its
//! compressed byte, the archive byte, or the data file of a directory
//! archive and its byte.

use std::io::Read;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use super::archive::{self, read::ArchiveError, tar, RestoreError, Source};
use super::compressed::{self, Codec, InflateError};
use super::{map_file, sniff, temp_output, write_error, ArchiveKind, Form, Input, Magic, Origin};
use crate::error::Error;

/// Decompresses a script or an archive compressed whole.
pub fn inflate(codec: Codec, input: &mut dyn Read, path: &Path) -> Result<Input, Error> {
    let name = path.display();
    let mut input = temp_output(|out| {
        compressed::inflate(codec, input, out)
            .map(|_| ())
            .map_err(|e| match e {
                InflateError::Corrupt { byte, message } => {
                    Error::Refused(format!("{name} (compressed byte {byte}): {message}"))
                }
                InflateError::Read(e) => Error::io(path, "read", e),
                InflateError::Write(e) => write_error(e),
            })
    })?;
    let inner = input.bytes();
    match sniff(&inner[..inner.len().min(super::HEAD)]) {
        Magic::Custom => custom(inner, path, Some(codec)),
        Magic::Tar => tar(inner, path, Some(codec)),
        Magic::Toc => Err(toc_alone(path)),
        Magic::Plain | Magic::Compressed(_) => {
            input.form = Form::Compressed(codec);
            Ok(input)
        }
    }
}

/// Where an archive's byte offsets count: in the file itself, or in the
/// archive decompressed from it.
fn unit(outer: Option<Codec>) -> &'static str {
    match outer {
        None => "archive byte",
        Some(_) => "decompressed archive byte",
    }
}

/// The refusal for an archive problem: at its data file when it has one,
/// else at `name`'s byte.
fn refused(e: RestoreError, name: &str, unit: &str) -> Error {
    match e {
        RestoreError::Archive(a) => archive_refused(a, name, unit),
        RestoreError::Write(e) => write_error(e),
    }
}

fn archive_refused(a: ArchiveError, name: &str, unit: &str) -> Error {
    match a.file {
        Some(f) => Error::Refused(format!("{} ({} {}): {}", f.path, f.unit, a.byte, a.message)),
        None => Error::Refused(format!("{name} ({unit} {}): {}", a.byte, a.message)),
    }
}

/// A `pg_dump -Fc` archive.
pub fn custom(bytes: &[u8], path: &Path, outer: Option<Codec>) -> Result<Input, Error> {
    let name = path.display().to_string();
    let mut info = None;
    let mut input = temp_output(|out| {
        info = Some(archive::restore(bytes, out).map_err(|e| refused(e, &name, unit(outer)))?);
        Ok(())
    })?;
    let info = info.expect("set when restore succeeded");
    input.form = archive_form(ArchiveKind::Custom, &info, outer);
    Ok(input)
}

/// A `pg_dump -Ft` archive.
pub fn tar(bytes: &[u8], path: &Path, outer: Option<Codec>) -> Result<Input, Error> {
    let name = path.display().to_string();
    let unit = unit(outer);
    let members = tar::read(bytes).map_err(|a| archive_refused(a, &name, unit))?;
    let (at, toc) = members.toc().map_err(|a| archive_refused(a, &name, unit))?;
    let mut info = None;
    let mut input = temp_output(|out| {
        let source = Source::Tar(&members.members);
        let i =
            archive::restore_files(toc, at, &source, out).map_err(|e| refused(e, &name, unit))?;
        info = Some(i);
        Ok(())
    })?;
    let info = info.expect("set when restore succeeded");
    input.form = archive_form(ArchiveKind::Tar, &info, outer);
    Ok(input)
}

/// A directory given as the dump: a `pg_dump -Fd` archive, or a mistake.
pub fn directory(dir: &Path) -> Result<Input, Error> {
    let toc_path = dir.join("toc.dat");
    let not_archive = |why: &str| {
        Error::Refused(format!(
            "{} is a directory, not a dump file, and not a pg_dump -Fd archive: {why}",
            dir.display()
        ))
    };
    // Non-blocking: a FIFO put there as toc.dat would block the open until
    // a writer came; it is refused below as no regular file instead.
    let opened = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(&toc_path);
    let file = match opened {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let empty = std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_none());
            let why = if empty {
                "it is empty"
            } else {
                "it holds no toc.dat"
            };
            return Err(not_archive(why));
        }
        Err(e) => return Err(Error::io(&toc_path, "open", e)),
    };
    let meta = file
        .metadata()
        .map_err(|e| Error::io(&toc_path, "stat", e))?;
    if !meta.is_file() {
        return Err(not_archive("its toc.dat is not a regular file"));
    }
    if meta.len() == 0 {
        return Err(Error::Refused(format!(
            "{} (byte 0): the table of contents is empty: truncated",
            toc_path.display()
        )));
    }
    let origin = Origin::new(&file, &toc_path)?;
    let map = map_file(&file).map_err(|e| Error::io(&toc_path, "memory-map", e))?;
    let _watch = crate::cleanup::watch_map(map.as_ptr() as usize, map.len(), &toc_path);
    let name = toc_path.display().to_string();
    let mut info = None;
    let mut input = temp_output(|out| {
        let source = Source::Directory(dir);
        let i =
            archive::restore_files(&map, 0, &source, out).map_err(|e| refused(e, &name, "byte"))?;
        info = Some(i);
        Ok(())
    })?;
    origin.unchanged()?;
    let info = info.expect("set when restore succeeded");
    input.form = archive_form(ArchiveKind::Directory, &info, None);
    Ok(input)
}

/// A `toc.dat` read from a stream: its data files are out of reach.
pub fn toc_alone(path: &Path) -> Error {
    Error::Refused(format!(
        "{} is the toc.dat of a pg_dump -Fd (directory) archive, without the data files that lie beside it: give dumpshift the directory",
        path.display()
    ))
}

fn archive_form(kind: ArchiveKind, info: &archive::Info, outer: Option<Codec>) -> Form {
    Form::Archive {
        kind,
        version: info.version.clone(),
        compression: info.compression.name().to_string(),
        outer,
    }
}
