//! The fakes' rules an import scripts from recorded documents: each stack's outputs per
//! operation, each monitoring target's statuses per version.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::folder::Recorded;

/// One rule per stack and generation, with the outputs a recorded heat_stacks value shows.
pub(super) fn heat_rules(history: &[&Recorded]) -> Vec<Value> {
    let mut generation: BTreeMap<String, u64> = BTreeMap::new();
    let mut rules = Vec::new();
    for c in history.iter().flat_map(|d| &d.document.checkpoints) {
        let Some(stack) = c
            .value
            .get("stack_id")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
        else {
            continue;
        };
        let status = c
            .value
            .get("stack_status")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let g = generation.entry(stack.to_string()).or_default();
        *g = if status.starts_with("CREATE") {
            1
        } else {
            *g + 1
        };
        let outputs = c
            .value
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
        let order: Vec<&str> = outputs
            .iter()
            .filter_map(|o| o.get("output_key")?.as_str())
            .collect();
        rules.push(
            json!({"match": stack, "generation": *g, "outputs": values, "output_order": order}),
        );
    }
    rules
}

/// One rule per monitoring target and version, reporting the statuses the documents show.
pub(super) fn collector_rules(history: &[&Recorded]) -> Vec<Value> {
    let mut statuses: Vec<((String, u64), Vec<String>)> = Vec::new();
    for c in history.iter().flat_map(|d| &d.document.checkpoints) {
        let Some(target) = c
            .key
            .strip_prefix("/monitoring/")
            .and_then(|k| k.split_once('/'))
            .map(|(_, t)| t)
        else {
            continue;
        };
        let Some(object) = c.value.as_object() else {
            continue;
        };
        let version = object.get("version").and_then(Value::as_u64).unwrap_or(0);
        let Some(status) = object
            .iter()
            .find(|(k, _)| *k != "version")
            .and_then(|(_, v)| v.as_str())
        else {
            continue;
        };
        let id = (target.to_string(), version);
        match statuses.iter_mut().find(|(k, _)| *k == id) {
            Some((_, list)) => list.push(status.to_string()),
            None => statuses.push((id, vec![status.to_string()])),
        }
    }
    statuses
        .into_iter()
        .map(|((target, version), statuses)| {
            json!({"match": target, "version": version, "report": {"kind": "statuses", "statuses": statuses}})
        })
        .collect()
}
