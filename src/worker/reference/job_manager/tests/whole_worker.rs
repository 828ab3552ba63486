//! The whole reference worker (job manager and heat worker) on a real etcd: Gohan `/config`
//! writes of resources without a template become `READ_COMPLETE` states and
//! `/esi-worker/config` mirrors; Gohan's clean-up of a resource removes its mirror.

use etcd_client::GetOptions;
use serde_json::json;

use super::support::*;
use crate::worker::reference::{LogSink, Reference};

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
