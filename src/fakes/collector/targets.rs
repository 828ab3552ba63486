//! The collector's state: its monitoring targets, what their agents reported, and the
//! scenario's rules (results, REST errors, latency). Shared by the REST API, the Heat hook
//! and the etcd syncer; every method is quick, in-memory work under one lock.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime};

use serde_json::{Map, Value};
use tokio::sync::mpsc::UnboundedSender;
use uuid::Uuid;

use super::errors::ApiError;
use crate::scenario::{CollectorSpec, Report};

/// What the syncer hears about: a target to report on, or one whose etcd key goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Change {
    /// A new target: report once `/state/v2.0/<resource_type>/<resource_id>` reaches `version`.
    Created {
        id: String,
        resource_type: String,
        resource_id: String,
        version: i64,
    },
    /// A target was deleted.
    Deleted {
        id: String,
        resource_type: String,
        resource_id: String,
    },
}

/// One monitoring target.
#[derive(Debug, Clone)]
pub(super) struct Target {
    pub(super) id: String,
    pub(super) input: TargetInput,
    pub(super) created_at: SystemTime,
    /// Statuses reported so far, oldest first.
    pub(super) results: Vec<String>,
    rule: Option<usize>,
}

/// What a target is made of: the body of `POST /targets` (the MonitoringTarget properties).
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct TargetInput {
    pub(super) kind: String,
    pub(super) resource_type: String,
    pub(super) resource_id: String,
    pub(super) field_name: String,
    pub(super) tenant_id: String,
    pub(super) version: i64,
    pub(super) properties: Value,
    pub(super) syncer_properties: Value,
}

impl TargetInput {
    /// Parses a body. `strict` (the REST API) refuses missing or mistyped fields; the Heat
    /// hook is lenient, as Heat already validated what its template declares.
    pub(super) fn parse(body: &Value, strict: bool) -> Result<TargetInput, ApiError> {
        let Value::Object(body) = body else {
            return Err(ApiError::bad_request("the body must be a JSON object"));
        };
        let text = |name: &str| match body.get(name) {
            Some(Value::String(s)) if !(strict && s.is_empty()) => Ok(s.clone()),
            None | Some(Value::Null) if !strict => Ok(String::new()),
            _ => Err(ApiError::bad_request(format!(
                "`{name}` must be a non-empty string"
            ))),
        };
        let object = |name: &str| match body.get(name) {
            Some(v @ Value::Object(_)) => Ok(v.clone()),
            None | Some(Value::Null) => Ok(Value::Object(Map::new())),
            _ => Err(ApiError::bad_request(format!("`{name}` must be an object"))),
        };
        let version = match body.get("version") {
            Some(Value::Number(n)) if n.as_i64().is_some() => n.as_i64().unwrap_or_default(),
            Some(Value::String(s)) if !strict && s.parse::<i64>().is_ok() => {
                s.parse().unwrap_or_default()
            }
            None | Some(Value::Null) if !strict => 0,
            _ => return Err(ApiError::bad_request("`version` must be an integer")),
        };
        Ok(TargetInput {
            kind: text("type")?,
            resource_type: text("resource_type")?,
            resource_id: text("resource_id")?,
            field_name: text("field_name")?,
            tenant_id: text("tenant_id")?,
            version,
            properties: object("properties")?,
            syncer_properties: object("syncer_properties")?,
        })
    }

    /// `syncer_properties.etcd.status.key`: the field the etcd syncer writes, if any.
    pub(super) fn status_key(&self) -> Option<&str> {
        self.syncer_properties
            .pointer("/etcd/status/key")
            .and_then(Value::as_str)
            .filter(|k| !k.is_empty())
    }
}

/// The collector's state, shared.
#[derive(Clone)]
pub(super) struct Targets {
    inner: Arc<Mutex<State>>,
}

struct State {
    spec: CollectorSpec,
    /// Targets created so far (ids and clock advance with it).
    created: u32,
    targets: Vec<Target>,
    /// REST errors left, per rule.
    errors_left: Vec<u32>,
    syncer: Option<UnboundedSender<Change>>,
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
            })),
        }
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
        let rule = state.spec.targets.iter().position(|r| {
            r.matches(
                &input.resource_type,
                &input.resource_id,
                Some(input.version),
            )
        });
        let target = Target {
            id,
            created_at: state.spec.clock + Duration::from_secs(u64::from(n)),
            results: Vec::new(),
            rule,
            input,
        };
        state.targets.retain(|t| t.id != target.id);
        state.targets.push(target.clone());
        if !target.input.resource_type.is_empty() && !target.input.resource_id.is_empty() {
            state.send(Change::Created {
                id: target.id.clone(),
                resource_type: target.input.resource_type.clone(),
                resource_id: target.input.resource_id.clone(),
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
            id: gone.id,
            resource_type: gone.input.resource_type,
            resource_id: gone.input.resource_id,
        });
        true
    }

    /// The agent's results for target `id`, all at once: records them and returns the etcd
    /// writes they cause, `(status key, status)` for each status that differs from the one
    /// before (a repeated status is skipped, as recorded). Empty if the target is gone.
    pub(super) fn report(&self, id: &str) -> Vec<(String, String)> {
        let mut state = self.lock();
        let report = {
            let Some(t) = state.targets.iter().find(|t| t.id == id) else {
                return Vec::new();
            };
            t.rule
                .and_then(|r| state.spec.targets.get(r))
                .map_or_else(Report::default, |r| r.report.clone())
        };
        let Some(target) = state.targets.iter_mut().find(|t| t.id == id) else {
            return Vec::new();
        };
        if !target.results.is_empty() {
            return Vec::new();
        }
        target.results = match report {
            Report::Statuses(statuses) => statuses,
            Report::Unreachable => vec![FAIL.to_string()],
            Report::Silent => Vec::new(),
        };
        let Some(key) = target.input.status_key().map(str::to_string) else {
            return Vec::new();
        };
        let mut writes: Vec<(String, String)> = Vec::new();
        for status in &target.results {
            if writes.last().is_none_or(|(_, last)| last != status) {
                writes.push((key.clone(), status.clone()));
            }
        }
        writes
    }

    /// Whether the target's agent cannot reach its device.
    pub(super) fn unreachable(&self, target: &Target) -> bool {
        let state = self.lock();
        target
            .rule
            .and_then(|r| state.spec.targets.get(r))
            .is_some_and(|r| r.report == Report::Unreachable)
    }

    /// The scripted answer for a REST call about `resource_type`/`resource_id`: an injected
    /// error (counted down) and the latency.
    pub(super) fn behaviour(
        &self,
        method: &str,
        resource_type: &str,
        resource_id: &str,
    ) -> (Option<ApiError>, Option<Duration>) {
        let mut state = self.lock();
        let Some(r) = state
            .spec
            .targets
            .iter()
            .position(|r| r.matches(resource_type, resource_id, None))
        else {
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
    fn send(&self, change: Change) {
        if let Some(syncer) = &self.syncer {
            // A closed channel means the fakes are stopping: nothing to sync any more.
            let _ = syncer.send(change);
        }
    }
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
