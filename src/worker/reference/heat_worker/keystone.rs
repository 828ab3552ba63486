//! Keystone v3 password authentication: a project-scoped token and the orchestration endpoint
//! from its catalog, cached and shared by every job until Heat refuses the token.

use reqwest::Client;
use serde_json::{Value, json};
use tokio::sync::Mutex;

use super::errors::JobError;
use crate::worker::reference::Config;

/// A token and where Heat is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Session {
    /// `X-Auth-Token`.
    pub(crate) token: String,
    /// The orchestration endpoint, e.g. `http://host/v1/<project>`.
    pub(crate) heat_url: String,
}

/// The shared, lazily (re)authenticated session.
#[derive(Debug)]
pub(crate) struct Auth {
    http: Client,
    config: Config,
    session: Mutex<Option<Session>>,
}

impl Auth {
    /// No token yet.
    pub(crate) fn new(http: Client, config: Config) -> Self {
        Auth {
            http,
            config,
            session: Mutex::new(None),
        }
    }

    /// The current session, authenticating first if there is none.
    pub(crate) async fn session(&self) -> Result<Session, JobError> {
        let mut session = self.session.lock().await;
        if let Some(s) = session.as_ref() {
            return Ok(s.clone());
        }
        let fresh = authenticate(&self.http, &self.config).await?;
        *session = Some(fresh.clone());
        Ok(fresh)
    }

    /// Forgets `token` (Heat said 401), so the next call authenticates again.
    pub(crate) async fn invalidate(&self, token: &str) {
        let mut session = self.session.lock().await;
        if session.as_ref().is_some_and(|s| s.token == token) {
            *session = None;
        }
    }
}

/// `POST /v3/auth/tokens` with password auth, scoped to the configured project.
async fn authenticate(http: &Client, config: &Config) -> Result<Session, JobError> {
    let url = format!("{}/auth/tokens", config.env.auth_url.trim_end_matches('/'));
    let request = format!("POST {url}");
    let body = json!({"auth": {
        "identity": {"methods": ["password"], "password": {"user": {
            "name": config.env.username,
            "domain": {"name": config.env.domain},
            "password": config.env.password,
        }}},
        "scope": {"project": {"id": config.env.project_id}},
    }});
    let http_error = |source| JobError::Http {
        service: "keystone",
        request: request.clone(),
        source,
    };
    let response = http
        .post(&url)
        .json(&body)
        .send()
        .await
        .map_err(http_error)?;
    let status = response.status().as_u16();
    let token = response
        .headers()
        .get("x-subject-token")
        .and_then(|t| t.to_str().ok())
        .map(String::from);
    let answer: Value = response.json().await.unwrap_or(Value::Null);
    if !(200..300).contains(&status) {
        return Err(JobError::Status {
            service: "keystone",
            request,
            status,
            message: answer["error"]["message"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        });
    }
    let protocol = |detail: &str| JobError::Protocol {
        service: "keystone",
        detail: detail.to_string(),
    };
    let token = token.ok_or_else(|| protocol("no X-Subject-Token header"))?;
    let heat_url = orchestration_url(&answer)
        .ok_or_else(|| protocol("no public orchestration endpoint in the catalog"))?;
    Ok(Session { token, heat_url })
}

/// The public orchestration endpoint of a token's catalog.
fn orchestration_url(token: &Value) -> Option<String> {
    token["token"]["catalog"]
        .as_array()?
        .iter()
        .filter(|service| service["type"] == "orchestration")
        .flat_map(|service| service["endpoints"].as_array().into_iter().flatten())
        .find(|endpoint| endpoint["interface"] == "public")
        .and_then(|endpoint| endpoint["url"].as_str())
        .map(|url| url.trim_end_matches('/').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_public_orchestration_endpoint() {
        let token = json!({"token": {"catalog": [
            {"type": "identity", "endpoints": [{"interface": "public", "url": "http://k/v3"}]},
            {"type": "orchestration", "endpoints": [
                {"interface": "internal", "url": "http://internal/v1/p"},
                {"interface": "public", "url": "http://h/v1/p/"},
            ]},
        ]}});
        assert_eq!(orchestration_url(&token).as_deref(), Some("http://h/v1/p"));
        assert_eq!(orchestration_url(&json!({})), None);
    }
}
