//! The scenario file as written by people: plain serde structs, nothing clever.
//!
//! Every struct denies unknown fields and every enum is tagged, so a typo is an error that
//! names its line and column. [`super::validate`] turns these into the runtime types.

use std::collections::BTreeMap;
use std::time::Duration;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_saphyr::Spanned;

use super::tagged::tagged;

/// One scenario file.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    /// Human-readable title, e.g. "Create Loadbalancer".
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// What the scenario shows, for `heatbed list`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// How long the run may take to reach every checkpoint (default 10s).
    #[serde(
        default,
        with = "super::duration",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<String>")]
    pub timeout: Option<Duration>,
    /// The worker under test; absent means the built-in reference worker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<WorkerFile>")]
    pub worker: Option<Spanned<WorkerFile>>,
    /// Fake Heat and Keystone settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<HeatFile>")]
    pub heat: Option<Spanned<HeatFile>>,
    /// Fake collector-agent settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<CollectorFile>")]
    pub collector: Option<Spanned<CollectorFile>>,
    /// What Gohan (and the rest of the world) does, in order.
    #[schemars(with = "Vec<StepFile>")]
    pub steps: Vec<Spanned<StepFile>>,
    /// Documents of numbered checkpoints, like the seed documents.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(with = "Vec<DocumentFile>")]
    pub documents: Vec<Spanned<DocumentFile>>,
    /// Rules that replace what a worker generates at random before snapshots are compared.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(with = "Vec<RedactionFile>")]
    pub redactions: Vec<Spanned<RedactionFile>>,
    /// The keyspace the run must end with: every key under `prefixes` but `ignore`, rendered
    /// like checkpoints and snapshotted as one file `snapshots/<scenario>/keyspace.snap`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<KeyspaceFile>")]
    pub keyspace: Option<Spanned<KeyspaceFile>>,
}

/// The keyspace a run must end with.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KeyspaceFile {
    /// Keys taken: every key starting with one of these (default `[/]`, every key).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefixes: Option<Vec<String>>,
    /// Globs (`*`, `?`) of keys left out, e.g. `/gohan/*`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignore: Vec<String>,
    /// A recorded etcd store dump (zlib-compressed JSON tree, like
    /// `result_log/08_etcd_store/test.dump`), relative to the scenario file: compared key by
    /// key by `heatbed run --recorded` and the golden tests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorded: Option<String>,
}

/// Which worker runs during the scenario. `kind` comes first.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WorkerFile {
    /// heatbed's own reference worker, in process.
    Reference(ReferenceWorker),
    /// Any command, run with `sh -c` and the env contract (see README).
    Command(CommandWorker),
    /// No worker: the scenario drives etcd itself.
    None(NoWorker),
}

/// `kind: reference`.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReferenceWorker {
    /// Job slots (recorded: 8).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slots: Option<usize>,
}

/// `kind: command`.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CommandWorker {
    /// The shell command line, run in the scenario's folder.
    pub command: String,
    /// Extra environment variables for the command.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub env: BTreeMap<String, String>,
}

/// `kind: none`.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NoWorker {}

pub use super::collector::CollectorFile;
pub use super::heat::HeatFile;
pub use crate::run::steps::StepFile;

/// A document of numbered checkpoints, rendered like a seed document.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentFile {
    /// Short name used in snapshot file names, e.g. `lb_interface`.
    pub name: String,
    /// The title after "Stored data in etcd: ".
    pub title: String,
    /// Text printed between the title and the first checkpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preamble: Option<String>,
    /// The recorded documents this one reproduces, relative to the scenario file: their
    /// checkpoints in order (one repeated in a later document counted once) are this
    /// document's, compared checkpoint by checkpoint by `heatbed run --recorded` and the tests.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recorded: Vec<String>,
    /// Checkpoints (1), (2), ... in the order they must happen.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(with = "Vec<CheckpointFile>")]
    pub checkpoints: Vec<Spanned<CheckpointFile>>,
    /// Or: the calls the fake Heat received, each a numbered checkpoint, in order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heat_journal: Option<JournalFile>,
}

/// Which Heat calls a journal document shows.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JournalFile {
    /// HTTP methods to show (default: POST, PUT, PATCH, DELETE — polls vary between workers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub methods: Option<Vec<String>>,
    /// Only calls on stacks whose name matches this glob (parallel stacks interleave).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stack: Option<String>,
}

/// One numbered checkpoint: one write of one key.
#[derive(Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckpointFile {
    /// The exact key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// Or a glob (`*`, `?`) for keys with a random part, e.g. a job suffix.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// Take the n-th write of the key (1-based; default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nth: Option<usize>,
    /// Or the first write whose JSON value contains this subset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matching: Option<Value>,
    /// Or the last write before checkpoint (n) of this document was written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<usize>,
    /// Or the first write after checkpoint (n) of this document was written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<usize>,
}

/// A rule applied to rendered checkpoints before they are compared. `kind` comes first.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RedactionFile {
    /// The 5-character random suffix of job ids (`...:<version>:abcde`).
    JobSuffix(JobSuffixRedaction),
    /// Any regular expression.
    Regex(RegexRedaction),
    /// Sort the lists held under a key, wherever it appears (for sets written in an order
    /// that depends on random ids, such as a job's `dependency`).
    Sort(SortRedaction),
}

/// `kind: sort`.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SortRedaction {
    /// The object key whose list values are sorted, e.g. `dependency`.
    pub key: String,
}

/// `kind: job_suffix`.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JobSuffixRedaction {}

/// `kind: regex`.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RegexRedaction {
    /// The regular expression.
    pub pattern: String,
    /// What replaces a match, e.g. `[target-id]` (`$1` refers to groups).
    pub replacement: String,
}

tagged! { WorkerFile, "kind", {
    "reference" => Reference,
    "command" => Command,
    "none" => None,
} }

tagged! { RedactionFile, "kind", {
    "job_suffix" => JobSuffix,
    "regex" => Regex,
    "sort" => Sort,
} }
