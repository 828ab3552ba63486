//! The built-in reference worker. It runs in process; until its job manager and heat worker
//! land it does nothing, so scenarios that need a worker name an external one.

use super::WorkerEnv;

/// The running reference worker.
#[derive(Debug)]
pub struct Reference;

impl Reference {
    /// Starts it.
    pub(super) fn start(_env: &WorkerEnv, _slots: usize) -> Self {
        Reference
    }

    /// Stops it; returns its log.
    pub(super) async fn stop(self) -> String {
        String::new()
    }
}
