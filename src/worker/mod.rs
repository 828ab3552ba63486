//! The worker under test: heatbed's reference worker or an external command, both started
//! with the same env contract.

mod env;
mod error;
mod external;
mod reference;

pub use env::WorkerEnv;
pub use error::WorkerError;
pub use external::External;
pub(crate) use reference::rules;
pub use reference::{Config, Log, LogSink, MAX_SLOTS, Reference};

use crate::scenario::WorkerSpec;

/// A running worker.
#[derive(Debug)]
pub enum Worker {
    /// The built-in reference worker.
    Reference(Reference),
    /// An external process.
    External(Box<External>),
    /// No worker.
    None,
}

impl Worker {
    /// Starts the worker `spec` names with `env`.
    pub async fn start(spec: &WorkerSpec, env: &WorkerEnv) -> Result<Worker, WorkerError> {
        Ok(match spec {
            WorkerSpec::Reference { slots } => {
                Worker::Reference(Reference::start(env, *slots, LogSink::Buffer))
            }
            WorkerSpec::Command {
                command,
                env: extra,
                dir,
            } => Worker::External(Box::new(External::start(
                command,
                env,
                extra,
                dir.as_deref(),
            )?)),
            WorkerSpec::None => Worker::None,
        })
    }

    /// Resolves when an external worker exits, with its status; never for the others.
    pub async fn exited(&mut self) -> String {
        match self {
            Worker::External(external) => external.exited().await,
            _ => std::future::pending().await,
        }
    }

    /// Kills the worker as a crash would (an external worker's process group gets SIGKILL,
    /// the reference worker's tasks are aborted) and returns what it printed. The worker is
    /// then [`Worker::None`] until started again ([`Worker::start`] with the same spec and
    /// env is a restart).
    pub async fn kill(&mut self) -> String {
        match std::mem::replace(self, Worker::None) {
            Worker::External(external) => external.kill().await,
            Worker::Reference(reference) => reference.kill().await,
            Worker::None => String::new(),
        }
    }

    /// Stops the worker and returns what it printed.
    pub async fn stop(self) -> String {
        match self {
            Worker::External(external) => external.stop().await,
            Worker::Reference(reference) => reference.stop().await,
            Worker::None => String::new(),
        }
    }
}
