//! The collector's state: its monitoring targets, what their agents reported, and the
//! scenario's rules (results, REST errors, latency). Shared by the REST API, the Heat hook
//! and the etcd syncer; every method is quick, in-memory work under one lock.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime};

use serde_json::Value;
use tokio::sync::mpsc::UnboundedSender;
use tokio::sync::watch;
use uuid::Uuid;

use super::errors::ApiError;
use super::hold;
use super::input::TargetInput;
use crate::scenario::{CollectorSpec, Report, TargetSelector};

/// What the syncer hears about: a target to report on, or one whose etcd key goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Change {
    /// A new target: report once `/state/v2.0/<resource>` reaches `version`.
    Created {
        id: String,
        resource: String,
        version: i64,
    },
    /// A target was deleted.
    Deleted { id: String, resource: String },
}

/// One monitoring target.
#[derive(Debug, Clone)]
pub(super) struct Target {
    pub(super) id: String,
    pub(super) input: TargetInput,
    pub(super) created_at: SystemTime,
    /// Statuses reported so far, oldest first (strings or objects).
    pub(super) results: Vec<Value>,
    rule: Option<usize>,
    /// Every etcd write of its results is done.
    synced: bool,
}

/// What the etcd syncer writes for a target: `statuses` in order, each as the value of
/// `status_key`, at `version`.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Plan {
    pub(super) status_key: String,
    pub(super) statuses: Vec<Value>,
}

/// The collector's state, shared.
#[derive(Clone)]
pub(super) struct Targets {
    inner: Arc<Mutex<State>>,
    /// Bumped whenever a target finished syncing: what [`Targets::pending`] waiters wake on.
    progress: Arc<watch::Sender<u64>>,
    /// Whether the agents are up (a fault step takes them down).
    up: Arc<watch::Sender<bool>>,
}

struct State {
    spec: CollectorSpec,
    /// Targets created so far (ids and clock advance with it).
    created: u32,
    targets: Vec<Target>,
    /// REST errors left, per rule.
    errors_left: Vec<u32>,
    syncer: Option<UnboundedSender<Change>>,
    /// Changes sent to the syncer, and those it has handled.
    sent: u64,
    handled: u64,
}

impl Targets {
    pub(super) fn new(spec: &CollectorSpec) -> Targets {
        let errors_left = spec
            .targets
            .iter()
            .map(|r| r.http_error.as_ref().map_or(0, |e| e.count))
            .collect();
        Targets {
            inner: Arc::new(Mutex::new(State {
                spec: spec.clone(),
                created: 0,
                targets: Vec::new(),
                errors_left,
                syncer: None,
                sent: 0,
                handled: 0,
            })),
            progress: Arc::new(watch::channel(0).0),
            up: Arc::new(watch::channel(true).0),
        }
    }

    /// Takes the agents down (`false`: the REST API answers 503, nothing is written to
    /// etcd) or brings them up again.
    pub(super) fn set_up(&self, up: bool) {
        self.up.send_replace(up);
    }

    /// Whether the agents are up.
    pub(super) fn is_up(&self) -> bool {
        *self.up.borrow()
    }

    /// Resolves once the agents are up.
    pub(super) async fn until_up(&self) {
        let mut up = self.up.subscribe();
        // The sender lives in `self`: it cannot be gone while we borrow.
        let _ = up.wait_for(|up| *up).await;
    }

    /// From now on, changes go to the syncer.
    pub(super) fn connect(&self, syncer: UnboundedSender<Change>) {
        self.lock().syncer = Some(syncer);
    }

    pub(super) fn public_url(&self) -> String {
        self.lock().spec.public_url.clone()
    }

    /// Creates a target; `id` is the Heat resource's physical id when the hook creates it,
    /// else the next deterministic id (UUIDv5 of the public URL and a counter).
    pub(super) fn create(&self, input: TargetInput, id: Option<&str>) -> Target {
        let mut state = self.lock();
        let n = state.created;
        state.created += 1;
        let id = id.map_or_else(|| target_id(&state.spec.public_url, n), str::to_string);
        let target = Target {
            id,
            created_at: state.spec.clock + Duration::from_secs(u64::from(n)),
            results: Vec::new(),
            rule: state.spec.rule(&input.selector()),
            synced: false,
            input,
        };
        state.targets.retain(|t| t.id != target.id);
        state.targets.push(target.clone());
        if !target.input.resource_type.is_empty() && !target.input.resource_id.is_empty() {
            state.send(Change::Created {
                id: target.id.clone(),
                resource: target.input.resource(),
                version: target.input.version,
            });
        }
        target
    }

    pub(super) fn get(&self, id: &str) -> Option<Target> {
        self.lock().targets.iter().find(|t| t.id == id).cloned()
    }

    pub(super) fn list(&self) -> Vec<Target> {
        self.lock().targets.clone()
    }

    /// Deletes a target; false if there is none with `id`.
    pub(super) fn delete(&self, id: &str) -> bool {
        let mut state = self.lock();
        let Some(at) = state.targets.iter().position(|t| t.id == id) else {
            return false;
        };
        let gone = state.targets.remove(at);
        state.send(Change::Deleted {
            resource: gone.input.resource(),
            id: gone.id,
        });
        true
    }

    /// The agent's results for target `id`, all at once: records them and returns what the
    /// etcd syncer writes (nothing without `syncer_properties.etcd.status.key`), through the
    /// target's hold options when its rule says `hold`. `None` if the target is gone or has
    /// reported already.
    pub(super) fn report(&self, id: &str) -> Option<Plan> {
        let mut state = self.lock();
        let (report, hold) = {
            let t = state.targets.iter().find(|t| t.id == id)?;
            t.rule.and_then(|r| state.spec.targets.get(r)).map_or_else(
                || (Report::default(), false),
                |r| (r.report.clone(), r.hold),
            )
        };
        let target = state.targets.iter_mut().find(|t| t.id == id)?;
        if !target.results.is_empty() || target.synced {
            return None;
        }
        target.results = match report {
            Report::Healthy => vec![target.input.healthy()],
            Report::Statuses(statuses) => statuses,
            Report::Unreachable => vec![Value::from(FAIL)],
            Report::Silent => Vec::new(),
        };
        let hold = target.input.hold().filter(|_| hold);
        let statuses = hold::writes(&target.results, hold.as_ref());
        Some(Plan {
            status_key: target.input.status_key().unwrap_or_default().to_string(),
            statuses,
        })
        .filter(|plan| !plan.status_key.is_empty())
    }

    /// Target `id`'s results are all in etcd (or it had none to write).
    pub(super) fn synced(&self, id: &str) {
        if let Some(t) = self.lock().targets.iter_mut().find(|t| t.id == id) {
            t.synced = true;
        }
        self.progress.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// The syncer has handled one more [`Change`].
    pub(super) fn handled(&self) {
        self.lock().handled += 1;
        self.progress.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// A receiver that changes whenever a target finished syncing.
    pub(super) fn progress(&self) -> watch::Receiver<u64> {
        self.progress.subscribe()
    }

    /// The targets whose reports are due but not all written yet, as
    /// `<resource_type>/<resource_id> v<version> <field_name> (<id>)`. `states` holds the
    /// `version` of each resource's `/state` value (`None`: a value without one) by
    /// `<resource_type>/<resource_id>`; a target is due once its resource's state reaches its
    /// version, the syncer's own rule.
    /// Changes the syncer has not handled yet come first, counted.
    pub(super) fn pending(&self, states: &HashMap<String, Option<i64>>) -> Vec<String> {
        let state = self.lock();
        let unhandled = state.sent.saturating_sub(state.handled);
        let changes = (unhandled > 0)
            .then(|| format!("{unhandled} target creations or deletions not handled yet"));
        changes
            .into_iter()
            .chain(
                state
                    .targets
                    .iter()
                    .filter(|t| !t.synced)
                    .filter(|t| {
                        states
                            .get(&t.input.resource())
                            .is_some_and(|written| due(*written, t.input.version))
                    })
                    .map(|t| {
                        let i = &t.input;
                        format!(
                            "{} v{} {} ({})",
                            i.resource(),
                            i.version,
                            i.field_name,
                            t.id
                        )
                    }),
            )
            .collect()
    }

    /// Whether the target's agent cannot reach its device.
    pub(super) fn unreachable(&self, target: &Target) -> bool {
        let state = self.lock();
        target
            .rule
            .and_then(|r| state.spec.targets.get(r))
            .is_some_and(|r| r.report == Report::Unreachable)
    }

    /// The scripted answer for a REST call about `target`: an injected error (counted down)
    /// and the latency.
    pub(super) fn behaviour(
        &self,
        method: &str,
        target: &TargetSelector<'_>,
    ) -> (Option<ApiError>, Option<Duration>) {
        let mut state = self.lock();
        let Some(r) = state.spec.rule(target) else {
            return (None, None);
        };
        let rule = state.spec.targets[r].clone();
        let error = rule.http_error.as_ref().and_then(|e| {
            let counts = e.methods.is_empty() || e.methods.iter().any(|m| m.as_str() == method);
            let left = state.errors_left.get_mut(r)?;
            (counts && *left > 0).then(|| {
                *left -= 1;
                ApiError {
                    status: e.status,
                    message: "injected by the scenario".into(),
                }
            })
        });
        (error, rule.latency)
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl State {
    fn send(&mut self, change: Change) {
        // A closed channel means the fakes are stopping: nothing to sync any more.
        if self.syncer.as_ref().is_some_and(|s| s.send(change).is_ok()) {
            self.sent += 1;
        }
    }
}

/// Whether a target at `version` reports once its resource's `/state` holds `state`: a
/// state at least its version, or one without a version.
pub(super) fn due(state: Option<i64>, version: i64) -> bool {
    state.is_none_or(|v| v >= version)
}

/// What an unreachable device's agent reports.
const FAIL: &str = "FAIL";

/// The `n`th target id made from `seed`.
fn target_id(seed: &str, n: u32) -> String {
    let namespace = Uuid::new_v5(
        &Uuid::NAMESPACE_URL,
        b"https://heatbed.invalid/fake-collector",
    );
    Uuid::new_v5(&namespace, format!("target/{seed}/{n}").as_bytes()).to_string()
}

#[cfg(test)]
mod tests;
