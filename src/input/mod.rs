//! The input boundary: a dump file is memory-mapped, `-` is read from stdin,
//! and a dump in another client encoding is transcoded to UTF-8 (`encoding`).
//! Everything downstream sees `&[u8]`.

pub mod encoding;

use std::fs::File;
use std::io::Read;
use std::path::Path;

use memmap2::Mmap;

use crate::error::Error;

/// How the dump was stored on disk, for `inspect` and the summary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Form {
    /// A plain-format SQL script.
    Plain,
    /// A plain-format script compressed with gzip.
    Gzip,
    /// A plain-format script compressed with zstd.
    Zstd,
    /// A `pg_dump -Fc` archive: its format version (e.g. "1.14") and the
    /// compression of its data blocks.
    Custom {
        version: String,
        compression: String,
    },
}

/// The bytes of one input dump.
pub enum Input {
    Mapped(Mmap),
    Owned(Vec<u8>),
}

impl Input {
    /// Opens `path`, or stdin when `path` is `-`.
    pub fn open(path: &Path) -> Result<Input, Error> {
        if path.as_os_str() == "-" {
            let mut buf = Vec::new();
            std::io::stdin()
                .lock()
                .read_to_end(&mut buf)
                .map_err(|e| Error::io("-", "read stdin", e))?;
            return Ok(Input::Owned(buf));
        }
        let file = File::open(path).map_err(|e| Error::io(path, "open", e))?;
        let meta = file.metadata().map_err(|e| Error::io(path, "stat", e))?;
        if !meta.is_file() {
            // Pipes and devices cannot be mapped; read them like stdin.
            let mut buf = Vec::new();
            (&file)
                .read_to_end(&mut buf)
                .map_err(|e| Error::io(path, "read", e))?;
            return Ok(Input::Owned(buf));
        }
        if meta.len() == 0 {
            return Ok(Input::Owned(Vec::new()));
        }
        // SAFETY: the map is read-only and private to this process. dumpshift
        // never writes the input (the output path is checked against it), so
        // the only way the bytes change under us is another process truncating
        // or rewriting the dump while we run; that is documented as unsupported,
        // like for grep or cp. Every read of the map goes through bounds-checked
        // slices.
        let map = unsafe { Mmap::map(&file) }.map_err(|e| Error::io(path, "memory-map", e))?;
        #[cfg(unix)]
        let _ = map.advise(memmap2::Advice::Sequential);
        Ok(Input::Mapped(map))
    }

    /// How the dump was stored.
    pub fn form(&self) -> Form {
        Form::Plain
    }

    pub fn bytes(&self) -> &[u8] {
        match self {
            Input::Mapped(m) => m,
            Input::Owned(v) => v,
        }
    }
}
