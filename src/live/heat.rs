//! The fake Heat's rules from what the real Heat answered through the proxy: per stack and
//! operation (generation 1 its create, then one per update), how many reads answered
//! `*_IN_PROGRESS`, whether it ended `*_FAILED` (and why), and the outputs it ended with.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::proxy::Exchange;
use crate::scenario::{FailureFile, StackAction, StackRuleFile};

/// One operation of a stack as Heat answered it.
#[derive(Debug)]
struct Operation {
    action: StackAction,
    in_progress: u32,
    last: Option<Value>,
}

/// One rule per stack and operation (deletes only when they failed).
pub(super) fn rules(journal: &[Exchange]) -> Vec<StackRuleFile> {
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
            ("POST", 2) => Some(StackAction::Create),
            ("PUT" | "PATCH", _) => Some(StackAction::Update),
            ("DELETE", _) => Some(StackAction::Delete),
            _ => None,
        };
        if let Some(action) = action {
            operations.push(Operation {
                action,
                in_progress: 0,
                last: None,
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
            if operation.action != StackAction::Delete {
                generation = generation.saturating_add(1);
            }
            let Some(last) = &operation.last else {
                continue;
            };
            let status = last["stack_status"].as_str().unwrap_or_default();
            let failed = status.ends_with("_FAILED");
            if operation.action == StackAction::Delete && !failed {
                continue;
            }
            let outputs = last["outputs"].as_array().cloned().unwrap_or_default();
            let keyed = |o: &Value| {
                Some((
                    o["output_key"].as_str()?.to_string(),
                    o["output_value"].clone(),
                ))
            };
            let outputs: Map<String, Value> = outputs.iter().filter_map(keyed).collect();
            let output_order: Vec<String> = outputs.keys().cloned().collect();
            let fail = if failed {
                vec![FailureFile {
                    action: operation.action,
                    reason: last["stack_status_reason"].as_str().map(String::from),
                    times: Some(1),
                }]
            } else {
                Vec::new()
            };
            rules.push(StackRuleFile {
                pattern: name.clone(),
                generation: Some(generation.max(1)),
                in_progress_reads: Some(operation.in_progress),
                outputs,
                output_order,
                fail,
                http_error: None,
                latency: None,
                hold_until: None,
            });
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
