//! The JSON the collector answers, shaped as recorded in `collector_agents/*.md`: the target's
//! fields plus `id`, `link`, `monitorer`, `created_at`, and for a show its agent's `values`.

use std::time::{Duration, SystemTime};

use serde_json::{Map, Value, json};

use super::targets::Target;

/// A target as `POST /targets` answers it.
pub(super) fn target(t: &Target, public_url: &str) -> Map<String, Value> {
    let input = &t.input;
    let mut view = Map::new();
    view.insert("resource_id".into(), json!(input.resource_id));
    view.insert("field_name".into(), json!(input.field_name));
    view.insert("created_at".into(), json!(time(t.created_at)));
    view.insert("properties".into(), input.properties.clone());
    view.insert("monitorer".into(), json!(public_url));
    view.insert("version".into(), json!(input.version));
    view.insert("link".into(), json!(link(public_url, &t.id)));
    view.insert("syncer_properties".into(), input.syncer_properties.clone());
    view.insert("tenant_id".into(), json!(input.tenant_id));
    view.insert("type".into(), json!(input.kind));
    view.insert("id".into(), json!(t.id));
    view.insert("resource_type".into(), json!(input.resource_type));
    view
}

/// A target as `GET /targets/<id>` answers it: with `values`, `[]` until the first result.
pub(super) fn shown(t: &Target, public_url: &str, unreachable: bool) -> Value {
    let mut view = target(t, public_url);
    view.insert("values".into(), Value::Array(values(t, unreachable)));
    Value::Object(view)
}

/// The target's link.
pub(super) fn link(public_url: &str, id: &str) -> String {
    format!("{public_url}/targets/{id}")
}

/// The agent's `status` result, on the fake clock: the nth result comes n minutes after the
/// target was created (the recorded agents poll every 60 s).
fn values(t: &Target, unreachable: bool) -> Vec<Value> {
    let Some(last) = t.results.last() else {
        return Vec::new();
    };
    let polls = t.results.len();
    let changed_at = t
        .results
        .iter()
        .rposition(|s| s != last)
        .map_or(1, |before| before + 2);
    vec![json!({
        "reporter": reporter(&t.input.kind),
        "last_reported": time(minutes_after(t.created_at, polls)),
        "last_changed": time(minutes_after(t.created_at, changed_at)),
        "value": last,
        "key": "status",
        "fail_counter": if unreachable { polls } else { 0 },
    })]
}

/// The recorded agent of each target type (`snmp_ports_status`, `snmp_ports_metric` and
/// `snmp_device_fw` of the catalogue go to the same pools); types no recorded agent served
/// report as `Agent`.
fn reporter(kind: &str) -> &'static str {
    match kind {
        "compute" => "NovaAgent",
        k if k.starts_with("snmp_ports") => "SNMPPortPool",
        "virtual_machine_interface" => "contrail_vmi",
        k if k.starts_with("snmp_device") => "SnmpDeviceAgent",
        _ => "Agent",
    }
}

fn minutes_after(start: SystemTime, minutes: usize) -> SystemTime {
    start + Duration::from_secs(60 * u64::try_from(minutes).unwrap_or(u64::MAX / 120))
}

/// RFC 3339 in seconds, as recorded: `2018-02-19T05:22:01Z`.
fn time(t: SystemTime) -> String {
    humantime::format_rfc3339_seconds(t).to_string()
}
