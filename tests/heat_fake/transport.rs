//! The fake Heat's HTTP server: bad bodies get a 400, and requests are served concurrently.

use std::time::Duration;

use heatbed::scenario::HeatSpec;
use reqwest::Method;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::support::{Api, rule};

#[tokio::test]
async fn a_malformed_chunked_body_gets_a_400() {
    let api = Api::start(HeatSpec::default()).await;
    let url = url::Url::parse(&api.fakes.heat_url()).expect("url");
    let address = format!(
        "{}:{}",
        url.host_str().expect("host"),
        url.port().expect("port")
    );
    let mut stream = tokio::net::TcpStream::connect(address)
        .await
        .expect("connect");
    let request = format!(
        "POST {}/stacks HTTP/1.1\r\nHost: heat\r\nX-Auth-Token: {}\r\nContent-Type: \
         application/json\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\n{{}}\r\n0\r\n\r\n",
        url.path(),
        api.heat.token
    );
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer)).await;
    assert!(read.is_ok(), "the fake answered and closed");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_slow_request_does_not_hold_up_the_others() {
    let mut spec = HeatSpec::default();
    let mut slow = rule("slow*");
    slow.latency = Some(Duration::from_secs(600));
    spec.stacks.push(slow);
    let api = std::sync::Arc::new(Api::start(spec).await);
    let held = {
        let api = std::sync::Arc::clone(&api);
        tokio::spawn(async move { api.call(Method::GET, "/stacks/slow-one", None).await })
    };
    // Served while the slow answer is still held back.
    let quick = tokio::time::timeout(
        Duration::from_secs(60),
        api.call(Method::GET, "/stacks", None),
    )
    .await;
    assert!(quick.is_ok_and(|(status, _, _)| status.is_success()));
    assert!(!held.is_finished(), "the slow answer is still held back");
    held.abort();
}

#[tokio::test]
async fn a_template_nested_ten_thousand_deep_gets_a_clear_400() {
    let api = Api::start(HeatSpec::default()).await;
    let deep = format!("{}1{}", "[".repeat(10_000), "]".repeat(10_000));
    let yaml = format!("heat_template_version: 2016-10-14\noutputs:\n  o: {{value: {deep}}}\n");
    let json_text = format!(
        "{{\"heat_template_version\": \"2016-10-14\", \"outputs\": {{\"o\": {{\"value\": {deep}}}}}}}"
    );
    for template in [yaml, json_text] {
        let body = serde_json::json!({"stack_name": "deep", "template": template});
        let (status, answer, _) = api.call(Method::POST, "/stacks", Some(body)).await;
        assert_eq!(status, reqwest::StatusCode::BAD_REQUEST, "{answer}");
        let message = answer["error"]["message"].as_str().unwrap_or_default();
        assert!(
            message.contains("parsing template") || message.contains("nests deeper"),
            "{message}"
        );
    }
    // As a JSON object in the body itself.
    let body = format!("{{\"stack_name\": \"deep\", \"template\": {{\"outputs\": {deep}}}}}");
    let response = api
        .heat
        .client
        .post(format!("{}/stacks", api.fakes.heat_url()))
        .header("X-Auth-Token", &api.heat.token)
        .header("Content-Type", "application/json")
        .body(body)
        .send()
        .await
        .expect("answer");
    assert_eq!(response.status(), reqwest::StatusCode::BAD_REQUEST);
}
