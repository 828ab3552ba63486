//! The etcd syncer: writes each live target's statuses to
//! `/monitoring/v2.0/<resource_type>/<resource_id>` = `{<status key>: <status>, "version": <v>}`
//! (Go-encoded, as the recorded collector put it) and deletes the key when the target goes.
//!
//! When: the recorded agents' first result came about a minute after the target was created,
//! always after the worker's `/state` write for that resource (state 05:22:02.988, put
//! 05:23:01 for load balancer interface 24580bfc v1; state 05:26:30, put 05:27:01 for v2).
//! heatbed has no wall clock to wait on, so the syncer makes that order an event: it watches
//! `/state/` and reports a target once `/state/v2.0/<resource_type>/<resource_id>` holds a
//! version at least the target's. Every result of the scenario's sequence is then written in
//! order, one etcd revision each; a repeated status is skipped, as recorded, and so is one
//! that hold options hold back ([`super::hold`]). Deletes are immediate, as recorded
//! (`Deleting … from ETCD` right after `DELETE /targets/<id>`).
//!
//! Several targets of one resource (an HA pair, a stack with a target per device) share its
//! key; see [`super::shared`] for how their fields live together.

use std::collections::HashMap;

use etcd_client::{Client, EventType, GetOptions};
use serde_json::Value;
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};
use tokio::task::JoinHandle;

use super::errors::FakeError;
use super::shared::{self, Registry};
use super::targets::{Change, Targets, due};
use crate::etcd::{Follow, Range};

/// Where the worker writes resource states.
const STATE_PREFIX: &str = "/state/v2.0/";
/// Where the syncer writes statuses.
const MONITORING_PREFIX: &str = "/monitoring/v2.0/";
/// A write is tried this many times, pausing 5 ms doubling up to 200 ms between attempts
/// (a retry policy for an etcd that is restarting, not a wait for a condition).
const ATTEMPTS: u32 = 12;
const FIRST_PAUSE: std::time::Duration = std::time::Duration::from_millis(5);
const MAX_PAUSE: std::time::Duration = std::time::Duration::from_millis(200);

/// Starts watching `/state/` and syncing `targets`; the task ends when the fakes drop.
pub(super) async fn start(client: Client, targets: Targets) -> Result<JoinHandle<()>, FakeError> {
    // A watch that survives etcd restarts (fault steps): no `/state` write is missed.
    let stream = Follow::from_now(client.clone(), STATE_PREFIX, Range::Prefix)
        .await
        .map_err(|source| FakeError::SyncerWatch { source })?;
    let (tx, rx) = unbounded_channel();
    targets.connect(tx);
    let syncer = Syncer {
        client,
        targets,
        waiting: Vec::new(),
        registry: Registry::default(),
    };
    Ok(tokio::spawn(syncer.run(rx, stream)))
}

/// Keys read per request by [`states`]: etcd's clients refuse answers over 4 MiB, which the
/// `/state` values of a few thousand resources exceed.
const PAGE: i64 = 500;

/// The `version` of every `/state` value, by `<resource_type>/<resource_id>`: read in pages,
/// all at the revision of the first.
pub(super) async fn states(mut client: Client) -> Result<HashMap<String, Option<i64>>, FakeError> {
    let failed = |source| FakeError::SyncerRead {
        key: STATE_PREFIX.into(),
        source,
    };
    // The end of the prefix's range: its last byte plus one (`/` -> `0`).
    let mut end = STATE_PREFIX.as_bytes().to_vec();
    if let Some(last) = end.last_mut() {
        *last += 1;
    }
    let mut from = STATE_PREFIX.as_bytes().to_vec();
    let mut revision = 0;
    let mut out = HashMap::new();
    loop {
        let mut options = GetOptions::new().with_range(end.clone()).with_limit(PAGE);
        if revision > 0 {
            options = options.with_revision(revision);
        }
        let answer = client
            .get(from.clone(), Some(options))
            .await
            .map_err(failed)?;
        if revision == 0 {
            revision = answer.header().map_or(0, |h| h.revision());
        }
        for kv in answer.kvs() {
            if let Some(resource) = kv.key_str().ok().and_then(|k| k.strip_prefix(STATE_PREFIX)) {
                out.insert(resource.to_string(), state_version(kv.value()));
            }
        }
        match answer.kvs().last() {
            Some(last) if answer.more() => {
                from = last.key().to_vec();
                from.push(0);
            }
            _ => return Ok(out),
        }
    }
}

/// A target waiting for its resource's `/state`.
struct Waiting {
    id: String,
    resource: String,
    version: i64,
}

/// What the syncer handles next.
enum Next {
    Change(Option<Change>),
    States(Result<Vec<etcd_client::Event>, crate::etcd::FollowError>),
}

struct Syncer {
    client: Client,
    targets: Targets,
    waiting: Vec<Waiting>,
    registry: Registry,
}

impl Syncer {
    async fn run(mut self, mut changes: UnboundedReceiver<Change>, mut states: Follow) {
        loop {
            let next = tokio::select! {
                // Changes first: a target created before a `/state` write is known when it lands.
                biased;
                change = changes.recv() => Next::Change(change),
                message = states.next() => Next::States(message),
            };
            // Down (a fault step): nothing is reported or deleted until the agents are up,
            // also what arrived while they were going down; the rest waits in the channel
            // and the watch.
            self.targets.until_up().await;
            match next {
                Next::Change(Some(change)) => {
                    self.change(change).await;
                    self.targets.handled();
                }
                Next::Change(None) => return,
                Next::States(Ok(events)) => {
                    for event in &events {
                        if event.event_type() != EventType::Put {
                            continue;
                        }
                        if let Some(kv) = event.kv() {
                            self.state_written(kv.key(), kv.value()).await;
                        }
                    }
                }
                Next::States(Err(e)) => {
                    eprintln!("heatbed: collector syncer: the /state watch failed: {e}");
                    return;
                }
            }
        }
    }

    async fn change(&mut self, change: Change) {
        match change {
            Change::Created {
                id,
                resource,
                version,
            } => {
                let state_key = format!("{STATE_PREFIX}{resource}");
                // The worker may have written the state already (a target made over REST).
                let written = match self.client.get(state_key.as_str(), None).await {
                    Ok(answer) => answer.kvs().first().map(|kv| kv.value().to_vec()),
                    Err(e) => {
                        eprintln!("heatbed: collector syncer: reading {state_key} failed: {e}");
                        None
                    }
                };
                self.waiting.push(Waiting {
                    id,
                    resource,
                    version,
                });
                if let Some(value) = written {
                    self.state_written(state_key.as_bytes(), &value).await;
                }
            }
            Change::Deleted { id, resource } => {
                self.waiting.retain(|w| w.id != id);
                let key = format!("{MONITORING_PREFIX}{resource}");
                let kept = self.registry.remove(&key, &id);
                let result = if kept.is_empty() {
                    self.delete(&key).await
                } else {
                    self.rewrite(&key, |current| shared::without_others(current, &kept))
                        .await
                };
                if let Err(e) = result {
                    eprintln!("heatbed: collector syncer: deleting {key} failed: {e}");
                }
            }
        }
    }

    /// A `/state` write: report every target waiting for it.
    async fn state_written(&mut self, key: &[u8], value: &[u8]) {
        let Some(resource) = std::str::from_utf8(key)
            .ok()
            .and_then(|k| k.strip_prefix(STATE_PREFIX))
        else {
            return;
        };
        let version = state_version(value);
        let (ready, waiting): (Vec<Waiting>, Vec<Waiting>) = std::mem::take(&mut self.waiting)
            .into_iter()
            .partition(|w| w.resource == resource && due(version, w.version));
        self.waiting = waiting;
        for target in ready {
            if let Some(plan) = self.targets.report(&target.id) {
                let key = format!("{MONITORING_PREFIX}{}", target.resource);
                if !plan.statuses.is_empty() {
                    self.registry.add(&key, &target.id, &plan.status_key);
                }
                for status in &plan.statuses {
                    let written = self
                        .rewrite(&key, |current| {
                            shared::with_status(current, &plan.status_key, status, target.version)
                        })
                        .await;
                    if let Err(e) = written {
                        eprintln!("heatbed: collector syncer: writing {key} failed: {e}");
                    }
                }
            }
            self.targets.synced(&target.id);
        }
    }

    /// Deletes `key` (again after a failed attempt).
    async fn delete(&mut self, key: &str) -> Result<(), etcd_client::Error> {
        let client = self.client.clone();
        retried(|| {
            let mut client = client.clone();
            async move { client.delete(key, None).await.map(drop) }
        })
        .await
    }

    /// Reads `key` and writes what `change` makes of its value, unless that is what etcd
    /// holds already (the recorded syncer's "Checking payload in ETCD" before each put). A
    /// failed attempt (etcd restarting under a fault step) is made again from the read.
    async fn rewrite(
        &mut self,
        key: &str,
        change: impl Fn(Option<&Value>) -> Value,
    ) -> Result<(), etcd_client::Error> {
        let (client, change) = (self.client.clone(), &change);
        retried(|| {
            let mut client = client.clone();
            async move {
                let answer = client.get(key, None).await?;
                let current = answer
                    .kvs()
                    .first()
                    .and_then(|kv| serde_json::from_slice::<Value>(kv.value()).ok());
                let next = change(current.as_ref());
                if current.as_ref() != Some(&next) {
                    client
                        .put(key, crate::encoding::go_json(&next), None)
                        .await?;
                }
                Ok(())
            }
        })
        .await
    }
}

/// `attempt` until it succeeds or [`ATTEMPTS`] failed, pausing between them.
async fn retried<F, Fut>(mut attempt: F) -> Result<(), etcd_client::Error>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<(), etcd_client::Error>>,
{
    let mut pause = FIRST_PAUSE;
    let mut tries = 1;
    loop {
        match attempt().await {
            Err(_) if tries < ATTEMPTS => {
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(MAX_PAUSE);
                tries += 1;
            }
            done => return done,
        }
    }
}

/// The `version` of a `/state` value; `None` (any version) if it has none.
fn state_version(value: &[u8]) -> Option<i64> {
    serde_json::from_slice::<Value>(value)
        .ok()?
        .get("version")?
        .as_i64()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_versions_are_read_leniently() {
        assert_eq!(
            state_version(br#"{"state": {}, "version": 2, "error": ""}"#),
            Some(2)
        );
        assert_eq!(state_version(b"{}"), None);
        assert_eq!(state_version(b"not json"), None);
    }
}
