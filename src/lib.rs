//! dumpshift: migrate a PostgreSQL dump into a different schema, offline.
//!
//! The library takes plain options; the command line (clap) lives in the
//! binary (`src/main.rs`, `src/cli/`). The pipeline, in the order data flows:
//!
//! 1. `input` maps the dump (file, stdin, compressed, archive) and checks
//!    its client encoding.
//! 2. `dump` splits it into statements (`dump::lex` is the one SQL lexer),
//!    classifies what is not data, and reads headers and DDL; `dump::insert`
//!    reads INSERT tuples and `copy` scans and codes COPY rows; `rows` is
//!    one row source over both, cut into chunks.
//! 3. `mapping` is the mapping as data (`mapping::load` chooses a file or
//!    the built-in one), compiled into column plans, one file per transform.
//! 4. `validate` checks rows and gathers whole-table keys. `ids` (UUID
//!    fields, the lookup index) sits below both `mapping` and `validate`.
//! 5. `write` lays out the load file (with `migrations`, the embedded v2
//!    schema) and writes it atomically; `write::folder` writes sets of files.
//! 6. `migrate` runs steps 1-5 for one dump: select, check, write.
//!
//! Around the run: `files` checks and copies the staged Storage objects,
//! `report` is the summary (text and JSON, from plain data), `progress` the
//! bar on stderr, `stdio` messages that never panic, `exit` the exit codes,
//! `cleanup` the temporary files a signal removes, `error` the errors.
//! Beside it: `inspect` reads a dump without migrating it; `verify` has
//! PostgreSQL recompute the mapping from a restored v1 and compares v2;
//! `migrations::lint` and `migrations::baseline` keep a migrations folder.

pub mod cleanup;
pub mod copy;
pub mod dump;
pub mod error;
pub mod exit;
pub mod files;
pub mod ids;
pub mod input;
pub mod inspect;
pub mod mapping;
pub mod migrate;
pub mod migrations;
pub mod progress;
pub mod report;
pub mod rows;
pub mod spill;
pub mod stdio;
pub mod validate;
pub mod verify;
pub mod write;
