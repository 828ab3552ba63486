//! Several targets on one `/monitoring` key.
//!
//! The catalogue has stacks with several targets for one resource: a status target plus a
//! metrics target per device (`bgp_monitor` and `{{ device }}_interface_metric_monitor` of
//! the `*_interface` templates), one per device (`{{ device }}_igs_metric_monitor` of
//! `internet_gateway`). All of them name the same `resource_type` and `resource_id`, so any
//! that has a `syncer_properties.etcd.status.key` writes the same key. No recorded run had
//! two such targets, so this is a documented choice: the recorded syncer read the key
//! before every put ("Checking payload in ETCD", "Got data", "Remote value didn't matched to
//! payload"), so the fake merges: each target sets its own status field and `version` in
//! the value it read, leaving the other targets' fields alone, and skips a put that would
//! not change the value. When a target goes, its field goes; the key is deleted when no
//! target that wrote to it is left, which is the recorded single-target behaviour
//! (`Deleting /monitoring/… from ETCD` at once, even when a replacement follows).

use std::collections::HashMap;

use serde_json::{Map, Value};

/// Which targets wrote which status field of which key: `key -> [(target id, status key)]`.
#[derive(Debug, Default)]
pub(super) struct Registry {
    writers: HashMap<String, Vec<(String, String)>>,
}

impl Registry {
    /// Target `id` writes `status_key` of `key`.
    pub(super) fn add(&mut self, key: &str, id: &str, status_key: &str) {
        let writers = self.writers.entry(key.to_string()).or_default();
        if !writers.iter().any(|(i, _)| i == id) {
            writers.push((id.to_string(), status_key.to_string()));
        }
    }

    /// Target `id` is gone: the status keys the remaining writers of `key` own.
    pub(super) fn remove(&mut self, key: &str, id: &str) -> Vec<String> {
        let Some(writers) = self.writers.get_mut(key) else {
            return Vec::new();
        };
        writers.retain(|(i, _)| i != id);
        let kept: Vec<String> = writers.iter().map(|(_, k)| k.clone()).collect();
        if kept.is_empty() {
            self.writers.remove(key);
        }
        kept
    }
}

/// `current` with `status_key` set to `status` and `version` to `version`; a value that is
/// not a JSON object is replaced.
pub(super) fn with_status(
    current: Option<&Value>,
    status_key: &str,
    status: &Value,
    version: i64,
) -> Value {
    let mut value = object(current);
    value.insert(status_key.to_string(), status.clone());
    value.insert(VERSION.to_string(), Value::from(version));
    Value::Object(value)
}

/// `current` with only the fields of `kept` status keys and `version`.
pub(super) fn without_others(current: Option<&Value>, kept: &[String]) -> Value {
    let mut value = object(current);
    value.retain(|k, _| k == VERSION || kept.iter().any(|kept| kept == k));
    Value::Object(value)
}

fn object(current: Option<&Value>) -> Map<String, Value> {
    match current {
        Some(Value::Object(map)) => map.clone(),
        _ => Map::new(),
    }
}

/// The field that carries the writing target's version.
const VERSION: &str = "version";

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::encoding::go_json;

    #[test]
    fn values_are_go_encoded_as_recorded() {
        let cases = [
            (
                "interface",
                json!("UP"),
                1,
                r#"{"interface":"UP","version":1}"#,
            ),
            ("vmi", json!("FAIL"), 3, r#"{"version":3,"vmi":"FAIL"}"#),
            (
                "status",
                json!({"secondary": "BACKUP", "primary": "MASTER"}),
                2,
                r#"{"status":{"primary":"MASTER","secondary":"BACKUP"},"version":2}"#,
            ),
        ];
        for (key, status, version, expected) in cases {
            assert_eq!(go_json(&with_status(None, key, &status, version)), expected);
        }
    }

    #[test]
    fn targets_of_one_resource_keep_each_others_fields() {
        let first = with_status(None, "primary_router", &json!("UP"), 1);
        let both = with_status(Some(&first), "secondary_router", &json!("FAIL"), 1);
        assert_eq!(
            go_json(&both),
            r#"{"primary_router":"UP","secondary_router":"FAIL","version":1}"#
        );
        let left = without_others(Some(&both), &["secondary_router".to_string()]);
        assert_eq!(go_json(&left), r#"{"secondary_router":"FAIL","version":1}"#);
        assert_eq!(
            go_json(&with_status(Some(&json!("garbage")), "s", &json!("UP"), 2)),
            r#"{"s":"UP","version":2}"#
        );
    }

    #[test]
    fn the_registry_knows_who_is_left_on_a_key() {
        let mut registry = Registry::default();
        registry.add("/m/a", "t1", "primary_router");
        registry.add("/m/a", "t2", "secondary_router");
        registry.add("/m/a", "t2", "secondary_router");
        assert_eq!(registry.remove("/m/a", "t1"), ["secondary_router"]);
        assert!(registry.remove("/m/a", "t2").is_empty());
        assert!(registry.remove("/m/b", "t3").is_empty());
    }
}
