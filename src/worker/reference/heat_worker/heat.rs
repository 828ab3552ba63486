//! The Heat v1 calls the worker makes, one attempt each (callers retry): look a stack up by
//! name, show, create, update, delete, list resources. Redirects are followed by hand so the
//! canonical `/stacks/<name>/<id>` URL is known.

use std::sync::Arc;

use reqwest::{Client, Method, StatusCode};
use serde_json::Value;

use super::errors::JobError;
use super::keystone::Auth;

/// A stack's canonical URL, `<heat>/stacks/<name>/<id>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StackRef(pub(crate) String);

/// What a stack show says.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StackView {
    /// `stack_status`, e.g. `CREATE_COMPLETE`.
    pub(crate) status: String,
    /// `stack_status_reason`.
    pub(crate) reason: String,
    /// `outputs` as Heat listed them (empty when absent).
    pub(crate) outputs: Vec<Value>,
}

impl StackView {
    /// Whether Heat is still working on the stack.
    pub(crate) fn in_progress(&self) -> bool {
        self.status.ends_with("_IN_PROGRESS")
    }
}

/// A Heat client sharing one Keystone session.
#[derive(Debug, Clone)]
pub(crate) struct Heat {
    http: Client,
    auth: Arc<Auth>,
}

/// An answer: status, `Location`, JSON body (`Null` when none).
struct Answer {
    status: StatusCode,
    location: Option<String>,
    body: Value,
}

impl Heat {
    /// A client authenticating through `auth`.
    pub(crate) fn new(http: Client, auth: Arc<Auth>) -> Self {
        Heat { http, auth }
    }

    /// `GET /stacks/<name>`: the stack's canonical URL, `None` when there is no such stack.
    pub(crate) async fn find(&self, name: &str) -> Result<Option<StackRef>, JobError> {
        let answer = self
            .call(Method::GET, &format!("/stacks/{name}"), None)
            .await?;
        match answer.status.as_u16() {
            404 => Ok(None),
            300..=399 => answer
                .location
                .map(|l| Some(StackRef(l)))
                .ok_or_else(|| protocol("a redirect without Location")),
            200 => {
                let id = answer.body["stack"]["id"]
                    .as_str()
                    .ok_or_else(|| protocol("a stack without id"))?;
                let base = self.auth.session().await?.heat_url;
                Ok(Some(StackRef(format!("{base}/stacks/{name}/{id}"))))
            }
            _ => Err(status_error("GET", name, &answer)),
        }
    }

    /// `GET <stack>`; `None` when Heat no longer knows it.
    pub(crate) async fn show(&self, stack: &StackRef) -> Result<Option<StackView>, JobError> {
        let answer = self.call(Method::GET, &stack.0, None).await?;
        match answer.status.as_u16() {
            404 => Ok(None),
            200 => {
                let s = &answer.body["stack"];
                let status = s["stack_status"]
                    .as_str()
                    .ok_or_else(|| protocol("a stack without stack_status"))?;
                Ok(Some(StackView {
                    status: status.to_string(),
                    reason: s["stack_status_reason"]
                        .as_str()
                        .unwrap_or_default()
                        .to_string(),
                    outputs: s["outputs"].as_array().cloned().unwrap_or_default(),
                }))
            }
            _ => Err(status_error("GET", &stack.0, &answer)),
        }
    }

    /// `POST /stacks` with `body`; the new stack's URL. A stack of that name that already
    /// exists (a retried create whose first answer was lost) is returned instead.
    pub(crate) async fn create(&self, name: &str, body: Value) -> Result<StackRef, JobError> {
        let answer = self.call(Method::POST, "/stacks", Some(body)).await?;
        match answer.status.as_u16() {
            200..=299 => {
                if let Some(location) = answer.location {
                    return Ok(StackRef(location));
                }
                let id = answer.body["stack"]["id"]
                    .as_str()
                    .ok_or_else(|| protocol("a created stack without id"))?;
                let base = self.auth.session().await?.heat_url;
                Ok(StackRef(format!("{base}/stacks/{name}/{id}")))
            }
            409 => self
                .find(name)
                .await?
                .ok_or_else(|| status_error("POST", "/stacks", &answer)),
            _ => Err(status_error("POST", "/stacks", &answer)),
        }
    }

    /// `PUT <stack>` with `body`.
    pub(crate) async fn update(&self, stack: &StackRef, body: Value) -> Result<(), JobError> {
        let answer = self.call(Method::PUT, &stack.0, Some(body)).await?;
        if answer.status.is_success() {
            Ok(())
        } else {
            Err(status_error("PUT", &stack.0, &answer))
        }
    }

    /// `DELETE <stack>`; a stack already gone is fine.
    pub(crate) async fn delete(&self, stack: &StackRef) -> Result<(), JobError> {
        let answer = self.call(Method::DELETE, &stack.0, None).await?;
        if answer.status.is_success() || answer.status == StatusCode::NOT_FOUND {
            Ok(())
        } else {
            Err(status_error("DELETE", &stack.0, &answer))
        }
    }

    /// `GET <stack>/resources`, as the recorded worker did after a final status.
    pub(crate) async fn resources(&self, stack: &StackRef) -> Result<(), JobError> {
        let url = format!("{}/resources", stack.0);
        let answer = self.call(Method::GET, &url, None).await?;
        if answer.status.is_success() || answer.status == StatusCode::NOT_FOUND {
            Ok(())
        } else {
            Err(status_error("GET", &url, &answer))
        }
    }

    /// One call; `path` is absolute or relative to the orchestration endpoint. A 401 drops
    /// the token and tries once more with a fresh one.
    async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Answer, JobError> {
        let mut reauthenticated = false;
        loop {
            let session = self.auth.session().await?;
            let url = if path.starts_with("http") {
                path.to_string()
            } else {
                format!("{}{path}", session.heat_url)
            };
            let mut request = self
                .http
                .request(method.clone(), &url)
                .header("X-Auth-Token", &session.token)
                .header("Accept", "application/json");
            if let Some(body) = &body {
                request = request.json(body);
            }
            let http_error = |source| JobError::Http {
                service: "heat",
                request: format!("{method} {url}"),
                source,
            };
            let response = request.send().await.map_err(http_error)?;
            let status = response.status();
            if status == StatusCode::UNAUTHORIZED && !reauthenticated {
                self.auth.invalidate(&session.token).await;
                reauthenticated = true;
                continue;
            }
            let location = response
                .headers()
                .get("location")
                .and_then(|l| l.to_str().ok())
                .map(String::from);
            let text = response.text().await.map_err(http_error)?;
            let body = serde_json::from_str(&text).unwrap_or(Value::Null);
            return Ok(Answer {
                status,
                location,
                body,
            });
        }
    }
}

fn protocol(detail: &str) -> JobError {
    JobError::Protocol {
        service: "heat",
        detail: detail.to_string(),
    }
}

fn status_error(method: &str, path: &str, answer: &Answer) -> JobError {
    let error = &answer.body["error"];
    let message = error["message"]
        .as_str()
        .or_else(|| answer.body["explanation"].as_str())
        .unwrap_or_default();
    JobError::Status {
        service: "heat",
        request: format!("{method} {path}"),
        status: answer.status.as_u16(),
        message: message.to_string(),
    }
}
