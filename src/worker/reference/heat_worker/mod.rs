//! HeatWorker: claims ready jobs, drives Heat (through Keystone), writes job state, stack and
//! resource state, and finishes jobs.

use super::{Config, Log, Shutdown};

/// Runs until `shutdown` turns true.
pub(super) async fn run(_config: Config, _log: Log, mut shutdown: Shutdown) {
    let _ = shutdown.wait_for(|stop| *stop).await;
}
