//! The REST API heat-engine called (`collector_agents/*.md`): `POST /targets`,
//! `GET /targets`, `GET /targets/<id>`, `DELETE /targets/<id>`, behind one wiremock responder.
//! Answers are Go-encoded (the collector is a Go service); bad requests get error answers.

use serde_json::Value;
use wiremock::{Request, Respond, ResponseTemplate};

use super::errors::ApiError;
use super::input::TargetInput;
use super::targets::Targets;
use super::views;
use crate::encoding::go_json;

/// The responder mounted on `/targets` and `/targets/<id>`.
pub(super) struct CollectorApi {
    pub(super) targets: Targets,
}

impl Respond for CollectorApi {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let method = request.method.as_str();
        let path = request.url.path().trim_end_matches('/');
        if !self.targets.is_up() {
            // Down (a fault step): like an agent behind a proxy whose backend is gone.
            return ApiError {
                status: 503,
                message: "the collector agents are down".into(),
            }
            .response();
        }
        let id = path
            .strip_prefix("/targets/")
            .filter(|id| !id.contains('/'));
        let answer = match (method, id) {
            ("POST", None) if path == "/targets" => self.create(&request.body),
            ("GET", None) if path == "/targets" => Ok(self.list()),
            ("GET", Some(id)) => self.show(id),
            ("DELETE", Some(id)) => self.delete(id),
            (_, Some(_)) => Err(not_allowed(method)),
            (_, None) if path == "/targets" => Err(not_allowed(method)),
            _ => Err(ApiError {
                status: 404,
                message: format!("no route for {method} {path}"),
            }),
        };
        answer.unwrap_or_else(|e| e.response())
    }
}

impl CollectorApi {
    fn create(&self, body: &[u8]) -> Result<ResponseTemplate, ApiError> {
        let body: Value = serde_json::from_slice(body)
            .map_err(|e| ApiError::bad_request(format!("the body is not JSON: {e}")))?;
        let input = TargetInput::parse(&body, true)?;
        let (error, latency) = self.targets.behaviour("POST", &input.selector());
        if let Some(error) = error {
            return Ok(delayed(error.response(), latency));
        }
        let target = self.targets.create(input, None);
        let view = views::target(&target, &self.targets.public_url());
        Ok(delayed(json(201, &Value::Object(view)), latency))
    }

    fn list(&self) -> ResponseTemplate {
        let public_url = self.targets.public_url();
        let all: Vec<Value> = self
            .targets
            .list()
            .iter()
            .map(|t| views::shown(t, &public_url, self.targets.unreachable(t)))
            .collect();
        json(200, &Value::Array(all))
    }

    fn show(&self, id: &str) -> Result<ResponseTemplate, ApiError> {
        let target = self
            .targets
            .get(id)
            .ok_or_else(|| ApiError::not_found(id))?;
        let (error, latency) = self.targets.behaviour("GET", &target.input.selector());
        if let Some(error) = error {
            return Ok(delayed(error.response(), latency));
        }
        let unreachable = self.targets.unreachable(&target);
        let view = views::shown(&target, &self.targets.public_url(), unreachable);
        Ok(delayed(json(200, &view), latency))
    }

    fn delete(&self, id: &str) -> Result<ResponseTemplate, ApiError> {
        let target = self
            .targets
            .get(id)
            .ok_or_else(|| ApiError::not_found(id))?;
        let (error, latency) = self.targets.behaviour("DELETE", &target.input.selector());
        if let Some(error) = error {
            return Ok(delayed(error.response(), latency));
        }
        if !self.targets.delete(id) {
            return Err(ApiError::not_found(id));
        }
        Ok(delayed(ResponseTemplate::new(204), latency))
    }
}

fn json(status: u16, value: &Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(go_json(value).into_bytes(), "application/json")
}

fn delayed(answer: ResponseTemplate, latency: Option<std::time::Duration>) -> ResponseTemplate {
    match latency {
        Some(latency) => answer.set_delay(latency),
        None => answer,
    }
}

fn not_allowed(method: &str) -> ApiError {
    ApiError {
        status: 405,
        message: format!("method {method} is not allowed here"),
    }
}
