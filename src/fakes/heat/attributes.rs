//! Resource types: the attributes `get_attr` reads, per type, covering what the ESI templates
//! read, and the [`ResourceHook`] through which another fake (the collector's
//! `ESI::Monitoring::MonitoringTarget`) takes part in a resource's life.
//!
//! Modelled types (the table below, [`MODELLED`]): `get_attr [r, a, path...]` reads what a hook
//! returned on create, then the table, then the resource's own property of the same name, and
//! walks `path` into it. Anything else is Heat's 400 `InvalidTemplateAttribute`, so a typo in a
//! template of a modelled type fails loudly instead of yielding null.
//!
//! Every other type (other Contrail, Nova, provider, ESI types...) is unmodelled, and one rule
//! answers every attribute of it, whatever the type:
//!
//! 1. what a hook returned, else the resource's own resolved property of the same name, `path`
//!    walked into it (null where the path does not lead anywhere, as Heat answers): Heat
//!    resources very often echo their properties as attributes (`name`, `fq_name`, ...);
//! 2. `show`: the resolved properties plus `id` (Heat's `show` is the backend's view of the
//!    resource, which is what it was created with);
//! 3. anything else: the string `<physical id>/<attribute>[/<path item>...]` (2013-05-23's
//!    `get_attr` walks the path into the value itself, as Heat's does: null there). It is
//!    deterministic (the physical id derives from stack id, resource name and generation),
//!    distinct for distinct resources, attributes and paths, and says where it came from when
//!    it turns up in a checkpoint. A fake cannot know what a real backend computes, and a
//!    refusal would fail every job that reads it, which is what Heat never does for a valid
//!    template.
//!
//! `get_attr [r]` (all attributes, 2015-10-15 on) answers the properties overlaid by the table
//! and the hook.

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
#[derive(Debug, Clone, Default)]
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

/// The types the table below and [`super::natives`] model: their attributes are checked.
const MODELLED: [&str; 10] = [
    "OS::Nova::Server",
    "OS::Contrail::VirtualNetwork",
    "OS::Contrail::VnSubnet",
    "OS::Contrail::VirtualMachineInterface",
    "OS::Contrail::InstanceIp",
    "ESI::Monitoring::MonitoringTarget",
    "OS::Heat::None",
    "OS::Heat::TestResource",
    "OS::Heat::Value",
    "OS::Heat::RandomString",
];

/// Whether `kind`'s attributes come from the table (and unknown ones are refused).
pub(super) fn is_modelled(kind: &str) -> bool {
    MODELLED.contains(&kind)
}

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
        _ => return super::natives::table(kind, physical_id, properties).unwrap_or_default(),
    };
    match attributes {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// A resource as attribute lookup sees it.
pub(super) struct Attributes<'a> {
    pub(super) kind: &'a str,
    pub(super) physical_id: &'a str,
    pub(super) hooked: &'a Map<String, Value>,
    pub(super) table: &'a Map<String, Value>,
    pub(super) properties: &'a Value,
    /// A ResourceGroup's members.
    pub(super) members: &'a [super::resources::Resource],
}

impl Attributes<'_> {
    /// `get_attr [r, attribute, path...]` by the module's rules; `None` when a modelled type
    /// lacks the attribute.
    pub(super) fn get(&self, attribute: &str, path: &[Value]) -> Option<Value> {
        if self.kind == "OS::Heat::ResourceGroup" {
            let ids: Vec<String> = self.members.iter().map(|m| m.physical_id.clone()).collect();
            let member =
                |i: usize, key: &str, path: &[Value]| self.members.get(i)?.view().get(key, path);
            return super::natives::group_attribute(&ids, attribute, path, &member);
        }
        let found = self
            .hooked
            .get(attribute)
            .or_else(|| self.table.get(attribute))
            .or_else(|| self.properties.get(attribute));
        if let Some(found) = found {
            return Some(walk(found, path).unwrap_or(Value::Null));
        }
        if is_modelled(self.kind) {
            return None;
        }
        if attribute == "show" {
            let mut show = self.properties.as_object().cloned().unwrap_or_default();
            show.insert("id".into(), Value::String(self.physical_id.into()));
            return Some(walk(&Value::Object(show), path).unwrap_or(Value::Null));
        }
        let mut synthetic = format!("{}/{attribute}", self.physical_id);
        for step in path {
            synthetic.push('/');
            synthetic.push_str(&super::functions::py_str(step));
        }
        Some(Value::String(synthetic))
    }
}

impl Attributes<'_> {
    /// The map `get_attr [r]` answers: properties, overlaid by the table, then the hook.
    pub(super) fn all(&self) -> Value {
        let mut all = self.properties.as_object().cloned().unwrap_or_default();
        all.extend(self.table.clone());
        all.extend(self.hooked.clone());
        Value::Object(all)
    }
}

/// Follows `path` into `value` as Python's `collection[key]` does for Heat's path walks: map
/// keys, list and string indexes (negative from the end); `None` where Python raises
/// `KeyError`, `IndexError` or `TypeError`.
pub(super) fn walk(value: &Value, path: &[Value]) -> Option<Value> {
    let mut current = value.clone();
    for step in path {
        current = match (&current, step) {
            (Value::Object(map), Value::String(key)) => map.get(key)?.clone(),
            (Value::Array(items), Value::Number(n)) => items.get(index(n, items.len())?)?.clone(),
            (Value::String(text), Value::Number(n)) => {
                let chars: Vec<char> = text.chars().collect();
                Value::String(chars.get(index(n, chars.len())?)?.to_string())
            }
            _ => return None,
        };
    }
    Some(current)
}

/// A Python index (negative counts from the end) into a sequence of `len` items.
fn index(n: &serde_json::Number, len: usize) -> Option<usize> {
    let i = n.as_i64()?;
    if i >= 0 {
        usize::try_from(i).ok()
    } else {
        len.checked_sub(usize::try_from(i.unsigned_abs()).ok()?)
    }
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
