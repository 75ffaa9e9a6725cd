//! INSERT-format data: the rows of `INSERT INTO ... VALUES (...), ...;`
//! statements, as pg_dump writes them with `--inserts`, `--column-inserts`
//! and `--rows-per-insert N` (and `supabase db dump`, which uses the latter
//! two with `--quote-all-identifiers`).
//!
//! Every value comes out as a raw COPY text field: the bytes `COPY TO` would
//! have written for it, `\N` for NULL. Downstream, a row read from an INSERT
//! is indistinguishable from one read from a COPY block.
//!
//! The SQL parser sees only a statement's header (the text before `VALUES`),
//! never the rows: `header` finds `VALUES` by lexing and hands the rest to
//! pg_query; `lex` and `literal` walk the tuples by hand, in one pass, into
//! the caller's reusable buffers.

mod header;
mod lex;
mod literal;

pub use header::{parse_header, HeaderCache};
pub use lex::Tuples;

use crate::dump::sql::TableName;

/// Where the VALUES list of one INSERT statement starts, and what the header says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InsertHeader {
    pub table: TableName,
    /// The column list; `None` for `--inserts`, whose values follow the
    /// table's column order.
    pub columns: Option<Vec<String>>,
    /// Offset within the statement of the first tuple's `(`.
    pub values_at: usize,
    /// Whether the table is named with its schema; if not, `table.schema`
    /// is `public` until the search_path resolves it.
    pub qualified: bool,
}

#[cfg(test)]
mod tests;
