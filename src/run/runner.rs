//! The executor. One run: record from the current revision, start the fakes and the worker,
//! apply the steps, wait (on the recorder, never by sleeping) until every checkpoint has
//! happened, then stop the worker and render the checkpoints.

use std::time::{Duration, Instant};

use super::capture::{Captured, Missing, capture, missing};
use super::control::{Control, WorkerOwner};
use super::error::{RunError, RunErrorKind};
use super::invariants::{self, Invariants};
use super::keyspace::{self, FinalKeyspace};
use super::progress::Progress;
use super::recorder::{Recorder, Write};
use super::steps::{self, StepContext};
use crate::etcd::{Etcd, EtcdError};
use crate::fakes::Fakes;
use crate::scenario::{Scenario, WorkerSpec};
use crate::worker::WorkerEnv;
use tokio_util::sync::CancellationToken;

/// A run: complete when returned as `Ok`, partial when carried by a [`RunError`].
#[derive(Debug)]
pub struct Outcome {
    /// Checkpoints that happened, document by document, in declared order.
    pub checkpoints: Vec<Captured>,
    /// Checkpoints that never happened (empty for a complete run).
    pub missing: Vec<Missing>,
    /// The keyspace the run ended with, when the scenario declares `keyspace:` (and the run
    /// got that far).
    pub keyspace: Option<FinalKeyspace>,
    /// The invariants checked from the history, when a worker ran and the run got to its end
    /// (`None`: not checked).
    pub invariants: Option<Invariants>,
    /// What the worker printed.
    pub worker_log: String,
    /// Every write of the run.
    pub history: Vec<Write>,
    /// Every call the fake Heat received, in order (each with the etcd revision it came at).
    pub heat_calls: Vec<crate::fakes::HeatCall>,
    /// Wall time of the run.
    pub elapsed: Duration,
}

/// Runs `scenario` on an etcd of its own from `backend` (shared ones are wiped first), with
/// the scenario's worker: the one call a test needs.
pub async fn run_on(
    backend: &crate::etcd::Backend,
    scenario: &Scenario,
) -> Result<Outcome, RunError> {
    let fail = |e: EtcdError| RunError::new(scenario, e.into(), String::new());
    let provider = crate::etcd::Provider::new(backend).await.map_err(fail)?;
    let etcd = provider.acquire().await.map_err(fail)?;
    run_scenario(scenario, &etcd, None).await
}

/// Runs `scenario` against a clean `etcd`, with `worker` in place of the scenario's own when
/// given.
pub async fn run_scenario(
    scenario: &Scenario,
    etcd: &Etcd,
    worker: Option<&WorkerSpec>,
) -> Result<Outcome, RunError> {
    run_scenario_until(scenario, etcd, worker, &CancellationToken::new()).await
}

/// [`run_scenario`] that stops early when `stop` is cancelled (SIGINT, SIGTERM): the worker
/// and the fakes are stopped as at any end, and the error carries what was captured.
pub async fn run_scenario_until(
    scenario: &Scenario,
    etcd: &Etcd,
    worker: Option<&WorkerSpec>,
    stop: &CancellationToken,
) -> Result<Outcome, RunError> {
    let started = Instant::now();
    let fail = |kind: RunErrorKind, worker_log: String| RunError::new(scenario, kind, worker_log);
    let failed = |kind: RunErrorKind, worker_log: String, held: &[crate::fakes::HeldStack]| {
        let mut error = fail(kind, worker_log);
        error.held = held.to_vec();
        error
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

    let fakes = Fakes::start_synced(&scenario.heat, &scenario.collector, client.clone())
        .await
        .map_err(|e| {
            fail(
                RunErrorKind::Fake {
                    service: e.service(),
                    source: Box::new(e),
                },
                String::new(),
            )
        })?;
    let env = WorkerEnv::new(etcd, &fakes);
    let spec = worker.unwrap_or(&scenario.worker);
    let (mut worker, handle) = WorkerOwner::start(spec, &env)
        .await
        .map_err(|e| fail(RunErrorKind::Worker(e), String::new()))?;
    let control = Control {
        etcd,
        fakes: &fakes,
        worker: handle,
    };

    let interrupted = || RunErrorKind::Interrupted {
        missing: missing(scenario, &recorder.snapshot()).into(),
    };
    let result = tokio::select! {
        result = drive(scenario, &recorder, client.clone(), &mut worker, &control) => result,
        () = stop.cancelled() => Err(interrupted()),
    };
    drop(control);
    let mut keyspace = match &result {
        Ok(_) => {
            let settle = !matches!(spec, WorkerSpec::None);
            tokio::select! {
                keyspace = keyspace::capture(scenario, &recorder, client.clone(), settle) => keyspace,
                () = stop.cancelled() => Err(interrupted()),
            }
        }
        Err(_) => Ok(None),
    };
    // The invariants are checked once the work the run set off is done (or the scenario's
    // timeout passed again): a run without a worker has nothing to check.
    let mut check = result.is_ok() && keyspace.is_ok() && !matches!(spec, WorkerSpec::None);
    if check {
        tokio::select! {
            () = work_done(scenario, &recorder) => {}
            () = stop.cancelled() => {
                // Stopped while waiting: an interrupted run, not a broken invariant.
                check = false;
                keyspace = Err(interrupted());
            }
        }
        if let Some(failure) = recorder.failure() {
            // The history is incomplete: nothing can be judged from it.
            check = false;
            keyspace = Err(RunErrorKind::Recorder(failure));
        }
    }
    let worker_log = worker.stop().await;
    let journal = fakes.heat_journal();
    let held = fakes.held_stacks();
    drop(fakes);
    // One copy of the history and of the journal: a flow of thousands of resources records
    // hundreds of thousands of writes.
    let (result, history) = match result {
        Ok(history) if check => {
            drop(history);
            let history = caught_up(&recorder, client.clone())
                .await
                .unwrap_or_else(|_| recorder.snapshot());
            (Ok(()), history)
        }
        Ok(history) => (Ok(()), history),
        Err(kind) => (Err(kind), recorder.snapshot()),
    };
    drop(recorder);
    tracing::debug!(
        writes = history.len(),
        bytes = history
            .iter()
            .map(|w| w.key.len() + w.value.as_ref().map_or(0, Vec::len))
            .sum::<usize>(),
        heat_calls = journal.len(),
        worker_log = worker_log.len(),
        "recorded"
    );
    let invariants = check.then(|| invariants::check(&history));
    let broken = invariants.as_ref().filter(|i| !i.hold()).cloned();
    let captured = capture(scenario, &history, &journal);
    let never = match (&result, &keyspace, &captured) {
        (Err(_), _, Ok(_)) | (_, Err(_), Ok(_)) => missing(scenario, &history),
        _ => Vec::new(),
    };
    let outcome = move |checkpoints, missing, keyspace, worker_log| Outcome {
        checkpoints,
        missing,
        keyspace,
        invariants,
        worker_log,
        history,
        heat_calls: journal,
        elapsed: started.elapsed(),
    };
    match (result.and(keyspace), captured) {
        (Ok(keyspace), Ok(checkpoints)) => match broken {
            Some(broken) => {
                let kind = RunErrorKind::Invariants(Box::new(broken));
                let mut error = failed(kind, worker_log.clone(), &held);
                // Every checkpoint happened: they are kept, to compare as usual.
                error.partial = Some(Box::new(outcome(
                    checkpoints,
                    Vec::new(),
                    keyspace,
                    worker_log,
                )));
                Err(error)
            }
            None => Ok(outcome(checkpoints, Vec::new(), keyspace, worker_log)),
        },
        (Ok(_), Err(kind)) => Err(failed(kind, worker_log, &held)),
        (Err(kind), captured) => {
            let mut error = failed(kind, worker_log.clone(), &held);
            // What did happen is kept, so one missing checkpoint never hides the others.
            if let Ok(checkpoints) = captured {
                error.partial = Some(Box::new(outcome(checkpoints, never, None, worker_log)));
            }
            Err(error)
        }
    }
}

/// Steps, then the wait for every checkpoint. Returns the history.
async fn drive(
    scenario: &Scenario,
    recorder: &Recorder,
    client: etcd_client::Client,
    worker: &mut WorkerOwner,
    control: &Control<'_>,
) -> Result<Vec<Write>, RunErrorKind> {
    let fakes = control.fakes;
    let ctx = StepContext {
        client: client.clone(),
        recorder,
        control,
    };
    for (i, step) in scenario.steps.iter().enumerate() {
        let at = || {
            format!(
                "during step {} (`{}`, line {})",
                i + 1,
                step.kind.action(),
                step.line
            )
        };
        // A worker that exits is noticed at once, not when a step times out; the worker
        // faults a step asks for are served meanwhile.
        match worker.around(steps::apply(&ctx, &step.kind)).await {
            Ok(applied) => applied.map_err(|source| RunErrorKind::Step {
                number: i + 1,
                action: step.kind.action(),
                line: step.line,
                source: Box::new(source),
            })?,
            Err(status) => {
                let history = caught_up(recorder, client.clone()).await?;
                return Err(RunErrorKind::WorkerExited {
                    status,
                    when: at(),
                    missing: missing(scenario, &history).into(),
                });
            }
        }
    }

    tracing::debug!(steps = scenario.steps.len(), "every step applied");
    // A timeout too large to add to now is no deadline at all.
    let deadline = Instant::now().checked_add(scenario.timeout);
    let mut changed = recorder.subscribe();
    let mut progress = Progress::new(&scenario.documents);
    loop {
        changed.borrow_and_update();
        if let Some(failure) = recorder.failure() {
            return Err(RunErrorKind::Recorder(failure));
        }
        if progress.complete(recorder) {
            tracing::debug!("every checkpoint happened");
            return settled(fakes, recorder, client, deadline).await;
        }
        tokio::select! {
            woke = until(deadline, changed.changed()) => {
                if woke.is_none() {
                    return Err(RunErrorKind::Missing {
                        waited: scenario.timeout,
                        missing: missing(scenario, &recorder.snapshot()).into(),
                    });
                }
            }
            status = worker.exited() => {
                let history = caught_up(recorder, client.clone()).await?;
                if progress.complete(recorder) {
                    return Ok(history);
                }
                return Err(RunErrorKind::WorkerExited {
                    status,
                    when: "before every checkpoint happened".into(),
                    missing: missing(scenario, &history).into(),
                });
            }
        }
    }
}

/// Waits, on the recorder (never by sleeping), until no work the run set off is under way
/// ([`invariants::pending`]: every `/config` version answered, every job ended, no `/jobs/`
/// key left), at most the scenario's timeout. A worker that never finishes its work is then
/// caught by the invariants instead of hanging the run.
async fn work_done(scenario: &Scenario, recorder: &Recorder) {
    let deadline = Instant::now().checked_add(scenario.timeout);
    let mut changed = recorder.subscribe();
    loop {
        changed.borrow_and_update();
        if !invariants::pending(&recorder.snapshot()) || recorder.failure().is_some() {
            return;
        }
        if !matches!(until(deadline, changed.changed()).await, Some(Ok(()))) {
            return;
        }
    }
}

/// Once every checkpoint happened: waits, until `deadline`, for the collector to write every
/// report that is due (they may follow the last checkpoint), then the history.
async fn settled(
    fakes: &Fakes,
    recorder: &Recorder,
    client: etcd_client::Client,
    deadline: Option<Instant>,
) -> Result<Vec<Write>, RunErrorKind> {
    let left = deadline.map_or(Duration::MAX, |d| {
        d.saturating_duration_since(Instant::now())
    });
    fakes
        .collector_settled(left)
        .await
        .map_err(|e| RunErrorKind::Fake {
            service: e.service(),
            source: Box::new(e),
        })?;
    caught_up(recorder, client).await
}

/// `future`'s output, or `None` once `deadline` (if any) passed.
pub(super) async fn until<T>(
    deadline: Option<Instant>,
    future: impl Future<Output = T>,
) -> Option<T> {
    match deadline {
        Some(deadline) => tokio::time::timeout_at(deadline.into(), future).await.ok(),
        None => Some(future.await),
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
