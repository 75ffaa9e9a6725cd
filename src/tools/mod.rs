//! The commands around the migration: the v2 schema, migration folders
//! (write and lint), baselines, the mapping, shell completions.

use crate::cli::{
    BaselineArgs, CompletionsArgs, MigrationsCheckArgs, MigrationsWriteArgs, SchemaArgs,
};
use crate::error::Error;

fn pending(what: &str) -> Result<(), Error> {
    Err(Error::Usage(format!(
        "`dumpshift {what}` is not available in this build"
    )))
}

pub fn schema(_: &SchemaArgs) -> Result<(), Error> {
    pending("schema")
}

pub fn migrations_write(_: &MigrationsWriteArgs) -> Result<(), Error> {
    pending("migrations write")
}

pub fn migrations_check(_: &MigrationsCheckArgs) -> Result<(), Error> {
    pending("migrations check")
}

pub fn baseline(_: &BaselineArgs) -> Result<(), Error> {
    pending("baseline")
}

pub fn mapping_show() -> Result<(), Error> {
    pending("mapping show")
}

pub fn completions(_: &CompletionsArgs) -> Result<(), Error> {
    pending("completions")
}
