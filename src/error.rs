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

/// What a `DataError` says; read through the accessors.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Detail {
    /// Byte offset into the input where the problem is.
    byte: Option<usize>,
    /// Filled in by `Report::locate` from `byte`.
    position: Option<Position>,
    /// Schema-qualified source table, e.g. `public.tasks`.
    table: Option<String>,
    /// The row's `id`, as written in the dump.
    row_id: Option<String>,
    column: Option<String>,
    message: String,
    /// Another place the problem involves (the first of two rows with the
    /// same key), and its line once located.
    also: Option<usize>,
    also_position: Option<Position>,
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
        self.0.byte = Some(byte);
        self
    }

    pub fn table(mut self, table: impl Into<String>) -> Self {
        self.0.table = Some(table.into());
        self
    }

    pub fn row(mut self, id: impl Into<String>) -> Self {
        self.0.row_id = Some(id.into());
        self
    }

    pub fn column(mut self, column: impl Into<String>) -> Self {
        self.0.column = Some(column.into());
        self
    }

    /// Names a second place in the input the problem involves.
    pub fn also_at(mut self, byte: usize) -> Self {
        self.0.also = Some(byte);
        self
    }

    /// Byte offset into the input where the problem is.
    pub fn byte(&self) -> Option<usize> {
        self.0.byte
    }

    /// The line and byte, once `Report::locate` has filled it in.
    pub fn position(&self) -> Option<Position> {
        self.0.position
    }

    /// Schema-qualified source table, e.g. `public.tasks`.
    pub fn table_name(&self) -> Option<&str> {
        self.0.table.as_deref()
    }

    /// The row's `id`, as written in the dump.
    pub fn row_id(&self) -> Option<&str> {
        self.0.row_id.as_deref()
    }

    pub fn column_name(&self) -> Option<&str> {
        self.0.column.as_deref()
    }

    /// What is wrong, without the place.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// The second place the problem involves, if any.
    pub fn also(&self) -> Option<usize> {
        self.0.also
    }

    /// The second place's line and byte, once located.
    pub fn also_position(&self) -> Option<Position> {
        self.0.also_position
    }

    /// Computes the line numbers of the offsets this error has.
    fn locate(&mut self, data: &[u8]) {
        if let Some(b) = self.0.byte {
            self.0.position = Some(Position::locate(data, b));
        }
        if let Some(b) = self.0.also {
            self.0.also_position = Some(Position::locate(data, b));
        }
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
            e.locate(data);
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
        let d = &self.0;
        let mut subject = String::new();
        if let Some(t) = &d.table {
            subject.push_str(t);
        }
        if let Some(id) = &d.row_id {
            subject.push_str(" id ");
            subject.push_str(id);
        }
        if let Some(c) = &d.column {
            subject.push_str(if d.row_id.is_some() {
                ", column "
            } else {
                " column "
            });
            subject.push_str(c);
        }
        if subject.is_empty() {
            write!(f, "{}", d.message)
        } else {
            write!(f, "{}: {}", subject.trim_start(), d.message)
        }
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            match e.position() {
                Some(p) => write!(f, "{}:{} (byte {}): {}", self.file, p.line, p.byte, e)?,
                None => write!(f, "{}: {}", self.file, e)?,
            }
            if let Some(p) = e.also_position() {
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

impl std::error::Error for DataError {}

impl std::error::Error for Report {}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            // The report is this error's whole text, not a cause behind it.
            Error::Usage(_) | Error::Data(_) | Error::Refused(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error as _;

    #[test]
    fn an_io_error_chains_its_cause_and_a_data_error_reads_through_accessors() {
        let cause = std::io::Error::new(std::io::ErrorKind::NotFound, "gone");
        let e = Error::io("/x/dump.sql", "read", cause);
        let source = e.source().expect("the io cause");
        assert_eq!(source.to_string(), "gone");
        assert!(Error::Refused("no".into()).source().is_none());

        let d = DataError::new("bad value")
            .at(4)
            .table("public.tasks")
            .row("7")
            .column("title");
        let located = Report {
            file: "d.sql".into(),
            errors: vec![d],
            truncated: false,
        }
        .locate(b"ab\ncdef");
        let d = &located.errors[0];
        assert_eq!(d.byte(), Some(4));
        assert_eq!(d.position(), Some(Position { byte: 4, line: 2 }));
        assert_eq!(d.table_name(), Some("public.tasks"));
        assert_eq!(d.row_id(), Some("7"));
        assert_eq!(d.column_name(), Some("title"));
        assert_eq!(d.message(), "bad value");
        assert_eq!(d.to_string(), "public.tasks id 7, column title: bad value");
        let boxed: Box<dyn std::error::Error> = Box::new(d.clone());
        assert_eq!(boxed.to_string(), d.to_string());
    }
}
