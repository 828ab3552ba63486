//! What every step kind is given: the file context its validation reads, the run context its
//! execution reaches, and the two traits a step kind implements.

use std::path::Path;

use etcd_client::Client;

use crate::run::control::Control;
use crate::run::error::StepError;
use crate::run::recorder::Recorder;
use crate::scenario::FieldError;

/// What a step's validation may read besides its own fields.
pub(crate) struct FileContext<'a> {
    /// The scenario file's folder: relative paths in a step start here.
    pub base: &'a Path,
}

/// What a step can reach while it runs.
pub(crate) struct StepContext<'a> {
    /// The scenario's etcd.
    pub client: Client,
    /// The history being recorded (wait steps wake on it).
    pub recorder: &'a Recorder,
    /// etcd, the fakes and the worker, for fault steps.
    pub control: &'a Control<'a>,
}

/// A step as written in a scenario file (`action: <kind>` and its fields).
pub(crate) trait StepForm {
    /// The validated step.
    type Step;

    /// Checks what serde cannot and builds the runtime step; errors name the field below
    /// the step (`.key`), the caller adds `steps[i]` and the step's position.
    fn validate(self, files: &FileContext<'_>) -> Result<Self::Step, FieldError>;
}

/// A validated step.
pub(crate) trait StepAction {
    /// The file form it came from (what `heatbed catalogue --out` writes back).
    type Form;

    /// The file form that validates into this step.
    fn to_file(&self) -> Self::Form;

    /// Runs the step.
    async fn apply(&self, ctx: &StepContext<'_>) -> Result<(), StepError>;
}

/// Maps a client error to a step error naming the request.
pub(crate) fn etcd_error(
    request: impl Into<String>,
) -> impl FnOnce(etcd_client::Error) -> StepError {
    let request = request.into();
    move |source| StepError::Etcd {
        request,
        source: Box::new(source),
    }
}
