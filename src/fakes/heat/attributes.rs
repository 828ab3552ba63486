//! Resource types: the attributes `get_attr` reads, per type, covering what the ESI templates
//! read, and the [`ResourceHook`] through which another fake (the collector's
//! `ESI::Monitoring::MonitoringTarget`) takes part in a resource's life.
//!
//! Lookup order for `get_attr [r, a]`: what a hook returned on create, then the type's table
//! below, then the resource's own property of the same name. Anything else is Heat's 400
//! `InvalidTemplateAttribute`, so a typo in a template fails loudly instead of yielding null.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::{Map, Value, json};

/// A resource as a [`ResourceHook`] sees it.
#[derive(Debug, Clone, Copy)]
pub struct ResourceEvent<'a> {
    /// The stack's id.
    pub stack_id: &'a str,
    /// The stack's name.
    pub stack_name: &'a str,
    /// The resource's name in the template.
    pub resource_name: &'a str,
    /// The resource's type, e.g. `ESI::Monitoring::MonitoringTarget`.
    pub resource_type: &'a str,
    /// The physical id Heat gave it (`get_resource`).
    pub physical_id: &'a str,
    /// Its properties, every function resolved.
    pub properties: &'a Value,
}

/// Behaviour of a resource type beyond the attribute table, called by the Heat fake when a
/// resource is created (also as the replacement of an updated one) and when it is deleted.
///
/// Hooks run while the fake answers a request, under its lock: they must not block or call
/// the Heat fake back.
pub trait ResourceHook: Send + Sync {
    /// The resource was created; the returned attributes take precedence over the table's.
    fn created(&self, resource: &ResourceEvent<'_>) -> Map<String, Value>;
    /// The resource was deleted (stack delete, removal by an update, or replacement).
    fn deleted(&self, resource: &ResourceEvent<'_>);
}

/// Hooks by resource type.
pub(super) type Hooks = HashMap<String, Arc<dyn ResourceHook>>;

/// What the table needs to know beyond the resource itself.
#[derive(Debug, Clone)]
pub(super) struct World {
    /// The collector agents' public URL, for `MonitoringTarget` links.
    pub(super) collector_url: String,
}

/// The Contrail project in the recorded `fq_name` of virtual networks.
const CONTRAIL_NETWORK_PROJECT: &str = "usertenant";
/// The Contrail project in the recorded `fq_name` of VMIs and their networks.
const CONTRAIL_VMI_PROJECT: &str = "admin";
/// The IPAM every recorded subnet reports.
const RECORDED_IPAM: &str = "5a79909b-2bf3-4e26-8a9c-0bf6bb175457";
/// The MAC address list every recorded VMI reports (the Contrail mock's shared VMI).
const RECORDED_MAC: &str = "fa:16:3e:f7:60:7f";

/// The physical id of a new resource: most types take the generated one, a Contrail virtual
/// network takes its `uuid` property when set.
pub(super) fn physical_id(kind: &str, properties: &Value, generated: String) -> String {
    match (kind, properties.get("uuid")) {
        ("OS::Contrail::VirtualNetwork", Some(Value::String(uuid))) if !uuid.is_empty() => {
            uuid.clone()
        }
        _ => generated,
    }
}

/// The table's attributes of a resource of type `kind`.
pub(super) fn table(
    kind: &str,
    physical_id: &str,
    properties: &Value,
    world: &World,
) -> Map<String, Value> {
    let prop = |name: &str| properties.get(name).cloned().unwrap_or(Value::Null);
    let name = || match properties.get("name") {
        Some(Value::String(n)) if !n.is_empty() => n.clone(),
        _ => physical_id.to_string(),
    };
    let attributes = match kind {
        "OS::Nova::Server" => json!({
            "name": name(),
            "first_address": "",
            "addresses": {},
            "networks": {},
            "accessIPv4": "",
            "accessIPv6": "",
            "instance_name": format!("instance-{}", &physical_id[..physical_id.len().min(8)]),
            "console_urls": {},
            "show": {"id": physical_id, "name": name(), "status": "ACTIVE"},
        }),
        "OS::Contrail::VirtualNetwork" => json!({
            "name": name(),
            "fq_name": format!("default-domain:{CONTRAIL_NETWORK_PROJECT}:{}", name()),
            "route_targets": match prop("route_targets") { Value::Null => json!([]), v => v },
            "show": {"uuid": physical_id, "name": name()},
        }),
        "OS::Contrail::VnSubnet" => json!({
            "name": name(),
            "network_id": prop("network_id"),
            "ip_prefix": prop("ip_prefix"),
            "default_gateway": prop("default_gateway"),
            "ipam": RECORDED_IPAM,
            "show": {"uuid": physical_id, "name": name()},
        }),
        "OS::Contrail::VirtualMachineInterface" => json!({
            "name": name(),
            "fq_name": format!("default-domain:{CONTRAIL_VMI_PROJECT}:{physical_id}"),
            "virtual_machine_interface_mac_addresses": [RECORDED_MAC],
            "virtual_machine_interface_allowed_address_pairs": {"allowed_address_pair": []},
            "virtual_networks": contrail_networks(&prop("virtual_networks")),
            "show": {"uuid": physical_id, "name": name()},
        }),
        "OS::Contrail::InstanceIp" => json!({"show": {"uuid": physical_id}}),
        "ESI::Monitoring::MonitoringTarget" => json!({
            "id": physical_id,
            "link": format!("{}/targets/{physical_id}", world.collector_url.trim_end_matches('/')),
            "monitorer": world.collector_url,
        }),
        "OS::Heat::RandomString" => json!({"value": physical_id.replace('-', "")}),
        _ => json!({}),
    };
    match attributes {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// Every attribute of a resource, in lookup order: hook, table, properties.
pub(super) fn lookup(
    attribute: &str,
    hooked: &Map<String, Value>,
    table: &Map<String, Value>,
    properties: &Value,
) -> Option<Value> {
    hooked
        .get(attribute)
        .or_else(|| table.get(attribute))
        .or_else(|| properties.get(attribute))
        .cloned()
}

/// The map `get_attr [r]` answers: properties, overlaid by the table, overlaid by the hook.
pub(super) fn all(
    hooked: &Map<String, Value>,
    table: &Map<String, Value>,
    properties: &Value,
) -> Value {
    let mut all = properties.as_object().cloned().unwrap_or_default();
    all.extend(table.clone());
    all.extend(hooked.clone());
    Value::Object(all)
}

/// Contrail's `virtual_networks` attribute: network ids as `[domain, project, uuid]`.
fn contrail_networks(networks: &Value) -> Value {
    let ids = match networks {
        Value::Array(items) => items.clone(),
        Value::Null => Vec::new(),
        one => vec![one.clone()],
    };
    Value::Array(
        ids.into_iter()
            .map(|id| json!(["default-domain", CONTRAIL_VMI_PROJECT, id]))
            .collect(),
    )
}
