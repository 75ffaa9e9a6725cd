//! dumpshift: migrate a PostgreSQL dump into a different schema, offline.
//!
//! The pipeline, one module per stage: `input` maps the dump; `dump` splits it
//! into statements and reads headers and DDL; `copy` scans and codes COPY
//! rows; `mapping` is the mapping as data, compiled into column plans, with
//! one file per transform; `validate` checks rows and gathers whole-table
//! keys; `write` lays out the load file and writes it atomically;
//! `migrations` holds the embedded v2 schema; `migrate` runs it all.
//! Around the run: `files` checks and copies the staged Storage objects,
//! `report` is the summary (text and JSON), `progress` the bar on stderr.

pub mod cleanup;
pub mod cli;
pub mod copy;
pub mod dump;
pub mod error;
pub mod exit;
pub mod files;
pub mod input;
pub mod insert;
pub mod inspect;
pub mod mapping;
pub mod migrate;
pub mod migrations;
pub mod progress;
pub mod report;
pub mod rows;
pub mod stdio;
pub mod tools;
pub mod validate;
pub mod verify;
pub mod write;
