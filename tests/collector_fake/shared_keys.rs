//! Scripted statuses through etcd for the catalogue's multi-target stacks: HA pairs with
//! object statuses and hold options, a status target beside per-device metrics targets,
//! two status targets on one key, and targets replaced on update or deleted with the stack.

use std::time::Duration;

use etcd_client::{Client as Etcd, EventType};
use heatbed::etcd::Backend;
use heatbed::fakes::Fakes;
use heatbed::scenario::{CollectorSpec, Report, TargetRule};
use reqwest::Method;
use serde_json::{Value, json};

use crate::catalogue::{Monitored, catalogue};
use crate::heat::Heat;
use crate::support::{call, quick_heat, revision, value, writes_after};

fn template(id: &str) -> Monitored {
    catalogue()
        .into_iter()
        .find(|m| m.id == id)
        .unwrap_or_else(|| panic!("{id} is in the catalogue"))
}

fn keys(m: &Monitored) -> (String, String) {
    let resource = format!("{}/{}", m.resource_type(), m.resource_id());
    (
        format!("/state/v2.0/{resource}"),
        format!("/monitoring/v2.0/{resource}"),
    )
}

async fn start(etcd: &Etcd, rules: Vec<TargetRule>) -> Fakes {
    let spec = CollectorSpec {
        targets: rules,
        ..CollectorSpec::default()
    };
    Fakes::start_synced(&quick_heat(), &spec, etcd.clone())
        .await
        .expect("fakes")
}

async fn settle(fakes: &Fakes) {
    fakes
        .collector_settled(Duration::from_secs(10))
        .await
        .expect("settled");
}

fn state(version: i64) -> String {
    format!(
        r#"{{"error": "", "state": {{"worker_state": "CREATE_COMPLETED"}}, "version": {version}}}"#
    )
}

fn puts(seen: &[(EventType, String, String)]) -> Vec<&str> {
    seen.iter().map(|(_, _, v)| v.as_str()).collect()
}

#[tokio::test]
async fn an_ha_pair_writes_object_statuses_in_order_held_as_its_options_say() {
    let etcd = Backend::Auto.start().await.expect("an etcd");
    let mut client = etcd.client();
    let m = template("gw_interface_aws");
    let master = json!({"primary": "MASTER", "secondary": "BACKUP"});
    let failover = json!({"primary": "BACKUP", "secondary": "MASTER"});
    // A 1-poll failover is held back (60 s < 360 s); a 6-poll one is written.
    let mut statuses = vec![master.clone(), failover.clone(), master.clone()];
    statuses.extend(std::iter::repeat_n(failover.clone(), 6));
    statuses.push(master.clone());
    let mut rule = TargetRule::new("gw_interfaces/*", Report::Statuses(statuses));
    rule.kind = Some("vrrp_pool".into());
    rule.hold = true;
    let fakes = start(&client, vec![rule]).await;
    let heat = Heat::login(&fakes).await;
    let stack = heat.create(&m.id, &m.template, &m.params_at(1)).await;
    let (state_key, key) = keys(&m);
    let from = revision(&mut client).await;
    client.put(state_key, state(1), None).await.expect("put");
    settle(&fakes).await;
    let seen = writes_after(&mut client, "/monitoring/", from, 3).await;
    assert_eq!(
        puts(&seen),
        [
            r#"{"status":{"primary":"MASTER","secondary":"BACKUP"},"version":1}"#,
            r#"{"status":{"primary":"BACKUP","secondary":"MASTER"},"version":1}"#,
            r#"{"status":{"primary":"MASTER","secondary":"BACKUP"},"version":1}"#,
        ]
    );
    assert!(
        seen.iter()
            .all(|(kind, k, _)| *kind == EventType::Put && *k == key)
    );
    // The agent's last result, an object, is what GET /targets/<id> shows.
    let id = heat.outputs(&m.id, &stack).await["monitoring_target_id"].clone();
    let path = format!("/targets/{}", id.as_str().expect("id"));
    let (_, shown) = call(&fakes, Method::GET, &path, None).await;
    assert_eq!(shown["values"][0]["value"], master);
    assert_eq!(shown["values"][0]["key"], "status");
}

#[tokio::test]
async fn rules_tell_apart_a_status_target_and_its_per_device_metrics_targets() {
    let etcd = Backend::Auto.start().await.expect("an etcd");
    let mut client = etcd.client();
    let m = template("aws_interface");
    let bgp = json!({"primary": "Established", "secondary": "Idle"});
    let mut silent_primary = TargetRule::new("aws_interfaces/*", Report::Silent);
    silent_primary.field = Some("primary_*".into());
    let mut status = TargetRule::new("aws_interfaces/*", Report::Statuses(vec![bgp.clone()]));
    status.kind = Some("bgp_pool".into());
    let fakes = start(&client, vec![silent_primary, status]).await;
    let heat = Heat::login(&fakes).await;
    let stack = heat.create(&m.id, &m.template, &m.params_at(1)).await;
    let (state_key, key) = keys(&m);
    client.put(state_key, state(1), None).await.expect("put");
    settle(&fakes).await;
    assert_eq!(
        value(&mut client, &key).await.as_deref(),
        Some(r#"{"status":{"primary":"Established","secondary":"Idle"},"version":1}"#)
    );
    let outputs = heat.outputs(&m.id, &stack).await;
    let shown = |output: &str| {
        let path = format!("/targets/{}", outputs[output].as_str().expect("an id"));
        let fakes = &fakes;
        async move { call(fakes, Method::GET, &path, None).await.1["values"].clone() }
    };
    assert_eq!(
        shown("primary_interface_monitoring_target_id").await,
        json!([])
    );
    let secondary = shown("secondary_interface_monitoring_target_id").await;
    assert_eq!(secondary[0]["value"], "UP");
    assert_eq!(shown("monitoring_target_id").await[0]["value"], bgp);
}

/// Two status targets of one resource, as an HA pair reporting each device apart would be.
fn pair(with_secondary: bool) -> Value {
    let monitor = |device: &str| {
        json!({"type": "ESI::Monitoring::MonitoringTarget", "properties": {
            "type": "vrrp_pool", "resource_type": "gw_interfaces",
            "resource_id": {"get_param": "gohan_id"}, "tenant_id": "t",
            "version": {"get_param": "version"}, "field_name": device,
            "properties": {"host": format!("{device}.example")},
            "syncer_properties": {"etcd": {"status": {"key": device}}}}})
    };
    let mut resources = json!({"primary_monitor": monitor("primary")});
    if with_secondary {
        resources["secondary_monitor"] = monitor("secondary");
    }
    json!({"heat_template_version": "2013-05-23",
        "parameters": {"gohan_id": {"type": "string"}, "version": {"type": "number"}},
        "resources": resources})
}

#[tokio::test]
async fn two_status_targets_on_one_key_keep_each_others_fields() {
    let etcd = Backend::Auto.start().await.expect("an etcd");
    let mut client = etcd.client();
    let by_field = |field: &str, status: &str| {
        let mut rule = TargetRule::new("gw_interfaces/*", Report::Statuses(vec![json!(status)]));
        rule.field = Some(field.into());
        rule
    };
    let fakes = start(
        &client,
        vec![
            by_field("primary", "MASTER"),
            by_field("secondary", "BACKUP"),
        ],
    )
    .await;
    let heat = Heat::login(&fakes).await;
    let params = json!({"gohan_id": "g1", "version": 1});
    let from = revision(&mut client).await;
    let stack = heat.create("pair", &pair(true), &params).await;
    client
        .put("/state/v2.0/gw_interfaces/g1", state(1), None)
        .await
        .expect("put");
    settle(&fakes).await;
    // One device leaves the stack: its field goes. Then the stack goes: the key goes.
    heat.update("pair", &stack, &pair(false), &params).await;
    heat.delete("pair", &stack).await;
    let seen = writes_after(&mut client, "/monitoring/", from, 4).await;
    let key = "/monitoring/v2.0/gw_interfaces/g1";
    assert_eq!(
        seen,
        [
            (
                EventType::Put,
                key.into(),
                r#"{"primary":"MASTER","version":1}"#.into()
            ),
            (
                EventType::Put,
                key.into(),
                r#"{"primary":"MASTER","secondary":"BACKUP","version":1}"#.into()
            ),
            (
                EventType::Put,
                key.into(),
                r#"{"primary":"MASTER","version":1}"#.into()
            ),
            (EventType::Delete, key.into(), String::new()),
        ]
    );
}

#[tokio::test]
async fn a_replaced_target_writes_its_whole_sequence_at_its_own_version() {
    let etcd = Backend::Auto.start().await.expect("an etcd");
    let mut client = etcd.client();
    let m = template("load_balancer_interface");
    let mut first = TargetRule::new("load_balancer_interfaces/*", Report::default());
    first.version = Some(1);
    let sequence = ["FAIL", "UP", "UP", "FAIL"].map(Value::from).to_vec();
    let mut second = TargetRule::new("load_balancer_interfaces/*", Report::Statuses(sequence));
    second.version = Some(2);
    let fakes = start(&client, vec![first, second]).await;
    let heat = Heat::login(&fakes).await;
    let (state_key, key) = keys(&m);
    let from = revision(&mut client).await;
    let stack = heat.create(&m.id, &m.template, &m.params_at(1)).await;
    client
        .put(state_key.as_str(), state(1), None)
        .await
        .expect("put");
    settle(&fakes).await;
    heat.update(&m.id, &stack, &m.template, &m.params_at(2))
        .await;
    // The state of the old version does not make the new target report.
    client
        .put(state_key.as_str(), state(1), None)
        .await
        .expect("put");
    settle(&fakes).await;
    assert_eq!(
        value(&mut client, &key).await,
        None,
        "deleted with the old target"
    );
    client
        .put(state_key.as_str(), state(2), None)
        .await
        .expect("put");
    settle(&fakes).await;
    heat.delete(&m.id, &stack).await;
    let seen = writes_after(&mut client, "/monitoring/", from, 6).await;
    let kinds: Vec<EventType> = seen.iter().map(|(kind, _, _)| *kind).collect();
    use EventType::{Delete, Put};
    assert_eq!(kinds, [Put, Delete, Put, Put, Put, Delete]);
    assert_eq!(
        seen.iter()
            .filter(|(kind, _, _)| *kind == Put)
            .map(|(_, _, v)| v.as_str())
            .collect::<Vec<_>>(),
        [
            r#"{"interface":"UP","version":1}"#,
            r#"{"interface":"FAIL","version":2}"#,
            r#"{"interface":"UP","version":2}"#,
            r#"{"interface":"FAIL","version":2}"#,
        ]
    );
}

#[tokio::test]
async fn a_silent_target_on_a_shared_key_does_not_keep_it_alive() {
    let etcd = Backend::Auto.start().await.expect("an etcd");
    let mut client = etcd.client();
    // The stack deletes its targets last first: the writer, then the silent one.
    let mut primary = TargetRule::new("gw_interfaces/*", Report::Silent);
    primary.field = Some("primary".into());
    let mut secondary = TargetRule::new("gw_interfaces/*", Report::Statuses(vec![json!("BACKUP")]));
    secondary.field = Some("secondary".into());
    let fakes = start(&client, vec![primary, secondary]).await;
    let heat = Heat::login(&fakes).await;
    let params = json!({"gohan_id": "g2", "version": 1});
    let from = revision(&mut client).await;
    let stack = heat.create("pair", &pair(true), &params).await;
    client
        .put("/state/v2.0/gw_interfaces/g2", state(1), None)
        .await
        .expect("put");
    settle(&fakes).await;
    let key = "/monitoring/v2.0/gw_interfaces/g2";
    assert_eq!(
        value(&mut client, key).await.as_deref(),
        Some(r#"{"secondary":"BACKUP","version":1}"#)
    );
    heat.delete("pair", &stack).await;
    settle(&fakes).await;
    // The silent target wrote nothing: no `{"version":1}` left behind on the way out.
    let seen = writes_after(&mut client, "/monitoring/", from, 2).await;
    assert_eq!(
        seen,
        [
            (
                EventType::Put,
                key.into(),
                r#"{"secondary":"BACKUP","version":1}"#.into()
            ),
            (EventType::Delete, key.into(), String::new()),
        ]
    );
    assert_eq!(value(&mut client, key).await, None);
}
