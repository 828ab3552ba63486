//! Claim races: two workers on one etcd, many ready jobs, every job run exactly once, never
//! more jobs at once than slots.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use etcd_client::{Client, GetOptions};
use tokio::sync::{mpsc, watch};

use super::super::claim::{Claim, READY, Slots, serve, try_claim};
use crate::etcd::Backend;
use crate::worker::reference::{Log, LogSink};

const SLOTS: usize = 3;

async fn add_ready(client: &mut Client, ids: impl Iterator<Item = usize>) {
    for i in ids {
        let id = format!("create:heat_worker:network:n{i}:1:abcde");
        client
            .put(format!("/jobs/all/{id}"), "[]", None)
            .await
            .expect("put all");
        client
            .put(format!("{READY}{id}"), "heat_worker", None)
            .await
            .expect("put ready");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workers_never_run_one_job() {
    let etcd = Backend::Embedded.start().await.expect("etcd starts");
    let mut client = etcd.client();
    add_ready(&mut client, 0..30).await;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let (stop, shutdown) = watch::channel(false);
    let mut workers = Vec::new();
    let peaks: Vec<Arc<(AtomicUsize, AtomicUsize)>> = (0..2).map(|_| Arc::default()).collect();
    for (worker, peak) in peaks.iter().enumerate() {
        let (tx, etcd, peak) = (tx.clone(), client.clone(), peak.clone());
        let slots = Slots {
            slots: SLOTS,
            claim_ttl: Duration::from_secs(60),
            retry_pause: Duration::from_millis(5),
        };
        workers.push(tokio::spawn(serve(
            client.clone(),
            slots,
            Log::new(LogSink::Buffer),
            shutdown.clone(),
            move |claim: Claim| {
                let (tx, mut etcd, peak) = (tx.clone(), etcd.clone(), peak.clone());
                async move {
                    let now = peak.0.fetch_add(1, Ordering::SeqCst) + 1;
                    peak.1.fetch_max(now, Ordering::SeqCst);
                    // The job manager's cleanup after the job: the claim goes away.
                    etcd.put(format!("/jobs/finished/{}", claim.job_id), "", None)
                        .await
                        .expect("finished");
                    etcd.delete(format!("/jobs/working/{}", claim.job_id), None)
                        .await
                        .expect("cleanup");
                    peak.0.fetch_sub(1, Ordering::SeqCst);
                    tx.send((worker, claim.job_id)).expect("test listens");
                }
            },
        )));
    }
    // Jobs that become ready while the workers run come through the watch.
    add_ready(&mut client, 30..60).await;

    let mut runs: HashMap<String, Vec<usize>> = HashMap::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while runs.len() < 60 {
        let (worker, id) = tokio::time::timeout_at(deadline, rx.recv())
            .await
            .expect("every job runs within the deadline")
            .expect("workers alive");
        runs.entry(id).or_default().push(worker);
    }
    let ready = client
        .get(
            READY,
            Some(GetOptions::new().with_prefix().with_count_only()),
        )
        .await
        .expect("count");
    assert_eq!(ready.count(), 0, "every ready job was claimed");
    assert!(rx.try_recv().is_err(), "no job ran twice");
    for (id, by) in &runs {
        assert_eq!(by.len(), 1, "{id} ran {} times", by.len());
    }
    for peak in &peaks {
        assert!(
            peak.1.load(Ordering::SeqCst) <= SLOTS,
            "at most {SLOTS} jobs at once"
        );
    }
    stop.send(true).expect("stop");
    for worker in workers {
        tokio::time::timeout(Duration::from_secs(5), worker)
            .await
            .expect("stops promptly")
            .expect("no panic");
    }
}

#[tokio::test]
async fn a_job_cleaned_up_meanwhile_is_not_claimed_again() {
    let etcd = Backend::Embedded.start().await.expect("etcd starts");
    let mut client = etcd.client();
    add_ready(&mut client, 0..1).await;
    let id = "create:heat_worker:network:n0:1:abcde";
    let ttl = Duration::from_secs(60);
    let first = try_claim(&mut client, id, ttl).await.expect("etcd");
    assert!(first.is_some(), "the first claim wins");
    assert!(
        try_claim(&mut client, id, ttl)
            .await
            .expect("etcd")
            .is_none(),
        "a second loses"
    );
    client
        .delete(format!("/jobs/working/{id}"), None)
        .await
        .expect("cleanup");
    assert!(
        try_claim(&mut client, id, ttl)
            .await
            .expect("etcd")
            .is_none(),
        "without /jobs/ready the finished job stays finished"
    );
}
