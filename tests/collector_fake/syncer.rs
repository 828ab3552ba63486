//! The etcd syncer on a real etcd: status writes follow the state and go with the target.

use etcd_client::{Client as Etcd, EventType};
use heatbed::etcd::Backend;
use heatbed::fakes::Fakes;
use heatbed::scenario::{CollectorSpec, HeatSpec, Report};
use reqwest::{Method, StatusCode};

use crate::support::{
    MONITORING_KEY, STATE_KEY, Seen, VALUE_KEYS, call, keys, recorded_body, rule, synced, value,
    writes_after,
};

/// Puts `value` at `key` and returns the writes under `/monitoring/` that follow, until
/// `until` of them arrived.
async fn writes_after_put(etcd: &mut Etcd, key: &str, value: &str, until: usize) -> Vec<Seen> {
    let put = etcd.put(key, value, None).await.expect("put");
    let revision = put.header().expect("header").revision();
    writes_after(etcd, "/monitoring/", revision, until).await
}

#[tokio::test]
async fn the_syncer_writes_after_the_state_and_deletes_with_the_target() {
    let (_etcd, mut client, fakes) = synced().await;
    let (_, created) = call(&fakes, Method::POST, "/targets", Some(&recorded_body(1))).await;
    let id = created["id"].as_str().expect("id").to_string();
    assert!(
        client
            .get(MONITORING_KEY, None)
            .await
            .expect("get")
            .kvs()
            .is_empty()
    );

    let state = r#"{"error": "", "state": {"worker_state": "CREATE_COMPLETED"}, "version": 1}"#;
    let writes = writes_after_put(&mut client, STATE_KEY, state, 1).await;
    assert_eq!(
        writes,
        vec![(
            EventType::Put,
            MONITORING_KEY.to_string(),
            r#"{"interface":"UP","version":1}"#.to_string()
        )]
    );
    let (_, shown) = call(&fakes, Method::GET, &format!("/targets/{id}"), None).await;
    let result = &shown["values"][0];
    assert_eq!(keys(result), VALUE_KEYS);
    assert_eq!(result["value"], "UP");
    assert_eq!(result["reporter"], "SNMPPortPool");
    assert_eq!(result["last_reported"], "2018-02-19T05:23:01Z");

    let (status, _) = call(&fakes, Method::DELETE, &format!("/targets/{id}"), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    fakes
        .collector_settled(std::time::Duration::from_secs(10))
        .await
        .expect("settled");
    assert_eq!(
        value(&mut client, MONITORING_KEY).await,
        None,
        "the key goes with the target"
    );
}

#[tokio::test]
async fn flapping_statuses_are_written_in_order_and_repeats_skipped() {
    let etcd = Backend::Auto.start().await.expect("an etcd");
    let mut client = etcd.client();
    let statuses = ["UP", "UP", "DOWN", "UP"]
        .map(serde_json::Value::from)
        .to_vec();
    let spec = CollectorSpec {
        targets: vec![rule(
            "load_balancer_interfaces/24580bfc-*",
            Report::Statuses(statuses),
        )],
        ..CollectorSpec::default()
    };
    let fakes = Fakes::start_synced(&HeatSpec::default(), &spec, client.clone())
        .await
        .expect("fakes");
    call(&fakes, Method::POST, "/targets", Some(&recorded_body(2))).await;
    // A state at an older version does not count.
    let old = r#"{"version": 1}"#;
    client.put(STATE_KEY, old, None).await.expect("put");
    let writes = writes_after_put(&mut client, STATE_KEY, r#"{"version": 2}"#, 3).await;
    let values: Vec<&str> = writes.iter().map(|(_, _, v)| v.as_str()).collect();
    assert_eq!(
        values,
        [
            r#"{"interface":"UP","version":2}"#,
            r#"{"interface":"DOWN","version":2}"#,
            r#"{"interface":"UP","version":2}"#
        ]
    );
}

#[tokio::test]
async fn unreachable_devices_report_fail() {
    let etcd = Backend::Auto.start().await.expect("an etcd");
    let mut client = etcd.client();
    let spec = CollectorSpec {
        targets: vec![rule("*", Report::Unreachable)],
        ..CollectorSpec::default()
    };
    let fakes = Fakes::start_synced(&HeatSpec::default(), &spec, client.clone())
        .await
        .expect("fakes");
    let (_, created) = call(&fakes, Method::POST, "/targets", Some(&recorded_body(1))).await;
    let writes = writes_after_put(&mut client, STATE_KEY, r#"{"version": 1}"#, 1).await;
    assert_eq!(writes[0].2, r#"{"interface":"FAIL","version":1}"#);
    let (_, shown) = call(
        &fakes,
        Method::GET,
        &format!("/targets/{}", created["id"].as_str().expect("id")),
        None,
    )
    .await;
    assert_eq!(shown["values"][0]["value"], "FAIL");
    assert_eq!(shown["values"][0]["fail_counter"], 1);
}
