//! Start-up resync and the watch loop (ESI-SPEC §2.1): read `/config/`, the mirror and the
//! job queue at one revision, rebuild the unfinished jobs, handle what changed while nobody
//! watched, then watch `/config/` and `/jobs/finished/` from the next revision.

use std::collections::{BTreeMap, HashSet};

use etcd_client::{Client, EventType, GetOptions, TxnOp, TxnOpResponse, WatchOptions};
use serde_json::Value;

use super::queue_store::{self as store, StoreError};
use super::reader::{Manager, decode};
use super::schema::{ConfigKey, ResourceKey, classify};
use crate::worker::reference::{Log, Shutdown};

/// Why the loop stopped (it is restarted after a pause).
#[derive(Debug, thiserror::Error)]
pub(crate) enum LoopError {
    #[error("etcd: {0}")]
    Etcd(#[from] etcd_client::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the {0} watch ended")]
    WatchEnded(&'static str),
}

/// One connected run: resync, then watch until `shutdown`.
pub(crate) async fn serve(
    client: Client,
    log: Log,
    shutdown: &mut Shutdown,
) -> Result<(), LoopError> {
    let mut manager = Manager::new(client, log);
    let revision = resync(&mut manager).await?;
    let options = |prefix: bool| {
        let o = WatchOptions::new().with_start_revision(revision + 1);
        if prefix { o.with_prefix() } else { o }
    };
    let mut configs = manager
        .client
        .watch("/config/", Some(options(true)))
        .await?;
    let mut finished = manager
        .client
        .watch("/jobs/finished/", Some(options(true)))
        .await?;
    manager
        .log
        .line("job_manager", "Worker etcd resource reading started.");
    loop {
        tokio::select! {
            biased;
            _ = shutdown.changed() => {
                if *shutdown.borrow() {
                    return Ok(());
                }
            }
            message = configs.message() => {
                let response = message?.ok_or(LoopError::WatchEnded("/config/"))?;
                for event in response.events() {
                    let Some(kv) = event.kv() else { continue };
                    let Some(path) = kv.key_str().ok().and_then(|k| k.strip_prefix("/config/")) else {
                        continue;
                    };
                    match event.event_type() {
                        EventType::Put => manager.config_put(path, kv.value()).await?,
                        EventType::Delete => manager.config_delete(path).await?,
                    }
                }
            }
            message = finished.message() => {
                let response = message?.ok_or(LoopError::WatchEnded("/jobs/finished/"))?;
                for event in response.events() {
                    if event.event_type() != EventType::Put {
                        continue;
                    }
                    let Some(kv) = event.kv() else { continue };
                    if let Some(id) = kv.key_str().ok().and_then(|k| k.strip_prefix("/jobs/finished/")) {
                        manager.finished(id).await?;
                    }
                }
            }
        }
    }
}

/// Reads everything at one revision and handles it; returns that revision.
async fn resync(manager: &mut Manager) -> Result<i64, LoopError> {
    let prefixes = ["/config/", "/esi-worker/config/", "/jobs/"];
    let txn = etcd_client::Txn::new().and_then(
        prefixes
            .iter()
            .map(|p| TxnOp::get(*p, Some(GetOptions::new().with_prefix())))
            .collect::<Vec<_>>(),
    );
    let response = manager.client.txn(txn).await?;
    let revision = response.header().map_or(0, |h| h.revision());
    let mut ranges: Vec<Vec<(String, Vec<u8>, i64)>> = vec![];
    for op in response.op_responses() {
        let TxnOpResponse::Get(get) = op else {
            continue;
        };
        ranges.push(
            get.kvs()
                .iter()
                .filter_map(|kv| {
                    Some((
                        kv.key_str().ok()?.to_string(),
                        kv.value().to_vec(),
                        kv.mod_revision(),
                    ))
                })
                .collect(),
        );
    }
    let [config, mirror, jobs] =
        <[_; 3]>::try_from(ranges).map_err(|_| LoopError::WatchEnded("resync read"))?;

    recover_jobs(manager, &jobs).await?;

    // Templates (they name the types no schema knows), then every body (paths may point
    // anywhere), then changes in write order.
    let paths = || {
        config
            .iter()
            .filter_map(|(k, v, r)| Some((k.strip_prefix("/config/")?, v, r)))
    };
    for (path, value, _) in paths() {
        if let Some(ConfigKey::Template(id)) = classify(path) {
            manager.template_put(&id, value);
        }
    }
    let mut resources = vec![];
    for (path, value, mod_revision) in paths() {
        match manager.classify(path) {
            Some(ConfigKey::Template(_)) => {}
            Some(ConfigKey::Resource { key: rk, .. }) => {
                if let Some(resource) = decode(value) {
                    manager.configs.0.insert(rk, resource);
                }
                resources.push((*mod_revision, path.to_string(), value.clone()));
            }
            None => {}
        }
    }
    resources.sort();
    let live: HashSet<&str> = resources.iter().map(|(_, p, _)| p.as_str()).collect();
    let gone: Vec<String> = mirror
        .iter()
        .filter_map(|(k, _, _)| k.strip_prefix("/esi-worker/config/"))
        .filter(|p| !live.contains(p))
        .map(str::to_string)
        .collect();
    for (_, path, value) in &resources {
        manager.config_put(path, value).await?;
    }
    for path in gone {
        manager.config_delete(&path).await?;
    }
    manager.log.line("job_manager", "Resync finished.");
    Ok(revision)
}

/// Rebuilds unfinished jobs from `/jobs/all`, promotes waiting jobs whose dependencies are
/// gone, re-queues jobs no queue holds (their worker died and its claim's lease expired:
/// ESI-SPEC §9 item 2 leaves this open; without it the job would be lost) and retires jobs
/// already in `/jobs/finished`.
async fn recover_jobs(
    manager: &mut Manager,
    jobs: &[(String, Vec<u8>, i64)],
) -> Result<(), StoreError> {
    let mut all = BTreeMap::new();
    let (mut waiting, mut queued, mut finished) = (HashSet::new(), HashSet::new(), vec![]);
    for (key, value, mod_revision) in jobs {
        if let Some(id) = key.strip_prefix("/jobs/all/") {
            all.insert((*mod_revision, id.to_string()), value.clone());
        } else if let Some(id) = key.strip_prefix("/jobs/waiting/") {
            waiting.insert(id.to_string());
        } else if let Some(id) = key.strip_prefix("/jobs/finished/") {
            finished.push(id.to_string());
        } else if let Some(id) = ["/jobs/ready/", "/jobs/working/"]
            .iter()
            .find_map(|queue| key.strip_prefix(queue))
        {
            queued.insert(id.to_string());
        }
    }
    for ((_, id), value) in &all {
        let Ok(Value::Array(parts)) = serde_json::from_slice::<Value>(value) else {
            continue;
        };
        let (Some(handler), Some(job)) = (parts.first().and_then(Value::as_str), parts.get(1))
        else {
            continue;
        };
        let text = |k: &str| {
            job.get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let resource = ResourceKey {
            type_: text("resource_type"),
            id: text("resource_id"),
        };
        let version = job.get("version").and_then(Value::as_u64).unwrap_or(0);
        let dependency: Vec<String> = job
            .get("dependency")
            .and_then(Value::as_array)
            .map(|d| {
                d.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        let waits = manager.queue.add(id, resource, version, &dependency);
        manager.handlers.insert(id.clone(), handler.to_string());
        if !waits && waiting.contains(id) {
            store::promote(&mut manager.client, id, handler).await?;
        } else if !waits
            && !queued.contains(id)
            && !finished.contains(id)
            && store::requeue(&mut manager.client, id, handler).await?
        {
            manager.log.line(
                "job_manager",
                format!("Job {id} is in no queue (its worker died); moved to ready."),
            );
        }
    }
    for id in finished {
        manager.finished(&id).await?;
    }
    Ok(())
}
