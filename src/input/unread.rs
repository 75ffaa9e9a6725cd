//! Forms of dump dumpshift does not read (yet), told by their bytes: a
//! `pg_dump -Ft` tar archive, a `pg_dump -Fd` directory (or its toc.dat),
//! a `pg_dump -Fc` archive or a tar archive compressed whole with gzip or
//! zstd, and xz, bzip2 or lz4 compression. Each is refused with its name
//! and the exact command that turns it into a form dumpshift reads.

use std::io::{self, Write};
use std::path::Path;

use super::compressed::Codec;
use crate::error::Error;

/// A form dumpshift names but does not read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unread {
    /// `pg_dump -Ft`: "ustar" at byte 257.
    Tar,
    /// The toc.dat of a `pg_dump -Fd` directory: a PGDMP header whose
    /// format byte says directory.
    DirectoryToc,
    /// A `pg_dump -Fd` directory given as the directory.
    Directory,
    Xz,
    Bzip2,
    Lz4,
    /// `pg_dump -Fc | gzip` (or zstd): the decompressed start is PGDMP.
    CompressedArchive(Codec),
    /// `pg_dump -Ft | gzip` (or zstd).
    CompressedTar(Codec),
}

/// How many first bytes `sniff` wants (the tar magic ends at byte 262).
pub const HEAD: usize = 512;

/// Tells an unread form from the first bytes, for forms that carry no
/// magic dumpshift reads.
pub fn sniff(head: &[u8]) -> Option<Unread> {
    if head.len() >= 262 && &head[257..262] == b"ustar" {
        Some(Unread::Tar)
    } else if head.starts_with(b"PGDMP") && matches!(head.get(10), Some(3 | 5)) {
        // pg_dump 15 writes 3 (the tar layout's) into a directory's toc.dat.
        Some(Unread::DirectoryToc)
    } else if head.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0x00]) {
        Some(Unread::Xz)
    } else if head.len() >= 10
        && head.starts_with(b"BZh")
        && (b'1'..=b'9').contains(&head[3])
        && (head[4..10] == [0x31, 0x41, 0x59, 0x26, 0x53, 0x59]
            || head[4..10] == [0x17, 0x72, 0x45, 0x38, 0x50, 0x90])
    {
        Some(Unread::Bzip2)
    } else if head.starts_with(&[0x04, 0x22, 0x4d, 0x18]) {
        Some(Unread::Lz4)
    } else {
        None
    }
}

/// Quotes `s` for a POSIX shell when it needs it.
fn sh(s: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "._/-+=:,@%".contains(c);
    if !s.is_empty() && s.chars().all(plain) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// `name` without `suffix`, or `name` + `ext` when it does not end so.
fn renamed(name: &str, suffixes: &[&str], ext: &str) -> String {
    for s in suffixes {
        if let Some(stem) = name
            .strip_suffix(s)
            .filter(|t| !t.is_empty() && !t.ends_with('/'))
        {
            return stem.to_string();
        }
    }
    format!("{name}{ext}")
}

fn decompressor(codec: &str) -> (&'static str, &'static [&'static str]) {
    match codec {
        "gzip" => ("gzip -dc", &[".gz", ".tgz"]),
        "zstd" => ("zstd -dc", &[".zst", ".zstd"]),
        "xz" => ("xz -dc", &[".xz", ".txz"]),
        "bzip2" => ("bzip2 -dc", &[".bz2", ".tbz2"]),
        _ => ("lz4 -dc", &[".lz4"]),
    }
}

/// What dumpshift reads, said after the form it does not.
const READS: &str =
    "; dumpshift reads plain SQL dumps (gzip or zstd compressed too) and pg_dump -Fc archives";

/// The refusal for `form`, naming the input `path` (`-` for stdin).
pub fn refusal(form: Unread, path: &Path) -> Error {
    let name = path.display().to_string();
    Error::Refused(match form {
        Unread::Tar => tar(&name),
        Unread::Directory | Unread::DirectoryToc => directory(form, path),
        Unread::Xz => compressed(&name, "xz"),
        Unread::Bzip2 => compressed(&name, "bzip2"),
        Unread::Lz4 => compressed(&name, "lz4"),
        Unread::CompressedArchive(codec) => compressed_archive(&name, codec),
        Unread::CompressedTar(codec) => compressed_tar(&name, codec),
    })
}

/// `pg_restore -f OUT.sql INPUT, then dumpshift OUT.sql`.
fn restore_then(out: &str, input: &str) -> String {
    format!(
        "pg_restore -f {} {input}, then dumpshift {}",
        sh(out),
        sh(out)
    )
}

fn tar(name: &str) -> String {
    let cmd = if name == "-" {
        "pg_restore -f v1_plain.sql (it reads stdin), then dumpshift v1_plain.sql".into()
    } else {
        restore_then(&format!("{}.sql", renamed(name, &[".tar"], "")), &sh(name))
    };
    format!("{name} is a tar archive, as pg_dump -Ft writes{READS}; turn it into a plain dump with: {cmd}")
}

fn directory(form: Unread, path: &Path) -> String {
    let name = path.display().to_string();
    let (dir, what) = if form == Unread::DirectoryToc {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or(".".to_string(), |p| p.display().to_string());
        (dir, "the toc.dat of a pg_dump -Fd (directory) archive")
    } else {
        let dir = name.trim_end_matches('/').to_string();
        (dir, "a pg_dump -Fd (directory) archive")
    };
    let cmd = restore_then(&format!("{dir}.sql"), &sh(&dir));
    format!("{name} is {what}{READS}; turn it into a plain dump with: {cmd}")
}

fn compressed(name: &str, codec: &str) -> String {
    let (cmd, suffixes) = decompressor(codec);
    let how = if name == "-" {
        format!("pipe it through `{cmd}` into dumpshift - instead")
    } else {
        let out = sh(&renamed(name, suffixes, ".sql"));
        format!("{cmd} {} > {out}, then dumpshift {out}", sh(name))
    };
    format!("{name} is {codec}-compressed{READS}; decompress it first: {how}")
}

fn compressed_archive(name: &str, codec: Codec) -> String {
    let (cmd, suffixes) = decompressor(codec.name());
    let how = if name == "-" {
        format!("pipe it through `{cmd}` into a file, then run dumpshift on that file")
    } else {
        let out = sh(&renamed(name, suffixes, ".dump"));
        format!("{cmd} {} > {out}, then dumpshift {out}", sh(name))
    };
    format!(
        "{name} is a pg_dump -Fc archive compressed whole with {}; dumpshift reads -Fc archives only uncompressed (their own compression is fine), as pg_restore does; decompress it first: {how}",
        codec.name()
    )
}

fn compressed_tar(name: &str, codec: Codec) -> String {
    let (cmd, suffixes) = decompressor(codec.name());
    let how = if name == "-" {
        format!("... | {cmd} | pg_restore -f v1_plain.sql, then dumpshift v1_plain.sql")
    } else {
        let out = format!(
            "{}.sql",
            renamed(&renamed(name, suffixes, ""), &[".tar"], "")
        );
        let out = sh(&out);
        format!(
            "{cmd} {} | pg_restore -f {out}, then dumpshift {out}",
            sh(name)
        )
    };
    format!(
        "{name} is a pg_dump -Ft (tar) archive compressed with {}{READS}; turn it into a plain dump with: {how}",
        codec.name()
    )
}

/// Why a decompression stopped early: the decompressed start is a form
/// dumpshift does not read.
#[derive(Debug)]
struct Found(Unread);

impl std::fmt::Display for Found {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.0)
    }
}

impl std::error::Error for Found {}

/// Passes decompressed bytes through while looking at the first ones: a
/// custom-format archive or a tar archive inside gzip or zstd stops the
/// decompression at once (with an error `found_in` recognises).
pub struct HeadCheck<'a> {
    inner: &'a mut dyn Write,
    codec: Codec,
    head: Vec<u8>,
}

impl<'a> HeadCheck<'a> {
    pub fn new(inner: &'a mut dyn Write, codec: Codec) -> Self {
        HeadCheck {
            inner,
            codec,
            head: Vec::new(),
        }
    }
}

impl Write for HeadCheck<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        if self.head.len() < 262 {
            let take = n.min(262 - self.head.len());
            self.head.extend_from_slice(&buf[..take]);
            let found = if self.head.starts_with(b"PGDMP") {
                Some(Unread::CompressedArchive(self.codec))
            } else if self.head.len() >= 262 && &self.head[257..262] == b"ustar" {
                Some(Unread::CompressedTar(self.codec))
            } else {
                None
            };
            if let Some(f) = found {
                return Err(io::Error::other(Found(f)));
            }
        }
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// The unread form a write error from `HeadCheck` names, if it is one.
pub fn found_in(e: &io::Error) -> Option<Unread> {
    e.get_ref()
        .and_then(|x| x.downcast_ref::<Found>())
        .map(|f| f.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_quoted_for_the_shell_only_when_needed() {
        assert_eq!(sh("dumps/v1.tar"), "dumps/v1.tar");
        assert_eq!(sh("Bob's dump.tar"), "'Bob'\\''s dump.tar'");
        assert_eq!(renamed("v1.sql.xz", &[".xz"], ".sql"), "v1.sql");
        assert_eq!(renamed("v1", &[".xz"], ".sql"), "v1.sql");
        let tar = refusal(Unread::CompressedTar(Codec::Gzip), Path::new("d/v1.tar.gz"));
        assert!(
            tar.to_string()
                .contains("gzip -dc d/v1.tar.gz | pg_restore -f d/v1.sql, then dumpshift d/v1.sql"),
            "{tar}"
        );
    }

    #[test]
    fn plain_sql_is_no_unread_form() {
        assert_eq!(sniff(b"--\n-- PostgreSQL database dump\n"), None);
        assert_eq!(sniff(b"BZh9 is not bzip2 without its block magic"), None);
    }
}
