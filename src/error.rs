//! Errors as data: where in the dump a problem sits (`Position`), which table,
//! row and column it concerns, and what is wrong.
//!
//! Scanners deep in the pipeline know only byte offsets; the file name and the
//! line number are attached once, at the top, when the error is reported, so
//! the hot paths never count lines.

use std::fmt;
use std::path::PathBuf;

/// A place in the input: a byte offset and the 1-based line it falls on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    pub byte: u64,
    pub line: u64,
}

impl Position {
    /// Finds the line of `byte` in `data`. Only called on the error path.
    pub fn locate(data: &[u8], byte: usize) -> Position {
        let end = byte.min(data.len());
        let line = memchr::memchr_iter(b'\n', &data[..end]).count() as u64 + 1;
        Position {
            byte: byte as u64,
            line,
        }
    }
}

/// One problem found in the input data. Boxed, so that `Result`s in hot
/// loops stay one pointer wide on the error side.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataError(Box<Detail>);

/// What a `DataError` says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Detail {
    /// Byte offset into the input where the problem is.
    pub byte: Option<usize>,
    /// Filled in by `Report::locate` from `byte`.
    pub position: Option<Position>,
    /// Schema-qualified source table, e.g. `public.tasks`.
    pub table: Option<String>,
    /// The row's `id`, as written in the dump.
    pub row_id: Option<String>,
    pub column: Option<String>,
    pub message: String,
    /// Another place the problem involves (the first of two rows with the
    /// same key), and its line once located.
    pub also: Option<usize>,
    pub also_position: Option<Position>,
}

impl std::ops::Deref for DataError {
    type Target = Detail;
    fn deref(&self) -> &Detail {
        &self.0
    }
}

impl std::ops::DerefMut for DataError {
    fn deref_mut(&mut self) -> &mut Detail {
        &mut self.0
    }
}

impl DataError {
    pub fn new(message: impl Into<String>) -> Self {
        DataError(Box::new(Detail {
            byte: None,
            position: None,
            table: None,
            row_id: None,
            column: None,
            message: message.into(),
            also: None,
            also_position: None,
        }))
    }

    pub fn at(mut self, byte: usize) -> Self {
        self.byte = Some(byte);
        self
    }

    pub fn table(mut self, table: impl Into<String>) -> Self {
        self.table = Some(table.into());
        self
    }

    pub fn row(mut self, id: impl Into<String>) -> Self {
        self.row_id = Some(id.into());
        self
    }

    pub fn column(mut self, column: impl Into<String>) -> Self {
        self.column = Some(column.into());
        self
    }

    /// Names a second place in the input the problem involves.
    pub fn also_at(mut self, byte: usize) -> Self {
        self.also = Some(byte);
        self
    }
}

/// All problems found in one input, with the file they came from.
#[derive(Debug)]
pub struct Report {
    pub file: String,
    pub errors: Vec<DataError>,
    /// True when more problems were found than are kept.
    pub truncated: bool,
}

impl Report {
    /// Computes line numbers for every error that has a byte offset.
    pub fn locate(mut self, data: &[u8]) -> Self {
        for e in &mut self.errors {
            if let Some(b) = e.byte {
                e.position = Some(Position::locate(data, b));
            }
            if let Some(b) = e.also {
                e.also_position = Some(Position::locate(data, b));
            }
        }
        self
    }
}

#[derive(Debug)]
pub enum Error {
    /// The command line asked for something impossible.
    Usage(String),
    /// Reading or writing a file failed.
    Io {
        path: PathBuf,
        action: &'static str,
        source: std::io::Error,
    },
    /// The input is not what the migration can take; nothing was written.
    Data(Report),
    /// The migration was refused for a reason that is not a single place in
    /// the data (for example the output path is the input).
    Refused(String),
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, action: &'static str, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            action,
            source,
        }
    }

    /// A single data error in `file`, located in `data`.
    pub fn data(file: &str, data: &[u8], err: DataError) -> Self {
        Error::Data(
            Report {
                file: file.to_string(),
                errors: vec![err],
                truncated: false,
            }
            .locate(data),
        )
    }
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut subject = String::new();
        if let Some(t) = &self.table {
            subject.push_str(t);
        }
        if let Some(id) = &self.row_id {
            subject.push_str(" id ");
            subject.push_str(id);
        }
        if let Some(c) = &self.column {
            subject.push_str(if self.row_id.is_some() {
                ", column "
            } else {
                " column "
            });
            subject.push_str(c);
        }
        if subject.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", subject.trim_start(), self.message)
        }
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            match e.position {
                Some(p) => write!(f, "{}:{} (byte {}): {}", self.file, p.line, p.byte, e)?,
                None => write!(f, "{}: {}", self.file, e)?,
            }
            if let Some(p) = e.also_position {
                write!(
                    f,
                    " (the other row: {}:{} (byte {}))",
                    self.file, p.line, p.byte
                )?;
            }
        }
        if self.truncated {
            write!(
                f,
                "\n{}: more problems were found; only the first {} are shown",
                self.file,
                self.errors.len()
            )?;
        }
        Ok(())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Usage(m) => write!(f, "{m}"),
            Error::Io {
                path,
                action,
                source,
            } => write!(f, "cannot {action} {}: {source}", path.display()),
            Error::Data(r) => write!(f, "{r}"),
            Error::Refused(m) => write!(f, "{m}"),
        }
    }
}

impl std::error::Error for Error {}
