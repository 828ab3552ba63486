//! The job manager's etcd writes, each one transaction (ESI-SPEC §1.4, §1.5; v2 operations
//! mapped to v3 per issue item 4: create -> `create_revision == 0`, compareAndSwap ->
//! `mod_revision` of the value read).

use etcd_client::{Client, Compare, CompareOp, Txn, TxnOp, TxnOpResponse};

/// `/jobs/all/<id>`.
pub(crate) fn all_key(id: &str) -> String {
    format!("/jobs/all/{id}")
}

/// A job manager etcd failure.
#[derive(Debug, thiserror::Error)]
#[error("etcd {op} {key}")]
pub(crate) struct StoreError {
    op: &'static str,
    key: String,
    #[source]
    source: Option<etcd_client::Error>,
}

fn failed(op: &'static str, key: &str) -> impl FnOnce(etcd_client::Error) -> StoreError {
    let key = key.to_string();
    move |e| StoreError {
        op,
        key,
        source: Some(e),
    }
}

/// Writes a new job: `/jobs/all/<id>` (created, never overwritten) and `/jobs/ready/<id>` or
/// `/jobs/waiting/<id>` = handler, atomically. Returns false if the job already existed.
pub(crate) async fn schedule(
    client: &mut Client,
    id: &str,
    all_value: String,
    handler: &str,
    ready: bool,
) -> Result<bool, StoreError> {
    let all = all_key(id);
    let queue = if ready {
        format!("/jobs/ready/{id}")
    } else {
        format!("/jobs/waiting/{id}")
    };
    let txn = Txn::new()
        .when([Compare::create_revision(all.as_str(), CompareOp::Equal, 0)])
        .and_then([
            TxnOp::put(all.as_str(), all_value, None),
            TxnOp::put(queue, handler, None),
        ]);
    let response = client.txn(txn).await.map_err(failed("schedule", &all))?;
    Ok(response.succeeded())
}

/// Moves a waiting job to ready: creates `/jobs/ready/<id>` and deletes `/jobs/waiting/<id>`
/// if the job is still waiting.
pub(crate) async fn promote(
    client: &mut Client,
    id: &str,
    handler: &str,
) -> Result<(), StoreError> {
    let waiting = format!("/jobs/waiting/{id}");
    let ready = format!("/jobs/ready/{id}");
    let txn = Txn::new()
        .when([
            Compare::version(waiting.as_str(), CompareOp::Greater, 0),
            Compare::create_revision(ready.as_str(), CompareOp::Equal, 0),
        ])
        .and_then([
            TxnOp::put(ready, handler, None),
            TxnOp::delete(waiting.as_str(), None),
        ]);
    client.txn(txn).await.map_err(failed("promote", &waiting))?;
    Ok(())
}

/// Puts an orphaned job back on the ready queue: one in `/jobs/all` that is in no queue
/// (its worker's claim expired with the worker: a crash), if that is still so.
pub(crate) async fn requeue(
    client: &mut Client,
    id: &str,
    handler: &str,
) -> Result<bool, StoreError> {
    let all = all_key(id);
    let absent = ["ready", "waiting", "working", "finished"]
        .map(|queue| format!("/jobs/{queue}/{id}"))
        .map(|key| Compare::create_revision(key, CompareOp::Equal, 0));
    let mut when = vec![Compare::create_revision(
        all.as_str(),
        CompareOp::Greater,
        0,
    )];
    when.extend(absent);
    let txn =
        Txn::new()
            .when(when)
            .and_then([TxnOp::put(format!("/jobs/ready/{id}"), handler, None)]);
    let response = client.txn(txn).await.map_err(failed("requeue", &all))?;
    Ok(response.succeeded())
}

/// Removes a finished job: `/jobs/working`, `/jobs/all` and `/jobs/finished` (and a stray
/// ready/waiting entry, which a finished job cannot have).
pub(crate) async fn retire(client: &mut Client, id: &str) -> Result<(), StoreError> {
    let keys = [
        format!("/jobs/working/{id}"),
        all_key(id),
        format!("/jobs/ready/{id}"),
        format!("/jobs/waiting/{id}"),
        format!("/jobs/finished/{id}"),
    ];
    let txn = Txn::new().and_then(
        keys.iter()
            .map(|k| TxnOp::delete(k.as_str(), None))
            .collect::<Vec<_>>(),
    );
    client.txn(txn).await.map_err(failed("retire", &keys[1]))?;
    Ok(())
}

/// Writes `value` at `key`: created if absent, else compare-and-swapped against what was read
/// (retried when another writer got in between); returns the value at `also`, read in the
/// same transaction as `key` (one round trip less per resource change: the job manager
/// handles every change in turn, so its round trips bound a large flow's throughput).
pub(crate) async fn create_or_swap_reading(
    client: &mut Client,
    key: &str,
    value: &str,
    also: &str,
) -> Result<Option<Vec<u8>>, StoreError> {
    for _ in 0..5 {
        let read = Txn::new().and_then([TxnOp::get(key, None), TxnOp::get(also, None)]);
        let read = client.txn(read).await.map_err(failed("get", key))?;
        let mut gets = read.op_responses().into_iter().map(|op| match op {
            TxnOpResponse::Get(get) => get.kvs().first().cloned(),
            _ => None,
        });
        let (current, other) = (gets.next().flatten(), gets.next().flatten());
        let other = other.map(|kv| kv.value().to_vec());
        let compare = match current {
            None => Compare::create_revision(key, CompareOp::Equal, 0),
            Some(kv) if kv.value() == value.as_bytes() => return Ok(other),
            Some(kv) => Compare::mod_revision(key, CompareOp::Equal, kv.mod_revision()),
        };
        let txn = Txn::new()
            .when([compare])
            .and_then([TxnOp::put(key, value, None)]);
        if client
            .txn(txn)
            .await
            .map_err(failed("create or swap", key))?
            .succeeded()
        {
            return Ok(other);
        }
    }
    Err(StoreError {
        op: "create or swap (kept changing)",
        key: key.into(),
        source: None,
    })
}

/// Puts `value` at `key`.
pub(crate) async fn put(client: &mut Client, key: &str, value: String) -> Result<(), StoreError> {
    client
        .put(key, value, None)
        .await
        .map_err(failed("put", key))?;
    Ok(())
}

/// Deletes `keys` in one transaction.
pub(crate) async fn delete(client: &mut Client, keys: &[String]) -> Result<(), StoreError> {
    let txn = Txn::new().and_then(
        keys.iter()
            .map(|k| TxnOp::delete(k.as_str(), None))
            .collect::<Vec<_>>(),
    );
    client
        .txn(txn)
        .await
        .map_err(failed("delete", keys.first().map_or("", String::as_str)))?;
    Ok(())
}
