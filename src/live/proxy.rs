//! `record --live --heat-proxy URL`: heatbed between the worker and the real Keystone and
//! Heat. The worker's `OS_AUTH_URL` points at the proxy; requests are forwarded to the
//! Keystone at `URL` (same path), a token's catalog has its orchestration endpoints rewritten
//! to the proxy's `/heat`, and `/heat/...` is forwarded to the Heat the catalog named. Heat's
//! answers are kept (secrets redacted, tokens never kept) to become the scenario's heat rules.

use std::sync::{Arc, Mutex, OnceLock};

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use serde_json::Value;

use crate::fakes::loopback::{self, Loopback};

/// What replaces a secret.
pub(super) const REDACTED: &str = "[redacted]";

/// Headers never forwarded back or kept as they are: hop-by-hop ones.
const HOP_BY_HOP: [&str; 4] = [
    "connection",
    "transfer-encoding",
    "content-length",
    "keep-alive",
];

/// One Heat exchange as the proxy saw it, secrets redacted.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub(super) struct Exchange {
    pub method: String,
    /// The path below the Heat endpoint, e.g. `/stacks/network_x/1234`.
    pub path: String,
    pub request: Value,
    pub status: u16,
    pub response: Value,
}

#[derive(Default)]
struct State {
    /// The real Heat endpoint, from the first catalog seen.
    heat: Option<String>,
    journal: Vec<Exchange>,
}

/// The running proxy; dropping it stops accepting connections.
pub struct HeatProxy {
    /// The proxy's Keystone URL, for the worker's `OS_AUTH_URL` (same path as upstream).
    pub auth_url: String,
    state: Arc<Mutex<State>>,
    _server: Loopback,
}

impl HeatProxy {
    /// Binds a loopback port and forwards to the Keystone at `upstream` (an `OS_AUTH_URL`).
    pub async fn start(upstream: &str) -> std::io::Result<HeatProxy> {
        let upstream = url::Url::parse(upstream)
            .map_err(|e| std::io::Error::other(format!("--heat-proxy {upstream}: {e}")))?;
        let state = Arc::new(Mutex::new(State::default()));
        let proxy = Arc::new(Proxy {
            keystone: upstream[..url::Position::BeforePath].to_string(),
            own_heat: OnceLock::new(),
            state: state.clone(),
            http: reqwest::Client::new(),
        });
        let handler = Arc::clone(&proxy);
        let server = loopback::serve(move |request| {
            let proxy = Arc::clone(&handler);
            async move { proxy.forward(request).await }
        })
        .await?;
        // Set before anyone knows the address, so before any request.
        let _ = proxy.own_heat.set(format!("{}/heat", server.uri));
        let auth_url = format!("{}{}", server.uri, upstream.path().trim_end_matches('/'));
        Ok(HeatProxy {
            auth_url,
            state,
            _server: server,
        })
    }

    /// Every Heat exchange so far, in order.
    pub(super) fn journal(&self) -> Vec<Exchange> {
        self.state.lock().expect("proxy lock").journal.clone()
    }
}

struct Proxy {
    keystone: String,
    /// The proxy's own Heat endpoint, once it is bound.
    own_heat: OnceLock<String>,
    state: Arc<Mutex<State>>,
    http: reqwest::Client,
}

use loopback::Response;

impl Proxy {
    async fn forward(&self, request: hyper::Request<Incoming>) -> Response {
        let (parts, body) = request.into_parts();
        let body = match body.collect().await {
            Ok(body) => body.to_bytes(),
            Err(e) => return answer(400, format!("heatbed proxy: unreadable body: {e}").into()),
        };
        let path = parts
            .uri
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_string();
        let heat_path = path.strip_prefix("/heat").map(str::to_string);
        let target = match &heat_path {
            Some(rest) => match self.state.lock().expect("proxy lock").heat.clone() {
                Some(heat) => format!("{heat}{rest}"),
                None => return answer(502, "heatbed proxy: no catalog seen yet".into()),
            },
            None => format!("{}{path}", self.keystone),
        };
        let method = reqwest::Method::from_bytes(parts.method.as_str().as_bytes())
            .unwrap_or(reqwest::Method::GET);
        let mut upstream = self.http.request(method, &target).body(body.clone());
        for (name, value) in &parts.headers {
            if name != "host" && !HOP_BY_HOP.contains(&name.as_str()) {
                upstream = upstream.header(name.as_str(), value.as_bytes());
            }
        }
        let response = match upstream.send().await {
            Ok(response) => response,
            Err(e) => return answer(502, format!("heatbed proxy: {target}: {e}").into()),
        };
        let status = response.status().as_u16();
        let headers: Vec<(String, Vec<u8>)> = response
            .headers()
            .iter()
            .filter(|(n, _)| !HOP_BY_HOP.contains(&n.as_str()))
            .map(|(n, v)| (n.as_str().to_string(), v.as_bytes().to_vec()))
            .collect();
        let mut bytes = response.bytes().await.unwrap_or_default().to_vec();
        let json = serde_json::from_slice::<Value>(&bytes).ok();
        match (heat_path, json) {
            (None, Some(mut token)) if token.pointer("/token/catalog").is_some() => {
                self.rewrite_catalog(&mut token);
                bytes = token.to_string().into_bytes();
            }
            (Some(path), response) => {
                let request = serde_json::from_slice(&body).map_or(Value::Null, redact);
                self.state
                    .lock()
                    .expect("proxy lock")
                    .journal
                    .push(Exchange {
                        method: parts.method.to_string(),
                        path,
                        request,
                        status,
                        response: response.map_or(Value::Null, redact),
                    });
            }
            _ => {}
        }
        let mut built = answer(status, bytes);
        for (name, value) in headers {
            if let (Ok(name), Ok(value)) = (
                hyper::header::HeaderName::from_bytes(name.as_bytes()),
                hyper::header::HeaderValue::from_bytes(&value),
            ) {
                built.headers_mut().insert(name, value);
            }
        }
        built
    }

    /// Points every orchestration endpoint of a token's catalog at the proxy.
    fn rewrite_catalog(&self, token: &mut Value) {
        let Some(catalog) = token
            .pointer_mut("/token/catalog")
            .and_then(Value::as_array_mut)
        else {
            return;
        };
        for service in catalog.iter_mut().filter(|s| s["type"] == "orchestration") {
            for endpoint in service["endpoints"].as_array_mut().into_iter().flatten() {
                if let Some(url) = endpoint["url"].as_str() {
                    let mut state = self.state.lock().expect("proxy lock");
                    state
                        .heat
                        .get_or_insert_with(|| url.trim_end_matches('/').to_string());
                    endpoint["url"] = Value::from(self.own_heat.get().map_or("", String::as_str));
                }
            }
        }
    }
}

fn answer(status: u16, body: Vec<u8>) -> Response {
    let mut response = hyper::Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() =
        hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::BAD_GATEWAY);
    response
}

/// `value` with every field named like a secret (password, secret, token, credential)
/// replaced by [`REDACTED`]; iterative, so no depth limit.
pub(super) fn redact(mut value: Value) -> Value {
    let mut pending = vec![&mut value];
    while let Some(node) = pending.pop() {
        match node {
            Value::Object(map) => {
                for (key, child) in map.iter_mut() {
                    let key = key.to_ascii_lowercase();
                    if ["password", "secret", "token", "credential"]
                        .iter()
                        .any(|s| key.contains(s))
                    {
                        *child = Value::String(REDACTED.into());
                    } else {
                        pending.push(child);
                    }
                }
            }
            Value::Array(items) => pending.extend(items.iter_mut()),
            _ => {}
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn secrets_are_redacted_at_any_depth() {
        let body = json!({"auth": {"identity": {"password": {"user": {"name": "u", "password": "p"}}}},
            "parameters": [{"admin_pass": "x", "db_secret": "s", "name": "n"}], "X-Auth-Token": "t"});
        assert_eq!(
            redact(body),
            json!({"auth": {"identity": {"password": REDACTED}},
                "parameters": [{"admin_pass": "x", "db_secret": REDACTED, "name": "n"}], "X-Auth-Token": REDACTED})
        );
    }
}
