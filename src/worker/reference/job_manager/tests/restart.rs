//! A restarted job manager resumes where it stopped.

use serde_json::json;

use super::support::*;

#[tokio::test]
async fn a_restarted_job_manager_keeps_unfinished_jobs_and_skips_handled_configs() {
    let etcd = Backend::Embedded.start().await.expect("embedded etcd");
    let mut c = etcd.client();
    template(&mut c, "network", json!({"name": "Pid"})).await;
    template(
        &mut c,
        "port",
        json!({"name": "Pid", "virtual_network": "Mnetwork:network_id:id"}),
    )
    .await;
    let net = json!({"id": "n1"});
    put(&mut c, "/config/v2.0/networks/n1", gohan(&net, false, 1)).await;

    // Written before the job manager starts: handled by the resync.
    let first = Running::start(etcd.endpoints());
    let (net_id, _) = job(&mut c, "create:heat_worker:network:n1:").await;
    let port = json!({"id": "p1", "network_id": "n1"});
    put(&mut c, "/config/v2.0/ports/p1", gohan(&port, false, 1)).await;
    let (port_id, _) = job(&mut c, "create:heat_worker:port:p1:").await;
    first.stop().await;

    // A new job manager neither reschedules nor forgets; it still promotes the port.
    let second = Running::start(etcd.endpoints());
    run_job(&mut c, &net_id, "v2.0/networks/n1", json!({"version": 1})).await;
    wait_for(
        &mut c,
        &format!("/jobs/ready/{port_id}"),
        "promotion",
        |k| k.len() == 1,
    )
    .await;
    let all = wait_for(&mut c, "/jobs/all/", "one job", |k| k.len() == 1).await;
    assert_eq!(all[0].0, format!("/jobs/all/{port_id}"));
    second.stop().await;
}

#[tokio::test]
async fn a_job_whose_worker_died_is_queued_again_by_the_next_job_manager() {
    let etcd = Backend::Embedded.start().await.expect("embedded etcd");
    let mut c = etcd.client();
    template(&mut c, "network", json!({"name": "Pid"})).await;
    let net = json!({"id": "n1"});
    put(&mut c, "/config/v2.0/networks/n1", gohan(&net, false, 1)).await;
    let first = Running::start(etcd.endpoints());
    let (id, _) = job(&mut c, "create:heat_worker:network:n1:").await;
    // A worker claims the job on a lease and dies with it; the lease expires.
    let lease = c.lease_grant(60, None).await.expect("lease").id();
    let on_lease = etcd_client::PutOptions::new().with_lease(lease);
    c.put(format!("/jobs/working/{id}"), "r", Some(on_lease))
        .await
        .expect("claim");
    c.delete(format!("/jobs/ready/{id}"), None)
        .await
        .expect("claimed");
    first.stop().await;
    c.lease_revoke(lease).await.expect("expired");

    let second = Running::start(etcd.endpoints());
    wait_for(&mut c, &format!("/jobs/ready/{id}"), "re-queued", |k| {
        k.len() == 1
    })
    .await;
    run_job(&mut c, &id, "v2.0/networks/n1", json!({"version": 1})).await;
    let log = second.stop().await;
    assert!(log.contains("its worker died"), "{log}");
}
