//! Job objects rebuilt from the recorded inputs equal every recorded `02_JobManager` job
//! (`tests/recorded/esi/05_load_balancer/`). Inputs: the `/config` events of
//! `etcd-config-watcher.log` (templates as the run loaded them, bodies), `/state` events of
//! `etcd-state-watcher.log` (for action selection and for which jobs were unfinished).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::*;
use crate::worker::reference::job_manager::reader::{Configs, Resource, decode};
use crate::worker::reference::job_manager::schedule::Queue;
use crate::worker::reference::job_manager::schema::{ConfigKey, classify};
use crate::worker::reference::job_manager::state::{Situation, select_action};

/// The recorded load-balancer folder, vendored in `tests/recorded/`.
fn recorded_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/recorded/esi/05_load_balancer");
    assert!(dir.is_dir(), "recorded data missing: {}", dir.display());
    dir
}

/// A watcher-log event: timestamp, key, value (`None` for a delete).
struct Event {
    at: String,
    key: String,
    value: Option<Value>,
}

fn watcher_events(file: &str) -> Vec<Event> {
    let path = recorded_dir()
        .join("result_log/04_etcd_watcher_log")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let chunks: Vec<&str> = text
        .split("\n*** Consume stored data in etcd ***\n")
        .collect();
    let mut events = vec![];
    for pair in chunks.windows(2) {
        let at = pair[0].lines().last().unwrap_or_default();
        let at = at.trim_end_matches(":DEBUG:").to_string();
        let body = pair[1];
        let head = body.lines().next().unwrap_or_default();
        let field = |name: &str| {
            let start = head.find(&format!("{name}=[")).expect("field") + name.len() + 2;
            head[start..]
                .split(']')
                .next()
                .unwrap_or_default()
                .to_string()
        };
        let value = body.find(" value=[").and_then(|start| {
            let rest = &body[start + 8..];
            let end = rest.find("\n}]").map(|e| e + 2)?;
            serde_json::from_str(&rest[..end]).ok()
        });
        events.push(Event {
            at,
            key: field("key"),
            value,
        });
    }
    events
}

/// Every `/jobs/all` document of `02_JobManager`: (file, key, value).
pub(super) fn recorded_jobs() -> Vec<(String, Value)> {
    let dir = recorded_dir().join("stored_in_etcd/02_JobManager");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let mut jobs = vec![];
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for block in text.split("```\n").skip(1).step_by(2) {
            let Some((key, json)) = block.split_once('\n') else {
                continue;
            };
            if key.starts_with("/jobs/all/") {
                let name = file.file_name().unwrap().to_string_lossy().into_owned();
                jobs.push((name, serde_json::from_str(json).expect("recorded JSON")));
            }
        }
    }
    assert!(
        jobs.len() >= 30,
        "expected the 31 recorded jobs, found {}",
        jobs.len()
    );
    jobs
}

fn text(v: &Value, key: &str) -> String {
    v[key].as_str().unwrap_or_default().to_string()
}

/// The resource key of a `/config` or `/state` key.
fn resource_of(key: &str, prefix: &str) -> Option<ResourceKey> {
    match classify(key.strip_prefix(prefix)?)? {
        ConfigKey::Resource { key, .. } => Some(key),
        ConfigKey::Template(_) => None,
    }
}

fn params_by_name(params: &Value) -> BTreeMap<String, Value> {
    params
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (text(p, "param"), p.clone()))
        .collect()
}

#[test]
fn job_objects_equal_every_recorded_job_manager_document() {
    let config = watcher_events("etcd-config-watcher.log");
    let states = watcher_events("etcd-state-watcher.log");
    let recorded = recorded_jobs();
    let mut templates = BTreeMap::new();
    for e in &config {
        if let (Some(ConfigKey::Template(id)), Some(v)) =
            (e.key.strip_prefix("/config/").and_then(classify), &e.value)
        {
            templates.insert(id, Template::parse(&v["body"]).expect("template parses"));
        }
    }
    assert!(templates.len() >= 8, "run templates from config.w");
    // When each (resource, version) config and state appeared.
    let config_at = |r: &ResourceKey, version: u64| {
        config.iter().find_map(|e| {
            let v = e.value.as_ref()?;
            (resource_of(&e.key, "/config/")? == *r && v["version"] == version)
                .then(|| e.at.clone())
        })
    };
    let state_at = |r: &ResourceKey, version: u64| {
        states.iter().find_map(|e| {
            let v = e.value.as_ref()?;
            (resource_of(&e.key, "/state/")? == *r && v["version"] == version).then(|| e.at.clone())
        })
    };
    let mut failures = vec![];
    let mut checked = 0;
    for (file, all) in &recorded {
        let job = &all[1];
        assert_eq!(
            (&all[0], &all[2]),
            (&Value::from("heat_worker"), &Value::from(0)),
            "{file}"
        );
        let resource = ResourceKey {
            type_: text(job, "resource_type"),
            id: text(job, "resource_id"),
        };
        let version = job["version"].as_u64().unwrap();
        let body = job["resource_input"].clone();
        // The moment the job manager handled this config (absent when the watcher missed it).
        let now = config_at(&resource, version).unwrap_or_default();

        let mut configs = Configs::default();
        for e in config.iter().filter(|e| e.at <= now) {
            if let (Some(r), Some(v)) = (resource_of(&e.key, "/config/"), &e.value) {
                let raw = serde_json::to_vec(v).unwrap();
                configs.0.insert(r, decode(&raw).unwrap());
            }
        }
        configs.0.insert(
            resource.clone(),
            Resource {
                body: body.clone(),
                version,
                marked: false,
            },
        );
        let state_version = states
            .iter()
            .filter(|e| e.at < now && resource_of(&e.key, "/state/").as_ref() == Some(&resource))
            .filter_map(|e| e.value.as_ref()?["version"].as_u64())
            .next_back();
        let marked = config.iter().any(|e| {
            e.value
                .as_ref()
                .is_some_and(|v| v["version"] == version && v["marked_for_deletion"] == true)
                && resource_of(&e.key, "/config/").as_ref() == Some(&resource)
        });
        let action = select_action(Situation {
            version,
            marked,
            state_version,
            pending_version: None,
        })
        .expect("an action");

        // Jobs of the recorded run that were scheduled but had no state yet at `now`.
        let mut queue = Queue::default();
        let mut others: Vec<(String, String, ResourceKey, u64)> = recorded
            .iter()
            .filter_map(|(_, other)| {
                let o = &other[1];
                let r = ResourceKey {
                    type_: text(o, "resource_type"),
                    id: text(o, "resource_id"),
                };
                let v = o["version"].as_u64()?;
                let set = config_at(&r, v)?;
                let done = state_at(&r, v).unwrap_or_else(|| "9".into());
                (set < now && done > now).then(|| (set, text(o, "id"), r, v))
            })
            .collect();
        others.sort();
        for (_, id, r, v) in others {
            queue.add(&id, r, v, &[]);
        }

        let template_id = resource.type_.clone();
        let template = &templates[&template_id];
        let ctx = Context {
            type_: &resource.type_,
            body: &body,
            version,
            resources: &configs,
        };
        let built = params(template, &ctx, action).expect("params");
        let dependency = queue.dependencies(built.resources.iter());
        let name = JobName {
            action,
            handler: &template.handler,
            resource: &resource,
            version,
        };
        let id = text(job, "id");
        let suffix = id.rsplit(':').next().unwrap();
        assert_eq!(name.id(suffix), id, "{file}: job id");
        let object = name.object(&id, &body, built.records, &dependency);

        let mut expected = job.clone();
        let mut actual = object.clone();
        let (expected_params, actual_params) = (expected["params"].take(), actual["params"].take());
        if expected != actual {
            failures.push(format!(
                "{file}: job differs\nexpected {expected:#}\nactual   {actual:#}"
            ));
        }
        if params_by_name(&expected_params) != params_by_name(&actual_params) {
            failures.push(format!(
                "{file}: params differ\nexpected {expected_params:#}\nactual   {actual_params:#}"
            ));
        }
        let order = |p: &Value| {
            p.as_array()
                .unwrap()
                .iter()
                .map(|p| text(p, "param"))
                .collect::<Vec<_>>()
        };
        if order(&expected_params) != order(&actual_params) {
            failures.push(format!("{file}: params order differs"));
        }
        // The stored value decodes back to the same job.
        let stored: Value = serde_json::from_str(&all_value("heat_worker", &object)).unwrap();
        assert_eq!(stored[1], object, "{file}");
        checked += 1;
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} differ:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    assert_eq!(checked, recorded.len());
}

#[test]
fn every_run_template_parses() {
    let config = watcher_events("etcd-config-watcher.log");
    let mut count = 0;
    for e in config
        .iter()
        .filter(|e| e.key.starts_with("/config/v2.0/heat_templates/"))
    {
        let body = &e.value.as_ref().expect("template value")["body"];
        Template::parse(body).unwrap_or_else(|err| panic!("{}: {err}", e.key));
        count += 1;
    }
    assert_eq!(count, 38);
}

#[test]
fn suffixes_are_five_lowercase_alphanumerics() {
    let a = random_suffix();
    assert_eq!(a.len(), 5);
    assert!(
        a.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    );
    assert_ne!(a, random_suffix());
}
