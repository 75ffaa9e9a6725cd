//! The `dumpshift` binary: parse arguments, run, map the result to an exit code.

use std::process::ExitCode;

use clap::Parser;
use dumpshift::{cli, exit};

fn main() -> ExitCode {
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
            eprintln!("dumpshift: {e}");
            ExitCode::from(exit::code_for(&e))
        }
    }
}
