//! The heat worker's life: connect to etcd, build the HTTP clients, then claim and run jobs
//! until told to stop.

use std::sync::Arc;
use std::time::Duration;

use super::{claim, execute, heat, keystone, retry};
use crate::worker::reference::{Config, Log, Shutdown};

/// How long one HTTP call may take before it counts as a transient failure.
const HTTP_TIMEOUT: Duration = Duration::from_secs(30);

/// Runs until `shutdown` turns true.
pub(in crate::worker::reference) async fn run(config: Config, log: Log, shutdown: Shutdown) {
    let etcd = loop {
        match etcd_client::Client::connect(&config.env.etcd_endpoints, None).await {
            Ok(client) => break client,
            Err(e) => {
                log.line("heat_worker", format!("cannot reach etcd: {e}"));
                if retry::pause(&shutdown, Duration::from_secs(1))
                    .await
                    .is_err()
                {
                    return;
                }
            }
        }
    };
    let http = match reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(HTTP_TIMEOUT)
        .build()
    {
        Ok(http) => http,
        Err(e) => return log.line("heat_worker", format!("no HTTP client: {e}")),
    };
    let auth = Arc::new(keystone::Auth::new(http.clone(), config.clone()));
    let backoff = retry::Backoff::for_poll_interval(config.poll_interval);
    let slots = claim::Slots {
        slots: config.slots,
        claim_ttl: config.claim_ttl,
        retry_pause: backoff.first,
    };
    log.line(
        "heat_worker",
        format!("{} job slots available", config.slots),
    );
    let context = Arc::new(execute::Context {
        etcd: etcd.clone(),
        heat: heat::Heat::new(http, auth),
        config,
        log: log.clone(),
        shutdown: shutdown.clone(),
        backoff,
    });
    claim::serve(etcd, slots, log, shutdown, move |claim| {
        let context = context.clone();
        async move { execute::run(&context, claim).await }
    })
    .await;
}
