//! Create, update and delete: the calls that start an operation.

use serde_json::{Map, Value, json};

use super::errors::HeatError;
use super::ids;
use super::resources::{self, Resource};
use super::stack::{Action, NewStack, Outcome, Stack};
use super::state::{HeatState, Reply, StackHandle};
use super::template::Pseudo;

/// `POST /stacks`.
pub(super) fn create(state: &mut HeatState, body: &Value) -> Result<Reply, HeatError> {
    let body = object(body)?;
    if body.contains_key("converge") {
        return Err(HeatError::bad_request(
            "HTTPBadRequest",
            "converge is not supported on create",
        ));
    }
    let name = match body.get("stack_name") {
        Some(Value::String(name)) => name.clone(),
        _ => {
            return Err(HeatError::bad_request(
                "HTTPBadRequest",
                "No stack name specified",
            ));
        }
    };
    check_name(&name)?;
    if state.live(&name).is_some() {
        return Err(HeatError::Conflict {
            kind: "StackExists",
            message: format!("The Stack ({name}) already exists."),
        });
    }
    let mut template = state.templates.parse(template_of(body)?)?;
    template.files = files(body)?;
    let given = parameters(body)?;
    let id = state.next_id(&name);
    let pseudo = Pseudo {
        stack_id: &id,
        stack_name: &name,
        project_id: &state.spec.project_id,
    };
    let params = template.resolve(&given, &pseudo)?;
    let owner = state.owner(&id, &name);
    let resources = resources::realize(&owner, &template, &params, &[])?;

    let now = ids::now();
    let mut stack = Stack::new(NewStack {
        id: id.clone(),
        name: name.clone(),
        given,
        params,
        timeout_mins: timeout(body)?,
        disable_rollback: bool_field(body, "disable_rollback")?.unwrap_or(true),
        tags: tags(body)?,
        now: now.clone(),
        template,
    });
    stack.resources = resources;
    let first = first_resource(&stack.resources);
    let run = state.run(
        &name,
        stack.generation_of(Action::Create),
        Action::Create,
        &first,
    );
    stack.start(Action::Create, run, &now);
    let base = state.base();
    let url = state.site(&base).stack_url(&stack);
    state.add(stack);
    Ok(Reply {
        status: 201,
        body: Some(json!({"stack": {"id": id, "links": [{"href": url, "rel": "self"}]}})),
        location: Some(url),
    })
}

/// `PUT` (`patch` false) or `PATCH /stacks/{name}/{id}`.
pub(super) fn update(
    state: &mut HeatState,
    index: StackHandle,
    body: &Value,
    patch: bool,
) -> Result<Reply, HeatError> {
    let body = object(body)?;
    let stack = state.stack(index);
    if stack.is_deleted() {
        return Err(HeatError::stack_not_found(&stack.name));
    }
    if stack.action == Action::Delete {
        return Err(HeatError::bad_request(
            "NotSupported",
            "Updating a stack when it is deleting is not supported.",
        ));
    }
    let existing = patch || bool_field(body, "existing")?.unwrap_or(false);
    let kept = existing.then(|| stack.template.clone());
    let mut given = if existing {
        stack.given.clone()
    } else {
        Map::new()
    };
    let (id, name) = (stack.id.clone(), stack.name.clone());
    let previous = stack.resources.clone();
    let mut template = match (body.get("template"), kept) {
        (None | Some(Value::Null), Some(kept)) => kept,
        _ => state.templates.parse(template_of(body)?)?,
    };
    if body.contains_key("files") || !existing {
        template.files = files(body)?;
    }
    given.extend(parameters(body)?);
    if let Some(Value::Array(cleared)) = body.get("clear_parameters") {
        cleared.iter().filter_map(Value::as_str).for_each(|k| {
            given.remove(k);
        });
    }
    let pseudo = Pseudo {
        stack_id: &id,
        stack_name: &name,
        project_id: &state.spec.project_id,
    };
    let params = template.resolve(&given, &pseudo)?;
    let owner = state.owner(&id, &name);
    let resources = resources::realize(&owner, &template, &params, &previous)?;

    let first = first_resource(&resources);
    let generation = state.stack(index).generation_of(Action::Update);
    let run = state.run(&name, generation, Action::Update, &first);
    let timeout = timeout(body)?;
    let disable_rollback = bool_field(body, "disable_rollback")?;
    let tags = tags(body)?;
    let stack = state.stack_mut(index);
    stack.template = template;
    stack.given = given;
    stack.params = params;
    stack.resources = resources;
    if timeout.is_some() {
        stack.timeout_mins = timeout;
    }
    if let Some(disable_rollback) = disable_rollback {
        stack.disable_rollback = disable_rollback;
    }
    if body.contains_key("tags") {
        stack.tags = tags;
    }
    stack.start(Action::Update, run, &ids::now());
    Ok(Reply {
        status: 202,
        body: Some(json!({
            "code": "202 Accepted",
            "message": "The request is accepted for processing.",
            "title": "Accepted",
        })),
        location: None,
    })
}

/// `DELETE /stacks/{name}/{id}`.
pub(super) fn delete(state: &mut HeatState, index: StackHandle) -> Result<Reply, HeatError> {
    let stack = state.stack(index);
    if stack.is_deleted() {
        return Err(HeatError::stack_not_found(&stack.name));
    }
    let (id, name) = (stack.id.clone(), stack.name.clone());
    let first = first_resource(&stack.resources);
    let generation = stack.generation_of(Action::Delete);
    let run = state.run(&name, generation, Action::Delete, &first);
    if run.outcome == Outcome::Complete {
        let resources = std::mem::take(&mut state.stack_mut(index).resources);
        resources::delete_all(&state.owner(&id, &name), &resources);
    }
    state
        .stack_mut(index)
        .start(Action::Delete, run, &ids::now());
    Ok(Reply {
        status: 204,
        body: None,
        location: None,
    })
}

/// The request body as a map (400 otherwise).
pub(super) fn object(body: &Value) -> Result<&Map<String, Value>, HeatError> {
    body.as_object().ok_or_else(|| {
        HeatError::bad_request("HTTPBadRequest", "The request body must be a JSON object")
    })
}

/// The resource a scripted failure names: the first one, or the stack itself when it has none.
fn first_resource(resources: &[Resource]) -> String {
    resources
        .first()
        .map_or("stack", |r| r.name.as_str())
        .to_string()
}

fn template_of(body: &Map<String, Value>) -> Result<&Value, HeatError> {
    match body.get("template") {
        Some(template) if !template.is_null() => Ok(template),
        _ if body.contains_key("template_url") => Err(HeatError::bad_request(
            "HTTPBadRequest",
            "heatbed's fake Heat cannot fetch template_url; send the template itself",
        )),
        _ => Err(HeatError::bad_request(
            "HTTPBadRequest",
            "No template specified",
        )),
    }
}

/// The request's `files` map (python-heatclient sends the files `get_file` names).
pub(super) fn files(body: &Map<String, Value>) -> Result<Map<String, Value>, HeatError> {
    match body.get("files") {
        None | Some(Value::Null) => Ok(Map::new()),
        Some(Value::Object(files)) => Ok(files.clone()),
        Some(_) => Err(HeatError::bad_request(
            "HTTPBadRequest",
            "files must be a map",
        )),
    }
}

/// `environment.parameters` overlaid by `parameters`.
pub(super) fn parameters(body: &Map<String, Value>) -> Result<Map<String, Value>, HeatError> {
    let mut given = Map::new();
    let environment = match body.get("environment") {
        Some(Value::String(text)) if !text.trim().is_empty() => {
            serde_saphyr::from_str::<Value>(text)
                .map_err(|e| HeatError::invalid(format!("Error parsing environment: {e}")))?
        }
        Some(other) => other.clone(),
        None => Value::Null,
    };
    for source in [environment.get("parameters"), body.get("parameters")] {
        match source {
            None | Some(Value::Null) => {}
            Some(Value::Object(map)) => given.extend(map.clone()),
            Some(_) => {
                return Err(HeatError::bad_request(
                    "HTTPBadRequest",
                    "parameters must be a map",
                ));
            }
        }
    }
    Ok(given)
}

fn check_name(name: &str) -> Result<(), HeatError> {
    let mut chars = name.chars();
    let ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
        && name.len() <= 255;
    if ok {
        return Ok(());
    }
    Err(HeatError::invalid(format!(
        "Invalid stack name {name} must contain only alphanumeric or \"_-.\" characters, must \
         start with alpha and must be 255 characters or less."
    )))
}

fn timeout(body: &Map<String, Value>) -> Result<Option<i64>, HeatError> {
    match body.get("timeout_mins") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) if n.is_i64() => Ok(n.as_i64()),
        Some(Value::String(s)) => s.trim().parse().map(Some).map_err(|_| {
            HeatError::bad_request("HTTPBadRequest", format!("Invalid timeout value {s}"))
        }),
        Some(other) => Err(HeatError::bad_request(
            "HTTPBadRequest",
            format!("Invalid timeout value {other}"),
        )),
    }
}

fn bool_field(body: &Map<String, Value>, key: &str) -> Result<Option<bool>, HeatError> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(Value::String(s)) => match s.to_lowercase().as_str() {
            "true" | "1" | "t" | "yes" | "y" | "on" => Ok(Some(true)),
            "false" | "0" | "f" | "no" | "n" | "off" => Ok(Some(false)),
            _ => Err(HeatError::bad_request(
                "HTTPBadRequest",
                format!("Unrecognized value \"{s}\" for \"{key}\""),
            )),
        },
        Some(other) => Err(HeatError::bad_request(
            "HTTPBadRequest",
            format!("Unrecognized value \"{other}\" for \"{key}\""),
        )),
    }
}

fn tags(body: &Map<String, Value>) -> Result<Option<Vec<String>>, HeatError> {
    match body.get("tags") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.split(',').map(|t| t.trim().to_string()).collect())),
        Some(Value::Array(items)) => Ok(Some(items.iter().map(super::functions::py_str).collect())),
        Some(_) => Err(HeatError::bad_request(
            "HTTPBadRequest",
            "tags must be a list or a comma-separated string",
        )),
    }
}
