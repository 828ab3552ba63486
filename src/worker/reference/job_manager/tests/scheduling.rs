//! Jobs are scheduled, promoted and cleaned up.

use serde_json::json;

use super::support::*;

#[tokio::test]
async fn jobs_are_scheduled_promoted_and_cleaned_up() {
    let etcd = Backend::Embedded.start().await.expect("embedded etcd");
    let mut c = etcd.client();
    let worker = Running::start(etcd.endpoints());

    // Arrange: the run's mappings (ESI-SPEC §0.3 item 5) for the types used here.
    template(
        &mut c,
        "vnf_instance",
        json!({"flavor": "Fvnf_plan+vnf_plan_id:flavor",
        "gohan_id": "Pid", "heat_timeout": "C18", "image": "Fvnf_template+vnf_template_id:image",
        "tenant_id": "Ptenant_id", "version": "Vauto_filled"}),
    )
    .await;
    template(
        &mut c,
        "load_balancer_conf",
        json!({"heat_timeout": {"constant": 10},
        "management_ip": {"field": "management_ip", "path": ["vnf_instance_id"]},
        "server_id": {"path": ["vnf_instance_id"], "output_key": "server_id"}}),
    )
    .await;
    template(
        &mut c,
        "load_balancer",
        json!({"gohan_id": {"field": "id"}, "heat_timeout": {"constant": 3},
        "jinja_force_dependency": {"field": "id", "path": ["load_balancer_conf_id"]},
        "management_ip": {"field": "management_ip", "path": ["vnf_instance_id"]},
        "tenant_id": {"field": "tenant_id"}, "version": {"version": "auto_filled"}}),
    )
    .await;
    template(
        &mut c,
        "network",
        json!({"admin_state_up": "Padmin_state_up", "heat_timeout": "C3",
        "name": "Pid", "uuid": "Pid"}),
    )
    .await;
    template(
        &mut c,
        "port",
        json!({"name": "Pid", "virtual_network": "Mnetwork:network_id:id"}),
    )
    .await;

    // Non-workable resources: no template_path, a port the regexp rules out.
    let vt = json!({"id": "vt1", "image": "NSVPX", "tenant_id": TENANT});
    put(
        &mut c,
        "/config/v2.0/vnf_templates/vt1",
        gohan(&vt, false, 1),
    )
    .await;
    let plan = json!({"id": "vp1", "flavor": "m1.xlarge", "tenant_id": TENANT});
    put(&mut c, "/config/v2.0/vnf_plans/vp1", gohan(&plan, false, 1)).await;
    let dhcp = json!({"id": "pd", "device_owner": "network:dhcp", "network_id": "n1"});
    put(&mut c, "/config/v2.0/ports/pd", gohan(&dhcp, false, 1)).await;
    let read_complete =
        r#"{"error": "", "state": {"worker_state": "READ_COMPLETE"}, "version": 1}"#;
    for path in [
        "v2.0/vnf_templates/vt1",
        "v2.0/vnf_plans/vp1",
        "v2.0/ports/pd",
    ] {
        let kvs = wait_for(&mut c, &format!("/state/{path}"), "READ_COMPLETE", |kvs| {
            kvs.len() == 1
        })
        .await;
        assert_eq!(kvs[0].1, read_complete, "{path}");
    }
    let mirror = wait_for(
        &mut c,
        "/esi-worker/config/v2.0/vnf_templates/vt1",
        "mirror",
        |k| k.len() == 1,
    )
    .await;
    assert_eq!(
        mirror[0].1,
        r#"{"body": {"id": "vt1", "image": "NSVPX", "tenant_id": "fe3a4a1a72c04479bb6c19c2c0ccba4c"}, "deleted": false, "version": 1}"#
    );

    // Act: the create burst of a load balancer: vnf_instance -> lb_conf -> load_balancer.
    let vnf = json!({"id": "v1", "management_ip": "100.64.193.3", "tenant_id": TENANT,
        "vnf_plan_id": "vp1", "vnf_template_id": "vt1"});
    put(
        &mut c,
        "/config/v2.0/vnf_instances/v1",
        gohan(&vnf, false, 1),
    )
    .await;
    let conf = json!({"id": "c1", "vnf_instance_id": "v1", "tenant_id": TENANT});
    put(
        &mut c,
        "/config/v2.0/load_balancer_confs/c1",
        gohan(&conf, false, 1),
    )
    .await;
    let lb = json!({"id": "l1", "load_balancer_conf_id": "c1", "vnf_instance_id": "v1", "tenant_id": TENANT});
    put(
        &mut c,
        "/config/v2.0/load_balancers/l1",
        gohan(&lb, false, 1),
    )
    .await;

    let (vnf_id, vnf_job) = job(&mut c, "create:heat_worker:vnf_instance:v1:1:").await;
    let (conf_id, conf_job) = job(&mut c, "create:heat_worker:load_balancer_conf:c1:1:").await;
    let (lb_id, lb_job) = job(&mut c, "create:heat_worker:load_balancer:l1:1:").await;

    // Assert: jobs as recorded; ready/waiting by dependency.
    assert_eq!(vnf_job["dependency"], json!([]));
    assert_eq!(vnf_job["resource_input"], vnf);
    assert_eq!(
        (vnf_job["is_first"].clone(), vnf_job["on_failure"].clone()),
        (json!(true), json!("fail"))
    );
    assert_eq!(vnf_job["job_name"], "vnf_instance:v1:1");
    let p = params(&vnf_job);
    assert_eq!(p["image"]["value"], "NSVPX");
    assert_eq!(
        p["image"]["resources"],
        json!([{"resource_type": "vnf_template", "resource_id": "vt1"}])
    );
    assert_eq!(p["heat_timeout"]["value"], "18");
    assert_eq!(p["version"]["value"], 1);
    assert_eq!(conf_job["dependency"], json!([vnf_id]));
    assert_eq!(params(&conf_job)["server_id"]["type"], "output_key");
    let mut lb_deps: Vec<String> = serde_json::from_value(lb_job["dependency"].clone()).unwrap();
    lb_deps.sort();
    let mut expected = vec![vnf_id.clone(), conf_id.clone()];
    expected.sort();
    assert_eq!(lb_deps, expected);
    assert!(exists(&mut c, &format!("/jobs/ready/{vnf_id}")).await);
    assert!(exists(&mut c, &format!("/jobs/waiting/{conf_id}")).await);
    assert!(exists(&mut c, &format!("/jobs/waiting/{lb_id}")).await);

    // Finishing the vnf job promotes lb_conf only; finishing lb_conf promotes the LB.
    let done = |worker_state: &str, version: u64| json!({"error": "", "state": {"worker_state": worker_state}, "version": version});
    run_job(
        &mut c,
        &vnf_id,
        "v2.0/vnf_instances/v1",
        done("CREATE_COMPLETED", 1),
    )
    .await;
    wait_for(
        &mut c,
        &format!("/jobs/ready/{conf_id}"),
        "promotion",
        |k| k.len() == 1,
    )
    .await;
    assert!(!exists(&mut c, &format!("/jobs/waiting/{conf_id}")).await);
    assert!(exists(&mut c, &format!("/jobs/waiting/{lb_id}")).await);
    run_job(
        &mut c,
        &conf_id,
        "v2.0/load_balancer_confs/c1",
        done("CREATE_COMPLETED", 1),
    )
    .await;
    wait_for(&mut c, &format!("/jobs/ready/{lb_id}"), "promotion", |k| {
        k.len() == 1
    })
    .await;

    // A modify of the vnf_instance: no unfinished dependency, hop lists twice.
    put(
        &mut c,
        "/config/v2.0/vnf_instances/v1",
        gohan(&vnf, false, 2),
    )
    .await;
    let (modify_id, modify) = job(&mut c, "modify:heat_worker:vnf_instance:v1:2:").await;
    assert_eq!(modify["dependency"], json!([]));
    let vt_ref = json!({"resource_type": "vnf_template", "resource_id": "vt1"});
    assert_eq!(
        params(&modify)["image"]["resources"],
        json!([vt_ref, vt_ref])
    );
    // The LB (still unfinished) is not a dependency of anything new here; finish both.
    run_job(
        &mut c,
        &lb_id,
        "v2.0/load_balancers/l1",
        done("CREATE_COMPLETED", 1),
    )
    .await;
    run_job(
        &mut c,
        &modify_id,
        "v2.0/vnf_instances/v1",
        done("MODIFY_COMPLETED", 2),
    )
    .await;

    // A port depends on its network's unfinished job and waits for it.
    let net = json!({"id": "n1", "admin_state_up": true, "tenant_id": TENANT});
    put(&mut c, "/config/v2.0/networks/n1", gohan(&net, false, 1)).await;
    let port = json!({"id": "p1", "device_owner": "", "network_id": "n1"});
    put(&mut c, "/config/v2.0/ports/p1", gohan(&port, false, 1)).await;
    let (net_id, _) = job(&mut c, "create:heat_worker:network:n1:1:").await;
    let (port_id, port_job) = job(&mut c, "create:heat_worker:port:p1:1:").await;
    assert_eq!(port_job["dependency"], json!([net_id]));
    run_job(
        &mut c,
        &net_id,
        "v2.0/networks/n1",
        done("CREATE_COMPLETED", 1),
    )
    .await;
    wait_for(
        &mut c,
        &format!("/jobs/ready/{port_id}"),
        "promotion",
        |k| k.len() == 1,
    )
    .await;
    run_job(
        &mut c,
        &port_id,
        "v2.0/ports/p1",
        done("CREATE_COMPLETED", 1),
    )
    .await;

    // Logical delete, then Gohan's clean-up: the mirror and heat_stacks record go.
    put(&mut c, "/config/v2.0/ports/p1", gohan(&port, true, 2)).await;
    let (delete_id, delete_job) = job(&mut c, "logical_delete:heat_worker:port:p1:2:").await;
    assert_eq!(delete_job["action"], "logical_delete");
    put(&mut c, "/esi-worker/heat_stacks/v2.0/ports/p1", "{}").await;
    run_job(
        &mut c,
        &delete_id,
        "v2.0/ports/p1",
        done("DELETE_COMPLETED", 2),
    )
    .await;
    c.delete("/config/v2.0/ports/p1", None).await.unwrap();
    c.delete("/state/v2.0/ports/p1", None).await.unwrap();
    wait_for(
        &mut c,
        "/esi-worker/config/v2.0/ports/p1",
        "mirror clean-up",
        |k| k.is_empty(),
    )
    .await;
    wait_for(
        &mut c,
        "/esi-worker/heat_stacks/v2.0/ports/p1",
        "stack clean-up",
        |k| k.is_empty(),
    )
    .await;

    let all = wait_for(&mut c, "/jobs/", "an empty queue", |k| k.is_empty()).await;
    assert!(all.is_empty());
    let log = worker.stop().await;
    assert!(
        log.contains("Gohan cleaned up config for logically deleted resource port:p1"),
        "{log}"
    );
}
