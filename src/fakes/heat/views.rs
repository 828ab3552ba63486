//! The JSON Heat answers: stack show and list items, outputs, events. Every link is built from
//! the server's real address.

use serde_json::{Map, Value, json};

use super::resources;
use super::stack::{Action, Event, Stack, Status};
use crate::scenario::StackRule;

/// One computed (or scripted) output.
pub(super) struct Output {
    pub(super) key: String,
    pub(super) description: String,
    pub(super) value: Result<Value, String>,
}

/// Where links point and whose stacks these are.
pub(super) struct Site<'a> {
    /// `http://127.0.0.1:PORT/v1/<tenant>`.
    pub(super) base: &'a str,
    /// `stack_owner`.
    pub(super) owner: &'a str,
    /// The tenant.
    pub(super) project: &'a str,
}

impl Site<'_> {
    /// The stack's canonical URL.
    pub(super) fn stack_url(&self, stack: &Stack) -> String {
        format!("{}/stacks/{}/{}", self.base, stack.name, stack.id)
    }

    fn links(&self, stack: &Stack) -> Value {
        json!([{"href": self.stack_url(stack), "rel": "self"}])
    }

    /// `GET /stacks/{name}/{id}`: the full stack object (outputs omitted when `None`).
    pub(super) fn show(&self, stack: &Stack, outputs: Option<&[Output]>) -> Value {
        let mut body = self.basic(stack);
        body.insert("description".into(), json!(stack.template.description));
        let extra = json!({
            "capabilities": [],
            "disable_rollback": stack.disable_rollback,
            "notification_topics": [],
            "parameters": stack.params.shown,
            "template_description": stack.template.description,
            "timeout_mins": stack.timeout_mins,
        });
        if let Value::Object(extra) = extra {
            body.extend(extra);
        }
        if let Some(outputs) = outputs {
            let list: Vec<Value> = outputs.iter().map(|o| output(o, true)).collect();
            body.insert("outputs".into(), Value::Array(list));
        }
        sorted(body)
    }

    /// One item of `GET /stacks`.
    pub(super) fn list_item(&self, stack: &Stack) -> Value {
        let mut body = self.basic(stack);
        body.insert("description".into(), json!(""));
        sorted(body)
    }

    fn basic(&self, stack: &Stack) -> Map<String, Value> {
        let body = json!({
            "creation_time": stack.created,
            "deletion_time": stack.deleted,
            "id": stack.id,
            "links": self.links(stack),
            "parent": null,
            "stack_name": stack.name,
            "stack_owner": self.owner,
            "stack_status": stack.stack_status(),
            "stack_status_reason": stack.reason,
            "stack_user_project_id": self.project,
            "tags": stack.tags,
            "updated_time": stack.updated,
        });
        match body {
            Value::Object(map) => map,
            _ => Map::new(),
        }
    }

    /// One event of the stack itself.
    pub(super) fn event(&self, stack: &Stack, event: &Event) -> Value {
        let url = self.stack_url(stack);
        json!({
            "event_time": event.time,
            "id": event.id,
            "links": [
                {"href": format!("{url}/resources/{}/events/{}", stack.name, event.id), "rel": "self"},
                {"href": format!("{url}/resources/{}", stack.name), "rel": "resource"},
                {"href": url, "rel": "stack"},
            ],
            "logical_resource_id": stack.name,
            "physical_resource_id": stack.id,
            "resource_name": stack.name,
            "resource_status": event.status,
            "resource_status_reason": event.reason,
        })
    }
}

/// An output as the recorded Heat printed it: its dict was built `description`, `output_key`,
/// `output_value` (`output_error` when resolution raised), so its keys come out in the CPython 2
/// dict order of that insertion: `output_value, [output_error,] description, output_key`
/// (ESI-SPEC §1.2, the recorded `heat stack-show`). `with_value` false for the outputs list,
/// whose items are `description, output_key`.
pub(super) fn output(o: &Output, with_value: bool) -> Value {
    let mut body = Map::new();
    if with_value {
        match &o.value {
            Ok(value) => {
                body.insert("output_value".into(), value.clone());
            }
            Err(error) => {
                body.insert("output_value".into(), Value::Null);
                body.insert("output_error".into(), json!(error));
            }
        }
    }
    body.insert("description".into(), json!(o.description));
    body.insert("output_key".into(), json!(o.key));
    Value::Object(body)
}

/// The stack's outputs: computed from the template in template order, scripted values of the
/// stack's rule replacing them, scripted order first.
pub(super) fn outputs(stack: &Stack, rule: Option<&StackRule>) -> Vec<Output> {
    let ready = !(stack.action == Action::Create && stack.status != Status::Complete);
    let values =
        resources::resolve_outputs(&stack.template, &stack.params, &stack.resources, ready);
    let mut outputs: Vec<Output> = stack
        .template
        .outputs
        .iter()
        .zip(values)
        .map(|(decl, value)| Output {
            key: decl.key.clone(),
            description: decl.description.clone(),
            value,
        })
        .collect();
    let Some(rule) = rule else {
        return outputs;
    };
    for (key, value) in &rule.outputs {
        match outputs.iter_mut().find(|o| &o.key == key) {
            Some(o) => o.value = Ok(value.clone()),
            None => outputs.push(Output {
                key: key.clone(),
                description: "No description given".into(),
                value: Ok(value.clone()),
            }),
        }
    }
    let rank = |key: &str| {
        rule.output_order
            .iter()
            .position(|k| k == key)
            .unwrap_or(usize::MAX)
    };
    outputs.sort_by_key(|o| rank(&o.key));
    outputs
}

fn sorted(mut map: Map<String, Value>) -> Value {
    map.sort_keys();
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::{Output, output};

    fn keys(value: &Value) -> Vec<&str> {
        value
            .as_object()
            .map(|o| o.keys().map(String::as_str).collect())
            .unwrap_or_default()
    }

    #[test]
    fn outputs_print_their_keys_in_cpython_2_dict_order() {
        let resolved = Output {
            key: "id".into(),
            description: "Network ID".into(),
            value: Ok(json!("n-1")),
        };
        assert_eq!(
            keys(&output(&resolved, true)),
            ["output_value", "description", "output_key"]
        );
        assert_eq!(
            keys(&output(&resolved, false)),
            ["description", "output_key"]
        );
        let failed = Output {
            value: Err("The Referenced Attribute (monitor link) is incorrect.".into()),
            ..resolved
        };
        let shown = output(&failed, true);
        assert_eq!(
            keys(&shown),
            ["output_value", "output_error", "description", "output_key"]
        );
        assert_eq!(shown["output_value"], Value::Null);
    }
}
