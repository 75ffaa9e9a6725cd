//! The output side: a byte buffer the row writers append to, formatting of
//! every value type exactly as PostgreSQL's COPY TO prints it, and the hand
//! off of full buffers to a writer thread.
//!
//! Formatting writes straight into the buffer (no `format!`, no per-value
//! allocation): a 1 GB dump holds about 40 million values.

use std::io::{self, Write};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};

use super::tz::{civil_from_days, Zone, DAY};

/// Bytes handed to the writer at a time: large enough that the write
/// syscalls cost nothing, small enough to keep memory flat.
const CHUNK: usize = 4 << 20;

const HEX: &[u8; 16] = b"0123456789abcdef";

pub struct Out {
    buf: Vec<u8>,
    flushed: u64,
    full: SyncSender<Vec<u8>>,
    empty: Receiver<Vec<u8>>,
    zone: Zone,
}

/// Writes every buffer from `full` to `sink` and hands it back through
/// `empty`. Returns the first write error; the generator notices the
/// closed channel and stops.
pub fn writer_loop<W: Write>(
    mut sink: W,
    full: Receiver<Vec<u8>>,
    empty: SyncSender<Vec<u8>>,
) -> io::Result<()> {
    for mut buf in full {
        sink.write_all(&buf)?;
        buf.clear();
        // The generator may already be done and gone: nothing to recycle.
        let _ = empty.try_send(buf);
    }
    sink.flush()
}

/// The channel ends of one generator/writer pair.
pub fn channels() -> (Out, Receiver<Vec<u8>>, SyncSender<Vec<u8>>) {
    let (full_tx, full_rx) = sync_channel(2);
    let (empty_tx, empty_rx) = sync_channel(4);
    let out = Out {
        buf: Vec::with_capacity(CHUNK + (64 << 10)),
        flushed: 0,
        full: full_tx,
        empty: empty_rx,
        zone: Zone::new(),
    };
    (out, full_rx, empty_tx)
}

fn gone() -> io::Error {
    io::Error::new(io::ErrorKind::BrokenPipe, "the output writer stopped")
}

impl Out {
    /// Bytes produced so far, flushed or not.
    #[inline]
    pub fn written(&self) -> u64 {
        self.flushed + self.buf.len() as u64
    }

    /// Passes the buffer to the writer once it holds a chunk.
    #[inline]
    pub fn maybe_flush(&mut self) -> io::Result<()> {
        if self.buf.len() >= CHUNK {
            self.flush()?;
        }
        Ok(())
    }

    pub fn flush(&mut self) -> io::Result<()> {
        let fresh = self
            .empty
            .try_recv()
            .unwrap_or_else(|_| Vec::with_capacity(CHUNK + (64 << 10)));
        let full = std::mem::replace(&mut self.buf, fresh);
        self.flushed += full.len() as u64;
        self.full.send(full).map_err(|_| gone())
    }

    /// Flushes the rest and closes the channel, which ends the writer.
    pub fn finish(mut self) -> io::Result<u64> {
        self.flush()?;
        Ok(self.flushed)
    }

    #[inline]
    pub fn raw(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    #[inline]
    pub fn str(&mut self, s: &str) {
        self.buf.extend_from_slice(s.as_bytes());
    }

    #[inline]
    pub fn byte(&mut self, b: u8) {
        self.buf.push(b);
    }

    #[inline]
    pub fn tab(&mut self) {
        self.buf.push(b'\t');
    }

    /// COPY's NULL, `\N`.
    #[inline]
    pub fn null(&mut self) {
        self.buf.extend_from_slice(b"\\N");
    }

    #[inline]
    pub fn bool(&mut self, v: bool) {
        self.buf.push(if v { b't' } else { b'f' });
    }

    /// Lowercase 8-4-4-4-12 hex, PostgreSQL's uuid output.
    #[inline]
    pub fn uuid(&mut self, id: u128) {
        let mut s = [b'-'; 36];
        let mut nibble = 32;
        for (i, slot) in s.iter_mut().enumerate() {
            if matches!(i, 8 | 13 | 18 | 23) {
                continue;
            }
            nibble -= 1;
            *slot = HEX[((id >> (nibble * 4)) & 0xf) as usize];
        }
        self.buf.extend_from_slice(&s);
    }

    #[inline]
    pub fn opt_uuid(&mut self, id: Option<u128>) {
        match id {
            Some(id) => self.uuid(id),
            None => self.null(),
        }
    }

    #[inline]
    pub fn uint(&mut self, mut v: u64) {
        let mut s = [0u8; 20];
        let mut i = s.len();
        loop {
            i -= 1;
            s[i] = b'0' + (v % 10) as u8;
            v /= 10;
            if v == 0 {
                break;
            }
        }
        self.buf.extend_from_slice(&s[i..]);
    }

    /// `v` as exactly `width` digits (`v` must fit).
    #[inline]
    fn padded(&mut self, v: u32, width: usize) {
        let mut s = [b'0'; 6];
        let mut v = v;
        for slot in s[..width].iter_mut().rev() {
            *slot = b'0' + (v % 10) as u8;
            v /= 10;
        }
        self.buf.extend_from_slice(&s[..width]);
    }

    /// A year as PostgreSQL prints it: at least four digits.
    #[inline]
    fn year(&mut self, y: i64) {
        if y < 10_000 {
            self.padded(y as u32, 4);
        } else {
            self.uint(y as u64);
        }
    }

    /// A `date`, as days since 1970-01-01: `YYYY-MM-DD`.
    #[inline]
    pub fn date(&mut self, days: i64) {
        let (y, m, d) = civil_from_days(days);
        self.year(y);
        self.byte(b'-');
        self.padded(m, 2);
        self.byte(b'-');
        self.padded(d, 2);
    }

    /// A `timestamptz` in New York time: `YYYY-MM-DD HH:MM:SS[.ffffff]-0H`,
    /// the fraction without trailing zeros, as PostgreSQL prints it.
    #[inline]
    pub fn ts(&mut self, t: i64, micros: u32) {
        let off = self.zone.offset_hours(t);
        let local = t + off * 3_600;
        self.date(local.div_euclid(DAY));
        let sod = local.rem_euclid(DAY) as u32;
        self.byte(b' ');
        self.padded(sod / 3_600, 2);
        self.byte(b':');
        self.padded(sod / 60 % 60, 2);
        self.byte(b':');
        self.padded(sod % 60, 2);
        if micros != 0 {
            let mut digits = 6;
            let mut frac = micros;
            while frac % 10 == 0 {
                frac /= 10;
                digits -= 1;
            }
            self.byte(b'.');
            self.padded(frac, digits);
        }
        self.byte(b'-');
        self.padded(off.unsigned_abs() as u32, 2);
    }
}
