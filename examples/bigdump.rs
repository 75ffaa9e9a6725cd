//! `bigdump`: writes a large, seeded Life OS v1 dump in pg_dump 15's plain
//! format, for benchmarking dumpshift.
//!
//!     cargo run --release --example bigdump -- --size 1G --seed 42 -o /tmp/big1g.sql
//!
//! Owns the command line only; the generator is `bigdump/mod.rs`.

#[path = "bigdump/mod.rs"]
mod bigdump;

use std::fs::File;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;

/// Write a seeded Life OS v1 dump of about SIZE bytes (pg_dump 15 plain
/// format, timestamps in America/New_York). The same seed and size always
/// give the same bytes.
#[derive(Parser)]
#[command(name = "bigdump")]
struct Args {
    /// Target size: bytes, or with K, M, G or T (powers of 1024), e.g. 100M, 1G, 1.5G.
    /// Below about 100K the dump comes out larger: every table gets some rows.
    #[arg(short, long, value_parser = parse_size)]
    size: u64,
    /// Seed of every random choice.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Where to write the dump; `-` for stdout.
    #[arg(short, long)]
    output: PathBuf,
    /// No summary on stderr.
    #[arg(short, long)]
    quiet: bool,
}

fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let t = t
        .strip_suffix("iB")
        .or_else(|| t.strip_suffix('B'))
        .or_else(|| t.strip_suffix('b'))
        .unwrap_or(t);
    let (digits, shift) = match t.chars().last().map(|c| c.to_ascii_uppercase()) {
        Some('K') => (&t[..t.len() - 1], 10),
        Some('M') => (&t[..t.len() - 1], 20),
        Some('G') => (&t[..t.len() - 1], 30),
        Some('T') => (&t[..t.len() - 1], 40),
        _ => (t, 0),
    };
    let value: f64 = digits
        .parse()
        .map_err(|_| format!("not a size: {text:?} (try 10M, 1G, 5G)"))?;
    if !(value.is_finite() && value > 0.0) {
        return Err(format!("not a positive size: {text:?}"));
    }
    Ok((value * (1u64 << shift) as f64) as u64)
}

fn main() -> ExitCode {
    let args = Args::parse();
    let cfg = bigdump::Config {
        size: args.size,
        seed: args.seed,
    };
    let started = Instant::now();
    let to_stdout = args.output.as_os_str() == "-";
    let result = if to_stdout {
        bigdump::generate(&cfg, io::stdout())
    } else {
        File::create(&args.output).and_then(|file| bigdump::generate(&cfg, file))
    };
    let report = match result {
        Ok(report) => report,
        // `bigdump -o - | head`: the reader has all it wanted.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe && to_stdout => return ExitCode::FAILURE,
        Err(e) => {
            eprintln!("bigdump: {}: {e}", args.output.display());
            return ExitCode::FAILURE;
        }
    };
    if !args.quiet {
        summary(&report, started.elapsed().as_secs_f64());
    }
    ExitCode::SUCCESS
}

fn summary(report: &bigdump::Report, secs: f64) {
    let mut err = io::stderr().lock();
    for (table, rows) in report.counts.by_table() {
        let _ = writeln!(err, "{table:>14} {rows:>12}");
    }
    let mib = report.bytes as f64 / (1u64 << 20) as f64;
    let _ = writeln!(
        err,
        "bigdump: {} bytes ({mib:.1} MiB) in {secs:.2} s, {:.0} MiB/s",
        report.bytes,
        mib / secs.max(1e-9)
    );
}
