//! Messages on stderr that never panic. `eprintln!` panics when stderr is
//! a pipe whose reader has gone (EPIPE, as Rust ignores SIGPIPE); a message
//! nobody can read must not turn a finished run into a crash, so a failed
//! write to stderr is dropped. stdout is data and its failures are errors
//! (see `write::atomic`).

use std::io::Write;

/// Writes `text` to stderr, ignoring a stderr that cannot be written.
pub fn say(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes()).and_then(|()| err.flush());
}

/// `say` with a newline, the `eprintln!` that cannot panic.
#[macro_export]
macro_rules! sayln {
    ($($arg:tt)*) => {
        $crate::stdio::say(&format!("{}\n", format_args!($($arg)*)))
    };
}

/// Refuses to write data to a stdout that was closed when dumpshift
/// started (`>&-`). The Rust runtime then opens /dev/null read-write in its
/// place, so the data would vanish with exit 0; a shell's `> /dev/null`
/// opens it write-only, and stays allowed.
pub fn require_stdout() -> Result<(), crate::error::Error> {
    let is_null = std::fs::read_link("/proc/self/fd/1").is_ok_and(|p| p == *"/dev/null");
    let read_write = std::fs::read_to_string("/proc/self/fdinfo/1").is_ok_and(|info| {
        info.lines()
            .find_map(|l| l.strip_prefix("flags:"))
            .and_then(|f| u32::from_str_radix(f.trim(), 8).ok())
            .is_some_and(|flags| flags & 3 == 2)
    });
    if is_null && read_write {
        return Err(crate::error::Error::Refused(
            "stdout is closed, so `-` has nowhere to write; give a file name or open stdout".into(),
        ));
    }
    Ok(())
}
