//! Errors of running a scenario, with the scenario, step and key at fault.

use std::path::PathBuf;
use std::time::Duration;

use crate::etcd::EtcdError;

/// A scenario run that failed. The worker's captured output comes along.
#[derive(Debug, thiserror::Error)]
#[error("{}: {kind}{}", scenario.display(), worker_log_section(worker_log))]
pub struct RunError {
    /// The scenario file.
    pub scenario: PathBuf,
    /// What went wrong.
    #[source]
    pub kind: RunErrorKind,
    /// What the worker printed (empty if nothing or no worker).
    pub worker_log: String,
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
        source: StepError,
    },
    /// Some checkpoints never happened.
    #[error("checkpoints never happened within {waited:?}:\n{missing}")]
    Missing {
        /// How long we waited.
        waited: Duration,
        /// One line per missing checkpoint, with what etcd saw of that key.
        missing: String,
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
    Worker(String),
    /// The worker exited while checkpoints were still missing.
    #[error("worker exited ({status}) before every checkpoint happened:\n{missing}")]
    WorkerExited {
        /// Its exit status.
        status: String,
        /// The missing checkpoints.
        missing: String,
    },
    /// The watch on etcd's history broke.
    #[error("recording etcd's history failed: {0}")]
    Recorder(String),
    /// A fake service could not be started.
    #[error("fake {service}: {message}")]
    Fake {
        /// Which fake.
        service: &'static str,
        /// Why.
        message: String,
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
        source: etcd_client::Error,
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
    #[error("`{key}` holds a value Gohan would not write: {message}")]
    Foreign {
        /// The key.
        key: String,
        /// What is off.
        message: String,
    },
    /// A wait step ran out of time.
    #[error(
        "waited {waited:?} for `{key}` to {expected}; it {actual}.\n\
         etcd holds under `{prefix}`:\n{holdings}"
    )]
    WaitTimeout {
        /// The key.
        key: String,
        /// The condition, in words.
        expected: String,
        /// The key's state, in words.
        actual: String,
        /// How long we waited.
        waited: Duration,
        /// The nearest prefix that has keys.
        prefix: String,
        /// Those keys and values (shortened).
        holdings: String,
    },
}
