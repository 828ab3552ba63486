//! Every MonitoringTarget shape of the catalogue, driven through the fake Heat as heat-engine
//! would: targets registered with their resolved properties, outputs naming them, and each
//! target's default status reaching `/monitoring` once the resource's `/state` is written.

use std::time::Duration;

use heatbed::encoding::go_json;
use heatbed::etcd::Backend;
use heatbed::fakes::Fakes;
use heatbed::scenario::CollectorSpec;
use reqwest::Method;
use serde_json::{Map, Value, json};

use crate::catalogue::{Monitored, catalogue, healthy, status_key};
use crate::heat::Heat;
use crate::support::{call, quick_heat, value};

/// Fields heat-engine posted, echoed by the collector.
const ECHOED: [&str; 8] = [
    "type",
    "resource_type",
    "resource_id",
    "field_name",
    "tenant_id",
    "version",
    "properties",
    "syncer_properties",
];

#[test]
fn the_catalogue_has_every_shape_the_issue_names() {
    let catalogue = catalogue();
    assert_eq!(catalogue.len(), 24, "templates with a MonitoringTarget");
    let monitors: Vec<&Value> = catalogue
        .iter()
        .flat_map(|m| m.monitors.iter().map(|(_, p)| p))
        .collect();
    assert_eq!(monitors.len(), 35);
    let count = |pick: &dyn Fn(&Value) -> bool| monitors.iter().filter(|p| pick(p)).count();
    // Object positive statuses (HA pairs, per-VRID pairs) and string ones.
    assert_eq!(count(&|p| healthy(p).is_object()), 8);
    assert_eq!(
        count(&|p| p.pointer("/syncer_properties/etcd/hold_options").is_some()),
        10
    );
    // Metrics-only targets (tsdb, no etcd status).
    assert_eq!(count(&|p| status_key(p).is_none()), 12);
    // Several targets per stack, one per device included.
    let several = catalogue.iter().filter(|m| m.monitors.len() > 1).count();
    assert_eq!(several, 6);
    let types: std::collections::BTreeSet<&str> =
        monitors.iter().filter_map(|p| p["type"].as_str()).collect();
    assert_eq!(types.len(), 11, "{types:?}");
}

#[tokio::test]
async fn every_catalogue_target_is_registered_as_heat_engine_would() {
    let fakes = Fakes::start(&quick_heat(), &CollectorSpec::default()).await;
    let heat = Heat::login(&fakes).await;
    let mut output_keys = std::collections::BTreeSet::new();
    for m in catalogue() {
        let stack = heat.create(&m.id, &m.template, &m.params_at(1)).await;
        let outputs = heat.outputs(&m.id, &stack).await;
        let (_, all) = call(&fakes, Method::GET, "/targets", None).await;
        let mine: Vec<&Value> = all
            .as_array()
            .expect("a list")
            .iter()
            .filter(|t| t["resource_id"] == m.resource_id())
            .collect();
        assert_eq!(mine.len(), m.monitors.len(), "{}", m.id);
        for (name, expected) in &m.monitors {
            let target = mine
                .iter()
                .find(|t| {
                    t["type"] == expected["type"] && t["field_name"] == expected["field_name"]
                })
                .unwrap_or_else(|| panic!("{}: {name} has a target", m.id));
            for field in ECHOED {
                assert_eq!(target[field], expected[field], "{}: {name}.{field}", m.id);
            }
        }
        // `monitoring_target_id`, `<device>_monitoring_target_id`, ...: one per target.
        let mut named: Vec<&str> = outputs
            .iter()
            .filter(|(k, _)| k.ends_with("monitoring_target_id"))
            .filter_map(|(_, v)| v.as_str())
            .collect();
        output_keys.extend(outputs.keys().cloned());
        named.sort_unstable();
        named.dedup();
        assert_eq!(named.len(), m.monitors.len(), "{}: {outputs:?}", m.id);
        for (key, output) in &outputs {
            let field = if key.ends_with("monitoring_link") {
                "link"
            } else {
                "id"
            };
            assert!(
                mine.iter().any(|t| &t[field] == output),
                "{}: output {key} = {output} names a target",
                m.id
            );
        }
    }
    // One target per device: `{{ device }}_monitoring_target_id` (internet_gateway).
    for key in [
        "primary_monitoring_target_id",
        "secondary_monitoring_target_id",
    ] {
        assert!(output_keys.contains(key), "{output_keys:?}");
    }
}

/// What `/monitoring/v2.0/<resource>` holds once every target reported its default status.
fn expected_value(m: &Monitored) -> Option<String> {
    let mut fields = Map::new();
    for (_, properties) in &m.monitors {
        if let Some(key) = status_key(properties) {
            fields.insert(key.to_string(), healthy(properties));
        }
    }
    (!fields.is_empty()).then(|| {
        fields.insert("version".into(), json!(1));
        go_json(&Value::Object(fields))
    })
}

#[tokio::test]
async fn every_catalogue_target_reports_its_default_status_through_etcd() {
    let etcd = Backend::Auto.start().await.expect("an etcd");
    let mut client = etcd.client();
    let spec = CollectorSpec::default();
    let fakes = Fakes::start_synced(&quick_heat(), &spec, client.clone())
        .await
        .expect("fakes");
    let heat = Heat::login(&fakes).await;
    let catalogue = catalogue();
    for m in &catalogue {
        heat.create(&m.id, &m.template, &m.params_at(1)).await;
        let state = format!("/state/v2.0/{}/{}", m.resource_type(), m.resource_id());
        let value = r#"{"error": "", "state": {"worker_state": "CREATE_COMPLETED"}, "version": 1}"#;
        client.put(state, value, None).await.expect("put");
    }
    fakes
        .collector_settled(Duration::from_secs(10))
        .await
        .expect("every due report is written");
    let mut objects = 0;
    for m in &catalogue {
        let key = format!("/monitoring/v2.0/{}/{}", m.resource_type(), m.resource_id());
        let expected = expected_value(m);
        objects += usize::from(expected.as_deref().is_some_and(|v| v.contains(":{")));
        assert_eq!(value(&mut client, &key).await, expected, "{}", m.id);
    }
    // e.g. {"status":{"primary":"MASTER","secondary":"BACKUP"},"version":1}
    assert_eq!(objects, 8);
}
