//! Why a worker could not be started, killed or restarted.

/// A worker that could not be started, killed or restarted.
#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    /// The external command could not be spawned.
    #[error("cannot start the worker `sh -c {command}`: {error}")]
    Spawn {
        /// The scenario's command.
        command: String,
        /// What the OS said.
        error: std::io::Error,
    },
    /// A kill found no worker running.
    #[error("no worker is running")]
    NotRunning,
    /// A restart found the worker still running.
    #[error("the worker is running: kill it first")]
    StillRunning,
    /// A restart in a scenario with `worker: {kind: none}`.
    #[error("the scenario has no worker")]
    NoWorker,
    /// A fault asked after the run ended.
    #[error("the run is over")]
    RunOver,
}
