//! ResourceReader + JobManager: watches `/config/`, turns resources and their templates'
//! `parameter_mappings` into jobs, schedules them (`/jobs/*`) and cleans up.

use super::{Config, Log, Shutdown};

/// Runs until `shutdown` turns true.
pub(super) async fn run(_config: Config, _log: Log, mut shutdown: Shutdown) {
    let _ = shutdown.wait_for(|stop| *stop).await;
}
