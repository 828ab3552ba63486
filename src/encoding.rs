//! Value encodings byte-for-byte as the recorded system wrote them (ESI-SPEC §1.2):
//! Go's `encoding/json` (Gohan, collector agents) and CPython 2's `json.dumps` (the worker).

use serde_json::Value;

/// Go `encoding/json`: compact, object keys sorted, `<`, `>`, `&` as `\u003c`, `\u003e`, `\u0026`.
pub fn go_json(value: &Value) -> String {
    let mut out = String::new();
    write_go(&mut out, value);
    out
}

fn write_go(out: &mut String, value: &Value) {
    match value {
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_go(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_go_string(out, key);
                out.push(':');
                write_go(out, item);
            }
            out.push('}');
        }
        Value::String(s) => write_go_string(out, s),
        other => out.push_str(&other.to_string()),
    }
}

fn write_go_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// CPython 2 `json.dumps(value)` (PY-U, keys in the value's own order) or
/// `json.dumps(value, sort_keys=True)` (PY-S): separators `", "` and `": "`, ASCII only.
pub fn python_json(value: &Value, sort_keys: bool) -> String {
    let mut out = String::new();
    write_python(&mut out, value, sort_keys);
    out
}

fn write_python(out: &mut String, value: &Value, sort_keys: bool) {
    match value {
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_python(out, item, sort_keys);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            if sort_keys {
                entries.sort_by(|a, b| a.0.cmp(b.0));
            }
            out.push('{');
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_string(out, key);
                out.push_str(": ");
                write_python(out, item, sort_keys);
            }
            out.push('}');
        }
        Value::String(s) => write_string(out, s),
        Value::Number(n) => out.push_str(&python_number(n)),
        other => out.push_str(&other.to_string()),
    }
}

/// A number as CPython prints it: integers as they are, floats with `repr` (`1.0`, `1e+16`,
/// `1e-05`).
pub fn python_number(n: &serde_json::Number) -> String {
    if n.is_i64() || n.is_u64() {
        return n.to_string();
    }
    let f = n.as_f64().unwrap_or_default();
    if f.fract() == 0.0 && f.abs() < 1e16 {
        return format!("{f:.1}");
    }
    if f.abs() >= 1e16 || (f != 0.0 && f.abs() < 1e-4) {
        let text = format!("{f:e}");
        if let Some((mantissa, exponent)) = text.split_once('e') {
            let (sign, digits) = exponent
                .strip_prefix('-')
                .map_or(("+", exponent), |d| ("-", d));
            return format!("{mantissa}e{sign}{digits:0>2}");
        }
    }
    f.to_string()
}

/// `json.dumps(value, indent=4)` of CPython 2: items end with `", "` before a newline.
pub fn python_pretty(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value, 0);
    out
}

fn write_value(out: &mut String, value: &Value, depth: usize) {
    match value {
        Value::Array(items) if !items.is_empty() => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                out.push_str(if i == 0 { "\n" } else { ", \n" });
                indent(out, depth + 1);
                write_value(out, item, depth + 1);
            }
            out.push('\n');
            indent(out, depth);
            out.push(']');
        }
        Value::Object(map) if !map.is_empty() => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                out.push_str(if i == 0 { "\n" } else { ", \n" });
                indent(out, depth + 1);
                write_string(out, key);
                out.push_str(": ");
                write_value(out, item, depth + 1);
            }
            out.push('\n');
            indent(out, depth);
            out.push('}');
        }
        Value::Array(_) => out.push_str("[]"),
        Value::Object(_) => out.push_str("{}"),
        Value::String(s) => write_string(out, s),
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&python_number(n)),
    }
}

fn indent(out: &mut String, depth: usize) {
    out.extend(std::iter::repeat_n("    ", depth));
}

/// A JSON string with `ensure_ascii`: non-ASCII as `\uXXXX` (surrogate pairs beyond the BMP).
pub fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || (c as u32) > 0x7e => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_json_sorts_keys_and_escapes_html() {
        let value: Value = serde_json::from_str(r#"{"b": "<a&b>", "a": [1, true, null]}"#).unwrap();
        assert_eq!(
            go_json(&value),
            r#"{"a":[1,true,null],"b":"\u003ca\u0026b\u003e"}"#
        );
    }

    #[test]
    fn python_json_uses_spaced_separators_and_optionally_sorts() {
        let value: Value =
            serde_json::from_str(r#"{"b": [1, "x"], "a": {"d": null, "c": "é"}}"#).unwrap();
        assert_eq!(
            python_json(&value, false),
            r#"{"b": [1, "x"], "a": {"d": null, "c": "\u00e9"}}"#
        );
        assert_eq!(
            python_json(&value, true),
            r#"{"a": {"c": "\u00e9", "d": null}, "b": [1, "x"]}"#
        );
    }

    #[test]
    fn python_pretty_matches_python_two_indent_four() {
        let value: Value =
            serde_json::from_str(r#"{"a": [1, {"b": []}], "c": {}, "d": "é"}"#).unwrap();
        let expected = "{\n    \"a\": [\n        1, \n        {\n            \"b\": []\n        }\n    ], \n    \"c\": {}, \n    \"d\": \"\\u00e9\"\n}";
        assert_eq!(python_pretty(&value), expected);
    }
}
