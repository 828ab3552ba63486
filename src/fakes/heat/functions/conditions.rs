//! `if`, `equals`, `not`, `and`, `or`, and the `conditions` section: named conditions resolve
//! lazily, once each, a cycle is refused; `condition` keys of resources and outputs.

use serde_json::Value;

use super::engine::{parse, resolve_item};
use super::python::{py_eq, py_repr};
use super::versions::Kind;
use super::{ArgError, Env, Failure};
use crate::fakes::heat::errors::HeatError;

/// The branch an `if` picks (`None`: the omitted false branch of 2021-04-16).
pub(super) fn branch<'v>(
    args: &'v Value,
    nullable: bool,
    env: &Env<'_>,
) -> Result<Option<&'v Value>, Failure> {
    let usage = || {
        Failure::Unresolved(
            "Arguments to \"if\" must be of the form: [condition_name, value_if_true, \
             value_if_false]"
                .into(),
        )
    };
    let Value::Array(items) = args else {
        return Err(usage());
    };
    let fits = if nullable {
        (2..=3).contains(&items.len())
    } else {
        items.len() == 3
    };
    if !fits {
        return Err(usage());
    }
    parse(&items[0], "if", env, true)?;
    let condition = resolve_item(&items[0], env, true)?.unwrap_or(Value::Null);
    if truth(&condition, env)? {
        Ok(Some(&items[1]))
    } else {
        Ok(items.get(2))
    }
}

/// Heat's `Conditions.is_enabled` of a resolved condition: a bool, `None` (true), or a name.
fn truth(condition: &Value, env: &Env<'_>) -> Result<bool, Failure> {
    match condition {
        Value::Bool(b) => Ok(*b),
        Value::Null => Ok(true),
        Value::String(name) if env.conditions.contains_key(name) => named(name, env),
        other => Err(Failure::Unresolved(format!(
            "Invalid condition \"{}\"",
            match other {
                Value::String(s) => s.clone(),
                v => py_repr(v),
            }
        ))),
    }
}

/// A named condition, resolved (a cycle is refused).
fn named(name: &str, env: &Env<'_>) -> Result<bool, Failure> {
    if env.resolving.borrow().iter().any(|n| n == name) {
        return Err(Failure::Refused(HeatError::invalid(format!(
            "Condition validation error: Circular definition for condition \"{name}\""
        ))));
    }
    let definition = &env.conditions[name];
    check_definition(name, definition, env)?;
    env.resolving.borrow_mut().push(name.to_string());
    let resolved = resolve_item(definition, env, true);
    env.resolving.borrow_mut().pop();
    match resolved?.unwrap_or(Value::Null) {
        Value::Bool(b) => Ok(b),
        other => Err(Failure::Refused(invalid_definition(name, &other))),
    }
}

fn check_definition(name: &str, definition: &Value, env: &Env<'_>) -> Result<(), HeatError> {
    let is_function = matches!(definition, Value::Object(m)
        if super::engine::function_of(m, env.date, true).is_some());
    if matches!(definition, Value::Bool(_)) || is_function {
        return Ok(());
    }
    Err(invalid_definition(name, definition))
}

fn invalid_definition(name: &str, definition: &Value) -> HeatError {
    let shown = match definition {
        Value::String(s) => s.clone(),
        other => py_repr(other),
    };
    HeatError::invalid(format!(
        "Condition validation error: The definition of condition \"{name}\" is invalid: {shown}"
    ))
}

/// The `conditions` section at create: each definition parsed (path `conditions.<name>`) and
/// of a valid type, as Heat's `Conditions.validate` checks before anything resolves.
pub(in crate::fakes::heat) fn validate_section(env: &Env<'_>) -> Result<(), HeatError> {
    for (name, definition) in env.conditions {
        parse(definition, &format!("conditions.{name}"), env, true)?;
    }
    for (name, definition) in env.conditions {
        check_definition(name, definition, env)?;
    }
    Ok(())
}

/// Whether a resource's or an output's `condition` (at `path`) holds.
pub(in crate::fakes::heat) fn enabled(
    condition: Option<&Value>,
    path: &str,
    env: &Env<'_>,
) -> Result<bool, HeatError> {
    let Some(condition) = condition else {
        return Ok(true);
    };
    parse(condition, path, env, true)?;
    let result =
        resolve_item(condition, env, true).and_then(|c| truth(&c.unwrap_or(Value::Null), env));
    match result {
        Ok(b) => Ok(b),
        Err(Failure::Refused(error)) => Err(error),
        Err(Failure::Unresolved(message)) => Err(HeatError::invalid(format!("{path}: {message}"))),
    }
}

pub(super) fn check_equals(name: &str, args: &Value) -> Result<(), ArgError> {
    match args {
        Value::Array(items) if items.len() == 2 => Ok(()),
        _ => Err(ArgError::Value(format!(
            "Arguments to \"{name}\" must be of the form: [value_1, value_2]"
        ))),
    }
}

pub(super) fn equals(args: &Value) -> Result<Value, Failure> {
    Ok(Value::Bool(py_eq(&args[0], &args[1])))
}

pub(super) fn check_boolean(kind: Kind, name: &str, args: &Value) -> Result<(), ArgError> {
    if kind == Kind::Not {
        return match args {
            Value::Null => Err(ArgError::Value(format!(
                "Argument to \"{name}\" must be a condition"
            ))),
            _ => Ok(()),
        };
    }
    match args {
        Value::Array(items) if items.len() >= 2 => Ok(()),
        Value::Array(_) => Err(ArgError::Value(format!(
            "The minimum number of condition arguments to \"{name}\" is 2."
        ))),
        _ => Err(ArgError::Value(format!(
            "Arguments to \"{name}\" must be a list of conditions"
        ))),
    }
}

pub(super) fn boolean(kind: Kind, args: &Value, env: &Env<'_>) -> Result<Value, Failure> {
    let items = match (kind, args) {
        (Kind::Not, one) => return Ok(Value::Bool(!truth(one, env)?)),
        (_, Value::Array(items)) => items,
        _ => return Ok(Value::Bool(kind == Kind::And)),
    };
    for item in items {
        let t = truth(item, env)?;
        if kind == Kind::And && !t {
            return Ok(Value::Bool(false));
        }
        if kind == Kind::Or && t {
            return Ok(Value::Bool(true));
        }
    }
    Ok(Value::Bool(kind == Kind::And))
}
