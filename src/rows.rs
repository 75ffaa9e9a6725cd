//! Where a table's rows come from, behind one interface: a COPY payload cut
//! at row boundaries, or INSERT statements grouped by statement. Either way a
//! row reaches its reader as raw COPY-text fields (`&[&[u8]]`) with its byte
//! offset, so checks and rewrites never know which form the dump used.

use std::ops::Range;

use crate::copy::check;
use crate::copy::scan;
use crate::dump::insert::{HeaderCache, Tuples};
use crate::error::DataError;

/// The rows of one table in the dump.
pub enum Source<'a> {
    /// A COPY payload at absolute offset `offset`.
    Copy { payload: &'a [u8], offset: usize },
    /// INSERT statements (absolute ranges into `data`) and the table's column
    /// order, which a statement's own column list is matched against.
    Insert {
        data: &'a [u8],
        statements: Vec<Range<usize>>,
        columns: Vec<String>,
        /// For statements without a column list: which value positions are
        /// generated columns, where pg_dump writes `DEFAULT` (empty: none).
        generated: Vec<bool>,
        std_strings: bool,
    },
}

/// One piece of a source that a worker handles on its own.
pub struct Chunk<'s, 'a> {
    source: &'s Source<'a>,
    /// Byte range in the payload (COPY) or statement index range (INSERT).
    range: Range<usize>,
}

impl<'a> Source<'a> {
    /// Cuts the source into pieces of about `target` bytes.
    pub fn chunks(&self, target: usize) -> Vec<Range<usize>> {
        match self {
            Source::Copy { payload, .. } => {
                let mut start = 0;
                scan::chunk_ends(payload, target)
                    .into_iter()
                    .map(|end| std::mem::replace(&mut start, end)..end)
                    .collect()
            }
            Source::Insert { statements, .. } => {
                let mut out = Vec::new();
                let (mut first, mut bytes) = (0, 0);
                for (i, s) in statements.iter().enumerate() {
                    bytes += s.len();
                    if bytes >= target {
                        out.push(first..i + 1);
                        (first, bytes) = (i + 1, 0);
                    }
                }
                if first < statements.len() {
                    out.push(first..statements.len());
                }
                out
            }
        }
    }

    pub fn chunk(&self, range: Range<usize>) -> Chunk<'_, 'a> {
        Chunk {
            source: self,
            range,
        }
    }

    /// How many input bytes a chunk covers, for progress.
    pub fn bytes(&self, range: &Range<usize>) -> u64 {
        match self {
            Source::Copy { .. } => range.len() as u64,
            Source::Insert { statements, .. } => statements[range.clone()]
                .iter()
                .map(|s| s.len() as u64)
                .sum(),
        }
    }

    /// Every input byte of the source, for progress.
    pub fn total_bytes(&self) -> u64 {
        match self {
            Source::Copy { payload, .. } => payload.len() as u64,
            Source::Insert { statements, .. } => statements.iter().map(|s| s.len() as u64).sum(),
        }
    }
}

impl<'a> Chunk<'_, 'a> {
    /// For a COPY chunk, one sweep over its raw bytes: whether they are
    /// valid UTF-8 without NUL, and the first place COPY's text format is
    /// broken (see `copy::check`). INSERT chunks: not known, no defect.
    pub fn raw(&self) -> Raw<'a> {
        match self.source {
            Source::Copy { payload, offset } => {
                let payload: &'a [u8] = payload;
                let raw = &payload[self.range.clone()];
                let sweep = check::sweep(raw, check::Eol::of(payload));
                // simdutf8: std validates ASCII fast but other scripts (notes in
                // any language) slowly; every byte of the dump passes here.
                let utf8 = !sweep.nul && simdutf8::basic::from_utf8(raw).is_ok();
                let base = offset + self.range.start;
                let defect = sweep
                    .defect
                    .map(|(at, kind)| Defect::in_row(raw, base, at, kind));
                Raw { utf8, defect }
            }
            Source::Insert { .. } => Raw {
                utf8: false,
                defect: None,
            },
        }
    }

    /// Calls `f(offset, fields)` for every row, in order. `f` returns false to
    /// stop. A malformed INSERT statement is an error at its offset.
    /// Generic over the sink, as the scanner is, so the per-row call is
    /// direct and can be inlined.
    pub fn for_each<F>(&self, mut f: F) -> Result<(), DataError>
    where
        F: FnMut(usize, &[&[u8]]) -> bool,
    {
        match self.source {
            Source::Copy { payload, offset } => {
                let data = &payload[self.range.clone()];
                let base = offset + self.range.start;
                scan::for_each_row(data, &mut Vec::new(), |at, fields| f(base + at, fields));
                Ok(())
            }
            Source::Insert {
                data,
                statements,
                columns,
                generated,
                std_strings,
            } => {
                let mut reader = InsertReader {
                    columns,
                    generated,
                    std_strings: *std_strings,
                    ..InsertReader::default()
                };
                for s in &statements[self.range.clone()] {
                    if !reader.statement(&data[s.clone()], s.start, &mut f)? {
                        break;
                    }
                }
                Ok(())
            }
        }
    }
}

/// What one sweep over a chunk's raw bytes found.
pub struct Raw<'a> {
    /// The bytes are valid UTF-8 without NUL (never true for INSERT).
    pub utf8: bool,
    pub defect: Option<Defect<'a>>,
}

/// Where a COPY chunk breaks COPY's text format, and the row it is in.
pub struct Defect<'a> {
    pub kind: check::Defect,
    /// Absolute offsets of the defect and of its row's first byte.
    pub at: usize,
    pub row_at: usize,
    /// The row's fields as the cutter cuts them, up to the defect: the last
    /// one holds it and is cut short there.
    pub fields: Vec<&'a [u8]>,
}

impl<'a> Defect<'a> {
    /// Only on the error path: finds the row holding `at` (an offset into
    /// `raw`, which starts at absolute `base`) and its fields so far.
    fn in_row(raw: &'a [u8], base: usize, at: usize, kind: check::Defect) -> Self {
        let row = memchr::memrchr(b'\n', &raw[..at]).map_or(0, |n| n + 1);
        let mut fields = Vec::new();
        scan::split_fields(&raw[row..at], &mut fields);
        Defect {
            kind,
            at: base + at,
            row_at: base + row,
            fields,
        }
    }

    /// Index of the field the defect is in.
    pub fn field(&self) -> usize {
        self.fields.len() - 1
    }
}

/// Reusable buffers for reading INSERT tuples.
#[derive(Default)]
struct InsertReader<'c> {
    columns: &'c [String],
    generated: &'c [bool],
    std_strings: bool,
    headers: HeaderCache,
    buf: Vec<u8>,
    ranges: Vec<Range<usize>>,
    /// For each table column, its position in the statement's column list.
    order: Vec<usize>,
}

impl InsertReader<'_> {
    fn statement<F>(&mut self, stmt: &[u8], at: usize, f: &mut F) -> Result<bool, DataError>
    where
        F: FnMut(usize, &[&[u8]]) -> bool,
    {
        let relocate = |e: DataError| {
            let b = e.byte().unwrap_or(0);
            e.at(at + b)
        };
        let header = self.headers.parse(stmt).map_err(relocate)?;
        let values_at = header.values_at;
        self.order.clear();
        if let Some(cols) = &header.columns {
            if cols.len() != self.columns.len() {
                return Err(DataError::new(
                    "INSERT names other columns than the table's other statements",
                )
                .at(at));
            }
            for c in self.columns {
                let p = cols.iter().position(|x| x == c).ok_or_else(|| {
                    DataError::new(format!("INSERT does not name column {c}")).at(at)
                })?;
                self.order.push(p);
            }
        }
        let generated = if header.columns.is_none() {
            self.generated
        } else {
            &[]
        };
        let mut tuples = Tuples::new(stmt, values_at, self.std_strings).generated(generated);
        let mut spare: Vec<&[u8]> = Vec::new();
        while let Some(t) = tuples
            .next_tuple(&mut self.buf, &mut self.ranges)
            .map_err(relocate)?
        {
            let mut fields = recycle(spare);
            let value = |i: usize| &self.buf[self.ranges[i].clone()];
            if self.order.is_empty() || self.ranges.len() != self.order.len() {
                fields.extend((0..self.ranges.len()).map(value));
            } else {
                fields.extend(self.order.iter().map(|&i| value(i)));
            }
            if !f(at + t, &fields) {
                return Ok(false);
            }
            spare = recycle(fields);
        }
        Ok(true)
    }
}

/// Empties a vector of slices and hands back its allocation with a fresh
/// lifetime, so one buffer of field slices serves every tuple.
fn recycle<'b>(mut v: Vec<&[u8]>) -> Vec<&'b [u8]> {
    v.clear();
    v.into_iter()
        .map(|_| -> &'b [u8] { unreachable!("the vector is empty") })
        .collect()
}
