//! The scenario a live history replays, built with the importer's pieces: Gohan's writes as
//! `gohan` steps with the importer's waits, any other write as a raw step, the keyspace the
//! recording started from as fixtures, the fakes' rules from the stacks and statuses the
//! worker wrote, and one document per resource whose recording is written beside it.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::{Map, Value, json};

use super::LiveError;
use super::watch::History;
use crate::docs::import::{
    GohanWrite, Holds, Jobs, collector_rules, delete_step, flow_steps, heat_rules, jobs, picks,
    recorded_redactions, reported, safe_name, without_repeated_waits,
};
use crate::docs::{Fixture, render_document};
use crate::run::Captured;
use crate::scenario::{
    CheckpointFile, CollectorFile, DocumentFile, HeatFile, PutStep, ScenarioFile, StepFile,
    unspanned,
};
use crate::snapshot::{decode_body, render_write};

/// How long a recorded scenario may take.
const TIMEOUT: Duration = Duration::from_secs(60);

/// Keys the worker and the collector write: outcomes, never steps.
const OUTPUTS: [&str; 4] = ["/jobs/", "/esi-worker/", "/state/", "/monitoring/"];

/// Keys a resource's document shows: config write, job, heat stack, job state, state,
/// monitoring.
const CHECKPOINTS: [&str; 6] = [
    "/config/",
    "/jobs/all/",
    "/esi-worker/heat_stacks/",
    "/esi-worker/job_state/",
    "/state/",
    "/monitoring/",
];

/// A scenario recorded from a live system, and the files it reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recording {
    /// The scenario, as YAML.
    pub yaml: String,
    /// Fixtures (the keyspace at the start) and the recorded documents, relative to the
    /// scenario's folder.
    pub files: Vec<Fixture>,
}

/// The scenario named `flow` replaying `history`, recorded from `url`.
pub(super) fn scenario(
    history: &History,
    flow: &str,
    url: &str,
    watched: &[String],
    journal: Option<&[super::proxy::Exchange]>,
) -> Result<Recording, LiveError> {
    let mut files = Vec::new();
    let mut steps = Vec::new();
    // The keyspace as the live worker found it (its caches and states included, so it
    // treats what existed as done), but for in-flight work: the replayed worker makes its own.
    for (key, value) in history
        .initial
        .iter()
        .filter(|(k, _)| !k.starts_with("/jobs/"))
    {
        let path = unique(
            &files,
            &format!("fixtures/{flow}/{}", safe_name(key.trim_start_matches('/'))),
            "json",
        );
        steps.push(StepFile::Put(PutStep {
            key: key.clone(),
            value: None,
            file: Some(path.clone()),
        }));
        files.push(Fixture {
            path: path.into(),
            content: value.clone(),
        });
    }
    let fixtures = steps.len();
    let writes: Vec<(&str, Value)> = history
        .events
        .iter()
        .filter_map(|e| Some((e.key.as_str(), decoded(&e.key, e.value.as_deref()?))))
        .collect();
    let checkpoints: Vec<(&str, &Value)> = writes.iter().map(|(k, v)| (*k, v)).collect();
    let jobs = jobs(checkpoints.iter().copied());
    let resources = gohan_steps(history, &jobs, &mut steps);
    if steps.len() == fixtures {
        return Err(LiveError::Empty {
            from: history.start + 1,
            to: history.end,
            watched: watched.join(", "),
        });
    }
    let mut documents = Vec::new();
    for (i, path) in resources.iter().enumerate() {
        let (document, file) = document(flow, i + 1, path, history, &writes);
        documents.push(document);
        files.push(file);
    }
    let stacks = match journal {
        Some(journal) => super::heat::rules(journal),
        // A live recording holds no stack: its dependencies are not derived yet.
        None => heat_rules(&checkpoints, &Holds::new()),
    };
    let scenario = ScenarioFile {
        name: unspanned(flow.to_string()),
        description: Some(format!(
            "Recorded by `heatbed record --live` from {url} (revisions {}..={}): Gohan's writes as steps, with the waits Gohan made for the worker; the fakes answer what the live Heat and collectors did; each document's recording (`recorded:`) holds what the live system wrote.",
            history.start + 1,
            history.end
        )),
        timeout: Some(TIMEOUT),
        worker: None,
        heat: Some(unspanned(HeatFile {
            stacks: stacks.into_iter().map(unspanned).collect(),
            ..HeatFile::default()
        })),
        collector: Some(unspanned(CollectorFile {
            targets: collector_rules(&checkpoints, &[])
                .into_iter()
                .map(unspanned)
                .collect(),
            ..CollectorFile::default()
        })),
        steps: without_repeated_waits(steps)
            .into_iter()
            .map(unspanned)
            .collect(),
        documents: documents.into_iter().map(unspanned).collect(),
        redactions: recorded_redactions(),
        keyspace: None,
    };
    let yaml =
        serde_saphyr::to_string(&scenario).map_err(|e| LiveError::Serialize(e.to_string()))?;
    Ok(Recording {
        yaml: format!(
            "# yaml-language-server: $schema=./schema.json\n# Recorded by `heatbed record --live`; record again rather than edit.\n{yaml}"
        ),
        files,
    })
}

/// Appends the steps of `history`'s writes outside the worker's keys: Gohan's as `gohan`
/// steps with the importer's waits and the waits the live Gohan made, the others raw.
/// Returns the resources Gohan wrote, in order.
fn gohan_steps(history: &History, jobs: &Jobs, steps: &mut Vec<StepFile>) -> Vec<String> {
    let mut versions: BTreeMap<String, u64> = history
        .initial
        .iter()
        .filter_map(|(k, v)| {
            Some((
                k.trim_start_matches("/config").to_string(),
                gohan(k, v)?.version,
            ))
        })
        .collect();
    let mut removed_by_gohan: Vec<String> = Vec::new();
    let mut resources: Vec<String> = Vec::new();
    // Resources whose current version the worker reported since Gohan last waited on them.
    let mut reported_live: BTreeMap<String, u64> = BTreeMap::new();
    for event in &history.events {
        let key = event.key.as_str();
        if let Some(i) = removed_by_gohan.iter().position(|k| k == key)
            && event.value.is_none()
        {
            removed_by_gohan.remove(i);
            continue;
        }
        if is_output(key) {
            if let (Some(path), Some(value)) = (key.strip_prefix("/state"), &event.value)
                && let Some(&version) = versions.get(path)
                && decoded(key, value).get("version").and_then(Value::as_u64) == Some(version)
            {
                reported_live.insert(path.to_string(), version);
            }
            continue;
        }
        // What the live Gohan waited for before this write, the replay waits for too.
        let path = key.trim_start_matches("/config");
        for (other, version) in std::mem::take(&mut reported_live) {
            if other != path && versions.get(&other) == Some(&version) {
                steps.extend(reported(&other, json!({"version": version}), version, jobs));
            }
        }
        match event.value.as_deref().map(|v| (v, gohan(key, v))) {
            Some((_, Some(write))) => {
                let path = key.trim_start_matches("/config").to_string();
                if write.marked {
                    removed_by_gohan.extend([key.to_string(), format!("/state{path}")]);
                }
                if !resources.contains(&path) {
                    resources.push(path);
                }
                steps.extend(flow_steps(&[write], &mut versions, jobs));
            }
            Some((value, None)) => steps.push(StepFile::Put(PutStep {
                key: key.to_string(),
                value: Some(Value::String(value.to_string())),
                file: None,
            })),
            None => {
                versions.remove(key.trim_start_matches("/config"));
                steps.push(delete_step(key));
            }
        }
    }
    resources
}

/// The document of the resource at `/config<path>`, the `number`th Gohan wrote, and its
/// recording: every write of a checkpoint key that is its own or names its id.
fn document(
    flow: &str,
    number: usize,
    path: &str,
    history: &History,
    writes: &[(&str, Value)],
) -> (DocumentFile, Fixture) {
    let id = path.rsplit('/').next().unwrap_or_default();
    let config = format!("/config{path}");
    let own = |key: &str| {
        CHECKPOINTS.iter().any(|p| key.starts_with(p))
            && (key == config
                || (!key.starts_with("/config/") && key.split(['/', ':']).any(|s| s == id)))
    };
    let kind = path.split('/').rev().nth(1).unwrap_or("resource");
    let name = format!("{}_{number:02}", safe_name(kind));
    let title = format!("{flow}: {kind} {id}");
    let all: Vec<(&str, &Value)> = writes
        .iter()
        .filter(|(k, _)| own(k))
        .map(|(k, v)| (*k, v))
        .collect();
    let kept = settled(&all);
    let mine: Vec<(&str, &Value)> = all
        .iter()
        .zip(&kept)
        .filter(|(_, k)| **k)
        .map(|(w, _)| *w)
        .collect();
    let raw = history
        .events
        .iter()
        .filter(|e| own(&e.key))
        .filter_map(|e| Some((e.key.as_str(), e.value.as_deref()?)))
        .zip(&kept)
        .filter(|(_, k)| **k)
        .map(|(w, _)| w);
    let captured: Vec<Captured> = raw
        .enumerate()
        .map(|(i, (key, value))| Captured {
            document: name.clone(),
            title: title.clone(),
            number: i + 1,
            key: key.into(),
            revision: 0,
            text: String::new(),
            unredacted: render_write(key, value.as_bytes()),
        })
        .collect();
    let resource_type = mine
        .iter()
        .find_map(|(_, v)| v.get(1)?.get("resource_type")?.as_str());
    let preamble = resource_type
        .map(|t| format!("These are stored data for \"heat_templates\" in etcd.\n\n* {t}"));
    let text = render_document(
        &title,
        preamble.as_deref(),
        &captured.iter().collect::<Vec<_>>(),
        &[],
    );
    let file = format!("recorded/{flow}/{name}.md");
    let doc = DocumentFile {
        name,
        title,
        preamble,
        recorded: vec![file.clone()],
        checkpoints: before_anchors(&mine).into_iter().map(unspanned).collect(),
        heat_journal: None,
    };
    let fixture = Fixture {
        path: file.into(),
        content: text,
    };
    (doc, fixture)
}

/// The importer's picks, with every write not identified on its own picked as the last of
/// its key before the next one that is ([`settled`] kept only those).
fn before_anchors(checkpoints: &[(&str, &Value)]) -> Vec<CheckpointFile> {
    let mut picks = picks(checkpoints);
    for (i, pick) in picks.iter_mut().enumerate() {
        let next =
            (i + 1..checkpoints.len()).find(|j| anchored(checkpoints[*j].0, checkpoints[*j].1));
        if let (Some(j), false) = (next, anchored(checkpoints[i].0, checkpoints[i].1)) {
            pick.after = None;
            pick.before = Some(j + 1);
        }
    }
    picks
}

/// Whether a write is identified on its own: a job by its id, a Gohan, state or monitoring
/// write by its version. The others are told apart only by the anchors around them.
fn anchored(key: &str, value: &Value) -> bool {
    key.starts_with("/jobs/all/")
        || (["/config/", "/state/", "/monitoring/"]
            .iter()
            .any(|p| key.starts_with(p))
            && value.get("version").is_some())
}

/// Which of `writes` are checkpoints: a write not identified on its own is one only when it
/// is the last of its key before the next anchored write (the worker writes progress, e.g.
/// a job state, a number of times that depends on how fast Heat answers; the seed documents
/// show the value each version ended with).
fn settled(writes: &[(&str, &Value)]) -> Vec<bool> {
    (0..writes.len())
        .map(|i| {
            let (key, value) = writes[i];
            anchored(key, value)
                || !writes[i + 1..]
                    .iter()
                    .take_while(|(k, v)| !anchored(k, v))
                    .any(|(k, _)| *k == key)
        })
        .collect()
}

fn is_output(key: &str) -> bool {
    OUTPUTS.iter().any(|p| key.starts_with(p))
}

/// A `/config` write of Gohan's shape: `{body: "<JSON>", version, marked_for_deletion}`.
fn gohan(key: &str, value: &str) -> Option<GohanWrite> {
    key.strip_prefix("/config/")?;
    let object: Map<String, Value> = serde_json::from_str(value).ok()?;
    if object.len() != 3 {
        return None;
    }
    Some(GohanWrite {
        key: key.into(),
        version: object.get("version")?.as_u64()?,
        marked: object.get("marked_for_deletion")?.as_bool()?,
        body: serde_json::from_str(object.get("body")?.as_str()?).ok()?,
    })
}

/// A value as the checkpoints show it: JSON (a `/config` body decoded), else the text.
fn decoded(key: &str, value: &str) -> Value {
    match serde_json::from_str::<Value>(value) {
        Ok(mut json) => {
            if key.starts_with("/config/") {
                decode_body(&mut json);
            }
            json
        }
        Err(_) => Value::String(value.into()),
    }
}

/// `<stem>.<extension>`, or `<stem>_<n>.<extension>` when taken.
fn unique(files: &[Fixture], stem: &str, extension: &str) -> String {
    let mut path = format!("{stem}.{extension}");
    let mut n = 1;
    while files.iter().any(|f| f.path.as_os_str() == path.as_str()) {
        n += 1;
        path = format!("{stem}_{n}.{extension}");
    }
    path
}
