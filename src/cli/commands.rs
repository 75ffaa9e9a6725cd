//! The commands around the migration: `inspect`, the v2 schema, migration
//! folders (write and lint), baselines, the mapping, shell completions and
//! man pages. Each handler turns its arguments into the library's plain
//! options, calls the library, and writes the result: data through `print`,
//! the one place stdout is written, messages on stderr.

use std::io::{self, Write};
use std::path::Path;

use clap::CommandFactory;

use dumpshift::error::Error;
use dumpshift::mapping::{load, LIFE_OS};
use dumpshift::migrations::{self, baseline, lint};
use dumpshift::write::folder;
use dumpshift::{inspect, sayln};

use super::{
    BaselineArgs, Cli, CompletionsArgs, InspectArgs, MigrationsCheckArgs, MigrationsWriteArgs,
    Shell,
};

/// Writes `data` to stdout, the one place the commands put data. A reader
/// that goes away before the end (`| head`) gets exit 1, `cannot write -:
/// Broken pipe`, for every command as for the migration's `-o -`: the output
/// was not delivered whole.
pub fn print(data: &[u8]) -> Result<(), Error> {
    dumpshift::stdio::require_stdout()?;
    deliver(&mut io::stdout().lock(), data)
}

/// `data` written whole to `out`, or the error that names `-`.
fn deliver(out: &mut impl Write, data: &[u8]) -> Result<(), Error> {
    out.write_all(data)
        .and_then(|()| out.flush())
        .map_err(|e| Error::io("-", "write", e))
}

pub fn inspect(args: &InspectArgs) -> Result<(), Error> {
    let report = inspect::run(&inspect::Options {
        dump: args.dump.clone(),
        mapping: args.mapping.clone(),
        json: args.json,
    })?;
    print(&report)
}

pub fn schema() -> Result<(), Error> {
    print(migrations::schema_sql(&migrations::embedded()).as_bytes())
}

pub fn mapping_show() -> Result<(), Error> {
    print(LIFE_OS.as_bytes())
}

/// `dumpshift mapping check FILE`: the findings on stdout, one
/// `FILE:LINE: message` each, and exit 1 when there is any.
pub fn mapping_check(file: &Path) -> Result<(), Error> {
    let examined = load::examine(file, load::How::Check)?;
    let lines = examined.render();
    let mut out = String::new();
    for l in &lines {
        out.push_str(l);
        out.push('\n');
    }
    print(out.as_bytes())?;
    if let Some(m) = &examined.mapping {
        let d = &m.description;
        if d.source_ddl.is_none() && d.target_migrations.is_some() {
            sayln!(
                "dumpshift: {}: no source_ddl: the source columns the rules read were not checked (a run checks them against the dump's DDL)",
                file.display()
            );
        }
    }
    match &examined.mapping {
        Some(m) if examined.is_clean() => {
            sayln!(
                "dumpshift: {}: mapping {} ({} tables, target schema version {}), no findings",
                file.display(),
                m.description.name,
                m.description.tables.len(),
                m.version()
            );
            Ok(())
        }
        _ => Err(Error::Refused(format!(
            "{}: {} finding{}",
            file.display(),
            lines.len(),
            if lines.len() == 1 { "" } else { "s" }
        ))),
    }
}

pub fn migrations_write(args: &MigrationsWriteArgs) -> Result<(), Error> {
    let format = args.format.into();
    let all = migrations::embedded();
    let written = folder::write_all(&args.dir, &migrations::render(format, &all), args.force)?;
    sayln!(
        "dumpshift: wrote {} migrations ({} files, {format}) into {}",
        all.len(),
        written.len(),
        args.dir.display()
    );
    Ok(())
}

/// Findings go to stdout, as a linter's report is its output; the summary
/// and the verdict go to stderr.
pub fn migrations_check(args: &MigrationsCheckArgs) -> Result<(), Error> {
    let lint = lint::check_dir(&args.dir, args.format.map(Into::into))?;
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
        sayln!(
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
    let opts = baseline::Options {
        version: args.version,
        name: args.name.clone(),
        format: args.format.into(),
    };
    let b = baseline::read(&args.schema_dump, &opts)?;
    let written = folder::write_all(&args.output, &baseline::files(&b, &opts), args.force)?;
    for path in &written {
        sayln!("dumpshift: wrote {}", path.display());
    }
    sayln!(
        "dumpshift: the down section drops {} objects the up section creates",
        b.drops
    );
    for note in &b.notes {
        sayln!("  note: {note}");
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

/// Renders the man pages from these very definitions, as `clap_mangen`'s
/// `generate_to` does, but each page whole in memory before it is written,
/// so a failure names the file. No date in the pages: the same build gives
/// the same bytes.
pub fn write_man_pages(dir: &Path) -> Result<(), Error> {
    fn pages(cmd: clap::Command, out: &mut Vec<(String, Vec<u8>)>) {
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            pages(sub.clone(), out);
        }
        let man = clap_mangen::Man::new(cmd);
        let mut page = Vec::new();
        man.render(&mut page).expect("rendering into memory");
        out.push((man.get_filename(), page));
    }
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    let mut out = Vec::new();
    pages(cmd, &mut out);
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, "create the directory", e))?;
    for (name, page) in out {
        let path = dir.join(name);
        std::fs::write(&path, page).map_err(|e| Error::io(&path, "write", e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stdout whose reader went away after `room` bytes.
    struct Closing {
        room: usize,
    }

    impl Write for Closing {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.room == 0 {
                return Err(io::Error::from_raw_os_error(libc::EPIPE));
            }
            let n = buf.len().min(self.room);
            self.room -= n;
            Ok(n)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_reader_that_goes_away_is_exit_1_for_every_command_as_for_the_migration() {
        let err = deliver(&mut Closing { room: 10 }, &[b'x'; 100]).unwrap_err();
        assert!(
            err.to_string().contains("cannot write -: Broken pipe"),
            "{err}"
        );
        assert_eq!(dumpshift::exit::code_for(&err), dumpshift::exit::REFUSED);
    }

    #[test]
    fn output_that_fits_is_delivered_whole() {
        let mut out = Vec::new();
        deliver(&mut out, b"schema").unwrap();
        assert_eq!(out, b"schema");
    }
}
