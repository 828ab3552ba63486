//! The three walks over a value: [`parse`], [`validate`], [`resolve`] (see the module above).

use serde_json::{Map, Value};

use super::versions::{self, Kind};
use super::{ArgError, Env, Failure, cfn, conditions, lists, refs, text, url};
use crate::fakes::heat::errors::HeatError;

/// The function a one-key map is, in the version's table (`condition`: the condition table).
pub(super) fn function_of<'v>(
    map: &'v Map<String, Value>,
    date: &str,
    condition: bool,
) -> Option<(&'v str, Kind, &'v Value)> {
    if map.len() != 1 {
        return None;
    }
    let (name, args) = map.iter().next()?;
    let kind = if condition {
        versions::condition_function(date, name)
    } else {
        versions::function(date, name)
    }?;
    Some((name.as_str(), kind, args))
}

/// Heat's `template.parse`: argument shapes, innermost first; `if` parses only its branch.
pub(in crate::fakes::heat) fn parse(
    value: &Value,
    path: &str,
    env: &Env<'_>,
    condition: bool,
) -> Result<(), HeatError> {
    match value {
        Value::Object(map) => {
            if let Some((name, kind, args)) = function_of(map, env.date, condition) {
                let at = format!("{path}.{name}");
                let refused = |e: ArgError| HeatError::invalid(format!("{at}: {}", e.message()));
                return match kind {
                    Kind::If { nullable } => {
                        match conditions::branch(args, nullable, env).map_err(|e| match e {
                            Failure::Refused(error) => error,
                            Failure::Unresolved(m) => HeatError::invalid(format!("{at}: {m}")),
                        })? {
                            Some(chosen) => parse(chosen, &at, env, condition),
                            None => Ok(()),
                        }
                    }
                    Kind::Invalid => Err(refused(ArgError::Value(format!(
                        "The function \"{name}\" is invalid in this context"
                    )))),
                    _ => {
                        parse(args, &at, env, condition)?;
                        check(kind, name, args).map_err(refused)
                    }
                };
            }
            map.iter()
                .try_for_each(|(k, v)| parse(v, &format!("{path}.{k}"), env, condition))
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .try_for_each(|(i, v)| parse(v, &format!("{path}[{i}]"), env, condition)),
        _ => Ok(()),
    }
}

/// A function's constructor checks.
fn check(kind: Kind, name: &str, args: &Value) -> Result<(), ArgError> {
    match kind {
        Kind::GetAttr { all, .. } => refs::check_get_attr(name, args, all),
        Kind::ResourceFacade => refs::check_facade(name, args, false),
        Kind::ListJoin { multiple } => text::check_join(name, args, multiple),
        Kind::StrReplace { .. } => text::check_replace(name, args).map(drop),
        Kind::StrSplit => text::check_split(name, args),
        Kind::Repeat { permutations, .. } => lists::check_repeat(name, args, permutations),
        Kind::MapMerge | Kind::MapReplace | Kind::ListConcat { .. } | Kind::Digest => Ok(()),
        Kind::Filter => lists::check_filter(name, args),
        Kind::Contains => lists::check_contains(name, args),
        Kind::Equals => conditions::check_equals(name, args),
        Kind::Not | Kind::And | Kind::Or => conditions::check_boolean(kind, name, args),
        Kind::Yaql => text::check_yaql(name, args),
        Kind::Cfn(f) => cfn::check(f, name, args),
        _ => Ok(()),
    }
}

/// Heat's `function.validate`: each function's arguments (their path afresh), then the
/// function; a failure is `StackValidationFailed` with the path to the function.
pub(in crate::fakes::heat) fn validate(
    value: &Value,
    path: &[&str],
    env: &Env<'_>,
) -> Result<(), HeatError> {
    let mut owned: Vec<String> = path.iter().map(|p| (*p).to_string()).collect();
    validate_at(value, &mut owned, env)
}

fn validate_at(value: &Value, path: &mut Vec<String>, env: &Env<'_>) -> Result<(), HeatError> {
    match value {
        Value::Object(map) => {
            if let Some((name, kind, args)) = function_of(map, env.date, false) {
                return validate_function(name, kind, args, env).map_err(|e| {
                    let mut at = path.clone();
                    at.push(name.into());
                    HeatError::invalid(format!("{}: {}", heat_path(&at), e.message()))
                });
            }
            for (key, item) in map {
                path.push(key.clone());
                validate_at(item, path, env)?;
                path.pop();
            }
            Ok(())
        }
        Value::Array(items) => {
            let parent = path.pop().unwrap_or_default();
            for (i, item) in items.iter().enumerate() {
                path.push(format!("{parent}[{i}]"));
                validate_at(item, path, env)?;
                path.pop();
            }
            path.push(parent);
            Ok(())
        }
        _ => Ok(()),
    }
}

fn validate_function(name: &str, kind: Kind, args: &Value, env: &Env<'_>) -> Result<(), HeatError> {
    if let Kind::If { nullable } = kind {
        // Only the chosen branch exists once parsed.
        return match conditions::branch(args, nullable, env) {
            Ok(Some(chosen)) => validate_at(chosen, &mut Vec::new(), env),
            _ => Ok(()),
        };
    }
    validate_at(args, &mut Vec::new(), env)?;
    match kind {
        Kind::GetAttr { .. } => refs::validate_get_attr(args, env),
        Kind::Removed => Err(HeatError::bad_request(
            "InvalidTemplateVersion",
            format!(
                "The template version is invalid: The function {name} is not supported in \
                 this version of HOT."
            ),
        )),
        Kind::Repeat { .. } => lists::validate_repeat(name, args),
        Kind::MakeUrl => url::validate_url(name, args),
        Kind::Yaql => Err(HeatError::invalid(format!(
            "\"{name}\" is not supported by heatbed's fake Heat (expression: {})",
            args.get("expression")
                .map_or_else(String::new, super::py_str)
        ))),
        _ => Ok(()),
    }
}

/// `HeatExceptionWithPath`'s rendering: items joined by dots, digits as `[i]`.
pub(super) fn heat_path(path: &[String]) -> String {
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

/// Heat's `function.resolve`: the value, every function evaluated.
pub(in crate::fakes::heat) fn resolve(value: &Value, env: &Env<'_>) -> Result<Value, Failure> {
    Ok(resolve_item(value, env, false)?.unwrap_or(Value::Null))
}

/// `None`: an `if` without a false branch chose to leave its item out.
pub(super) fn resolve_item(
    value: &Value,
    env: &Env<'_>,
    condition: bool,
) -> Result<Option<Value>, Failure> {
    match value {
        Value::Object(map) => {
            if let Some((name, kind, args)) = function_of(map, env.date, condition) {
                if let Kind::If { nullable } = kind {
                    return match conditions::branch(args, nullable, env)? {
                        Some(chosen) => resolve_item(chosen, env, condition),
                        None => Ok(None),
                    };
                }
                let args = resolve_args(kind, args, env, condition)?;
                return call(kind, name, args, env).map(Some);
            }
            let mut out = Map::new();
            for (k, v) in map {
                if let Some(v) = resolve_item(v, env, condition)? {
                    out.insert(k.clone(), v);
                }
            }
            Ok(Some(Value::Object(out)))
        }
        Value::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for v in items {
                if let Some(v) = resolve_item(v, env, condition)? {
                    out.push(v);
                }
            }
            Ok(Some(Value::Array(out)))
        }
        other => Ok(Some(other.clone())),
    }
}

/// The arguments, resolved (in the condition table for the boolean functions' conditions).
fn resolve_args(
    kind: Kind,
    args: &Value,
    env: &Env<'_>,
    condition: bool,
) -> Result<Value, Failure> {
    let inner = condition || matches!(kind, Kind::Not | Kind::And | Kind::Or);
    Ok(resolve_item(args, env, inner)?.unwrap_or(Value::Null))
}

fn call(kind: Kind, name: &str, args: Value, env: &Env<'_>) -> Result<Value, Failure> {
    match kind {
        Kind::GetParam => refs::get_param(name, &args, env),
        Kind::GetResource => refs::get_resource(&args, env),
        Kind::GetAttr { select, .. } => refs::get_attr(&args, env, select),
        Kind::GetFile => refs::get_file(name, &args, env),
        Kind::ResourceFacade => refs::resource_facade(),
        Kind::ListJoin { multiple } => text::list_join(name, &args, multiple),
        Kind::StrReplace {
            json,
            strict,
            allow_empty,
        } => text::str_replace(name, &args, json, strict, allow_empty),
        Kind::StrSplit => text::str_split(name, args),
        Kind::Digest => text::digest(name, &args),
        Kind::MakeUrl => url::make_url(name, &args),
        Kind::Repeat { maps, permutations } => lists::repeat(name, &args, maps, permutations),
        Kind::MapMerge => lists::map_merge(name, &args),
        Kind::MapReplace => lists::map_replace(name, args),
        Kind::ListConcat { unique } => lists::list_concat(name, &args, unique),
        Kind::Filter => lists::filter(name, &args),
        Kind::Contains => lists::contains(name, &args),
        Kind::Equals => conditions::equals(&args),
        Kind::Not | Kind::And | Kind::Or => conditions::boolean(kind, &args, env),
        Kind::Cfn(f) => cfn::call(f, name, args, env),
        Kind::Yaql | Kind::Removed | Kind::Invalid | Kind::If { .. } => Err(Failure::Unresolved(
            format!("\"{name}\" cannot be resolved by heatbed's fake Heat"),
        )),
    }
}
