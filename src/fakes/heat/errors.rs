//! Heat's error responses: every failure the fake answers is a [`HeatError`], rendered as the
//! body Heat's fault middleware writes (`{"code", "title", "explanation", "error": {...}}`).

use serde_json::json;

/// A request the fake refuses, with the Heat exception type and message it would carry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum HeatError {
    /// 400: the request or the template is invalid.
    #[error("{kind}: {message}")]
    BadRequest {
        /// Heat's exception class, e.g. `StackValidationFailed`.
        kind: &'static str,
        /// Heat's message.
        message: String,
    },
    /// 401: no token, or one Keystone did not issue.
    #[error("authentication required")]
    Unauthorized,
    /// 403: the token's project is not the URL's tenant.
    #[error("{message}")]
    Forbidden {
        /// Why.
        message: String,
    },
    /// 404: no such stack, output or route.
    #[error("{kind}: {message}")]
    NotFound {
        /// `EntityNotFound`, `NotFound`...
        kind: &'static str,
        /// Heat's message.
        message: String,
    },
    /// 405: the route exists but not for this method.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// 409: a live stack of that name exists.
    #[error("{kind}: {message}")]
    Conflict {
        /// `StackExists`.
        kind: &'static str,
        /// Heat's message.
        message: String,
    },
    /// 5xx injected by the scenario.
    #[error("injected {status}")]
    Injected {
        /// The status code.
        status: u16,
    },
}

impl HeatError {
    /// 400 `StackValidationFailed` (the type most template problems carry).
    pub(super) fn invalid(message: impl Into<String>) -> Self {
        HeatError::BadRequest {
            kind: "StackValidationFailed",
            message: message.into(),
        }
    }

    /// 400 with a given exception type.
    pub(super) fn bad_request(kind: &'static str, message: impl Into<String>) -> Self {
        HeatError::BadRequest {
            kind,
            message: message.into(),
        }
    }

    /// 404 for a stack that does not exist (by name or id).
    pub(super) fn stack_not_found(name: &str) -> Self {
        HeatError::NotFound {
            kind: "EntityNotFound",
            message: format!("The Stack ({name}) could not be found."),
        }
    }

    /// 404 for a route the fake does not serve.
    pub(super) fn unknown_route() -> Self {
        HeatError::NotFound {
            kind: "NotFound",
            message: "The resource could not be found.".into(),
        }
    }

    /// Heat's message alone (what `str(exception)` prints, and `output_error` carries).
    pub(super) fn message(&self) -> String {
        match self {
            HeatError::BadRequest { message, .. }
            | HeatError::NotFound { message, .. }
            | HeatError::Conflict { message, .. }
            | HeatError::Forbidden { message } => message.clone(),
            other => other.to_string(),
        }
    }

    /// The HTTP status code.
    pub(super) fn status(&self) -> u16 {
        match self {
            HeatError::BadRequest { .. } => 400,
            HeatError::Unauthorized => 401,
            HeatError::Forbidden { .. } => 403,
            HeatError::NotFound { .. } => 404,
            HeatError::MethodNotAllowed => 405,
            HeatError::Conflict { .. } => 409,
            HeatError::Injected { status } => *status,
        }
    }

    /// The JSON body Heat answers with.
    pub(super) fn body(&self) -> serde_json::Value {
        let status = self.status();
        let (title, explanation) = titles(status);
        let (kind, message) = match self {
            HeatError::BadRequest { kind, message }
            | HeatError::NotFound { kind, message }
            | HeatError::Conflict { kind, message } => (*kind, message.clone()),
            HeatError::Unauthorized => (
                "Unauthorized",
                "The request you have made requires authentication.".to_string(),
            ),
            HeatError::Forbidden { message } => ("Forbidden", message.clone()),
            HeatError::MethodNotAllowed => (
                "HTTPMethodNotAllowed",
                "The method is not allowed for the requested URL.".to_string(),
            ),
            HeatError::Injected { .. } => (
                "HeatbedInjectedFailure",
                format!("heatbed: injected HTTP {status} failure"),
            ),
        };
        json!({
            "explanation": explanation,
            "code": status,
            "error": {"message": message, "traceback": null, "type": kind},
            "title": title,
        })
    }
}

/// webob's title and explanation of a status.
fn titles(status: u16) -> (&'static str, &'static str) {
    match status {
        400 => (
            "Bad Request",
            "The server could not comply with the request since it is either malformed or \
             otherwise incorrect.",
        ),
        401 => (
            "Unauthorized",
            "This server could not verify that you are authorized to access the document you \
             requested.",
        ),
        403 => ("Forbidden", "Access was denied to this resource."),
        404 => ("Not Found", "The resource could not be found."),
        405 => (
            "Method Not Allowed",
            "The method is not allowed for the requested URL.",
        ),
        409 => (
            "Conflict",
            "There was a conflict when trying to complete your request.",
        ),
        502 => ("Bad Gateway", "Bad gateway."),
        503 => (
            "Service Unavailable",
            "The server is currently unavailable. Please try again at a later time.",
        ),
        504 => ("Gateway Timeout", "The gateway has timed out."),
        _ => (
            "Internal Server Error",
            "The server has either erred or is incapable of performing the requested operation.",
        ),
    }
}
