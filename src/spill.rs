//! Whole-table keys past the memory budget: sorted runs in a temporary file,
//! merged back in order, the way sort(1) and PostgreSQL's tuplesort do.
//!
//! Keys are gathered in a buffer of at most the budget's bytes; a full
//! buffer is sorted and appended to one temporary file as a run. Reading
//! back merges the runs (and the last, in-memory buffer) with a heap, so the
//! keys come out in the order one sort of all of them would give. The file
//! is entered in the cleanup table before it exists, as `write::temp` does
//! for outputs: a signal or an error removes it, and so does the end of the
//! merge. Unlike an output it is mode 0600 from its creation: it holds the
//! dump's ids and instants, and `$TMPDIR` is often a shared /tmp.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use rayon::slice::ParallelSliceMut;

mod array;
pub use array::{Array, Budget, Plain};

/// The default of `--memory`.
pub const DEFAULT_MEMORY: usize = 256 << 20;
/// The least `--memory` accepted: below it the runs would be tiny.
pub const MIN_MEMORY: usize = 64 << 10;

/// How a run shares `--memory`. Half of it is for whole-table keys; the
/// other half is left for the chunks being read and written and for the
/// page cache, which maps the dump and the arrays that went to disk.
#[derive(Clone, Copy, Debug)]
pub struct Shares(usize);

impl Shares {
    pub fn new(memory: usize) -> Shares {
        Shares(memory)
    }

    /// Arrays kept from table to table: ids, sort orders, lookup values.
    pub fn held(self) -> usize {
        self.0 / 4
    }

    /// One table's sort keys while it is read.
    pub fn sort_keys(self) -> usize {
        self.0 / 8
    }

    /// One table's ids while it is read; its foreign-key values for joins
    /// get as much again, between them.
    pub fn ids(self) -> usize {
        self.0 / 32
    }

    /// One table's parent edges while it is read; its unique keys get as
    /// much again, between them.
    pub fn pairs(self) -> usize {
        self.0 / 32
    }

    /// The hashes of the digest columns while a table is written.
    pub fn digests(self) -> usize {
        self.0 / 4
    }
}

/// A key that can be written to a run and read back: fixed width, ordered.
pub trait Record: Copy + Ord + Send {
    const BYTES: usize;
    fn put(&self, out: &mut [u8]);
    fn get(raw: &[u8]) -> Self;
}

/// Keys being gathered: in memory up to `cap`, then in sorted runs on disk.
pub struct Runs<T: Record> {
    buf: Vec<T>,
    cap: usize,
    dir: PathBuf,
    file: Option<File>,
    /// `(first record, records)` of each run in the file.
    runs: Vec<(u64, u64)>,
    written: u64,
}

impl<T: Record> Runs<T> {
    /// Keys held in memory up to `budget` bytes; runs go to a temporary
    /// file in `dir`.
    pub fn new(budget: usize, dir: &Path) -> Runs<T> {
        Runs {
            buf: Vec::new(),
            cap: (budget / std::mem::size_of::<T>()).max(1),
            dir: dir.to_path_buf(),
            file: None,
            runs: Vec::new(),
            written: 0,
        }
    }

    pub fn len(&self) -> u64 {
        self.written + self.buf.len() as u64
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether any run went to disk.
    pub fn spilled(&self) -> bool {
        !self.runs.is_empty()
    }

    /// Room for `n` more keys in memory, as far as the budget allows.
    pub fn reserve(&mut self, n: usize) {
        let room = self.cap - self.buf.len();
        self.buf.reserve_exact(n.min(room));
    }

    pub fn push(&mut self, key: T) -> io::Result<()> {
        if self.buf.len() >= self.cap {
            self.spill()?;
        }
        self.buf.push(key);
        Ok(())
    }

    /// Sorts the buffer and appends it to the file as one run.
    fn spill(&mut self) -> io::Result<()> {
        self.buf.par_sort_unstable();
        if self.file.is_none() {
            self.file = Some(create_in(&self.dir)?);
        }
        let file = self.file.as_ref().expect("made above");
        let mut out = BufWriter::with_capacity(
            1 << 16,
            Append {
                file,
                at: self.written * T::BYTES as u64,
            },
        );
        let mut raw = vec![0u8; T::BYTES];
        for key in &self.buf {
            key.put(&mut raw);
            out.write_all(&raw)?;
        }
        out.flush()?;
        self.runs.push((self.written, self.buf.len() as u64));
        self.written += self.buf.len() as u64;
        self.buf.clear();
        Ok(())
    }

    /// Every key, in order. The temporary file is removed when the merge is
    /// dropped.
    pub fn sorted(mut self) -> Merge<T> {
        self.buf.par_sort_unstable();
        // The read blocks of all runs share the budget the buffer had.
        let block = (self.cap / self.runs.len().max(1)).clamp(16, BLOCK);
        let mut merge = Merge {
            file: self.file,
            runs: self
                .runs
                .iter()
                .map(|&(first, len)| RunReader::new(first, len, block))
                .collect(),
            heap: BinaryHeap::with_capacity(self.runs.len()),
            memory: std::mem::take(&mut self.buf).into_iter().peekable(),
            error: None,
        };
        for run in 0..merge.runs.len() {
            merge.refill(run);
        }
        merge
    }
}

impl<T: Record + Plain> Runs<T> {
    /// Every key, in order, as one array: the in-memory buffer itself when
    /// nothing spilled and `budget` has room for it, else merged into an
    /// array that `budget` places.
    pub fn into_array(mut self, budget: &Budget) -> io::Result<Array<T>> {
        let len = self.len() as usize;
        if !self.spilled() {
            self.buf.par_sort_unstable();
            return Array::from_vec(std::mem::take(&mut self.buf), budget);
        }
        let mut merged = self.sorted();
        let array = Array::collect(len, merged.by_ref(), budget)?;
        match merged.error() {
            Some(e) => Err(e),
            None => Ok(array),
        }
    }
}

/// An unnamed file in `dir`, readable and writable by its owner only: with
/// no name, nothing of it is left behind however the process ends (a
/// SIGKILL, an out-of-memory kill), and no other process can open it.
fn create_in(dir: &Path) -> io::Result<File> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let unnamed = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .mode(0o600)
        .custom_flags(libc::O_TMPFILE)
        .open(dir);
    match unnamed {
        // What kernels and file systems without O_TMPFILE answer (ENOENT
        // from kernels before 3.11; a missing folder fails again below).
        Err(e)
            if matches!(
                e.raw_os_error(),
                Some(libc::EOPNOTSUPP | libc::EISDIR | libc::ENOENT)
            ) =>
        {
            // A file system without O_TMPFILE: a named file, unlinked at once.
            let named = tempfile::Builder::new()
                .prefix(".dumpshift-")
                .permissions(std::fs::Permissions::from_mode(0o600))
                .tempfile_in(dir)?;
            Ok(named.into_file())
        }
        r => r,
    }
}

/// Writes at a running offset of a file shared by all its runs.
struct Append<'f> {
    file: &'f File,
    at: u64,
}

impl Write for Append<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.file.write_at(buf, self.at)?;
        self.at += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// One run of the file, read a block at a time.
struct RunReader<T> {
    /// Records read at once.
    block_len: u64,
    next: u64,
    end: u64,
    block: Vec<T>,
    pos: usize,
}

/// The most records read at once from one run.
const BLOCK: usize = 2048;

impl<T: Record> RunReader<T> {
    fn new(first: u64, len: u64, block_len: usize) -> RunReader<T> {
        RunReader {
            block_len: block_len as u64,
            next: first,
            end: first + len,
            block: Vec::new(),
            pos: 0,
        }
    }

    fn pop(&mut self, file: &File) -> io::Result<Option<T>> {
        if self.pos == self.block.len() {
            let n = self.block_len.min(self.end - self.next);
            if n == 0 {
                return Ok(None);
            }
            let mut raw = vec![0u8; n as usize * T::BYTES];
            file.read_exact_at(&mut raw, self.next * T::BYTES as u64)?;
            self.block.clear();
            self.block.extend(raw.chunks_exact(T::BYTES).map(T::get));
            self.next += n;
            self.pos = 0;
        }
        self.pos += 1;
        Ok(Some(self.block[self.pos - 1]))
    }
}

/// The keys of `Runs`, in order. A read error ends the keys early and is
/// kept in `error`.
pub struct Merge<T: Record> {
    /// Removed when the merge is dropped.
    file: Option<File>,
    runs: Vec<RunReader<T>>,
    heap: BinaryHeap<Reverse<(T, usize)>>,
    memory: std::iter::Peekable<std::vec::IntoIter<T>>,
    error: Option<io::Error>,
}

impl<T: Record> Merge<T> {
    fn refill(&mut self, run: usize) {
        let Some(file) = self.file.as_ref() else {
            return;
        };
        match self.runs[run].pop(file) {
            Ok(Some(key)) => self.heap.push(Reverse((key, run))),
            Ok(None) => {}
            Err(e) => self.error = self.error.take().or(Some(e)),
        }
    }

    /// The first read error met, if any: the keys returned were then fewer.
    pub fn error(&mut self) -> Option<io::Error> {
        self.error.take()
    }
}

impl<T: Record> Iterator for Merge<T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        let disk = self.heap.peek().map(|Reverse((k, _))| *k);
        match (disk, self.memory.peek()) {
            (Some(d), Some(m)) if *m < d => self.memory.next(),
            (Some(_), _) => {
                let Reverse((key, run)) = self.heap.pop()?;
                self.refill(run);
                Some(key)
            }
            (None, _) => self.memory.next(),
        }
    }
}

impl Record for u128 {
    const BYTES: usize = 16;
    fn put(&self, out: &mut [u8]) {
        out.copy_from_slice(&self.to_le_bytes());
    }
    fn get(raw: &[u8]) -> Self {
        u128::from_le_bytes(raw.try_into().unwrap_or_default())
    }
}

/// A pair of ids (a row's id and its parent's), ordered by the first.
impl Record for [u128; 2] {
    const BYTES: usize = 32;
    fn put(&self, out: &mut [u8]) {
        out[..16].copy_from_slice(&self[0].to_le_bytes());
        out[16..].copy_from_slice(&self[1].to_le_bytes());
    }
    fn get(raw: &[u8]) -> Self {
        [u128::get(&raw[..16]), u128::get(&raw[16..])]
    }
}

/// A unique key's hash and its row.
impl Record for (u64, u32) {
    const BYTES: usize = 12;
    fn put(&self, out: &mut [u8]) {
        out[..8].copy_from_slice(&self.0.to_le_bytes());
        out[8..].copy_from_slice(&self.1.to_le_bytes());
    }
    fn get(raw: &[u8]) -> Self {
        (
            u64::from_le_bytes(raw[..8].try_into().unwrap_or_default()),
            u32::from_le_bytes(raw[8..].try_into().unwrap_or_default()),
        )
    }
}

/// A row's id and the sha256 of one of its values (`None`: NULL).
impl Record for (u128, Option<[u8; 32]>) {
    const BYTES: usize = 49;
    fn put(&self, out: &mut [u8]) {
        out[..16].copy_from_slice(&self.0.to_le_bytes());
        out[16] = u8::from(self.1.is_some());
        out[17..].copy_from_slice(&self.1.unwrap_or_default());
    }
    fn get(raw: &[u8]) -> Self {
        let hash = (raw[16] == 1).then(|| raw[17..49].try_into().unwrap_or_default());
        (u128::get(&raw[..16]), hash)
    }
}

/// Parses `--memory`: bytes, or a number with K, M, G or T (powers of 1024).
pub fn parse_size(s: &str) -> Result<usize, String> {
    let t = s.trim();
    let (num, unit) = match t.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => t.split_at(i),
        None => (t, ""),
    };
    let shift = match unit
        .trim()
        .to_ascii_uppercase()
        .trim_end_matches("IB")
        .trim_end_matches('B')
    {
        "" => 0,
        "K" => 10,
        "M" => 20,
        "G" => 30,
        "T" => 40,
        _ => return Err(format!("not a size: {s:?} (try 256M or 1G)")),
    };
    let n: usize = num
        .parse()
        .map_err(|_| format!("not a size: {s:?} (try 256M or 1G)"))?;
    let bytes = n
        .checked_mul(1usize << shift)
        .ok_or_else(|| format!("too large: {s:?}"))?;
    if bytes < MIN_MEMORY {
        return Err(format!("{s:?} is below the least budget, 64K"));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The run's unnamed files in `dir`, as `/proc/self/fd` links to them
    /// (`dir/#inode (deleted)`): `dir` itself lists none.
    pub(crate) fn unnamed_in(dir: &Path) -> Vec<std::path::PathBuf> {
        let dir = dir.canonicalize().unwrap();
        std::fs::read_dir("/proc/self/fd")
            .unwrap()
            .filter_map(|e| {
                let fd = e.ok()?.path();
                let target = std::fs::read_link(&fd).ok()?;
                (target.parent() == Some(dir.as_path())).then_some(fd)
            })
            .collect()
    }

    #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
    struct K(u64);

    impl Record for K {
        const BYTES: usize = 8;
        fn put(&self, out: &mut [u8]) {
            out.copy_from_slice(&self.0.to_le_bytes());
        }
        fn get(raw: &[u8]) -> Self {
            K(u64::from_le_bytes(raw.try_into().unwrap()))
        }
    }

    fn keys(n: u64) -> Vec<K> {
        // A scrambled order with repeats.
        (0..n)
            .map(|i| K(i.wrapping_mul(0x9e37_79b9_7f4a_7c15) % (n / 2 + 1)))
            .collect()
    }

    #[test]
    fn runs_on_disk_merge_into_the_order_of_one_sort() {
        let dir = tempfile::tempdir().unwrap();
        let all = keys(10_000);
        // 100 keys a run: the file holds 99 runs, the last stays in memory.
        let mut runs = Runs::new(100 * 8, dir.path());
        for &k in &all {
            runs.push(k).unwrap();
        }
        assert!(runs.spilled());
        assert_eq!(runs.len(), 10_000);
        assert_eq!(unnamed_in(dir.path()).len(), 1, "one file for every run");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "with no name"
        );
        let mut merge = runs.sorted();
        let got: Vec<K> = merge.by_ref().collect();
        assert!(merge.error().is_none());
        let mut want = all;
        want.sort_unstable();
        assert_eq!(got, want);
        drop(merge);
        assert!(unnamed_in(dir.path()).is_empty(), "the file is closed");
    }

    #[test]
    fn keys_within_the_budget_never_touch_the_disk() {
        let dir = tempfile::tempdir().unwrap();
        let mut runs = Runs::new(1 << 20, dir.path());
        for k in keys(1000) {
            runs.push(k).unwrap();
        }
        assert!(!runs.spilled());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        let got: Vec<K> = runs.sorted().collect();
        assert!(got.windows(2).all(|w| w[0] <= w[1]) && got.len() == 1000);
    }

    #[test]
    fn a_folder_that_cannot_hold_the_runs_is_an_error_not_a_panic() {
        let mut runs = Runs::new(8, Path::new("/nonexistent/dumpshift-spill"));
        runs.push(K(1)).unwrap();
        assert!(runs.push(K(2)).is_err());
    }

    #[test]
    fn sizes_read_as_bytes_or_powers_of_1024() {
        assert_eq!(parse_size("256M"), Ok(256 << 20));
        assert_eq!(parse_size("1G"), Ok(1 << 30));
        assert_eq!(parse_size("64k"), Ok(64 << 10));
        assert_eq!(parse_size("2MiB"), Ok(2 << 20));
        assert_eq!(parse_size("1048576"), Ok(1 << 20));
        for bad in ["", "M", "12Q", "-1M", "1K", "99999999999999999999T"] {
            assert!(parse_size(bad).is_err(), "{bad}");
        }
    }
}
