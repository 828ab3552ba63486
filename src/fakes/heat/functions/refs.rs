//! `get_param`, `get_resource`, `get_attr`, `get_file`, `resource_facade`.

use serde_json::Value;

use super::python::py_repr;
use super::{ArgError, Env, Failure};
use crate::fakes::heat::errors::HeatError;

pub(super) fn check_get_attr(name: &str, args: &Value, all: bool) -> Result<(), ArgError> {
    let must_be_list = || ArgError::Type(format!("Argument to \"{name}\" must be a list"));
    if !all {
        let Value::Array(items) = args else {
            return Err(must_be_list());
        };
        if items.len() < 2 {
            return Err(ArgError::Value(format!(
                "Arguments to \"{name}\" must be of the form [resource_name, attribute, (path), ...]"
            )));
        }
        return Ok(());
    }
    if !super::python::py_truthy(args) {
        return Err(ArgError::Value(format!(
            "Arguments to \"{name}\" can be of the next forms: [resource_name] or \
             [resource_name, attribute, (path), ...]"
        )));
    }
    match args {
        Value::Array(_) => Ok(()),
        Value::String(s) if s.chars().count() == 1 => Ok(()),
        _ => Err(must_be_list()),
    }
}

pub(super) fn validate_get_attr(args: &Value, env: &Env<'_>) -> Result<(), HeatError> {
    let Some(Value::String(resource)) = args.as_array().and_then(|a| a.first()) else {
        return Ok(());
    };
    if !env.scope.has_resource(resource) {
        return Err(bad_reference(resource));
    }
    match args.get(1) {
        Some(Value::String(attribute)) if !env.scope.knows_attribute(resource, attribute) => {
            Err(HeatError::bad_request(
                "InvalidTemplateAttribute",
                format!("The Referenced Attribute ({resource} {attribute}) is incorrect."),
            ))
        }
        _ => Ok(()),
    }
}

pub(super) fn bad_reference(resource: &str) -> HeatError {
    HeatError::bad_request(
        "InvalidTemplateReference",
        format!("The specified reference \"{resource}\" (in unknown) is incorrect."),
    )
}

pub(super) fn get_param(name: &str, args: &Value, env: &Env<'_>) -> Result<Value, Failure> {
    if !super::python::py_truthy(args) {
        return Err(ArgError::Value(format!("Function \"{name}\" must have arguments")).into());
    }
    let (param, path) = match args {
        Value::String(p) => (p, &[][..]),
        Value::Array(items) => match items.split_first() {
            Some((Value::String(p), path)) => (p, path),
            _ => {
                return Err(
                    ArgError::Type(format!("Parameter name in \"{name}\" must be string")).into(),
                );
            }
        },
        _ => {
            return Err(
                ArgError::Type(format!("Argument to \"{name}\" must be string or list")).into(),
            );
        }
    };
    let value = env.scope.param(param).ok_or_else(|| {
        Failure::Refused(HeatError::bad_request(
            "UserParameterMissing",
            format!("The Parameter ({param}) was not provided."),
        ))
    })?;
    // Heat answers '' when the path does not lead anywhere.
    let mut current = value.clone();
    for key in path {
        let next = match (&current, key) {
            (Value::Object(map), Value::String(k)) => map.get(k).cloned(),
            (Value::Array(items), Value::Number(_) | Value::String(_)) => {
                let index = match key {
                    // Heat's TypeError on a bad path component is swallowed: ''.
                    Value::String(s) => s.trim().parse::<i64>().ok(),
                    other => other.as_i64(),
                };
                index.and_then(|i| pick(items, i)).cloned()
            }
            (Value::String(s), Value::Number(n)) => n.as_i64().and_then(|i| {
                pick(
                    &s.chars()
                        .map(|c| Value::String(c.into()))
                        .collect::<Vec<_>>(),
                    i,
                )
                .cloned()
            }),
            _ => None,
        };
        match next {
            Some(v) => current = v,
            None => return Ok(Value::String(String::new())),
        }
    }
    Ok(current)
}

fn pick(items: &[Value], i: i64) -> Option<&Value> {
    let len = i64::try_from(items.len()).ok()?;
    let i = if i < 0 { i.checked_add(len)? } else { i };
    items.get(usize::try_from(i).ok()?)
}

pub(super) fn get_resource(args: &Value, env: &Env<'_>) -> Result<Value, Failure> {
    let name = match args {
        Value::String(name) => name.clone(),
        other => super::py_str(other),
    };
    if !env.scope.has_resource(&name) {
        return Err(Failure::Unresolved(bad_reference(&name).message()));
    }
    Ok(env.scope.reference(&name))
}

/// `select`: 2013-05-23's `GetAttThenSelect` reads the attribute, then walks the path itself.
pub(super) fn get_attr(args: &Value, env: &Env<'_>, select: bool) -> Result<Value, Failure> {
    let (resource, attribute, path) = match args {
        Value::Array(items) => match items.as_slice() {
            [r] => (r.clone(), None, &[][..]),
            [r, a, path @ ..] => (r.clone(), Some(a.clone()), path),
            [] => return Ok(Value::Null),
        },
        Value::String(s) => (Value::String(s.clone()), None, &[][..]),
        _ => return Ok(Value::Null),
    };
    let resource = match resource {
        Value::String(r) => r,
        other => {
            return Err(Failure::Unresolved(format!(
                "unhashable type: '{}'",
                super::python::type_name(&other)
            )));
        }
    };
    if !env.scope.has_resource(&resource) {
        return Err(Failure::Unresolved(bad_reference(&resource).message()));
    }
    let attribute = match attribute {
        None => None,
        Some(Value::String(a)) => Some(a),
        Some(other) => Some(py_repr(&other)),
    };
    let unresolved = |e: HeatError| Failure::Unresolved(e.message());
    if select {
        let value = env
            .scope
            .attribute(&resource, attribute.as_deref(), &[])
            .map_err(unresolved)?;
        return Ok(crate::fakes::heat::attributes::walk(&value, path).unwrap_or(Value::Null));
    }
    env.scope
        .attribute(&resource, attribute.as_deref(), path)
        .map_err(unresolved)
}

pub(super) fn get_file(name: &str, args: &Value, env: &Env<'_>) -> Result<Value, Failure> {
    let Value::String(key) = args else {
        return Err(ArgError::Type(format!("Argument to \"{name}\" must be a string")).into());
    };
    env.files.get(key).cloned().ok_or_else(|| {
        ArgError::Value(format!(
            "No content found in the \"files\" section for {name} path: {key}"
        ))
        .into()
    })
}

/// `resource_facade` takes `metadata`, `deletion_policy` or `update_policy` (CFN: capitalised).
pub(super) fn check_facade(name: &str, args: &Value, cfn: bool) -> Result<(), ArgError> {
    let allowed: [&str; 3] = if cfn {
        ["Metadata", "DeletionPolicy", "UpdatePolicy"]
    } else {
        ["metadata", "deletion_policy", "update_policy"]
    };
    if args.as_str().is_some_and(|a| allowed.contains(&a)) {
        return Ok(());
    }
    Err(ArgError::Value(format!(
        "Incorrect arguments to \"{name}\" should be one of: {}",
        allowed.join(", ")
    )))
}

/// A stack created through the API has no parent resource: Heat fails on `None`.
pub(super) fn resource_facade() -> Result<Value, Failure> {
    Err(Failure::Unresolved(
        "'NoneType' object has no attribute 'metadata_get'".into(),
    ))
}
