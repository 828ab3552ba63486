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
