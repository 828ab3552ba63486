//! The store the recorded run started from, as fixture files and the `put` steps that write
//! them first in every scenario of the folder.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::folder::{Folder, Recorded, is_gohan};
use super::relative;
use super::summary::Gap;
use super::watcher::Event;
use crate::encoding::go_json;
use crate::scenario::{KeyspaceFile, PutStep, StepFile};

/// A file an import writes next to its scenarios.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixture {
    /// Relative to the scenarios' folder, e.g. `fixtures/05_load_balancer/...json`.
    pub path: PathBuf,
    /// The bytes.
    pub content: String,
}

/// What the store the run started from is derived from.
pub(super) struct Sources<'a> {
    /// The config watcher log's events.
    pub config_log: &'a [Event],
    /// The store dump at the end of the run, `(key, raw value)`.
    pub dump: &'a [(String, String)],
    /// The `--templates` documents' `(key, decoded value)`.
    pub templates: &'a [(String, Value)],
}

/// `(key, stored value)` of every `/config` key no flow writes, in this order: as the config
/// watcher log shows it last (the run's heat templates, tenant, quotas...), then as the
/// store dump shows it (keys the log missed: a [`Gap`]), then the `--templates` documents
/// neither has (a [`Gap`] each). Keys outside `/config` are the worker's to write.
pub(super) fn initial(
    flows: &BTreeMap<String, Vec<Recorded>>,
    sources: &Sources<'_>,
    gaps: &mut Vec<Gap>,
) -> Vec<(String, String)> {
    let written: BTreeSet<&str> = flows
        .values()
        .flatten()
        .filter(|d| is_gohan(d))
        .flat_map(|d| &d.document.checkpoints)
        .map(|c| c.key.as_str())
        .collect();
    let mut initial: Vec<(String, String)> = Vec::new();
    for event in sources.config_log {
        if written.contains(event.key.as_str()) {
            continue;
        }
        let found = initial.iter().position(|(k, _)| *k == event.key);
        match (&event.value, found) {
            (Some(value), Some(i)) if event.is_set() => initial[i].1 = stored(value),
            (Some(value), None) if event.is_set() => {
                initial.push((event.key.clone(), stored(value)))
            }
            (_, Some(i)) => {
                initial.remove(i);
            }
            _ => {}
        }
    }
    for (key, raw) in sources.dump {
        let known = written.contains(key.as_str()) || initial.iter().any(|(k, _)| k == key);
        if key.starts_with("/config/") && !known {
            gaps.push(Gap::InitialFromDump { key: key.clone() });
            initial.push((key.clone(), raw.clone()));
        }
    }
    for (key, value) in sources.templates {
        if !initial.iter().any(|(k, _)| k == key) {
            gaps.push(Gap::TemplateNotFromRun { key: key.clone() });
            initial.push((key.clone(), stored(value)));
        }
    }
    initial
}

/// The initial store of `folder` (recorded in `dir`): one fixture per key, in order.
pub(super) fn fixtures(folder: &Folder, dir: &Path) -> Vec<Fixture> {
    let store = safe_name(
        &dir.canonicalize()
            .ok()
            .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "recorded".into()),
    );
    let mut fixtures: Vec<Fixture> = Vec::new();
    for (key, value) in &folder.initial {
        let name = safe_name(key.trim_start_matches('/'));
        let mut path = PathBuf::from("fixtures")
            .join(&store)
            .join(format!("{name}.json"));
        let mut n = 1;
        while fixtures.iter().any(|f| f.path == path) {
            n += 1;
            path = PathBuf::from("fixtures")
                .join(&store)
                .join(format!("{name}_{n}.json"));
        }
        fixtures.push(Fixture {
            path,
            content: value.clone(),
        });
    }
    fixtures
}

/// The `put` steps writing the initial store, the fixtures being `fixtures` in that order.
pub(super) fn steps(folder: &Folder, fixtures: &[Fixture]) -> Vec<StepFile> {
    folder
        .initial
        .iter()
        .zip(fixtures)
        .map(|((key, _), fixture)| {
            StepFile::Put(PutStep {
                key: key.clone(),
                value: None,
                file: Some(fixture.path.display().to_string()),
            })
        })
        .collect()
}

/// Keys of a recorded store that no worker writes and a run cannot reproduce: Gohan's own
/// (`/gohan/cluster/sync`, its watch indexes) and the recorded job manager's random id.
const NOT_REPRODUCED: [&str; 2] = ["/gohan/*", "/job_manager_id"];

/// The `keyspace:` expectation of the folder's last flow: the whole keyspace at the end of
/// the run equals the recorded store dump, but for [`NOT_REPRODUCED`]; `None` without a dump.
pub(super) fn keyspace(folder: &Folder, scenario_dir: &Path) -> Option<KeyspaceFile> {
    let dump = folder.dump.as_ref()?;
    Some(KeyspaceFile {
        prefixes: None,
        ignore: NOT_REPRODUCED.map(String::from).to_vec(),
        recorded: Some(relative(dump, scenario_dir).display().to_string()),
    })
}

/// A `/config` value as the recorded Gohan stored it (Go encoding, `body` a JSON string), from
/// the decoded view the logs and documents show.
fn stored(value: &Value) -> String {
    match value.get("body") {
        Some(body) => go_json(&json!({
            "body": go_json(body),
            "marked_for_deletion": value.get("marked_for_deletion").cloned().unwrap_or(json!(false)),
            "version": value.get("version").cloned().unwrap_or(json!(1)),
        })),
        None => go_json(value),
    }
}

/// Longest fixture name kept (file systems allow 255 bytes; `_<n>.json` is added).
const MAX_NAME: usize = 200;

/// Letters, digits, `.`, `-` and `_` only (anything else, `/` included, becomes `_`), never
/// empty, never starting with a dot, at most [`MAX_NAME`] characters.
pub(crate) fn safe_name(name: &str) -> String {
    let name: String = name
        .chars()
        .take(MAX_NAME - 1)
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if name.is_empty() || name.starts_with('.') {
        format!("_{name}")
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_safe_file_names() {
        assert_eq!(
            safe_name("config/v2.0/heat_templates/network"),
            "config_v2.0_heat_templates_network"
        );
        assert_eq!(safe_name("../x"), "_.._x");
        assert_eq!(safe_name(""), "_");
        assert_eq!(safe_name(&"a".repeat(10_000)).len(), MAX_NAME - 1);
    }

    #[test]
    fn a_gohan_value_is_stored_go_encoded() {
        let value = json!({"body": {"id": "default", "a": "<>"}, "version": 1, "marked_for_deletion": false});
        assert_eq!(
            stored(&value),
            r#"{"body":"{\"a\":\"\\u003c\\u003e\",\"id\":\"default\"}","marked_for_deletion":false,"version":1}"#
        );
    }
}
