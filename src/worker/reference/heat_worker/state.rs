//! The etcd writes of one job in the recorded order (ESI-SPEC §1.11): `job_state` `{}`; then
//! `heat_stacks`, `job_state` compare-and-swap to the result, a compare-and-swap refresh of the
//! claim, `/state`, `/jobs/finished` (create), and `job_state` compare-and-delete.

use etcd_client::{Client, Compare, CompareOp, PutOptions, Txn, TxnOp};
use serde_json::{Value, json};

use super::claim::Claim;
use super::errors::JobError;
use super::job::{Action, Job};
use super::retry::{Backoff, retry};
use crate::encoding::python_json;
use crate::worker::reference::Shutdown;

/// How a job ended, as the worker reports it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Outcome {
    /// `orchestration_state`: the stack's final status (or the last one seen).
    pub(crate) stack_status: String,
    /// `stack_status_reason`.
    pub(crate) reason: String,
    /// Heat's outputs: in Heat's order, each object's keys in the order Heat sent them.
    pub(crate) outputs: Vec<Value>,
    /// `heat_stacks.stack_id`: the stack name, `""` after a delete.
    pub(crate) stack_id: String,
    /// Whether the stack reached a final status (only then is `heat_stacks` written).
    pub(crate) settled: bool,
    /// `None` on success; the message for `/state.error` otherwise.
    pub(crate) error: Option<String>,
}

/// The writes of one job.
pub(crate) struct Writer<'a> {
    pub(crate) etcd: Client,
    pub(crate) job: &'a Job,
    pub(crate) claim: &'a Claim,
    pub(crate) backoff: Backoff,
    pub(crate) shutdown: &'a Shutdown,
}

/// `{}`: the job state before anything is known.
const EMPTY: &str = "{}";

impl Writer<'_> {
    /// `set /esi-worker/job_state/<path> = {}`.
    pub(crate) async fn started(&self) -> Result<(), JobError> {
        let key = self.key("/esi-worker/job_state");
        self.put(&key, EMPTY.to_string(), None).await
    }

    /// Reports `outcome` and finishes the job. Stops before `/state` if the claim is gone.
    pub(crate) async fn finished(&self, outcome: &Outcome) -> Result<(), JobError> {
        let job = self.job;
        if outcome.settled {
            let stack = stack_value(job, outcome);
            let key = self.key("/esi-worker/heat_stacks");
            self.put(&key, python_json(&stack, true), None).await?;
        }
        let result = python_json(&job_state_value(outcome), true);
        let job_state = self.key("/esi-worker/job_state");
        self.swap(&job_state, EMPTY, Some(result.clone())).await?;
        let working = format!("/jobs/working/{}", job.id);
        let reservation = self.claim.reservation.clone();
        self.swap(&working, &reservation, Some(reservation.clone()))
            .await?;
        let state = state_value(job, outcome);
        self.put(&self.key("/state"), python_json(&state, true), None)
            .await?;
        self.create(&format!("/jobs/finished/{}", job.id)).await?;
        let _ = self.swap(&job_state, &result, None).await;
        Ok(())
    }

    fn key(&self, prefix: &str) -> String {
        format!("{prefix}/{}", self.job.path())
    }

    async fn put(
        &self,
        key: &str,
        value: String,
        options: Option<PutOptions>,
    ) -> Result<(), JobError> {
        retry(self.backoff, self.shutdown, || {
            let (mut etcd, value, options) = (self.etcd.clone(), value.clone(), options.clone());
            async move {
                etcd.put(key, value, options)
                    .await
                    .map(drop)
                    .map_err(JobError::etcd(format!("put {key}")))
            }
        })
        .await
    }

    /// Compare-and-swap (`Some`) or compare-and-delete (`None`) on the value; a changed value
    /// is `ClaimLost` for `/jobs/working`, otherwise logged and ignored like a lost race.
    async fn swap(&self, key: &str, expected: &str, new: Option<String>) -> Result<(), JobError> {
        let lease = key
            .starts_with("/jobs/working/")
            .then_some(self.claim.lease);
        let swapped = retry(self.backoff, self.shutdown, || {
            let mut etcd = self.etcd.clone();
            let op = match (&new, lease) {
                (Some(v), Some(l)) => {
                    TxnOp::put(key, v.clone(), Some(PutOptions::new().with_lease(l)))
                }
                (Some(v), None) => TxnOp::put(key, v.clone(), None),
                (None, _) => TxnOp::delete(key, None),
            };
            let txn = Txn::new()
                .when([Compare::value(key, CompareOp::Equal, expected)])
                .and_then([op]);
            async move {
                etcd.txn(txn)
                    .await
                    .map(|r| r.succeeded())
                    .map_err(JobError::etcd(format!("compare-and-swap {key}")))
            }
        })
        .await?;
        match (swapped, lease) {
            (true, _) => Ok(()),
            (false, Some(_)) => Err(JobError::ClaimLost(self.job.id.clone())),
            (false, None) => {
                tracing::debug!(target: "heatbed::worker", "{key} changed meanwhile; not swapped");
                Ok(())
            }
        }
    }

    /// Create-if-absent with an empty value.
    async fn create(&self, key: &str) -> Result<(), JobError> {
        retry(self.backoff, self.shutdown, || {
            let mut etcd = self.etcd.clone();
            async move { create_empty(&mut etcd, key).await }
        })
        .await
    }
}

/// Create-if-absent of `key` with an empty value (one attempt).
pub(crate) async fn create_empty(etcd: &mut Client, key: &str) -> Result<(), JobError> {
    let txn = Txn::new()
        .when([Compare::create_revision(key, CompareOp::Equal, 0)])
        .and_then([TxnOp::put(key, "", None)]);
    etcd.txn(txn)
        .await
        .map(drop)
        .map_err(JobError::etcd(format!("create {key}")))
}

/// The `/esi-worker/heat_stacks` value (ESI-SPEC §1.7).
pub(crate) fn stack_value(job: &Job, outcome: &Outcome) -> Value {
    json!({
        "id": format!("{}:{}", job.resource_type, job.resource_id),
        "output": outcome.outputs,
        "stack_id": outcome.stack_id,
        "stack_status": outcome.stack_status,
        "status_reason": outcome.reason,
        "tenant_id": job.tenant_id().unwrap_or_default(),
    })
}

/// The `/esi-worker/job_state` result (ESI-SPEC §1.6).
pub(crate) fn job_state_value(outcome: &Outcome) -> Value {
    json!({"heat_outputs": outcome.outputs, "orchestration_state": outcome.stack_status})
}

/// The `/state` value: PY-S outside, `heat_outputs` a PY-U string (ESI-SPEC §1.8) whose
/// output objects keep the key order Heat returned them in, as the recorded Python worker's
/// dicts did (the recorded Heat: `output_value, description, output_key`).
pub(crate) fn state_value(job: &Job, outcome: &Outcome) -> Value {
    let word = job.action.state_word();
    let worker_state = match outcome.error {
        None => format!("{word}_COMPLETED"),
        Some(_) => format!("{word}_FAILED"),
    };
    let heat_outputs = if job.action == Action::LogicalDelete && outcome.error.is_none() {
        "[]".to_string()
    } else {
        python_json(&Value::Array(outcome.outputs.clone()), false)
    };
    json!({
        "error": outcome.error.clone().unwrap_or_default(),
        "state": {
            "heat_outputs": heat_outputs,
            "orchestration_state": outcome.stack_status,
            "worker_state": worker_state,
        },
        "version": job.version,
    })
}
