//! The one responder of the fake Heat: checks the token, routes on method and path segments,
//! applies the scenario's injected errors and latency and the outage under way (fault
//! steps), and writes the journal.

use std::sync::{Arc, Mutex, PoisonError, RwLock};

use percent_encoding::percent_decode_str;
use serde_json::{Value, json};

use super::errors::HeatError;
use super::http::{HttpRequest, HttpResponse};
use super::journal::HeatCall;
use super::reads::{self, LOOKUP_PATHS};
use super::state::{HeatState, Reply};
use super::writes;
use crate::fakes::keystone::Tokens;
use crate::fakes::outage::OutageKind;

/// Answers every request to the fake Heat.
pub(super) struct HeatResponder {
    pub(super) state: Arc<Mutex<HeatState>>,
    pub(super) tokens: Tokens,
    /// The run's etcd, read for its revision as each request arrives (the journal's order
    /// among the etcd writes); `None` outside a run. Apart from the state, whose lock the
    /// requests then take only to route.
    pub(super) etcd: RwLock<Option<etcd_client::Client>>,
    /// Requests take turns here before they take the state's lock: one that waits yields its
    /// worker thread to other tasks instead of parking it, so under load the fake's answers
    /// queue as tasks, not as threads asleep on the lock.
    pub(super) turn: tokio::sync::Mutex<()>,
}

impl HeatResponder {
    /// The run's etcd revision now: every write that happened before the request was sent
    /// has at most this revision, every write made after the answer a greater one.
    pub(super) async fn revision(&self) -> i64 {
        let etcd = self
            .etcd
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        let Some(mut etcd) = etcd else { return 0 };
        let options = etcd_client::GetOptions::new().with_count_only();
        etcd.get("\0", Some(options))
            .await
            .ok()
            .and_then(|r| r.header().map(|h| h.revision()))
            .unwrap_or(0)
    }

    /// Answers one request.
    pub(super) async fn respond(&self, request: &HttpRequest) -> HttpResponse {
        let method = request.method.clone();
        let segments: Vec<String> = request
            .path
            .split('/')
            .filter(|s| !s.is_empty())
            .map(|s| percent_decode_str(s).decode_utf8_lossy().into_owned())
            .collect();
        let raw_query = request.query.as_deref();
        let query: Vec<(String, String)> =
            url::form_urlencoded::parse(raw_query.unwrap_or_default().as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
        let body = if request.body.is_empty() {
            Ok(Value::Null)
        } else {
            serde_json::from_slice::<Value>(&request.body).map_err(|e| {
                HeatError::bad_request(
                    "HTTPBadRequest",
                    format!("The request body is not valid JSON: {e}"),
                )
            })
        };
        let call = Call {
            method: &method,
            segments: &segments,
            query: &query,
            raw_query,
            body: &body,
        };
        let path = match raw_query {
            Some(q) => format!("{}?{q}", request.path),
            None => request.path.clone(),
        };
        // Decoded before the lock, which requests then hold only to route.
        let turn = self.turn.lock().await;
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let stack_name = call.stack_name(&state);
        // An outage (fault step) comes before anything: the service is not there.
        let outage = state.outage.take();
        let result = match outage {
            Some(OutageKind::Status(status)) => Err(HeatError::Injected { status }),
            Some(OutageKind::Refused) => Err(HeatError::Injected { status: 0 }),
            Some(OutageKind::Latency(_)) | None => {
                authorize(&self.tokens, request, &segments, &state.spec.project_id)
                    .and_then(|()| match &stack_name {
                        Some(name) => state.injected(name, &method).map_or(Ok(()), Err),
                        None => Ok(()),
                    })
                    .and_then(|()| route(&mut state, &call))
            }
        };

        // Journaled with status 0: received, never answered.
        let close = outage == Some(OutageKind::Refused);
        let status = match (&result, close) {
            (_, true) => 0,
            (Ok(reply), false) => reply.status,
            (Err(error), false) => error.status(),
        };
        let hooks = std::mem::take(
            &mut *state
                .hook_log
                .lock()
                .unwrap_or_else(PoisonError::into_inner),
        );
        state.journal.push(HeatCall {
            status,
            revision: request.revision,
            hooks,
            ..HeatCall::new(method, path, &request.body)
        });
        let latency = state.spec.latency.unwrap_or_default()
            + stack_name
                .and_then(|n| state.rule(&n).and_then(|r| r.latency))
                .unwrap_or_default();
        // The answer is written out after the lock is let go.
        drop(state);
        drop(turn);
        let mut response = match result {
            Ok(reply) => reply_response(reply),
            Err(error) => HttpResponse::error(&error),
        };
        response.close = close;
        response.status = status;
        response.delay = match outage {
            Some(OutageKind::Latency(late)) => latency + late,
            _ => latency,
        };
        response
    }
}

/// One request, decoded.
struct Call<'a> {
    method: &'a str,
    segments: &'a [String],
    query: &'a [(String, String)],
    raw_query: Option<&'a str>,
    body: &'a Result<Value, HeatError>,
}

impl Call<'_> {
    /// The segments after `/v1/{tenant}`, as `&str`.
    fn rest(&self) -> Vec<&str> {
        self.segments.iter().skip(2).map(String::as_str).collect()
    }

    /// The stack a call is about, for the scenario's per-stack rules.
    fn stack_name(&self, state: &HeatState) -> Option<String> {
        match self.rest().as_slice() {
            ["stacks"] if self.method == "POST" => self
                .body
                .as_ref()
                .ok()?
                .get("stack_name")?
                .as_str()
                .map(Into::into),
            ["stacks", name, ..] => Some(match state.with_id(name) {
                Some(stack) => stack.name.clone(),
                None => (*name).to_string(),
            }),
            _ => None,
        }
    }

    fn body(&self) -> Result<&Value, HeatError> {
        self.body.as_ref().map_err(Clone::clone)
    }
}

fn route(state: &mut HeatState, call: &Call<'_>) -> Result<Reply, HeatError> {
    if call.segments.is_empty() {
        return match call.method {
            "GET" => Ok(Reply {
                status: 300,
                body: Some(json!({"versions": [{"id": "v1.0", "status": "CURRENT",
                    "links": [{"rel": "self", "href": format!("{}/v1/", state.uri)}]}]})),
                location: None,
            }),
            _ => Err(HeatError::MethodNotAllowed),
        };
    }
    if call.segments.first().map(String::as_str) != Some("v1") || call.segments.len() < 3 {
        return Err(HeatError::unknown_route());
    }
    let method = call.method;
    let allow = |ok: bool| {
        if ok {
            Ok(())
        } else {
            Err(HeatError::MethodNotAllowed)
        }
    };
    match call.rest().as_slice() {
        ["stacks"] | ["stacks", "detail"] => match method {
            "GET" => reads::list(state, call.query),
            "POST" => writes::create(state, call.body()?),
            _ => Err(HeatError::MethodNotAllowed),
        },
        ["validate"] => {
            allow(method == "POST")?;
            reads::validate(state, call.body()?)
        }
        ["stacks", name] => {
            allow(["GET", "POST", "PUT", "PATCH", "DELETE"].contains(&method))?;
            reads::lookup(state, name, None, call.raw_query)
        }
        ["stacks", name, path] if LOOKUP_PATHS.contains(path) && state.find(name).is_some() => {
            allow(method == "GET" || method == "POST")?;
            reads::lookup(state, name, Some(path), call.raw_query)
        }
        ["stacks", name, id] => {
            let index = state.at(name, id)?;
            match method {
                "GET" => reads::show(state, index, call.query),
                "PUT" => writes::update(state, index, call.body()?, false),
                "PATCH" => writes::update(state, index, call.body()?, true),
                "DELETE" => writes::delete(state, index),
                _ => Err(HeatError::MethodNotAllowed),
            }
        }
        ["stacks", name, id, what, rest @ ..] => {
            let index = state.at(name, id)?;
            allow(method == "GET")?;
            match (*what, rest) {
                ("outputs", []) => reads::outputs(state, index, None),
                ("outputs", [key]) => reads::outputs(state, index, Some(key)),
                ("template" | "environment" | "files", []) => {
                    Ok(reads::stored(state.stack(index), what))
                }
                ("resources", []) => Ok(reads::resources(state, index)),
                ("events", []) => reads::events(state, index, call.query),
                _ => Err(HeatError::unknown_route()),
            }
        }
        _ => Err(HeatError::unknown_route()),
    }
}

/// 401 without a token Keystone issued; 403 when its project is not the URL's tenant.
fn authorize(
    tokens: &Tokens,
    request: &HttpRequest,
    segments: &[String],
    project: &str,
) -> Result<(), HeatError> {
    if segments.is_empty() {
        return Ok(());
    }
    let token = request
        .headers
        .get("x-auth-token")
        .and_then(|v| v.to_str().ok());
    let Some(token_project) = token.and_then(|t| tokens.project_of(t)) else {
        return Err(HeatError::Unauthorized);
    };
    let tenant = segments.get(1).map_or("", String::as_str);
    if segments.first().map(String::as_str) == Some("v1")
        && (tenant != token_project || tenant != project)
    {
        return Err(HeatError::Forbidden {
            message: format!(
                "You are not authorized to access project {tenant} with a token of project {token_project}."
            ),
        });
    }
    Ok(())
}

fn reply_response(reply: Reply) -> HttpResponse {
    let mut response = match &reply.body {
        Some(body) => HttpResponse::json(reply.status, body),
        None => HttpResponse {
            status: reply.status,
            headers: Vec::new(),
            body: None,
            delay: std::time::Duration::ZERO,
            close: false,
        },
    };
    if let Some(location) = reply.location {
        response.headers.push(("location", location));
    }
    response
}
