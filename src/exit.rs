//! Exit codes: the one place the process's exit statuses are defined.
//!
//! They are part of dumpshift's interface (documented in `--help` and the
//! README), so scripts can tell bad data from a bad command line.

use crate::error::Error;

/// The migration finished and the output was written.
pub const SUCCESS: u8 = 0;
/// The input was invalid, the migration was refused, or an I/O step failed.
/// Nothing was written at the output path.
pub const REFUSED: u8 = 1;
/// The command line was wrong (unknown flag, missing argument, bad value).
pub const USAGE: u8 = 2;

/// Maps an error to the exit code the process ends with.
pub fn code_for(err: &Error) -> u8 {
    match err {
        Error::Usage(_) => USAGE,
        _ => REFUSED,
    }
}
