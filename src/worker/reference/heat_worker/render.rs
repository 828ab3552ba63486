//! Turning resolved params into what Heat gets: `jinja_*` params render the template (Jinja2
//! default settings, as recorded: no `trim_blocks`/`lstrip_blocks`, one trailing newline
//! dropped), `heat_timeout` becomes `timeout_mins`, every other param is a stack parameter.

use minijinja::value::ValueKind;
use minijinja::{Environment, Error as JinjaError, Output, State};
use serde_json::{Map, Value};

use super::errors::JobError;

/// A job's params, split by purpose.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Split {
    /// The `jinja_*` params: the render context.
    pub(crate) jinja: Map<String, Value>,
    /// Everything else but `heat_timeout`: the stack parameters, in job order.
    pub(crate) parameters: Map<String, Value>,
    /// `heat_timeout` as minutes.
    pub(crate) timeout_mins: Option<u64>,
}

/// Splits resolved params (ESI-SPEC §2.8).
pub(crate) fn split(params: Map<String, Value>) -> Split {
    let mut split = Split::default();
    for (name, value) in params {
        if name == "heat_timeout" {
            split.timeout_mins = minutes(&value);
        } else if name.starts_with("jinja_") {
            split.jinja.insert(name, value);
        } else {
            split.parameters.insert(name, value);
        }
    }
    split
}

/// Renders `source` (template `id`) with the `jinja_*` context.
pub(crate) fn render(
    id: &str,
    source: &str,
    jinja: &Map<String, Value>,
) -> Result<String, JobError> {
    let mut env = Environment::new();
    env.set_formatter(python_formatter);
    // Python's string and list methods (`ip.split('/')`), as the recorded Jinja2 had them.
    env.set_unknown_method_callback(minijinja_contrib::pycompat::unknown_method_callback);
    env.render_str(
        source,
        minijinja::Value::from(minijinja::value::Serde(jinja)),
    )
    .map_err(|e| JobError::Render {
        template: id.to_string(),
        detail: e.to_string(),
    })
}

/// `"13"` → 13, `3` → 3 (`int(value)` in Python).
fn minutes(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64().or_else(|| n.as_f64().map(|f| f as u64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Prints values as Python 2's `str()` does, as the recorded Jinja2 did: `None`, `True`,
/// `False`, lists and dicts as their repr (`[u'a']`).
fn python_formatter(
    out: &mut Output<'_>,
    _state: &mut State<'_, '_>,
    value: &minijinja::Value,
) -> Result<(), JinjaError> {
    let text = match value.kind() {
        ValueKind::Undefined => String::new(),
        ValueKind::String => value.as_str().unwrap_or_default().to_string(),
        _ => match serde_json::to_value(value) {
            Ok(Value::String(s)) => s,
            Ok(json) => python_repr(&json),
            Err(_) => value.to_string(),
        },
    };
    out.write_str(&text).map_err(JinjaError::from)
}

/// CPython 2 `repr` of a decoded JSON value (strings are `unicode`: `u'…'`).
fn python_repr(value: &Value) -> String {
    match value {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => {
            let escaped = s
                .replace('\\', "\\\\")
                .replace('\'', "\\'")
                .replace('\n', "\\n");
            format!("u'{escaped}'")
        }
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(python_repr).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Object(map) => {
            let items: Vec<String> = map
                .iter()
                .map(|(k, v)| {
                    format!(
                        "{}: {}",
                        python_repr(&Value::String(k.clone())),
                        python_repr(v)
                    )
                })
                .collect();
            format!("{{{}}}", items.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn map(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    #[test]
    fn splits_params_by_purpose() {
        let s = split(map(
            json!({"jinja_slot_number": 1, "tenant_id": "t", "heat_timeout": "13", "version": 1}),
        ));
        assert_eq!(s.timeout_mins, Some(13));
        assert_eq!(Value::Object(s.jinja), json!({"jinja_slot_number": 1}));
        assert_eq!(
            Value::Object(s.parameters),
            json!({"tenant_id": "t", "version": 1})
        );
        assert_eq!(split(map(json!({"heat_timeout": 3}))).timeout_mins, Some(3));
    }

    #[test]
    fn keeps_block_whitespace_and_drops_one_trailing_newline() {
        let source =
            "a:\n  {% if x == 0  %}\n  b: 0\n  {% else %}\n  b: {{ x }}\n  {% endif %}\nc\n";
        let out = render("t", source, &map(json!({"x": 2}))).expect("renders");
        assert_eq!(out, "a:\n  \n  b: 2\n  \nc");
    }

    #[test]
    fn prints_values_as_python_does() {
        let out = render(
            "t",
            "{{ a }} {{ b }} {{ c }} {{ d }} {{ e }} {{ 'x_' + (n|string) }}",
            &map(json!({"a": null, "b": true, "c": ["s"], "d": 3, "e": "plain", "n": 0})),
        )
        .expect("renders");
        assert_eq!(out, "None True [u's'] 3 plain x_0");
    }

    #[test]
    fn python_string_methods_work_as_in_jinja2() {
        let out = render(
            "t",
            "{% set parts = ip.split('/') %}{{ parts[0] }} {{ parts[1] }}",
            &map(json!({"ip": "10.0.0.1/30"})),
        )
        .expect("renders");
        assert_eq!(out, "10.0.0.1 30");
    }
}
