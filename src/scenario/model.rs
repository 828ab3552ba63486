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
}

/// Which worker runs during the scenario.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum WorkerFile {
    /// heatbed's own reference worker, in process.
    Reference {
        /// Job slots (recorded: 8).
        #[serde(default)]
        slots: Option<usize>,
    },
    /// Any command, run with `sh -c` and the env contract (see README).
    Command {
        /// The shell command line.
        command: String,
        /// Extra environment variables for the command.
        #[serde(default)]
        env: BTreeMap<String, String>,
    },
    /// No worker: the scenario drives etcd itself.
    None {},
}

/// Fake Heat settings (reserved; the simulator grows in later releases).
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HeatFile {
    /// Keystone project id the fake hands out (default: the recorded tenant).
    #[serde(default)]
    pub project_id: Option<String>,
}

/// Fake collector-agent settings (reserved; the simulator grows in later releases).
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CollectorFile {
    /// Public base URL used in `link` and `monitorer` (default `http://collector-agents-se:7070`).
    #[serde(default)]
    pub public_url: Option<String>,
}

/// One step; `action` says which.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum StepFile {
    /// Write a Gohan resource under `/config` the way Gohan does.
    Gohan {
        /// create, update or delete.
        op: GohanOp,
        /// API path, e.g. `/v2.0/ports/<id>`.
        path: String,
        /// The resource body (required for create and update; delete keeps the last body).
        #[serde(default)]
        body: Option<Value>,
    },
    /// Write a raw key.
    Put {
        /// The etcd key.
        key: String,
        /// The value, stored as compact JSON (a YAML string is stored as it is).
        #[serde(default)]
        value: Option<Value>,
        /// Or: a file whose bytes are stored, relative to the scenario file.
        #[serde(default)]
        file: Option<String>,
    },
    /// Delete a raw key, or every key under a prefix.
    Delete {
        /// The etcd key.
        key: String,
        /// Delete every key starting with `key`.
        #[serde(default)]
        prefix: bool,
    },
    /// Wait until a key reaches a condition.
    Wait {
        /// The etcd key.
        key: String,
        /// exists (default), matches or deleted.
        #[serde(default)]
        until: Until,
        /// For `matches`: a JSON subset the value must contain.
        #[serde(default)]
        value: Option<Value>,
        /// How long to wait (default 5s).
        #[serde(default, with = "humantime_serde")]
        #[schemars(with = "Option<String>")]
        timeout: Option<Duration>,
    },
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
    #[schemars(with = "Vec<CheckpointFile>")]
    pub checkpoints: Vec<Spanned<CheckpointFile>>,
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
}

/// A rule applied to rendered checkpoints before they are compared.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum RedactionFile {
    /// The 5-character random suffix of job ids (`...:<version>:abcde`).
    JobSuffix {},
    /// Any regular expression, replaced by `replacement` (`$1` refers to groups).
    Regex {
        /// The regular expression.
        pattern: String,
        /// What replaces a match, e.g. `[target-id]`.
        replacement: String,
    },
}
