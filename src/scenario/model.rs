//! The scenario file as written by people: plain serde structs, nothing clever.
//!
//! Every struct denies unknown fields and every enum is tagged, so a typo is an error that
//! names its line and column. [`super::validate`] turns these into the runtime types.

use std::collections::BTreeMap;
use std::time::Duration;

use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::Value;
use serde_saphyr::Spanned;

use super::tagged::tagged;

/// One scenario file.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    /// Human-readable title, e.g. "Create Loadbalancer".
    pub name: String,
    /// What the scenario shows, for `heatbed list`.
    #[serde(default)]
    pub description: Option<String>,
    /// How long the run may take to reach every checkpoint (default 10s).
    #[serde(default, with = "humantime_serde")]
    #[schemars(with = "Option<String>")]
    pub timeout: Option<Duration>,
    /// The worker under test; absent means the built-in reference worker.
    #[serde(default)]
    pub worker: Option<WorkerFile>,
    /// Fake Heat and Keystone settings.
    #[serde(default)]
    pub heat: Option<HeatFile>,
    /// Fake collector-agent settings.
    #[serde(default)]
    pub collector: Option<CollectorFile>,
    /// What Gohan (and the rest of the world) does, in order.
    #[schemars(with = "Vec<StepFile>")]
    pub steps: Vec<Spanned<StepFile>>,
    /// Documents of numbered checkpoints, like the seed documents.
    #[serde(default)]
    #[schemars(with = "Vec<DocumentFile>")]
    pub documents: Vec<Spanned<DocumentFile>>,
    /// Rules that replace what a worker generates at random before snapshots are compared.
    #[serde(default)]
    #[schemars(with = "Vec<RedactionFile>")]
    pub redactions: Vec<Spanned<RedactionFile>>,
    /// The keyspace the run must end with: every key under `prefixes` but `ignore`, rendered
    /// like checkpoints and snapshotted as one file `snapshots/<scenario>/keyspace.snap`.
    #[serde(default)]
    #[schemars(with = "Option<KeyspaceFile>")]
    pub keyspace: Option<Spanned<KeyspaceFile>>,
}

/// The keyspace a run must end with.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KeyspaceFile {
    /// Keys taken: every key starting with one of these (default `[/]`, every key).
    #[serde(default)]
    pub prefixes: Option<Vec<String>>,
    /// Globs (`*`, `?`) of keys left out, e.g. `/gohan/*`.
    #[serde(default)]
    pub ignore: Vec<String>,
    /// A recorded etcd store dump (zlib-compressed JSON tree, like
    /// `result_log/08_etcd_store/test.dump`), relative to the scenario file: compared key by
    /// key by `heatbed run --recorded` and the golden tests.
    #[serde(default)]
    pub recorded: Option<String>,
}

/// Which worker runs during the scenario. `kind` comes first.
#[derive(Debug, JsonSchema)]
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
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReferenceWorker {
    /// Job slots (recorded: 8).
    #[serde(default)]
    pub slots: Option<usize>,
}

/// `kind: command`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CommandWorker {
    /// The shell command line, run in the scenario's folder.
    pub command: String,
    /// Extra environment variables for the command.
    #[serde(default)]
    pub env: BTreeMap<String, String>,
}

/// `kind: none`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NoWorker {}

pub use super::heat::HeatFile;

pub use super::collector::CollectorFile;

/// One step; `action` says which, and comes first.
#[derive(Debug, JsonSchema)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum StepFile {
    /// Write a Gohan resource under `/config` the way Gohan does.
    Gohan(GohanStep),
    /// Write a raw key.
    Put(PutStep),
    /// Delete a raw key, or every key under a prefix.
    Delete(DeleteStep),
    /// Wait until a key reaches a condition.
    Wait(WaitStep),
    /// Take a piece of the world away (etcd, the worker, Heat, the collector) or bring it
    /// back.
    Fault(FaultStep),
}

pub use crate::run::FaultStep;

/// `action: gohan`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GohanStep {
    /// create, update or delete.
    pub op: GohanOp,
    /// API path, e.g. `/v2.0/ports/<id>`.
    pub path: String,
    /// The resource body (required for create and update; delete keeps the last body).
    #[serde(default)]
    pub body: Option<Value>,
}

/// `action: put`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PutStep {
    /// The etcd key.
    pub key: String,
    /// The value, stored as compact JSON (a YAML string is stored as it is).
    #[serde(default)]
    pub value: Option<Value>,
    /// Or: a file whose bytes are stored, relative to the scenario file.
    #[serde(default)]
    pub file: Option<String>,
}

/// `action: delete`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeleteStep {
    /// The etcd key.
    pub key: String,
    /// Delete every key starting with `key`.
    #[serde(default)]
    pub prefix: bool,
}

/// `action: wait`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WaitStep {
    /// The etcd key.
    pub key: String,
    /// Whether `key` is a prefix: `exists` waits for some key under it, `deleted` for none.
    #[serde(default)]
    pub prefix: bool,
    /// exists (default), matches or deleted.
    #[serde(default)]
    pub until: Until,
    /// For `matches`: a JSON subset the value must contain.
    #[serde(default)]
    pub value: Option<Value>,
    /// How long to wait (default 5s).
    #[serde(default, with = "humantime_serde")]
    #[schemars(with = "Option<String>")]
    pub timeout: Option<Duration>,
}

/// What a Gohan step does to the resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum GohanOp {
    /// version 1, not marked for deletion.
    Create,
    /// version + 1 with the new body.
    Update,
    /// version + 1, marked for deletion.
    Delete,
}

/// The condition of a `wait` step.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Until {
    /// The key exists.
    #[default]
    Exists,
    /// The key's JSON value contains `value`.
    Matches,
    /// The key is gone.
    Deleted,
}

/// A document of numbered checkpoints, rendered like a seed document.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentFile {
    /// Short name used in snapshot file names, e.g. `lb_interface`.
    pub name: String,
    /// The title after "Stored data in etcd: ".
    pub title: String,
    /// Text printed between the title and the first checkpoint.
    #[serde(default)]
    pub preamble: Option<String>,
    /// Checkpoints (1), (2), ... in the order they must happen.
    #[serde(default)]
    #[schemars(with = "Vec<CheckpointFile>")]
    pub checkpoints: Vec<Spanned<CheckpointFile>>,
    /// The recorded documents this one reproduces, relative to the scenario file: their
    /// checkpoints in order (one repeated in a later document counted once) are this
    /// document's, compared checkpoint by checkpoint by `heatbed run --recorded` and the tests.
    #[serde(default)]
    pub recorded: Vec<String>,
    /// Or: the calls the fake Heat received, each a numbered checkpoint, in order.
    #[serde(default)]
    pub heat_journal: Option<JournalFile>,
}

/// Which Heat calls a journal document shows.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JournalFile {
    /// HTTP methods to show (default: POST, PUT, PATCH, DELETE — polls vary between workers).
    #[serde(default)]
    pub methods: Option<Vec<String>>,
    /// Only calls on stacks whose name matches this glob (parallel stacks interleave).
    #[serde(default)]
    pub stack: Option<String>,
}

/// One numbered checkpoint: one write of one key.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckpointFile {
    /// The exact key.
    #[serde(default)]
    pub key: Option<String>,
    /// Or a glob (`*`, `?`) for keys with a random part, e.g. a job suffix.
    #[serde(default)]
    pub pattern: Option<String>,
    /// Take the n-th write of the key (1-based; default 1).
    #[serde(default)]
    pub nth: Option<usize>,
    /// Or the first write whose JSON value contains this subset.
    #[serde(default)]
    pub matching: Option<Value>,
    /// Or the last write before checkpoint (n) of this document was written.
    #[serde(default)]
    pub before: Option<usize>,
    /// Or the first write after checkpoint (n) of this document was written.
    #[serde(default)]
    pub after: Option<usize>,
}

/// A rule applied to rendered checkpoints before they are compared. `kind` comes first.
#[derive(Debug, JsonSchema)]
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
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SortRedaction {
    /// The object key whose list values are sorted, e.g. `dependency`.
    pub key: String,
}

/// `kind: job_suffix`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JobSuffixRedaction {}

/// `kind: regex`.
#[derive(Debug, Deserialize, JsonSchema)]
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

tagged! { StepFile, "action", {
    "gohan" => Gohan,
    "put" => Put,
    "delete" => Delete,
    "wait" => Wait,
    "fault" => Fault,
} }

tagged! { RedactionFile, "kind", {
    "job_suffix" => JobSuffix,
    "regex" => Regex,
    "sort" => Sort,
} }
