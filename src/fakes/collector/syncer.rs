//! The etcd syncer: writes each live target's status to
//! `/monitoring/v2.0/<resource_type>/<resource_id>` = `{<status key>: <status>, "version": <v>}`
//! (Go-encoded, as the recorded collector put it) and deletes the key when the target goes.
//!
//! When: the recorded agents' first result came about a minute after the target was created,
//! always after the worker's `/state` write for that resource (state 05:22:02.988, put
//! 05:23:01 for load balancer interface 24580bfc v1; state 05:26:30, put 05:27:01 for v2).
//! heatbed has no wall clock to wait on, so the syncer makes that order an event: it watches
//! `/state/` and reports a target once `/state/v2.0/<resource_type>/<resource_id>` holds a
//! version at least the target's. Every result of the scenario's sequence is then written in
//! order, one etcd revision each; a repeated status is skipped, as recorded. Deletes are
//! immediate, as recorded (`Deleting … from ETCD` right after `DELETE /targets/<id>`).

use etcd_client::{Client, EventType, WatchOptions, WatchStream};
use serde_json::{Map, Value};
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};
use tokio::task::JoinHandle;

use super::errors::FakeError;
use super::targets::{Change, Targets};
use crate::encoding::go_json;

/// Where the worker writes resource states.
const STATE_PREFIX: &str = "/state/v2.0/";
/// Where the syncer writes statuses.
const MONITORING_PREFIX: &str = "/monitoring/v2.0/";

/// Starts watching `/state/` and syncing `targets`; the task ends when the fakes drop.
pub(super) async fn start(client: Client, targets: Targets) -> Result<JoinHandle<()>, FakeError> {
    let stream = client
        .clone()
        .watch(STATE_PREFIX, Some(WatchOptions::new().with_prefix()))
        .await
        .map_err(|source| FakeError::SyncerWatch { source })?;
    let (tx, rx) = unbounded_channel();
    targets.connect(tx);
    let syncer = Syncer {
        client,
        targets,
        waiting: Vec::new(),
    };
    Ok(tokio::spawn(syncer.run(rx, stream)))
}

/// A target waiting for its resource's `/state`.
struct Waiting {
    id: String,
    resource: String,
    version: i64,
}

struct Syncer {
    client: Client,
    targets: Targets,
    waiting: Vec<Waiting>,
}

impl Syncer {
    async fn run(mut self, mut changes: UnboundedReceiver<Change>, mut states: WatchStream) {
        loop {
            tokio::select! {
                // Changes first: a target created before a `/state` write is known when it lands.
                biased;
                change = changes.recv() => match change {
                    Some(change) => self.change(change).await,
                    None => return,
                },
                message = states.message() => match message {
                    Ok(Some(response)) => {
                        for event in response.events() {
                            if event.event_type() != EventType::Put {
                                continue;
                            }
                            if let Some(kv) = event.kv() {
                                self.state_written(kv.key(), kv.value()).await;
                            }
                        }
                    }
                    Ok(None) => return,
                    Err(e) => {
                        eprintln!("heatbed: collector syncer: the /state watch failed: {e}");
                        return;
                    }
                },
            }
        }
    }

    async fn change(&mut self, change: Change) {
        match change {
            Change::Created {
                id,
                resource_type,
                resource_id,
                version,
            } => {
                let resource = format!("{resource_type}/{resource_id}");
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
            Change::Deleted {
                id,
                resource_type,
                resource_id,
            } => {
                self.waiting.retain(|w| w.id != id);
                let key = format!("{MONITORING_PREFIX}{resource_type}/{resource_id}");
                if let Err(e) = self.client.delete(key.as_str(), None).await {
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
            .partition(|w| w.resource == resource && version.is_none_or(|v| v >= w.version));
        self.waiting = waiting;
        for target in ready {
            for (status_key, status) in self.targets.report(&target.id) {
                let key = format!("{MONITORING_PREFIX}{}", target.resource);
                let value = monitoring_value(&status_key, &status, target.version);
                if let Err(e) = self.client.put(key.as_str(), value, None).await {
                    eprintln!("heatbed: collector syncer: writing {key} failed: {e}");
                }
            }
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

/// `{<status key>: <status>, "version": <version>}`, Go-encoded (sorted keys, compact).
fn monitoring_value(status_key: &str, status: &str, version: i64) -> String {
    let mut value = Map::new();
    value.insert(status_key.into(), Value::String(status.into()));
    value.insert("version".into(), Value::from(version));
    go_json(&Value::Object(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn monitoring_values_are_go_encoded_as_recorded() {
        assert_eq!(
            monitoring_value("interface", "UP", 1),
            r#"{"interface":"UP","version":1}"#
        );
        assert_eq!(
            monitoring_value("vmi", "FAIL", 3),
            r#"{"version":3,"vmi":"FAIL"}"#
        );
        assert_eq!(
            monitoring_value("load_balancer", "UP", 2),
            r#"{"load_balancer":"UP","version":2}"#
        );
    }

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
