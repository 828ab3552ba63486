//! The steps Gohan's writes become, shared by `heatbed import` and `record --live`: each
//! write as a `gohan` step, with the waits Gohan made for the worker between them.

use std::collections::BTreeMap;

use std::time::Duration;

use serde_json::{Value, json};

use crate::scenario::{DeleteStep, GohanOp, GohanStep, StepFile, Until, WaitStep};

/// How long one wait step may take.
const WAIT: Duration = Duration::from_secs(20);

/// A Gohan write: its `/config` key, version, deletion mark and body.
#[derive(Debug, Clone)]
pub(crate) struct GohanWrite {
    pub key: String,
    pub version: u64,
    pub marked: bool,
    pub body: Value,
}

fn gohan_step(op: GohanOp, path: &str, body: Option<&Value>) -> StepFile {
    StepFile::Gohan(GohanStep {
        op,
        path: path.to_string(),
        body: body.cloned(),
    })
}

fn wait_state(path: &str, value: Value) -> StepFile {
    StepFile::Wait(WaitStep {
        key: format!("/state{path}"),
        prefix: false,
        until: Until::Matches,
        value: Some(value),
        timeout: Some(WAIT),
    })
}

/// A `delete` step of one key.
pub(crate) fn delete_step(key: &str) -> StepFile {
    StepFile::Delete(DeleteStep {
        key: key.to_string(),
        prefix: false,
    })
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
pub(crate) fn reported(path: &str, state: Value, version: u64, jobs: &Jobs) -> Vec<StepFile> {
    let mut steps = vec![wait_state(path, state)];
    let id = path.rsplit('/').next().unwrap_or_default();
    if let Some(prefix) = jobs.get(&(id.to_string(), version)) {
        steps.push(StepFile::Wait(WaitStep {
            key: prefix.clone(),
            prefix: true,
            until: Until::Deleted,
            value: None,
            timeout: Some(WAIT),
        }));
    }
    steps
}

/// Gohan's writes, each newer version only once the worker reported the one before, and a
/// resource marked for deletion removed (`/config`, `/state`) once it is `DELETE_COMPLETED`.
pub(crate) fn flow_steps(
    writes: &[GohanWrite],
    versions: &mut BTreeMap<String, u64>,
    jobs: &Jobs,
) -> Vec<StepFile> {
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
        // An update of a resource this replay never created is its create.
        let op = if write.marked {
            GohanOp::Delete
        } else if versions.contains_key(&path) {
            GohanOp::Update
        } else {
            GohanOp::Create
        };
        steps.push(gohan_step(op, &path, Some(&write.body)));
        versions.insert(path.clone(), write.version);
        if write.marked {
            let deleted = json!({"state": {"worker_state": "DELETE_COMPLETED"}});
            steps.extend(reported(&path, deleted, write.version, jobs));
            steps.push(delete_step(&write.key));
            steps.push(delete_step(&format!("/state{path}")));
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
) -> Vec<StepFile> {
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
pub(crate) fn without_repeated_waits(steps: Vec<StepFile>) -> Vec<StepFile> {
    let mut ensured: Vec<WaitStep> = Vec::new();
    let mut kept = Vec::new();
    for step in steps {
        match &step {
            StepFile::Wait(wait) if ensured.contains(wait) => continue,
            StepFile::Wait(wait) => ensured.push(wait.clone()),
            StepFile::Gohan(gohan) => {
                let state = format!("/state{}", gohan.path);
                ensured.retain(|w| w.key != state);
            }
            _ => {}
        }
        kept.push(step);
    }
    kept
}
