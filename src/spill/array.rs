//! Whole-table arrays that outlive the read of their table (sorted ids,
//! sort orders, lookup values, parent edges): in memory while the run's
//! budget for them lasts, past it in a temporary file mapped into memory.
//!
//! A mapped array is read and written like one in memory, but its pages
//! belong to the page cache: the kernel writes them out and drops them
//! under memory pressure (a memory cgroup, say) instead of killing the
//! process. The file is reserved in full before it is mapped, so a full
//! disk is an error at creation, never a SIGBUS on a later write.

use std::fs::File;
use std::io;
use std::ops::{Deref, DerefMut};
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use memmap2::MmapMut;

use super::create_in;
use crate::cleanup;

/// The bytes that arrays may hold in memory, shared by every array of a
/// run; an array that does not fit in what is left goes to a file.
#[derive(Clone, Debug)]
pub struct Budget {
    free: Arc<AtomicUsize>,
    dir: PathBuf,
}

impl Budget {
    /// `bytes` in memory; files go to `dir`.
    pub fn new(bytes: usize, dir: &Path) -> Budget {
        Budget {
            free: Arc::new(AtomicUsize::new(bytes)),
            dir: dir.to_path_buf(),
        }
    }

    /// The folder temporary files go to.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Takes `bytes` from the budget if it has them.
    fn claim(&self, bytes: usize) -> bool {
        self.free
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |free| {
                free.checked_sub(bytes)
            })
            .is_ok()
    }

    fn release(&self, bytes: usize) {
        self.free.fetch_add(bytes, Ordering::AcqRel);
    }
}

/// A type that any bit pattern is a value of, with no padding, and whose
/// default is all zero bits: a new file's zeroes are default values.
///
/// # Safety
/// Implement only for such types (integers and arrays of them).
pub unsafe trait Plain: Copy + Default + Send + Sync + 'static {}

// SAFETY: integers and arrays of integers have no padding and no invalid
// bit patterns.
unsafe impl Plain for u8 {}
// SAFETY: as above.
unsafe impl Plain for u32 {}
// SAFETY: as above.
unsafe impl Plain for u128 {}
// SAFETY: as above.
unsafe impl Plain for [u128; 2] {}

/// A fixed-length array of `T`, in memory or in a mapped temporary file.
pub struct Array<T: Plain> {
    store: Store<T>,
}

enum Store<T> {
    Memory {
        data: Vec<T>,
        budget: Option<Budget>,
    },
    File {
        /// Dropped first: the map is forgotten before it is unmapped.
        _watch: cleanup::RangeWatch,
        map: MmapMut,
        len: usize,
        /// Unnamed: gone with its last descriptor and map.
        _file: File,
    },
}

impl<T: Plain> Default for Array<T> {
    fn default() -> Self {
        Array {
            store: Store::Memory {
                data: Vec::new(),
                budget: None,
            },
        }
    }
}

impl<T: Plain> Array<T> {
    /// `len` default values: in memory if `budget` has room for them, else
    /// in a file in its folder.
    pub fn new(len: usize, budget: &Budget) -> io::Result<Array<T>> {
        let bytes = len
            .checked_mul(std::mem::size_of::<T>())
            .ok_or(io::ErrorKind::FileTooLarge)?;
        if bytes == 0 {
            return Ok(Array::default());
        }
        if budget.claim(bytes) {
            return Ok(Array {
                store: Store::Memory {
                    data: vec![T::default(); len],
                    budget: Some(budget.clone()),
                },
            });
        }
        let file = create_in(budget.dir())?;
        reserve(&file, bytes)?;
        // SAFETY: the file is this run's own, mode 0600, reserved in full
        // above, and no other map of it exists; it stays open and mapped as
        // long as the array lives. Its bytes are read only as `T: Plain`,
        // which every bit pattern is, so even a write by another process of
        // the same user cannot make an invalid value. What no check can
        // stop: another process of the same user cutting the file short (or
        // a copy-on-write filesystem, where a reservation is no promise,
        // running out of room) makes the next touch of a lost page raise
        // SIGBUS; the map is watched, so the signal handler then removes
        // the run's named temporary files, says what happened, and exits 1.
        let map = unsafe { MmapMut::map_mut(&file) }?;
        let watch = cleanup::watch_temp_map(map.as_ptr() as usize, map.len());
        // A reserved file reads as zeroes, which is `T::default()`.
        Ok(Array {
            store: Store::File {
                _watch: watch,
                map,
                len,
                _file: file,
            },
        })
    }

    /// `values` as an array: kept as it is if `budget` has room for it.
    pub fn from_vec(mut values: Vec<T>, budget: &Budget) -> io::Result<Array<T>> {
        // What is claimed is what is held: no spare capacity beside it.
        values.shrink_to_fit();
        if values.is_empty() || budget.claim(values.len() * std::mem::size_of::<T>()) {
            let budget = (!values.is_empty()).then(|| budget.clone());
            return Ok(Array {
                store: Store::Memory {
                    data: values,
                    budget,
                },
            });
        }
        Array::collect(values.len(), values.into_iter(), budget)
    }

    /// The first `len` values of `values` (default values past their end).
    pub fn collect(
        len: usize,
        values: impl Iterator<Item = T>,
        budget: &Budget,
    ) -> io::Result<Array<T>> {
        let mut a = Array::new(len, budget)?;
        for (slot, v) in a.iter_mut().zip(values) {
            *slot = v;
        }
        Ok(a)
    }

    /// Whether the values are in a file rather than in memory.
    pub fn on_disk(&self) -> bool {
        matches!(self.store, Store::File { .. })
    }
}

/// Reserves `bytes` of disk for `file`, so writes through the map never
/// meet a full disk.
fn reserve(file: &File, bytes: usize) -> io::Result<()> {
    let len = libc::off_t::try_from(bytes).map_err(|_| io::ErrorKind::FileTooLarge)?;
    // SAFETY: a plain system call on an open descriptor.
    match unsafe { libc::posix_fallocate(file.as_raw_fd(), 0, len) } {
        0 => Ok(()),
        e => Err(io::Error::from_raw_os_error(e)),
    }
}

impl<T: Plain> Deref for Array<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        match &self.store {
            Store::Memory { data, .. } => data,
            // SAFETY: the map is page-aligned, which is more than any
            // `Plain` type's alignment, holds `len` values (it was sized and
            // reserved for them), lives as long as `self`, and any bit
            // pattern is a `T`.
            Store::File { map, len, .. } => unsafe {
                std::slice::from_raw_parts(map.as_ptr().cast::<T>(), *len)
            },
        }
    }
}

impl<T: Plain> DerefMut for Array<T> {
    fn deref_mut(&mut self) -> &mut [T] {
        match &mut self.store {
            Store::Memory { data, .. } => data,
            // SAFETY: as for `deref`, and `&mut self` makes this the only
            // reference into the map.
            Store::File { map, len, .. } => unsafe {
                std::slice::from_raw_parts_mut(map.as_mut_ptr().cast::<T>(), *len)
            },
        }
    }
}

impl<T: Plain> Drop for Array<T> {
    fn drop(&mut self) {
        if let Store::Memory {
            data,
            budget: Some(b),
        } = &self.store
        {
            b.release(data.len() * std::mem::size_of::<T>());
        }
    }
}

impl<T: Plain + std::fmt::Debug> std::fmt::Debug for Array<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Array")
            .field("len", &self.len())
            .field("on_disk", &self.on_disk())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spill::tests::unnamed_in;

    #[test]
    fn an_array_within_the_budget_stays_in_memory_and_gives_its_bytes_back() {
        let dir = tempfile::tempdir().unwrap();
        let budget = Budget::new(1000, dir.path());
        let a = Array::<u128>::collect(50, (0..50u128).rev(), &budget).unwrap();
        assert!(!a.on_disk());
        assert_eq!(a[0], 49);
        let b = Array::<u128>::new(50, &budget).unwrap();
        assert!(b.on_disk(), "the budget had 200 bytes left, not 800");
        assert_eq!(unnamed_in(dir.path()).len(), 1);
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "it has no name"
        );
        drop(a);
        let c = Array::<u128>::new(50, &budget).unwrap();
        assert!(!c.on_disk(), "dropping the first array gave its bytes back");
        drop(b);
        assert!(unnamed_in(dir.path()).is_empty(), "gone with the array");
    }

    /// The child's half of the test below: maps an array on disk in
    /// `dir`, cuts its file short as another process would, and touches it.
    fn touch_an_array_whose_file_was_cut_short(dir: &Path) {
        crate::cleanup::install();
        let budget = Budget::new(0, dir);
        let mut a = Array::<u128>::new(1 << 16, &budget).unwrap();
        let file = unnamed_in(dir).pop().expect("the array's file");
        File::options()
            .write(true)
            .open(file)
            .unwrap()
            .set_len(0)
            .unwrap();
        let last = a.len() - 1;
        a[last] = 1;
        unreachable!("the touch of a lost page raises SIGBUS");
    }

    #[test]
    fn a_mapped_temporary_file_cut_short_ends_the_run_with_a_message_and_leaves_nothing() {
        const CHILD: &str = "DUMPSHIFT_TEST_SIGBUS_DIR";
        if let Some(dir) = std::env::var_os(CHILD) {
            return touch_an_array_whose_file_was_cut_short(Path::new(&dir));
        }
        // The signal ends the process, so a child runs this very test.
        let dir = tempfile::tempdir().unwrap();
        let name = "spill::array::tests::a_mapped_temporary_file_cut_short_ends_the_run_with_a_message_and_leaves_nothing";
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--exact", name, "--nocapture", "--test-threads=1"])
            .env(CHILD, dir.path())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.contains("a temporary file it had mapped lost its pages"),
            "{stderr}"
        );
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "nothing with a name is left"
        );
    }

    #[test]
    fn an_array_on_disk_reads_and_writes_like_one_in_memory() {
        let dir = tempfile::tempdir().unwrap();
        let budget = Budget::new(0, dir.path());
        let mut a = Array::<u32>::collect(100_000, 0..70_000u32, &budget).unwrap();
        assert!(a.on_disk());
        assert_eq!(a.len(), 100_000);
        assert_eq!(a[69_999], 69_999);
        assert_eq!(a[70_000], 0, "past the values' end: the default");
        a[99_999] = 7;
        assert_eq!(
            a.iter().map(|&v| u64::from(v)).sum::<u64>(),
            69_999 * 70_000 / 2 + 7
        );
        let mut pairs = Array::<[u128; 2]>::new(3, &budget).unwrap();
        pairs[2] = [u128::MAX, 1];
        assert_eq!(&pairs[..], &[[0, 0], [0, 0], [u128::MAX, 1]]);
    }

    #[test]
    fn a_folder_that_cannot_hold_an_array_is_an_error_not_a_panic() {
        let budget = Budget::new(0, Path::new("/nonexistent/dumpshift-spill"));
        assert!(Array::<u128>::new(10, &budget).is_err());
        assert!(Array::<u128>::new(0, &budget).unwrap().is_empty());
    }
}
