//! errors: the one library error enum; messages are lowercase and say what failed and where.

use std::path::PathBuf;

/// Result with the library's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in newsidx, outside per-record corpus problems
/// (those are [`crate::corpus::RecordError`]s: reported, counted, and skipped).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or directory could not be read or written.
    #[error("{action} {path}")]
    Io {
        /// What was being done ("cannot read", "cannot create", ...).
        action: &'static str,
        /// The path involved.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// There is no index at the given path.
    #[error("no index at {0}: build one with `newsidx index CORPUS`")]
    NoIndex(PathBuf),
    /// The index was built by another schema version or with other analyzers.
    #[error("the index at {path} was built by an incompatible newsidx ({detail}): rebuild it with `newsidx index CORPUS`")]
    IncompatibleIndex {
        /// The index directory.
        path: PathBuf,
        /// What differs.
        detail: String,
    },
    /// The embedded schema file is invalid (a build defect, caught by tests).
    #[error("schema/paragraph.json: {0}")]
    Schema(String),
    /// A user's query does not parse.
    #[error(transparent)]
    Query(#[from] crate::query::QueryError),
    /// An option has a value that cannot be used.
    #[error("invalid value for {option}: {message}")]
    InvalidOption {
        /// The option, as written on the command line (`--since`).
        option: &'static str,
        /// Why the value is invalid.
        message: String,
    },
    /// Another process holds the index's writer lock.
    #[error("the index at {path} is locked by another newsidx process ({holder}); wait for it to finish")]
    Locked {
        /// The index directory.
        path: PathBuf,
        /// Who holds the lock, as far as known.
        holder: String,
    },
    /// No usable input was found at the corpus paths.
    #[error("no corpus files found in {0}")]
    EmptyCorpus(String),
    /// Every record failed: the previous index is kept.
    #[error("no article could be indexed ({errors} records failed); the previous index, if any, is kept")]
    NothingIndexed {
        /// Failed records.
        errors: u64,
    },
    /// An error inside tantivy.
    #[error("index engine error: {context}")]
    Tantivy {
        /// What newsidx was doing.
        context: String,
        /// The tantivy error.
        #[source]
        source: tantivy::TantivyError,
    },
}

impl Error {
    /// An I/O error on a path.
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            action,
            path: path.into(),
            source,
        }
    }

    /// A tantivy error with what newsidx was doing at the time.
    pub fn tantivy(context: impl Into<String>, source: tantivy::TantivyError) -> Self {
        Error::Tantivy {
            context: context.into(),
            source,
        }
    }
}

/// Adds context to tantivy results.
pub(crate) trait TantivyContext<T> {
    /// Wraps a tantivy error with what newsidx was doing.
    fn context(self, what: &str) -> Result<T>;
}

impl<T> TantivyContext<T> for tantivy::Result<T> {
    fn context(self, what: &str) -> Result<T> {
        self.map_err(|e| Error::tantivy(what, e))
    }
}
