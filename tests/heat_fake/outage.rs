//! Outage windows (fault steps): the fake Heat answers a 5xx, closes connections unanswered,
//! or answers late, for a number of requests or until the outage is ended; then it serves
//! as before.

use std::time::Duration;

use heatbed::fakes::{Outage, OutageKind};
use heatbed::scenario::HeatSpec;
use reqwest::{Method, StatusCode};

use crate::support::Api;

async fn list(api: &Api) -> StatusCode {
    api.call(Method::GET, "/stacks", None).await.0
}

#[tokio::test]
async fn a_503_window_answers_exactly_its_requests_then_heat_serves_again() {
    let api = Api::start(HeatSpec::default()).await;
    api.fakes.heat_outage(Outage {
        kind: OutageKind::Status(503),
        requests: Some(2),
    });
    assert_eq!(list(&api).await, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(list(&api).await, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(list(&api).await, StatusCode::OK);
    let statuses: Vec<u16> = api.fakes.heat_journal().iter().map(|c| c.status).collect();
    assert_eq!(statuses, [503, 503, 200]);
}

#[tokio::test]
async fn a_refusing_outage_closes_connections_until_it_is_ended() {
    let api = Api::start(HeatSpec::default()).await;
    api.fakes.heat_outage(Outage {
        kind: OutageKind::Refused,
        requests: None,
    });
    for _ in 0..3 {
        let sent = api
            .heat
            .client
            .get(format!("{}/stacks", api.fakes.heat_url()))
            .header("X-Auth-Token", &api.heat.token)
            .send()
            .await;
        let error = sent.expect_err("no answer while refusing");
        assert!(!error.is_status(), "{error}");
    }
    api.fakes.heat_recover();
    assert_eq!(list(&api).await, StatusCode::OK);
    let statuses: Vec<u16> = api.fakes.heat_journal().iter().map(|c| c.status).collect();
    assert_eq!(
        statuses,
        [0, 0, 0, 200],
        "refused calls are journaled with status 0"
    );
}

#[tokio::test]
async fn a_latency_window_still_answers_every_request() {
    let api = Api::start(HeatSpec::default()).await;
    api.fakes.heat_outage(Outage {
        kind: OutageKind::Latency(Duration::from_millis(20)),
        requests: Some(1),
    });
    assert_eq!(list(&api).await, StatusCode::OK);
    assert_eq!(list(&api).await, StatusCode::OK);
}
