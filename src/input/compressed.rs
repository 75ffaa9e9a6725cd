//! Plain dumps compressed whole, recognised by their magic bytes: gzip
//! (`pg_dump | gzip`, Supabase's backups), zstd, xz, bzip2, and lz4 frames
//! (`pg_dump --compress=lz4` from PostgreSQL 16, or `pg_dump | lz4`). The
//! same decoders read the data files of a `pg_dump -Fd` directory. They are decompressed as a
//! stream into a temporary file, which is then memory-mapped like a plain
//! dump: memory stays bounded by the decoder's buffers whatever the size.
//!
//! Several gzip members, zstd or lz4 frames, xz or bzip2 streams one after
//! another (`cat a.gz b.gz`, pigz, `zstd -T0`, pbzip2, `xz -T0`) are one
//! stream, as `gunzip -c`, `zstd -dc`, `xz -dc`, `bzip2 -dc` and `lz4 -dc`
//! read them.

use std::io::{self, BufReader, Read, Write};

/// The compressions recognised.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Codec {
    Gzip,
    Zstd,
    Xz,
    Bzip2,
    Lz4,
}

impl Codec {
    pub fn name(self) -> &'static str {
        match self {
            Codec::Gzip => "gzip",
            Codec::Zstd => "zstd",
            Codec::Xz => "xz",
            Codec::Bzip2 => "bzip2",
            Codec::Lz4 => "lz4",
        }
    }

    /// The codec whose magic `head` starts with.
    pub fn sniff(head: &[u8]) -> Option<Codec> {
        if head.starts_with(&[0x1f, 0x8b]) {
            Some(Codec::Gzip)
        } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Some(Codec::Zstd)
        } else if head.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0x00]) {
            Some(Codec::Xz)
        } else if head.starts_with(&[0x04, 0x22, 0x4d, 0x18]) {
            Some(Codec::Lz4)
        } else if is_bzip2(head) {
            Some(Codec::Bzip2)
        } else {
            None
        }
    }
}

/// `BZh`, a block size digit, then the magic of a block or of the end of
/// the stream: "BZh9" alone is too likely at the start of a text.
fn is_bzip2(head: &[u8]) -> bool {
    head.len() >= 10
        && head.starts_with(b"BZh")
        && (b'1'..=b'9').contains(&head[3])
        && (head[4..10] == [0x31, 0x41, 0x59, 0x26, 0x53, 0x59]
            || head[4..10] == [0x17, 0x72, 0x45, 0x38, 0x50, 0x90])
}

/// Why decompression stopped.
#[derive(Debug)]
pub enum InflateError {
    /// The compressed input is corrupt or cut short; `byte` is how much of
    /// it had been read when the decoder gave up.
    Corrupt { byte: u64, message: String },
    /// Reading the input failed.
    Read(io::Error),
    /// Writing the decompressed text failed.
    Write(io::Error),
}

/// Counts the compressed bytes handed to the decoder, for messages.
struct Counting<R> {
    inner: R,
    count: u64,
    /// Set when the underlying read failed, so that is not called corruption.
    failed: Option<io::Error>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.inner.read(buf) {
            Ok(n) => {
                self.count += n as u64;
                Ok(n)
            }
            Err(e) => {
                let kind = e.kind();
                self.failed = Some(e);
                Err(io::Error::new(kind, "read failed"))
            }
        }
    }
}

const PIECE: usize = 256 * 1024;

/// Decompresses `input` into `out`, returning the decompressed size.
pub fn inflate(
    codec: Codec,
    input: &mut dyn Read,
    out: &mut dyn Write,
) -> Result<u64, InflateError> {
    let mut src = Counting {
        inner: input,
        count: 0,
        failed: None,
    };
    let result = {
        let buffered = BufReader::with_capacity(PIECE, &mut src);
        match codec {
            Codec::Gzip => pump(&mut flate2::bufread::MultiGzDecoder::new(buffered), out),
            Codec::Zstd => match zstd::stream::read::Decoder::with_buffer(buffered) {
                Ok(mut d) => pump(&mut d, out),
                Err(e) => Err(Pumped::Read(e)),
            },
            Codec::Xz => pump(
                &mut liblzma::bufread::XzDecoder::new_multi_decoder(buffered),
                out,
            ),
            Codec::Bzip2 => pump(&mut bzip2::bufread::MultiBzDecoder::new(buffered), out),
            Codec::Lz4 => pump(&mut lz4_flex::frame::FrameDecoder::new(buffered), out),
        }
    };
    match result {
        Ok(n) => Ok(n),
        Err(Pumped::Write(e)) => Err(InflateError::Write(e)),
        Err(Pumped::Read(e)) => Err(match src.failed.take() {
            Some(io) => InflateError::Read(io),
            None => InflateError::Corrupt {
                byte: src.count,
                message: describe(codec, &e),
            },
        }),
    }
}

fn describe(codec: Codec, e: &io::Error) -> String {
    let name = codec.name();
    if e.kind() == io::ErrorKind::UnexpectedEof {
        format!("the {name} stream ends early: the file is truncated")
    } else {
        format!("the {name} stream is corrupt at or before this byte: {e}")
    }
}

enum Pumped {
    Read(io::Error),
    Write(io::Error),
}

fn pump(r: &mut dyn Read, out: &mut dyn Write) -> Result<u64, Pumped> {
    let mut buf = vec![0u8; PIECE];
    let mut total = 0u64;
    loop {
        let n = match r.read(&mut buf) {
            Ok(0) => return Ok(total),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Pumped::Read(e)),
        };
        out.write_all(&buf[..n]).map_err(Pumped::Write)?;
        total += n as u64;
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::path::PathBuf;

    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures")
            .join(name);
        std::fs::read(&p).unwrap_or_else(|e| panic!("read {}: {e}", p.display()))
    }

    fn inflated(codec: Codec, input: &[u8]) -> Result<Vec<u8>, InflateError> {
        let mut out = Vec::new();
        let n = inflate(codec, &mut &input[..], &mut out)?;
        assert_eq!(n, out.len() as u64);
        Ok(out)
    }

    fn corrupt(codec: Codec, input: &[u8]) -> (u64, String) {
        match inflated(codec, input) {
            Err(InflateError::Corrupt { byte, message }) => (byte, message),
            Err(e) => panic!("not a corruption: {e:?}"),
            Ok(_) => panic!("damaged {codec:?} input inflated without complaint"),
        }
    }

    #[test]
    fn the_compressed_fixtures_inflate_to_the_plain_dumps() {
        let plain = fixture("life_os_v1_plain.sql");
        let gz = inflated(Codec::Gzip, &fixture("archive/life_os_v1_plain.sql.gz")).unwrap();
        assert!(gz == plain, "gzip");
        let zst = inflated(Codec::Zstd, &fixture("archive/life_os_v1_plain.sql.zst")).unwrap();
        assert!(zst == plain, "zstd");
    }

    #[test]
    fn concatenated_gzip_members_and_zstd_frames_are_one_stream() {
        let mut gz = Vec::new();
        let mut zst = Vec::new();
        for part in [&b"-- one\n"[..], b"-- two\n"] {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(part).unwrap();
            gz.extend(e.finish().unwrap());
            zst.extend(zstd::encode_all(part, 1).unwrap());
        }
        assert_eq!(inflated(Codec::Gzip, &gz).unwrap(), b"-- one\n-- two\n");
        assert_eq!(inflated(Codec::Zstd, &zst).unwrap(), b"-- one\n-- two\n");
    }

    #[test]
    fn a_truncated_stream_is_refused_not_taken_as_the_end() {
        for (codec, name) in [
            (Codec::Gzip, "archive/life_os_v1_plain.sql.gz"),
            (Codec::Zstd, "archive/life_os_v1_plain.sql.zst"),
        ] {
            let whole = fixture(name);
            for cut in [10, whole.len() / 3, whole.len() - 1] {
                let (byte, message) = corrupt(codec, &whole[..cut]);
                assert!(byte <= cut as u64, "{name} cut at {cut}: byte {byte}");
                assert!(message.contains(codec.name()), "{message}");
            }
        }
    }

    #[test]
    fn a_corrupt_stream_is_refused_at_or_after_the_damage() {
        for (codec, name) in [
            (Codec::Gzip, "archive/life_os_v1_plain.sql.gz"),
            (Codec::Zstd, "archive/life_os_v1_plain.sql.zst"),
        ] {
            let mut bad = fixture(name);
            let at = bad.len() / 2;
            for b in &mut bad[at..at + 64] {
                *b ^= 0x5a;
            }
            let (byte, message) = corrupt(codec, &bad);
            assert!(
                byte >= at as u64,
                "{name}: byte {byte} before the damage at {at}"
            );
            assert!(message.contains("corrupt"), "{message}");
        }
    }
}
