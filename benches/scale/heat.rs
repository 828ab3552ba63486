//! The fake Heat's throughput against a bare hyper server on loopback that answers the same
//! bodies: stack creates (`POST /stacks`) and shows (`GET /stacks/{name}/{id}`), from the same
//! client with the same concurrency, in the same run.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::{Duration, Instant};

use heatbed::fakes::Fakes;
use heatbed::scenario::{CollectorSpec, HeatSpec};
use http_body_util::Full;
use hyper::body::Bytes;
use hyper::{Request, Response, StatusCode};
use reqwest::Method;
use serde_json::{Value, json};

use super::heat_client::HeatClient;

/// Requests in flight at once.
const CONCURRENCY: usize = 8;
/// Rounds, each timing both servers.
const ROUNDS: usize = 5;
/// Stacks created per round.
const CREATES: usize = 4_000;
/// Shows per round.
const SHOWS: usize = 8_000;

const TEMPLATE: &str = "heat_template_version: 2015-10-15
parameters:
  name: {type: string}
  network: {type: string, default: net-1}
resources:
  port:
    type: OS::Neutron::Port
    properties: {name: {get_param: name}, network: {get_param: network}}
outputs:
  port_id: {value: {get_resource: port}}
  port_name: {value: {get_attr: [port, name]}}
";

pub(crate) async fn bench() {
    let fakes = Fakes::start(&HeatSpec::default(), &CollectorSpec::default()).await;
    let login = HeatClient::login(&fakes).await;
    let heat = Arc::new(Target {
        client: login.client.clone(),
        token: login.token.clone(),
        base: fakes.heat_url(),
    });
    // The bodies the fake answers, for the bare server.
    let (_, created, _) = heat.call(Method::POST, "/stacks", Some(create(0))).await;
    let id = created["stack"]["id"]
        .as_str()
        .expect("a stack id")
        .to_string();
    let (_, shown, _) = heat
        .call(Method::GET, &format!("/stacks/s0/{id}"), None)
        .await;

    let bare = bare_server(created.to_string(), shown.to_string()).await;
    let bare_heat = Arc::new(Target {
        base: format!("http://{bare}/v1/project"),
        ..Target::clone(&heat)
    });
    // Rounds alternate between the two servers and the median of each is kept: this machine
    // is shared, and a slow spell then costs both sides alike.
    let show = format!("/stacks/s0/{id}");
    let (mut fake_create, mut bare_create, mut fake_show, mut bare_show) =
        (vec![], vec![], vec![], vec![]);
    for round in 0..ROUNDS {
        let first = 1 + round * CREATES;
        for (target, times) in [(&heat, &mut fake_create), (&bare_heat, &mut bare_create)] {
            times.push(
                load(target, CREATES, Method::POST, move |i| {
                    ("/stacks".into(), Some(create(first + i)))
                })
                .await,
            );
        }
        for (target, times) in [(&heat, &mut fake_show), (&bare_heat, &mut bare_show)] {
            let show = show.clone();
            times.push(load(target, SHOWS, Method::GET, move |_| (show.clone(), None)).await);
        }
    }
    let [fake_create, bare_create, fake_show, bare_show] =
        [fake_create, bare_create, fake_show, bare_show].map(median);

    println!(
        "\n## Fake Heat against a bare hyper server answering the same bodies ({CONCURRENCY} in flight, median of {ROUNDS} rounds)\n"
    );
    println!("| request | bare hyper | fake Heat | fake / bare |");
    println!("|---|---|---|---|");
    for (name, n, bare, fake) in [
        ("POST /stacks (create)", CREATES, bare_create, fake_create),
        ("GET /stacks/{name}/{id}", SHOWS, bare_show, fake_show),
    ] {
        let rate = |d: Duration| n as f64 / d.as_secs_f64();
        println!(
            "| {name} | {:.0}/s | {:.0}/s | {} |",
            rate(bare),
            rate(fake),
            super::ratio(rate(fake), rate(bare))
        );
    }
}

/// Where requests go, with the client and token they carry.
#[derive(Clone)]
struct Target {
    client: reqwest::Client,
    token: String,
    base: String,
}

impl Target {
    /// One request; the status, the JSON body and the `Location`.
    async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value, Option<String>) {
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.base))
            .header("X-Auth-Token", &self.token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("an answer");
        let status = StatusCode::from_u16(response.status().as_u16()).expect("a status");
        let text = response.text().await.expect("a body");
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::Null),
            None,
        )
    }
}

/// The body of the `i`th create.
fn create(i: usize) -> Value {
    json!({"stack_name": format!("s{i}"), "template": TEMPLATE,
           "parameters": {"name": format!("port-{i}")}, "timeout_mins": 3})
}

/// The median of `times`.
fn median(mut times: Vec<Duration>) -> Duration {
    times.sort_unstable();
    times[times.len() / 2]
}

/// `n` requests, [`CONCURRENCY`] at once; the wall time.
async fn load(
    heat: &Arc<Target>,
    n: usize,
    method: Method,
    request: impl Fn(usize) -> (String, Option<Value>) + Send + Sync + 'static,
) -> Duration {
    let request = Arc::new(request);
    let started = Instant::now();
    let mut tasks = vec![];
    for worker in 0..CONCURRENCY {
        let (heat, method, request) = (heat.clone(), method.clone(), request.clone());
        tasks.push(tokio::spawn(async move {
            for i in (worker..n).step_by(CONCURRENCY) {
                let (path, body) = request(i);
                let (status, answer, _) = heat.call(method.clone(), &path, body).await;
                assert!(status.is_success(), "{status}: {answer}");
            }
        }));
    }
    for task in tasks {
        task.await.expect("a load task");
    }
    started.elapsed()
}

/// A hyper server on loopback answering every POST with `created` (201) and everything else
/// with `shown` (200), as JSON.
async fn bare_server(created: String, shown: String) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("address");
    let (created, shown) = (Bytes::from(created), Bytes::from(shown));
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let (created, shown) = (created.clone(), shown.clone());
            tokio::spawn(async move {
                let service =
                    hyper::service::service_fn(move |request: Request<hyper::body::Incoming>| {
                        let (status, body) = if request.method() == hyper::Method::POST {
                            (StatusCode::CREATED, created.clone())
                        } else {
                            (StatusCode::OK, shown.clone())
                        };
                        async move {
                            // Read the request body, as any server does.
                            let _ = http_body_util::BodyExt::collect(request.into_body()).await;
                            let response = Response::builder()
                                .status(status)
                                .header("content-type", "application/json")
                                .body(Full::new(body))
                                .expect("a response");
                            Ok::<_, Infallible>(response)
                        }
                    });
                let io = hyper_util::rt::TokioIo::new(stream);
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(io, service)
                    .await;
            });
        }
    });
    addr
}
