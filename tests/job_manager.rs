//! The reference worker's job manager end to end on a real etcd: Gohan `/config` writes
//! (encoded as the recorded Gohan wrote them) of resources without a template become
//! `READ_COMPLETE` states and `/esi-worker/config` mirrors; Gohan's clean-up of a resource
//! removes its mirror. Jobs, promotion and clean-up of finished jobs are tested on etcd
//! with the job manager alone (`src/worker/reference/job_manager/etcd_tests.rs`), where the
//! test can play the heat worker without the real one claiming the jobs.

use std::time::Duration;

use etcd_client::{Client, GetOptions, WatchOptions};
use heatbed::encoding::go_json;
use heatbed::etcd::Backend;
use heatbed::worker::{LogSink, Reference, WorkerEnv};
use serde_json::{Value, json};

const DEADLINE: Duration = Duration::from_secs(20);
const TENANT: &str = "fe3a4a1a72c04479bb6c19c2c0ccba4c";

fn env(endpoints: &[String]) -> WorkerEnv {
    WorkerEnv {
        etcd_endpoints: endpoints.to_vec(),
        auth_url: "http://127.0.0.1:9/unused".into(),
        username: "unused".into(),
        password: "unused".into(),
        project_id: TENANT.into(),
        domain: "Default".into(),
        heat_url: "http://127.0.0.1:9/unused".into(),
        collector_url: "http://127.0.0.1:9/unused".into(),
    }
}

/// Gohan's `/config` value (ESI-SPEC §1.3).
fn gohan(body: &Value, marked: bool, version: u64) -> String {
    go_json(&json!({"body": go_json(body), "marked_for_deletion": marked, "version": version}))
}

async fn put(client: &mut Client, key: &str, value: impl Into<Vec<u8>>) {
    client.put(key, value, None).await.expect("put");
}

async fn template(client: &mut Client, id: &str, mappings: Value) {
    let body = json!({"handler": "heat_worker", "id": id, "parameter_mappings": mappings,
        "template_file": "heat_template_version: 2013-05-23\n", "watch": []});
    put(
        client,
        &format!("/config/v2.0/heat_templates/{id}"),
        gohan(&body, false, 1),
    )
    .await;
}

/// Waits (on watches, with a deadline) until `ready` holds for the keys under `prefix`.
async fn wait_for(
    client: &mut Client,
    prefix: &str,
    what: &str,
    ready: impl Fn(&[(String, String)]) -> bool,
) -> Vec<(String, String)> {
    let work = async {
        loop {
            let response = client
                .get(prefix, Some(GetOptions::new().with_prefix()))
                .await
                .expect("get");
            let kvs: Vec<(String, String)> = response
                .kvs()
                .iter()
                .map(|kv| {
                    let k = kv.key_str().unwrap().to_string();
                    (k, kv.value_str().unwrap().to_string())
                })
                .collect();
            if ready(&kvs) {
                return kvs;
            }
            let revision = response.header().unwrap().revision();
            let options = WatchOptions::new()
                .with_prefix()
                .with_start_revision(revision + 1);
            let mut stream = client.watch(prefix, Some(options)).await.expect("watch");
            stream.message().await.expect("watch message");
        }
    };
    tokio::time::timeout(DEADLINE, work)
        .await
        .unwrap_or_else(|_| panic!("timed out waiting for {what} under {prefix}"))
}

#[tokio::test]
async fn resources_without_a_template_read_complete_and_are_mirrored() {
    let etcd = Backend::Embedded.start().await.expect("embedded etcd");
    let mut c = etcd.client();
    let worker = Reference::start(&env(etcd.endpoints()), 1, LogSink::Buffer);

    template(&mut c, "port", json!({"name": "Pid"})).await;
    // Arrange + act: the recorded non-workable kinds: a type without template_path, a port
    // whose device_owner the port template_path rules out, a tenant, a later version.
    let plan = json!({"id": "vp1", "flavor": "m1.xlarge", "tenant_id": TENANT});
    put(&mut c, "/config/v2.0/vnf_plans/vp1", gohan(&plan, false, 1)).await;
    let dhcp = json!({"id": "pd", "device_owner": "network:dhcp", "network_id": "n1"});
    put(&mut c, "/config/v2.0/ports/pd", gohan(&dhcp, false, 1)).await;
    let tenant = json!({"id": TENANT, "status": "active"});
    put(
        &mut c,
        &format!("/config/common/v1.0/tenants/{TENANT}"),
        gohan(&tenant, false, 1),
    )
    .await;
    let vif = json!({"id": "if1", "vnf_instance_id": "v1"});
    put(
        &mut c,
        "/config/v2.0/vnf_interfaces/if1",
        gohan(&vif, false, 1),
    )
    .await;
    put(
        &mut c,
        "/config/v2.0/vnf_interfaces/if1",
        gohan(&vif, false, 2),
    )
    .await;

    // Assert: PY-S states at the config version, PY-S mirrors.
    let state = |v: u64| {
        format!(r#"{{"error": "", "state": {{"worker_state": "READ_COMPLETE"}}, "version": {v}}}"#)
    };
    let tenant_path = format!("common/v1.0/tenants/{TENANT}");
    for (path, version) in [
        ("v2.0/vnf_plans/vp1", 1),
        ("v2.0/ports/pd", 1),
        (tenant_path.as_str(), 1),
        ("v2.0/vnf_interfaces/if1", 2),
    ] {
        let expected = state(version);
        let kvs = wait_for(&mut c, &format!("/state/{path}"), "READ_COMPLETE", |kvs| {
            kvs.len() == 1 && kvs[0].1 == expected
        })
        .await;
        assert_eq!(kvs[0].1, expected, "{path}");
    }
    let mirror = wait_for(
        &mut c,
        "/esi-worker/config/v2.0/vnf_plans/vp1",
        "mirror",
        |k| k.len() == 1,
    )
    .await;
    assert_eq!(
        mirror[0].1,
        r#"{"body": {"flavor": "m1.xlarge", "id": "vp1", "tenant_id": "fe3a4a1a72c04479bb6c19c2c0ccba4c"}, "deleted": false, "version": 1}"#
    );
    assert!(
        c.get("/jobs/all/", Some(GetOptions::new().with_prefix()))
            .await
            .unwrap()
            .kvs()
            .is_empty()
    );

    // Gohan deletes a resource: the mirror goes.
    c.delete("/config/v2.0/vnf_plans/vp1", None).await.unwrap();
    wait_for(
        &mut c,
        "/esi-worker/config/v2.0/vnf_plans/vp1",
        "mirror clean-up",
        |k| k.is_empty(),
    )
    .await;
    let log = worker.stop().await;
    assert!(log.contains("Non workable resource: vnf_plan:vp1"), "{log}");
}
