//! Which template a job's resource uses, and its `template_file`.
//!
//! The recorded worker re-resolved the template id from the schema's `template_path` mapping
//! with the job's `resource_input` ("Template id … resolved from mapping", ESI-SPEC §3.2) and
//! read the template Gohan stored at `/config/v2.0/heat_templates/<id>`. The mappings below are
//! the `heat_worker` ones of `memo/template_mappings.md`; a type they do not name uses the
//! template of the same name.

use etcd_client::Client;
use regex::Regex;
use serde_json::Value;

use super::errors::JobError;

/// `template_path` mappings of the heat_worker types whose template id is not the type name.
const MAPPINGS: &str = r#"{
    "static_route": "ACstatic_route_&Pservice_type",
    "ese_device": "ACese_device_&Pexisting",
    "local_subnet": "Cese_logical_port",
    "port": {"if_mapping": {"regexp": [{"field": "device_owner"}, {"constant": "network:dhcp|network:empty"}]},
             "then_mapping": {"constant": null}, "else_mapping": {"constant": "port"}},
    "firewall": "Cfirewall_config",
    "gw_interface": "ACgw_interface_&Pservice_type",
    "ese_physical_port": "ACese_physical_port_&Pexisting"
}"#;

/// The template id for a resource of `resource_type` with body `body`; `None` when the mapping
/// says the resource has no template.
pub(crate) fn template_id(resource_type: &str, body: &Value) -> Option<String> {
    let mappings: Value = serde_json::from_str(MAPPINGS).unwrap_or(Value::Null);
    match mappings.get(resource_type) {
        None => Some(resource_type.to_string()),
        Some(mapping) => match evaluate(mapping, body) {
            Value::Null => None,
            Value::String(s) => Some(s),
            other => Some(other.to_string()),
        },
    }
}

/// The `template_file` of `/config/v2.0/heat_templates/<id>` (body a JSON string, as Gohan
/// writes it, or an object).
pub(crate) async fn template_file(etcd: &mut Client, id: &str) -> Result<String, JobError> {
    let key = format!("/config/v2.0/heat_templates/{id}");
    let response = etcd
        .get(key.as_str(), None)
        .await
        .map_err(JobError::etcd(format!("get {key}")))?;
    let bad = |why: &str| JobError::Input(format!("heat template {id}: {why}"));
    let kv = response.kvs().first().ok_or_else(|| bad("not in etcd"))?;
    let value: Value = serde_json::from_slice(kv.value()).map_err(|_| bad("not JSON"))?;
    let body = match &value["body"] {
        Value::String(s) => serde_json::from_str(s).map_err(|_| bad("body is not JSON"))?,
        Value::Object(_) => value["body"].clone(),
        _ => return Err(bad("no body")),
    };
    body["template_file"]
        .as_str()
        .map(String::from)
        .ok_or_else(|| bad("no template_file"))
}

/// Evaluates a `template_path` mapping against `body`.
fn evaluate(mapping: &Value, body: &Value) -> Value {
    match mapping {
        Value::String(s) => evaluate_string(s, body),
        Value::Object(m) if m.contains_key("constant") => m["constant"].clone(),
        Value::Object(m) if m.contains_key("field") => {
            let field = m["field"].as_str().unwrap_or_default();
            body.get(field).cloned().unwrap_or(Value::Null)
        }
        Value::Object(m) if m.contains_key("if_mapping") => {
            let branch = if condition(&m["if_mapping"], body) {
                "then_mapping"
            } else {
                "else_mapping"
            };
            m.get(branch)
                .map_or(Value::Null, |branch| evaluate(branch, body))
        }
        _ => Value::Null,
    }
}

/// `C<text>`, `P<field>`, `A<m>&<m>…`.
fn evaluate_string(s: &str, body: &Value) -> Value {
    if let Some(text) = s.strip_prefix('C') {
        Value::String(text.to_string())
    } else if let Some(field) = s.strip_prefix('P') {
        body.get(field).cloned().unwrap_or(Value::Null)
    } else if let Some(parts) = s.strip_prefix('A') {
        let joined: String = parts
            .split('&')
            .map(|part| match evaluate_string(part, body) {
                Value::String(s) => s,
                Value::Null => String::new(),
                Value::Bool(true) => "True".into(),
                Value::Bool(false) => "False".into(),
                other => other.to_string(),
            })
            .collect();
        Value::String(joined)
    } else {
        Value::Null
    }
}

/// `{"regexp": [m, pattern]}` (Python `re.match`: anchored at the start) or `{"equal": [a, b]}`.
fn condition(condition: &Value, body: &Value) -> bool {
    let pair = |key: &str| -> Option<(Value, Value)> {
        let items = condition.get(key)?.as_array()?;
        Some((
            evaluate(items.first()?, body),
            evaluate(items.get(1)?, body),
        ))
    };
    if let Some((value, pattern)) = pair("regexp") {
        let (Some(value), Some(pattern)) = (value.as_str(), pattern.as_str()) else {
            return false;
        };
        return Regex::new(&format!("^(?:{pattern})")).is_ok_and(|re| re.is_match(value));
    }
    pair("equal").is_some_and(|(a, b)| a == b)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn resolves_template_ids_as_recorded() {
        let port = |owner: &str| json!({"device_owner": owner});
        assert_eq!(template_id("port", &port("")).as_deref(), Some("port"));
        assert_eq!(
            template_id("port", &port("compute:nova")).as_deref(),
            Some("port")
        );
        assert_eq!(template_id("port", &port("network:dhcp")), None);
        assert_eq!(
            template_id("load_balancer_interface", &json!({})).as_deref(),
            Some("load_balancer_interface")
        );
        assert_eq!(
            template_id("static_route", &json!({"service_type": "vpn"})).as_deref(),
            Some("static_route_vpn")
        );
        assert_eq!(
            template_id("firewall", &json!({})).as_deref(),
            Some("firewall_config")
        );
    }
}
