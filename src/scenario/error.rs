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
    /// The file is not UTF-8, not YAML, does not fit the model, or a value is invalid.
    #[error(transparent)]
    Invalid(Box<InvalidScenario>),
    /// A path argument matched no scenario.
    #[error("{path}: no scenario files (*.yaml) found")]
    NoScenarios {
        /// The directory or glob.
        path: PathBuf,
    },
}

impl LoadError {
    /// An invalid scenario at `path`.
    pub(crate) fn invalid(
        path: &std::path::Path,
        position: Option<Position>,
        key: String,
        kind: InvalidKind,
    ) -> Self {
        LoadError::Invalid(Box::new(InvalidScenario {
            path: path.to_owned(),
            position,
            key,
            kind,
        }))
    }
}

/// Where a scenario file is invalid, and why. Its `Display` reads
/// `file:line:col: at `key`: message`.
#[derive(Debug, thiserror::Error)]
#[error("{path}:{}: at `{key}`: {kind}", position.as_ref().map_or_else(|| "?:?".to_string(), ToString::to_string))]
pub struct InvalidScenario {
    /// The scenario file.
    pub path: PathBuf,
    /// Line and column: always known for a value (the file model spans every section and
    /// item); from serde-saphyr for a parse error.
    pub position: Option<Position>,
    /// Key path such as `steps[3].value` (`.` for the whole file).
    pub key: String,
    /// What is wrong.
    pub kind: InvalidKind,
}

/// What is wrong in an invalid scenario file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidKind {
    /// The bytes are not UTF-8 (the position is the first bad byte's).
    #[error("the file is not valid UTF-8")]
    NotUtf8,
    /// Not YAML, or YAML that does not fit the model (an unknown key, a wrong type, a
    /// missing field): serde-saphyr's words.
    #[error("{0}")]
    Model(String),
    /// A value the model takes but the rules refuse (an empty name, a relative key, a
    /// checkpoint naming itself): validation's words.
    #[error("{0}")]
    Value(String),
}

/// A value that is wrong, relative to the item being checked (a step, a rule, a document):
/// the key path below that item (`.key`, `.report.statuses[2]`, empty for the item itself)
/// and what is wrong, in the user's words. The caller adds the item's key and position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FieldError {
    /// Key path below the item, starting with `.` (or empty).
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl FieldError {
    /// An error at `field` (`.key`, or empty for the item itself).
    pub(crate) fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }

    /// The same error one level down: `item` (e.g. `.fail[2]`) goes before the field.
    pub(crate) fn under(self, item: impl std::fmt::Display) -> Self {
        FieldError {
            field: format!("{item}{}", self.field),
            message: self.message,
        }
    }

    /// The same message at another field.
    pub(crate) fn at(self, field: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            message: self.message,
        }
    }
}

/// A [`FieldError`] whose key path is complete (`heat.stacks[2].match`), at the position of
/// the item it names (the item's own, or the nearest enclosing one the file model spans).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Located {
    /// Where the item starts.
    pub at: serde_saphyr::Location,
    /// The full key path and message.
    pub error: FieldError,
}

impl FieldError {
    /// This error, below `item` (e.g. `heat.stacks[2]`), at `at`.
    pub(crate) fn located(
        self,
        item: impl std::fmt::Display,
        at: serde_saphyr::Location,
    ) -> Located {
        Located {
            at,
            error: self.under(item),
        }
    }
}
