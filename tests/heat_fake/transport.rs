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
        api.token
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
