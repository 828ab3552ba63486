//! Errors of loading a scenario: all name the file, and where they can, line, column and key.

use std::fmt;
use std::path::PathBuf;

/// Where in a scenario file something is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    /// 1-based line.
    pub line: u64,
    /// 1-based column.
    pub column: u64,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// A scenario file that cannot be used. Its `Display` reads `file:line:col: at key: message`.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be read.
    #[error("{path}: cannot read scenario: {source}")]
    Read {
        /// The scenario file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The YAML is malformed or does not fit the model, or a value is invalid.
    #[error("{path}:{}: at `{key}`: {message}", position.as_ref().map_or_else(|| "?:?".to_string(), ToString::to_string))]
    Invalid {
        /// The scenario file.
        path: PathBuf,
        /// Line and column, when known.
        position: Option<Position>,
        /// Key path such as `steps[3].value`.
        key: String,
        /// What is wrong.
        message: String,
    },
    /// A path argument matched no scenario.
    #[error("{path}: no scenario files (*.yaml) found")]
    NoScenarios {
        /// The directory or glob.
        path: PathBuf,
    },
}
