//! Runs dumpshift's command line with a counting allocator and prints the
//! peak of live heap bytes on stderr: the memory that a cgroup limit counts
//! and that page-cache figures such as peak RSS hide (mapped input pages are
//! in RSS, yet reclaimable).
//!
//!     cargo run --release --example heap_peak -- /tmp/bigdump-1G.sql -o /tmp/out.sql -q --force

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use clap::Parser;

// The command line lives on the binary's side; this measures the very same.
#[path = "../src/cli/mod.rs"]
mod cli;

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(n: usize) {
    let now = LIVE.fetch_add(n, Relaxed) + n;
    PEAK.fetch_max(now, Relaxed);
}

// SAFETY: every call is forwarded unchanged to the system allocator; the
// wrapper only counts sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        grew(l.size());
        unsafe { System.alloc(l) }
    }
    unsafe fn alloc_zeroed(&self, l: Layout) -> *mut u8 {
        grew(l.size());
        unsafe { System.alloc_zeroed(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size(), Relaxed);
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, size: usize) -> *mut u8 {
        if size > l.size() {
            grew(size - l.size());
        } else {
            LIVE.fetch_sub(l.size() - size, Relaxed);
        }
        unsafe { System.realloc(p, l, size) }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

fn main() -> std::process::ExitCode {
    let cli = cli::Cli::parse();
    // HEAP_TRACE=MS prints the live heap every MS milliseconds, to see
    // which phase holds it.
    if let Some(ms) = std::env::var("HEAP_TRACE")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        let start = std::time::Instant::now();
        std::thread::spawn(move || loop {
            std::thread::sleep(std::time::Duration::from_millis(ms));
            eprintln!(
                "heap_peak: {:6.2} s {:7.1} MiB",
                start.elapsed().as_secs_f64(),
                LIVE.load(Relaxed) as f64 / (1 << 20) as f64
            );
        });
    }
    let result = cli::run(&cli);
    eprintln!(
        "heap_peak: {:.1} MiB of live heap at most",
        PEAK.load(Relaxed) as f64 / (1 << 20) as f64
    );
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dumpshift: {e}");
            std::process::ExitCode::from(dumpshift::exit::code_for(&e))
        }
    }
}
