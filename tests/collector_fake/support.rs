//! Shared set-up: the recorded target body and answer keys, and a collector client.

use std::time::Duration;

use etcd_client::{Client as Etcd, EventType};
use heatbed::fakes::Fakes;
use heatbed::run::{Recorder, Write};
use heatbed::scenario::{HeatSpec, Report, TargetRule};
use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};

/// The body heat-engine posted for load balancer interface 24580bfc v1
/// (`CreateLoadbalancer_05.md`).
pub(crate) fn recorded_body(version: i64) -> Value {
    json!({
        "resource_id": "24580bfc-32f4-4c0f-8e8a-c7288497aa7c",
        "tenant_id": "fe3a4a1a72c04479bb6c19c2c0ccba4c",
        "version": version,
        "syncer_properties": {
            "tsdb": {
                "traffic.in": {"metric": "traffic.bytes", "tags": {"direction": "in", "resource_id": "24580bfc-32f4-4c0f-8e8a-c7288497aa7c"}},
                "traffic.out": {"metric": "traffic.bytes", "tags": {"direction": "out", "resource_id": "24580bfc-32f4-4c0f-8e8a-c7288497aa7c"}}
            },
            "etcd": {"status": {"key": "interface"}}
        },
        "field_name": "interface",
        "type": "snmp_ports",
        "properties": {"community_name": "***", "device_ip": "100.64.193.3", "if_name": "1/1"},
        "resource_type": "load_balancer_interfaces"
    })
}

/// The keys of the recorded answers.
pub(crate) const CREATED_KEYS: [&str; 12] = [
    "created_at",
    "field_name",
    "id",
    "link",
    "monitorer",
    "properties",
    "resource_id",
    "resource_type",
    "syncer_properties",
    "tenant_id",
    "type",
    "version",
];
pub(crate) const VALUE_KEYS: [&str; 6] = [
    "fail_counter",
    "key",
    "last_changed",
    "last_reported",
    "reporter",
    "value",
];

pub(crate) const STATE_KEY: &str =
    "/state/v2.0/load_balancer_interfaces/24580bfc-32f4-4c0f-8e8a-c7288497aa7c";
pub(crate) const MONITORING_KEY: &str =
    "/monitoring/v2.0/load_balancer_interfaces/24580bfc-32f4-4c0f-8e8a-c7288497aa7c";

pub(crate) async fn call(
    fakes: &Fakes,
    method: Method,
    path: &str,
    body: Option<&Value>,
) -> (StatusCode, Value) {
    let mut request = Client::new().request(method, format!("{}{path}", fakes.collector_url()));
    if let Some(body) = body {
        request = request.json(body);
    }
    let response = request.send().await.expect("collector answers");
    let status = response.status();
    let text = response.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

pub(crate) fn keys(value: &Value) -> Vec<String> {
    let mut keys: Vec<String> = value
        .as_object()
        .expect("an object")
        .keys()
        .cloned()
        .collect();
    keys.sort();
    keys
}

pub(crate) fn rule(pattern: &str, report: Report) -> TargetRule {
    TargetRule::new(pattern, report)
}

/// A fake Heat whose stacks complete at the first read.
pub(crate) fn quick_heat() -> HeatSpec {
    HeatSpec {
        in_progress_reads: 0,
        ..HeatSpec::default()
    }
}

/// etcd's current revision.
pub(crate) async fn revision(etcd: &mut Etcd) -> i64 {
    etcd.get("/", None)
        .await
        .expect("get")
        .header()
        .expect("header")
        .revision()
}

/// One write seen by a watch: put or delete, key, value.
pub(crate) type Seen = (EventType, String, String);

/// The writes under `prefix` after `revision`, once `count` of them arrived (10 s at most),
/// as the run's recorder sees them.
pub(crate) async fn writes_after(
    etcd: &mut Etcd,
    prefix: &str,
    revision: i64,
    count: usize,
) -> Vec<Seen> {
    let recorder = Recorder::start(etcd.clone(), revision + 1)
        .await
        .expect("watch");
    let under = |history: &[Write]| -> Vec<Seen> {
        history
            .iter()
            .filter(|w| w.key.starts_with(prefix))
            .map(|w| match &w.value {
                Some(value) => (
                    EventType::Put,
                    w.key.clone(),
                    String::from_utf8(value.clone()).expect("utf-8"),
                ),
                None => (EventType::Delete, w.key.clone(), String::new()),
            })
            .collect()
    };
    match recorder
        .wait_for(|h| under(h).len() >= count, Duration::from_secs(10))
        .await
    {
        Ok(history) => under(&history),
        Err(history) => panic!(
            "{count} writes under {prefix} in time; saw {:?}",
            under(&history)
        ),
    }
}

/// The value at `key`, if any.
pub(crate) async fn value(etcd: &mut Etcd, key: &str) -> Option<String> {
    let answer = etcd.get(key, None).await.expect("get");
    answer
        .kvs()
        .first()
        .map(|kv| kv.value_str().expect("utf-8").to_string())
}

/// An etcd of its own and the fakes (default rules) synced to it; keep the etcd alive.
pub(crate) async fn synced() -> (heatbed::etcd::Etcd, Etcd, Fakes) {
    let etcd = heatbed::etcd::Backend::Auto.start().await.expect("an etcd");
    let client = etcd.client();
    let fakes = Fakes::start_synced(
        &HeatSpec::default(),
        &heatbed::scenario::CollectorSpec::default(),
        client.clone(),
    )
    .await
    .expect("fakes");
    (etcd, client, fakes)
}
