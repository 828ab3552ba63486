//! The ESI key layout read from a run's history: the `/config` versions Gohan wrote, the jobs
//! the job manager scheduled, the `/state` values the worker wrote. Keyed by layout only
//! (prefixes, the job id's fields, the values' `version`), never by a resource name or id.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::run::recorder::Write;
use crate::worker::rules::plural;

/// Where Gohan writes resources (`/config/<path>`) and the worker answers (`/state/<path>`).
pub(super) const CONFIG: &str = "/config/";
pub(super) const STATE: &str = "/state/";
/// The job queue (ESI-SPEC §1.5): `all`, `ready`, `waiting`, `working`, `finished`.
pub(super) const JOBS: &str = "/jobs/";
pub(super) const ALL: &str = "/jobs/all/";
pub(super) const WORKING: &str = "/jobs/working/";
pub(super) const FINISHED: &str = "/jobs/finished/";
/// The collection of heat templates: `/config` values that are not resources (the job manager
/// loads them; nothing answers them in `/state`).
const TEMPLATES: &str = "heat_templates";

/// One `/config` version: the first put of `version` at `/config/<path>`.
#[derive(Debug, Clone)]
pub(super) struct ConfigVersion {
    pub(super) path: String,
    pub(super) version: u64,
    pub(super) revision: i64,
}

/// One job: the first put of `/jobs/all/<id>`.
#[derive(Debug, Clone)]
pub(super) struct Job {
    pub(super) id: String,
    /// The resource's path under `/config/` and `/state/`.
    pub(super) path: String,
    pub(super) version: Option<u64>,
    pub(super) revision: i64,
}

/// One `/state` put.
#[derive(Debug, Clone)]
pub(super) struct StateWrite {
    pub(super) path: String,
    pub(super) revision: i64,
    pub(super) version: Option<u64>,
    /// `state.worker_state`, else `state.orchestration_state`.
    pub(super) status: Option<String>,
    pub(super) value: String,
}

impl StateWrite {
    /// A final status: `*_COMPLETE` (Heat's, and the job manager's `READ_COMPLETE`),
    /// `*_COMPLETED` (the worker's) or `*_FAILED`. `*_IN_PROGRESS` and anything else is not.
    pub(super) fn is_final(&self) -> bool {
        self.status.as_deref().is_some_and(|s| {
            ["_COMPLETE", "_COMPLETED", "_FAILED"]
                .iter()
                .any(|end| s.ends_with(end))
        })
    }
}

/// The history read by key layout.
#[derive(Debug, Default)]
pub(super) struct Layout<'a> {
    pub(super) configs: Vec<ConfigVersion>,
    /// `/config/<path>` deleted at these revisions.
    pub(super) config_deletes: BTreeMap<String, Vec<i64>>,
    pub(super) jobs: Vec<Job>,
    pub(super) states: Vec<StateWrite>,
    /// Every write under `/jobs/`, in revision order.
    pub(super) job_keys: Vec<&'a Write>,
    /// Every write under `/state/`, in revision order (puts and deletes).
    pub(super) state_keys: Vec<&'a Write>,
}

impl<'a> Layout<'a> {
    pub(super) fn read(history: &'a [Write]) -> Self {
        let mut layout = Layout::default();
        let mut seen_versions = BTreeSet::new();
        for write in history {
            if let Some(path) = write.key.strip_prefix(CONFIG) {
                match &write.value {
                    None => layout
                        .config_deletes
                        .entry(path.to_string())
                        .or_default()
                        .push(write.revision),
                    Some(raw) if is_resource(path) => {
                        let Some(version) = json(raw).as_ref().and_then(version_of) else {
                            continue;
                        };
                        if seen_versions.insert((path.to_string(), version)) {
                            layout.configs.push(ConfigVersion {
                                path: path.to_string(),
                                version,
                                revision: write.revision,
                            });
                        }
                    }
                    Some(_) => {}
                }
            } else if let Some(path) = write.key.strip_prefix(STATE) {
                layout.state_keys.push(write);
                if let Some(raw) = &write.value {
                    layout.states.push(state_write(path, write.revision, raw));
                }
            } else if write.key.starts_with(JOBS) {
                layout.job_keys.push(write);
            }
        }
        layout.jobs = jobs(&layout.job_keys, &layout.configs);
        layout
    }
}

/// A `/config/<path>` that is a resource (not a heat template).
fn is_resource(path: &str) -> bool {
    match path.rsplit_once('/') {
        Some((dir, id)) => !id.is_empty() && dir.rsplit('/').next() != Some(TEMPLATES),
        None => false,
    }
}

fn json(raw: &[u8]) -> Option<Value> {
    serde_json::from_slice(raw).ok()
}

/// A value's `version`: a whole number (or a string holding one, as a worker may write it).
pub(super) fn version_of(value: &Value) -> Option<u64> {
    match value.get("version")? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn state_write(path: &str, revision: i64, raw: &[u8]) -> StateWrite {
    let value = json(raw);
    let status = value.as_ref().and_then(|v| {
        let state = v.get("state")?;
        state
            .get("worker_state")
            .or_else(|| state.get("orchestration_state"))?
            .as_str()
            .map(str::to_string)
    });
    StateWrite {
        path: path.to_string(),
        revision,
        version: value.as_ref().and_then(version_of),
        status,
        value: shown(raw),
    }
}

/// A value as a violation shows it: text, at most 300 characters.
pub(super) fn shown(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw);
    match text.char_indices().nth(300) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.into_owned(),
    }
}

/// Every job created (the first put of each `/jobs/all/<id>`, and a put after a delete) that
/// names its resource.
fn jobs(job_keys: &[&Write], configs: &[ConfigVersion]) -> Vec<Job> {
    // Config paths by resource id (the path's last segment).
    let mut paths: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for config in configs {
        if let Some((_, id)) = config.path.rsplit_once('/') {
            paths.entry(id).or_default().insert(config.path.as_str());
        }
    }
    let mut live = BTreeSet::new();
    let mut jobs = Vec::new();
    for write in job_keys {
        let Some(id) = write.key.strip_prefix(ALL).filter(|id| !id.is_empty()) else {
            continue;
        };
        match &write.value {
            None => {
                live.remove(id);
            }
            Some(raw) if live.insert(id) => {
                // A key that names no resource is no job (it still must not outlive the run).
                let Some(fields) = JobFields::from_value(raw).or_else(|| JobFields::from_id(id))
                else {
                    continue;
                };
                jobs.push(Job {
                    id: id.to_string(),
                    path: resource_path(&fields.type_, &fields.resource_id, &paths),
                    version: fields.version,
                    revision: write.revision,
                });
            }
            Some(_) => {}
        }
    }
    jobs
}

/// What a job names: its resource and config version.
struct JobFields {
    type_: String,
    resource_id: String,
    version: Option<u64>,
}

impl JobFields {
    /// From the `/jobs/all` value: `[handler, {resource_type, resource_id, version, ...}, 0]`
    /// (or the bare object).
    fn from_value(raw: &[u8]) -> Option<Self> {
        let value = json(raw)?;
        let job = match &value {
            Value::Array(items) => items.get(1)?,
            other => other,
        };
        Some(JobFields {
            type_: job.get("resource_type")?.as_str()?.to_string(),
            resource_id: job.get("resource_id")?.as_str()?.to_string(),
            version: version_of(job),
        })
    }

    /// From the id: `<action>:<handler>:<type>:<resource id>:<version>:<suffix>`.
    fn from_id(id: &str) -> Option<Self> {
        let parts: Vec<&str> = id.split(':').collect();
        let n = parts.len();
        if n < 6 {
            return None;
        }
        Some(JobFields {
            type_: parts[2].to_string(),
            resource_id: parts[3..n - 2].join(":"),
            version: parts[n - 2].parse().ok(),
        })
    }
}

/// The `/config` path of a job's resource: the config path with its id whose collection is
/// the type's plural (the heat worker's own rule for its `/state` key), else the only config
/// path with that id, else `v2.0/<plural>/<id>`.
fn resource_path(type_: &str, id: &str, paths: &BTreeMap<&str, BTreeSet<&str>>) -> String {
    let wanted = format!("v2.0/{}/{id}", plural(type_));
    match paths.get(id) {
        Some(candidates) if candidates.len() == 1 && !candidates.contains(wanted.as_str()) => {
            candidates
                .iter()
                .next()
                .map_or(wanted, |p| (*p).to_string())
        }
        _ => wanted,
    }
}
