//! The executor. One run: record from the current revision, start the fakes and the worker,
//! apply the steps, wait (on the recorder, never by sleeping) until every checkpoint has
//! happened, then stop the worker and render the checkpoints.

use std::time::{Duration, Instant};

use super::checkpoints::{Found, all_found, find, order_violation};
use super::error::{RunError, RunErrorKind};
use super::recorder::{Recorder, Write};
use super::steps::{self, StepContext};
use crate::etcd::{Etcd, EtcdError};
use crate::fakes::Fakes;
use crate::scenario::{Scenario, WorkerSpec};
use crate::snapshot::{redact, render_write};
use crate::worker::{Worker, WorkerEnv};

/// One checkpoint as captured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Captured {
    /// Document name.
    pub document: String,
    /// Document title.
    pub title: String,
    /// Number within the document.
    pub number: usize,
    /// The key written.
    pub key: String,
    /// etcd revision of the write.
    pub revision: i64,
    /// Rendered and redacted: key, newline, value.
    pub text: String,
}

/// A successful run.
#[derive(Debug)]
pub struct Outcome {
    /// Checkpoints, document by document, in declared order.
    pub checkpoints: Vec<Captured>,
    /// What the worker printed.
    pub worker_log: String,
    /// Every write of the run.
    pub history: Vec<Write>,
    /// Wall time of the run.
    pub elapsed: Duration,
}

/// Runs `scenario` against a clean `etcd`, with `worker` in place of the scenario's own when
/// given.
pub async fn run_scenario(
    scenario: &Scenario,
    etcd: &Etcd,
    worker: Option<&WorkerSpec>,
) -> Result<Outcome, RunError> {
    let started = Instant::now();
    let fail = |kind: RunErrorKind, worker_log: String| RunError {
        scenario: scenario.path.clone(),
        kind,
        worker_log,
    };
    let client = etcd.client();
    let revision = client
        .clone()
        .status()
        .await
        .map_err(|source| etcd_failure("status", source))
        .and_then(|s| {
            s.header()
                .map(|h| h.revision())
                .ok_or_else(|| no_header("status"))
        })
        .map_err(|e| fail(e.into(), String::new()))?;
    let recorder = Recorder::start(client.clone(), revision + 1)
        .await
        .map_err(|source| fail(etcd_failure("watch", source).into(), String::new()))?;

    let fakes = Fakes::start(&scenario.heat, &scenario.collector).await;
    let env = WorkerEnv::new(etcd, &fakes);
    let spec = worker.unwrap_or(&scenario.worker);
    let mut worker = Worker::start(spec, &env)
        .await
        .map_err(|e| fail(RunErrorKind::Worker(e), String::new()))?;

    let result = drive(scenario, &recorder, client, &mut worker).await;
    let worker_log = worker.stop().await;
    drop(fakes);
    match result {
        Ok(history) => Ok(Outcome {
            checkpoints: capture(scenario, &history)
                .map_err(|kind| fail(kind, worker_log.clone()))?,
            worker_log,
            history,
            elapsed: started.elapsed(),
        }),
        Err(kind) => Err(fail(kind, worker_log)),
    }
}

/// Steps, then the wait for every checkpoint. Returns the history.
async fn drive(
    scenario: &Scenario,
    recorder: &Recorder,
    client: etcd_client::Client,
    worker: &mut Worker,
) -> Result<Vec<Write>, RunErrorKind> {
    let ctx = StepContext {
        client: client.clone(),
        recorder,
    };
    for (i, step) in scenario.steps.iter().enumerate() {
        steps::apply(&ctx, &step.kind)
            .await
            .map_err(|source| RunErrorKind::Step {
                number: i + 1,
                action: step.kind.action(),
                line: step.line,
                source,
            })?;
    }

    let deadline = Instant::now() + scenario.timeout;
    let mut changed = recorder.subscribe();
    loop {
        changed.borrow_and_update();
        if let Some(failure) = recorder.failure() {
            return Err(RunErrorKind::Recorder(failure));
        }
        let history = recorder.snapshot();
        if all_found(&scenario.documents, &history) {
            return Ok(history);
        }
        tokio::select! {
            woke = tokio::time::timeout_at(deadline.into(), changed.changed()) => {
                if woke.is_err() {
                    return Err(RunErrorKind::Missing {
                        waited: scenario.timeout,
                        missing: missing(scenario, &recorder.snapshot()),
                    });
                }
            }
            status = worker.exited() => {
                let history = caught_up(recorder, client.clone()).await?;
                if all_found(&scenario.documents, &history) {
                    return Ok(history);
                }
                return Err(RunErrorKind::WorkerExited { status, missing: missing(scenario, &history) });
            }
        }
    }
}

/// The history once the recorder has seen every write etcd has made so far.
async fn caught_up(
    recorder: &Recorder,
    mut client: etcd_client::Client,
) -> Result<Vec<Write>, RunErrorKind> {
    let status = client
        .status()
        .await
        .map_err(|source| etcd_failure("status", source))?;
    let revision = status
        .header()
        .map(|h| h.revision())
        .ok_or_else(|| no_header("status"))?;
    Ok(recorder.caught_up(revision, Duration::from_secs(5)).await)
}

/// One line per checkpoint that has not happened, with the writes its key did see.
fn missing(scenario: &Scenario, history: &[Write]) -> String {
    let mut lines = Vec::new();
    for document in &scenario.documents {
        for checkpoint in &document.checkpoints {
            if find(checkpoint, history).is_some() {
                continue;
            }
            let seen = history
                .iter()
                .filter(|w| w.value.is_some() && checkpoint.key.matches(&w.key))
                .count();
            lines.push(format!(
                "  {} ({}) {} {:?}: the key was written {seen} time(s)",
                document.name, checkpoint.number, checkpoint.key, checkpoint.pick
            ));
        }
    }
    lines.join("\n")
}

/// Renders every checkpoint, checking each document's order.
fn capture(scenario: &Scenario, history: &[Write]) -> Result<Vec<Captured>, RunErrorKind> {
    let mut captured = Vec::new();
    for document in &scenario.documents {
        let found: Vec<(usize, Found<'_>)> = document
            .checkpoints
            .iter()
            .filter_map(|c| find(c, history).map(|f| (c.number, f)))
            .collect();
        if let Some((earlier, later)) = order_violation(&found) {
            return Err(RunErrorKind::Order {
                document: document.name.clone(),
                earlier,
                later,
            });
        }
        for (number, f) in found {
            let text = render_write(&f.write.key, f.write.value.as_deref().unwrap_or_default());
            captured.push(Captured {
                document: document.name.clone(),
                title: document.title.clone(),
                number,
                key: f.write.key.clone(),
                revision: f.write.revision,
                text: redact(&scenario.redactions, &text),
            });
        }
    }
    Ok(captured)
}

fn etcd_failure(request: &str, source: etcd_client::Error) -> EtcdError {
    EtcdError::Request {
        request: request.into(),
        source,
    }
}

fn no_header(request: &str) -> EtcdError {
    EtcdError::Request {
        request: request.into(),
        source: etcd_client::Error::InvalidArgs("response without header".into()),
    }
}
