//! The commands around the migration: the v2 schema, migration folders
//! (write and lint), baselines, the mapping, shell completions. Each
//! command's work lives in the library (`migrations`, `baseline`); this
//! module reads the arguments, writes the output and reports on stderr.

pub mod baseline;
pub mod outdir;

use std::io::{self, Write};
use std::path::Path;

use clap::CommandFactory;

use crate::cli::{
    BaselineArgs, Cli, CompletionsArgs, MigrationsCheckArgs, MigrationsWriteArgs, SchemaArgs, Shell,
};
use crate::error::Error;
use crate::input::Input;
use crate::migrations::{self, lint, render, Migration};

/// Writes `text` to stdout, the one place these commands put data.
fn print(text: &[u8]) -> Result<(), Error> {
    crate::stdio::require_stdout()?;
    let mut out = io::stdout().lock();
    out.write_all(text)
        .and_then(|()| out.flush())
        .map_err(|e| Error::io("-", "write", e))
}

/// The v2 schema: every embedded migration's up section, in order.
pub fn schema_sql(migrations: &[Migration]) -> String {
    let version = migrations.last().map_or(0, |m| m.version);
    let mut sql = format!(
        "-- Life OS v2 schema (version {version}), from dumpshift {}'s embedded migrations.\n",
        env!("CARGO_PKG_VERSION")
    );
    for m in migrations {
        sql.push_str(&format!(
            "\n-- migration {}.up.sql\n{}\n",
            migrations::stem(m.version, &m.name),
            m.up.trim_end()
        ));
    }
    sql
}

pub fn schema(_: &SchemaArgs) -> Result<(), Error> {
    print(schema_sql(&migrations::embedded()).as_bytes())
}

pub fn migrations_write(args: &MigrationsWriteArgs) -> Result<(), Error> {
    let all = migrations::embedded();
    let files = render(args.format, &all);
    let written = outdir::write_all(&args.dir, &files, args.force)?;
    crate::sayln!(
        "dumpshift: wrote {} migrations ({} files, {}) into {}",
        all.len(),
        written.len(),
        args.format,
        args.dir.display()
    );
    Ok(())
}

/// Findings go to stdout, as a linter's report is its output; the summary
/// and the verdict go to stderr.
pub fn migrations_check(args: &MigrationsCheckArgs) -> Result<(), Error> {
    let lint = lint::check_dir(&args.dir, args.format)?;
    let mut report = String::new();
    for f in &lint.findings {
        let line = match f.place() {
            Some((file, Some(n))) => format!("{}:{n}: {}", at(&args.dir, file), f.message()),
            Some((file, None)) => format!("{}: {}", at(&args.dir, file), f.message()),
            None => format!("{}: {}", args.dir.display(), f.message()),
        };
        report.push_str(&line);
        report.push('\n');
    }
    print(report.as_bytes())?;
    if lint.findings.is_empty() {
        crate::sayln!(
            "dumpshift: {}: {} migrations ({}), no findings",
            args.dir.display(),
            lint.migrations,
            lint.format
        );
        return Ok(());
    }
    Err(Error::Refused(format!(
        "{}: {} finding{} in {} migrations ({})",
        args.dir.display(),
        lint.findings.len(),
        if lint.findings.len() == 1 { "" } else { "s" },
        lint.migrations,
        lint.format
    )))
}

fn at(dir: &Path, file: &str) -> String {
    dir.join(file).display().to_string()
}

pub fn baseline(args: &BaselineArgs) -> Result<(), Error> {
    let input = Input::open(&args.schema_dump)?;
    let file = args.schema_dump.display().to_string();
    let opts = baseline::Options {
        version: args.version,
        name: args.name.clone(),
        format: args.format,
    };
    let b = baseline::convert(&file, input.bytes(), &opts)?;
    input.unchanged()?;
    let mut files = render(args.format, std::slice::from_ref(&b.migration));
    files.push((baseline::mark_applied_name(&opts), b.mark_applied));
    let written = outdir::write_all(&args.output, &files, args.force)?;
    for path in &written {
        crate::sayln!("dumpshift: wrote {}", path.display());
    }
    crate::sayln!(
        "dumpshift: the down section drops {} objects the up section creates",
        b.drops
    );
    for note in &b.notes {
        crate::sayln!("  note: {note}");
    }
    Ok(())
}

pub fn completions(args: &CompletionsArgs) -> Result<(), Error> {
    let shell = match args.shell {
        Shell::Bash => clap_complete::Shell::Bash,
        Shell::Zsh => clap_complete::Shell::Zsh,
        Shell::Fish => clap_complete::Shell::Fish,
    };
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "dumpshift", &mut script);
    print(&script)
}
