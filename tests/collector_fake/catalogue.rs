//! The heat-template catalogue (`tests/recorded/esi/heat_template/*.md`): every template's
//! `ESI::Monitoring::MonitoringTarget` resources, rendered with Jinja as the worker renders
//! them and cut down to the targets and the outputs that name them, so the fake Heat can
//! run them as heat-engine ran the whole stacks.

use std::path::Path;

use minijinja::value::ValueKind;
use minijinja::{Environment, Error as JinjaError, ErrorKind};
use serde_json::{Map, Value, json};

pub(crate) const MONITORING_TARGET: &str = "ESI::Monitoring::MonitoringTarget";

/// One catalogue template, reduced to its monitoring targets.
pub(crate) struct Monitored {
    /// The template id, e.g. `gw_interface_aws`.
    pub(crate) id: String,
    /// HOT: every declared parameter, the MonitoringTarget resources, their outputs.
    pub(crate) template: Value,
    /// A value for every parameter; `gohan_id` is unique to the template, `version` is 1.
    pub(crate) params: Map<String, Value>,
    /// The MonitoringTarget resources: name and properties with `get_param` resolved.
    pub(crate) monitors: Vec<(String, Value)>,
}

impl Monitored {
    /// The resource the targets report on (`gohan_id`, or `uuid` for ports).
    pub(crate) fn resource_id(&self) -> &str {
        self.monitors[0].1["resource_id"]
            .as_str()
            .expect("resource_id")
    }

    /// The monitors' `resource_type` (one per template in the catalogue).
    pub(crate) fn resource_type(&self) -> &str {
        self.monitors[0].1["resource_type"].as_str().expect("type")
    }

    /// The same template with `version` set to `version`.
    pub(crate) fn params_at(&self, version: i64) -> Value {
        let mut params = self.params.clone();
        params.insert("version".into(), json!(version));
        Value::Object(params)
    }
}

/// Every catalogue template that declares a MonitoringTarget, by file name.
pub(crate) fn catalogue() -> Vec<Monitored> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/recorded/esi/heat_template");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("the catalogue")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    files
        .iter()
        .enumerate()
        .filter_map(|(n, path)| {
            let text = std::fs::read_to_string(path).expect("readable");
            // The stored value: the JSON after the key line of the first block.
            let at = text.find("\n/config/v2.0/heat_templates/")? + 1;
            let (key, rest) = text[at..].split_once('\n').expect("a value after the key");
            let stored: Value = serde_json::Deserializer::from_str(rest)
                .into_iter()
                .next()
                .expect("a value")
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let source = stored["body"]["template_file"].as_str()?;
            if !source.contains(MONITORING_TARGET) {
                return None;
            }
            let id = key.rsplit('/').next().expect("id").to_string();
            Some(monitored(id, source, n))
        })
        .collect()
}

/// Renders, parses and reduces one template.
fn monitored(id: String, source: &str, n: usize) -> Monitored {
    let rendered = render(source).unwrap_or_else(|e| panic!("{id}: {e}"));
    // `interdc_interface` declares a parameter twice: PyYAML, like Heat, keeps the last.
    let options = serde_saphyr::options! {
        duplicate_keys: serde_saphyr::options::DuplicateKeyPolicy::LastWins,
    };
    let hot: Value = serde_saphyr::from_str_with_options(&rendered, options)
        .unwrap_or_else(|e| panic!("{id}: {e}"));
    let resources = hot["resources"].as_object().expect("resources");
    let kept: Map<String, Value> = resources
        .iter()
        .filter(|(_, r)| r["type"] == MONITORING_TARGET)
        .map(|(name, r)| {
            let mut r = r.clone();
            let on_a_target = |d: &Value| {
                d.as_str()
                    .is_some_and(|d| resources[d]["type"] == MONITORING_TARGET)
            };
            let depends: Vec<Value> = match r.get("depends_on") {
                Some(Value::Array(names)) => {
                    names.iter().filter(|d| on_a_target(d)).cloned().collect()
                }
                Some(name) if on_a_target(name) => vec![name.clone()],
                _ => Vec::new(),
            };
            r["depends_on"] = Value::Array(depends);
            r["properties"] = cut(&r["properties"], resources);
            (name.clone(), r)
        })
        .collect();
    let outputs: Map<String, Value> = hot["outputs"]
        .as_object()
        .expect("outputs")
        .iter()
        .filter(|(_, o)| names_a_target(&o["value"], &kept))
        .map(|(k, o)| (k.clone(), o.clone()))
        .collect();
    let declared = hot["parameters"].as_object().expect("parameters").clone();
    let params: Map<String, Value> = declared
        .iter()
        .map(|(name, decl)| {
            let value = match (name.as_str(), decl["type"].as_str()) {
                ("gohan_id" | "uuid", _) => json!(format!("{n:08}-0000-4000-8000-{n:012}")),
                ("version", _) => json!(1),
                (_, Some("number")) => json!(7),
                (_, Some("boolean")) => json!(false),
                (_, Some("json")) => json!({}),
                (_, Some("comma_delimited_list")) => json!("a,b"),
                _ => json!(format!("{name}-value")),
            };
            (name.clone(), value)
        })
        .collect();
    let monitors = kept
        .iter()
        .map(|(name, r)| (name.clone(), resolve(&r["properties"], &params)))
        .collect();
    let template = json!({
        "heat_template_version": "2013-05-23",
        "parameters": declared,
        "resources": kept,
        "outputs": outputs,
    });
    Monitored {
        id,
        template,
        params,
        monitors,
    }
}

/// Jinja with the worker's defaults, every `jinja_*` the catalogue uses given a value, and
/// Python's `str.split` (the `*_interface` templates split uplink addresses).
fn render(source: &str) -> Result<String, JinjaError> {
    let mut env = Environment::new();
    env.set_unknown_method_callback(|_, value, method, args| {
        match (value.kind(), method, value.as_str(), args) {
            (ValueKind::String, "split", Some(s), [sep]) => {
                let sep = sep.as_str().unwrap_or(" ");
                Ok(s.split(sep).map(minijinja::Value::from).collect())
            }
            _ => Err(JinjaError::from(ErrorKind::UnknownMethod)),
        }
    });
    let context = json!({
        "jinja_vrids": [1, 2],
        "jinja_port_ids": ["p1", "p2"],
        "jinja_slot_number": 1,
        "jinja_device_owner": "compute:nova",
        "jinja_attached": true,
        "jinja_fixed_ips": [],
        "jinja_common_service_numbers": [1],
        "jinja_primary_uplink_ip": "192.0.2.1/30",
        "jinja_secondary_uplink_ip": "192.0.2.5/30",
        "jinja_vrf_name": "vrf1",
        "jinja_vlan_id": 100,
    });
    env.render_str(
        source,
        minijinja::Value::from(minijinja::value::Serde(&context)),
    )
}

/// Whether an output's value is a `get_resource`/`get_attr` of a kept target.
fn names_a_target(value: &Value, kept: &Map<String, Value>) -> bool {
    let named = value
        .get("get_resource")
        .or_else(|| value.get("get_attr").and_then(|a| a.get(0)))
        .and_then(Value::as_str);
    named.is_some_and(|n| kept.contains_key(n))
}

/// `value` with every `get_attr`/`get_resource` of a resource that is not a target (cut from
/// the template) replaced by a stand-in string: `virtual_machine_interface.fq_name`.
fn cut(value: &Value, resources: &Map<String, Value>) -> Value {
    let dropped = |name: &Value| {
        name.as_str()
            .filter(|n| resources[*n]["type"] != MONITORING_TARGET)
            .map(str::to_string)
    };
    match value {
        Value::Object(map) if map.len() == 1 => {
            let (function, args) = map.iter().next().expect("one entry");
            let stand_in = match (function.as_str(), args) {
                ("get_resource", name) => dropped(name),
                ("get_attr", Value::Array(path)) => path.first().and_then(dropped).map(|n| {
                    let rest: Vec<String> = path[1..]
                        .iter()
                        .map(|p| p.to_string().replace('"', ""))
                        .collect();
                    format!("{n}.{}", rest.join("."))
                }),
                _ => None,
            };
            stand_in.map_or_else(
                || {
                    Value::Object(
                        map.iter()
                            .map(|(k, v)| (k.clone(), cut(v, resources)))
                            .collect(),
                    )
                },
                Value::from,
            )
        }
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), cut(v, resources)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(|v| cut(v, resources)).collect()),
        other => other.clone(),
    }
}

/// `properties` with every `{get_param: name}` replaced by the parameter's value.
pub(crate) fn resolve(value: &Value, params: &Map<String, Value>) -> Value {
    match value {
        Value::Object(map) if map.len() == 1 && map.contains_key("get_param") => {
            let name = map["get_param"].as_str().expect("a parameter name");
            params[name].clone()
        }
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), resolve(v, params)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(|v| resolve(v, params)).collect()),
        other => other.clone(),
    }
}

/// The status a target reports by default: the first `positive_status` of its hold options,
/// else `UP`.
pub(crate) fn healthy(properties: &Value) -> Value {
    properties
        .pointer("/syncer_properties/etcd/hold_options/positive_status/0")
        .cloned()
        .unwrap_or_else(|| json!("UP"))
}

/// The status key a target writes, if any.
pub(crate) fn status_key(properties: &Value) -> Option<&str> {
    properties
        .pointer("/syncer_properties/etcd/status/key")
        .and_then(Value::as_str)
}
