//! Fake Keystone v3: version discovery and password authentication, handing out project-scoped
//! tokens whose catalog points at the fake Heat. The tokens it issued are shared with Heat,
//! which checks every call's `X-Auth-Token` against them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use serde_json::{Value, json};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use super::{DOMAIN, PASSWORD, USERNAME};

/// The tokens Keystone issued, with the project each is scoped to.
#[derive(Debug, Clone, Default)]
pub(super) struct Tokens(Arc<Mutex<HashMap<String, String>>>);

impl Tokens {
    /// The project of a token, if Keystone issued it.
    pub(super) fn project_of(&self, token: &str) -> Option<String> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(token)
            .cloned()
    }

    fn issue(&self, project: &str) -> String {
        let mut tokens = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let token = format!("heatbed-token-{:04}", tokens.len() + 1);
        tokens.insert(token.clone(), project.to_string());
        token
    }
}

/// The project's name (the recorded stacks' owner was `admin` in an `admin` project).
const PROJECT_NAME: &str = "admin";
/// The user's id.
const USER_ID: &str = "0c4e939acacf4376bdcd1129f1a054ad";

/// Starts the fake; `heat_url` is the orchestration endpoint of the catalog.
pub(super) async fn start(project_id: &str, heat_url: String, tokens: Tokens) -> MockServer {
    let server = MockServer::builder()
        .disable_request_recording()
        .start()
        .await;
    let responder = KeystoneResponder {
        uri: server.uri(),
        project_id: project_id.to_string(),
        heat_url,
        tokens,
    };
    Mock::given(any())
        .respond_with(responder)
        .named("keystone: dispatcher")
        .mount(&server)
        .await;
    server
}

struct KeystoneResponder {
    uri: String,
    project_id: String,
    heat_url: String,
    tokens: Tokens,
}

impl Respond for KeystoneResponder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let path = request.url.path().trim_end_matches('/');
        match (request.method.as_str(), path) {
            ("GET", "") => ResponseTemplate::new(300)
                .set_body_json(json!({"versions": {"values": [self.version()]}})),
            ("GET", "/v3") => {
                ResponseTemplate::new(200).set_body_json(json!({"version": self.version()}))
            }
            ("POST", "/v3/auth/tokens") => self.authenticate(&request.body),
            ("GET", "/v3/auth/tokens") => {
                let subject = request
                    .headers
                    .get("x-subject-token")
                    .and_then(|v| v.to_str().ok());
                match subject.and_then(|t| self.tokens.project_of(t).map(|p| (t, p))) {
                    Some((token, project)) => self.token_response(200, token, &project),
                    None => error(404, "Not Found", "Could not find token."),
                }
            }
            (_, "" | "/v3" | "/v3/auth/tokens") => error(
                405,
                "Method Not Allowed",
                "The method is not allowed for the requested URL.",
            ),
            _ => error(404, "Not Found", "The resource could not be found."),
        }
    }
}

impl KeystoneResponder {
    fn version(&self) -> Value {
        json!({
            "id": "v3.14",
            "status": "stable",
            "updated": "2020-04-07T00:00:00Z",
            "links": [{"rel": "self", "href": format!("{}/v3/", self.uri)}],
            "media-types": [{"base": "application/json", "type": "application/vnd.openstack.identity-v3+json"}],
        })
    }

    fn authenticate(&self, body: &[u8]) -> ResponseTemplate {
        let Ok(body) = serde_json::from_slice::<Value>(body) else {
            return error(
                400,
                "Bad Request",
                "Expecting to find auth in request body.",
            );
        };
        let auth = &body["auth"];
        let user = &auth["identity"]["password"]["user"];
        let user_ok = (user["name"] == USERNAME || user["id"] == USER_ID)
            && user["password"] == PASSWORD
            && (user.get("id").is_some()
                || user["domain"]["name"] == DOMAIN
                || user["domain"]["id"] == "default");
        if !user_ok {
            return error(
                401,
                "Unauthorized",
                "The request you have made requires authentication.",
            );
        }
        let project = &auth["scope"]["project"];
        let project_id = match (&project["id"], &project["name"]) {
            (Value::String(id), _) => id.clone(),
            (_, Value::String(name)) if name == PROJECT_NAME || *name == self.project_id => {
                self.project_id.clone()
            }
            (_, Value::String(_)) => {
                return error(
                    401,
                    "Unauthorized",
                    "The request you have made requires authentication.",
                );
            }
            _ => self.project_id.clone(),
        };
        let token = self.tokens.issue(&project_id);
        self.token_response(201, &token, &project_id)
    }

    fn token_response(&self, status: u16, token: &str, project_id: &str) -> ResponseTemplate {
        let now = SystemTime::now();
        let expires = now + Duration::from_secs(24 * 3600);
        let domain = json!({"id": "default", "name": DOMAIN});
        let endpoint = |id: &str, url: String| json!([{"id": id, "interface": "public", "region": "RegionOne", "region_id": "RegionOne", "url": url}]);
        let heat_url = if project_id == self.project_id {
            self.heat_url.clone()
        } else {
            self.heat_url.replace(&self.project_id, project_id)
        };
        ResponseTemplate::new(status)
            .insert_header("X-Subject-Token", token)
            .set_body_json(json!({"token": {
                "methods": ["password"],
                "expires_at": humantime::format_rfc3339_micros(expires).to_string(),
                "issued_at": humantime::format_rfc3339_micros(now).to_string(),
                "audit_ids": ["heatbed"],
                "user": {"id": USER_ID, "name": USERNAME, "domain": domain, "password_expires_at": null},
                "project": {"id": project_id, "name": PROJECT_NAME, "domain": domain},
                "roles": [{"id": "r-admin", "name": "admin"}, {"id": "r-member", "name": "member"}],
                "is_domain": false,
                "catalog": [
                    {"type": "orchestration", "name": "heat", "id": "s-heat", "endpoints": endpoint("e-heat", heat_url)},
                    {"type": "identity", "name": "keystone", "id": "s-keystone", "endpoints": endpoint("e-keystone", format!("{}/v3", self.uri))},
                ],
            }}))
    }
}

fn error(code: u16, title: &str, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(code)
        .set_body_json(json!({"error": {"code": code, "title": title, "message": message}}))
}
