//! The steps Gohan's writes become, shared by `heatbed import` and `record --live`: each
//! write as a `gohan` step, with the waits Gohan made for the worker between them.

use std::collections::BTreeMap;

use serde_json::{Value, json};

/// How long one wait step may take.
const WAIT: &str = "20s";

/// A Gohan write: its `/config` key, version, deletion mark and body.
#[derive(Debug, Clone)]
pub(crate) struct GohanWrite {
    pub key: String,
    pub version: u64,
    pub marked: bool,
    pub body: Value,
}

fn gohan_step(op: &str, path: &str, body: Option<&Value>) -> Value {
    let mut step = json!({"action": "gohan", "op": op, "path": path});
    if let Some(body) = body {
        step["body"] = body.clone();
    }
    step
}

fn wait_state(path: &str, value: Value) -> Value {
    json!({"action": "wait", "key": format!("/state{path}"), "until": "matches", "value": value, "timeout": WAIT})
}

/// The job of each `(resource id, version)`: its `/jobs/all/` key up to the random
/// suffix after the last `:`.
pub(crate) type Jobs = BTreeMap<(String, u64), String>;

/// The job of each `(resource id, version)` among `checkpoints`: its `/jobs/all/` key up to
/// the random suffix after the last `:`.
pub(crate) fn jobs<'a>(checkpoints: impl IntoIterator<Item = (&'a str, &'a Value)>) -> Jobs {
    checkpoints
        .into_iter()
        .filter(|(key, _)| key.starts_with("/jobs/all/"))
        .filter_map(|(key, value)| {
            let job = value.get(1)?;
            let id = job.get("resource_id")?.as_str()?;
            let version = job.get("version")?.as_u64()?;
            let (prefix, _) = key.rsplit_once(':')?;
            Some(((id.to_string(), version), format!("{prefix}:")))
        })
        .collect()
}

/// Waits until the worker reported `version` of `path` (its `/state` holds `state`) and, when
/// the recording shows its job, until the job manager retired that job (no `/jobs/all` key
/// left), so the next write cannot be scheduled behind it.
pub(crate) fn reported(path: &str, state: Value, version: u64, jobs: &Jobs) -> Vec<Value> {
    let mut steps = vec![wait_state(path, state)];
    let id = path.rsplit('/').next().unwrap_or_default();
    if let Some(prefix) = jobs.get(&(id.to_string(), version)) {
        steps.push(json!({"action": "wait", "key": prefix, "prefix": true, "until": "deleted", "timeout": WAIT}));
    }
    steps
}

/// Gohan's writes, each newer version only once the worker reported the one before, and a
/// resource marked for deletion removed (`/config`, `/state`) once it is `DELETE_COMPLETED`.
pub(crate) fn flow_steps(
    writes: &[GohanWrite],
    versions: &mut BTreeMap<String, u64>,
    jobs: &Jobs,
) -> Vec<Value> {
    let mut steps = Vec::new();
    for write in writes {
        let path = write.key.trim_start_matches("/config").to_string();
        if let Some(previous) = versions.get(&path).filter(|v| **v + 1 == write.version) {
            steps.extend(reported(
                &path,
                json!({"version": previous}),
                *previous,
                jobs,
            ));
        }
        let op = if write.marked {
            "delete"
        } else if versions.contains_key(&path) || write.version > 1 {
            "update"
        } else {
            "create"
        };
        let op = if op == "update" && !versions.contains_key(&path) {
            "create"
        } else {
            op
        };
        steps.push(gohan_step(op, &path, Some(&write.body)));
        versions.insert(path.clone(), write.version);
        if write.marked {
            let deleted = json!({"state": {"worker_state": "DELETE_COMPLETED"}});
            steps.extend(reported(&path, deleted, write.version, jobs));
            steps.push(json!({"action": "delete", "key": write.key}));
            steps.push(json!({"action": "delete", "key": format!("/state{path}")}));
            versions.remove(&path);
        }
    }
    steps
}

/// Waits until the worker reported the last version of every resource a flow wrote.
pub(crate) fn settled(
    writes: &[GohanWrite],
    versions: &BTreeMap<String, u64>,
    jobs: &Jobs,
) -> Vec<Value> {
    let mut seen = Vec::new();
    for write in writes.iter().rev() {
        let path = write.key.trim_start_matches("/config").to_string();
        if !seen.contains(&path) {
            seen.push(path);
        }
    }
    seen.reverse();
    seen.iter()
        .filter_map(|path| Some((path, *versions.get(path)?)))
        .flat_map(|(path, v)| reported(path, json!({"version": v}), v, jobs))
        .collect()
}

/// Drops a wait that an earlier one already ensured, with no write to its resource between.
pub(crate) fn without_repeated_waits(steps: Vec<Value>) -> Vec<Value> {
    let mut ensured: Vec<Value> = Vec::new();
    let mut kept = Vec::new();
    for step in steps {
        match step["action"].as_str() {
            Some("wait") if ensured.contains(&step) => continue,
            Some("wait") => ensured.push(step.clone()),
            Some("gohan") => {
                let state = format!("/state{}", step["path"].as_str().unwrap_or_default());
                ensured.retain(|w| w["key"] != state.as_str());
            }
            _ => {}
        }
        kept.push(step);
    }
    kept
}
