//! `list_join`, the `str_replace` family, `str_split`, `digest`, `yaql`'s shape.

use serde_json::Value;

use super::python::{py_json, py_repr_200, py_str, py_truthy, type_name};
use super::{ArgError, Failure};

pub(super) fn check_join(name: &str, args: &Value, multiple: bool) -> Result<(), ArgError> {
    let example = if multiple {
        format!("\"{name}\" : [ \" \", [ \"str1\", \"str2\"] ...]")
    } else {
        format!("\"{name}\" : [ \" \", [ \"str1\", \"str2\"]]")
    };
    let message = format!("Incorrect arguments to \"{name}\" should be: {example}");
    let Value::Array(items) = args else {
        return Err(ArgError::Type(message));
    };
    let fits = if multiple {
        items.len() >= 2
    } else {
        items.len() == 2
    };
    if fits {
        Ok(())
    } else {
        Err(ArgError::Value(message))
    }
}

pub(super) fn list_join(name: &str, args: &Value, multiple: bool) -> Result<Value, Failure> {
    let items = args.as_array().map_or(&[][..], Vec::as_slice);
    let (delimiter, lists) = items
        .split_first()
        .ok_or(Failure::Unresolved(String::new()))?;
    let on_list = || ArgError::Type(format!("\"{name}\" must operate on a list"));
    let mut strings: Vec<&Value> = Vec::new();
    for list in lists {
        match list {
            Value::Array(items) => strings.extend(items),
            Value::Null if !multiple => {}
            other if multiple && !py_truthy(other) => {}
            _ => return Err(on_list().into()),
        }
    }
    let Value::String(delimiter) = delimiter else {
        return Err(ArgError::Type(format!("\"{name}\" delimiter must be a string")).into());
    };
    let mut out = Vec::with_capacity(strings.len());
    for item in strings {
        out.push(match item {
            Value::Null => String::new(),
            Value::String(s) => s.clone(),
            Value::Array(_) | Value::Object(_) if multiple => py_json(item),
            other if multiple => {
                return Err(ArgError::Type(format!(
                    "Items to join must be string, map or list not {}",
                    py_repr_200(other)
                ))
                .into());
            }
            other => {
                return Err(ArgError::Type(format!(
                    "Items to join must be strings not {}",
                    py_repr_200(other)
                ))
                .into());
            }
        });
    }
    Ok(Value::String(out.join(delimiter)))
}

/// `(params, template)` of a `str_replace` map.
pub(super) fn check_replace<'a>(
    name: &str,
    args: &'a Value,
) -> Result<(&'a Value, &'a Value), ArgError> {
    let Value::Object(map) = args else {
        return Err(ArgError::Type(format!(
            "Arguments to \"{name}\" must be a map"
        )));
    };
    let (Some(params), Some(template)) = (map.get("params"), map.get("template")) else {
        return Err(ArgError::Key(format!(
            "\"{name}\" syntax should be {name}:\n              template: This is var1 \
             template var2\n              params:\n                var1: a\n                \
             var2: string"
        )));
    };
    if !matches!(params, Value::Object(_)) && !is_call(params) {
        return Err(ArgError::Type(format!(
            "\"{name}\" parameters must be a mapping"
        )));
    }
    Ok((params, template))
}

/// Whether a raw argument is a function call Heat parsed into a `Function`.
pub(super) fn is_call(value: &Value) -> bool {
    matches!(value, Value::Object(m) if m.len() == 1 && m.keys().all(|k| {
        super::versions::VERSIONS
            .iter()
            .any(|(date, _)| super::versions::function(date, k).is_some())
    }))
}

pub(super) fn str_replace(
    name: &str,
    args: &Value,
    json: bool,
    strict: bool,
    allow_empty: bool,
) -> Result<Value, Failure> {
    let (params, template) = check_replace(name, args)?;
    let Value::String(template) = template else {
        return Err(ArgError::Type(format!("\"{name}\" template must be a string")).into());
    };
    let Value::Object(params) = params else {
        return Err(ArgError::Type(format!("\"{name}\" params must be a map")).into());
    };
    let mut keys: Vec<&String> = params.keys().collect();
    keys.sort();
    keys.sort_by_key(|k| std::cmp::Reverse(k.chars().count()));
    let mut replacements = Vec::with_capacity(keys.len());
    for key in &keys {
        replacements.push(replacement(name, key, &params[*key], json, allow_empty)?);
    }
    let (text, found) = replace(template, &keys, &replacements)?;
    if strict {
        let missing: Vec<&str> = keys
            .iter()
            .zip(&found)
            .filter(|(_, f)| !**f)
            .map(|(k, _)| k.as_str())
            .collect();
        if !missing.is_empty() {
            return Err(ArgError::Value(format!(
                "The following params were not found in the template: {}",
                missing.join(",")
            ))
            .into());
        }
    }
    Ok(Value::String(text))
}

fn replacement(
    name: &str,
    key: &str,
    value: &Value,
    json: bool,
    allow_empty: bool,
) -> Result<String, ArgError> {
    let empty = || {
        ArgError::Value(format!(
            "{name} has an undefined or empty value for param {key}, must be a defined \
             non-empty value"
        ))
    };
    let text = match value {
        Value::Null if allow_empty => return Ok(String::new()),
        Value::Null => return Err(empty()),
        Value::Array(_) | Value::Object(_) if json => {
            if !allow_empty && !py_truthy(value) {
                return Err(empty());
            }
            py_json(value)
        }
        Value::Array(_) | Value::Object(_) => {
            return Err(ArgError::Type(format!(
                "\"{name}\" params must be strings or numbers, param {key} is not valid"
            )));
        }
        scalar => py_str(scalar),
    };
    if !allow_empty && text.is_empty() {
        return Err(empty());
    }
    Ok(text)
}

/// Heat's nested split/join, iteratively: each key, longest first, splits what no earlier key
/// matched; matched spans are never scanned again. Returns which keys matched.
fn replace(
    template: &str,
    keys: &[&String],
    values: &[String],
) -> Result<(String, Vec<bool>), ArgError> {
    // (text, replaced)
    let mut pieces: Vec<(String, bool)> = vec![(template.to_string(), false)];
    let mut found = vec![false; keys.len()];
    for (i, key) in keys.iter().enumerate() {
        if key.is_empty() {
            return Err(ArgError::Value("empty separator".into()));
        }
        let mut next = Vec::with_capacity(pieces.len());
        for (text, done) in pieces {
            if done || !text.contains(key.as_str()) {
                next.push((text, done));
                continue;
            }
            found[i] = true;
            for (n, part) in text.split(key.as_str()).enumerate() {
                if n > 0 {
                    next.push((values[i].clone(), true));
                }
                next.push((part.to_string(), false));
            }
        }
        pieces = next;
    }
    Ok((pieces.into_iter().map(|(t, _)| t).collect(), found))
}

pub(super) fn check_split(name: &str, args: &Value) -> Result<(), ArgError> {
    if matches!(args, Value::String(_) | Value::Object(_)) && !is_call(args) {
        return Err(ArgError::Type(split_usage(name)));
    }
    Ok(())
}

fn split_usage(name: &str) -> String {
    format!(
        "Incorrect arguments to \"{name}\" should be: \"{name}\" : [ \",\", \"apples,pears\", <index>]"
    )
}

pub(super) fn str_split(name: &str, args: Value) -> Result<Value, Failure> {
    let Value::Array(args) = args else {
        return Err(ArgError::Value(split_usage(name)).into());
    };
    let mut args = args.into_iter();
    let (Some(delimiter), Some(text)) = (args.next(), args.next()) else {
        return Err(ArgError::Value(split_usage(name)).into());
    };
    let text = match text {
        Value::Null => return Ok(Value::Null),
        Value::String(t) => t,
        other => {
            return Err(Failure::Unresolved(format!(
                "'{}' object has no attribute 'split'",
                type_name(&other)
            )));
        }
    };
    let parts: Vec<String> = match delimiter {
        Value::Null => text.split_whitespace().map(String::from).collect(),
        Value::String(d) if d.is_empty() => {
            return Err(ArgError::Value("empty separator".into()).into());
        }
        Value::String(d) => text.split(d.as_str()).map(String::from).collect(),
        other => {
            return Err(
                ArgError::Type(format!("must be str or None, not {}", type_name(&other))).into(),
            );
        }
    };
    let Some(index) = args.next() else {
        return Ok(Value::Array(parts.into_iter().map(Value::String).collect()));
    };
    let bad_index = || {
        ArgError::Value(format!(
            "Incorrect index to \"{name}\" should be: \"{name}\" : [ \",\", \"apples,pears\", <index>]"
        ))
    };
    let index: i64 = match &index {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().map(|f| f.trunc() as i64))
            .ok_or_else(bad_index)?,
        Value::Bool(b) => i64::from(*b),
        Value::String(s) => s.trim().parse().map_err(|_| bad_index())?,
        other => {
            return Err(Failure::Unresolved(format!(
                "int() argument must be a string, a bytes-like object or a real number, not '{}'",
                type_name(other)
            )));
        }
    };
    let len = i64::try_from(parts.len()).unwrap_or(i64::MAX);
    let at = if index < 0 {
        index.checked_add(len)
    } else {
        Some(index)
    };
    match at
        .and_then(|i| usize::try_from(i).ok())
        .and_then(|i| parts.get(i))
    {
        Some(part) => Ok(Value::String(part.clone())),
        None => Err(ArgError::Value(format!(
            "Incorrect index to \"{name}\" should be between 0 and {}",
            len - 1
        ))
        .into()),
    }
}

pub(super) fn digest(name: &str, args: &Value) -> Result<Value, Failure> {
    use sha2::Digest as _;
    let strings: Option<Vec<&str>> = args
        .as_array()
        .and_then(|a| a.iter().map(Value::as_str).collect());
    let Some(strings) = strings else {
        return Err(ArgError::Type(format!(
            "Argument to function \"{name}\" must be a list of strings"
        ))
        .into());
    };
    let [algorithm, value] = strings.as_slice() else {
        return Err(ArgError::Value(format!(
            "Function \"{name}\" usage: [\"<algorithm>\", \"<value>\"]"
        ))
        .into());
    };
    if value.chars().any(|c| u32::from(c) > 0xff) {
        return Err(Failure::Unresolved(
            "'latin-1' codec can't encode characters".into(),
        ));
    }
    let bytes: Vec<u8> = value
        .chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
        .collect();
    let hex = |digest: &[u8]| {
        digest
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    let out = match algorithm.to_lowercase().as_str() {
        "md5" => hex(&md5::Md5::digest(&bytes)),
        "sha1" => hex(&sha1::Sha1::digest(&bytes)),
        "sha224" => hex(&sha2::Sha224::digest(&bytes)),
        "sha256" => hex(&sha2::Sha256::digest(&bytes)),
        "sha384" => hex(&sha2::Sha384::digest(&bytes)),
        "sha512" => hex(&sha2::Sha512::digest(&bytes)),
        other => {
            return Err(Failure::Unresolved(format!(
                "Algorithm must be one of Heat's: md5, sha1, sha224, sha256, sha384, sha512 \
                 (heatbed does not compute {other})"
            )));
        }
    };
    Ok(Value::String(out))
}

pub(super) fn check_yaql(name: &str, args: &Value) -> Result<(), ArgError> {
    let Value::Object(map) = args else {
        return Err(ArgError::Type(format!(
            "Arguments to \"{name}\" must be a map."
        )));
    };
    if !map.contains_key("expression") || map.keys().any(|k| k != "expression" && k != "data") {
        return Err(ArgError::Key(format!(
            "\"{name}\" syntax should be {name}:\n              expression: $.data.var1.sum()\n              data:\n                var1: [3, 2, 1]"
        )));
    }
    Ok(())
}
