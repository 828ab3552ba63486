//! HOT intrinsic functions (`get_param`, `get_resource`, `get_attr`, `str_replace`,
//! `list_join`) evaluated with Heat's encoding rules: scalars as Python's `str` (so `True`,
//! `1.0`), and, from 2015-10-15 on, maps and lists as `json.dumps(sort_keys=True)`.
//!
//! Other function names (`get_file`, `repeat`, ...) are left as data: the ESI templates do not
//! use them.

use serde_json::{Map, Value};

use super::errors::HeatError;

/// What functions can see: parameters, and the resources of the stack.
pub(super) trait Scope {
    /// The typed value of a parameter (pseudo-parameters included).
    fn param(&self, name: &str) -> Option<&Value>;
    /// Whether the template declares the resource.
    fn has_resource(&self, name: &str) -> bool;
    /// Whether `get_attr [resource, attribute]` passes Heat's validation (the resource's type
    /// has the attribute).
    fn knows_attribute(&self, resource: &str, attribute: &str) -> bool;
    /// `get_resource`: the resource's reference id (its physical id, or null before creation).
    fn reference(&self, name: &str) -> Value;
    /// `get_attr`: one attribute with `path` walked into it, or with `None` the map of all.
    fn attribute(
        &self,
        resource: &str,
        attribute: Option<&str>,
        path: &[Value],
    ) -> Result<Value, HeatError>;
}

/// The function names evaluated here.
const FUNCTIONS: [&str; 5] = [
    "get_param",
    "get_resource",
    "get_attr",
    "str_replace",
    "list_join",
];

/// Evaluates every function in `value`, innermost first.
pub(super) fn evaluate(value: &Value, scope: &dyn Scope, modern: bool) -> Result<Value, HeatError> {
    match value {
        Value::Object(map) => {
            if let Some((name, args)) = function(map) {
                let args = evaluate(args, scope, modern)?;
                return call(name, &args, scope, modern);
            }
            map.iter()
                .map(|(k, v)| Ok((k.clone(), evaluate(v, scope, modern)?)))
                .collect::<Result<Map<_, _>, _>>()
                .map(Value::Object)
        }
        Value::Array(items) => items
            .iter()
            .map(|v| evaluate(v, scope, modern))
            .collect::<Result<_, _>>()
            .map(Value::Array),
        other => Ok(other.clone()),
    }
}

/// Validates the functions in `value` at `path` as Heat's `function.validate` does: a
/// function's arguments first (their path starting afresh), then the function itself; a
/// failure is `StackValidationFailed` with the path to the function prefixed to the message.
pub(super) fn validate(value: &Value, path: &[&str], scope: &dyn Scope) -> Result<(), HeatError> {
    let mut owned: Vec<String> = path.iter().map(|p| (*p).to_string()).collect();
    validate_at(value, &mut owned, scope)
}

fn validate_at(value: &Value, path: &mut Vec<String>, scope: &dyn Scope) -> Result<(), HeatError> {
    match value {
        Value::Object(map) => {
            if let Some((name, args)) = function(map) {
                return validate_function(name, args, scope).map_err(|e| {
                    let mut at = path.clone();
                    at.push(name.into());
                    HeatError::invalid(format!("{}: {}", heat_path(&at), e.message()))
                });
            }
            for (key, item) in map {
                path.push(key.clone());
                validate_at(item, path, scope)?;
                path.pop();
            }
            Ok(())
        }
        Value::Array(items) => {
            let parent = path.pop().unwrap_or_default();
            for (i, item) in items.iter().enumerate() {
                path.push(format!("{parent}[{i}]"));
                validate_at(item, path, scope)?;
                path.pop();
            }
            path.push(parent);
            Ok(())
        }
        _ => Ok(()),
    }
}

fn validate_function(name: &str, args: &Value, scope: &dyn Scope) -> Result<(), HeatError> {
    validate_at(args, &mut Vec::new(), scope)?;
    if name != "get_attr" {
        return Ok(());
    }
    let Some(Value::String(resource)) = args.as_array().and_then(|a| a.first()) else {
        return Ok(());
    };
    if !scope.has_resource(resource) {
        return Err(bad_reference(resource));
    }
    match args.get(1) {
        Some(Value::String(attribute)) if !scope.knows_attribute(resource, attribute) => {
            Err(HeatError::bad_request(
                "InvalidTemplateAttribute",
                format!("The Referenced Attribute ({resource} {attribute}) is incorrect."),
            ))
        }
        _ => Ok(()),
    }
}

/// `HeatExceptionWithPath`'s rendering: items joined by dots, digits as `[i]`.
fn heat_path(path: &[String]) -> String {
    let mut out = String::new();
    for item in path {
        if !item.is_empty() && item.bytes().all(|b| b.is_ascii_digit()) {
            out.push_str(&format!("[{item}]"));
        } else if out.is_empty() {
            out.push_str(item);
        } else {
            out.push('.');
            out.push_str(item);
        }
    }
    out
}

/// The resources `value` refers to through `get_resource` and `get_attr`.
pub(super) fn references(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            match function(map) {
                Some(("get_resource", Value::String(r))) => out.push(r.clone()),
                Some(("get_attr", Value::Array(args))) => {
                    if let Some(Value::String(r)) = args.first() {
                        out.push(r.clone());
                    }
                }
                _ => {}
            }
            map.values().for_each(|v| references(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| references(v, out)),
        _ => {}
    }
}

/// Python's `str()` of a scalar (`None` → `''`, `True`, `1.0`); maps and lists as `json.dumps`.
pub(crate) fn py_str(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Number(n) => crate::encoding::python_number(n),
        Value::String(s) => s.clone(),
        Value::Array(_) | Value::Object(_) => py_json(value),
    }
}

/// `json.dumps(value, sort_keys=True)` of CPython: `", "` and `": "` separators, ASCII only.
pub(crate) fn py_json(value: &Value) -> String {
    crate::encoding::python_json(value, true)
}

fn function(map: &Map<String, Value>) -> Option<(&'static str, &Value)> {
    if map.len() != 1 {
        return None;
    }
    let (key, args) = map.iter().next()?;
    FUNCTIONS.iter().find(|f| **f == key).map(|f| (*f, args))
}

fn call(name: &str, args: &Value, scope: &dyn Scope, modern: bool) -> Result<Value, HeatError> {
    match name {
        "get_param" => get_param(args, scope),
        "get_resource" => get_resource(args, scope),
        "get_attr" => get_attr(args, scope, modern),
        "str_replace" => str_replace(args, modern),
        _ => list_join(args, modern),
    }
}

fn get_param(args: &Value, scope: &dyn Scope) -> Result<Value, HeatError> {
    let (name, path) = match args {
        Value::String(name) => (name.as_str(), &[][..]),
        Value::Array(items) => match items.split_first() {
            Some((Value::String(name), path)) => (name.as_str(), path),
            _ => return Err(arguments("get_param")),
        },
        _ => return Err(arguments("get_param")),
    };
    let value = scope.param(name).ok_or_else(|| {
        HeatError::bad_request(
            "UserParameterMissing",
            format!("The Parameter ({name}) was not provided."),
        )
    })?;
    // Heat swallows KeyError/IndexError/TypeError on the path and answers ''.
    Ok(walk(value, path).unwrap_or_else(|| Value::String(String::new())))
}

fn get_resource(args: &Value, scope: &dyn Scope) -> Result<Value, HeatError> {
    let Value::String(name) = args else {
        return Err(arguments("get_resource"));
    };
    if !scope.has_resource(name) {
        return Err(bad_reference(name));
    }
    Ok(scope.reference(name))
}

fn get_attr(args: &Value, scope: &dyn Scope, modern: bool) -> Result<Value, HeatError> {
    let Some((Value::String(resource), rest)) = args.as_array().and_then(|a| a.split_first())
    else {
        return Err(arguments("get_attr"));
    };
    if !scope.has_resource(resource) {
        return Err(bad_reference(resource));
    }
    let Some((attribute, path)) = rest.split_first() else {
        if modern {
            return scope.attribute(resource, None, &[]);
        }
        return Err(arguments("get_attr"));
    };
    let Value::String(attribute) = attribute else {
        return Err(arguments("get_attr"));
    };
    scope.attribute(resource, Some(attribute), path)
}

fn str_replace(args: &Value, modern: bool) -> Result<Value, HeatError> {
    let (Some(Value::String(template)), Some(Value::Object(params))) =
        (args.get("template"), args.get("params"))
    else {
        return Err(HeatError::invalid(
            "str_replace: Arguments to \"str_replace\" must be a map with \"template\" (a string) and \"params\" (a map)",
        ));
    };
    let mut keys: Vec<(&String, String)> = Vec::new();
    for (key, value) in params {
        if !modern && matches!(value, Value::Array(_) | Value::Object(_)) {
            return Err(HeatError::invalid(format!(
                "str_replace: \"str_replace\" params must be strings or numbers, param {key} is not valid"
            )));
        }
        keys.push((key, py_str(value)));
    }
    // Longest key first, ties in lexicographic order; replaced text is not scanned again.
    keys.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(b.0)));
    Ok(Value::String(replace(template, &keys)))
}

fn replace(text: &str, keys: &[(&String, String)]) -> String {
    match keys.split_first() {
        None => text.to_string(),
        Some(((key, _), rest)) if key.is_empty() => replace(text, rest),
        Some(((key, value), rest)) => text
            .split(key.as_str())
            .map(|part| replace(part, rest))
            .collect::<Vec<_>>()
            .join(value),
    }
}

fn list_join(args: &Value, modern: bool) -> Result<Value, HeatError> {
    let Some((Value::String(delimiter), lists)) = args.as_array().and_then(|a| a.split_first())
    else {
        return Err(arguments("list_join"));
    };
    if lists.is_empty() || (!modern && lists.len() != 1) {
        return Err(arguments("list_join"));
    }
    let mut items = Vec::new();
    for list in lists {
        let Value::Array(list) = list else {
            return Err(arguments("list_join"));
        };
        for item in list {
            if !modern && matches!(item, Value::Array(_) | Value::Object(_)) {
                return Err(HeatError::invalid(
                    "list_join: Items to join must be strings not a list or a map",
                ));
            }
            items.push(py_str(item));
        }
    }
    Ok(Value::String(items.join(delimiter)))
}

/// Follows `path` (map keys, list indexes) into `value`.
fn walk(value: &Value, path: &[Value]) -> Option<Value> {
    let mut current = value;
    for step in path {
        current = match (current, step) {
            (Value::Object(map), Value::String(key)) => map.get(key)?,
            (Value::Array(items), Value::Number(n)) => {
                items.get(usize::try_from(n.as_u64()?).ok()?)?
            }
            (Value::Array(items), Value::String(s)) => items.get(s.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(current.clone())
}

fn arguments(function: &str) -> HeatError {
    HeatError::invalid(format!(
        "{function}: Arguments to \"{function}\" are invalid"
    ))
}

fn bad_reference(resource: &str) -> HeatError {
    HeatError::bad_request(
        "InvalidTemplateReference",
        format!("The specified reference \"{resource}\" (in unknown) is incorrect."),
    )
}

#[cfg(test)]
mod tests;
