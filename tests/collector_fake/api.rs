//! The collector agents' HTTP API: answers, ids and clock, errors and scripted faults.

use std::time::Duration;

use heatbed::fakes::Fakes;
use heatbed::scenario::{CollectorSpec, HeatSpec, HttpError, Report};
use reqwest::{Client, Method, StatusCode};
use serde_json::json;

use crate::support::{CREATED_KEYS, call, keys, recorded_body, rule};

#[tokio::test]
async fn post_answers_the_recorded_shape_with_the_public_url() {
    let fakes = Fakes::start(&HeatSpec::default(), &CollectorSpec::default()).await;
    let (status, created) = call(&fakes, Method::POST, "/targets", Some(&recorded_body(1))).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(keys(&created), CREATED_KEYS);
    let id = created["id"].as_str().expect("id");
    assert_eq!(
        created["link"],
        format!("http://collector-agents-se:7070/targets/{id}")
    );
    assert_eq!(created["monitorer"], "http://collector-agents-se:7070");
    assert_eq!(created["created_at"], "2018-02-19T05:22:01Z");
    for (k, v) in recorded_body(1).as_object().expect("object") {
        assert_eq!(&created[k], v, "{k} is echoed");
    }

    let (status, shown) = call(&fakes, Method::GET, &format!("/targets/{id}"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(shown["values"], json!([]));
    let mut expected: Vec<String> = CREATED_KEYS.iter().map(|k| k.to_string()).collect();
    expected.push("values".into());
    expected.sort();
    assert_eq!(keys(&shown), expected);

    let (status, list) = call(&fakes, Method::GET, "/targets", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list[0]["id"], id);
}

#[tokio::test]
async fn ids_and_clock_are_deterministic_per_scenario() {
    let mut ids = Vec::new();
    for _ in 0..2 {
        let fakes = Fakes::start(&HeatSpec::default(), &CollectorSpec::default()).await;
        let (_, first) = call(&fakes, Method::POST, "/targets", Some(&recorded_body(1))).await;
        let (_, second) = call(&fakes, Method::POST, "/targets", Some(&recorded_body(2))).await;
        assert_ne!(first["id"], second["id"]);
        assert_eq!(second["created_at"], "2018-02-19T05:22:02Z");
        ids.push((first["id"].clone(), second["id"].clone()));
    }
    assert_eq!(ids[0], ids[1]);
}

#[tokio::test]
async fn bad_requests_get_error_answers() {
    let fakes = Fakes::start(&HeatSpec::default(), &CollectorSpec::default()).await;
    let url = format!("{}/targets", fakes.collector_url());
    let response = Client::new()
        .post(&url)
        .body("not json")
        .send()
        .await
        .expect("answer");
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let mut body = recorded_body(1);
    body["version"] = json!("one");
    let (status, error) = call(&fakes, Method::POST, "/targets", Some(&body)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error["error"], "`version` must be an integer");
    let (status, _) = call(&fakes, Method::GET, "/targets/nope", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = call(&fakes, Method::DELETE, "/targets/nope", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = call(&fakes, Method::PUT, "/targets", None).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    let (status, _) = call(&fakes, Method::GET, "/elsewhere", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn scripted_api_errors_count_down_and_latency_delays() {
    let mut failing = rule("load_balancer_interfaces/*", Report::default());
    failing.http_error = Some(HttpError {
        status: 503,
        count: 2,
        methods: Vec::new(),
    });
    failing.latency = Some(Duration::from_millis(50));
    let spec = CollectorSpec {
        targets: vec![failing],
        ..CollectorSpec::default()
    };
    let fakes = Fakes::start(&HeatSpec::default(), &spec).await;
    for _ in 0..2 {
        let (status, _) = call(&fakes, Method::POST, "/targets", Some(&recorded_body(1))).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    }
    let started = std::time::Instant::now();
    let (status, _) = call(&fakes, Method::POST, "/targets", Some(&recorded_body(1))).await;
    assert_eq!(status, StatusCode::CREATED);
    assert!(started.elapsed() >= Duration::from_millis(50));
}
