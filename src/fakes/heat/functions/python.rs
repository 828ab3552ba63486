//! The bits of Python's data model Heat's functions lean on: `str()`, `repr()`, `==`,
//! truthiness, and `json.dumps(sort_keys=True)`.

use serde_json::Value;

/// Python's `str()` of a scalar (`None` → `''` here, as Heat's functions print it, `True`,
/// `1.0`); maps and lists as `json.dumps`.
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

/// Python 3's `repr()`: `'text'`, `None`, `True`, `[1, 'a']`, `{'k': 'v'}`.
pub(super) fn py_repr(value: &Value) -> String {
    match value {
        Value::Null => "None".into(),
        Value::String(s) => repr_str(s),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(py_repr).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Object(map) => {
            let items: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{}: {}", repr_str(k), py_repr(v)))
                .collect();
            format!("{{{}}}", items.join(", "))
        }
        other => py_str(other),
    }
}

/// `repr(value)[:200]`, as Heat's messages cut it.
pub(super) fn py_repr_200(value: &Value) -> String {
    py_repr(value).chars().take(200).collect()
}

/// Python 3's `repr()` of a string: single quotes unless it holds `'` and no `"`.
pub(super) fn repr_str(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// Python's `==` on decoded JSON: `1 == 1.0 == True`, maps regardless of order.
pub(super) fn py_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| py_eq(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| py_eq(v, w)))
        }
        _ => match (number(a), number(b)) {
            (Some(x), Some(y)) => x == y,
            _ => a == b,
        },
    }
}

/// A number or a bool as Python's numeric tower sees it.
fn number(value: &Value) -> Option<f64> {
    match value {
        Value::Bool(b) => Some(f64::from(u8::from(*b))),
        Value::Number(n) => n.as_f64(),
        _ => None,
    }
}

/// Python's truthiness.
pub(super) fn py_truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

/// Python's `type(value).__name__`.
pub(crate) fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "NoneType",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_f64() => "float",
        Value::Number(_) => "int",
        Value::String(_) => "str",
        Value::Array(_) => "list",
        Value::Object(_) => "dict",
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn python_semantics() {
        assert_eq!(
            py_repr(&json!({"a": [1, null, true, "it's"]})),
            r#"{'a': [1, None, True, "it's"]}"#
        );
        assert!(py_eq(&json!([1, {"a": true}]), &json!([1.0, {"a": 1}])));
        assert!(!py_eq(&json!("1"), &json!(1)));
        assert!(!py_truthy(&json!({})));
        assert_eq!(type_name(&json!(1.5)), "float");
    }
}
