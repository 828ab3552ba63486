//! A worker killed in the middle of a job (the reference worker's tasks aborted, as a crash)
//! and started again with the same env finishes the job: the dead worker's claim expires,
//! the new job manager queues the job again, the new heat worker finds the stack and brings
//! it to its end. No job is lost, none is left behind.

use std::time::Duration;

use etcd_client::{Client, GetOptions, WatchOptions};
use heatbed::etcd::Backend;
use heatbed::fakes::Fakes;
use heatbed::scenario::{CollectorSpec, HeatSpec, StackRule, WorkerSpec};
use heatbed::worker::{Worker, WorkerEnv};
use serde_json::{Map, Value, json};

const TEMPLATE: &str = "heat_template_version: 2013-05-23
parameters:
  name: {type: string}
resources:
  network:
    type: OS::Contrail::VirtualNetwork
    properties: {name: {get_param: name}}
outputs:
  id: {value: {get_resource: network}}
";
const RELEASE: &str = "/test/release";

/// Waits (on a watch, bounded) until `ready` holds for the keys under `prefix`.
async fn until(client: &mut Client, prefix: &str, ready: impl Fn(&[(String, Value)]) -> bool) {
    let work = async {
        loop {
            let answer = client
                .get(prefix, Some(GetOptions::new().with_prefix()))
                .await
                .expect("get");
            let kvs: Vec<(String, Value)> = answer
                .kvs()
                .iter()
                .map(|kv| {
                    let value = serde_json::from_slice(kv.value()).unwrap_or(Value::Null);
                    (kv.key_str().expect("utf-8").to_string(), value)
                })
                .collect();
            if ready(&kvs) {
                return;
            }
            let next = answer.header().expect("header").revision() + 1;
            let options = WatchOptions::new().with_prefix().with_start_revision(next);
            let mut stream = client.watch(prefix, Some(options)).await.expect("watch");
            stream.message().await.expect("watch message");
        }
    };
    tokio::time::timeout(Duration::from_secs(30), work)
        .await
        .unwrap_or_else(|_| panic!("timed out waiting under {prefix}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_killed_mid_job_and_restarted_finishes_the_job() {
    let etcd = Backend::Embedded.start().await.expect("etcd");
    let mut client = etcd.client();
    let heat = HeatSpec {
        stacks: vec![StackRule {
            pattern: "network_*".into(),
            generation: None,
            in_progress_reads: None,
            outputs: Map::new(),
            output_order: Vec::new(),
            fail: Vec::new(),
            http_error: None,
            latency: None,
            hold_until: vec![RELEASE.into()],
        }],
        ..HeatSpec::default()
    };
    let fakes = Fakes::start_synced(&heat, &CollectorSpec::default(), client.clone())
        .await
        .expect("fakes");
    let env = WorkerEnv::new(&etcd, &fakes);
    let spec = WorkerSpec::Reference { slots: 8 };
    let mut worker = Worker::start(&spec, &env).await.expect("worker");

    let template = json!({"handler": "heat_worker", "id": "network", "watch": [],
        "template_file": TEMPLATE, "parameter_mappings": {"name": "Pname"}});
    let stored = |body: &Value| {
        json!({"body": body.to_string(), "marked_for_deletion": false, "version": 1}).to_string()
    };
    client
        .put(
            "/config/v2.0/heat_templates/network",
            stored(&template),
            None,
        )
        .await
        .expect("template");
    let network = json!({"id": "n1", "name": "net", "tenant_id": "t"});
    client
        .put("/config/v2.0/networks/n1", stored(&network), None)
        .await
        .expect("network");
    // The stack is held in progress: the worker is mid-job when it dies.
    until(&mut client, "/jobs/working/", |kvs| kvs.len() == 1).await;
    let killed_log = worker.kill().await;
    assert!(matches!(worker, Worker::None));
    assert!(etcd.expire_leases().await.expect("expire") >= 1);
    until(&mut client, "/jobs/working/", <[_]>::is_empty).await;

    let worker = Worker::start(&spec, &env).await.expect("restart");
    client.put(RELEASE, "", None).await.expect("release");
    until(&mut client, "/state/v2.0/networks/n1", |kvs| {
        kvs.first()
            .is_some_and(|(_, v)| v["state"]["worker_state"] == "CREATE_COMPLETED")
    })
    .await;
    until(&mut client, "/jobs/", <[_]>::is_empty).await;
    let log = worker.stop().await;
    assert!(killed_log.contains("killed"), "{killed_log}");
    assert!(log.contains("its worker died"), "{log}");
}
