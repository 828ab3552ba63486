//! The documents of an imported scenario: one per recorded document, and one per job telling
//! its whole story (the seed layout).

use std::path::Path;

use serde_json::{Value, json};

use super::folder::{Recorded, is_gohan};
use super::{relative, snake};
use crate::scenario::{CheckpointFile, DocumentFile, unspanned};

/// One document per job of the flow telling its whole story, like the seed documents:
/// Gohan's write, the job, the worker's results, the monitoring value.
pub(super) fn stories(
    flow: &str,
    documents: &[Recorded],
    scenario_dir: &Path,
) -> Vec<DocumentFile> {
    let mut numbers: Vec<u32> = documents.iter().map(|d| d.number).collect();
    numbers.dedup();
    numbers
        .into_iter()
        .filter_map(|n| {
            let parts: Vec<&Recorded> = documents.iter().filter(|d| d.number == n).collect();
            let gohan = parts.iter().find(|d| is_gohan(d))?;
            let results = parts.iter().filter(|d| !is_gohan(d)).count();
            if results < 2 {
                return None;
            }
            let kind = parts
                .iter()
                .flat_map(|d| &d.document.checkpoints)
                .find_map(|c| {
                    c.value
                        .get(1)?
                        .get("resource_type")?
                        .as_str()
                        .map(str::to_string)
                })?;
            let preamble =
                format!("These are stored data for \"heat_templates\" in etcd.\n\n* {kind}");
            let name = format!("{}_{n:02}", snake(flow));
            Some(document(
                &name,
                &gohan.document.title,
                &preamble,
                &parts,
                scenario_dir,
            ))
        })
        .collect()
}

/// A scenario document reproducing `sources` (their checkpoints in order, each once), each
/// checkpoint picked the way its key is written.
pub(super) fn document(
    name: &str,
    title: &str,
    preamble: &str,
    sources: &[&Recorded],
    scenario_dir: &Path,
) -> DocumentFile {
    let mut checkpoints: Vec<(&str, &Value)> = Vec::new();
    for c in sources.iter().flat_map(|d| &d.document.checkpoints) {
        if !checkpoints
            .iter()
            .any(|(k, v)| *k == c.key && **v == c.value)
        {
            checkpoints.push((&c.key, &c.value));
        }
    }
    let picks = picks(&checkpoints);
    let recorded: Vec<String> = sources
        .iter()
        .map(|d| relative(&d.path, scenario_dir).display().to_string())
        .collect();
    DocumentFile {
        name: name.to_string(),
        title: title.to_string(),
        preamble: (!preamble.is_empty()).then(|| preamble.to_string()),
        recorded,
        checkpoints: picks.into_iter().map(unspanned).collect(),
        heat_journal: None,
    }
}

/// How each of `checkpoints` is picked from a run's history, the way its key is written:
/// a job by its id pattern, a versioned write by its version, another by its place between
/// those.
pub(crate) fn picks(checkpoints: &[(&str, &Value)]) -> Vec<CheckpointFile> {
    // A job's key ends in a 5-character random suffix.
    let stem = |key: &str| key.get(..key.len().checked_sub(5)?).map(str::to_string);
    let is_job = |key: &str| key.starts_with("/jobs/all/") && key.len() > 5 && stem(key).is_some();
    let anchored: Vec<bool> = checkpoints
        .iter()
        .map(|(k, v)| is_job(k) || anchor(k, v).is_some())
        .collect();
    checkpoints
        .iter()
        .enumerate()
        .map(|(i, (key, value))| {
            let mut pick = CheckpointFile::default();
            let same_key_before = checkpoints[..i].iter().rposition(|(k, _)| k == key);
            // A status seen again (UP, FAIL, UP) is only told apart by what came before it.
            let repeats = key.starts_with("/monitoring/") && same_key_before.is_some();
            if is_job(key) {
                // The id names the version: the first write of the pattern is the one.
                pick.pattern = Some(format!("{}?????", stem(key).unwrap_or_default()));
                return pick;
            }
            pick.key = Some(key.to_string());
            if let (Some(value), false) = (anchor(key, value), repeats) {
                pick.matching = Some(value);
            } else if let Some(j) = same_key_before {
                pick.after = Some(j + 1);
            } else if let Some(j) = (i + 1..checkpoints.len()).find(|j| anchored[*j]) {
                pick.before = Some(j + 1);
            } else if let Some(j) = (0..i).rev().find(|j| anchored[*j]) {
                pick.after = Some(j + 1);
            }
            pick
        })
        .collect()
}

/// What identifies a write of `key` on its own: Gohan's and the worker's versions, the
/// monitoring status at a version. Keys written without a version get none.
fn anchor(key: &str, value: &Value) -> Option<Value> {
    let version = value.get("version")?.as_u64()?;
    if key.starts_with("/config/") {
        Some(json!({"version": version}))
    } else if key.starts_with("/state/") {
        let mut anchor = json!({"version": version});
        if let Some(state) = value.pointer("/state/worker_state") {
            anchor["state"] = json!({"worker_state": state});
        }
        Some(anchor)
    } else if key.starts_with("/monitoring/") {
        Some(value.clone())
    } else {
        None
    }
}
