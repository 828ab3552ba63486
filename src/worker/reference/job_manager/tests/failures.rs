//! Hostile or unknown mappings: a resource whose job cannot be built gets a failed state, not
//! silence; a huge mapping is a job, not a crash.

use serde_json::{Value, json};

use super::support::*;

#[tokio::test]
async fn a_mapping_with_an_unknown_prefix_fails_the_resource_with_a_reason() {
    let etcd = Backend::Embedded.start().await.expect("embedded etcd");
    let mut c = etcd.client();
    let worker = Running::start(etcd.endpoints());
    template(
        &mut c,
        "network",
        json!({"name": "Pid", "odd": "Xwhatever"}),
    )
    .await;

    let net = json!({"id": "n1"});
    put(&mut c, "/config/v2.0/networks/n1", gohan(&net, false, 1)).await;
    let state = wait_for(&mut c, "/state/v2.0/networks/n1", "a state", |k| {
        k.len() == 1
    })
    .await;

    let state: Value = serde_json::from_str(&state[0].1).expect("JSON");
    assert_eq!(state["version"], 1);
    assert_eq!(state["state"]["worker_state"], "CREATE_FAILED");
    assert_eq!(state["state"]["orchestration_state"], "CREATE_FAILED");
    assert_eq!(state["state"]["heat_outputs"], "[]");
    assert_eq!(
        state["error"],
        "cannot build the job from template network: unsupported mapping \"Xwhatever\""
    );
    let jobs = c
        .get(
            "/jobs/all/",
            Some(etcd_client::GetOptions::new().with_prefix()),
        )
        .await
        .expect("get");
    assert_eq!(jobs.count(), 0, "no job was scheduled");
    worker.stop().await;
}

#[tokio::test]
async fn a_two_thousand_character_concatenation_becomes_a_job() {
    let etcd = Backend::Embedded.start().await.expect("embedded etcd");
    let mut c = etcd.client();
    let worker = Running::start(etcd.endpoints());
    let long = format!("{}Cx&Pid", "A".repeat(2_000));
    template(&mut c, "network", json!({"name": long})).await;

    let net = json!({"id": "n1"});
    put(&mut c, "/config/v2.0/networks/n1", gohan(&net, false, 1)).await;
    let (_, job) = job(&mut c, "create:heat_worker:network:n1:").await;

    assert_eq!(job["params"][0]["param"], "name");
    assert_eq!(job["params"][0]["value"], "xn1");
    worker.stop().await;
}
