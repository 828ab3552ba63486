//! The keyspace a run ends with: every key under the scenario's `keyspace.prefixes` but its
//! `ignore` globs, read once the run settled, rendered like checkpoints (a `/config` body
//! decoded, redactions applied) into one snapshot text.

use std::collections::BTreeMap;
use std::time::Instant;

use etcd_client::{Client, GetOptions};

use super::error::RunErrorKind;
use super::recorder::{Recorder, Write};
use super::runner::until;
use crate::etcd::EtcdError;
use crate::scenario::{Keyspace, Scenario};
use crate::snapshot::{redact, render_write};

/// Where the ESI protocol keeps work in flight: the job queue and the worker's per-resource
/// job state (ESI-SPEC §1.5, §1.6). A worker that finished its work leaves nothing here.
const IN_FLIGHT: [&str; 2] = ["/jobs/", "/esi-worker/job_state/"];

/// The final keyspace of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FinalKeyspace {
    /// Every key taken, sorted, with its raw value.
    pub entries: Vec<(String, Vec<u8>)>,
    /// Every entry rendered like a checkpoint and redacted, sorted, separated by blank lines:
    /// the text of `snapshots/<scenario>/keyspace.snap`.
    pub text: String,
}

/// Reads the keyspace `scenario` declares, if it declares one: once no work is in flight
/// when `settle` (a worker runs), at most the scenario's timeout.
pub(super) async fn capture(
    scenario: &Scenario,
    recorder: &Recorder,
    mut client: Client,
    settle: bool,
) -> Result<Option<FinalKeyspace>, RunErrorKind> {
    let Some(keyspace) = &scenario.keyspace else {
        return Ok(None);
    };
    if settle {
        settled(recorder, Instant::now().checked_add(scenario.timeout)).await;
    }
    let entries = read(keyspace, &mut client).await?;
    let mut rendered: Vec<String> = entries
        .iter()
        .map(|(key, value)| redact(&scenario.redactions, &render_write(key, value)))
        .collect();
    rendered.sort();
    Ok(Some(FinalKeyspace {
        entries,
        text: rendered.join("\n\n"),
    }))
}

async fn read(
    keyspace: &Keyspace,
    client: &mut Client,
) -> Result<Vec<(String, Vec<u8>)>, RunErrorKind> {
    let mut taken = BTreeMap::new();
    for prefix in &keyspace.prefixes {
        let response = client
            .get(prefix.as_str(), Some(GetOptions::new().with_prefix()))
            .await
            .map_err(|source| EtcdError::Request {
                request: format!("get prefix {prefix}"),
                source,
            })?;
        for kv in response.kvs() {
            let key = String::from_utf8_lossy(kv.key()).into_owned();
            if keyspace.takes(&key) {
                taken.insert(key, kv.value().to_vec());
            }
        }
    }
    Ok(taken.into_iter().collect())
}

/// Waits, on the recorder (never by sleeping), until no work is in flight ([`IN_FLIGHT`]):
/// every job the worker took is finished and cleaned up. Gives up at `deadline`, so a worker
/// that leaves a job behind shows it in the keyspace instead of hanging the run.
async fn settled(recorder: &Recorder, deadline: Option<Instant>) {
    let mut changed = recorder.subscribe();
    loop {
        changed.borrow_and_update();
        if !queued(&recorder.snapshot()) || recorder.failure().is_some() {
            return;
        }
        if !matches!(until(deadline, changed.changed()).await, Some(Ok(()))) {
            return;
        }
    }
}

/// Whether the history leaves a key of work in flight.
fn queued(history: &[Write]) -> bool {
    let mut live = BTreeMap::new();
    let in_flight = |key: &str| IN_FLIGHT.iter().any(|p| key.starts_with(p));
    for write in history.iter().filter(|w| in_flight(&w.key)) {
        live.insert(write.key.as_str(), write.value.is_some());
    }
    live.values().any(|present| *present)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(revision: i64, key: &str, value: Option<&str>) -> Write {
        Write {
            revision,
            key: key.into(),
            value: value.map(|v| v.as_bytes().to_vec()),
        }
    }

    #[test]
    fn the_queue_is_empty_once_every_job_key_is_deleted() {
        let mut history = vec![
            write(2, "/jobs/all/j", Some("[]")),
            write(3, "/jobs/ready/j", Some("heat_worker")),
            write(4, "/esi-worker/job_state/v2.0/x", Some("{}")),
            write(5, "/state/x", Some("{}")),
            write(6, "/jobs/ready/j", None),
        ];
        assert!(queued(&history));
        history.push(write(7, "/jobs/all/j", None));
        assert!(queued(&history), "the job state is still there");
        history.push(write(8, "/esi-worker/job_state/v2.0/x", None));
        assert!(!queued(&history));
    }
}
