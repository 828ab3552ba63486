//! The validated scenario the runner consumes. Every value here has been checked.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use regex::Regex;
use serde_json::Value;

pub use crate::run::steps::{Condition, GohanOp, StepKind};

/// A scenario ready to run.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// The file it came from.
    pub path: PathBuf,
    /// File stem: the scenario's id, used for snapshot folders and test names.
    pub id: String,
    /// Title.
    pub name: String,
    /// Description, if any.
    pub description: Option<String>,
    /// Overall deadline for reaching every checkpoint.
    pub timeout: Duration,
    /// The worker under test.
    pub worker: WorkerSpec,
    /// Fake Heat settings.
    pub heat: HeatSpec,
    /// Fake collector settings.
    pub collector: CollectorSpec,
    /// What happens, in order.
    pub steps: Vec<Step>,
    /// Documents of numbered checkpoints.
    pub documents: Vec<Document>,
    /// Applied to rendered checkpoints.
    pub redactions: Vec<Redaction>,
    /// The keyspace the run must end with, if declared.
    pub keyspace: Option<Keyspace>,
}

/// Which keys make up a run's final keyspace.
#[derive(Debug, Clone)]
pub struct Keyspace {
    /// Keys starting with one of these are taken.
    pub prefixes: Vec<String>,
    /// Keys matching one of these are left out.
    pub ignore: Vec<KeySelector>,
    /// A recorded store dump (path as written, relative to the scenario).
    pub recorded: Option<String>,
}

impl Keyspace {
    /// Whether `key` belongs to the keyspace.
    pub fn takes(&self, key: &str) -> bool {
        self.prefixes.iter().any(|p| key.starts_with(p.as_str()))
            && !self.ignore.iter().any(|i| i.matches(key))
    }
}

/// Which worker runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorkerSpec {
    /// The built-in reference worker.
    Reference {
        /// Concurrent job slots.
        slots: usize,
    },
    /// An external command with the env contract.
    Command {
        /// Shell command line.
        command: String,
        /// Extra environment.
        env: BTreeMap<String, String>,
        /// Working directory: the scenario's folder for a scenario's own worker, the current
        /// directory for `--worker`.
        dir: Option<PathBuf>,
    },
    /// None at all.
    None,
}

pub use super::collector::CollectorSpec;
pub use super::heat::HeatSpec;

/// A validated step. `line` is where it starts in the file.
#[derive(Debug, Clone)]
pub struct Step {
    /// 1-based line of the step in its file.
    pub line: u64,
    /// What it does.
    pub kind: StepKind,
}

/// A document of numbered checkpoints.
#[derive(Debug, Clone)]
pub struct Document {
    /// Short name for snapshot files.
    pub name: String,
    /// Title.
    pub title: String,
    /// Text between title and checkpoints.
    pub preamble: Option<String>,
    /// Checkpoints (1), (2), ... (none for a journal document).
    pub checkpoints: Vec<Checkpoint>,
    /// For a journal document: which Heat calls it shows.
    pub journal: Option<JournalFilter>,
    /// The recorded documents it reproduces (paths as written, relative to the scenario).
    pub recorded: Vec<String>,
}

/// The Heat calls a journal document shows, each a numbered checkpoint.
#[derive(Debug, Clone)]
pub struct JournalFilter {
    /// Upper-case HTTP methods.
    pub methods: Vec<String>,
    /// Stack-name glob, if any.
    pub stack: Option<KeySelector>,
}

impl JournalFilter {
    /// Whether a call with `method`, `path` and request `stack_name` (for creates) is shown.
    pub fn shows(&self, method: &str, path: &str, stack_name: Option<&str>) -> bool {
        if !self.methods.iter().any(|m| m == method) {
            return false;
        }
        let Some(stack) = &self.stack else {
            return true;
        };
        let in_path = path
            .split('?')
            .next()
            .and_then(|p| p.split("/stacks/").nth(1))
            .and_then(|rest| rest.split('/').next());
        in_path
            .or(stack_name)
            .is_some_and(|name| stack.matches(name))
    }
}

/// One numbered checkpoint.
#[derive(Debug, Clone)]
pub struct Checkpoint {
    /// 1-based number within its document.
    pub number: usize,
    /// Which key.
    pub key: KeySelector,
    /// Which write of it.
    pub pick: Pick,
}

/// Which key a checkpoint watches.
#[derive(Debug, Clone)]
pub enum KeySelector {
    /// Exactly this key.
    Exact(String),
    /// Keys matching a glob (`*` any run of characters, `?` one character).
    Pattern {
        /// As written.
        glob: String,
    },
}

impl KeySelector {
    /// Whether `key` is selected.
    pub fn matches(&self, key: &str) -> bool {
        match self {
            KeySelector::Exact(k) => k == key,
            KeySelector::Pattern { glob } => super::glob(glob.as_bytes(), key.as_bytes()),
        }
    }
}

impl std::fmt::Display for KeySelector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeySelector::Exact(k) => f.write_str(k),
            KeySelector::Pattern { glob, .. } => f.write_str(glob),
        }
    }
}

/// Which write of the key a checkpoint takes.
#[derive(Debug, Clone, PartialEq)]
pub enum Pick {
    /// The n-th write (1-based).
    Nth(usize),
    /// The first write whose JSON value contains this subset.
    Matching(Value),
    /// The last write before checkpoint (n) of the same document was written.
    Before(usize),
    /// The first write after checkpoint (n) of the same document was written.
    After(usize),
}

impl std::fmt::Display for Pick {
    /// The write a checkpoint wants, in the words of a scenario's fields.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Pick::Nth(n) => write!(f, "write {n}"),
            Pick::Matching(v) => write!(f, "the first write matching {v}"),
            Pick::Before(n) => write!(f, "the last write before ({n})"),
            Pick::After(n) => write!(f, "the first write after ({n})"),
        }
    }
}

/// A redaction rule.
#[derive(Debug, Clone)]
pub enum Redaction {
    /// Replace what a regex finds.
    Replace {
        /// What to find.
        regex: Regex,
        /// What replaces it.
        replacement: String,
    },
    /// Sort the lists under this object key.
    Sort {
        /// The key.
        key: String,
    },
}
