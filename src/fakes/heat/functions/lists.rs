//! `map_merge`, `map_replace`, `list_concat[_unique]`, `filter`, `contains`, `repeat`.

use serde_json::{Map, Value};

use super::python::{py_eq, py_repr_200, py_str, py_truthy};
use super::{ArgError, Failure};
use crate::fakes::heat::errors::HeatError;

fn class(value: &Value) -> String {
    format!("<class '{}'>", super::python::type_name(value))
}

pub(super) fn map_merge(name: &str, args: &Value) -> Result<Value, Failure> {
    let items: Vec<Value> = match args {
        Value::Array(items) => items.clone(),
        Value::String(s) => s.chars().map(|c| Value::String(c.into())).collect(),
        _ => {
            return Err(ArgError::Type(format!(
                "Incorrect arguments to \"{name}\" should be: \"{name}\" : [ {{ \"key1\": \"val1\" }}, {{ \"key2\": \"val2\" }} ]"
            ))
            .into());
        }
    };
    let mut out = Map::new();
    for item in items {
        match item {
            Value::Null => {}
            Value::Object(map) => out.extend(map),
            other => {
                return Err(ArgError::Type(format!(
                    "Incorrect arguments: Items to merge must be maps. {} is type {} instead of a dict",
                    py_repr_200(&other),
                    class(&other)
                ))
                .into());
            }
        }
    }
    Ok(Value::Object(out))
}

pub(super) fn map_replace(name: &str, args: Value) -> Result<Value, Failure> {
    let example = format!(
        "\"{name}\" : [ {{ \"key1\": \"val1\" }}, {{\"keys\": {{\"key1\": \"key2\"}}, \"values\": {{\"val1\": \"val2\"}}}}]"
    );
    let incorrect = || {
        ArgError::Type(format!(
            "Incorrect arguments to \"{name}\" should be: {example}"
        ))
    };
    let ensure = |m: Option<Value>| -> Result<Map<String, Value>, ArgError> {
        match m {
            None | Some(Value::Null) => Ok(Map::new()),
            Some(Value::Object(map)) => Ok(map),
            Some(_) => Err(ArgError::Type(format!(
                "Incorrect arguments: to \"{name}\", arguments must be a list of maps. Example:  {example}"
            ))),
        }
    };
    let Value::Array(args) = args else {
        return Err(incorrect().into());
    };
    let mut args = args.into_iter();
    let input = ensure(Some(args.next().ok_or_else(incorrect)?))?;
    let replace = ensure(Some(args.next().ok_or_else(incorrect)?))?;
    if args.next().is_some() {
        return Err(incorrect().into());
    }
    if replace.keys().any(|k| k != "keys" && k != "values") {
        return Err(ArgError::Value(format!(
            "Incorrect arguments to \"{name}\" should be: {example}"
        ))
        .into());
    }
    let keys = ensure(replace.get("keys").cloned())?;
    let values = ensure(replace.get("values").cloned())?;
    let mut out = Map::new();
    for (k, v) in input.iter() {
        let key = match keys.get(k) {
            None | Some(Value::Null) => k.clone(),
            Some(new) => {
                let new = py_str(new);
                if input.contains_key(&new) && new != *k {
                    return Err(ArgError::Value(format!(
                        "key replacement {new} collides with a key in the input map"
                    ))
                    .into());
                }
                if out.contains_key(&new) {
                    return Err(ArgError::Value(format!(
                        "key replacement {new} collides with a key in the output map"
                    ))
                    .into());
                }
                new
            }
        };
        let value = match v {
            Value::String(s) => values.get(s).cloned().unwrap_or_else(|| v.clone()),
            other => other.clone(),
        };
        out.insert(key, value);
    }
    Ok(Value::Object(out))
}

pub(super) fn list_concat(name: &str, args: &Value, unique: bool) -> Result<Value, Failure> {
    let Value::Array(lists) = args else {
        return Err(ArgError::Type(format!(
            "Incorrect arguments to \"{name}\" should be: \"{name}\" : [ [ <value 1>, <value 2> ], [ <value 3>, <value 4> ] ]"
        ))
        .into());
    };
    let mut out: Vec<Value> = Vec::new();
    for list in lists {
        match list {
            Value::Null => {}
            Value::Array(items) => out.extend(items.iter().cloned()),
            other => {
                return Err(ArgError::Type(format!(
                    "Incorrect arguments: Items to concat must be lists. {} contains an item that is not a list: {}",
                    crate::encoding::python_json(args, false),
                    crate::encoding::python_json(other, false)
                ))
                .into());
            }
        }
    }
    if unique {
        let mut kept: Vec<Value> = Vec::new();
        for item in out {
            if !kept.iter().any(|k| py_eq(k, &item)) {
                kept.push(item);
            }
        }
        out = kept;
    }
    Ok(Value::Array(out))
}

pub(super) fn check_filter(name: &str, args: &Value) -> Result<(), ArgError> {
    let Value::Array(items) = args else {
        return Err(ArgError::Type(format!(
            "Argument to \"{name}\" must be a list"
        )));
    };
    if items.len() != 2 {
        return Err(ArgError::Value(format!(
            "\"{name}\" expected 2 arguments of the form [values, sequence] but got {} arguments instead",
            items.len()
        )));
    }
    Ok(())
}

pub(super) fn filter(name: &str, args: &Value) -> Result<Value, Failure> {
    let (values, sequence) = (&args[0], &args[1]);
    if !py_truthy(sequence) {
        return Ok(sequence.clone());
    }
    let Value::Array(sequence) = sequence else {
        return Err(ArgError::Type(format!("\"{name}\" only works with lists")).into());
    };
    if !py_truthy(values) {
        return Ok(Value::Array(sequence.clone()));
    }
    let Value::Array(values) = values else {
        return Err(ArgError::Type(format!("\"{name}\" filters a list of values")).into());
    };
    Ok(Value::Array(
        sequence
            .iter()
            .filter(|i| !values.iter().any(|v| py_eq(v, i)))
            .cloned()
            .collect(),
    ))
}

pub(super) fn check_contains(name: &str, args: &Value) -> Result<(), ArgError> {
    let Value::Array(items) = args else {
        return Err(ArgError::Type(format!(
            "Incorrect arguments to \"{name}\" should be: \"{name}\" : [ \"value1\", [ \"value1\", \"value2\"]]"
        )));
    };
    if items.is_empty() {
        return Err(ArgError::Type(format!(
            "Incorrect arguments to \"{name}\" should be: \"{name}\" : [ \"value1\", [ \"value1\", \"value2\"]]"
        )));
    }
    if items.len() != 2 {
        return Err(ArgError::Value(format!(
            "Arguments to \"{name}\" must be of the form: [value1, [value1, value2]]"
        )));
    }
    Ok(())
}

pub(super) fn contains(name: &str, args: &Value) -> Result<Value, Failure> {
    let (value, sequence) = (&args[0], &args[1]);
    match (value, sequence) {
        (_, Value::Array(items)) => Ok(Value::Bool(items.iter().any(|i| py_eq(i, value)))),
        (Value::String(v), Value::String(s)) => Ok(Value::Bool(s.contains(v.as_str()))),
        (other, Value::String(_)) => Err(ArgError::Type(format!(
            "'in <string>' requires string as left operand, not {}",
            super::python::type_name(other)
        ))
        .into()),
        _ => Err(ArgError::Type(format!(
            "Second argument to \"{name}\" should be a sequence."
        ))
        .into()),
    }
}

pub(super) fn check_repeat(name: &str, args: &Value, permutations: bool) -> Result<(), ArgError> {
    let Value::Object(map) = args else {
        return Err(ArgError::Type(format!(
            "Arguments to \"{name}\" must be a map"
        )));
    };
    if !map.contains_key("for_each") || !map.contains_key("template") {
        return Err(ArgError::Key(
            "\"repeat\" syntax should be repeat:\n              template: This is %var%\n              for_each:\n                %var%: ['a', 'b', 'c']".into(),
        ));
    }
    if permutations && !matches!(map.get("permutations"), None | Some(Value::Bool(_))) {
        return Err(ArgError::Type(format!(
            "\"permutations\" should be boolean type for {name} function."
        )));
    }
    Ok(())
}

pub(super) fn validate_repeat(name: &str, args: &Value) -> Result<(), HeatError> {
    match args.get("for_each") {
        Some(Value::Object(_)) => Ok(()),
        _ => Err(HeatError::invalid(format!(
            "The \"for_each\" argument to \"{name}\" must contain a map"
        ))),
    }
}

pub(super) fn repeat(
    name: &str,
    args: &Value,
    maps: bool,
    permutations: bool,
) -> Result<Value, Failure> {
    let nested = !permutations
        || args
            .get("permutations")
            .and_then(Value::as_bool)
            .unwrap_or(true);
    let Some(Value::Object(for_each)) = args.get("for_each") else {
        return Err(Failure::Unresolved(
            "'NoneType' object has no attribute 'items'".into(),
        ));
    };
    if for_each.is_empty() {
        return Err(
            ArgError::Value("not enough values to unpack (expected 2, got 0)".into()).into(),
        );
    }
    let lists_only = !maps || !nested;
    let mut keys = Vec::new();
    let mut values: Vec<Vec<Value>> = Vec::new();
    let mut lengths = Vec::new();
    for (key, list) in for_each {
        keys.push(key.as_str());
        let items = match list {
            Value::Null => {
                values.push(Vec::new());
                continue;
            }
            Value::Array(items) => items.clone(),
            Value::Object(map) if !lists_only => {
                map.keys().map(|k| Value::String(k.clone())).collect()
            }
            _ => {
                let what = if lists_only { "lists" } else { "lists or maps" };
                return Err(ArgError::Type(format!(
                    "The values of the \"for_each\" argument to \"{name}\" must be {what}"
                ))
                .into());
            }
        };
        lengths.push(items.len());
        values.push(items);
    }
    if !nested && lengths.windows(2).any(|w| w[0] != w[1]) {
        return Err(ArgError::Value(format!(
            "For {name}, the length of for_each values should be equal if no nested loop."
        ))
        .into());
    }
    let template = args.get("template").cloned().unwrap_or(Value::Null);
    let rows = if nested {
        product(&values)
    } else {
        zip(&values)
    };
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        out.push(substitute(&keys, &row, &template)?);
    }
    Ok(Value::Array(out))
}

fn product(values: &[Vec<Value>]) -> Vec<Vec<Value>> {
    let mut rows: Vec<Vec<Value>> = vec![Vec::new()];
    for list in values {
        let mut next = Vec::with_capacity(rows.len() * list.len());
        for row in &rows {
            for item in list {
                let mut r = row.clone();
                r.push(item.clone());
                next.push(r);
            }
        }
        rows = next;
    }
    rows
}

fn zip(values: &[Vec<Value>]) -> Vec<Vec<Value>> {
    let len = values.iter().map(Vec::len).min().unwrap_or(0);
    (0..len)
        .map(|i| values.iter().map(|l| l[i].clone()).collect())
        .collect()
}

/// Heat's `_do_replacement`: in strings each key in turn, in lists and maps (keys too) deeply.
fn substitute(keys: &[&str], row: &[Value], template: &Value) -> Result<Value, Failure> {
    Ok(match template {
        Value::String(text) => {
            let mut text = text.clone();
            for (key, value) in keys.iter().zip(row) {
                let Value::String(value) = value else {
                    return Err(ArgError::Type(format!(
                        "replace() argument 2 must be str, not {}",
                        super::python::type_name(value)
                    ))
                    .into());
                };
                text = python_replace(&text, key, value);
            }
            Value::String(text)
        }
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|i| substitute(keys, row, i))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(map) => {
            let mut out = Map::new();
            for (k, v) in map {
                let key = match substitute(keys, row, &Value::String(k.clone()))? {
                    Value::String(s) => s,
                    other => py_str(&other),
                };
                out.insert(key, substitute(keys, row, v)?);
            }
            Value::Object(out)
        }
        other => other.clone(),
    })
}

/// Python's `str.replace`: an empty key inserts the value between every character.
fn python_replace(text: &str, key: &str, value: &str) -> String {
    if !key.is_empty() {
        return text.replace(key, value);
    }
    let mut out = String::from(value);
    for c in text.chars() {
        out.push(c);
        out.push_str(value);
    }
    out
}
