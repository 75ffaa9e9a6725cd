//! The `dumpshift` binary: parse arguments, run, map the result to an exit code.

use std::process::ExitCode;

use clap::Parser;
use dumpshift::{cleanup, cli, exit, stdio};

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
