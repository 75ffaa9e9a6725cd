//! Where each part of a mapping file is: the line of every `[[table]]`'s
//! `source` and `target`, and of every column entry, read from the TOML
//! parser's byte spans. Findings about a mapping name these lines, so a
//! mistake is reported at the place it was written, not where it fails.

use serde::Deserialize;
use toml::Spanned;

/// The lines (1-based) of one `[[table]]` entry's parts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TableLines {
    pub source: Option<usize>,
    pub target: Option<usize>,
    /// One per entry of `columns`, in file order.
    pub columns: Vec<usize>,
}

/// The lines of a whole mapping file, one entry per `[[table]]` in file order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Lines {
    /// The mapping file, as messages name it (empty: the built-in mapping).
    pub file: String,
    pub tables: Vec<TableLines>,
}

/// Only the parts whose place is wanted; everything else is left to the
/// description's own (strict) reading.
#[derive(Deserialize)]
struct Doc {
    #[serde(default)]
    table: Vec<Table>,
}

#[derive(Deserialize)]
struct Table {
    source: Option<Spanned<toml::Value>>,
    target: Option<Spanned<toml::Value>>,
    #[serde(default)]
    columns: Vec<Spanned<toml::Value>>,
}

impl Lines {
    /// The lines of `text`, a mapping that parses as TOML; an empty set when
    /// it does not (its error is reported by the description's reading).
    pub fn of(text: &str) -> Lines {
        let Ok(doc) = toml::from_str::<Doc>(text) else {
            return Lines::default();
        };
        let line = |at: usize| line_of(text, at);
        Lines {
            file: String::new(),
            tables: doc
                .table
                .iter()
                .map(|t| TableLines {
                    source: t.source.as_ref().map(|s| line(s.span().start)),
                    target: t.target.as_ref().map(|s| line(s.span().start)),
                    columns: t.columns.iter().map(|c| line(c.span().start)).collect(),
                })
                .collect(),
        }
    }

    /// The name findings give the file.
    pub fn file(&self) -> &str {
        if self.file.is_empty() {
            "mappings/life_os.toml"
        } else {
            &self.file
        }
    }

    /// The line of table `t`'s `target`, else its `source`.
    pub fn target(&self, t: usize) -> Option<usize> {
        self.tables.get(t).and_then(|l| l.target.or(l.source))
    }

    /// The line of table `t`'s `source`, else its `target`.
    pub fn source(&self, t: usize) -> Option<usize> {
        self.tables.get(t).and_then(|l| l.source.or(l.target))
    }

    /// The line of column entry `c` of table `t`, else the table's.
    pub fn column(&self, t: usize, c: usize) -> Option<usize> {
        self.tables
            .get(t)
            .and_then(|l| l.columns.get(c).copied())
            .or_else(|| self.target(t))
    }
}

/// The 1-based line holding byte `at` of `text`.
pub fn line_of(text: &str, at: usize) -> usize {
    let end = at.min(text.len());
    memchr::memchr_iter(b'\n', &text.as_bytes()[..end]).count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_table_and_column_entry_has_its_line() {
        let text = "name = 'x'\n\n[[table]]\nsource = 'a'\ntarget = 'b'\ncolumns = [\n  { name = 'id', copy = 'id' },\n  { name = 'n', value = '1' },\n]\n\n[[table]]\ntarget = 'c'\nsource = 'd'\ncolumns = [{ name = 'id', copy = 'id' }]\n";
        let l = Lines::of(text);
        assert_eq!(l.tables.len(), 2);
        assert_eq!(
            l.tables[0],
            TableLines {
                source: Some(4),
                target: Some(5),
                columns: vec![7, 8]
            }
        );
        assert_eq!(l.target(1), Some(12));
        assert_eq!(l.source(1), Some(13));
        assert_eq!(l.column(1, 0), Some(14));
        assert_eq!(l.column(1, 5), Some(12));
        assert_eq!(l.column(9, 0), None);
    }

    #[test]
    fn a_file_that_is_not_toml_has_no_lines() {
        assert_eq!(Lines::of("[[table"), Lines::default());
    }
}
