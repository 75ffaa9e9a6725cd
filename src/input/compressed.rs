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
            Codec::Lz4 => {
                let mut frames = Lz4Frames::default();
                let watched = BufReader::with_capacity(
                    PIECE,
                    Watched {
                        inner: buffered,
                        frames: &mut frames,
                    },
                );
                pump(&mut lz4_flex::frame::FrameDecoder::new(watched), out).and_then(|n| {
                    if frames.complete() {
                        Ok(n)
                    } else {
                        Err(Pumped::Read(io::Error::new(
                            io::ErrorKind::UnexpectedEof,
                            "the last lz4 frame has no end mark",
                        )))
                    }
                })
            }
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

/// The frame layout of an lz4 stream, followed as its bytes pass, without
/// decompressing: the decoder takes a stream that stops between two blocks
/// for a complete one, and a file cut there must be refused.
#[derive(Default)]
struct Lz4Frames {
    /// The field being read: which, and how many bytes it has.
    state: Lz4State,
    field: Vec<u8>,
    /// Bytes of block data (or of a skippable frame) still to pass.
    skip: u64,
    flags: u8,
    frames: u64,
}

#[derive(Default, Clone, Copy, PartialEq, Eq)]
enum Lz4State {
    #[default]
    Magic,
    /// FLG and BD, then what FLG announces and the header checksum.
    Descriptor,
    SkippableSize,
    BlockSize,
    ContentChecksum,
}

impl Lz4Frames {
    /// Whether the stream ended after a whole frame.
    fn complete(&self) -> bool {
        self.frames > 0 && self.state == Lz4State::Magic && self.field.is_empty() && self.skip == 0
    }

    fn feed(&mut self, mut b: &[u8]) {
        while !b.is_empty() {
            if self.skip > 0 {
                let n = (self.skip.min(b.len() as u64)) as usize;
                self.skip -= n as u64;
                b = &b[n..];
                continue;
            }
            let want = self.want();
            let n = (want - self.field.len()).min(b.len());
            self.field.extend_from_slice(&b[..n]);
            b = &b[n..];
            if self.field.len() == self.want() {
                self.next();
            }
        }
    }

    /// How many bytes the current field has in all.
    fn want(&self) -> usize {
        match self.state {
            Lz4State::Magic
            | Lz4State::SkippableSize
            | Lz4State::BlockSize
            | Lz4State::ContentChecksum => 4,
            Lz4State::Descriptor => match self.field.first() {
                None => 1,
                // FLG: content size (bit 3) and dictionary id (bit 0) add to
                // BD and the header checksum.
                Some(&flg) => {
                    3 + if flg & 0x08 != 0 { 8 } else { 0 } + if flg & 0x01 != 0 { 4 } else { 0 }
                }
            },
        }
    }

    fn next(&mut self) {
        let word = |f: &[u8]| u32::from_le_bytes([f[0], f[1], f[2], f[3]]);
        self.state = match self.state {
            Lz4State::Magic if word(&self.field) & 0xffff_fff0 == 0x184d_2a50 => {
                Lz4State::SkippableSize
            }
            // Another magic is the decoder's to refuse.
            Lz4State::Magic => Lz4State::Descriptor,
            Lz4State::SkippableSize => {
                self.skip = u64::from(word(&self.field));
                Lz4State::Magic
            }
            Lz4State::Descriptor => {
                self.flags = self.field[0];
                Lz4State::BlockSize
            }
            Lz4State::BlockSize => match word(&self.field) {
                0 if self.flags & 0x04 != 0 => Lz4State::ContentChecksum,
                0 => {
                    self.frames += 1;
                    Lz4State::Magic
                }
                size => {
                    let checksum = if self.flags & 0x10 != 0 { 4 } else { 0 };
                    self.skip = u64::from(size & 0x7fff_ffff) + checksum;
                    Lz4State::BlockSize
                }
            },
            Lz4State::ContentChecksum => {
                self.frames += 1;
                Lz4State::Magic
            }
        };
        self.field.clear();
    }
}

/// A reader whose bytes also go through `frames`.
struct Watched<'f, R> {
    inner: R,
    frames: &'f mut Lz4Frames,
}

impl<R: Read> Read for Watched<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.frames.feed(&buf[..n]);
        Ok(n)
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
        for (codec, ext) in [
            (Codec::Xz, "xz"),
            (Codec::Bzip2, "bz2"),
            (Codec::Lz4, "lz4"),
        ] {
            let name = format!("archive/life_os_v1_plain.sql.{ext}");
            assert_eq!(Codec::sniff(&fixture(&name)), Some(codec), "{name}");
            assert!(inflated(codec, &fixture(&name)).unwrap() == plain, "{name}");
        }
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
            (Codec::Xz, "archive/life_os_v1_plain.sql.xz"),
            (Codec::Bzip2, "archive/life_os_v1_plain.sql.bz2"),
            (Codec::Lz4, "archive/life_os_v1_plain.sql.lz4"),
            (Codec::Lz4, "archive/pg17/life_os_v1_plain.sql.lz4"),
        ] {
            let whole = fixture(name);
            for cut in [10, whole.len() / 3, whole.len() - 1] {
                let (byte, message) = corrupt(codec, &whole[..cut]);
                assert!(byte <= cut as u64, "{name} cut at {cut}: byte {byte}");
                assert!(message.contains(codec.name()), "{message}");
            }
        }
    }

    /// The lz4 decoder takes a stream that stops between two blocks for a
    /// whole one; every such cut of the real pg_dump 17 lz4 dump is refused.
    #[test]
    fn an_lz4_stream_cut_between_two_blocks_is_refused() {
        let whole = fixture("archive/pg17/life_os_v1_plain.sql.lz4");
        let mut frames = Lz4Frames::default();
        let mut cuts = Vec::new();
        for (i, b) in whole.iter().enumerate() {
            frames.feed(std::slice::from_ref(b));
            if frames.state == Lz4State::BlockSize && frames.field.is_empty() && frames.skip == 0 {
                cuts.push(i + 1);
            }
        }
        assert!(
            frames.complete() && cuts.len() > 2,
            "{} block ends",
            cuts.len()
        );
        for cut in cuts {
            let (byte, message) = corrupt(Codec::Lz4, &whole[..cut]);
            assert!(
                byte <= cut as u64 && message.contains("truncated"),
                "cut at {cut}: {message}"
            );
        }
    }

    #[test]
    fn a_corrupt_stream_is_refused_at_or_after_the_damage() {
        // The lz4 CLI writes a content checksum; pg_dump 17's lz4 frames
        // carry none, so damage there is found in the SQL, if at all.
        for (codec, name) in [
            (Codec::Gzip, "archive/life_os_v1_plain.sql.gz"),
            (Codec::Zstd, "archive/life_os_v1_plain.sql.zst"),
            (Codec::Xz, "archive/life_os_v1_plain.sql.xz"),
            (Codec::Bzip2, "archive/life_os_v1_plain.sql.bz2"),
            (Codec::Lz4, "archive/life_os_v1_plain.sql.lz4"),
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
