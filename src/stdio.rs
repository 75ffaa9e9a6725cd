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
