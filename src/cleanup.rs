//! What a run cut short leaves behind: nothing. Every temporary file and
//! every folder dumpshift creates is entered in a fixed table while it
//! exists; SIGINT, SIGTERM, SIGHUP and the other signals that would end the
//! process (SIGQUIT, SIGUSR1, SIGALRM...) remove them all and end it with
//! 128 + the signal's number (130, 143, 129...), unless the signal was
//! ignored when dumpshift started (`nohup`). Spill files have no name at
//! all, so even a SIGKILL leaves none of them. A SIGBUS raised by reading
//! the memory-mapped input (the file was cut short by another process while
//! it was read) removes them too, says so, and exits 1; so does one raised
//! by a mapped temporary file of the run (`spill::Array`) that lost its
//! pages.
//!
//! This is dumpshift's second `unsafe` boundary, after the input's memory
//! map: the signal handler and the raw table it reads. The handler may only
//! call async-signal-safe functions (`unlink`, `rmdir`, `write`, `sigaction`,
//! `_exit`), so the table is plain static memory: no allocation, no lock. A
//! slot is claimed, filled, then published with one atomic store; the
//! handler takes a published slot with a compare-and-swap before reading it,
//! and a thread releasing a slot the handler took waits for the exit, so the
//! handler never reads a path while it is rewritten.

use std::cell::UnsafeCell;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};

/// How many temporary paths can exist at once (the most a run holds is
/// one per migration file, under 30).
const SLOTS: usize = 128;
/// PATH_MAX on Linux, with its NUL.
const PATH_BYTES: usize = 4096;

const FREE: u8 = 0;
/// Claimed by a thread that is writing the path in.
const FILLING: u8 = 1;
const FILE: u8 = 2;
const DIR: u8 = 3;
/// Taken by the signal handler; never given back.
const DYING: u8 = 4;

struct Slot {
    state: AtomicU8,
    path: UnsafeCell<[u8; PATH_BYTES]>,
}

// SAFETY: `path` is written only by the thread that moved `state` from FREE
// to FILLING, and read only by the handler after it moved `state` from FILE
// or DIR to DYING; the two never overlap (see the module note).
unsafe impl Sync for Slot {}

static TABLE: [Slot; SLOTS] = [const {
    Slot {
        state: AtomicU8::new(FREE),
        path: UnsafeCell::new([0; PATH_BYTES]),
    }
}; SLOTS];

/// The message a SIGBUS in the input's map prints, and that map's range.
static BUS_MESSAGE: Slot = Slot {
    state: AtomicU8::new(FREE),
    path: UnsafeCell::new([0; PATH_BYTES]),
};
static BUS_MESSAGE_LEN: AtomicUsize = AtomicUsize::new(0);
static MAP_START: AtomicUsize = AtomicUsize::new(0);
static MAP_LEN: AtomicUsize = AtomicUsize::new(0);

/// A path in the table; dropping it takes the path out again (after the
/// owner removed or renamed the file).
#[derive(Debug)]
pub struct Entry(Option<usize>);

/// Enters a temporary file that is about to be created at `path`.
pub fn file(path: &Path) -> Entry {
    enter(path, FILE)
}

/// Enters a folder this run just created (removed only while empty).
pub fn dir(path: &Path) -> Entry {
    enter(path, DIR)
}

fn enter(path: &Path, kind: u8) -> Entry {
    let bytes = path.as_os_str().as_bytes();
    if bytes.len() >= PATH_BYTES || bytes.contains(&0) {
        return Entry(None);
    }
    for (i, slot) in TABLE.iter().enumerate() {
        if slot
            .state
            .compare_exchange(FREE, FILLING, Ordering::Acquire, Ordering::Relaxed)
            .is_ok()
        {
            // SAFETY: FILLING makes this thread the slot's only user.
            let buf = unsafe { &mut *slot.path.get() };
            buf[..bytes.len()].copy_from_slice(bytes);
            buf[bytes.len()] = 0;
            slot.state.store(kind, Ordering::Release);
            return Entry(Some(i));
        }
    }
    // A full table only means this path is not removed on a signal.
    Entry(None)
}

impl Drop for Entry {
    fn drop(&mut self) {
        let Some(i) = self.0 else { return };
        let state = &TABLE[i].state;
        loop {
            let now = state.load(Ordering::Acquire);
            if now == DYING {
                // The handler is removing it and ends the process.
                std::thread::sleep(std::time::Duration::from_secs(1));
                continue;
            }
            if state
                .compare_exchange(now, FREE, Ordering::AcqRel, Ordering::Acquire)
                .is_ok()
            {
                return;
            }
        }
    }
}

/// The memory-mapped input: a SIGBUS inside `start..start + len` means the
/// file was cut short while it was read. Returns a guard that forgets it.
pub fn watch_map(start: usize, len: usize, file: &Path) -> MapWatch {
    let msg = format!(
        "dumpshift: {}: the input changed while it was read (another process cut it short); dumpshift stopped and removed its temporary files\n",
        file.display()
    );
    let bytes = msg.as_bytes();
    if BUS_MESSAGE
        .state
        .compare_exchange(FREE, FILLING, Ordering::Acquire, Ordering::Relaxed)
        .is_ok()
    {
        let n = bytes.len().min(PATH_BYTES);
        // SAFETY: FILLING makes this thread the buffer's only user.
        unsafe { (&mut *BUS_MESSAGE.path.get())[..n].copy_from_slice(&bytes[..n]) };
        BUS_MESSAGE_LEN.store(n, Ordering::Relaxed);
        MAP_START.store(start, Ordering::Relaxed);
        MAP_LEN.store(len, Ordering::Relaxed);
        BUS_MESSAGE.state.store(FILE, Ordering::Release);
        return MapWatch(true);
    }
    MapWatch(false)
}

/// Forgets the watched map when the map goes.
#[derive(Debug)]
pub struct MapWatch(bool);

impl Drop for MapWatch {
    fn drop(&mut self) {
        if self.0 {
            MAP_LEN.store(0, Ordering::Relaxed);
            BUS_MESSAGE.state.store(FREE, Ordering::Release);
        }
    }
}

/// How many mapped temporary files can be watched at once (a run maps a
/// few per table); past that a file is mapped unwatched.
const RANGES: usize = 256;

/// One watched map of a temporary file. The handler reads only atomics, so
/// a range given back while it looks is a stale answer, never a torn read.
struct Range {
    state: AtomicU8,
    start: AtomicUsize,
    len: AtomicUsize,
}

static TEMP_MAPS: [Range; RANGES] = [const {
    Range {
        state: AtomicU8::new(FREE),
        start: AtomicUsize::new(0),
        len: AtomicUsize::new(0),
    }
}; RANGES];

const TEMP_BUS: &[u8] = b"dumpshift: a temporary file it had mapped lost its pages (another process cut it short, or the file system of TMPDIR ran out of room); dumpshift stopped and removed its temporary files\n";

/// A mapped temporary file at `start..start + len`: a SIGBUS there ends the
/// run as a cut-short input does, temporary files removed. Returns a guard
/// that forgets it; drop it before the map is unmapped.
pub fn watch_temp_map(start: usize, len: usize) -> RangeWatch {
    for (i, r) in TEMP_MAPS.iter().enumerate() {
        if r.state
            .compare_exchange(FREE, FILLING, Ordering::Acquire, Ordering::Relaxed)
            .is_ok()
        {
            r.start.store(start, Ordering::Relaxed);
            r.len.store(len, Ordering::Relaxed);
            r.state.store(FILE, Ordering::Release);
            return RangeWatch(Some(i));
        }
    }
    RangeWatch(None)
}

/// Forgets a watched temporary map when dropped.
#[derive(Debug)]
pub struct RangeWatch(Option<usize>);

impl Drop for RangeWatch {
    fn drop(&mut self) {
        if let Some(i) = self.0 {
            TEMP_MAPS[i].state.store(FREE, Ordering::Release);
        }
    }
}

/// Whether `addr` lies in a watched temporary map.
fn in_temp_map(addr: usize) -> bool {
    TEMP_MAPS.iter().any(|r| {
        r.state.load(Ordering::Acquire) == FILE && {
            let (start, len) = (
                r.start.load(Ordering::Relaxed),
                r.len.load(Ordering::Relaxed),
            );
            addr >= start && addr - start < len
        }
    })
}

/// The handlers' previous SIGBUS action, restored for a SIGBUS that is not
/// the input's (e.g. the runtime's own uses).
static mut OLD_BUS: std::mem::MaybeUninit<libc::sigaction> = std::mem::MaybeUninit::zeroed();

/// The signals whose default action ends the process (SIGXFSZ aside: it
/// is left to fail the write that passed the limit, an error like a full
/// disk). Each removes the temporary files first.
const STOPPING: &[libc::c_int] = &[
    libc::SIGINT,
    libc::SIGTERM,
    libc::SIGHUP,
    libc::SIGQUIT,
    libc::SIGUSR1,
    libc::SIGUSR2,
    libc::SIGALRM,
    libc::SIGVTALRM,
    libc::SIGPROF,
    libc::SIGXCPU,
    libc::SIGIO,
];

/// Installs the handler for the stopping signals and SIGBUS. Called once,
/// first thing in `main`, before any thread starts.
pub fn install() {
    // SAFETY: plain sigaction calls with a fully initialised struct; the
    // handler only calls async-signal-safe functions. OLD_BUS is written
    // here, before any thread or signal can read it.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = handler as *const () as usize;
        action.sa_flags = libc::SA_SIGINFO;
        libc::sigemptyset(&mut action.sa_mask);
        for &sig in STOPPING.iter().chain(&[libc::SIGBUS]) {
            libc::sigaddset(&mut action.sa_mask, sig);
        }
        for &sig in STOPPING {
            // A signal ignored when dumpshift started (`nohup` ignores
            // SIGHUP) stays ignored: the caller asked for the run to live.
            let mut old: libc::sigaction = std::mem::zeroed();
            libc::sigaction(sig, std::ptr::null(), &mut old);
            if old.sa_sigaction != libc::SIG_IGN {
                libc::sigaction(sig, &action, std::ptr::null_mut());
            }
        }
        let old = std::ptr::addr_of_mut!(OLD_BUS).cast::<libc::sigaction>();
        libc::sigaction(libc::SIGBUS, &action, old);
    }
}

const STOPPED: &[u8] = b"dumpshift: stopped by a signal; its temporary files were removed\n";

extern "C" fn handler(sig: libc::c_int, info: *mut libc::siginfo_t, _: *mut libc::c_void) {
    // SAFETY: only async-signal-safe calls; `info` is the kernel's.
    unsafe {
        if sig == libc::SIGBUS {
            let addr = (*info).si_addr() as usize;
            let start = MAP_START.load(Ordering::Relaxed);
            let len = MAP_LEN.load(Ordering::Relaxed);
            if in_temp_map(addr) {
                remove_all();
                libc::write(2, TEMP_BUS.as_ptr().cast(), TEMP_BUS.len());
                libc::_exit(1);
            }
            if !(addr >= start && addr - start < len) {
                // Not the input: let the previous action have it (the
                // faulting access runs again when the handler returns).
                let old = std::ptr::addr_of!(OLD_BUS).cast::<libc::sigaction>();
                libc::sigaction(libc::SIGBUS, old, std::ptr::null_mut());
                return;
            }
            remove_all();
            if BUS_MESSAGE.state.load(Ordering::Acquire) == FILE {
                let n = BUS_MESSAGE_LEN.load(Ordering::Relaxed);
                libc::write(2, BUS_MESSAGE.path.get().cast(), n);
            }
            libc::_exit(1);
        }
        remove_all();
        libc::write(2, STOPPED.as_ptr().cast(), STOPPED.len());
        libc::_exit(128 + sig);
    }
}

/// Removes every file, then every folder (deepest first: the later entry).
///
/// # Safety
/// Async-signal-safe; only for the handler.
unsafe fn remove_all() {
    for kind in [FILE, DIR] {
        for slot in TABLE.iter().rev() {
            if slot
                .state
                .compare_exchange(kind, DYING, Ordering::AcqRel, Ordering::Relaxed)
                .is_ok()
            {
                let path = slot.path.get().cast::<libc::c_char>();
                if kind == FILE {
                    libc::unlink(path);
                } else {
                    libc::rmdir(path);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_given_back_and_reused() {
        let taken = |p: &str| {
            TABLE.iter().any(|s| {
                s.state.load(Ordering::Acquire) == FILE
                    && unsafe { (&*s.path.get()).starts_with(p.as_bytes()) }
            })
        };
        let a = file(Path::new("/tmp/dumpshift-test-entry-a\0x"));
        assert!(a.0.is_none(), "a path with a NUL is not entered");
        let b = file(Path::new("/tmp/dumpshift-test-entry-b"));
        assert!(taken("/tmp/dumpshift-test-entry-b\0"));
        drop(b);
        assert!(!taken("/tmp/dumpshift-test-entry-b\0"));
    }
}
