//! One claimed job from start to finish: read it, check the stack, render, drive Heat to a
//! final status, report (ESI-SPEC §3.2).
//!
//! Failures (ESI-SPEC §9 item 2; no failure was recorded, these are choices): a `*_FAILED`
//! (or rollback) final status, the worker's own timeout and an error that retries did not
//! cure all end the job the same way: `/state` gets `worker_state` `<CREATE|MODIFY|DELETE>_FAILED`,
//! `orchestration_state` the stack's failed status (`<CREATE|UPDATE|DELETE>_FAILED` when Heat
//! reported none) and `error` the reason; `/jobs/finished` is created so the job manager
//! cleans up (`on_failure: fail`). `heat_stacks` is written only for a stack that reached a
//! final status.

use std::time::Duration;

use etcd_client::Client;
use serde_json::{Value, json};

use super::claim::Claim;
use super::errors::{JobError, chain};
use super::heat::{Heat, StackRef, StackView};
use super::job::{Action, Job};
use super::render;
use super::retry::{Backoff, pause, retry};
use super::state::{Outcome, Writer};
use super::template;
use crate::worker::reference::{Config, Log, Shutdown};

/// The time one status poll stands for when the worker counts its own timeout: the recorded
/// worker polled about every 1.1 s (ESI-SPEC §3.5). Counting polls, not wall-clock time,
/// keeps timeouts independent of the (fast) configured poll interval.
const MODELLED_POLL: Duration = Duration::from_millis(1100);

/// Heat's default stack timeout, for jobs without `heat_timeout`.
const DEFAULT_TIMEOUT_MINS: u64 = 60;

/// What every job needs.
pub(crate) struct Context {
    pub(crate) etcd: Client,
    pub(crate) heat: Heat,
    pub(crate) config: Config,
    pub(crate) log: Log,
    pub(crate) shutdown: Shutdown,
    pub(crate) backoff: Backoff,
}

/// How waiting for a stack ended.
enum End {
    /// A final status.
    Final(StackView),
    /// Heat no longer knows the stack.
    Gone,
    /// Still in progress when the job's time was up.
    TimedOut(StackView),
}

/// Runs a claimed job to its end.
pub(crate) async fn run(ctx: &Context, claim: Claim) {
    let log = |message: String| ctx.log.line("heat_worker", message);
    let key = format!("/jobs/all/{}", claim.job_id);
    let raw = retry(ctx.backoff, &ctx.shutdown, || {
        let (mut etcd, key) = (ctx.etcd.clone(), key.clone());
        async move {
            etcd.get(key.as_str(), None)
                .await
                .map(|r| r.kvs().first().map(|kv| kv.value().to_vec()))
                .map_err(JobError::etcd(format!("get {key}")))
        }
    })
    .await;
    let job = match raw.map(|raw| raw.map(|raw| Job::parse(&claim.job_id, &raw))) {
        Ok(Some(Ok(job))) => job,
        Ok(None) => return log(format!("job {} has no {key}; dropped", claim.job_id)),
        Err(JobError::Stopping) => return,
        Ok(Some(Err(e))) | Err(e) => {
            log(format!("job {} cannot run: {}", claim.job_id, chain(&e)));
            // No resource to report on: finish the job so the job manager ends it.
            let finished = format!("/jobs/finished/{}", claim.job_id);
            let mut etcd = ctx.etcd.clone();
            let _ = super::state::create_empty(&mut etcd, &finished).await;
            return;
        }
    };
    let writer = Writer {
        etcd: ctx.etcd.clone(),
        job: &job,
        claim: &claim,
        backoff: ctx.backoff,
        shutdown: &ctx.shutdown,
    };
    log(format!("Starting work on new ready job {}", job.id));
    if let Err(e) = writer.started().await {
        return log(format!("job {}: {}", job.id, chain(&e)));
    }
    let outcome = match drive(ctx, &job).await {
        Ok(outcome) => outcome,
        Err(JobError::Stopping) => return,
        Err(e) => failed(&job, None, chain(&e)),
    };
    log(format!(
        "Job {} finished with results {{heat_outputs: {}, orchestration_state: {}, error: {:?}}}",
        job.id,
        Value::Array(outcome.outputs.clone()),
        outcome.stack_status,
        outcome.error
    ));
    match writer.finished(&outcome).await {
        Ok(()) => log(format!("Job {} finished.", job.id)),
        Err(JobError::Stopping) => {}
        Err(e) => log(format!("job {}: {}", job.id, chain(&e))),
    }
}

/// Checks the stack, then creates, updates or deletes it.
async fn drive(ctx: &Context, job: &Job) -> Result<Outcome, JobError> {
    let log = |message: String| ctx.log.line("heat_worker", message);
    let name = job.stack_name();
    let budget = polls(job);
    log(format!(
        "Checking job status for {}:{}",
        job.resource_type, job.resource_id
    ));
    let mut existing = retry(ctx.backoff, &ctx.shutdown, || ctx.heat.find(&name)).await?;
    if let Some(stack) = existing.clone() {
        match wait(ctx, &stack, &name, budget).await? {
            End::Gone => existing = None,
            End::TimedOut(view) => return Ok(timed_out(job, &name, &view)),
            End::Final(view) if view.status == "DELETE_COMPLETE" => existing = None,
            End::Final(view) => log(format!(
                "Found stack with status {} for {}:{}",
                view.status, job.resource_type, job.resource_id
            )),
        }
    }
    log(format!("{} STARTED", job.action.state_word()));
    if job.action == Action::LogicalDelete {
        return delete(ctx, job, existing, budget).await;
    }
    let template_id = template::template_id(job)?
        .ok_or_else(|| JobError::Input(format!("{} has no template", job.resource_type)))?;
    log(format!("Template id {template_id} resolved from mapping"));
    let source = retry(ctx.backoff, &ctx.shutdown, || {
        let mut etcd = ctx.etcd.clone();
        let id = template_id.clone();
        async move { template::template_file(&mut etcd, &id).await }
    })
    .await?;
    let params = retry(ctx.backoff, &ctx.shutdown, || {
        let mut etcd = ctx.etcd.clone();
        async move { job.resolve(&mut etcd).await }
    })
    .await?;
    let split = render::split(params);
    let rendered = render::render(&template_id, &source, &split.jinja)?;
    let timeout_mins = split.timeout_mins.unwrap_or(DEFAULT_TIMEOUT_MINS);
    log(format!(
        "Heat template prepared: \n{rendered}\n with parameters:\n{}, \n and heat timeout = {timeout_mins}, rollback = False, \nusing this jinja parameters: \n{}",
        Value::Object(split.parameters.clone()),
        Value::Object(split.jinja.clone()),
    ));
    let mut body = json!({
        "template": rendered,
        "parameters": split.parameters,
        "timeout_mins": timeout_mins,
        "disable_rollback": true,
    });
    let (stack, expected) = match existing {
        None => {
            body["stack_name"] = json!(name);
            log(format!("Creating a stack {name}"));
            let stack = retry(ctx.backoff, &ctx.shutdown, || {
                ctx.heat.create(&name, body.clone())
            })
            .await?;
            (stack, "CREATE_COMPLETE")
        }
        Some(stack) => {
            log(format!("Updating a stack {name}"));
            retry(ctx.backoff, &ctx.shutdown, || {
                ctx.heat.update(&stack, body.clone())
            })
            .await?;
            (stack, "UPDATE_COMPLETE")
        }
    };
    let view = match wait(ctx, &stack, &name, budget).await? {
        End::Final(view) => view,
        End::TimedOut(view) => return Ok(timed_out(job, &name, &view)),
        End::Gone => return Err(JobError::Input(format!("stack {name} disappeared"))),
    };
    let _ = ctx.heat.resources(&stack).await;
    if view.status != expected {
        let reason = format!("stack {name} ended {}: {}", view.status, view.reason);
        return Ok(failed(job, Some((&name, view)), reason));
    }
    log(format!(
        "{} {name}",
        if expected == "CREATE_COMPLETE" {
            "CREATED"
        } else {
            "MODIFIED"
        }
    ));
    Ok(Outcome {
        stack_status: view.status,
        reason: view.reason,
        outputs: view.outputs,
        stack_id: name,
        settled: true,
        error: None,
    })
}

/// Deletes the stack (if any) and waits until it is gone.
async fn delete(
    ctx: &Context,
    job: &Job,
    existing: Option<StackRef>,
    budget: u64,
) -> Result<Outcome, JobError> {
    let name = job.stack_name();
    if let Some(stack) = existing {
        ctx.log
            .line("heat_worker", format!("Deleting a stack {name}"));
        retry(ctx.backoff, &ctx.shutdown, || ctx.heat.delete(&stack)).await?;
        match wait(ctx, &stack, &name, budget).await? {
            End::Gone => {}
            End::Final(view) if view.status == "DELETE_COMPLETE" => {}
            End::Final(view) => {
                let reason = format!("stack {name} ended {}: {}", view.status, view.reason);
                return Ok(failed(job, Some((&name, view)), reason));
            }
            End::TimedOut(view) => return Ok(timed_out(job, &name, &view)),
        }
    }
    ctx.log.line("heat_worker", format!("DELETED {name}"));
    Ok(Outcome {
        stack_status: "DELETE_COMPLETE".into(),
        reason: String::new(),
        outputs: Vec::new(),
        stack_id: String::new(),
        settled: true,
        error: None,
    })
}

/// Polls until the stack leaves `*_IN_PROGRESS`, is gone, or `budget` polls have passed.
async fn wait(ctx: &Context, stack: &StackRef, name: &str, budget: u64) -> Result<End, JobError> {
    let mut seen = String::new();
    for _ in 0..budget.max(1) {
        let Some(view) = retry(ctx.backoff, &ctx.shutdown, || ctx.heat.show(stack)).await? else {
            return Ok(End::Gone);
        };
        if view.status != seen {
            ctx.log.line(
                "heat_worker",
                format!("Stack \"{name}\" in status \"{}\"", view.status),
            );
            seen.clone_from(&view.status);
        }
        if !view.in_progress() {
            return Ok(End::Final(view));
        }
        pause(&ctx.shutdown, ctx.config.poll_interval).await?;
    }
    let view = retry(ctx.backoff, &ctx.shutdown, || ctx.heat.show(stack)).await?;
    Ok(match view {
        None => End::Gone,
        Some(v) if !v.in_progress() => End::Final(v),
        Some(v) => End::TimedOut(v),
    })
}

/// Polls allowed for the job's `heat_timeout` (ESI-SPEC §2.8), in modelled poll periods.
fn polls(job: &Job) -> u64 {
    let params: serde_json::Map<String, Value> = job
        .params
        .iter()
        .filter(|p| p["param"] == "heat_timeout")
        .map(|p| ("heat_timeout".to_string(), p["value"].clone()))
        .collect();
    let minutes = render::split(params)
        .timeout_mins
        .unwrap_or(DEFAULT_TIMEOUT_MINS);
    (Duration::from_secs(minutes * 60).as_millis() / MODELLED_POLL.as_millis()).max(1) as u64
}

/// A stack still in progress when the job's time was up.
fn timed_out(job: &Job, name: &str, view: &StackView) -> Outcome {
    let minutes = polls(job) * MODELLED_POLL.as_millis() as u64 / 60_000;
    let reason = format!(
        "timed out after {minutes} min waiting for stack {name} (last status {})",
        view.status
    );
    failed(job, None, reason)
}

/// A failed job; `stack` is the stack that reached a failed final status, if any.
fn failed(job: &Job, stack: Option<(&str, StackView)>, error: String) -> Outcome {
    match stack {
        Some((name, view)) => Outcome {
            stack_status: view.status,
            reason: view.reason,
            outputs: view.outputs,
            stack_id: name.to_string(),
            settled: true,
            error: Some(error),
        },
        None => Outcome {
            stack_status: format!("{}_FAILED", job.action.heat_word()),
            reason: String::new(),
            outputs: Vec::new(),
            stack_id: String::new(),
            settled: false,
            error: Some(error),
        },
    }
}
