//! Files from Supabase Storage: the objects the `files` rows name, checked
//! against the staged copy of the bucket (`--files-dir`) and copied into the
//! storage-root layout (`--copy-files-to`, in `copy`).
//!
//! The staged directory holds the bucket as its objects' keys: the row whose
//! `storage_path` names key `K` (in any form `mapping::storage_path` reads)
//! needs the file `DIR/K`, and the load points it at `<storage root>/K`.
//! Which table names objects is read from the mapping: the one whose plan
//! rewrites a storage path; its `size_bytes`, when present, is compared.

pub mod copy;

use std::path::Path;

use crate::copy::codec;
use crate::error::DataError;
use crate::mapping::plan::{Op, TablePlan};
use crate::mapping::storage_path;
use crate::rows::Source;
use crate::validate::row_label;

/// The v1 column holding an object's size in bytes.
pub const SIZE_COLUMN: &str = "size_bytes";

/// One object a row names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Object {
    /// The row's id as written in the dump.
    pub id: String,
    /// Byte offset of the row in the dump.
    pub at: usize,
    /// The bucket key, a relative path without `..` (checked by `storage_path::key`).
    pub key: String,
    /// What the row says the size is; `None` for NULL.
    pub size: Option<u64>,
}

/// The objects of one table and the columns that name them.
#[derive(Debug)]
pub struct Objects {
    /// The schema-qualified v1 table.
    pub table: String,
    pub path_column: String,
    pub objects: Vec<Object>,
}

/// The storage path field of `plan`, if the table names objects.
pub fn path_field(plan: &TablePlan) -> Option<usize> {
    plan.ops.iter().find_map(|op| match op {
        Op::StoragePath(i) => Some(*i),
        _ => None,
    })
}

/// Reads every object the rows of `source` name. A row whose storage path
/// is not a valid key is left out: the row checks report it.
pub fn objects(
    plan: &TablePlan,
    table: &str,
    source: &Source,
    chunks: &[std::ops::Range<usize>],
) -> Result<Objects, DataError> {
    let path = path_field(plan).ok_or_else(|| {
        DataError::new("--files-dir: the mapping rewrites no storage path in this table")
            .table(table)
    })?;
    let size = plan.field(SIZE_COLUMN);
    let mut objects = Vec::new();
    let mut errors = Vec::new();
    for r in chunks {
        source.chunk(r.clone()).for_each(|at, fields| {
            match read_row(plan, path, size, fields) {
                Ok(Some(mut o)) => {
                    o.at = at;
                    objects.push(o);
                }
                Ok(None) => {}
                Err(e) => errors.push(e.at(at).table(table)),
            }
            true
        })?;
    }
    if let Some(e) = errors.into_iter().next() {
        return Err(e);
    }
    Ok(Objects {
        table: table.to_string(),
        path_column: plan.input_columns[path].clone(),
        objects,
    })
}

fn read_row(
    plan: &TablePlan,
    path: usize,
    size: Option<usize>,
    fields: &[&[u8]],
) -> Result<Option<Object>, DataError> {
    let id = row_label(plan, fields).unwrap_or_default();
    let Some(raw) = fields.get(path).and_then(|f| codec::decode(f)) else {
        return Ok(None);
    };
    let Ok(key) = storage_path::key(&raw) else {
        return Ok(None);
    };
    let size = match size
        .and_then(|i| fields.get(i))
        .and_then(|f| codec::decode(f))
    {
        None => None,
        Some(text) => Some(
            std::str::from_utf8(&text)
                .ok()
                .and_then(|t| t.parse::<u64>().ok())
                .ok_or_else(|| {
                    DataError::new("not a size in bytes")
                        .row(id.clone())
                        .column(SIZE_COLUMN)
                })?,
        ),
    };
    Ok(Some(Object {
        id,
        at: 0,
        key: String::from_utf8_lossy(&key).into_owned(),
        size,
    }))
}

/// Checks that every object is a file in `dir` of the size its row states.
/// Each problem names the row, the column and the path looked at.
pub fn check(dir: &Path, set: &Objects) -> Vec<DataError> {
    let mut errors = Vec::new();
    for o in &set.objects {
        let path = dir.join(&o.key);
        let fail = |column: &str, m: String| {
            DataError::new(m)
                .at(o.at)
                .table(set.table.clone())
                .row(o.id.clone())
                .column(column)
        };
        match std::fs::metadata(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => errors.push(fail(
                &set.path_column,
                format!(
                    "object {} is missing from --files-dir: {} does not exist",
                    o.key,
                    path.display()
                ),
            )),
            Err(e) => errors.push(fail(
                &set.path_column,
                format!("cannot read {}: {e}", path.display()),
            )),
            Ok(m) if !m.is_file() => errors.push(fail(
                &set.path_column,
                format!("{} is not a regular file", path.display()),
            )),
            Ok(m) => match o.size {
                Some(want) if want != m.len() => errors.push(fail(
                    SIZE_COLUMN,
                    format!(
                        "the row says {want} bytes, the staged object {} has {} bytes",
                        path.display(),
                        m.len()
                    ),
                )),
                _ => {}
            },
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mapping::{plan, Description};

    const COLUMNS: &str = "id,domain_id,project_id,task_id,capture_id,filename,original_filename,storage_path,mime_type,size_bytes,description,tags,created_at,updated_at";

    fn files_plan() -> TablePlan {
        let d = Description::life_os();
        let cols: Vec<String> = COLUMNS.split(',').map(str::to_string).collect();
        plan::compile(d.table("files").unwrap(), &cols, &[]).unwrap()
    }

    fn row(id: &str, path: &str, size: &str) -> String {
        format!("{id}\td\t\\N\t\\N\t\\N\tf\tf\t{path}\tm\t{size}\t\\N\t\\N\tc\tu\n")
    }

    fn read(payload: &str) -> Result<Objects, DataError> {
        let source = Source::Copy {
            payload: payload.as_bytes(),
            offset: 100,
        };
        let chunks = source.chunks(1 << 20);
        objects(&files_plan(), "public.files", &source, &chunks)
    }

    #[test]
    fn every_storage_path_form_names_its_key() {
        let url = "https://x.supabase.co/storage/v1/object/public/life-os-files/a/b%20c.pdf";
        let payload = [
            row("1", "a/one.pdf", "3"),
            row("2", "life-os-files/a/two.pdf", "\\N"),
            row("3", url, "0"),
            row("4", "../escape", "1"),
        ]
        .concat();
        let set = read(&payload).unwrap();
        let keys: Vec<(&str, Option<u64>)> = set
            .objects
            .iter()
            .map(|o| (o.key.as_str(), o.size))
            .collect();
        assert_eq!(
            keys,
            [
                ("a/one.pdf", Some(3)),
                ("a/two.pdf", None),
                ("a/b c.pdf", Some(0))
            ]
        );
        assert_eq!(set.objects[1].at, 100 + row("1", "a/one.pdf", "3").len());
        assert_eq!(set.path_column, "storage_path");
    }

    #[test]
    fn a_size_that_is_not_a_byte_count_is_an_error() {
        let e = read(&row("1", "a/one.pdf", "-5")).unwrap_err();
        assert_eq!(e.column_name(), Some(SIZE_COLUMN));
        assert_eq!(e.byte(), Some(100));
    }

    #[test]
    fn missing_files_and_other_sizes_are_found() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("a")).unwrap();
        std::fs::write(dir.path().join("a/one.pdf"), "abc").unwrap();
        std::fs::write(dir.path().join("a/two.pdf"), "ab").unwrap();
        std::fs::create_dir(dir.path().join("a/dir.pdf")).unwrap();
        let payload = [
            row("1", "a/one.pdf", "3"),
            row("2", "a/two.pdf", "3"),
            row("3", "a/gone.pdf", "\\N"),
            row("4", "a/dir.pdf", "\\N"),
            row("5", "a/two.pdf", "\\N"),
        ]
        .concat();
        let errors = check(dir.path(), &read(&payload).unwrap());
        let got: Vec<(&str, &str)> = errors
            .iter()
            .map(|e| (e.row_id().unwrap(), e.column_name().unwrap()))
            .collect();
        assert_eq!(
            got,
            [
                ("2", "size_bytes"),
                ("3", "storage_path"),
                ("4", "storage_path")
            ]
        );
        assert!(
            errors[0].message().contains("says 3 bytes"),
            "{}",
            errors[0]
        );
        assert!(errors[1].message().contains("a/gone.pdf does not exist"));
    }
}
