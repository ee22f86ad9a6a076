//! Typed errors inside the crate. They become SQL errors at the DuckDB boundary (`glue`), where
//! duckdb-rs renders `Display` plus the `source()` chain joined by ": ". So a variant's message
//! must not repeat its source's text, or users read it twice.

use std::fmt;

/// Where in the input a problem sits. Rendered as `file:line` (or just `file`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Position {
    pub file: String,
    /// 1-based line number in the (decompressed) text, for line-oriented formats.
    pub line: Option<u64>,
}

impl Position {
    pub fn file(file: impl Into<String>) -> Self {
        Position {
            file: file.into(),
            line: None,
        }
    }
    pub fn at_line(file: impl Into<String>, line: u64) -> Self {
        Position {
            file: file.into(),
            line: Some(line),
        }
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}", self.file, line),
            None => write!(f, "{}", self.file),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The caller asked for something that cannot work; the message says what would.
    #[error("{0}")]
    Usage(String),

    #[error("{path}: {action}")]
    Io {
        path: String,
        action: &'static str,
        #[source]
        source: std::io::Error,
    },

    /// An object store request that failed: which object, and what the user can do about it.
    /// The message is built from status and error codes only, never from credentials.
    #[error("{uri}: {message}")]
    ObjectStore { uri: String, message: String },

    #[error("no files match '{pattern}'{hint}")]
    NoFiles { pattern: String, hint: String },

    /// Bad bytes in an input file: malformed CSV, a value of the wrong type, a truncated gzip...
    #[error("{pos}: {message}")]
    Data { pos: Position, message: String },

    #[error("{pos}: {message}")]
    Parquet {
        pos: Position,
        message: String,
        #[source]
        source: Option<parquet::errors::ParquetError>,
    },

    /// A mapping rule that does not compile: a bug in shipped data, caught by unit tests.
    #[error("mapping {mapping}: {message}")]
    Mapping { mapping: String, message: String },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// `first`, then the texts of `e`'s causes, each once, joined by ": ". Client libraries nest
/// their causes' texts unevenly (some repeat the inner text, some do not); users read each once.
pub fn with_causes(first: String, e: &dyn std::error::Error) -> String {
    let mut out = first;
    let mut cur = e.source();
    while let Some(s) = cur {
        let t = s.to_string();
        if !out.contains(&t) {
            out.push_str(": ");
            out.push_str(&t);
        }
        cur = s.source();
    }
    out
}

impl Error {
    pub fn usage(msg: impl Into<String>) -> Self {
        Error::Usage(msg.into())
    }
    pub fn data(pos: Position, msg: impl Into<String>) -> Self {
        Error::Data {
            pos,
            message: msg.into(),
        }
    }
    pub fn io(path: &std::path::Path, action: &'static str, source: std::io::Error) -> Self {
        Error::Io {
            path: display_path(path),
            action,
            source,
        }
    }
}

pub fn display_path(path: &std::path::Path) -> String {
    path.to_string_lossy().into_owned()
}
