//! The command line, on the binary's side only: arguments, `--help` text,
//! and turning them into the library's plain options. Each command's work is
//! a library call; `commands` holds the other commands' handlers and the one
//! place stdout is written.

mod commands;

use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand};

use dumpshift::error::Error;
use dumpshift::mapping::load::Mapping;
use dumpshift::mapping::storage_path;
use dumpshift::mapping::Description;
use dumpshift::migrate::{self, Extras, Options, Summary};
use dumpshift::migrations::Format;
use dumpshift::report;
use dumpshift::write::atomic;

const AFTER_HELP: &str = "\
Examples:
  dumpshift life_os_v1_backup.sql -o v2_load.sql
  createdb lifeos && psql -v ON_ERROR_STOP=1 -f v2_load.sql lifeos

  pg_dump lifeos_v1 | dumpshift - -o - > v2_load.sql
  dumpshift backup.sql -o v2_load.sql --storage-root /srv/lifeos/files --force
  dumpshift mapping check shop.toml                        # another schema:
  dumpshift shop.sql -o shop_v2.sql --mapping shop.toml    # check, then migrate

  # Check the staged bucket, copy its objects into place, keep a JSON report:
  dumpshift backup.sql -o v2_load.sql --files-dir staged/life-os-files \
      --copy-files-to /opt/lifeos/storage/files --report migration.json

  # The v2 schema was applied by golang-migrate or dbmate: rows only.
  dumpshift backup.sql -o v2_data.sql --data-only

Exit codes:
  0  the load file was written
  1  the dump was refused (invalid data, drift, truncation) or a file could not
     be read or written; nothing was written at OUT
  2  the command line was wrong, or the --mapping file is not a valid mapping
  129, 130, 143  stopped by SIGHUP, SIGINT or SIGTERM; temporary files removed

OUT may be a file (replaced atomically; --force to replace an existing one,
a symbolic link to one is followed), `-`, a FIFO or a device (written
straight into). A directory or a block device is never written.";

/// `dumpshift --version`: the version, the commit built from (`unknown`
/// outside a git checkout, `-dirty` after uncommitted changes to the
/// sources), and the v2 schema version the load files record. One
/// `key: value` per line after the first, so a bug report says what ran.
pub const LONG_VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    "\ncommit: ",
    env!("DUMPSHIFT_COMMIT"),
    "\nv2 schema: ",
    env!("DUMPSHIFT_SCHEMA_VERSION"),
);

/// Migrate a PostgreSQL dump into another schema, offline: Life OS v1 to v2
/// built in, any schema with --mapping.
///
/// Without a command, dumpshift migrates DUMP into the load file OUT. The
/// commands below look into dumps, check mappings and keep the v2 schema
/// under migration discipline.
#[derive(Debug, Parser)]
#[command(
    name = "dumpshift",
    version,
    long_version = LONG_VERSION,
    about,
    after_help = AFTER_HELP,
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub migrate: MigrateArgs,
}

/// The commands besides the migration itself.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show what a dump holds: its form, versions, schemas, tables, row
    /// counts, and drift against the mapping. Reads, counts, transforms nothing.
    Inspect(InspectArgs),
    /// Print the v2 schema's DDL (every embedded migration's up section).
    Schema(SchemaArgs),
    /// Write the v2 migrations as golang-migrate or dbmate files, or lint a
    /// migrations folder.
    #[command(subcommand)]
    Migrations(MigrationsCommand),
    /// Turn a `pg_dump --schema-only` file into a baseline migration and the
    /// SQL that marks it applied.
    Baseline(BaselineArgs),
    /// Check a loaded v2 database against a restored v1: PostgreSQL
    /// recomputes the mapping from v1 and every v2 row is compared.
    Verify(VerifyArgs),
    /// Show the mapping.
    #[command(subcommand)]
    Mapping(MappingCommand),
    /// Print a shell completion script (bash, zsh, fish).
    Completions(CompletionsArgs),
    /// Write the man pages (dumpshift.1 and one per command) into DIR; for
    /// packaging, hence hidden.
    #[command(hide = true)]
    Man(ManArgs),
}

const INSPECT_HELP: &str = "\
Examples:
  dumpshift inspect life_os_v1_backup.sql
  dumpshift inspect shop.sql --mapping shop.toml
  pg_dump lifeos_v1 | dumpshift inspect - --json | jq '.databases[0].drift'

Drift is what would stop or change a migration: a column the mapping needs
and the dump lacks, a column the dump has and the mapping drops, a mapped
table not in the dump, a table of the source schema the mapping does not
cover.

Exit codes:
  0  the report was printed (drift or not)
  1  the dump could not be read, or stdout could not be written (a reader
     that went away before the end)
  2  the command line or the mapping file was wrong";

#[derive(Debug, Args)]
#[command(after_help = INSPECT_HELP)]
pub struct InspectArgs {
    /// The dump to look into, or `-` for stdin.
    pub dump: PathBuf,

    /// Compare with this mapping file (TOML) instead of the built-in Life OS
    /// mapping.
    #[arg(long, value_name = "FILE")]
    pub mapping: Option<PathBuf>,

    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

const SCHEMA_HELP: &str = "\
Examples:
  dumpshift schema > v2_schema.sql
  createdb lifeos_empty && psql -v ON_ERROR_STOP=1 -1 -f v2_schema.sql lifeos_empty

The output is every embedded migration's up section, in order: the schema the
load file creates, without schema_migrations and without data.";

#[derive(Debug, Args)]
#[command(after_help = SCHEMA_HELP)]
pub struct SchemaArgs {}

#[derive(Debug, Subcommand)]
pub enum MigrationsCommand {
    /// Write the v2 migrations as files into DIR.
    Write(MigrationsWriteArgs),
    /// Lint a migrations folder (golang-migrate or dbmate): duplicate or
    /// missing numbers, up without down, empty sections, SQL that does not parse.
    Check(MigrationsCheckArgs),
}

const WRITE_HELP: &str = "\
Examples:
  dumpshift migrations write backend/migrations
  migrate -path backend/migrations -database \"$DATABASE_URL\" up

  dumpshift migrations write db/migrations --format dbmate
  dbmate --migrations-dir db/migrations up

golang-migrate gets NNNN_name.up.sql and NNNN_name.down.sql per migration;
dbmate gets one NNNN_name.sql with `-- migrate:up` and `-- migrate:down`
sections. Nothing is written unless every file can be.

Exit codes:
  0  the files were written
  1  a file exists already (see --force) or could not be written
  2  the command line was wrong";

#[derive(Debug, Args)]
#[command(after_help = WRITE_HELP)]
pub struct MigrationsWriteArgs {
    /// The folder to write into; created if missing.
    pub dir: PathBuf,

    /// The migration tool's file layout.
    #[arg(long, value_enum, default_value_t = FormatArg::GolangMigrate)]
    pub format: FormatArg,

    /// Replace files of the same names in DIR.
    #[arg(long)]
    pub force: bool,
}

const CHECK_HELP: &str = "\
Examples:
  dumpshift migrations check backend/migrations
  dumpshift migrations check db/migrations --format dbmate

Findings go to stdout, one per line (FILE:LINE: message, or FILE: message);
the summary goes to stderr. Files whose name starts with a digit and ends in
.sql are migrations, as the tools read them; others are not looked at.
golang-migrate is assumed when any file ends in .up.sql or .down.sql.

Exit codes:
  0  no findings
  1  findings (listed on stdout), or DIR could not be read
  2  the command line was wrong";

#[derive(Debug, Args)]
#[command(after_help = CHECK_HELP)]
pub struct MigrationsCheckArgs {
    /// The migrations folder to lint.
    pub dir: PathBuf,

    /// The layout to check against (default: detected from the file names).
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,
}

const BASELINE_HELP: &str = "\
Examples:
  pg_dump --schema-only lifeos > schema.sql
  dumpshift baseline schema.sql -o backend/migrations
  psql -v ON_ERROR_STOP=1 -f backend/migrations/mark_applied_0001_baseline.sql lifeos

  pg_dump --schema-only lifeos | dumpshift baseline - -o db/migrations --format dbmate

Writes the baseline migration (up: the schema, down: drops what the up
creates) and mark_applied_NNNN_name.sql, which records the baseline as applied
in the database the dump came from. The up section runs in one transaction:
pg_dump's session SETs become SET LOCAL, \\restrict lines are left out.

Exit codes:
  0  the files were written
  1  the dump was refused (data in it, another database, SQL that does not
     parse) or a file exists already or could not be written
  2  the command line was wrong";

#[derive(Debug, Args)]
#[command(after_help = BASELINE_HELP)]
pub struct BaselineArgs {
    /// A `pg_dump --schema-only` file, or `-` for stdin.
    pub schema_dump: PathBuf,

    /// The migrations folder to write the baseline into; created if missing.
    #[arg(short, long, value_name = "DIR")]
    pub output: PathBuf,

    /// The migration tool's file layout and schema_migrations table.
    #[arg(long, value_enum, default_value_t = FormatArg::GolangMigrate)]
    pub format: FormatArg,

    /// The baseline's version number (e.g. a timestamp such as 20260301120000).
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(i64).range(1..))]
    pub version: i64,

    /// The baseline's name, the part of the file name after the number.
    #[arg(long, value_name = "NAME", default_value = "baseline", value_parser = migration_name)]
    pub name: String,

    /// Replace files of the same names in DIR.
    #[arg(long)]
    pub force: bool,
}

/// The most worker threads `-j` starts. Past the cores, threads only cost
/// memory and switches; a mistyped `-j 100000` must not start 100000.
const MAX_THREADS: usize = 256;

fn thread_count(s: &str) -> Result<usize, String> {
    match s.trim().parse::<usize>() {
        Ok(n @ 1..=MAX_THREADS) => Ok(n),
        Ok(0) => Err("give at least 1 thread, or leave -j out for one per core".into()),
        _ => Err(format!(
            "give a whole number of threads from 1 to {MAX_THREADS}"
        )),
    }
}

/// A name that keeps the file name one word both tools read the same way.
fn migration_name(s: &str) -> Result<String, String> {
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        Ok(s.to_string())
    } else {
        Err("use letters, digits and `_` only".into())
    }
}

const VERIFY_HELP: &str = "\
Examples:
  createdb lifeos_v1_check && psql -f life_os_v1_backup.sql lifeos_v1_check
  dumpshift verify --v1 postgresql:///lifeos_v1_check --v2 postgresql:///lifeos
  dumpshift verify --v1 'host=/run/postgresql dbname=shop_v1' --v2 shop \\
      --mapping shop.toml --report verify.json
  dumpshift verify --v1 lifeos_v1_check --v2 lifeos --files-root /opt/lifeos/storage/files \\
      --migration-report migration.json

DB is a connection string as psql takes it (a URI, key=value words, or a
database name); PGHOST, PGPORT, PGUSER, PGDATABASE, PGPASSWORD fill in what
it leaves out. Both sessions are read-only. Rows written in v2 after the load
(another transaction than the load's) are counted apart, not as differences,
unless --strict.

Exit codes:
  0  v2 is what the mapping makes of v1
  1  a difference (listed in the summary and the report), or the report
     could not be written
  2  the command line was wrong, or a database could not be reached or read";

#[derive(Debug, Args)]
#[command(after_help = VERIFY_HELP)]
pub struct VerifyArgs {
    /// The restored v1 database.
    #[arg(long, value_name = "DB")]
    pub v1: String,
    /// The loaded v2 database.
    #[arg(long, value_name = "DB")]
    pub v2: String,
    /// The mapping file the load was made with (default: the built-in one).
    #[arg(long, value_name = "FILE")]
    pub mapping: Option<PathBuf>,
    /// The --storage-root of the migration (default: the migration
    /// report's, else /opt/lifeos/storage/files).
    #[arg(long, value_name = "DIR")]
    pub storage_root: Option<String>,
    /// Check that every stored file is here (DIR/<path under the storage
    /// root>), of its size_bytes.
    #[arg(long, value_name = "DIR")]
    pub files_root: Option<PathBuf>,
    /// The migration's --report: with --files-root, each copied file's
    /// sha256 must match it.
    #[arg(long, value_name = "FILE")]
    pub migration_report: Option<PathBuf>,
    /// Write the outcome as JSON to FILE (`-`: stdout). An existing FILE
    /// needs --force.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Replace the --report file if it exists.
    #[arg(long)]
    pub force: bool,
    /// Rows changed or added in v2 after the load count as differences.
    #[arg(long)]
    pub strict: bool,
    /// No progress bar and no summary on stderr.
    #[arg(short, long)]
    pub quiet: bool,
}

impl VerifyArgs {
    pub fn options(&self) -> Result<dumpshift::verify::Options, Error> {
        let mapping = match &self.mapping {
            Some(path) => Mapping::from_file(path)?,
            None => Mapping::built_in(),
        };
        Ok(dumpshift::verify::Options {
            v1: self.v1.clone(),
            v2: self.v2.clone(),
            mapping: mapping.description,
            storage_root: self.storage_root.clone(),
            files_root: self.files_root.clone(),
            migration_report: self.migration_report.clone(),
            report: self.report.clone(),
            force: self.force,
            strict: self.strict,
            quiet: self.quiet,
        })
    }
}

const MAPPING_SHOW_HELP: &str = "\
Examples:
  dumpshift mapping show
  dumpshift mapping show > my_mapping.toml    # edit, then:
  dumpshift backup.sql -o v2_load.sql --mapping my_mapping.toml

The format is documented in the README, section \"Your own mapping\".";

const MAPPING_CHECK_HELP: &str = "\
Examples:
  dumpshift mapping check blog.toml
  dumpshift mapping check blog.toml && dumpshift blog_v1.sql -o blog_v2.sql --mapping blog.toml

Checks the mapping against its target schema (target_migrations) and its
source schema (source_ddl), without a dump: every target table and column
exists, every constant fits its column's type, every NOT NULL column
without a default gets a value, a sequence's scope and order and a lookup's
key are columns of the right kind, the target's foreign keys allow a load
order. Each finding is printed on stdout as FILE:LINE: message.
A run with --mapping makes the same checks first.

Exit codes:
  0  no findings
  1  findings, or the file could not be read";

#[derive(Debug, Subcommand)]
pub enum MappingCommand {
    /// Print the built-in Life OS mapping in the description format (TOML).
    #[command(after_help = MAPPING_SHOW_HELP)]
    Show,
    /// Check a mapping file against its target and source schemas, without a dump.
    #[command(after_help = MAPPING_CHECK_HELP)]
    Check(MappingCheckArgs),
}

#[derive(Debug, Args)]
pub struct MappingCheckArgs {
    /// The mapping file (TOML).
    pub file: PathBuf,
}

const COMPLETIONS_HELP: &str = "\
Examples:
  dumpshift completions bash > /etc/bash_completion.d/dumpshift
  dumpshift completions zsh > \"${fpath[1]}/_dumpshift\"
  dumpshift completions fish > ~/.config/fish/completions/dumpshift.fish";

#[derive(Debug, Args)]
#[command(after_help = COMPLETIONS_HELP)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// The folder to write the pages into; created if missing.
    pub dir: PathBuf,
}

/// The two file layouts of the migration tools dumpshift writes for
/// (`migrations::Format`, as a command-line value).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatArg {
    /// `NNNN_name.up.sql` and `NNNN_name.down.sql`, one file per direction.
    GolangMigrate,
    /// `NNNN_name.sql` holding `-- migrate:up` and `-- migrate:down` sections.
    Dbmate,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::GolangMigrate => Format::GolangMigrate,
            FormatArg::Dbmate => Format::Dbmate,
        }
    }
}

impl std::fmt::Display for FormatArg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        Format::from(*self).fmt(f)
    }
}

/// The shells dumpshift writes completion scripts for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
}

/// The migration's arguments: `dumpshift DUMP -o OUT [flags]`.
#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// The dump to migrate: a pg_dump file (plain SQL with COPY or INSERT
    /// data, with or without the schema; compressed with gzip, zstd, xz,
    /// bzip2 or lz4, or not), a -Fc archive, a -Fd directory or a -Ft tar
    /// (an archive file also compressed whole), or a pg_dumpall file; `-`
    /// for stdin.
    #[arg(required = true)]
    pub dump: Option<PathBuf>,

    /// Where to write the load file; `-` for stdout.
    #[arg(short, long, value_name = "OUT", required = true)]
    pub output: Option<PathBuf>,

    /// Root directory of v2 file storage; files.storage_path values are
    /// rewritten to ROOT/<bucket key>.
    #[arg(long, value_name = "DIR", default_value = storage_path::DEFAULT_ROOT)]
    pub storage_root: String,

    /// Replace OUT if it already exists.
    #[arg(long)]
    pub force: bool,

    /// Accept losing a v1 column the mapping does not carry over
    /// (TABLE.COLUMN or SCHEMA.TABLE.COLUMN; repeat for several). A column
    /// the dump's table lacks is refused; what was dropped is listed in the
    /// summary and the report.
    #[arg(long, value_name = "TABLE.COLUMN")]
    pub allow_drop: Vec<String>,

    /// Accept a mapped table the dump holds no data for (SCHEMA.TABLE or
    /// TABLE; repeat for several): its v2 table stays empty, and the
    /// summary and the report say so.
    #[arg(long, value_name = "TABLE")]
    pub allow_empty: Vec<String>,

    /// Which database of a pg_dumpall file to migrate (needed when several
    /// hold Life OS data).
    #[arg(long, value_name = "NAME")]
    pub database: Option<String>,

    /// Use this mapping file (TOML) instead of the built-in Life OS mapping;
    /// see `dumpshift mapping show`.
    #[arg(long, value_name = "FILE")]
    pub mapping: Option<PathBuf>,

    /// Worker threads, 1 to 256 (default: one per core). The output is the same for any number.
    #[arg(short = 'j', long, value_name = "N", value_parser = thread_count)]
    pub threads: Option<usize>,

    /// No progress bar and no summary on stderr.
    #[arg(short, long)]
    pub quiet: bool,

    /// Also write the summary as JSON to FILE (`-`: stdout, when OUT is a
    /// file). An existing FILE needs --force.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,

    /// The staged copy of the life-os-files bucket: each files row's object
    /// must be DIR/<bucket key>, of the size in size_bytes.
    #[arg(long, value_name = "DIR")]
    pub files_dir: Option<PathBuf>,

    /// Copy the staged objects to DIR/<bucket key>, the layout under
    /// --storage-root, one atomic copy each, before the load is written.
    /// Objects already there with the same content are left alone.
    #[arg(long, value_name = "DIR", requires = "files_dir")]
    pub copy_files_to: Option<PathBuf>,

    /// Write no DDL: the load first checks that schema_migrations holds the
    /// v2 version (golang-migrate or dbmate) and that the tables are empty.
    #[arg(long)]
    pub data_only: bool,

    /// Do not wait for OUT to reach the disk (as pg_dump --no-sync). OUT
    /// still appears whole or not at all for dumpshift's own failures, but
    /// a machine crash soon after may leave it empty: make it again then.
    #[arg(long)]
    pub no_sync: bool,

    /// Memory for whole-table keys (bytes, or K, M, G: powers of 1024; at
    /// least 64K). Half of it goes to keys; past their shares they go to
    /// sorted runs and mapped files in TMPDIR, removed on every exit (the
    /// README's "Memory"). The output is the same for any budget.
    #[arg(long, value_name = "SIZE", default_value = "256M", value_parser = dumpshift::spill::parse_size)]
    pub memory: usize,
}

impl MigrateArgs {
    pub fn options(&self) -> Result<Options, Error> {
        let root = &self.storage_root;
        if !root.starts_with('/')
            || root.contains(['\0', '\n', '\t', '\\'])
            || root.split('/').any(|s| s == "..")
        {
            return Err(Error::Usage(format!(
                "--storage-root must be an absolute path without `..`: {root:?}"
            )));
        }
        let mapping = Mapping::choose(self.mapping.as_deref())?;
        let allow_drop = self.allow_drop_columns(&mapping.description)?;
        let allow_empty = self.allow_empty_tables(&mapping.description)?;
        Ok(Options {
            input: self.dump.clone().unwrap_or_default(),
            output: self.output.clone().unwrap_or_default(),
            storage_root: root.trim_end_matches('/').to_string(),
            force: self.force,
            quiet: self.quiet,
            allow_drop,
            allow_empty,
            mapping: mapping.description,
            reference: mapping.reference,
            target: mapping.target,
            database: self.database.clone(),
            extras: self.extras()?,
        })
    }

    /// `--allow-drop` names as `table.column` of mapped source tables:
    /// `TABLE.COLUMN` or `SCHEMA.TABLE.COLUMN` (the mapping's source
    /// schema). A table the mapping does not map is a usage error; a
    /// column the dump lacks is refused once the dump is read.
    fn allow_drop_columns(&self, mapping: &Description) -> Result<Vec<String>, Error> {
        let schema = &mapping.source_schema;
        self.allow_drop
            .iter()
            .map(|d| {
                let parts: Vec<&str> = d.split('.').collect();
                let (table, column) = match parts[..] {
                    [t, c] => (t, c),
                    [s, t, c] if s == schema => (t, c),
                    [s, _, _] => {
                        return Err(Error::Usage(format!(
                            "--allow-drop {d}: {s} is not the mapping's source schema ({schema})"
                        )))
                    }
                    _ => ("", ""),
                };
                if table.is_empty() || column.is_empty() {
                    return Err(Error::Usage(format!(
                        "--allow-drop takes TABLE.COLUMN or SCHEMA.TABLE.COLUMN, got {d:?}"
                    )));
                }
                if mapping.table(table).is_none() {
                    return Err(Error::Usage(format!(
                        "--allow-drop {d}: {table} is not a table of the {} mapping",
                        mapping.name
                    )));
                }
                Ok(format!("{table}.{column}"))
            })
            .collect()
    }

    /// `--allow-empty` names as mapped source tables; a name that is not
    /// one is a usage error, so a typo never passes silently.
    fn allow_empty_tables(&self, mapping: &Description) -> Result<Vec<String>, Error> {
        let schema = &mapping.source_schema;
        self.allow_empty
            .iter()
            .map(|a| {
                let table = match a.split_once('.') {
                    Some((s, t)) if s == schema => t,
                    Some(_) => "",
                    None => a.as_str(),
                };
                match mapping.table(table) {
                    Some(_) => Ok(table.to_string()),
                    None => Err(Error::Usage(format!(
                        "--allow-empty {a}: not a table of the {} mapping (its tables: {})",
                        mapping.name,
                        mapping
                            .tables
                            .iter()
                            .map(|t| format!("{schema}.{}", t.source))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))),
                }
            })
            .collect()
    }

    fn extras(&self) -> Result<Extras, Error> {
        if let Some(dir) = &self.files_dir {
            match std::fs::metadata(dir) {
                Ok(m) if m.is_dir() => {}
                Ok(_) => {
                    return Err(Error::Refused(format!(
                        "--files-dir {}: not a directory",
                        dir.display()
                    )))
                }
                Err(e) => return Err(Error::io(dir, "read the directory", e)),
            }
        }
        if let Some(report) = &self.report {
            let out = self.output.as_deref().unwrap_or(Path::new("-"));
            if report.as_os_str() == "-" && out.as_os_str() == "-" {
                return Err(Error::Usage(
                    "--report - and -o - cannot both use stdout".to_string(),
                ));
            }
            // By another name (`-o /dev/stdout --report -`, a hard link,
            // `./x`), or stdout redirected onto the load file: one would
            // overwrite the other, or go to a file the rename unlinks.
            if atomic::same_destination(report, out) {
                return Err(Error::Usage(format!(
                    "--report {} and -o {} are the same file: the report must go elsewhere",
                    report.display(),
                    out.display()
                )));
            }
        }
        Ok(Extras {
            data_only: self.data_only,
            files_dir: self.files_dir.clone(),
            copy_files_to: self.copy_files_to.clone(),
            no_sync: self.no_sync,
            memory: Some(self.memory),
        })
    }
}

/// Runs the command line: a command, or the migration.
pub fn run(cli: &Cli) -> Result<(), Error> {
    match &cli.command {
        None => run_migrate(&cli.migrate),
        Some(Command::Inspect(a)) => commands::inspect(a),
        Some(Command::Schema(_)) => commands::schema(),
        Some(Command::Migrations(MigrationsCommand::Write(a))) => commands::migrations_write(a),
        Some(Command::Migrations(MigrationsCommand::Check(a))) => commands::migrations_check(a),
        Some(Command::Baseline(a)) => commands::baseline(a),
        Some(Command::Verify(a)) => dumpshift::verify::command(&a.options()?),
        Some(Command::Mapping(MappingCommand::Show)) => commands::mapping_show(),
        Some(Command::Mapping(MappingCommand::Check(a))) => commands::mapping_check(&a.file),
        Some(Command::Completions(a)) => commands::completions(a),
        Some(Command::Man(a)) => commands::write_man_pages(&a.dir),
    }
}

/// Runs the migration; the summary goes to stderr unless `--quiet`, and to
/// the `--report` file as JSON, written after the load file.
fn run_migrate(args: &MigrateArgs) -> Result<(), Error> {
    let opts = args.options()?;
    if let Some(report) = &args.report {
        atomic::check_destination(report, &opts.input, opts.force)?;
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        .build()
        .map_err(|e| {
            Error::Usage(format!(
                "cannot start {} threads: {e}",
                args.threads.unwrap_or(0)
            ))
        })?;
    let write_report = |summary: &Summary| -> Result<Option<atomic::Sink>, Error> {
        let Some(path) = &args.report else {
            return Ok(None);
        };
        let json = report::RunReport::new(opts.run_facts(), summary).to_json();
        let mut sink = atomic::Sink::create(path, opts.force)?;
        sink.writer()
            .write_all(json.as_bytes())
            .and_then(|()| sink.writer().flush())
            .map_err(|e| Error::io(path, "write", e))?;
        Ok(Some(sink))
    };
    let summary = pool.install(|| migrate::run_with(&opts, write_report))?;
    if !args.quiet {
        print_summary(&summary, &opts);
    } else {
        // A check that could not be made is said even with -q.
        for w in &summary.warnings {
            dumpshift::stdio::say(&format!("dumpshift: warning: {w}\n"));
        }
    }
    Ok(())
}

fn print_summary(s: &Summary, opts: &Options) {
    dumpshift::stdio::say(&report::render_text(&opts.output.display().to_string(), s));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_names_the_schema_the_embedded_migrations_reach() {
        let line = LONG_VERSION
            .lines()
            .find_map(|l| l.strip_prefix("v2 schema: "));
        assert_eq!(
            line.and_then(|v| v.parse::<i64>().ok()),
            Some(dumpshift::migrations::latest_version())
        );
    }
}
