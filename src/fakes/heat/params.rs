//! Parameter values: converted to their declared type as Heat's parameter classes do, and
//! printed as stack show prints them (Python's `str`).

use serde_json::{Map, Value};

use super::errors::HeatError;
use super::functions::py_str;
use super::template::{ParamDecl, ParamKind};

/// Converts a given value to the declared type, as Heat's parameter classes do.
pub(super) fn coerce(decl: &ParamDecl, value: Value) -> Result<Value, HeatError> {
    let invalid =
        |why: String| HeatError::invalid(format!("Parameter '{}' is invalid: {why}", decl.name));
    Ok(match (decl.kind, value) {
        (ParamKind::String, Value::String(s)) => Value::String(s),
        (ParamKind::String, other) => Value::String(py_repr(&other)),
        (ParamKind::Number, Value::Number(n)) => Value::Number(n),
        (ParamKind::Number, Value::String(s)) => parse_number(s.trim())
            .ok_or_else(|| invalid(format!("could not convert string to float: {s}")))?,
        (ParamKind::Number, other) => {
            return Err(invalid(format!(
                "Value '{}' is not an integer",
                py_str(&other)
            )));
        }
        (ParamKind::Boolean, Value::Bool(b)) => Value::Bool(b),
        (ParamKind::Boolean, other) => {
            let text = py_str(&other).to_lowercase();
            match text.as_str() {
                "1" | "t" | "true" | "on" | "y" | "yes" => Value::Bool(true),
                "0" | "f" | "false" | "off" | "n" | "no" => Value::Bool(false),
                _ => {
                    return Err(invalid(format!(
                        "Unrecognized value '{text}', acceptable values are: '0', '1', 'f', 'false', 'n', 'no', 'off', 'on', 't', 'true', 'y', 'yes'"
                    )));
                }
            }
        }
        (ParamKind::CommaDelimitedList, Value::Array(items)) => {
            Value::Array(items.iter().map(|i| Value::String(py_str(i))).collect())
        }
        (ParamKind::CommaDelimitedList, Value::String(s)) if s.is_empty() => {
            Value::Array(Vec::new())
        }
        (ParamKind::CommaDelimitedList, Value::String(s)) => Value::Array(
            // Heat splits on commas and keeps the spaces.
            s.split(',').map(|i| Value::String(i.into())).collect(),
        ),
        (ParamKind::CommaDelimitedList, other) => {
            return Err(invalid(format!(
                "Value must be a comma-delimited list string: {}",
                py_str(&other)
            )));
        }
        (ParamKind::Json, Value::String(s)) if s.is_empty() => Value::Object(Map::new()),
        (ParamKind::Json, Value::String(s)) => serde_json::from_str(&s)
            .map_err(|e| invalid(format!("Value must be valid JSON: {e}")))?,
        (ParamKind::Json, other @ (Value::Object(_) | Value::Array(_))) => other,
        (ParamKind::Json, other) => {
            return Err(invalid(format!(
                "Value must be valid JSON: {}",
                py_str(&other)
            )));
        }
    })
}

/// What stack show prints for a typed value: Python's `str` of it.
pub(super) fn shown(kind: ParamKind, typed: &Value) -> String {
    match (kind, typed) {
        (ParamKind::CommaDelimitedList, Value::Array(items)) => {
            items.iter().map(py_str).collect::<Vec<_>>().join(",")
        }
        (ParamKind::Json, value) => super::functions::py_json(value),
        (_, value) => py_str(value),
    }
}

fn parse_number(s: &str) -> Option<Value> {
    if let Ok(i) = s.parse::<i64>() {
        return Some(Value::from(i));
    }
    s.parse::<f64>()
        .ok()
        .and_then(serde_json::Number::from_f64)
        .map(Value::Number)
}

/// CPython 2's `repr` of a map or list passed to a string parameter (`{u'a': u'b'}`).
fn py_repr(value: &Value) -> String {
    match value {
        Value::String(s) => format!("u'{}'", s.replace('\\', "\\\\").replace('\'', "\\'")),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(py_repr).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(map) => format!(
            "{{{}}}",
            map.iter()
                .map(|(k, v)| format!("{}: {}", py_repr(&Value::String(k.clone())), py_repr(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Null => "None".into(),
        other => py_str(other),
    }
}
