//! The reads: lookup, show, list, outputs, template, environment, resources, events, validate.
//! Show, list and events are what move a stack's status machine on.

use serde_json::{Map, Value, json};

use super::errors::HeatError;
use super::ids;
use super::stack::Stack;
use super::state::{HeatState, Reply, StackHandle};
use super::template::ParamKind;
use super::views::{self, output};

/// Query pairs of a request.
pub(super) type Query = [(String, String)];

/// Sub-paths `/stacks/{name}/{path}` redirects to `/stacks/{name}/{id}/{path}`.
pub(super) const LOOKUP_PATHS: [&str; 7] = [
    "resources",
    "events",
    "template",
    "actions",
    "environment",
    "files",
    "outputs",
];

/// `/stacks/{name_or_id}[/{path}]` → 302 to the canonical URL, query kept.
pub(super) fn lookup(
    state: &HeatState,
    name_or_id: &str,
    path: Option<&str>,
    raw_query: Option<&str>,
) -> Result<Reply, HeatError> {
    let index = state
        .find(name_or_id)
        .ok_or_else(|| HeatError::stack_not_found(name_or_id))?;
    let base = state.base();
    let mut location = state.site(&base).stack_url(state.stack(index));
    if let Some(path) = path {
        location = format!("{location}/{path}");
    }
    if let Some(query) = raw_query.filter(|q| !q.is_empty()) {
        location = format!("{location}?{query}");
    }
    Ok(Reply::found(location))
}

/// `GET /stacks/{name}/{id}`.
pub(super) fn show(
    state: &mut HeatState,
    index: StackHandle,
    query: &Query,
) -> Result<Reply, HeatError> {
    state.stack_mut(index).observe(&ids::now());
    let stack = state.stack(index);
    let resolve = !param(query, "resolve_outputs").is_some_and(|v| v.eq_ignore_ascii_case("false"));
    let outputs =
        (resolve && !stack.is_deleted()).then(|| views::outputs(stack, state.rule_of(stack)));
    let base = state.base();
    Ok(Reply::ok(
        json!({"stack": state.site(&base).show(stack, outputs.as_deref())}),
    ))
}

/// `GET /stacks`.
pub(super) fn list(state: &mut HeatState, query: &Query) -> Result<Reply, HeatError> {
    let show_deleted = param(query, "show_deleted").is_some_and(|v| v.eq_ignore_ascii_case("true"));
    let values = |key: &str| -> Vec<&str> {
        query
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    };
    let (names, ids_, statuses, actions) = (
        values("name"),
        values("id"),
        values("status"),
        values("action"),
    );
    let mut chosen: Vec<StackHandle> = state
        .handles()
        .filter(|&i| {
            let s = state.stack(i);
            (show_deleted || !s.is_deleted())
                && (names.is_empty() || names.contains(&s.name.as_str()))
                && (ids_.is_empty() || ids_.contains(&s.id.as_str()))
        })
        .collect();
    let now = ids::now();
    for &i in &chosen {
        state.stack_mut(i).observe(&now);
    }
    chosen.retain(|&i| {
        let s = state.stack(i);
        let status = s.stack_status();
        (statuses.is_empty()
            || statuses
                .iter()
                .any(|w| status == *w || status.ends_with(&format!("_{w}"))))
            && (actions.is_empty() || actions.iter().any(|a| status.starts_with(&format!("{a}_"))))
    });
    sort(state, &mut chosen, query)?;
    if let Some(marker) = param(query, "marker") {
        let at = chosen
            .iter()
            .position(|&i| state.stack(i).id == marker)
            .ok_or_else(|| {
                HeatError::bad_request("HTTPBadRequest", format!("marker {marker} not found"))
            })?;
        chosen.drain(..=at);
    }
    let total = chosen.len();
    if let Some(limit) = param(query, "limit") {
        let limit: usize = limit.parse().map_err(|_| {
            HeatError::bad_request("HTTPBadRequest", "limit must be a non-negative integer")
        })?;
        chosen.truncate(limit);
    }
    let base = state.base();
    let site = state.site(&base);
    let mut body = Map::new();
    body.insert(
        "stacks".into(),
        chosen
            .iter()
            .map(|&i| site.list_item(state.stack(i)))
            .collect(),
    );
    if param(query, "with_count").is_some_and(|v| v.eq_ignore_ascii_case("true")) {
        body.insert("count".into(), json!(total));
    }
    Ok(Reply::ok(Value::Object(body)))
}

/// `GET /stacks/{name}/{id}/outputs[/{key}]`.
pub(super) fn outputs(
    state: &HeatState,
    index: StackHandle,
    key: Option<&str>,
) -> Result<Reply, HeatError> {
    let stack = state.stack(index);
    let outputs = views::outputs(stack, state.rule_of(stack));
    let Some(key) = key else {
        let list: Vec<Value> = outputs.iter().map(|o| output(o, false)).collect();
        return Ok(Reply::ok(json!({"outputs": list})));
    };
    let found = outputs
        .iter()
        .find(|o| o.key == key)
        .ok_or_else(|| HeatError::NotFound {
            kind: "NotFound",
            message: format!("Specified output key {key} not found."),
        })?;
    Ok(Reply::ok(json!({"output": output(found, true)})))
}

/// `GET /stacks/{name}/{id}/template`, `/environment`, `/files`.
pub(super) fn stored(stack: &Stack, what: &str) -> Reply {
    Reply::ok(match what {
        "template" => stack.template.raw.clone(),
        "environment" => json!({
            "parameters": stack.given, "parameter_defaults": {}, "resource_registry": {"resources": {}},
            "encrypted_param_names": [], "event_sinks": [],
        }),
        _ => json!({}),
    })
}

/// `GET /stacks/{name}/{id}/resources`.
pub(super) fn resources(state: &HeatState, index: StackHandle) -> Reply {
    let stack = state.stack(index);
    let base = state.base();
    let url = state.site(&base).stack_url(stack);
    let list: Vec<Value> = stack
        .resources
        .iter()
        .map(|r| {
            json!({
                "creation_time": stack.created,
                "links": [
                    {"href": format!("{url}/resources/{}", r.name), "rel": "self"},
                    {"href": url, "rel": "stack"},
                ],
                "logical_resource_id": r.name,
                "physical_resource_id": r.physical_id,
                "required_by": [],
                "resource_name": r.name,
                "resource_status": stack.stack_status(),
                "resource_status_reason": "state changed",
                "resource_type": r.kind,
                "updated_time": stack.updated.as_ref().unwrap_or(&stack.created),
            })
        })
        .collect();
    Reply::ok(json!({"resources": list}))
}

/// `GET /stacks/{name}/{id}/events`: the stack's own events.
pub(super) fn events(
    state: &mut HeatState,
    index: StackHandle,
    query: &Query,
) -> Result<Reply, HeatError> {
    state.stack_mut(index).observe(&ids::now());
    let stack = state.stack(index);
    let mut events: Vec<_> = stack.events.iter().collect();
    if param(query, "sort_dir") == Some("desc") {
        events.reverse();
    }
    if let Some(marker) = param(query, "marker")
        && let Some(at) = events.iter().position(|e| e.id == marker)
    {
        events.drain(..=at);
    }
    if let Some(limit) = param(query, "limit").and_then(|l| l.parse::<usize>().ok()) {
        events.truncate(limit);
    }
    let base = state.base();
    let site = state.site(&base);
    let list: Vec<Value> = events.into_iter().map(|e| site.event(stack, e)).collect();
    Ok(Reply::ok(json!({"events": list})))
}

/// `POST /validate`.
pub(super) fn validate(state: &mut HeatState, body: &Value) -> Result<Reply, HeatError> {
    let mut template = state
        .templates
        .parse(body.get("template").unwrap_or(&Value::Null))?;
    let body = super::writes::object(body)?;
    template.files = super::writes::files(body)?;
    let pseudo = super::template::Pseudo {
        stack_id: "None",
        stack_name: "validate",
        project_id: "",
    };
    let params = template.resolve_available(&super::writes::parameters(body)?, &pseudo)?;
    super::resources::validate_template(&template, &params)?;
    let mut parameters = Map::new();
    for p in &template.parameters {
        let kind = match p.kind {
            ParamKind::String => "String",
            ParamKind::Number => "Number",
            ParamKind::Boolean => "Boolean",
            ParamKind::CommaDelimitedList => "CommaDelimitedList",
            ParamKind::Json => "Json",
        };
        let mut schema = json!({
            "Type": kind, "Description": p.description,
            "Label": p.label.clone().unwrap_or_else(|| p.name.clone()),
            "NoEcho": if p.hidden { "true" } else { "false" },
        });
        if let (Some(default), Value::Object(map)) = (&p.default, &mut schema) {
            map.insert("Default".into(), default.clone());
        }
        parameters.insert(p.name.clone(), schema);
    }
    Ok(Reply::ok(json!({
        "Description": template.description,
        "Parameters": parameters,
        "ParameterGroups": [],
        "Environment": {"parameters": {}, "parameter_defaults": {}, "resource_registry": {"resources": {}}, "event_sinks": []},
    })))
}

fn param<'a>(query: &'a Query, key: &str) -> Option<&'a str> {
    query
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// Newest first by default, as Heat's `created_at desc`.
fn sort(state: &HeatState, chosen: &mut [StackHandle], query: &Query) -> Result<(), HeatError> {
    let key = param(query, "sort_keys").unwrap_or("creation_time");
    let descending = param(query, "sort_dir").is_none_or(|d| d != "asc");
    let field = |i: StackHandle| -> String {
        let s = state.stack(i);
        match key {
            "stack_name" | "name" => s.name.clone(),
            "stack_status" | "status" => s.stack_status(),
            "updated_time" | "updated_at" => s.updated.clone().unwrap_or_default(),
            _ => s.created.clone(),
        }
    };
    if ![
        "stack_name",
        "name",
        "stack_status",
        "status",
        "creation_time",
        "created_at",
        "updated_time",
        "updated_at",
    ]
    .contains(&key)
    {
        return Err(HeatError::bad_request(
            "HTTPBadRequest",
            format!("Sortkey {key} is not supported"),
        ));
    }
    chosen.sort_by(|&a, &b| {
        let order = field(a).cmp(&field(b)).then(a.cmp(&b));
        if descending { order.reverse() } else { order }
    });
    Ok(())
}
