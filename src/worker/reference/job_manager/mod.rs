//! ResourceReader + JobManager: watches `/config/`, turns resources and their templates'
//! `parameter_mappings` into jobs, schedules them (`/jobs/*`) and cleans up.
//!
//! - `schema.rs`: the embedded Gohan schemas (types, key paths, `template_path`, relations),
//!   and how a type without one pairs with the heat template of its name (`unseen_type`).
//! - `mapping.rs`: the `parameter_mappings` language (`mapping/parse.rs`: its forms).
//! - `job.rs`: param records, job ids and objects, the `/jobs/all` value.
//! - `pyorder.rs`: CPython 2.7 dict/set order (params and dependency order).
//! - `state.rs`: action selection, `READ_COMPLETE`, the `/esi-worker/config` mirror value.
//! - `schedule.rs`: unfinished jobs, dependencies and promotion (in memory).
//! - `queue_store.rs`: the etcd transactions.
//! - `reader.rs`: handling one `/config` change or finished job.
//! - `sync.rs`: start-up resync and the watch loop.

mod job;
mod mapping;
mod pyorder;
mod queue_store;
mod reader;
mod schedule;
mod schema;
mod state;
mod sync;

#[cfg(test)]
mod tests;

pub(crate) use mapping::{Context, Hop, Kind, Mapping, MappingError, Resources};
pub(crate) use schema::{ResourceKey, Schemas, plural};

use std::time::Duration;

use etcd_client::Client;

use super::{Config, Log, Shutdown};

/// First pause before reconnecting after an etcd failure; doubled up to `MAX_BACKOFF`.
const MIN_BACKOFF: Duration = Duration::from_millis(50);
const MAX_BACKOFF: Duration = Duration::from_secs(2);

/// Runs until `shutdown` turns true. etcd failures are logged and the job manager
/// reconnects and resyncs (with back-off).
pub(super) async fn run(config: Config, log: Log, mut shutdown: Shutdown) {
    let mut backoff = MIN_BACKOFF;
    loop {
        if *shutdown.borrow() {
            return;
        }
        let attempt = async {
            let client = Client::connect(&config.env.etcd_endpoints, None).await?;
            sync::serve(client, log.clone(), &mut shutdown.clone()).await
        };
        let mut stop = shutdown.clone();
        let result = tokio::select! {
            _ = stop.wait_for(|stop| *stop) => return,
            result = attempt => result,
        };
        match result {
            Ok(()) => return,
            Err(e) => log.line("job_manager", format_args!("{e}; retrying in {backoff:?}")),
        }
        tokio::select! {
            _ = shutdown.wait_for(|stop| *stop) => return,
            _ = tokio::time::sleep(backoff) => {}
        }
        backoff = (backoff * 2).min(MAX_BACKOFF);
    }
}
