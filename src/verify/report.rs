//! What a verification found, as data: per mapped table the rows on each
//! side, the ids missing from v2 and the ids v2 holds beyond v1, the rows
//! that differ with their first differences, and apart from them the rows
//! written after the load; then the foreign keys, parent chains and files.
//! Rendered as the summary on stderr and as the JSON of `--report`.

use serde::Serialize;

/// The whole verification.
#[derive(Debug, Default, Serialize)]
pub struct Outcome {
    /// The two databases, as `db on host:port`.
    pub v1: String,
    pub v2: String,
    pub mapping: String,
    /// The transaction id that wrote the load's rows (`xmin`); rows with
    /// another one were written after the load.
    pub load_xid: Option<String>,
    /// Rows written after the load count as differences.
    pub strict: bool,
    pub tables: Vec<TableOutcome>,
    /// Foreign keys of v2 with rows that reference nothing.
    pub orphans: Vec<Orphans>,
    /// Self-references (`parent_id`) whose chains never reach a root.
    pub cycles: Vec<Cycles>,
    /// Present with `--files-root`.
    pub files: Option<FilesOutcome>,
}

#[derive(Debug, Default, Serialize)]
pub struct TableOutcome {
    pub source: String,
    pub target: String,
    pub v1_rows: u64,
    pub v2_rows: u64,
    /// v1 ids absent from v2.
    pub missing: u64,
    pub missing_ids: Vec<String>,
    /// v2 ids absent from v1, written by the load.
    pub extra: u64,
    pub extra_ids: Vec<String>,
    /// Rows with the same id whose values differ, written by the load.
    pub differing: u64,
    pub differences: Vec<Diff>,
    /// v2 ids absent from v1, written after the load.
    pub added_later: u64,
    pub added_later_ids: Vec<String>,
    /// Rows written after the load whose values differ from v1's.
    pub changed_later: u64,
    pub changed_later_examples: Vec<Diff>,
    /// v2 columns left to their DDL default (v1 lacks the column and the
    /// mapping lists it in `defaults`).
    pub not_compared: Vec<String>,
}

/// One value that differs: `table id column: want ... got ...`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diff {
    pub id: String,
    pub column: String,
    /// `null` for SQL NULL.
    pub want: Option<String>,
    pub got: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Orphans {
    pub table: String,
    pub columns: String,
    pub references: String,
    pub constraint: String,
    pub rows: u64,
}

#[derive(Debug, Serialize)]
pub struct Cycles {
    pub table: String,
    pub column: String,
    /// Rows whose chain never reaches a row without a parent.
    pub rows: u64,
    pub example: Option<String>,
}

#[derive(Debug, Default, Serialize)]
pub struct FilesOutcome {
    pub table: String,
    pub column: String,
    pub files_root: String,
    pub storage_root: String,
    pub checked: u64,
    /// Files whose sha256 was compared with the migration report's.
    pub hashed: u64,
    pub problems: Vec<FileProblem>,
    /// How many problems there were in all (`problems` keeps the first 20).
    pub problem_count: u64,
}

#[derive(Debug, Serialize)]
pub struct FileProblem {
    pub id: String,
    pub path: String,
    pub problem: Problem,
}

#[derive(Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Problem {
    /// The path is not under the storage root.
    OutsideRoot,
    Missing,
    NotAFile,
    Size {
        want: String,
        got: u64,
    },
    Sha256 {
        want: String,
        got: String,
    },
    Unreadable {
        error: String,
    },
}

impl TableOutcome {
    pub fn new(source: &str, target: &str) -> TableOutcome {
        TableOutcome {
            source: source.into(),
            target: target.into(),
            ..TableOutcome::default()
        }
    }

    /// Differences of this table; with `strict`, rows written after the
    /// load count too.
    pub fn errors(&self, strict: bool) -> u64 {
        let later = if strict {
            self.added_later + self.changed_later
        } else {
            0
        };
        self.missing + self.extra + self.differing + later
    }
}

impl Outcome {
    /// Every difference found; 0 means v2 is what the mapping makes of v1.
    pub fn differences(&self) -> u64 {
        let tables: u64 = self.tables.iter().map(|t| t.errors(self.strict)).sum();
        let orphans: u64 = self.orphans.iter().map(|o| o.rows).sum();
        let cycles: u64 = self.cycles.iter().map(|c| c.rows).sum();
        let files = self.files.as_ref().map_or(0, |f| f.problem_count);
        tables + orphans + cycles + files
    }

    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct Doc<'a> {
            dumpshift: &'a str,
            differences: u64,
            #[serde(flatten)]
            outcome: &'a Outcome,
        }
        let doc = Doc {
            dumpshift: env!("CARGO_PKG_VERSION"),
            differences: self.differences(),
            outcome: self,
        };
        let mut s = serde_json::to_string_pretty(&doc).expect("the report serializes");
        s.push('\n');
        s
    }
}

/// One differing value, as the text report lists it.
fn difference_line(target: &str, d: &Diff, suffix: &str) -> String {
    format!(
        "    {target} {} {}: want {} got {}{suffix}\n",
        d.id,
        d.column,
        show(&d.want),
        show(&d.got)
    )
}

fn show(v: &Option<String>) -> String {
    match v {
        Some(s) => format!("{s:?}"),
        None => "NULL".into(),
    }
}

/// The summary printed on stderr, in the shape of the migration's.
pub fn render_text(o: &Outcome) -> String {
    let v1: u64 = o.tables.iter().map(|t| t.v1_rows).sum();
    let v2: u64 = o.tables.iter().map(|t| t.v2_rows).sum();
    let n = o.differences();
    let verdict = if n == 0 {
        "match".to_string()
    } else {
        format!("{n} difference(s)")
    };
    let mut out = format!(
        "dumpshift: verified {} against {}: {} tables, {v1} rows in v1 -> {v2} rows in v2: {verdict}\n",
        o.v2,
        o.v1,
        o.tables.len()
    );
    for t in &o.tables {
        out.push_str(&table_text(t));
    }
    for f in &o.orphans {
        out.push_str(&format!(
            "  orphans: {} ({}) -> {}: {} row(s) reference nothing ({})\n",
            f.table, f.columns, f.references, f.rows, f.constraint
        ));
    }
    for c in &o.cycles {
        out.push_str(&format!(
            "  cycles: {}.{}: {} row(s) never reach a root, e.g. {}\n",
            c.table,
            c.column,
            c.rows,
            c.example.as_deref().unwrap_or("?")
        ));
    }
    if let Some(f) = &o.files {
        out.push_str(&files_text(f));
    }
    out
}

fn table_text(t: &TableOutcome) -> String {
    let mut out = format!(
        "  {:<22} -> {:<16} {:>9} -> {:>9} rows",
        t.source, t.target, t.v1_rows, t.v2_rows
    );
    let mut notes = Vec::new();
    for (n, what) in [
        (t.missing, "missing"),
        (t.extra, "extra"),
        (t.differing, "differ"),
        (t.added_later, "added after the load"),
        (t.changed_later, "changed after the load"),
    ] {
        if n > 0 {
            notes.push(format!("{n} {what}"));
        }
    }
    if !notes.is_empty() {
        out.push_str(&format!(" ({})", notes.join(", ")));
    }
    out.push('\n');
    for id in &t.missing_ids {
        out.push_str(&format!("    {} {id}: missing from v2\n", t.target));
    }
    for id in &t.extra_ids {
        out.push_str(&format!("    {} {id}: in v2, not in v1\n", t.target));
    }
    for d in &t.differences {
        out.push_str(&difference_line(&t.target, d, ""));
    }
    for id in &t.added_later_ids {
        out.push_str(&format!("    {} {id}: added after the load\n", t.target));
    }
    for d in &t.changed_later_examples {
        out.push_str(&difference_line(&t.target, d, " (changed after the load)"));
    }
    if !t.not_compared.is_empty() {
        out.push_str(&format!(
            "    not compared (left to the DDL default): {}\n",
            t.not_compared.join(", ")
        ));
    }
    out
}

fn files_text(f: &FilesOutcome) -> String {
    let mut out = format!(
        "  files: {} {}.{} path(s) checked under {}, {} sha256 compared with the migration report, {} problem(s)\n",
        f.checked, f.table, f.column, f.files_root, f.hashed, f.problem_count
    );
    for p in &f.problems {
        let what = match &p.problem {
            Problem::OutsideRoot => format!("not under the storage root {}", f.storage_root),
            Problem::Missing => "missing".into(),
            Problem::NotAFile => "not a regular file".into(),
            Problem::Size { want, got } => format!("size: want {want} got {got}"),
            Problem::Sha256 { want, got } => format!("sha256: want {want} got {got}"),
            Problem::Unreadable { error } => format!("unreadable: {error}"),
        };
        out.push_str(&format!("    {} {} {}: {what}\n", f.table, p.id, p.path));
    }
    out
}
