//! The request journal: every call Heat received, with secrets redacted and templates shown
//! parsed, so that a scenario can snapshot what the worker sent. A call keeps its body as the
//! bytes received and parses it when asked: a parsed template is about ten times its text, and
//! a flow of thousands of resources sends thousands of them.

use std::sync::{Arc, Mutex, PoisonError};

use serde_json::{Map, Value};

use super::attributes::{ResourceEvent, ResourceHook};

/// One call to the fake Heat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeatCall {
    /// `GET`, `POST`...
    pub method: String,
    /// Path and query, e.g. `/v1/<tenant>/stacks/lb?resolve_outputs=False`.
    pub path: String,
    /// The request body as received; [`HeatCall::body`] shows it.
    pub(super) raw: Arc<[u8]>,
    /// The status the fake answered.
    pub status: u16,
    /// etcd's revision when the request arrived (0 outside a run): the call happened after
    /// every write up to it and before every later one.
    pub revision: i64,
    /// The resource hooks the call set off, in order (the collector's targets created and
    /// deleted): `created <type> <physical id> (<resource name>)`, or `deleted ...`.
    pub hooks: Vec<String>,
}

/// A hook that notes each call in `log` before passing it on; the router moves the notes
/// to the journal entry of the request that set them off.
pub(super) struct Noted {
    pub(super) inner: Arc<dyn ResourceHook>,
    pub(super) log: Arc<Mutex<Vec<String>>>,
}

impl Noted {
    fn note(&self, verb: &str, r: &ResourceEvent<'_>) {
        let line = format!(
            "{verb} {} {} ({})",
            r.resource_type, r.physical_id, r.resource_name
        );
        self.log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(line);
    }
}

impl ResourceHook for Noted {
    fn created(&self, resource: &ResourceEvent<'_>) -> Map<String, Value> {
        self.note("created", resource);
        self.inner.created(resource)
    }

    fn deleted(&self, resource: &ResourceEvent<'_>) {
        self.note("deleted", resource);
        self.inner.deleted(resource);
    }
}

impl HeatCall {
    /// A call with the body `raw` as received.
    pub(crate) fn new(method: String, path: String, raw: &[u8]) -> HeatCall {
        HeatCall {
            method,
            path,
            raw: raw.into(),
            status: 0,
            revision: 0,
            hooks: Vec::new(),
        }
    }

    /// The request body (null when empty): a string `template` parsed, hidden parameters and
    /// secret-looking keys replaced by `"******"`. A body that is not JSON is shown as a string.
    /// The hidden parameters are read from the body's template here, not as the call is
    /// answered: the request's hot path then does no template work for the journal.
    pub fn body(&self) -> Value {
        redacted_body(&self.raw, &hidden_parameters(&self.raw))
    }

    /// The body's `stack_name` (a create), read without parsing the rest of the body.
    pub fn stack_name(&self) -> Option<String> {
        #[derive(serde::Deserialize)]
        struct Named {
            stack_name: Option<String>,
        }
        serde_json::from_slice::<Named>(&self.raw).ok()?.stack_name
    }

    /// `METHOD path`, then the body as pretty JSON when there is one.
    pub fn render(&self) -> String {
        let mut out = format!("{} {}\n", self.method, self.path);
        let body = self.body();
        if !body.is_null() {
            out.push_str(&serde_json::to_string_pretty(&body).unwrap_or_default());
            out.push('\n');
        }
        out
    }
}

/// Words that mark a key as a secret, anywhere in the body.
const SECRET_KEYS: [&str; 4] = ["password", "secret", "token", "private_key"];

/// The journal's view of a request body. `hidden` lists the template's hidden parameters.
fn redacted_body(raw: &[u8], hidden: &[String]) -> Value {
    if raw.is_empty() {
        return Value::Null;
    }
    let Ok(mut body) = serde_json::from_slice::<Value>(raw) else {
        return Value::String(String::from_utf8_lossy(raw).into_owned());
    };
    if let Some(Value::String(text)) = body.get("template")
        && let Ok(Value::Object(parsed)) = serde_saphyr::from_str::<Value>(text)
        && let Some(slot) = body.get_mut("template")
    {
        *slot = Value::Object(parsed);
    }
    if let Some(Value::Object(params)) = body.get_mut("parameters") {
        hide(params, hidden);
    }
    if let Some(Value::Object(params)) = body
        .get_mut("environment")
        .and_then(|e| e.get_mut("parameters"))
    {
        hide(params, hidden);
    }
    redact_secrets(&mut body);
    body
}

/// The names of the hidden parameters of the template in the body `raw`, when it can be read.
fn hidden_parameters(raw: &[u8]) -> Vec<String> {
    #[derive(serde::Deserialize)]
    struct WithTemplate {
        template: Option<Value>,
    }
    let template = serde_json::from_slice::<WithTemplate>(raw)
        .ok()
        .and_then(|b| b.template)
        .and_then(|t| super::template::Template::parse(&t).ok());
    template.map_or_else(Vec::new, |t| {
        t.parameters
            .iter()
            .filter(|p| p.hidden)
            .map(|p| p.name.clone())
            .collect()
    })
}

fn hide(params: &mut Map<String, Value>, hidden: &[String]) {
    for (key, value) in params.iter_mut() {
        if hidden.contains(key) {
            *value = Value::String("******".into());
        }
    }
}

fn redact_secrets(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, item) in map.iter_mut() {
                let lower = key.to_lowercase();
                if SECRET_KEYS.iter().any(|s| lower.contains(s)) && !item.is_object() {
                    *item = Value::String("******".into());
                } else {
                    redact_secrets(item);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact_secrets),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn templates_are_parsed_and_secrets_hidden() {
        let raw = json!({
            "stack_name": "s",
            "template": "heat_template_version: 2013-05-23\nresources: {}\n",
            "parameters": {"admin_pass": "x", "plain": "y", "db_password": "z"},
        });
        let body = redacted_body(raw.to_string().as_bytes(), &["admin_pass".into()]);
        assert_eq!(
            body["template"],
            json!({"heat_template_version": "2013-05-23", "resources": {}})
        );
        assert_eq!(
            body["parameters"],
            json!({"admin_pass": "******", "plain": "y", "db_password": "******"})
        );
    }

    #[test]
    fn render_prints_method_path_then_json() {
        let call = HeatCall::new("DELETE".into(), "/v1/p/stacks/s/i".into(), b"");
        assert_eq!(call.render(), "DELETE /v1/p/stacks/s/i\n");
        let call = HeatCall::new(call.method, call.path, br#"{"a": 1}"#);
        assert_eq!(call.render(), "DELETE /v1/p/stacks/s/i\n{\n  \"a\": 1\n}\n");
        assert_eq!(call.stack_name(), None);
        let call = HeatCall::new(call.method, call.path, br#"{"stack_name": "s"}"#);
        assert_eq!(call.stack_name().as_deref(), Some("s"));
    }
}
