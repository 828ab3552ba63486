//! The fake Heat's HTTP face (on [`crate::fakes::loopback`]): every request answered
//! concurrently (the state lock is held only while a request is routed, latency is
//! waited outside it), and a body that cannot be read (a malformed chunked encoding, a
//! connection cut mid-body) answered with Heat's 400 instead of a dropped connection.

use std::sync::Arc;
use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::header::{HeaderMap, HeaderName, HeaderValue};

use super::errors::HeatError;
use super::router::HeatResponder;
use crate::fakes::loopback::{self, Loopback};

/// A request as the router reads it.
pub(super) struct HttpRequest {
    pub(super) method: String,
    /// The path as received (percent-encoded).
    pub(super) path: String,
    /// The query as received, without its `?`.
    pub(super) query: Option<String>,
    pub(super) headers: HeaderMap,
    pub(super) body: Vec<u8>,
    /// etcd's revision when the request arrived (0 without an etcd).
    pub(super) revision: i64,
}

/// An answer, and how long to hold it back (the scenario's latency).
pub(super) struct HttpResponse {
    pub(super) status: u16,
    pub(super) headers: Vec<(&'static str, String)>,
    pub(super) body: Option<Vec<u8>>,
    pub(super) delay: Duration,
    /// Close the connection instead of answering (an outage that refuses).
    pub(super) close: bool,
}

impl HttpResponse {
    /// A JSON answer.
    pub(super) fn json(status: u16, body: &serde_json::Value) -> Self {
        HttpResponse {
            status,
            headers: vec![("content-type", "application/json".into())],
            body: Some(body.to_string().into_bytes()),
            delay: Duration::ZERO,
            close: false,
        }
    }

    /// Heat's error answer.
    pub(super) fn error(error: &HeatError) -> Self {
        HttpResponse::json(error.status(), &error.body())
    }
}

/// Serves `responder` on a loopback port.
pub(super) async fn serve(responder: Arc<HeatResponder>) -> std::io::Result<Loopback> {
    loopback::serve(move |request| {
        let responder = Arc::clone(&responder);
        async move { answer(&responder, request).await }
    })
    .await
}

async fn answer(
    responder: &HeatResponder,
    request: hyper::Request<Incoming>,
) -> hyper::Response<Full<Bytes>> {
    let (parts, body) = request.into_parts();
    let response = match body.collect().await {
        Err(e) => HttpResponse::error(&HeatError::bad_request(
            "HTTPBadRequest",
            format!("The request body could not be read: {e}"),
        )),
        Ok(body) => {
            let request = HttpRequest {
                method: parts.method.as_str().to_string(),
                path: parts.uri.path().to_string(),
                query: parts.uri.query().map(Into::into),
                headers: parts.headers,
                body: body.to_bytes().to_vec(),
                revision: responder.revision().await,
            };
            responder.respond(&request).await
        }
    };
    if !response.delay.is_zero() {
        tokio::time::sleep(response.delay).await;
    }
    if response.close {
        return loopback::close();
    }
    let mut built = hyper::Response::new(Full::new(Bytes::from(response.body.unwrap_or_default())));
    *built.status_mut() = hyper::StatusCode::from_u16(response.status)
        .unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    for (name, value) in response.headers {
        if let Ok(value) = HeaderValue::from_str(&value) {
            built
                .headers_mut()
                .insert(HeaderName::from_static(name), value);
        }
    }
    built
}
