//! The `dumpshift` binary: parse arguments, run, map the result to an exit
//! code. The command line (clap) lives here and in `cli`, on the binary's
//! side; the library takes plain options.

mod cli;

use std::process::ExitCode;

use clap::Parser;
use dumpshift::{cleanup, exit, stdio};

fn main() -> ExitCode {
    cleanup::install();
    let args = match cli::Cli::try_parse() {
        Ok(a) => a,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                exit::USAGE
            } else {
                exit::SUCCESS
            });
        }
    };
    match cli::run(&args) {
        Ok(()) => ExitCode::from(exit::SUCCESS),
        Err(e) => {
            stdio::say(&format!("dumpshift: {e}\n"));
            ExitCode::from(exit::code_for(&e))
        }
    }
}
