//! The command line: arguments, `--help` text, and turning them into a run.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::error::Error;
use crate::mapping::load::Mapping;
use crate::mapping::storage_path;
use crate::migrate::{self, Options, Summary};

const AFTER_HELP: &str = "\
Examples:
  dumpshift life_os_v1_backup.sql -o v2_load.sql
  createdb lifeos && psql -v ON_ERROR_STOP=1 -f v2_load.sql lifeos

  pg_dump lifeos_v1 | dumpshift - -o - > v2_load.sql
  dumpshift backup.sql -o v2_load.sql --storage-root /srv/lifeos/files --force
  dumpshift shop.sql -o shop_v2.sql --mapping shop.toml    # another schema

Exit codes:
  0  the load file was written
  1  the dump was refused (invalid data, drift, truncation) or a file could not
     be read or written; nothing was written at OUT
  2  the command line was wrong, or the --mapping file is not a valid mapping";

/// Migrate a Life OS v1 PostgreSQL dump into a v2 load file, offline.
///
/// Without a command, dumpshift migrates DUMP into the load file OUT. The
/// commands below look into dumps and keep the v2 schema under migration
/// discipline.
#[derive(Debug, Parser)]
#[command(
    name = "dumpshift",
    version,
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
    /// Print the v2 schema's DDL.
    Schema(SchemaArgs),
    /// Write or lint a folder of v2 migrations.
    #[command(subcommand)]
    Migrations(MigrationsCommand),
    /// Turn a `pg_dump --schema-only` file into a baseline migration.
    Baseline(BaselineArgs),
    /// Show the mapping.
    #[command(subcommand)]
    Mapping(MappingCommand),
    /// Print a shell completion script.
    Completions(CompletionsArgs),
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
  1  the dump could not be read
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

#[derive(Debug, Args)]
pub struct SchemaArgs {}

#[derive(Debug, Subcommand)]
pub enum MigrationsCommand {
    /// Write the v2 migrations as files into DIR.
    Write(MigrationsWriteArgs),
    /// Lint a migrations folder (golang-migrate or dbmate).
    Check(MigrationsCheckArgs),
}

#[derive(Debug, Args)]
pub struct MigrationsWriteArgs {
    pub dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct MigrationsCheckArgs {
    pub dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct BaselineArgs {
    pub schema_dump: PathBuf,
    #[arg(short, long, value_name = "DIR")]
    pub output: PathBuf,
}

const MAPPING_SHOW_HELP: &str = "\
Examples:
  dumpshift mapping show
  dumpshift mapping show > my_mapping.toml    # edit, then:
  dumpshift backup.sql -o v2_load.sql --mapping my_mapping.toml

The format is documented in the README, section \"Your own mapping\".";

#[derive(Debug, Subcommand)]
pub enum MappingCommand {
    /// Print the built-in Life OS mapping in the description format (TOML).
    #[command(after_help = MAPPING_SHOW_HELP)]
    Show,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    pub shell: String,
}

/// The migration's arguments: `dumpshift DUMP -o OUT [flags]`.
#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// The v1 dump: a plain-format pg_dump file, or `-` for stdin.
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
    /// (TABLE.COLUMN; repeat for several).
    #[arg(long, value_name = "TABLE.COLUMN")]
    pub allow_drop: Vec<String>,

    /// Which database of a pg_dumpall file to migrate (needed when several
    /// hold Life OS data).
    #[arg(long, value_name = "NAME")]
    pub database: Option<String>,

    /// Use this mapping file (TOML) instead of the built-in Life OS mapping;
    /// see `dumpshift mapping show`.
    #[arg(long, value_name = "FILE")]
    pub mapping: Option<PathBuf>,

    /// Worker threads (default: one per core). The output is the same for any number.
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,

    /// No progress bar and no summary on stderr.
    #[arg(short, long)]
    pub quiet: bool,
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
        for d in &self.allow_drop {
            if d.split_once('.')
                .is_none_or(|(t, c)| t.is_empty() || c.is_empty())
            {
                return Err(Error::Usage(format!(
                    "--allow-drop takes TABLE.COLUMN, got {d:?}"
                )));
            }
        }
        let mapping = match &self.mapping {
            Some(path) => Mapping::from_file(path)?,
            None => Mapping::built_in(),
        };
        Ok(Options {
            input: self.dump.clone().unwrap_or_default(),
            output: self.output.clone().unwrap_or_default(),
            storage_root: root.trim_end_matches('/').to_string(),
            force: self.force,
            quiet: self.quiet,
            allow_drop: self.allow_drop.clone(),
            mapping: mapping.description,
            reference: mapping.reference,
            target: mapping.target,
            database: self.database.clone(),
        })
    }
}

/// Runs the command line: a command, or the migration.
pub fn run(cli: &Cli) -> Result<(), Error> {
    match &cli.command {
        None => run_migrate(&cli.migrate),
        Some(Command::Inspect(a)) => crate::inspect::run(a),
        Some(Command::Schema(a)) => crate::tools::schema(a),
        Some(Command::Migrations(MigrationsCommand::Write(a))) => crate::tools::migrations_write(a),
        Some(Command::Migrations(MigrationsCommand::Check(a))) => crate::tools::migrations_check(a),
        Some(Command::Baseline(a)) => crate::tools::baseline(a),
        Some(Command::Mapping(MappingCommand::Show)) => crate::mapping::load::show(),
        Some(Command::Completions(a)) => crate::tools::completions(a),
    }
}

/// Runs the migration; the summary goes to stderr unless `--quiet`.
fn run_migrate(args: &MigrateArgs) -> Result<(), Error> {
    let opts = args.options()?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        .build()
        .map_err(|e| {
            Error::Usage(format!(
                "cannot start {} threads: {e}",
                args.threads.unwrap_or(0)
            ))
        })?;
    let summary = pool.install(|| migrate::run(&opts))?;
    if !args.quiet {
        print_summary(&summary, &opts);
    }
    Ok(())
}

fn print_summary(s: &Summary, opts: &Options) {
    let total: u64 = s.tables.iter().map(|t| t.2).sum();
    eprintln!(
        "dumpshift: wrote {} ({} rows in {} tables)",
        opts.output.display(),
        total,
        s.tables.len()
    );
    for (source, target, rows) in &s.tables {
        eprintln!("  {source:<24} -> {target:<16} {rows:>10} rows");
    }
    for (table, size) in &s.ignored {
        eprintln!("  ignored: {table} ({size}; not part of the mapping)");
    }
    for w in &s.warnings {
        eprintln!("  warning: {w}");
    }
}
