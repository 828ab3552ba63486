//! Rendering a checkpoint the way the seed documents show it: the key, then the value as
//! CPython 2 `json.dumps(value, indent=4)` prints it (`", "` at line ends, ASCII only), with a
//! `/config` string `body` decoded into an object.

use serde_json::Value;

use crate::encoding::python_pretty;

/// Renders one write: `key`, newline, the value. Values that are not JSON are shown as they are.
pub fn render_write(key: &str, value: &[u8]) -> String {
    let text = String::from_utf8_lossy(value);
    match serde_json::from_str::<Value>(&text) {
        Ok(mut json) => {
            if key.starts_with("/config/") {
                decode_body(&mut json);
            }
            format!("{key}\n{}", python_pretty(&json))
        }
        Err(_) => format!("{key}\n{text}"),
    }
}

/// Renders one Heat call: `METHOD path`, then its body (when it has one) like a value.
pub fn render_call(method: &str, path: &str, body: &Value) -> String {
    if body.is_null() {
        format!("{method} {path}")
    } else {
        format!("{method} {path}\n{}", python_pretty(body))
    }
}

/// Replaces a string `body` holding JSON with the parsed object, as Gohan's readers show it.
pub fn decode_body(value: &mut Value) {
    if let Some(body) = value.get_mut("body")
        && let Some(text) = body.as_str()
        && let Ok(parsed) = serde_json::from_str::<Value>(text)
    {
        *body = parsed;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_a_config_body_string() {
        let raw =
            br#"{"body":"{\"id\":\"x\",\"name\":\"n\"}","marked_for_deletion":false,"version":1}"#;
        let shown = render_write("/config/v2.0/ports/x", raw);
        assert!(
            shown.starts_with("/config/v2.0/ports/x\n{\n    \"body\": {\n        \"id\": \"x\"")
        );
    }

    #[test]
    fn shows_non_json_values_as_they_are() {
        assert_eq!(
            render_write("/jobs/ready/j", b"heat_worker"),
            "/jobs/ready/j\nheat_worker"
        );
    }
}
