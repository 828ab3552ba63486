//! What can go wrong while running one job, and whether trying again may help.

use thiserror::Error;

/// A job step failed.
#[derive(Debug, Error)]
pub(crate) enum JobError {
    /// etcd refused or could not be reached.
    #[error("etcd {request} failed")]
    Etcd {
        /// What was asked.
        request: String,
        /// Why it failed.
        #[source]
        source: etcd_client::Error,
    },
    /// An HTTP call could not be made or its answer not read.
    #[error("{service} {request} failed")]
    Http {
        /// keystone or heat.
        service: &'static str,
        /// Method and URL.
        request: String,
        /// Why it failed.
        #[source]
        source: reqwest::Error,
    },
    /// A service answered with an error status.
    #[error("{service} {request} answered {status}: {message}")]
    Status {
        /// keystone or heat.
        service: &'static str,
        /// Method and URL.
        request: String,
        /// The HTTP status.
        status: u16,
        /// The error message of the answer.
        message: String,
    },
    /// A service answered something we cannot use.
    #[error("{service} answered an unusable body: {detail}")]
    Protocol {
        /// keystone or heat.
        service: &'static str,
        /// What is wrong.
        detail: String,
    },
    /// The job, its template or a referenced stack is not usable.
    #[error("{0}")]
    Input(String),
    /// The `template_path` mapping of the job's type does not evaluate.
    #[error("the template_path mapping of {resource_type} does not evaluate")]
    TemplatePath {
        /// The job's resource type.
        resource_type: String,
        /// Why.
        #[source]
        source: crate::worker::reference::job_manager::MappingError,
    },
    /// The template does not render.
    #[error("template {template} does not render: {detail}")]
    Render {
        /// The template id.
        template: String,
        /// minijinja's message.
        detail: String,
    },
    /// Our claim on the job is gone (lease expired or taken over).
    #[error("the claim on job {0} was lost")]
    ClaimLost(String),
    /// The worker is stopping.
    #[error("the worker is stopping")]
    Stopping,
}

impl JobError {
    /// Whether trying the same step again may succeed: connection problems, 5xx, 409 and 429
    /// from services, and every etcd error.
    pub(crate) fn is_transient(&self) -> bool {
        match self {
            JobError::Etcd { .. } | JobError::Http { .. } => true,
            JobError::Status { status, .. } => *status >= 500 || *status == 429 || *status == 409,
            _ => false,
        }
    }

    /// An etcd error for `request`.
    pub(crate) fn etcd(request: impl Into<String>) -> impl FnOnce(etcd_client::Error) -> JobError {
        let request = request.into();
        move |source| JobError::Etcd { request, source }
    }
}

/// The message of `error` with its sources, for logs and `/state.error`.
pub(crate) fn chain(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(inner) = source {
        message.push_str(": ");
        message.push_str(&inner.to_string());
        source = inner.source();
    }
    message
}
