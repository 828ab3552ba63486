//! Waiting until the collector has settled: every due report written, no sleeping.

use std::time::Duration;

use heatbed::etcd::Backend;
use heatbed::fakes::Fakes;
use heatbed::scenario::{CollectorSpec, HeatSpec, Report};
use reqwest::Method;
use serde_json::Value;

use crate::support::{
    MONITORING_KEY, STATE_KEY, call, recorded_body, revision, rule, synced, value,
};

const SETTLE: Duration = Duration::from_secs(10);

#[tokio::test]
async fn settled_waits_for_every_due_report_and_only_those() {
    let etcd = Backend::Auto.start().await.expect("an etcd");
    let mut client = etcd.client();
    let statuses: Vec<Value> = ["UP", "FAIL"]
        .repeat(20)
        .into_iter()
        .map(Value::from)
        .collect();
    let spec = CollectorSpec {
        targets: vec![rule(
            "load_balancer_interfaces/*",
            Report::Statuses(statuses),
        )],
        ..CollectorSpec::default()
    };
    let fakes = Fakes::start_synced(&HeatSpec::default(), &spec, client.clone())
        .await
        .expect("fakes");
    call(&fakes, Method::POST, "/targets", Some(&recorded_body(2))).await;
    // Nothing is due yet: no state, then a state older than the target.
    fakes.collector_settled(SETTLE).await.expect("settled");
    client
        .put(STATE_KEY, r#"{"version": 1}"#, None)
        .await
        .expect("put");
    fakes.collector_settled(SETTLE).await.expect("settled");
    assert_eq!(value(&mut client, MONITORING_KEY).await, None);

    let from = revision(&mut client).await;
    client
        .put(STATE_KEY, r#"{"version": 2}"#, None)
        .await
        .expect("put");
    fakes.collector_settled(SETTLE).await.expect("settled");
    // Right after settling, without waiting: all 40 writes are in etcd, the last one last.
    let now = revision(&mut client).await;
    assert_eq!(now - from, 41, "the state and 40 status writes");
    assert_eq!(
        value(&mut client, MONITORING_KEY).await.as_deref(),
        Some(r#"{"interface":"FAIL","version":2}"#)
    );
}

#[tokio::test]
async fn settled_covers_deletes_and_is_immediate_without_a_syncer() {
    let fakes = Fakes::start(&HeatSpec::default(), &CollectorSpec::default()).await;
    call(&fakes, Method::POST, "/targets", Some(&recorded_body(1))).await;
    fakes
        .collector_settled(Duration::ZERO)
        .await
        .expect("no syncer, nothing to wait for");

    let (_etcd, mut client, fakes) = synced().await;
    let (_, created) = call(&fakes, Method::POST, "/targets", Some(&recorded_body(1))).await;
    client
        .put(STATE_KEY, r#"{"version": 1}"#, None)
        .await
        .expect("put");
    fakes.collector_settled(SETTLE).await.expect("settled");
    assert!(value(&mut client, MONITORING_KEY).await.is_some());
    let id = created["id"].as_str().expect("id");
    call(&fakes, Method::DELETE, &format!("/targets/{id}"), None).await;
    fakes.collector_settled(SETTLE).await.expect("settled");
    assert_eq!(
        value(&mut client, MONITORING_KEY).await,
        None,
        "deleted once settled"
    );
}

#[tokio::test]
async fn settled_reads_more_states_than_one_etcd_answer_holds() {
    let (_etcd, mut client, fakes) = synced().await;
    call(&fakes, Method::POST, "/targets", Some(&recorded_body(1))).await;
    // 1,200 states of 4 KiB: about 5 MiB, past an etcd client's 4 MiB answer limit.
    let padding = "x".repeat(4096);
    for i in 0..1200 {
        let key = format!("/state/v2.0/ports/{i:05}");
        let state = format!(r#"{{"version": 1, "padding": "{padding}"}}"#);
        client.put(key, state, None).await.expect("put");
    }
    client
        .put(STATE_KEY, r#"{"version": 1}"#, None)
        .await
        .expect("put");
    fakes.collector_settled(SETTLE).await.expect("settled");
    assert!(value(&mut client, MONITORING_KEY).await.is_some());
}
