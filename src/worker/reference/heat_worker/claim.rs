//! Getting jobs: a watch on `/jobs/ready/`, a queue in ready order, and `slots` concurrent
//! jobs. A claim is one transaction (ESI-SPEC §1.5 step 2 on etcd v3): if
//! `/jobs/working/<id>` does not exist and `/jobs/ready/<id>` still does, create the former
//! (a fresh reservation UUID, on a lease of `claim_ttl`) and delete the latter. Two workers can
//! never both win, and a job finished and cleaned up meanwhile is never claimed again.

use std::collections::VecDeque;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use etcd_client::{
    Client, Compare, CompareOp, EventType, GetOptions, PutOptions, SortOrder, SortTarget, Txn,
    TxnOp, WatchOptions,
};
use tokio::sync::{Notify, Semaphore};
use tokio::task::JoinSet;

use super::errors::{JobError, chain};
use super::retry::pause;
use crate::worker::reference::{Log, Shutdown};

/// The ready queue's prefix.
pub(crate) const READY: &str = "/jobs/ready/";

/// A job this worker holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Claim {
    /// The job id.
    pub(crate) job_id: String,
    /// The value of `/jobs/working/<id>`.
    pub(crate) reservation: String,
    /// The lease the claim is attached to, kept alive while the job runs.
    pub(crate) lease: i64,
}

/// How jobs are taken.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Slots {
    /// Jobs run at once.
    pub(crate) slots: usize,
    /// TTL of a claim's lease.
    pub(crate) claim_ttl: Duration,
    /// Pause before watching again after an etcd error.
    pub(crate) retry_pause: Duration,
}

/// Claims ready jobs and runs `run` for each, at most `slots` at once, until shutdown (jobs
/// still running are then dropped; their leases expire).
pub(crate) async fn serve<F, Fut>(etcd: Client, slots: Slots, log: Log, shutdown: Shutdown, run: F)
where
    F: Fn(Claim) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let run = Arc::new(run);
    let permits = Arc::new(Semaphore::new(slots.slots.max(1)));
    let freed = Arc::new(Notify::new());
    let mut jobs = JoinSet::new();
    loop {
        let served = serve_watch(
            &etcd,
            slots,
            &log,
            &shutdown,
            |claim, permit| {
                let (run, freed, etcd, log) =
                    (run.clone(), freed.clone(), etcd.clone(), log.clone());
                while jobs.try_join_next().is_some() {}
                jobs.spawn(async move {
                    // Aborted with the job too (the worker killed): a dead worker's claim
                    // must expire, not be kept alive by a task that outlived it.
                    let keeper = AbortOnDrop(tokio::spawn(keep_alive(
                        etcd,
                        claim.lease,
                        slots.claim_ttl,
                        log,
                    )));
                    run(claim).await;
                    drop(keeper);
                    drop(permit);
                    freed.notify_one();
                });
            },
            &permits,
            &freed,
        )
        .await;
        while jobs.try_join_next().is_some() {}
        match served {
            Err(JobError::Stopping) => break,
            Err(e) => log.line(
                "heat_worker",
                format!("watching {READY} failed: {}", chain(&e)),
            ),
            Ok(()) => {}
        }
        if pause(&shutdown, slots.retry_pause).await.is_err() {
            break;
        }
    }
    jobs.shutdown().await;
}

/// Lists the ready jobs, then watches for more, claiming while slots are free. Returns when
/// the watch breaks (`Ok`/etcd error) or the worker stops (`Stopping`).
async fn serve_watch<S>(
    etcd: &Client,
    slots: Slots,
    log: &Log,
    shutdown: &Shutdown,
    mut spawn: S,
    permits: &Arc<Semaphore>,
    freed: &Notify,
) -> Result<(), JobError>
where
    S: FnMut(Claim, tokio::sync::OwnedSemaphorePermit),
{
    let mut client = etcd.clone();
    let options = GetOptions::new()
        .with_prefix()
        .with_sort(SortTarget::Mod, SortOrder::Ascend);
    let listed = client
        .get(READY, Some(options))
        .await
        .map_err(JobError::etcd(format!("list {READY}")))?;
    let revision = listed.header().map_or(0, |h| h.revision());
    let mut queue: VecDeque<String> = listed.kvs().iter().map(|kv| job_id(kv.key())).collect();
    let watch = WatchOptions::new()
        .with_prefix()
        .with_start_revision(revision + 1);
    let mut stream = client
        .watch(READY, Some(watch))
        .await
        .map_err(JobError::etcd(format!("watch {READY}")))?;
    let mut stop = shutdown.clone();
    loop {
        while !queue.is_empty() {
            let Ok(permit) = permits.clone().try_acquire_owned() else {
                break;
            };
            let Some(id) = queue.pop_front() else { break };
            match try_claim(&mut client, &id, slots.claim_ttl).await? {
                Some(claim) => {
                    log.line(
                        "heat_worker",
                        format!("Reserved job: {id} using id: {}", claim.reservation),
                    );
                    spawn(claim, permit);
                }
                None => drop(permit),
            }
        }
        tokio::select! {
            _ = stop.wait_for(|s| *s) => return Err(JobError::Stopping),
            () = freed.notified() => {}
            message = stream.message() => {
                let response = match message {
                    Ok(Some(r)) => r,
                    Ok(None) => return Ok(()),
                    Err(source) => return Err(JobError::Etcd { request: format!("watch {READY}"), source }),
                };
                if response.canceled() {
                    return Ok(());
                }
                for event in response.events() {
                    let Some(kv) = event.kv() else { continue };
                    let id = job_id(kv.key());
                    match event.event_type() {
                        EventType::Put if !queue.contains(&id) => queue.push_back(id),
                        EventType::Put => {}
                        EventType::Delete => queue.retain(|q| *q != id),
                    }
                }
            }
        }
    }
}

/// One claim attempt; `None` when another worker was first or the job is gone.
pub(crate) async fn try_claim(
    etcd: &mut Client,
    id: &str,
    ttl: Duration,
) -> Result<Option<Claim>, JobError> {
    let ttl_secs = i64::try_from(ttl.as_secs().max(1)).unwrap_or(60);
    let lease = etcd
        .lease_grant(ttl_secs, None)
        .await
        .map_err(JobError::etcd("lease grant"))?
        .id();
    let reservation = uuid::Uuid::new_v4().to_string();
    let (working, ready) = (format!("/jobs/working/{id}"), format!("{READY}{id}"));
    let txn = Txn::new()
        .when([
            Compare::create_revision(working.as_str(), CompareOp::Equal, 0),
            Compare::create_revision(ready.as_str(), CompareOp::Greater, 0),
        ])
        .and_then([
            TxnOp::put(
                working.as_str(),
                reservation.as_str(),
                Some(PutOptions::new().with_lease(lease)),
            ),
            TxnOp::delete(ready.as_str(), None),
        ]);
    let won = etcd
        .txn(txn)
        .await
        .map_err(JobError::etcd(format!("claim {working}")))?
        .succeeded();
    if won {
        Ok(Some(Claim {
            job_id: id.to_string(),
            reservation,
            lease,
        }))
    } else {
        let _ = etcd.lease_revoke(lease).await;
        Ok(None)
    }
}

/// A task aborted when this is dropped.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Refreshes `lease` every third of `ttl` until aborted.
async fn keep_alive(mut etcd: Client, lease: i64, ttl: Duration, log: Log) {
    let every = (ttl / 3).max(Duration::from_millis(100));
    let Ok((mut keeper, mut answers)) = etcd.lease_keep_alive(lease).await else {
        log.line("heat_worker", format!("cannot keep lease {lease:x} alive"));
        return;
    };
    loop {
        tokio::time::sleep(every).await;
        if keeper.keep_alive().await.is_err() || answers.message().await.is_err() {
            match etcd.lease_keep_alive(lease).await {
                Ok((k, a)) => (keeper, answers) = (k, a),
                Err(_) => log.line("heat_worker", format!("lease {lease:x} keep-alive failed")),
            }
        }
    }
}

fn job_id(key: &[u8]) -> String {
    String::from_utf8_lossy(key)
        .trim_start_matches(READY)
        .to_string()
}
