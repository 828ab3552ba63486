//! What a template's HOT text says that a scenario needs: the `type:` of each parameter (to
//! give its mapped field a fitting value) and, once rendered, the monitoring targets whose
//! status reaches etcd (`/monitoring/v2.0/<resource_type>/<resource_id>`).

use std::collections::BTreeMap;

use serde_json::Value;

use super::values::Hint;

/// Where the collector writes a resource's status: `/monitoring/v2.0/<resource_type>/<id>`
/// in the recorded run (ESI-SPEC §1.9 leaves out the `v2.0`).
const MONITORING: &str = "/monitoring/v2.0";

/// Parameter name -> its `type:`, read from the top-level `parameters:` section (which comes
/// before any Jinja block in every template; a parameter without a type is `Any`).
pub(crate) fn parameter_types(template_file: &str) -> BTreeMap<String, Hint> {
    let mut types = BTreeMap::new();
    let mut inside = false;
    let mut current: Option<String> = None;
    for line in template_file.lines() {
        let indent = line.len() - line.trim_start().len();
        let text = line.trim();
        if text.is_empty() || text.starts_with('#') {
            continue;
        }
        if indent == 0 {
            inside = text == "parameters:";
            current = None;
            continue;
        }
        if !inside {
            continue;
        }
        if indent == 2 {
            current = text.strip_suffix(':').map(str::to_string);
            if let Some(name) = &current {
                types.insert(name.clone(), Hint::Any);
            }
        } else if let (Some(name), Some(t)) = (&current, text.strip_prefix("type:")) {
            types.insert(name.clone(), Hint::of(t.trim()));
        }
    }
    types
}

/// A `/monitoring` key's expected value: status key -> status.
pub(crate) type Statuses = BTreeMap<String, Value>;

/// The `/monitoring` keys a rendered template's monitoring targets write, each with the
/// status each target's key (`syncer_properties.etcd.status.key`) gets from a healthy device:
/// the first `positive_status` of its `hold_options`, else `UP`, as every recorded agent
/// reported (the fake collector's default). `params` resolves `get_param`.
pub(crate) fn monitored(
    rendered: &str,
    params: &BTreeMap<String, Value>,
) -> Result<BTreeMap<String, Statuses>, String> {
    // Heat's YAML loader lets a repeated key win (a catalogue template repeats a parameter).
    let options = serde_saphyr::options! {
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::LastWins,
    };
    let hot: Value =
        serde_saphyr::from_str_with_options(rendered, options).map_err(|e| e.to_string())?;
    let resolve = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => match o.get("get_param") {
            Some(Value::String(name)) => params.get(name).and_then(|p| match p {
                Value::String(s) => Some(s.clone()),
                Value::Null => None,
                other => Some(other.to_string()),
            }),
            _ => None,
        },
        _ => None,
    };
    let mut keys: BTreeMap<String, Statuses> = BTreeMap::new();
    for resource in hot["resources"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(_, r)| r)
    {
        if resource["type"] != "ESI::Monitoring::MonitoringTarget" {
            continue;
        }
        let p = &resource["properties"];
        let etcd = &p["syncer_properties"]["etcd"];
        let Some(status) = etcd["status"]["key"].as_str() else {
            continue;
        };
        let healthy = match &etcd["hold_options"]["positive_status"] {
            Value::Array(first) if !first.is_empty() => first[0].clone(),
            Value::Null | Value::Array(_) => Value::from("UP"),
            single => single.clone(),
        };
        let (Some(rt), Some(id)) = (resolve(&p["resource_type"]), resolve(&p["resource_id"]))
        else {
            return Err(
                "a monitoring target's resource_type or resource_id is not a parameter".into(),
            );
        };
        keys.entry(format!("{MONITORING}/{rt}/{id}"))
            .or_default()
            .insert(status.to_string(), healthy);
    }
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn reads_parameter_types_and_monitoring_targets() {
        let hot = "heat_template_version: 2013-05-23\nparameters:\n  gohan_id:\n    type: string\n    \
                   label: x\n  version:\n    type: number\n  plain:\n    label: y\nresources:\n  \
                   m:\n    type: ESI::Monitoring::MonitoringTarget\n    properties:\n      \
                   resource_type: ports\n      resource_id: { get_param: gohan_id }\n      \
                   syncer_properties:\n        etcd:\n          status:\n            key: vmi\n  \
                   t:\n    type: ESI::Monitoring::MonitoringTarget\n    properties:\n      \
                   resource_type: ports\n      resource_id: { get_param: gohan_id }\n";
        let types = parameter_types(hot);
        assert_eq!(types["gohan_id"], Hint::String);
        assert_eq!(types["version"], Hint::Number);
        assert_eq!(types["plain"], Hint::Any);
        let params = BTreeMap::from([("gohan_id".to_string(), json!("p1"))]);
        let keys = monitored(hot, &params).expect("parses");
        assert_eq!(keys.len(), 1);
        assert_eq!(
            keys["/monitoring/v2.0/ports/p1"],
            Statuses::from([("vmi".to_string(), json!("UP"))])
        );
    }
}
