//! One file per step kind; this module only dispatches.

mod delete;
mod fault;
mod gohan;
mod put;
mod wait;

use etcd_client::Client;

use super::control::Control;
use super::error::StepError;
use super::recorder::Recorder;
use crate::scenario::StepKind;

pub(crate) use fault::validate as validate_fault;
pub use fault::{CollectorFault, EtcdFault, Fault, FaultStep, HeatFault, WorkerFault};

/// What a step can reach.
pub(crate) struct StepContext<'a> {
    /// The scenario's etcd.
    pub client: Client,
    /// The history being recorded (wait steps wake on it).
    pub recorder: &'a Recorder,
    /// etcd, the fakes and the worker, for fault steps.
    pub control: &'a Control<'a>,
}

/// Runs one step.
pub(crate) async fn apply(ctx: &StepContext<'_>, step: &StepKind) -> Result<(), StepError> {
    match step {
        StepKind::Gohan { op, key, body } => gohan::apply(ctx, *op, key, body.as_ref()).await,
        StepKind::Put { key, value } => put::apply(ctx, key, value).await,
        StepKind::Delete { key, prefix } => delete::apply(ctx, key, *prefix).await,
        StepKind::Wait {
            key,
            prefix,
            condition,
            timeout,
        } => wait::apply(ctx, key, *prefix, condition, *timeout).await,
        StepKind::Fault(fault) => fault::apply(ctx.control, fault).await,
    }
}

/// Maps a client error to a step error naming the request.
fn etcd_error(request: impl Into<String>) -> impl FnOnce(etcd_client::Error) -> StepError {
    let request = request.into();
    move |source| StepError::Etcd {
        request,
        source: Box::new(source),
    }
}
