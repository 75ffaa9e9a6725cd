//! One mapped table's work as the checks and the rewrite share it: its
//! plan, its source and chunks, and what the checks leave for the rewrite
//! (sorted ids, sort orders, the lookup index or each row's lookup value).

use std::ops::Range;

use crate::dump::TableName;
use crate::ids::LookupIndex;
use crate::mapping::plan::TablePlan;
use crate::rows::Source;
use crate::spill::Array;
use crate::validate::values::ValueChecks;

use super::CHUNK_BYTES;

/// One mapped table's work.
pub struct Work<'a> {
    pub plan: TablePlan,
    pub label: String,
    pub source: Source<'a>,
    /// Pieces of the source, as `Source::chunks` cut them.
    pub chunks: Vec<Range<usize>>,
    pub first_rows: Vec<usize>,
    pub rows: u64,
    /// Each row's sort order, in row order (a mapped array past the budget).
    pub numbers: Option<Array<u32>>,
    pub index: Option<LookupIndex>,
    /// Each row's lookup value, found by a join (`join`) when the looked-up
    /// table's keys went to disk: 0 for NULL, else the value's number + 1.
    pub looked_up: Option<Array<u32>>,
    /// Foreign keys to check, and the field of one pointing at this table.
    pub fks: Vec<Fk>,
    pub self_fk: Option<usize>,
    /// Every row's id, sorted (a mapped array past the budget).
    pub ids: Array<u128>,
    /// What the v2 schema will demand of the copied values.
    pub values: ValueChecks,
    /// The v2 table's columns, for the summary.
    pub v2_columns: Vec<String>,
}

impl Work<'_> {
    /// Calls `f` with the offset and fields of each of the rows numbered
    /// `rows` (ascending), re-reading only their chunks (a cold path: rows
    /// named in messages).
    pub fn visit_rows(
        &self,
        rows: impl Iterator<Item = usize>,
        mut f: impl FnMut(usize, &[&[u8]]),
    ) {
        for row in rows {
            let k = self
                .first_rows
                .partition_point(|&first| first <= row)
                .saturating_sub(1);
            let Some(range) = self.chunks.get(k) else {
                continue;
            };
            let mut n = self.first_rows[k];
            let _ = self.source.chunk(range.clone()).for_each(|at, fields| {
                if n == row {
                    f(at, fields);
                    return false;
                }
                n += 1;
                true
            });
        }
    }
}

/// A single-column foreign key onto another mapped table's `id`.
pub struct Fk {
    pub field: usize,
    /// The referenced table's index in the works; `None` if it is not in the dump.
    pub target: Option<usize>,
    pub target_label: String,
}

pub fn work<'a>(plan: TablePlan, name: TableName, source: Source<'a>) -> Work<'a> {
    let chunks = source.chunks(CHUNK_BYTES);
    Work {
        plan,
        label: name.to_string(),
        source,
        chunks,
        first_rows: Vec::new(),
        rows: 0,
        numbers: None,
        index: None,
        looked_up: None,
        fks: Vec::new(),
        self_fk: None,
        ids: Array::default(),
        values: ValueChecks::default(),
        v2_columns: Vec::new(),
    }
}
