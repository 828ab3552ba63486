//! A client of the fake Heat as real clients use it: a Keystone token scoped to a project,
//! redirects not followed (the 302 of a name lookup is part of what tests check). Shared by
//! the test binaries that include it with `#[path]`.

// Each binary uses a part of it: what one leaves unused is not dead.
#![allow(dead_code)]

use heatbed::fakes::{self, Fakes};
use reqwest::{Client, Method, StatusCode, redirect};
use serde_json::{Map, Value, json};

/// A logged-in client of one fake Heat.
pub struct HeatClient {
    /// The HTTP client (no redirects followed).
    pub client: Client,
    /// The Keystone token every call carries.
    pub token: String,
    heat_url: String,
}

impl HeatClient {
    /// Logs in to `fakes`' Keystone, scoped to its project.
    pub async fn login(fakes: &Fakes) -> HeatClient {
        let client = Client::builder()
            .redirect(redirect::Policy::none())
            .build()
            .expect("client");
        let token = token(&client, fakes, json!({"id": fakes.project_id()})).await;
        HeatClient {
            client,
            token,
            heat_url: fakes.heat_url(),
        }
    }

    /// One request: `path` below the project's Heat URL, or a whole URL (a `Location`).
    /// Returns the status, the JSON body (null when it is not JSON) and the `Location`.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value, Option<String>) {
        let url = if path.starts_with("http") {
            path.to_string()
        } else {
            format!("{}{path}", self.heat_url)
        };
        let mut request = self
            .client
            .request(method, url)
            .header("X-Auth-Token", &self.token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("heat answers");
        let status = response.status();
        let location = response
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .map(String::from);
        let text = response.text().await.expect("body");
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::Null),
            location,
        )
    }
}

/// A shown stack's outputs by key.
pub fn outputs_by_key(stack: &Value) -> Map<String, Value> {
    stack["outputs"]
        .as_array()
        .expect("outputs")
        .iter()
        .map(|o| {
            let key = o["output_key"].as_str().expect("key").to_string();
            (key, o["output_value"].clone())
        })
        .collect()
}

/// A token from `fakes`' Keystone for the admin user, scoped to `project`.
pub async fn token(client: &Client, fakes: &Fakes, project: Value) -> String {
    let body = json!({"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": fakes::USERNAME, "domain": {"name": fakes::DOMAIN},
        "password": fakes::PASSWORD}}}, "scope": {"project": project}}});
    let response = client
        .post(format!("{}/auth/tokens", fakes.auth_url()))
        .json(&body)
        .send()
        .await
        .expect("keystone");
    assert_eq!(response.status(), StatusCode::CREATED);
    response.headers()["x-subject-token"]
        .to_str()
        .expect("ascii")
        .to_string()
}
