//! Applying a compiled plan to a chunk of COPY rows: the hot path.
//!
//! Untouched fields are copied as their raw bytes; only rewritten fields are
//! decoded and re-encoded. Rows were validated before, so an error here means
//! the input changed under us, and is reported rather than trusted.

use sha2::{Digest, Sha256};

use super::plan::{Op, TablePlan};
use super::storage_path::{self, BadStoragePath};
use crate::copy::codec;
use crate::error::DataError;
use crate::ids::{uuid_field, LookupIndex};
use crate::rows::Chunk;

/// What a chunk's rewrite needs beyond the plan.
pub struct Context<'a> {
    /// `sort_order` per row of the table, when the plan has a sequence.
    pub sequence: Option<&'a [u32]>,
    /// How the lookup column's values are found.
    pub lookup: Option<Lookup<'a>>,
    pub storage_root: &'a str,
}

/// Where a lookup's values come from.
#[derive(Clone, Copy)]
pub enum Lookup<'a> {
    /// The index, searched by each row's key among the sorted ids of the
    /// table it was built on.
    ByKey(&'a LookupIndex, &'a [u128]),
    /// The index's values, numbered per row by a join (`LookupIndex::numbered`).
    ByRow(&'a LookupIndex, &'a [u32]),
}

/// Per digest column of a plan: `(id, sha256 of the value or None for NULL)`.
pub type RowHashes = Vec<Vec<(u128, Option<[u8; 32]>)>>;

/// Rewrites the rows of `chunk` (whose first row is the table's `first_row`)
/// and appends them as v2 COPY rows to `out`; hashes the values of the
/// plan's digest columns into `hashes`. Returns how many rows it wrote.
pub fn rewrite_chunk(
    plan: &TablePlan,
    ctx: &Context,
    chunk: &Chunk,
    first_row: usize,
    out: &mut Vec<u8>,
    hashes: &mut RowHashes,
) -> Result<usize, DataError> {
    hashes.resize_with(plan.digests.len(), Vec::new);
    let mut scratch = Vec::new();
    let mut row = first_row;
    let mut failure = None;
    chunk.for_each(|at, fields| {
        if let Err(e) = rewrite_row(plan, ctx, fields, row, out, &mut scratch) {
            failure = Some(e.at(at).table(&plan.source));
            return false;
        }
        hash_row(plan, fields, hashes, &mut scratch);
        row += 1;
        true
    })?;
    failure.map_or(Ok(row - first_row), Err)
}

fn rewrite_row(
    plan: &TablePlan,
    ctx: &Context,
    fields: &[&[u8]],
    row: usize,
    out: &mut Vec<u8>,
    scratch: &mut Vec<u8>,
) -> Result<(), DataError> {
    if fields.len() != plan.width {
        return Err(DataError::new("row changed while it was being read"));
    }
    for (k, op) in plan.ops.iter().enumerate() {
        if k > 0 {
            out.push(b'\t');
        }
        write_op(op, fields, ctx, row, out, scratch).map_err(|e| DataError::new(e.to_string()))?;
    }
    out.push(b'\n');
    Ok(())
}

fn hash_row(plan: &TablePlan, fields: &[&[u8]], hashes: &mut RowHashes, scratch: &mut Vec<u8>) {
    let Some(Ok(Some(id))) = plan.id.map(|i| uuid_field(fields[i])) else {
        return;
    };
    for (k, (_, f)) in plan.digests.iter().enumerate() {
        let value = (!codec::is_null(fields[*f])).then(|| {
            scratch.clear();
            codec::decode_into(fields[*f], scratch);
            Sha256::digest(&scratch[..]).into()
        });
        hashes[k].push((id, value));
    }
}

/// Why a row's output field cannot be written. Only `StoragePath` can come
/// from the data once it is checked; the others mean the run's own context
/// is incomplete.
#[derive(Debug)]
enum WriteError {
    NoSortOrder,
    NoLookupIndex,
    LookupKeyNotUuid,
    LookupKeyNotFound,
    NotMapped,
    StoragePath(BadStoragePath),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::NoSortOrder => f.write_str("no sort order for row"),
            WriteError::NoLookupIndex => f.write_str("no lookup index"),
            WriteError::LookupKeyNotUuid => f.write_str("lookup key is not a UUID"),
            WriteError::LookupKeyNotFound => f.write_str("lookup key not found"),
            WriteError::NotMapped => f.write_str("a value the map does not list"),
            WriteError::StoragePath(e) => e.fmt(f),
        }
    }
}

#[inline]
fn write_op(
    op: &Op,
    fields: &[&[u8]],
    ctx: &Context,
    row: usize,
    out: &mut Vec<u8>,
    scratch: &mut Vec<u8>,
) -> Result<(), WriteError> {
    match op {
        Op::Field(i) => out.extend_from_slice(fields[*i]),
        Op::Const(c) => out.extend_from_slice(c),
        Op::Sequence => {
            let v = ctx
                .sequence
                .and_then(|s| s.get(row))
                .ok_or(WriteError::NoSortOrder)?;
            out.extend_from_slice(itoa(*v, &mut [0u8; 10]));
        }
        Op::Lookup(i) => {
            let lookup = ctx.lookup.ok_or(WriteError::NoLookupIndex)?;
            let Some(key) = uuid_field(fields[*i]).map_err(|_| WriteError::LookupKeyNotUuid)?
            else {
                out.extend_from_slice(codec::NULL);
                return Ok(());
            };
            let value = match lookup {
                Lookup::ByKey(index, ids) => index.get(ids, key),
                Lookup::ByRow(index, rows) => rows.get(row).map(|&n| index.value_of(n)),
            };
            match value.ok_or(WriteError::LookupKeyNotFound)? {
                Some(v) => {
                    let mut buf = [0u8; 36];
                    out.extend_from_slice(
                        uuid::Uuid::from_u128(v)
                            .hyphenated()
                            .encode_lower(&mut buf)
                            .as_bytes(),
                    );
                }
                None => out.extend_from_slice(codec::NULL),
            }
        }
        Op::Coalesce(c) => out.extend_from_slice(c.pick(fields)),
        Op::Map(m) => out.extend_from_slice(m.get(fields[m.field]).ok_or(WriteError::NotMapped)?),
        Op::StoragePath(i) => {
            scratch.clear();
            codec::decode_into(fields[*i], scratch);
            let path = storage_path::rewrite(scratch, ctx.storage_root)
                .map_err(WriteError::StoragePath)?;
            codec::encode_into(&path, out);
        }
    }
    Ok(())
}

/// Formats `v` in decimal into `buf`, without allocating.
fn itoa(mut v: u32, buf: &mut [u8; 10]) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            return &buf[i..];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mapping::{plan, Description};
    use crate::rows::Source;

    #[test]
    fn itoa_formats() {
        assert_eq!(itoa(0, &mut [0; 10]), b"0");
        assert_eq!(itoa(4_294_967_295, &mut [0; 10]), b"4294967295");
        assert_eq!(itoa(120, &mut [0; 10]), b"120");
    }

    #[test]
    fn untouched_fields_are_copied_raw_and_paths_rewritten() {
        let d = Description::life_os();
        let cols: Vec<String> = "id,domain_id,project_id,task_id,capture_id,filename,original_filename,storage_path,mime_type,size_bytes,description,tags,created_at,updated_at"
            .split(',').map(str::to_string).collect();
        let p = plan::compile(d.table("files").unwrap(), &cols, &[]).unwrap();
        let row = "00000000-0000-4000-8000-000000000001\t00000000-0000-4000-8000-000000000002\t\\N\t\\N\t\\N\ta\\tb.pdf\tA.pdf\tlife-os-files/k/a\\\\b.pdf\tapplication/pdf\t12\t\\N\t{\"x,y\",NULL}\t2024-01-01 00:00:00-05\t2024-01-02 00:00:00-05\n";
        let ctx = Context {
            sequence: None,
            lookup: None,
            storage_root: "/srv/f",
        };
        let mut out = Vec::new();
        let err = {
            let src = Source::Copy {
                payload: row.as_bytes(),
                offset: 0,
            };
            rewrite_chunk(
                &p,
                &ctx,
                &src.chunk(0..row.len()),
                0,
                &mut out,
                &mut Vec::new(),
            )
        }
        .unwrap_err();
        assert!(err.message().contains("backslash"), "{}", err.message());
        let ok = row.replace("a\\\\b.pdf\tapplication", "ab.pdf\tapplication");
        out.clear();
        {
            let src = Source::Copy {
                payload: ok.as_bytes(),
                offset: 0,
            };
            rewrite_chunk(
                &p,
                &ctx,
                &src.chunk(0..ok.len()),
                0,
                &mut out,
                &mut Vec::new(),
            )
        }
        .unwrap();
        let want = "00000000-0000-4000-8000-000000000001\t00000000-0000-4000-8000-000000000002\t\\N\t\\N\t\\N\t\\N\ta\\tb.pdf\tA.pdf\t/srv/f/k/ab.pdf\tapplication/pdf\t12\t\\N\t{\"x,y\",NULL}\t2024-01-01 00:00:00-05\t2024-01-02 00:00:00-05\tt\t0\n";
        pretty_assertions::assert_eq!(String::from_utf8(out).unwrap(), want);
    }
}
