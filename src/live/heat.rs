//! The fake Heat's rules from what the real Heat answered through the proxy: per stack and
//! operation (generation 1 its create, then one per update), how many reads answered
//! `*_IN_PROGRESS`, whether it ended `*_FAILED` (and why), and the outputs it ended with.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::proxy::Exchange;

/// One operation of a stack as Heat answered it.
#[derive(Debug, Default)]
struct Operation {
    action: &'static str,
    in_progress: u32,
    last: Option<Value>,
}

/// One rule per stack and operation (deletes only when they failed).
pub(super) fn rules(journal: &[Exchange]) -> Vec<Value> {
    let mut stacks: BTreeMap<String, Vec<Operation>> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    for exchange in journal {
        let Some(name) = stack_name(exchange) else {
            continue;
        };
        if !order.contains(&name) {
            order.push(name.clone());
        }
        let operations = stacks.entry(name).or_default();
        let action = match (exchange.method.as_str(), exchange.path.split('/').count()) {
            ("POST", 2) => Some("create"),
            ("PUT" | "PATCH", _) => Some("update"),
            ("DELETE", _) => Some("delete"),
            _ => None,
        };
        if let Some(action) = action {
            operations.push(Operation {
                action,
                ..Operation::default()
            });
            continue;
        }
        let (Some(operation), Some(stack)) =
            (operations.last_mut(), exchange.response.get("stack"))
        else {
            continue;
        };
        let status = stack["stack_status"].as_str().unwrap_or_default();
        if status.ends_with("_IN_PROGRESS") && operation.last.is_none() {
            operation.in_progress = operation.in_progress.saturating_add(1);
        } else if !status.ends_with("_IN_PROGRESS") && operation.last.is_none() {
            operation.last = Some(stack.clone());
        }
    }
    let mut rules = Vec::new();
    for name in order {
        let mut generation = 0u32;
        for operation in &stacks[&name] {
            if operation.action != "delete" {
                generation = generation.saturating_add(1);
            }
            let Some(last) = &operation.last else {
                continue;
            };
            let status = last["stack_status"].as_str().unwrap_or_default();
            let failed = status.ends_with("_FAILED");
            if operation.action == "delete" && !failed {
                continue;
            }
            let mut rule = Map::new();
            rule.insert("match".into(), json!(name));
            rule.insert("generation".into(), json!(generation.max(1)));
            rule.insert("in_progress_reads".into(), json!(operation.in_progress));
            let outputs = last["outputs"].as_array().cloned().unwrap_or_default();
            let keyed = |o: &Value| {
                Some((
                    o["output_key"].as_str()?.to_string(),
                    o["output_value"].clone(),
                ))
            };
            let values: Map<String, Value> = outputs.iter().filter_map(keyed).collect();
            let keys: Vec<String> = outputs.iter().filter_map(keyed).map(|(k, _)| k).collect();
            if !values.is_empty() {
                rule.insert("outputs".into(), Value::Object(values));
                rule.insert("output_order".into(), json!(keys));
            }
            if failed {
                rule.insert(
                    "fail".into(),
                    json!([{"action": operation.action, "reason": last["stack_status_reason"], "times": 1}]),
                );
            }
            rules.push(Value::Object(rule));
        }
    }
    rules
}

/// The stack an exchange is about: `/stacks/<name>[/...]`, or a create's `stack_name`.
fn stack_name(exchange: &Exchange) -> Option<String> {
    let mut parts = exchange.path.split('?').next()?.split('/').skip(1);
    if parts.next()? != "stacks" {
        return None;
    }
    match parts.next() {
        Some(name) if !name.is_empty() => Some(name.to_string()),
        _ => Some(exchange.request["stack_name"].as_str()?.to_string()),
    }
}
