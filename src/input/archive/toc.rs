//! The archive header and table of contents (`ReadHead` and `ReadToc` of
//! `pg_backup_archiver.c`), for archive versions 1.12 to 1.16: what each
//! version added decides which fields are read.
//!
//! | version | pg_dump | change read here |
//! |---|---|---|
//! | 1.12 | 9.5, 9.6 | separate BLOB entries (no layout change) |
//! | 1.13 | 10.3, 11 | (search_path entry; no layout change) |
//! | 1.14 | 12 to 15 | `tableam` string in every TOC entry |
//! | 1.15 | 16 | compression algorithm byte replaces the compression level |
//! | 1.16 | 17, 18 | `relkind` integer in every TOC entry |
//!
//! The same header and TOC are the `toc.dat` of a `pg_dump -Fd` directory
//! and of a `pg_dump -Ft` tar (format byte 3, which pg_dump writes for both),
//! where each entry names its data file instead of recording an offset.
//!
//! Strings stay bytes borrowed from the archive: they are in the dump's
//! client encoding, which the plain-text path transcodes later.

use super::read::{ArchiveError, Cursor, DataPos};

pub const MAGIC: &[u8] = b"PGDMP";
/// The oldest and newest archive versions read, as (major, minor).
pub const OLDEST: (u8, u8) = (1, 12);
pub const NEWEST: (u8, u8) = (1, 16);

/// How the data blocks are compressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    None,
    /// zlib streams; pg_dump calls it gzip.
    Gzip,
    Lz4,
    Zstd,
}

impl Compression {
    pub fn name(self) -> &'static str {
        match self {
            Compression::None => "none",
            Compression::Gzip => "gzip",
            Compression::Lz4 => "lz4",
            Compression::Zstd => "zstd",
        }
    }
}

/// Where the table of contents says the data is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// `pg_dump -Fc`: data blocks after the TOC, found by offset.
    Custom,
    /// `pg_dump -Fd` or `-Ft`: one file (or tar member) per entry, by name.
    Files,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header<'a> {
    pub version: (u8, u8, u8),
    pub layout: Layout,
    pub int_size: usize,
    pub off_size: usize,
    pub compression: Compression,
    pub dbname: Option<&'a [u8]>,
    pub remote_version: Option<&'a [u8]>,
    pub dump_version: Option<&'a [u8]>,
}

impl Header<'_> {
    pub fn version_string(&self) -> String {
        format!("{}.{}", self.version.0, self.version.1)
    }

    fn at_least(&self, minor: u8) -> bool {
        (self.version.0, self.version.1) >= (1, minor)
    }
}

/// One TOC entry. `None` is a NULL string in the archive, which pg_restore
/// treats differently from an empty one (a NULL tablespace selects none).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry<'a> {
    pub dump_id: i64,
    pub had_dumper: bool,
    pub table_oid: Option<&'a [u8]>,
    pub oid: Option<&'a [u8]>,
    pub tag: Option<&'a [u8]>,
    pub desc: &'a [u8],
    pub section: i64,
    pub defn: Option<&'a [u8]>,
    pub drop_stmt: Option<&'a [u8]>,
    pub copy_stmt: Option<&'a [u8]>,
    pub namespace: Option<&'a [u8]>,
    pub tablespace: Option<&'a [u8]>,
    pub tableam: Option<&'a [u8]>,
    pub relkind: Option<i64>,
    pub owner: Option<&'a [u8]>,
    pub with_oids: Option<&'a [u8]>,
    pub deps: Vec<&'a [u8]>,
    pub data: DataPos,
    /// The data file a `Files` layout names (`3461.dat`), if any.
    pub filename: Option<&'a [u8]>,
    /// Where the data offset or file name is recorded, for messages.
    pub data_at: usize,
}

/// The header, the entries, and where the data area starts.
pub struct Toc<'a> {
    pub header: Header<'a>,
    pub entries: Vec<Entry<'a>>,
    pub data_start: usize,
}

/// Reads the header and the TOC of a custom-format archive.
pub fn read(archive: &[u8]) -> Result<Toc<'_>, ArchiveError> {
    let mut c = Cursor::new(archive, 0);
    let header = read_header(&mut c)?;
    let at = c.pos;
    let count = c.int("the number of TOC entries")?;
    // Each entry takes well over 10 bytes; a larger count is corruption.
    if count < 0 || count as u64 > (archive.len() / 10) as u64 {
        return Err(ArchiveError::new(
            at,
            format!("invalid number of TOC entries {count}: the archive is corrupt"),
        ));
    }
    let mut entries = Vec::with_capacity(count as usize);
    for _ in 0..count {
        entries.push(read_entry(&mut c, &header)?);
    }
    Ok(Toc {
        header,
        entries,
        data_start: c.pos,
    })
}

fn read_header<'a>(c: &mut Cursor<'a>) -> Result<Header<'a>, ArchiveError> {
    let magic = c.bytes(MAGIC.len(), "the archive header")?;
    if magic != MAGIC {
        return Err(ArchiveError::new(
            0,
            "not a pg_dump custom-format archive (no PGDMP)",
        ));
    }
    let v = (
        c.byte("the archive version")?,
        c.byte("the archive version")?,
        c.byte("the archive version")?,
    );
    if (v.0, v.1) < OLDEST || (v.0, v.1) > NEWEST {
        return Err(ArchiveError::new(
            5,
            format!(
                "unsupported archive version {}.{}.{}: dumpshift reads versions {}.{} to {}.{} \
                 (pg_dump 9.5 to 18)",
                v.0, v.1, v.2, OLDEST.0, OLDEST.1, NEWEST.0, NEWEST.1
            ),
        ));
    }
    let at = c.pos;
    c.int_size = usize::from(c.byte("the integer size")?);
    c.off_size = usize::from(c.byte("the offset size")?);
    if !(1..=16).contains(&c.int_size) || !(1..=16).contains(&c.off_size) {
        return Err(ArchiveError::new(
            at,
            format!(
                "invalid integer size {} or offset size {}: the archive is corrupt",
                c.int_size, c.off_size
            ),
        ));
    }
    let at = c.pos;
    let layout = match c.byte("the archive format")? {
        1 => Layout::Custom,
        // pg_dump writes 3 (tar) into the toc.dat of -Fd too; 5 is the
        // directory format's own number.
        3 | 5 => Layout::Files,
        f => {
            return Err(ArchiveError::new(
                at,
                format!("unknown archive format {f}: the archive is corrupt"),
            ))
        }
    };
    let mut h = Header {
        version: v,
        layout,
        int_size: c.int_size,
        off_size: c.off_size,
        compression: Compression::None,
        dbname: None,
        remote_version: None,
        dump_version: None,
    };
    h.compression = read_compression(c, &h)?;
    for _ in 0..7 {
        c.int("the dump timestamp")?;
    }
    h.dbname = c.str("the database name")?;
    h.remote_version = c.str("the server version")?;
    h.dump_version = c.str("the pg_dump version")?;
    Ok(h)
}

fn read_compression(c: &mut Cursor<'_>, h: &Header<'_>) -> Result<Compression, ArchiveError> {
    let at = c.pos;
    if h.at_least(15) {
        return match c.byte("the compression algorithm")? {
            0 => Ok(Compression::None),
            1 => Ok(Compression::Gzip),
            2 => Ok(Compression::Lz4),
            3 => Ok(Compression::Zstd),
            n => Err(ArchiveError::new(
                at,
                format!("unknown compression algorithm {n}"),
            )),
        };
    }
    // Before 1.15: a zlib level, 0 for none, -1 for zlib's default.
    match c.int("the compression level")? {
        0 => Ok(Compression::None),
        -1..=9 => Ok(Compression::Gzip),
        n => Err(ArchiveError::new(
            at,
            format!("invalid compression level {n}"),
        )),
    }
}

fn read_entry<'a>(c: &mut Cursor<'a>, h: &Header<'a>) -> Result<Entry<'a>, ArchiveError> {
    let at = c.pos;
    let dump_id = c.int("a TOC entry's dump id")?;
    if dump_id <= 0 {
        return Err(ArchiveError::new(
            at,
            format!("TOC entry id {dump_id} out of range: the archive is corrupt"),
        ));
    }
    let had_dumper = c.int("a TOC entry")? != 0;
    let table_oid = c.str("a TOC entry's table oid")?;
    let oid = c.str("a TOC entry's oid")?;
    let tag = c.str("a TOC entry's tag")?;
    let desc = c.str("a TOC entry's type")?.unwrap_or_default();
    let section_at = c.pos;
    let section = c.int("a TOC entry's section")?;
    // pg_restore skips an entry of another section number, and every
    // entry after it that names none: reading it would restore otherwise.
    if !(1..=4).contains(&section) {
        return Err(ArchiveError::new(
            section_at,
            format!("TOC entry id {dump_id} has section {section}, none of pg_dump's (1 to 4): the archive is corrupt"),
        ));
    }
    let defn = c.str("a TOC entry's definition")?;
    let drop_stmt = c.str("a TOC entry's drop statement")?;
    let copy_stmt = c.str("a TOC entry's COPY statement")?;
    let namespace = c.str("a TOC entry's schema")?;
    let tablespace = c.str("a TOC entry's tablespace")?;
    let tableam = if h.at_least(14) {
        c.str("a TOC entry's table access method")?
    } else {
        None
    };
    let relkind = if h.at_least(16) {
        Some(c.int("a TOC entry's relkind")?)
    } else {
        None
    };
    let owner = c.str("a TOC entry's owner")?;
    let with_oids = c.str("a TOC entry")?;
    let mut deps = Vec::new();
    while let Some(d) = c.str("a TOC entry's dependencies")? {
        deps.push(d);
    }
    let data_at = c.pos;
    let (data, filename) = match h.layout {
        Layout::Custom => (c.offset("a TOC entry's data offset")?, None),
        Layout::Files => match c.str("a TOC entry's data file name")? {
            Some(f) => (DataPos::File, Some(f)),
            None => (DataPos::NoData, None),
        },
    };
    Ok(Entry {
        dump_id,
        had_dumper,
        table_oid,
        oid,
        tag,
        desc,
        section,
        defn,
        drop_stmt,
        copy_stmt,
        namespace,
        tablespace,
        tableam,
        relkind,
        owner,
        with_oids,
        deps,
        data,
        filename,
        data_at,
    })
}
