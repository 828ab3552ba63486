//! What resource types exist: the Gohan schemas of the recorded run (`memo/schemas.txt`),
//! reduced to what the job manager reads from them — the key path (`prefix`), the
//! `metadata.template_path` mapping and the relations (properties carrying `relation`, the
//! same table as `memo/_relations.md`). Real Gohan schemas are not in etcd, so they are
//! embedded as data (`schemas.json`, generated from `schemas.txt`).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::Value;

/// Heat templates live under this path; they are not resources.
pub(crate) const TEMPLATES_PATH: &str = "v2.0/heat_templates";

/// One resource type.
#[derive(Debug, Deserialize)]
pub(crate) struct Schema {
    /// The schema id, which is the resource type (`port`, `load_balancer_conf`).
    pub(crate) id: String,
    /// `prefix` without the leading slash (`v2.0/ports`): `/config/<path>/<id>`.
    pub(crate) path: String,
    /// `metadata.template_path`: a mapping resolving to the template id (or `null`).
    #[serde(default)]
    pub(crate) template_path: Option<Value>,
    /// Foreign key field -> related resource type.
    #[serde(default)]
    pub(crate) relations: BTreeMap<String, String>,
}

/// Every schema of the recorded run.
#[derive(Debug)]
pub(crate) struct Schemas {
    by_path: BTreeMap<String, Schema>,
    by_type: BTreeMap<String, String>,
    /// Foreign key field -> the related type every schema declaring it agrees on (`None`
    /// when two disagree).
    by_field: BTreeMap<String, Option<String>>,
}

impl Schemas {
    /// The embedded schemas.
    pub(crate) fn recorded() -> &'static Schemas {
        static SCHEMAS: OnceLock<Schemas> = OnceLock::new();
        SCHEMAS.get_or_init(|| {
            let list: Vec<Schema> = serde_json::from_str(include_str!("schemas.json"))
                .expect("embedded schemas.json is valid");
            let by_type = list
                .iter()
                .map(|s| (s.id.clone(), s.path.clone()))
                .collect();
            let mut by_field: BTreeMap<String, Option<String>> = BTreeMap::new();
            for (field, target) in list.iter().flat_map(|s| &s.relations) {
                by_field
                    .entry(field.clone())
                    .and_modify(|agreed| {
                        if agreed.as_ref() != Some(target) {
                            *agreed = None;
                        }
                    })
                    .or_insert_with(|| Some(target.clone()));
            }
            let by_path = list.into_iter().map(|s| (s.path.clone(), s)).collect();
            Schemas {
                by_path,
                by_type,
                by_field,
            }
        })
    }

    /// The schema whose resources live under `dir` (`v2.0/ports`).
    pub(crate) fn by_path(&self, dir: &str) -> Option<&Schema> {
        self.by_path.get(dir)
    }

    /// Every resource type, sorted.
    pub(crate) fn types(&self) -> impl Iterator<Item = &str> {
        self.by_type.keys().map(String::as_str)
    }

    /// The schema of resource type `type_`.
    pub(crate) fn by_type(&self, type_: &str) -> Option<&Schema> {
        self.by_type.get(type_).and_then(|p| self.by_path.get(p))
    }

    /// The related type of `type_`'s foreign key `field`. A type without schema (paired with
    /// a template by its plural) relates a field the way every schema that declares the same
    /// field does (`ha_router_id` is always a `ha_router`); none if they disagree.
    pub(crate) fn relation(&self, type_: &str, field: &str) -> Option<&str> {
        match self.by_type(type_) {
            Some(schema) => schema.relations.get(field).map(String::as_str),
            None => self.by_field.get(field)?.as_deref(),
        }
    }
}

/// A resource key: `/config/<path>` split into its type and id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct ResourceKey {
    /// The resource type (schema id; for an unknown schema, its last path segment).
    pub(crate) type_: String,
    /// The resource id.
    pub(crate) id: String,
}

/// What a `/config/<path>` key names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ConfigKey {
    /// `/config/v2.0/heat_templates/<template id>`.
    Template(String),
    /// A resource; `known` is false when no schema has its path (and, through the job
    /// manager's `classify`, no heat template pairs with it: [`unseen_type`]).
    Resource {
        /// Type and id.
        key: ResourceKey,
        /// Whether a schema claims the path.
        known: bool,
    },
}

/// Classifies `path` (the `/config/` key minus `/config/`). `None` for a path without an id.
pub(crate) fn classify(path: &str) -> Option<ConfigKey> {
    let (dir, id) = path.rsplit_once('/')?;
    if id.is_empty() || dir.is_empty() {
        return None;
    }
    if dir == TEMPLATES_PATH {
        return Some(ConfigKey::Template(id.to_string()));
    }
    let (type_, known) = match Schemas::recorded().by_path(dir) {
        Some(schema) => (schema.id.clone(), true),
        None => (dir.rsplit('/').next().unwrap_or(dir).to_string(), false),
    };
    Some(ConfigKey::Resource {
        key: ResourceKey {
            type_,
            id: id.to_string(),
        },
        known,
    })
}

/// Gohan's plural of a resource type: `traffic_mirrors`, `reserve_addresses`, `policies`. The
/// heat worker derives its keys from a job's `resource_type` with this same function.
pub(crate) fn plural(singular: &str) -> String {
    if singular.ends_with('s') || singular.ends_with('x') {
        format!("{singular}es")
    } else if let Some(stem) = singular
        .strip_suffix('y')
        .filter(|s| !s.ends_with(['a', 'e', 'o', 'u']))
    {
        format!("{stem}ies")
    } else {
        format!("{singular}s")
    }
}

/// A resource type no embedded schema knows, paired with a heat template: the template whose
/// id's [`plural`] is the key's plural (`/config/v2.0/traffic_mirrors/<id>` with
/// `/config/v2.0/heat_templates/traffic_mirror`). That is what a Gohan schema with id
/// `<template id>`, plural `<plural>`, `template_path: "C<template id>"` and no relations
/// would give; hyphens in the plural count as underscores (`security-groups`).
pub(crate) fn unseen_type<'a>(
    plural_segment: &str,
    template_ids: impl IntoIterator<Item = &'a String>,
) -> Option<&'a String> {
    let wanted = plural_segment.replace('-', "_");
    template_ids
        .into_iter()
        .filter(|id| plural(id) == wanted)
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_resolve_to_types_and_relations_match_the_memo() {
        let port = classify("v2.0/ports/ddc14be4").unwrap();
        assert_eq!(
            port,
            ConfigKey::Resource {
                key: ResourceKey {
                    type_: "port".into(),
                    id: "ddc14be4".into()
                },
                known: true
            }
        );
        let tenant = classify("common/v1.0/tenants/fe3a").unwrap();
        assert!(
            matches!(tenant, ConfigKey::Resource { key, known: true } if key.type_ == "tenant")
        );
        assert_eq!(
            classify("v2.0/heat_templates/port"),
            Some(ConfigKey::Template("port".into()))
        );
        assert!(matches!(
            classify("v9/widgets/1"),
            Some(ConfigKey::Resource { known: false, .. })
        ));
        let schemas = Schemas::recorded();
        assert_eq!(
            schemas.relation("load_balancer_interface", "load_balancer_id"),
            Some("load_balancer")
        );
        assert_eq!(
            schemas.relation("load_balancer_plan", "vnf_template_id"),
            Some("vnf_template")
        );
        assert!(
            schemas
                .by_type("vnf_interface")
                .unwrap()
                .template_path
                .is_none()
        );
        assert!(schemas.by_type("port").unwrap().template_path.is_some());
        assert_eq!(
            schemas.relation("qos_option_interdc", "ha_router_id"),
            Some("ha_router")
        );
        assert_eq!(schemas.relation("port", "ha_router_id"), None);
    }

    #[test]
    fn unseen_plurals_pair_with_the_template_of_their_singular() {
        let ids: Vec<String> = ["traffic_mirror", "policy", "address", "traffic_mirrors"]
            .map(String::from)
            .into();
        assert_eq!(
            unseen_type("traffic_mirrors", &ids).map(String::as_str),
            Some("traffic_mirror")
        );
        assert_eq!(
            unseen_type("policies", &ids).map(String::as_str),
            Some("policy")
        );
        assert_eq!(
            unseen_type("addresses", &ids).map(String::as_str),
            Some("address")
        );
        assert_eq!(
            unseen_type("traffic-mirrors", &ids).map(String::as_str),
            Some("traffic_mirror")
        );
        assert_eq!(unseen_type("widgets", &ids), None);
        for (one, many) in [
            ("network", "networks"),
            ("vnf_instance", "vnf_instances"),
            ("reserve_address", "reserve_addresses"),
            ("policy", "policies"),
            ("gateway", "gateways"),
        ] {
            assert_eq!(plural(one), many);
        }
    }
}
