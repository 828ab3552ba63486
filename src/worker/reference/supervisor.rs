//! Starting and stopping the two components together.

use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::{Config, Log, LogSink, heat_worker, job_manager};
use crate::worker::WorkerEnv;

/// How long the components may take to finish after being told to stop.
const STOP_GRACE: Duration = Duration::from_secs(5);

/// A stop signal the components watch: `true` means stop.
pub(crate) type Shutdown = watch::Receiver<bool>;

/// The running reference worker.
#[derive(Debug)]
pub struct Reference {
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
    log: Log,
}

impl Reference {
    /// Starts the job manager and the heat worker with `slots` job slots.
    #[must_use = "the worker is stopped (and its log read) through the returned `Reference`"]
    pub fn start(env: &WorkerEnv, slots: usize, sink: LogSink) -> Self {
        let config = Config::new(env, slots);
        let log = Log::new(sink);
        let (stop, shutdown) = watch::channel(false);
        let tasks = vec![
            tokio::spawn(job_manager::run(
                config.clone(),
                log.clone(),
                shutdown.clone(),
            )),
            tokio::spawn(heat_worker::run(config, log.clone(), shutdown)),
        ];
        Reference { stop, tasks, log }
    }

    /// Kills both components as a crash would (their tasks aborted where they are: no last
    /// etcd write, no lease revoked) and returns the log.
    pub async fn kill(self) -> String {
        for task in &self.tasks {
            task.abort();
        }
        for task in self.tasks {
            let _ = task.await;
        }
        self.log.line("reference", "killed");
        self.log.take()
    }

    /// Stops both components and returns the log.
    pub async fn stop(self) -> String {
        let _ = self.stop.send(true);
        for task in self.tasks {
            if tokio::time::timeout(STOP_GRACE, task).await.is_err() {
                self.log
                    .line("reference", "a component did not stop in time");
            }
        }
        self.log.take()
    }
}
