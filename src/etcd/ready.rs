//! Readiness by polling etcd's status endpoint: no sleeps, no log scraping.

use std::time::{Duration, Instant};

use etcd_client::Client;

use super::EtcdError;

/// How long an etcd may take to answer its first status request.
pub(super) const READY_TIMEOUT: Duration = Duration::from_secs(20);
/// Pause between two status polls.
const POLL: Duration = Duration::from_millis(5);

/// Polls `status` on `endpoints` until it answers; `alive` reports a process that died.
pub(super) async fn wait_ready(
    endpoints: &[String],
    mut alive: impl FnMut() -> Result<(), EtcdError>,
) -> Result<Client, EtcdError> {
    let started = Instant::now();
    let mut ticker = tokio::time::interval(POLL);
    let mut last_error = String::from("no answer yet");
    while started.elapsed() < READY_TIMEOUT {
        ticker.tick().await;
        alive()?;
        let attempt = async {
            let mut client = Client::connect(endpoints, None).await?;
            client.status().await?;
            Ok::<_, etcd_client::Error>(client)
        };
        match tokio::time::timeout(Duration::from_secs(1), attempt).await {
            Ok(Ok(client)) => return Ok(client),
            Ok(Err(e)) => last_error = e.to_string(),
            Err(_) => last_error = "status request timed out".into(),
        }
    }
    Err(EtcdError::NotReady {
        endpoints: endpoints.join(","),
        waited: started.elapsed(),
        last_error,
    })
}

/// Polls `status` on each of `endpoints` (each a member of one cluster) until every one
/// answers and they agree on a leader among them; returns the leader's endpoint.
pub(super) async fn wait_leader(endpoints: &[String]) -> Result<String, EtcdError> {
    let started = Instant::now();
    let mut ticker = tokio::time::interval(POLL);
    let mut last_error = String::from("no answer yet");
    while started.elapsed() < READY_TIMEOUT {
        ticker.tick().await;
        match tokio::time::timeout(Duration::from_secs(1), leader_of(endpoints)).await {
            Ok(Ok(Some(leader))) => return Ok(leader),
            Ok(Ok(None)) => last_error = "the members do not agree on a leader yet".into(),
            Ok(Err(e)) => last_error = e.to_string(),
            Err(_) => last_error = "status request timed out".into(),
        }
    }
    Err(EtcdError::NotReady {
        endpoints: endpoints.join(","),
        waited: started.elapsed(),
        last_error,
    })
}

/// The endpoint of the leader every member names, if they agree on one of them.
async fn leader_of(endpoints: &[String]) -> Result<Option<String>, etcd_client::Error> {
    let mut leaders = Vec::new();
    let mut ids = Vec::new();
    for endpoint in endpoints {
        let mut client = Client::connect([endpoint], None).await?;
        let status = client.status().await?;
        leaders.push(status.leader());
        ids.push(status.header().map_or(0, |h| h.member_id()));
    }
    let Some(&leader) = leaders.first() else {
        return Ok(None);
    };
    if leader == 0 || leaders.iter().any(|l| *l != leader) {
        return Ok(None);
    }
    Ok(ids
        .iter()
        .position(|id| *id == leader)
        .map(|i| endpoints[i].clone()))
}
