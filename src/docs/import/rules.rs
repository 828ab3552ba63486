//! The fakes' rules an import scripts from recorded documents: each stack's outputs per
//! operation (and its hold, see [`super::holds`]), each monitoring target's statuses per
//! version.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::folder::Recorded;
use super::holds::{Holds, last_segment};
use super::watcher::Event;
use crate::scenario::{
    HoldFile, ReportFile, StackRuleFile, StatusFile, StatusesReport, TargetRuleFile,
};

/// The `(key, value)` checkpoints of recorded documents, in order.
pub(super) fn checkpoints<'a>(history: &[&'a Recorded]) -> Vec<(&'a str, &'a Value)> {
    history
        .iter()
        .flat_map(|d| &d.document.checkpoints)
        .map(|c| (c.key.as_str(), &c.value))
        .collect()
}

/// One rule per stack and generation, with the outputs a heat_stacks value among
/// `checkpoints` shows, and the keys it is held until when its job is a recorded dependency
/// (`holds`).
pub(crate) fn heat_rules(checkpoints: &[(&str, &Value)], holds: &Holds) -> Vec<StackRuleFile> {
    let mut generation: BTreeMap<String, u64> = BTreeMap::new();
    let mut rules = Vec::new();
    for (i, (key, value)) in checkpoints.iter().enumerate() {
        let Some(stack) = value
            .get("stack_id")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
        else {
            continue;
        };
        let status = value
            .get("stack_status")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let g = generation.entry(stack.to_string()).or_default();
        *g = if status.starts_with("CREATE") {
            1
        } else {
            *g + 1
        };
        let outputs = value
            .get("output")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let values: Map<String, Value> = outputs
            .iter()
            .filter_map(|o| {
                Some((
                    o.get("output_key")?.as_str()?.to_string(),
                    o.get("output_value")?.clone(),
                ))
            })
            .collect();
        let order: Vec<String> = outputs
            .iter()
            .filter_map(|o| Some(o.get("output_key")?.as_str()?.to_string()))
            .collect();
        let hold_until = reported_version(key, &checkpoints[i + 1..])
            .and_then(|v| holds.get(&v))
            .map(|keys| HoldFile {
                exists: keys.clone(),
            });
        rules.push(StackRuleFile {
            pattern: stack.to_string(),
            generation: Some(u32::try_from(*g).unwrap_or(u32::MAX)),
            in_progress_reads: None,
            outputs: values,
            output_order: order,
            fail: Vec::new(),
            http_error: None,
            latency: None,
            hold_until,
        });
    }
    rules
}

/// The `(resource id, version)` a heat_stacks checkpoint is for: the version of the next
/// `/state` of its resource among the checkpoints `after` it.
fn reported_version(key: &str, after: &[(&str, &Value)]) -> Option<(String, u64)> {
    let id = last_segment(key);
    let (_, state) = after
        .iter()
        .find(|(k, _)| k.starts_with("/state/") && last_segment(k) == id)?;
    let version = state.get("version")?.as_u64()?;
    Some((id.to_string(), version))
}

/// The `(key, value)` of every write of a watcher log.
pub(super) fn logged(log: &[Event]) -> Vec<(&str, &Value)> {
    log.iter()
        .filter(|e| e.is_set())
        .filter_map(|e| Some((e.key.as_str(), e.value.as_ref()?)))
        .collect()
}

/// One rule per monitoring target and version, reporting its whole status sequence: what
/// the monitoring watcher log shows (`logged`, the whole run) merged with what the
/// `documented` checkpoints show (each source misses writes the other has).
pub(crate) fn collector_rules(
    documented: &[(&str, &Value)],
    logged: &[(&str, &Value)],
) -> Vec<TargetRuleFile> {
    let sequences = |writes: &[(&str, &Value)]| {
        let mut found: Vec<((String, u64), Vec<String>)> = Vec::new();
        for (key, value) in writes {
            if let Some((target, status)) = status(key, value) {
                push(&mut found, target, status);
            }
        }
        found
    };
    let (documented, logged) = (sequences(documented), sequences(logged));
    let mut rules = documented;
    for (target, statuses) in logged {
        match rules.iter_mut().find(|(t, _)| *t == target) {
            Some((_, known)) => *known = supersequence(known, &statuses),
            None => rules.push((target, statuses)),
        }
    }
    rules
        .into_iter()
        .map(|((target, version), statuses)| TargetRuleFile {
            pattern: target,
            version: Some(i64::try_from(version).unwrap_or(i64::MAX)),
            kind: None,
            field: None,
            report: Some(ReportFile::Statuses(StatusesReport {
                statuses: statuses
                    .into_iter()
                    .map(|s| StatusFile(Value::String(s)))
                    .collect(),
            })),
            hold: false,
            http_error: None,
            latency: None,
        })
        .collect()
}

/// `/monitoring/<api>/<type>/<id>` and `{"version": N, "<field>": "<status>"}` ->
/// `((<type>/<id>, N), <status>)`.
fn status(key: &str, value: &Value) -> Option<((String, u64), String)> {
    let (_, target) = key.strip_prefix("/monitoring/")?.split_once('/')?;
    let object = value.as_object()?;
    let version = object.get("version").and_then(Value::as_u64).unwrap_or(0);
    let status = object
        .iter()
        .find(|(k, _)| *k != "version")
        .and_then(|(_, v)| v.as_str())?;
    Some(((target.to_string(), version), status.to_string()))
}

fn push(list: &mut Vec<((String, u64), Vec<String>)>, target: (String, u64), status: String) {
    match list.iter_mut().find(|(t, _)| *t == target) {
        Some((_, statuses)) => statuses.push(status),
        None => list.push((target, vec![status])),
    }
}

/// Most cells [`supersequence`] computes; beyond, the longer sequence is taken as it is.
const MERGE_LIMIT: usize = 1 << 20;

/// The shortest sequence holding both `a` and `b` as subsequences (ties: `a`'s element
/// first); the longer one when the table would exceed [`MERGE_LIMIT`] cells.
fn supersequence(a: &[String], b: &[String]) -> Vec<String> {
    let cells = (a.len() + 1).checked_mul(b.len() + 1);
    if cells.is_none_or(|c| c > MERGE_LIMIT) {
        return if a.len() >= b.len() { a } else { b }.to_vec();
    }
    // lcs[i][j]: longest common subsequence of a[i..] and b[j..].
    let width = b.len() + 1;
    let mut lcs = vec![0usize; (a.len() + 1) * width];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i * width + j] = if a[i] == b[j] {
                lcs[(i + 1) * width + j + 1] + 1
            } else {
                lcs[(i + 1) * width + j].max(lcs[i * width + j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            out.push(a[i].clone());
            (i, j) = (i + 1, j + 1);
        } else if lcs[(i + 1) * width + j] >= lcs[i * width + j + 1] {
            out.push(a[i].clone());
            i += 1;
        } else {
            out.push(b[j].clone());
            j += 1;
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(items: &[&str]) -> Vec<String> {
        items.iter().map(|i| i.to_string()).collect()
    }

    #[test]
    fn the_merge_holds_both_sequences() {
        let (doc, log) = (s(&["UP", "FAIL"]), s(&["UP", "FAIL", "UP", "FAIL"]));
        assert_eq!(supersequence(&doc, &log), log);
        assert_eq!(supersequence(&log, &doc), log);
        assert_eq!(supersequence(&s(&["UP"]), &[]), s(&["UP"]));
        assert_eq!(
            supersequence(&s(&["UP", "FAIL"]), &s(&["FAIL", "UP"])),
            s(&["UP", "FAIL", "UP"])
        );
    }
}
