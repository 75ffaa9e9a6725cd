//! The archive's primitive encodings, as `pg_backup_archiver.c` writes them:
//! integers as a sign byte and `int_size` little-endian magnitude bytes,
//! strings as a length integer (-1 for NULL) and the bytes, data offsets as a
//! state byte and `off_size` little-endian bytes.
//!
//! Every read is bounds-checked against the archive and fails with the byte
//! offset it was attempted at, so a truncated or corrupt archive is refused
//! with a place rather than a panic.

use std::fmt;

/// A problem in the archive, at a byte offset of the archive file or, for
/// a `pg_dump -Fd` data file, of that file (`file`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArchiveError {
    pub byte: u64,
    pub message: String,
    pub file: Option<DataFile>,
}

/// The data file of a directory archive that `ArchiveError::byte` counts in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataFile {
    pub path: String,
    /// What the byte counts: "byte", "compressed byte" or "decompressed byte".
    pub unit: &'static str,
}

impl ArchiveError {
    pub fn new(byte: usize, message: impl Into<String>) -> Self {
        ArchiveError {
            byte: byte as u64,
            message: message.into(),
            file: None,
        }
    }
}

impl fmt::Display for ArchiveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.file {
            None => write!(f, "byte {}: {}", self.byte, self.message),
            Some(d) => write!(f, "{} ({} {}): {}", d.path, d.unit, self.byte, self.message),
        }
    }
}

impl std::error::Error for ArchiveError {}

/// Where a TOC entry's data block is, as the archive records it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DataPos {
    /// pg_dump wrote to a file it could seek in: the block starts here.
    At(u64),
    /// pg_dump wrote to a pipe: the block exists, its place is unknown.
    NotSet,
    /// The entry has no data block.
    NoData,
    /// The data is in a file of its own (`pg_dump -Fd`, `-Ft`), by name.
    File,
}

/// A reading position in the archive bytes.
#[derive(Clone)]
pub struct Cursor<'a> {
    data: &'a [u8],
    pub pos: usize,
    pub int_size: usize,
    pub off_size: usize,
}

impl<'a> Cursor<'a> {
    pub fn new(data: &'a [u8], pos: usize) -> Self {
        Cursor {
            data,
            pos,
            int_size: 4,
            off_size: 8,
        }
    }

    /// Whether reading has reached the end of the archive.
    pub fn at_end(&self) -> bool {
        self.pos >= self.data.len()
    }

    fn truncated(&self, what: &str) -> ArchiveError {
        ArchiveError::new(
            self.pos,
            format!(
                "the archive ends inside {what} (it is {} bytes long): truncated",
                self.data.len()
            ),
        )
    }

    pub fn bytes(&mut self, n: usize, what: &str) -> Result<&'a [u8], ArchiveError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.data.len())
            .ok_or_else(|| self.truncated(what))?;
        let s = &self.data[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    pub fn byte(&mut self, what: &str) -> Result<u8, ArchiveError> {
        Ok(self.bytes(1, what)?[0])
    }

    /// `ReadInt`: a sign byte, then `int_size` bytes, least significant first.
    pub fn int(&mut self, what: &str) -> Result<i64, ArchiveError> {
        let at = self.pos;
        let sign = self.byte(what)?;
        let raw = self.bytes(self.int_size, what)?;
        let mut v: u64 = 0;
        for (i, &b) in raw.iter().enumerate() {
            if i >= 8 {
                if b != 0 {
                    return Err(ArchiveError::new(at, format!("{what}: integer too large")));
                }
                continue;
            }
            v |= u64::from(b) << (8 * i);
        }
        let v = i64::try_from(v)
            .map_err(|_| ArchiveError::new(at, format!("{what}: integer too large")))?;
        Ok(if sign != 0 { -v } else { v })
    }

    /// `ReadStr`: a length (-1 for NULL) and that many bytes.
    pub fn str(&mut self, what: &str) -> Result<Option<&'a [u8]>, ArchiveError> {
        let at = self.pos;
        let len = self.int(what)?;
        match len {
            -1 => Ok(None),
            n if n < 0 => Err(ArchiveError::new(
                at,
                format!("{what}: invalid string length {n}"),
            )),
            n => {
                let n = usize::try_from(n).map_err(|_| self.truncated(what))?;
                self.bytes(n, what).map(Some)
            }
        }
    }

    /// `ReadOffset`: a state byte, then `off_size` bytes.
    pub fn offset(&mut self, what: &str) -> Result<DataPos, ArchiveError> {
        let at = self.pos;
        let flag = self.byte(what)?;
        let raw = self.bytes(self.off_size, what)?;
        let mut v: u64 = 0;
        for (i, &b) in raw.iter().enumerate() {
            if i >= 8 {
                if b != 0 {
                    return Err(ArchiveError::new(at, format!("{what}: offset too large")));
                }
                continue;
            }
            v |= u64::from(b) << (8 * i);
        }
        match flag {
            1 => Ok(DataPos::NotSet),
            2 => Ok(DataPos::At(v)),
            3 => Ok(DataPos::NoData),
            f => Err(ArchiveError::new(
                at,
                format!("{what}: unknown data offset flag {f}"),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ints_strings_and_offsets_decode_as_pg_dump_writes_them() {
        let data = [
            0, 42, 0, 0, 0, // 42
            1, 1, 0, 0, 0, // -1
            0, 2, 0, 0, 0, b'h', b'i', // "hi"
            1, 1, 0, 0, 0, // NULL
            2, 0x10, 0x27, 0, 0, 0, 0, 0, 0, // offset 10000, set
        ];
        let mut c = Cursor::new(&data, 0);
        assert_eq!(c.int("x").unwrap(), 42);
        assert_eq!(c.int("x").unwrap(), -1);
        assert_eq!(c.str("x").unwrap(), Some(&b"hi"[..]));
        assert_eq!(c.str("x").unwrap(), None);
        assert_eq!(c.offset("x").unwrap(), DataPos::At(10000));
        assert_eq!(c.pos, data.len());
    }

    #[test]
    fn a_string_longer_than_the_archive_is_truncation_at_its_offset() {
        let data = [0, 0, 0, 0, 0, 0, 200, 0, 0, 0, b'a'];
        let mut c = Cursor::new(&data, 0);
        c.int("x").unwrap();
        let e = c.str("the tag").unwrap_err();
        assert_eq!(e.byte, 10);
        assert!(
            e.message.contains("the tag") && e.message.contains("truncated"),
            "{e}"
        );
    }

    #[test]
    fn an_unknown_offset_flag_is_refused() {
        let data = [9, 0, 0, 0, 0, 0, 0, 0, 0];
        let e = Cursor::new(&data, 0).offset("data offset").unwrap_err();
        assert_eq!(e.byte, 0);
        assert!(e.message.contains("flag 9"), "{e}");
    }
}
