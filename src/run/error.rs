//! Errors of running a scenario, with the scenario, step and key at fault.

use std::path::PathBuf;
use std::time::Duration;

use super::capture::Missing;
use super::invariants::Invariants;
use super::runner::Outcome;
use crate::etcd::EtcdError;
use crate::scenario::Scenario;

/// A scenario run that failed. The worker's captured output comes along, and so does what
/// the run did capture when only some checkpoints never happened.
#[derive(Debug, thiserror::Error)]
#[error(
    "{}: {kind}{}{}",
    scenario.display(),
    held_section(held),
    worker_log_section(worker_log)
)]
pub struct RunError {
    /// The scenario file.
    pub scenario: PathBuf,
    /// What went wrong.
    #[source]
    pub kind: RunErrorKind,
    /// What the worker printed (empty if nothing or no worker).
    pub worker_log: String,
    /// The stacks the fake Heat still held in progress when the run ended (`hold_until`
    /// rules whose keys never appeared).
    pub held: Vec<crate::fakes::HeldStack>,
    /// The checkpoints that did happen and those that did not, when the run got as far as
    /// waiting for them.
    pub partial: Option<Box<Outcome>>,
}

impl RunError {
    pub(super) fn new(scenario: &Scenario, kind: RunErrorKind, worker_log: String) -> Self {
        RunError {
            scenario: scenario.path.clone(),
            kind,
            worker_log,
            held: Vec::new(),
            partial: None,
        }
    }
}

/// Checkpoints that never happened, one line each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingList(pub Vec<Missing>);

impl From<Vec<Missing>> for MissingList {
    fn from(missing: Vec<Missing>) -> Self {
        MissingList(missing)
    }
}

impl std::fmt::Display for MissingList {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let lines: Vec<String> = self.0.iter().map(|m| format!("  {m}")).collect();
        f.write_str(&lines.join("\n"))
    }
}

fn held_section(held: &[crate::fakes::HeldStack]) -> String {
    held.iter().map(|h| format!("\n  {h}")).collect()
}

fn worker_log_section(log: &str) -> String {
    if log.trim().is_empty() {
        String::new()
    } else {
        format!(
            "\n--- worker output ---\n{}\n--- end of worker output ---",
            log.trim_end()
        )
    }
}

/// What went wrong in a run.
#[derive(Debug, thiserror::Error)]
pub enum RunErrorKind {
    /// etcd could not be had or used.
    #[error(transparent)]
    Etcd(#[from] EtcdError),
    /// A step failed.
    #[error("step {number} (`{action}`, line {line}): {source}")]
    Step {
        /// 1-based step number.
        number: usize,
        /// The step's action.
        action: &'static str,
        /// Its line in the file.
        line: u64,
        /// Why.
        #[source]
        source: Box<StepError>,
    },
    /// Some checkpoints never happened.
    #[error("checkpoints never happened within {waited:?}:\n{missing}")]
    Missing {
        /// How long we waited.
        waited: Duration,
        /// Each missing checkpoint, with what etcd saw of that key.
        missing: MissingList,
    },
    /// Checkpoints happened in another order than declared.
    #[error("document `{document}`: checkpoint ({later}) was written before ({earlier})")]
    Order {
        /// The document.
        document: String,
        /// The checkpoint declared first.
        earlier: usize,
        /// The checkpoint declared later but written first.
        later: usize,
    },
    /// The worker could not be started or stopped badly.
    #[error("worker: {0}")]
    Worker(crate::worker::WorkerError),
    /// The worker exited while checkpoints were still missing.
    #[error("worker exited ({status}) {when}; checkpoints that never happened:\n{missing}")]
    WorkerExited {
        /// Its exit status.
        status: String,
        /// When, in words (`during step 2 (...)`).
        when: String,
        /// The missing checkpoints.
        missing: MissingList,
    },
    /// The run was stopped (SIGINT, SIGTERM) before it ended.
    #[error("interrupted; checkpoints that never happened:\n{missing}")]
    Interrupted {
        /// The missing checkpoints.
        missing: MissingList,
    },
    /// The watch on etcd's history broke.
    #[error("recording etcd's history failed: {0}")]
    Recorder(#[source] std::sync::Arc<crate::etcd::FollowError>),
    /// The run ended but its history breaks an invariant (the checkpoints are kept).
    #[error("invariants broken: {0}")]
    Invariants(Box<Invariants>),
    /// A fake service could not be started, or did not settle.
    #[error("fake {service}: {source}")]
    Fake {
        /// Which fake.
        service: &'static str,
        /// Why.
        #[source]
        source: Box<crate::fakes::FakeError>,
    },
}

/// Why a step failed.
#[derive(Debug, thiserror::Error)]
pub enum StepError {
    /// An etcd request failed.
    #[error("etcd request `{request}` failed: {source}")]
    Etcd {
        /// Which request.
        request: String,
        /// Client error.
        #[source]
        source: Box<etcd_client::Error>,
    },
    /// Gohan create of a resource that exists.
    #[error("gohan create: `{key}` exists already (use `op: update`)")]
    Exists {
        /// The key.
        key: String,
    },
    /// Gohan update or delete of a resource that does not exist.
    #[error("gohan {op}: `{key}` does not exist (create it first)")]
    Absent {
        /// update or delete.
        op: &'static str,
        /// The key.
        key: String,
    },
    /// A `/config` value that is not what Gohan writes.
    #[error("`{key}` holds a value Gohan would not write: {problem}")]
    Foreign {
        /// The key.
        key: String,
        /// What is off.
        problem: ForeignValue,
    },
    /// A wait step ran out of time.
    #[error("{0}")]
    WaitTimeout(Box<WaitTimeout>),
    /// A fault step could not be applied.
    #[error("fault `{fault}` failed: {cause}")]
    Fault {
        /// The fault, as written (`etcd: kill`).
        fault: String,
        /// Why.
        #[source]
        cause: Box<super::FaultError>,
    },
}

/// What is off in a `/config` value a `gohan` step found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ForeignValue {
    /// The value is not JSON.
    #[error("not JSON")]
    NotJson,
    /// No integer `version`.
    #[error("no integer `version`")]
    NoVersion,
    /// `body` is a string that is not JSON.
    #[error("`body` is not JSON")]
    BodyNotJson,
    /// No `body`.
    #[error("no `body`")]
    NoBody,
    /// Someone else wrote the key between Gohan's read and its write.
    #[error("it changed while Gohan was writing it")]
    Changed,
}

/// A wait step that ran out of time: what it waited for and what etcd holds near its key.
#[derive(Debug, thiserror::Error)]
#[error(
    "waited {waited:?} for `{key}` to {expected}; it {actual}.\n\
     etcd holds under `{prefix}`:\n{holdings}"
)]
pub struct WaitTimeout {
    /// The key.
    pub key: String,
    /// The condition, in words.
    pub expected: String,
    /// The key's state, in words.
    pub actual: String,
    /// How long we waited.
    pub waited: Duration,
    /// The nearest prefix that has keys.
    pub prefix: String,
    /// Those keys and values (shortened).
    pub holdings: String,
}
