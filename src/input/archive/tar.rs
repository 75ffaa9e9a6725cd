//! The ustar container of a `pg_dump -Ft` archive (`pg_backup_tar.c`):
//! 512-byte headers, each followed by its member's bytes padded to 512,
//! and two zero blocks at the end. pg_dump writes `toc.dat` first, then a
//! `NNNN.dat` member per table and `restore.sql`, none compressed.
//!
//! Every header's checksum is verified and every size checked against the
//! file, so a truncated or damaged tar is refused at the byte where it
//! goes wrong; a tar without its end blocks was cut short, even when the
//! cut fell between members.

use std::collections::HashMap;

use super::read::ArchiveError;

const BLOCK: usize = 512;

/// The members of a tar archive, by name: where each one's bytes start in
/// the tar, and the bytes.
pub struct Tar<'a> {
    pub members: HashMap<&'a [u8], (usize, &'a [u8])>,
}

impl<'a> Tar<'a> {
    /// The `toc.dat` member and where it starts.
    pub fn toc(&self) -> Result<(usize, &'a [u8]), ArchiveError> {
        self.members.get(&b"toc.dat"[..]).copied().ok_or_else(|| {
            let of_dir = self.members.keys().any(|k| k.ends_with(b"/toc.dat"));
            let hint = if of_dir {
                "; it holds a toc.dat in a folder: a tar made of a pg_dump -Fd directory? Unpack it (tar -xf) and give dumpshift the directory"
            } else {
                ""
            };
            ArchiveError::new(
                0,
                format!("a tar archive without a toc.dat member: not a pg_dump -Ft archive{hint}"),
            )
        })
    }
}

/// Reads the headers of the tar `bytes`.
pub fn read(bytes: &[u8]) -> Result<Tar<'_>, ArchiveError> {
    let mut members = HashMap::new();
    let mut pos = 0;
    loop {
        let Some(header) = bytes.get(pos..pos + BLOCK) else {
            return Err(ArchiveError::new(
                pos.min(bytes.len()),
                format!(
                    "the tar archive ends without its end-of-archive blocks (it is {} bytes long): truncated",
                    bytes.len()
                ),
            ));
        };
        if header.iter().all(|&b| b == 0) {
            return Ok(Tar { members });
        }
        check_sum(header, pos)?;
        let name = name(header);
        let size = number(&header[124..136]).ok_or_else(|| {
            ArchiveError::new(
                pos + 124,
                "the size in a tar header is not a number: the tar is corrupt",
            )
        })?;
        let start = pos + BLOCK;
        let end = usize::try_from(size)
            .ok()
            .and_then(|s| start.checked_add(s))
            .filter(|&e| e <= bytes.len())
            .ok_or_else(|| {
                ArchiveError::new(
                    bytes.len(),
                    format!(
                        "the tar member {} (header at byte {pos}) holds {size} bytes, but the archive ends {} bytes after its start: truncated",
                        String::from_utf8_lossy(name),
                        bytes.len() - start.min(bytes.len())
                    ),
                )
            })?;
        // Regular files only ('0', or NUL from old tars); pg_dump writes no other.
        if matches!(header[156], b'0' | 0) {
            members.insert(name, (start, &bytes[start..end]));
        }
        pos = end.div_ceil(BLOCK) * BLOCK;
    }
}

fn name(header: &[u8]) -> &[u8] {
    let field = &header[..100];
    &field[..field.iter().position(|&b| b == 0).unwrap_or(field.len())]
}

/// The header checksum: the sum of its bytes, the checksum field counted
/// as spaces.
fn check_sum(header: &[u8], pos: usize) -> Result<(), ArchiveError> {
    let sum: u64 = header
        .iter()
        .enumerate()
        .map(|(i, &b)| {
            if (148..156).contains(&i) {
                32
            } else {
                u64::from(b)
            }
        })
        .sum();
    if number(&header[148..156]) == Some(sum) {
        Ok(())
    } else {
        Err(ArchiveError::new(
            pos,
            "a tar header whose checksum does not match: the tar is corrupt (or not a tar at this byte)",
        ))
    }
}

/// An octal number padded with spaces or NULs, or a base-256 one (the high
/// bit of the first byte set) as pg_dump writes sizes of 8 GB and more.
fn number(field: &[u8]) -> Option<u64> {
    if field.first().is_some_and(|&b| b & 0x80 != 0) {
        let mut v: u64 = u64::from(field[0] & 0x7f);
        for &b in &field[1..] {
            v = v.checked_mul(256)?.checked_add(u64::from(b))?;
        }
        return Some(v);
    }
    let digits: Vec<u8> = field
        .iter()
        .copied()
        .skip_while(|&b| b == b' ')
        .take_while(|&b| b != 0 && b != b' ')
        .collect();
    if digits.is_empty() || !digits.iter().all(|b| (b'0'..=b'7').contains(b)) {
        return None;
    }
    let mut v: u64 = 0;
    for d in digits {
        v = v.checked_mul(8)?.checked_add(u64::from(d - b'0'))?;
    }
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_read_in_octal_and_in_base_256() {
        assert_eq!(number(b"00000001750\0"), Some(1000));
        assert_eq!(number(b"     1750 \0\0"), Some(1000));
        let mut big = [0u8; 12];
        big[0] = 0x80;
        big[7] = 0x02; // 2 << 32
        assert_eq!(number(&big), Some(2 << 32));
        assert_eq!(number(b"12x4\0"), None);
        assert_eq!(number(b"\0\0\0"), None);
    }
}
