//! `dumpshift inspect`: what a dump holds, counted, never transformed.

use crate::cli::InspectArgs;
use crate::error::Error;

pub fn run(_: &InspectArgs) -> Result<(), Error> {
    Err(Error::Usage(
        "`dumpshift inspect` is not available in this build".into(),
    ))
}
